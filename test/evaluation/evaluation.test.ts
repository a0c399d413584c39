/**
 * Llama3Evaluation as code calls it: stand-in endpoints (any IPromptAnswerer), the report's
 * means and difference, the table, JSON and HTML, and the samples read from held-out files.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { invocationError } from '../../lib/client/invocation-error';
import { EvaluationReport, IPromptAnswerer, evaluateEndpoints } from '../../lib/evaluation/endpoint-evaluation';
import { htmlReport, jsonReport, scoreTable } from '../../lib/evaluation/evaluation-report';
import { SampleError, isSampleError, readEvaluationSamples } from '../../lib/evaluation/evaluation-samples';
import { Llama3Evaluation, RougeScorer } from '../../lib/evaluation/llama3-evaluation';
import { rougeScores } from '../../lib/evaluation/rouge';

const sample = (n: number) => ({ prompt: `prompt ${n}`, reference: `the answer to question ${n}` });

/** Answers from a table of prompt to answer (or error to throw); counts and records each call. */
function answerer(answers: Record<string, string | Error | (() => string | Error)>) {
  const calls: { prompt: string; parameters: unknown }[] = [];
  const endpoint: IPromptAnswerer = {
    generate: async (prompt, parameters) => {
      calls.push({ prompt, parameters });
      const entry = answers[prompt];
      const value = typeof entry === 'function' ? entry() : entry;
      if (value instanceof Error) throw value;
      if (value === undefined) throw new Error(`no answer for ${prompt}`);
      return value;
    },
  };
  return { endpoint, calls };
}

