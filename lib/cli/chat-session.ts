/**
 * The conversation loop of `llama3-ft chat`: a line read, the answer printed as it streams,
 * its timings after it. Typed at a terminal or piped in (`printf 'question\n/exit\n' | ...`),
 * each line is a question, answered in order. Ctrl-C stops the answer being printed (the
 * request is aborted) and the session goes on; /exit, Ctrl-D or the end of the input ends it.
 */
import { createInterface } from 'node:readline';
import { ChatHistory } from './chat-history';
import { CommandIo, EXIT_FAILED, EXIT_OK } from './io';
import type { ChatMessage } from '../client/chat-template';
import type { GenerationParameters } from '../client/generation-parameters';
import type { GenerationStream } from '../client/generation-stream';
import { isEndpointInvocationError } from '../client/invocation-error';

export interface ChatSession {
  readonly io: CommandIo;
  readonly client: { generateStream(messages: ChatMessage[], parameters: GenerationParameters): GenerationStream };
  readonly parameters: GenerationParameters;
  readonly history: ChatHistory;
  /** Words a failure of the endpoint in the command's own terms (flags rather than props). */
  readonly reword: (message: string) => string;
}

export const CHAT_COMMANDS = '/reset forgets the conversation, /exit (or Ctrl-D) ends it; Ctrl-C stops an answer.';

/** Runs the conversation until the input ends; 1 if any answer failed. */
export async function runChatSession(s: ChatSession): Promise<number> {
  const { io } = s;
  const isTty = (stream: unknown) => (stream as { isTTY?: boolean }).isTTY === true;
  const terminal = isTty(io.stdin) && isTty(io.stdout);
  const rl = createInterface({ input: io.stdin, output: terminal ? io.stdout : undefined, terminal, prompt: '> ' });
  const prompt = terminal ? () => rl.prompt() : () => undefined;
  let answering: Answer | undefined;
  let failed = false;
  // At a terminal, readline reads Ctrl-C as a key; with piped input the terminal sends SIGINT.
  const atPrompt = () => {
    io.stderr.write(`\n${CHAT_COMMANDS}\n`);
    prompt();
  };
  const interrupt = (orElse: () => void) => () => {
    if (!answering) return orElse();
    answering.stopped = true;
    answering.stream.cancel();
  };
  const onKey = interrupt(atPrompt);
  const onSignal = interrupt(() => rl.close());
  rl.on('SIGINT', onKey);
  process.on('SIGINT', onSignal);
  try {
    prompt();
    for await (const raw of rl) {
      const line = raw.trim();
      if (line === '/exit') break;
      if (line === '/reset') {
        s.history.reset();
        io.stderr.write('(conversation cleared)\n');
      } else if (line.startsWith('/')) {
        io.stderr.write(`Unknown command ${line}. ${CHAT_COMMANDS}\n`);
      } else if (line) {
        const stream = ask(s, line);
        if (stream) {
          answering = { stream, stopped: false };
          failed = !(await printAnswer(s, answering)) || failed;
          answering = undefined;
        }
      }
      prompt();
    }
  } finally {
    process.off('SIGINT', onSignal);
    rl.close();
  }
  return failed ? EXIT_FAILED : EXIT_OK;
}

/** The request for a question, within the context; undefined when the question alone does not fit. */
function ask(s: ChatSession, question: string): GenerationStream | undefined {
  const asked = s.history.ask(question);
  if (!asked) {
    s.io.stderr.write(
      `That question is too long: with the system message it takes more than the ${s.history.promptBudget} tokens ` +
        "the model's context leaves beside the answer. Ask a shorter one (or lower --max-new-tokens).\n",
    );
    return undefined;
  }
  if (asked.dropped > 0) {
    s.io.stderr.write(
      `(the ${asked.dropped} oldest exchange(s) no longer fit in the model's context and were dropped; ` +
        `${s.history.exchanges} kept, about ${asked.tokens} prompt tokens)\n`,
    );
  }
  return s.client.generateStream(asked.messages, s.parameters);
}

/** An answer being printed; `stopped` by Ctrl-C. */
interface Answer {
  readonly stream: GenerationStream;
  stopped: boolean;
}

/** Prints the answer as it arrives, then its timings; false when the endpoint failed. */
async function printAnswer(s: ChatSession, answer: Answer): Promise<boolean> {
  const { io, history } = s;
  const started = performance.now();
  let firstAt: number | undefined;
  let pieces = 0;
  let text = '';
  try {
    for await (const piece of answer.stream) {
      firstAt ??= performance.now();
      pieces++;
      text += piece;
      io.stdout.write(piece);
    }
  } catch (error) {
    if (!isEndpointInvocationError(error)) throw error;
    if (text) io.stdout.write('\n');
    io.stderr.write(`${s.reword(error.message)}\n`);
    history.unanswered();
    return false;
  }
  const ended = performance.now();
  io.stdout.write('\n');
  if (text) history.answered(text);
  else history.unanswered();
  io.stderr.write(`${answer.stopped ? '(stopped) ' : ''}${timings(started, firstAt, ended, pieces)}\n`);
  return true;
}

/**
 * Time to first token, and the generation rate after it: the containers stream one token a
 * piece (LMI and TGI write a line per token), so pieces count tokens.
 */
function timings(started: number, firstAt: number | undefined, ended: number, pieces: number): string {
  if (firstAt === undefined) return '[no tokens]';
  const first = `first token ${((firstAt - started) / 1000).toFixed(2)} s`;
  const seconds = (ended - firstAt) / 1000;
  const rate = pieces > 1 && seconds > 0 ? `, ${((pieces - 1) / seconds).toFixed(1)} tokens/s` : '';
  return `[${first}${rate}, ${pieces} tokens]`;
}
