/**
 * Training data as a bindable source: one value from which a job learns where the data is,
 * what to wait for, how many samples there are and what to grant — with no workaround in the
 * caller's app.
 */
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { FineTuningJob, FineTuningJobProps, TrainingData } from '../../lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { EXAMPLES } from '../support/stacks';

const DOLLY = join(EXAMPLES, 'dolly-qa', 'train');

function build(props: Partial<FineTuningJobProps>) {
  const stack = new Stack(new App(), 'Team', { env: { region: 'us-west-2', account: '123456789012' } });
  const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
  const job = new FineTuningJob(stack, 'Job', {
    acceptEula: true,
    outputUri: 's3://team-models/output/',
    role,
    ...(typeof props === 'function' ? {} : props),
  } as FineTuningJobProps);
  return { stack, job, template: Template.fromStack(stack) };
}

/** Statements of the role's policies, as one JSON string. */
const rolePolicy = (template: Template) =>
  JSON.stringify(
    Object.entries(template.findResources('AWS::IAM::Policy'))
      .filter(([id]) => id.startsWith('RoleDefaultPolicy'))
      .map(([, p]) => p.Properties.PolicyDocument.Statement),
  );

describe('TrainingData.fromLocalDirectory', () => {
  const stack = new Stack(new App(), 'Local', { env: { region: 'us-west-2', account: '123456789012' } });
  const key = new kms.Key(stack, 'DataKey');
  const bucket = new s3.Bucket(stack, 'Data', { encryption: s3.BucketEncryption.KMS, encryptionKey: key });
  const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
  const job = new FineTuningJob(stack, 'Job', {
    acceptEula: true,
    trainingData: TrainingData.fromLocalDirectory(DOLLY, { bucket, prefix: 'dolly/' }),
    outputUri: 's3://team-models/output/',
    role,
    hyperparameters: { instructionTuned: true, maxInputLength: 256 },
  });
  const template = Template.fromStack(stack);

  test('the job waits for the upload, with no addDependency by the caller', () => {
    const [uploadId, upload] = Object.entries(template.findResources('Custom::CDKBucketDeployment'))[0];
    expect(upload.Properties.DestinationBucketKeyPrefix).toMatch(/^dolly\/[0-9a-f]{16}\/$/);
    // Encrypted with the bucket's own key, taken from the bucket.
    expect(upload.Properties.SystemMetadata).toMatchObject({ sse: 'aws:kms' });
    const [, resource] = Object.entries(template.findResources('Custom::SageMakerTrainingJob'))[0];
    expect(resource.DependsOn).toContain(uploadId);
    expect(JSON.stringify(resource.Properties.TrainingDataUri)).toContain(upload.Properties.DestinationBucketKeyPrefix);
  });

  test("the estimate counts the directory's own samples, not the measured runs' 1188", () => {
    const samples = require('node:fs').readFileSync(join(DOLLY, 'train.jsonl'), 'utf8').trim().split('\n').length;
    expect(job.trainingEstimate).toContain(`x ${samples}/1188 samples`);
  });

  test('checked at synth, so no deploy-time check reads it again', () => {
    expect(Object.keys(template.findResources('Custom::TrainingDatasetCheck'))).toHaveLength(0);
  });

  test('a directory that does not suit the job fails synth naming the job prop', () => {
    expect(() =>
      build({
        trainingData: TrainingData.fromLocalDirectory(DOLLY, {
          bucket: s3.Bucket.fromBucketName(new Stack(), 'B', 'team-data'),
          prefix: 'x/',
        }),
      }),
    ).toThrow(/trainingData ".*dolly-qa\/train" is not valid domain-adaptation data/);
  });

  test("the consumer's own cdk-nag checks find nothing unacknowledged in the upload (a stack with an account)", () => {
    // The caller's own bucket and role keep their findings; none may come from what the data binding made.
    const ours = new AwsSolutionsChecks()
      .validateScope(stack)
      .violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} at ${r.constructPath}`))
      .filter((f) => !/ at Local\/(Data|Role|DataKey)\//.test(f));
    expect(ours).toEqual([]);
  });
});

describe('TrainingData.fromBucket', () => {
  const stack = new Stack(new App(), 'Bucket', { env: { region: 'us-west-2', account: '123456789012' } });
  const key = new kms.Key(stack, 'DataKey');
  const bucket = new s3.Bucket(stack, 'Data', { encryption: s3.BucketEncryption.KMS, encryptionKey: key });
  const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
  new FineTuningJob(stack, 'Job', {
    acceptEula: true,
    trainingData: TrainingData.fromBucket(bucket, 'llama/train/'),
    validationData: TrainingData.fromBucket(bucket, 'llama/validation/'),
    outputUri: 's3://team-models/output/',
    role,
  });
  const template = Template.fromStack(stack);

  test("the role reads the prefixes and decrypts with the bucket's key", () => {
    const policy = rolePolicy(template);
    expect(policy).toContain('/llama/train/*');
    expect(policy).toContain('/llama/validation/*');
    expect(policy).toContain('kms:Decrypt');
    expect(policy).toContain('DataKey');
  });

  test('the deploy-time check reads it through the bucket, though its name is known only at deploy', () => {
    const [, check] = Object.entries(template.findResources('Custom::TrainingDatasetCheck'))[0];
    expect(JSON.stringify(check.Properties.TrainingDataUri)).toContain('llama/train/');
    expect(JSON.stringify(check.Properties.ValidationDataUri)).toContain('llama/validation/');
    const checkPolicy = JSON.stringify(
      Object.entries(template.findResources('AWS::IAM::Policy'))
        .filter(([id]) => id.includes('validatedataset'))
        .map(([, p]) => p.Properties.PolicyDocument.Statement),
    );
    expect(checkPolicy).toContain('/llama/train/*');
    expect(checkPolicy).toContain('kms:Decrypt');
  });

  test('a prefix that is not a key prefix is refused', () => {
    expect(() =>
      build({ trainingData: TrainingData.fromBucket(new s3.Bucket(new Stack(), 'B'), 's3://x/y/') }),
    ).toThrow(/trainingData prefix is "s3:\/\/x\/y\/", an S3 URI; allowed: a key prefix inside the bucket/);
  });
});

describe('TrainingData.fromS3Uri', () => {
  test('the role reads the prefix and decrypts with the key given, through S3 only', () => {
    const stack = new Stack(new App(), 'Uri', { env: { region: 'us-west-2', account: '123456789012' } });
    const key = kms.Key.fromKeyArn(stack, 'K', 'arn:aws:kms:us-west-2:123456789012:key/1111-2222');
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
    new FineTuningJob(stack, 'Job', {
      acceptEula: true,
      trainingData: TrainingData.fromS3Uri('s3://shared-datasets/llama/train/', { encryptionKey: key }),
      outputUri: 's3://team-models/output/',
      role,
    });
    const template = Template.fromStack(stack);
    const policy = rolePolicy(template);
    expect(policy).toContain('shared-datasets/llama/train/*');
    expect(policy).toMatch(
      /"Action":"kms:Decrypt","Condition":\{"StringEquals":\{"kms:ViaService":.*"\.amazonaws\.com"/,
    );
    expect(policy).toContain('"Resource":"arn:aws:kms:us-west-2:123456789012:key/1111-2222"');
    template.hasResourceProperties('Custom::SageMakerTrainingJob', {
      TrainingDataUri: 's3://shared-datasets/llama/train/',
    });
    template.hasResourceProperties('Custom::TrainingDatasetCheck', {
      TrainingDataUri: 's3://shared-datasets/llama/train/',
    });
  });

  test('a URI that is not an S3 prefix is refused in the job prop', () => {
    expect(() => build({ trainingData: TrainingData.fromS3Uri('https://shared-datasets/train/') })).toThrow(
      /trainingData is "https:\/\/shared-datasets\/train\/", which is not an S3 URI/,
    );
  });
});

describe('TrainingData.jumpStartDefault and the deprecated URI props', () => {
  test("JumpStart's default dataset of the model in the region", () => {
    const { template } = build({ trainingData: TrainingData.jumpStartDefault() });
    template.hasResourceProperties('Custom::SageMakerTrainingJob', {
      TrainingDataUri: {
        'Fn::Join': ['', ['s3://jumpstart-cache-prod-', { Ref: 'AWS::Region' }, '/training-datasets/sec_amazon/']],
      },
    });
  });

  test('trainingDataUri still works for one release, and grants nothing the caller did not', () => {
    const { template } = build({ trainingDataUri: 's3://shared-datasets/llama/train/' });
    template.hasResourceProperties('Custom::SageMakerTrainingJob', {
      TrainingDataUri: 's3://shared-datasets/llama/train/',
    });
    expect(rolePolicy(template)).not.toContain('shared-datasets');
  });

  test.each([
    [
      { trainingData: TrainingData.jumpStartDefault(), trainingDataUri: 's3://a-bucket/train/' },
      'trainingData and trainingDataUri are both given. Fix: keep trainingData.',
    ],
    [{}, 'trainingData is missing. Fix: e.g. trainingData: TrainingData.fromS3Uri("s3://bucket/train/").'],
    [{ trainingData: 's3://a-bucket/train/' }, 'trainingData is "s3://a-bucket/train/"; allowed: a TrainingData'],
  ])('%j is refused', (props, message) => {
    expect(() => build(props as Partial<FineTuningJobProps>)).toThrow(message);
  });
});
