import { mkdirSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatasetFormat, DatasetValidator } from '../../lib/datasets/dataset-validator';
import { freshModules } from '../support/fresh-modules';

const FIXTURES = join(__dirname, '..', 'fixtures', 'broken-datasets');
const EXAMPLES = join(__dirname, '..', '..', 'examples', 'datasets');

// Loaded afresh for each test, so its tables (extensions, roles, the default template) are
// judged by the tests that use them, not by whichever file loaded the module first.
let validator: typeof DatasetValidator;
beforeEach(() => {
  validator = freshModules(() => require('../../lib/datasets/dataset-validator')).DatasetValidator;
});

function validate(dir: string, format: DatasetFormat, extra = {}) {
  const report = validator.validateDirectory(dir, { format, ...extra });
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
    const { report } = validate(dir, format);
    // Each error expected, and no other: a check that also refused what is fine would fail here.
    const errors = report.problems.filter((p) => p.severity === 'error').map(DatasetValidator.formatProblem);
    expect(errors).toHaveLength((expected as string[]).length);
    for (const message of expected as string[]) {
      expect(errors.some((line) => line.includes(message))).toBe(true);
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
    expect(report.warningCount).toBe(1);
    expect(lines[0]).toMatch(
      /warning: the longest sample is about \d+ tokens, but max_input_length is 2048: .* The walkthrough suggests 200-400/,
    );
    expect(validate(dir, DatasetFormat.INSTRUCTION, { maxInputLength: 400 }).report.warningCount).toBe(0);
  });

  test('a missing directory is an error, not a crash', () => {
    const absent = join(dataset({}), 'no-such-dir');
    expect(validate(absent, DatasetFormat.CHAT).lines).toEqual([`${absent}: error: is not a readable directory.`]);
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
      'template.json: error: "prompt" has a single "}" at character 12. Fix: write a literal brace as "{{" or "}}".',
    ]);
  });
});

/** One JSON Lines record per argument. */
const jsonl = (...records: unknown[]) => records.map((r) => `${JSON.stringify(r)}\n`).join('');
const chatTurn = (role: string, content: unknown) => ({ role, content });

describe('what the report counts', () => {
  test('files, bytes, samples and the longest sample in tokens of four characters', () => {
    // Three lines, 27 bytes; the one of only spaces is no sample: 8 and 13 characters, the longer 4 tokens.
    const { report } = validate(
      dataset({ 'a.txt': 'abcdefgh\n   \nthirteen char\n' }),
      DatasetFormat.DOMAIN_ADAPTATION,
    );
    expect(report).toMatchObject({ files: 1, bytes: 27, records: 2, longestSampleTokens: 4, errorCount: 0 });
  });

  test("an instruction sample's length is the template filled in: literal text plus each field as often as used", () => {
    const template = JSON.stringify({ prompt: '{q}{q}|', completion: '{a}' });
    const { report } = validate(
      dataset({ 'template.json': template, 'a.jsonl': jsonl({ q: 'x'.repeat(40), a: 'y'.repeat(20) }) }),
      DatasetFormat.INSTRUCTION,
      { maxInputLength: 200 },
    );
    // 40 + 40 + "|" + 20 = 101 characters: 26 tokens.
    expect(report.longestSampleTokens).toBe(26);
  });

  test("a dialog's length is its turns' content, one separator between turns", () => {
    const dialog = [chatTurn('user', 'u'.repeat(40)), chatTurn('assistant', 'a'.repeat(39))];
    const { report } = validate(dataset({ 'c.jsonl': jsonl({ dialog }) }), DatasetFormat.CHAT, {
      maxInputLength: 200,
    });
    // 40 + 39 + 1 = 80 characters: 20 tokens.
    expect(report.longestSampleTokens).toBe(20);
  });

  test('problems come file by file in name order', () => {
    const { lines } = validate(
      dataset({ 'm.jsonl': '[]\n', 'a.jsonl': '[]\n', 'z.jsonl': '[]\n' }),
      DatasetFormat.INSTRUCTION,
    );
    expect(lines.map((line) => line.split(':')[0])).toEqual(['a.jsonl', 'm.jsonl', 'z.jsonl']);
  });
});

describe('the short-sample warning, at its edges', () => {
  const withSample = (characters: number, maxInputLength: number) =>
    validate(
      dataset({ 'a.jsonl': jsonl({ instruction: 'i'.repeat(characters), context: '', response: '' }) }),
      DatasetFormat.INSTRUCTION,
      {
        templateFile: join(
          dataset({ 't.json': JSON.stringify({ prompt: '{instruction}', completion: '{response}' }) }),
          't.json',
        ),
        maxInputLength,
      },
    );

  test('a sample of 400 tokens is not short; one of 399 is', () => {
    expect(withSample(1600, 1024).report.warningCount).toBe(0);
    expect(withSample(1596, 1024).report.warningCount).toBe(1);
  });

  test('max_input_length at twice the longest sample is not far above it', () => {
    expect(withSample(1000, 500).report.warningCount).toBe(0);
    expect(withSample(1000, 501).report.warningCount).toBe(1);
  });

  test('the length it suggests: twice the longest sample, within the walkthrough’s 200-400', () => {
    const suggested = (characters: number) =>
      withSample(characters, 2048).lines[0].match(/\(max_input_length (\d+)\)/)![1];
    expect(suggested(40)).toBe('200');
    expect(suggested(600)).toBe('300');
    expect(suggested(1200)).toBe('400');
  });
});

