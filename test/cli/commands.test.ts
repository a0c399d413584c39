/**
 * `llama3-ft` and its commands as a user runs them, in-process: against the loopback runtime, a
 * loopback SageMaker API (evaluate --register) and a loopback S3 (validate-data s3://...). Each test
 * loads the CLI afresh, so what a command module builds as it loads (its flag table, the flag names
 * its messages give the client's props) is judged by every test that uses it, not only by whichever
 * test happened to load it first.
 */
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Server, createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { FakeAnswer, FakeRuntime, lmiStream } from '../support/fake-runtime';
import { runCommand } from '../support/run-cli';
import { LoopbackS3 } from '../support/loopback-s3';
import { readEvaluationSamples } from '../../lib/evaluation/evaluation-samples';

const DOLLY = join(__dirname, '..', '..', 'examples', 'datasets', 'dolly-qa', 'train');
const runtime = new FakeRuntime();
const work = mkdtempSync(join(tmpdir(), 'commands-'));

beforeAll(async () => {
  await runtime.startForSdk();
  // Each test's fresh SDK would warn of Node's version again.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
});
afterAll(async () => {
  await runtime.stop();
  rmSync(work, { recursive: true, force: true });
});
beforeEach(() => {
  jest.resetModules();
  runtime.respond = undefined;
  runtime.answer = { status: 200, body: '{"generated_text":"ok"}' };
  runtime.streamAnswer = lmiStream(['o', 'k']);
});

/** Runs `llama3-ft ARGS` with `input` on stdin (a text, piped, or a stream), from a freshly loaded CLI. */
async function llama3ft(args: string[], input: string | Readable = '') {
  const { main } = require('../../lib/cli/main') as typeof import('../../lib/cli/main');
  const before = runtime.requests.length;
  const result = await runCommand((io) => main(args, io), input);
  return { ...result, requests: runtime.requests.slice(before) };
}

/** The region a request to the loopback runtime was signed for. */
const signedFor = (request: { headers: Record<string, unknown> }) =>
  /Credential=[^/]+\/\d+\/([^/]+)\//.exec(String(request.headers.authorization))?.[1];

/** A folder of its own under the run's temporary folder. */
const folder = (name: string) => {
  const path = join(work, name);
  mkdirSync(path, { recursive: true });
  return path;
};

describe('llama3-ft', () => {
  test('with no command: the commands, each beside what it does, and exit 2; --help and -h print the same, exit 0', async () => {
    const { COMMAND_NAMES } = require('../../lib/cli/main') as typeof import('../../lib/cli/main');
    const bare = await llama3ft([]);
    expect(bare.status).toBe(2);
    const lines = bare.out.split('\n');
    expect(lines.slice(0, 3)).toEqual(['Usage: llama3-ft <command> [options]', '', 'Commands:']);
    const rows = lines.slice(3, 3 + COMMAND_NAMES.length);
    expect(rows.map((row) => row.trim().split(/\s+/)[0])).toEqual(COMMAND_NAMES);
    // Every summary starts in one column: two blanks after the longest name (validate-data).
    const column = 2 + 'validate-data'.length + 2;
    for (const row of rows) expect(row.slice(column - 2, column + 1)).toMatch(/^ {2}\S$/);
    expect(rows.find((row) => row.startsWith('  split '))).toBe(
      '  split          hold out records of a dataset, reproducibly, to evaluate on',
    );
    expect(lines.slice(3 + COMMAND_NAMES.length)).toEqual([
      '',
      "Run llama3-ft <command> --help for a command's options.",
      '',
    ]);
    for (const flag of ['--help', '-h']) expect(await llama3ft([flag])).toMatchObject({ status: 0, out: bare.out });
  });

  test('an unknown command is named, and the commands listed after it; exit 2', async () => {
    const result = await llama3ft(['evalute', '--endpoint', 'e']);
    expect(result.status).toBe(2);
    expect(result.out).toBe('');
    expect(result.err).toMatch(/^Unknown command "evalute"\.\n\nUsage: llama3-ft <command> \[options\]\n/);
    expect(result.err).toContain('\n  evaluate       score a fine-tuned endpoint');
  });

  test('a failure no command words (stdin that cannot be read) is one line naming the command; LLAMA3_FT_DEBUG adds where', async () => {
    const unreadable = () =>
      new Readable({
        read() {
          this.destroy(Object.assign(new Error('read EIO'), { code: 'EIO', syscall: 'read' }));
        },
      });
    const result = await llama3ft(['invoke', '--endpoint', 'e'], unreadable());
    expect(result).toMatchObject({ status: 1, out: '', err: 'llama3-ft invoke: Error: read EIO\n', requests: [] });
    process.env.LLAMA3_FT_DEBUG = '1';
    try {
      const debug = await llama3ft(['invoke', '--endpoint', 'e'], unreadable());
      expect(debug.status).toBe(1);
      expect(debug.err).toMatch(/^llama3-ft invoke: Error: read EIO\nError: read EIO\n {4}at /);
    } finally {
      delete process.env.LLAMA3_FT_DEBUG;
    }
  });
});

