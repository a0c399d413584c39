/** Every bad flag value gets a message and exit status 2, never a stack trace. */
import { PassThrough, Readable } from 'node:stream';
import { main } from '../../lib/cli/main';

async function run(...args: string[]): Promise<{ status: number; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let err = '';
  stderr.on('data', (chunk) => (err += chunk));
  stdout.resume();
  const status = await main(args, { stdin: Readable.from(['a prompt']), stdout, stderr });
  return { status, stderr: err };
}

test.each([
  [['invoke', '--endpoint', 'bad name', '--prompt', 'hi'], /--endpoint is "bad name"; allowed: 1 to 63 letters/],
  [
    ['invoke', '--endpoint', 'e', '--region', 'us east', '--prompt', 'hi'],
    /--region is "us east"; allowed: an AWS Region name/,
  ],
  [['invoke', '--endpoint', 'e', '--timeout=-3', '--prompt', 'hi'], /--timeout is "-3"; allowed: seconds above 0/],
  [
    ['invoke', '--endpoint', 'e', '--top-p', '5', '--prompt', 'hi'],
    /--top-p is "5"; allowed: a number above 0 and at most 1/,
  ],
  [
    ['invoke', '--endpoint', 'e', '--max-new-tokens=0', '--prompt', 'hi'],
    /--max-new-tokens is "0"; allowed: an integer from 1 to 8192/,
  ],
  [
    ['invoke', '--endpoint', 'e', '--temperature', 'hot', '--prompt', 'hi'],
    /--temperature is "hot"; allowed: a number above 0/,
  ],
  [['estimate', '--samples', '0'], /--samples is "0"; allowed: an integer >= 1/],
  [['estimate', '--epoch', '1e3'], /--epoch is "1e3", which is not an integer\. Fix: e\.g\. --epoch 5/],
  [['estimate', '--epoch', '5000'], /--epoch is 5000; allowed: an integer from 1 to 1000/],
  [['estimate', '--model_id', 'llama'], /is "llama", which is not a known model/],
  [['validate-data', '.', '--mode', 'sft'], /--mode is "sft"/],
])('llama3-ft %j', async (args, message) => {
  const { status, stderr } = await run(...args);
  expect(status).toBe(2);
  expect(stderr).toMatch(message);
  expect(stderr).not.toMatch(/\n\s+at /);
});

test('Llama3EndpointClient refuses what InvokeEndpoint would, naming its props', () => {
  const { Llama3EndpointClient } = require('../../lib');
  expect(() => new Llama3EndpointClient({ endpointName: 'my_endpoint' })).toThrow(
    /endpointName is "my_endpoint"; allowed: 1 to 63/,
  );
  expect(() => new Llama3EndpointClient({ endpointName: 'e', region: 'US-EAST-1' })).toThrow(/region is "US-EAST-1"/);
  expect(() => new Llama3EndpointClient({ endpointName: 'e', timeoutMillis: -1 })).toThrow(/timeoutMillis is -1/);
});

test.each([
  [['invoke', '--endpont', 'e'], /Unknown option '--endpont'.* Did you mean --endpoint\?/],
  [['validate-data', '.', '--max-input-lenght', '256'], /Did you mean --max-input-length\?/],
  [
    ['estimate', '--instance-typ', 'ml.g5.12xlarge'],
    /Unknown option '--instance-typ'.* Did you mean --instance-type\?/,
  ],
])('a mistyped flag %j gets a "did you mean"', async (args, message) => {
  const { status, stderr } = await run(...args);
  expect(status).toBe(2);
  expect(stderr).toMatch(message);
});

test('every command takes kebab-case flags and the context-key spelling alike', async () => {
  const dir = require('node:path').join(__dirname, '..', '..', 'examples', 'datasets', 'dolly-qa', 'train');
  for (const flag of ['--max-input-length', '--max_input_length']) {
    expect((await run('validate-data', dir, '--mode', 'instruction', flag, '256')).status).toBe(0);
  }
});

test('validate-data checks the default training mode, domain adaptation, when --mode is left out', async () => {
  const dir = require('node:path').join(__dirname, '..', 'fixtures', 'broken-datasets', 'da-two-files', 'data');
  const { status } = await run('validate-data', dir);
  expect(status).toBe(1);
});
