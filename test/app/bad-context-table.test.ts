/**
 * The example app's context keys as a user types them: for each bad value, the app refuses with
 * a ConfigurationError (bin/app.ts prints it without a stack trace) naming the key typed and the
 * value as given, saying what is allowed, and speaking in context keys only — no prop names, no
 * paths that are not keys. Positive controls build. Two cases run the real bin/app.ts.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { fineTuningStackFromContext } from '../../lib/app/fine-tuning-app';
import { isConfigurationError } from '../../lib/config/configuration-error';

interface Case {
  readonly context: Record<string, string>;
  /** The words the refusal must hold; none: it must build. */
  readonly words?: readonly string[];
}

const refuse = (context: Record<string, string>, ...words: string[]): Case => ({ context, words });
const accept = (context: Record<string, string>): Case => ({ context });

/** A key given each bad value: the message names the key and quotes the value as typed. */
const values = (key: string, bad: string[], ...words: string[]) =>
  bad.map((value) => refuse({ [key]: value }, `"${key}" is "${value}"`, ...words));

const NOT_INTEGERS = ['-1', '0', 'NaN', '1.5', 'ten', '', '1e3'];
const DURATION_KEYS = ['max_run', 'max_wait', 'max_pending_time'];
const COUNT_KEYS = ['instance_count', 'endpoint_instance_count', 'endpoint_min_instances', 'endpoint_max_instances'];
const BOOL_KEYS = [
  'deploy_endpoint',
  'deploy_base_endpoint',
  'data_capture',
  'skip_runtime_check',
  'skip_dataset_check',
  'disable_output_compression',
  'encrypt_logs',
  'destroy_data_on_delete',
  'use_spot_instances',
  'scale_to_zero',
];