describe('preflight', () => {
  test('a -c that is not key=value is refused before anything is asked of the account', async () => {
    const result = await llama3ft(['preflight', '--region', 'us-east-1', '-c', 'accept_eula']);
    expect(result).toEqual({
      status: 2,
      out: '',
      err: '-c is "accept_eula"; allowed: key=value. Fix: e.g. -c name=value.\nRun llama3-ft preflight --help for the options.\n',
      requests: [],
    });
  });
});

describe('invoke', () => {
  test('without --prompt, or with --prompt -, the prompt is read from stdin, its trailing newlines left out', async () => {
    for (const args of [[], ['--prompt', '-']]) {
      const result = await llama3ft(['invoke', '--endpoint', 'e', ...args], '  Indented question?\n\n');
      expect(result).toMatchObject({ status: 0, out: 'ok\n' });
      expect(JSON.parse(result.requests[0].body).inputs).toBe('  Indented question?');
    }
  });

  test('an empty prompt on stdin is a usage error, and nothing is sent', async () => {
    const result = await llama3ft(['invoke', '--endpoint', 'e'], '\n\n');
    expect(result).toEqual({
      status: 2,
      out: '',
      err: 'The prompt is empty: give --prompt TEXT or pipe it on stdin.\nRun llama3-ft invoke --help for the options.\n',
      requests: [],
    });
  });

  test('--timeout: an answer slower than that fails, naming the flags that would help', async () => {
    // The client's 50 ms and the runtime's 200 ms are timers of this one process: the client's is always due first.
    runtime.answer = { status: 200, body: '{"generated_text":"late"}', delayMillis: 200 };
    const result = await llama3ft(['invoke', '--endpoint', 'e', '--prompt', 'hi', '--timeout', '0.05']);
    expect(result).toMatchObject({
      status: 1,
      out: '',
      err: 'No answer from endpoint "e" within 0.05 s. Ask for fewer tokens (--max-new-tokens) or wait longer (--timeout).\n',
    });
  });

  test('--region: the request is signed for that region (else the SDK’s, from AWS_REGION)', async () => {
    const asked = await llama3ft(['invoke', '--endpoint', 'e', '--prompt', 'hi', '--region', 'eu-west-1']);
    expect(asked.requests.map(signedFor)).toEqual(['eu-west-1']);
    const unsaid = await llama3ft(['invoke', '--endpoint', 'e', '--prompt', 'hi']);
    expect(unsaid.requests.map(signedFor)).toEqual(['us-east-1']);
  });

  test('--stream: an answer of no tokens prints nothing, not an empty line', async () => {
    runtime.streamAnswer = lmiStream([]);
    const result = await llama3ft(['invoke', '--endpoint', 'e', '--prompt', 'hi', '--stream']);
    expect(result).toMatchObject({ status: 0, out: '', err: '' });
  });

  const noCapacity: FakeAnswer = {
    status: 400,
    headers: { 'x-amzn-errortype': 'ValidationError' },
    body: JSON.stringify({ message: 'Inference Component has no capacity to process this request.' }),
  };

  /**
   * Runs a command with the client's waits on a fake clock, moved a second at a time until the command ends (the
   * loopback runtime keeps real time): 30 s between attempts take no time.
   */
  async function onFakeClock<T>(run: () => Promise<T>): Promise<T> {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask', 'Date', 'hrtime', 'performance'] });
    try {
      let settled = false;
      const running = run().finally(() => (settled = true));
      for (let i = 0; i < 200 && !settled; i++) {
        await jest.advanceTimersByTimeAsync(1000);
        await new Promise((resolve) => setImmediate(resolve));
      }
      return await running;
    } finally {
      jest.useRealTimers();
    }
  }

  const invokeComponent = (...wait: string[]) =>
    llama3ft(['invoke', '--endpoint', 'e', '--inference-component', 'ic', '--prompt', 'hi', ...wait]);

  test('--no-wait and --cold-start-wait 0: a component with no capacity fails at once, saying how to wait', async () => {
    for (const wait of [['--no-wait'], ['--cold-start-wait', '0']]) {
      runtime.queue.push(noCapacity);
      const result = await onFakeClock(() => invokeComponent(...wait));
      expect(result).toMatchObject({
        status: 1,
        err:
          'Inference component "ic" of endpoint "e" has no capacity: it is scaled to zero, and this request starts a ' +
          'copy, which takes several minutes. Try again then, or wait for it (--cold-start-wait).\n',
      });
      expect(result.requests).toHaveLength(1);
    }
  });

  test('--cold-start-wait: a component with no capacity is asked again 30 s later, and stderr says so', async () => {
    runtime.queue.push(noCapacity);
    const result = await onFakeClock(() => invokeComponent('--cold-start-wait', '60'));
    expect(result).toMatchObject({
      status: 0,
      out: 'ok\n',
      err: 'ic has no capacity yet (scaled to zero: a copy is starting); retrying, 0 s of 60 s\n',
    });
    expect(result.requests).toHaveLength(2);
  });
});

