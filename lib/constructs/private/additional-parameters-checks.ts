import { Token } from 'aws-cdk-lib';
import { throwIfProblems } from '../../config/configuration-error';
import {
  isPlainObject,
  memberPath,
  resolveShape,
  shapeProblems,
  unknownMemberProblem,
} from '../../config/request-shape-checks';
import { showValue } from '../../config/show-value';
import { CREATE_TRAINING_JOB_REQUEST as MODEL } from '../../models/create-training-job-request';
import type { MapShape, StructureShape } from '../../models/request-model';
import type { FineTuningJobProps } from '../fine-tuning-job';

export const ADDITIONAL_PARAMETERS = 'additionalTrainingJobParameters';

/**
 * CreateTrainingJob members the library sets, with the prop that controls each (or why none
 * does): a pass-through of one would fight the library's own value, or undo a secure default.
 */
export const OWNED: Readonly<Record<string, string>> = {
  TrainingJobName: 'jobNamePrefix and trainingRunId (each job is named after its training inputs)',
  RoleArn: 'role',
  OutputDataConfig: 'outputUri, outputEncryptionKey and disableOutputCompression',
  HyperParameters: 'hyperparameters',
  AlgorithmSpecification: "trainingImageUri (the input mode and metric definitions are the training script's own)",
  InputDataConfig: 'trainingData and validationData (the code and model channels come from JumpStart)',
  VpcConfig: 'vpc, vpcSubnets and securityGroups',
  StoppingCondition: 'maxRuntime, maxPendingTime and maxWaitTime',
  Tags: "Tags.of(job) (the construct's tags reach the job)",
  EnableNetworkIsolation: 'none: the job always runs network-isolated (secure by default)',
  EnableInterContainerTrafficEncryption:
    'none: traffic between training containers is always encrypted (secure by default)',
  EnableManagedSpotTraining: 'useSpotInstances',
  CheckpointConfig: 'useSpotInstances (checkpoints go under outputUri)',
  RetryStrategy: 'retryAttempts',
  ServerlessJobConfig:
    "none: a serverless job trains a base model of its own, not JumpStart's training script on instanceType",
};

/** The members of ResourceConfig the library sets; the others (warm pools: KeepAlivePeriodInSeconds) pass through. */
export const OWNED_RESOURCE_CONFIG: Readonly<Record<string, string>> = {
  InstanceType: 'instanceType',
  InstanceCount: 'instanceCount',
  VolumeSizeInGB:
    'none: the library sizes the volume for the instance type (where local NVMe holds the data, SageMaker ignores it)',
  VolumeKmsKeyId:
    'none: SageMaker refuses it on instance types with local NVMe storage, which the types that train the model have; outputEncryptionKey encrypts the output',
  InstancePreferences: 'fallbackInstanceTypes',
  TrainingPlanArn: 'trainingPlanArn',
  InstanceGroups: 'instanceType and instanceCount (the job runs one instance group)',
  SelectedInstanceType: 'none: SageMaker reports it (DescribeTrainingJob); it is not part of a request',
  SelectedInstanceCount: 'none: SageMaker reports it (DescribeTrainingJob); it is not part of a request',
};

/** Environment variables the library sets for the gated base weights (JumpStart's names), on some paths. */
export const OWNED_ENVIRONMENT: Readonly<Record<string, string>> = {
  accept_eula: 'acceptEula',
  SageMakerGatedModelS3Uri: "gatedWeightsUri (JumpStart's gated base weights)",
};

const REQUEST = MODEL.shapes[MODEL.input] as StructureShape;

/**
 * Checks `additionalTrainingJobParameters` against CreateTrainingJob's service model and the
 * members the library owns. Returns it as the handler receives it: keys sorted at every level
 * (the order they were written in is no training input) and members left undefined dropped.
 */
