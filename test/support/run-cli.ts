import { PassThrough } from 'node:stream';
import type { CommandIo } from '../../lib/cli/io';
import { main } from '../../lib/cli/main';

/** Runs a command in-process on fresh streams, and returns its status and output. */
export async function runCommand(
  command: (io: CommandIo) => Promise<number>,
): Promise<{ status: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c) => (out += c));
  stderr.on('data', (c) => (err += c));
  const status = await command({ stdin: new PassThrough(), stdout, stderr });
  return { status, out, err };
}

/** Runs `llama3-ft` in-process, as a shell would, and returns its status and output. */
export function runCli(...argv: string[]): Promise<{ status: number; out: string; err: string }> {
  return runCommand((io) => main(argv, io));
}
