import { EndpointInvocationError, invocationError, isEndpointInvocationError } from './invocation-error';
import { isStreamedFailure } from './stream-decoder';

/** What a message about a failed invocation names: the endpoint, its component and the client's limits. */
export interface InvocationContext {
  readonly endpointName: string;
  readonly inferenceComponentName?: string;
  readonly coldStartWaitMillis: number;
  readonly timeoutMillis: number;
}

/** SageMaker's answer when an inference component has no copy to serve the request (scaled to zero, or all busy). */
export function isNoCapacity(error: unknown): boolean {
  const e = error as { name?: string; message?: string };
  return e?.name === 'ValidationError' && /no capacity/i.test(e.message ?? '');
}

/** A failure of InvokeEndpoint or InvokeEndpointWithResponseStream, in words a person can act on. */
export function explainInvocationError(
  error: unknown,
  c: InvocationContext,
  elapsedMillis = 0,
): EndpointInvocationError {
  if (isEndpointInvocationError(error)) return error;
  const e = error as {
    name?: string;
    message?: string;
    OriginalMessage?: string;
    OriginalStatusCode?: number;
    ErrorCode?: string;
  };
  const name = e.name ?? 'Error';
  const where = `endpoint "${c.endpointName}"`;
  /** SageMaker's message as a clause: its own full stop would double the sentence's. */
  const said = (e.message ?? '').replace(/\.$/, '');
  const logs = `Its logs: CloudWatch log group /aws/sagemaker/Endpoints/${c.endpointName}.`;
  if (isNoCapacity(error)) {
    return invocationError(
      c.coldStartWaitMillis === 0
        ? `Inference component "${c.inferenceComponentName}" of ${where} has no capacity: it is scaled to zero, and this request starts a copy, which takes several minutes. Try again then, or wait for it (coldStartWaitMillis).`
        : `Inference component "${c.inferenceComponentName}" of ${where} still had no capacity after ${Math.round(elapsedMillis / 1000)} s of retries. ` +
            "A cold start may take longer (wait longer with coldStartWaitMillis), or the component cannot start: check its status and the endpoint's instances in the SageMaker console.",
      'NoCapacity',
    );
  }
  if (isStreamedFailure(error)) {
    return error.kind === 'model'
      ? invocationError(
          `The model behind ${where} failed while answering: ${error.message}. ${logs}`,
          'ModelStreamError',
        )
      : invocationError(`Endpoint "${c.endpointName}" ${error.message}`, 'UnexpectedResponse');
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
          `${e.OriginalMessage ?? e.message}. ${logs}`,
        name,
      );
    // Errors inside a streamed answer, after its 200: SageMaker's own words, as the SageMaker Python SDK raises them.
    case 'ModelStreamError':
      return invocationError(
        `The model behind ${where} failed while streaming its answer` +
          `${e.ErrorCode ? ` (${e.ErrorCode})` : ''}: ${said}. ${logs}`,
        name,
      );
    case 'InternalStreamFailure':
      return invocationError(
        `SageMaker's stream from ${where} failed: ${said}. The answer is incomplete; ask again.`,
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
        `No answer from ${where} within ${c.timeoutMillis / 1000} s. ` +
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
