/**
 * The conversation loop of `llama3-ft chat` with a stand-in endpoint whose answers arrive on a
 * clock the test moves: the timings printed after each answer, a terminal's prompt and Ctrl-C,
 * Ctrl-C as a signal with piped input, and the conversation kept within the context. (chat.test.ts
 * runs the command against the loopback runtime; chat-terminal.test.ts in a real terminal.)
 */
import { PassThrough } from 'node:stream';
import { ChatHistory, estimateTokens } from '../../lib/cli/chat-history';
import { runChatSession } from '../../lib/cli/chat-session';
import type { ChatMessage } from '../../lib/client/chat-template';
import { GenerationStream } from '../../lib/client/generation-stream';
import { invocationError } from '../../lib/client/invocation-error';

/** One step of an answer: a piece of text, or a failure, so many seconds after the step before. */
type Step = { readonly after: number } & ({ readonly text: string } | { readonly fail: Error });

/** What the clock shows, in seconds; performance.now() reads it in milliseconds. */
let clock = 0;
beforeEach(() => {
  clock = 1000;
  jest.spyOn(performance, 'now').mockImplementation(() => clock * 1000);
});
afterEach(() => jest.restoreAllMocks());

/** Lets the streams and readline act on what was written (no time passes). */
async function turns(n = 5): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
}

/**
 * A stand-in endpoint: `answer` gives each question's steps, and a hook run once the piece before it
 * was printed (where the user presses Ctrl-C); `end` seconds pass after the last step. Like the
 * client, a cancelled answer ends where it was.
 */
function endpoint(
  answer: (messages: ChatMessage[]) => { steps: Step[]; end?: number; afterPiece?: Record<number, () => unknown> },
) {
  const asked: ChatMessage[][] = [];
  return {
    asked,
    generateStream(messages: ChatMessage[]): GenerationStream {
      asked.push(messages);
      const controller = new AbortController();
      const { steps, end = 0, afterPiece = {} } = answer(messages);
      async function* pieces(): AsyncGenerator<string> {
        for (const [i, step] of steps.entries()) {
          if (controller.signal.aborted) return;
          clock += step.after;
          if ('fail' in step) throw step.fail;
          yield step.text;
          await afterPiece[i]?.();
        }
        clock += end;
      }
      return GenerationStream._of(pieces(), controller);
    },
  };
}

const text = (after: number, piece: string): Step => ({ after, text: piece });
/** The question a request asks: its last message. */
const asking = (messages: ChatMessage[]) => messages[messages.length - 1].content;

interface Terminal {
  readonly stdin?: boolean;
  readonly stdout?: boolean;
}

/** Streams for a session: stdin and stdout each a terminal or not; what is written to stdout and stderr. */
function streams(terminal: Terminal = {}) {
  const stdin = Object.assign(new PassThrough(), { isTTY: terminal.stdin });
  const stdout = Object.assign(new PassThrough(), { isTTY: terminal.stdout, columns: 80 });
  const stderr = new PassThrough();
  const written = { out: '', err: '' };
  stdout.on('data', (c) => (written.out += c));
  stderr.on('data', (c) => (written.err += c));
  return { io: { stdin, stdout, stderr }, written };
}

/** Runs a session with these streams; the history is Llama 3's 8K context less `answerTokens`. */
async function session(
  s: ReturnType<typeof streams>,
  client: ReturnType<typeof endpoint>,
  options: { answerTokens?: number; system?: string } = {},
) {
  const history = new ChatHistory(8192, options.answerTokens ?? 512, options.system);
  const reword = (message: string) => message.replace('timeoutMillis', '--timeout');
  const status = await runChatSession({ io: s.io, client, parameters: {}, history, reword });
  return { status, ...s.written };
}

/** A session with `input` piped in. */
function piped(input: string, client: ReturnType<typeof endpoint>, options?: Parameters<typeof session>[2]) {
  const s = streams();
  s.io.stdin.end(input);
  return session(s, client, options);
}

describe('the timings after each answer', () => {
  test('the time to the first token, the tokens per second after it, and the tokens', async () => {
    const client = endpoint(() => ({
      steps: [text(1.5, 'The'), text(0.5, ' answer'), text(0.5, ' is'), text(0.5, ' short'), text(0.5, '.')],
    }));
    const result = await piped('Why?\n', client);
    expect(result).toEqual({
      status: 0,
      out: 'The answer is short.\n',
      // Four tokens in the two seconds after the first.
      err: '[first token 1.50 s, 2.0 tokens/s, 5 tokens]\n',
    });
  });

  test('one token: no rate, though time passed before the answer ended', async () => {
    const client = endpoint(() => ({ steps: [text(0.5, 'Yes.')], end: 0.3 }));
    expect((await piped('Well?\n', client)).err).toBe('[first token 0.50 s, 1 tokens]\n');
  });

  test('tokens that all arrived at once: no rate rather than an infinite one', async () => {
    const client = endpoint(() => ({ steps: [text(0.2, 'a'), text(0, 'b'), text(0, 'c')] }));
    expect((await piped('Well?\n', client)).err).toBe('[first token 0.20 s, 3 tokens]\n');
  });

  test('no tokens at all: said so, an empty line printed, and the question forgotten', async () => {
    const client = endpoint((messages) => ({ steps: asking(messages) === 'First?' ? [] : [text(0.1, 'x')] }));
    const result = await piped('First?\nSecond?\n', client);
    expect(result.out).toBe('\nx\n');
    expect(result.err).toBe('[no tokens]\n[first token 0.10 s, 1 tokens]\n');
    expect(client.asked[1]).toEqual([{ role: 'user', content: 'Second?' }]);
  });
});

