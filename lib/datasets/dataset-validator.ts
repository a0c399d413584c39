import { Stats, accessSync, constants, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { readCsvRecords } from './csv-records';
import { effectiveMaxInputLength } from '../config/hyperparameter-specs';
import { readLines } from './line-reader';

/** The dataset format a training mode reads. */
export enum DatasetFormat {
  /** Domain adaptation (default): exactly one CSV, JSON or TXT file. */
  DOMAIN_ADAPTATION = 'domain-adaptation',
  /** Instruction tuning (`instruction_tuned=True`): JSON Lines and an optional template.json. */
  INSTRUCTION = 'instruction',
  /** Chat (`chat_dataset=True`): JSON Lines of `{"dialog": [{"role", "content"}, ...]}`. */
  CHAT = 'chat',
}

/** How serious a dataset problem is. */
export enum ProblemSeverity {
  /** The training job would fail or train on the wrong data. */
  ERROR = 'error',
  /** Trains, but against the walkthrough's advice. */
  WARNING = 'warning',
}

/** One problem of a dataset. */
export interface DatasetProblem {
  /** File the problem is in (relative to the dataset directory). */
  readonly file: string;
  /**
   * 1-based line number, when the problem is on a line.
   * @default - the problem is about the whole file or directory
   */
  readonly line?: number;
  /** Errors stop synth and fail the command; warnings do not. */
  readonly severity: ProblemSeverity;
  /** What is wrong and, where it helps, how to fix it. */
  readonly message: string;
}

/** What to check a dataset against. */
export interface DatasetValidationOptions {
  /** The format to check against. */
  readonly format: DatasetFormat;
  /**
   * Template file to use instead of the directory's template.json (instruction format).
   * @default - the directory's template.json, else JumpStart's default template
   */
  readonly templateFile?: string;
  /**
   * The training's max_input_length, to warn when it is far above the samples' length.
   * @default -1 (which JumpStart reads as 1024)
   */
  readonly maxInputLength?: number;
  /**
   * Most problems listed; the rest are counted.
   * @default 100
   */
  readonly maxProblems?: number;
}

/** What a dataset check found. */
export interface DatasetReport {
  /** Problems found, up to maxProblems. */
  readonly problems: DatasetProblem[];
  /** Errors found, listed or not. */
  readonly errorCount: number;
  /** Warnings found, listed or not. */
  readonly warningCount: number;
  /** Problems found but not listed. */
  readonly unlistedProblems: number;
  /** Files in the directory. */
  readonly files: number;
  /** Samples read. */
  readonly records: number;
  /** Bytes in the directory's files. */
  readonly bytes: number;
  /** Longest sample, in tokens estimated at four characters each. */
  readonly longestSampleTokens: number;
}

/** JumpStart's template when the directory has no template.json (walkthrough appendix). */
export const DEFAULT_INSTRUCTION_TEMPLATE = {
  prompt:
    'Below is an instruction that describes a task, paired with an input that provides further context. ' +
    'Write a response that appropriately completes the request.\n\n### Instruction:\n{instruction}\n\n### Input:\n{context}\n\n',
  completion: '{response}',
};

const DOMAIN_EXTENSIONS = ['.csv', '.json', '.txt'];
const TEMPLATE_FILE = 'template.json';
const CHAT_ROLES = ['system', 'user', 'assistant'];
/** Samples this short train better with max_input_length 200-400 (walkthrough); at most this is not warned about. */
const SHORT_SAMPLE_TOKENS = 400;
const MAX_WHOLE_JSON_BYTES = 64 * 1024 * 1024;

class Findings {
  readonly problems: DatasetProblem[] = [];
  errorCount = 0;
  warningCount = 0;
  unlisted = 0;
  records = 0;
  bytes = 0;
  longestSampleTokens = 0;

  constructor(private readonly limit: number) {}

  error(file: string, line: number | undefined, message: string): void {
    this.add({ file, line, severity: ProblemSeverity.ERROR, message });
  }
  warning(file: string, line: number | undefined, message: string): void {
    this.add({ file, line, severity: ProblemSeverity.WARNING, message });
  }
  /** A valid sample of this many characters. */
  sample(characters: number): void {
    this.records++;
    this.longestSampleTokens = Math.max(this.longestSampleTokens, Math.ceil(characters / 4));
  }

  private add(problem: DatasetProblem): void {
    if (problem.severity === ProblemSeverity.ERROR) this.errorCount++;
    else this.warningCount++;
    if (this.problems.length < this.limit) this.problems.push(problem);
    else this.unlisted++;
  }
}

/** A template string read as Python's `str.format` reads it: its field names, or what it cannot read. */
function templateFields(template: string): { fields: string[] } | { problem: string } {
  const fields = new Set<string>();
  const literal = 'write a literal brace as "{{" or "}}".';
  // Stryker disable next-line EqualityOperator: template[template.length] is undefined, which no branch reads
  for (let i = 0; i < template.length; i++) {
    const c = template[i];
    // Stryker disable next-line ConditionalExpression: any other doubled character skips its own twin, no brace
    if ((c === '{' || c === '}') && template[i + 1] === c) {
      i++; // "{{" and "}}" are literal braces
    } else if (c === '}') {
      return { problem: `has a single "}" at character ${i + 1}. Fix: ${literal}` };
    } else if (c === '{') {
      const end = template.indexOf('}', i + 1);
      if (end === -1) {
        return {
          problem: `has a "{" at character ${i + 1} that is never closed. Fix: close the placeholder, or ${literal}`,
        };
      }
      // A conversion (!r) or format spec (:>10) may follow the field name.
      const name = template.slice(i + 1, end).split(/[!:]/)[0];
      if (!/^[A-Za-z_]\w*$/.test(name)) {
        return {
          problem: `has the placeholder "${template.slice(i, end + 1)}"; a placeholder names a record field, like {instruction}. Fix: use a field name, or ${literal}`,
        };
      }
      fields.add(name);
      i = end;
    }
  }
  return { fields: [...fields] };
}

/**
 * Checks a local dataset directory against the format its training mode needs,
 * streaming every file: all problems by file and line, not just the first.
 */
export class DatasetValidator {
  /** `file:line: error: message`, the way compilers print. */
  public static formatProblem(p: DatasetProblem): string {
    return `${p.file}${p.line !== undefined ? `:${p.line}` : ''}: ${p.severity}: ${p.message}`;
  }

  public static validateDirectory(directory: string, options: DatasetValidationOptions): DatasetReport {
    const findings = new Findings(options.maxProblems ?? 100);
    let entries: string[];
    try {
      // Node's readdir lists names sorted already (libuv sorts them); the order is kept without relying on that.
      // Stryker disable next-line MethodExpression: equivalent under Node (see above)
      entries = readdirSync(directory).sort();
    } catch {
      findings.error(directory, undefined, 'is not a readable directory.');
      return report(findings, 0);
    }
    const files: string[] = [];
    for (const name of entries) {
      const stats = readableEntry(join(directory, name), name, findings);
      if (!stats) continue;
      if (stats.isFile()) {
        files.push(name);
        findings.bytes += stats.size;
      } else {
        findings.error(
          name,
          undefined,
          'is a directory; a dataset directory holds files only (SageMaker reads the channel prefix flat).',
        );
      }
    }

    switch (options.format) {
      case DatasetFormat.DOMAIN_ADAPTATION:
        checkDomainAdaptation(directory, files, findings);
        break;
      case DatasetFormat.INSTRUCTION:
        checkInstruction(directory, files, options, findings);
        break;
      case DatasetFormat.CHAT:
        checkChat(directory, files, findings);
        break;
      default:
        findings.error(
          directory,
          undefined,
          `format "${options.format}" is not known; allowed: ${Object.values(DatasetFormat).join(', ')}.`,
        );
    }

    const inputLength = effectiveMaxInputLength(options.maxInputLength);
    if (
      options.format !== DatasetFormat.DOMAIN_ADAPTATION &&
      findings.records > 0 &&
      findings.longestSampleTokens < SHORT_SAMPLE_TOKENS &&
      inputLength > SHORT_SAMPLE_TOKENS &&
      inputLength > 2 * findings.longestSampleTokens
    ) {
      findings.warning(
        directory,
        undefined,
        `the longest sample is about ${findings.longestSampleTokens} tokens, but max_input_length is ` +
          `${inputLength}: short samples padded that far train worse. The walkthrough suggests 200-400 (max_input_length ${Math.max(200, Math.min(400, 2 * findings.longestSampleTokens))}).`,
      );
    }
    return report(findings, files.length);
  }
}

/** The entry's stats when it can be read; a dangling link or an unreadable file is reported instead of thrown. */
function readableEntry(path: string, name: string, f: Findings): Stats | undefined {
  try {
    const stats = statSync(path);
    // Tests run as root in CI, for whom every file is readable: an unreadable file cannot be made there.
    // Stryker disable next-line ConditionalExpression: as root, access never refuses a file or a directory
    if (stats.isFile()) accessSync(path, constants.R_OK);
    return stats;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    f.error(
      name,
      undefined,
      code === 'ENOENT'
        ? 'is a link to nothing: its target does not exist. Fix: restore the target, or remove the link.'
        : `cannot be read (${code ?? (e as Error).message}). Fix: make it readable (e.g. chmod a+r), or remove it.`,
    );
    return undefined;
  }
}

const NOT_UTF8 =
  'is not valid UTF-8; the training script reads UTF-8 text and would fail here. ' +
  'Fix: re-encode the file as UTF-8 (e.g. iconv -f latin1 -t utf-8).';

/** The file's lines; each that is not UTF-8 is reported and comes as undefined text (it is not empty). */
function* utf8Lines(path: string, file: string, f: Findings): Generator<{ line: number; text: string | undefined }> {
  for (const line of readLines(path)) {
    if (line.validUtf8) {
      yield line;
    } else {
      f.error(file, line.line, NOT_UTF8);
      // Stryker disable next-line ObjectLiteral: the line of an undecodable line is never read (its error has it)
      yield { line: line.line, text: undefined };
    }
  }
}

function report(f: Findings, files: number): DatasetReport {
  return {
    problems: f.problems,
    errorCount: f.errorCount,
    warningCount: f.warningCount,
    unlistedProblems: f.unlisted,
    files,
    records: f.records,
    bytes: f.bytes,
    longestSampleTokens: f.longestSampleTokens,
  };
}

function checkDomainAdaptation(dir: string, files: string[], f: Findings): void {
  if (files.length !== 1) {
    // Which file JumpStart would read is undefined: the count is the one problem worth reporting.
    f.error(
      dir,
      undefined,
      files.length === 0
        ? 'holds no file; domain adaptation needs exactly one CSV, JSON or TXT file.'
        : `holds ${files.length} files (${files.join(', ')}); domain adaptation reads exactly one CSV, JSON or TXT file per directory. Fix: merge them into one.`,
    );
    return;
  }
  const [file] = files;
  const path = join(dir, file);
  const ext = extname(file).toLowerCase();
  if (!DOMAIN_EXTENSIONS.includes(ext))
    f.error(file, undefined, `has extension "${ext || '(none)'}"; domain adaptation reads .csv, .json or .txt.`);
  else if (statSync(path).size === 0) f.error(file, undefined, 'is empty.');
  else if (ext === '.txt') checkText(path, file, f);
  else if (ext === '.csv') checkCsv(path, file, f);
  else checkJsonText(path, file, f);
}

function checkText(path: string, file: string, f: Findings): void {
  let hasText = false;
  for (const { text } of utf8Lines(path, file, f)) {
    if (text === undefined || text.trim()) hasText = true;
    if (text?.trim()) f.sample(text.length);
  }
  if (!hasText) f.error(file, undefined, 'holds only whitespace; there is no text to train on.');
}

function checkCsv(path: string, file: string, f: Findings): void {
  let column = -1;
  let columns = 0;
  const state: { unterminatedAt?: number; invalidUtf8Lines?: number[] } = {};
  for (const { line, fields } of readCsvRecords(path, state)) {
    if (column === -1) {
      // JumpStart reads the "text" column, else the first one.
      column = Math.max(0, fields.indexOf('text'));
      columns = fields.length;
      continue;
    }
    if (fields.length === 1 && fields[0] === '') continue; // blank line
    if (fields.length !== columns) f.error(file, line, `has ${fields.length} fields where the header has ${columns}.`);
    const text = fields[column] ?? '';
    if (!text.trim())
      f.error(file, line, `has empty text in column ${columns > 1 ? `"${column === 0 ? 'first' : 'text'}"` : '1'}.`);
    else f.sample(text.length);
  }
  for (const line of state.invalidUtf8Lines ?? []) f.error(file, line, NOT_UTF8);
  if (state.unterminatedAt !== undefined)
    f.error(file, state.unterminatedAt, 'opens a quoted field that is never closed.');
  if (f.records === 0 && state.unterminatedAt === undefined)
    f.error(file, undefined, 'has a header but no rows of text.');
}

function checkJsonText(path: string, file: string, f: Findings): void {
  const textOf = (record: unknown, line: number | undefined) => {
    if (!isObject(record)) {
      f.error(file, line, 'is not a JSON object.');
      return;
    }
    const key = 'text' in record ? 'text' : Object.keys(record)[0];
    // Stryker disable next-line ConditionalExpression: an object without keys has no value at any key
    const value = key === undefined ? undefined : record[key];
    if (typeof value !== 'string' || !value.trim())
      f.error(file, line, `has no text: "${key ?? '(no field)'}" is ${JSON.stringify(value) ?? 'missing'}.`);
    else f.sample(value.length);
  };
  const first = firstNonBlank(path);
  if (first?.startsWith('[') || (first !== undefined && !parsesAsJson(first))) {
    // A JSON array or a multi-line document must be parsed whole; JSON Lines streams where they can't.
    if (statSync(path).size > MAX_WHOLE_JSON_BYTES) {
      f.error(
        file,
        1,
        `is a JSON document over ${MAX_WHOLE_JSON_BYTES >> 20} MiB; write it as JSON Lines (one object per line) instead.`,
      );
      return;
    }
    let records: unknown;
    try {
      records = JSON.parse(readFileSync(path, 'utf8'));
    } catch (e) {
      f.error(file, undefined, `is not valid JSON: ${(e as Error).message}`);
      return;
    }
    // A single object is one record, as the datasets library reads it.
    (Array.isArray(records) ? records : [records]).forEach((r) => textOf(r, undefined));
    return;
  }
  for (const { line, record } of jsonLines(path, file, f)) textOf(record, line);
}

function parsesAsJson(text: string): boolean {
  try {
    JSON.parse(text);
  } catch {
    return false;
  }
  return true;
}

function firstNonBlank(path: string): string | undefined {
  // Stryker disable next-line MethodExpression: "  [" is no JSON either, so it is parsed whole all the same
  for (const { text } of readLines(path)) if (text.trim()) return text.trim();
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Each non-blank line parsed; lines that are not JSON objects are reported. */
function* jsonLines(
  path: string,
  file: string,
  f: Findings,
): Generator<{ line: number; record: Record<string, unknown> }> {
  let any = false;
  for (const { line, text } of utf8Lines(path, file, f)) {
    if (text === undefined) any = true;
    if (!text?.trim()) continue;
    any = true;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      f.error(file, line, `is not valid JSON: ${(e as Error).message}`);
      continue;
    }
    if (!isObject(value)) {
      f.error(file, line, `is ${Array.isArray(value) ? 'an array' : typeof value}, not a JSON object.`);
      continue;
    }
    yield { line, record: value };
  }
  if (!any) f.error(file, undefined, 'is empty.');
}

/** JSON Lines data files of a directory; anything else (but template.json) is reported. */
function jsonLinesFiles(dir: string, files: string[], f: Findings, allowTemplate: boolean, what: string): string[] {
  const data = files.filter((file) => extname(file) === '.jsonl');
  for (const file of files) {
    if (extname(file) === '.jsonl' || (allowTemplate && file === TEMPLATE_FILE)) continue;
    f.error(
      file,
      undefined,
      file === TEMPLATE_FILE
        ? `is an instruction-tuning template, which ${what} data does not use. Fix: remove it.`
        : extname(file) === '.json' || extname(file) === '.JSONL'
          ? `must end in .jsonl: the extension is mandatory for ${what} data. Fix: rename it to ${basename(file, extname(file))}.jsonl.`
          : `is not part of a ${what} dataset, which holds .jsonl files${allowTemplate ? ' and an optional template.json' : ''}. Fix: remove it.`,
    );
  }
  if (data.length === 0)
    f.error(dir, undefined, `holds no .jsonl file; ${what} data is JSON Lines, one object per line.`);
  return data;
}

function readTemplate(path: string, label: string, f: Findings): { prompt: string; completion: string } | undefined {
  let template: unknown;
  try {
    template = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    f.error(label, undefined, `is not valid JSON: ${(e as Error).message}`);
    return undefined;
  }
  if (!isObject(template)) {
    f.error(label, undefined, 'must be a JSON object with exactly the keys "prompt" and "completion".');
    return undefined;
  }
  const keys = Object.keys(template).sort();
  if (keys.join(',') !== 'completion,prompt') {
    f.error(
      label,
      undefined,
      `has the keys ${keys.map((k) => `"${k}"`).join(', ') || '(none)'}; a template has exactly "prompt" and "completion".`,
    );
    return undefined;
  }
  if (typeof template.prompt !== 'string' || typeof template.completion !== 'string') {
    f.error(label, undefined, '"prompt" and "completion" must be strings.');
    return undefined;
  }
  return { prompt: template.prompt, completion: template.completion };
}

function checkInstruction(dir: string, files: string[], options: DatasetValidationOptions, f: Findings): void {
  const data = jsonLinesFiles(dir, files, f, true, 'instruction-tuning');
  const template = options.templateFile
    ? readTemplate(options.templateFile, options.templateFile, f)
    : files.includes(TEMPLATE_FILE)
      ? readTemplate(join(dir, TEMPLATE_FILE), TEMPLATE_FILE, f)
      : DEFAULT_INSTRUCTION_TEMPLATE;
  if (!template) return;
  const reads = (['prompt', 'completion'] as const).map((part) => ({ part, read: templateFields(template[part]) }));
  const problems = reads.flatMap(({ part, read }) => ('problem' in read ? [`"${part}" ${read.problem}`] : []));
  // The training script could not format any record with it: the template is the one problem to fix.
  problems.forEach((problem) => f.error(options.templateFile ?? TEMPLATE_FILE, undefined, problem));
  if (problems.length > 0) return;
  const keys = [...new Set(reads.flatMap(({ read }) => (read as { fields: string[] }).fields))];
  const whole = template.prompt + template.completion;
  const placeholders = [...whole.matchAll(/\{(\w+)\}/g)];
  const placeholderCounts = new Map<string, number>();
  for (const [, k] of placeholders) placeholderCounts.set(k, (placeholderCounts.get(k) ?? 0) + 1);
  const literalCharacters = whole.length - placeholders.reduce((n, [m]) => n + m.length, 0);
  for (const file of data) {
    for (const { line, record } of jsonLines(join(dir, file), file, f)) {
      const missing = keys.filter((k) => !(k in record));
      if (missing.length > 0) {
        f.error(
          file,
          line,
          `lacks ${missing.map((k) => `"${k}"`).join(', ')}, which the template's placeholders need.`,
        );
        continue;
      }
      // The formatted sample's length, without building it.
      let characters = literalCharacters;
      for (const [k, count] of placeholderCounts) characters += String(record[k] ?? '').length * count;
      f.sample(characters);
    }
  }
}

function checkChat(dir: string, files: string[], f: Findings): void {
  for (const file of jsonLinesFiles(dir, files, f, false, 'chat')) {
    for (const { line, record } of jsonLines(join(dir, file), file, f)) {
      const dialog = record.dialog;
      if (!Array.isArray(dialog) || dialog.length === 0) {
        f.error(file, line, 'needs "dialog": a non-empty list of {"role", "content"} turns.');
        continue;
      }
      const problem = dialogProblem(dialog);
      if (problem) f.error(file, line, problem);
      else
        f.sample(dialog.reduce((n: number, turn: { content: string }) => n + turn.content.length, dialog.length - 1));
    }
  }
}

/** Turns alternate user, assistant, ... after an optional leading system turn, and end with the assistant. */
function dialogProblem(dialog: unknown[]): string | undefined {
  for (const [i, turn] of dialog.entries()) {
    if (!isObject(turn) || typeof turn.content !== 'string' || !CHAT_ROLES.includes(turn.role as string)) {
      return `dialog turn ${i + 1} must be {"role": "system"|"user"|"assistant", "content": "<text>"}.`;
    }
    if (!turn.content.trim()) return `dialog turn ${i + 1} (${turn.role}) has empty content.`;
  }
  const roles = dialog.map((turn) => (turn as { role: string }).role);
  const turns = roles[0] === 'system' ? roles.slice(1) : roles;
  const expected = turns.map((_, i) => (i % 2 === 0 ? 'user' : 'assistant'));
  const wrong = turns.findIndex((role, i) => role !== expected[i]);
  if (wrong !== -1) {
    return (
      `dialog turn ${wrong + 1 + (roles.length - turns.length)} is "${turns[wrong]}" where "${expected[wrong]}" is due; ` +
      'turns alternate user, assistant, ... after an optional first system turn.'
    );
  }
  if (turns.at(-1) !== 'assistant') return 'the dialog must end with an assistant turn, the answer to learn.';
  return undefined;
}
