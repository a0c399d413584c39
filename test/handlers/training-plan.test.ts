import {
  CreateTrainingJobCommand,
  DescribeTrainingJobCommand,
  DescribeTrainingPlanCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import { trainingPlanProblem } from '../../lib/handlers/shared/training-plan';
import { handle } from '../../lib/handlers/training-job';
import { PROPS } from '../support/training-props';

const NOW = new Date('2026-12-03T08:00:00Z');
const HOUR = 3_600_000;
const at = (hours: number) => new Date(NOW.getTime() + hours * HOUR);
/** A p5 job of 10 hours whose deploy waits 10 h of runtime + 1 h margin + 2 h pending. */
const JOB = { instanceType: 'ml.p5.48xlarge', instanceCount: 1, maxRuntimeSeconds: 36_000, waitSeconds: 46_800 };
const plan = (extra: object = {}, reservation: object = {}) => ({
  TrainingPlanArn: 'arn:aws:sagemaker:us-east-1:123456789012:training-plan/p5-week',
  TrainingPlanName: 'p5-week',
  Status: 'Scheduled' as const,
  StartTime: at(1),
  EndTime: at(169),
  TargetResources: ['training-job' as const],
  ReservedCapacitySummaries: [
    {
      ReservedCapacityArn: 'arn:rc',
      InstanceType: 'ml.p5.48xlarge' as const,
      TotalInstanceCount: 2,
      Status: 'Scheduled' as const,
      StartTime: at(1),
      EndTime: at(169),
      ...reservation,
    },
  ],
  ...extra,
});

describe('a training plan the job can run on to its end', () => {
  test('a scheduled plan of the job type that starts within the wait and outlasts the runtime fits', () => {
    expect(trainingPlanProblem(plan(), JOB, NOW)).toBeUndefined();
    expect(
      trainingPlanProblem(plan({ Status: 'Active', StartTime: at(-5) }, { StartTime: at(-5) }), JOB, NOW),
    ).toBeUndefined();
  });

  test.each([
    [
      { Status: 'Expired' },
      {},
      /Training plan p5-week is Expired: a job on it would never start\. Fix: .*drop trainingPlanArn/,
    ],
    [{ Status: 'Failed', StatusMessage: 'payment declined' }, {}, /p5-week is Failed \(payment declined\): a job/],
    [{ TargetResources: ['hyperpod-cluster'] }, {}, /reserves capacity for hyperpod-cluster, not training jobs/],
    [
      {},
      { InstanceType: 'ml.p4d.24xlarge' },
      /reserves ml\.p4d\.24xlarge x2; this job trains on ml\.p5\.48xlarge x1\. Fix: set instanceType and instanceCount/,
    ],
    [{}, { TotalInstanceCount: 0 }, /reserves ml\.p5\.48xlarge x0; this job trains on ml\.p5\.48xlarge x1/],
    // Starts in 4 h; the deploy leaves 3 h (1 h margin + 2 h pending) before the runtime.
    [
      { StartTime: at(4) },
      { StartTime: at(4) },
      /starts at 2026-12-03T12:00:00Z, in 4 h, but the deploy waits 13 h in all \(the maximum runtime of 10 h and 3 h of pending time\).*Fix: a maxPendingTime of at least 4 hours/,
    ],
    // Ends 6 h after it starts: a 10-hour runtime would outlast it.
    [
      { EndTime: at(7) },
      { EndTime: at(7) },
      /ends at 2026-12-03T15:00:00Z, before the job's maximum runtime of 10 h would \(2026-12-03T19:00:00Z\).*Fix: a maxRuntime of at most 21600 seconds/,
    ],
  ])('%j %j is refused', (extra, reservation, message) => {
    expect(trainingPlanProblem(plan(extra, reservation), JOB, NOW)).toMatch(message);
  });

  test('at the edges: a start exactly at the end of the pending time, and an end exactly at the runtime, both fit', () => {
    // Pending room 3 h; the runtime (10 h) ends with the plan.
    expect(
      trainingPlanProblem(plan({ StartTime: at(3), EndTime: at(13) }, { StartTime: at(3), EndTime: at(13) }), JOB, NOW),
    ).toBeUndefined();
    expect(trainingPlanProblem(plan({ StartTime: at(3) }, { StartTime: at(3), EndTime: at(12.99) }), JOB, NOW)).toMatch(
      /ends at 2026-12-03T20:59:24Z/,
    );
  });

  test('of several reservations that fit, the earliest start and the latest end count', () => {
    const reservation = plan().ReservedCapacitySummaries[0];
    const several = plan({
      ReservedCapacitySummaries: [
        { ...reservation, StartTime: at(5), EndTime: at(20) },
        { ...reservation, StartTime: at(2), EndTime: at(11) },
      ],
    });
    // Starts at 2 h (within the 3 h of pending time), ends at 20 h (after the 12 h the runtime needs).
    expect(trainingPlanProblem(several, JOB, NOW)).toBeUndefined();
  });

  test("a reservation without its own times takes the plan's; a plan without any starts now and never ends", () => {
    const reservation = { StartTime: undefined, EndTime: undefined };
    expect(trainingPlanProblem(plan({ StartTime: at(4) }, reservation), JOB, NOW)).toMatch(/starts at .* in 4 h/);
    expect(trainingPlanProblem(plan({ EndTime: at(7) }, reservation), JOB, NOW)).toMatch(
      /ends at 2026-12-03T15:00:00Z/,
    );
    expect(
      trainingPlanProblem(plan({ StartTime: undefined, EndTime: undefined }, reservation), JOB, NOW),
    ).toBeUndefined();
    // No start at all: training starts now, and runs 10 h from 08:00.
    expect(trainingPlanProblem(plan({ StartTime: undefined, EndTime: at(7) }, reservation), JOB, NOW)).toMatch(
      /ends at 2026-12-03T15:00:00Z, before the job's maximum runtime of 10 h would \(2026-12-03T18:00:00Z\)/,
    );
  });

  test('a plan with no reservations says it reserves nothing', () => {
    expect(trainingPlanProblem(plan({ ReservedCapacitySummaries: [] }), JOB, NOW)).toMatch(
      /reserves nothing; this job trains on/,
    );
    expect(trainingPlanProblem(plan({ ReservedCapacitySummaries: undefined }), JOB, NOW)).toMatch(/reserves nothing;/);
  });

  test('a reservation of exactly as many instances as the job takes fits', () => {
    expect(trainingPlanProblem(plan({}, { TotalInstanceCount: 1 }), JOB, NOW)).toBeUndefined();
  });
});

describe('the training handler with a plan', () => {
  const sagemaker = mockClient(SageMakerClient);
  const notFound = Object.assign(new Error('Requested resource not found.'), { name: 'ValidationException' });
  const props = {
    ...PROPS,
    InstanceType: 'ml.p5.48xlarge',
    MaxRuntimeInSeconds: '36000',
    TrainingPlanArn: 'arn:aws:sagemaker:us-east-1:123456789012:training-plan/p5-week',
    WaitSeconds: '46800',
  };
  const create = () =>
    handle({
      RequestType: 'Create',
      ResponseURL: 'http://unused',
      StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/S/1',
      RequestId: 'r',
      LogicalResourceId: 'Job',
      ResourceType: 'Custom::SageMakerTrainingJob',
      ResourceProperties: props,
    });
  beforeEach(() => {
    sagemaker.reset();
    sagemaker.on(DescribeTrainingJobCommand).rejects(notFound);
    sagemaker.on(CreateTrainingJobCommand).resolves({ TrainingJobArn: 'arn:job' });
  });

  test('reads the plan by its name before starting the job on it', async () => {
    const now = new Date();
    sagemaker.on(DescribeTrainingPlanCommand).resolves({
      ...plan(
        { StartTime: now, EndTime: new Date(now.getTime() + 100 * HOUR) },
        { StartTime: now, EndTime: new Date(now.getTime() + 100 * HOUR) },
      ),
    });
    await create();
    expect(sagemaker.commandCalls(DescribeTrainingPlanCommand)[0].args[0].input).toEqual({
      TrainingPlanName: 'p5-week',
    });
    expect(sagemaker.commandCalls(CreateTrainingJobCommand)[0].args[0].input.ResourceConfig!.TrainingPlanArn).toBe(
      props.TrainingPlanArn,
    );
  });

  test('a plan the job cannot use fails the deploy before any job exists', async () => {
    sagemaker.on(DescribeTrainingPlanCommand).resolves(plan({ Status: 'Expired' }));
    await expect(create()).rejects.toThrow(/Training plan p5-week is Expired/);
    expect(sagemaker.commandCalls(CreateTrainingJobCommand)).toHaveLength(0);
  });
});
