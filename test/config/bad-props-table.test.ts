/**
 * The construct surface as a plain-JavaScript caller meets it: for each bad value of each public
 * prop, synth refuses with a ConfigurationError (printed without a stack trace) whose words name
 * the prop, show the value as given and say what is allowed; positive controls build. The words
 * a user needs are asserted, not whole messages.
 */
import { join } from 'node:path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import {
  DatasetFormat,
  DeploymentGuardrails,
  FineTunedModelEndpoint,
  FineTunedModelEndpointProps,
  FineTuningJobProps,
  FineTuningMonitoring,
  FineTuningMonitoringProps,
  JumpStartModelArtifacts,
  JumpStartModelArtifactsProps,
  Llama3FineTuningStackProps,
  LocalDataset,
  LocalDatasetProps,
  SageMakerExecutionRole,
  SageMakerExecutionRoleProps,
  FineTunedModelVersion,
  FineTunedModelVersionProps,
  ModelRegistry,
  ModelRegistryProps,
  TrafficSize,
  ExecutionRoleDuty,
  TrainingDataBuckets,
  TrainingDataBucketsProps,
} from '../../lib';
import { isConfigurationError } from '../../lib/config/configuration-error';
import { showValue } from '../../lib/config/show-value';
import { EXAMPLES, fineTuningStack, jobStack } from '../support/stacks';

type Loose<T> = { [K in keyof T]?: unknown };

function scope(): Stack {
  return new Stack(new App(), 'T', { env: { region: 'us-west-2', account: '123456789012' } });
}
const roleIn = (stack: Stack) =>
  iam.Role.fromRoleArn(stack, 'Role', 'arn:aws:iam::123456789012:role/R', { mutable: false });

/** Builders of each construct from a valid base, with the case's props over it (as JavaScript would pass them). */
const BUILD = {
  job: (props: Loose<FineTuningJobProps>) => jobStack(props as Partial<FineTuningJobProps>),
  endpoint: (props: Loose<FineTunedModelEndpointProps>) => {
    const stack = scope();
    new FineTunedModelEndpoint(stack, 'E', {
      role: roleIn(stack),
      imageUri: 'djl-image',
      modelArtifactsUri: 's3://models/x/model.tar.gz',
      ...(props as Partial<FineTunedModelEndpointProps>),
    });
  },
  monitoring: (props: Loose<FineTuningMonitoringProps>) => {
    const stack = scope();
    const endpoint = FineTunedModelEndpoint.fromEndpointName(stack, 'E', 'llama3-ft');
    new FineTuningMonitoring(stack, 'M', { endpoint, ...(props as Partial<FineTuningMonitoringProps>) });
  },
  dataset: (props: Loose<LocalDatasetProps>) => {
    const stack = scope();
    new LocalDataset(stack, 'D', {
      sourceDirectory: join(EXAMPLES, 'dolly-qa', 'train'),
      format: DatasetFormat.INSTRUCTION,
      bucket: s3.Bucket.fromBucketName(stack, 'B', 'data'),
      prefix: 'training/',
      ...(props as Partial<LocalDatasetProps>),
    });
  },
  role: (props: Loose<SageMakerExecutionRoleProps>) => {
    const stack = scope();
    new SageMakerExecutionRole(stack, 'R', {
      dataBucket: s3.Bucket.fromBucketName(stack, 'D', 'data'),
      modelBucket: s3.Bucket.fromBucketName(stack, 'M', 'models'),
      ...(props as Partial<SageMakerExecutionRoleProps>),
    });
  },
  buckets: (props: Loose<TrainingDataBucketsProps>) =>
    new TrainingDataBuckets(scope(), 'B', props as Partial<TrainingDataBucketsProps>),
  artifacts: (props: Loose<JumpStartModelArtifactsProps>) =>
    new JumpStartModelArtifacts(scope(), 'A', {
      modelId: 'meta-textgeneration-llama-3-8b',
      ...(props as Partial<JumpStartModelArtifactsProps>),
    }),
  registry: (props: Loose<ModelRegistryProps>) => new ModelRegistry(scope(), 'R', props as Partial<ModelRegistryProps>),
  version: (props: Loose<FineTunedModelVersionProps>) => {
    const stack = scope();
    new FineTunedModelVersion(stack, 'V', {
      registry: ModelRegistry.fromModelPackageGroupName(stack, 'G', 'models'),
      modelArtifactsUri: 's3://models/x/model.tar.gz',
      ...(props as Partial<FineTunedModelVersionProps>),
    });
  },
  stack: (props: Loose<Llama3FineTuningStackProps>) => fineTuningStack(props as Partial<Llama3FineTuningStackProps>),
};
type Kind = keyof typeof BUILD;

/** A case: the construct, its props, and the words the refusal must hold (none: it must build). */
interface Case {
  readonly kind: Kind;
  readonly props: Record<string, unknown>;
  readonly words?: readonly string[];
}

