import { throwIfProblems } from '../config/configuration-error';
import { CONTEXT_RANGES, inContextRange } from './context-ranges';
import { closest } from '../config/did-you-mean';
import { DEFAULT_MODEL_ID, findModel } from '../models/catalogue';
import { HYPERPARAMETER_MEANINGS, HyperparameterMeaning } from '../config/hyperparameter-specs';
import { Hyperparameters } from '../config/hyperparameters';
import { showValue } from '../config/show-value';
import type { Llama3FineTuningStackProps } from '../llama3-fine-tuning-stack';

/**
 * Reads the example app's configuration from CDK context (`-c key=value` or
 * cdk.json), using SageMaker's own hyperparameter names as keys, the way a
 * SageMaker user calls `estimator.set_hyperparameters(epoch="3")`.
 */

type ContextValueType = 'string' | 'int' | 'number' | 'bool' | 'list';

/** Context keys other than hyperparameters: key, the prop it sets, its type and meaning. */
export const APP_CONTEXT_KEYS: ReadonlyArray<{
  key: string;
  prop: keyof AppConfiguration;
  type: ContextValueType;
  help: string;
}> = [
  { key: 'accept_eula', prop: 'acceptEula', type: 'bool', help: 'accept the Meta Llama 3 licence (required)' },
  { key: 'model_id', prop: 'modelId', type: 'string', help: 'JumpStart model id' },
  { key: 'instance_type', prop: 'trainingInstanceType', type: 'string', help: 'training instance type' },
  { key: 'instance_count', prop: 'trainingInstanceCount', type: 'int', help: 'training instance count' },
  { key: 'train_data', prop: 'trainData', type: 'string', help: 'training data: local directory or s3:// URI' },
  {
    key: 'validation_data',
    prop: 'validationData',
    type: 'string',
    help: 'validation data: local directory or s3:// URI',
  },
  {
    key: 'max_run',
    prop: 'trainingMaxRunSeconds',
    type: 'int',
    help: "longest training runtime in seconds (JumpStart's 360000 by default; at most 2419200, 28 days)",
  },
  {
    key: 'fallback_instance_types',
    prop: 'trainingFallbackInstanceTypes',
    type: 'list',
    help: 'training instance types SageMaker may use instead when capacity is short, comma-separated, in order',
  },
  {
    key: 'max_retry_attempts',
    prop: 'trainingRetryAttempts',
    type: 'int',
    help: "SageMaker's retry of a job that fails with an internal error, 1 to 30",
  },
  {
    key: 'use_spot_instances',
    prop: 'trainingUseSpotInstances',
    type: 'bool',
    help: 'train on managed spot capacity (needs max_wait)',
  },
  {
    key: 'max_wait',
    prop: 'trainingMaxWaitSeconds',
    type: 'int',
    help: 'with use_spot_instances: longest the job may take in all, spot waits included, seconds (at least max_run)',
  },
  {
    key: 'training_plan',
    prop: 'trainingPlanArn',
    type: 'string',
    help: 'ARN of a SageMaker training plan to train on',
  },
  {
    key: 'max_pending_time',
    prop: 'trainingMaxPendingSeconds',
    type: 'int',
    help: 'longest the job may wait for capacity, seconds (7200 to 2419200); the deploy waits this long too',
  },
  {
    key: 'compliance',
    prop: 'compliance',
    type: 'string',
    help: 'control-tower: pass every applicable AWS Control Tower proactive control (handlers in a VPC, object lock)',
  },
  {
    key: 'max_budget_usd',
    prop: 'maxBudgetUsd',
    type: 'number',
    help: 'most the training estimate plus the first 24 hours of hosting may cost, in USD',
  },
  {
    key: 'skip_runtime_check',
    prop: 'skipRuntimeCheck',
    type: 'bool',
    help: 'deploy even when the training estimate exceeds max_run',
  },
  {
    key: 'wait_for_training',
    prop: 'waitForTraining',
    type: 'bool',
    help: 'hold the deploy until training ends; false ends it once the job has started (and serves nothing)',
  },
  {
    key: 'skip_dataset_check',
    prop: 'skipDatasetCheck',
    type: 'bool',
    help: 'do not check s3:// training data at deploy time (for data validated elsewhere)',
  },
  {
    key: 'disable_output_compression',
    prop: 'disableOutputCompression',
    type: 'bool',
    help: 'write the model uncompressed',
  },
  {
    key: 'hub_content_version',
    prop: 'hubContentVersion',
    type: 'string',
    help: 'JumpStart hub content version to pin',
  },
  {
    key: 'train_data_kms_key',
    prop: 'trainingDataKeyArn',
    type: 'string',
    help: 'ARN of the customer-managed KMS key that encrypts s3:// train_data / validation_data',
  },
  {
    key: 'training_run_id',
    prop: 'trainingRunId',
    type: 'string',
    help: 'a label for the training run: a new value trains anew on the same inputs (e.g. new data under the same prefix)',
  },
  {
    key: 'deploy_endpoint',
    prop: 'deployEndpoint',
    type: 'bool',
    help: 'serve the model on an endpoint (false trains only)',
  },
  {
    key: 'deploy_base_endpoint',
    prop: 'deployBaseEndpoint',
    type: 'bool',
    help: 'also serve the base model on its own endpoint, to evaluate against',
  },
  {
    key: 'training_job_name',
    prop: 'existingTrainingJobName',
    type: 'string',
    help: 'serve this existing training job instead of training',
  },
  {
    key: 'model_data',
    prop: 'modelArtifactsUri',
    type: 'string',
    help: 'serve the fine-tuned model at this s3:// location instead of training',
  },
  {
    key: 'model_package_arn',
    prop: 'modelPackageArn',
    type: 'string',
    help: 'serve this approved model registry version (a ModelPackageArn output) instead of training',
  },
  {
    key: 'register_model',
    prop: 'registerModel',
    type: 'bool',
    help: 'register the trained model as a version of a model registry group (default true)',
  },
  {
    key: 'model_package_group_name',
    prop: 'modelPackageGroupName',
    type: 'string',
    help: 'name of the model registry group the stack creates',
  },
  {
    key: 'model_approval_status',
    prop: 'modelApprovalStatus',
    type: 'string',
    help: 'approval status of the registered version: PendingManualApproval (default), Approved or Rejected',
  },
  {
    key: 'model_consumer_accounts',
    prop: 'modelConsumerAccountIds',
    type: 'list',
    help: 'accounts that may serve the registered versions, comma-separated (shares the registry and models)',
  },
  { key: 'endpoint_instance_type', prop: 'endpointInstanceType', type: 'string', help: 'hosting instance type' },
  { key: 'endpoint_instance_count', prop: 'endpointInstanceCount', type: 'int', help: 'hosting instance count' },
  { key: 'endpoint_name', prop: 'endpointName', type: 'string', help: 'endpoint name' },
  {
    key: 'data_capture',
    prop: 'dataCapture',
    type: 'bool',
    help: 'capture endpoint requests and responses into the data bucket',
  },
  {
    key: 'endpoint_min_instances',
    prop: 'endpointMinInstances',
    type: 'int',
    help: 'autoscaling: fewest endpoint instances',
  },
  {
    key: 'endpoint_max_instances',
    prop: 'endpointMaxInstances',
    type: 'int',
    help: 'autoscaling: most endpoint instances',
  },
  {
    key: 'endpoint_target_invocations',
    prop: 'endpointTargetInvocations',
    type: 'int',
    help: 'autoscaling: invocations per instance per minute to hold',
  },
  {
    key: 'scale_to_zero',
    prop: 'endpointScaleToZero',
    type: 'bool',
    help: 'serve through an inference component that scales to zero instances when idle (endpoint_max_instances: the most)',
  },
  {
    key: 'endpoint_rollout',
    prop: 'endpointRollout',
    type: 'string',
    help: "how endpoint updates shift traffic: canary, linear or all-at-once, rolled back on the endpoint's alarms; none",
  },
  {
    key: 'noncurrent_version_expiration_days',
    prop: 'noncurrentVersionExpirationDays',
    type: 'int',
    help: 'days after which old object versions in the data and model buckets expire',
  },
  {
    key: 'training_output_expiration_days',
    prop: 'trainingOutputExpirationDays',
    type: 'int',
    help: 'days after which training output (old models) expires; needs noncurrent_version_expiration_days',
  },
  {
    key: 'alarm_email',
    prop: 'alarmEmail',
    type: 'string',
    help: 'email for endpoint alarms and training failure notices',
  },
  {
    key: 'encrypt_logs',
    prop: 'encryptLogs',
    type: 'bool',
    help: "encrypt the handler log groups with the stack's key",
  },
  {
    key: 'destroy_data_on_delete',
    prop: 'destroyDataOnDelete',
    type: 'bool',
    help: 'delete the data and model buckets with the stack',
  },
];

