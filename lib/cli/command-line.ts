/**
 * The argument layer every `llama3-ft` command shares: a command declares its flags as a table
 * of flag types, and gets typed values back, or one usage error listing every bad flag, before
 * it reads a file or sends a request.
 */
import { FlagType } from './flag-types';
import { CommandIo, EXIT_OK, FlagOptions, parseFlags, usageError } from './io';
import { configurationError, isConfigurationError } from '../config/configuration-error';

/** One flag of a command. */
export interface FlagDefinition<T = unknown> {
  readonly type: FlagType<T>;
  readonly short?: string;
  /** Repeatable: the value is a list. */
  readonly multiple?: boolean;
  /** How messages name it when not `--name` (e.g. `-c`). */
  readonly label?: string;
}

/** A command's flags, by kebab-case name. */
export type FlagTable = Readonly<Record<string, FlagDefinition>>;

type ValueOf<D> = D extends FlagDefinition<infer T> ? (D extends { multiple: true } ? T[] : T) : never;

/** The parsed values of a table's flags; a flag not given is undefined. */
export type FlagValues<F extends FlagTable> = { -readonly [K in keyof F]?: ValueOf<F[K]> };

/** The options node:util parseArgs takes for a table. */
export function parseArgsOptions(table: FlagTable): FlagOptions {
  return Object.fromEntries(
    Object.entries(table).map(([name, d]) => [
      name,
      { type: d.type.kind, ...(d.short ? { short: d.short } : {}), ...(d.multiple ? { multiple: true } : {}) },
    ]),
  );
}

export type CommandLine<F extends FlagTable> =
  { readonly values: FlagValues<F>; readonly positionals: string[] } | { readonly error: string };

/**
 * Reads `args` by the table: an unknown or malformed flag is reported as parseArgs words it
 * (with the nearest known flag); otherwise every value is parsed by its type and every
 * problem reported at once.
 */
export function parseCommandLine<F extends FlagTable>(
  args: string[],
  table: F,
  allowPositionals: boolean,
): CommandLine<F> {
  const parsed = parseFlags(args, parseArgsOptions(table), allowPositionals);
  if ('error' in parsed) return parsed;
  const problems: string[] = [];
  const values: Record<string, unknown> = {};
  for (const [name, raw] of Object.entries(parsed.values)) {
    const definition = table[name];
    const flag = definition.label ?? `--${name}`;
    const parse = (one: unknown) => {
      try {
        return definition.type.parse(String(one), flag);
      } catch (error) {
        // Every flag type refuses with a configuration error: anything else a parse throws is a fault, and goes on up.
        // Never rethrowing would change nothing a flag can show (always rethrowing would; the bad-flag rows see it).
        // Stryker disable next-line ConditionalExpression: as above
        if (!isConfigurationError(error)) throw error;
        problems.push(...error.problems);
        return undefined;
      }
    };
    values[name] = Array.isArray(raw) ? raw.map(parse) : parse(raw);
  }
  if (problems.length > 0) return { error: configurationError(problems).message };
  return { values: values as FlagValues<F>, positionals: parsed.positionals };
}

/**
 * How every command starts: its flags read by the table, then its help printed or its usage
 * error reported. Returns the values, or the exit status when the command has nothing left to do.
 */
export function startCommand<F extends FlagTable>(
  io: CommandIo,
  command: string,
  help: string,
  args: string[],
  table: F,
  allowPositionals = false,
): { readonly values: FlagValues<F>; readonly positionals: string[] } | number {
  const parsed = parseCommandLine(args, table, allowPositionals);
  if ('error' in parsed) return usageError(io, command, parsed.error);
  if ((parsed.values as { help?: boolean }).help) {
    io.stdout.write(help);
    return EXIT_OK;
  }
  return parsed;
}
