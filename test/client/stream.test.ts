/**
 * Llama3EndpointClient.generateStream against a loopback SageMaker runtime that answers in the
 * real event-stream framing (test/support/event-stream.ts), so the SDK's own decoder reads it.
 * Each container's format is sent cut into small frames: lines and UTF-8 characters split
 * across frames, as SageMaker may split them.
 */
import { FakeAnswer, FakeRuntime, lmiStream } from '../support/fake-runtime';
import { cut, payloadPart, streamException } from '../support/event-stream';

const runtime = new FakeRuntime();
let client: typeof import('../../lib/client/llama3-endpoint-client');

beforeAll(async () => {
  await runtime.startForSdk();
  client = await import('../../lib/client/llama3-endpoint-client');
});
afterAll(() => runtime.stop());

const stream = (text: string, size = 5, frameDelayMillis = 0): FakeAnswer => ({
  status: 200,
  body: '',
  frames: cut(text, size).map((part) => payloadPart(part)),
  frameDelayMillis,
});

const endpoint = (props: Record<string, unknown> = {}) =>
  new client.Llama3EndpointClient({ endpointName: 'e', ...props });

async function collect(pieces: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const piece of pieces) out.push(piece);
  return out;
}

const lastRequest = () => runtime.requests[runtime.requests.length - 1];

// djl-serving's _jsonlines_output_formatter: one token a line, the last adding generated_text.
const LMI_JSON_LINES =
  '{"token": {"id": 9906, "text": "Caf", "log_prob": -0.1}}\n' +
  '{"token": {"id": 978, "text": "é 🦙", "log_prob": -0.2}}\n' +
  '{"token": {"id": 128009, "text": "", "log_prob": -0.01}, "generated_text": "Café 🦙"}\n';
// Its sse_response_formatter (OPTION_TGI_COMPAT, or output_formatter=sse): the same lines as events.
const LMI_SSE =
  'data: {"token": {"id": 9906, "text": "Caf", "log_prob": -0.1}}\n\n' +
  'data: {"token": {"id": 978, "text": "é 🦙", "log_prob": -0.2}, "generated_text": "Café 🦙"}\n\n';
// Hugging Face TGI's generate_stream: events without a space after data:, special tokens marked.
const TGI_SSE =
  'data:{"index":1,"token":{"id":9906,"text":"Caf","logprob":-0.1,"special":false},"generated_text":null,"details":null}\n\n' +
  'data:{"index":2,"token":{"id":978,"text":"é 🦙","logprob":-0.2,"special":false},"generated_text":null,"details":null}\n\n' +
  ':\n\n' +
  'data:{"index":3,"token":{"id":128009,"text":"<|eot_id|>","logprob":-0.01,"special":true},"generated_text":"Café 🦙","details":null}\n\n';

test.each([
  ['LMI JSON Lines', LMI_JSON_LINES],
  ['LMI server-sent events', LMI_SSE],
  ['TGI server-sent events', TGI_SSE],
])('%s cut into 5-byte frames: the text, and nothing of the special tokens', async (_format, body) => {
  runtime.streamAnswer = stream(body);
  const pieces = await collect(endpoint().generateStream('Say café', { maxNewTokens: 16 }));
  expect(pieces.join('')).toBe('Café 🦙');
  expect(pieces).toEqual(['Caf', 'é 🦙']);
});

test('the request: the stream route, the predictor body with "stream": true, the component header', async () => {
  runtime.streamAnswer = lmiStream(['ok']);
  await collect(
    endpoint({ inferenceComponentName: 'e-model' }).generateStream('Hello', { maxNewTokens: 8, temperature: 0.5 }),
  );
  const request = lastRequest();
  expect(request.path).toBe('/endpoints/e/invocations-response-stream');
  expect(request.headers['x-amzn-sagemaker-inference-component']).toBe('e-model');
  expect(JSON.parse(request.body)).toEqual({
    inputs: 'Hello',
    parameters: { max_new_tokens: 8, temperature: 0.5 },
    stream: true,
  });
});

test('pieces arrive as they are generated, not when the answer is complete', async () => {
  runtime.streamAnswer = lmiStream(['one', ' two', ' three', ' four'], 250);
  const started = Date.now();
  const arrivals: number[] = [];
  for await (const _piece of endpoint().generateStream('count')) arrivals.push(Date.now() - started);
  expect(arrivals).toHaveLength(4);
  expect(arrivals[0]).toBeLessThan(arrivals[3] - 500);
});

test('messages go in the Llama 3 chat format; the text ends at the end-of-turn token even when the container sends it', async () => {
  // Some LMI versions ignore the end-of-turn token: the model runs on into a made-up next turn.
  runtime.streamAnswer = lmiStream(['Paris', '.<|eo', 't_id|><|start_header_id|>user', '<|end_header_id|>\n\nMore']);
  const pieces = await collect(
    endpoint({ modelId: 'meta-textgeneration-llama-3-8b-instruct' }).generateStream([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Capital of France?' },
    ]),
  );
  expect(pieces.join('')).toBe('Paris.');
  const body = JSON.parse(lastRequest().body);
  expect(body.inputs).toBe(
    '<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nBe brief.<|eot_id|>' +
      '<|start_header_id|>user<|end_header_id|>\n\nCapital of France?<|eot_id|>' +
      '<|start_header_id|>assistant<|end_header_id|>\n\n',
  );
  expect(body.parameters.stop).toEqual(['<|eot_id|>']);
});

