/**
 * The deploy-time dataset check, as CloudFormation calls it, against moto_server's S3 and KMS:
 * the corpus of broken datasets uploaded as objects fails with the messages the local check
 * gives (file names become s3:// URIs), good datasets pass with their real sample count, and
 * an estimate that the count makes overrun the maximum runtime fails before any GPU starts.
 */
import { lstatSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { DatasetFormat, DatasetValidator } from '../../lib/datasets/dataset-validator';
import { MotoServer } from '../support/moto';
import { ResponseRecorder } from '../support/response-recorder';

const FIXTURES = join(__dirname, '..', 'fixtures', 'broken-datasets');
const EXAMPLES = join(__dirname, '..', '..', 'examples', 'datasets');
const moto = new MotoServer();
const responses = new ResponseRecorder();
let responseUrl: string;
let check: typeof import('../../lib/handlers/validate-dataset');
let s3sdk: typeof import('@aws-sdk/client-s3');
let s3: import('@aws-sdk/client-s3').S3Client;

beforeAll(async () => {
  await moto.start();
  moto.useForSdk();
  responseUrl = await responses.start();
  s3sdk = await import('@aws-sdk/client-s3');
  check = await import('../../lib/handlers/validate-dataset');
  s3 = new s3sdk.S3Client({});
  await s3.send(new s3sdk.CreateBucketCommand({ Bucket: 'team-data' }));
}, 60_000);
afterAll(async () => {
  await responses.stop();
  await moto.stop();
});

/** Files under a directory, as keys relative to it; links to nothing cannot be uploaded (S3 has no links). */
function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => lstatSync(join(dir, f)).isFile())
    .map((f) => relative(dir, join(dir, f)).split('\\').join('/'));
}

async function upload(dir: string, prefix: string, extra: Record<string, string> = {}): Promise<string> {
  for (const file of files(dir)) {
    await s3.send(
      new s3sdk.PutObjectCommand({
        Bucket: 'team-data',
        Key: `${prefix}${file}`,
        Body: readFileSync(join(dir, file)),
        ...extra,
      }),
    );
  }
  return `s3://team-data/${prefix}`;
}

let requests = 0;
async function run(properties: Record<string, unknown>) {
  await check.handler({
    RequestType: 'Create',
    ResponseURL: responseUrl,
    StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/Dev/1111',
    RequestId: `r${++requests}`,
    LogicalResourceId: 'FineTuningJobDatasetCheck',
    ResourceType: 'Custom::TrainingDatasetCheck',
    ResourceProperties: { MaxInputLength: '-1', MaxCheckedBytes: String(4 << 30), ...properties } as never,
  });
  return responses.bodies.at(-1);
}

const cases = readdirSync(FIXTURES)
  .sort()
  .filter((name) => name !== 'da-dangling-link' && name !== 'da-no-file');

test.each(cases)('%s, uploaded to S3, fails the deploy with the local messages by object and line', async (name) => {
  const { format } = JSON.parse(readFileSync(join(FIXTURES, name, 'case.json'), 'utf8'));
  const dir = join(FIXTURES, name, 'data');
  const uri = await upload(dir, `corpus/${name}/`);
  const response = await run({ TrainingDataUri: uri, Format: format });
  expect(response.Status).toBe('FAILED');
  // The same first error as the local check, its file now the object's URI.
  const local = DatasetValidator.validateDirectory(dir, { format }).problems.filter((p) => p.severity === 'error');
  const first = local[0];
  const expected = DatasetValidator.formatProblem({ ...first, file: first.file === dir ? uri : `${uri}${first.file}` });
  expect(response.Reason).toContain(expected);
  // And every message, warnings too, is the local one.
  const { validateS3Dataset } = await import('../../lib/datasets/s3-dataset');
  const access = {
    client: s3,
    ListObjectsV2Command: s3sdk.ListObjectsV2Command,
    GetObjectCommand: s3sdk.GetObjectCommand,
  };
  const { report } = await validateS3Dataset(access, uri, { format }, { maxBytes: 1 << 30 });
  const all = DatasetValidator.validateDirectory(dir, { format }).problems;
  expect(report.problems).toEqual(all.map((p) => ({ ...p, file: p.file === dir ? uri : `${uri}${p.file}` })));
  expect(response.Reason).toMatch(
    new RegExp(`^The dataset is not valid ${format} data \\(${local.length} error\\(s\\)\\)`),
  );
});