const CASES: Case[] = [
  ...DURATION_KEYS.flatMap((key) => values(key, NOT_INTEGERS, 'allowed: whole seconds', `Fix: e.g. -c ${key}=`)),
  ...COUNT_KEYS.flatMap((key) => values(key, NOT_INTEGERS, 'allowed: an integer >= 1', `Fix: e.g. -c ${key}=`)),
  ...values('endpoint_target_invocations', NOT_INTEGERS, 'allowed: an integer >= 1'),
  ...values(
    'max_budget_usd',
    ['-1', '0', 'NaN', 'fifty', '$50', '', '-0.5', '1e3', 'Infinity', '0x32', '50 USD'],
    'allowed: a positive number of US dollars',
    'Fix: e.g. -c max_budget_usd=50',
  ),
  ...BOOL_KEYS.flatMap((key) => values(key, ['yes', '1', 'on', 'truex'], 'allowed: true or false')),
  // As typed or pasted: any case, spaces around.
  accept({ deploy_base_endpoint: ' TRUE ', destroy_data_on_delete: 'False' }),
  ...values('max_retry_attempts', ['ten', '2.5'], 'allowed: an integer', '-c max_retry_attempts=<an integer>'),
  ...values('fallback_instance_types', ['ml.g5.24xlarge,', ',ml.g5.24xlarge'], 'allowed: values separated by commas'),
  ...values('preprocessing_num_workers', ['all', '2.5'], 'which is not an integer', '-c preprocessing_num_workers=4'),
  accept({ preprocessing_num_workers: 'None' }),
  accept({ preprocessing_num_workers: '4' }),
  accept({ max_budget_usd: '500.50' }),
  ...['0', '31', '-1'].map((value) =>
    refuse({ max_retry_attempts: value }, `max_retry_attempts is ${value}`, 'allowed: an integer from 1 to 30'),
  ),
  refuse({ validation_split_ratio: 'NaN' }, '"validation_split_ratio" is "NaN", which is not a number'),
  ...['0', '1', '-0.1', '1.2'].map((value) =>
    refuse({ validation_split_ratio: value }, `validation_split_ratio is`, 'above 0 and below 1'),
  ),
  ...values('epoch', ['NaN', 'three', '2.5']),
  ...values('learning_rate', ['NaN', 'fast'], 'which is not a number'),
  refuse({ learning_rate: '-1' }, 'learning_rate is -1', 'allowed:'),
  refuse(
    { deploy_endpoint: 'false', deploy_base_endpoint: 'true' },
    'deploy_base_endpoint is true with deploy_endpoint false',
  ),
  refuse(
    { deploy_endpoint: 'false', endpoint_instance_count: '2' },
    'endpoint_instance_count is given and would be ignored',
  ),
  refuse({ training_job_name: 'earlier', max_budget_usd: '50' }, 'max_budget_usd is given with training_job_name'),
  refuse({ model_data: 's3://models/x/model.tar.gz', max_budget_usd: '50' }, 'max_budget_usd is given with model_data'),
  ...['S3://data/train/', 'https://data.s3.amazonaws.com/train/', 's3://data/train', 's3://data//train/'].flatMap(
    (uri) => ['train_data', 'validation_data'].map((key) => refuse({ [key]: uri }, `${key} is "${uri}"`, 'allowed:')),
  ),
  refuse({ train_data: 'no/such/dir' }, 'train_data is "no/such/dir"', 'neither an s3:// URI nor'),
  refuse({ model_data: 's3://models/x/model' }, 'model_data is', 'allowed:'),
  refuse({ endpoint_name: 'my_endpoint' }, 'endpoint_name is "my_endpoint"', 'allowed:'),
  refuse({ training_job_name: 'a b' }, 'training_job_name is "a b"', 'allowed:'),
  refuse({ hub_content_version: 'latest' }, 'hub_content_version is "latest"', 'allowed:'),
  refuse({ training_run_id: 'run 1' }, 'training_run_id is "run 1"', 'allowed:'),
  refuse({ train_data_kms_key: 'alias/data' }, 'train_data_kms_key is "alias/data"', 'allowed:'),
  refuse({ alarm_email: 'team' }, 'alarm_email is "team"', 'not an email address'),
  refuse(
    { model_package_arn: 'models/3' },
    'model_package_arn is "models/3"',
    "allowed: a model package version's ARN",
  ),
  refuse(
    { model_package_arn: 'arn:aws:sagemaker:us-east-1:111122223333:model-package/dev/3', train_data: 's3://d/t/' },
    'model_package_arn serves an existing model, so nothing is trained, but train_data',
  ),
  refuse({ model_consumer_accounts: '12345' }, 'model_consumer_accounts[0] is "12345"', '12-digit AWS account id'),
  refuse({ model_approval_status: 'approved' }, 'model_approval_status is "approved"', 'allowed:'),
  refuse(
    { register_model: 'false', model_package_group_name: 'g' },
    'register_model is false, but model_package_group_name',
  ),
  refuse({ model_package_group_name: 'my_models' }, 'model_package_group_name is "my_models"', 'allowed:'),
  refuse(
    { endpoint_rollout: 'blue-green' },
    '"endpoint_rollout" is "blue-green"',
    'allowed: canary, linear, all-at-once, none',
  ),
  // A canary needs a second instance to shift to first: the stack's refusal, in the key's name.
  refuse({ endpoint_rollout: 'canary' }, 'endpoint_rollout is a canary', '-c endpoint_rollout=all-at-once'),
  accept({ endpoint_rollout: 'canary', endpoint_instance_count: '2' }),
  accept({ endpoint_rollout: 'none' }),
  refuse({ noncurrent_version_expiration_days: '0' }, '"noncurrent_version_expiration_days" is "0"', 'whole days >= 1'),
  refuse(
    { training_output_expiration_days: '90' },
    'training_output_expiration_days',
    'noncurrent_version_expiration_days',
  ),
  accept({ noncurrent_version_expiration_days: '30', training_output_expiration_days: '90' }),
  refuse({ compliance: 'strict' }, 'compliance is "strict"', 'allowed:'),
  refuse({ instance_type: 'ml.t3.medium' }, 'instance_type is "ml.t3.medium"', 'allowed:'),
  refuse({ endpoint_instance_type: 'ml.t3.medium' }, 'endpoint_instance_type is "ml.t3.medium"', 'allowed:'),
  refuse({ model_id: 'llama' }, 'model_id is "llama"', 'known:'),
  refuse({ max_run: '2500000' }, 'max_run is 28 days 22 hours (2500000 seconds)', 'allowed: 1 second to 28 days'),
  refuse({ max_pending_time: '60' }, 'max_pending_time is 60 seconds', 'allowed: whole seconds from 7200'),
  refuse({ use_spot_instances: 'true' }, 'max_wait is required with use_spot_instances'),
  refuse({ max_wait: '720000' }, 'max_wait is given without use_spot_instances'),
  // Scaling: the key the user typed, never a sub-prop path, and nothing about keys left out.
  refuse(
    { endpoint_min_instances: '3', endpoint_max_instances: '2' },
    'endpoint_max_instances is 2, below endpoint_min_instances 3',
  ),
  refuse(
    { endpoint_min_instances: '1', endpoint_max_instances: '2', endpoint_instance_count: '5' },
    'endpoint_instance_count is 5, outside',
  ),
  refuse({ endpoint_target_invocations: '10' }, '"endpoint_target_invocations" is given without'),
  accept({ endpoint_max_instances: '3', endpoint_target_invocations: '10' }),
  refuse(
    { scale_to_zero: 'true', endpoint_max_instances: '2', endpoint_target_invocations: '10' },
    '"endpoint_target_invocations" is given with scale_to_zero',
  ),
  refuse({ scale_to_zero: 'true', endpoint_max_instances: '0' }, '"endpoint_max_instances" is "0"'),
  refuse(
    { scale_to_zero: 'true', endpoint_min_instances: '1' },
    '"endpoint_min_instances" is given with scale_to_zero',
  ),
  refuse({ scale_to_zero: 'true', data_capture: 'true' }, 'data_capture is given with scale_to_zero'),
  refuse({ scale_to_zero: 'true', endpoint_instance_count: '2' }, 'endpoint_instance_count is 2 with scale_to_zero'),
  refuse({ accept_eula: 'false' }, '"accept_eula" is false'),
  refuse({ epochs: '3' }, '"epochs" is not known', 'Did you mean epoch?'),
  accept({ validation_split_ratio: '0.1' }),
  refuse(
    { validation_split_ratio: '0.1', validation_data: 's3://team-data/validation/' },
    'validation_split_ratio is 0.1',
    'validation_data is given',
  ),
  accept({ endpoint_min_instances: '2', endpoint_max_instances: '3' }),
  accept({ scale_to_zero: 'true', endpoint_max_instances: '2' }),
  accept({ max_budget_usd: '500' }),
];

