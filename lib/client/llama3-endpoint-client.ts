import { SageMakerRuntimeClient, sageMakerRuntime } from './sagemaker-runtime-sdk';
import { ChatMessage, END_OF_TURN, llama3ChatPrompt } from './chat-template';
import { explainInvocationError, isNoCapacity } from './explain-invocation-error';
import { GenerationParameters, toRequestParameters } from './generation-parameters';
import { GenerationStream } from './generation-stream';
import { invocationError } from './invocation-error';
import { StopSequenceCutter } from './stop-sequences';
import { StreamDecoder } from './stream-decoder';
import type { IPromptAnswerer } from '../evaluation/endpoint-evaluation';
import { configurationError, isConfigurationError, throwIfProblems } from '../config/configuration-error';
import { REGION, SAGEMAKER_NAME, SAGEMAKER_NAME_RULE } from '../config/sagemaker-names';
import { isInstructModel } from '../models/chat-models';
import { findModel } from '../models/catalogue';
import type { ModelSpec } from '../models/model-spec';

/** AbortSignal.timeout's longest delay (an unsigned 32-bit count of milliseconds): a longer one throws a RangeError. */
const MAX_TIMER_MILLIS = 2 ** 32 - 1;

/** Props of Llama3EndpointClient. */
export interface Llama3EndpointClientProps {
  /** Name of the SageMaker endpoint serving the fine-tuned model. */
  readonly endpointName: string;
  /**
   * AWS region of the endpoint.
   * @default - the SDK's: AWS_REGION, then the profile's region
   */
  readonly region?: string;
  /**
   * Milliseconds to wait for the generated text.
   * @default 120000
   */
  readonly timeoutMillis?: number;
  /**
   * The inference component serving the model (the stack's InferenceComponentName output,
   * with scale to zero).
   * @default - the endpoint's variant serves the model
   */
  readonly inferenceComponentName?: string;
  /**
   * How long to keep retrying while the inference component has no capacity (scaled to zero:
   * a cold start takes several minutes); 0 fails at once.
   * @default 1200000 - 20 minutes, longer than the 70B model's cold start
   */
  readonly coldStartWaitMillis?: number;
  /**
   * Time between retries while waiting for capacity.
   * @default 30000
   */
  readonly coldStartRetryMillis?: number;
  /**
   * Told each time a request found no capacity and will be retried.
   * @default - nothing is told
   */
  readonly coldStartProgress?: IColdStartProgress;
  /**
   * The JumpStart model the endpoint serves (the stack's modelId), which says how messages are sent.
   *
   * An instruct model reads messages in the Llama 3 chat format. A base model takes plain prompts only.
   * @default - messages are sent in the Llama 3 chat format, as to an instruct model
   */
  readonly modelId?: string;
}

/** Hears how a wait for an inference component's cold start goes. */
export interface IColdStartProgress {
  /** A request found no capacity; it is retried after a pause. */
  waiting(elapsedSeconds: number, limitSeconds: number): void;
}

export { EndpointInvocationError, isEndpointInvocationError } from './invocation-error';

/**
 * Sends prompts to a fine-tuned Llama 3 endpoint, as the SageMaker SDK's
 * `predictor.predict({"inputs": ..., "parameters": {...}})` does, and returns the text.
 */
export class Llama3EndpointClient implements IPromptAnswerer {
  private client?: SageMakerRuntimeClient;
  private readonly region?: string;
  private readonly endpointName: string;
  private readonly timeoutMillis: number;
  private readonly inferenceComponentName?: string;
  private readonly coldStartWaitMillis: number;
  private readonly coldStartRetryMillis: number;
  private readonly coldStartProgress?: IColdStartProgress;
  private readonly model?: ModelSpec;

