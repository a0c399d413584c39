import { SageMakerRuntimeClient, sageMakerRuntime } from './sagemaker-runtime-sdk';
import { GenerationParameters, toRequestParameters } from './generation-parameters';
import type { IPromptAnswerer } from '../evaluation/endpoint-evaluation';
import { throwIfProblems } from '../config/configuration-error';
import { REGION, SAGEMAKER_NAME, SAGEMAKER_NAME_RULE } from '../config/sagemaker-names';

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
}

/** Hears how a wait for an inference component's cold start goes. */
export interface IColdStartProgress {
  /** A request found no capacity; it is retried after a pause. */
  waiting(elapsedSeconds: number, limitSeconds: number): void;
}

/** An invocation that failed, with a message a person can act on (a named Error: jsii can't model Error subclasses). */
export type EndpointInvocationError = Error & { readonly errorName: string };

function invocationError(message: string, errorName: string): EndpointInvocationError {
  const error = new Error(message);
  error.name = 'EndpointInvocationError';
  return Object.assign(error, { errorName });
}

export function isEndpointInvocationError(error: unknown): error is EndpointInvocationError {
  return error instanceof Error && error.name === 'EndpointInvocationError';
}

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
    const started = Date.now();
    for (;;) {
      const deadline = AbortSignal.timeout(this.timeoutMillis);
      try {
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
      } catch (error) {
        const elapsed = Date.now() - started;
        // Scaled to zero: the failed request itself brings a copy back; retry until it has started.
        if (!isNoCapacity(error) || elapsed + this.coldStartRetryMillis > this.coldStartWaitMillis) {
          throw this.explain(deadline.aborted ? { name: 'TimeoutError' } : error, elapsed);
        }
        this.coldStartProgress?.waiting(Math.round(elapsed / 1000), Math.round(this.coldStartWaitMillis / 1000));
        await new Promise((resolve) => setTimeout(resolve, this.coldStartRetryMillis));
      }
    }
  }

  private explain(error: unknown, elapsedMillis = 0): EndpointInvocationError {
    const e = error as {
      name?: string;
      message?: string;
      OriginalMessage?: string;
      OriginalStatusCode?: number;
      LogStreamArn?: string;
    };
    const name = e.name ?? 'Error';
    const where = `endpoint "${this.endpointName}"`;
    if (isNoCapacity(error)) {
      return invocationError(
        this.coldStartWaitMillis === 0
          ? `Inference component "${this.inferenceComponentName}" of ${where} has no capacity: it is scaled to zero, and this request starts a copy, which takes several minutes. Try again then, or wait for it (coldStartWaitMillis).`
          : `Inference component "${this.inferenceComponentName}" of ${where} still had no capacity after ${Math.round(elapsedMillis / 1000)} s of retries. ` +
              "A cold start may take longer (wait longer with coldStartWaitMillis), or the component cannot start: check its status and the endpoint's instances in the SageMaker console.",
        'NoCapacity',
      );
    }
    switch (name) {
      case 'ValidationError':
        return invocationError(
          /not found/i.test(e.message ?? '')
            ? `There is no ${where} in this region. Check endpointName (the stack's EndpointName output) and region.`
            : `SageMaker refused the request to ${where}: ${e.message}`,
          name,
        );
      case 'ModelError':
        return invocationError(
          `The model behind ${where} failed (status ${e.OriginalStatusCode ?? 'unknown'}): ` +
            `${e.OriginalMessage ?? e.message}. Its logs: CloudWatch log group /aws/sagemaker/Endpoints/${this.endpointName}.`,
          name,
        );
      case 'ModelNotReadyException':
        return invocationError(
          `${where} is not ready yet; the model is still loading. Try again in a few minutes.`,
          name,
        );
      case 'ThrottlingException':
        return invocationError(`${where} is throttling requests; send fewer at once or add instances.`, name);
      case 'TimeoutError':
        return invocationError(
          `No answer from ${where} within ${this.timeoutMillis / 1000} s. ` +
            'Ask for fewer tokens (maxNewTokens) or wait longer (timeoutMillis).',
          name,
        );
      case 'CredentialsProviderError':
        return invocationError(
          'No AWS credentials were found: set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY.',
          name,
        );
      default:
        return invocationError(`Invoking ${where} failed: ${name}: ${e.message}`, name);
    }
  }
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

/** SageMaker's answer when an inference component has no copy to serve the request (scaled to zero, or all busy). */
function isNoCapacity(error: unknown): boolean {
  const e = error as { name?: string; message?: string };
  return e?.name === 'ValidationError' && /no capacity/i.test(e.message ?? '');
}
