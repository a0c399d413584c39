/** The preflight command line: what it reads, what it refuses before any request, what it prints and returns. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { preflightCommand } from '../../lib/app/preflight';
import type { PreflightAws } from '../../lib/app/preflight-checks';
import { runCommand } from '../support/run-cli';

const cwd = mkdtempSync(join(tmpdir(), 'preflight-cmd-'));
writeFileSync(
  join(cwd, 'cdk.json'),
  JSON.stringify({ app: 'x', context: { accept_eula: true, endpoint_instance_count: 2 } }),
);

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
    listKeys: async () => ['k'],
    objectKmsKey: async () => undefined,
    isAwsManagedKey: async () => false,
    canary: () => {
      throw new Error('not in this test');
    },
  };
}

async function run(...args: string[]) {
  const asked: string[] = [];
  const result = await runCommand((io) => preflightCommand(args, io, async () => account(asked), cwd));
  return { ...result, asked };
}

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
