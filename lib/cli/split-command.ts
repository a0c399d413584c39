import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { startCommand } from './command-line';
import { booleanFlag, existingPath, integer, oneOf, outputDirectory } from './flag-types';
import { CommandIo, EXIT_FAILED, EXIT_OK, configurationUsageError, usageError } from './io';
import { DatasetFormat, DatasetValidator } from '../datasets/dataset-validator';
import { splitDataset } from '../datasets/dataset-split';

export const SPLIT_HELP = `Usage: llama3-ft split DIR --holdout N --out OUT [--seed S] [--mode instruction|chat]

Splits an instruction or chat dataset into OUT/train/ (to train on) and OUT/holdout/
(N records never trained on, to evaluate with), drawn with a seed so the same command
gives the same split anywhere. template.json goes with both. The dataset is checked
first, as validate-data checks it, and so are both halves.

Options:
  --holdout N       records to hold out (at least 1, fewer than the dataset has)
  --out OUT         directory to write train/ and holdout/ into (they must not exist yet, or be
                    empty); OUT, or the directory it is made in, must exist and be writable
  --seed S          the draw's seed, an integer from 0 to 4294967295 (default 0)
  --mode MODE       instruction (the default) or chat
  -h, --help        show this help

Exit status: 0 split, 1 the dataset or a half is not valid, 2 wrong usage.
`;

export const SPLIT_FLAGS = {
  holdout: { type: integer({ min: 1, example: 50 }) },
  out: { type: outputDirectory },
  // mulberry32 reads the seed as an unsigned 32-bit integer: a larger one would repeat another's split.
  seed: { type: integer({ min: 0, max: 2 ** 32 - 1, example: 0 }) },
  mode: { type: oneOf([DatasetFormat.INSTRUCTION, DatasetFormat.CHAT]) },
  help: { type: booleanFlag, short: 'h' },
} as const;

export async function splitCommand(args: string[], io: CommandIo): Promise<number> {
  const started = startCommand(io, 'split', SPLIT_HELP, args, SPLIT_FLAGS, true);
  if (typeof started === 'number') return started;
  const usage = (message: string) => usageError(io, 'split', message);
  const { values, positionals } = started;
  if (positionals.length !== 1) {
    return usage(`Give exactly one dataset directory; given: ${positionals.length}.`);
  }
  let directory: string;
  try {
    directory = existingPath('directory').parse(positionals[0], 'the dataset directory');
  } catch (error) {
    return configurationUsageError(io, 'split', error);
  }
  const mode = values.mode ?? DatasetFormat.INSTRUCTION;
  const holdout = values.holdout;
  if (holdout === undefined)
    return usage('--holdout is missing; give the number of records to hold out, e.g. --holdout 50.');
  const seed = values.seed ?? 0;
  if (!values.out) return usage('--out is missing; give the directory to write train/ and holdout/ into.');
  for (const half of ['train', 'holdout']) {
    const path = join(values.out, half);
    if (existsSync(path) && readdirSync(path).length > 0) {
      return usage(`${path} exists and is not empty; a split never overwrites. Fix: choose another --out.`);
    }
  }

  const check = (dir: string) => {
    const report = DatasetValidator.validateDirectory(dir, { format: mode });
    for (const p of report.problems.filter((p) => p.severity === 'error')) {
      io.stdout.write(`${DatasetValidator.formatProblem({ ...p, file: p.file === dir ? dir : join(dir, p.file) })}\n`);
    }
    return report;
  };
  const source = check(directory);
  if (source.errorCount > 0) {
    io.stderr.write(
      `llama3-ft split: ${directory} is not valid ${mode} data (${source.errorCount} error(s)); nothing written.\n`,
    );
    return EXIT_FAILED;
  }
  if (holdout >= source.records) {
    return usage(
      `--holdout is ${holdout}, but ${directory} holds ${source.records} record(s); hold out fewer, to train on the rest.`,
    );
  }
  const split = splitDataset(directory, values.out, holdout, seed);
  // Every record of valid data is valid wherever it lands: checking the halves guards against a fault in the split.
  const halves = [check(split.trainDirectory), check(split.holdoutDirectory)];
  io.stdout.write(
    `${split.records} record(s): ${split.train} in ${split.trainDirectory}/, ${split.holdout} in ${split.holdoutDirectory}/ (seed ${seed})\n`,
  );
  return halves.some((r) => r.errorCount > 0) ? EXIT_FAILED : EXIT_OK;
}