test('an empty prefix fails with what to do; so does a bucket that does not exist', async () => {
  expect(await run({ TrainingDataUri: 's3://team-data/nothing-here/', Format: 'domain-adaptation' })).toMatchObject({
    Status: 'FAILED',
    Reason:
      's3://team-data/nothing-here/ holds no objects. Fix: upload the dataset there, or correct the prefix (it must end in "/").',
  });
  expect(await run({ TrainingDataUri: 's3://no-such-bucket-here/train/', Format: 'chat' })).toMatchObject({
    Status: 'FAILED',
    Reason: 'the bucket of s3://no-such-bucket-here/train/ does not exist. Fix: check the bucket name.',
  });
});

test('good datasets pass, KMS-encrypted ones too, and the real sample count is returned', async () => {
  const kms = await import('@aws-sdk/client-kms');
  const { KeyMetadata } = await new kms.KMSClient({}).send(new kms.CreateKeyCommand({}));
  const train = await upload(join(EXAMPLES, 'dolly-qa', 'train'), 'encrypted/dolly/', {
    ServerSideEncryption: 'aws:kms',
    SSEKMSKeyId: KeyMetadata!.KeyId!,
  } as never);
  const validation = await upload(join(EXAMPLES, 'dialogsum', 'train'), 'plain/dialogsum/');
  const local = DatasetValidator.validateDirectory(join(EXAMPLES, 'dolly-qa', 'train'), {
    format: DatasetFormat.INSTRUCTION,
  });
  const response = await run({
    TrainingDataUri: train,
    ValidationDataUri: validation,
    Format: 'instruction',
    MaxInputLength: '256',
  });
  expect(response).toMatchObject({ Status: 'SUCCESS', Data: { SampleCount: String(local.records) } });
  expect(response.Reason).toContain(`${train}: `);
});

test('with the real count, an estimate over the maximum runtime fails the deploy with the changes that fit', async () => {
  const uri = await upload(join(EXAMPLES, 'dolly-qa', 'train'), 'estimate/dolly/');
  const samples = DatasetValidator.validateDirectory(join(EXAMPLES, 'dolly-qa', 'train'), {
    format: DatasetFormat.INSTRUCTION,
  }).records;
  const { resolveTrainingConfiguration } = await import('../../lib/config/training-configuration');
  const config = resolveTrainingConfiguration({
    modelId: 'meta-textgeneration-llama-3-70b',
    hyperparameters: { instructionTuned: true },
  });
  const estimate = (minutes: number) => ({
    ModelId: config.model.modelId,
    InstanceTypes: ['ml.g5.48xlarge'],
    InstanceCount: '1',
    Hyperparameters: JSON.stringify(config.hyperparameters),
    MaxRuntimeMinutes: String(minutes),
    LongestRuntimeMinutes: String(28 * 24 * 60),
  });
  // The walkthrough's 70B timing: 461 minutes for 3 epochs of 1188 samples; 5 epochs of `samples` scale from it.
  // Refused only when even the range's optimistic end (the largest leave-one-out overestimate off) is too long.
  const minutes = ((461 * 5) / 3) * (samples / 1188);
  const { leaveOneOutErrors } = await import('../../lib/estimates/runtime-model');
  const optimistic = minutes / (1 + Math.max(...leaveOneOutErrors().map((e) => e.error)));
  const passes = await run({
    TrainingDataUri: uri,
    Format: 'instruction',
    Estimate: estimate(Math.ceil(optimistic) + 1),
  });
  expect(passes.Status).toBe('SUCCESS');
  const fails = await run({
    TrainingDataUri: uri,
    Format: 'instruction',
    Estimate: estimate(Math.floor(optimistic) - 1),
  });
  expect(fails.Status).toBe('FAILED');
  expect(fails.Reason).toMatch(
    new RegExp(
      `^With the ${samples} samples found in ${uri}, the training estimate for meta-textgeneration-llama-3-70b on ml.g5.48xlarge is about ${Math.round(minutes)} minutes .* ${samples} samples in the dataset\\), and even its optimistic end is longer than maxRuntime`,
    ),
  );
  expect(fails.Reason).toContain('Fix: ');
});

