import { DescribeModelPackageCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import { ModelPackageProperties, handle } from '../../lib/handlers/describe-model-package';
import { CustomResourceEvent } from '../../lib/handlers/shared/cfn-response';

const ARN = 'arn:aws:sagemaker:us-east-1:111122223333:model-package/dev-models/3';
const sagemaker = mockClient(SageMakerClient);
beforeEach(() => sagemaker.reset());

const event = (
  RequestType: 'Create' | 'Update' | 'Delete' = 'Create',
): CustomResourceEvent<ModelPackageProperties> => ({
  RequestType,
  ResponseURL: 'http://unused',
  StackId: 's',
  RequestId: 'r',
  LogicalResourceId: 'RegisteredModel',
  ResourceType: 'Custom::SageMakerModelPackage',
  PhysicalResourceId: RequestType === 'Create' ? undefined : ARN,
  ResourceProperties: { ModelPackageArn: ARN },
});

const version = (...Containers: object[]) =>
  sagemaker.on(DescribeModelPackageCommand, { ModelPackageName: ARN }).resolves({
    ModelPackageArn: ARN,
    InferenceSpecification: {
      Containers: Containers as never,
      SupportedContentTypes: [],
      SupportedResponseMIMETypes: [],
    },
  } as never);

test("a compressed model's bucket and key, its ARN as the physical id", async () => {
  version({ Image: 'i', ModelDataUrl: 's3://dev-models-bucket/output/ft-1/output/model.tar.gz' });
  expect(await handle(event())).toEqual({
    physicalResourceId: ARN,
    data: { ModelBucket: 'dev-models-bucket', ModelKey: 'output/ft-1/output/model.tar.gz' },
  });
});

test("an uncompressed model's prefix, on an update too", async () => {
  version({ Image: 'i', ModelDataSource: { S3DataSource: { S3Uri: 's3://b/output/ft-2/output/model/' } } });
  expect((await handle(event('Update'))).data).toEqual({ ModelBucket: 'b', ModelKey: 'output/ft-2/output/model/' });
});

test('a delete describes nothing and keeps the id', async () => {
  expect(await handle(event('Delete'))).toEqual({ physicalResourceId: ARN });
  expect(sagemaker.calls()).toHaveLength(0);
});

test.each([
  [[], '0 containers'],
  [[{ Image: 'a' }, { Image: 'b' }], '2 containers'],
  [[{ Image: 'a' }], 'names no model data'],
  [[{ Image: 'a', ModelDataSource: {} }], 'names no model data'],
  [[{ Image: 'a', ModelDataUrl: 'file:///tmp/s3://b/k' }], '"file:///tmp/s3://b/k", which is not an S3 location'],
  [
    [{ Image: 'a', ModelDataUrl: 'https://b.s3.amazonaws.com/m.tar.gz' }],
    '"https://b.s3.amazonaws.com/m.tar.gz", which is not an S3 location',
  ],
])('a version it cannot serve fails the deploy with why: %j', async (containers, words) => {
  version(...containers);
  await expect(handle(event())).rejects.toThrow(words);
});

test('a version with no inference specification has no container to serve', async () => {
  sagemaker.on(DescribeModelPackageCommand).resolves({ ModelPackageArn: ARN });
  await expect(handle(event())).rejects.toThrow('has 0 containers');
});

test('a version it may not describe says which setting shares it', async () => {
  sagemaker
    .on(DescribeModelPackageCommand)
    .rejects(Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' }));
  const error = await handle(event()).catch((e: Error) => e);
  expect((error as Error).message).toContain(
    `Could not describe ${ARN}: AccessDeniedException: not authorized. A version of another account is described only`,
  );
  // The SDK's own error stays attached, for the log.
  expect(((error as Error).cause as Error).name).toBe('AccessDeniedException');
});
