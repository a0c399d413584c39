import { EvaluationSample } from './evaluation-samples';
import { RougeScores, rougeScores } from './rouge';
import { GenerationParameters } from '../client/generation-parameters';
import { isEndpointInvocationError } from '../client/llama3-endpoint-client';

/** What answers a prompt: a Llama3EndpointClient, or a stand-in. */
export interface IPromptAnswerer {
  generate(prompt: string, parameters?: GenerationParameters): Promise<string>;
}

/** One endpoint's side of a sample. */
export interface EndpointAnswer {
  /**
   * The generated text.
   * @default - none: the endpoint did not answer (see failure)
   */
  readonly answer?: string;
  /**
   * Its scores against the reference.
   * @default - none: the endpoint did not answer
   */
  readonly scores?: RougeScores;
  /**
   * Why the endpoint did not answer.
   * @default - none: it answered
   */
  readonly failure?: string;
}

/** A sample with each endpoint's answer. */
export interface EvaluatedSample {
  readonly prompt: string;
  readonly reference: string;
  readonly finetuned: EndpointAnswer;
  /**
   * The base model's side.
   * @default - none: no baseline endpoint was asked
   */
  readonly baseline?: EndpointAnswer;
}

/** Mean scores of an endpoint over the samples it answered. */
export interface MeanScores extends RougeScores {
  /** Samples answered (and so scored). */
  readonly answered: number;
}

export interface EvaluationReport {
  readonly samples: number;
  readonly finetuned: MeanScores;
  /**
   * The base model's means.
   * @default - none: no baseline endpoint was asked
   */
  readonly baseline?: MeanScores;
  /**
   * Fine-tuned minus base, over the samples both answered (so a sample one endpoint failed
   * does not tilt the comparison); `answered` counts those samples.
   * @default - none: no baseline endpoint was asked
   */
  readonly difference?: MeanScores;
  readonly records: EvaluatedSample[];
}

/** Hears how an evaluation goes. */
export interface IEvaluationProgress {
  /** Another sample has its answers. */
  sampleDone(done: number, total: number): void;
}

export interface EvaluationOptions {
  /**
   * Generation parameters, the same for every endpoint and sample.
   * @default { maxNewTokens: 256 } - no sampling parameters: the container decodes greedily
   */
  readonly parameters?: GenerationParameters;
  /**
   * Requests in flight at once, per endpoint.
   * @default 4
   */
  readonly concurrency?: number;
  /**
   * Told after each sample.
   * @default - nothing is told
   */
  readonly progress?: IEvaluationProgress;
}

const THROTTLE_RETRIES = 5;

/** An answer, retrying throttling with backoff; any other failure is this sample's error, not the run's. */
async function answer(
  endpoint: IPromptAnswerer,
  sample: EvaluationSample,
  parameters: GenerationParameters,
): Promise<EndpointAnswer> {
  for (let attempt = 1; ; attempt++) {
    try {
      const text = await endpoint.generate(sample.prompt, parameters);
      return { answer: text, scores: rougeScores(sample.reference, text) };
    } catch (error) {
      const throttled = isEndpointInvocationError(error) && error.errorName === 'ThrottlingException';
      if (!throttled || attempt >= THROTTLE_RETRIES) return { failure: (error as Error).message };
      await new Promise((r) => setTimeout(r, 200 * 2 ** attempt));
    }
  }
}

function mean(answers: EndpointAnswer[]): MeanScores {
  const scored = answers.filter((a) => a.scores).map((a) => a.scores!);
  const avg = (key: keyof RougeScores) => (scored.length ? scored.reduce((s, x) => s + x[key], 0) / scored.length : 0);
  return { rouge1: avg('rouge1'), rouge2: avg('rouge2'), rougeL: avg('rougeL'), answered: scored.length };
}

function pairedDifference(records: EvaluatedSample[]): MeanScores {
  // Stryker disable next-line OptionalChaining: called only with a baseline, so every record has one.
  const both = records.filter((r) => r.finetuned.scores && r.baseline?.scores);
  const tuned = mean(both.map((r) => r.finetuned));
  const base = mean(both.map((r) => r.baseline!));
  return {
    rouge1: tuned.rouge1 - base.rouge1,
    rouge2: tuned.rouge2 - base.rouge2,
    rougeL: tuned.rougeL - base.rougeL,
    answered: both.length,
  };
}

/** Asks every endpoint every sample, with bounded concurrency, and scores the answers. */
export async function evaluateEndpoints(
  samples: EvaluationSample[],
  finetuned: IPromptAnswerer,
  baseline: IPromptAnswerer | undefined,
  options: EvaluationOptions = {},
): Promise<EvaluationReport> {
  const parameters = options.parameters ?? { maxNewTokens: 256 };
  const concurrency = options.concurrency ?? 4;
  // Stryker disable next-line ArrayDeclaration: each place is filled by its index, whatever the length to start.
  const records: EvaluatedSample[] = new Array(samples.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    for (let i = next++; i < samples.length; i = next++) {
      const sample = samples[i];
      const [f, b] = await Promise.all([
        answer(finetuned, sample, parameters),
        baseline ? answer(baseline, sample, parameters) : Promise.resolve(undefined),
      ]);
      records[i] = { ...sample, finetuned: f, ...(b ? { baseline: b } : {}) };
      options.progress?.sampleDone(++done, samples.length);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, samples.length)) }, worker));
  return {
    samples: samples.length,
    finetuned: mean(records.map((r) => r.finetuned)),
    ...(baseline ? { baseline: mean(records.map((r) => r.baseline!)), difference: pairedDifference(records) } : {}),
    records,
  };
}
