import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatasetFormat, DatasetValidator } from '../../lib/datasets/dataset-validator';

const FIXTURES = join(__dirname, '..', 'fixtures', 'broken-datasets');
const EXAMPLES = join(__dirname, '..', '..', 'examples', 'datasets');

function validate(dir: string, format: DatasetFormat, extra = {}) {
  const report = DatasetValidator.validateDirectory(dir, { format, ...extra });
  return { report, lines: report.problems.map(DatasetValidator.formatProblem) };
}

function dataset(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'dataset-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

describe('the corpus of broken datasets', () => {
  const cases = readdirSync(FIXTURES).sort();

  test('holds at least 20 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
  });

  test.each(cases)('%s is refused with the right file:line message', (name) => {
    const { format, expect: expected } = JSON.parse(readFileSync(join(FIXTURES, name, 'case.json'), 'utf8'));
    const dir = join(FIXTURES, name, 'data');
    mkdirSync(dir, { recursive: true }); // git keeps no empty directory
    const { report, lines } = validate(dir, format);
    expect(report.errorCount).toBeGreaterThan(0);
    for (const message of expected as string[]) {
      expect(lines.some((line) => line.includes(message))).toBe(true);
    }
  });
});

describe('the example datasets', () => {
  test.each(['dolly-qa', 'dialogsum'])('%s passes as instruction data', (name) => {
    const { report } = validate(join(EXAMPLES, name, 'train'), DatasetFormat.INSTRUCTION, { maxInputLength: 256 });
    expect(report.problems).toEqual([]);
    expect(report.records).toBeGreaterThanOrEqual(8);
  });
});

describe('formats that pass', () => {
  test('domain adaptation: TXT, CSV with a text column and quoted line breaks, JSON Lines and a JSON array', () => {
    expect(
      validate(dataset({ 'filings.txt': 'Net sales increased 9%.\n' }), DatasetFormat.DOMAIN_ADAPTATION).report
        .errorCount,
    ).toBe(0);
    const csv = validate(
      dataset({ 'd.csv': 'id,text\n1,"Revenue grew, again.\nA second line, ""quoted""."\n2,Costs fell.\n' }),
      DatasetFormat.DOMAIN_ADAPTATION,
    );
    expect(csv.lines).toEqual([]);
    expect(csv.report.records).toBe(2);
    expect(
      validate(dataset({ 'd.json': '{"text": "a"}\n{"body": "b"}\n' }), DatasetFormat.DOMAIN_ADAPTATION).report
        .errorCount,
    ).toBe(0);
    expect(
      validate(dataset({ 'd.json': '[{"text": "a"}, {"text": ""}]' }), DatasetFormat.DOMAIN_ADAPTATION).lines,
    ).toEqual(['d.json: error: has no text: "text" is "".']);
  });

  test('CSV without a text column reads the first column', () => {
    const { lines } = validate(dataset({ 'd.csv': 'body,id\n,1\nhello,2\n' }), DatasetFormat.DOMAIN_ADAPTATION);
    expect(lines).toEqual(['d.csv:2: error: has empty text in column "first".']);
  });

  test("instruction data with JumpStart's default template needs instruction, context and response", () => {
    const { report } = validate(
      dataset({ 'a.jsonl': '{"instruction": "i", "context": "c", "response": "r"}\n' }),
      DatasetFormat.INSTRUCTION,
      { maxInputLength: 200 },
    );
    expect(report.problems).toEqual([]);
  });

  test("a template given on the command line wins over the directory's", () => {
    const template = join(dataset({ 't.json': JSON.stringify({ prompt: '{q}', completion: '{a}' }) }), 't.json');
    const { report } = validate(dataset({ 'a.jsonl': '{"q": "1", "a": "2"}\n' }), DatasetFormat.INSTRUCTION, {
      templateFile: template,
      maxInputLength: 200,
    });
    expect(report.errorCount).toBe(0);
  });

  test('chat: dialogs with an optional system turn that alternate and end with the assistant', () => {
    const line = JSON.stringify({
      dialog: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello.' },
      ],
    });
    expect(
      validate(dataset({ 'c.jsonl': `${line}\n` }), DatasetFormat.CHAT, { maxInputLength: 200 }).report.problems,
    ).toEqual([]);
  });
});

