/**
 * The real training-job and resolver handlers, as CloudFormation calls them,
 * against moto_server: real SDK calls, real response PUTs to a loopback URL.
 * moto's gaps (FACTS §9): jobs complete at once, StopTrainingJob and
 * DescribeHubContent are not implemented, Environment is not kept.
 */
import { CloudFormationClient, ListStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { MotoServer } from '../support/moto';
import { ResponseRecorder } from '../support/response-recorder';
import { PROPS } from '../support/training-props';

const moto = new MotoServer();
const recorder = new ResponseRecorder();
const waits = new ResponseRecorder();
let responseUrl: string;
let waitUrl: string;
let trainingJob: typeof import('../../lib/handlers/training-job');
let resolver: typeof import('../../lib/handlers/resolve-hub-content');
let sdk: typeof import('@aws-sdk/client-sagemaker');

beforeAll(async () => {
  await moto.start();
  moto.useForSdk();
  responseUrl = await recorder.start();
  waitUrl = await waits.start();
  trainingJob = await import('../../lib/handlers/training-job');
  resolver = await import('../../lib/handlers/resolve-hub-content');
  sdk = await import('@aws-sdk/client-sagemaker');
});
afterAll(async () => {
  await recorder.stop();
  await waits.stop();
  await moto.stop();
});

const STACK_ID = 'arn:aws:cloudformation:us-east-1:123456789012:stack/Llama3FineTuning/1111';
let requests = 0;
function event(RequestType: 'Create' | 'Update' | 'Delete', ResourceProperties: any, PhysicalResourceId?: string) {
  return {
    RequestType,
    ResponseURL: responseUrl,
    StackId: STACK_ID,
    RequestId: `req-${++requests}`,
    LogicalResourceId: 'FineTuningJob',
    ResourceType: 'Custom::SageMakerTrainingJob',
    ResourceProperties,
    PhysicalResourceId,
  };
}
const lastResponse = () => recorder.bodies[recorder.bodies.length - 1];
const ROLE = 'arn:aws:iam::123456789012:role/SageMakerExecution';

test('create starts the job JumpStart would start and reports it to CloudFormation', async () => {
  await trainingJob.handler(
    event('Create', { ...PROPS, WaitHandleUrl: waitUrl, RoleArn: ROLE, JobNamePrefix: 'ft-llama-3-8b-aaaa0001' }),
  );
  const response = lastResponse();
  expect(response).toMatchObject({ Status: 'SUCCESS', LogicalResourceId: 'FineTuningJob', StackId: STACK_ID });
  const name = response.PhysicalResourceId;
  expect(name).toMatch(/^ft-llama-3-8b-aaaa0001-[0-9a-f]{6}$/);
  expect(response.Data.ModelArtifactsUri).toBe(`s3://models/output/${name}/output/model.tar.gz`);
  expect(response.Reason).toContain(`/sagemaker/home?region=us-east-1#/jobs/${name}`);

  const client = new sdk.SageMakerClient({});
  const job = await client.send(new sdk.DescribeTrainingJobCommand({ TrainingJobName: name }));
  expect(job.AlgorithmSpecification?.TrainingImage).toBe(PROPS.TrainingImageUri);
  expect(job.HyperParameters).toMatchObject({
    epoch: '5',
    sagemaker_program: 'transfer_learning.py',
    sagemaker_job_name: name,
  });
  expect(job.InputDataConfig?.map((c) => c.ChannelName)).toEqual(['training', 'validation', 'code']);
  // moto does not keep Environment; the unit tests check the gated-weights environment.
  expect(job.EnableNetworkIsolation).toBe(true);
  expect(job.StoppingCondition?.MaxRuntimeInSeconds).toBe(39600);
});

test('a retried create finds the job and never starts a second one', async () => {
  const props = { ...PROPS, WaitHandleUrl: waitUrl, RoleArn: ROLE, JobNamePrefix: 'ft-llama-3-8b-aaaa0002' };
  await trainingJob.handler(event('Create', props));
  await trainingJob.handler(event('Create', props));
  const [first, second] = recorder.bodies.slice(-2);
  expect(second.PhysicalResourceId).toBe(first.PhysicalResourceId);
  // moto completes jobs at once: the retry found it Completed, so no event will come; it signalled the wait itself.
  expect(waits.bodies[waits.bodies.length - 1]).toEqual({
    Status: 'SUCCESS',
    Reason: `Training job ${first.PhysicalResourceId} completed`,
    UniqueId: first.PhysicalResourceId,
    Data: expect.any(String),
  });
  const client = new sdk.SageMakerClient({});
  const jobs = await client.send(new sdk.ListTrainingJobsCommand({ NameContains: 'aaaa0002' }));
  expect(jobs.TrainingJobSummaries).toHaveLength(1);
});

test('an update with changed inputs trains again under a new name', async () => {
  await trainingJob.handler(
    event('Create', { ...PROPS, WaitHandleUrl: waitUrl, RoleArn: ROLE, JobNamePrefix: 'ft-llama-3-8b-aaaa0003' }),
  );
  const before = lastResponse().PhysicalResourceId;
  await trainingJob.handler(
    event(
      'Update',
      {
        ...PROPS,
        WaitHandleUrl: waitUrl,
        RoleArn: ROLE,
        JobNamePrefix: 'ft-llama-3-8b-bbbb0003',
        Hyperparameters: { epoch: '3' },
      },
      before,
    ),
  );
  const after = lastResponse();
  expect(after.Status).toBe('SUCCESS');
  expect(after.PhysicalResourceId).not.toBe(before);
  const job = await new sdk.SageMakerClient({}).send(
    new sdk.DescribeTrainingJobCommand({ TrainingJobName: after.PhysicalResourceId }),
  );
  expect(job.HyperParameters?.epoch).toBe('3');
});

test('delete of a finished job succeeds without stopping it', async () => {
  await trainingJob.handler(
    event('Create', { ...PROPS, WaitHandleUrl: waitUrl, RoleArn: ROLE, JobNamePrefix: 'ft-llama-3-8b-aaaa0004' }),
  );
  const name = lastResponse().PhysicalResourceId;
  await trainingJob.handler(event('Delete', { ...PROPS }, name));
  expect(lastResponse()).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: name });
});

