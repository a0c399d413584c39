import { PassThrough, Readable } from 'node:stream';
import type { CommandIo } from '../../lib/cli/io';
import { main } from '../../lib/cli/main';

/**
 * Runs a command in-process on fresh streams, `input` on its stdin (a text, piped, or a stream), and returns its
 * status and output.
 */
export async function runCommand(
  command: (io: CommandIo) => Promise<number>,
  input: string | Readable = '',
): Promise<{ status: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c) => (out += c));
  stderr.on('data', (c) => (err += c));
  // The input ends, as a pipe's does: a command reading stdin (chat, invoke without --prompt) does not wait forever.
  const stdin = typeof input === 'string' ? new PassThrough().end(input) : input;
  const status = await command({ stdin, stdout, stderr });
  return { status, out, err };
}

/** Runs `llama3-ft` in-process, as a shell would, and returns its status and output. */
export function runCli(...argv: string[]): Promise<{ status: number; out: string; err: string }> {
  return runCommand((io) => main(argv, io));
}
