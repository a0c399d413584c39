import { configurationError, throwIfProblems } from './configuration-error';
import { showValue } from './show-value';
import {
  S3UriForm,
  booleanProblem,
  kmsKeyArnProblem,
  modelPackageArnProblem,
  s3UriProblem,
  sageMakerNameProblem,
} from './input-checks';
import type { Hyperparameters } from './hyperparameters';
import type { Llama3FineTuningStackProps } from '../llama3-fine-tuning-stack';
import { ComplianceProfile } from '../constructs/compliance';
import { DEFAULT_MODEL_ID, MODEL_CATALOGUE, ModelSpec } from '../models/catalogue';

/** Props that must be booleans: from JavaScript, "false" is truthy. */
const BOOLEANS: ReadonlyArray<keyof Llama3FineTuningStackProps> = [
  'deployEndpoint',
  'dataCapture',
  'destroyDataOnDelete',
  'disableOutputCompression',
  'encryptLogs',
  'deployBaseEndpoint',
  'skipRuntimeCheck',
  'skipDatasetCheck',
  'trainingUseSpotInstances',
  'waitForTraining',
  'registerModel',
];

/** Settings of the version the stack registers. */
const REGISTRY_SETTINGS: ReadonlyArray<keyof Llama3FineTuningStackProps> = [
  'modelPackageGroupName',
  'modelApprovalStatus',
  'modelConsumerAccountIds',
];

/** Settings that only matter when the stack trains. */
const TRAINING_SETTINGS: ReadonlyArray<keyof Llama3FineTuningStackProps> = [
  'trainData',
  'validationData',
  'trainingInstanceType',
  'trainingInstanceCount',
  'trainingMaxRuntime',
  'trainingRetryAttempts',
  'trainingFallbackInstanceTypes',
  'trainingPlanArn',
  'trainingMaxPendingTime',
  'skipRuntimeCheck',
  'skipDatasetCheck',
  'trainingRunId',
  'trainingDataKeyArn',
  'trainingUseSpotInstances',
  'trainingMaxWaitTime',
  'trainingAdditionalParameters',
  'waitForTraining',
];

/** Settings that only matter when the stack serves. */
const SERVING_SETTINGS: ReadonlyArray<keyof Llama3FineTuningStackProps> = [
  'endpointInstanceType',
  'endpointInstanceCount',
  'endpointName',
  'dataCapture',
  'endpointAutoScaling',
  'endpointScaleToZero',
  'endpointDeploymentGuardrails',
];

/** A plausible address: something@domain.tld, no spaces. */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * The stack's props that contradict each other or would be ignored, and values the
 * constructs would receive under another name: refused before anything is built.
 */