test('delete of a job that never existed succeeds', async () => {
  await trainingJob.handler(event('Delete', { ...PROPS }, 'ft-llama-3-8b-gone-000000'));
  expect(lastResponse()).toMatchObject({ Status: 'SUCCESS' });
});

test("attach returns an existing job's model location", async () => {
  await trainingJob.handler(
    event('Create', {
      ...PROPS,
      WaitHandleUrl: waitUrl,
      RoleArn: ROLE,
      JobNamePrefix: 'ft-llama-3-8b-aaaa0005',
      DisableOutputCompression: 'true',
    }),
  );
  const name = lastResponse().PhysicalResourceId;
  await trainingJob.handler(event('Create', { TrainingJobName: name, ExpectCompressed: 'false' }));
  expect(lastResponse()).toMatchObject({
    Status: 'SUCCESS',
    PhysicalResourceId: name,
    Data: { TrainingJobName: name },
  });
  expect(lastResponse().Data.ModelArtifactsUri).toMatch(/\/$/);
});

test('attach to a missing job fails the deploy with the reason', async () => {
  await trainingJob.handler(event('Create', { TrainingJobName: 'no-such-job' }));
  expect(lastResponse()).toMatchObject({
    Status: 'FAILED',
    Reason: 'Training job no-such-job does not exist in this account and region.',
  });
});

test('a hub lookup that fails fails the deploy with the reason', async () => {
  await resolver.handler({
    ...event('Create', {
      ModelId: 'meta-textgeneration-llama-3-8b',
      HubContentVersion: '',
      TrainingInstanceType: 'ml.g5.12xlarge',
      HostingInstanceType: 'ml.g5.12xlarge',
    }),
    ResourceType: 'Custom::JumpStartModelArtifacts',
  });
  expect(lastResponse().Status).toBe('FAILED');
  expect(lastResponse().Reason).toMatch(/^Could not look up meta-textgeneration-llama-3-8b in SageMakerPublicHub: /);
});