test('with the real count, a budget the optimistic cost is over fails the deploy with the figures', async () => {
  const dir = join(EXAMPLES, 'dolly-qa', 'train');
  const uri = await upload(dir, 'budget/dolly/');
  const samples = DatasetValidator.validateDirectory(dir, { format: DatasetFormat.INSTRUCTION }).records;
  const { resolveTrainingConfiguration } = await import('../../lib/config/training-configuration');
  const { leaveOneOutErrors } = await import('../../lib/estimates/runtime-model');
  const config = resolveTrainingConfiguration({
    modelId: 'meta-textgeneration-llama-3-70b',
    hyperparameters: { instructionTuned: true },
  });
  const budget = (usd: number) => ({
    ModelId: config.model.modelId,
    InstanceTypes: ['ml.g5.48xlarge'],
    InstanceCount: '1',
    Hyperparameters: JSON.stringify(config.hyperparameters),
    MaxBudgetUsd: String(usd),
    BudgetEndpoints: JSON.stringify([{ instanceType: 'ml.p4d.24xlarge', instanceCount: 1 }]),
  });
  // 461 min x 5/3 epochs x samples/1188 on ml.g5.48xlarge ($20.36/h), plus a day of ml.p4d.24xlarge ($37.69/h).
  const minutes = ((461 * 5) / 3) * (samples / 1188);
  const hosting = 37.69 * 24;
  const optimistic = (minutes / (1 + Math.max(...leaveOneOutErrors().map((e) => e.error))) / 60) * 20.36 + hosting;
  const passes = await run({
    TrainingDataUri: uri,
    Format: 'instruction',
    Estimate: budget(Math.ceil(optimistic) + 1),
  });
  expect(passes.Status).toBe('SUCCESS');
  const fails = await run({
    TrainingDataUri: uri,
    Format: 'instruction',
    Estimate: budget(Math.floor(optimistic) - 1),
  });
  expect(fails.Status).toBe('FAILED');
  expect(fails.Reason).toContain(
    `With the ${samples} samples found in ${uri}, training meta-textgeneration-llama-3-70b`,
  );
  expect(fails.Reason).toContain(`(ml.p4d.24xlarge x1, $${hosting.toFixed(2)})`);
  expect(fails.Reason).toMatch(/even its optimistic end is over maxBudgetUsd of \$\d+\.00\. Fix: /);
});

test('a prefix over the limit is sampled: the first bytes of each object, cut at the last whole line, and said so', async () => {
  const line = JSON.stringify({ instruction: 'Say hi', context: 'greeting', response: 'hi' });
  const body = `${Array.from({ length: 40_000 }, () => line).join('\n')}\n`; // about 2.6 MiB
  await s3.send(new s3sdk.PutObjectCommand({ Bucket: 'team-data', Key: 'big/train.jsonl', Body: body }));
  const response = await run({
    TrainingDataUri: 's3://team-data/big/',
    Format: 'instruction',
    MaxCheckedBytes: String(1 << 20),
  });
  expect(response.Status).toBe('SUCCESS');
  expect(response.Reason).toMatch(/sampled: the first 1 MiB of each object \(\d+ of \d+ bytes\)/);
  // Extrapolated from the lines of the sample to the whole object.
  expect(Math.abs(Number(response.Data.SampleCount) - 40_000)).toBeLessThan(100);
});
