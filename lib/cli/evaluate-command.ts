import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { FlagValues, startCommand } from './command-line';
import {
  booleanFlag,
  existingPath,
  integer,
  modelPackageVersionArn,
  outputFile,
  region,
  sageMakerName,
} from './flag-types';
import { CommandIo, EXIT_FAILED, EXIT_OK, coldStartProgress, usageError } from './io';
import { GENERATION_LIMITS } from '../client/generation-parameters';
import { Llama3EndpointClient } from '../client/llama3-endpoint-client';
import { EvaluationReport, evaluateEndpoints } from '../evaluation/endpoint-evaluation';
import { evaluationRecord } from '../evaluation/registry-record';
import { attachEvaluation } from '../client/model-registry-sdk';
import { htmlReport, jsonReport, scoreTable } from '../evaluation/evaluation-report';
import { isSampleError, readEvaluationSamples } from '../evaluation/evaluation-samples';

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
  --max-samples N            ask at most N samples, N >= 1 (default: all)
  --max-new-tokens N         tokens each answer may have, 1 to 8192 (default 256); no sampling parameters
                             are sent, so the container decodes greedily and answers are repeatable
  --concurrency N            requests in flight per endpoint, 1 to 64 (default 4)
  --json OUT                 write the scores and every answer as JSON
  --html OUT                 write a self-contained report: a chart and the side-by-side table
                             (OUT's directory must exist and be writable: checked before any request)
  --region REGION            AWS region of the endpoints, e.g. us-east-1 (default: the SDK's)
  --register ARN             attach the scores to this model registry version (the training stack's
                             ModelPackageArn output): its model card's evaluation and its metadata
  -h, --help                 show this help

The baseline must be another model: the same endpoint and inference component as --endpoint
is refused. Every file is checked, and the samples read, before the first request.

Exit status: 0 scored (and attached), 1 an endpoint failed for every sample, the data is not valid or
the scores could not be attached, 2 wrong usage.
`;

/** Most requests in flight per endpoint: more only meets SageMaker's throttling sooner. */
const MAX_CONCURRENCY = 64;

export const EVALUATE_FLAGS = {
  endpoint: { type: sageMakerName("Fix: use the stack's EndpointName output") },
  'baseline-endpoint': { type: sageMakerName("Fix: use the stack's BaseEndpointName output") },
  'inference-component': { type: sageMakerName("Fix: use the stack's InferenceComponentName output") },
  'baseline-inference-component': { type: sageMakerName("Fix: use the base endpoint's inference component name") },
  data: { type: existingPath('file or directory') },
  template: { type: existingPath('file') },
  'max-samples': { type: integer({ min: 1, example: 50 }) },
  'max-new-tokens': { type: integer(GENERATION_LIMITS.maxNewTokens) },
  concurrency: { type: integer({ min: 1, max: MAX_CONCURRENCY, example: 4 }) },
  json: { type: outputFile },
  html: { type: outputFile },
  region: { type: region },
  register: { type: modelPackageVersionArn("Fix: use the training stack's ModelPackageArn output") },
  help: { type: booleanFlag, short: 'h' },
} as const;

/** The usage problems of flags that are each fine alone. */
function combinationProblem(o: FlagValues<typeof EVALUATE_FLAGS>): string | undefined {
  if (!o.endpoint) return "--endpoint is missing; give the fine-tuned model's endpoint name.";
  if (!o.data) return '--data is missing; give a held-out .jsonl file or directory.';
  if (o['baseline-inference-component'] && !o['baseline-endpoint'])
    return '--baseline-inference-component is given without --baseline-endpoint. Fix: give both, or neither.';
  if (o['baseline-endpoint'] === o.endpoint && o['baseline-inference-component'] === o['inference-component']) {
    return (
      `--baseline-endpoint is "${o.endpoint}", the same model as --endpoint: the comparison would pay twice to ` +
      "score one model against itself. Fix: give the base model's endpoint (or its own --baseline-inference-component)."
    );
  }
  if (o.json !== undefined && resolve(o.json) === resolve(o.html ?? ''))
    return `--json and --html both write ${o.json}. Fix: give each its own file.`;
  return undefined;
}

export async function evaluateCommand(args: string[], io: CommandIo): Promise<number> {
  const started = startCommand(io, 'evaluate', EVALUATE_HELP, args, EVALUATE_FLAGS);
  if (typeof started === 'number') return started;
  const o = started.values;
  const problem = combinationProblem(o);
  if (problem) return usageError(io, 'evaluate', problem);
  const data = o.data!;
  let samples;
  try {
    samples = readEvaluationSamples(data, o.template, o['max-samples']);
  } catch (error) {
    if (!isSampleError(error)) throw error;
    io.stderr.write(
      `llama3-ft evaluate: ${error.message}\nNothing was sent. Check the data with llama3-ft validate-data.\n`,
    );
    return EXIT_FAILED;
  }
  if (samples.length === 0) return usageError(io, 'evaluate', `--data ${data} holds no samples.`);
  const client = (endpointName: string, inferenceComponentName?: string) =>
    new Llama3EndpointClient({
      endpointName,
      region: o.region,
      inferenceComponentName,
      coldStartProgress: coldStartProgress(io, inferenceComponentName, '\n'),
    });
  const clients = {
    finetuned: client(o.endpoint!, o['inference-component']),
    baseline: o['baseline-endpoint'] ? client(o['baseline-endpoint'], o['baseline-inference-component']) : undefined,
  };
  // --concurrency's default is the evaluation's own (4).
  const options = { parameters: { maxNewTokens: o['max-new-tokens'] ?? 256 }, concurrency: o.concurrency };
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
  io.stdout.write(`${report.samples} sample(s) from ${data}\n${scoreTable(report)}`);
  if (o.json) writeFileSync(o.json, jsonReport(report));
  if (o.html) writeFileSync(o.html, htmlReport(report));
  const allFailed = [report.finetuned, report.baseline].some((s) => s && s.answered === 0);
  if (allFailed) return EXIT_FAILED;
  return o.register ? register(io, o.register, report, o) : EXIT_OK;
}

/** Attaches the scores to a model version; a refusal is reported after the scores, which stand. */
async function register(
  io: CommandIo,
  modelPackageArn: string,
  report: EvaluationReport,
  o: FlagValues<typeof EVALUATE_FLAGS>,
): Promise<number> {
  const record = evaluationRecord(report, {
    data: o.data!,
    endpoint: o.endpoint!,
    baselineEndpoint: o['baseline-endpoint'],
    evaluatedAt: new Date(),
  });
  try {
    await attachEvaluation(modelPackageArn, record);
  } catch (error) {
    const { name, message } = error as Error;
    io.stderr.write(
      `llama3-ft evaluate: the scores were not attached to ${modelPackageArn}: ${name}: ${message}\n` +
        'Fix: check the ARN, and that your credentials may call sagemaker:UpdateModelPackage on it.\n',
    );
    return EXIT_FAILED;
  }
  io.stdout.write(`Attached the scores to ${modelPackageArn}.\n`);
  return EXIT_OK;
}