const refuse = (kind: Kind, props: Record<string, unknown>, ...words: string[]): Case => ({ kind, props, words });
const accept = (kind: Kind, props: Record<string, unknown>): Case => ({ kind, props });

/** Values a JavaScript caller may pass where a number belongs. */
const NOT_NUMBERS: unknown[] = ['2', NaN, Infinity, true, [1]];

/** An integer prop refused below its least value, at fractions and with each wrong type: prop and value named. */
function integerCases(kind: Kind, prop: string, least: number, wrap = (v: unknown) => ({ [prop]: v })): Case[] {
  return [least - 1, least - 0.5, -Infinity, ...NOT_NUMBERS].map((value) =>
    refuse(kind, wrap(value), `${prop} is ${showValue(value)}`, 'allowed:'),
  );
}

/** Each Duration prop refused as a plain number or string (JavaScript), and out of range where given. */
function durationCases(kind: Kind, prop: string, wrap = (v: unknown) => ({ [prop]: v })): Case[] {
  return [3600, '1h', NaN].map((value) =>
    refuse(kind, wrap(value), `${prop} is ${showValue(value)}`, 'allowed: a Duration', 'Duration.seconds('),
  );
}

const BAD_S3_PREFIXES = [
  'data/training/',
  'S3://Data/training/',
  'https://data.s3.amazonaws.com/training/',
  's3://data/training',
  's3://data//training/',
  's3://Data_Bucket/training/',
  's3://data/train ing/',
];
const BAD_KEY_PREFIXES = ['training', '/training/', 's3://data/training/', 'a//b/', '', 'has space/'];
const SUBNET = { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };

