/**
 * The client and `llama3-ft invoke` against a loopback stand-in for the
 * SageMaker runtime that returns errors and slow answers.
 */
import { spawnSync } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { join } from 'node:path';
import { FakeRuntime } from '../support/fake-runtime';

const runtime = new FakeRuntime();
let client: typeof import('../../lib/client/llama3-endpoint-client');
let cli: typeof import('../../lib/cli/main');

beforeAll(async () => {
  await runtime.startForSdk();
  client = await import('../../lib/client/llama3-endpoint-client');
  cli = await import('../../lib/cli/main');
});
afterAll(() => runtime.stop());

const error = (type: string, status: number, body: Record<string, unknown>) => ({
  status,
  headers: { 'x-amzn-errortype': type },
  body: JSON.stringify({ __type: type, ...body }),
});

test('the request body is what predictor.predict sends', async () => {
  runtime.answer = { status: 200, body: '{"generated_text":"x"}' };
  await new client.Llama3EndpointClient({ endpointName: 'e' }).generate('Hello', {
    maxNewTokens: 64,
    temperature: 0.6,
    topP: 0.9,
  });
  const last = runtime.requests[runtime.requests.length - 1];
  expect(last.path).toBe('/endpoints/e/invocations');
  expect(JSON.parse(last.body)).toEqual({
    inputs: 'Hello',
    parameters: { max_new_tokens: 64, temperature: 0.6, top_p: 0.9 },
  });
});

test.each([
  [
    'a missing endpoint',
    error('ValidationError', 400, { message: 'Endpoint e of account 123456789012 not found.' }),
    'There is no endpoint "e" in this region. Check endpointName (the stack\'s EndpointName output) and region.',
  ],
  [
    'a failing model',
    error('ModelError', 424, {
      message: 'Received server error (500)',
      OriginalStatusCode: 500,
      OriginalMessage: 'CUDA out of memory',
    }),
    'The model behind endpoint "e" failed (status 500): CUDA out of memory. Its logs: CloudWatch log group /aws/sagemaker/Endpoints/e.',
  ],
  [
    'a model still loading',
    error('ModelNotReadyException', 429, { message: 'not ready' }),
    'endpoint "e" is not ready yet; the model is still loading. Try again in a few minutes.',
  ],
])('%s becomes a readable message', async (_case, answer, message) => {
  runtime.answer = answer;
  await expect(new client.Llama3EndpointClient({ endpointName: 'e' }).generate('hi')).rejects.toThrow(message);
});

test('an answer without generated_text is reported', async () => {
  runtime.answer = { status: 200, body: '{"outputs": "x"}' };
  await expect(new client.Llama3EndpointClient({ endpointName: 'e' }).generate('hi')).rejects.toThrow(
    'answered without generated_text: {"outputs": "x"}',
  );
});

test('a slow answer times out with advice', async () => {
  runtime.answer = { status: 200, body: '{"generated_text":"late"}', delayMillis: 5000 };
  const started = Date.now();
  await expect(
    new client.Llama3EndpointClient({ endpointName: 'e', timeoutMillis: 300 }).generate('hi'),
  ).rejects.toThrow(
    /No answer from endpoint "e" within 0.3 s\. Ask for fewer tokens \(maxNewTokens\) or wait longer \(timeoutMillis\)\./,
  );
  expect(Date.now() - started).toBeLessThan(4000);
});

test('`llama3-ft invoke` prints the error and exits 1; bad flags exit 2', async () => {
  runtime.answer = error('ModelError', 424, {
    OriginalStatusCode: 400,
    OriginalMessage: 'Input validation error: inputs too long',
  });
  const stdin = new PassThrough();
  let err = '';
  const stderr = new PassThrough().on('data', (c) => (err += c));
  const ioStreams = { stdin, stdout: new PassThrough(), stderr };
  expect(await cli.main(['invoke', '--endpoint', 'e', '--prompt', 'x'], ioStreams)).toBe(1);
  expect(err).toContain('Input validation error: inputs too long');
  expect(await cli.main(['invoke', '--prompt', 'x'], ioStreams)).toBe(2);
  expect(err).toContain('--endpoint is missing');
  expect(await cli.main(['invoke', '--endpoint', 'e', '--prompt', 'x', '--temperature', 'hot'], ioStreams)).toBe(2);
  expect(err).toContain('--temperature is "hot"; allowed: a number above 0.');
});

