import { CommandIo, EXIT_FAILED, EXIT_OK, EXIT_USAGE, parseFlags, usageError } from './io';
import { DatasetFormat, DatasetReport, DatasetValidator } from '../datasets/dataset-validator';
import { DatasetLocationError, MAX_CHECKED_BYTES, validateS3Dataset } from '../datasets/s3-dataset';

export const VALIDATE_DATA_HELP = `Usage: llama3-ft validate-data DIR|s3://BUCKET/PREFIX/ [--mode domain-adaptation|instruction|chat] [options]

Checks a local dataset directory, or the objects under an S3 prefix, against the
format its training mode reads, listing every problem by file (or object) and line.
The stack runs the same check at synth for local data, and at deploy for S3 data.

Options:
  --mode MODE              domain-adaptation (the default, as in training), instruction
                           (instruction_tuned=True) or chat (chat_dataset=True)
  --template FILE          template to check instruction data against, instead of
                           DIR/template.json (or JumpStart's default template)
  --max-input-length N     the training's max_input_length, to warn when it is far
                           above the samples' length (default -1, read as 1024)
  --max-problems N         most problems listed (default 100)
  --region REGION          AWS region of the bucket (default: the SDK's; S3's redirect
                           is followed); S3 data is read with your AWS credentials
  -h, --help               show this help

Exit status: 0 no errors (warnings may be printed), 1 errors found or the S3 data
could not be read, 2 wrong usage.
`;

export async function validateDataCommand(args: string[], io: CommandIo): Promise<number> {
  const parsed = parseFlags(
    args,
    {
      mode: { type: 'string' },
      template: { type: 'string' },
      'max-input-length': { type: 'string' },
      'max-problems': { type: 'string' },
      region: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    true,
  );
  if ('error' in parsed) {
    io.stderr.write(`${parsed.error}\n\n${VALIDATE_DATA_HELP}`);
    return EXIT_USAGE;
  }
  const { positionals } = parsed;
  const values = parsed.values as {
    mode?: string;
    template?: string;
    'max-input-length'?: string;
    'max-problems'?: string;
    region?: string;
    help?: boolean;
  };
  if (values.help) {
    io.stdout.write(VALIDATE_DATA_HELP);
    return EXIT_OK;
  }
  const formats = Object.values(DatasetFormat) as string[];
  const usage = (message: string) => usageError(io, 'validate-data', message);
  if (positionals.length !== 1) {
    return usage(`Give exactly one dataset directory or s3:// prefix; given: ${positionals.length}.`);
  }
  const mode = values.mode ?? DatasetFormat.DOMAIN_ADAPTATION;
  if (!formats.includes(mode)) return usage(`--mode is ${JSON.stringify(mode)}; allowed: ${formats.join(', ')}.`);
  const integer = (raw?: string) => (raw === undefined ? undefined : /^-?\d+$/.test(raw) ? Number(raw) : NaN);
  const maxInputLength = integer(values['max-input-length']);
  const maxProblems = integer(values['max-problems']);
  if (Number.isNaN(maxInputLength))
    return usage(`--max-input-length is "${values['max-input-length']}", which is not an integer.`);
  if (Number.isNaN(maxProblems) || (maxProblems !== undefined && maxProblems < 1))
    return usage(`--max-problems is "${values['max-problems']}"; allowed: an integer >= 1.`);

  const location = positionals[0];
  const options = { format: mode as DatasetFormat, templateFile: values.template, maxInputLength, maxProblems };
  let report: DatasetReport;
  if (location.startsWith('s3://')) {
    try {
      // Loaded only for S3: a local check does not pay for the SDK's start-up.
      const { S3Client, ListObjectsV2Command, GetObjectCommand } = await import('../client/s3-sdk');
      const client = new S3Client({ region: values.region, followRegionRedirects: true });
      const checked = await validateS3Dataset({ client, ListObjectsV2Command, GetObjectCommand }, location, options, {
        maxBytes: MAX_CHECKED_BYTES,
      });
      report = checked.report;
      if (checked.copy.sampleBytesPerObject) {
        io.stderr.write(
          `${location} holds ${checked.copy.bytes} bytes, over ${MAX_CHECKED_BYTES >> 30} GiB: checked the first ` +
            `${checked.copy.sampleBytesPerObject >> 20} MiB of each object (${checked.copy.checkedBytes} bytes)\n`,
        );
      }
    } catch (error) {
      if (!(error instanceof DatasetLocationError)) throw error;
      io.stderr.write(`llama3-ft validate-data: ${error.message}\n`);
      return EXIT_FAILED;
    }
  } else {
    report = DatasetValidator.validateDirectory(location, options);
  }
  for (const problem of report.problems) io.stdout.write(`${DatasetValidator.formatProblem(problem)}\n`);
  if (report.unlistedProblems > 0) io.stdout.write(`... and ${report.unlistedProblems} more problems not listed\n`);
  io.stdout.write(
    `${location}: ${report.files} file(s), ${report.records} sample(s), ` +
      `${report.errorCount} error(s), ${report.warningCount} warning(s)\n`,
  );
  return report.errorCount > 0 ? EXIT_FAILED : EXIT_OK;
}
