import { isUtf8 } from 'node:buffer';
import { closeSync, openSync, readSync } from 'node:fs';

/** Node.js streams' own chunk size: larger chunks only make longer-lived strings, not faster reads. */
const CHUNK_BYTES = 1 << 16;
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
 * Yields a file's lines (without line endings), reading 64 KiB at a time: memory
 * stays bounded by the chunk and the longest line. Lines are split as bytes and
 * each is checked as UTF-8, so a bad byte is reported on its own line. Synchronous,
 * so it can run inside a CDK construct at synth.
 *
 * The lines a read completes are checked and decoded together when they are all valid
 * UTF-8 (a newline never falls inside a multi-byte character, so the run is valid exactly
 * when each line is): one native check and one decode a chunk instead of one a line,
 * which is most of the validator's time on large files. A chunk with a bad byte is split
 * as bytes, line by line.
 */
export function* readLines(path: string): Generator<Line> {
  const fd = openSync(path, 'r');
  const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  // The start of a line no read has completed yet, chunk by chunk (joined once, when it completes).
  let pending: Buffer[] = [];
  let line = 0;
  try {
    for (;;) {
      const read = readSync(fd, buffer, 0, CHUNK_BYTES, null);
      if (read === 0) break;
      const chunk = buffer.subarray(0, read);
      if (chunk.indexOf(NEWLINE) === -1) {
        pending.push(Buffer.from(chunk)); // copied: `buffer` is reused by the next read
        continue;
      }
      const data = pending.length > 0 ? Buffer.concat([...pending, chunk]) : chunk;
      const complete = data.lastIndexOf(NEWLINE) + 1;
      if (isUtf8(data.subarray(0, complete))) {
        const text = data.toString('utf8', 0, complete);
        let start = 0;
        for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
          const stop = end > start && text.charCodeAt(end - 1) === CARRIAGE_RETURN ? end - 1 : end;
          yield { line: ++line, text: text.slice(start, stop), validUtf8: true };
          start = end + 1;
        }
      } else {
        for (let start = 0, end = data.indexOf(NEWLINE); end !== -1; end = data.indexOf(NEWLINE, start)) {
          yield decode(data.subarray(start, end), ++line);
          start = end + 1;
        }
      }
      pending = complete < data.length ? [Buffer.from(data.subarray(complete))] : [];
    }
    if (pending.length > 0) yield decode(Buffer.concat(pending), line + 1);
  } finally {
    closeSync(fd);
  }
}
