/** A piece of a streamed answer, or its end. */
export interface GeneratedPiece {
  /** The text generated since the last piece; empty at the end. */
  readonly text: string;
  /** The answer is complete (or was cancelled): no more pieces follow. */
  readonly done: boolean;
}

/**
 * An answer as the endpoint generates it. In TypeScript, iterate it (`for await (const text
 * of stream)`); from other languages, call `nextPiece()` until `done`. The request is sent
 * when the first piece is asked for; `cancel()` stops it (the model's answer so far stays
 * shown, nothing more arrives).
 */
export class GenerationStream implements AsyncIterable<string> {
  /** @internal */
  public static _of(pieces: AsyncGenerator<string>, controller: AbortController): GenerationStream {
    return new GenerationStream(pieces, controller);
  }

  private constructor(
    private readonly pieces: AsyncGenerator<string>,
    private readonly controller: AbortController,
  ) {}

  /** The next piece of text, or `done` once the answer is complete or cancelled. */
  public async nextPiece(): Promise<GeneratedPiece> {
    const next = await this.pieces.next();
    return next.done ? { text: '', done: true } : { text: next.value, done: false };
  }

  /** Stops the answer: the request is aborted and the stream ends without an error. */
  public cancel(): void {
    this.controller.abort();
  }

  /** @internal */
  public [Symbol.asyncIterator](): AsyncIterator<string> {
    return this.pieces;
  }
}
