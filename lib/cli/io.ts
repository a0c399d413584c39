import { parseArgs } from 'node:util';
import type { IColdStartProgress } from '../client/llama3-endpoint-client';
import { isConfigurationError } from '../config/configuration-error';
import { closest } from '../config/did-you-mean';

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

/** Options as node:util parseArgs takes them. */
export type FlagOptions = Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>;

/**
 * Parses a command's flags: kebab-case (`--max-input-length`), the context-key spelling
 * (`--max_input_length`) too; an unknown flag is a usage error with the nearest known one.
 */
export function parseFlags(
  args: string[],
  options: FlagOptions,
  allowPositionals = false,
): { values: Record<string, unknown>; positionals: string[] } | { error: string } {
  const respelled = args.map((arg) => arg.replace(/^--([^=]+)/, (_m, name: string) => `--${name.replace(/_/g, '-')}`));
  // parseArgs calls `--timeout -3` ambiguous; a value flag takes what follows it, so that a
  // negative number (`--max-input-length -1`) or `-` reaches the flag's own check.
  const normalized: string[] = [];
  for (let i = 0; i < respelled.length; i++) {
    const name = /^--([^=]+)$/.exec(respelled[i])?.[1];
    const next = respelled[i + 1];
    if (name && options[name]?.type === 'string' && next?.startsWith('-') && !next.startsWith('--')) {
      normalized.push(`--${name}=${next}`);
      i++;
    } else normalized.push(respelled[i]);
  }
  try {
    return parseArgs({ args: normalized, options, allowPositionals, strict: true });
  } catch (error) {
    const message = (error as Error).message;
    const unknown = /Unknown option '--([^']+)'/.exec(message)?.[1];
    const match = unknown ? closest(unknown, Object.keys(options)) : undefined;
    return { error: match ? `${message} Did you mean --${match}?` : message };
  }
}

/** Reports a command-line mistake with where to find the options; resolves to the usage exit status. */
export function usageError(io: CommandIo, command: string, message: string): number {
  io.stderr.write(`${message}\nRun llama3-ft ${command} --help for the options.\n`);
  return EXIT_USAGE;
}

/**
 * A configuration error as the command's usage error, its message reworded (props as flags, say); any other
 * error is not a mistake of the command line, and goes on up to main's one-line failure.
 */
export function configurationUsageError(
  io: CommandIo,
  command: string,
  error: unknown,
  reword: (message: string) => string = (message) => message,
): number {
  if (!isConfigurationError(error)) throw error;
  return usageError(io, command, reword(error.message));
}

/**
 * Tells stderr of each retry while an inference component has no capacity (scaled to zero:
 * a copy is starting); `before` ends a progress bar's line first.
 */
export function coldStartProgress(io: CommandIo, componentName: string | undefined, before = ''): IColdStartProgress {
  return {
    waiting: (elapsed, limit) =>
      io.stderr.write(
        `${before}${componentName} has no capacity yet (scaled to zero: a copy is starting); retrying, ${elapsed} s of ${limit} s\n`,
      ),
  };
}
