import { Duration, Token } from 'aws-cdk-lib';
import { MAX_TRAINING_RUNTIME, PENDING_TIME_RANGE } from './training-limits';
import { configurationError, throwIfProblems } from '../../config/configuration-error';
import {
  S3UriForm,
  booleanProblem,
  durationProblem,
  durationTypeProblem,
  requiredProblem,
  hubContentVersionProblem,
  trainingRunIdProblem,
  kmsKeyArnProblem,
  integerProblem,
  s3UriProblem,
} from '../../config/input-checks';
import { TrainingConfiguration } from '../../config/training-configuration';
import { showValue } from '../../config/show-value';
import { checkBudget } from '../../estimates/budget';
import { RuntimeCheck, checkRuntime } from '../../estimates/runtime-fit';
import { PLAN_RESERVABLE_TYPES, instanceFamily } from '../../models/instance-types';
import type { FineTuningJobProps } from '../fine-tuning-job';
import type { ModelSpec } from '../../models/model-spec';

/** The maximum runtime as SageMaker takes it: whole seconds, within what a deploy can wait for. */
export function checkMaxRuntime(maxRuntime: Duration): void {
  const seconds = maxRuntime.isUnresolved() ? undefined : maxRuntime.toSeconds({ integral: false });
  if (seconds !== undefined && !Number.isInteger(seconds)) {
    throw configurationError([
      `maxRuntime is ${seconds} seconds; allowed: whole seconds (SageMaker's MaxRuntimeInSeconds). Fix: e.g. 8 hours (28800 seconds).`,
    ]);
  }
  if (seconds !== undefined && (seconds < 1 || seconds > MAX_TRAINING_RUNTIME.toSeconds())) {
    throw configurationError([
      `maxRuntime is ${maxRuntime.toHumanString()} (${seconds} seconds); allowed: 1 second to ${MAX_TRAINING_RUNTIME.toDays()} days ` +
        `(${MAX_TRAINING_RUNTIME.toSeconds()} seconds, SageMaker's limit). Fix: e.g. 100 hours (JumpStart's default), or leave it out.`,
    ]);
  }
}

/**
 * Network props that configure `vpc`: without it the job runs in SageMaker's network and they
 * would be dropped, where aws-cdk-lib's own constructs (a Lambda function's) refuse them.
 */
function networkProblems(props: FineTuningJobProps): string[] {
  if (props.vpc !== undefined) return [];
  const dropped = (['vpcSubnets', 'securityGroups'] as const).filter((prop) => props[prop] !== undefined);
  if (dropped.length === 0) return [];
  return [
    `${dropped.join(' and ')} ${dropped.length > 1 ? 'are' : 'is'} given without vpc, so the job runs in SageMaker's ` +
      `network and ${dropped.length > 1 ? 'they' : 'it'} would be ignored. Fix: give vpc, or drop ${dropped.join(' and ')}.`,
  ];
}

