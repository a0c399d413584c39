import { DisableRuleCommand, EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { DescribeTrainingJobCommand, ListTagsCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import { handler, signalFor } from '../../lib/handlers/signal-wait-condition';
import { SUPERSEDED, WAIT_OWNER_TAG, waitOwner } from '../../lib/handlers/shared/wait-ownership';
import { ResponseRecorder } from '../support/response-recorder';

const sagemaker = mockClient(SageMakerClient);
const eventBridge = mockClient(EventBridgeClient);
beforeEach(() => {
  sagemaker.reset();
  eventBridge.reset();
  eventBridge.on(DisableRuleCommand).resolves({});
});

const DEV_WAIT = 'arn:aws:cloudformation:us-east-1:123456789012:stack/Dev/1111/FineTuningJobWaitHandleaaaa0001';
const STAGING_WAIT = 'arn:aws:cloudformation:us-east-1:123456789012:stack/Staging/2222/FineTuningJobWaitHandleaaaa0001';
const ownedBy = (waitId: string) =>
  sagemaker.on(ListTagsCommand).resolves({ Tags: [{ Key: WAIT_OWNER_TAG, Value: waitOwner(waitId) }] });

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
      const detail = {
        TrainingJobName: 'j',
        TrainingJobArn: 'arn:aws:sagemaker:us-east-1:123456789012:training-job/j',
      };
      await handler({
        handleUrls: [url],
        tickRuleName: 'no-tick-rule',
        waitId: DEV_WAIT,
        detail: { ...detail, TrainingJobStatus: 'Failed', FailureReason: 'AlgorithmError: CUDA out of memory' },
      });
      await handler({
        handleUrls: [url],
        tickRuleName: 'no-tick-rule',
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
        handleUrls: [url],
        tickRuleName: 'no-tick-rule',
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
      await handler({
        handleUrls: [url],
        tickRuleName: 'no-tick-rule',
        waitId: DEV_WAIT,
        detail: { TrainingJobName: 'j', TrainingJobArn: 'arn:j', TrainingJobStatus: 'Stopped' },
      });
      expect(recorder.bodies).toHaveLength(name.startsWith('a job re-tagged') ? 1 : 0);
    }),
  );

  test('signalling the same end twice sends the same UniqueId, which CloudFormation counts once', () =>
    withRecorder(async (url, recorder) => {
      ownedBy(DEV_WAIT);
      const event = {
        handleUrls: [url],
        tickRuleName: 'no-tick-rule',
        waitId: DEV_WAIT,
        detail: { TrainingJobName: 'j', TrainingJobArn: 'arn:j', TrainingJobStatus: 'Completed' },
      };
      await handler(event);
      await handler(event);
      expect(recorder.bodies).toHaveLength(2);
      expect(recorder.bodies[0]).toEqual(recorder.bodies[1]);
    }));

  test('a signal that cannot be sent fails the invocation, so Lambda retries it and then dead-letters it', async () => {
    ownedBy(DEV_WAIT);
    await expect(
      handler({
        handleUrls: ['http://127.0.0.1:1/gone'],
        tickRuleName: 'no-tick-rule',
        waitId: DEV_WAIT,
        detail: { TrainingJobName: 'j', TrainingJobArn: 'arn:j', TrainingJobStatus: 'Completed' },
      }),
    ).rejects.toThrow();
  });
});

