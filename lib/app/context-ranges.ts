/**
 * What the numeric context keys allow at the least, checked as they are read: below it CDK
 * itself throws (a negative Duration) or the stack would answer about a setting of its own
 * (`endpointAutoScaling.minInstances`) rather than the key the user typed. Upper bounds that
 * depend on other settings (max_wait against max_run) are left to the stack's checks.
 */
export interface ContextRange {
  /** The least value allowed. */
  readonly least: number;
  /** Whether `least` itself is refused (a budget of 0 dollars buys nothing). */
  readonly exclusive?: boolean;
  /** What is allowed, in the key's unit. */
  readonly allowed: string;
  /** A value to offer in the fix. */
  readonly example: string;
}

const DURATION = (allowed: string, example: string): ContextRange => ({ least: 1, allowed, example });
const COUNT = (example: string): ContextRange => ({ least: 1, allowed: 'an integer >= 1', example });

export const CONTEXT_RANGES: Readonly<Record<string, ContextRange>> = {
  instance_count: COUNT('1'),
  max_run: DURATION('whole seconds from 1 to 2419200 (28 days)', '360000'),
  max_wait: DURATION('whole seconds, at least the maximum runtime, at most 2419200 (28 days)', '720000'),
  max_pending_time: DURATION('whole seconds from 7200 to 2419200 (2 hours to 28 days)', '7200'),
  max_budget_usd: { least: 0, exclusive: true, allowed: 'a positive number of US dollars', example: '50' },
  endpoint_instance_count: COUNT('1'),
  endpoint_min_instances: COUNT('1'),
  endpoint_max_instances: COUNT('2'),
  noncurrent_version_expiration_days: DURATION('whole days >= 1', '30'),
  training_output_expiration_days: DURATION('whole days >= 1', '90'),
  endpoint_target_invocations: {
    least: 1,
    allowed: 'an integer >= 1 (invocations per instance per minute)',
    example: '10',
  },
};

/** Whether a value is in a key's range; one that did not parse (undefined) is in none, as NaN compares false. */
export function inContextRange(range: ContextRange, value: number | undefined): boolean {
  const number = Number(value);
  return range.exclusive ? number > range.least : number >= range.least;
}
