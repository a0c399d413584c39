/**
 * Checks of the values every construct takes — S3 URIs, SageMaker names, booleans
 * and numbers from JavaScript callers — each returning the problem in the library's
 * wording (prop, value, allowed, fix), or undefined. Values that are tokens are
 * decided at deploy time and pass.
 */
import { Duration, Token } from 'aws-cdk-lib';
import { S3UriForm, s3UriRuleProblem } from './s3-uri-rules';
import {
  MODEL_PACKAGE_VERSION_ARN,
  MODEL_PACKAGE_VERSION_ARN_RULE,
  SAGEMAKER_NAME,
  SAGEMAKER_NAME_RULE,
} from './sagemaker-names';
import { showValue } from './show-value';

export { S3UriForm };

const show = showValue;

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

export function modelPackageArnProblem(prop: string, value: unknown): string | undefined {
  if (typeof value === 'string' && (Token.isUnresolved(value) || MODEL_PACKAGE_VERSION_ARN.test(value)))
    return undefined;
  return (
    `${prop} is ${show(value)}; allowed: ${MODEL_PACKAGE_VERSION_ARN_RULE}. ` +
    "Fix: copy it from the training stack's ModelPackageArn output, or from `aws sagemaker list-model-packages --model-package-group-name <group>`."
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
  const wrongType = durationTypeProblem(prop, value);
  if (wrongType || value === undefined || value.isUnresolved()) return wrongType;
  const seconds = value.toSeconds({ integral: false });
  if (Number.isInteger(seconds) && seconds >= minSeconds && seconds <= maxSeconds) return undefined;
  return (
    `${prop} is ${seconds} seconds; allowed: whole seconds from ${minSeconds} to ${maxSeconds} (SageMaker's range). ` +
    `Fix: e.g. ${Math.min(maxSeconds, Math.max(minSeconds, Math.round(seconds)))} seconds, or leave it out.`
  );
}

/**
 * A Duration prop given as something else: JavaScript callers pass `3600` where
 * `Duration.seconds(3600)` belongs, and CDK would fail on it with a TypeError.
 */
export function durationTypeProblem(prop: string, value: unknown): string | undefined {
  if (value === undefined || value instanceof Duration) return undefined;
  const seconds = typeof value === 'number' && Number.isFinite(value) ? value : 3600;
  return (
    `${prop} is ${show(value)}; allowed: a Duration. ` + `Fix: e.g. Duration.seconds(${seconds}), or leave it out.`
  );
}

/** A number in a range; `above` excludes its bound (a threshold of 0 would alarm on nothing at all). */
export function numberProblem(
  prop: string,
  value: unknown,
  min: number,
  unit: string,
  example: string,
): string | undefined {
  if (value === undefined || (typeof value === 'number' && Token.isUnresolved(value))) return undefined;
  if (typeof value === 'number' && Number.isFinite(value) && value >= min) return undefined;
  return `${prop} is ${show(value)}; allowed: ${unit} >= ${min}. Fix: e.g. ${example}, or leave it out for the default.`;
}

/** A prop every caller must give: from JavaScript it can be left out, and would fail deep inside CDK. */
export function requiredProblem(prop: string, value: unknown, what: string): string | undefined {
  if (value !== undefined && value !== null) return undefined;
  return `${prop} is ${show(value)}; allowed: ${what}. Fix: pass ${what}.`;
}

/**
 * A key prefix inside a bucket the construct is given (`training/`): not an s3:// URI, which
 * would become part of the key, and ending in `/`, as a grant or upload on `training` would also
 * reach `training-old/`.
 */
export function keyPrefixProblem(prop: string, value: unknown): string | undefined {
  if (typeof value === 'string' && Token.isUnresolved(value)) return undefined;
  const allowed = 'allowed: a key prefix inside the bucket, such as "training/" (ending in /, no s3://, no leading /)';
  if (typeof value !== 'string') return `${prop} is ${show(value)}; ${allowed}. Fix: pass the prefix as a string.`;
  const uri = /^s3:\/\/[^/]+\/(.*)$/i.exec(value);
  if (uri) {
    return `${prop} is ${show(value)}, an S3 URI; ${allowed}: the bucket is a prop of its own. Fix: give only the key part, ${show(uri[1] || 'training/')}.`;
  }
  if (value === '' || !value.endsWith('/') || value.startsWith('/') || value.includes('//') || /\s/.test(value)) {
    const fix = value.trim() === '' ? '"training/"' : show(`${value.replace(/^\/+/, '').replace(/\/+$/, '')}/`);
    return `${prop} is ${show(value)}; ${allowed}. Fix: e.g. ${fix}.`;
  }
  return undefined;
}
