import { join } from 'node:path';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { EXAMPLES, fineTuningStack } from '../support/stacks';

const BROKEN = join(__dirname, '..', 'fixtures', 'broken-datasets');

describe('training data in the stack', () => {
  test('a local folder is checked, uploaded encrypted under a content-hashed prefix, and the training channel points at it', () => {
    const stack = fineTuningStack({
      trainData: join(EXAMPLES, 'dolly-qa', 'train'),
      hyperparameters: { instructionTuned: true, maxInputLength: 256 },
    });
    const template = Template.fromStack(stack);
    const [uploadId, upload] = Object.entries(template.findResources('Custom::CDKBucketDeployment'))[0];
    expect(upload.Properties).toMatchObject({
      DestinationBucketKeyPrefix: expect.stringMatching(/^training\/[0-9a-f]{16}\/$/),
      Prune: false,
      RetainOnDelete: true,
      SystemMetadata: { sse: 'aws:kms', 'sse-kms-key-id': expect.anything() },
    });
    const job = Object.values(template.findResources('Custom::SageMakerTrainingJob'))[0];
    expect(JSON.stringify(job.Properties.TrainingDataUri)).toContain(upload.Properties.DestinationBucketKeyPrefix);
    expect(JSON.stringify(job.Properties.TrainingDataUri)).toContain('BucketsData');
    expect(job.DependsOn).toContain(uploadId);
  });

  test("the same folder in another mode is checked against that mode's format", () => {
    expect(() => fineTuningStack({ trainData: join(EXAMPLES, 'dolly-qa', 'train') })).toThrow(
      /trainData ".*dolly-qa\/train" is not valid domain-adaptation data \(1 error\(s\)\):\n.*holds 2 files \(template.json, train.jsonl\)/,
    );
  });

  test('a broken local dataset stops synth with every problem by file and line', () => {
    expect(() =>
      fineTuningStack({
        trainData: join(BROKEN, 'it-errors-in-two-files', 'data'),
        hyperparameters: { instructionTuned: true },
      }),
    ).toThrow(
      /is not valid instruction data \(2 error\(s\)\):\n\s+a.jsonl:1: error: lacks "response".*\n\s+b.jsonl:2: error: is string, not a JSON object/,
    );
    expect(() =>
      fineTuningStack({
        validationData: join(BROKEN, 'chat-wrong-order', 'data'),
        hyperparameters: { chatDataset: true },
        trainData: 's3://data-bucket/t/',
      }),
    ).toThrow(/validationData ".*" is not valid chat data/);
  });

  test('a path that is neither an S3 URI nor a directory is refused', () => {
    expect(() => fineTuningStack({ trainData: 'data/missing' })).toThrow(
      /trainData is "data\/missing", which is neither an s3:\/\/ URI nor a local directory/,
    );
  });

  test('the padding warning surfaces as a synth warning', () => {
    const stack = fineTuningStack({
      trainData: join(EXAMPLES, 'dolly-qa', 'train'),
      hyperparameters: { instructionTuned: true, maxInputLength: 2048 },
    });
    Annotations.fromStack(stack).hasWarning('*', Match.stringLikeRegexp('max_input_length is 2048'));
  });

  test('an s3:// URI is used as is, with nothing uploaded', () => {
    const template = Template.fromStack(fineTuningStack({ trainData: 's3://shared/llama/train/' }));
    template.resourceCountIs('Custom::CDKBucketDeployment', 0);
    template.hasResourceProperties('Custom::SageMakerTrainingJob', { TrainingDataUri: 's3://shared/llama/train/' });
  });

  test("with no data, the walkthrough's SEC-filings dataset of the region", () => {
    const template = Template.fromStack(fineTuningStack());
    template.hasResourceProperties('Custom::SageMakerTrainingJob', {
      TrainingDataUri: {
        'Fn::Join': ['', ['s3://jumpstart-cache-prod-', { Ref: 'AWS::Region' }, '/training-datasets/sec_amazon/']],
      },
    });
  });
});
