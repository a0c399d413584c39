/**
 * FineTunedModelEndpoint's props, checked before anything is built: values SageMaker or
 * Application Auto Scaling would refuse at deploy, options that would be dropped because
 * what they configure is not there, and wrong types from JavaScript — each in prop words.
 */
import { Token } from 'aws-cdk-lib';
import { throwIfProblems } from '../../config/configuration-error';
import {
  S3UriForm,
  durationProblem,
  integerProblem,
  modelPackageArnProblem,
  requiredProblem,
  s3UriProblem,
  sageMakerNameProblem,
} from '../../config/input-checks';
import { showValue } from '../../config/show-value';
import { InstanceTypeFacts, instanceFacts } from '../../models/instance-types';
import type { EndpointAutoScaling, FineTunedModelEndpointProps } from '../fine-tuned-model-endpoint';

const isObject = (value: unknown) => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A rate to hold per instance or copy: a number above 0 (0 or less would never scale in or out sensibly). */
function rateProblem(prop: string, value: unknown): string | undefined {
  if (value === undefined || (typeof value === 'number' && Number.isFinite(value) && value > 0)) return undefined;
  return `${prop} is ${showValue(value)}; allowed: a number > 0 (invocations per minute). Fix: e.g. 10, or leave it out.`;
}

/** The instance the endpoint runs on, after every prop has been checked. */
export function checkHosting(
  props: FineTunedModelEndpointProps,
  modelId: string,
  supported: readonly string[],
  instanceType: unknown,
): InstanceTypeFacts {
  const problems: Array<string | undefined> = [requiredProblem('role', props.role, 'an IAM role (iam.IRole)')];
  const instance = typeof instanceType === 'string' ? instanceFacts(instanceType) : undefined;
  if (typeof instanceType !== 'string' || !supported.includes(instanceType) || !instance) {
    problems.push(
      `instanceType is ${showValue(instanceType)}, which does not serve ${modelId}; ` +
        `allowed: ${supported.join(', ')}. Fix: use one of these.`,
    );
  }
  problems.push(integerProblem('instanceCount', props.instanceCount, 1));
  problems.push(...dataCaptureProblems(props));
  problems.push(...autoScalingProblems(props.autoScaling, props.instanceCount));
  problems.push(...scaleToZeroProblems(props));
  const artifacts = props.artifacts;
  if (artifacts && artifacts.modelId !== modelId) {
    problems.push(
      `artifacts are JumpStart's artifacts of ${artifacts.modelId}, but this endpoint serves ${modelId}. ` +
        'Fix: pass artifacts resolved for the same modelId, or leave artifacts out.',
    );
  } else if (artifacts && artifacts.hostingInstanceType !== instanceType && !props.imageUri) {
    problems.push(
      `artifacts were resolved for hosting on ${artifacts.hostingInstanceType}, but this endpoint runs on ${instanceType}, ` +
        `and JumpStart chooses the inference image by instance type. Fix: resolve the artifacts with hostingInstanceType ${instanceType}, or leave artifacts out.`,
    );
  }
  if (props.modelId !== undefined && props.trainingJob && props.trainingJob.modelId !== props.modelId) {
    problems.push(
      `modelId is ${showValue(props.modelId)}, but trainingJob fine-tuned ${props.trainingJob.modelId}. Fix: leave modelId out; the job's is used.`,
    );
  }
  if (props.imageUri !== undefined && !(typeof props.imageUri === 'string' && /^\S{1,255}$/.test(props.imageUri))) {
    // SageMaker's ContainerDefinition.Image: up to 255 characters, no whitespace.
    problems.push(
      `imageUri is ${showValue(props.imageUri)}; allowed: an image URI of 1 to 255 characters without spaces, ` +
        "e.g. <account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag>. Fix: correct it, or leave it out for the hub's image.",
    );
  }
  problems.push(
    props.modelArtifactsUri === undefined
      ? undefined
      : s3UriProblem('modelArtifactsUri', props.modelArtifactsUri, S3UriForm.MODEL),
    props.endpointName === undefined ? undefined : sageMakerNameProblem('endpointName', props.endpointName),
    durationProblem('containerStartupHealthCheckTimeout', props.containerStartupHealthCheckTimeout, 60, 3600),
    durationProblem('modelDataDownloadTimeout', props.modelDataDownloadTimeout, 60, 3600),
  );
  throwIfProblems(problems);
  return instance!;
}

