/**
 * `llama3-ft chat` in a real terminal: tmux runs the installed command in a pseudo-terminal,
 * the test types into it (send-keys) and reads the screen (capture-pane), while this process
 * plays the SageMaker runtime, streaming slowly enough to see tokens arrive and to press
 * Ctrl-C in the middle of an answer. CI installs tmux (.ci/run); without it the test is skipped
 * and says why in its name.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { FakeRuntime, lmiStream } from '../support/fake-runtime';

const HAS_TMUX = spawnSync('tmux', ['-V']).status === 0;
// A server of its own: nobody else's tmux sessions are touched, and killing it ends only this test's.
const SOCKET = `llama3-ft-chat-test-${process.pid}`;
const SESSION = 'chat';
const BIN = join(__dirname, '..', '..', 'bin', 'llama3-ft.js');

const runtime = new FakeRuntime();
const tmux = (...args: string[]) => execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
const screen = () => tmux('capture-pane', '-p', '-J', '-t', SESSION);
const type = (...keys: string[]) => tmux('send-keys', '-t', SESSION, ...keys);

/** The screen once it satisfies `ready`; fails with the screen after `millis`. */
async function waitFor(ready: (text: string) => boolean, millis = 20_000): Promise<string> {
  const until = Date.now() + millis;
  for (;;) {
    const text = screen();
    if (ready(text)) return text;
    if (Date.now() > until) throw new Error(`the terminal never got there; it shows:\n${text}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The question in a request's chat-format prompt. */
const questionOf = (body: string) =>
  /user<\|end_header_id\|>\n\n([^<]*)<\|eot_id\|><\|start_header_id\|>assistant<\|end_header_id\|>\n\n$/.exec(
    JSON.parse(body).inputs,
  )?.[1];

const ANSWERS: Record<string, string[]> = {
  'What is SageMaker?': ['Sage', 'Maker', ' is', ' a', ' managed', ' machine', ' learning', ' service.'],
  'Tell me more': Array.from({ length: 60 }, (_, i) => ` word${i}`),
  'Still there?': ['Yes.'],
};

const describeInTerminal = HAS_TMUX ? describe : describe.skip;

describeInTerminal(`llama3-ft chat in a terminal${HAS_TMUX ? '' : ' (skipped: tmux is not installed)'}`, () => {
  beforeAll(async () => {
    const url = await runtime.start();
    runtime.respond = (path, body) => {
      if (!path.endsWith('-response-stream')) return undefined;
      const tokens = ANSWERS[questionOf(body) ?? ''] ?? ['?'];
      return lmiStream(tokens, 250);
    };
    const env = [
      `AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME=${url}`,
      'AWS_ACCESS_KEY_ID=testing',
      'AWS_SECRET_ACCESS_KEY=testing',
      'AWS_REGION=us-east-1',
      'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true',
    ].join(' ');
    // The shell stays after the command, so the screen shows its exit status.
    const command = `env ${env} node ${BIN} chat --endpoint e --system 'Be brief.'; echo "[exited $?]"; sleep 600`;
    tmux('new-session', '-d', '-s', SESSION, '-x', '200', '-y', '50', command);
  });
  afterAll(async () => {
    spawnSync('tmux', ['-L', SOCKET, 'kill-server']);
    await runtime.stop();
  });

  test('tokens appear as they stream; Ctrl-C stops an answer and the session goes on; /reset; /exit', async () => {
    await waitFor((s) => s.includes('Chatting with endpoint e') && /^> $/m.test(s));

    type('What is SageMaker?', 'Enter');
    // Part of the answer is on the screen while the rest is still being generated.
    const partial = await waitFor((s) => s.includes('SageMaker is'));
    expect(partial).not.toContain('learning service.');
    const answered = await waitFor((s) => /tokens\/s/.test(s));
    expect(answered).toContain('SageMaker is a managed machine learning service.');
    expect(answered).toMatch(/\[first token \d+\.\d\d s, \d+\.\d tokens\/s, 8 tokens\]/);

    const abandoned = runtime.abandoned;
    type('Tell me more', 'Enter');
    await waitFor((s) => s.includes('word2'));
    type('C-c');
    const stopped = await waitFor((s) => s.includes('(stopped)'));
    expect(stopped).not.toContain('word59');
    await waitFor(() => runtime.abandoned === abandoned + 1, 5_000).catch(() => undefined);
    expect(runtime.abandoned).toBe(abandoned + 1);

    // Still in the session: the next question is asked with the stopped answer as far as it got.
    type('Still there?', 'Enter');
    await waitFor((s) => s.includes('Yes.'));
    const last = runtime.requests[runtime.requests.length - 1];
    // (The chat format strips each message, as Meta's reference code does.)
    expect(JSON.parse(last.body).inputs).toContain(
      'Tell me more<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\nword0 word1 word2',
    );

    type('/reset', 'Enter');
    await waitFor((s) => s.includes('(conversation cleared)'));
    type('/exit', 'Enter');
    await waitFor((s) => s.includes('[exited 0]'));
  });
});
