/**
 * A configuration problem found before anything is deployed. The message names
 * the prop, the value given, what is allowed and how to fix it; the example app
 * prints it without a stack trace.
 */
export class ConfigurationError extends Error {
  /** Each problem found, one sentence each. */
  public readonly problems: string[];

  constructor(problems: string[]) {
    super(problems.length === 1
      ? problems[0]
      : `${problems.length} configuration problems:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigurationError';
    this.problems = problems;
  }
}

/** Throws one ConfigurationError listing every problem, if there are any. */
export function throwIfProblems(problems: string[]): void {
  if (problems.length > 0) {
    throw new ConfigurationError(problems);
  }
}
