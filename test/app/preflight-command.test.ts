/** The preflight command line: what it reads, what it refuses before any request, what it prints and returns. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { preflightCommand } from '../../lib/app/preflight';
import type { CanaryAws } from '../../lib/app/preflight-canary';
import type { CheckResult, PreflightAws } from '../../lib/app/preflight-checks';
import { runCommand } from '../support/run-cli';

const cwd = mkdtempSync(join(tmpdir(), 'preflight-cmd-'));
writeFileSync(
  join(cwd, 'cdk.json'),
  JSON.stringify({ app: 'x', context: { accept_eula: true, endpoint_instance_count: 2 } }),
);

/** A canary stack in which everything the training wait rests on holds, at once. */
function canaryAws(asked: string[]): CanaryAws {
  const url = (id: string) =>
    `https://cloudformation-waitcondition-us-east-1.s3.amazonaws.com/${id}?X-Amz-Expires=86400`;
  const created = ['CREATE_IN_PROGRESS', 'CREATE_COMPLETE'];
  return {
    createStack: async (name) => void asked.push(`canary ${name}`),
    updateStack: async () => undefined,
    waitForStack: async () => 'UPDATE_COMPLETE',
    resourceId: async (_name, id) => url(id),
    resourceStatuses: async () => ({
      SignalRule: created,
      SignalPermission: created,
      EarlyWait: created,
      EventWait: created,
    }),
    signal: async () => undefined,
    putEvent: async () => undefined,
    deleteStack: async (name) => void asked.push(`deleted ${name}`),
  };
}

/** A stand-in account whose quotas are what the default 8B stack needs, and which records that it was asked. */
function account(asked: string[]): PreflightAws {
  return {
    region: 'us-east-1',
    sageMakerQuotas: async () => {
      asked.push('quotas');
      return [
        { name: 'ml.g5.12xlarge for training job usage', code: 'L-T', value: 1 },
        { name: 'ml.g5.12xlarge for endpoint usage', code: 'L-E', value: 1 },
      ];
    },
    stackOutputs: async () => ({ BootstrapVersion: '21' }),
    stackResource: async () => 'exec-role',
    hubContentVersion: async () => '2.4.0',
    listKeys: async (bucket, prefix) => {
      asked.push(`list s3://${bucket}/${prefix}`);
      return ['k'];
    },
    objectKmsKey: async () => undefined,
    isAwsManagedKey: async () => false,
    canary: () => canaryAws(asked),
  };
}

async function run(...args: string[]) {
  return runIn(cwd, ...args);
}

async function runIn(dir: string, ...args: string[]) {
  const asked: string[] = [];
  const result = await runCommand((io) => preflightCommand(args, io, async () => account(asked), dir));
  return { ...result, asked };
}

/** A directory without cdk.json: the configuration is the -c pairs alone. */
const bare = mkdtempSync(join(tmpdir(), 'preflight-bare-'));

/** The checks `preflight --json -c ...` prints for a configuration (the licence accepted). */
async function checks(...pairs: string[]): Promise<CheckResult[]> {
  const args = ['--region', 'us-east-1', '--json', '-c', 'accept_eula=true', ...pairs.flatMap((p) => ['-c', p])];
  const { out, err } = await runIn(bare, ...args);
  expect(err).toBe('');
  return JSON.parse(out).checks;
}

const details = (results: CheckResult[], check: string) =>
  results.filter((r) => r.check === check).map((r) => r.detail);

test("cdk.json's context and the -c pairs make the configuration: two endpoint instances need a quota of 2", async () => {
  const { status, out } = await run('--region', 'us-east-1');
  expect(status).toBe(1);
  expect(out).toContain('FAIL  quota         ml.g5.12xlarge for endpoint usage: 1 (the endpoint needs 2)');
  expect(out).toContain('--quota-code L-E --desired-value 2 --region us-east-1');
  expect(out).toMatch(/\n1 FAIL, 0 WARN, 4 PASS in us-east-1\n$/);
  // A -c pair overrides cdk.json, as for cdk synth: one instance fits.
  const fits = await run('--region', 'us-east-1', '-c', 'endpoint_instance_count=1', '--json');
  expect(fits.status).toBe(0);
  expect(JSON.parse(fits.out).summary).toEqual({ PASS: 5, WARN: 0, FAIL: 0 });
});

test.each([
  [['--region', 'not a region'], /--region is "not a region"; allowed: an AWS Region name such as us-east-1/],
  [['--region', 'us-east-1', '-c', 'accept_eula'], /-c is "accept_eula"; allowed: key=value/],
  [['--region', 'us-east-1', '--regoin', 'x'], /Did you mean --region\?/],
  [['--region', 'us-east-1', '-c', 'instance_type=ml.t3.medium'], /instance_type is "ml.t3.medium"/],
])('%j is a usage error before any request', async (args, message) => {
  const { status, err, asked } = await run(...args);
  expect(status).toBe(2);
  expect(err).toMatch(message);
  expect(asked).toEqual([]);
});