/** Every URI, name, version, boolean and shared artifact a job is given, before anything is built from them. */
export function checkJobInputs(props: FineTuningJobProps, config: TrainingConfiguration): void {
  const problems = [
    requiredProblem('role', props.role, 'an IAM role (iam.IRole) that SageMaker assumes'),
    // A number where a Duration belongs would fail inside CDK with a TypeError.
    durationTypeProblem('maxRuntime', props.maxRuntime),
    durationTypeProblem('maxWaitTime', props.maxWaitTime),
    ...networkProblems(props),
    s3UriProblem('trainingDataUri', props.trainingDataUri, S3UriForm.PREFIX),
    props.validationDataUri === undefined
      ? undefined
      : s3UriProblem('validationDataUri', props.validationDataUri, S3UriForm.PREFIX),
    s3UriProblem('outputUri', props.outputUri, S3UriForm.ANY),
    props.trainingScriptUri === undefined
      ? undefined
      : s3UriProblem('trainingScriptUri', props.trainingScriptUri, S3UriForm.TARBALL),
    props.gatedWeightsUri === undefined
      ? undefined
      : s3UriProblem('gatedWeightsUri', props.gatedWeightsUri, S3UriForm.TARBALL),
    hubContentVersionProblem('hubContentVersion', props.hubContentVersion),
    trainingRunIdProblem('trainingRunId', props.trainingRunId),
    props.trainingDataEncryptionKey === undefined
      ? undefined
      : kmsKeyArnProblem('trainingDataEncryptionKey', props.trainingDataEncryptionKey.keyArn),
    booleanProblem('disableOutputCompression', props.disableOutputCompression),
    booleanProblem('skipDatasetCheck', props.skipDatasetCheck),
    booleanProblem('waitForTraining', props.waitForTraining),
    // SageMaker's ranges and pattern (its service model): RetryStrategy, MaxPendingTimeInSeconds, TrainingPlanArn.
    integerProblem('retryAttempts', props.retryAttempts, 1, 30),
    durationProblem(
      'maxPendingTime',
      props.maxPendingTime,
      PENDING_TIME_RANGE.min.toSeconds(),
      PENDING_TIME_RANGE.max.toSeconds(),
    ),
    trainingPlanArnProblem(props.trainingPlanArn),
  ];
  // JumpStart's script splits the training data only without a validation channel (the walkthrough's own words).
  const splitRatio = (props.recipe?._choices ?? props).hyperparameters?.validationSplitRatio;
  if (props.validationDataUri !== undefined && splitRatio !== undefined) {
    const validation = props.validationData !== undefined ? 'validationData' : 'validationDataUri';
    problems.push(
      `hyperparameters.validationSplitRatio is ${showValue(splitRatio)}, but ${validation} is given: the training ` +
        'script splits the training data only when there is no validation channel, so the ratio would be ignored. ' +
        `Fix: drop validationSplitRatio, or drop ${validation} to split the training data.`,
    );
  }
  const validPlan = typeof props.trainingPlanArn === 'string' && !trainingPlanArnProblem(props.trainingPlanArn);
  if (validPlan && !PLAN_RESERVABLE_TYPES.includes(config.instanceType)) {
    problems.push(
      `trainingPlanArn is given for ${config.instanceType}, which training plans do not reserve: the job could never ` +
        `start. Allowed with a plan: ${PLAN_RESERVABLE_TYPES.join(', ')}. Fix: train on the plan's instance type, or drop trainingPlanArn.`,
    );
  }
  const artifacts = props.artifacts;
  if (artifacts && artifacts.modelId !== config.model.modelId) {
    problems.push(
      `artifacts are JumpStart's artifacts of ${artifacts.modelId}, but this job fine-tunes ${config.model.modelId}: it would train ` +
        "the other model's weights. Fix: pass artifacts resolved for the same modelId, or leave artifacts out.",
    );
  } else if (artifacts && instanceFamily(artifacts.trainingInstanceType) !== instanceFamily(config.instanceType)) {
    problems.push(
      `artifacts were resolved for ${artifacts.trainingInstanceType}, but this job trains on ${config.instanceType}: ` +
        `JumpStart's gated weights differ by instance family (${instanceFamily(artifacts.trainingInstanceType)} vs ` +
        `${instanceFamily(config.instanceType)}). Fix: resolve the artifacts with trainingInstanceType ${config.instanceType}, or leave artifacts out.`,
    );
  }
  if (
    artifacts &&
    props.hubContentVersion !== undefined &&
    props.hubContentVersion !== artifacts.requestedHubContentVersion
  ) {
    problems.push(
      `hubContentVersion is "${props.hubContentVersion}", but the artifacts given were resolved for ` +
        `${artifacts.requestedHubContentVersion === undefined ? 'the newest version' : `"${artifacts.requestedHubContentVersion}"`}, and ` +
        'they decide what trains. Fix: set the version on the artifacts, or leave hubContentVersion out.',
    );
  }
  throwIfProblems(problems);
}

/**
 * Refuses a configuration the estimate says would be stopped at its maximum runtime, unless
 * told to skip the check; returns the warning when only the pessimistic end overruns.
 */
export function checkRuntimeFits(
  config: TrainingConfiguration,
  maxRuntime: Duration,
  props: FineTuningJobProps,
): string | undefined {
  throwIfProblems([
    booleanProblem('skipRuntimeCheck', props.skipRuntimeCheck),
    integerProblem('trainingSampleCount', props.trainingSampleCount, 1),
  ]);
  const { problem, warning } = runtimeCheck(config, maxRuntime, props);
  if (problem) throw configurationError([problem]);
  return warning;
}

/**
 * Refuses a configuration whose training estimate plus the budget endpoints' first day is
 * over maxBudgetUsd on every candidate instance type; returns the warning when only the
 * pessimistic end is.
 */