/** How a setting is named and set where the message is read: `-c key=value` at synth, `--key value` in llama3-ft. */
export interface SettingSyntax {
  /** The setting as the subject of a message. */
  name(key: string): string;
  /** The setting in a list. */
  flag(key: string): string;
  /** How to set it to a value. */
  set(key: string, value: string): string;
}

export const CONTEXT_SYNTAX: SettingSyntax = {
  name: (key) => `context key "${key}"`,
  flag: (key) => key,
  set: (key, value) => `-c ${key}=${value}`,
};

/** A context key as llama3-ft's flag: `max_input_length` is `--max-input-length`. */
export function flagOf(key: string): string {
  return `--${key.replace(/_/g, '-')}`;
}

/** llama3-ft's flags: kebab-case (`--max-input-length`); the context-key spelling is accepted too. */
export const FLAG_SYNTAX: SettingSyntax = {
  name: flagOf,
  flag: flagOf,
  set: (key, value) => `${flagOf(key)} ${value}`,
};

/** Every key the app reads. */
export const KNOWN_KEYS: readonly string[] = [
  ...APP_CONTEXT_KEYS.map((k) => k.key),
  ...HYPERPARAMETER_MEANINGS.map((s) => s.name),
];

/** " Did you mean ...?" for a key a letter or two from a known one. */
function suggestion(key: string, syntax: SettingSyntax): string {
  const match = closest(key.toLowerCase().replace(/-/g, '_'), KNOWN_KEYS);
  return match ? ` Did you mean ${syntax.flag(match)}?` : '';
}

