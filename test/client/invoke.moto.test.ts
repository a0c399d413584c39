/**
 * The client and `llama3-ft invoke` against moto's InvokeEndpoint on loopback,
 * whose answer the test sets through moto's API.
 */
import { PassThrough } from 'node:stream';
import { MotoServer } from '../support/moto';

const moto = new MotoServer();
let client: typeof import('../../lib/client/llama3-endpoint-client');
let cli: typeof import('../../lib/cli/main');

beforeAll(async () => {
  await moto.start();
  moto.useForSdk();
  client = await import('../../lib/client/llama3-endpoint-client');
  cli = await import('../../lib/cli/main');
});
afterAll(() => moto.stop());

async function answerWith(body: string): Promise<void> {
  const res = await fetch(`${moto.url}/moto-api/static/sagemaker/endpoint-results`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ region: 'us-east-1', results: [{ Body: body, ContentType: 'application/json' }] }),
  });
  expect(res.ok).toBe(true);
}

function io(stdinText = '') {
  const stdin = new PassThrough();
  stdin.end(stdinText);
  let out = '';
  let err = '';
  const stdout = new PassThrough().on('data', (c) => (out += c));
  const stderr = new PassThrough().on('data', (c) => (err += c));
  return { io: { stdin, stdout, stderr }, out: () => out, err: () => err };
}

test('the client returns the generated text', async () => {
  await answerWith('{"generated_text": " Paris is the capital of France."}');
  const endpoint = new client.Llama3EndpointClient({ endpointName: 'llama3-ft', region: 'us-east-1' });
  await expect(
    endpoint.generate('What is the capital of France?', { maxNewTokens: 64, temperature: 0.6, topP: 0.9 }),
  ).resolves.toBe(' Paris is the capital of France.');
});

test('a list answer is read too', async () => {
  await answerWith('[{"generated_text": "first"}]');
  await expect(new client.Llama3EndpointClient({ endpointName: 'llama3-ft-2' }).generate('hi')).resolves.toBe('first');
});

test('`llama3-ft invoke` prints the generated text', async () => {
  await answerWith('{"generated_text": "Gravity attracts masses."}');
  const run = io();
  const status = await cli.main(
    ['invoke', '--endpoint', 'llama3-ft-3', '--prompt', 'Summarize gravity', '--max-new-tokens', '32'],
    run.io,
  );
  expect(run.err()).toBe('');
  expect(status).toBe(0);
  expect(run.out()).toBe('Gravity attracts masses.\n');
});

test('`llama3-ft invoke` reads the prompt from stdin', async () => {
  await answerWith('{"generated_text": "from stdin"}');
  const run = io('A prompt piped in\n');
  expect(await cli.main(['invoke', '--endpoint', 'llama3-ft-4'], run.io)).toBe(0);
  expect(run.out()).toBe('from stdin\n');
});
