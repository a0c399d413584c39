/**
 * The deploy-time dataset check as CloudFormation calls it, against an in-memory S3: what the
 * stack event says when the data is broken (the first problems, and where the rest are), the
 * sample count it returns, and the runtime and budget checked with that count. The moto test
 * (validate-dataset.moto.test.ts) runs the same handler against a real S3 API.
 */
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { resolveTrainingConfiguration } from '../../lib/config/training-configuration';
import { checkBudget } from '../../lib/estimates/budget';
import { checkRuntime } from '../../lib/estimates/runtime-fit';
import { handler } from '../../lib/handlers/validate-dataset';
import { FakeS3 } from '../support/fake-s3';
import { ResponseRecorder } from '../support/response-recorder';

const responses = new ResponseRecorder();
let responseUrl: string;
let s3: FakeS3;
const sdk = mockClient(S3Client);

beforeAll(async () => {
  responseUrl = await responses.start();
});
afterAll(() => responses.stop());
beforeEach(() => {
  s3 = new FakeS3();
  sdk.reset();
  sdk.on(ListObjectsV2Command).callsFake((input) => s3.list(input));
  sdk.on(GetObjectCommand).callsFake((input) => s3.get(input));
});

// Lines of one length, so a sample's count scales to the whole prefix exactly.
const line = (i: number) =>
  `${JSON.stringify({ instruction: `Question ${String(i).padStart(6, '0')}?`, context: '', response: 'Yes.' })}\n`;
const lines = (count: number) => Array.from({ length: count }, (_, i) => line(i)).join('');

async function run(properties: Record<string, unknown>, request: Record<string, unknown> = {}) {
  await handler({
    RequestType: 'Create',
    ResponseURL: responseUrl,
    StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/Dev/1111',
    RequestId: 'r1',
    LogicalResourceId: 'FineTuningJobDatasetCheck',
    ResourceType: 'Custom::TrainingDatasetCheck',
    ResourceProperties: {
      Format: 'instruction',
      MaxInputLength: '-1',
      MaxCheckedBytes: String(1 << 30),
      ...properties,
    } as never,
    ...request,
  });
  return responses.bodies.at(-1);
}

/** The function's log lines while `body` runs (what an operator reads in CloudWatch). */
async function logOf(body: () => Promise<unknown>): Promise<string[]> {
  const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  try {
    await body();
    return log.mock.calls.map(([line]) => String(line));
  } finally {
    log.mockRestore();
  }
}

test('good data passes with its sample count, the validation channel checked too', async () => {
  s3.put('team', 'train/a.jsonl', lines(7)).put('team', 'valid/a.jsonl', lines(2));
  let response: any;
  const log = await logOf(async () => {
    response = await run({ TrainingDataUri: 's3://team/train/', ValidationDataUri: 's3://team/valid/' });
  });
  const summary = 's3://team/train/: 1 object(s), 7 sample(s); s3://team/valid/: 1 object(s), 2 sample(s)';
  expect(log.at(-1)).toBe(JSON.stringify({ checked: summary, samples: 7 }));
  expect(response).toMatchObject({
    Status: 'SUCCESS',
    PhysicalResourceId: 'dataset-check-r1',
    Data: { SampleCount: '7', CheckedBytes: String(lines(7).length) },
    Reason: 'Dataset checked: s3://team/train/: 1 object(s), 7 sample(s); s3://team/valid/: 1 object(s), 2 sample(s)',
  });
});

test('broken data fails the deploy with its first five errors and where to find the rest', async () => {
  s3.put('team', 'train/a.jsonl', `${line(0)}${'not json\n'.repeat(6)}`);
  let response: any;
  const log = await logOf(async () => {
    response = await run({ TrainingDataUri: 's3://team/train/' });
  });
  // Every problem is in the log, the sixth too.
  expect(log.filter((l) => l.startsWith('s3://team/train/a.jsonl:'))).toHaveLength(6);
  expect(log).toContainEqual(expect.stringMatching(/^s3:\/\/team\/train\/a\.jsonl:7: error: /));
  expect(response.Status).toBe('FAILED');
  expect(response.Reason).toMatch(
    /^The dataset is not valid instruction data \(6 error\(s\)\): s3:\/\/team\/train\/a\.jsonl:2: error: /,
  );
  expect(response.Reason.split(' | s3://team/train/a.jsonl:')).toHaveLength(5);
  expect(response.Reason).toContain(':6: error: ');
  expect(response.Reason).not.toContain(':7: error: ');
  expect(response.Reason).toMatch(
    / \| \.\.\. all of them in this function's log, or with npx llama3-ft validate-data s3:\/\/team\/train\/ --mode instruction$/,
  );
});

