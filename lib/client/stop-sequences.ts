/**
 * Ends streamed text at the first stop sequence. Containers differ: vLLM leaves the stop
 * string out of the text, TGI keeps it, and some LMI versions ignore Llama 3's end-of-turn
 * token (FACTS §10), so a chat answer would run on into a made-up next turn. Text that could
 * be the start of a stop sequence is held back until the next piece shows whether it is.
 */
export class StopSequenceCutter {
  private held = '';
  private done = false;

  constructor(private readonly stops: readonly string[]) {}

  /** Whether a stop sequence has been seen: nothing more is shown, the request can end. */
  public get stopped(): boolean {
    return this.done;
  }

  /** The part of the text so far that can be shown now. */
  public push(piece: string): string {
    if (this.done) return '';
    const text = this.held + piece;
    const cut = Math.min(...this.stops.map((s) => text.indexOf(s)).filter((at) => at >= 0));
    if (Number.isFinite(cut)) {
      this.done = true;
      this.held = '';
      return text.slice(0, cut);
    }
    const keep = Math.max(0, ...this.stops.map((s) => longestPrefixAtEnd(text, s)));
    this.held = text.slice(text.length - keep);
    return text.slice(0, text.length - keep);
  }

  /** What was held back, at the end of the stream. */
  public flush(): string {
    const rest = this.done ? '' : this.held;
    this.held = '';
    return rest;
  }
}

/** The length of the longest end of `text` that `stop` begins with (short of all of `stop`). */
function longestPrefixAtEnd(text: string, stop: string): number {
  // Starting longer tries the whole stop sequence, which push() has just found absent; n = 0 is the empty prefix.
  // Stryker disable next-line MethodExpression,ArithmeticOperator,EqualityOperator: equivalent, as above.
  for (let n = Math.min(stop.length - 1, text.length); n > 0; n--) {
    if (text.endsWith(stop.slice(0, n))) return n;
  }
  return 0;
}
