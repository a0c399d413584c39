import {
  closeSync,
  createWriteStream,
  ftruncateSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { DatasetFormat, DatasetReport, DatasetValidationOptions, DatasetValidator } from './dataset-validator';

/**
 * An S3 dataset prefix copied into a local directory, object by object and streamed to
 * disk (memory stays bounded by the stream's buffers), so that the one dataset validator
 * checks it exactly as it checks a local folder: keys below the prefix become the file
 * names of its messages.
 */

/** The S3 client and the two commands a copy sends, from the caller's SDK (Lambda's, or the CLI's bundle). */
export interface S3Access {
  readonly client: S3Client;
  readonly ListObjectsV2Command: typeof ListObjectsV2Command;
  readonly GetObjectCommand: typeof GetObjectCommand;
}

/** How much of a prefix is copied. */
export interface CopyLimits {
  /** A prefix up to this size is copied whole; a larger one is sampled. */
  readonly maxBytes: number;
}

/**
 * A prefix up to this size is checked whole: the validator reads about 140 MiB/s (`npm run
 * bench`), so 4 GiB take about 30 s besides the copy. A larger prefix is sampled.
 */
export const MAX_CHECKED_BYTES = 4 * 1024 ** 3;

/** What was copied. */
export interface S3DatasetCopy {
  /** Objects under the prefix (folder markers left out). */
  readonly objects: number;
  /** Their bytes in S3. */
  readonly bytes: number;
  /** Bytes copied and so checked: all of them, unless the prefix was sampled. */
  readonly checkedBytes: number;
  /** With a sample: the first this many bytes of each object, cut back to the last whole line. */
  readonly sampleBytesPerObject?: number;
}

/** A dataset location that cannot be read: no credentials, no access, no bucket, nothing under the prefix. */
export class DatasetLocationError extends Error {}

/** `s3://bucket/prefix/` as bucket and key prefix. */
export function parseDatasetUri(uri: string): { bucket: string; prefix: string } {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
  if (!match) throw new DatasetLocationError(`${uri} is not an s3:// URI; allowed: s3://bucket/prefix/.`);
  return { bucket: match[1], prefix: match[2] };
}

/** The SDK's errors as what the user can do about them. */
function locationError(uri: string, error: unknown): Error {
  const name = (error as Error).name;
  const message = (error as Error).message;
  if (name === 'CredentialsProviderError' || /Could not load credentials/.test(message)) {
    return new DatasetLocationError(
      `no AWS credentials found to read ${uri}. Fix: sign in (aws sso login, aws configure) or set AWS_PROFILE.`,
    );
  }
  if (name === 'NoSuchBucket') {
    return new DatasetLocationError(`the bucket of ${uri} does not exist. Fix: check the bucket name.`);
  }
  if (
    name === 'AccessDenied' ||
    name === 'Forbidden' ||
    (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 403
  ) {
    return new DatasetLocationError(
      `access to ${uri} is denied (${message}). Fix: allow s3:ListBucket on the bucket and s3:GetObject on the prefix's objects` +
        ' (and kms:Decrypt on their key) for these credentials.',
    );
  }
  return error as Error;
}

async function listObjects(s3: S3Access, bucket: string, prefix: string, uri: string) {
  const objects: { key: string; relative: string; size: number }[] = [];
  let ContinuationToken: string | undefined;
  try {
    do {
      const page = await s3.client.send(
        new s3.ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken }),
      );
      for (const o of page.Contents ?? []) {
        const relative = o.Key!.slice(prefix.length);
        // A folder marker (a console-made "folder") is no file of the dataset.
        if (relative === '' || relative.endsWith('/')) continue;
        objects.push({ key: o.Key!, relative, size: o.Size ?? 0 });
      }
      ContinuationToken = page.NextContinuationToken;
    } while (ContinuationToken);
  } catch (error) {
    throw locationError(uri, error);
  }
  return objects;
}

