/**
 * The S3 side of the dataset check, against an in-memory S3: what is copied (every page of the
 * listing, folder markers left out, a large prefix sampled), what the user is told when the
 * prefix cannot be read, and problems named by the objects' s3:// URIs.
 */
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { DatasetFormat } from '../../lib/datasets/dataset-validator';
import { DatasetLocationError, parseDatasetUri, validateS3Dataset } from '../../lib/datasets/s3-dataset';
import { FakeS3 } from '../support/fake-s3';

const INSTRUCTION = { format: DatasetFormat.INSTRUCTION };
const WHOLE = { maxBytes: 1 << 30 };
const line = (i: number) => `${JSON.stringify({ instruction: `Question ${i}?`, context: '', response: 'Yes.' })}\n`;
const lines = (from: number, count: number) => Array.from({ length: count }, (_, i) => line(from + i)).join('');

describe('parseDatasetUri', () => {
  test('an s3:// URI is a bucket and a key prefix; anything else is refused with the form allowed', () => {
    expect(parseDatasetUri('s3://team-data/train/')).toEqual({ bucket: 'team-data', prefix: 'train/' });
    expect(parseDatasetUri('s3://team-data')).toEqual({ bucket: 'team-data', prefix: '' });
    expect(() => parseDatasetUri('https://team-data/train/')).toThrow(DatasetLocationError);
    expect(() => parseDatasetUri('see s3://team-data/train/')).toThrow(DatasetLocationError);
    expect(() => parseDatasetUri('s3://team-data/train/\nmore')).toThrow(DatasetLocationError);
    expect(() => parseDatasetUri('s3:/team-data/train/')).toThrow(
      's3:/team-data/train/ is not an s3:// URI; allowed: s3://bucket/prefix/.',
    );
  });
});