/**
 * Keys the CDK CLI and toolkit put into context themselves: feature flags (`@aws-cdk/core:...`), the toolkit's
 * own (`aws:cdk:...`) and cached lookups (`availability-zones:account=...`) all hold a colon; `cdk cli-telemetry`
 * and `cdk acknowledge` save the two others in cdk.json or cdk.context.json, which every later synth reads.
 */
const CLI_KEYS: readonly string[] = ['cli-telemetry', 'acknowledged-issue-numbers'];

function isToolkitKey(key: string): boolean {
  return key.includes(':') || CLI_KEYS.includes(key);
}

function parseBool(raw: unknown): boolean | undefined {
  if (typeof raw === 'boolean') return raw;
  if (typeof raw === 'string' && /^(true|false)$/i.test(raw.trim())) return raw.trim().toLowerCase() === 'true';
  return undefined;
}

/** `a,b,c`, as `-c key=a,b,c` gives it; a JSON array from cdk.json too. */
function parseList(raw: unknown): string[] | undefined {
  if (Array.isArray(raw) && raw.every((v) => typeof v === 'string')) return raw;
  if (typeof raw !== 'string' || /\s/.test(raw)) return undefined;
  const values = raw.split(',');
  return values.includes('') ? undefined : values;
}

/** A decimal number, signed: a negative one is refused by its range, with the key's unit, not as "not a number". */
function parseNumber(raw: unknown): number | undefined {
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : undefined;
  return typeof raw === 'string' && /^-?(\d+(\.\d*)?|\.\d+)$/.test(raw.trim()) ? Number(raw) : undefined;
}