test('a cdk.json that is not JSON is a usage error naming the file, not a stack trace', async () => {
  const broken = mkdtempSync(join(tmpdir(), 'preflight-broken-'));
  writeFileSync(join(broken, 'cdk.json'), '{ "context": ');
  const { status, err } = await runCommand((io) =>
    preflightCommand(['--region', 'us-east-1'], io, async () => account([]), broken),
  );
  expect(status).toBe(2);
  expect(err).toMatch(/cdk\.json is not valid JSON \(.*\)\. Fix: correct it/);
});

test('no region anywhere is a usage error that says how to give one', async () => {
  const saved = [process.env.AWS_REGION, process.env.AWS_DEFAULT_REGION];
  delete process.env.AWS_REGION;
  delete process.env.AWS_DEFAULT_REGION;
  try {
    const { status, err } = await run();
    expect(status).toBe(2);
    expect(err).toMatch(/No region: give --region \(e\.g\. --region us-east-1\) or set AWS_REGION\./);
  } finally {
    // Assigning undefined to process.env would store the string "undefined".
    if (saved[0] !== undefined) process.env.AWS_REGION = saved[0];
    if (saved[1] !== undefined) process.env.AWS_DEFAULT_REGION = saved[1];
  }
});

test('without cdk.json the -c pairs are the configuration, and the default 8B stack needs one instance of each', async () => {
  const results = await checks();
  expect(details(results, 'quota')).toEqual([
    'ml.g5.12xlarge for training job usage: 1 (training needs 1)',
    'ml.g5.12xlarge for endpoint usage: 1 (the endpoint needs 1)',
  ]);
  expect(details(results, 'data')).toEqual(["train_data: the model's default JumpStart dataset"]);
  expect(results.map((r) => r.check)).toEqual(['quota', 'quota', 'bootstrap', 'model access', 'data']);
});

test('each fallback type needs the training quota too', async () => {
  const results = await checks('fallback_instance_types=ml.g5.24xlarge,ml.g5.48xlarge');
  expect(details(results, 'quota').slice(0, 3)).toEqual([
    'ml.g5.12xlarge for training job usage: 1 (training needs 1)',
    'no quota "ml.g5.24xlarge for training job usage" in us-east-1 (fallback 1 needs 1): the type may not be offered there',
    'no quota "ml.g5.48xlarge for training job usage" in us-east-1 (fallback 2 needs 1): the type may not be offered there',
  ]);
});

test.each([
  [['endpoint_instance_count=3'], 'ml.g5.12xlarge for endpoint usage: 1 (the endpoint needs 3)'],
  // Autoscaling may reach its most instances.
  [
    ['endpoint_instance_count=2', 'endpoint_max_instances=4'],
    'ml.g5.12xlarge for endpoint usage: 1 (the endpoint needs 4)',
  ],
  [['scale_to_zero=true'], 'ml.g5.12xlarge for endpoint usage: 1 (the endpoint needs 1)'],
  [['scale_to_zero=true', 'endpoint_max_instances=2'], 'ml.g5.12xlarge for endpoint usage: 1 (the endpoint needs 2)'],
  [
    ['deploy_base_endpoint=true', 'endpoint_instance_count=2'],
    'ml.g5.12xlarge for endpoint usage: 1 (the endpoint and the base endpoint needs 4)',
  ],
  [
    ['endpoint_instance_type=ml.g5.2xlarge'],
    'no quota "ml.g5.2xlarge for endpoint usage" in us-east-1 (the endpoint needs 1): the type may not be offered there',
  ],
])('%j: the hosting quota asked is %s', async (pairs, detail) => {
  expect(details(await checks(...pairs), 'quota')[1]).toBe(detail);
});

test.each([
  [['deploy_endpoint=false']],
  // The deploy ends once the job has started: nothing is served.
  [['wait_for_training=false']],
])('%j: no endpoint, so no hosting quota', async (pairs) => {
  expect(details(await checks(...pairs), 'quota')).toEqual([
    'ml.g5.12xlarge for training job usage: 1 (training needs 1)',
  ]);
});

test.each([
  ['training_job_name=llama3-ft-earlier'],
  ['model_data=s3://team-models/llama/model.tar.gz'],
  ['model_package_arn=arn:aws:sagemaker:us-east-1:123456789012:model-package/llama3/3'],
])('%s serves an existing model: no training quota and no data are checked', async (pair) => {
  const results = await checks(pair);
  expect(details(results, 'quota')).toEqual(['ml.g5.12xlarge for endpoint usage: 1 (the endpoint needs 1)']);
  expect(details(results, 'data')).toEqual([]);
});

