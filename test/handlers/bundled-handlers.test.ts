/**
 * The handler bundles as Lambda runs them — each with the AWS SDK it carries — against a
 * loopback SageMaker stand-in speaking the JSON protocol: every field the request builders set
 * must reach the wire. An SDK older than a field (the Lambda runtime's own, were the bundle to
 * leave it out) would drop it silently.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync } from 'node:fs';
import { Server, createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createTrainingJobRequest, trainingJobName } from '../../lib/handlers/shared/training-request';
import { PROPS } from '../support/training-props';

const ROOT = join(__dirname, '..', '..');
const STACK_ID = 'arn:aws:cloudformation:us-east-1:123456789012:stack/Dev/1';
const PLAN = 'arn:aws:sagemaker:us-east-1:123456789012:training-plan/p4d-week';

/** What the stand-in received: SageMaker calls by target, and PUTs by path. */
const received: { target: string; body: any }[] = [];
const puts = new Map<string, any>();
let server: Server;
let url = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    let text = '';
    req.on('data', (c) => (text += c));
    req.on('end', () => {
      if (req.method === 'PUT') {
        puts.set(req.url!, JSON.parse(text));
        res.writeHead(200).end();
        return;
      }
      const target = String(req.headers['x-amz-target']).replace('SageMaker.', '');
      received.push({ target, body: JSON.parse(text) });
      const reply = (status: number, body: object) =>
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify(body));
      const now = Date.now() / 1000;
      if (target === 'DescribeTrainingJob')
        reply(400, { __type: 'ValidationException', message: 'Requested resource not found.' });
      else if (target === 'DescribeTrainingPlan') {
        const window = { StartTime: now, EndTime: now + 7 * 86400 };
        reply(200, {
          TrainingPlanArn: PLAN,
          TrainingPlanName: 'p4d-week',
          Status: 'Active',
          ...window,
          ReservedCapacitySummaries: [
            {
              ReservedCapacityArn: 'arn:rc',
              InstanceType: 'ml.p4d.24xlarge',
              TotalInstanceCount: 1,
              Status: 'Active',
              ...window,
            },
          ],
        });
      } else if (target === 'CreateTrainingJob')
        reply(200, {
          TrainingJobArn: `arn:aws:sagemaker:us-east-1:123456789012:training-job/${received.at(-1)!.body.TrainingJobName}`,
        });
      else if (target === 'DescribeModelPackage')
        reply(200, {
          ModelPackageArn: received.at(-1)!.body.ModelPackageName,
          InferenceSpecification: {
            Containers: [{ Image: 'i', ModelDataUrl: 's3://dev-model/output/ft-1/output/model.tar.gz' }],
          },
        });
      else if (target === 'DescribeHubContent')
        reply(200, { HubContentName: 'm', HubContentVersion: '2.4.0', HubContentDocument: '{}' });
      else reply(400, { __type: 'UnknownOperationException', message: target });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

/**
 * Runs a bundle's handler in its own Node.js process, as Lambda would, against the stand-in
 * (asynchronously: the stand-in answers from this process).
 */
async function invokeBundle(name: string, event: object): Promise<void> {
  const bundle = join(ROOT, 'assets', 'handlers', name, 'index.js');
  const { stderr } = await promisify(execFile)(
    'node',
    ['-e', `require(${JSON.stringify(bundle)}).handler(JSON.parse(process.env.EVENT))`],
    {
      env: {
        PATH: process.env.PATH,
        EVENT: JSON.stringify(event),
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'testing',
        AWS_SECRET_ACCESS_KEY: 'testing',
        AWS_ENDPOINT_URL_SAGEMAKER: url,
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      },
    },
  );
  // The handlers log one JSON line each to stdout; nothing may go wrong on stderr.
  expect(stderr).toBe('');
}

test.each([
  'training-job',
  'signal-wait-condition',
  'resolve-hub-content',
  'validate-dataset',
  'describe-model-package',
])('the %s bundle carries its own AWS SDK: it requires none at run time', (name) => {
  const code = readFileSync(join(ROOT, 'assets', 'handlers', name, 'index.js'), 'utf8');
  const required = new Set([...code.matchAll(/require\(["'](@aws-sdk\/[^"']+)["']\)/g)].map((m) => m[1]));
  // Only the SDK's optional SigV4a signers, which it looks for when a request needs SigV4a (none here does).
  const sigV4a = ['@aws-sdk/signature-v4-crt', '@aws-sdk/signature-v4a'];
  expect([...required].filter((p) => !sigV4a.includes(p))).toEqual([]);
  expect(code).toContain('AWS SDK for JavaScript');
});

const event = (ResourceType: string, ResourceProperties: object) => ({
  RequestType: 'Create',
  ResponseURL: `${url}/response/${ResourceType}`,
  StackId: STACK_ID,
  RequestId: 'r1',
  LogicalResourceId: 'Resource',
  ResourceType,
  ResourceProperties,
});

test('the training bundle sends every field of the CreateTrainingJob request, the newest ones included', async () => {
  const props = {
    ...PROPS,
    InstanceType: 'ml.p4d.24xlarge',
    GatedWeightsUri:
      's3://jumpstart-private-cache-prod-us-east-1/meta-training/train-meta-textgeneration-llama-3-2-1b-instruct.tar.gz',
    GatedWeightsInput: 'model-channel' as const,
    TrainingPlanArn: PLAN,
    WaitSeconds: String(39600 + 86400 + 3600),
    MaxPendingTimeInSeconds: '86400',
    MaxRetryAttempts: '3',
    SubnetIds: ['subnet-1'],
    SecurityGroupIds: ['sg-1'],
    Tags: { team: 'ml-platform' },
  };
  await invokeBundle('training-job', event('Custom::SageMakerTrainingJob', props));
  expect(puts.get('/response/Custom::SageMakerTrainingJob')).toMatchObject({ Status: 'SUCCESS' });
  const name = trainingJobName(props.JobNamePrefix, props.InputsHash, STACK_ID, 1);
  const sent = received.find((r) => r.target === 'CreateTrainingJob')!.body;
  // What the builder makes is what arrived: nothing dropped, nothing added.
  expect(sent).toEqual(JSON.parse(JSON.stringify(createTrainingJobRequest(props, name, 'us-east-1'))));
  expect(sent.InputDataConfig.at(-1).DataSource.S3DataSource.ModelAccessConfig).toEqual({ AcceptEula: true });
  expect(sent.ResourceConfig.TrainingPlanArn).toBe(PLAN);
  expect(received.find((r) => r.target === 'DescribeTrainingPlan')!.body).toEqual({ TrainingPlanName: 'p4d-week' });
});

test('the training bundle sends a spot request whole: managed spot, the maximum wait, the checkpoints', async () => {
  const props = { ...PROPS, JobNamePrefix: 'llama3-ft-spot0001', MaxWaitTimeInSeconds: '79200' };
  await invokeBundle('training-job', { ...event('Custom::SageMakerTrainingJob', props), RequestId: 'spot' });
  const name = trainingJobName(props.JobNamePrefix, props.InputsHash, STACK_ID, 1);
  const sent = received.find((r) => r.target === 'CreateTrainingJob' && r.body.TrainingJobName === name)!.body;
  expect(sent).toEqual(JSON.parse(JSON.stringify(createTrainingJobRequest(props, name, 'us-east-1'))));
  expect(sent.EnableManagedSpotTraining).toBe(true);
  expect(sent.StoppingCondition.MaxWaitTimeInSeconds).toBe(79200);
  expect(sent.CheckpointConfig).toEqual({ S3Uri: `s3://models/output/${name}/checkpoints/` });
});

test('the training bundle sends instance preferences whole, in order, with no InstanceType beside them', async () => {
  const props = {
    ...PROPS,
    JobNamePrefix: 'llama3-ft-pref0001',
    InstanceType: 'ml.g5.48xlarge',
    FallbackInstanceTypes: ['ml.p4d.24xlarge'],
    GatedWeightsInput: 'model-channel' as const,
  };
  await invokeBundle('training-job', { ...event('Custom::SageMakerTrainingJob', props), RequestId: 'preferences' });
  const name = trainingJobName(props.JobNamePrefix, props.InputsHash, STACK_ID, 1);
  const sent = received.find((r) => r.target === 'CreateTrainingJob' && r.body.TrainingJobName === name)!.body;
  expect(sent).toEqual(JSON.parse(JSON.stringify(createTrainingJobRequest(props, name, 'us-east-1'))));
  expect(sent.ResourceConfig).toEqual({
    InstancePreferences: [{ InstanceType: 'ml.g5.48xlarge' }, { InstanceType: 'ml.p4d.24xlarge' }],
    InstanceCount: 1,
    VolumeSizeInGB: 30,
  });
});

test('the training bundle sends the additional members as given: numbers, booleans and nested members whole', async () => {
  const additional = {
    ResourceConfig: { KeepAlivePeriodInSeconds: 1800 },
    Environment: { NCCL_DEBUG: 'INFO' },
    ProfilerConfig: { S3OutputPath: 's3://ml-team/profiler/', ProfilingIntervalInMilliseconds: 500 },
    InfraCheckConfig: { EnableInfraCheck: true },
    SessionChainingConfig: { EnableSessionTagChaining: true },
  };
  const props = { ...PROPS, JobNamePrefix: 'llama3-ft-more0001', AdditionalParameters: JSON.stringify(additional) };
  await invokeBundle('training-job', { ...event('Custom::SageMakerTrainingJob', props), RequestId: 'additional' });
  const name = trainingJobName(props.JobNamePrefix, props.InputsHash, STACK_ID, 1);
  const sent = received.find((r) => r.target === 'CreateTrainingJob' && r.body.TrainingJobName === name)!.body;
  expect(sent).toEqual(JSON.parse(JSON.stringify(createTrainingJobRequest(props, name, 'us-east-1'))));
  expect(sent.ResourceConfig).toEqual({
    InstanceType: 'ml.g5.12xlarge',
    InstanceCount: 1,
    VolumeSizeInGB: 30,
    KeepAlivePeriodInSeconds: 1800,
  });
  expect(sent.Environment).toEqual({
    accept_eula: 'true',
    SageMakerGatedModelS3Uri: PROPS.GatedWeightsUri,
    NCCL_DEBUG: 'INFO',
  });
  expect(sent.ProfilerConfig).toEqual(additional.ProfilerConfig);
  expect(sent.InfraCheckConfig).toEqual({ EnableInfraCheck: true });
  expect(sent.SessionChainingConfig).toEqual({ EnableSessionTagChaining: true });
});

test('the hub bundle asks for the version it resolved before', async () => {
  await invokeBundle('resolve-hub-content', {
    ...event('Custom::JumpStartModelArtifacts', { ModelId: 'meta-textgeneration-llama-3-8b', HubContentVersion: '' }),
    RequestType: 'Update',
    PhysicalResourceId: 'meta-textgeneration-llama-3-8b@2.1.0',
  });
  expect(received.find((r) => r.target === 'DescribeHubContent')!.body).toEqual({
    HubName: 'SageMakerPublicHub',
    HubContentType: 'Model',
    HubContentName: 'meta-textgeneration-llama-3-8b',
    HubContentVersion: '2.1.0',
  });
});

test('the model-package bundle asks for the version by its ARN and answers where its model is', async () => {
  const arn = 'arn:aws:sagemaker:us-east-1:111122223333:model-package/dev-models/3';
  const created = event('Custom::SageMakerModelPackage', { ModelPackageArn: arn });
  await invokeBundle('describe-model-package', created);
  expect(received.filter((r) => r.target === 'DescribeModelPackage').at(-1)!.body).toEqual({ ModelPackageName: arn });
  expect(puts.get('/response/Custom::SageMakerModelPackage')).toMatchObject({
    Status: 'SUCCESS',
    PhysicalResourceId: arn,
    Data: { ModelBucket: 'dev-model', ModelKey: 'output/ft-1/output/model.tar.gz' },
  });
});
