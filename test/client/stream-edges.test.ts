/**
 * The client at the edges of an answer, against the loopback runtime: what the SDK hands over
 * as members of the stream rather than throwing (an event type it does not know, a
 * ModelStreamError or InternalStreamFailure framed as an event), where the answer ends (a stop
 * sequence, the caller leaving, a stall past the timeout, a last line without its newline), and
 * a whole answer that is not what the container should send.
 */
import { FakeRuntime, lmiStream } from '../support/fake-runtime';
import { frame, payloadPart } from '../support/event-stream';

const runtime = new FakeRuntime();
let client: typeof import('../../lib/client/llama3-endpoint-client');

beforeAll(async () => {
  await runtime.startForSdk();
  client = await import('../../lib/client/llama3-endpoint-client');
});
afterAll(() => runtime.stop());

const endpoint = (props: Record<string, unknown> = {}) =>
  new client.Llama3EndpointClient({ endpointName: 'e', ...props });

const event = (type: string, body: object) =>
  frame(
    { ':event-type': type, ':content-type': 'application/json', ':message-type': 'event' },
    Buffer.from(JSON.stringify(body)),
  );

/** The pieces of an answer, and the error that ended it (its message and errorName). */
async function read(pieces: AsyncIterable<string>): Promise<{ seen: string[]; error?: string; errorName?: string }> {
  const seen: string[] = [];
  try {
    for await (const piece of pieces) seen.push(piece);
  } catch (error) {
    return { seen, error: (error as Error).message, errorName: (error as { errorName?: string }).errorName };
  }
  return { seen };
}

const answer = (frames: Buffer[]) => {
  runtime.streamAnswer = { status: 200, body: '', frames };
  return read(endpoint().generateStream('x'));
};

test('an event of a type the SDK does not know is skipped', async () => {
  expect(
    await answer([
      payloadPart('{"token": {"text": "a"}}\n'),
      event('SomethingNew', {}),
      payloadPart('{"token": {"text": "b"}}\n'),
    ]),
  ).toEqual({ seen: ['a', 'b'] });
});

test('a ModelStreamError or InternalStreamFailure handed over as an event ends the answer, explained', async () => {
  expect(
    await answer([
      payloadPart('{"token": {"text": "a"}}\n'),
      event('ModelStreamError', { Message: 'device-side assert', ErrorCode: 'ModelError' }),
      payloadPart('{"token": {"text": "b"}}\n'),
    ]),
  ).toEqual({
    seen: ['a'],
    error:
      'The model behind endpoint "e" failed while streaming its answer (ModelError): device-side assert. Its logs: CloudWatch log group /aws/sagemaker/Endpoints/e.',
    errorName: 'ModelStreamError',
  });
  expect(
    await answer([
      event('InternalStreamFailure', { Message: 'Internal stream failure.' }),
      payloadPart('{"token": {"text": "b"}}\n'),
    ]),
  ).toEqual({
    seen: [],
    error:
      'SageMaker\'s stream from endpoint "e" failed: Internal stream failure. The answer is incomplete; ask again.',
    errorName: 'InternalStreamFailure',
  });
});

test('a last line without its newline is read when the stream ends', async () => {
  expect(await answer([payloadPart('{"token": {"text": "a"}}\n{"token": {"text": "b"}}')])).toEqual({
    seen: ['a', 'b'],
  });
});

test('text held back as the start of a stop sequence is shown when the answer ends without it', async () => {
  runtime.streamAnswer = lmiStream(['Paris', '.<|eo']);
  const chat = endpoint({ modelId: 'meta-textgeneration-llama-3-8b-instruct' });
  expect(await read(chat.generateStream([{ role: 'user', content: 'Capital of France?' }]))).toEqual({
    seen: ['Paris', '.', '<|eo'],
  });
});

test('a last line without its newline that may begin a stop sequence is held, then shown whole', async () => {
  runtime.streamAnswer = {
    status: 200,
    body: '',
    frames: [payloadPart('{"token": {"text": "Paris"}}\n{"token": {"text": "<|eo"}}')],
  };
  const chat = endpoint({ modelId: 'meta-textgeneration-llama-3-8b-instruct' });
  expect(await read(chat.generateStream([{ role: 'user', content: 'Capital of France?' }]))).toEqual({
    seen: ['Paris', '<|eo'],
  });
});

test('at a stop sequence the answer ends and the request is closed: the rest is not waited for', async () => {
  runtime.streamAnswer = lmiStream(['Paris.', '<|eot_id|>', 'made', ' up', ' turn'], 300);
  const abandoned = runtime.abandoned;
  const started = Date.now();
  const chat = endpoint({ modelId: 'meta-textgeneration-llama-3-8b-instruct' });
  expect(await read(chat.generateStream([{ role: 'user', content: 'Capital of France?' }]))).toEqual({
    seen: ['Paris.'],
  });
  // The two frames before the stop come 0.3 s apart; the three after it would take 0.9 s more.
  expect(Date.now() - started).toBeLessThan(1100);
  await new Promise((r) => setTimeout(r, 100));
  expect(runtime.abandoned).toBe(abandoned + 1);
});

