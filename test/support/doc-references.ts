/**
 * The names documentation refers to, read from its text: `Type.member` after one of the
 * library's exports, `llama3-ft <command> --flag`, `-c key=value`, and the README's
 * context-key table. Each reference keeps where it was found, for the failure message.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import * as ts from 'typescript';

export interface Reference {
  readonly name: string;
  readonly where: string;
}

/** A document to read: its text and the path messages name it by. */
export interface Doc {
  readonly path: string;
  readonly text: string;
}

const lineOf = (text: string, index: number) => text.slice(0, index).split('\n').length;
const at = (doc: Doc, index: number) => `${doc.path}:${lineOf(doc.text, index)}`;

export function readDoc(root: string, path: string): Doc {
  const text = readFileSync(path, 'utf8');
  // API.md links every name by its jsii id (`cdk-llama3-finetuning.Type.property.name`): generated
  // from the code itself, and `property`/`method` are not members. Blanked, so line numbers hold.
  const withoutIds = text.replace(/cdk-llama3-finetuning\.[\w.]+/g, (id) => ' '.repeat(id.length));
  return { path: relative(root, path), text: withoutIds };
}

/** The doc comments of a TypeScript file, as one document (other text blanked, lines kept). */
export function docComments(root: string, path: string): Doc {
  const text = readFileSync(path, 'utf8');
  const kept: string[] = text.split('').map((c) => (c === '\n' ? c : ' '));
  const scanner = ts.createScanner(ts.ScriptTarget.ES2022, false, ts.LanguageVariant.Standard, text);
  for (let token = scanner.scan(); token !== ts.SyntaxKind.EndOfFileToken; token = scanner.scan()) {
    if (token === ts.SyntaxKind.MultiLineCommentTrivia && scanner.getTokenText().startsWith('/**')) {
      for (let i = scanner.getTokenStart(); i < scanner.getTokenEnd(); i++) kept[i] = text[i];
    }
  }
  return { path: relative(root, path), text: kept.join('') };
}

/** `Type.member` where Type is one of the library's exports (backticked or not: doc comments rarely tick). */
export function memberReferences(doc: Doc, exports: ReadonlySet<string>): Reference[] {
  const found: Reference[] = [];
  for (const m of doc.text.matchAll(/(?<![\w.$-])([A-Z][A-Za-z0-9]*)\.([A-Za-z_][A-Za-z0-9_]*)/g)) {
    if (exports.has(m[1])) found.push({ name: `${m[1]}.${m[2]}`, where: at(doc, m.index!) });
  }
  return found;
}

/** Code spans of one camelCase identifier (`trainingInstanceType`): in the README, a prop or member. */
export function camelCaseSpans(doc: Doc): Reference[] {
  return [...doc.text.matchAll(/`([a-z][a-z0-9]*[A-Z][A-Za-z0-9]*)`/g)].map((m) => ({
    name: m[1],
    where: at(doc, m.index!),
  }));
}

/** Every `--flag` that opens a code span, wherever it is (prose names flags without their command). */
export function flagSpans(doc: Doc): Reference[] {
  return [...doc.text.matchAll(/`--([a-z][a-z0-9_-]*)/g)].map((m) => ({ name: m[1], where: at(doc, m.index!) }));
}

/** `-c key=value` (the CDK CLI's and preflight's context flag). */
export function contextFlagReferences(doc: Doc): Reference[] {
  return [...doc.text.matchAll(/(?<![\w-])-c\s+([A-Za-z_@][\w:@/.-]*)=/g)].map((m) => ({
    name: m[1],
    where: at(doc, m.index!),
  }));
}

/** A command line of llama3-ft: the command, and each `--flag` up to the end of the line or code span. */
export interface CommandReference {
  readonly command: string;
  readonly flags: readonly string[];
  readonly where: string;
}

export function commandReferences(doc: Doc): CommandReference[] {
  // A shell line continued with a backslash is one command line.
  const text = doc.text.replace(/\\\n/g, '  ');
  const found: CommandReference[] = [];
  for (const m of text.matchAll(/llama3-ft\s+([a-z][a-z-]*)([^\n`]*)/g)) {
    // A pipe or a second command ends this one's flags.
    const rest = m[2].split(/[|;]|&&/)[0];
    const flags = [...rest.matchAll(/(?<![\w-])--([a-z][a-z0-9_-]*)/g)].map((f) => f[1]);
    found.push({ command: m[1], flags, where: at(doc, m.index!) });
  }
  return found;
}

/** A row of the README's context-key table: its keys and its default column. */
export interface KeyRow {
  readonly keys: readonly string[];
  readonly defaultCell: string;
  readonly where: string;
}

/** The table under `| key | meaning | default |`, up to its last row. */
export function contextKeyTable(doc: Doc): KeyRow[] {
  const header = doc.text.indexOf('| key | meaning | default |');
  if (header < 0) throw new Error(`${doc.path}: no context-key table (| key | meaning | default |)`);
  const rows: KeyRow[] = [];
  let index = header;
  for (const line of doc.text.slice(header).split('\n').slice(2)) {
    index = doc.text.indexOf(line, index);
    if (!line.startsWith('|')) break;
    const cells = line.split(/(?<!\\)\|/).slice(1, -1);
    // The key column's own names only: a parenthesis there qualifies a key, it names none.
    const keyCell = cells[0].replace(/\([^)]*\)/g, '');
    const keys = [...keyCell.matchAll(/`([a-z][a-z0-9_]*)`/g)].map((k) => k[1]);
    rows.push({ keys, defaultCell: cells[cells.length - 1].trim(), where: at(doc, index) });
  }
  return rows;
}