/** Cuts a sampled file back to its last whole line, so a line cut short is not reported as broken. */
function cutToLastLine(path: string): void {
  const size = statSync(path).size;
  // Stryker disable next-line MethodExpression: reading more than the last MiB finds the same last newline.
  const tail = Buffer.alloc(Math.min(size, 1 << 20));
  const fd = openSync(path, 'r+');
  // Stryker disable BlockStatement: without the finally block a descriptor stays open, which changes nothing the
  // check reports (an emptied try block is killed by the sampling tests, but is left out with it).
  try {
    readSync(fd, tail, 0, tail.length, size - tail.length);
    const newline = tail.lastIndexOf(0x0a);
    if (newline !== -1) ftruncateSync(fd, size - tail.length + newline + 1);
  } finally {
    closeSync(fd);
  }
  // Stryker restore BlockStatement
}

/**
 * Copies the objects under `uri` into `directory`. A prefix over `limits.maxBytes` is
 * sampled: the first `maxBytes / objects` bytes of each object (at least 1 MiB).
 */
export async function copyS3Dataset(
  s3: S3Access,
  uri: string,
  directory: string,
  limits: CopyLimits,
): Promise<S3DatasetCopy> {
  const { bucket, prefix } = parseDatasetUri(uri);
  const objects = await listObjects(s3, bucket, prefix, uri);
  if (objects.length === 0) {
    throw new DatasetLocationError(
      `${uri} holds no objects. Fix: upload the dataset there, or correct the prefix (it must end in "/").`,
    );
  }
  const bytes = objects.reduce((sum, o) => sum + o.size, 0);
  const sample = bytes > limits.maxBytes ? Math.max(1 << 20, Math.floor(limits.maxBytes / objects.length)) : undefined;
  let checkedBytes = 0;
  for (const o of objects) {
    const path = join(directory, ...o.relative.split('/'));
    mkdirSync(dirname(path), { recursive: true });
    const partial = o.size > (sample ?? Infinity);
    try {
      const { Body } = await s3.client.send(
        new s3.GetObjectCommand({ Bucket: bucket, Key: o.key, Range: partial ? `bytes=0-${sample! - 1}` : undefined }),
      );
      await pipeline(Body as Readable, createWriteStream(path));
    } catch (error) {
      throw locationError(`s3://${bucket}/${o.key}`, error);
    }
    if (partial) cutToLastLine(path);
    checkedBytes += statSync(path).size;
  }
  return { objects: objects.length, bytes, checkedBytes, sampleBytesPerObject: sample };
}

/** A dataset prefix checked by the validator: the report names objects by their s3:// URIs. */
export interface S3DatasetCheck {
  readonly report: DatasetReport;
  readonly copy: S3DatasetCopy;
  /** With errors: the first of the formats asked about that the data passes as (read from the same copy). */
  readonly passingFormat?: DatasetFormat;
}

/**
 * Copies the prefix into a temporary directory, checks it as a local folder, and removes the
 * copy; data with errors is also checked as each of `otherFormats`, so a wrong mode is told
 * without a second download.
 */
export async function validateS3Dataset(
  s3: S3Access,
  uri: string,
  options: DatasetValidationOptions,
  limits: CopyLimits,
  otherFormats: readonly DatasetFormat[] = [],
): Promise<S3DatasetCheck> {
  const base = uri.endsWith('/') ? uri : `${uri}/`;
  const directory = mkdtempSync(join(tmpdir(), 'llama3-ft-dataset-'));
  try {
    const copy = await copyS3Dataset(s3, base, directory, limits);
    const report = DatasetValidator.validateDirectory(directory, options);
    const problems = report.problems.map((p) => ({ ...p, file: p.file === directory ? base : `${base}${p.file}` }));
    const passes = (format: DatasetFormat) =>
      DatasetValidator.validateDirectory(directory, { ...options, format }).errorCount === 0;
    const passingFormat = report.errorCount > 0 ? otherFormats.find(passes) : undefined;
    return { report: { ...report, problems }, copy, passingFormat };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}
