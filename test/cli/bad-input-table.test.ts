/**
 * Every flag of every `llama3-ft` command, given bad values (and good ones, so that the checks
 * cannot pass by refusing everything): each row asserts the exit status and the words a user
 * needs (the flag, the value as given, what is allowed), that no stack trace is printed, and,
 * for the commands that pay for requests (invoke, evaluate, chat), that a refused line sent none.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeRuntime } from '../support/fake-runtime';
import type { FlagTable } from '../../lib/cli/command-line';
import type { runCommand as RunCommand } from '../support/run-cli';

const DOLLY = join(__dirname, '..', '..', 'examples', 'datasets', 'dolly-qa', 'train');
const runtime = new FakeRuntime();
const work = mkdtempSync(join(tmpdir(), 'bad-input-'));
const FILE = join(work, 'a-file.txt');
const BROKEN = join(work, 'broken');
const BAD_TEMPLATE = join(work, 'bad-template.json');
const OUT = join(work, 'out');
// A folder that does not exist, in the run's own temporary folder: a command that wrongly created it (as a
// mutant may) leaves nothing behind for the next run to find.
const ABSENT = join(work, 'no', 'such', 'dir');

let runCommand: typeof RunCommand;
let main: typeof import('../../lib/cli/main').main;
let preflightCommand: typeof import('../../lib/app/preflight').preflightCommand;

beforeAll(async () => {
  await runtime.startForSdk();
  // Nothing listens on the discard port: an S3 read meets a refused connection, as offline.
  process.env.AWS_ENDPOINT_URL_S3 = 'http://127.0.0.1:9';
  ({ runCommand } = await import('../support/run-cli'));
  ({ main } = await import('../../lib/cli/main'));
  ({ preflightCommand } = await import('../../lib/app/preflight'));
  writeFileSync(FILE, 'not a directory\n');
  mkdirSync(BROKEN);
  writeFileSync(
    join(BROKEN, 'train.jsonl'),
    '{"instruction": "a", "context": "", "response": "b"}\n{"instruction": \n',
  );
  writeFileSync(BAD_TEMPLATE, '{"prompt": 1}');
  mkdirSync(OUT);
});
afterAll(async () => {
  await runtime.stop();
  rmSync(work, { recursive: true, force: true });
});

/** A stand-in account for preflight: it answers as the default stack needs, and counts what it is asked. */
let preflightRequests = 0;
async function account(): Promise<import('../../lib/app/preflight-checks').PreflightAws> {
  const asked =
    <T>(value: T) =>
    async () => {
      preflightRequests++;
      return value;
    };
  return {
    region: 'us-east-1',
    sageMakerQuotas: asked([
      { name: 'ml.g5.12xlarge for training job usage', code: 'L-T', value: 1 },
      { name: 'ml.g5.12xlarge for endpoint usage', code: 'L-E', value: 1 },
    ]),
    stackOutputs: asked({ BootstrapVersion: '21' }),
    stackResource: asked('exec-role'),
    hubContentVersion: asked('2.4.0'),
    listKeys: asked(['k']),
    objectKmsKey: asked(undefined),
    isAwsManagedKey: asked(false),
    canary: () => {
      throw new Error('not in this test');
    },
  };
}

async function run(command: string, args: string[]) {
  if (command === 'preflight') {
    const cwd = mkdtempSync(join(work, 'preflight-'));
    return runCommand((io) => preflightCommand([...args, '-c', 'accept_eula=true'], io, account, cwd));
  }
  // chat asks one question, piped.
  return runCommand((io) => main([command, ...args], io), command === 'chat' ? 'hi\n' : '');
}

/** command, its arguments, the exit status, and the words the output must hold. */
type Row = [string, string[], number, string[]];

const E = ['--endpoint', 'ft', '--prompt', 'hi'];
const EV = ['--endpoint', 'ft', '--data', DOLLY, '--max-samples', '1'];
const C = ['--endpoint', 'ft'];
const INSTRUCT = 'meta-textgeneration-llama-3-8b-instruct';

