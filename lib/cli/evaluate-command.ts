import { writeFileSync } from 'node:fs';
import { CommandIo, EXIT_FAILED, EXIT_OK, EXIT_USAGE, coldStartProgress, parseFlags, usageError } from './io';
import { Llama3EndpointClient } from '../client/llama3-endpoint-client';
import { configurationError, isConfigurationError } from '../config/configuration-error';
import { evaluateEndpoints } from '../evaluation/endpoint-evaluation';
import { htmlReport, jsonReport, scoreTable } from '../evaluation/evaluation-report';
import { readEvaluationSamples } from '../evaluation/evaluation-samples';

export const EVALUATE_HELP = `Usage: llama3-ft evaluate --endpoint NAME --data FILE_OR_DIR [--baseline-endpoint NAME] [options]

Asks the fine-tuned endpoint (and a base-model endpoint to compare with) every held-out
sample, scores each answer against the sample's reference with ROUGE-1, ROUGE-2 and
ROUGE-L F1 (as rouge-score computes them, stemmer on), and prints the mean scores and
their difference. Prompts are the dataset's template filled from each record (JumpStart's
default template when there is none); chat records end at their last assistant turn.

Options:
  --endpoint NAME            the fine-tuned model's endpoint
  --baseline-endpoint NAME   an endpoint serving the base model, to compare with
  --inference-component NAME, --baseline-inference-component NAME
                             the inference components serving the models (scale_to_zero); a
                             scaled-to-zero component is waited for (a cold start takes minutes)
  --data FILE_OR_DIR         held-out .jsonl file, or a directory of them (llama3-ft split's holdout/)
  --template FILE            template to build prompts with, instead of the directory's template.json
  --max-samples N            ask at most N samples (default: all)
  --max-new-tokens N         tokens each answer may have (default 256); no sampling parameters are
                             sent, so the container decodes greedily and answers are repeatable
  --concurrency N            requests in flight per endpoint (default 4)
  --json OUT                 write the scores and every answer as JSON
  --html OUT                 write a self-contained report: a chart and the side-by-side table
  --region REGION            AWS region of the endpoints (default: the SDK's)
  -h, --help                 show this help

Exit status: 0 scored, 1 an endpoint failed for every sample, 2 wrong usage.
`;

function positiveInteger(raw: string | undefined, flag: string): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) < 1)
    throw configurationError([`${flag} is "${raw}"; allowed: an integer >= 1.`]);
  return Number(raw);
}

export async function evaluateCommand(args: string[], io: CommandIo): Promise<number> {
  const parsed = parseFlags(args, {
    endpoint: { type: 'string' },
    'baseline-endpoint': { type: 'string' },
    'inference-component': { type: 'string' },
    'baseline-inference-component': { type: 'string' },
    data: { type: 'string' },
    template: { type: 'string' },
    'max-samples': { type: 'string' },
    'max-new-tokens': { type: 'string' },
    concurrency: { type: 'string' },
    json: { type: 'string' },
    html: { type: 'string' },
    region: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if ('error' in parsed) {
    io.stderr.write(`${parsed.error}\n\n${EVALUATE_HELP}`);
    return EXIT_USAGE;
  }
  const o = parsed.values as Partial<Record<string, string>> & { help?: boolean };
  if (o.help) {
    io.stdout.write(EVALUATE_HELP);
    return EXIT_OK;
  }
  let samples;
  let clients;
  let options;
  try {
    if (!o.endpoint) throw configurationError(["--endpoint is missing; give the fine-tuned model's endpoint name."]);
    if (!o.data) throw configurationError(['--data is missing; give a held-out .jsonl file or directory.']);
    const maxSamples = positiveInteger(o['max-samples'], '--max-samples');
    const maxNewTokens = positiveInteger(o['max-new-tokens'], '--max-new-tokens') ?? 256;
    const concurrency = positiveInteger(o.concurrency, '--concurrency') ?? 4;
    try {
      samples = readEvaluationSamples(o.data, o.template, maxSamples);
    } catch (error) {
      throw configurationError([`--data ${o.data} cannot be read as held-out samples: ${(error as Error).message}`]);
    }
    if (samples.length === 0) throw configurationError([`--data ${o.data} holds no samples.`]);
    const client = (endpointName: string, inferenceComponentName?: string) =>
      new Llama3EndpointClient({
        endpointName,
        region: o.region,
        inferenceComponentName,
        coldStartProgress: coldStartProgress(io, inferenceComponentName, '\n'),
      });
    if (o['baseline-inference-component'] && !o['baseline-endpoint']) {
      throw configurationError([
        '--baseline-inference-component is given without --baseline-endpoint. Fix: give both, or neither.',
      ]);
    }
    clients = {
      finetuned: client(o.endpoint, o['inference-component']),
      baseline: o['baseline-endpoint'] ? client(o['baseline-endpoint'], o['baseline-inference-component']) : undefined,
    };
    options = { parameters: { maxNewTokens }, concurrency };
  } catch (error) {
    if (isConfigurationError(error)) return usageError(io, 'evaluate', error.message);
    throw error;
  }
  const report = await evaluateEndpoints(samples, clients.finetuned, clients.baseline, {
    ...options,
    progress: {
      sampleDone: (done, total) => {
        const width = 30;
        const filled = Math.round((done / total) * width);
        io.stderr.write(
          `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} samples${done === total ? '\n' : ''}`,
        );
      },
    },
  });
  const failures = report.records.flatMap((r) => [r.finetuned.failure, r.baseline?.failure]).filter(Boolean);
  if (failures.length > 0) io.stderr.write(`${failures.length} answer(s) failed; the first: ${failures[0]}\n`);
  io.stdout.write(`${report.samples} sample(s) from ${o.data}\n${scoreTable(report)}`);
  if (o.json) writeFileSync(o.json, jsonReport(report));
  if (o.html) writeFileSync(o.html, htmlReport(report));
  const allFailed = [report.finetuned, report.baseline].some((s) => s && s.answered === 0);
  return allFailed ? EXIT_FAILED : EXIT_OK;
}
