/**
 * Checks of the values every construct takes — S3 URIs, SageMaker names, booleans
 * and numbers from JavaScript callers — each returning the problem in the library's
 * wording (prop, value, allowed, fix), or undefined. Values that are tokens are
 * decided at deploy time and pass.
 */
import { Duration, Token } from 'aws-cdk-lib';
import { S3UriForm, s3UriRuleProblem } from './s3-uri-rules';
import { SAGEMAKER_NAME, SAGEMAKER_NAME_RULE } from './sagemaker-names';

export { S3UriForm };

const show = (value: unknown) => JSON.stringify(value);

export function s3UriProblem(prop: string, value: unknown, form: S3UriForm): string | undefined {
  if (typeof value === 'string' && Token.isUnresolved(value)) return undefined;
  return s3UriRuleProblem(prop, value, form);
}

export function sageMakerNameProblem(prop: string, value: unknown): string | undefined {
  if (typeof value === 'string' && (Token.isUnresolved(value) || SAGEMAKER_NAME.test(value))) return undefined;
  return `${prop} is ${show(value)}; allowed: ${SAGEMAKER_NAME_RULE}. Fix: correct the name.`;
}

/** SageMaker's hub content version: three dot-separated numbers of up to 4 digits. */
const HUB_CONTENT_VERSION = /^\d{1,4}\.\d{1,4}\.\d{1,4}$/;

export function hubContentVersionProblem(prop: string, value: unknown): string | undefined {
  if (
    value === undefined ||
    (typeof value === 'string' && (Token.isUnresolved(value) || HUB_CONTENT_VERSION.test(value)))
  )
    return undefined;
  return (
    `${prop} is ${show(value)}; allowed: a JumpStart hub content version such as "2.1.0" (three numbers of up to 4 digits). ` +
    "Fix: copy the version from a stack's HubContentVersion output, or leave it out for the newest."
  );
}

/** A KMS key's ARN (not an alias: IAM grants on an alias ARN do not reach the key). */
const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/;

export function kmsKeyArnProblem(prop: string, value: unknown): string | undefined {
  if (value === undefined || (typeof value === 'string' && (Token.isUnresolved(value) || KMS_KEY_ARN.test(value))))
    return undefined;
  const alias = typeof value === 'string' && value.includes(':alias/');
  return (
    `${prop} is ${show(value)}; allowed: a KMS key ARN, arn:aws:kms:<region>:<account>:key/<key id>` +
    `${alias ? ' (an alias cannot be granted: IAM policies on an alias ARN do not reach the key)' : ''}. ` +
    'Fix: copy the key ARN from `aws kms describe-key --key-id <key or alias> --query KeyMetadata.Arn`.'
  );
}

/** A training run id: only hashed into job names, so any short label of safe characters. */
const TRAINING_RUN_ID = /^[A-Za-z0-9._-]{1,64}$/;

export function trainingRunIdProblem(prop: string, value: unknown): string | undefined {
  if (value === undefined || (typeof value === 'string' && (Token.isUnresolved(value) || TRAINING_RUN_ID.test(value))))
    return undefined;
  return (
    `${prop} is ${show(value)}; allowed: 1 to 64 letters, digits, ".", "_" and "-". ` +
    'Fix: use a label such as a date ("2026-12-03") or a data version ("data-v2").'
  );
}

/** JavaScript callers pass "false" where a boolean belongs; a string must never count as true. */
export function booleanProblem(prop: string, value: unknown): string | undefined {
  if (value === undefined || typeof value === 'boolean') return undefined;
  return `${prop} is ${show(value)}; allowed: true or false. Fix: pass a boolean${typeof value === 'string' ? `, not the string ${show(value)}` : ''}.`;
}

/** An integer in [min, max] (either bound may be open). */
export function integerProblem(prop: string, value: unknown, min: number, max?: number): string | undefined {
  if (value === undefined || (typeof value === 'number' && Token.isUnresolved(value))) return undefined;
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && (max === undefined || value <= max))
    return undefined;
  const range = max === undefined ? `an integer >= ${min}` : `an integer from ${min} to ${max}`;
  return `${prop} is ${show(value)}; allowed: ${range}. Fix: give ${range}, or leave it out for the default.`;
}

/** A duration of whole seconds in [min, max] seconds. */
export function durationProblem(
  prop: string,
  value: Duration | undefined,
  minSeconds: number,
  maxSeconds: number,
): string | undefined {
  if (value === undefined || value.isUnresolved()) return undefined;
  const seconds = value.toSeconds({ integral: false });
  if (Number.isInteger(seconds) && seconds >= minSeconds && seconds <= maxSeconds) return undefined;
  return (
    `${prop} is ${seconds} seconds; allowed: whole seconds from ${minSeconds} to ${maxSeconds} (SageMaker's range). ` +
    `Fix: e.g. ${Math.min(maxSeconds, Math.max(minSeconds, Math.round(seconds)))} seconds, or leave it out.`
  );
}