export function checkStackProps(props: Llama3FineTuningStackProps): void {
  checkServingSource(props);
  const problems: Array<string | undefined> = BOOLEANS.map((prop) => booleanProblem(prop, props[prop]));
  const given = (prop: keyof Llama3FineTuningStackProps) => props[prop] !== undefined;

  const source =
    props.existingTrainingJobName !== undefined
      ? 'existingTrainingJobName'
      : props.modelArtifactsUri !== undefined
        ? 'modelArtifactsUri'
        : props.modelPackageArn !== undefined
          ? 'modelPackageArn'
          : undefined;
  const hyperparameters = Object.entries(props.hyperparameters ?? {})
    .filter(([, v]) => v !== undefined)
    .map(([k]) => `hyperparameters.${k}`);
  if (source) {
    const ignored = [...TRAINING_SETTINGS.filter(given), ...hyperparameters];
    if (ignored.length > 0) {
      problems.push(
        `${source} serves an existing model, so nothing is trained, but ${ignored.join(', ')} ${ignored.length > 1 ? 'are' : 'is'} ` +
          'given and would be ignored. Fix: remove the training settings, or drop the model source to train.',
      );
    }
  }
  if (props.deployEndpoint === false) {
    const ignored = SERVING_SETTINGS.filter(given);
    if (ignored.length > 0) {
      problems.push(
        `deployEndpoint is false, so nothing is served, but ${ignored.join(', ')} ` +
          `${ignored.length > 1 ? 'are' : 'is'} given and would be ignored. Fix: remove them, or drop deployEndpoint: false.`,
      );
    }
    // The base endpoint would be served, but it is there to compare the fine-tuned endpoint with.
    if (props.deployBaseEndpoint === true) {
      problems.push(
        'deployBaseEndpoint is true with deployEndpoint false: the base endpoint is served to compare the fine-tuned ' +
          "model's endpoint with, and there is none. Fix: drop deployBaseEndpoint, or drop deployEndpoint: false.",
      );
    }
  }
  if (props.waitForTraining === false && props.deployEndpoint !== false) {
    // Serving needs the model, which exists only after the training this deploy does not wait for.
    const ignored = [...(props.deployEndpoint === true ? ['deployEndpoint'] : []), ...SERVING_SETTINGS.filter(given)];
    if (props.deployBaseEndpoint === true) ignored.push('deployBaseEndpoint');
    if (ignored.length > 0) {
      problems.push(
        `waitForTraining is false, so the deploy ends before the model exists and nothing is served, but ` +
          `${ignored.join(', ')} ${ignored.length > 1 ? 'are' : 'is'} given. Fix: drop them for this deploy, then ` +
          'deploy again with the wait to serve the model.',
      );
    }
  }
  problems.push(...registryProblems(props, source));
  if (props.handlerSubnets !== undefined && props.handlerVpc === undefined) {
    problems.push(
      'handlerSubnets is given without handlerVpc, so the handlers run outside any VPC and it would be ignored. ' +
        'Fix: give handlerVpc, or drop handlerSubnets.',
    );
  }
  if (props.modelSubnets !== undefined && props.modelVpc === undefined) {
    problems.push(
      "modelSubnets is given without modelVpc, so the training job and the endpoints run in SageMaker's network and it " +
        'would be ignored. Fix: give modelVpc, or drop modelSubnets.',
    );
  }
  if (source && props.maxBudgetUsd !== undefined) {
    problems.push(
      `maxBudgetUsd is given with ${source}: the budget is checked against the training estimate, and nothing is ` +
        'trained, so it would be ignored. Fix: drop maxBudgetUsd, or drop the model source to train.',
    );
  }
  problems.push(...dataLocationProblems(props));
  if (!source && props.trainData === undefined) problems.push(defaultDatasetProblem(props));
  const profiles: unknown[] = Object.values(ComplianceProfile);
  if (props.compliance !== undefined && !profiles.includes(props.compliance)) {
    problems.push(
      `compliance is ${showValue(props.compliance)}; allowed: ${profiles.map((p) => `"${p}"`).join(', ')}. ` +
        'Fix: "control-tower" to pass every applicable AWS Control Tower proactive control, or leave it out.',
    );
  }
  if (props.trainingDataKeyArn !== undefined) {
    const inS3 = [props.trainData, props.validationData].some((d) => typeof d === 'string' && d.startsWith('s3://'));
    problems.push(
      kmsKeyArnProblem('trainingDataKeyArn', props.trainingDataKeyArn) ??
        (inS3 || source
          ? undefined
          : `trainingDataKeyArn is given, but no s3:// trainData or validationData is: local datasets are uploaded to the ` +
            "stack's own bucket under its own key, and JumpStart's default dataset needs none, so the key would be ignored. " +
            'Fix: give the s3:// data it encrypts, or drop trainingDataKeyArn.'),
    );
  }
  if (props.existingTrainingJobName !== undefined) {
    problems.push(sageMakerNameProblem('existingTrainingJobName', props.existingTrainingJobName));
  }
  if (props.modelArtifactsUri !== undefined) {
    problems.push(s3UriProblem('modelArtifactsUri', props.modelArtifactsUri, S3UriForm.MODEL));
  }
  if (props.modelPackageArn !== undefined) {
    problems.push(modelPackageArnProblem('modelPackageArn', props.modelPackageArn));
  }
  if (props.alarmEmail !== undefined && !(typeof props.alarmEmail === 'string' && EMAIL.test(props.alarmEmail))) {
    problems.push(
      `alarmEmail is ${showValue(props.alarmEmail)}, which is not an email address. ` +
        'Fix: give one address, e.g. ml-team@example.com.',
    );
  }
  throwIfProblems(problems);
}

/** A URI scheme (`s3://`, `S3://`, `https://`): data named this way is not a local directory. */
const URI = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;

/**
 * trainData and validationData: a string; an S3 URI in S3's form (a prefix ending in `/`), and
 * any other URI (`S3://`, an `https://` object URL) refused as not an S3 URI rather than looked for
 * as a local directory. What is left is a local directory, which LocalDataset checks.
 */
function dataLocationProblems(props: Llama3FineTuningStackProps): Array<string | undefined> {
  return (['trainData', 'validationData'] as const).map((prop) => {
    const value: unknown = props[prop];
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || value.trim() === '') {
      return (
        `${prop} is ${showValue(value)}; allowed: an s3:// URI of a prefix ending in / or the path of a local ` +
        'dataset directory. Fix: e.g. s3://bucket/train/ or ./data/train.'
      );
    }
    return URI.test(value) ? s3UriProblem(prop, value, S3UriForm.PREFIX) : undefined;
  });
}

