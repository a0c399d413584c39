/**
 * A configuration problem found before anything is deployed. The message names
 * the prop, the value given, what is allowed and how to fix it; the example app
 * and the CLI print it without a stack trace.
 *
 * A plain Error with a name and the problems rather than a subclass: jsii, which
 * publishes the library for Python, can't model subclasses of Error.
 */
export type ConfigurationError = Error & { readonly problems: string[] };

const NAME = 'ConfigurationError';

/** One error listing every problem. */
export function configurationError(problems: string[]): ConfigurationError {
  const error = new Error(
    problems.length === 1
      ? problems[0]
      : `${problems.length} configuration problems:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
  );
  error.name = NAME;
  return Object.assign(error, { problems });
}

export function isConfigurationError(error: unknown): error is ConfigurationError {
  return error instanceof Error && error.name === NAME;
}

/** Throws one error listing every problem, if there are any (undefined entries are checks that passed). */
export function throwIfProblems(problems: ReadonlyArray<string | undefined>): void {
  const found = problems.filter((p): p is string => p !== undefined);
  if (found.length > 0) throw configurationError(found);
}
