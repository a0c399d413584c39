/**
 * `llama3-ft chat` with piped input, against the loopback runtime's event streams: each line a
 * question, answered in order with the conversation so far, kept within the context.
 * (test/cli/chat-terminal.test.ts drives it in a real terminal.)
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { FakeAnswer, FakeRuntime, lmiStream } from '../support/fake-runtime';
import { runCommand } from '../support/run-cli';
import { payloadPart, streamException } from '../support/event-stream';

const runtime = new FakeRuntime();
let main: typeof import('../../lib/cli/main').main;

beforeAll(async () => {
  await runtime.startForSdk();
  ({ main } = await import('../../lib/cli/main'));
});
afterAll(() => runtime.stop());
beforeEach(() => {
  runtime.respond = undefined;
  runtime.streamAnswer = lmiStream(['o', 'k']);
});

/** Runs `llama3-ft chat` with `input` piped to it. */
async function chat(args: string[], input: string) {
  const before = runtime.requests.length;
  const result = await runCommand((io) => main(['chat', ...args], io), input);
  return { ...result, sent: runtime.requests.slice(before).map((r) => JSON.parse(r.body)) };
}

/** Answers each question with a stream naming it: `answer to <question>`. */
const echo = (path: string, body: string): FakeAnswer | undefined => {
  const inputs: string = JSON.parse(body).inputs;
  const question =
    /user<\|end_header_id\|>\n\n([^<]*)<\|eot_id\|><\|start_header_id\|>assistant<\|end_header_id\|>\n\n$/.exec(
      inputs,
    )?.[1];
  return path.endsWith('-response-stream') ? lmiStream(['answer', ' to ', question ?? '?']) : undefined;
};

test('each piped line is answered in order, with the conversation so far; timings after each answer', async () => {
  runtime.respond = echo;
  const result = await chat(['--endpoint', 'e', '--system', 'Be brief.'], 'First?\nSecond?\n/exit\nnot asked\n');
  expect(result.status).toBe(0);
  expect(result.out).toBe('answer to First?\nanswer to Second?\n');
  expect(result.sent.map((b) => b.inputs)).toEqual([
    '<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nBe brief.<|eot_id|>' +
      '<|start_header_id|>user<|end_header_id|>\n\nFirst?<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n',
    '<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nBe brief.<|eot_id|>' +
      '<|start_header_id|>user<|end_header_id|>\n\nFirst?<|eot_id|>' +
      '<|start_header_id|>assistant<|end_header_id|>\n\nanswer to First?<|eot_id|>' +
      '<|start_header_id|>user<|end_header_id|>\n\nSecond?<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n',
  ]);
  expect(result.sent[0]).toMatchObject({ stream: true, parameters: { max_new_tokens: 512, stop: ['<|eot_id|>'] } });
  expect(result.err.match(/\[first token \d+\.\d\d s, \d+\.\d tokens\/s, 3 tokens\]/g)).toHaveLength(2);
});

test('the end of the input ends the session as /exit does', async () => {
  const result = await chat(['--endpoint', 'e'], 'Only question\n');
  expect(result).toMatchObject({ status: 0, out: 'ok\n' });
  expect(result.sent).toHaveLength(1);
});

test('/reset forgets the conversation; blank lines and unknown commands send nothing', async () => {
  runtime.respond = echo;
  const result = await chat(['--endpoint', 'e', '--temperature', '0.6'], 'A?\n\n/help\n/reset\nB?\n');
  expect(result.err).toContain('(conversation cleared)');
  expect(result.err).toContain('Unknown command /help. /reset forgets the conversation');
  expect(result.sent).toHaveLength(2);
  expect(result.sent[1].inputs).not.toContain('A?');
  expect(result.sent[1].parameters.temperature).toBe(0.6);
});

test("the oldest exchanges are dropped, with a notice, when the next would not fit the model's context", async () => {
  runtime.respond = echo;
  // Llama 3's 8192 tokens less 8000 for the answer leave 192 for the prompt: 300 ASCII characters
  // count as 100 tokens, so one earlier exchange fits beside a question, two do not.
  const q = (c: string) => c.repeat(300);
  const result = await chat(['--endpoint', 'e', '--max-new-tokens', '8000'], `${q('a')}\n${q('b')}\n`);
  expect(result.sent).toHaveLength(2);
  expect(result.sent[1].inputs).not.toContain(q('a'));
  expect(result.err).toContain("(the 1 oldest exchange(s) no longer fit in the model's context and were dropped");
});

test('a question too long for the context on its own is refused without a request; the session goes on', async () => {
  const result = await chat(['--endpoint', 'e', '--max-new-tokens', '8000'], `${'x'.repeat(900)}\nshort\n`);
  expect(result.err).toContain('That question is too long');
  expect(result.sent).toHaveLength(1);
  expect(result.status).toBe(0);
});

test('an answer failing mid-stream is reported in the session, which goes on; the status says it failed', async () => {
  runtime.respond = (_path, body) =>
    JSON.parse(body).inputs.includes('boom')
      ? {
          status: 200,
          body: '',
          frames: [
            payloadPart('{"token": {"id": 1, "text": "Part", "log_prob": -1}}\n'),
            streamException('ModelStreamError', { Message: 'Worker died.', ErrorCode: 'ModelError' }),
          ],
        }
      : undefined;
  const result = await chat(['--endpoint', 'e'], 'boom\nfine\n');
  expect(result.out).toBe('Part\nok\n');
  expect(result.err).toContain('failed while streaming its answer (ModelError): Worker died.');
  expect(result.err).not.toContain('\n    at ');
  expect(result.status).toBe(1);
  // The failed question is not part of the conversation the next one is asked in.
  expect(result.sent[1].inputs).not.toContain('boom');
});

test('a base model cannot chat: exit 2 before any request', async () => {
  const result = await chat(['--endpoint', 'e', '--model-id', 'meta-textgeneration-llama-3-8b'], 'hi\n');
  expect(result.status).toBe(2);
  expect(result.err).toContain('--model-id is "meta-textgeneration-llama-3-8b", a base model');
  expect(result.sent).toHaveLength(0);
});

test('the installed command reads a real pipe: printf ... | llama3-ft chat', async () => {
  // Asynchronously: this process's loopback runtime must answer while the command runs.
  const bin = join(__dirname, '..', '..', 'bin', 'llama3-ft.js');
  const result = await new Promise<{ status: number; stdout: string; stderr: string }>((resolve) =>
    execFile(
      'sh',
      ['-c', `printf 'question\\n/exit\\n' | node ${bin} chat --endpoint e`],
      { env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' }, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ status: error ? Number(error.code) : 0, stdout, stderr }),
    ),
  );
  expect(result.stderr).toContain('Chatting with endpoint e');
  expect(result.stdout).toBe('ok\n');
  expect(result.status).toBe(0);
});
