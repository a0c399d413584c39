/**
 * `llama3-ft validate-data s3://...` as a user runs it (the real bin, a child process) against
 * moto_server's S3: the same output and exit codes as for the folder the objects came from,
 * and clear errors for a bucket that does not exist, an empty prefix, no credentials, and
 * access denied.
 */
import { spawnSync } from 'node:child_process';
import { lstatSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { DatasetLocationError, validateS3Dataset } from '../../lib/datasets/s3-dataset';
import { MotoServer } from '../support/moto';

const CLI = join(__dirname, '..', '..', 'bin', 'llama3-ft.js');
const FIXTURES = join(__dirname, '..', 'fixtures', 'broken-datasets');
const EXAMPLES = join(__dirname, '..', '..', 'examples', 'datasets');
const moto = new MotoServer();

beforeAll(async () => {
  await moto.start();
  moto.useForSdk();
  const s3 = await import('@aws-sdk/client-s3');
  const client = new s3.S3Client({});
  await client.send(new s3.CreateBucketCommand({ Bucket: 'team-data' }));
  const upload = async (dir: string, prefix: string) => {
    for (const file of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
      if (!lstatSync(join(dir, file)).isFile()) continue;
      const key = `${prefix}${relative(dir, join(dir, file)).split('\\').join('/')}`;
      await client.send(
        new s3.PutObjectCommand({ Bucket: 'team-data', Key: key, Body: readFileSync(join(dir, file)) }),
      );
    }
  };
  await upload(join(FIXTURES, 'it-errors-in-two-files', 'data'), 'broken/');
  await upload(join(EXAMPLES, 'dolly-qa', 'train'), 'good/');
}, 60_000);
afterAll(() => moto.stop());

const run = (args: string[], env: Record<string, string | undefined> = {}) =>
  spawnSync('node', [CLI, 'validate-data', ...args], { encoding: 'utf8', env: { ...process.env, ...env } });

test('a broken S3 dataset prints what the folder prints, objects named by URI, and exits 1', () => {
  const folder = join(FIXTURES, 'it-errors-in-two-files', 'data');
  const local = run([folder, '--mode', 'instruction']);
  const remote = run(['s3://team-data/broken/', '--mode', 'instruction']);
  expect(remote.status).toBe(1);
  expect(local.status).toBe(1);
  expect(remote.stdout).toBe(
    local.stdout
      .split(`${folder}`)
      .join('s3://team-data/broken/')
      .replace(/^(?!s3:)(\S+\.jsonl:)/gm, 's3://team-data/broken/$1'),
  );
  expect(remote.stdout).toContain('s3://team-data/broken/a.jsonl:1: error: lacks "response"');
});

test('instruction data on S3 checked in the default mode is told to pass --mode instruction, as a folder is', () => {
  const folder = join(EXAMPLES, 'dolly-qa', 'train');
  const local = run([folder, '--max-input-length', '256']);
  const remote = run(['s3://team-data/good/', '--max-input-length', '256']);
  expect(local.status).toBe(1);
  expect(remote.status).toBe(1);
  const hint = (out: string) => out.split('\n').find((l) => l.includes('Fix: pass --mode'));
  expect(hint(remote.stdout)).toBe(hint(local.stdout)!.replace(folder, 's3://team-data/good/'));
  expect(hint(remote.stdout)).toContain('it is valid instruction data. Fix: pass --mode instruction');
  // A mode asked for is not second-guessed.
  expect(run(['s3://team-data/broken/', '--mode', 'domain-adaptation']).stdout).not.toContain('Fix: pass --mode');
});

test('a good S3 dataset exits 0 with the summary its folder gets', () => {
  const folder = join(EXAMPLES, 'dolly-qa', 'train');
  const local = run([folder, '--mode', 'instruction', '--max-input-length', '256']);
  const remote = run(['s3://team-data/good', '--mode', 'instruction', '--max-input-length', '256']);
  expect(remote.stderr).not.toContain('llama3-ft');
  expect(remote.status).toBe(0);
  expect(local.stdout).toMatch(/: 2 file\(s\), 10 sample\(s\), 0 error\(s\), 0 warning\(s\)\n$/);
  expect(remote.stdout).toBe(local.stdout.replace(folder, 's3://team-data/good'));
});

test.each([
  [
    ['s3://no-such-bucket-here/data/'],
    {},
    'the bucket of s3://no-such-bucket-here/data/ does not exist. Fix: check the bucket name.',
  ],
  [['s3://team-data/empty/'], {}, 's3://team-data/empty/ holds no objects. Fix: upload the dataset there'],
  [
    ['s3://team-data/good/'],
    {
      AWS_ACCESS_KEY_ID: undefined,
      AWS_SECRET_ACCESS_KEY: undefined,
      AWS_PROFILE: 'nobody',
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      AWS_EC2_METADATA_DISABLED: 'true',
    },
    'no AWS credentials found to read s3://team-data/good/. Fix: sign in (aws sso login, aws configure) or set AWS_PROFILE.',
  ],
])('%j exits 1 with a clear error', (args, env, message) => {
  const result = run(args, env);
  expect(result.status).toBe(1);
  expect(result.stderr).toContain(`llama3-ft validate-data: ${message}`);
  expect(result.stdout).toBe('');
});

test('access denied says which permissions are missing', async () => {
  const denied = Object.assign(new Error('Access Denied'), {
    name: 'AccessDenied',
    $metadata: { httpStatusCode: 403 },
  });
  const client = { send: () => Promise.reject(denied) } as never;
  await expect(
    validateS3Dataset(
      { client, ListObjectsV2Command: class {} as never, GetObjectCommand: class {} as never },
      's3://b/p/',
      { format: 'chat' as never },
      { maxBytes: 1 },
    ),
  ).rejects.toThrow(
    new DatasetLocationError(
      "access to s3://b/p/ is denied (Access Denied). Fix: allow s3:ListBucket on the bucket and s3:GetObject on the prefix's objects (and kms:Decrypt on their key) for these credentials.",
    ),
  );
});
