/**
 * The preflight checks against a stand-in account: PASS, WARN and FAIL of each, with the fix a
 * user needs. (test/app/preflight.moto.test.ts runs the command against moto_server.)
 */
import {
  InstanceNeed,
  PreflightAws,
  bootstrapCheck,
  dataCheck,
  modelAccessCheck,
  quotaChecks,
} from '../../lib/app/preflight-checks';

const KEY = 'arn:aws:kms:us-east-1:123456789012:key/1111-2222';
const denied = () => Promise.reject(Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' }));

function account(overrides: Partial<PreflightAws> = {}): PreflightAws {
  return {
    region: 'us-east-1',
    sageMakerQuotas: async () => [
      { name: 'ml.g5.12xlarge for training job usage', code: 'L-TRAIN', value: 1 },
      { name: 'ml.g5.12xlarge for endpoint usage', code: 'L-HOST', value: 0 },
    ],
    stackOutputs: async () => ({ BootstrapVersion: '21', BucketName: 'cdk-assets' }),
    stackResource: async () => 'cdk-hnb659fds-cfn-exec-role-123456789012-us-east-1',
    hubContentVersion: async (_model, version) => version ?? '2.4.0',
    listKeys: async () => ['train/train.jsonl'],
    objectKmsKey: async () => undefined,
    isAwsManagedKey: async () => false,
    canary: () => {
      throw new Error('no canary in these checks');
    },
    ...overrides,
  };
}

const NEEDS: InstanceNeed[] = [
  { instanceType: 'ml.g5.12xlarge', count: 1, usage: 'training job', forWhat: 'training' },
  { instanceType: 'ml.g5.12xlarge', count: 2, usage: 'endpoint', forWhat: 'the endpoint and the base endpoint' },
  { instanceType: 'ml.p4d.24xlarge', count: 1, usage: 'training job', forWhat: 'fallback 1' },
];

describe('quota', () => {
  test('enough is PASS, too little is FAIL with the quota code and the increase to ask, an unknown type is WARN', async () => {
    const [training, hosting, fallback] = await quotaChecks(account(), NEEDS);
    expect(training).toEqual({
      check: 'quota',
      status: 'PASS',
      detail: 'ml.g5.12xlarge for training job usage: 1 (training needs 1)',
    });
    expect(hosting).toEqual({
      check: 'quota',
      status: 'FAIL',
      detail: 'ml.g5.12xlarge for endpoint usage: 0 (the endpoint and the base endpoint needs 2)',
      fix: 'request an increase: aws service-quotas request-service-quota-increase --service-code sagemaker --quota-code L-HOST --desired-value 2 --region us-east-1',
    });
    expect(fallback).toMatchObject({
      status: 'WARN',
      detail: expect.stringMatching(/no quota "ml.p4d.24xlarge for training job usage" in us-east-1/),
    });
  });

  test('quotas that cannot be read are one WARN, not a crash', async () => {
    const results = await quotaChecks(account({ sageMakerQuotas: denied }), NEEDS);
    expect(results).toEqual([
      expect.objectContaining({
        status: 'WARN',
        detail: expect.stringContaining('AccessDeniedException: not authorized'),
      }),
    ]);
  });
});

describe('bootstrap', () => {
  test('a modern bootstrap with its CloudFormation execution role is PASS', async () => {
    expect(await bootstrapCheck(account())).toMatchObject({
      status: 'PASS',
      detail:
        'CDKToolkit is bootstrap version 21; CloudFormation deploys with its execution role cdk-hnb659fds-cfn-exec-role-123456789012-us-east-1',
    });
  });

  test.each([
    [{ stackOutputs: async () => undefined }, /no CDK bootstrap stack \(CDKToolkit\) in us-east-1/],
    [
      { stackOutputs: async () => ({ BootstrapVersion: '5' }) },
      /bootstrap version 5: CloudFormation would deploy with your own credentials/,
    ],
    [{ stackResource: async () => undefined }, /version 21 without a CloudFormation execution role/],
  ])('%#: FAIL with the bootstrap command', async (overrides, detail) => {
    const result = await bootstrapCheck(account(overrides as Partial<PreflightAws>));
    expect(result.status).toBe('FAIL');
    expect(result.detail).toMatch(detail);
    expect(result.fix).toMatch(/^npx cdk bootstrap aws:\/\/<account>\/us-east-1/);
  });

  test('version 6, the first with the execution role, is enough', async () => {
    expect(await bootstrapCheck(account({ stackOutputs: async () => ({ BootstrapVersion: '6' }) }))).toMatchObject({
      status: 'PASS',
      detail: expect.stringContaining('CDKToolkit is bootstrap version 6;'),
    });
  });

  test('a stack without its version output is FAIL, naming the version unknown', async () => {
    expect(await bootstrapCheck(account({ stackOutputs: async () => ({}) }))).toMatchObject({
      status: 'FAIL',
      detail: expect.stringMatching(/^CDKToolkit is bootstrap version unknown: /),
    });
  });

  test('a stack that cannot be read is WARN', async () => {
    expect(await bootstrapCheck(account({ stackOutputs: denied }))).toMatchObject({ status: 'WARN' });
  });
});

describe('model access', () => {
  const model = {
    modelId: 'meta-textgeneration-llama-3-8b',
    licence: { name: 'Meta Llama 3 Community License', url: 'https://llama.meta.com/llama3/license' },
  };

  test('the hub answers and the licence is accepted: PASS naming the version and the licence', async () => {
    expect(await modelAccessCheck(account(), model, true)).toEqual({
      check: 'model access',
      status: 'PASS',
      detail:
        'meta-textgeneration-llama-3-8b 2.4.0 is in SageMakerPublicHub in us-east-1; you accept the Meta Llama 3 Community License (https://llama.meta.com/llama3/license)',
    });
  });

  test('not accepted, or not in the hub: FAIL with the fix', async () => {
    expect(await modelAccessCheck(account(), model, false)).toMatchObject({
      status: 'FAIL',
      fix: 'read the licence, then -c accept_eula=true',
    });
    const missing = await modelAccessCheck(
      account({
        hubContentVersion: () =>
          Promise.reject(Object.assign(new Error('Hub content not found'), { name: 'ResourceNotFound' })),
      }),
      { ...model, version: '9.9.9' },
      true,
    );
    expect(missing).toMatchObject({
      status: 'FAIL',
      detail: expect.stringContaining('meta-textgeneration-llama-3-8b version 9.9.9 could not be read'),
    });
  });
});

describe('data', () => {
  const uri = 's3://team-data/train/';
  test('readable, unencrypted or under an AWS-managed or granted key: PASS', async () => {
    expect(await dataCheck(account(), 'train_data', uri, undefined)).toMatchObject({
      status: 'PASS',
      detail: 'train_data s3://team-data/train/: 1 object, readable, not KMS-encrypted',
    });
    const encrypted = { objectKmsKey: async () => KEY };
    expect(await dataCheck(account(encrypted), 'train_data', uri, KEY)).toMatchObject({
      status: 'PASS',
      detail: expect.stringContaining('which train_data_kms_key grants'),
    });
    expect(
      await dataCheck(account({ ...encrypted, isAwsManagedKey: async () => true }), 'train_data', uri, undefined),
    ).toMatchObject({ status: 'PASS', detail: expect.stringContaining('AWS-managed key') });
  });

  test('a customer-managed key the configuration does not grant: FAIL naming the key to set', async () => {
    expect(await dataCheck(account({ objectKmsKey: async () => KEY }), 'validation_data', uri, undefined)).toEqual({
      check: 'data',
      status: 'FAIL',
      detail: `validation_data ${uri}: 1 object, readable, but encrypted with the customer-managed key ${KEY}, which the execution role may not use: training would fail at data download`,
      fix: `-c train_data_kms_key=${KEY}`,
    });
  });

  test('a customer-managed key other than the one train_data_kms_key grants: FAIL naming the key found', async () => {
    const other = 'arn:aws:kms:us-east-1:123456789012:key/3333-4444';
    expect(await dataCheck(account({ objectKmsKey: async () => other }), 'train_data', uri, KEY)).toMatchObject({
      status: 'FAIL',
      detail: expect.stringContaining(`encrypted with the customer-managed key ${other}, which the execution role`),
      fix: `-c train_data_kms_key=${other}`,
    });
  });

  test('a key DescribeKey refuses is FAIL, saying the kind of key is unknown and why', async () => {
    const result = await dataCheck(
      account({ objectKmsKey: async () => KEY, isAwsManagedKey: denied }),
      'train_data',
      uri,
      undefined,
    );
    expect(result).toMatchObject({
      status: 'FAIL',
      detail: expect.stringContaining(
        `encrypted with the KMS key ${KEY} (not described: AccessDeniedException: not authorized), which the execution role may not use`,
      ),
      fix: `-c train_data_kms_key=${KEY}`,
    });
  });

  test("the bucket and prefix listed are the URI's, and the first object is the one whose encryption is read", async () => {
    const asked: string[] = [];
    const recording = account({
      listKeys: async (bucket, prefix, max) => {
        asked.push(`list ${bucket} "${prefix}" ${max}`);
        return ['train/a.jsonl', 'train/b.jsonl'];
      },
      objectKmsKey: async (bucket, key) => {
        asked.push(`head ${bucket} ${key}`);
        return undefined;
      },
    });
    expect(await dataCheck(recording, 'train_data', 's3://team-data/llama/train/', undefined)).toMatchObject({
      status: 'PASS',
      detail: 'train_data s3://team-data/llama/train/: 2 objects, readable, not KMS-encrypted',
    });
    // A whole bucket, with or without its slash.
    await dataCheck(recording, 'train_data', 's3://team-data', undefined);
    await dataCheck(recording, 'train_data', 's3://team-data/', undefined);
    expect(asked).toEqual([
      'list team-data "llama/train/" 1000',
      'head team-data train/a.jsonl',
      'list team-data "" 1000',
      'head team-data train/a.jsonl',
      'list team-data "" 1000',
      'head team-data train/a.jsonl',
    ]);
  });

  test.each([
    [999, '999 objects'],
    [1000, '1000 or more objects'],
  ])('%d keys listed (at most 1000 are asked for) read as %s', async (count, words) => {
    const keys = Array.from({ length: count }, (_, i) => `train/part-${i}.jsonl`);
    expect(await dataCheck(account({ listKeys: async () => keys }), 'train_data', uri, undefined)).toMatchObject({
      detail: `train_data ${uri}: ${words}, readable, not KMS-encrypted`,
    });
  });

  test.each([
    [
      's3://',
      'train_data is "s3://", which is not an S3 URI; allowed: s3://bucket/prefix/ (ending in /).',
      'give the bucket and key in that form.',
    ],
    [
      's3://team-data/train',
      'train_data is "s3://team-data/train"; allowed: s3://bucket/prefix/ (ending in /).',
      'end it with "/" ("s3://team-data/train/"); without it, SageMaker also reads every object whose key merely starts the same.',
    ],
  ])('%s, which cdk synth refuses too, is FAIL in its words before any request', async (bad, detail, fix) => {
    const asked: string[] = [];
    const result = await dataCheck(
      account({ listKeys: async (bucket) => (asked.push(bucket), []) }),
      'train_data',
      bad,
      undefined,
    );
    expect(result).toEqual({ check: 'data', status: 'FAIL', detail, fix });
    expect(asked).toEqual([]);
  });

  test('empty or unreadable: FAIL', async () => {
    expect(await dataCheck(account({ listKeys: async () => [] }), 'train_data', uri, undefined)).toMatchObject({
      status: 'FAIL',
      detail: `train_data ${uri} holds no objects`,
    });
    expect(await dataCheck(account({ listKeys: denied }), 'train_data', uri, undefined)).toMatchObject({
      status: 'FAIL',
      detail: expect.stringContaining('AccessDeniedException'),
    });
  });
});
