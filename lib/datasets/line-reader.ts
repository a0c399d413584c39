import { isUtf8 } from 'node:buffer';
import { closeSync, openSync, readSync } from 'node:fs';

const CHUNK_BYTES = 1 << 20;
const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

/** One line of a file: its 1-based number, its text, and whether its bytes were valid UTF-8. */
export interface Line {
  readonly line: number;
  readonly text: string;
  /** False when the bytes are not UTF-8: the text holds replacement characters, and training would fail. */
  readonly validUtf8: boolean;
}

function decode(bytes: Buffer, line: number): Line {
  const content = bytes.length > 0 && bytes[bytes.length - 1] === CARRIAGE_RETURN ? bytes.subarray(0, -1) : bytes;
  return { line, text: content.toString('utf8'), validUtf8: isUtf8(content) };
}

/**
 * Yields a file's lines (without line endings), reading 1 MiB at a time: memory
 * stays bounded by the chunk and the longest line. Lines are split as bytes and
 * each is checked as UTF-8, so a bad byte is reported on its own line. Synchronous,
 * so it can run inside a CDK construct at synth.
 */
export function* readLines(path: string): Generator<Line> {
  const fd = openSync(path, 'r');
  const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  let pending = Buffer.alloc(0);
  let line = 0;
  try {
    for (;;) {
      const read = readSync(fd, buffer, 0, CHUNK_BYTES, null);
      if (read === 0) break;
      const data = pending.length > 0 ? Buffer.concat([pending, buffer.subarray(0, read)]) : buffer.subarray(0, read);
      let start = 0;
      for (let end = data.indexOf(NEWLINE, start); end !== -1; end = data.indexOf(NEWLINE, start)) {
        yield decode(data.subarray(start, end), ++line);
        start = end + 1;
      }
      // Copied: `buffer` is reused by the next read.
      pending = Buffer.from(data.subarray(start));
    }
    if (pending.length > 0) yield decode(pending, line + 1);
  } finally {
    closeSync(fd);
  }
}