/** Capture options configure the capture into dataCaptureBucket: without it they would be dropped. */
function dataCaptureProblems(props: FineTunedModelEndpointProps): Array<string | undefined> {
  const options = (['dataCaptureEncryptionKey', 'dataCapturePercentage'] as const).filter(
    (prop) => props[prop] !== undefined,
  );
  const dropped =
    props.dataCaptureBucket === undefined && options.length > 0
      ? `${options.join(' and ')} ${options.length > 1 ? 'are' : 'is'} given without dataCaptureBucket, so nothing ` +
        `is captured and ${options.length > 1 ? 'they' : 'it'} would be ignored. Fix: give dataCaptureBucket, or drop ${options.join(' and ')}.`
      : undefined;
  return [dropped, integerProblem('dataCapturePercentage', props.dataCapturePercentage, 1, 100)];
}

/** Application Auto Scaling's target: 1 <= minInstances <= maxInstances, with the first count between them. */
function autoScalingProblems(
  scaling: EndpointAutoScaling | undefined,
  instanceCount: unknown,
): Array<string | undefined> {
  if (scaling === undefined) return [];
  if (!isObject(scaling)) {
    return [
      `autoScaling is ${showValue(scaling)}; allowed: { minInstances, maxInstances, targetInvocationsPerInstance? }. ` +
        'Fix: e.g. { minInstances: 1, maxInstances: 2 }.',
    ];
  }
  const { minInstances: min, maxInstances: max } = scaling;
  const problems = [
    requiredProblem('autoScaling.minInstances', min, 'an integer >= 1') ??
      integerProblem('autoScaling.minInstances', min, 1),
    requiredProblem('autoScaling.maxInstances', max, 'an integer >= 1') ??
      integerProblem('autoScaling.maxInstances', max, 1),
    rateProblem('autoScaling.targetInvocationsPerInstance', scaling.targetInvocationsPerInstance),
  ];
  if (problems.some(Boolean)) return problems;
  if (max < min) {
    problems.push(
      `autoScaling.maxInstances is ${max}, below autoScaling.minInstances ${min}; allowed: at least autoScaling.minInstances. ` +
        `Fix: raise autoScaling.maxInstances to ${min} or more, or lower autoScaling.minInstances.`,
    );
  } else if (typeof instanceCount === 'number' && (instanceCount < min || instanceCount > max)) {
    problems.push(
      `instanceCount is ${instanceCount}, outside autoScaling's ${min} to ${max} instances; allowed: from ` +
        `autoScaling.minInstances to autoScaling.maxInstances. Fix: leave instanceCount out (it starts at minInstances), or widen the range.`,
    );
  }
  return problems;
}

