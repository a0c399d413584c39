/**
 * An aws-cdk-lib Duration, recognised by its methods: this module is loaded by the command
 * line too, which must start without aws-cdk-lib.
 */
function isDuration(value: unknown): value is { isUnresolved(): boolean; toHumanString(): string } {
  const candidate = value as { isUnresolved?: unknown; toHumanString?: unknown } | null;
  return typeof candidate?.isUnresolved === 'function' && typeof candidate.toHumanString === 'function';
}

/** Stands in for a number JSON cannot hold, so it can be written back unquoted. */
const NON_FINITE = '__non-finite-number__:';

/**
 * A value as the user gave it, for messages: strings quoted, numbers as JavaScript prints
 * them. JSON.stringify alone would print NaN and Infinity as `null`, which names a value
 * nobody typed; a Duration as its unit and amount objects rather than the time it is.
 */
export function showValue(value: unknown): string {
  if (typeof value === 'number') return String(value); // NaN, Infinity and -Infinity as typed
  if (value === undefined) return 'undefined';
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'symbol') return value.toString();
  if (isDuration(value)) return value.isUnresolved() ? 'a token' : value.toHumanString();
  try {
    const json = JSON.stringify(value, (_key, v: unknown) =>
      typeof v === 'number' && !Number.isFinite(v) ? `${NON_FINITE}${v}` : v,
    );
    return json.replace(new RegExp(`"${NON_FINITE}(-?\\w+)"`, 'g'), '$1');
  } catch {
    return 'an object that cannot be printed'; // a cycle: construct objects, for example
  }
}
