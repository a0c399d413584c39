/** Managed spot training: the deploy's wait, what is refused, the saving reported (its request: training-request). */
import { Duration } from 'aws-cdk-lib';
import { signalFor } from '../../lib/handlers/shared/wait-signal';
import { fineTuningStack, jobStack } from '../support/stacks';

describe('the construct', () => {
  test('the maximum wait reaches the job, and the deploy waits it (plus the margin) instead of the runtime', () => {
    const { template, job } = jobStack({
      useSpotInstances: true,
      maxRuntime: Duration.hours(11),
      maxWaitTime: Duration.hours(22),
    });
    template.hasResourceProperties('Custom::SageMakerTrainingJob', {
      MaxRuntimeInSeconds: String(11 * 3600),
      MaxWaitTimeInSeconds: String(22 * 3600),
    });
    expect(job.waitTimeout.toHours()).toBe(23);
    // The estimate says what its cost and an interruption mean on spot.
    expect(job.trainingEstimate).toMatch(
      /On spot: the cost above is the on-demand ceiling .* may restart training from the beginning/,
    );
    expect(jobStack().job.trainingEstimate).not.toContain('On spot');
  });

  test.each([
    [
      { useSpotInstances: true },
      /maxWaitTime is required with useSpotInstances .*Fix: give a maxWaitTime of at least maxRuntime, e\.g\. twice it \(200 hours\)\./,
    ],
    [
      { useSpotInstances: true, maxWaitTime: Duration.hours(10) },
      /maxWaitTime is 36000 seconds; allowed: whole seconds from 360000 \(maxRuntime\) to 2419200/,
    ],
    [{ maxWaitTime: Duration.hours(200) }, /maxWaitTime is given without useSpotInstances/],
    [
      {
        modelId: 'meta-textgeneration-llama-3-70b',
        instanceType: 'ml.p4d.24xlarge',
        useSpotInstances: true,
        maxWaitTime: Duration.hours(200),
        trainingPlanArn: 'arn:aws:sagemaker:us-west-2:123456789012:training-plan/p4d',
      },
      /useSpotInstances is given with trainingPlanArn/,
    ],
    [
      { useSpotInstances: true, maxWaitTime: Duration.hours(200), fallbackInstanceTypes: ['ml.g5.24xlarge'] },
      /useSpotInstances is given with fallbackInstanceTypes/,
    ],
    [{ useSpotInstances: 'true' }, /useSpotInstances is "true"; allowed: true or false/],
  ])('%j is refused', (props, message) => {
    expect(() => jobStack(props as any)).toThrow(message);
  });

  test('the stack speaks its own prop names', () => {
    expect(() => fineTuningStack({ trainingUseSpotInstances: true })).toThrow(
      /trainingMaxWaitTime is required with trainingUseSpotInstances/,
    );
  });
});

test('the end signal of a spot job says what SageMaker billed of its training time', () => {
  const signal = signalFor({
    TrainingJobName: 'job-1',
    TrainingJobStatus: 'Completed',
    EnableManagedSpotTraining: true,
    BillableTimeInSeconds: 1800,
    TrainingTimeInSeconds: 6000,
  });
  expect(signal!.Reason).toBe('Training job job-1 completed (spot: billed 1800 s of 6000 s, 70% saved)');
  expect(
    signalFor({
      TrainingJobName: 'job-1',
      TrainingJobStatus: 'Completed',
      BillableTimeInSeconds: 6000,
      TrainingTimeInSeconds: 6000,
    })!.Reason,
  ).toBe('Training job job-1 completed');
});