describe('failures', () => {
  test("a failure before any text prints nothing on stdout, says what failed in the command's terms", async () => {
    const timeout = invocationError('No answer within 1 s. Wait longer (timeoutMillis).', 'TimeoutError');
    const client = endpoint((messages) => ({
      steps: asking(messages) === 'First?' ? [{ after: 1, fail: timeout }] : [text(0.1, 'ok')],
    }));
    const result = await piped('First?\nSecond?\n', client);
    expect(result).toEqual({
      status: 1,
      out: 'ok\n',
      err: 'No answer within 1 s. Wait longer (--timeout).\n[first token 0.10 s, 1 tokens]\n',
    });
    // The unanswered question is not part of the conversation.
    expect(client.asked[1]).toEqual([{ role: 'user', content: 'Second?' }]);
  });

  test('an error that is not the endpoint’s ends the session and goes on up; no Ctrl-C handler is left', async () => {
    const listeners = process.listenerCount('SIGINT');
    const fault = new TypeError("Cannot read properties of undefined (reading 'text')");
    const client = endpoint(() => ({ steps: [text(0.1, 'Par'), { after: 0.1, fail: fault }] }));
    await expect(piped('First?\nSecond?\n', client)).rejects.toBe(fault);
    expect(client.asked).toHaveLength(1);
    expect(process.listenerCount('SIGINT')).toBe(listeners);
  });
});

describe('at a terminal', () => {
  test('a "> " prompt before each question; Ctrl-C at the prompt says what the commands are', async () => {
    const s = streams({ stdin: true, stdout: true });
    const client = endpoint(() => ({ steps: [text(0.1, 'Hello.')] }));
    const running = session(s, client);
    s.io.stdin.write('\x03');
    await turns();
    s.io.stdin.write('Hi\r');
    await turns();
    s.io.stdin.end();
    const result = await running;
    expect(result.status).toBe(0);
    // A prompt, another after Ctrl-C, the typed line echoed, the answer, the next prompt.
    expect(result.out.match(/> /g)).toHaveLength(3);
    expect(result.out).toContain('Hi\r\nHello.\n');
    expect(result.err).toBe(
      '\n/reset forgets the conversation, /exit (or Ctrl-D) ends it; Ctrl-C stops an answer.\n' +
        '[first token 0.10 s, 1 tokens]\n',
    );
  });

  test('Ctrl-C during an answer stops it; the session goes on with the answer as far as it got', async () => {
    const s = streams({ stdin: true, stdout: true });
    const client = endpoint((messages) =>
      asking(messages) === 'What is SageMaker?'
        ? {
            steps: [text(0.5, 'Sage'), text(0.5, 'Maker'), text(0.5, ' is')],
            afterPiece: { 0: async () => (s.io.stdin.write('\x03'), await turns()) },
          }
        : { steps: [text(0.1, 'Yes.')] },
    );
    const running = session(s, client);
    s.io.stdin.write('What is SageMaker?\rStill there?\r');
    await turns();
    s.io.stdin.end();
    const result = await running;
    // (stdout also holds the typed lines, echoed.)
    expect(result.out).toContain('Sage\n');
    expect(result.out).not.toContain('Maker is');
    expect(result.err).toBe('(stopped) [first token 0.50 s, 1 tokens]\n[first token 0.10 s, 1 tokens]\n');
    expect(client.asked[1]).toEqual([
      { role: 'user', content: 'What is SageMaker?' },
      { role: 'assistant', content: 'Sage' },
      { role: 'user', content: 'Still there?' },
    ]);
  });

  test('typed at a terminal with the output to a file: no prompt or echo in the file', async () => {
    const s = streams({ stdin: true, stdout: false });
    s.io.stdin.end('Hi\n');
    const result = await session(
      s,
      endpoint(() => ({ steps: [text(0.1, 'Hello.')] })),
    );
    expect(result.out).toBe('Hello.\n');
  });
});

