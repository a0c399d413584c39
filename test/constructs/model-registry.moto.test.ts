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
