import { Duration } from 'aws-cdk-lib';
import { durationTypeProblem } from '../../config/input-checks';
import { showValue } from '../../config/show-value';

/** What the lifecycle props of TrainingDataBuckets are checked against. */
export interface LifecycleInputs {
  readonly noncurrentVersionExpiration?: Duration;
  readonly trainingOutputExpiration?: Duration;
  readonly objectLockRetention?: Duration;
  /** Whether the data and the model bucket are new (lifecycle rules go on new buckets only). */
  readonly newDataBucket: boolean;
  readonly newModelBucket: boolean;
}

/** Whole days, at least one: S3 lifecycle rules count in days. A token is taken as given. */
function wholeDaysProblem(prop: string, value: Duration | undefined): string | undefined {
  const wrongType = durationTypeProblem(prop, value);
  if (wrongType || value === undefined || value.isUnresolved()) return wrongType;
  const days = value.toDays({ integral: false });
  if (Number.isInteger(days) && days >= 1) return undefined;
  return (
    `${prop} is ${showValue(value)}; allowed: whole days, at least 1 (S3 lifecycle rules count in days). ` +
    `Fix: e.g. Duration.days(${Math.max(1, Math.ceil(days))}), or leave it out to keep every version.`
  );
}

/** Days of a duration known at synth; undefined for a token or a wrong value (reported elsewhere). */
function knownDays(value: Duration | undefined): number | undefined {
  return value instanceof Duration && !value.isUnresolved() ? value.toDays({ integral: false }) : undefined;
}

/**
 * The lifecycle props: whole days; nothing given that no new bucket would take; no noncurrent
 * expiration shorter than the object lock (S3 deletes no locked version, so the rule would
 * promise what S3 does not do); and no output expiration without noncurrent expiration, since
 * in a versioned bucket expiry only hides objects behind a delete marker and they stay billed.
 */
export function lifecycleProblems(inputs: LifecycleInputs): Array<string | undefined> {
  const { noncurrentVersionExpiration: noncurrent, trainingOutputExpiration: output } = inputs;
  const problems = [
    wholeDaysProblem('noncurrentVersionExpiration', noncurrent),
    wholeDaysProblem('trainingOutputExpiration', output),
  ];
  if (problems.some((p) => p !== undefined)) return problems;
  if (noncurrent !== undefined && !inputs.newDataBucket && !inputs.newModelBucket) {
    problems.push(
      'noncurrentVersionExpiration is given with existingDataBucket and existingModelBucket: lifecycle rules go on ' +
        "the buckets this construct creates, never on existing ones, so it would be ignored. Fix: set it on the existing buckets' own lifecycle, or drop it.",
    );
  }
  if (output !== undefined && !inputs.newModelBucket) {
    problems.push(
      'trainingOutputExpiration is given with existingModelBucket: lifecycle rules go on the buckets this construct ' +
        "creates, never on existing ones, so it would be ignored. Fix: set it on the existing bucket's own lifecycle, or drop it.",
    );
  } else if (output !== undefined && noncurrent === undefined) {
    problems.push(
      `trainingOutputExpiration is ${showValue(output)} without noncurrentVersionExpiration: the model bucket is ` +
        'versioned, so expiry only puts a delete marker over each model and its versions stay, and are billed, for good. ' +
        'Fix: give noncurrentVersionExpiration too (e.g. Duration.days(7)), which deletes them that long after.',
    );
  }
  const noncurrentDays = knownDays(noncurrent);
  const lockDays = knownDays(inputs.objectLockRetention);
  if (noncurrentDays !== undefined && lockDays !== undefined && noncurrentDays < lockDays) {
    problems.push(
      `noncurrentVersionExpiration is ${showValue(noncurrent)}, shorter than the object lock's retention of ` +
        `${showValue(inputs.objectLockRetention)}: S3 deletes no locked version, so versions would outlive the rule. ` +
        `Fix: Duration.days(${Math.ceil(lockDays)}) or more.`,
    );
  }
  return problems;
}

/** The least trainingOutputExpiration a stack serving its own training output takes. */
export const SERVED_OUTPUT_MIN_EXPIRATION = Duration.days(30);

/**
 * A stack that serves the model it trains (or an attached job's, which may be its own earlier
 * run) serves it from output/: an expiry shorter than a month would leave its endpoint unable to
 * start an instance before a retrain is due. Longer ones warn (see TrainingDataBuckets).
 */
export function servedOutputExpirationProblem(expiration: Duration | undefined, serving: boolean): string | undefined {
  const days = knownDays(expiration);
  const least = SERVED_OUTPUT_MIN_EXPIRATION.toDays();
  if (!serving || days === undefined || days >= least) return undefined;
  return (
    `trainingOutputExpiration is ${showValue(expiration)} while the stack serves the model it trains from output/: ` +
    'once the model expires the endpoint cannot start an instance (scale out, replace one, scale up from zero, be ' +
    `re-created). allowed: at least ${least} days when serving. Fix: Duration.days(${least}) or more, retraining ` +
    'within that time, or deployEndpoint: false to train only.'
  );
}