describe('Ctrl-C with piped input (a signal)', () => {
  test('during an answer it stops the answer; the next line is still asked', async () => {
    const client = endpoint((messages) =>
      asking(messages) === 'Count'
        ? { steps: [text(0.2, 'One'), text(0.2, ' two')], afterPiece: { 0: () => process.emit('SIGINT') } }
        : { steps: [text(0.1, 'Three.')] },
    );
    const result = await piped('Count\nGo on\n', client);
    expect(result).toEqual({
      status: 0,
      out: 'One\nThree.\n',
      err: '(stopped) [first token 0.20 s, 1 tokens]\n[first token 0.10 s, 1 tokens]\n',
    });
  });

  test('between answers it ends the session: what is typed after it is not asked', async () => {
    const s = streams();
    const client = endpoint(() => ({ steps: [text(0.1, 'Hello.')] }));
    const running = session(s, client);
    s.io.stdin.write('Hi\n');
    for (let i = 0; i < 100 && !s.written.err.includes('tokens]'); i++) await turns(1);
    await turns();
    process.emit('SIGINT');
    await turns();
    s.io.stdin.end('Anyone?\n');
    expect((await running).status).toBe(0);
    expect(client.asked).toHaveLength(1);
  });
});

describe('the conversation kept within the context', () => {
  test('commands may have blanks around them, as questions may', async () => {
    const client = endpoint(() => ({ steps: [text(0.1, 'ok')] }));
    const result = await piped('  First?  \n  /reset \nSecond?\n /exit \nNot asked\n', client);
    expect(result.err).toContain('(conversation cleared)');
    expect(client.asked).toEqual([[{ role: 'user', content: 'First?' }], [{ role: 'user', content: 'Second?' }]]);
  });

  test('a question that just fills what the context leaves is asked; one character more is refused', async () => {
    // 8192 tokens less 8000 for the answer leave 192: 5 for the prompt's start and the answer's header, 5 for the
    // question's header and end, and 182 for its text, 546 ASCII characters at 3 a token.
    const client = endpoint(() => ({ steps: [text(0.1, 'ok')] }));
    const result = await piped(`${'a'.repeat(547)}\n${'a'.repeat(546)}\n`, client, { answerTokens: 8000 });
    expect(client.asked).toEqual([[{ role: 'user', content: 'a'.repeat(546) }]]);
    expect(result.err).toBe(
      "That question is too long: with the system message it takes more than the 192 tokens the model's context " +
        'leaves beside the answer. Ask a shorter one (or lower --max-new-tokens).\n[first token 0.10 s, 1 tokens]\n',
    );
  });

  test('the oldest exchanges are dropped when the next question would not fit, and the notice says what is kept', async () => {
    // 192 tokens for the prompt: each question of 90 characters takes 5 + 30, each answer of 99 characters 5 + 33,
    // so two exchanges fit beside a question (5 + 2 * 73 + 35 = 186), three do not.
    const answer = 'a'.repeat(99);
    const client = endpoint(() => ({ steps: [text(0.1, answer)] }));
    const q = (n: number) => String(n).repeat(90);
    const result = await piped(`${q(1)}\n${q(2)}\n${q(3)}\n${q(4)}\n`, client, { answerTokens: 8000 });
    const notices = result.err.split('\n').filter((line) => !line.startsWith('[first token'));
    expect(notices).toEqual([
      "(the 1 oldest exchange(s) no longer fit in the model's context and were dropped; 2 kept, about 186 prompt tokens)",
      '',
    ]);
    expect(client.asked[3]).toEqual([
      { role: 'user', content: q(2) },
      { role: 'assistant', content: answer },
      { role: 'user', content: q(3) },
      { role: 'assistant', content: answer },
      { role: 'user', content: q(4) },
    ]);
  });

  test('blanks around an answer take no room: the chat format strips each message before the model reads it', async () => {
    // Trimmed, the padded answer is 38 tokens and the exchange fits beside the next question (5 + 35 + 38 + 35);
    // its 300 blanks would be 100 more.
    const padded = `${' '.repeat(150)}${'a'.repeat(99)}${' '.repeat(150)}`;
    const client = endpoint(() => ({ steps: [text(0.1, padded)] }));
    const result = await piped(`${'1'.repeat(90)}\n${'2'.repeat(90)}\n`, client, { answerTokens: 8000 });
    expect(result.err).not.toContain('dropped');
    expect(client.asked[1]).toHaveLength(3);
  });
});

describe('tokens, estimated', () => {
  test('a token per 3 ASCII characters (up to U+007F), a token per UTF-8 byte of any other', () => {
    expect(estimateTokens('')).toBe(0);
    expect(estimateTokens('abc')).toBe(1);
    expect(estimateTokens('abcd')).toBe(2);
    expect(estimateTokens('\u007f\u007f\u007f')).toBe(1);
    expect(estimateTokens('\u0080')).toBe(2);
    expect(estimateTokens('é')).toBe(2);
    expect(estimateTokens('日本')).toBe(6);
    expect(estimateTokens('😀')).toBe(4);
    expect(estimateTokens('Café au lait')).toBe(Math.ceil(11 / 3) + 2);
  });
});
