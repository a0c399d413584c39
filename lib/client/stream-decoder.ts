/**
 * Turns the bytes of a streamed answer (the `PayloadPart`s of InvokeEndpointWithResponseStream)
 * into pieces of text, whatever the hosting container writes:
 *
 * - DJL LMI, the container JumpStart hosts Llama 3 with, writes JSON Lines when the request
 *   says `"stream": true`: `{"token": {"id", "text", "log_prob"}}` per token, the last line
 *   adding `generated_text`, and `details.finish_reason: "error"` when generation failed
 *   (djl-serving's output_formatter.py, `_jsonlines_output_formatter`; its
 *   lmi_input_output_schema.md). With `OPTION_TGI_COMPAT` or `output_formatter=sse` it writes
 *   the same objects as server-sent events, `data: {...}` and a blank line.
 * - Hugging Face TGI writes server-sent events `data:{"index", "token": {"text", "special"},
 *   "generated_text", "details"}`, and `data:{"error": ..., "error_type": ...}` when it fails.
 * - LMI's older static-batch handlers write `{"outputs": ["..."]}` lines.
 *
 * SageMaker splits the body into parts anywhere: inside a line, even inside a UTF-8 character
 * (the SageMaker Python SDK's LineIterator says so too), so bytes are kept until a line ends.
 */

/** The container said, inside a 200 answer, that generation failed. */
export type StreamedFailure = Error & { readonly kind: 'model' | 'unexpected' };

function streamedFailure(kind: StreamedFailure['kind'], message: string): StreamedFailure {
  const error = new Error(message);
  error.name = 'StreamedFailure';
  return Object.assign(error, { kind });
}

export function isStreamedFailure(error: unknown): error is StreamedFailure {
  return error instanceof Error && error.name === 'StreamedFailure';
}

const show = (line: string) => JSON.stringify(line.length > 200 ? `${line.slice(0, 200)}...` : line);

export class StreamDecoder {
  // `stream: true` keeps a character's first bytes until the part with its last ones arrives.
  // Stryker disable next-line ObjectLiteral: fatal is false by default; said here because the stream relies on it.
  private readonly utf8 = new TextDecoder('utf-8', { fatal: false });
  private buffered = '';
  private tokensSeen = false;

  /** The pieces of text whose lines the bytes complete. */
  public push(bytes: Uint8Array): string[] {
    this.buffered += this.utf8.decode(bytes, { stream: true });
    const lines = this.buffered.split('\n');
    this.buffered = lines.pop()!;
    return lines.flatMap((line) => this.line(line));
  }

  /** The pieces of a last line without its newline, when the stream has ended. */
  public end(): string[] {
    const rest = this.buffered + this.utf8.decode();
    this.buffered = '';
    return this.line(rest);
  }

  private line(raw: string): string[] {
    let line = raw.trim();
    // Server-sent events: blank lines end events, `:` lines keep the connection alive.
    if (line === '' || line.startsWith(':') || /^(event|id|retry):/.test(line)) return [];
    if (line.startsWith('data:')) line = line.slice('data:'.length).trim();
    if (line === '[DONE]') return [];
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      throw streamedFailure('unexpected', `streamed a line that is not JSON: ${show(line)}`);
    }
    return this.pieces(Array.isArray(parsed) ? parsed[0] : parsed, line);
  }

  private pieces(value: unknown, line: string): string[] {
    const o = (value ?? {}) as {
      token?: { text?: unknown; special?: unknown; special_token?: unknown };
      generated_text?: unknown;
      outputs?: unknown;
      error?: unknown;
      details?: { finish_reason?: unknown } | null;
    };
    if (typeof o !== 'object') throw streamedFailure('unexpected', `streamed ${show(line)}, not a JSON object`);
    if (o.error !== undefined && o.error !== null) {
      throw streamedFailure('model', typeof o.error === 'string' ? o.error : JSON.stringify(o.error));
    }
    if (o.details?.finish_reason === 'error') {
      throw streamedFailure('model', 'generation failed mid-answer (the container reported finish_reason "error")');
    }
    if (o.token && typeof o.token.text === 'string') {
      this.tokensSeen = true;
      // A special token (end of turn) is the model's signal, not text to show.
      if (o.token.special === true || o.token.special_token === true) return [];
      return o.token.text ? [o.token.text] : [];
    }
    if (Array.isArray(o.outputs)) return o.outputs.filter((t): t is string => typeof t === 'string' && t !== '');
    // A container that does not stream answers with the whole text at once.
    if (typeof o.generated_text === 'string') return this.tokensSeen || !o.generated_text ? [] : [o.generated_text];
    throw streamedFailure('unexpected', `streamed ${show(line)}, which holds no token text`);
  }
}