export const ROWS: Row[] = [
  // invoke
  ['invoke', E, 0, ['ok']],
  ['invoke', ['--endpoint', 'bad_name', '--prompt', 'hi'], 2, ['--endpoint', '"bad_name"', '1 to 63 letters']],
  ['invoke', ['--prompt', 'hi'], 2, ['--endpoint is missing']],
  ['invoke', ['--endpoint', 'ft', '--prompt', ''], 2, ['--prompt', '""', 'non-empty']],
  ['invoke', [...E, '--max-new-tokens', '0'], 2, ['--max-new-tokens', '"0"', 'from 1 to 8192']],
  ['invoke', [...E, '--max-new-tokens', '8193'], 2, ['--max-new-tokens', '"8193"', 'from 1 to 8192']],
  ['invoke', [...E, '--max-new-tokens', '1.5'], 2, ['--max-new-tokens', '"1.5"', 'an integer']],
  ['invoke', [...E, '--max-new-tokens', '8192'], 0, ['ok']],
  // Only digits, with a sign: no exponent, no hex, though Number() reads both.
  [
    'invoke',
    [...E, '--max-new-tokens', '1e3'],
    2,
    ['--max-new-tokens is "1e3"; allowed: an integer from 1 to 8192. Fix: e.g. --max-new-tokens 256.'],
  ],
  [
    'invoke',
    [...E, '--max-new-tokens', '0x10'],
    2,
    ['--max-new-tokens is "0x10"; allowed: an integer from 1 to 8192.'],
  ],
  ['invoke', [...E, '--temperature', '0'], 2, ['--temperature', '"0"', 'above 0']],
  ['invoke', [...E, '--temperature', 'NaN'], 2, ['--temperature', '"NaN"', 'above 0']],
  ['invoke', [...E, '--temperature', 'Infinity'], 2, ['--temperature', '"Infinity"']],
  ['invoke', [...E, '--temperature', '0x10'], 2, ['--temperature', '"0x10"']],
  ['invoke', [...E, '--temperature', '0.6'], 0, ['ok']],
  ['invoke', [...E, '--temperature', '+0.6'], 0, ['ok']],
  ['invoke', [...E, '--top-p', '1.5'], 2, ['--top-p', '"1.5"', 'above 0 and at most 1']],
  ['invoke', [...E, '--top-p', '0'], 2, ['--top-p', '"0"', 'above 0 and at most 1']],
  ['invoke', [...E, '--top-p', '1'], 0, ['ok']],
  ['invoke', [...E, '--top-p', '.95'], 0, ['ok']],
  ['invoke', [...E, '--top-k', '0'], 2, ['--top-k', '"0"', '>= 1']],
  ['invoke', [...E, '--top-k', 'many'], 2, ['--top-k', '"many"', 'an integer']],
  ['invoke', [...E, '--top-k', '50'], 0, ['ok']],
  ['invoke', [...E, '--repetition-penalty', '-1'], 2, ['--repetition-penalty', '"-1"', 'above 0']],
  ['invoke', [...E, '--repetition-penalty', '1.1'], 0, ['ok']],
  ['invoke', [...E, '--stop', ''], 2, ['--stop', '""', 'non-empty']],
  ['invoke', [...E, '--stop', '<|eot_id|>', '--stop', '\n'], 0, ['ok']],
  ['invoke', [...E, '--region', 'not a region'], 2, ['--region is "not a region"', 'such as us-east-1']],
  ['invoke', [...E, '--region', 'US-EAST-1'], 2, ['--region', '"US-EAST-1"']],
  ['invoke', [...E, '--region', 'eu-west-1'], 0, ['ok']],
  ['invoke', [...E, '--timeout', '5000000'], 2, ['--timeout', '"5000000"', 'seconds', 'at most 3600']],
  ['invoke', [...E, '--timeout', '0'], 2, ['--timeout', '"0"', 'seconds above 0']],
  ['invoke', [...E, '--timeout', '-3'], 2, ['--timeout', '"-3"', 'seconds above 0']],
  ['invoke', [...E, '--timeout', '2m'], 2, ['--timeout', '"2m"', 'seconds']],
  ['invoke', [...E, '--timeout', '0.5'], 0, ['ok']],
  ['invoke', [...E, '--timeout', '12.5'], 0, ['ok']],
  // Blanks around a number, as a command substitution may give it, are not part of it.
  ['invoke', [...E, '--timeout', ' 30 '], 0, ['ok']],
  ['invoke', [...E, '--inference-component', 'ic one'], 2, ['--inference-component', '"ic one"', '1 to 63']],
  ['invoke', [...E, '--inference-component', 'ft-model'], 0, ['ok']],
  ['invoke', [...E, '--cold-start-wait=-1'], 2, ['--cold-start-wait', '"-1"', 'seconds from 0 to 86400', '--no-wait']],
  ['invoke', [...E, '--cold-start-wait', '86401'], 2, ['--cold-start-wait', '"86401"', 'seconds from 0 to 86400']],
  ['invoke', [...E, '--cold-start-wait', '600'], 0, ['ok']],
  ['invoke', [...E, '--cold-start-wait', '0'], 0, ['ok']],
  ['invoke', [...E, '--no-wait', '--cold-start-wait', '60'], 2, ['--no-wait', '--cold-start-wait', 'one of them']],
  ['invoke', [...E, '--no-wait'], 0, ['ok']],
  ['invoke', [...E, '--no-wait=yes'], 2, ['--no-wait']],
  ['invoke', ['--help'], 0, ['--cold-start-wait SECONDS']],
  ['invoke', ['-h'], 0, ['Usage: llama3-ft invoke']],
  // A value joined to its flag leaves the next argument alone, though it starts with a dash.
  ['invoke', ['--endpoint=ft', '-h'], 0, ['Usage: llama3-ft invoke']],
  ['invoke', [...E, 'stray'], 2, ["Unexpected argument 'stray'. This command does not take positional arguments"]],
  // A value that ends like a flag is still a value: the dash after it is not taken for that flag's.
  ['invoke', ['--endpoint', 'ft', '--prompt', 'Explain --timeout', '-h'], 0, ['Usage: llama3-ft invoke']],
  ['invoke', [...E, '--endpont', 'x'], 2, ['--endpont', 'Did you mean --endpoint?']],
  ['invoke', [...E, '--timeout'], 2, ['--timeout']],
  // A flag where a value should be: the value was forgotten.
  ['invoke', ['--endpoint', 'ft', '--prompt', '--stream'], 2, ["Option '--prompt' argument is ambiguous"]],
  ['invoke', [...E, '--stream'], 0, ['ok']],
  ['invoke', [...E, '--stream=yes'], 2, ['--stream']],
  ['invoke', [...E, '--model-id', 'llama'], 2, ['--model-id', '"llama"', INSTRUCT]],
  ['invoke', [...E, '--model-id', INSTRUCT, '--stream'], 0, ['ok']],
  ['invoke', [...E, '--model-id', 'meta-textgeneration-llama-3-8b'], 0, ['ok']],
  // chat
  ['chat', C, 0, ['ok', 'Chatting with endpoint ft', 'tokens/s']],
  ['chat', [], 2, ['--endpoint is missing']],
  ['chat', ['--endpoint', 'bad_name'], 2, ['--endpoint', '"bad_name"', '1 to 63 letters']],
  ['chat', [...C, '--inference-component', 'ic one'], 2, ['--inference-component', '"ic one"', '1 to 63']],
  ['chat', [...C, '--inference-component', 'ft-model'], 0, ['ok']],
  ['chat', [...C, '--model-id', 'llama'], 2, ['--model-id', '"llama"', INSTRUCT]],
  ['chat', [...C, '--model-id', 'meta-textgeneration-llama-3-70b'], 2, ['--model-id is', 'a base model']],
  ['chat', [...C, '--model-id', 'meta-textgeneration-llama-3-2-1b-instruct'], 0, ['131072-token context', 'ok']],
  ['chat', [...C, '--system', ''], 2, ['--system', '""', 'non-empty']],
  ['chat', [...C, '--system', 'Be brief.'], 0, ['ok']],
  ['chat', [...C, '--max-new-tokens', '0'], 2, ['--max-new-tokens', '"0"', 'from 1 to 8192']],
  ['chat', [...C, '--max-new-tokens', '8193'], 2, ['--max-new-tokens', '"8193"', 'from 1 to 8192']],
  ['chat', [...C, '--max-new-tokens', '64'], 0, ['ok']],
  ['chat', [...C, '--temperature', '0'], 2, ['--temperature', '"0"', 'above 0']],
  ['chat', [...C, '--temperature', '0.6'], 0, ['ok']],
  ['chat', [...C, '--top-p', '1.5'], 2, ['--top-p', '"1.5"', 'above 0 and at most 1']],
  ['chat', [...C, '--top-p', '0.9'], 0, ['ok']],
  ['chat', [...C, '--region', 'not a region'], 2, ['--region is "not a region"', 'such as us-east-1']],
  ['chat', [...C, '--region', 'eu-west-1'], 0, ['ok']],
  ['chat', [...C, '--timeout', '0'], 2, ['--timeout', '"0"', 'seconds above 0']],
  ['chat', [...C, '--timeout', '30'], 0, ['ok']],
  ['chat', ['--help'], 0, ['--system TEXT', '/reset']],
  ['chat', [...C, '--sytem', 'x'], 2, ['--sytem', 'Did you mean --system?']],
  // evaluate
  ['evaluate', EV, 0, ['1 sample(s)']],
  ['evaluate', ['--data', DOLLY], 2, ['--endpoint is missing']],
  ['evaluate', ['--endpoint', 'ft'], 2, ['--data is missing']],
  ['evaluate', ['--endpoint', 'f_t', '--data', DOLLY], 2, ['--endpoint', '"f_t"', '1 to 63']],
  ['evaluate', [...EV, '--baseline-endpoint', 'b@se'], 2, ['--baseline-endpoint', '"b@se"', '1 to 63']],
  ['evaluate', [...EV, '--baseline-endpoint', 'ft'], 2, ['--baseline-endpoint', '"ft"', 'itself']],
  ['evaluate', [...EV, '--baseline-endpoint', 'base'], 0, ['difference']],
  ['evaluate', [...EV, '--inference-component', '-x'], 2, ['--inference-component', '"-x"', '1 to 63']],
  ['evaluate', [...EV, '--inference-component', 'm', '--baseline-endpoint', 'ft'], 0, ['1 sample(s)']],
  ['evaluate', [...EV, '--baseline-inference-component', 'b'], 2, ['--baseline-inference-component', 'without']],
  ['evaluate', [...EV, '--baseline-endpoint', 'base', '--baseline-inference-component', 'b c'], 2, ['"b c"']],
  [
    'evaluate',
    [...EV, '--inference-component', 'm', '--baseline-endpoint', 'ft', '--baseline-inference-component', 'm'],
    2,
    ['--baseline-endpoint', 'itself'],
  ],
  [
    'evaluate',
    ['--endpoint', 'ft', '--data', join(work, 'none')],
    2,
    ['--data', 'none"', 'an existing file or directory'],
  ],
  ['evaluate', ['--endpoint', 'ft', '--data', BROKEN], 1, ['train.jsonl:2', 'is not JSON', 'Nothing was sent']],
  ['evaluate', [...EV, '--template', 'missing.json'], 2, ['--template', '"missing.json"', 'an existing file']],
  ['evaluate', [...EV, '--template', work], 2, ['--template', 'an existing file', 'not a directory']],
  ['evaluate', [...EV, '--template', BAD_TEMPLATE], 1, ['bad-template.json', 'not a template', '"completion"']],
  ['evaluate', [...EV, '--template', join(DOLLY, 'template.json')], 0, ['1 sample(s)']],
  ['evaluate', ['--endpoint', 'ft', '--data', join(DOLLY, 'train.jsonl'), '--max-samples', '1'], 0, ['1 sample(s)']],
  ['evaluate', [...EV, '--register', 'models/3'], 2, ['--register', '"models/3"', "a model package version's ARN"]],
  [
    'evaluate',
    [...EV, '--register', 'arn:aws:sagemaker:us-east-1:111122223333:model-package/models'],
    2,
    ['--register', 'model-package/<group>/<version>', 'ModelPackageArn output'],
  ],
  ['evaluate', [...EV, '--max-samples', '0'], 2, ['--max-samples', '"0"', '>= 1']],
  ['evaluate', [...EV, '--max-samples', 'all'], 2, ['--max-samples', '"all"', 'an integer']],
  ['evaluate', [...EV, '--max-new-tokens', '9000'], 2, ['--max-new-tokens', '"9000"', 'from 1 to 8192']],
  ['evaluate', [...EV, '--max-new-tokens', '64'], 0, ['1 sample(s)']],
  ['evaluate', [...EV, '--concurrency', '0'], 2, ['--concurrency', '"0"', 'from 1 to 64']],
  ['evaluate', [...EV, '--concurrency', '65'], 2, ['--concurrency', '"65"', 'from 1 to 64']],
  ['evaluate', [...EV, '--concurrency', '8'], 0, ['1 sample(s)']],
  ['evaluate', [...EV, '--html', join(ABSENT, 'report.html')], 2, ['--html', 'dir/report.html"', 'existing']],
  ['evaluate', [...EV, '--json', join(FILE, 'scores.json')], 2, ['--json', 'a-file.txt', 'existing directory']],
  ['evaluate', [...EV, '--json', work], 2, ['--json', 'not a directory']],
  ['evaluate', [...EV, '--json', ''], 2, ['--json is ""; allowed: a file in an existing directory you may write to.']],
  ['evaluate', [...EV, '--json', join(OUT, 's.json'), '--html', join(OUT, 's.json')], 2, ['--json and --html']],
  ['evaluate', [...EV, '--json', join(OUT, 's.json'), '--html', join(OUT, 'r.html')], 0, ['1 sample(s)']],
  ['evaluate', [...EV, '--region', 'not a region'], 2, ['--region is "not a region"', 'such as us-east-1']],
  ['evaluate', [...EV, '--region', 'us-west-2'], 0, ['1 sample(s)']],
  ['evaluate', ['--help'], 0, ['--baseline-endpoint NAME']],
  // validate-data
  ['validate-data', [DOLLY, '--mode', 'instruction'], 0, ['0 error(s)']],
  ['validate-data', [DOLLY], 1, ['domain-adaptation', 'pass --mode instruction']],
  ['validate-data', [], 2, ['exactly one']],
  ['validate-data', ['s3://A_B/'], 2, ['"s3://A_B/"', '"A_B" is not a valid bucket name']],
  ['validate-data', ['s3://bucket/a//b/'], 2, ['"s3://bucket/a//b/"', '"//"']],
  ['validate-data', ['s3://bucket/data/'], 1, ['could not read s3://bucket/data/', 'ECONNREFUSED']],
  ['validate-data', [join(work, 'none')], 2, ['none"', 'an existing directory']],
  ['validate-data', [FILE], 2, ['a-file.txt', 'an existing directory', 'not a file']],
  ['validate-data', [DOLLY, '--mode', 'sft'], 2, ['--mode', '"sft"', 'domain-adaptation, instruction, chat']],
  ['validate-data', [DOLLY, '--mode', 'instruction', '--template', 'nope.json'], 2, ['--template', '"nope.json"']],
  ['validate-data', [DOLLY, '--mode', 'instruction', '--template', join(DOLLY, 'template.json')], 0, ['0 error(s)']],
  ['validate-data', [DOLLY, '--max-input-length', '0'], 2, ['--max-input-length is 0', '-1']],
  ['validate-data', [DOLLY, '--max-input-length', '9000'], 2, ['--max-input-length is 9000', '1 to 8192']],
  [
    'validate-data',
    [DOLLY, '--max-input-length', 'long'],
    2,
    ['--max-input-length is "long"; allowed: an integer. Fix: e.g. --max-input-length 512.'],
  ],
  ['validate-data', [DOLLY, '--mode', 'instruction', '--max-input-length', '256'], 0, ['0 error(s)']],
  ['validate-data', [DOLLY, '--mode', 'instruction', '--max-input-length', '-1'], 0, ['0 error(s)']],
  ['validate-data', [DOLLY, '--model-id', 'llama'], 2, ['--model-id', '"llama"', 'meta-textgeneration-llama-3-8b']],
  [
    'validate-data',
    [DOLLY, '--mode', 'instruction', '--model-id', 'meta-textgeneration-llama-3-1-70b', '--max-input-length', '9000'],
    0,
    ['0 error(s)'],
  ],
  ['validate-data', [DOLLY, '--max-problems', '0'], 2, ['--max-problems', '"0"', '>= 1']],
  ['validate-data', [DOLLY, '--mode', 'instruction', '--max-problems', '5'], 0, ['0 error(s)']],
  ['validate-data', ['s3://bucket/data/', '--region', 'not a region'], 2, ['--region is "not a region"']],
  ['validate-data', [DOLLY, '--mode', 'instruction', '--region', 'eu-central-1'], 0, ['0 error(s)']],
  ['validate-data', ['--help'], 0, ['--max-input-length N']],
  // estimate
  ['estimate', ['--epoch', '2'], 0, ['Training estimate']],
  ['estimate', ['--max-run', '0'], 2, ['--max-run', 'does not read']],
  ['estimate', ['--train-data', 's3://b/p/'], 2, ['--train-data', 'does not read']],
  ['estimate', ['--samples', '0'], 2, ['--samples', '"0"', '>= 1']],
  ['estimate', ['--samples', '500'], 0, ['Training estimate']],
  ['estimate', ['--model-id', 'llama'], 2, ['--model-id', '"llama"', 'not a known model']],
  ['estimate', ['--model-id', 'meta-textgeneration-llama-3-8b'], 0, ['Training estimate']],
  // A value is not read as a flag, though it holds a deploy setting's name.
  ['estimate', ['--model-id', 'my--max-run'], 2, ['--model-id', '"my--max-run"', 'not a known model']],
  ['estimate', ['--instance-type', 'ml.t3.medium'], 2, ['--instance-type', '"ml.t3.medium"']],
  ['estimate', ['--instance-type', 'ml.g5.24xlarge'], 0, ['ml.g5.24xlarge']],
  ['estimate', ['--instance-count', 'two'], 2, ['--instance-count', '"two"', 'an integer']],
  ['estimate', ['--instance-count', '0'], 2, ['--instance-count', '0']],
  ['estimate', ['--instance-count', '1'], 0, ['Training estimate']],
  ['estimate', ['--epoch', '5000'], 2, ['--epoch is 5000', 'from 1 to 1000']],
  ['estimate', ['--help'], 0, ['--samples N']],
  // preflight
  ['preflight', ['--region', 'us-east-1'], 0, ['PASS']],
  ['preflight', ['--region', 'not a region'], 2, ['--region is "not a region"', 'such as us-east-1']],
  ['preflight', ['--region', 'us-east-1', '-c', 'accept_eula'], 2, ['-c', '"accept_eula"', 'key=value']],
  ['preflight', ['--region', 'us-east-1', '-c', 'x=1'], 2, ['context key "x" is not known']],
  ['preflight', ['--region', 'us-east-1', '-c', 'max_run=-1x'], 2, ['max_run', '"-1x"']],
  ['preflight', ['--region', 'us-east-1', '--context', 'endpoint_instance_count=1'], 0, ['PASS']],
  ['preflight', ['--region', 'us-east-1', '--json'], 0, ['"summary"']],
  ['preflight', ['--region', 'us-east-1', '--json=no'], 2, ['--json']],
  ['preflight', ['--region', 'us-east-1', '--canary=no'], 2, ['--canary']],
  ['preflight', ['--help'], 0, ['--canary']],
  // split
  ['split', [DOLLY, '--holdout', '2', '--out', join(OUT, 'split')], 0, ['8 in', '2 in']],
  ['split', [DOLLY, '--out', join(OUT, 'x')], 2, ['--holdout is missing']],
  ['split', [DOLLY, '--holdout', '0', '--out', join(OUT, 'x')], 2, ['--holdout', '"0"', '>= 1']],
  ['split', [DOLLY, '--holdout', '10', '--out', join(OUT, 'x')], 2, ['--holdout is 10', 'fewer']],
  ['split', [join(work, 'none'), '--holdout', '1', '--out', join(OUT, 'x')], 2, ['none"', 'an existing directory']],
  ['split', [DOLLY, '--holdout', '1'], 2, ['--out is missing']],
  ['split', [DOLLY, '--holdout', '1', '--out', ''], 2, ['--out is ""; allowed: a directory you may write to']],
  ['split', ['--holdout', '1', '--out', join(OUT, 'x')], 2, ['Give exactly one dataset directory; given: 0.']],
  [
    'split',
    [DOLLY, DOLLY, '--holdout', '1', '--out', join(OUT, 'x')],
    2,
    ['Give exactly one dataset directory; given: 2.'],
  ],
  [
    'split',
    [DOLLY, '--holdout', '1', '--out', FILE],
    2,
    ['--out is', 'a-file.txt"; allowed: a directory you may write to, or a new one in such a directory.', 'not a file'],
  ],
  // A count padded with blanks, as `wc -l` prints it on macOS.
  ['split', [DOLLY, '--holdout', '       2', '--out', join(OUT, 'padded')], 0, ['8 in', '2 in']],
  ['split', [DOLLY, '--holdout', '1', '--out', join(ABSENT, 'out')], 2, ['--out', 'dir/out"', 'create']],
  ['split', [DOLLY, '--holdout', '1', '--out', join(OUT, 'split')], 2, ['not empty', 'another --out']],
  ['split', [DOLLY, '--holdout', '1', '--out', join(OUT, 'y'), '--seed', '-1'], 2, ['--seed', '"-1"', '4294967295']],
  ['split', [DOLLY, '--holdout', '1', '--out', join(OUT, 'y'), '--seed', 'x'], 2, ['--seed', '"x"', 'an integer']],
  ['split', [DOLLY, '--holdout', '1', '--out', join(OUT, 'z'), '--seed', '7'], 0, ['(seed 7)']],
  ['split', [DOLLY, '--holdout', '1', '--out', join(OUT, 'y'), '--mode', 'domain-adaptation'], 2, ['--mode', 'chat']],
  ['split', [DOLLY, '--holdout', '1', '--out', join(OUT, 'c'), '--mode', 'chat'], 1, ['not valid chat data']],
  ['split', ['--help'], 0, ['--holdout N']],
];