function parseInteger(raw: unknown): number | undefined {
  if (typeof raw === 'number') return Number.isInteger(raw) ? raw : undefined;
  if (typeof raw === 'string' && /^-?\d+$/.test(raw.trim())) return Number(raw);
  return undefined;
}

function parseHyperparameter(
  spec: HyperparameterMeaning,
  raw: unknown,
  syntax: SettingSyntax,
): { value?: unknown; problem?: string } {
  const where = `${syntax.name(spec.name)} is ${showValue(raw)}`;
  switch (spec.type) {
    case 'bool': {
      const value = parseBool(raw);
      return value === undefined
        ? {
            problem: `${where}; allowed: True or False. Fix: ${syntax.set(spec.name, 'True')} or ${syntax.set(spec.name, 'False')}.`,
          }
        : { value };
    }
    case 'modules': {
      if (typeof raw !== 'string' || /\s/.test(raw)) {
        return {
          problem: `${where}; allowed: modules separated by commas without spaces. Fix: e.g. ${syntax.set(spec.name, 'q_proj,v_proj')}.`,
        };
      }
      return { value: raw.split(',') };
    }
    case 'text':
      return typeof raw === 'string'
        ? { value: raw }
        : { problem: `${where}; allowed: a name. Fix: e.g. ${syntax.set(spec.name, 'Llama3.1')}.` };
    case 'workers':
      // "None", as JumpStart writes the default (or null in cdk.json): preprocessing in the main process.
      if (raw === 'None' || raw === null) return {};
      return withNumber(spec, parseInteger(raw), where, syntax);
    case 'int':
      return withNumber(spec, parseInteger(raw), where, syntax);
    case 'float': {
      const value =
        typeof raw === 'number'
          ? raw
          : typeof raw === 'string' && raw.trim() !== '' && Number.isFinite(Number(raw))
            ? Number(raw)
            : undefined;
      return withNumber(spec, value, where, syntax);
    }
  }
}

function withNumber(
  spec: HyperparameterMeaning,
  value: number | undefined,
  where: string,
  syntax: SettingSyntax,
): { value?: unknown; problem?: string } {
  if (value !== undefined) return { value };
  const kind = spec.type === 'float' ? 'a number' : 'an integer';
  // The example is the default model's default, a value every reader can look up; the number of workers has none.
  // Stryker disable next-line OptionalChaining: the default model lists every hyperparameter, so find() always finds
  const example = findModel(DEFAULT_MODEL_ID).hyperparameters.find((h) => h.name === spec.name)?.default ?? 4;
  return { problem: `${where}, which is not ${kind}. Fix: e.g. ${syntax.set(spec.name, String(example))}.` };
}

/** Stack props the context sets directly (one context key each). */
type ContextProps = Pick<
  Llama3FineTuningStackProps,
  | 'acceptEula'
  | 'modelId'
  | 'trainingInstanceType'
  | 'trainingInstanceCount'
  | 'trainData'
  | 'validationData'
  | 'destroyDataOnDelete'
  | 'disableOutputCompression'
  | 'hubContentVersion'
  | 'deployEndpoint'
  | 'deployBaseEndpoint'
  | 'existingTrainingJobName'
  | 'modelArtifactsUri'
  | 'modelPackageArn'
  | 'registerModel'
  | 'modelPackageGroupName'
  | 'modelApprovalStatus'
  | 'modelConsumerAccountIds'
  | 'endpointInstanceType'
  | 'endpointInstanceCount'
  | 'endpointName'
  | 'dataCapture'
  | 'alarmEmail'
  | 'skipRuntimeCheck'
  | 'maxBudgetUsd'
  | 'compliance'
  | 'skipDatasetCheck'
  | 'waitForTraining'
  | 'encryptLogs'
  | 'trainingRetryAttempts'
  | 'trainingFallbackInstanceTypes'
  | 'trainingPlanArn'
  | 'trainingRunId'
  | 'trainingDataKeyArn'
  | 'trainingUseSpotInstances'
