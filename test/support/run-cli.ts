import { PassThrough } from 'node:stream';
import { main } from '../../lib/cli/main';

/** Runs `llama3-ft` in-process, as a shell would, and returns its status and output. */
export async function runCli(...argv: string[]): Promise<{ status: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c) => (out += c));
  stderr.on('data', (c) => (err += c));
  const status = await main(argv, { stdin: new PassThrough(), stdout, stderr });
  return { status, out, err };
}
