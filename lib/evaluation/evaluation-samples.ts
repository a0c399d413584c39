import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { DEFAULT_INSTRUCTION_TEMPLATE } from '../datasets/dataset-validator';
import { readLines } from '../datasets/line-reader';

/** A held-out sample: the prompt the endpoints get, and the answer the dataset gives. */
export interface EvaluationSample {
  /** The prompt: the template's prompt filled from the record, or the dialogue before the last answer. */
  readonly prompt: string;
  /** The reference: the template's completion filled from the record, or the dialogue's last answer. */
  readonly reference: string;
}

interface Template {
  readonly prompt: string;
  readonly completion: string;
}

/** A template string filled as Python's `str.format` fills it: `{field}` from the record, `{{`/`}}` literal braces. */
export function fillTemplate(template: string, record: Record<string, unknown>): string {
  return template.replace(/\{\{|\}\}|\{([A-Za-z_]\w*)[^}]*\}/g, (match, field?: string) => {
    if (match === '{{') return '{';
    if (match === '}}') return '}';
    return String(record[field!] ?? '');
  });
}

/** Llama 3's chat format, as the chat model reads a dialogue, up to the assistant's turn to answer. */
function chatPrompt(turns: { role: string; content: string }[]): string {
  return (
    '<|begin_of_text|>' +
    turns.map((t) => `<|start_header_id|>${t.role}<|end_header_id|>\n\n${t.content}<|eot_id|>`).join('') +
    '<|start_header_id|>assistant<|end_header_id|>\n\n'
  );
}

function sampleOf(record: Record<string, unknown>, template: Template): EvaluationSample | undefined {
  const dialog = record.dialog;
  if (Array.isArray(dialog)) {
    const turns = dialog as { role: string; content: string }[];
    const last = turns.map((t) => t.role).lastIndexOf('assistant');
    if (last < 1) return undefined;
    return { prompt: chatPrompt(turns.slice(0, last)), reference: turns[last].content };
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
  const files = isDirectory
    ? readdirSync(location)
        .filter((f) => extname(f) === '.jsonl')
        .sort()
        .map((f) => join(location, f))
    : [location];
  const templatePath = templateFile ?? (isDirectory ? join(location, 'template.json') : undefined);
  const template: Template =
    templatePath && existsSync(templatePath)
      ? JSON.parse(readFileSync(templatePath, 'utf8'))
      : DEFAULT_INSTRUCTION_TEMPLATE;
  const samples: EvaluationSample[] = [];
  for (const file of files) {
    for (const { text } of readLines(file)) {
      if (samples.length >= maxSamples) return samples;
      if (!text.trim()) continue;
      const sample = sampleOf(JSON.parse(text), template);
      if (sample) samples.push(sample);
    }
  }
  return samples;
}
