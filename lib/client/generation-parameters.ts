import { configurationError } from '../config/configuration-error';

/** Text generation parameters of the DJL LMI container, as `predictor.predict()` takes them. */
export interface GenerationParameters {
  /**
   * Most tokens to generate.
   * @default 256
   */
  readonly maxNewTokens?: number;
  /**
   * Sampling temperature, above 0; lower is more deterministic.
   * @default - the container's default
   */
  readonly temperature?: number;
  /**
   * Nucleus sampling: the smallest token set whose probability reaches this, in (0, 1].
   * @default - the container's default
   */
  readonly topP?: number;
  /**
   * Sample from the k most likely tokens.
   * @default - the container's default
   */
  readonly topK?: number;
  /**
   * Penalty above 1 discourages repetition.
   * @default - the container's default
   */
  readonly repetitionPenalty?: number;
  /**
   * Stop generating at any of these strings, e.g. "<|eot_id|>".
   * @default - none
   */
  readonly stop?: string[];
}

/**
 * The parameters' ranges, one place for the client's checks and the CLI's flags. Llama 3's
 * context: prompt and generated tokens together fit in 8192.
 */
export const GENERATION_LIMITS = {
  maxNewTokens: { min: 1, max: 8192, example: 256 },
  temperature: { min: 0, above: true, example: 0.6 },
  topP: { min: 0, above: true, max: 1, example: 0.9 },
  topK: { min: 1, example: 50 },
  repetitionPenalty: { min: 0, above: true, example: 1.1 },
} as const;

/** A value as messages print it: NaN and Infinity as themselves (JSON would print null). */
const show = (value: unknown) =>
  typeof value === 'number' && !Number.isFinite(value) ? String(value) : JSON.stringify(value);

/** Validates and converts parameters to the container's snake_case JSON, listing every problem. */
export function toRequestParameters(p: GenerationParameters): Record<string, unknown> {
  const problems: string[] = [];
  const check = (ok: boolean, name: string, value: unknown, allowed: string) => {
    if (!ok) problems.push(`${name} is ${show(value)}; allowed: ${allowed}.`);
  };
  const L = GENERATION_LIMITS;
  const maxNewTokens = p.maxNewTokens ?? 256;
  check(
    Number.isInteger(maxNewTokens) && maxNewTokens >= L.maxNewTokens.min && maxNewTokens <= L.maxNewTokens.max,
    'maxNewTokens',
    maxNewTokens,
    `an integer from ${L.maxNewTokens.min} to ${L.maxNewTokens.max}`,
  );
  if (p.temperature !== undefined)
    check(
      Number.isFinite(p.temperature) && p.temperature > L.temperature.min,
      'temperature',
      p.temperature,
      `a number above ${L.temperature.min}, e.g. ${L.temperature.example}`,
    );
  if (p.topP !== undefined)
    check(
      Number.isFinite(p.topP) && p.topP > L.topP.min && p.topP <= L.topP.max,
      'topP',
      p.topP,
      `a number above ${L.topP.min} and at most ${L.topP.max}, e.g. ${L.topP.example}`,
    );
  if (p.topK !== undefined)
    check(
      Number.isInteger(p.topK) && p.topK >= L.topK.min,
      'topK',
      p.topK,
      `an integer >= ${L.topK.min}, e.g. ${L.topK.example}`,
    );
  if (p.repetitionPenalty !== undefined) {
    check(
      Number.isFinite(p.repetitionPenalty) && p.repetitionPenalty > L.repetitionPenalty.min,
      'repetitionPenalty',
      p.repetitionPenalty,
      `a number above ${L.repetitionPenalty.min}, e.g. ${L.repetitionPenalty.example}`,
    );
  }
  if (p.stop !== undefined)
    check(
      Array.isArray(p.stop) && p.stop.every((s) => typeof s === 'string' && s.length > 0),
      'stop',
      p.stop,
      'non-empty strings',
    );
  if (problems.length > 0) throw configurationError(problems);

  const parameters: Record<string, unknown> = { max_new_tokens: maxNewTokens };
  // The request is JSON, which leaves out a key whose value is undefined: these tests only keep the object tidy.
  // Stryker disable ConditionalExpression: equivalent in the request sent, as above.
  if (p.temperature !== undefined) parameters.temperature = p.temperature;
  if (p.topP !== undefined) parameters.top_p = p.topP;
  if (p.topK !== undefined) parameters.top_k = p.topK;
  if (p.repetitionPenalty !== undefined) parameters.repetition_penalty = p.repetitionPenalty;
  if (p.stop !== undefined) parameters.stop = p.stop;
  // Stryker restore ConditionalExpression
  return parameters;
}
