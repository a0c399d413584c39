/**
 * The library's one rule for S3 URIs, free of aws-cdk-lib so that the CLI can check a
 * URI before it loads the SDK (input-checks adds the construct's token handling).
 */
import { showValue } from './show-value';

/** What a URI must point at. */
export enum S3UriForm {
  /** A prefix ending in `/` (a channel reads every object under it). */
  PREFIX = 'prefix',
  /** One `.tar.gz` object. */
  TARBALL = 'tarball',
  /** A `.tar.gz` object or a prefix ending in `/`: a model SageMaker serves. */
  MODEL = 'model',
  /** Any location; SageMaker appends to it (an output path). */
  ANY = 'any',
}

const FORM_TEXT: Record<S3UriForm, string> = {
  [S3UriForm.PREFIX]: 's3://bucket/prefix/ (ending in /)',
  [S3UriForm.TARBALL]: 's3://bucket/key.tar.gz',
  [S3UriForm.MODEL]:
    "s3://bucket/.../model.tar.gz, or an uncompressed model's prefix s3://bucket/.../model/ (ending in /)",
  [S3UriForm.ANY]: 's3://bucket/prefix',
};

/** S3's bucket naming rules: 3-63 lowercase letters, digits, dots and hyphens, no IP address, no `..`. */
export const S3_BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

const show = showValue;

/** The problem with `value` as an S3 URI of this form, named `prop`, or undefined. */
export function s3UriRuleProblem(prop: string, value: unknown, form: S3UriForm): string | undefined {
  const allowed = `allowed: ${FORM_TEXT[form]}`;
  if (typeof value !== 'string') return `${prop} is ${show(value)}; ${allowed}. Fix: pass the URI as a string.`;
  const match = /^s3:\/\/([^/]+)(?:\/(.*))?$/.exec(value);
  if (!match)
    return `${prop} is ${show(value)}, which is not an S3 URI; ${allowed}. Fix: give the bucket and key in that form.`;
  const [, bucket, key = ''] = match;
  if (!S3_BUCKET.test(bucket) || bucket.includes('..') || /^\d+\.\d+\.\d+\.\d+$/.test(bucket)) {
    return (
      `${prop} is ${show(value)}; "${bucket}" is not a valid bucket name; allowed: 3-63 lowercase letters, digits, dots and hyphens. ` +
      'Fix: correct the bucket name.'
    );
  }
  if (value.length > 1024)
    return `${prop} is ${value.length} characters long; allowed: at most 1024 (SageMaker's limit). Fix: use a shorter prefix.`;
  if (/\s/.test(key) || key.startsWith('/') || key.includes('//')) {
    return `${prop} is ${show(value)}; allowed: a key without spaces or empty path segments ("//"). Fix: correct the key.`;
  }
  const prefix = key === '' || key.endsWith('/');
  const tarball = key.endsWith('.tar.gz');
  const ok =
    form === S3UriForm.ANY ||
    (form === S3UriForm.PREFIX && prefix) ||
    (form === S3UriForm.TARBALL && tarball) ||
    (form === S3UriForm.MODEL && (tarball || (prefix && key !== '')));
  if (ok) return undefined;
  const fix =
    form === S3UriForm.PREFIX
      ? `Fix: end it with "/" (${show(`${value}/`)}); without it, SageMaker also reads every object whose key merely starts the same.`
      : form === S3UriForm.MODEL
        ? 'Fix: point at the model.tar.gz, or end the uncompressed model\'s prefix with "/".'
        : 'Fix: point at the .tar.gz object.';
  return `${prop} is ${show(value)}; ${allowed}. ${fix}`;
}
