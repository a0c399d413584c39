import { Duration } from 'aws-cdk-lib';

/** A CloudFormation wait condition waits at most 12 hours; longer waits are a chain of them. */
export const MAX_WAIT = Duration.hours(12);
/**
 * While the job runs, each wait of the chain is handed to the next this long after the job
 * was created (checked hourly): two hours before its 12-hour timeout, one of them for a late tick.
 */
export const SEGMENT_PERIOD = Duration.hours(10);
/** How often a running job is checked: no faster than hourly. */
export const TICK_PERIOD = Duration.hours(1);
/** Time around the training itself: queueing for capacity, downloading base weights, uploading the model. */
export const WAIT_MARGIN = Duration.hours(1);
/** JumpStart's own maximum runtime (`max_run=360000`), the default. */
export const DEFAULT_TRAINING_RUNTIME = Duration.hours(100);
/** SageMaker's limit on MaxRuntimeInSeconds: 28 days. */
export const MAX_TRAINING_RUNTIME = Duration.days(28);

/** Wait conditions in the chain for a wait of this length: the first, plus one per period beyond 12 hours. */
export function waitSegments(waitTimeout: Duration): number {
  const beyond = waitTimeout.toSeconds() - MAX_WAIT.toSeconds();
  return 1 + Math.max(0, Math.ceil(beyond / SEGMENT_PERIOD.toSeconds()));
}
