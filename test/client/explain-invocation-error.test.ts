/**
 * Each failure of InvokeEndpoint as the person calling it reads it: SageMaker's and the SDK's
 * errors (as the SDK rejects with them: a name, a message, SageMaker's fields) in words naming
 * the endpoint and what to do.
 */
import { explainInvocationError, isNoCapacity } from '../../lib/client/explain-invocation-error';
import { invocationError } from '../../lib/client/invocation-error';

const context = {
  endpointName: 'e',
  inferenceComponentName: 'e-model',
  coldStartWaitMillis: 1_200_000,
  timeoutMillis: 120_000,
};
const sdkError = (name: string, message: string, fields: object = {}) =>
  Object.assign(new Error(message), { name, ...fields });
const explain = (error: unknown, over: Partial<typeof context> = {}, elapsed?: number) =>
  explainInvocationError(error, { ...context, ...over }, elapsed);

test.each([
  [
    'throttling (after the SDK’s own retries)',
    sdkError('ThrottlingException', 'Rate exceeded'),
    'endpoint "e" is throttling requests; send fewer at once or add instances.',
  ],
  [
    'no credentials',
    sdkError('CredentialsProviderError', 'Could not load credentials from any providers'),
    'No AWS credentials were found: set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY.',
  ],
  [
    'an error the client does not know',
    sdkError('ServiceUnavailable', 'Try later'),
    'Invoking endpoint "e" failed: ServiceUnavailable: Try later',
  ],
  ['something thrown that has no name', { message: 'odd' }, 'Invoking endpoint "e" failed: Error: odd'],
  [
    'a refused request other than a missing endpoint',
    sdkError('ValidationError', 'Input is too long.'),
    'SageMaker refused the request to endpoint "e": Input is too long.',
  ],
  [
    'a failed model without SageMaker’s status and original message',
    sdkError('ModelError', 'Received server error'),
    'The model behind endpoint "e" failed (status unknown): Received server error. Its logs: CloudWatch log group /aws/sagemaker/Endpoints/e.',
  ],
  [
    'a streamed model error whose message has sentences of its own: only its last full stop is dropped',
    sdkError('ModelStreamError', 'Step 1. Step 2.', { ErrorCode: 'ModelError' }),
    'The model behind endpoint "e" failed while streaming its answer (ModelError): Step 1. Step 2. Its logs: CloudWatch log group /aws/sagemaker/Endpoints/e.',
  ],
  [
    'a streamed model error without a code',
    sdkError('ModelStreamError', 'boom'),
    'The model behind endpoint "e" failed while streaming its answer: boom. Its logs: CloudWatch log group /aws/sagemaker/Endpoints/e.',
  ],
])('%s', (_case, error, message) => {
  const explained = explain(error);
  expect(explained.message).toBe(message);
  expect(explained.errorName).toBe((error as { name?: string }).name ?? 'Error');
});

test('a cold start: how long the client retried, in seconds; or, not waiting, that the request starts a copy', () => {
  const noCapacity = sdkError('ValidationError', 'Inference Component has no capacity to process this request.');
  expect(explain(noCapacity, {}, 61_400).message).toMatch(
    /^Inference component "e-model" of endpoint "e" still had no capacity after 61 s of retries\./,
  );
  expect(explain(noCapacity, { coldStartWaitMillis: 0 }).message).toMatch(
    /^Inference component "e-model" of endpoint "e" has no capacity: it is scaled to zero/,
  );
  expect(explain(noCapacity).errorName).toBe('NoCapacity');
});

test('only a ValidationError saying "no capacity" is a cold start', () => {
  expect(
    isNoCapacity(sdkError('ValidationError', 'Inference Component has NO CAPACITY to process this request.')),
  ).toBe(true);
  expect(isNoCapacity(sdkError('ModelError', 'the model has no capacity left'))).toBe(false);
  expect(isNoCapacity(sdkError('ValidationError', 'Endpoint e not found.'))).toBe(false);
  expect(isNoCapacity({ name: 'ValidationError' })).toBe(false);
  expect(isNoCapacity(undefined)).toBe(false);
});

test('an error already explained is passed on as it is, not explained again', () => {
  const explained = invocationError('There is no endpoint "e" in this region.', 'ValidationError');
  expect(explain(explained)).toBe(explained);
});