test('a caller that stops reading closes the request', async () => {
  runtime.streamAnswer = lmiStream(['a', 'b', 'c', 'd'], 200);
  const abandoned = runtime.abandoned;
  for await (const piece of endpoint().generateStream('x')) {
    expect(piece).toBe('a');
    break;
  }
  await new Promise((r) => setTimeout(r, 100));
  expect(runtime.abandoned).toBe(abandoned + 1);
});

test('an answer that stalls mid-stream past timeoutMillis ends with the timeout advice', async () => {
  runtime.streamAnswer = lmiStream(['a', 'b'], 1000);
  const result = await read(endpoint({ timeoutMillis: 300 }).generateStream('x'));
  expect(result.seen).toEqual(['a']);
  expect(result.error).toBe(
    'No answer from endpoint "e" within 0.3 s. Ask for fewer tokens (maxNewTokens) or wait longer (timeoutMillis).',
  );
});

test('a missing endpoint, streamed: explained once, as generate() explains it', async () => {
  runtime.queue.push({
    status: 400,
    headers: { 'x-amzn-errortype': 'ValidationError' },
    body: JSON.stringify({ __type: 'ValidationError', message: 'Endpoint e of account 123456789012 not found.' }),
  });
  expect(await read(endpoint().generateStream('x'))).toEqual({
    seen: [],
    error: 'There is no endpoint "e" in this region. Check endpointName (the stack\'s EndpointName output) and region.',
    errorName: 'ValidationError',
  });
});

describe('generate(): a whole answer', () => {
  const generate = async (body: string) => {
    runtime.answer = { status: 200, body };
    try {
      return await endpoint().generate('x');
    } catch (error) {
      return `error: ${(error as Error).message}`;
    }
  };

  test("the container's {generated_text}, or the first of a list of them", async () => {
    expect(await generate('{"generated_text": "one"}')).toBe('one');
    expect(await generate('[{"generated_text": "first"}, {"generated_text": "second"}]')).toBe('first');
  });

  test('anything else is named, its first 200 characters shown', async () => {
    expect(await generate('<html>Bad gateway</html>')).toBe(
      'error: Endpoint "e" answered with something other than JSON: <html>Bad gateway</html>',
    );
    expect(await generate('[]')).toBe('error: Endpoint "e" answered without generated_text: []');
    expect(await generate('null')).toBe('error: Endpoint "e" answered without generated_text: null');
    const long = `[${'1,'.repeat(200)}1]`;
    expect(await generate(long)).toBe(`error: Endpoint "e" answered without generated_text: ${long.slice(0, 200)}`);
    const notJson = 'x'.repeat(300);
    expect(await generate(notJson)).toBe(
      `error: Endpoint "e" answered with something other than JSON: ${'x'.repeat(200)}`,
    );
  });

  test('the region given is the one the request is signed for', async () => {
    runtime.answer = { status: 200, body: '{"generated_text": "x"}' };
    await endpoint({ region: 'eu-west-3' }).generate('x');
    expect(runtime.requests[runtime.requests.length - 1].headers.authorization).toContain('/eu-west-3/sagemaker/');
  });
});

test('a cold start waits coldStartRetryMillis between tries, and tells the seconds waited so far', async () => {
  const noCapacity = {
    status: 400,
    headers: { 'x-amzn-errortype': 'ValidationError' },
    body: JSON.stringify({ __type: 'ValidationError', message: 'Inference Component has no capacity.' }),
  };
  runtime.queue.push(noCapacity, noCapacity);
  runtime.answer = { status: 200, body: '{"generated_text": "back"}' };
  const waits: [number, number][] = [];
  const started = Date.now();
  const text = await endpoint({
    inferenceComponentName: 'e-model',
    coldStartRetryMillis: 150,
    coldStartWaitMillis: 90_000,
    coldStartProgress: { waiting: (elapsed: number, limit: number) => waits.push([elapsed, limit]) },
  }).generate('x');
  expect(text).toBe('back');
  expect(Date.now() - started).toBeGreaterThanOrEqual(300);
  // Whole seconds: the tries so far took well under one; the limit is 90 s.
  expect(waits).toEqual([
    [0, 90],
    [0, 90],
  ]);
});

test('cancel() while a cold start is waited out ends the answer at once, even when called as the wait is told', async () => {
  const noCapacity = {
    status: 400,
    headers: { 'x-amzn-errortype': 'ValidationError' },
    body: JSON.stringify({ __type: 'ValidationError', message: 'Inference Component has no capacity.' }),
  };
  runtime.respond = () => noCapacity;
  const before = runtime.requests.length;
  const started = Date.now();
  const answer = endpoint({
    inferenceComponentName: 'e-model',
    coldStartRetryMillis: 10_000,
    coldStartProgress: { waiting: () => answer.cancel() },
  }).generateStream('x');
  expect(await read(answer)).toEqual({ seen: [] });
  expect(Date.now() - started).toBeLessThan(3000);
  expect(runtime.requests.length - before).toBe(1);
  runtime.respond = undefined;
});