/** Each hyperparameter flag of estimate: a value of the wrong kind, and the default model's default. */
function hyperparameterRows(): Row[] {
  const { HYPERPARAMETER_MEANINGS } = require('../../lib/config/hyperparameter-specs');
  const { DEFAULT_MODEL_ID, findModel } = require('../../lib/models/catalogue');
  const defaults = new Map<string, unknown>(
    findModel(DEFAULT_MODEL_ID).hyperparameters.map((h: { name: string; default: unknown }) => [h.name, h.default]),
  );
  const bad: Record<string, [string, string]> = {
    int: ['1.5', 'not an integer'],
    workers: ['1.5', 'not an integer'],
    float: ['abc', 'not a number'],
    bool: ['maybe', 'True or False'],
    modules: ['q_proj, v_proj', 'commas'],
    text: ['Llama3.1', 'no chat_template hyperparameter'],
  };
  return HYPERPARAMETER_MEANINGS.flatMap((h: { name: string; type: string }): Row[] => {
    const flag = `--${h.name.replace(/_/g, '-')}`;
    const [value, words] = bad[h.type];
    const rows: Row[] = [['estimate', [flag, value], 2, [flag, words]]];
    if (defaults.has(h.name)) {
      const d = defaults.get(h.name);
      const text = d === null || d === undefined ? 'None' : Array.isArray(d) ? d.join(',') : String(d);
      rows.push(['estimate', [flag, text], 0, ['Training estimate']]);
    }
    return rows;
  });
}
ROWS.push(...hyperparameterRows());