describe('domain adaptation corners', () => {
  test('a link to nothing is reported, not thrown, and the directory then holds no file', () => {
    const dir = dataset({});
    symlinkSync(join(dir, 'missing.txt'), join(dir, 'filings.txt'));
    expect(validate(dir, DatasetFormat.DOMAIN_ADAPTATION).lines).toEqual([
      'filings.txt: error: is a link to nothing: its target does not exist. Fix: restore the target, or remove the link.',
      `${dir}: error: holds no file; domain adaptation needs exactly one CSV, JSON or TXT file.`,
    ]);
  });

  test('an entry that cannot be read (a loop of links) is reported with its error code', () => {
    const dir = dataset({ 'b.txt': 'text' });
    symlinkSync(join(dir, 'a.txt'), join(dir, 'a.txt'));
    expect(validate(dir, DatasetFormat.DOMAIN_ADAPTATION).lines).toEqual([
      'a.txt: error: cannot be read (ELOOP). Fix: make it readable (e.g. chmod a+r), or remove it.',
    ]);
  });

  test('CSV: a blank line is skipped; text of only spaces is empty, named by its column', () => {
    expect(
      validate(dataset({ 'd.csv': 'text\nfirst row\n\nsecond row\n' }), DatasetFormat.DOMAIN_ADAPTATION).report,
    ).toMatchObject({ records: 2, errorCount: 0 });
    expect(validate(dataset({ 'd.csv': 'body\n   \nfine\n' }), DatasetFormat.DOMAIN_ADAPTATION).lines).toEqual([
      'd.csv:2: error: has empty text in column 1.',
    ]);
    expect(validate(dataset({ 'd.csv': 'id,text\n1,  \n2,fine\n' }), DatasetFormat.DOMAIN_ADAPTATION).lines).toEqual([
      'd.csv:2: error: has empty text in column "text".',
    ]);
  });

  test('JSON: an element that is not an object, text of only spaces, null', () => {
    expect(validate(dataset({ 'd.json': '[1, {"text": "a"}]' }), DatasetFormat.DOMAIN_ADAPTATION).lines).toEqual([
      'd.json: error: is not a JSON object.',
    ]);
    expect(validate(dataset({ 'd.json': '{"text": "  "}\n' }), DatasetFormat.DOMAIN_ADAPTATION).lines).toEqual([
      'd.json:1: error: has no text: "text" is "  ".',
    ]);
    expect(validate(dataset({ 'd.json': '{"text": 5}\n' }), DatasetFormat.DOMAIN_ADAPTATION).lines).toEqual([
      'd.json:1: error: has no text: "text" is 5.',
    ]);
    expect(validate(dataset({ 'd.json': '{"text": "a"}\nnull\n' }), DatasetFormat.DOMAIN_ADAPTATION).lines).toEqual([
      'd.json:2: error: is object, not a JSON object.',
    ]);
  });

  test('JSON: one pretty-printed object is one record; JSON Lines may start with blank lines', () => {
    const single = validate(
      dataset({ 'd.json': '{\n  "text": "Net sales grew."\n}\n' }),
      DatasetFormat.DOMAIN_ADAPTATION,
    );
    expect(single.report).toMatchObject({ records: 1, errorCount: 0 });
    const lines = validate(
      dataset({ 'd.json': '\n  \n{"text": "a"}\n{"text": "b"}\n' }),
      DatasetFormat.DOMAIN_ADAPTATION,
    );
    expect(lines.report).toMatchObject({ records: 2, errorCount: 0 });
  });

  test('JSON: a broken document is not valid JSON; one of only blank lines is empty', () => {
    expect(validate(dataset({ 'd.json': '{\n  "text": \n' }), DatasetFormat.DOMAIN_ADAPTATION).lines).toEqual([
      expect.stringMatching(/^d\.json: error: is not valid JSON: /),
    ]);
    expect(validate(dataset({ 'd.json': '\n \n\n' }), DatasetFormat.DOMAIN_ADAPTATION).lines).toEqual([
      'd.json: error: is empty.',
    ]);
  });

  test('JSON: a document parsed whole may be 64 MiB, not more', () => {
    const document = (bytes: number) => {
      const dir = dataset({ 'd.json': '[\n' });
      truncateSync(join(dir, 'd.json'), bytes); // the rest is NUL bytes: not JSON, but never read past the limit
      return validate(dir, DatasetFormat.DOMAIN_ADAPTATION).lines;
    };
    expect(document(64 * 1024 * 1024 + 1)).toEqual([
      'd.json:1: error: is a JSON document over 64 MiB; write it as JSON Lines (one object per line) instead.',
    ]);
    expect(document(64 * 1024 * 1024)).toEqual([expect.stringMatching(/^d\.json: error: is not valid JSON: /)]);
  });

  test('a format that is not one of the three is refused, naming those that are', () => {
    expect(validate(dataset({ 'a.txt': 'x' }), 'xml' as DatasetFormat).lines.at(-1)).toMatch(
      /: error: format "xml" is not known; allowed: domain-adaptation, instruction, chat\.$/,
    );
  });
});