describe('evaluating endpoints', () => {
  // Fake timers: a change that retried every failure, with real 0.4 s to 3.2 s waits, would take seconds to fail.
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());
  /** The evaluation's outcome, every timer it sets run at once. */
  const settle = async <T>(run: Promise<T>): Promise<T> => {
    await jest.runAllTimersAsync();
    return run;
  };

  test('means over the samples each endpoint answered; the difference over those both answered', async () => {
    const samples = [sample(1), sample(2), sample(3)];
    // Fine-tuned: exact on 1 and 2, fails 3. Base: exact on 1, nothing in common on 2, half of 3.
    const tuned = answerer({
      'prompt 1': 'the answer to question 1',
      'prompt 2': 'the answer to question 2',
      'prompt 3': new Error('CUDA out of memory'),
    });
    const base = answerer({
      'prompt 1': 'the answer to question 1',
      'prompt 2': 'no idea',
      'prompt 3': 'question 3',
    });
    const report = await settle(evaluateEndpoints(samples, tuned.endpoint, base.endpoint));
    const half = rougeScores('the answer to question 3', 'question 3');
    expect(report.samples).toBe(3);
    expect(report.finetuned).toEqual({ rouge1: 1, rouge2: 1, rougeL: 1, answered: 2 });
    for (const m of ['rouge1', 'rouge2', 'rougeL'] as const) {
      expect(report.baseline![m]).toBeCloseTo((1 + 0 + half[m]) / 3, 12);
      // Samples 1 and 2 only: (1 + 1) / 2 - (1 + 0) / 2.
      expect(report.difference![m]).toBeCloseTo(0.5, 12);
    }
    expect(report.baseline!.answered).toBe(3);
    expect(report.difference!.answered).toBe(2);
    expect(report.records.map((r) => r.prompt)).toEqual(['prompt 1', 'prompt 2', 'prompt 3']);
    expect(report.records[2]).toEqual({
      ...samples[2],
      finetuned: { failure: 'CUDA out of memory' },
      baseline: { answer: 'question 3', scores: half },
    });
    expect(report.records[1].baseline).toEqual({ answer: 'no idea', scores: { rouge1: 0, rouge2: 0, rougeL: 0 } });
  });

  test('without a baseline: no baseline, no difference; an endpoint that answers nothing means 0 of 0', async () => {
    const down = answerer({});
    const report = await settle(evaluateEndpoints([sample(1), sample(2)], down.endpoint, undefined));
    expect(report).toEqual({
      samples: 2,
      finetuned: { rouge1: 0, rouge2: 0, rougeL: 0, answered: 0 },
      records: [
        { ...sample(1), finetuned: { failure: 'no answer for prompt 1' } },
        { ...sample(2), finetuned: { failure: 'no answer for prompt 2' } },
      ],
    });
    expect(down.calls).toHaveLength(2);
  });

  test('every endpoint gets the same parameters: max_new_tokens 256 by default, else the ones given', async () => {
    const tuned = answerer({ 'prompt 1': 'a' });
    const base = answerer({ 'prompt 1': 'b' });
    await settle(evaluateEndpoints([sample(1)], tuned.endpoint, base.endpoint));
    expect([...tuned.calls, ...base.calls]).toEqual([
      { prompt: 'prompt 1', parameters: { maxNewTokens: 256 } },
      { prompt: 'prompt 1', parameters: { maxNewTokens: 256 } },
    ]);
    const given = answerer({ 'prompt 1': 'a' });
    await settle(
      evaluateEndpoints([sample(1)], given.endpoint, undefined, {
        parameters: { maxNewTokens: 8, temperature: 0.2 },
      }),
    );
    expect(given.calls[0].parameters).toEqual({ maxNewTokens: 8, temperature: 0.2 });
  });

  test('requests run 4 at a time by default, or as many as asked, and each finished sample is told', async () => {
    const inFlight = async (samples: number, concurrency?: number) => {
      let now = 0;
      let most = 0;
      const told: string[] = [];
      const endpoint: IPromptAnswerer = {
        generate: async () => {
          most = Math.max(most, ++now);
          await new Promise((r) => setTimeout(r, 5));
          now--;
          return 'x';
        },
      };
      const report = await settle(
        evaluateEndpoints(
          Array.from({ length: samples }, (_, i) => sample(i)),
          endpoint,
          undefined,
          {
            concurrency,
            progress: { sampleDone: (done, total) => told.push(`${done}/${total}`) },
          },
        ),
      );
      expect(report.records).toHaveLength(samples);
      expect(report.records.every((r, i) => r.prompt === `prompt ${i}`)).toBe(true);
      return { most, told };
    };
    expect((await inFlight(10)).most).toBe(4);
    const two = await inFlight(5, 2);
    expect(two.most).toBe(2);
    expect(two.told).toEqual(['1/5', '2/5', '3/5', '4/5', '5/5']);
    // More workers than samples: one per sample. A concurrency below 1 still runs one at a time.
    expect((await inFlight(3, 8)).most).toBe(3);
    expect((await inFlight(3, 0)).most).toBe(1);
    expect(await inFlight(0)).toEqual({ most: 0, told: [] });
  });

  describe('throttling', () => {
    const throttled = () => invocationError('Rate exceeded', 'ThrottlingException');

    test('is retried with doubling waits (0.4 s, 0.8 s, ...), and the answer scored', async () => {
      let calls = 0;
      const endpoint = answerer({ 'prompt 1': () => (++calls <= 2 ? throttled() : 'the answer to question 1') });
      const run = evaluateEndpoints([sample(1)], endpoint.endpoint, undefined);
      await jest.advanceTimersByTimeAsync(399);
      expect(calls).toBe(1);
      await jest.advanceTimersByTimeAsync(1);
      expect(calls).toBe(2);
      await jest.advanceTimersByTimeAsync(799);
      expect(calls).toBe(2);
      await jest.advanceTimersByTimeAsync(1);
      expect(calls).toBe(3);
      expect((await settle(run)).finetuned).toEqual({ rouge1: 1, rouge2: 1, rougeL: 1, answered: 1 });
    });

    test('five times at most, then it is that sample’s failure', async () => {
      const endpoint = answerer({ 'prompt 1': throttled });
      const run = evaluateEndpoints([sample(1)], endpoint.endpoint, undefined);
      await jest.runAllTimersAsync();
      const report = await run;
      expect(endpoint.calls).toHaveLength(5);
      expect(report.records[0].finetuned).toEqual({ failure: 'Rate exceeded' });
    });

    test('any other error, named or not, is not retried', async () => {
      const named = answerer({ 'prompt 1': invocationError('The model failed', 'ModelError') });
      const plain = answerer({ 'prompt 1': new Error('socket hang up') });
      // A plain Error whose name is ThrottlingException is not the client's throttling error.
      const lookalike = answerer({
        'prompt 1': Object.assign(new Error('slow down'), { errorName: 'ThrottlingException' }),
      });
      for (const { endpoint, calls } of [named, plain, lookalike]) {
        const report = await settle(evaluateEndpoints([sample(1)], endpoint, undefined));
        expect(calls).toHaveLength(1);
        expect(report.records[0].finetuned.failure).toBeDefined();
      }
    });
  });
});

