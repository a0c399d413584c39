/**
 * The line reader and the CSV reader the dataset checks stream files with: line numbers, line
 * endings, UTF-8 checked line by line, lines across the 64 KiB reads; and RFC 4180's quoted
 * fields (commas, doubled quotes, line breaks).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCsvRecords } from '../../lib/datasets/csv-records';
import { readLines } from '../../lib/datasets/line-reader';

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'line-reader-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

let n = 0;
const file = (content: string | Buffer) => {
  const path = join(work, `f${n++}`);
  writeFileSync(path, content);
  return path;
};
const lines = (content: string | Buffer) => [...readLines(file(content))];

describe('readLines', () => {
  test('numbered from 1, without their endings (LF or CRLF); a last line without one; blank lines kept', () => {
    expect(lines('a\r\nb\n\nlast')).toEqual([
      { line: 1, text: 'a', validUtf8: true },
      { line: 2, text: 'b', validUtf8: true },
      { line: 3, text: '', validUtf8: true },
      { line: 4, text: 'last', validUtf8: true },
    ]);
    expect(lines('')).toEqual([]);
    expect(lines('only\n')).toEqual([{ line: 1, text: 'only', validUtf8: true }]);
    // A carriage return alone is part of the line; only the one before the newline is its ending.
    expect(lines('a\rb\r\n\r\n')).toEqual([
      { line: 1, text: 'a\rb', validUtf8: true },
      { line: 2, text: '', validUtf8: true },
    ]);
  });

  test('a byte that is not UTF-8 marks its own line only, wherever it falls', () => {
    const bad = Buffer.concat([
      Buffer.from('good\nba'),
      Buffer.from([0xff]),
      Buffer.from('d\r\nalso good\nlast ba'),
      Buffer.from([0xc3]),
    ]);
    expect(lines(bad).map(({ line, validUtf8 }) => [line, validUtf8])).toEqual([
      [1, true],
      [2, false],
      [3, true],
      [4, false],
    ]);
    expect(lines(bad)[1].text).toBe('ba\ufffdd');
    expect(lines(bad)[2].text).toBe('also good');
    expect(lines(Buffer.from([0x61, 0x0d]))).toEqual([{ line: 1, text: 'a', validUtf8: true }]);
  });

  test('lines longer than a read, and a read ending inside a character, come out whole', () => {
    const long = 'x'.repeat(70_000); // a read is 65,536 bytes
    const llama = '🦙'.repeat(20_000); // 80,000 bytes: reads end inside a character
    expect(lines(`${long}\n${llama}\nshort\n${long}`).map((l) => [l.line, l.text.length, l.validUtf8])).toEqual([
      [1, 70_000, true],
      [2, 40_000, true],
      [3, 5, true],
      [4, 70_000, true],
    ]);
    expect(lines(`${llama}\n`)[0].text).toBe(llama);
    // Many short lines across reads: each once, in order.
    const many = Array.from({ length: 15_000 }, (_, i) => `line ${i}`); // 148,890 bytes
    const read = lines(`${many.join('\n')}\n`);
    expect(read.map((l) => l.text).join('\n')).toBe(many.join('\n'));
    expect(read.every((l, i) => l.line === i + 1 && l.validUtf8)).toBe(true);
    // A bad byte in a later read: only its line.
    const badLate = Buffer.concat([
      Buffer.from(`${many.join('\n')}\nbad `),
      Buffer.from([0xfe]),
      Buffer.from('\nok\n'),
    ]);
    const checked = lines(badLate);
    expect(checked.filter((l) => !l.validUtf8).map((l) => l.line)).toEqual([15_001]);
    expect(checked.map((l) => l.text).slice(-2)).toEqual(['bad \ufffd', 'ok']);
    expect(
      checked
        .slice(0, -2)
        .map((l) => l.text)
        .join('\n'),
    ).toBe(many.join('\n'));
  });
});

describe('readCsvRecords', () => {
  const csv = (content: string | Buffer) => {
    const result: { unterminatedAt?: number; invalidUtf8Lines?: number[] } = {};
    const records = [...readCsvRecords(file(content), result)];
    return { records, ...result };
  };

  test("RFC 4180's examples: quoted fields hold commas, doubled quotes and line breaks", () => {
    expect(csv('aaa,"b""bb","c,cc"\r\nzzz,"y\r\nyy",xxx\n,,\n')).toEqual({
      records: [
        { line: 1, fields: ['aaa', 'b"bb', 'c,cc'] },
        { line: 2, fields: ['zzz', 'y\nyy', 'xxx'] },
        { line: 4, fields: ['', '', ''] },
      ],
    });
  });

  test('a quote inside an unquoted field is a character; a field quoted and continued keeps the rest', () => {
    expect(csv('a"b,"x"y\n').records).toEqual([{ line: 1, fields: ['a"b', 'xy'] }]);
    expect(csv('""\n"",""""\n').records).toEqual([
      { line: 1, fields: [''] },
      { line: 2, fields: ['', '"'] },
    ]);
  });

  test('a quote left open is reported with the line its record starts on; non-UTF-8 lines by number', () => {
    expect(csv('ok\n"open,\nstill open\n')).toEqual({
      records: [{ line: 1, fields: ['ok'] }],
      unterminatedAt: 2,
    });
    expect(
      csv(Buffer.concat([Buffer.from('a\nb'), Buffer.from([0xff]), Buffer.from('\nc\nd'), Buffer.from([0xff])])),
    ).toEqual({
      records: [
        { line: 1, fields: ['a'] },
        { line: 2, fields: ['b\ufffd'] },
        { line: 3, fields: ['c'] },
        { line: 4, fields: ['d\ufffd'] },
      ],
      invalidUtf8Lines: [2, 4],
    });
  });
});
