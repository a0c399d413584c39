import { startCommand } from './command-line';
import { booleanFlag, datasetLocation, existingPath, integer, oneOf, region } from './flag-types';
import { CommandIo, EXIT_FAILED, EXIT_OK, configurationUsageError, usageError } from './io';
import { withPropNames } from '../config/prop-names';
import { resolveTrainingConfiguration } from '../config/training-configuration';
import { DatasetFormat, DatasetReport, DatasetValidator } from '../datasets/dataset-validator';
import { DatasetLocationError, MAX_CHECKED_BYTES, validateS3Dataset } from '../datasets/s3-dataset';
import { DEFAULT_MODEL_ID, MODEL_CATALOGUE } from '../models/catalogue';

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
                           above the samples' length: -1 (the default, read as 1024) or
                           1 to the model's context length (8192 for Llama 3)
  --model-id ID            the JumpStart model trained on the data, whose context bounds
                           --max-input-length (default ${DEFAULT_MODEL_ID})
  --max-problems N         most problems listed, N >= 1 (default 100)
  --region REGION          AWS region of the bucket, e.g. us-east-1 (default: the SDK's; S3's redirect
                           is followed); S3 data is read with your AWS credentials
  -h, --help               show this help

An s3:// URI is checked by the same rule as the stack's (bucket name, no "//"), and every
flag before anything is read.

Exit status: 0 no errors (warnings may be printed), 1 errors found or the S3 data
could not be read, 2 wrong usage.
`;

const FORMATS = Object.values(DatasetFormat);
// Sizes are divided, not shifted: `>>` works on 32-bit integers, and 4 GiB shifted is 0.
const MIB = 1024 ** 2;
const GIB = 1024 ** 3;

export const VALIDATE_DATA_FLAGS = {
  mode: { type: oneOf(FORMATS) },
  template: { type: existingPath('file') },
  'max-input-length': { type: integer({ example: 512 }) },
  'model-id': { type: oneOf(MODEL_CATALOGUE.map((m) => m.modelId)) },
  'max-problems': { type: integer({ min: 1, example: 100 }) },
  region: { type: region },
  help: { type: booleanFlag, short: 'h' },
} as const;

/**
 * Refuses --max-input-length by the training configuration's own rule: -1, or 1 to the model's context (left
 * out, the model's default, which every model resolves with).
 */
function checkMaxInputLength(maxInputLength: number | undefined, modelId = DEFAULT_MODEL_ID): void {
  withPropNames({ 'hyperparameters.maxInputLength': '--max-input-length', modelId: '--model-id' }, () =>
    resolveTrainingConfiguration({ modelId, hyperparameters: { maxInputLength } }),
  );
}

export async function validateDataCommand(args: string[], io: CommandIo): Promise<number> {
  const started = startCommand(io, 'validate-data', VALIDATE_DATA_HELP, args, VALIDATE_DATA_FLAGS, true);
  if (typeof started === 'number') return started;
  const { positionals, values } = started;
  if (positionals.length !== 1) {
    return usageError(
      io,
      'validate-data',
      `Give exactly one dataset directory or s3:// prefix; given: ${positionals.length}.`,
    );
  }
  let location: string;
  try {
    location = datasetLocation.parse(positionals[0], 'the dataset location');
    checkMaxInputLength(values['max-input-length'], values['model-id']);
  } catch (error) {
    return configurationUsageError(io, 'validate-data', error);
  }
  const mode = values.mode ?? DatasetFormat.DOMAIN_ADAPTATION;
  const options = {
    format: mode,
    templateFile: values.template,
    maxInputLength: values['max-input-length'],
    maxProblems: values['max-problems'],
  };
  // Checked in the default mode, data with errors is checked in these too, to say which it passes. Only the default
  // mode is a guess worth correcting: a mode asked for is what the user means.
  const otherModes = values.mode === undefined ? [DatasetFormat.INSTRUCTION, DatasetFormat.CHAT] : undefined;
  let report: DatasetReport;
  let passingMode: DatasetFormat | undefined;
  if (location.startsWith('s3://')) {
    try {
      // Loaded only for S3: a local check does not pay for the SDK's start-up.
      const { S3Client, ListObjectsV2Command, GetObjectCommand } = await import('../client/s3-sdk');
      const client = new S3Client({ region: values.region, followRegionRedirects: true });
      const s3 = { client, ListObjectsV2Command, GetObjectCommand };
      const limits = { maxBytes: MAX_CHECKED_BYTES };
      const checked = await validateS3Dataset(s3, location, options, limits, otherModes);
      report = checked.report;
      passingMode = checked.passingFormat;
      if (checked.copy.sampleBytesPerObject) {
        io.stderr.write(
          `${location} holds ${checked.copy.bytes} bytes, over ${MAX_CHECKED_BYTES / GIB} GiB: checked the first ` +
            `${Math.floor(checked.copy.sampleBytesPerObject / MIB)} MiB of each object (${checked.copy.checkedBytes} bytes)\n`,
        );
      }
    } catch (error) {
      // Whatever stops the read (no network, no access, no bucket) is one line, not a stack trace.
      const e = error as Error;
      const message =
        error instanceof DatasetLocationError ? e.message : `could not read ${location}: ${e.name}: ${e.message}`;
      io.stderr.write(`llama3-ft validate-data: ${message}\n`);
      return EXIT_FAILED;
    }
  } else {
    report = DatasetValidator.validateDirectory(location, options);
    // Data valid as domain adaptation (one .csv, .json or .txt file) passes neither JSON Lines mode, whose check
    // stops at its file name without reading it.
    passingMode = otherModes?.find(
      (format) => DatasetValidator.validateDirectory(location, { ...options, format }).errorCount === 0,
    );
  }
  for (const problem of report.problems) io.stdout.write(`${DatasetValidator.formatProblem(problem)}\n`);
  if (report.unlistedProblems > 0) io.stdout.write(`... and ${report.unlistedProblems} more problems not listed\n`);
  io.stdout.write(
    `${location}: ${report.files} file(s), ${report.records} sample(s), ` +
      `${report.errorCount} error(s), ${report.warningCount} warning(s)\n`,
  );
  if (passingMode) {
    const hyperparameter = passingMode === DatasetFormat.CHAT ? 'chat_dataset' : 'instruction_tuned';
    io.stdout.write(
      `${location} was checked as domain-adaptation data (the default); it is valid ${passingMode} data. ` +
        `Fix: pass --mode ${passingMode} (and train with ${hyperparameter}=True).\n`,
    );
  }
  return report.errorCount > 0 ? EXIT_FAILED : EXIT_OK;
}
