/**
 * The kinds of value `llama3-ft` flags take, each parsed, range-checked and worded the same
 * way in every command: `--flag is "value as given"; allowed: ... Fix: --flag example.`
 * Paths are checked here too, so that no command reads a file or sends a request before
 * every flag is known to be usable.
 */
import { Stats, accessSync, constants, statSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { configurationError } from '../config/configuration-error';
import { S3UriForm, s3UriRuleProblem } from '../config/s3-uri-rules';
import {
  MODEL_PACKAGE_VERSION_ARN,
  MODEL_PACKAGE_VERSION_ARN_RULE,
  REGION,
  SAGEMAKER_NAME,
  SAGEMAKER_NAME_RULE,
} from '../config/sagemaker-names';

/** A kind of flag value: how parseArgs reads it, and how its text becomes a value (or a usage error). */
export interface FlagType<T> {
  readonly kind: 'string' | 'boolean';
  /** The value, or a thrown configuration error naming `flag`. */
  parse(raw: string, flag: string): T;
}

const show = (raw: string) => JSON.stringify(raw);

/** Throws the usage error every flag type words alike. */
function refuse(flag: string, raw: string, allowed: string, fix: string): never {
  throw configurationError([`${flag} is ${show(raw)}; allowed: ${allowed}. Fix: ${fix}.`]);
}

export const booleanFlag: FlagType<boolean> = { kind: 'boolean', parse: () => true };

/** Any text but the empty string. */
export function text(example: string): FlagType<string> {
  return {
    kind: 'string',
    parse: (raw, flag) => (raw === '' ? refuse(flag, raw, 'a non-empty text', `e.g. ${flag} ${example}`) : raw),
  };
}

export function oneOf<T extends string>(values: readonly T[]): FlagType<T> {
  return {
    kind: 'string',
    parse: (raw, flag) =>
      values.includes(raw as T) ? (raw as T) : refuse(flag, raw, values.join(', '), `e.g. ${flag} ${values[0]}`),
  };
}

export const region: FlagType<string> = {
  kind: 'string',
  parse: (raw, flag) =>
    REGION.test(raw)
      ? raw
      : refuse(flag, raw, 'an AWS Region name such as us-east-1', `e.g. ${flag} us-east-1, or leave it out`),
};

/** A model package version's ARN; `source` says where to copy it from. */
export function modelPackageVersionArn(source: string): FlagType<string> {
  return {
    kind: 'string',
    parse: (raw, flag) =>
      MODEL_PACKAGE_VERSION_ARN.test(raw) ? raw : refuse(flag, raw, MODEL_PACKAGE_VERSION_ARN_RULE, source),
  };
}

/** An endpoint or inference component name; `source` says where to copy it from. */
export function sageMakerName(source: string): FlagType<string> {
  return {
    kind: 'string',
    parse: (raw, flag) => (SAGEMAKER_NAME.test(raw) ? raw : refuse(flag, raw, SAGEMAKER_NAME_RULE, source)),
  };
}

/** The words for a range: `an integer`, `an integer >= 1`, `an integer from 1 to 10`, `a number above 0`. */
function range(kind: string, min?: number, max?: number, above?: boolean): string {
  if (min === undefined) return kind;
  if (max === undefined) return above ? `${kind} above ${min}` : `${kind} >= ${min}`;
  return above ? `${kind} above ${min} and at most ${max}` : `${kind} from ${min} to ${max}`;
}

export interface IntegerRange {
  /** The least value allowed; without it any integer is, and `max` is not given either (the words would not say it). */
  readonly min?: number;
  readonly max?: number;
  readonly example: number;
}

export function integer(r: IntegerRange): FlagType<number> {
  return {
    kind: 'string',
    parse: (raw, flag) => {
      const n = /^[+-]?\d+$/.test(raw.trim()) ? Number(raw) : NaN;
      if (Number.isSafeInteger(n) && (r.min === undefined || n >= r.min) && (r.max === undefined || n <= r.max)) {
        return n;
      }
      return refuse(flag, raw, range('an integer', r.min, r.max), `e.g. ${flag} ${r.example}`);
    },
  };
}

export interface NumberRange {
  readonly min: number;
  readonly max?: number;
  /** `min` itself is not allowed. */
  readonly above?: boolean;
  readonly unit?: string;
  readonly example: number;
  /** Another fix, after the example: `or --no-wait`. */
  readonly orElse?: string;
}

/** A decimal number (no hex, no exponent, no Infinity) in a range; `unit` names what it counts. */
export function decimal(r: NumberRange): FlagType<number> {
  return {
    kind: 'string',
    parse: (raw, flag) => {
      const n = /^[+-]?(\d+\.?\d*|\.\d+)$/.test(raw.trim()) ? Number(raw) : NaN;
      const low = r.above ? n > r.min : n >= r.min;
      if (Number.isFinite(n) && low && (r.max === undefined || n <= r.max)) return n;
      const kind = r.unit ?? 'a number';
      return refuse(
        flag,
        raw,
        range(kind, r.min, r.max, r.above),
        `e.g. ${flag} ${r.example}${r.orElse ? `, ${r.orElse}` : ''}`,
      );
    },
  };
}

/** A path that must exist: a file, a directory, or either. */
export function existingPath(what: 'file' | 'directory' | 'file or directory'): FlagType<string> {
  return {
    kind: 'string',
    parse: (raw, flag) => {
      let stats;
      try {
        stats = statSync(raw);
      } catch {
        return refuse(
          flag,
          raw,
          `an existing ${what}`,
          isAbsolute(raw) ? 'check the path' : `check the path (relative to ${process.cwd()})`,
        );
      }
      const ok = what === 'file or directory' || (what === 'file' ? stats.isFile() : stats.isDirectory());
      return ok
        ? raw
        : refuse(flag, raw, `an existing ${what}`, `give a ${what}, not a ${stats.isFile() ? 'file' : 'directory'}`);
    },
  };
}

function writableDirectory(dir: string): boolean {
  let writable = false;
  try {
    accessSync(dir, constants.W_OK);
    writable = statSync(dir).isDirectory();
  } catch {
    // Not there, or not writable.
  }
  return writable;
}

/** A file to write: its directory must exist and be writable, and it must not be a directory itself. */
export const outputFile: FlagType<string> = {
  kind: 'string',
  parse: (raw, flag) => {
    const dir = dirname(resolve(raw));
    if (raw === '' || !writableDirectory(dir)) {
      return refuse(
        flag,
        raw,
        'a file in an existing directory you may write to',
        `create ${dir} first, or write elsewhere`,
      );
    }
    let isDirectory = false;
    try {
      isDirectory = statSync(raw).isDirectory();
    } catch {
      // Not there yet: it is written.
    }
    return isDirectory ? refuse(flag, raw, 'a file name, not a directory', `e.g. ${flag} ${raw}/report`) : raw;
  },
};

/** A directory to write into: one that exists and is writable, or a new one in such a directory. */
export const outputDirectory: FlagType<string> = {
  kind: 'string',
  parse: (raw, flag) => {
    const allowed = 'a directory you may write to, or a new one in such a directory';
    const path = resolve(raw);
    let stats: Stats | undefined;
    try {
      stats = statSync(path);
    } catch {
      // Not there yet: it is created, in its parent.
    }
    if (stats !== undefined && !stats.isDirectory()) return refuse(flag, raw, allowed, 'give a directory, not a file');
    const dir = stats ? path : dirname(path);
    if (raw !== '' && writableDirectory(dir)) return raw;
    return refuse(flag, raw, allowed, `create ${dir} first (or make it writable), or write elsewhere`);
  },
};

/** An s3:// location by the library's URI rule, or else an existing local directory. */
export const datasetLocation: FlagType<string> = {
  kind: 'string',
  parse: (raw, flag) => {
    if (!raw.startsWith('s3://')) return existingPath('directory').parse(raw, flag);
    const problem = s3UriRuleProblem(flag, raw, S3UriForm.ANY);
    if (problem) throw configurationError([problem]);
    return raw;
  },
};

/** `key=value`, as `cdk synth -c` takes it. */
export const keyValue: FlagType<[string, string]> = {
  kind: 'string',
  parse: (raw, flag) => {
    const at = raw.indexOf('=');
    return at >= 1 ? [raw.slice(0, at), raw.slice(at + 1)] : refuse(flag, raw, 'key=value', `e.g. ${flag} name=value`);
  },
};
