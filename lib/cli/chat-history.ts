/**
 * The conversation `llama3-ft chat` keeps, within the model's context: the prompt of every
 * question holds the system message and as many of the latest exchanges as fit beside the
 * question and the tokens the answer may take; older exchanges are dropped, oldest first.
 */
import type { ChatMessage } from '../client/chat-template';

/**
 * Tokens a text may take, estimated without Llama 3's tokenizer (its 128K-entry vocabulary is
 * not shipped): a token per 3 ASCII characters, where the tokenizer averages about 4 on
 * English prose and code, and a token per UTF-8 byte of any other character, which a
 * byte-level BPE token never covers less of. Over-counting keeps the prompt inside the
 * context; text of unusual ASCII (long numbers, base64) may still be under-counted.
 */
export function estimateTokens(text: string): number {
  let ascii = 0;
  let other = 0;
  for (const char of text) {
    if (char.charCodeAt(0) < 0x80) ascii++;
    else other += Buffer.byteLength(char, 'utf8');
  }
  return Math.ceil(ascii / 3) + other;
}

/** A message's tokens in the chat format: its header (start, role, end, blank line) and end-of-turn around the text. */
const messageTokens = (m: ChatMessage) => 5 + estimateTokens(m.content.trim());
/** `<|begin_of_text|>` and the assistant header the model completes. */
const PROMPT_TOKENS = 5;

export class ChatHistory {
  private turns: ChatMessage[] = [];

  /**
   * @param contextTokens the model's context length
   * @param answerTokens the tokens an answer may take (max new tokens): kept free
   */
  constructor(
    private readonly contextTokens: number,
    private readonly answerTokens: number,
    private readonly system?: string,
  ) {}

  /** The tokens a prompt may take. */
  public get promptBudget(): number {
    return this.contextTokens - this.answerTokens;
  }

  /**
   * The messages to send for a question, and how many old exchanges were dropped to fit;
   * undefined when the question alone (with the system message) does not fit.
   */
  public ask(question: string): { messages: ChatMessage[]; dropped: number; tokens: number } | undefined {
    const system: ChatMessage[] = this.system ? [{ role: 'system', content: this.system }] : [];
    const asked: ChatMessage = { role: 'user', content: question };
    let dropped = 0;
    for (;;) {
      const messages = [...system, ...this.turns, asked];
      const tokens = PROMPT_TOKENS + messages.reduce((sum, m) => sum + messageTokens(m), 0);
      if (tokens <= this.promptBudget) {
        this.turns.push(asked);
        return { messages, dropped, tokens };
      }
      if (this.turns.length === 0) return undefined;
      // A user question and its answer go together: the turns keep alternating, user first.
      this.turns.splice(0, 2);
      dropped++;
    }
  }

  /** The answer to the last question, kept for the next (a stopped answer as far as it got). */
  public answered(text: string): void {
    this.turns.push({ role: 'assistant', content: text });
  }

  /** The last question (which `ask` kept) got no answer: it is forgotten, so the next is asked afresh. */
  public unanswered(): void {
    this.turns.pop();
  }

  /** Forgets every exchange; the system message stays. */
  public reset(): void {
    this.turns = [];
  }

  /** Exchanges kept. */
  public get exchanges(): number {
    return Math.floor(this.turns.length / 2);
  }
}
