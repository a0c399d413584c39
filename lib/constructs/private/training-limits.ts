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
/** SageMaker's range of MaxPendingTimeInSeconds (its service model): 2 hours to 28 days. */
export const PENDING_TIME_RANGE = { min: Duration.hours(2), max: Duration.days(28) } as const;

/**
 * The timeouts, in seconds, of the chain of wait conditions for a wait of this length: one
 * wait, plus one per hand-over period beyond 12 hours; 12 hours each, and the last waits
 * what is left, so the chain waits the whole length.
 */
export function chainTimeouts(waitTimeout: Duration): number[] {
  const total = waitTimeout.toSeconds();
  const period = SEGMENT_PERIOD.toSeconds();
  const handOvers = Math.max(0, Math.ceil((total - MAX_WAIT.toSeconds()) / period));
  return [...Array<number>(handOvers).fill(MAX_WAIT.toSeconds()), total - handOvers * period];
}