test('five errors or fewer are all in the event, with nothing said of a log', async () => {
  s3.put('team', 'train/a.jsonl', `${line(0)}${'not json\n'.repeat(5)}`);
  const response = await run({ TrainingDataUri: 's3://team/train/' });
  expect(response.Reason).toMatch(/\(5 error\(s\)\)/);
  expect(response.Reason).toContain(':6: error: ');
  expect(response.Reason).not.toContain('all of them');
});

test("errors in the validation channel fail it too, named by the channel's objects", async () => {
  s3.put('team', 'train/a.jsonl', lines(3)).put('team', 'valid/a.jsonl', 'not json\n');
  const response = await run({ TrainingDataUri: 's3://team/train/', ValidationDataUri: 's3://team/valid/' });
  expect(response.Status).toBe('FAILED');
  expect(response.Reason).toMatch(/\(1 error\(s\)\): s3:\/\/team\/valid\/a\.jsonl:1: error: /);
});

test('a sampled prefix counts its samples in proportion to the bytes it did not read, and says it sampled', async () => {
  s3.put('team', 'big/a.jsonl', lines(30_000)); // about 2 MiB
  const response = await run({ TrainingDataUri: 's3://team/big/', MaxCheckedBytes: String(1 << 20) });
  expect(response.Status).toBe('SUCCESS');
  expect(response.Reason).toMatch(/^Dataset checked: s3:\/\/team\/big\/: 1 object\(s\), \d+ sample\(s\), sampled: /);
  expect(response.Reason).toContain(`sampled: the first 1 MiB of each object (`);
  expect(response.Reason).toContain(` of ${lines(30_000).length} bytes)`);
  expect(Math.abs(Number(response.Data.SampleCount) - 30_000)).toBeLessThan(2);
  expect(Number(response.Data.CheckedBytes)).toBeLessThanOrEqual(1 << 20);
});

test('a delete removes nothing and reads nothing; an update keeps its resource', async () => {
  const deleted = await run({ TrainingDataUri: 's3://team/none/' }, { RequestType: 'Delete', PhysicalResourceId: 'p' });
  expect(deleted).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'p' });
  expect(s3.requests).toEqual([]);
  s3.put('team', 'train/a.jsonl', lines(1));
  const updated = await run(
    { TrainingDataUri: 's3://team/train/' },
    { RequestType: 'Update', PhysicalResourceId: 'p' },
  );
  expect(updated).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'p' });
});