describe('chat', () => {
  test('--timeout: an answer slower than that fails, naming the flags that would help', async () => {
    runtime.streamAnswer = { ...lmiStream(['late']), delayMillis: 200 };
    const result = await llama3ft(['chat', '--endpoint', 'e', '--timeout', '0.05'], 'Hi\n');
    expect(result.status).toBe(1);
    expect(result.err).toContain(
      'No answer from endpoint "e" within 0.05 s. Ask for fewer tokens (--max-new-tokens) or wait longer (--timeout).\n',
    );
  });

  test('--region: the requests are signed for that region', async () => {
    const result = await llama3ft(['chat', '--endpoint', 'e', '--region', 'eu-west-1'], 'Hi\n');
    expect(result).toMatchObject({ status: 0, out: 'ok\n' });
    expect(result.requests.map(signedFor)).toEqual(['eu-west-1']);
  });
});

describe('evaluate', () => {
  /** The endpoint answers each sample with its reference. */
  const perfect = () => {
    const references = new Map(readEvaluationSamples(DOLLY).map((s) => [s.prompt, s.reference]));
    runtime.respond = (_path, body) => ({
      status: 200,
      body: JSON.stringify({ generated_text: references.get(JSON.parse(body).inputs) }),
    });
  };

  test('a progress bar on stderr, the scores on stdout; 256 new tokens at most by default, greedy', async () => {
    perfect();
    const result = await llama3ft(['evaluate', '--endpoint', 'ft', '--data', DOLLY, '--max-samples', '2']);
    expect(result.status).toBe(0);
    expect(result.err).toBe(
      '\r[###############...............] 1/2 samples\r[##############################] 2/2 samples\n',
    );
    expect(result.out.startsWith(`2 sample(s) from ${DOLLY}\n`)).toBe(true);
    expect(result.out).toContain('\nfine-tuned     1.0000   1.0000   1.0000   2/2\n');
    expect(result.requests.map((r) => JSON.parse(r.body).parameters)).toEqual([
      { max_new_tokens: 256 },
      { max_new_tokens: 256 },
    ]);
  });

  test('--max-new-tokens is sent; --json alone writes the report', async () => {
    perfect();
    const json = join(folder('json-alone'), 'scores.json');
    const result = await llama3ft([
      'evaluate',
      '--endpoint',
      'ft',
      '--data',
      DOLLY,
      '--max-samples',
      '1',
      '--max-new-tokens',
      '64',
      '--json',
      json,
    ]);
    expect(result.status).toBe(0);
    expect(JSON.parse(result.requests[0].body).parameters).toEqual({ max_new_tokens: 64 });
    expect(JSON.parse(readFileSync(json, 'utf8'))).toMatchObject({ samples: 1, finetuned: { rouge1: 1 } });
  });

  test('data that holds no samples is a usage error; nothing is sent', async () => {
    const empty = folder('no-samples');
    writeFileSync(join(empty, 'held.jsonl'), '\n');
    const result = await llama3ft(['evaluate', '--endpoint', 'ft', '--data', empty]);
    expect(result).toEqual({
      status: 2,
      out: '',
      err: `--data ${empty} holds no samples.\nRun llama3-ft evaluate --help for the options.\n`,
      requests: [],
    });
  });

  test('a .jsonl name that is a directory: the read fails as main reports any failure, before any request', async () => {
    const data = folder('jsonl-directory');
    writeFileSync(join(data, 'a.jsonl'), `${readFileSync(join(DOLLY, 'train.jsonl'), 'utf8').split('\n')[0]}\n`);
    mkdirSync(join(data, 'b.jsonl'));
    const result = await llama3ft(['evaluate', '--endpoint', 'ft', '--data', data]);
    expect(result).toEqual({
      status: 1,
      out: '',
      err: 'llama3-ft evaluate: Error: EISDIR: illegal operation on a directory, read\n',
      requests: [],
    });
  });

  describe('--register, against a loopback SageMaker API', () => {
    const ARN = 'arn:aws:sagemaker:us-west-2:111122223333:model-package/dev-models/3';
    const calls: { target: string; region?: string; body: Record<string, unknown> }[] = [];
    let server: Server;
    let refuse = false;
    beforeAll(async () => {
      server = createServer((req, res) => {
        let body = '';
        req.on('data', (c) => (body += c));
        req.on('end', () => {
          const target = String(req.headers['x-amz-target']).replace('SageMaker.', '');
          const region = /Credential=[^/]+\/\d+\/([^/]+)\//.exec(String(req.headers.authorization))?.[1];
          calls.push({ target, region, body: JSON.parse(body) });
          const json = (status: number, answer: object, headers: Record<string, string> = {}) =>
            res
              .writeHead(status, { 'content-type': 'application/x-amz-json-1.1', ...headers })
              .end(JSON.stringify(answer));
          if (refuse) {
            return json(
              400,
              { __type: 'ValidationException', Message: 'Model package version 3 does not exist.' },
              { 'x-amzn-errortype': 'ValidationException' },
            );
          }
          if (target === 'DescribeModelPackage') {
            return json(200, {
              ModelPackageArn: ARN,
              CustomerMetadataProperties: { 'jumpstart-model-id': 'meta-textgeneration-llama-3-8b' },
            });
          }
          return json(200, { ModelPackageArn: ARN });
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      process.env.AWS_ENDPOINT_URL_SAGEMAKER = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      delete process.env.AWS_ENDPOINT_URL_SAGEMAKER;
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    });
    beforeEach(() => {
      calls.length = 0;
      refuse = false;
    });

    const register = () =>
      llama3ft(['evaluate', '--endpoint', 'ft', '--data', DOLLY, '--max-samples', '2', '--register', ARN]);

    test("the scores go to the version, in its own region, beside the metadata it had; it's said", async () => {
      perfect();
      const result = await register();
      expect(result.status).toBe(0);
      expect(result.out.endsWith(`Attached the scores to ${ARN}.\n`)).toBe(true);
      expect(calls.map((c) => [c.target, c.region])).toEqual([
        ['DescribeModelPackage', 'us-west-2'],
        ['UpdateModelPackage', 'us-west-2'],
      ]);
      const update = calls[1].body as {
        ModelPackageArn: string;
        CustomerMetadataProperties: Record<string, string>;
        ModelCard: { ModelCardContent: string };
      };
      expect(update.ModelPackageArn).toBe(ARN);
      expect(update.CustomerMetadataProperties).toMatchObject({
        'jumpstart-model-id': 'meta-textgeneration-llama-3-8b',
        'evaluation-samples': '2',
        'evaluation-data': DOLLY,
        'evaluation-rouge1': '1.0000',
      });
      const [details] = JSON.parse(update.ModelCard.ModelCardContent).evaluation_details;
      expect(details.evaluation_observation).toContain('of 2 held-out sample(s) answered by ft.');
      expect(details.datasets).toEqual([DOLLY]);
    });

    test('a refusal is reported after the scores, which stand; exit 1', async () => {
      perfect();
      refuse = true;
      const result = await register();
      expect(result.status).toBe(1);
      expect(result.out).toContain('fine-tuned     1.0000');
      expect(result.out).not.toContain('Attached');
      expect(
        result.err.endsWith(
          `llama3-ft evaluate: the scores were not attached to ${ARN}: ValidationException: Model package version 3 ` +
            'does not exist.\nFix: check the ARN, and that your credentials may call sagemaker:UpdateModelPackage on it.\n',
        ),
      ).toBe(true);
    });
  });
});

describe('estimate and split', () => {
  test('estimate prints the estimate of a configuration', async () => {
    const result = await llama3ft(['estimate', '--epoch', '2']);
    expect(result.status).toBe(0);
    expect(result.out).toMatch(/^Training estimate/);
  });

  test('split writes the halves it says', async () => {
    const out = join(work, 'split');
    const result = await llama3ft(['split', DOLLY, '--holdout', '2', '--out', out]);
    expect(result).toMatchObject({
      status: 0,
      out: `10 record(s): 8 in ${join(out, 'train')}/, 2 in ${join(out, 'holdout')}/ (seed 0)\n`,
    });
    expect(readFileSync(join(out, 'holdout', 'holdout.jsonl'), 'utf8').split('\n')).toHaveLength(3);
  });

  test('split checks the halves it wrote: a half that fails (as a fault in the split would make it) is listed, exit 1', async () => {
    // No dataset makes a valid one's halves invalid: the split is made to write a broken line into the holdout.
    jest.doMock('../../lib/datasets/dataset-split', () => {
      const actual = jest.requireActual('../../lib/datasets/dataset-split');
      return {
        ...actual,
        splitDataset: (...args: Parameters<typeof actual.splitDataset>) => {
          const split = actual.splitDataset(...args);
          appendFileSync(join(split.holdoutDirectory, 'holdout.jsonl'), '{"instruction": \n');
          return split;
        },
      };
    });
    try {
      const out = join(work, 'faulty-split');
      const result = await llama3ft(['split', DOLLY, '--holdout', '2', '--out', out]);
      expect(result.status).toBe(1);
      const lines = result.out.split('\n');
      expect(lines[0].startsWith(`${join(out, 'holdout', 'holdout.jsonl')}:3: error: is not valid JSON`)).toBe(true);
      expect(lines.slice(1)).toEqual([
        `10 record(s): 8 in ${join(out, 'train')}/, 2 in ${join(out, 'holdout')}/ (seed 0)`,
        '',
      ]);
    } finally {
      jest.dontMock('../../lib/datasets/dataset-split');
    }
  });
});

describe('validate-data', () => {
  const chat = () => {
    const dir = folder('chat');
    writeFileSync(
      join(dir, 'dialogs.jsonl'),
      `${JSON.stringify({
        dialog: [
          { role: 'user', content: 'Hi' },
          { role: 'assistant', content: 'Hello!' },
        ],
      })}\n`,
    );
    return dir;
  };

  test('data checked in the default mode that is valid in another is told which, and the hyperparameter to set', async () => {
    const instruction = await llama3ft(['validate-data', DOLLY]);
    expect(instruction.status).toBe(1);
    expect(instruction.out.split('\n').at(-2)).toBe(
      `${DOLLY} was checked as domain-adaptation data (the default); it is valid instruction data. ` +
        'Fix: pass --mode instruction (and train with instruction_tuned=True).',
    );
    const dialogs = chat();
    expect((await llama3ft(['validate-data', dialogs])).out.split('\n').at(-2)).toBe(
      `${dialogs} was checked as domain-adaptation data (the default); it is valid chat data. ` +
        'Fix: pass --mode chat (and train with chat_dataset=True).',
    );
  });

  test('no such advice for data valid in no mode, or checked in the mode asked for', async () => {
    const broken = join(__dirname, '..', 'fixtures', 'broken-datasets', 'it-errors-in-two-files', 'data');
    for (const args of [[broken], [DOLLY, '--mode', 'domain-adaptation'], [DOLLY, '--mode', 'chat']]) {
      const result = await llama3ft(['validate-data', ...args]);
      expect(result.status).toBe(1);
      expect(result.out).not.toContain('Fix: pass --mode');
    }
  });

  test('--max-problems: the problems past it are counted, not listed', async () => {
    const broken = folder('three-problems');
    writeFileSync(join(broken, 'train.jsonl'), '[1]\n"two"\n3\n');
    const limited = await llama3ft(['validate-data', broken, '--mode', 'instruction', '--max-problems', '1']);
    expect(limited.out).toBe(
      'train.jsonl:1: error: is an array, not a JSON object.\n' +
        '... and 2 more problems not listed\n' +
        `${broken}: 1 file(s), 0 sample(s), 3 error(s), 0 warning(s)\n`,
    );
    const all = await llama3ft(['validate-data', broken, '--mode', 'instruction']);
    expect(all.out).not.toContain('not listed');
    expect(all.out.split('\n')).toHaveLength(5);
  });

  describe('s3://, against a loopback S3', () => {
    // A bucket in eu-west-1; the SDK's region is AWS_REGION's, us-east-1.
    const s3 = new LoopbackS3('team-data', 'eu-west-1');
    const line = `${readFileSync(join(DOLLY, 'train.jsonl'), 'utf8').split('\n')[0]}\n`;
    beforeAll(async () => {
      s3.put('good/train.jsonl', line).put('big/train.jsonl', line, 5 * 1024 ** 3);
      process.env.AWS_ENDPOINT_URL_S3 = await s3.start();
    });
    afterAll(async () => {
      delete process.env.AWS_ENDPOINT_URL_S3;
      await s3.stop();
    });
    beforeEach(() => (s3.requests.length = 0));

    test("a bucket in another region is read there: S3's redirect is followed, or --region names it", async () => {
      const redirected = await llama3ft(['validate-data', 's3://team-data/good/', '--mode', 'instruction']);
      expect(redirected).toMatchObject({ status: 0, err: '' });
      expect(redirected.out).toContain('s3://team-data/good/: 1 file(s), 1 sample(s), 0 error(s)');
      expect(s3.requests.map((r) => r.region)).toContain('us-east-1');
      expect(s3.requests.at(-1)!.region).toBe('eu-west-1');
      s3.requests.length = 0;
      const told = await llama3ft([
        'validate-data',
        's3://team-data/good/',
        '--mode',
        'instruction',
        '--region',
        'eu-west-1',
      ]);
      expect(told.status).toBe(0);
      expect(s3.requests.map((r) => [r.path, r.region, r.range])).toEqual([
        ['/team-data/', 'eu-west-1', undefined],
        ['/team-data/good/train.jsonl', 'eu-west-1', undefined],
      ]);
    });

    test('a prefix over 4 GiB is sampled: the first part of each object is read, and stderr says how much', async () => {
      // S3 lists the object at 5 GiB; the loopback holds only its first line.
      const result = await llama3ft([
        'validate-data',
        's3://team-data/big/',
        '--mode',
        'instruction',
        '--region',
        'eu-west-1',
      ]);
      expect(result.status).toBe(0);
      expect(result.err).toBe(
        `s3://team-data/big/ holds ${5 * 1024 ** 3} bytes, over 4 GiB: checked the first 4096 MiB of each object ` +
          `(${Buffer.byteLength(line)} bytes)\n`,
      );
      expect(s3.requests.at(-1)!.range).toBe(`bytes=0-${4 * 1024 ** 3 - 1}`);
    });
  });
});