describe('JSON Lines corners', () => {
  test('a file of only blank lines is empty; one whose only line is not UTF-8 is that, not also empty', () => {
    expect(validate(dataset({ 'a.jsonl': '\n  \n' }), DatasetFormat.INSTRUCTION).lines).toEqual([
      'a.jsonl: error: is empty.',
    ]);
    const dir = dataset({});
    writeFileSync(join(dir, 'a.jsonl'), Buffer.from([0x7b, 0xe9, 0x7d, 0x0a]));
    expect(validate(dir, DatasetFormat.INSTRUCTION).lines).toEqual([
      expect.stringMatching(/^a\.jsonl:1: error: is not valid UTF-8/),
    ]);
  });

  test('an upper-case .JSONL is told to rename, as a .json is', () => {
    expect(validate(dataset({ 'a.JSONL': jsonl({}) }), DatasetFormat.CHAT).lines[0]).toMatch(
      /^a\.JSONL: error: must end in \.jsonl: .* Fix: rename it to a\.jsonl\.$/,
    );
  });
});

describe('instruction templates', () => {
  const withTemplate = (template: unknown) =>
    validate(
      dataset({ 'template.json': JSON.stringify(template), 'a.jsonl': jsonl({ q: 'q', a: 'a' }) }),
      DatasetFormat.INSTRUCTION,
      { maxInputLength: 200 },
    ).lines;

  test('a template that is not an object, or whose parts are not strings, is refused', () => {
    expect(withTemplate(['{q}', '{a}'])).toEqual([
      'template.json: error: must be a JSON object with exactly the keys "prompt" and "completion".',
    ]);
    expect(withTemplate({ prompt: '{q}', completion: 5 })).toEqual([
      'template.json: error: "prompt" and "completion" must be strings.',
    ]);
    expect(withTemplate({ prompt: ['{q}'], completion: '{a}' })).toEqual([
      'template.json: error: "prompt" and "completion" must be strings.',
    ]);
  });

  test('a placeholder must be a field name: attribute access and leading dots are refused', () => {
    for (const placeholder of ['{q.name}', '{.q}', '{0q}']) {
      expect(withTemplate({ prompt: placeholder, completion: '{a}' })).toEqual([
        expect.stringContaining(`"prompt" has the placeholder "${placeholder}"`),
      ]);
    }
  });

  test('a doubled closing brace just before a placeholder is literal text', () => {
    expect(withTemplate({ prompt: 'JSON }}{q}', completion: '{a}' })).toEqual([]);
  });
});

describe('chat corners', () => {
  const chat = (files: Record<string, string>) =>
    validate(dataset(files), DatasetFormat.CHAT, { maxInputLength: 200 }).lines;

  test('a template.json is no part of a chat dataset, and is not told to become JSON Lines', () => {
    expect(
      chat({
        'template.json': '{}',
        'c.jsonl': jsonl({ dialog: [chatTurn('user', 'u'), chatTurn('assistant', 'a')] }),
      }),
    ).toEqual([
      'template.json: error: is an instruction-tuning template, which chat data does not use. Fix: remove it.',
    ]);
  });

  test('an empty dialog, a turn that is not an object, content that is not text', () => {
    expect(chat({ 'c.jsonl': jsonl({ dialog: [] }, { dialog: ['hi'] }, { dialog: [chatTurn('user', 5)] }) })).toEqual([
      'c.jsonl:1: error: needs "dialog": a non-empty list of {"role", "content"} turns.',
      'c.jsonl:2: error: dialog turn 1 must be {"role": "system"|"user"|"assistant", "content": "<text>"}.',
      'c.jsonl:3: error: dialog turn 1 must be {"role": "system"|"user"|"assistant", "content": "<text>"}.',
    ]);
  });

  test('turns are counted from the first, the system turn included; a system turn alone has no answer', () => {
    expect(
      chat({
        'c.jsonl': jsonl(
          { dialog: [chatTurn('system', 's'), chatTurn('assistant', 'a')] },
          { dialog: [chatTurn('system', 's')] },
        ),
      }),
    ).toEqual([
      expect.stringMatching(/^c\.jsonl:1: error: dialog turn 2 is "assistant" where "user" is due/),
      'c.jsonl:2: error: the dialog must end with an assistant turn, the answer to learn.',
    ]);
  });
});