const CASES: Case[] = [
  // FineTuningJob
  ...integerCases('job', 'retryAttempts', 1),
  refuse('job', { retryAttempts: 31 }, 'retryAttempts is 31', 'allowed: an integer from 1 to 30'),
  ...integerCases('job', 'trainingSampleCount', 1),
  ...integerCases('job', 'instanceCount', 1),
  ...durationCases('job', 'maxRuntime'),
  ...durationCases('job', 'maxPendingTime'),
  ...durationCases('job', 'maxWaitTime', (v) => ({ useSpotInstances: true, maxWaitTime: v })),
  refuse('job', { maxRuntime: Duration.days(29) }, 'maxRuntime is 29 days', 'allowed: 1 second to 28 days'),
  refuse('job', { maxPendingTime: Duration.minutes(1) }, 'maxPendingTime is 60 seconds', 'allowed: whole seconds'),
  ...BAD_S3_PREFIXES.map((uri) => refuse('job', { trainingDataUri: uri }, `trainingDataUri is "${uri}"`, 'allowed:')),
  ...BAD_S3_PREFIXES.map((uri) =>
    refuse('job', { validationDataUri: uri }, `validationDataUri is "${uri}"`, 'allowed:'),
  ),
  refuse('job', { outputUri: 'models/output/' }, 'outputUri is "models/output/"', 'not an S3 URI'),
  refuse('job', { trainingScriptUri: 's3://bucket/script/' }, 'trainingScriptUri is', 's3://bucket/key.tar.gz'),
  refuse('job', { gatedWeightsUri: 'weights.tar.gz' }, 'gatedWeightsUri is', 'not an S3 URI'),
  refuse('job', { hubContentVersion: 'latest' }, 'hubContentVersion is "latest"', 'allowed:'),
  refuse('job', { trainingRunId: 'run 1' }, 'trainingRunId is "run 1"', 'allowed:'),
  refuse('job', { jobNamePrefix: 'my_jobs' }, 'jobNamePrefix is "my_jobs"', 'allowed:'),
  refuse('job', { jobNamePrefix: 42 }, 'jobNamePrefix is 42', 'allowed:'),
  refuse('job', { trainingPlanArn: 'plan' }, 'trainingPlanArn is "plan"', 'allowed: a training plan ARN'),
  ...['false', 1, 'true'].flatMap((value) =>
    ['disableOutputCompression', 'skipDatasetCheck', 'skipRuntimeCheck', 'useSpotInstances'].map((prop) =>
      refuse('job', { [prop]: value }, `${prop} is ${showValue(value)}`, 'allowed: true or false'),
    ),
  ),
  refuse('job', { acceptEula: 'true' }, 'acceptEula is "true"'),
  refuse('job', { role: undefined }, 'role is undefined', 'allowed: an IAM role'),
  ...[-1, 0, NaN, '50'].map((value) =>
    refuse('job', { maxBudgetUsd: value }, `maxBudgetUsd is ${showValue(value)}`, 'a positive number of US dollars'),
  ),
  refuse(
    'job',
    { budgetEndpoints: [{ instanceType: 'ml.g5.2xlarge' }] },
    'budgetEndpoints is given without maxBudgetUsd',
  ),
  refuse('job', { maxWaitTime: Duration.hours(200) }, 'maxWaitTime is given without useSpotInstances'),
  refuse('job', { vpcSubnets: SUBNET }, 'vpcSubnets is given without vpc', 'would be ignored', 'Fix: give vpc'),
  refuse('job', { securityGroups: [] }, 'securityGroups is given without vpc', 'would be ignored'),
  refuse('job', { vpcSubnets: SUBNET, securityGroups: [] }, 'vpcSubnets and securityGroups are given without vpc'),
  refuse('job', { instanceType: 'ml.t3.medium' }, 'instanceType is "ml.t3.medium"', 'allowed:'),
  refuse('job', { modelId: 'llama' }, 'modelId is "llama"', 'known:'),
  refuse('job', { hyperparameters: 'epoch=3' }, 'hyperparameters is "epoch=3"', 'allowed: an object'),
  ...[0, 1, -0.2, 1.5, NaN, '0.2'].map((value) =>
    refuse(
      'job',
      { hyperparameters: { validationSplitRatio: value } },
      `hyperparameters.validationSplitRatio is ${showValue(value)}`,
      'allowed: a number above 0 and below 1',
    ),
  ),
  ...[NaN, Infinity, -1, '3'].map((value) =>
    refuse('job', { hyperparameters: { epoch: value } }, `hyperparameters.epoch is ${showValue(value)}`, 'allowed:'),
  ),
  refuse('job', { hyperparameters: { learningRate: NaN } }, 'hyperparameters.learningRate is NaN'),
  accept('job', { hyperparameters: { validationSplitRatio: 0.1 }, maxRuntime: Duration.hours(20) }),
  // The script splits the training data only without a validation channel: the ratio would be ignored.
  refuse(
    'job',
    { hyperparameters: { validationSplitRatio: 0.1 }, validationDataUri: 's3://data/validation/' },
    'hyperparameters.validationSplitRatio is 0.1',
    'validationDataUri is given',
    'would be ignored',
  ),
  accept('job', { validationDataUri: 's3://data/validation/' }),
  // additionalTrainingJobParameters: one row per kind of refusal
  refuse(
    'job',
    { additionalTrainingJobParameters: 'KeepAlivePeriodInSeconds=60' },
    'additionalTrainingJobParameters is "KeepAlivePeriodInSeconds=60"',
    'allowed: an object of CreateTrainingJob members',
  ),
  refuse(
    'job',
    { additionalTrainingJobParameters: { VpcConfig: { Subnets: ['subnet-1'], SecurityGroupIds: ['sg-1'] } } },
    'additionalTrainingJobParameters.VpcConfig is set by the library',
    'use vpc, vpcSubnets and securityGroups',
  ),
  refuse(
    'job',
    { additionalTrainingJobParameters: { ResourceConfig: { InstanceCount: 2 } } },
    'additionalTrainingJobParameters.ResourceConfig.InstanceCount is set by the library',
    'use instanceCount',
  ),
  refuse(
    'job',
    { additionalTrainingJobParameters: { Environment: { accept_eula: 'false' } } },
    'additionalTrainingJobParameters.Environment.accept_eula is set by the library',
    'use acceptEula',
  ),
  refuse(
    'job',
    { additionalTrainingJobParameters: { EnableNetworkIsolation: false } },
    'additionalTrainingJobParameters.EnableNetworkIsolation is set by the library and cannot be passed through',
  ),
  refuse(
    'job',
    { additionalTrainingJobParameters: { ProfilerConfg: { S3OutputPath: 's3://p/' } } },
    'additionalTrainingJobParameters.ProfilerConfg is not a member',
    'did you mean ProfilerConfig?',
  ),
  refuse(
    'job',
    { additionalTrainingJobParameters: { InfraCheckConfig: { EnableInfraCheck: 'true' } } },
    'additionalTrainingJobParameters.InfraCheckConfig.EnableInfraCheck is "true"',
    'allowed: true or false',
  ),
  refuse(
    'job',
    { additionalTrainingJobParameters: { ResourceConfig: { KeepAlivePeriodInSeconds: 86400 } } },
    'additionalTrainingJobParameters.ResourceConfig.KeepAlivePeriodInSeconds is 86400',
    'allowed: an integer from 0 to 21600',
  ),
  refuse(
    'job',
    { additionalTrainingJobParameters: { ExperimentConfig: { RunName: 'run_1' } } },
    'additionalTrainingJobParameters.ExperimentConfig.RunName is "run_1", which does not match',
  ),
  refuse(
    'job',
    {
      additionalTrainingJobParameters: {
        DebugRuleConfigurations: [{ RuleConfigurationName: 'r', RuleEvaluatorImage: 'i', InstanceType: 'ml.m5.xlarg' }],
      },
    },
    'additionalTrainingJobParameters.DebugRuleConfigurations[0].InstanceType is "ml.m5.xlarg"',
    'use "ml.m5.xlarge"',
  ),
  refuse(
    'job',
    { additionalTrainingJobParameters: { TensorBoardOutputConfig: {} } },
    'additionalTrainingJobParameters.TensorBoardOutputConfig.S3OutputPath is missing',
  ),
  refuse(
    'job',
    { additionalTrainingJobParameters: { ProfilerRuleConfigurations: { RuleConfigurationName: 'r' } } },
    'additionalTrainingJobParameters.ProfilerRuleConfigurations is {"RuleConfigurationName":"r"}',
    'allowed: a list',
  ),
  accept('job', {
    additionalTrainingJobParameters: {
      ResourceConfig: { KeepAlivePeriodInSeconds: 1800 },
      Environment: { NCCL_DEBUG: 'INFO' },
      TensorBoardOutputConfig: { S3OutputPath: 's3://models/tensorboard/' },
    },
  }),

  // FineTunedModelEndpoint
  ...integerCases('endpoint', 'instanceCount', 1),
  ...integerCases('endpoint', 'dataCapturePercentage', 1, (v) => ({
    dataCaptureBucket: s3.Bucket.fromBucketName(new Stack(), 'B', 'capture'),
    dataCapturePercentage: v,
  })),
  refuse('endpoint', { dataCapturePercentage: 50 }, 'dataCapturePercentage is given without dataCaptureBucket'),
  refuse(
    'endpoint',
    { dataCaptureEncryptionKey: kms.Key.fromKeyArn(new Stack(), 'K', 'arn:aws:kms:us-west-2:1:key/k') },
    'dataCaptureEncryptionKey is given without dataCaptureBucket',
    'would be ignored',
  ),
  ...integerCases('endpoint', 'autoScaling.minInstances', 1, (v) => ({
    autoScaling: { minInstances: v, maxInstances: 2 },
  })),
  ...integerCases('endpoint', 'autoScaling.maxInstances', 1, (v) => ({
    autoScaling: { minInstances: 1, maxInstances: v },
  })),
  refuse('endpoint', { autoScaling: { maxInstances: 2 } }, 'autoScaling.minInstances is undefined'),
  refuse('endpoint', { autoScaling: { minInstances: 3, maxInstances: 2 } }, 'autoScaling.maxInstances is 2, below'),
  refuse(
    'endpoint',
    { autoScaling: { minInstances: 1, maxInstances: 2 }, instanceCount: 5 },
    'instanceCount is 5, outside',
  ),
  ...[0, -1, NaN, '10'].map((value) =>
    refuse(
      'endpoint',
      { autoScaling: { minInstances: 1, maxInstances: 2, targetInvocationsPerInstance: value } },
      `autoScaling.targetInvocationsPerInstance is ${showValue(value)}`,
      'allowed: a number > 0',
    ),
  ),
  refuse('endpoint', { autoScaling: 'on' }, 'autoScaling is "on"', 'allowed:'),
  ...integerCases('endpoint', 'scaleToZero.maxInstances', 1, (v) => ({ scaleToZero: { maxInstances: v } })),
  ...[-1, 0.5, NaN, '1'].map((value) =>
    refuse(
      'endpoint',
      { scaleToZero: { initialCopies: value } },
      `scaleToZero.initialCopies is ${showValue(value)}`,
      'allowed:',
    ),
  ),
  refuse('endpoint', { scaleToZero: true }, 'scaleToZero is true', 'allowed: an object'),
  ...durationCases('endpoint', 'scaleToZero.scaleInCooldown', (v) => ({ scaleToZero: { scaleInCooldown: v } })),
  ...durationCases('endpoint', 'containerStartupHealthCheckTimeout'),
  ...durationCases('endpoint', 'modelDataDownloadTimeout'),
  refuse('endpoint', { modelDataDownloadTimeout: Duration.seconds(30) }, 'modelDataDownloadTimeout is 30 seconds'),
  refuse('endpoint', { endpointName: 'my_endpoint' }, 'endpointName is "my_endpoint"', 'allowed:'),
  refuse('endpoint', { instanceType: 'ml.t3.medium' }, 'instanceType is "ml.t3.medium"', 'allowed:'),
  refuse('endpoint', { instanceType: 12 }, 'instanceType is 12', 'allowed:'),
  refuse('endpoint', { imageUri: 'an image' }, 'imageUri is "an image"', 'allowed:'),
  refuse('endpoint', { modelArtifactsUri: 's3://models/x/model' }, 'modelArtifactsUri is', 'allowed:'),
  refuse('endpoint', { modelArtifactsUri: 'models/model.tar.gz' }, 'modelArtifactsUri is', 'not an S3 URI'),
  refuse('endpoint', { role: undefined }, 'role is undefined', 'allowed: an IAM role'),
  refuse('endpoint', { baseModel: 'false' }, 'baseModel is "false"', 'allowed: true or false'),
  refuse('endpoint', { modelId: 'llama' }, 'modelId is "llama"', 'known:'),
  accept('endpoint', { autoScaling: { minInstances: 2, maxInstances: 3 } }),
  // Deployment guardrails, the shadow variant and the VPC
  refuse(
    'endpoint',
    { deploymentGuardrails: 'canary' },
    'deploymentGuardrails is "canary"',
    'allowed: DeploymentGuardrails',
  ),
  refuse(
    'endpoint',
    { deploymentGuardrails: DeploymentGuardrails.canary() },
    'deploymentGuardrails is a canary, but the endpoint starts with 1 instance',
    'Fix:',
  ),
  refuse(
    'endpoint',
    { instanceCount: 4, deploymentGuardrails: DeploymentGuardrails.canary({ canarySize: TrafficSize.instances(3) }) },
    'deploymentGuardrails.canarySize is TrafficSize.instances(3)',
    'allowed: 1 to 2',
  ),
  refuse(
    'endpoint',
    { instanceCount: 4, deploymentGuardrails: DeploymentGuardrails.linear({ stepSize: TrafficSize.percent(60) }) },
    'deploymentGuardrails.stepSize is TrafficSize.percent(60)',
    'allowed: a whole percentage from 10 to 50',
  ),
  refuse(
    'endpoint',
    { instanceCount: 2, deploymentGuardrails: DeploymentGuardrails.canary({ canarySize: { instances: 1 } as never }) },
    'deploymentGuardrails.canarySize is {"instances":1}',
    'allowed: TrafficSize.instances(n)',
  ),
  refuse(
    'endpoint',
    { scaleToZero: {}, deploymentGuardrails: DeploymentGuardrails.allAtOnce() },
    'deploymentGuardrails is an all-at-once update with scaleToZero',
  ),
  ...durationCases('endpoint', 'deploymentGuardrails.bakeTime', (v) => ({
    deploymentGuardrails: DeploymentGuardrails.allAtOnce({ bakeTime: v as never }),
  })),
  ...durationCases('endpoint', 'deploymentGuardrails.finalBakeTime', (v) => ({
    deploymentGuardrails: DeploymentGuardrails.allAtOnce({ finalBakeTime: v as never }),
  })),
  refuse(
    'endpoint',
    { deploymentGuardrails: DeploymentGuardrails.allAtOnce({ bakeTime: Duration.hours(2) }) },
    'deploymentGuardrails.bakeTime is 7200 seconds',
    'allowed: whole seconds from 0 to 3600',
  ),
  refuse(
    'endpoint',
    { deploymentGuardrails: DeploymentGuardrails.allAtOnce({ maxExecutionTime: Duration.minutes(5) }) },
    'deploymentGuardrails.maxExecutionTime is 300 seconds',
    'allowed: whole seconds from 600 to 28800',
  ),
  refuse(
    'endpoint',
    { deploymentGuardrails: DeploymentGuardrails.allAtOnce({ maxExecutionTime: Duration.minutes(30) }) },
    'deploymentGuardrails.maxExecutionTime is 1800 seconds, no longer than',
  ),
  ...integerCases('endpoint', 'deploymentGuardrails.serverErrorThreshold', 1, (v) => ({
    deploymentGuardrails: DeploymentGuardrails.allAtOnce({ serverErrorThreshold: v as never }),
  })),
  refuse(
    'endpoint',
    { deploymentGuardrails: DeploymentGuardrails.allAtOnce({ latencyThreshold: Duration.seconds(0) }) },
    'deploymentGuardrails.latencyThreshold is',
    'allowed: a duration above 0',
  ),
  refuse(
    'endpoint',
    { deploymentGuardrails: DeploymentGuardrails.allAtOnce({ additionalAlarms: 'kpi-alarm' as never }) },
    'deploymentGuardrails.additionalAlarms is "kpi-alarm"',
    'allowed: up to 8 CloudWatch alarms',
  ),
  refuse('endpoint', { shadow: 'candidate' }, 'shadow is "candidate"', 'allowed: {'),
  refuse('endpoint', { shadow: {} }, 'shadow needs exactly one of trainingJob and modelArtifactsUri', 'given: neither'),
  refuse('endpoint', { shadow: { modelArtifactsUri: 'candidate/model.tar.gz' } }, 'shadow.modelArtifactsUri is'),
  ...integerCases('endpoint', 'shadow.samplingPercentage', 1, (v) => ({
    shadow: { modelArtifactsUri: 's3://models/c/model.tar.gz', samplingPercentage: v },
  })),
  refuse(
    'endpoint',
    { shadow: { modelArtifactsUri: 's3://models/c/model.tar.gz', samplingPercentage: 101 } },
    'shadow.samplingPercentage is 101',
    'allowed: an integer from 1 to 100',
  ),
  ...integerCases('endpoint', 'shadow.instanceCount', 1, (v) => ({
    shadow: { modelArtifactsUri: 's3://models/c/model.tar.gz', instanceCount: v },
  })),
  refuse(
    'endpoint',
    { shadow: { modelArtifactsUri: 's3://models/c/model.tar.gz', instanceType: 'ml.t3.medium' } },
    'shadow.instanceType is "ml.t3.medium"',
    'allowed:',
  ),
  refuse(
    'endpoint',
    { scaleToZero: {}, shadow: { modelArtifactsUri: 's3://models/c/model.tar.gz' } },
    'shadow is given with scaleToZero',
  ),
  refuse('endpoint', { vpcSubnets: SUBNET }, 'vpcSubnets is given without vpc', 'would be ignored', 'Fix: give vpc'),
  refuse('endpoint', { securityGroups: [] }, 'securityGroups is given without vpc', 'would be ignored'),
  refuse(
    'endpoint',
    {
      vpc: ec2.Vpc.fromVpcAttributes(new Stack(), 'V', {
        vpcId: 'vpc-1',
        availabilityZones: ['a'],
        isolatedSubnetIds: ['s-1'],
      }),
      securityGroups: [],
    },
    'securityGroups is []',
    'allowed: 1 to 5 security groups',
  ),
  accept('endpoint', {
    instanceCount: 2,
    deploymentGuardrails: DeploymentGuardrails.linear({ stepSize: TrafficSize.instances(1) }),
    shadow: { modelArtifactsUri: 's3://models/c/model/', samplingPercentage: 10 },
  }),
  accept('endpoint', { scaleToZero: { maxInstances: 2, initialCopies: 0 } }),

  // FineTuningMonitoring
  refuse('monitoring', { endpoint: undefined }, 'trainingJob and endpoint are both left out', 'Fix:'),
  refuse('monitoring', { latencyThreshold: Duration.seconds(5) }, 'latencyThreshold is given without alarmTopic'),
  refuse(
    'monitoring',
    { endpoint: undefined, trainingJob: undefined, serverErrorThreshold: 3 },
    'serverErrorThreshold is given without endpoint and alarmTopic',
  ),
  ...integerCases('monitoring', 'serverErrorThreshold', 1, (v) => ({
    serverErrorThreshold: v,
    alarmTopic: sns.Topic.fromTopicArn(new Stack(), 'T', 'arn:aws:sns:us-west-2:123456789012:t'),
  })),
  ...durationCases('monitoring', 'latencyThreshold'),
  refuse('monitoring', { dashboardName: 'my dashboard' }, 'dashboardName is "my dashboard"', 'allowed:'),
  accept('monitoring', { dashboardName: 'llama3-ft' }),

  // LocalDataset
  ...BAD_KEY_PREFIXES.map((prefix) => refuse('dataset', { prefix }, `prefix is "${prefix}"`, 'allowed: a key prefix')),
  refuse('dataset', { prefix: 7 }, 'prefix is 7'),
  refuse('dataset', { format: 'jsonl' }, 'format is "jsonl"', 'allowed:'),
  refuse('dataset', { sourceDirectory: 's3://data/train/' }, 'sourceDirectory is "s3://data/train/"'),
  refuse('dataset', { sourceDirectory: '/no/such/dir' }, 'sourceDirectory is "/no/such/dir"'),
  refuse('dataset', { sourceDirectory: 3 }, 'sourceDirectory is 3'),
  ...[0, -2, 1.5, NaN, '512'].map((value) =>
    refuse('dataset', { maxInputLength: value }, `maxInputLength is ${showValue(value)}`, 'allowed:'),
  ),
  refuse('dataset', { bucket: undefined }, 'bucket is undefined'),
  accept('dataset', { prefix: 'team/training/' }),

  // SageMakerExecutionRole
  ...BAD_KEY_PREFIXES.map((prefix) => refuse('role', { outputPrefix: prefix }, `outputPrefix is "${prefix}"`)),
  ...BAD_KEY_PREFIXES.map((prefix) =>
    refuse('role', { dataPrefixes: ['training/', prefix] }, `dataPrefixes[1] is "${prefix}"`),
  ),
  refuse('role', { dataPrefixes: [] }, 'dataPrefixes is []', 'allowed: a non-empty list'),
  refuse('role', { dataPrefixes: 'training/' }, 'dataPrefixes is "training/"'),
  refuse('role', { modelBucket: undefined }, 'modelBucket is undefined'),
  accept('role', { dataPrefixes: ['team/training/'], outputPrefix: 'team/output/' }),
  ...['serving', 'INFERENCE', 1, true].map((duty) =>
    refuse('role', { duty }, `duty is ${showValue(duty)}`, 'allowed: "training", "inference"', 'Fix:'),
  ),
  refuse(
    'role',
    { duty: ExecutionRoleDuty.INFERENCE },
    'duty is "inference"',
    'dataBucket is given and would be ignored',
  ),
  refuse(
    'role',
    { duty: ExecutionRoleDuty.INFERENCE, dataBucket: undefined, dataPrefixes: ['training/'] },
    'dataPrefixes is given and would be ignored',
  ),
  refuse('role', { duty: ExecutionRoleDuty.TRAINING, dataBucket: undefined }, 'dataBucket is undefined', 'allowed:'),
  refuse(
    'role',
    { duty: ExecutionRoleDuty.INFERENCE, dataBucket: undefined, outputPrefix: 'output' },
    'outputPrefix is "output"',
  ),
  accept('role', { duty: ExecutionRoleDuty.INFERENCE, dataBucket: undefined }),
  accept('role', { duty: 'training' }),

  // TrainingDataBuckets
  ...durationCases('buckets', 'noncurrentVersionExpiration'),
  ...durationCases('buckets', 'trainingOutputExpiration', (v) => ({
    noncurrentVersionExpiration: Duration.days(7),
    trainingOutputExpiration: v,
  })),
  ...[Duration.seconds(0), Duration.hours(36), Duration.minutes(90)].map((value) =>
    refuse(
      'buckets',
      { noncurrentVersionExpiration: value },
      `noncurrentVersionExpiration is ${showValue(value)}`,
      'allowed: whole days, at least 1',
    ),
  ),
  refuse(
    'buckets',
    { noncurrentVersionExpiration: Duration.days(7), trainingOutputExpiration: Duration.hours(12) },
    'trainingOutputExpiration is 12 hours',
    'allowed: whole days',
  ),
  refuse('buckets', { trainingOutputExpiration: Duration.days(30) }, 'without noncurrentVersionExpiration', 'Fix:'),
  refuse(
    'buckets',
    { objectLockRetention: Duration.days(30), noncurrentVersionExpiration: Duration.days(7) },
    'noncurrentVersionExpiration is 7 days, shorter than',
    'Fix: Duration.days(30)',
  ),
  accept('buckets', { noncurrentVersionExpiration: Duration.days(1) }),
  accept('buckets', { noncurrentVersionExpiration: Duration.days(30), trainingOutputExpiration: Duration.days(1) }),

  // JumpStartModelArtifacts
  refuse('artifacts', { trainingInstanceType: 'ml.g5.2xlarge' }, 'trainingInstanceType is "ml.g5.2xlarge"', 'allowed:'),
  refuse('artifacts', { hostingInstanceType: 'ml.t3.medium' }, 'hostingInstanceType is "ml.t3.medium"', 'allowed:'),
  refuse('artifacts', { hubContentVersion: '2' }, 'hubContentVersion is "2"'),
  refuse('artifacts', { modelId: 'llama' }, 'modelId is "llama"'),

  // The stack, in its own prop names
  refuse(
    'stack',
    { deployEndpoint: false, deployBaseEndpoint: true },
    'deployBaseEndpoint is true with deployEndpoint false',
    'Fix:',
  ),
  refuse('stack', { handlerSubnets: SUBNET }, 'handlerSubnets is given without handlerVpc'),
  refuse('stack', { modelSubnets: SUBNET }, 'modelSubnets is given without modelVpc', 'Fix: give modelVpc'),
  refuse(
    'stack',
    { endpointDeploymentGuardrails: DeploymentGuardrails.linear() },
    'endpointDeploymentGuardrails is a linear update, but the endpoint starts with 1 instance (endpointInstanceCount left at 1)',
  ),
  refuse(
    'stack',
    { deployEndpoint: false, endpointDeploymentGuardrails: DeploymentGuardrails.allAtOnce() },
    'deployEndpoint is false',
    'endpointDeploymentGuardrails',
  ),
  refuse(
    'stack',
    { existingTrainingJobName: 'earlier', maxBudgetUsd: 50 },
    'maxBudgetUsd is given with existingTrainingJobName',
  ),
  ...BAD_S3_PREFIXES.filter((uri) => /^[a-z]+:/i.test(uri)).flatMap((uri) =>
    ['trainData', 'validationData'].map((prop) => refuse('stack', { [prop]: uri }, `${prop} is "${uri}"`, 'allowed:')),
  ),
  refuse('stack', { trainData: 42 }, 'trainData is 42', 'allowed:'),
  refuse('stack', { trainData: 'no/such/dir' }, 'trainData is "no/such/dir"', 'neither an s3:// URI nor'),
  refuse('stack', { trainingMaxRuntime: 3600 }, 'trainingMaxRuntime is 3600', 'allowed: a Duration'),
  refuse(
    'stack',
    { endpointAutoScaling: { minInstances: 0, maxInstances: 2 } },
    'endpointAutoScaling.minInstances is 0',
  ),
  refuse('stack', { endpointScaleToZero: { maxInstances: 0 } }, 'endpointScaleToZero.maxInstances is 0'),
  refuse('stack', { endpointInstanceCount: '2' }, 'endpointInstanceCount is "2"'),
  refuse('stack', { trainingInstanceCount: '1' }, 'trainingInstanceCount is "1"'),
  refuse(
    'stack',
    { trainingAdditionalParameters: { ResourceConfig: { InstanceType: 'ml.g5.24xlarge' } } },
    'trainingAdditionalParameters.ResourceConfig.InstanceType is set by the library',
    'use trainingInstanceType',
  ),
  refuse('stack', { hyperparameters: { validationSplitRatio: 1 } }, 'hyperparameters.validationSplitRatio is 1'),
  // The model registry, its versions, and serving one
  refuse('registry', { consumerAccountIds: '111122223333' }, 'consumerAccountIds is "111122223333"', 'a list of'),
  refuse('registry', { consumerAccountIds: [111122223333] }, 'consumerAccountIds[0] is 111122223333', 'as a string'),
  refuse('registry', { consumerAccountIds: ['123456789012'] }, 'the account this stack deploys to'),
  refuse('registry', { consumerAccountIds: ['111122223333', '111122223333'] }, 'consumerAccountIds[1]', 'again'),
  refuse('registry', { modelPackageGroupName: 'team_models' }, 'modelPackageGroupName is "team_models"', 'allowed:'),
  refuse('registry', { removalPolicy: 'keep' }, 'removalPolicy is "keep"', 'RemovalPolicy.RETAIN'),
  refuse('registry', { description: 'x'.repeat(1025) }, 'up to 1024 characters'),
  accept('registry', { consumerAccountIds: ['111122223333'] }),
  refuse('version', { approvalStatus: 'approved' }, 'approvalStatus is "approved"', '"Approved"'),
  refuse('version', { modelArtifactsUri: 's3://models/x' }, 'modelArtifactsUri is "s3://models/x"', 'allowed:'),
  refuse('version', { modelArtifactsUri: `s3://models/${'k'.repeat(260)}/` }, 'up to 256'),
  refuse('version', { modelArtifactsUri: undefined }, 'exactly one of trainingJob and modelArtifactsUri'),
  accept('version', { approvalStatus: 'Approved' }),
  refuse(
    'endpoint',
    { modelPackageArn: 'arn:aws:sagemaker:us-west-2:1:model-package/m/1' },
    'given: modelArtifactsUri and modelPackageArn',
  ),
  refuse(
    'endpoint',
    { modelArtifactsUri: undefined, modelPackageArn: 'arn:aws:sagemaker:us-west-2:111122223333:model-package/m' },
    'modelPackageArn is "arn:aws:sagemaker:us-west-2:111122223333:model-package/m"',
    'allowed:',
  ),
  refuse(
    'endpoint',
    { modelArtifactsUri: undefined, modelPackageArn: 'arn:aws:sagemaker:us-west-2:111122223333:model-package/m/1' },
    'imageUri given with modelPackageArn',
  ),
  accept('stack', { modelConsumerAccountIds: ['111122223333'], modelApprovalStatus: 'Approved' }),
  refuse('stack', { waitForTraining: false, deployEndpoint: false, registerModel: true }, 'nothing is registered'),
  refuse(
    'stack',
    { modelArtifactsUri: 's3://models/x/model.tar.gz', modelConsumerAccountIds: ['111122223333'] },
    'modelConsumerAccountIds shares',
  ),
  refuse('stack', { registerModel: 'false' }, 'registerModel is "false"', 'allowed: true or false'),
  accept('stack', { deployEndpoint: false }),
  refuse('stack', { noncurrentVersionExpiration: 7 }, 'noncurrentVersionExpiration is 7', 'allowed: a Duration'),
  refuse(
    'stack',
    { noncurrentVersionExpiration: Duration.days(7), trainingOutputExpiration: Duration.days(7) },
    'trainingOutputExpiration is 7 days while the stack serves',
    'allowed: at least 30 days',
    'Fix:',
  ),
  refuse(
    'stack',
    { compliance: 'control-tower', noncurrentVersionExpiration: Duration.days(7) },
    'noncurrentVersionExpiration is 7 days, shorter than',
  ),
  accept('stack', {
    deployEndpoint: false,
    noncurrentVersionExpiration: Duration.days(7),
    trainingOutputExpiration: Duration.days(7),
  }),
  accept('stack', { noncurrentVersionExpiration: Duration.days(7), trainingOutputExpiration: Duration.days(30) }),
  accept('stack', { endpointAutoScaling: { minInstances: 2, maxInstances: 3 } }),
];

/** The error a build throws, or undefined when it builds. */
function errorOf(build: () => unknown): unknown {
  try {
    build();
    return undefined;
  } catch (error) {
    return error;
  }
}

const label = (c: Case) => `${c.kind} ${showValue(c.props).slice(0, 100)}`;

test('the table is a few hundred cases', () => {
  expect(CASES.length).toBeGreaterThan(200);
});

test.each(CASES.filter((c) => c.words).map((c) => [label(c), c] as const))('refused: %s', (_label, c) => {
  const error = errorOf(() => BUILD[c.kind](c.props));
  // A ConfigurationError is printed as its message; anything else would reach the user as a stack trace.
  expect(isConfigurationError(error)).toBe(true);
  for (const word of c.words!) expect((error as Error).message).toContain(word);
});

test.each(CASES.filter((c) => !c.words).map((c) => [label(c), c] as const))('accepted: %s', (_label, c) => {
  expect(errorOf(() => BUILD[c.kind](c.props))).toBeUndefined();
});
