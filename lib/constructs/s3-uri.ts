import { Token } from 'aws-cdk-lib';
import { configurationError } from '../config/configuration-error';
import { S3_BUCKET } from '../config/s3-uri-rules';

export interface S3Location {
  readonly bucket: string;
  /** Key prefix without a leading slash; may be empty. */
  readonly key: string;
}

/** Splits `s3://bucket/key`; a clear error names the prop when it is not such a URI. */
export function parseS3Uri(uri: string, prop: string): S3Location {
  const match = /^s3:\/\/([^/]+)(?:\/(.*))?$/.exec(uri);
  if (!match || !S3_BUCKET.test(match[1])) {
    throw configurationError([
      `${prop} is "${uri}", which is not an S3 URI; allowed: s3://bucket/prefix/. Fix: give the bucket and prefix in that form.`,
    ]);
  }
  return { bucket: match[1], key: match[2] ?? '' };
}

export function isS3Uri(value: string): boolean {
  return !Token.isUnresolved(value) && value.startsWith('s3://');
}