describe('the report', () => {
  const report = (over: Partial<EvaluationReport> = {}): EvaluationReport => ({
    samples: 50,
    finetuned: { rouge1: 0.421, rouge2: 0.1873, rougeL: 0.3391, answered: 50 },
    baseline: { rouge1: 0.2954, rouge2: 0.0912, rougeL: 0.2207, answered: 50 },
    difference: { rouge1: 0.1256, rouge2: 0.0961, rougeL: 0.1184, answered: 50 },
    records: [],
    ...over,
  });

  test("the table is the README's example", () => {
    expect(scoreTable(report())).toBe(
      [
        '               rouge1   rouge2   rougeL   answered',
        'fine-tuned     0.4210   0.1873   0.3391   50/50',
        'base           0.2954   0.0912   0.2207   50/50',
        'difference    +0.1256  +0.0961  +0.1184   over the 50 both answered',
        '',
      ].join('\n'),
    );
  });

  test('a base model that did better shows a minus; equal shows +0; without a baseline, one row', () => {
    const worse = scoreTable(report({ difference: { rouge1: -0.25, rouge2: 0, rougeL: 0.00001, answered: 48 } }));
    expect(worse).toContain('difference    -0.2500  +0.0000  +0.0000   over the 48 both answered\n');
    // A report built by hand with a difference but no baseline: no base row, and no difference without one.
    expect(scoreTable(report({ baseline: undefined }))).toBe(
      scoreTable(report({ baseline: undefined, difference: undefined })),
    );
    const alone = scoreTable(report({ baseline: undefined, difference: undefined }));
    expect(alone).toBe(
      '               rouge1   rouge2   rougeL   answered\nfine-tuned     0.4210   0.1873   0.3391   50/50\n',
    );
  });

  const records: EvaluationReport['records'] = [
    {
      prompt: 'Is 1 < 2 & "x"?',
      reference: "yes, it's",
      finetuned: { answer: 'yes', scores: { rouge1: 0.5, rouge2: 0, rougeL: 0.5 } },
      baseline: { failure: 'throttled <again>' },
    },
  ];

  test('the JSON report: means, the difference with its sample count, each record with answers, scores, errors', () => {
    const json = JSON.parse(jsonReport(report({ records })));
    expect(json).toEqual({
      samples: 50,
      finetuned: { rouge1: 0.421, rouge2: 0.1873, rougeL: 0.3391 },
      baseline: { rouge1: 0.2954, rouge2: 0.0912, rougeL: 0.2207 },
      difference: { rouge1: 0.1256, rouge2: 0.0961, rougeL: 0.1184, samples: 50 },
      records: [
        {
          prompt: 'Is 1 < 2 & "x"?',
          reference: "yes, it's",
          answers: { finetuned: 'yes', baseline: null },
          scores: { finetuned: { rouge1: 0.5, rouge2: 0, rougeL: 0.5 }, baseline: null },
          errors: { finetuned: undefined, baseline: 'throttled <again>' },
        },
      ],
    });
    const alone = JSON.parse(
      jsonReport(
        report({
          baseline: undefined,
          difference: undefined,
          records: [
            { prompt: 'p', reference: 'r', finetuned: { answer: 'r', scores: { rouge1: 1, rouge2: 0, rougeL: 1 } } },
          ],
        }),
      ),
    );
    expect(alone).toEqual({
      samples: 50,
      finetuned: { rouge1: 0.421, rouge2: 0.1873, rougeL: 0.3391 },
      records: [
        {
          prompt: 'p',
          reference: 'r',
          answers: { finetuned: 'r' },
          scores: { finetuned: { rouge1: 1, rouge2: 0, rougeL: 1 } },
        },
      ],
    });
    const failed = JSON.parse(
      jsonReport(
        report({
          baseline: undefined,
          difference: undefined,
          records: [{ prompt: 'p', reference: 'r', finetuned: { failure: 'down' } }],
        }),
      ),
    );
    expect(failed.records[0]).toEqual({
      prompt: 'p',
      reference: 'r',
      answers: { finetuned: null },
      scores: { finetuned: null },
      errors: { finetuned: 'down' },
    });
  });

  test('the HTML page: a bar per endpoint and metric, scaled to 200 px; every text escaped; the base column only with a baseline', () => {
    const page = htmlReport(report({ records }));
    expect(page).toContain('<h1>ROUGE F1 on 50 held-out samples</h1>');
    // Six bars: fine-tuned and base for each metric, as tall as the score times 200.
    const bars = [
      ...page.matchAll(/<rect x="(\d+)" y="(\d+)" width="32" height="(\d+)" fill="([^"]+)"><title>([^<]+)<\/title>/g),
    ];
    expect(bars.map((b) => [b[5], Number(b[3]), b[4]])).toEqual([
      ['fine-tuned rouge1 0.4210', 84, '#2b6cb0'],
      ['base rouge1 0.2954', 59, '#a0aec0'],
      ['fine-tuned rouge2 0.1873', 37, '#2b6cb0'],
      ['base rouge2 0.0912', 18, '#a0aec0'],
      ['fine-tuned rougeL 0.3391', 68, '#2b6cb0'],
      ['base rougeL 0.2207', 44, '#a0aec0'],
    ]);
    // Standing on one baseline (y + height = 220), side by side, the metrics apart.
    expect(bars.every((b) => Number(b[2]) + Number(b[3]) === 220)).toBe(true);
    expect(bars.map((b) => Number(b[1]))).toEqual([40, 76, 152, 188, 264, 300]);
    // Each bar's value stands centred over it, 5 px above; each metric's name centred under its pair of bars.
    const values = [
      ...page.matchAll(/<text x="(\d+)" y="(\d+)" font-size="11" text-anchor="middle">([\d.]+)<\/text>/g),
    ];
    expect(values.map((v) => v[3])).toEqual(['0.421', '0.295', '0.187', '0.091', '0.339', '0.221']);
    values.forEach((v, i) => {
      expect(Number(v[1])).toBe(Number(bars[i][1]) + 32 / 2);
      expect(Number(v[2])).toBe(Number(bars[i][2]) - 5);
    });
    const names = [...page.matchAll(/<text x="(\d+)" y="240" font-size="13" text-anchor="middle">(\w+)<\/text>/g)];
    expect(names.map((n) => [n[2], Number(n[1])])).toEqual([
      ['rouge1', 40 + 36],
      ['rouge2', 152 + 36],
      ['rougeL', 264 + 36],
    ]);
    // The legend: a swatch and a name per endpoint, side by side.
    expect(page).toContain(
      '<rect x="40" y="255" width="12" height="12" fill="#2b6cb0"/><text x="58" y="266" font-size="12">fine-tuned</text>' +
        '<rect x="150" y="255" width="12" height="12" fill="#a0aec0"/><text x="168" y="266" font-size="12">base</text>',
    );
    expect(page).toContain('<svg width="396" height="280"');
    expect(page).toContain('<th>Prompt</th><th>Ground truth</th><th>Base model</th><th>Fine-tuned model</th>');
    expect(page).toContain(
      '<tr><td>Is 1 &lt; 2 &amp; &quot;x&quot;?</td><td>yes, it&#39;s</td>' +
        '<td>(no answer: throttled &lt;again&gt;)</td><td>yes<br><small>ROUGE-L 0.500</small></td></tr>',
    );
    expect(page).toContain('fine-tuned     0.4210');

    const alone = htmlReport(
      report({ baseline: undefined, difference: undefined, records: [{ prompt: 'p', reference: 'r', finetuned: {} }] }),
    );
    expect(alone.match(/<rect x="\d+" y="\d+" width="32"/g)).toHaveLength(3);
    expect(alone).toContain('<th>Prompt</th><th>Ground truth</th><th>Fine-tuned model</th>');
    expect(alone).not.toContain('#a0aec0'); // no base bar, nor its legend
    expect(alone).toContain('<svg width="288" height="280"');
    expect(alone).toContain('<tr><td>p</td><td>r</td><td>(no answer: unknown)</td></tr>');
  });
});