describe('the estimates, with the real sample count', () => {
  const config = resolveTrainingConfiguration({
    modelId: 'meta-textgeneration-llama-3-70b',
    hyperparameters: { instructionTuned: true },
  });
  const estimate = (extra: Record<string, string>) => ({
    ModelId: config.model.modelId,
    InstanceTypes: ['ml.g5.48xlarge'],
    InstanceCount: '1',
    Hyperparameters: JSON.stringify(config.hyperparameters),
    ...extra,
  });
  const samples = 3000;

  test('a runtime even the optimistic end overruns fails the deploy with the count and the fixes', async () => {
    s3.put('team', 'train/a.jsonl', lines(samples));
    const refused = checkRuntime(config, 60, 28 * 24 * 60, samples).problem!;
    const response = await run({
      TrainingDataUri: 's3://team/train/',
      Estimate: estimate({ MaxRuntimeMinutes: '60', LongestRuntimeMinutes: String(28 * 24 * 60) }),
    });
    expect(response).toMatchObject({
      Status: 'FAILED',
      Reason: `With the ${samples} samples found in s3://team/train/, ${refused}`,
    });
    // The same estimate with room to spare passes, with no warning in the log.
    let fits: any;
    const log = await logOf(async () => {
      fits = await run({
        TrainingDataUri: 's3://team/train/',
        Estimate: estimate({ MaxRuntimeMinutes: String(28 * 24 * 60), LongestRuntimeMinutes: String(28 * 24 * 60) }),
      });
    });
    expect(fits.Status).toBe('SUCCESS');
    expect(log.filter((l) => l.startsWith('warning:'))).toEqual([]);
  });

  test('a budget even the optimistic cost is over fails it; without a maximum runtime the runtime is not checked', async () => {
    s3.put('team', 'train/a.jsonl', lines(samples));
    const endpoints = [{ instanceType: 'ml.g5.12xlarge', instanceCount: 1 }];
    const refused = checkBudget(config, 100, endpoints, samples).problem!;
    const response = await run({
      TrainingDataUri: 's3://team/train/',
      Estimate: estimate({ MaxBudgetUsd: '100', BudgetEndpoints: JSON.stringify(endpoints) }),
    });
    expect(response.Reason).toBe(`With the ${samples} samples found in s3://team/train/, ${refused}`);
    let fits: any;
    const log = await logOf(async () => {
      fits = await run({
        TrainingDataUri: 's3://team/train/',
        Estimate: estimate({ MaxBudgetUsd: '100000', BudgetEndpoints: JSON.stringify(endpoints) }),
      });
    });
    expect(fits.Status).toBe('SUCCESS');
    expect(log.filter((l) => l.startsWith('warning:'))).toEqual([]);
  });

  test('a budget only the pessimistic cost is over is logged as a warning, and the deploy goes on', async () => {
    s3.put('team', 'train/a.jsonl', lines(samples));
    let usd = 1;
    while (!checkBudget(config, usd, [], samples).warning) usd *= 1.02;
    const { warning } = checkBudget(config, usd, [], samples);
    let response: any;
    const log = await logOf(async () => {
      response = await run({
        TrainingDataUri: 's3://team/train/',
        Estimate: estimate({ MaxBudgetUsd: String(usd), BudgetEndpoints: '[]' }),
      });
    });
    expect(response.Status).toBe('SUCCESS');
    expect(log).toContain(`warning: ${warning}`);
  });

  test('each instance type the job may run on is checked, and the problems of all of them are told', async () => {
    s3.put('team', 'train/a.jsonl', lines(samples));
    const types = ['ml.g5.48xlarge', 'ml.p4d.24xlarge'];
    const problems = types.map(
      (instanceType) => checkRuntime({ ...config, instanceType }, 30, 28 * 24 * 60, samples).problem,
    );
    const response = await run({
      TrainingDataUri: 's3://team/train/',
      Estimate: {
        ...estimate({ MaxRuntimeMinutes: '30', LongestRuntimeMinutes: String(28 * 24 * 60) }),
        InstanceTypes: types,
      },
    });
    // Both told, the second cut where CloudFormation stops showing a reason (1,000 characters).
    const told = `With the ${samples} samples found in s3://team/train/, ${problems.join(' ')}`;
    expect(response.Reason).toBe(`${told.slice(0, 997)}...`);
    expect(response.Reason).toContain(' the training estimate for meta-textgeneration-llama-3-70b on ml.p4d.24xlarge ');
  });

  test('a warning only (the pessimistic end over) is logged, and the deploy goes on', async () => {
    s3.put('team', 'train/a.jsonl', lines(samples));
    let minutes = 1;
    while (!checkRuntime(config, minutes, 28 * 24 * 60, samples).warning) minutes *= 1.05;
    const max = String(Math.ceil(minutes));
    const { warning } = checkRuntime(config, Number(max), 28 * 24 * 60, samples);
    expect(warning).toBeDefined();
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    const response = await run({
      TrainingDataUri: 's3://team/train/',
      Estimate: estimate({ MaxRuntimeMinutes: max, LongestRuntimeMinutes: String(28 * 24 * 60) }),
    });
    expect(response.Status).toBe('SUCCESS');
    expect(log).toHaveBeenCalledWith(`warning: ${warning}`);
    log.mockRestore();
  });
});