  constructor(props: Llama3EndpointClientProps) {
    const problems: string[] = [];
    if (typeof props.endpointName !== 'string' || !SAGEMAKER_NAME.test(props.endpointName)) {
      problems.push(
        `endpointName is ${JSON.stringify(props.endpointName)}; allowed: ${SAGEMAKER_NAME_RULE}. Fix: use the stack's EndpointName output.`,
      );
    }
    if (props.region !== undefined && !REGION.test(props.region)) {
      problems.push(
        `region is ${JSON.stringify(props.region)}; allowed: an AWS Region name such as us-east-1. Fix: correct it, or leave it out for the SDK's.`,
      );
    }
    if (
      props.timeoutMillis !== undefined &&
      !(Number.isFinite(props.timeoutMillis) && props.timeoutMillis > 0 && props.timeoutMillis <= MAX_TIMER_MILLIS)
    ) {
      problems.push(
        `timeoutMillis is ${props.timeoutMillis}; allowed: milliseconds above 0 and at most ${MAX_TIMER_MILLIS} ` +
          '(about 49 days, the longest timeout Node.js keeps). Fix: e.g. 120000, or leave it out.',
      );
    }
    for (const [name, value] of [
      ['coldStartWaitMillis', props.coldStartWaitMillis],
      ['coldStartRetryMillis', props.coldStartRetryMillis],
    ] as const) {
      if (value !== undefined && !(Number.isFinite(value) && value >= 0)) {
        problems.push(`${name} is ${value}; allowed: milliseconds, 0 or more. Fix: e.g. 1200000, or leave it out.`);
      }
    }
    if (
      props.inferenceComponentName !== undefined &&
      (typeof props.inferenceComponentName !== 'string' || !SAGEMAKER_NAME.test(props.inferenceComponentName))
    ) {
      problems.push(
        `inferenceComponentName is ${JSON.stringify(props.inferenceComponentName)}; allowed: ${SAGEMAKER_NAME_RULE}. Fix: use the stack's InferenceComponentName output.`,
      );
    }
    if (props.modelId !== undefined) {
      try {
        this.model = findModel(props.modelId);
      } catch (error) {
        // findModel throws configuration errors only: this keeps a bug there from passing for a refused modelId.
        // Stryker disable next-line ConditionalExpression: equivalent, as findModel throws nothing else.
        if (!isConfigurationError(error)) throw error;
        problems.push(...error.problems);
      }
    }
    throwIfProblems(problems);
    this.endpointName = props.endpointName;
    this.inferenceComponentName = props.inferenceComponentName;
    this.coldStartWaitMillis = props.coldStartWaitMillis ?? 1_200_000;
    this.coldStartRetryMillis = props.coldStartRetryMillis ?? 30_000;
    this.coldStartProgress = props.coldStartProgress;
    this.timeoutMillis = props.timeoutMillis ?? 120_000;
    this.region = props.region;
  }

  /** The SDK client, made on the first request. */
  private runtime(): SageMakerRuntimeClient {
    this.client ??= new (sageMakerRuntime().SageMakerRuntimeClient)({ region: this.region, maxAttempts: 3 });
    return this.client;
  }

  /** Generates a continuation of the prompt; parameters are validated before anything is sent. */
  public async generate(prompt: string, parameters: GenerationParameters = {}): Promise<string> {
    const body = JSON.stringify({ inputs: prompt, parameters: toRequestParameters(parameters) });
    return this.withColdStartWait(async (deadline) => {
      const response = await this.runtime().send(
        new (sageMakerRuntime().InvokeEndpointCommand)({
          EndpointName: this.endpointName,
          InferenceComponentName: this.inferenceComponentName,
          ContentType: 'application/json',
          Accept: 'application/json',
          Body: body,
        }),
        { abortSignal: deadline },
      );
      return generatedText(new TextDecoder().decode(response.Body), this.endpointName);
    });
  }

  /**
   * Streams the answer as it is generated (InvokeEndpointWithResponseStream). A prompt is sent
   * as it is; messages (`system`, `user`, `assistant`, ending with `user`) in the Llama 3 chat
   * format, the answer ending at the end-of-turn token. The text stops at any stop sequence.
   * Parameters and messages are checked here, before anything is sent; the request goes out
   * when the first piece is asked for, and waits a scaled-to-zero component's cold start out.
   */
  public generateStream(input: string | ChatMessage[], parameters: GenerationParameters = {}): GenerationStream {
    const chat = typeof input !== 'string';
    const stop = [
      ...(parameters.stop ?? []),
      ...(chat && !parameters.stop?.includes(END_OF_TURN) ? [END_OF_TURN] : []),
    ];
    const requestParameters = toRequestParameters({ ...parameters, ...(stop.length ? { stop } : {}) });
    const body = JSON.stringify({ inputs: this.promptOf(input), parameters: requestParameters, stream: true });
    const controller = new AbortController();
    return GenerationStream._of(this.streamPieces(body, stop, controller), controller);
  }

  /** The text the model reads: a prompt as given, messages in the chat format of an instruct model. */
  public promptOf(input: string | ChatMessage[]): string {
    if (typeof input === 'string') return input;
    if (this.model && !isInstructModel(this.model)) {
      throw configurationError([
        `modelId is "${this.model.modelId}", a base model: it continues text and has no chat format. ` +
          'Fix: send a prompt (a string), or use an instruct model such as meta-textgeneration-llama-3-8b-instruct.',
      ]);
    }
    return llama3ChatPrompt(input);
  }

