import { ListTagsCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import { handler, signalFor } from '../../lib/handlers/signal-wait-condition';
import { SUPERSEDED, WAIT_OWNER_TAG, waitOwner } from '../../lib/handlers/shared/wait-ownership';
import { ResponseRecorder } from '../support/response-recorder';

const sagemaker = mockClient(SageMakerClient);
beforeEach(() => sagemaker.reset());

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
        handleUrl: url,
        waitId: DEV_WAIT,
        detail: { ...detail, TrainingJobStatus: 'Failed', FailureReason: 'AlgorithmError: CUDA out of memory' },
      });
      await handler({
        handleUrl: url,
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
        handleUrl: url,
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
        handleUrl: url,
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
        handleUrl: url,
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
        handleUrl: 'http://127.0.0.1:1/gone',
        waitId: DEV_WAIT,
        detail: { TrainingJobName: 'j', TrainingJobArn: 'arn:j', TrainingJobStatus: 'Completed' },
      }),
    ).rejects.toThrow();
  });
});