/** The training mode a model's default hyperparameters select, as the given ones change it. */
function trainingMode(model: ModelSpec, given: Hyperparameters): 'chatDataset' | 'instructionTuned' | undefined {
  const value = (prop: 'chatDataset' | 'instructionTuned') =>
    given[prop] ?? model.hyperparameters.find((h) => h.prop === prop)?.default;
  if (value('chatDataset') === true) return 'chatDataset';
  return value('instructionTuned') === true ? 'instructionTuned' : undefined;
}

/**
 * Without trainData the job reads the model's default JumpStart dataset, which is in the
 * format of the model's default mode (SEC filings, plain text, for Llama 3; conversations for
 * Llama 3.2 1B Instruct): another mode cannot read it.
 */
function defaultDatasetProblem(props: Llama3FineTuningStackProps): string | undefined {
  const model = MODEL_CATALOGUE.find((m) => m.modelId === (props.modelId ?? DEFAULT_MODEL_ID));
  if (!model) return undefined; // reported with the known models when the configuration is resolved
  const given = props.hyperparameters ?? {};
  const wanted = trainingMode(model, given);
  const readable = trainingMode(model, {});
  if (wanted === readable) return undefined;
  const describe = (mode: typeof wanted) =>
    mode === 'chatDataset'
      ? 'conversations (chat)'
      : mode === 'instructionTuned'
        ? 'instruction records'
        : 'plain text for domain adaptation';
  const setting = wanted ?? readable!;
  return (
    `hyperparameters.${setting} is ${given[setting]}, but no trainData is given: ${model.modelId}'s default dataset ` +
    `(JumpStart's ${model.training.defaultDatasetKey}) holds ${describe(readable)}, and this training mode reads ` +
    `${describe(wanted)}. Fix: give trainData in the mode's format, or leave the mode at the model's default.`
  );
}

/**
 * Registration settings that would be ignored: the stack registers the model it trains or serves
 * from a job or S3, once the deploy has waited for it; a registered version is served as it is.
 */
function registryProblems(props: Llama3FineTuningStackProps, source: string | undefined): string[] {
  const given = REGISTRY_SETTINGS.filter((prop) => props[prop] !== undefined);
  const settings = [...(props.registerModel === true ? ['registerModel'] : []), ...given];
  const are = (list: string[]) => `${list.join(', ')} ${list.length > 1 ? 'are' : 'is'}`;
  if (settings.length === 0) return [];
  if (source === 'modelPackageArn') {
    return [
      `modelPackageArn serves a version already in a registry, so nothing new is registered, but ${are(settings)} given. ` +
        'Fix: drop them; approve or share the version in the stack that registered it.',
    ];
  }
  if (props.registerModel === false && given.length > 0) {
    return [
      `registerModel is false, but ${are(given)} given and would be ignored. Fix: drop them, or drop registerModel: false.`,
    ];
  }
  if (props.waitForTraining === false) {
    return [
      `waitForTraining is false, so the deploy ends before the model exists and nothing is registered, but ${are(settings)} given. ` +
        'Fix: drop them for this deploy, then deploy again with the wait to register the model.',
    ];
  }
  if (source && props.modelConsumerAccountIds !== undefined) {
    return [
      `modelConsumerAccountIds shares the stack's model bucket, but ${source} serves a model stored elsewhere, which ` +
        "the consumer accounts could not read. Fix: share that model's bucket and key with them yourself and register it " +
        'in a ModelRegistry, or train in this stack.',
    ];
  }
  return [];
}

/** At most one source of the model to serve, and something to do. */
function checkServingSource(props: Llama3FineTuningStackProps): void {
  const sources = [
    props.existingTrainingJobName && 'existingTrainingJobName',
    props.modelArtifactsUri && 'modelArtifactsUri',
    props.modelPackageArn && 'modelPackageArn',
  ].filter(Boolean);
  if (sources.length > 1) {
    throw configurationError([
      `${sources.join(' and ')} are both given; allowed: at most one model to serve. Fix: keep one of them.`,
    ]);
  }
  if (sources.length === 1 && props.deployEndpoint === false) {
    throw configurationError([
      `${sources[0]} is given with deployEndpoint false: nothing would be ` +
        'trained or served. Fix: drop deployEndpoint: false to serve the model, or drop the model source to train.',
    ]);
  }
}