test('a base model takes no messages: refused before anything is sent', () => {
  const before = runtime.requests.length;
  expect(() =>
    endpoint({ modelId: 'meta-textgeneration-llama-3-8b' }).generateStream([{ role: 'user', content: 'Hi' }]),
  ).toThrow('modelId is "meta-textgeneration-llama-3-8b", a base model: it continues text and has no chat format');
  expect(() => endpoint().generateStream([{ role: 'assistant', content: 'Hi' }])).toThrow(
    'user and assistant take turns',
  );
  expect(() => endpoint().generateStream('x', { maxNewTokens: 0 })).toThrow('maxNewTokens is 0');
  expect(runtime.requests.length).toBe(before);
});

test('an unknown modelId is refused with the known ones', () => {
  expect(() => endpoint({ modelId: 'llama' })).toThrow(/modelId is "llama", which is not a known model; known: /);
});

describe('errors inside the stream surface with SageMaker message', () => {
  test('ModelStreamError after some text: the text so far, then the error with its code', async () => {
    runtime.streamAnswer = {
      status: 200,
      body: '',
      frames: [
        payloadPart('{"token": {"id": 1, "text": "Hel", "log_prob": -1}}\n'),
        streamException('ModelStreamError', {
          Message: 'CUDA error: device-side assert triggered',
          ErrorCode: 'ModelError',
        }),
      ],
    };
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const piece of endpoint().generateStream('x')) seen.push(piece);
      })(),
    ).rejects.toThrow(
      'The model behind endpoint "e" failed while streaming its answer (ModelError): CUDA error: device-side assert triggered. Its logs: CloudWatch log group /aws/sagemaker/Endpoints/e.',
    );
    expect(seen).toEqual(['Hel']);
  });

  test('InternalStreamFailure', async () => {
    runtime.streamAnswer = {
      status: 200,
      body: '',
      frames: [streamException('InternalStreamFailure', { Message: 'Internal stream failure, please retry.' })],
    };
    await expect(collect(endpoint().generateStream('x'))).rejects.toThrow(
      'SageMaker\'s stream from endpoint "e" failed: Internal stream failure, please retry. The answer is incomplete; ask again.',
    );
  });

  test("the LMI container's own error line (finish_reason error), and TGI's error event", async () => {
    runtime.streamAnswer = stream(
      '{"token": {"id": -1, "text": "", "log_prob": -1, "special_token": true}, "generated_text": "", "details": {"finish_reason": "error"}}\n',
    );
    await expect(collect(endpoint().generateStream('x'))).rejects.toThrow(
      'The model behind endpoint "e" failed while answering: generation failed mid-answer (the container reported finish_reason "error")',
    );
    runtime.streamAnswer = stream(
      'data:{"error":"Request failed during generation: Server error: OOM","error_type":"generation"}\n\n',
    );
    await expect(collect(endpoint().generateStream('x'))).rejects.toThrow(
      'failed while answering: Request failed during generation: Server error: OOM',
    );
  });

  test('a line that is not JSON is reported with the line', async () => {
    runtime.streamAnswer = stream('<html>Bad gateway</html>\n');
    await expect(collect(endpoint().generateStream('x'))).rejects.toThrow(
      'Endpoint "e" streamed a line that is not JSON: "<html>Bad gateway</html>"',
    );
  });
});

test('scaled to zero: "no capacity" twice, then the stream; the waits are told', async () => {
  const noCapacity = {
    status: 400,
    headers: { 'x-amzn-errortype': 'ValidationError' },
    body: JSON.stringify({
      __type: 'ValidationError',
      message:
        'Inference Component has no capacity to process this request. ApplicationAutoScaling may be in-progress.',
    }),
  };
  runtime.queue.push(noCapacity, noCapacity);
  runtime.streamAnswer = lmiStream(['back']);
  const waits: number[] = [];
  const before = runtime.requests.length;
  const pieces = await collect(
    endpoint({
      inferenceComponentName: 'e-model',
      coldStartRetryMillis: 5,
      coldStartProgress: { waiting: (elapsed: number) => waits.push(elapsed) },
    }).generateStream('Hi'),
  );
  expect(pieces).toEqual(['back']);
  expect(waits).toHaveLength(2);
  const requests = runtime.requests.slice(before);
  expect(requests.map((r) => r.path)).toEqual(Array(3).fill('/endpoints/e/invocations-response-stream'));
});

test('cancel() ends the answer where it is, without an error, and closes the request', async () => {
  runtime.streamAnswer = lmiStream(['a', 'b', 'c', 'd', 'e', 'f'], 200);
  const abandoned = runtime.abandoned;
  const answer = endpoint().generateStream('x');
  const seen: string[] = [];
  for await (const piece of answer) {
    seen.push(piece);
    if (seen.length === 2) answer.cancel();
  }
  expect(seen).toEqual(['a', 'b']);
  await new Promise((r) => setTimeout(r, 100));
  expect(runtime.abandoned).toBe(abandoned + 1);
});

test('nextPiece() reads the same stream for languages without async iterators', async () => {
  runtime.streamAnswer = lmiStream(['x', 'y']);
  const answer = endpoint().generateStream('x');
  expect(await answer.nextPiece()).toEqual({ text: 'x', done: false });
  expect(await answer.nextPiece()).toEqual({ text: 'y', done: false });
  expect(await answer.nextPiece()).toEqual({ text: '', done: true });
});
