/**
 * `llama3-ft evaluate --register ARN` against a loopback runtime (the endpoint) and moto_server's
 * SageMaker (the registry): the scores land on the version as its metadata, beside what the stack
 * recorded; a version that does not exist is a clear error after the scores, which stand; and the
 * request is one SageMaker's service model accepts.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeRuntime } from '../support/fake-runtime';
import { MotoServer } from '../support/moto';
import type { runCli as RunCli } from '../support/run-cli';

const DOLLY = join(__dirname, '..', '..', 'examples', 'datasets', 'dolly-qa', 'train');
const runtime = new FakeRuntime();
const moto = new MotoServer();
let runCli: typeof RunCli;
let sagemaker: typeof import('@aws-sdk/client-sagemaker');
let versionArn: string;

beforeAll(async () => {
  await runtime.startForSdk();
  await moto.start();
  process.env.AWS_ENDPOINT_URL_SAGEMAKER = moto.url;
  ({ runCli } = await import('../support/run-cli'));
  sagemaker = await import('@aws-sdk/client-sagemaker');
  const client = new sagemaker.SageMakerClient({ region: 'us-east-1' });
  await client.send(new sagemaker.CreateModelPackageGroupCommand({ ModelPackageGroupName: 'dev-models' }));
  const created = await client.send(
    new sagemaker.CreateModelPackageCommand({
      ModelPackageGroupName: 'dev-models',
      InferenceSpecification: {
        Containers: [{ Image: 'djl-inference:lmi', ModelDataUrl: 's3://dev-model/output/job/output/model.tar.gz' }],
        SupportedContentTypes: ['application/json'],
        SupportedResponseMIMETypes: ['application/json'],
      },
      CustomerMetadataProperties: { 'jumpstart-model-id': 'meta-textgeneration-llama-3-8b' },
    }),
  );
  versionArn = created.ModelPackageArn!;
}, 60_000);
afterAll(async () => {
  await runtime.stop();
  await moto.stop();
});

/** The endpoint answers each sample with its reference: ROUGE 1 on every measure. */
const perfect = async () => {
  const { readEvaluationSamples } = await import('../../lib/evaluation/evaluation-samples');
  const references = new Map(readEvaluationSamples(DOLLY).map((s) => [s.prompt, s.reference]));
  runtime.respond = (_path, body) => ({
    status: 200,
    body: JSON.stringify({ generated_text: references.get(JSON.parse(body).inputs as string) }),
  });
};

/** `llama3-ft evaluate` of `samples` samples against the loopback endpoint, its scores attached to `arn`. */
const evaluateAndRegister = (samples: number, arn: string) =>
  runCli('evaluate', '--endpoint', 'ft', '--data', DOLLY, '--max-samples', String(samples), '--register', arn);

test('the scores are attached to the version, beside the metadata the stack recorded', async () => {
  await perfect();
  const result = await evaluateAndRegister(3, versionArn);
  expect(result.err).not.toContain('not attached');
  expect(result.status).toBe(0);
  expect(result.out).toContain(`Attached the scores to ${versionArn}.`);
  const client = new sagemaker.SageMakerClient({ region: 'us-east-1' });
  const version = await client.send(new sagemaker.DescribeModelPackageCommand({ ModelPackageName: versionArn }));
  const metadata = version.CustomerMetadataProperties ?? {};
  expect(metadata['jumpstart-model-id']).toBe('meta-textgeneration-llama-3-8b');
  expect(metadata['evaluation-samples']).toBe('3');
  // Answers equal to the references score 1, as the printed table says.
  expect(result.out).toMatch(/fine-tuned\s+1\.0000\s+1\.0000\s+1\.0000\s+3\/3/);
  for (const measure of ['rouge1', 'rouge2', 'rougeL']) expect(metadata[`evaluation-${measure}`]).toBe('1.0000');
});

test('a version that does not exist: the scores are printed, then a clear error and exit 1', async () => {
  await perfect();
  const missing = versionArn.replace(/\/\d+$/, '/99');
  const result = await evaluateAndRegister(2, missing);
  expect(result.status).toBe(1);
  expect(result.out).toContain('fine-tuned');
  expect(result.err).toContain(`the scores were not attached to ${missing}`);
  expect(result.err).toContain('sagemaker:UpdateModelPackage');
});

test('a malformed ARN is refused before any request, with exit 2', async () => {
  const before = runtime.requests.length;
  const result = await runCli('evaluate', '--endpoint', 'ft', '--data', DOLLY, '--register', 'dev-models/1');
  expect(result.status).toBe(2);
  expect(result.err).toContain('--register is "dev-models/1"; allowed: a model package version\'s ARN');
  expect(runtime.requests.length).toBe(before);
});

const CHECKER = process.env.SAGEMAKER_REQUEST_CHECKER ?? '/work/shared/tools/check_sagemaker_request.py';

(existsSync(CHECKER) ? test : test.skip)('the UpdateModelPackage request passes the service model', async () => {
  const { evaluationRecord } = await import('../../lib/evaluation/registry-record');
  const scores = { rouge1: 0.41, rouge2: 0.2, rougeL: 0.33, answered: 10 };
  const record = evaluationRecord(
    { samples: 10, finetuned: scores, baseline: scores, difference: { ...scores, rouge2: -0.01 }, records: [] },
    { data: '/home/me/holdout (v2)/test.jsonl', endpoint: 'ft', baselineEndpoint: 'base', evaluatedAt: new Date() },
  );
  const file = join(mkdtempSync(join(tmpdir(), 'register-')), 'UpdateModelPackage.json');
  writeFileSync(file, JSON.stringify({ ModelPackageArn: versionArn, ...record }));
  const check = spawnSync('python3', [CHECKER, 'UpdateModelPackage', file], { encoding: 'utf8' });
  expect(check.stdout + check.stderr).toBe('1 request(s) checked, 0 violation(s)\n');
});
