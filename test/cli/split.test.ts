import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { holdoutIndexes } from '../../lib/datasets/dataset-split';
import { runCli } from '../support/run-cli';

const DOLLY = join(__dirname, '..', '..', 'examples', 'datasets', 'dolly-qa', 'train');
let work: string;
beforeEach(() => (work = mkdtempSync(join(tmpdir(), 'split-'))));
afterEach(() => rmSync(work, { recursive: true, force: true }));

const split = (...args: string[]) => runCli('split', ...args);
const lines = (file: string) => readFileSync(file, 'utf8').split('\n').filter(Boolean);
const source = () => lines(join(DOLLY, 'train.jsonl'));

test('holds out N records, trains on the rest: disjoint, together the dataset, each half with the template', async () => {
  const result = await split(DOLLY, '--holdout', '3', '--seed', '7', '--out', join(work, 'a'));
  expect(result.status).toBe(0);
  const train = lines(join(work, 'a', 'train', 'train.jsonl'));
  const holdout = lines(join(work, 'a', 'holdout', 'holdout.jsonl'));
  expect(holdout).toHaveLength(3);
  expect(train).toHaveLength(source().length - 3);
  expect(train.filter((r) => holdout.includes(r))).toEqual([]);
  expect([...train, ...holdout].sort()).toEqual(source().sort());
  for (const half of ['train', 'holdout']) {
    expect(readFileSync(join(work, 'a', half, 'template.json'), 'utf8')).toBe(
      readFileSync(join(DOLLY, 'template.json'), 'utf8'),
    );
  }
  expect(result.out).toBe(
    `${source().length} record(s): ${train.length} in ${join(work, 'a', 'train')}/, 3 in ${join(work, 'a', 'holdout')}/ (seed 7)\n`,
  );
});

test('the same seed gives the same split; another seed another one', async () => {
  await split(DOLLY, '--holdout', '4', '--seed', '1', '--out', join(work, 'a'));
  await split(DOLLY, '--holdout', '4', '--seed', '1', '--out', join(work, 'b'));
  await split(DOLLY, '--holdout', '4', '--seed', '2', '--out', join(work, 'c'));
  const held = (dir: string) => readFileSync(join(work, dir, 'holdout', 'holdout.jsonl'), 'utf8');
  expect(held('b')).toBe(held('a'));
  expect(held('c')).not.toBe(held('a'));
  // Distinct draws, all within the dataset.
  const drawn = [...holdoutIndexes(1000, 100, 42)];
  expect(new Set(drawn).size).toBe(100);
  expect(drawn.every((i) => i >= 0 && i < 1000)).toBe(true);
});

test('refuses what would not give a usable split, and writes nothing for invalid data', async () => {
  expect((await split(DOLLY, '--holdout', '10', '--out', join(work, 'x'))).err).toContain(
    'holds 10 record(s); hold out fewer, to train on the rest.',
  );
  expect((await split(DOLLY, '--holdout', '0', '--out', join(work, 'x'))).status).toBe(2);
  await split(DOLLY, '--holdout', '2', '--out', join(work, 'x'));
  expect((await split(DOLLY, '--holdout', '2', '--out', join(work, 'x'))).err).toContain(
    'exists and is not empty; a split never overwrites.',
  );
  const broken = join(work, 'broken');
  rmSync(broken, { recursive: true, force: true });
  mkdirSync(broken);
  writeFileSync(join(broken, 'train.jsonl'), '{"instruction": "x"}\nnot json\n');
  const result = await split(broken, '--holdout', '1', '--out', join(work, 'y'));
  expect(result.status).toBe(1);
  expect(result.out).toContain(`${join(broken, 'train.jsonl')}:2: error: is not valid JSON`);
  expect(readdirSync(work)).not.toContain('y');
});

test('train/ and holdout/ that exist but are empty are written into', async () => {
  mkdirSync(join(work, 'ready', 'train'), { recursive: true });
  mkdirSync(join(work, 'ready', 'holdout'));
  const result = await split(DOLLY, '--holdout', '2', '--out', join(work, 'ready'));
  expect(result.status).toBe(0);
  expect(lines(join(work, 'ready', 'holdout', 'holdout.jsonl'))).toHaveLength(2);
  expect(lines(join(work, 'ready', 'train', 'train.jsonl'))).toHaveLength(source().length - 2);
});

test('a dataset directory without records: its problem names the directory once, and nothing is written', async () => {
  const empty = join(work, 'empty');
  mkdirSync(empty);
  const result = await split(empty, '--holdout', '1', '--out', join(work, 'out'));
  expect(result).toEqual({
    status: 1,
    out: `${empty}: error: holds no .jsonl file; instruction-tuning data is JSON Lines, one object per line.\n`,
    err: `llama3-ft split: ${empty} is not valid instruction data (1 error(s)); nothing written.\n`,
  });
  expect(readdirSync(work)).toEqual(['empty']);
});