/** Prop names and sub-prop paths a user of the app never typed (`endpointAutoScaling`, `scaleToZero.maxInstances`). */
const PROP_WORDS = /\b(training|endpoint|deploy|max|data|skip)[A-Z]\w*|\b[a-z]+[A-Z]\w*\.\w+|hyperparameters\./;

function errorOf(context: Record<string, string>): unknown {
  try {
    fineTuningStackFromContext(new App({ context: { accept_eula: 'true', ...context } }));
    return undefined;
  } catch (error) {
    return error;
  }
}

const label = (c: Case) =>
  Object.entries(c.context)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');

test('the table covers every numeric and boolean key, in well over a hundred cases', () => {
  expect(CASES.length).toBeGreaterThan(140);
});

test.each(CASES.filter((c) => c.words).map((c) => [label(c), c] as const))('refused: -c %s', (_label, c) => {
  const error = errorOf(c.context);
  expect(isConfigurationError(error)).toBe(true);
  const message = (error as Error).message;
  for (const word of c.words!) expect(message).toContain(word);
  expect(message).not.toMatch(PROP_WORDS);
});

test.each(CASES.filter((c) => !c.words).map((c) => [label(c), c] as const))('accepted: -c %s', (_label, c) => {
  expect(errorOf(c.context)).toBeUndefined();
});

// The real entry point, as `cdk synth` runs it: a message and exit 1, no stack trace.
test.each([
  [{ max_run: '-1' }, 'context key "max_run" is "-1"'],
  [{ max_budget_usd: '-1' }, 'allowed: a positive number of US dollars'],
])(
  'bin/app.ts with %j prints a message, not a stack trace',
  (context, words) => {
    const result = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', join('bin', 'app.ts')], {
      cwd: join(__dirname, '..', '..'),
      env: {
        ...process.env,
        CDK_CONTEXT_JSON: JSON.stringify({ accept_eula: 'true', ...context }),
        CDK_OUTDIR: mkdtempSync(join(tmpdir(), 'bad-context-')),
      },
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(words);
    expect(result.stderr).not.toMatch(/^\s+at /m);
  },
  130_000,
);
