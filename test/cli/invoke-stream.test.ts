/** `llama3-ft invoke --stream` and `--model-id` against the loopback runtime. */
import { PassThrough } from 'node:stream';
import { FakeRuntime, lmiStream } from '../support/fake-runtime';
import { payloadPart, streamException } from '../support/event-stream';

const runtime = new FakeRuntime();
let main: typeof import('../../lib/cli/main').main;

beforeAll(async () => {
  await runtime.startForSdk();
  ({ main } = await import('../../lib/cli/main'));
});
afterAll(() => runtime.stop());

/** Runs invoke; records each write to stdout with when it happened. */
async function invoke(...args: string[]) {
  const writes: { text: string; at: number }[] = [];
  const stdout = new PassThrough().on('data', (c) => writes.push({ text: String(c), at: Date.now() }));
  let err = '';
  const stderr = new PassThrough().on('data', (c) => (err += c));
  const stdin = new PassThrough();
  stdin.end();
  const status = await main(['invoke', '--endpoint', 'e', ...args], { stdin, stdout, stderr });
  return { status, writes, out: writes.map((w) => w.text).join(''), err, last: runtime.requests.at(-1)! };
}

test('--stream prints each piece as it arrives', async () => {
  runtime.streamAnswer = lmiStream(['Deep', ' learning', ' is', ' fun.'], 200);
  const result = await invoke('--prompt', 'What is deep learning?', '--stream');
  expect(result.status).toBe(0);
  expect(result.out).toBe('Deep learning is fun.\n');
  expect(result.writes.map((w) => w.text)).toEqual(['Deep', ' learning', ' is', ' fun.', '\n']);
  expect(result.writes[3].at - result.writes[0].at).toBeGreaterThanOrEqual(450);
  expect(result.last.path).toBe('/endpoints/e/invocations-response-stream');
});

test('--stream: a failure mid-answer ends the line, says what SageMaker said, exits 1', async () => {
  runtime.streamAnswer = {
    status: 200,
    body: '',
    frames: [
      payloadPart('{"token": {"id": 1, "text": "Deep", "log_prob": -1}}\n'),
      streamException('ModelStreamError', { Message: 'Worker died', ErrorCode: 'ModelError' }),
    ],
  };
  const result = await invoke('--prompt', 'x', '--stream');
  expect(result.status).toBe(1);
  expect(result.out).toBe('Deep\n');
  expect(result.err).toContain('failed while streaming its answer (ModelError): Worker died.');
  expect(result.err).not.toContain('\n    at ');
});

test('--model-id of an instruct model sends the prompt as a user turn, stopping at the end of the turn', async () => {
  runtime.answer = { status: 200, body: '{"generated_text":"Paris."}' };
  const result = await invoke(
    '--prompt',
    'Capital of France?',
    '--model-id',
    'meta-textgeneration-llama-3-8b-instruct',
  );
  expect(result.out).toBe('Paris.\n');
  expect(JSON.parse(result.last.body)).toEqual({
    inputs:
      '<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nCapital of France?<|eot_id|>' +
      '<|start_header_id|>assistant<|end_header_id|>\n\n',
    parameters: { max_new_tokens: 256, stop: ['<|eot_id|>'] },
  });
});

test('a base model, or no --model-id, gets the prompt as it is', async () => {
  for (const args of [['--model-id', 'meta-textgeneration-llama-3-8b'], []]) {
    const result = await invoke('--prompt', 'Once upon a time', ...args);
    expect(JSON.parse(result.last.body)).toEqual({ inputs: 'Once upon a time', parameters: { max_new_tokens: 256 } });
  }
});
