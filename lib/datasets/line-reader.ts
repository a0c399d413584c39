import { closeSync, openSync, readSync } from 'node:fs';

const CHUNK_BYTES = 1 << 20;

/**
 * Yields a file's lines (1-based numbers, without line endings), reading 1 MiB
 * at a time: memory stays bounded by the chunk and the longest line. Synchronous,
 * so it can run inside a CDK construct at synth.
 */
export function* readLines(path: string): Generator<{ line: number; text: string }> {
  const fd = openSync(path, 'r');
  const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  const decoder = new TextDecoder('utf-8');
  let pending = '';
  let line = 0;
  try {
    for (;;) {
      const read = readSync(fd, buffer, 0, CHUNK_BYTES, null);
      pending += read > 0 ? decoder.decode(buffer.subarray(0, read), { stream: true }) : decoder.decode();
      let start = 0;
      for (let end = pending.indexOf('\n'); end !== -1; end = pending.indexOf('\n', start)) {
        line++;
        const text = pending.slice(start, end);
        yield { line, text: text.endsWith('\r') ? text.slice(0, -1) : text };
        start = end + 1;
      }
      pending = pending.slice(start);
      if (read === 0) break;
    }
    if (pending.length > 0) yield { line: line + 1, text: pending.endsWith('\r') ? pending.slice(0, -1) : pending };
  } finally {
    closeSync(fd);
  }
}