describe('validateS3Dataset', () => {
  test('every page of the prefix is checked, folder markers are no files, and problems name their objects', async () => {
    const s3 = new FakeS3(2)
      .put('team', 'train/', '')
      .put('team', 'train/a.jsonl', lines(0, 3))
      .put('team', 'train/more/', '')
      .put('team', 'train/b.jsonl', `${lines(3, 2)}not json\n`)
      .put('team', 'training-old/c.jsonl', 'not json\n');
    const { report, copy, passingFormat } = await validateS3Dataset(s3.access(), 's3://team/train', INSTRUCTION, WHOLE);
    // The URI without its slash is still the folder: training-old/ is not read.
    expect(s3.requests.filter((r) => r.command === 'ListObjectsV2').map((r) => r.input.Prefix)).toEqual([
      'train/',
      'train/',
    ]);
    const bytes = lines(0, 3).length + lines(3, 2).length + 'not json\n'.length;
    expect(copy).toEqual({ objects: 2, bytes, checkedBytes: bytes, sampleBytesPerObject: undefined });
    expect(report.records).toBe(5);
    expect(report.errorCount).toBe(1);
    expect(report.problems[0]).toMatchObject({ file: 's3://team/train/b.jsonl', line: 3, severity: 'error' });
    expect(passingFormat).toBeUndefined();
    // A problem of the prefix itself is named by the prefix.
    expect(report.problems.find((p) => p.severity === 'warning')?.file).toBe('s3://team/train/');
  });

  test('a key below a subfolder is copied as SageMaker would see it: a directory, which the channel cannot hold', async () => {
    const s3 = new FakeS3().put('team', 'train/a.jsonl', line(0)).put('team', 'train/more/b.jsonl', line(1));
    const { report } = await validateS3Dataset(s3.access(), 's3://team/train/', INSTRUCTION, WHOLE);
    expect(report.problems[0]).toMatchObject({ file: 's3://team/train/more', severity: 'error' });
  });

  test('a prefix over the limit is sampled: the first bytes of each large object, cut back to a whole line', async () => {
    const big = lines(0, 20_000); // about 1.4 MiB
    // The small object's last line has no newline: a whole object is not cut.
    const small = lines(0, 10).slice(0, -1);
    const s3 = new FakeS3().put('team', 'big/a.jsonl', big).put('team', 'big/small.jsonl', small);
    const { report, copy } = await validateS3Dataset(s3.access(), 's3://team/big/', INSTRUCTION, {
      maxBytes: 1 << 20,
    });
    // At least 1 MiB of each object, however many objects share the limit.
    expect(copy.sampleBytesPerObject).toBe(1 << 20);
    const ranges = s3.requests.filter((r) => r.command === 'GetObject').map((r) => [r.input.Key, r.input.Range]);
    expect(ranges).toEqual([
      ['big/a.jsonl', `bytes=0-${(1 << 20) - 1}`],
      ['big/small.jsonl', undefined],
    ]);
    const kept = big.slice(0, 1 << 20);
    expect(copy.checkedBytes).toBe(kept.lastIndexOf('\n') + 1 + small.length);
    expect(copy.bytes).toBe(big.length + small.length);
    // The line the range cut in two is left out, not reported as broken.
    expect(report.errorCount).toBe(0);
    expect(report.records).toBe(kept.split('\n').length - 1 + 10);
  });

  test('a prefix of exactly the limit is checked whole; an object of exactly the sample is read whole', async () => {
    // Lines of 64 bytes: 16,384 of them are exactly 1 MiB.
    const line64 = `${JSON.stringify({ instruction: 'Q', context: '', response: 'x'.repeat(17) })}\n`;
    expect(line64.length).toBe(64);
    const mib = line64.repeat(16_384);
    const s3 = new FakeS3().put('team', 'exact/a.jsonl', mib);
    const whole = await validateS3Dataset(s3.access(), 's3://team/exact/', INSTRUCTION, { maxBytes: 1 << 20 });
    expect(whole.copy.sampleBytesPerObject).toBeUndefined();
    s3.put('team', 'exact/b.jsonl', mib);
    const sampled = await validateS3Dataset(s3.access(), 's3://team/exact/', INSTRUCTION, { maxBytes: 1 << 20 });
    expect(sampled.copy.sampleBytesPerObject).toBe(1 << 20);
    expect(s3.requests.filter((r) => r.command === 'GetObject').map((r) => r.input.Range)).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
    expect(sampled.report.records).toBe(2 * 16_384);
  });

  test('a sampled object of one line longer than the sample keeps the sample, not nothing', async () => {
    const s3 = new FakeS3().put('team', 'long/a.jsonl', 'x'.repeat(3 << 20));
    const { copy } = await validateS3Dataset(s3.access(), 's3://team/long/', INSTRUCTION, { maxBytes: 1 << 20 });
    expect(copy.checkedBytes).toBe(1 << 20);
  });

  test('a limit shared by fewer objects samples more of each', async () => {
    const s3 = new FakeS3().put('team', 'big/a.jsonl', lines(0, 40_000)); // about 2.8 MiB
    const { copy } = await validateS3Dataset(s3.access(), 's3://team/big/', INSTRUCTION, { maxBytes: 2 << 20 });
    expect(copy.sampleBytesPerObject).toBe(2 << 20);
    expect(copy.checkedBytes).toBeLessThanOrEqual(2 << 20);
    expect(copy.checkedBytes).toBeGreaterThan((2 << 20) - 200);
  });

  test('data with errors is also tried in the other formats asked about; valid data is not', async () => {
    const s3 = new FakeS3().put('team', 'qa/train.jsonl', lines(0, 3));
    const asChat = { format: DatasetFormat.CHAT };
    const others = [DatasetFormat.DOMAIN_ADAPTATION, DatasetFormat.INSTRUCTION];
    expect((await validateS3Dataset(s3.access(), 's3://team/qa/', asChat, WHOLE, others)).passingFormat).toBe(
      DatasetFormat.INSTRUCTION,
    );
    expect((await validateS3Dataset(s3.access(), 's3://team/qa/', asChat, WHOLE)).passingFormat).toBeUndefined();
    const valid = await validateS3Dataset(s3.access(), 's3://team/qa/', INSTRUCTION, WHOLE, [
      DatasetFormat.INSTRUCTION,
    ]);
    expect(valid.passingFormat).toBeUndefined();
  });

  test('what cannot be read says what to do', async () => {
    const s3 = new FakeS3().put('team', 'train/a.jsonl', line(0)).deny('locked');
    const check = (uri: string) => validateS3Dataset(s3.access(), uri, INSTRUCTION, WHOLE);
    await expect(check('s3://team/nothing/')).rejects.toThrow(
      's3://team/nothing/ holds no objects. Fix: upload the dataset there, or correct the prefix (it must end in "/").',
    );
    await expect(check('s3://gone/train/')).rejects.toThrow(
      'the bucket of s3://gone/train/ does not exist. Fix: check the bucket name.',
    );
    await expect(check('s3://locked/train/')).rejects.toThrow(
      /^access to s3:\/\/locked\/train\/ is denied \(Access Denied\)\. Fix: allow s3:ListBucket/,
    );
    await expect(check('s3://locked/train/')).rejects.toBeInstanceOf(DatasetLocationError);
  });

  test('denied by status alone, no credentials, or denied an object: each told as such; other errors as they are', async () => {
    const s3 = new FakeS3().put('team', 'train/a.jsonl', line(0));
    const failWith = (error: Error) => {
      const access = s3.access() as { client: { send: () => Promise<never> } };
      access.client.send = () => Promise.reject(error);
      return validateS3Dataset(access as never, 's3://team/train/', INSTRUCTION, WHOLE);
    };
    const forbidden = Object.assign(new Error('Forbidden'), { name: 'Unknown', $metadata: { httpStatusCode: 403 } });
    await expect(failWith(forbidden)).rejects.toThrow(/^access to s3:\/\/team\/train\/ is denied \(Forbidden\)/);
    await expect(failWith(Object.assign(new Error('x'), { name: 'Forbidden' }))).rejects.toThrow(/is denied \(x\)/);
    await expect(failWith(Object.assign(new Error('x'), { name: 'CredentialsProviderError' }))).rejects.toThrow(
      'no AWS credentials found to read s3://team/train/. Fix: sign in (aws sso login, aws configure) or set AWS_PROFILE.',
    );
    await expect(failWith(new Error('Could not load credentials from any providers'))).rejects.toThrow(
      /^no AWS credentials found/,
    );
    const other = Object.assign(new Error('socket hang up'), { name: 'TimeoutError' });
    await expect(failWith(other)).rejects.toBe(other);

    // Listed, then refused the object: the error names the object.
    s3.get = () => {
      throw Object.assign(new Error('Access Denied'), { name: 'AccessDenied' });
    };
    await expect(validateS3Dataset(s3.access(), 's3://team/train/', INSTRUCTION, WHOLE)).rejects.toThrow(
      /^access to s3:\/\/team\/train\/a\.jsonl is denied/,
    );
  });

  test('the local copy is removed, whatever the check found', async () => {
    const copies = () => readdirSync(tmpdir()).filter((name) => name.startsWith('llama3-ft-dataset-'));
    const before = copies().length;
    const s3 = new FakeS3().put('team', 'train/a.jsonl', 'not json\n');
    await validateS3Dataset(s3.access(), 's3://team/train/', INSTRUCTION, WHOLE);
    await expect(validateS3Dataset(s3.access(), 's3://team/none/', INSTRUCTION, WHOLE)).rejects.toThrow();
    expect(copies()).toHaveLength(before);
  });
});
