import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { CommandIo, EXIT_FAILED, EXIT_OK, EXIT_USAGE, parseFlags, usageError } from './io';
import { DatasetFormat, DatasetValidator } from '../datasets/dataset-validator';
import { splitDataset } from '../datasets/dataset-split';

export const SPLIT_HELP = `Usage: llama3-ft split DIR --holdout N --out OUT [--seed S] [--mode instruction|chat]

Splits an instruction or chat dataset into OUT/train/ (to train on) and OUT/holdout/
(N records never trained on, to evaluate with), drawn with a seed so the same command
gives the same split anywhere. template.json goes with both. The dataset is checked
first, as validate-data checks it, and so are both halves.

Options:
  --holdout N       records to hold out (at least 1, fewer than the dataset has)
  --out OUT         directory to write train/ and holdout/ into (they must not exist yet)
  --seed S          the draw's seed, an integer (default 0)
  --mode MODE       instruction (the default) or chat
  -h, --help        show this help

Exit status: 0 split, 1 the dataset or a half is not valid, 2 wrong usage.
`;

const MODES = [DatasetFormat.INSTRUCTION, DatasetFormat.CHAT] as string[];

export async function splitCommand(args: string[], io: CommandIo): Promise<number> {
  const parsed = parseFlags(
    args,
    {
      holdout: { type: 'string' },
      out: { type: 'string' },
      seed: { type: 'string' },
      mode: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    true,
  );
  if ('error' in parsed) {
    io.stderr.write(`${parsed.error}\n\n${SPLIT_HELP}`);
    return EXIT_USAGE;
  }
  const values = parsed.values as { holdout?: string; out?: string; seed?: string; mode?: string; help?: boolean };
  if (values.help) {
    io.stdout.write(SPLIT_HELP);
    return EXIT_OK;
  }
  const usage = (message: string) => usageError(io, 'split', message);
  if (parsed.positionals.length !== 1) {
    return usage(`Give exactly one dataset directory; given: ${parsed.positionals.length}.`);
  }
  const mode = values.mode ?? DatasetFormat.INSTRUCTION;
  if (!MODES.includes(mode)) return usage(`--mode is ${JSON.stringify(mode)}; allowed: ${MODES.join(', ')}.`);
  const holdout = /^\d+$/.test(values.holdout ?? '') ? Number(values.holdout) : NaN;
  if (!(holdout >= 1))
    return usage(`--holdout is ${JSON.stringify(values.holdout ?? null)}; allowed: an integer >= 1.`);
  const seed = values.seed === undefined ? 0 : /^-?\d+$/.test(values.seed) ? Number(values.seed) : NaN;
  if (Number.isNaN(seed)) return usage(`--seed is "${values.seed}", which is not an integer.`);
  if (!values.out) return usage('--out is missing; give the directory to write train/ and holdout/ into.');
  for (const half of ['train', 'holdout']) {
    const path = join(values.out, half);
    if (existsSync(path) && readdirSync(path).length > 0) {
      return usage(`${path} exists and is not empty; a split never overwrites. Fix: choose another --out.`);
    }
  }

  const directory = parsed.positionals[0];
  const check = (dir: string) => {
    const report = DatasetValidator.validateDirectory(dir, { format: mode as DatasetFormat });
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
  const halves = [check(split.trainDirectory), check(split.holdoutDirectory)];
  io.stdout.write(
    `${split.records} record(s): ${split.train} in ${split.trainDirectory}/, ${split.holdout} in ${split.holdoutDirectory}/ (seed ${seed})\n`,
  );
  return halves.some((r) => r.errorCount > 0) ? EXIT_FAILED : EXIT_OK;
}
