import { InvokeEndpointCommand, SageMakerRuntimeClient } from './sagemaker-runtime-sdk';
import { GenerationParameters, toRequestParameters } from './generation-parameters';
import { throwIfProblems } from '../config/configuration-error';
import { REGION, SAGEMAKER_NAME, SAGEMAKER_NAME_RULE } from '../config/sagemaker-names';

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
export class Llama3EndpointClient {
  private readonly client: SageMakerRuntimeClient;
  private readonly endpointName: string;
  private readonly timeoutMillis: number;

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
    if (props.timeoutMillis !== undefined && !(Number.isFinite(props.timeoutMillis) && props.timeoutMillis > 0)) {
      problems.push(
        `timeoutMillis is ${props.timeoutMillis}; allowed: a number of milliseconds above 0. Fix: e.g. 120000, or leave it out.`,
      );
    }
    throwIfProblems(problems);
    this.endpointName = props.endpointName;
    this.timeoutMillis = props.timeoutMillis ?? 120_000;
    this.client = new SageMakerRuntimeClient({
      region: props.region,
      maxAttempts: 3,
    });
  }

  /** Generates a continuation of the prompt; parameters are validated before anything is sent. */
  public async generate(prompt: string, parameters: GenerationParameters = {}): Promise<string> {
    const body = JSON.stringify({ inputs: prompt, parameters: toRequestParameters(parameters) });
    let response;
    const deadline = AbortSignal.timeout(this.timeoutMillis);
    try {
      response = await this.client.send(
        new InvokeEndpointCommand({
          EndpointName: this.endpointName,
          ContentType: 'application/json',
          Accept: 'application/json',
          Body: body,
        }),
        { abortSignal: deadline },
      );
    } catch (error) {
      throw this.explain(deadline.aborted ? { name: 'TimeoutError' } : error);
    }
    return generatedText(new TextDecoder().decode(response.Body), this.endpointName);
  }

  private explain(error: unknown): EndpointInvocationError {
    const e = error as {
      name?: string;
      message?: string;
      OriginalMessage?: string;
      OriginalStatusCode?: number;
      LogStreamArn?: string;
    };
    const name = e.name ?? 'Error';
    const where = `endpoint "${this.endpointName}"`;
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
