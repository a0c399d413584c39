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

/** Llama 3's context: prompt and generated tokens together fit in 8192. */
const MAX_NEW_TOKENS = 8192;

/** Validates and converts parameters to the container's snake_case JSON, listing every problem. */
export function toRequestParameters(p: GenerationParameters): Record<string, unknown> {
  const problems: string[] = [];
  const check = (ok: boolean, name: string, value: unknown, allowed: string) => {
    if (!ok) problems.push(`${name} is ${JSON.stringify(value)}; allowed: ${allowed}.`);
  };
  const maxNewTokens = p.maxNewTokens ?? 256;
  check(
    Number.isInteger(maxNewTokens) && maxNewTokens >= 1 && maxNewTokens <= MAX_NEW_TOKENS,
    'maxNewTokens',
    maxNewTokens,
    `an integer from 1 to ${MAX_NEW_TOKENS}`,
  );
  if (p.temperature !== undefined)
    check(
      Number.isFinite(p.temperature) && p.temperature > 0,
      'temperature',
      p.temperature,
      'a number above 0, e.g. 0.6',
    );
  if (p.topP !== undefined)
    check(
      Number.isFinite(p.topP) && p.topP > 0 && p.topP <= 1,
      'topP',
      p.topP,
      'a number above 0 and at most 1, e.g. 0.9',
    );
  if (p.topK !== undefined) check(Number.isInteger(p.topK) && p.topK >= 1, 'topK', p.topK, 'an integer >= 1, e.g. 50');
  if (p.repetitionPenalty !== undefined) {
    check(
      Number.isFinite(p.repetitionPenalty) && p.repetitionPenalty > 0,
      'repetitionPenalty',
      p.repetitionPenalty,
      'a number above 0, e.g. 1.1',
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
  if (p.temperature !== undefined) parameters.temperature = p.temperature;
  if (p.topP !== undefined) parameters.top_p = p.topP;
  if (p.topK !== undefined) parameters.top_k = p.topK;
  if (p.repetitionPenalty !== undefined) parameters.repetition_penalty = p.repetitionPenalty;
  if (p.stop !== undefined) parameters.stop = p.stop;
  return parameters;
}
