import { closeSync, copyFileSync, existsSync, mkdirSync, openSync, readdirSync, writeSync } from 'node:fs';
import { extname, join } from 'node:path';
import { readLines } from './line-reader';

/** A reproducible split of a JSON Lines dataset into what is trained on and what is held out. */
export interface DatasetSplit {
  readonly records: number;
  readonly train: number;
  readonly holdout: number;
  readonly trainDirectory: string;
  readonly holdoutDirectory: string;
}

/** A small seeded generator (mulberry32): the same seed gives the same split on every machine. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The `count` record numbers (0-based, in file and line order) held out for this seed. */
export function holdoutIndexes(records: number, count: number, seed: number): Set<number> {
  const order = Array.from({ length: records }, (_, i) => i);
  const random = seededRandom(seed);
  // Fisher-Yates, stopped after the first `count` places are drawn.
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(random() * (records - i));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return new Set(order.slice(0, count));
}

function* records(directory: string, files: string[]): Generator<string> {
  for (const file of files) {
    for (const { text } of readLines(join(directory, file))) if (text.trim()) yield text;
  }
}

/**
 * Splits the `.jsonl` records of a dataset directory into `<out>/train/train.jsonl` and
 * `<out>/holdout/holdout.jsonl`, `holdout` of them drawn with `seed`, and copies its
 * `template.json` into both, so the held-out samples are formatted as the trained ones. Streams
 * the records twice (a count, then the split): memory holds only the record numbers.
 */
export function splitDataset(directory: string, out: string, holdout: number, seed: number): DatasetSplit {
  const files = readdirSync(directory)
    .filter((f) => extname(f) === '.jsonl')
    .sort();
  let total = 0;
  for (const _ of records(directory, files)) total++;
  const held = holdoutIndexes(total, holdout, seed);
  const trainDirectory = join(out, 'train');
  const holdoutDirectory = join(out, 'holdout');
  mkdirSync(trainDirectory, { recursive: true });
  mkdirSync(holdoutDirectory, { recursive: true });
  const train = openSync(join(trainDirectory, 'train.jsonl'), 'w');
  const hold = openSync(join(holdoutDirectory, 'holdout.jsonl'), 'w');
  try {
    let index = 0;
    for (const record of records(directory, files)) writeSync(held.has(index++) ? hold : train, `${record}\n`);
  } finally {
    closeSync(train);
    closeSync(hold);
  }
  if (existsSync(join(directory, 'template.json'))) {
    for (const target of [trainDirectory, holdoutDirectory]) {
      copyFileSync(join(directory, 'template.json'), join(target, 'template.json'));
    }
  }
  return { records: total, train: total - holdout, holdout, trainDirectory, holdoutDirectory };
}
