/**
 * `llama3-ft evaluate` against a loopback runtime playing both endpoints: a fine-tuned one
 * that answers with the reference (but fails one sample), and a base one that throttles at
 * first and then answers badly.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeRuntime } from '../support/fake-runtime';
import type { runCli as RunCli } from '../support/run-cli';

const DOLLY = join(__dirname, '..', '..', 'examples', 'datasets', 'dolly-qa', 'train');
const runtime = new FakeRuntime();
let runCli: typeof RunCli;
let samples: typeof import('../../lib/evaluation/evaluation-samples');
let work: string;

beforeAll(async () => {
  await runtime.startForSdk();
  ({ runCli } = await import('../support/run-cli'));
  samples = await import('../../lib/evaluation/evaluation-samples');
  work = mkdtempSync(join(tmpdir(), 'evaluate-'));
});
afterAll(async () => {
  await runtime.stop();
  rmSync(work, { recursive: true, force: true });
});

const evaluate = (...args: string[]) => runCli('evaluate', ...args);
const answer = (text: string) => ({ status: 200, body: JSON.stringify({ generated_text: text }) });

test('scores both endpoints, keeps the answers one endpoint failed, retries throttling; writes JSON and HTML', async () => {
  const held = samples.readEvaluationSamples(DOLLY);
  const references = new Map(held.map((s) => [s.prompt, s.reference]));
  let baseCalls = 0;
  runtime.respond = (path, body) => {
    const prompt = JSON.parse(body).inputs as string;
    if (path.startsWith('/endpoints/ft/')) {
      if (prompt === held[2].prompt) {
        return {
          status: 424,
          headers: { 'x-amzn-errortype': 'ModelError' },
          body: JSON.stringify({ message: 'boom', OriginalMessage: 'CUDA out of memory', OriginalStatusCode: 500 }),
        };
      }
      return answer(references.get(prompt)!);
    }
    if (++baseCalls <= 2) {
      return {
        status: 400,
        headers: { 'x-amzn-errortype': 'ThrottlingException' },
        body: JSON.stringify({ message: 'Rate exceeded' }),
      };
    }
    return answer('I am not sure.');
  };
  const json = join(work, 'scores.json');
  const html = join(work, 'report.html');
  const result = await evaluate(
    '--endpoint',
    'ft',
    '--baseline-endpoint',
    'base',
    '--data',
    DOLLY,
    '--json',
    json,
    '--html',
    html,
    '--concurrency',
    '3',
  );
  expect(result.status).toBe(0);
  expect(result.err).toContain(`] ${held.length}/${held.length} samples`);
  expect(result.err).toContain('1 answer(s) failed; the first: The model behind endpoint "ft" failed');
  const report = JSON.parse(readFileSync(json, 'utf8'));
  expect(report.samples).toBe(held.length);
  // The fine-tuned endpoint answered with each reference: 1 on every sample it answered.
  expect(report.finetuned).toEqual({ rouge1: 1, rouge2: 1, rougeL: 1 });
  expect(report.baseline.rouge1).toBeLessThan(0.2);
  expect(report.records).toHaveLength(held.length);
  expect(report.records[2]).toMatchObject({
    prompt: held[2].prompt,
    reference: held[2].reference,
    answers: { finetuned: null, baseline: 'I am not sure.' },
    errors: { finetuned: expect.stringContaining('CUDA out of memory') },
  });
  expect(report.records[0].scores.finetuned).toEqual({ rouge1: 1, rouge2: 1, rougeL: 1 });
  expect(result.out).toMatch(/fine-tuned\s+1\.0000\s+1\.0000\s+1\.0000\s+9\/10/);
  // Over the 9 samples both answered: the one the fine-tuned endpoint failed does not count against either.
  expect(result.out).toMatch(/difference\s+\+1\.0000\s+\+1\.0000\s+\+1\.0000 {3}over the 9 both answered/);
  expect(report.difference).toEqual({ rouge1: 1, rouge2: 1, rougeL: 1, samples: 9 });
  const page = readFileSync(html, 'utf8');
  expect(page).toContain('<svg');
  expect(page).toContain('<th>Base model</th><th>Fine-tuned model</th>');
  expect(page).not.toContain('<|'); // prompts are escaped, whatever they hold
  expect(page.match(/<tr><td>/g)).toHaveLength(held.length);
});

test('scaled-to-zero endpoints are named by their inference components', async () => {
  runtime.respond = () => answer('x');
  const before = runtime.requests.length;
  const result = await evaluate(
    '--endpoint',
    'ft',
    '--inference-component',
    'ft-model',
    '--baseline-endpoint',
    'base',
    '--baseline-inference-component',
    'base-model',
    '--data',
    DOLLY,
    '--max-samples',
    '1',
  );
  expect(result.status).toBe(0);
  const components = runtime.requests.slice(before).map((r) => r.headers['x-amzn-sagemaker-inference-component']);
  expect(components.sort()).toEqual(['base-model', 'ft-model']);
  expect((await evaluate('--endpoint', 'ft', '--baseline-inference-component', 'b', '--data', DOLLY)).status).toBe(2);
  runtime.respond = undefined;
});

test('an endpoint that fails every sample exits 1; wrong usage exits 2', async () => {
  runtime.respond = () => ({
    status: 424,
    headers: { 'x-amzn-errortype': 'ModelError' },
    body: JSON.stringify({ message: 'down' }),
  });
  expect((await evaluate('--endpoint', 'ft', '--data', DOLLY, '--max-samples', '2')).status).toBe(1);
  expect((await evaluate('--data', DOLLY)).status).toBe(2);
  expect((await evaluate('--endpoint', 'ft', '--data', join(work, 'missing'))).err).toContain(
    'allowed: an existing file or directory',
  );
  expect((await evaluate('--endpoint', 'ft', '--data', DOLLY, '--max-samples', '0')).err).toContain(
    '--max-samples is "0"',
  );
  runtime.respond = undefined;
});

test('prompts follow the template as str.format fills it; chat records end at their last assistant turn', () => {
  expect(samples.fillTemplate('Q: {question}\\n{{literal}} {answer!r}', { question: 'Why?', answer: 'Because' })).toBe(
    'Q: Why?\\n{literal} Because',
  );
  const chat = join(work, 'chat.jsonl');
  writeFileSync(
    chat,
    `${JSON.stringify({
      dialog: [
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello!' },
        { role: 'user', content: 'Bye' },
        { role: 'assistant', content: 'Goodbye.' },
      ],
    })}\n`,
  );
  expect(samples.readEvaluationSamples(chat)).toEqual([
    {
      prompt:
        '<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\nHello!<|eot_id|>' +
        '<|start_header_id|>user<|end_header_id|>\n\nBye<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n',
      reference: 'Goodbye.',
    },
  ]);
});
