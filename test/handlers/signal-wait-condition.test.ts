import { CloudFormationClient, ListStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import { DisableRuleCommand, EventBridgeClient } from '@aws-sdk/client-eventbridge';
import {
  CreateTrainingJobCommand,
  DescribeTrainingJobCommand,
  ListTagsCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import { handler, signalFor } from '../../lib/handlers/signal-wait-condition';
import { SUPERSEDED, WAIT_OWNER_TAG, waitOwner } from '../../lib/handlers/shared/wait-ownership';
import { Duration } from 'aws-cdk-lib';
import { chainTimeouts } from '../../lib/constructs/private/training-limits';
import { ResponseRecorder } from '../support/response-recorder';
import { SimulatedWaitChain } from '../support/simulated-wait-chain';
import { loggedJson } from '../support/logged-json';

const sagemaker = mockClient(SageMakerClient);
const eventBridge = mockClient(EventBridgeClient);
const cloudFormation = mockClient(CloudFormationClient);
beforeEach(() => {
  sagemaker.reset();
  eventBridge.reset();
  cloudFormation.reset();
  eventBridge.on(DisableRuleCommand).resolves({});
});
const logged = loggedJson();

const STACK_ID = 'arn:aws:cloudformation:us-east-1:123456789012:stack/Dev/1111';
/** A chain of one wait whose handle's URL is `url`, as ListStackResources reports it. */
function oneWait(url: string) {
  cloudFormation.on(ListStackResourcesCommand).resolves({
    StackResourceSummaries: [
      { LogicalResourceId: 'Handle1', PhysicalResourceId: url, ResourceStatus: 'CREATE_COMPLETE' } as never,
    ],
  });
  return { stackId: STACK_ID, handleIds: ['Handle1'], tickRuleName: 'no-tick-rule' };
}

const DEV_WAIT = 'arn:aws:cloudformation:us-east-1:123456789012:stack/Dev/1111/FineTuningJobWaitHandleaaaa0001';
const STAGING_WAIT = 'arn:aws:cloudformation:us-east-1:123456789012:stack/Staging/2222/FineTuningJobWaitHandleaaaa0001';
const ownedBy = (waitId: string) =>
  sagemaker.on(ListTagsCommand).resolves({ Tags: [{ Key: WAIT_OWNER_TAG, Value: waitOwner(waitId) }] });
/** The job as SageMaker describes it now (the handler decides from that, not from the event). */
const describedAs = (job: Record<string, unknown>) =>
  sagemaker.on(DescribeTrainingJobCommand).resolves({ TrainingJobName: 'j', ...job } as never);

async function withRecorder(body: (url: string, recorder: ResponseRecorder) => Promise<void>): Promise<void> {
  const recorder = new ResponseRecorder();
  const url = await recorder.start();
  try {
    await body(url, recorder);
  } finally {
    await recorder.stop();
  }
}

describe('wait condition signal', () => {
  test('Completed signals success with the model location', () => {
    expect(
      signalFor({
        TrainingJobName: 'j',
        TrainingJobStatus: 'Completed',
        ModelArtifacts: { S3ModelArtifacts: 's3://m/j/output/model.tar.gz' },
      }),
    ).toEqual({
      Status: 'SUCCESS',
      Reason: 'Training job j completed',
      UniqueId: 'j',
      Data: 's3://m/j/output/model.tar.gz',
    });
  });

  test("Failed signals failure with SageMaker's own reason", () => {
    expect(
      signalFor({
        TrainingJobName: 'j',
        TrainingJobStatus: 'Failed',
        SecondaryStatus: 'Failed',
        FailureReason: 'CapacityError: Unable to provision requested ML compute capacity.',
      }),
    ).toMatchObject({
      Status: 'FAILURE',
      Reason: 'Training job j failed: CapacityError: Unable to provision requested ML compute capacity.',
    });
  });

  test('Stopped at the maximum runtime says so', () => {
    expect(
      signalFor({ TrainingJobName: 'j', TrainingJobStatus: 'Stopped', SecondaryStatus: 'MaxRuntimeExceeded' }),
    ).toMatchObject({
      Status: 'FAILURE',
      Reason: 'Training job j stopped (MaxRuntimeExceeded): it reached its maximum runtime',
    });
  });

  test('a very long reason is cut to what CloudFormation shows', () => {
    const signal = signalFor({ TrainingJobName: 'j', TrainingJobStatus: 'Failed', FailureReason: 'x'.repeat(5000) });
    expect(signal!.Reason.length).toBe(1000);
  });

  test('progress (InProgress) sends no signal', () => {
    expect(
      signalFor({ TrainingJobName: 'j', TrainingJobStatus: 'InProgress', SecondaryStatus: 'Downloading' }),
    ).toBeUndefined();
  });

  test('the handler PUTs the end of its own job to the handle URL, and only the end', () =>
    withRecorder(async (url, recorder) => {
      ownedBy(DEV_WAIT);
      describedAs({ TrainingJobStatus: 'Failed', FailureReason: 'AlgorithmError: CUDA out of memory' });
      const detail = {
        TrainingJobName: 'j',
        TrainingJobArn: 'arn:aws:sagemaker:us-east-1:123456789012:training-job/j',
      };
      await handler({
        ...oneWait(url),
        waitId: DEV_WAIT,
        detail: { ...detail, TrainingJobStatus: 'Failed', FailureReason: 'AlgorithmError: CUDA out of memory' },
      });
      await handler({
        ...oneWait(url),
        waitId: DEV_WAIT,
        detail: { ...detail, TrainingJobStatus: 'InProgress', SecondaryStatus: 'Training' },
      });
      expect(recorder.bodies).toEqual([
        {
          Status: 'FAILURE',
          Reason: 'Training job j failed: AlgorithmError: CUDA out of memory',
          UniqueId: 'j',
          Data: '',
        },
      ]);
      expect(sagemaker.commandCalls(ListTagsCommand)[0].args[0].input).toEqual({ ResourceArn: detail.TrainingJobArn });
    }));

  test("a job tagged for another stack's wait signals nothing, even when its event reaches this target", () =>
    withRecorder(async (url, recorder) => {
      ownedBy(STAGING_WAIT);
      await handler({
        ...oneWait(url),
        waitId: DEV_WAIT,
        detail: { TrainingJobName: 'j', TrainingJobArn: 'arn:j', TrainingJobStatus: 'Completed' },
      });
      expect(recorder.bodies).toEqual([]);
    }));

  test.each([
    ['a superseded attempt', [{ Key: WAIT_OWNER_TAG, Value: SUPERSEDED }]],
    ['an untagged job', []],
    [
      'a job re-tagged for this wait after an earlier owner',
      [
        { Key: WAIT_OWNER_TAG, Value: SUPERSEDED },
        { Key: WAIT_OWNER_TAG, Value: waitOwner(DEV_WAIT) },
      ],
    ],
  ])('%s', (name, Tags) =>
    withRecorder(async (url, recorder) => {
      sagemaker.on(ListTagsCommand).resolves({ Tags });
      describedAs({ TrainingJobStatus: 'Stopped' });
      await handler({
        ...oneWait(url),
        waitId: DEV_WAIT,
        detail: { TrainingJobName: 'j', TrainingJobArn: 'arn:j', TrainingJobStatus: 'Stopped' },
      });
      expect(recorder.bodies).toHaveLength(name.startsWith('a job re-tagged') ? 1 : 0);
    }),
  );

  test('signalling the same end twice sends the same UniqueId, which CloudFormation counts once', () =>
    withRecorder(async (url, recorder) => {
      ownedBy(DEV_WAIT);
      describedAs({ TrainingJobStatus: 'Completed' });
      const event = {
        ...oneWait(url),
        waitId: DEV_WAIT,
        detail: { TrainingJobName: 'j', TrainingJobArn: 'arn:j', TrainingJobStatus: 'Completed' },
      };
      await handler(event);
      await handler(event);
      expect(recorder.bodies).toHaveLength(2);
      expect(recorder.bodies[0]).toEqual(recorder.bodies[1]);
    }));

  test('an end after the stack rolled back (no handle left) signals nothing, stops the tick and logs which wait got it', async () => {
    ownedBy(DEV_WAIT);
    describedAs({ TrainingJobStatus: 'Failed', FailureReason: 'AlgorithmError: CUDA out of memory' });
    cloudFormation.on(ListStackResourcesCommand).resolves({
      StackResourceSummaries: [
        {
          LogicalResourceId: 'Handle1',
          PhysicalResourceId: 'http://127.0.0.1:1/gone',
          ResourceStatus: 'DELETE_COMPLETE',
        },
      ] as never,
    });
    await handler({
      stackId: STACK_ID,
      handleIds: ['Handle1'],
      tickRuleName: 'tick-rule',
      waitId: DEV_WAIT,
      detail: { TrainingJobName: 'j', TrainingJobArn: 'arn:j', TrainingJobStatus: 'Failed' },
    });
    expect(eventBridge.commandCalls(DisableRuleCommand)[0].args[0].input).toEqual({ Name: 'tick-rule' });
    expect(logged()).toEqual([{ job: 'j', status: 'Failed', signal: 'FAILURE', of: 1 }]);
  });

  test('the log names the wait signalled, of how many, or says the job was not this wait’s', () =>
    withRecorder(async (url) => {
      ownedBy(DEV_WAIT);
      describedAs({ TrainingJobStatus: 'Completed' });
      const end = { TrainingJobName: 'j', TrainingJobArn: 'arn:j', TrainingJobStatus: 'Completed' };
      await handler({ ...oneWait(url), waitId: DEV_WAIT, detail: end });
      ownedBy(STAGING_WAIT);
      await handler({ ...oneWait(url), waitId: DEV_WAIT, detail: end });
      expect(logged()).toEqual([
        { job: 'j', status: 'Completed', signal: 'SUCCESS', wait: 1, of: 1 },
        { job: 'j', status: 'Completed', ignored: 'the job belongs to another wait condition' },
      ]);
    }));

  test('a signal that cannot be sent fails the invocation, so Lambda retries it and then dead-letters it', async () => {
    ownedBy(DEV_WAIT);
    describedAs({ TrainingJobStatus: 'Completed' });
    await expect(
      handler({
        ...oneWait('http://127.0.0.1:1/gone'),
        waitId: DEV_WAIT,
        detail: { TrainingJobName: 'j', TrainingJobArn: 'arn:j', TrainingJobStatus: 'Completed' },
      }),
    ).rejects.toThrow();
  });
});

describe('a wait longer than 12 hours: the chain of wait conditions, walked with CloudFormation simulated', () => {
  const HOUR = 3_600_000;
  const created = new Date('2026-12-01T00:00:00Z');
  const at = (hours: number) => new Date(created.getTime() + hours * HOUR);
  const JOB = { jobName: 'job-1', jobArn: 'arn:job-1', waitId: DEV_WAIT };
  const job = (status: string, extra: Record<string, unknown> = {}) =>
    sagemaker.on(DescribeTrainingJobCommand).resolves({
      TrainingJobName: 'job-1',
      TrainingJobStatus: status,
      SecondaryStatus: status === 'InProgress' ? 'Training' : status,
      CreationTime: created,
      ...extra,
    } as never);
  const COMPLETED = { ModelArtifacts: { S3ModelArtifacts: 's3://m/job-1/output/model.tar.gz' } };

  /** A chain for a wait of `hours` (the job's maximum runtime plus the margin), as the construct builds it. */
  async function withChain(hours: number, body: (chain: SimulatedWaitChain) => Promise<void>) {
    const recorder = new ResponseRecorder();
    const base = (await recorder.start()).replace(/\/response$/, '');
    try {
      await body(
        new SimulatedWaitChain(recorder, base, cloudFormation, chainTimeouts(Duration.hours(hours)), JOB, created),
      );
    } finally {
      await recorder.stop();
    }
  }
  const tickOf = (chain: SimulatedWaitChain) => ({
    ...chain.input,
    tick: { jobName: 'job-1', jobArn: 'arn:job-1', segmentPeriodSeconds: 36_000 },
  });
  const stateChange = (chain: SimulatedWaitChain, status: string, extra: Record<string, unknown> = {}) => ({
    ...chain.input,
    detail: { TrainingJobName: 'job-1', TrainingJobArn: 'arn:job-1', TrainingJobStatus: status, ...extra },
  });
  async function tickHourly(chain: SimulatedWaitChain, from: number, to: number) {
    for (let hour = from; hour <= to; hour++) {
      await handler(tickOf(chain), at(hour));
      await chain.advance(at(hour));
    }
  }

  test('a 100-hour job, ticked hourly, never lets a wait time out, and its end completes the last wait', async () => {
    ownedBy(DEV_WAIT);
    job('InProgress');
    await withChain(101, async (chain) => {
      expect(chain.handleIds).toHaveLength(10);
      await tickHourly(chain, 1, 99);
      expect(chain.outcome).toBeUndefined();
      // Handed over every 10 hours, two hours before each 12-hour timeout.
      expect(chain.currentWait).toBe(10);
      expect(chain.signalsOf(1)).toEqual([expect.objectContaining({ Status: 'SUCCESS', UniqueId: 'running-1' })]);
      job('Completed', COMPLETED);
      await handler(tickOf(chain), at(100));
      await chain.advance(at(100));
      expect(chain.outcome).toEqual({ status: 'completed', wait: 10, at: at(100) });
      expect(chain.signalsOf(10)).toEqual([expect.objectContaining({ Status: 'SUCCESS', UniqueId: 'job-1' })]);
      expect(eventBridge.commandCalls(DisableRuleCommand)[0].args[0].input).toEqual({
        Name: 'ft-llama-3-8b-aaaa0001-wait-tick',
      });
      // The figures the README reports: 100 ticks, and one segment resource per later wait.
      expect(chain.segmentInvocations).toBe(9);
    });
  });

  test('a job that overruns its maximum runtime is never handed past the last wait: the deploy times out there', async () => {
    ownedBy(DEV_WAIT);
    job('InProgress');
    await withChain(31, async (chain) => {
      expect(chain.handleIds).toHaveLength(3);
      await tickHourly(chain, 1, 40);
      expect(chain.signalsOf(3)).toEqual([]);
      expect(chain.outcome).toMatchObject({ status: 'timed out', wait: 3 });
    });
  });

  test('each tick logs the hours, the current wait and whether it handed over; the signal names the next wait', async () => {
    ownedBy(DEV_WAIT);
    job('InProgress');
    await withChain(101, async (chain) => {
      await tickHourly(chain, 9, 11);
      expect(logged().filter((record) => 'hours' in record)).toEqual([
        { job: 'job-1', status: 'Training', hours: 9, wait: 1, handedOver: false },
        { job: 'job-1', status: 'Training', hours: 10, wait: 1, handedOver: true },
        { job: 'job-1', status: 'Training', hours: 11, wait: 2, handedOver: false },
      ]);
      expect(logged()).toContainEqual({ job: 'job-1', status: 'InProgress', wait: '2' });
      expect(chain.signalsOf(1)[0].Reason).toMatch(/after 10 h; wait 2 of 10 takes over$/);
      expect(chain.segmentResponse(2)).toMatchObject({
        Status: 'SUCCESS',
        PhysicalResourceId: 'FineTuningJobWaitSegmentaaaa0001Segment2-2',
        Reason: 'Training job job-1 is Training',
      });
    });
  });

  test('a job that fails in the third wait of a 30-hour chain fails that wait with SageMaker’s reason', async () => {
    ownedBy(DEV_WAIT);
    job('InProgress');
    await withChain(31, async (chain) => {
      await tickHourly(chain, 1, 26);
      expect(chain.currentWait).toBe(3);
      job('Failed', { FailureReason: 'AlgorithmError: CUDA out of memory' });
      await handler(stateChange(chain, 'Failed', { FailureReason: 'AlgorithmError: CUDA out of memory' }), at(27));
      await chain.advance(at(27));
      expect(chain.outcome).toMatchObject({ status: 'failed', wait: 3, reason: expect.stringContaining('CUDA') });
      expect(eventBridge.commandCalls(DisableRuleCommand)).toHaveLength(1);
    });
  });

  test('a job that completes in the second wait of ten ends the deploy at once: each later wait finds it ended', async () => {
    ownedBy(DEV_WAIT);
    job('InProgress');
    await withChain(101, async (chain) => {
      await tickHourly(chain, 1, 14);
      job('Completed', COMPLETED);
      await handler(stateChange(chain, 'Completed', COMPLETED), at(15));
      await chain.advance(at(15));
      expect(chain.outcome).toEqual({ status: 'completed', wait: 10, at: at(15) });
      expect(chain.segmentInvocations).toBe(9);
      for (let wait = 3; wait <= 10; wait++) {
        expect(chain.signalsOf(wait)).toEqual([expect.objectContaining({ Status: 'SUCCESS', UniqueId: 'job-1' })]);
      }
    });
  });

  test('a lost end event: the next tick finds the job failed and fails the current wait', async () => {
    ownedBy(DEV_WAIT);
    job('InProgress');
    await withChain(101, async (chain) => {
      await tickHourly(chain, 1, 52);
      job('Stopped', { SecondaryStatus: 'Stopped' });
      await tickHourly(chain, 53, 53);
      expect(chain.outcome).toMatchObject({ status: 'failed', wait: 6, reason: expect.stringContaining('stopped') });
    });
  });

  test('a job that ends just as a wait is handed over: the next wait is created, finds it ended and completes', async () => {
    ownedBy(DEV_WAIT);
    job('InProgress');
    await withChain(101, async (chain) => {
      await tickHourly(chain, 1, 9);
      await handler(tickOf(chain), at(10)); // hands wait 1 over ...
      job('Completed', COMPLETED);
      await handler(stateChange(chain, 'Completed', COMPLETED), at(10)); // ... and the end reaches wait 1 as well
      await chain.advance(at(10));
      expect(chain.outcome).toEqual({ status: 'completed', wait: 10, at: at(10) });
    });
  });

  test('without ticks (the tick rule lost), the first wait times out: the hand-over is what keeps a chain alive', async () => {
    ownedBy(DEV_WAIT);
    job('InProgress');
    await withChain(101, async (chain) => {
      await chain.advance(at(13));
      expect(chain.outcome).toEqual({ status: 'timed out', wait: 1, at: at(13) });
    });
  });

  test('the segment resource of a stack being deleted answers at once, without reading the job', () =>
    withRecorder(async (url, recorder) => {
      await handler({
        RequestType: 'Delete',
        ResponseURL: url,
        StackId: STACK_ID,
        RequestId: 'r',
        LogicalResourceId: 'WaitSegmentaaaa0001Segment2',
        ResourceType: 'Custom::TrainingWaitSegment',
        PhysicalResourceId: 'WaitSegmentaaaa0001Segment2-2',
        ResourceProperties: { HandleUrl: url, Segment: '2', JobName: 'job-1', JobArn: 'arn:job-1', WaitId: DEV_WAIT },
      });
      expect(recorder.bodies).toEqual([
        expect.objectContaining({ Status: 'SUCCESS', PhysicalResourceId: 'WaitSegmentaaaa0001Segment2-2' }),
      ]);
      expect(sagemaker.calls()).toHaveLength(0);
    }));

  test("a tick for a job that is no longer this wait's (a superseded attempt) signals nothing and stops ticking", async () => {
    sagemaker.on(ListTagsCommand).resolves({ Tags: [{ Key: WAIT_OWNER_TAG, Value: SUPERSEDED }] });
    job('InProgress');
    await withChain(101, async (chain) => {
      await handler(tickOf(chain), at(11));
      expect(chain.signalsOf(1)).toEqual([]);
      expect(eventBridge.commandCalls(DisableRuleCommand)).toHaveLength(1);
      expect(logged()).toEqual([{ job: 'job-1', ignored: 'the job belongs to another wait condition' }]);
    });
  });

  test('a rule that does not exist yet (the job ended first) is not an error; other EventBridge errors are', async () => {
    ownedBy(DEV_WAIT);
    job('Stopped');
    await withChain(31, async (chain) => {
      eventBridge
        .on(DisableRuleCommand)
        .rejects(Object.assign(new Error('no rule'), { name: 'ResourceNotFoundException' }));
      await expect(handler(tickOf(chain), at(3))).resolves.toBeUndefined();
      eventBridge.on(DisableRuleCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
      await expect(handler(tickOf(chain), at(4))).rejects.toThrow('denied');
    });
  });
});

describe('instance preferences: SageMaker picks the type, the wait follows the one job', () => {
  const HOUR = 3_600_000;
  const created = new Date('2026-12-01T00:00:00Z');
  const at = (hours: number) => new Date(created.getTime() + hours * HOUR);
  const CAPACITY = 'CapacityError: Unable to provision requested ML compute capacity for any preferred instance type.';
  const PREFERENCES = [{ InstanceType: 'ml.g5.48xlarge' }, { InstanceType: 'ml.p4d.24xlarge' }];
  let job: Record<string, any>;
  beforeEach(() => {
    job = {
      TrainingJobName: 'job-1',
      TrainingJobArn: 'arn:job-1',
      TrainingJobStatus: 'InProgress',
      CreationTime: created,
      ResourceConfig: { InstancePreferences: PREFERENCES, InstanceCount: 1, VolumeSizeInGB: 30 },
    };
    sagemaker.on(ListTagsCommand).resolves({ Tags: [{ Key: WAIT_OWNER_TAG, Value: waitOwner(DEV_WAIT) }] });
    sagemaker.on(DescribeTrainingJobCommand, { TrainingJobName: 'job-1' }).callsFake(() => job);
  });

  async function withChain(body: (chain: SimulatedWaitChain) => Promise<void>) {
    const recorder = new ResponseRecorder();
    const base = (await recorder.start()).replace(/\/response$/, '');
    try {
      await body(
        new SimulatedWaitChain(
          recorder,
          base,
          cloudFormation,
          chainTimeouts(Duration.hours(101)),
          { jobName: 'job-1', jobArn: 'arn:job-1', waitId: DEV_WAIT },
          created,
        ),
      );
    } finally {
      await recorder.stop();
    }
  }
  const ended = (chain: SimulatedWaitChain) => ({
    ...chain.input,
    // The event's own fields may lag: the handler describes the job.
    detail: { TrainingJobName: 'job-1', TrainingJobArn: 'arn:job-1', TrainingJobStatus: job.TrainingJobStatus },
  });

  test('the end signal names the type SageMaker chose', () =>
    withChain(async (chain) => {
      Object.assign(job, {
        TrainingJobStatus: 'Completed',
        ResourceConfig: { ...job.ResourceConfig, SelectedInstanceType: 'ml.p4d.24xlarge', SelectedInstanceCount: 1 },
      });
      await handler(ended(chain), at(3));
      await chain.advance(at(3));
      expect(chain.outcome).toMatchObject({ status: 'completed' });
      expect(chain.signalsOf(1)).toEqual([
        expect.objectContaining({
          Status: 'SUCCESS',
          Reason: "Training job job-1 on ml.p4d.24xlarge (SageMaker's choice by capacity) completed",
        }),
      ]);
    }));

  test("no type with capacity fails the wait with SageMaker's reason, and starts no other job", () =>
    withChain(async (chain) => {
      Object.assign(job, { TrainingJobStatus: 'Failed', SecondaryStatus: 'Failed', FailureReason: CAPACITY });
      await handler(ended(chain), at(2));
      await chain.advance(at(2));
      expect(chain.outcome).toMatchObject({ status: 'failed', reason: `Training job job-1 failed: ${CAPACITY}` });
      expect(sagemaker.commandCalls(CreateTrainingJobCommand)).toHaveLength(0);
    }));

  test('an end event SageMaker does not describe yet (a lagging read) ends nothing: the tick will', () =>
    withChain(async (chain) => {
      await handler({ ...ended(chain), detail: { ...ended(chain).detail, TrainingJobStatus: 'Completed' } }, at(3));
      expect(chain.signalsOf(1)).toEqual([]);
      expect(logged().at(-1)).toMatchObject({ job: 'job-1', status: 'Completed', currentStatus: 'InProgress' });
    }));

  test('a tick hands a wait over naming the status when SageMaker gives no secondary one', () =>
    withChain(async (chain) => {
      const tick = { jobName: 'job-1', jobArn: 'arn:job-1', segmentPeriodSeconds: 36_000 };
      await handler({ ...chain.input, tick }, at(11));
      expect(chain.signalsOf(1)).toEqual([
        expect.objectContaining({
          Status: 'SUCCESS',
          Reason: expect.stringMatching(/^Training job job-1 is still InProgress after 11 h/),
        }),
      ]);
    }));

  test('a lost end event: the next tick signals the end, with the chosen type', () =>
    withChain(async (chain) => {
      Object.assign(job, {
        TrainingJobStatus: 'Failed',
        SecondaryStatus: 'Failed',
        FailureReason: 'AlgorithmError: CUDA out of memory',
        ResourceConfig: { ...job.ResourceConfig, SelectedInstanceType: 'ml.g5.48xlarge' },
      });
      await handler(
        { ...chain.input, tick: { jobName: 'job-1', jobArn: 'arn:job-1', segmentPeriodSeconds: 36_000 } },
        at(5),
      );
      await chain.advance(at(5));
      expect(chain.outcome).toMatchObject({
        status: 'failed',
        reason:
          "Training job job-1 on ml.g5.48xlarge (SageMaker's choice by capacity) failed: AlgorithmError: CUDA out of memory",
      });
    }));
});