test('s3:// data is read from the account; a local directory is left to synth; no validation_data, no line', async () => {
  const { out, asked } = await runIn(
    bare,
    ...['--region', 'us-east-1', '--json', '-c', 'accept_eula=true'],
    ...['-c', 'train_data=s3://team-data/train/', '-c', 'validation_data=data/validation'],
  );
  expect(details(JSON.parse(out).checks, 'data')).toEqual([
    'train_data s3://team-data/train/: 1 object, readable, not KMS-encrypted',
    'validation_data data/validation: a local directory, checked at synth',
  ]);
  expect(asked.filter((a) => a.startsWith('list'))).toEqual(['list s3://team-data/train/']);
  const local = await checks('train_data=data/train');
  expect(details(local, 'data')).toEqual(['train_data data/train: a local directory, checked at synth']);
});

test('the licence not accepted fails the model access check, with the key to set', async () => {
  const results = await checks('accept_eula=false');
  expect(results.find((r) => r.check === 'model access')).toMatchObject({
    status: 'FAIL',
    fix: 'read the licence, then -c accept_eula=true',
  });
});

test('the text output: one line a check, a fix line under each that has one, the counts last', async () => {
  const { out } = await run('--region', 'us-east-1');
  expect(out.split('\n')).toEqual([
    'PASS  quota         ml.g5.12xlarge for training job usage: 1 (training needs 1)',
    'FAIL  quota         ml.g5.12xlarge for endpoint usage: 1 (the endpoint needs 2)',
    '                    fix: request an increase: aws service-quotas request-service-quota-increase --service-code sagemaker --quota-code L-E --desired-value 2 --region us-east-1',
    'PASS  bootstrap     CDKToolkit is bootstrap version 21; CloudFormation deploys with its execution role exec-role',
    expect.stringMatching(
      /^PASS {2}model access {2}meta-textgeneration-llama-3-8b 2\.4\.0 is in SageMakerPublicHub in us-east-1; /,
    ),
    "PASS  data          train_data: the model's default JumpStart dataset",
    '',
    '1 FAIL, 0 WARN, 4 PASS in us-east-1',
    '',
  ]);
});

test('--canary runs the canary stack after the checks, says so on stderr, and deletes it', async () => {
  const { status, out, err, asked } = await runIn(bare, '--region', 'us-east-1', '-c', 'accept_eula=true', '--canary');
  expect(status).toBe(0);
  expect(err).toBe('Running the canary stack (a few minutes; it deletes itself)...\n');
  expect(out.match(/^PASS {2}canary .*$/gm)).toHaveLength(3);
  expect(asked.filter((a) => a.includes('canary'))).toEqual([
    expect.stringMatching(/^canary llama3-ft-preflight-canary-[0-9a-f]{6}$/),
    expect.stringMatching(/^deleted llama3-ft-preflight-canary-[0-9a-f]{6}$/),
  ]);
  // With --json, stderr stays quiet and the canary's results are among the checks.
  const json = await runIn(bare, '--region', 'us-east-1', '-c', 'accept_eula=true', '--canary', '--json');
  expect(json.err).toBe('');
  expect(JSON.parse(json.out).summary).toEqual({ PASS: 8, WARN: 0, FAIL: 0 });
  // Without --canary nothing is created.
  expect((await runIn(bare, '--region', 'us-east-1', '-c', 'accept_eula=true')).asked).not.toContainEqual(
    expect.stringMatching(/^canary /),
  );
});

describe('a region from the environment', () => {
  const saved = { AWS_REGION: process.env.AWS_REGION, AWS_DEFAULT_REGION: process.env.AWS_DEFAULT_REGION };
  afterEach(() => {
    for (const [name, value] of Object.entries(saved)) {
      // Assigning undefined to process.env would store the string "undefined".
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  test('is used when --region is not given', async () => {
    process.env.AWS_REGION = 'eu-west-1';
    const { out } = await runIn(bare, '-c', 'accept_eula=true');
    expect(out).toMatch(/ in eu-west-1\n$/);
  });

  test.each([
    [
      { AWS_REGION: 'Ireland' },
      /^AWS_REGION is "Ireland"; allowed: an AWS Region name such as us-east-1\. Fix: correct it, or give --region us-east-1\./m,
    ],
    [{ AWS_DEFAULT_REGION: 'eu west 1' }, /^AWS_DEFAULT_REGION is "eu west 1"; allowed: an AWS Region name/m],
  ])('%j that is not a region is a usage error naming the variable', async (env, message) => {
    delete process.env.AWS_REGION;
    delete process.env.AWS_DEFAULT_REGION;
    Object.assign(process.env, env);
    const { status, err, asked } = await runIn(bare, '-c', 'accept_eula=true');
    expect(status).toBe(2);
    expect(err).toMatch(message);
    expect(asked).toEqual([]);
  });
});
