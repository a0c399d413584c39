// Child process of the benchmark: the deploy-time check's code path (copy an S3 prefix to a
// temporary directory, validate it) against the S3 endpoint in the environment; prints
// seconds, bytes and this process's peak memory as JSON.
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { DatasetFormat } from '../lib/datasets/dataset-validator';
import { MAX_CHECKED_BYTES, validateS3Dataset } from '../lib/datasets/s3-dataset';
// eslint-disable-next-line @typescript-eslint/no-require-imports -- shared with the JavaScript children
const { peakRssMiB } = require('./peak-rss.js');

const [uri, format] = process.argv.slice(2);
(async () => {
  const started = process.hrtime.bigint();
  const { report, copy } = await validateS3Dataset(
    { client: new S3Client({}), ListObjectsV2Command, GetObjectCommand },
    uri,
    { format: format as DatasetFormat, maxInputLength: 512 },
    { maxBytes: MAX_CHECKED_BYTES },
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  process.stdout.write(
    JSON.stringify({
      seconds,
      bytes: copy.checkedBytes,
      records: report.records,
      errors: report.errorCount,
      peakRssMiB: peakRssMiB(),
    }),
  );
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