export function checkAdditionalParameters(props: FineTuningJobProps): Record<string, unknown> | undefined {
  const given: unknown = props.additionalTrainingJobParameters;
  if (given === undefined) return undefined;
  const prop = ADDITIONAL_PARAMETERS;
  if (!isPlainObject(given)) {
    throwIfProblems([
      `${prop} is ${Token.isUnresolved(given) ? 'a token' : showValue(given)}; allowed: an object of CreateTrainingJob ` +
        'members the library does not set, written out (its string and number members may be tokens). ' +
        'Fix: e.g. { ResourceConfig: { KeepAlivePeriodInSeconds: 1800 } }, or leave it out.',
    ]);
  }
  const members = given as Record<string, unknown>;
  const problems: string[] = [];
  for (const [member, value] of Object.entries(members)) {
    if (value === undefined) continue;
    const path = `${prop}.${member}`;
    if (OWNED[member]) problems.push(ownedProblem(path, OWNED[member]));
    else if (!(member in REQUEST.members)) problems.push(unknownMemberProblem(prop, member, MODEL.input, passable()));
    else if (member === 'ResourceConfig') problems.push(...resourceConfigProblems(value, path));
    else if (member === 'Environment') problems.push(...environmentProblems(value, path));
    else problems.push(...shapeProblems(MODEL, REQUEST.members[member], value, path));
  }
  const placement = (members.ResourceConfig as Record<string, unknown> | undefined)?.InstancePlacementConfig;
  if (placement !== undefined && props.fallbackInstanceTypes?.length) {
    problems.push(
      `${prop}.ResourceConfig.InstancePlacementConfig is given with fallbackInstanceTypes; SageMaker takes instance ` +
        'preferences without a placement configuration only. Fix: drop one of them.',
    );
  }
  throwIfProblems(problems);
  return canonical(members) as Record<string, unknown>;
}

/** The request members a pass-through may set. */
function passable(): string[] {
  return Object.keys(REQUEST.members).filter((m) => !OWNED[m]);
}

function ownedProblem(path: string, owner: string): string {
  const [prop, why] = owner.startsWith('none: ') ? [undefined, owner.slice('none: '.length)] : [owner, undefined];
  return prop
    ? `${path} is set by the library; allowed: members the library does not set. Fix: use ${prop} instead, and remove ${path}.`
    : `${path} is set by the library and cannot be passed through: ${why}. Fix: remove ${path}.`;
}

/** ResourceConfig: the library's members are refused, the rest checked as SageMaker would. */
function resourceConfigProblems(value: unknown, path: string): string[] {
  const ref = REQUEST.members.ResourceConfig as string;
  if (!isPlainObject(value)) return shapeProblems(MODEL, ref, value, path);
  const owned = Object.keys(value).filter((m) => value[m] !== undefined && OWNED_RESOURCE_CONFIG[m]);
  const rest = Object.fromEntries(Object.entries(value).filter(([m]) => !OWNED_RESOURCE_CONFIG[m]));
  return [
    ...owned.map((m) => ownedProblem(`${path}.${m}`, OWNED_RESOURCE_CONFIG[m])),
    ...shapeProblems(MODEL, ref, rest, path),
  ];
}

/** Environment: added to the library's own variables, whose names are refused, within SageMaker's count. */
function environmentProblems(value: unknown, path: string): string[] {
  const ref = REQUEST.members.Environment;
  if (!isPlainObject(value)) return shapeProblems(MODEL, ref, value, path);
  const owned = Object.keys(value).filter((k) => value[k] !== undefined && OWNED_ENVIRONMENT[k]);
  const problems = owned.map((k) => ownedProblem(memberPath(path, k), OWNED_ENVIRONMENT[k]));
  problems.push(...shapeProblems(MODEL, ref, value, path));
  const max = (resolveShape(MODEL, ref) as MapShape).max;
  const room = max === undefined ? undefined : max - Object.keys(OWNED_ENVIRONMENT).length;
  const count = Object.values(value).filter((v) => v !== undefined).length;
  if (room !== undefined && count > room && count <= max!) {
    problems.push(
      `${path} has ${count} variables; allowed: at most ${room}, as the library may set ${Object.keys(OWNED_ENVIRONMENT).join(' and ')} ` +
        `beside them (SageMaker takes ${max}). Fix: pass fewer variables.`,
    );
  }
  return problems;
}

/** The value with object keys sorted at every level and undefined members dropped. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (!isPlainObject(value)) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .filter((k) => value[k] !== undefined)
      .map((k) => [k, canonical(value[k])]),
  );
}

/**
 * The s3:// locations the pass-through has SageMaker write to (profiler, debugger and
 * TensorBoard outputs), known at synth: the job's role is granted writes under each.
 */
export function s3OutputLocations(parameters: Record<string, unknown> | undefined): string[] {
  const found: string[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (isPlainObject(value)) {
      for (const [key, v] of Object.entries(value)) {
        if (key === 'S3OutputPath' && typeof v === 'string' && !Token.isUnresolved(v) && v.startsWith('s3://'))
          found.push(v);
        else walk(v);
      }
    }
  };
  walk(parameters);
  return [...new Set(found)];
}