export function checkJobBudget(
  config: TrainingConfiguration,
  instanceTypes: readonly string[],
  props: FineTuningJobProps,
): string[] {
  if (props.maxBudgetUsd === undefined && props.budgetEndpoints === undefined) return [];
  const budget = props.maxBudgetUsd;
  const endpoints = props.budgetEndpoints ?? [];
  throwIfProblems([
    budget === undefined
      ? 'budgetEndpoints is given without maxBudgetUsd, so it would be ignored. Fix: give maxBudgetUsd, or remove budgetEndpoints.'
      : typeof budget !== 'number' || !Number.isFinite(budget) || budget <= 0
        ? `maxBudgetUsd is ${showValue(budget)}; allowed: a positive number of US dollars. Fix: e.g. 50, or leave it out for no budget.`
        : undefined,
    Array.isArray(endpoints) &&
    endpoints.every(
      (e) =>
        typeof e?.instanceType === 'string' &&
        (e.instanceCount === undefined || (Number.isInteger(e.instanceCount) && e.instanceCount >= 1)),
    )
      ? undefined
      : `budgetEndpoints is ${showValue(endpoints)}; allowed: a list of { instanceType, instanceCount? } with counts of 1 or more. Fix: e.g. [{ instanceType: 'ml.g5.12xlarge' }].`,
  ]);
  const checks = instanceTypes.map((instanceType) =>
    checkBudget({ ...config, instanceType }, budget!, endpoints, props.trainingSampleCount),
  );
  throwIfProblems(checks.map((c) => c.problem));
  return checks.flatMap((c) => (c.warning ? [c.warning] : []));
}

function runtimeCheck(config: TrainingConfiguration, maxRuntime: Duration, props: FineTuningJobProps): RuntimeCheck {
  if (props.skipRuntimeCheck === true || maxRuntime.isUnresolved()) return {};
  return checkRuntime(config, maxRuntime.toSeconds() / 60, MAX_TRAINING_RUNTIME.toMinutes(), props.trainingSampleCount);
}

const TRAINING_PLAN_ARN = /^arn:aws[a-z-]*:sagemaker:[a-z0-9-]*:[0-9]{12}:training-plan\/.+$/;

function trainingPlanArnProblem(arn: unknown): string | undefined {
  if (arn === undefined || (typeof arn === 'string' && Token.isUnresolved(arn))) return undefined;
  if (typeof arn === 'string' && TRAINING_PLAN_ARN.test(arn) && arn.length >= 50 && arn.length <= 2048)
    return undefined;
  return (
    `trainingPlanArn is ${showValue(arn)}; allowed: a training plan ARN, arn:aws:sagemaker:<region>:<account>:training-plan/<name>. ` +
    'Fix: use the TrainingPlanArn that CreateTrainingPlan or DescribeTrainingPlan returns, or leave it out for on-demand capacity.'
  );
}

/**
 * The fallback instance types, each a training configuration of its own: a type the model
 * trains on, other than the job's and listed once, whose own estimate fits maxRuntime. They
 * become the job's instance preferences, so artifacts given for the job must be resolved for
 * the whole list. A training plan reserves one instance type, so it cannot be combined with
 * fallbacks. Returns the types.
 */
export function checkFallbacks(
  config: TrainingConfiguration,
  maxRuntime: Duration,
  props: FineTuningJobProps,
): string[] {
  const types: unknown = props.fallbackInstanceTypes;
  if (types === undefined) return [];
  throwIfProblems(
    instanceListProblems(config.model, 'fallbackInstanceTypes', types, 'instanceType', config.instanceType),
  );
  const problems: Array<string | undefined> = [];
  if ((types as string[]).length > 0 && props.trainingPlanArn !== undefined) {
    problems.push(
      `fallbackInstanceTypes are given with trainingPlanArn; a training plan reserves one instance type, so a fallback ` +
        'could not run on it. Fix: drop one of them.',
    );
  }
  const resolvedFor = props.artifacts?.fallbackTrainingInstanceTypes;
  if (resolvedFor && resolvedFor.join() !== (types as string[]).join()) {
    problems.push(
      `artifacts were resolved with fallbackTrainingInstanceTypes ${JSON.stringify(resolvedFor)}, but this job's ` +
        `fallbackInstanceTypes are ${JSON.stringify(types)}: the job runs one image and one set of weights on every ` +
        `type in its list. Fix: resolve the artifacts with fallbackTrainingInstanceTypes ${JSON.stringify(types)}, ` +
        'or leave artifacts out.',
    );
  }
  throwIfProblems(problems);
  // Each type's own estimate must fit too: a fallback that would be stopped at maxRuntime saves nothing.
  throwIfProblems(
    (types as string[]).map((instanceType, i) => {
      const overrun = runtimeCheck({ ...config, instanceType }, maxRuntime, props).problem;
      return overrun && `fallbackInstanceTypes[${i}]: ${overrun}`;
    }),
  );
  return types as string[];
}

