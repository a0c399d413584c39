/**
 * `llama3-ft preflight` against moto_server with the SDK it ships: the CDK bootstrap stack in
 * CloudFormation, data in S3 under a customer-managed KMS key and without one. moto has no
 * Service Quotas for SageMaker and no public hub: those checks must report what they could
 * not read, never crash (their verdicts are tested against a stand-in account in
 * preflight-checks.test.ts).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudFormationClient, CreateStackCommand } from '@aws-sdk/client-cloudformation';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { preflightCommand } from '../../lib/app/preflight';
import { MotoServer } from '../support/moto';
import { runCommand } from '../support/run-cli';

const moto = new MotoServer();
let key = '';
let cwd = '';

beforeAll(async () => {
  await moto.start();
  moto.useForSdk();
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_CLOUDFORMATION: moto.url,
    AWS_ENDPOINT_URL_SERVICE_QUOTAS: moto.url,
  });
  const config = { region: 'us-east-1', endpoint: moto.url, forcePathStyle: true };
  key = (await new KMSClient(config).send(new CreateKeyCommand({}))).KeyMetadata!.Arn!;
  const s3 = new S3Client(config);
  for (const Bucket of ['team-data', 'plain-data']) await s3.send(new CreateBucketCommand({ Bucket }));
  await s3.send(
    new PutObjectCommand({
      Bucket: 'team-data',
      Key: 'llama/train/train.jsonl',
      Body: '{"prompt": "a", "completion": "b"}\n',
      ServerSideEncryption: 'aws:kms',
      SSEKMSKeyId: key,
    }),
  );
  await s3.send(
    new PutObjectCommand({ Bucket: 'plain-data', Key: 'val/val.jsonl', Body: '{"prompt": "c", "completion": "d"}\n' }),
  );
  await new CloudFormationClient(config).send(
    new CreateStackCommand({
      StackName: 'CDKToolkit',
      TemplateBody: JSON.stringify({
        Resources: {
          CloudFormationExecutionRole: {
            Type: 'AWS::IAM::Role',
            Properties: {
              AssumeRolePolicyDocument: {
                Statement: [
                  { Effect: 'Allow', Principal: { Service: 'cloudformation.amazonaws.com' }, Action: 'sts:AssumeRole' },
                ],
              },
            },
          },
        },
        Outputs: { BootstrapVersion: { Value: '21' } },
      }),
    }),
  );
  // The configuration as cdk.json holds it; -c pairs add to it, as for cdk synth.
  cwd = mkdtempSync(join(tmpdir(), 'preflight-'));
  writeFileSync(
    join(cwd, 'cdk.json'),
    JSON.stringify({ app: 'npx ts-node bin/app.ts', context: { accept_eula: true } }),
  );
}, 60_000);
afterAll(() => moto.stop());

async function preflight(...args: string[]) {
  const { status, out } = await runCommand((io) =>
    preflightCommand([...args, '--region', 'us-east-1', '--json'], io, undefined, cwd),
  );
  return { status, report: JSON.parse(out) };
}

const byCheck = (report: any, check: string) => report.checks.filter((c: any) => c.check === check);

test('data under a customer-managed key the configuration does not grant fails, naming the key; plain data passes', async () => {
  const { status, report } = await preflight(
    '-c',
    'train_data=s3://team-data/llama/train/',
    '-c',
    'validation_data=s3://plain-data/val/',
  );
  expect(status).toBe(1);
  const [train, validation] = byCheck(report, 'data');
  expect(train).toMatchObject({ status: 'FAIL', fix: `-c train_data_kms_key=${key}` });
  expect(validation).toMatchObject({
    status: 'PASS',
    detail: 'validation_data s3://plain-data/val/: 1 object, readable, not KMS-encrypted',
  });
  expect(byCheck(report, 'bootstrap')).toEqual([
    expect.objectContaining({
      status: 'PASS',
      detail: expect.stringMatching(
        /^CDKToolkit is bootstrap version 21; CloudFormation deploys with its execution role \S+/,
      ),
    }),
  ]);
  // What moto cannot answer is reported as not read, with a fix: no stack trace.
  expect(byCheck(report, 'quota')).toEqual([
    expect.objectContaining({ status: 'WARN', detail: expect.stringMatching(/^could not read SageMaker's quotas/) }),
  ]);
  expect(byCheck(report, 'model access')).toEqual([expect.objectContaining({ status: 'FAIL' })]);
});

test('with train_data_kms_key set to that key, the data passes', async () => {
  const { report } = await preflight('-c', 'train_data=s3://team-data/llama/train/', '-c', `train_data_kms_key=${key}`);
  expect(byCheck(report, 'data')).toEqual([
    expect.objectContaining({ status: 'PASS', detail: expect.stringContaining('which train_data_kms_key grants') }),
  ]);
});

test('an empty prefix and a missing bucket fail with what to do', async () => {
  const { report } = await preflight(
    '-c',
    'train_data=s3://team-data/nothing-here/',
    '-c',
    'validation_data=s3://no-such-bucket-x/val/',
  );
  const [empty, missing] = byCheck(report, 'data');
  expect(empty).toMatchObject({ status: 'FAIL', detail: 'train_data s3://team-data/nothing-here/ holds no objects' });
  expect(missing).toMatchObject({ status: 'FAIL', detail: expect.stringContaining('NoSuchBucket') });
});