test("the hourly tick, against moto's SageMaker and EventBridge: a job that has ended signals the current wait of the chain and switches the tick off", async () => {
  const events = await import('@aws-sdk/client-eventbridge');
  const signal = await import('../../lib/handlers/signal-wait-condition');
  const secondWait = new ResponseRecorder();
  const secondUrl = await secondWait.start();
  try {
    const waitId = `${STACK_ID}/FineTuningJobWaitHandleaaaa0005`;
    await trainingJob.handler(
      event('Create', {
        ...PROPS,
        WaitId: waitId,
        WaitHandleUrl: waitUrl,
        RoleArn: ROLE,
        JobNamePrefix: 'ft-llama-3-8b-aaaa0005',
      }),
    );
    const { PhysicalResourceId: name, Data } = lastResponse();
    const ruleName = 'ft-llama-3-8b-aaaa0005-wait-tick';
    const eventBridge = new events.EventBridgeClient({});
    await eventBridge.send(new events.PutRuleCommand({ Name: ruleName, ScheduleExpression: 'rate(1 hour)' }));
    const before = waits.bodies.length;
    // moto's jobs complete at once: the first tick finds the end.
    // The stack's side (moto's CloudFormation has no wait condition handles): the second wait is current.
    const cloudFormation = mockClient(CloudFormationClient);
    cloudFormation.on(ListStackResourcesCommand).resolves({
      StackResourceSummaries: [
        { LogicalResourceId: 'Handle1', PhysicalResourceId: waitUrl, ResourceStatus: 'CREATE_COMPLETE' },
        { LogicalResourceId: 'Handle2', PhysicalResourceId: secondUrl, ResourceStatus: 'CREATE_COMPLETE' },
      ] as never,
    });
    await signal.handler({
      stackId: STACK_ID,
      handleIds: ['Handle1', 'Handle2'],
      waitId,
      tickRuleName: ruleName,
      tick: { jobName: name, jobArn: Data.TrainingJobArn, segmentPeriodSeconds: 36_000 },
    });
    expect(waits.bodies.slice(before)).toEqual([]);
    expect(secondWait.bodies).toEqual([expect.objectContaining({ Status: 'SUCCESS', UniqueId: name })]);
    cloudFormation.restore();
    const rule = await eventBridge.send(new events.DescribeRuleCommand({ Name: ruleName }));
    expect(rule.State).toBe('DISABLED');
  } finally {
    await secondWait.stop();
  }
});

test("capacity options reach SageMaker: the emulator takes the request with SageMaker's retry, a training plan and a pending limit", async () => {
  const plan = 'arn:aws:sagemaker:us-east-1:123456789012:training-plan/llama-p4d-week';
  // moto has no DescribeTrainingPlan: that one answer stands in, every other call reaches the emulator.
  const planStandIn = mockClient(sdk.SageMakerClient);
  planStandIn.send.callThrough();
  const now = Date.now();
  const reserved = { StartTime: new Date(now), EndTime: new Date(now + 7 * 86_400_000) };
  planStandIn.on(sdk.DescribeTrainingPlanCommand, { TrainingPlanName: 'llama-p4d-week' }).resolves({
    TrainingPlanArn: plan,
    TrainingPlanName: 'llama-p4d-week',
    Status: 'Active',
    ...reserved,
    ReservedCapacitySummaries: [
      {
        ReservedCapacityArn: 'arn:rc',
        InstanceType: 'ml.p4d.24xlarge',
        TotalInstanceCount: 1,
        Status: 'Active',
        ...reserved,
      },
    ],
  });
  try {
    await trainingJob.handler(
      event('Create', {
        ...PROPS,
        WaitHandleUrl: waitUrl,
        RoleArn: ROLE,
        JobNamePrefix: 'ft-llama-3-8b-aaaa0006',
        InstanceType: 'ml.p4d.24xlarge',
        MaxRetryAttempts: '3',
        TrainingPlanArn: plan,
        MaxPendingTimeInSeconds: '86400',
        WaitSeconds: String(39600 + 86400 + 3600),
      }),
    );
  } finally {
    planStandIn.restore();
  }
  const response = lastResponse();
  expect(response.Status).toBe('SUCCESS');
  const job = await new sdk.SageMakerClient({}).send(
    new sdk.DescribeTrainingJobCommand({ TrainingJobName: response.PhysicalResourceId }),
  );
  expect(job.StoppingCondition).toEqual({ MaxRuntimeInSeconds: 39600, MaxPendingTimeInSeconds: 86400 });
  expect(job.ResourceConfig?.TrainingPlanArn).toBe(plan);
  // moto does not keep RetryStrategy; the request test checks it field by field.
});

test('a job with instance preferences: the emulator takes the request, which names no InstanceType of its own', async () => {
  await trainingJob.handler(
    event('Create', {
      ...PROPS,
      WaitHandleUrl: waitUrl,
      RoleArn: ROLE,
      JobNamePrefix: 'ft-llama-3-70b-aaaa0006',
      InstanceType: 'ml.g5.48xlarge',
      FallbackInstanceTypes: ['ml.p4d.24xlarge'],
    }),
  );
  const created = lastResponse();
  expect(created.Status).toBe('SUCCESS');
  const job = await new sdk.SageMakerClient({}).send(
    new sdk.DescribeTrainingJobCommand({ TrainingJobName: created.PhysicalResourceId }),
  );
  // moto keeps what it knows of ResourceConfig and drops InstancePreferences, which it predates; SageMaker
  // refuses InstanceType beside them. The bundled-handler test reads the preferences off the wire.
  expect(job.ResourceConfig).toEqual({ InstanceCount: 1, VolumeSizeInGB: 30 });
});
