/** Streams a command reads and writes, so tests can run commands in-process. */
export interface CommandIo {
  readonly stdin: NodeJS.ReadableStream;
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
}

/** Exit statuses: 0 done, 1 the work failed, 2 the command line was wrong. */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

export async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += chunk.toString();
  return text;
}

/** Reports a command-line mistake with where to find the options; resolves to the usage exit status. */
export function usageError(io: CommandIo, command: string, message: string): number {
  io.stderr.write(`${message}\nRun llama3-ft ${command} --help for the options.\n`);
  return EXIT_USAGE;
}
