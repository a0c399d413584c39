import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const CLI = join(__dirname, '..', '..', 'bin', 'llama3-ft.js');
const run = (...args: string[]) => spawnSync('node', [CLI, 'validate-data', ...args], { encoding: 'utf8' });

test('a valid dataset exits 0 with a summary', () => {
  const result = run(
    join(__dirname, '..', '..', 'examples', 'datasets', 'dolly-qa', 'train'),
    '--mode',
    'instruction',
    '--max-input-length',
    '256',
  );
  expect(result.status).toBe(0);
  expect(result.stdout).toMatch(/10 sample\(s\), 0 error\(s\), 0 warning\(s\)/);
});

test('a broken dataset exits 1 listing each problem by file and line', () => {
  const result = run(
    join(__dirname, '..', 'fixtures', 'broken-datasets', 'it-errors-in-two-files', 'data'),
    '--mode',
    'instruction',
  );
  expect(result.status).toBe(1);
  expect(result.stdout).toContain('a.jsonl:1: error: lacks "response"');
  expect(result.stdout).toContain('b.jsonl:2: error: is string, not a JSON object.');
});

test('wrong usage exits 2', () => {
  expect(run('some-dir', 'other-dir').status).toBe(2);
  expect(run('some-dir', '--mode', 'sft').stderr).toContain(
    '--mode is "sft"; allowed: domain-adaptation, instruction, chat.',
  );
  expect(run().status).toBe(2);
});

test('--help documents the command', () => {
  const result = run('--help');
  expect(result.status).toBe(0);
  expect(result.stdout).toContain(
    'Usage: llama3-ft validate-data DIR|s3://BUCKET/PREFIX/ [--mode domain-adaptation|instruction|chat]',
  );
});
