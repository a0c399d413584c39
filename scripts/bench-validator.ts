// Child process of the benchmark: validates one dataset directory and prints
// seconds, bytes and this process's peak memory as JSON.
import { DatasetFormat, DatasetValidator } from '../lib/datasets/dataset-validator';

const [directory, format] = process.argv.slice(2);
const started = process.hrtime.bigint();
const report = DatasetValidator.validateDirectory(directory, { format: format as DatasetFormat, maxInputLength: 512 });
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
process.stdout.write(
  JSON.stringify({
    seconds,
    bytes: report.bytes,
    records: report.records,
    errors: report.errorCount,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
  }),
);