const PAID = ['invoke', 'evaluate', 'chat'];

// Each row's name shows its arguments with the run's temporary folder as <work> and the checkout as <repo>, so
// names stay the same from run to run and place to place (the mutation runs keep results by test name).
const REPO = join(__dirname, '..', '..');
const NAMED = ROWS.map(([command, args, status, words]) => {
  const shown = args.map((arg) => arg.split(work).join('<work>').split(REPO).join('<repo>'));
  return [command, shown, status, args, words] as const;
});

test.each(NAMED)('llama3-ft %s %j exits %d', async (command, _shown, status, args, words) => {
  const requests = runtime.requests.length;
  const asked = preflightRequests;
  const result = await run(command, args);
  const output = result.out + result.err;
  expect({ status: result.status, output }).toEqual({ status, output: expect.any(String) });
  for (const word of words) expect(output).toContain(word);
  expect(output).not.toContain('\n    at ');
  if (status !== 0 && PAID.includes(command)) expect(runtime.requests.length).toBe(requests);
  if (status === 2 && command === 'preflight') expect(preflightRequests).toBe(asked);
  if (status === 0 && PAID.includes(command) && !args.some((a) => a === '--help' || a === '-h')) {
    expect(runtime.requests.length).toBeGreaterThan(requests);
  }
});