describe('a wait longer than 12 hours: the chain of wait conditions', () => {
  const HOUR = 3_600_000;
  const created = new Date('2026-12-01T00:00:00Z');
  const at = (hours: number) => new Date(created.getTime() + hours * HOUR);
  /** A 100-hour wait is 10 waits; the tick hands over every 10 hours (SEGMENT_PERIOD). */
  const tick = (urls: string[]) => ({
    handleUrls: urls,
    waitId: DEV_WAIT,
    tickRuleName: 'ft-llama-3-8b-aaaa0001-wait-tick',
    tick: { jobName: 'job-1', jobArn: 'arn:job-1', segmentPeriodSeconds: 36_000 },
  });
  const running = (secondary = 'Training') =>
    sagemaker.on(DescribeTrainingJobCommand).resolves({
      TrainingJobName: 'job-1',
      TrainingJobStatus: 'InProgress',
      SecondaryStatus: secondary,
      CreationTime: created,
    } as never);

  async function withHandles(count: number, body: (urls: string[], recorders: ResponseRecorder[]) => Promise<void>) {
    const recorders = Array.from({ length: count }, () => new ResponseRecorder());
    const urls = await Promise.all(recorders.map((r) => r.start()));
    try {
      await body(urls, recorders);
    } finally {
      await Promise.all(recorders.map((r) => r.stop()));
    }
  }
  const signalled = (recorders: ResponseRecorder[]) => recorders.map((r) => r.bodies.map((b: any) => b.UniqueId));

  test('a 100-hour job, ticked hourly: each wait is handed over 10 h after the last, never the last wait; the end signals all', async () => {
    ownedBy(DEV_WAIT);
    running();
    await withHandles(10, async (urls, recorders) => {
      let invocations = 0;
      for (let hour = 1; hour <= 99; hour++) {
        await handler(tick(urls), at(hour));
        invocations++;
        // Before its 12-hour timeout: wait k (created about (k-1) x 10 h) is handed over at k x 10 h.
        const handedOver = recorders.filter((r) => r.bodies.length > 0).length;
        expect(handedOver).toBe(Math.min(Math.floor(hour / 10), 9));
      }
      expect(signalled(recorders)[0]).toContain('running-1');
      expect(recorders[9].bodies).toEqual([]);
      sagemaker.on(DescribeTrainingJobCommand).resolves({
        TrainingJobName: 'job-1',
        TrainingJobStatus: 'Completed',
        CreationTime: created,
        ModelArtifacts: { S3ModelArtifacts: 's3://m/job-1/output/model.tar.gz' },
      } as never);
      await handler(tick(urls), at(100));
      invocations++;
      for (const recorder of recorders)
        expect(recorder.bodies.at(-1)).toMatchObject({ Status: 'SUCCESS', UniqueId: 'job-1' });
      expect(eventBridge.commandCalls(DisableRuleCommand)[0].args[0].input).toEqual({
        Name: 'ft-llama-3-8b-aaaa0001-wait-tick',
      });
      // The figure the README reports: one invocation an hour, and the one that finds the end.
      expect(invocations).toBe(100);
    });
  });

  test('a 30-hour job that fails in its third wait fails the current wait and every later one; the tick stops', async () => {
    ownedBy(DEV_WAIT);
    running();
    await withHandles(4, async (urls, recorders) => {
      for (const hour of [5, 10, 15, 20, 25]) await handler(tick(urls), at(hour));
      expect(recorders.map((r) => r.bodies.length > 0)).toEqual([true, true, false, false]);
      await handler(
        {
          handleUrls: urls,
          waitId: DEV_WAIT,
          tickRuleName: 'ft-llama-3-8b-aaaa0001-wait-tick',
          detail: {
            TrainingJobName: 'job-1',
            TrainingJobArn: 'arn:job-1',
            TrainingJobStatus: 'Failed',
            FailureReason: 'AlgorithmError: CUDA out of memory',
          },
        },
        at(27),
      );
      for (const recorder of recorders.slice(2)) {
        expect(recorder.bodies).toEqual([
          expect.objectContaining({ Status: 'FAILURE', Reason: expect.stringContaining('CUDA out of memory') }),
        ]);
      }
      expect(eventBridge.commandCalls(DisableRuleCommand)).toHaveLength(1);
    });
  });

  test("a tick for a job that is no longer this wait's (a superseded attempt) signals nothing and stops ticking", async () => {
    sagemaker.on(ListTagsCommand).resolves({ Tags: [{ Key: WAIT_OWNER_TAG, Value: SUPERSEDED }] });
    running();
    await withHandles(3, async (urls, recorders) => {
      await handler(tick(urls), at(50));
      expect(signalled(recorders)).toEqual([[], [], []]);
      expect(eventBridge.commandCalls(DisableRuleCommand)).toHaveLength(1);
    });
  });

  test('a rule that does not exist yet (the job ended first) is not an error; other EventBridge errors are', async () => {
    ownedBy(DEV_WAIT);
    sagemaker
      .on(DescribeTrainingJobCommand)
      .resolves({ TrainingJobName: 'job-1', TrainingJobStatus: 'Stopped' } as never);
    await withHandles(2, async (urls) => {
      eventBridge
        .on(DisableRuleCommand)
        .rejects(Object.assign(new Error('no rule'), { name: 'ResourceNotFoundException' }));
      await expect(handler(tick(urls), at(3))).resolves.toBeUndefined();
      eventBridge.on(DisableRuleCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
      await expect(handler(tick(urls), at(4))).rejects.toThrow('denied');
    });
  });
});