  private async *streamPieces(body: string, stops: string[], controller: AbortController): AsyncGenerator<string> {
    const cutter = new StopSequenceCutter(stops);
    const decoder = new StreamDecoder();
    let deadline: AbortSignal | undefined;
    try {
      const response = await this.withColdStartWait(async (attemptDeadline) => {
        deadline = attemptDeadline;
        return this.runtime().send(
          new (sageMakerRuntime().InvokeEndpointWithResponseStreamCommand)({
            EndpointName: this.endpointName,
            InferenceComponentName: this.inferenceComponentName,
            ContentType: 'application/json',
            Accept: 'application/json',
            Body: body,
          }),
          { abortSignal: AbortSignal.any([attemptDeadline, controller.signal]) },
        );
      }, controller.signal);
      // Stryker disable next-line ArrayDeclaration: the SDK gives every 200 answer a Body.
      for await (const event of response.Body ?? []) {
        // The SDK throws ModelStreamError and InternalStreamFailure; a member that arrives as data is thrown alike.
        const failure = event.ModelStreamError ?? event.InternalStreamFailure;
        if (failure) throw failure;
        // The SDK hands over PayloadPart and the two failures (thrown above), and drops event types it does not know.
        // Stryker disable next-line OptionalChaining: equivalent, as above.
        for (const piece of decoder.push(event.PayloadPart?.Bytes ?? new Uint8Array())) {
          const text = cutter.push(piece);
          if (text) yield text;
          if (cutter.stopped) return;
        }
      }
      for (const piece of decoder.end()) {
        const text = cutter.push(piece);
        if (text) yield text;
      }
      const rest = cutter.flush();
      if (rest) yield rest;
    } catch (error) {
      // Cancelled: the answer ends where it was, without an error.
      if (controller.signal.aborted) return;
      // Stryker disable next-line OptionalChaining: the first attempt, which sets deadline, is made before any await.
      throw this.explain(deadline?.aborted ? { name: 'TimeoutError' } : error);
    } finally {
      // Stopped at a stop sequence, or the caller stopped reading: the rest is not paid for by waiting.
      controller.abort();
    }
  }

  /**
   * Sends a request, and again while a scaled-to-zero component has no capacity: the failed
   * request itself brings a copy back; the request is retried until it has started.
   */
  private async withColdStartWait<T>(attempt: (deadline: AbortSignal) => Promise<T>, cancel?: AbortSignal): Promise<T> {
    const started = Date.now();
    for (;;) {
      const deadline = AbortSignal.timeout(this.timeoutMillis);
      try {
        return await attempt(deadline);
      } catch (error) {
        const elapsed = Date.now() - started;
        // Cancelled: generateStream, the only caller that can cancel, ends quietly whatever is thrown.
        // Stryker disable next-line ConditionalExpression: equivalent, as above.
        if (cancel?.aborted) throw error;
        // Stryker disable next-line EqualityOperator: a retry ending on the very millisecond of the limit.
        if (!isNoCapacity(error) || elapsed + this.coldStartRetryMillis > this.coldStartWaitMillis) {
          throw this.explain(deadline.aborted ? { name: 'TimeoutError' } : error, elapsed);
        }
        this.coldStartProgress?.waiting(Math.round(elapsed / 1000), Math.round(this.coldStartWaitMillis / 1000));
        await pause(this.coldStartRetryMillis, cancel);
      }
    }
  }

  private explain(error: unknown, elapsedMillis = 0) {
    return explainInvocationError(
      error,
      {
        endpointName: this.endpointName,
        inferenceComponentName: this.inferenceComponentName,
        coldStartWaitMillis: this.coldStartWaitMillis,
        timeoutMillis: this.timeoutMillis,
      },
      elapsedMillis,
    );
  }
}

/** Waits, or less if `cancel` fires. */
function pause(millis: number, cancel?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    // Already cancelled (from the progress callback, say): an abort listener added now would never be called.
    if (cancel?.aborted) return resolve();
    const timer = setTimeout(done, millis);
    // Stryker disable next-line ObjectLiteral,BooleanLiteral: done() removes the listener itself.
    cancel?.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      cancel?.removeEventListener('abort', done);
      resolve();
    }
  });
}

/** The container answers `{"generated_text": ...}`, or a list of those. */
function generatedText(body: string, endpointName: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw invocationError(
      `Endpoint "${endpointName}" answered with something other than JSON: ${body.slice(0, 200)}`,
      'UnexpectedResponse',
    );
  }
  const first = Array.isArray(parsed) ? parsed[0] : parsed;
  const text = (first as { generated_text?: unknown } | undefined)?.generated_text;
  if (typeof text !== 'string') {
    throw invocationError(
      `Endpoint "${endpointName}" answered without generated_text: ${body.slice(0, 200)}`,
      'UnexpectedResponse',
    );
  }
  return text;
}