test('the table gives every flag of every command, as the commands define them', async () => {
  const tables: Record<string, FlagTable> = {
    invoke: (await import('../../lib/cli/invoke-command')).INVOKE_FLAGS,
    chat: (await import('../../lib/cli/chat-command')).CHAT_FLAGS,
    evaluate: (await import('../../lib/cli/evaluate-command')).EVALUATE_FLAGS,
    'validate-data': (await import('../../lib/cli/validate-data-command')).VALIDATE_DATA_FLAGS,
    estimate: (await import('../../lib/cli/estimate-command')).ESTIMATE_FLAGS,
    preflight: (await import('../../lib/app/preflight')).PREFLIGHT_FLAGS,
    split: (await import('../../lib/cli/split-command')).SPLIT_FLAGS,
  };
  expect(Object.keys(tables).sort()).toEqual([...(await import('../../lib/cli/main')).COMMAND_NAMES].sort());
  const missing = Object.entries(tables).flatMap(([command, flags]) =>
    Object.entries(flags)
      .filter(([name, d]) => {
        const given = (arg: string) => arg === `--${name}` || arg.startsWith(`--${name}=`) || arg === `-${d.short}`;
        return !ROWS.some(([c, args]) => c === command && args.some(given));
      })
      .map(([name]) => `${command} --${name}`),
  );
  expect(missing).toEqual([]);
});