/** What scaleToZero cannot be combined with, and its own ranges. */
function scaleToZeroProblems(props: FineTunedModelEndpointProps): Array<string | undefined> {
  const options = props.scaleToZero;
  if (options === undefined) return [];
  if (!isObject(options)) {
    return [
      `scaleToZero is ${showValue(options)}; allowed: an object of options, {} for the defaults. Fix: e.g. { maxInstances: 1 }.`,
    ];
  }
  const problems: Array<string | undefined> = [];
  if (props.autoScaling) {
    problems.push(
      'autoScaling is given with scaleToZero, which scales the model copies (and instances with them) itself. Fix: drop autoScaling, and set scaleToZero.maxInstances.',
    );
  }
  if (props.instanceCount !== undefined) {
    problems.push(
      `instanceCount is ${showValue(props.instanceCount)} with scaleToZero, which starts with one instance and scales it. Fix: drop instanceCount (scaleToZero scales the instances itself).`,
    );
  }
  if (props.dataCaptureBucket) {
    problems.push(
      'dataCaptureBucket is given with scaleToZero: data capture is documented for endpoints whose variant serves a model, not for inference components, so it is not offered there. Fix: drop one of them.',
    );
  }
  const maxProblem = integerProblem('scaleToZero.maxInstances', options.maxInstances, 1);
  problems.push(maxProblem);
  // initialCopies is judged against maxInstances only when both are the user's and maxInstances is sound.
  const max = maxProblem ? undefined : (options.maxInstances ?? 1);
  problems.push(
    max === undefined
      ? integerProblem('scaleToZero.initialCopies', options.initialCopies, 0)
      : options.initialCopies !== undefined &&
          integerProblem('scaleToZero.initialCopies', options.initialCopies, 0, max)
        ? `scaleToZero.initialCopies is ${showValue(options.initialCopies)}; allowed: an integer from 0 to ` +
          `scaleToZero.maxInstances (${max}). Fix: 1 to start serving, 0 to start idle.`
        : undefined,
  );
  problems.push(rateProblem('scaleToZero.targetInvocationsPerCopy', options.targetInvocationsPerCopy));
  problems.push(durationProblem('scaleToZero.scaleInCooldown', options.scaleInCooldown, 60, 3600 * 24));
  return problems;
}

/** The base model is served from the hub's gated artifacts: with the licence accepted, and from nothing else. */
export function checkBaseModel(props: FineTunedModelEndpointProps): void {
  const problems: string[] = [];
  if (props.acceptEula !== true) {
    problems.push(
      `acceptEula is ${showValue(props.acceptEula)} with baseModel; the base model's hosting artifacts are gated by its licence. Fix: read the licence, then set acceptEula: true.`,
    );
  }
  const given = [
    props.trainingJob && 'trainingJob',
    props.modelArtifactsUri && 'modelArtifactsUri',
    props.modelPackageArn && 'modelPackageArn',
  ].filter(Boolean);
  if (given.length > 0) {
    problems.push(
      `${given.join(' and ')} given with baseModel, which serves JumpStart's base model. Fix: drop ${given.join(' and ')}, or baseModel.`,
    );
  }
  if (props.imageUri && !props.artifacts) {
    problems.push(
      'imageUri is given with baseModel, whose artifacts come from the hub. Fix: pass artifacts, or drop imageUri.',
    );
  }
  throwIfProblems(problems);
}

/**
 * A registered version is served by its ARN: in this stack's region (a model is regional), with
 * nothing beside it that the version already fixes (its image and environment).
 */
export function checkModelPackageSource(props: FineTunedModelEndpointProps, region: string): void {
  const arn = props.modelPackageArn!;
  const problems = [modelPackageArnProblem('modelPackageArn', arn)];
  const arnRegion = typeof arn === 'string' && !Token.isUnresolved(arn) ? arn.split(':')[3] : undefined;
  if (!problems[0] && arnRegion && !Token.isUnresolved(region) && arnRegion !== region) {
    problems.push(
      `modelPackageArn is in ${arnRegion}, but this stack deploys to ${region}: SageMaker serves a version only in its own ` +
        'region. Fix: deploy the serving stack to that region, or register the model in this one.',
    );
  }
  const fixed = [props.imageUri !== undefined && 'imageUri', props.artifacts !== undefined && 'artifacts'].filter(
    Boolean,
  );
  if (fixed.length > 0) {
    problems.push(
      `${fixed.join(' and ')} given with modelPackageArn, whose version fixes the image and environment. Fix: drop ${fixed.join(' and ')}.`,
    );
  }
  throwIfProblems(problems);
}