test("`llama3-ft invoke` gives the client's timeout advice in its own flags", async () => {
  runtime.answer = { status: 200, body: '{"generated_text":"late"}', delayMillis: 5000 };
  let err = '';
  const io = {
    stdin: new PassThrough(),
    stdout: new PassThrough(),
    stderr: new PassThrough().on('data', (c) => (err += c)),
  };
  expect(await cli.main(['invoke', '--endpoint', 'e', '--prompt', 'x', '--timeout', '0.3'], io)).toBe(1);
  expect(err).toContain('Ask for fewer tokens (--max-new-tokens) or wait longer (--timeout).');
});

test('the installed command documents itself', () => {
  const result = spawnSync('node', [join(__dirname, '..', '..', 'bin', 'llama3-ft.js'), 'invoke', '--help'], {
    encoding: 'utf8',
  });
  expect(result.status).toBe(0);
  expect(result.stdout).toContain('Usage: llama3-ft invoke --endpoint NAME');
  expect(result.stdout).toContain('--max-new-tokens N');
});

describe('a scaled-to-zero endpoint: the client waits a cold start out', () => {
  const NO_CAPACITY = error('ValidationError', 400, {
    message:
      'Inference Component has no capacity to process this request. ApplicationAutoScaling may be in-progress (if configured) or try to increase the capacity by invoking UpdateInferenceComponentRuntimeConfig API.',
  });
  const component = (props: Record<string, unknown> = {}) =>
    new client.Llama3EndpointClient({
      endpointName: 'e',
      inferenceComponentName: 'e-model',
      coldStartRetryMillis: 5,
      ...props,
    });

  test('no capacity three times, then an answer: the text, after three visible retries, naming the component', async () => {
    runtime.queue.push(NO_CAPACITY, NO_CAPACITY, NO_CAPACITY);
    runtime.answer = { status: 200, body: '{"generated_text":"back"}' };
    const waits: number[][] = [];
    const before = runtime.requests.length;
    const text = await component({
      coldStartProgress: { waiting: (e: number, l: number) => waits.push([e, l]) },
    }).generate('Hi');
    expect(text).toBe('back');
    expect(waits).toHaveLength(3);
    expect(waits.every(([, limit]) => limit === 1200)).toBe(true);
    const requests = runtime.requests.slice(before);
    expect(requests).toHaveLength(4);
    for (const r of requests) expect(r.headers['x-amzn-sagemaker-inference-component']).toBe('e-model');
  });

  test('a component that never recovers: a clear message after the wait', async () => {
    runtime.answer = NO_CAPACITY;
    await expect(component({ coldStartWaitMillis: 40 }).generate('Hi')).rejects.toThrow(
      /^Inference component "e-model" of endpoint "e" still had no capacity after \d+ s of retries\. A cold start may take longer/,
    );
  });

  test('opting out of waiting fails at once, saying the request starts a copy; llama3-ft invoke --no-wait too', async () => {
    runtime.answer = NO_CAPACITY;
    const before = runtime.requests.length;
    await expect(component({ coldStartWaitMillis: 0 }).generate('Hi')).rejects.toThrow(
      'Inference component "e-model" of endpoint "e" has no capacity: it is scaled to zero, and this request starts a copy',
    );
    expect(runtime.requests.length - before).toBe(1);
    const stderr = new PassThrough();
    let errors = '';
    stderr.on('data', (c) => (errors += c));
    const status = await cli.main(
      ['invoke', '--endpoint', 'e', '--inference-component', 'e-model', '--no-wait', '--prompt', 'Hi'],
      { stdin: new PassThrough(), stdout: new PassThrough(), stderr },
    );
    expect(status).toBe(1);
    expect(errors).toContain('Inference component "e-model" of endpoint "e" has no capacity');
  });
});
