import { PassThrough } from 'node:stream';
import { coldStartProgress, configurationUsageError, parseFlags, readAll } from '../../lib/cli/io';
import { configurationError } from '../../lib/config/configuration-error';

const OPTIONS = { 'model-id': { type: 'string' }, verbose: { type: 'boolean' } } as const;

test('flags are read in kebab-case and in the context-key spelling', () => {
  expect(parseFlags(['--model-id', 'a', '--verbose'], { ...OPTIONS })).toEqual({
    values: { 'model-id': 'a', verbose: true },
    positionals: [],
  });
  expect(parseFlags(['--model_id=b'], { ...OPTIONS })).toMatchObject({ values: { 'model-id': 'b' } });
});

test('only a flag name is respelled: values and positionals keep their underscores and dashes', () => {
  expect(parseFlags(['--model-id', 'my_model', 'data--v_2.jsonl'], { ...OPTIONS }, true)).toEqual({
    values: { 'model-id': 'my_model' },
    positionals: ['data--v_2.jsonl'],
  });
});

test('a positional argument is a usage error unless the command takes them', () => {
  expect(parseFlags(['stray'], { ...OPTIONS })).toEqual({ error: expect.stringContaining("'stray'") });
});

test('an unknown flag names the nearest known one; other mistakes are reported as they are', () => {
  expect(parseFlags(['--model-idd', 'a'], { ...OPTIONS })).toEqual({
    error: expect.stringMatching(/--model-idd.* Did you mean --model-id\?$/),
  });
  const missingValue = parseFlags(['--model-id'], { ...OPTIONS });
  expect(missingValue).toEqual({ error: expect.stringContaining('--model-id') });
  expect((missingValue as { error: string }).error).not.toContain('Did you mean');
});

test('standard input is read whole, chunk after chunk', async () => {
  const stdin = new PassThrough();
  const text = readAll(stdin);
  stdin.write('{"inputs": ');
  stdin.end(Buffer.from('"Hello"}'));
  await expect(text).resolves.toBe('{"inputs": "Hello"}');
});

test('a cold start tells stderr, after what ends the current line, which component it waits for and how long', () => {
  let err = '';
  const io = {
    stdin: new PassThrough(),
    stdout: new PassThrough(),
    stderr: new PassThrough().on('data', (c) => (err += c)),
  };
  coldStartProgress(io, 'llama-ic', '\n').waiting(30, 600);
  expect(err.startsWith('\nllama-ic ')).toBe(true);
  expect(err).toContain('30 s of 600 s');
  expect(err.endsWith('\n')).toBe(true);
});

test("a configuration error is the command's usage error, reworded; any other error is not the user's and goes on", () => {
  let err = '';
  const io = {
    stdin: new PassThrough(),
    stdout: new PassThrough(),
    stderr: new PassThrough().on('data', (c) => (err += c)),
  };
  const refused = configurationError(['timeoutMillis is 0; allowed: above 0.']);
  expect(configurationUsageError(io, 'chat', refused, (m) => m.replace('timeoutMillis', '--timeout'))).toBe(2);
  expect(err).toBe('--timeout is 0; allowed: above 0.\nRun llama3-ft chat --help for the options.\n');
  err = '';
  expect(configurationUsageError(io, 'split', refused)).toBe(2);
  expect(err).toBe('timeoutMillis is 0; allowed: above 0.\nRun llama3-ft split --help for the options.\n');
  const fault = new TypeError("Cannot read properties of undefined (reading 'records')");
  expect(() => configurationUsageError(io, 'split', fault)).toThrow(fault);
});
