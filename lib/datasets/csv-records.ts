import { readLines } from './line-reader';

/** One CSV record: its fields and the line it starts on. */
export interface CsvRecord {
  readonly line: number;
  readonly fields: string[];
}

/**
 * Streams RFC 4180 CSV records: quoted fields may hold commas, doubled quotes
 * and line breaks. A quote left open at the end is reported by `unterminatedAt`,
 * lines that are not UTF-8 by `invalidUtf8Lines`.
 */
export function* readCsvRecords(
  path: string,
  result: { unterminatedAt?: number; invalidUtf8Lines?: number[] } = {},
): Generator<CsvRecord> {
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let startLine = 0;
  for (const { line, text, validUtf8 } of readLines(path)) {
    if (!validUtf8) (result.invalidUtf8Lines ??= []).push(line);
    if (!quoted) {
      startLine = line;
      fields = [];
      field = '';
    } else {
      field += '\n';
    }
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (quoted) {
        if (c === '"' && text[i + 1] === '"') {
          field += '"';
          i++;
        } else if (c === '"') quoted = false;
        else field += c;
      } else if (c === '"' && field === '') quoted = true;
      else if (c === ',') {
        fields.push(field);
        field = '';
      } else field += c;
    }
    if (!quoted) {
      fields.push(field);
      yield { line: startLine, fields };
    }
  }
  if (quoted) result.unterminatedAt = startLine;
}