describe('held-out samples', () => {
  let work: string;
  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), 'samples-'));
  });
  afterEach(() => rmSync(work, { recursive: true, force: true }));

  const lines = (...records: unknown[]) =>
    records.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n');

  test('a directory: its .jsonl files in name order, with its template.json; blank lines skipped; at most max-samples', () => {
    // Written out of order: the directory may list them as they were made.
    writeFileSync(join(work, 'a.jsonl'), lines({ q: 'one', a: '1' }, '', '   ', { q: 'two', a: '2' }));
    writeFileSync(join(work, 'c.jsonl'), lines({ q: 'four', a: '4' }));
    writeFileSync(join(work, 'b.jsonl'), lines({ q: 'three', a: '3' }));
    writeFileSync(join(work, 'notes.txt'), 'not samples');
    writeFileSync(join(work, 'template.json'), JSON.stringify({ prompt: 'Q: {q}', completion: '{a}' }));
    expect(readEvaluationSamples(work)).toEqual([
      { prompt: 'Q: one', reference: '1' },
      { prompt: 'Q: two', reference: '2' },
      { prompt: 'Q: three', reference: '3' },
      { prompt: 'Q: four', reference: '4' },
    ]);
    expect(readEvaluationSamples(work, undefined, 2)).toHaveLength(2);
    expect(Llama3Evaluation.readSamples(work, undefined, 1)).toEqual([{ prompt: 'Q: one', reference: '1' }]);
    // A template file given wins over the directory's.
    const other = join(work, 'other.json');
    writeFileSync(other, JSON.stringify({ prompt: '{a}?', completion: '{q}!' }));
    expect(readEvaluationSamples(join(work, 'b.jsonl'), other)).toEqual([{ prompt: '3?', reference: 'three!' }]);
  });

  test("a file alone, or a directory without template.json: JumpStart's default instruction template", () => {
    const file = join(work, 'held.jsonl');
    writeFileSync(file, lines({ instruction: 'Add 1 and 1', context: '', response: '2' }));
    const [only] = readEvaluationSamples(file);
    expect(only.reference).toBe('2');
    expect(only.prompt).toContain('Add 1 and 1');
    expect(readEvaluationSamples(work)).toEqual([only]);
  });

  test('str.format: {{ and }} are braces, {field!r} fills the field, a missing value fills nothing', () => {
    const file = join(work, 'x.jsonl');
    writeFileSync(file, lines({ q: 'Why?', a: null }));
    writeFileSync(join(work, 't.json'), JSON.stringify({ prompt: '{{q}} {q!r}}}', completion: '[{a}]' }));
    expect(readEvaluationSamples(file, join(work, 't.json'))).toEqual([{ prompt: '{q} Why?}', reference: '[]' }]);
  });

  test('a chat record ends at its last assistant turn; one with no answer after a turn is left out', () => {
    const file = join(work, 'chat.jsonl');
    writeFileSync(
      file,
      lines(
        { dialog: [{ role: 'assistant', content: 'Hello' }] },
        { dialog: [{ role: 'user', content: 'Hi' }] },
        {
          dialog: [
            { role: 'user', content: 'Hi' },
            { role: 'assistant', content: 'Hey' },
            { role: 'user', content: 'Bye' },
          ],
        },
      ),
    );
    const samples = readEvaluationSamples(file);
    expect(samples).toHaveLength(1);
    expect(samples[0].reference).toBe('Hey');
    expect(samples[0].prompt).toMatch(/user<\|end_header_id\|>\n\nHi<\|eot_id\|><\|start_header_id\|>assistant/);
    expect(samples[0].prompt).not.toContain('Bye');
  });

  test('a record that cannot be a sample is named by file and line, as validate-data names it', () => {
    let lastLine: number | undefined;
    const bad = (content: string, template?: object) => {
      const dir = mkdtempSync(join(work, 'd-'));
      writeFileSync(join(dir, 'held.jsonl'), content);
      if (template) writeFileSync(join(dir, 'template.json'), JSON.stringify(template));
      try {
        readEvaluationSamples(dir);
      } catch (error) {
        expect(isSampleError(error)).toBe(true);
        expect((error as SampleError).file).toBe(join(dir, 'held.jsonl'));
        lastLine = (error as SampleError).line;
        return (error as Error).message.replace(dir, 'DIR');
      }
      throw new Error('read without an error');
    };
    const template = { prompt: '{q}', completion: '{a}' };
    expect(bad(lines({ q: 1, a: 2 }, '{oops'), template)).toMatch(/^DIR\/held\.jsonl:2: error: is not JSON \(/);
    expect(lastLine).toBe(2);
    expect(bad(lines([1, 2]), template)).toBe('DIR/held.jsonl:1: error: is an array, not a JSON object.');
    expect(bad(lines('"text"'), template)).toBe('DIR/held.jsonl:1: error: is string, not a JSON object.');
    expect(bad(lines('null'), template)).toBe('DIR/held.jsonl:1: error: is object, not a JSON object.');
    expect(bad(lines({ q: 1, a: 2 }, { q: 1 }), template)).toBe(
      'DIR/held.jsonl:2: error: lacks "a", which the template fills in.',
    );
  });

  test('a template that is not JSON, or not a prompt and a completion, is named', () => {
    const file = join(work, 'held.jsonl');
    writeFileSync(file, lines({ q: 1 }));
    const message = (template: string) => {
      const path = join(work, 'template.json');
      writeFileSync(path, template);
      try {
        readEvaluationSamples(file, path);
        return 'read';
      } catch (error) {
        return (error as Error).message.replace(work, 'DIR');
      }
    };
    expect(message('{')).toMatch(/^DIR\/template\.json: error: is not JSON \(/);
    const notTemplate = 'DIR/template.json: error: is not a template: allowed: {"prompt": "...", "completion": "..."}.';
    expect(message('null')).toBe(notTemplate);
    expect(message('{"prompt": "{q}"}')).toBe(notTemplate);
    expect(message('{"completion": "{q}"}')).toBe(notTemplate);
    expect(message('{"prompt": "{q}", "completion": "{q}"}')).toBe('read');
    expect(isSampleError(new Error('other'))).toBe(false);
    expect(isSampleError('SampleError')).toBe(false);
  });

  test('a directory is read as a directory even without .jsonl files; an empty one has no samples', () => {
    mkdirSync(join(work, 'empty'));
    expect(readEvaluationSamples(join(work, 'empty'))).toEqual([]);
  });
});

describe('Llama3Evaluation and RougeScorer, the exported names', () => {
  test('each is the function it names', async () => {
    const reportOf = await Llama3Evaluation.evaluate(
      [sample(1)],
      answerer({ 'prompt 1': 'the answer' }).endpoint,
      undefined,
      {
        concurrency: 1,
      },
    );
    expect(Llama3Evaluation.table(reportOf)).toBe(scoreTable(reportOf));
    expect(Llama3Evaluation.json(reportOf)).toBe(jsonReport(reportOf));
    expect(Llama3Evaluation.html(reportOf)).toBe(htmlReport(reportOf));
    expect(RougeScorer.score('a b c d', 'a b')).toEqual(rougeScores('a b c d', 'a b'));
    expect(RougeScorer.score('a b c d', 'a b').rouge1).toBeCloseTo(2 / 3, 12);
  });
});
