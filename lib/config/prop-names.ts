import { configurationError, isConfigurationError } from './configuration-error';

/**
 * A construct's problems name its own props; a caller that passes its props under other
 * names (a stack's `trainingInstanceType` for a job's `instanceType`, an app's context key
 * `instance_type` for the stack's prop) renames them, so each layer speaks its own vocabulary.
 */
export type PropNames = Readonly<Record<string, string>>;

const escape = (name: string) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A value as messages quote it (JSON.stringify): `"not a region"`, escapes included. */
const QUOTED = /("(?:[^"\\]|\\.)*")/;

/**
 * The problem with each whole-word prop name replaced by the caller's name for it. Quoted
 * values are the user's own words and stay as given: `region is "not a region"` must not
 * become `--region is "not a --region"`.
 */
export function renameProps(problem: string, names: PropNames): string {
  const keys = Object.keys(names).sort((a, b) => b.length - a.length);
  if (keys.length === 0) return problem;
  const pattern = new RegExp(`(?<![\\w.])(${keys.map(escape).join('|')})(?![\\w])`, 'g');
  // split() with a capturing group keeps the quoted parts at the odd indexes.
  return problem
    .split(QUOTED)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(pattern, (name) => names[name])))
    .join('');
}

/** The names of the callers building right now, innermost last. */
const callers: PropNames[] = [];

/** Builds something, renaming the props in any configuration error it throws. */
export function withPropNames<T>(names: PropNames, build: () => T): T {
  callers.push(names);
  try {
    return build();
  } catch (error) {
    if (!isConfigurationError(error)) throw error;
    throw configurationError(error.problems.map((problem) => renameProps(problem, names)));
  } finally {
    callers.pop();
  }
}

/** A warning in the terms of whoever is building the construct (each caller renames in turn, innermost first). */
export function inCallerTerms(message: string): string {
  return callers.reduceRight((m, names) => renameProps(m, names), message);
}