>;

/** The app's configuration read from context: stack props, and values the app turns into props. */
export interface AppConfiguration extends Partial<ContextProps> {
  readonly trainingMaxRunSeconds?: number;
  readonly trainingMaxPendingSeconds?: number;
  readonly trainingMaxWaitSeconds?: number;
  readonly endpointMinInstances?: number;
  readonly endpointMaxInstances?: number;
  readonly endpointTargetInvocations?: number;
  readonly endpointScaleToZero?: boolean;
  readonly endpointRollout?: string;
  readonly noncurrentVersionExpirationDays?: number;
  readonly trainingOutputExpirationDays?: number;
  readonly hyperparameters: Hyperparameters;
}

/**
 * Parses context into configuration. Unknown keys and unparseable values are
 * reported together in one ConfigurationError.
 */
export function configurationFromContext(
  context: Record<string, unknown>,
  syntax: SettingSyntax = CONTEXT_SYNTAX,
): AppConfiguration {
  const problems: string[] = [];
  const config: Record<string, unknown> = {};
  const hyperparameters: Record<string, unknown> = {};

  for (const [key, raw] of Object.entries(context)) {
    if (isToolkitKey(key)) continue;
    const spec = HYPERPARAMETER_MEANINGS.find((s) => s.name === key);
    if (spec) {
      const { value, problem } = parseHyperparameter(spec, raw, syntax);
      if (problem) problems.push(problem);
      else hyperparameters[spec.prop] = value;
      continue;
    }
    const appKey = APP_CONTEXT_KEYS.find((k) => k.key === key);
    if (!appKey) {
      problems.push(
        `${syntax.name(key)} is not known; known: ${KNOWN_KEYS.map(syntax.flag).join(', ')}.${suggestion(key, syntax)} ` +
          "Fix: correct the key (hyperparameters use SageMaker's snake_case names) or remove it.",
      );
      continue;
    }
    const value =
      appKey.type === 'bool'
        ? parseBool(raw)
        : appKey.type === 'int'
          ? parseInteger(raw)
          : appKey.type === 'number'
            ? parseNumber(raw)
            : appKey.type === 'list'
              ? parseList(raw)
              : typeof raw === 'string'
                ? raw
                : undefined;
    const range = CONTEXT_RANGES[key];
    if (range && !inContextRange(range, value as number | undefined)) {
      problems.push(
        `${syntax.name(key)} is ${showValue(raw)}; allowed: ${range.allowed} (${appKey.help}). ` +
          `Fix: e.g. ${syntax.set(key, range.example)}.`,
      );
    } else if (value === undefined) {
      const expected = {
        bool: 'true or false',
        int: 'an integer',
        number: 'a number',
        list: 'values separated by commas, without spaces',
        string: 'a string',
      }[appKey.type];
      problems.push(
        `${syntax.name(key)} is ${showValue(raw)}; allowed: ${expected} (${appKey.help}). Fix: ${syntax.set(key, `<${expected}>`)}.`,
      );
    } else {
      config[appKey.prop] = value;
    }
  }

  if (
    config.endpointTargetInvocations !== undefined &&
    config.endpointMinInstances === undefined &&
    config.endpointMaxInstances === undefined
  ) {
    problems.push(
      `${syntax.name('endpoint_target_invocations')} is given without ${syntax.flag('endpoint_min_instances')} or ` +
        `${syntax.flag('endpoint_max_instances')}; a target alone scales nothing and would be ignored. ` +
        `Fix: add ${syntax.set('endpoint_max_instances', '<n>')} (and endpoint_min_instances), or drop the target.`,
    );
  }
  throwIfProblems(problems);
  return { ...config, hyperparameters } as AppConfiguration;
}
