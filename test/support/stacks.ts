import { join } from 'node:path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import {
  ComplianceProfile,
  FineTuningJob,
  FineTuningJobProps,
  Llama3FineTuningStack,
  ModelApprovalStatus,
  Llama3FineTuningStackProps,
} from '../../lib';

/** A fine-tuning stack as the example app builds it, with the licence accepted. */
export function fineTuningStack(
  props: Partial<Llama3FineTuningStackProps> = {},
  id = 'Llama3FineTuning',
): Llama3FineTuningStack {
  return new Llama3FineTuningStack(new App(), id, { acceptEula: true, ...props });
}

/** One FineTuningJob in a stack of its own, with an imported execution role. */
export function jobStack(props: Partial<FineTuningJobProps> = {}): {
  stack: Stack;
  job: FineTuningJob;
  template: Template;
} {
  const stack = new Stack(new App(), 'Test', { env: { region: 'us-west-2', account: '123456789012' } });
  const role = iam.Role.fromRoleArn(stack, 'Role', 'arn:aws:iam::123456789012:role/SageMakerExecution', {
    mutable: false,
  });
  const job = new FineTuningJob(stack, 'Job', {
    acceptEula: true,
    trainingDataUri: 's3://data/training/',
    outputUri: 's3://models/output/',
    role,
    ...props,
  });
  return { stack, job, template: Template.fromStack(stack) };
}

export const EXAMPLES = join(__dirname, '..', '..', 'examples', 'datasets');

/** The configurations every template-wide gate (cfn-lint, cdk-nag) runs over. */
export const STACK_MATRIX: Record<string, Partial<Llama3FineTuningStackProps>> = {
  'default-8b': {},
  '8b-instruct-int8': {
    modelId: 'meta-textgeneration-llama-3-8b-instruct',
    trainData: 's3://shared-datasets/llama/instruction/',
    hyperparameters: { int8Quantization: true, enableFsdp: false, instructionTuned: true },
  },
  '70b-default': { modelId: 'meta-textgeneration-llama-3-70b' },
  // Each imported model's default stack, as its document configures it.
  'llama-3-2-1b-instruct-default': { modelId: 'meta-textgeneration-llama-3-2-1b-instruct' },
  'llama-3-1-70b-default': { modelId: 'meta-textgeneration-llama-3-1-70b' },
  'llama-3-2-1b-instruct-scale-to-zero': {
    modelId: 'meta-textgeneration-llama-3-2-1b-instruct',
    endpointScaleToZero: {},
    deployBaseEndpoint: true,
  },
  'base-endpoint': { deployBaseEndpoint: true },
  'scale-to-zero-8b': { endpointScaleToZero: { maxInstances: 2 }, alarmEmail: 'ml-team@example.com' },
  'scale-to-zero-70b': { modelId: 'meta-textgeneration-llama-3-70b', endpointScaleToZero: {} },
  '70b-capacity-fallback': {
    modelId: 'meta-textgeneration-llama-3-70b',
    trainingFallbackInstanceTypes: ['ml.p4d.24xlarge'],
    alarmEmail: 'ml-team@example.com',
  },
  '70b-instruct-p4d': { modelId: 'meta-textgeneration-llama-3-70b-instruct', trainingInstanceType: 'ml.p4d.24xlarge' },
  'train-only': { deployEndpoint: false },
  // Request members the library does not set: a warm pool, variables, the profiler writing to a bucket of its own.
  'additional-training-parameters': {
    trainingAdditionalParameters: {
      ResourceConfig: { KeepAlivePeriodInSeconds: 1800 },
      Environment: { NCCL_DEBUG: 'INFO' },
      ProfilerConfig: { S3OutputPath: 's3://ml-team-profiles/llama3/', ProfilingIntervalInMilliseconds: 500 },
      InfraCheckConfig: { EnableInfraCheck: true },
    },
  },
  'attach-existing-job': { existingTrainingJobName: 'ft-llama-3-8b-earlier-run' },
  'serve-from-s3-70b': {
    modelId: 'meta-textgeneration-llama-3-70b',
    modelArtifactsUri: 's3://shared-models/llama-70b/output/model/',
    endpointInstanceType: 'ml.g5.48xlarge',
  },
  'endpoint-capture-autoscaling': {
    dataCapture: true,
    alarmEmail: 'ml-team@example.com',
    endpointName: 'llama3-ft',
    endpointAutoScaling: { minInstances: 1, maxInstances: 3 },
  },
  'local-instruction-data': {
    trainData: join(EXAMPLES, 'dolly-qa', 'train'),
    validationData: join(EXAMPLES, 'dialogsum', 'train'),
    hyperparameters: { instructionTuned: true, maxInputLength: 256 },
  },
  'encrypted-logs-alarms': {
    encryptLogs: true,
    alarmEmail: 'ml-team@example.com',
    skipRuntimeCheck: true,
    hyperparameters: { epoch: 200 },
  },
  // The hardened profile (handlers in a VPC, object lock, an alarm topic): every Control Tower control passes.
  'control-tower-8b': { compliance: ComplianceProfile.CONTROL_TOWER },
  'control-tower-70b': { compliance: ComplianceProfile.CONTROL_TOWER, modelId: 'meta-textgeneration-llama-3-70b' },
  'control-tower-local-data-scale-to-zero': {
    compliance: ComplianceProfile.CONTROL_TOWER,
    trainData: join(EXAMPLES, 'dolly-qa', 'train'),
    hyperparameters: { instructionTuned: true, maxInputLength: 256 },
    endpointScaleToZero: {},
    alarmEmail: 'ml-team@example.com',
  },
  // A development account's registry: versions approved on registration, shared with a production account.
  'registry-shared-approved': {
    modelPackageGroupName: 'llama3-ft-models',
    modelApprovalStatus: ModelApprovalStatus.APPROVED,
    modelConsumerAccountIds: ['111122223333'],
  },
  // A production account serving the approved version development registered, in its own VPC profile.
  'control-tower-serve-registered-version': {
    modelPackageArn: 'arn:aws:sagemaker:us-east-1:111122223333:model-package/dev-models/3',
    compliance: ComplianceProfile.CONTROL_TOWER,
  },
  // Old versions and old models expire (never sooner than the object lock allows); data capture and the base endpoint
  // add their grants to the inference role.
  'control-tower-expiring-output': {
    compliance: ComplianceProfile.CONTROL_TOWER,
    noncurrentVersionExpiration: Duration.days(30),
    trainingOutputExpiration: Duration.days(90),
    dataCapture: true,
    deployBaseEndpoint: true,
  },
  'external-data-destroy': {
    trainData: 's3://shared-datasets/llama/train/',
    validationData: 's3://shared-datasets/llama/validation/',
    destroyDataOnDelete: true,
  },
};
