/**
 * The version the stack registers, as CloudFormation would send it (deploy-time values sampled),
 * created in moto_server's SageMaker: the group and version are accepted and read back as written.
 */
import { Template } from 'aws-cdk-lib/assertions';
import { MotoServer } from '../support/moto';
import { sampleValue } from '../support/sample-values';
import { fineTuningStack } from '../support/stacks';

const moto = new MotoServer();
beforeAll(async () => {
  await moto.start();
  moto.useForSdk();
}, 60_000);
afterAll(() => moto.stop());

test('the registry group and the version of the synthesized stack are created and described as written', async () => {
  const template = Template.fromStack(fineTuningStack({ disableOutputCompression: true })).toJSON();
  const of = (type: string) => Object.values<any>(template.Resources).find((r) => r.Type === type).Properties;
  const group = sampleValue(of('AWS::SageMaker::ModelPackageGroup'));
  const version = sampleValue(of('AWS::SageMaker::ModelPackage'));
  const sagemaker = await import('@aws-sdk/client-sagemaker');
  const client = new sagemaker.SageMakerClient({ region: 'us-east-1' });
  await client.send(new sagemaker.CreateModelPackageGroupCommand(group));
  const created = await client.send(new sagemaker.CreateModelPackageCommand(version));
  expect(created.ModelPackageArn).toMatch(
    new RegExp(`:model-package/${group.ModelPackageGroupName.toLowerCase()}/1$`, 'i'),
  );
  const described = await client.send(
    new sagemaker.DescribeModelPackageCommand({ ModelPackageName: created.ModelPackageArn }),
  );
  expect(described.ModelPackageGroupName).toBe(group.ModelPackageGroupName);
  expect(described.InferenceSpecification?.Containers?.[0].ModelDataSource?.S3DataSource).toMatchObject({
    S3DataType: 'S3Prefix',
    CompressionType: 'None',
  });
  expect(described.CustomerMetadataProperties?.['jumpstart-model-id']).toBe('meta-textgeneration-llama-3-8b');
  // Created without a status, the version is not approved: moto_server leaves the status empty; AWS's API
  // reference states no default (the README says how to check it), only that deploying needs Approved.
  expect(described.ModelApprovalStatus).not.toBe('Approved');
});

describe('the describe-model-package handler, as a serving stack calls it', () => {
  const event = (arn: string, RequestType: 'Create' | 'Update' | 'Delete' = 'Create') =>
    ({ RequestType, ResourceProperties: { ModelPackageArn: arn }, PhysicalResourceId: arn }) as any;

  test("finds a version's model, compressed or a prefix, as bucket and key", async () => {
    const sagemaker = await import('@aws-sdk/client-sagemaker');
    const client = new sagemaker.SageMakerClient({ region: 'us-east-1' });
    await client.send(new sagemaker.CreateModelPackageGroupCommand({ ModelPackageGroupName: 'prod-serves' }));
    const create = (container: object) =>
      client.send(
        new sagemaker.CreateModelPackageCommand({
          ModelPackageGroupName: 'prod-serves',
          InferenceSpecification: {
            Containers: [{ Image: 'djl-inference:lmi', ...container }],
            SupportedContentTypes: ['application/json'],
            SupportedResponseMIMETypes: ['application/json'],
          },
        }),
      );
    const compressed = await create({ ModelDataUrl: 's3://dev-model/output/ft-1/output/model.tar.gz' });
    const prefix = await create({
      ModelDataSource: {
        S3DataSource: {
          S3Uri: 's3://dev-model/output/ft-2/output/model/',
          S3DataType: 'S3Prefix',
          CompressionType: 'None',
        },
      },
    });
    const { handle } = await import('../../lib/handlers/describe-model-package');
    expect(await handle(event(compressed.ModelPackageArn!))).toEqual({
      physicalResourceId: compressed.ModelPackageArn,
      data: { ModelBucket: 'dev-model', ModelKey: 'output/ft-1/output/model.tar.gz' },
    });
    expect((await handle(event(prefix.ModelPackageArn!, 'Update'))).data).toEqual({
      ModelBucket: 'dev-model',
      ModelKey: 'output/ft-2/output/model/',
    });
    // A delete leaves the version alone: it belongs to the registry.
    expect(await handle(event(prefix.ModelPackageArn!, 'Delete'))).toEqual({
      physicalResourceId: prefix.ModelPackageArn,
    });
  });

  test('a version that cannot be described fails the deploy with why', async () => {
    const { handle } = await import('../../lib/handlers/describe-model-package');
    await expect(
      handle(event('arn:aws:sagemaker:us-east-1:123456789012:model-package/prod-serves/99')),
    ).rejects.toThrow(
      /Could not describe arn:aws:sagemaker:us-east-1:123456789012:model-package\/prod-serves\/99: .*modelConsumerAccountIds/,
    );
  });
});
