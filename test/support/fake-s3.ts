import { Readable } from 'node:stream';

/**
 * An in-memory S3 for the dataset check's unit tests: objects by bucket and key, listed a
 * page of `pageSize` keys at a time (so a prefix of several pages is read to its end), read
 * whole or by a `bytes=0-N` range, and the errors S3 gives for a missing bucket or refused
 * access. Every request is recorded. The moto tests hold the same code against a real S3 API.
 */
export class FakeS3 {
  public readonly requests: { command: string; input: Record<string, unknown> }[] = [];
  private readonly buckets = new Map<string, Map<string, Buffer>>();
  private readonly denied = new Set<string>();

  constructor(private readonly pageSize = 2) {}

  put(bucket: string, key: string, body: string | Buffer): this {
    const objects = this.buckets.get(bucket) ?? new Map<string, Buffer>();
    objects.set(key, Buffer.from(body));
    this.buckets.set(bucket, objects);
    return this;
  }

  /** Refuses every request to the bucket as S3 does without s3:ListBucket: 403 AccessDenied. */
  deny(bucket: string): this {
    this.denied.add(bucket);
    return this;
  }

  list(input: { Bucket?: string; Prefix?: string; ContinuationToken?: string }) {
    this.requests.push({ command: 'ListObjectsV2', input });
    const objects = this.objectsOf(input.Bucket!);
    const keys = [...objects.keys()].filter((k) => k.startsWith(input.Prefix ?? '')).sort();
    const start = Number(input.ContinuationToken ?? 0);
    const page = keys.slice(start, start + this.pageSize);
    const next = start + this.pageSize < keys.length ? String(start + this.pageSize) : undefined;
    return {
      // As S3 answers an empty listing: no Contents at all.
      Contents: page.length > 0 ? page.map((Key) => ({ Key, Size: objects.get(Key)!.length })) : undefined,
      NextContinuationToken: next,
    };
  }

  get(input: { Bucket?: string; Key?: string; Range?: string }) {
    this.requests.push({ command: 'GetObject', input });
    const body = this.objectsOf(input.Bucket!).get(input.Key!)!;
    const range = /^bytes=0-(\d+)$/.exec(input.Range ?? '');
    return { Body: Readable.from([range ? body.subarray(0, Number(range[1]) + 1) : body]) };
  }

  /** The S3Access the dataset copy takes: this store behind the SDK's client and command shapes. */
  access() {
    class ListObjectsV2Command {
      constructor(public readonly input: Record<string, unknown>) {}
    }
    class GetObjectCommand {
      constructor(public readonly input: Record<string, unknown>) {}
    }
    const client = {
      send: async (command: ListObjectsV2Command | GetObjectCommand) =>
        command instanceof ListObjectsV2Command ? this.list(command.input) : this.get(command.input),
    };
    return { client, ListObjectsV2Command, GetObjectCommand } as never;
  }

  private objectsOf(bucket: string): Map<string, Buffer> {
    if (this.denied.has(bucket)) {
      throw Object.assign(new Error('Access Denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
    }
    const objects = this.buckets.get(bucket);
    if (!objects) throw Object.assign(new Error('The specified bucket does not exist'), { name: 'NoSuchBucket' });
    return objects;
  }
}
