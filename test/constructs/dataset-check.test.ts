import { join } from 'node:path';
import { Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { EXAMPLES, fineTuningStack, jobStack } from '../support/stacks';

const statementsOf = (template: Template, role: RegExp) =>
  Object.entries(template.findResources('AWS::IAM::Policy'))
    .filter(([id]) => role.test(id))
    .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as any[]);

describe('the deploy-time dataset check', () => {
  const { template } = jobStack({
    trainingDataUri: 's3://team-data/llama/train/',
    validationDataUri: 's3://team-data/llama/validation/',
    hyperparameters: { instructionTuned: true, maxInputLength: 256 },
    fallbackInstanceTypes: ['ml.g5.24xlarge'],
  });
  const [checkId, check] = Object.entries(template.findResources('Custom::TrainingDatasetCheck'))[0];

  test('runs before the training job, on both channels, in the format the training mode reads', () => {
    const job = Object.values(template.findResources('Custom::SageMakerTrainingJob'))[0];
    expect(job.DependsOn).toContain(checkId);
    expect(check.Properties).toMatchObject({
      TrainingDataUri: 's3://team-data/llama/train/',
      ValidationDataUri: 's3://team-data/llama/validation/',
      Format: 'instruction',
      MaxInputLength: '256',
      MaxCheckedBytes: String(4 * 1024 ** 3),
    });
  });

  test('checks the estimate with the real count on the job’s type and each fallback’s, against its maximum runtime', () => {
    expect(check.Properties.Estimate).toMatchObject({
      ModelId: 'meta-textgeneration-llama-3-8b',
      InstanceTypes: ['ml.g5.12xlarge', 'ml.g5.24xlarge'],
      MaxRuntimeMinutes: String(100 * 60),
      LongestRuntimeMinutes: String(28 * 24 * 60),
    });
    expect(JSON.parse(check.Properties.Estimate.Hyperparameters)).toMatchObject({ instructionTuned: true, epoch: 5 });
  });

  test('its function reads only the data prefixes, and decrypts only through S3 for objects under them', () => {
    const statements = statementsOf(template, /validatedataset/);
    const reads = statements.filter((s) => s.Action === 's3:GetObject');
    expect(reads.map((s) => s.Resource)).toEqual([
      { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::team-data/llama/train/*']] },
      { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::team-data/llama/validation/*']] },
    ]);
    const lists = statements.filter((s) => s.Action === 's3:ListBucket');
    expect(lists.map((s) => s.Condition)).toEqual([
      { StringLike: { 's3:prefix': ['llama/train/*'] } },
      { StringLike: { 's3:prefix': ['llama/validation/*'] } },
    ]);
    const decrypt = statements.find((s) => s.Action === 'kms:Decrypt');
    expect(decrypt.Condition.StringEquals).toEqual({
      'kms:ViaService': { 'Fn::Join': ['', ['s3.', { Ref: 'AWS::Region' }, '.amazonaws.com']] },
    });
    expect(JSON.stringify(decrypt.Condition.StringLike)).toContain(':s3:::team-data/llama/train/*');
    // With an S3 Bucket Key, S3 asks KMS in the bucket's name, not the object's.
    expect(JSON.stringify(decrypt.Condition.StringLike)).toContain(':s3:::team-data"');
    expect(statements.some((s) => [s.Action].flat().some((a: string) => a.startsWith('sagemaker:')))).toBe(false);
  });

  test('a function with time and disk for the largest prefix it checks whole', () => {
    const fn = Object.values(template.findResources('AWS::Lambda::Function')).find((f) =>
      /Checks S3 training data/.test(f.Properties.Description),
    )!;
    expect(fn.Properties).toMatchObject({ Timeout: 900, MemorySize: 1769, EphemeralStorage: { Size: 5120 } });
  });

  test('skipDatasetCheck leaves it out; so does skipRuntimeCheck the estimate', () => {
    const skipped = jobStack({ trainingDataUri: 's3://team-data/llama/train/', skipDatasetCheck: true }).template;
    expect(Object.keys(skipped.findResources('Custom::TrainingDatasetCheck'))).toHaveLength(0);
    const noEstimate = jobStack({
      trainingDataUri: 's3://team-data/llama/train/',
      skipRuntimeCheck: true,
      maxRuntime: Duration.hours(1),
    }).template;
    const props = Object.values(noEstimate.findResources('Custom::TrainingDatasetCheck'))[0].Properties;
    expect(props.Estimate).toBeUndefined();
    expect(() => jobStack({ skipDatasetCheck: 'yes' as never })).toThrow(
      /skipDatasetCheck is "yes"; allowed: true or false/,
    );
  });

  test('the stack checks s3:// data, not local datasets (checked at synth, uploaded by the stack) nor JumpStart’s default', () => {
    const s3Data = Template.fromStack(fineTuningStack({ trainData: 's3://team-data/llama/train/' }));
    expect(Object.keys(s3Data.findResources('Custom::TrainingDatasetCheck'))).toHaveLength(1);
    const local = Template.fromStack(
      fineTuningStack({ trainData: join(EXAMPLES, 'dolly-qa', 'train'), hyperparameters: { instructionTuned: true } }),
    );
    expect(Object.keys(local.findResources('Custom::TrainingDatasetCheck'))).toHaveLength(0);
    const jumpStartDefault = Template.fromStack(fineTuningStack());
    expect(Object.keys(jumpStartDefault.findResources('Custom::TrainingDatasetCheck'))).toHaveLength(0);
    expect(() => fineTuningStack({ existingTrainingJobName: 'earlier', skipDatasetCheck: true })).toThrow(
      /but skipDatasetCheck is given/,
    );
  });
});
