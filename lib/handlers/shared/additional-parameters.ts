import type { CreateTrainingJobRequest } from '@aws-sdk/client-sagemaker';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The request with the caller's additional members merged in, objects member by member (a
 * warm pool's `ResourceConfig.KeepAlivePeriodInSeconds` beside the library's instance type, the
 * caller's environment variables beside the gated weights'). Synth refuses the members the
 * library sets; one that reaches here anyway fails the deploy rather than replacing the
 * library's value (a template edited by hand, or a library value only known at deploy time).
 */
export function withAdditionalParameters(
  request: CreateTrainingJobRequest,
  additionalJson: string | undefined,
): CreateTrainingJobRequest {
  if (!additionalJson) return request;
  const additional: unknown = JSON.parse(additionalJson);
  if (!isObject(additional)) throw new Error(`AdditionalParameters is not a JSON object: ${additionalJson}`);
  return merge(request as unknown as Json, additional, 'CreateTrainingJob') as unknown as CreateTrainingJobRequest;
}

function merge(target: Json, extra: Json, path: string): Json {
  const merged: Json = { ...target };
  for (const [key, value] of Object.entries(extra)) {
    const at = `${path}.${key}`;
    if (merged[key] === undefined) merged[key] = value;
    else if (isObject(merged[key]) && isObject(value)) merged[key] = merge(merged[key] as Json, value, at);
    else {
      throw new Error(
        `additionalTrainingJobParameters sets ${at}, which the library sets to ${JSON.stringify(merged[key])}; ` +
          'remove it from additionalTrainingJobParameters.',
      );
    }
  }
  return merged;
}