/**
 * Problems with a list of other instance types one job may run on (SageMaker's instance
 * preferences after its first type `ownType`): types that train the model, each once.
 */
export function instanceListProblems(
  model: ModelSpec,
  name: string,
  types: unknown,
  ownName: string,
  ownType: string,
): string[] {
  const supported = model.training.supportedInstanceTypes;
  const others = supported.filter((t) => t !== ownType);
  const allowed = `instance types that train ${model.modelId} other than ${ownName} ${ownType}: ${others.join(', ')}`;
  if (!Array.isArray(types) || types.some((t) => typeof t !== 'string')) {
    return [
      `${name} is ${showValue(types)}; allowed: a list of ${allowed}. Fix: e.g. ["${others[0]}"], or leave it out.`,
    ];
  }
  return types.flatMap((type: string, i) => {
    const item = `${name}[${i}]`;
    if (type === ownType) return [`${item} is "${type}", the same as ${ownName}; allowed: ${allowed}. Fix: remove it.`];
    if (types.indexOf(type) !== i)
      return [`${item} is "${type}", listed already; allowed: each type once. Fix: remove it.`];
    if (!supported.includes(type)) {
      return [
        `${item} is "${type}", which does not train ${model.modelId}; allowed: ${allowed}. Fix: use one of these.`,
      ];
    }
    return [];
  });
}

/**
 * Managed spot training as SageMaker takes it: a maximum wait of at least the maximum runtime,
 * within what a deploy can wait for, and never with a training plan or instance preferences
 * (SageMaker refuses both). Returns the maximum wait, which the deploy waits.
 */
export function checkSpot(props: FineTuningJobProps, maxRuntime: Duration): Duration | undefined {
  throwIfProblems([booleanProblem('useSpotInstances', props.useSpotInstances)]);
  const wait = props.maxWaitTime;
  if (props.useSpotInstances !== true) {
    if (wait !== undefined) {
      throw configurationError([
        'maxWaitTime is given without useSpotInstances: SageMaker reads it for managed spot training only. ' +
          'Fix: set useSpotInstances: true, or drop maxWaitTime.',
      ]);
    }
    return undefined;
  }
  const problems: Array<string | undefined> = [];
  if (props.trainingPlanArn !== undefined) {
    problems.push(
      'useSpotInstances is given with trainingPlanArn: a job runs on a plan or on spot capacity, not both. Fix: drop one.',
    );
  }
  if (props.fallbackInstanceTypes !== undefined) {
    problems.push(
      'useSpotInstances is given with fallbackInstanceTypes: the fallbacks are SageMaker instance preferences, which ' +
        'SageMaker does not take with managed spot training (spot capacity is waited for within maxWaitTime instead). ' +
        'Fix: drop one.',
    );
  }
  if (wait === undefined) {
    problems.push(
      `maxWaitTime is required with useSpotInstances (SageMaker's MaxWaitTimeInSeconds: the runtime plus the time spent waiting for spot capacity). ` +
        `Fix: give a maxWaitTime of at least maxRuntime, e.g. twice it (${Math.ceil(maxRuntime.toHours({ integral: false }) * 2)} hours).`,
    );
  } else if (!wait.isUnresolved()) {
    problems.push(
      durationProblem(
        'maxWaitTime',
        wait,
        Math.max(1, maxRuntime.toSeconds()),
        MAX_TRAINING_RUNTIME.toSeconds(),
      )?.replace(/allowed: whole seconds from (\d+)/, 'allowed: whole seconds from $1 (maxRuntime)'),
    );
  }
  throwIfProblems(problems);
  return wait;
}