describe('corners a user hits', () => {
  test('a multi-turn dialog passes; a turn out of order, or a dialog ending on the user, names the turn', () => {
    const turn = (role: string, content: string) => ({ role, content });
    const good = [
      turn('system', 'Be brief.'),
      turn('user', 'Hi'),
      turn('assistant', 'Hello.'),
      turn('user', 'And the weather?'),
      turn('assistant', 'Sunny.'),
    ];
    const lines = [good, [...good, turn('user', 'Thanks')], [good[1], good[2], good[2], good[4]]]
      .map((dialog) => JSON.stringify({ dialog }))
      .join('\n');
    const { report, lines: problems } = validate(dataset({ 'c.jsonl': `${lines}\n` }), DatasetFormat.CHAT, {
      maxInputLength: 200,
    });
    expect(report.records).toBe(1);
    expect(problems).toEqual([
      'c.jsonl:2: error: the dialog must end with an assistant turn, the answer to learn.',
      'c.jsonl:3: error: dialog turn 3 is "assistant" where "user" is due; turns alternate user, assistant, ... after an optional first system turn.',
    ]);
  });

  test('a pretty-printed JSON document of records is one document, not one record a line', () => {
    const records = [{ text: 'Net sales grew.' }, { text: 'Costs fell.' }, { text: 'Margins held.' }];
    const { report } = validate(
      dataset({ 'd.json': JSON.stringify(records, undefined, 2) }),
      DatasetFormat.DOMAIN_ADAPTATION,
    );
    expect(report.errorCount).toBe(0);
    expect(report.records).toBe(3);
  });

  test('blank lines and CRLF endings in JSON Lines are skipped, the others counted with their line numbers', () => {
    const record = '{"instruction": "i", "context": "c", "response": "r"}';
    const { report, lines } = validate(
      dataset({ 'a.jsonl': `${record}\r\n\r\n   \n${record}\r\n{"instruction": "i"}\n\n` }),
      DatasetFormat.INSTRUCTION,
      { maxInputLength: 200 },
    );
    expect(report.records).toBe(2);
    expect(lines).toEqual([expect.stringMatching(/^a.jsonl:5: error: lacks "context", "response"/)]);
  });

  test('a sample longer than the chunk the reader reads is read whole, its length counted', () => {
    const long = 'x'.repeat(300_000);
    const { report, lines } = validate(
      dataset({ 'a.jsonl': `${JSON.stringify({ instruction: long, context: '', response: 'r' })}\n` }),
      DatasetFormat.INSTRUCTION,
      { maxInputLength: 200 },
    );
    expect(lines).toEqual([]);
    // Four characters a token: the sample's instruction alone is 75000 tokens.
    expect(report.longestSampleTokens).toBeGreaterThan(75_000);
    expect(report.longestSampleTokens).toBeLessThan(75_100);
  });
});

describe('reporting', () => {
  test('every problem is found, up to the limit, and the rest counted', () => {
    const lines = Array.from({ length: 30 }, () => '{"instruction": "i"}').join('\n');
    const { report } = validate(dataset({ 'a.jsonl': lines }), DatasetFormat.INSTRUCTION, { maxProblems: 10 });
    expect(report.errorCount).toBe(30);
    expect(report.problems).toHaveLength(10);
    expect(report.unlistedProblems).toBe(20);
  });

  test("warns when max_input_length is far above the samples' length, as the walkthrough advises", () => {
    const dir = dataset({ 'a.jsonl': '{"instruction": "Name a color.", "context": "", "response": "Blue."}\n' });
    const { report, lines } = validate(dir, DatasetFormat.INSTRUCTION, { maxInputLength: 2048 });
    expect(report.errorCount).toBe(0);
    expect(lines[0]).toMatch(
      /warning: the longest sample is about \d+ tokens, but max_input_length is 2048: .* The walkthrough suggests 200-400/,
    );
    expect(validate(dir, DatasetFormat.INSTRUCTION, { maxInputLength: 400 }).report.warningCount).toBe(0);
  });

  test('a missing directory is an error, not a crash', () => {
    expect(validate('/no/such/dir', DatasetFormat.CHAT).lines).toEqual([
      '/no/such/dir: error: is not a readable directory.',
    ]);
  });
});

describe('template placeholders as str.format reads them', () => {
  test('doubled braces are literal text, not fields the records must have', () => {
    const dir = dataset({
      'template.json': JSON.stringify({
        prompt: 'Answer as JSON {{"answer": ...}}: {question}\n',
        completion: ' {answer}',
      }),
      'train.jsonl': `${JSON.stringify({ question: 'q', answer: 'a' })}\n`,
    });
    expect(validate(dir, DatasetFormat.INSTRUCTION).report.errorCount).toBe(0);
  });

  test('a single closing brace is refused with where it is', () => {
    const dir = dataset({
      'template.json': JSON.stringify({ prompt: '{question} }', completion: ' {answer}' }),
      'train.jsonl': `${JSON.stringify({ question: 'q', answer: 'a' })}\n`,
    });
    expect(validate(dir, DatasetFormat.INSTRUCTION).lines).toEqual([
      'template.json: error: "prompt" has a single "}" at character 12. Fix: Write a literal brace as "{{" or "}}".',
    ]);
  });
});
