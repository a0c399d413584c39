/**
 * The Llama 3 chat format: the one place that turns messages into the prompt an instruct
 * model reads. The client, `llama3-ft invoke`, `llama3-ft chat` and `llama3-ft evaluate` all
 * render conversations here.
 *
 * The layout is Meta's (the Llama 3 model card's prompt format, and `ChatFormat` in
 * meta-llama/llama3's tokenizer.py): `<|begin_of_text|>`, then per message
 * `<|start_header_id|>{role}<|end_header_id|>\n\n{content, stripped}<|eot_id|>`, then the
 * assistant header the model completes; it ends its answer with `<|eot_id|>`. JumpStart's
 * own example payloads for Llama 3.2 Instruct (its hub document) send the same text, so the
 * 3.1 and 3.2 entries need no other template for text chat.
 */
import { configurationError } from '../config/configuration-error';

/** One turn of a conversation. */
export interface ChatMessage {
  /** Who speaks: `system` (first only), `user` or `assistant`. */
  readonly role: string;
  /** What is said. */
  readonly content: string;
}

/** The token an instruct model ends its turn with: generation stops there. */
export const END_OF_TURN = '<|eot_id|>';

const BEGIN_OF_TEXT = '<|begin_of_text|>';
const ROLES = ['system', 'user', 'assistant'];

const header = (role: string) => `<|start_header_id|>${role}<|end_header_id|>\n\n`;

/**
 * What is wrong with a conversation for the chat format, worded for a person: roles Meta
 * defines, a system message only first, user and assistant alternating, and a user message
 * last (the model answers it).
 */
export function chatMessageProblems(messages: readonly ChatMessage[]): string[] {
  if (!Array.isArray(messages) || messages.length === 0)
    return ['messages is empty; allowed: at least one user message.'];
  const problems: string[] = [];
  messages.forEach((m, i) => {
    if (typeof m?.role !== 'string' || !ROLES.includes(m.role)) {
      problems.push(`messages[${i}].role is ${JSON.stringify(m?.role)}; allowed: ${ROLES.join(', ')}.`);
    } else if (m.role === 'system' && i > 0) {
      problems.push(`messages[${i}] is a system message; allowed: one system message, first.`);
    }
    if (typeof m?.content !== 'string') problems.push(`messages[${i}].content is not text.`);
  });
  if (problems.length > 0) return problems;
  const turns = messages[0].role === 'system' ? messages.slice(1) : messages;
  turns.forEach((m, i) => {
    const expected = i % 2 === 0 ? 'user' : 'assistant';
    if (m.role !== expected) {
      problems.push(
        `messages[${messages.length - turns.length + i}].role is "${m.role}"; allowed: "${expected}" (user and assistant take turns, user first).`,
      );
    }
  });
  if (turns.length === 0 || turns[turns.length - 1].role !== 'user') {
    problems.push(
      'the last message is not a user message; allowed: a conversation ending with the question to answer.',
    );
  }
  return problems;
}

/** The prompt an instruct model completes with the assistant's next turn; a bad conversation is refused. */
export function llama3ChatPrompt(messages: readonly ChatMessage[]): string {
  const problems = chatMessageProblems(messages);
  if (problems.length > 0) throw configurationError(problems);
  return renderTurns(messages);
}

/**
 * The chat format of any turns, unchecked: evaluation samples end where a dataset's dialogue
 * has its reference answer, whatever came before.
 */
export function renderTurns(messages: readonly ChatMessage[]): string {
  return (
    BEGIN_OF_TEXT +
    messages.map((m) => `${header(m.role)}${m.content.trim()}${END_OF_TURN}`).join('') +
    header('assistant')
  );
}
