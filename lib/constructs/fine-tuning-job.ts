import { createHash } from 'node:crypto';
import { Aws, CfnWaitCondition, CfnWaitConditionHandle, CustomResource, Duration, Fn, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct, IConstruct, IDependable } from 'constructs';
import { handlerFunction } from './handler-function';
import { grantTrainingJobLogs } from './private/sagemaker-logs';
import { waitSignaller } from './private/wait-signaller';
import { JumpStartModelArtifacts } from './jumpstart-model-artifacts';
import { acknowledgeWildcardResources } from './nag-acknowledgements';
import { configurationError, throwIfProblems } from '../config/configuration-error';
import { Hyperparameters } from '../config/hyperparameters';
import { S3UriForm, booleanProblem, hubContentVersionProblem, integerProblem, s3UriProblem, sageMakerNameProblem } from '../config/input-checks';
import { TrainingConfiguration, resolveTrainingConfiguration, toSageMakerHyperparameters } from '../config/training-configuration';
import { DEFAULT_MODEL_ID, findModel } from '../models/catalogue';
import { instanceFacts } from '../models/instance-types';
import { runtimeOverrun } from '../estimates/runtime-fit';
import { estimateTraining, formatEstimate } from '../estimates/training-estimate';
import { trainingJobMetric } from '../monitoring/sagemaker-metrics';
import { TRAINING_METRIC_DEFINITIONS } from '../models/training-metrics';
import type { TrainingJobProperties } from '../handlers/shared/training-request';

/** A CloudFormation wait condition waits at most 12 hours. */
const MAX_WAIT = Duration.hours(12);
/** Time around the training itself: queueing for capacity, downloading base weights, uploading the model. */
const WAIT_MARGIN = Duration.hours(1);
/** The longest training run a deploy can wait for. */
export const MAX_TRAINING_RUNTIME = MAX_WAIT.minus(WAIT_MARGIN);
/** SageMaker's volume size on instances whose local NVMe replaces the EBS volume. */
const NVME_VOLUME_SIZE_GIB = 30;
const EBS_VOLUME_SIZE_GIB = 256;
const JOB_NAME_PREFIX_PATTERN = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,39}$/;

/** A SageMaker training job whose model can be served. */
export interface IFineTuningJob extends IConstruct {
  /** Name of the training job. */
  readonly trainingJobName: string;
  /** ARN of the training job. */
  readonly trainingJobArn: string;
  /** s3:// location of the model: `.../output/model.tar.gz`, or the `.../output/model/` prefix when uncompressed. */
  readonly modelArtifactsUri: string;
  /** Whether the model is a compressed tar.gz (else an S3 prefix). */
  readonly outputCompressed: boolean;
  /** JumpStart model id the job fine-tuned. */
  readonly modelId: string;
  /** Resources that exist once the model exists; serve it after these. */
  readonly trainingComplete: IDependable;
}

/** An existing training job to serve the model of. */
export interface FineTuningJobAttributes {
  /** Name of the completed training job. */
  readonly trainingJobName: string;
  /**
   * JumpStart model id the job fine-tuned.
   * @default 'meta-textgeneration-llama-3-8b'
   */
  readonly modelId?: string;
  /**
   * Whether the job compressed its output into model.tar.gz.
   * @default - the model's JumpStart default: false for 70B, true for 8B
   */
  readonly outputCompressed?: boolean;
}

/** Props of FineTuningJob. */
export interface FineTuningJobProps {
  /** Accept the model's licence; the gated base weights are fetched with `accept_eula=true`. */
  readonly acceptEula: boolean;
  /** s3:// URI of the training data prefix. */
  readonly trainingDataUri: string;
  /**
   * s3:// URI of the validation data prefix.
   * @default - none; validation_split_ratio of the training data is held out
   */
  readonly validationDataUri?: string;
  /** s3:// URI the job writes its output under (`<outputUri>/<job>/output/...`). */
  readonly outputUri: string;
  /** Role the job runs as; it must read the data, write the output and read JumpStart's artifacts. */
  readonly role: iam.IRole;
  /**
   * JumpStart model id.
   * @default 'meta-textgeneration-llama-3-8b'
   */
  readonly modelId?: string;
  /**
   * Training instance type.
   * @default - the model's default
   */
  readonly instanceType?: string;
  /**
   * Training instance count.
   * @default 1
   */
  readonly instanceCount?: number;
  /**
   * Hyperparameters; each one left out takes JumpStart's default for the model.
   * @default - JumpStart's defaults
   */
  readonly hyperparameters?: Hyperparameters;
  /**
   * Longest the job may train; the deploy waits this long plus an hour, and a wait condition waits at most 12 hours.
   * @default Duration.hours(11)
   */
  readonly maxRuntime?: Duration;
  /**
   * Training samples in the dataset, for the runtime estimate that must fit maxRuntime.
   * @default - 1188, the size of the dataset the walkthrough's timings were measured on
   */
  readonly trainingSampleCount?: number;
  /**
   * Deploy even when the training estimate is longer than maxRuntime (the job would be stopped at the limit with no model).
   * @default false - such a configuration is refused at synth with the changes that fit
   */
  readonly skipRuntimeCheck?: boolean;
  /**
   * EBS volume size in GiB, only for instance types without local NVMe storage.
   * @default - 30 on instances with local NVMe (where the instance store is used), 256 elsewhere
   */
  readonly volumeSizeGiB?: number;
  /**
   * Write the model uncompressed (served from an S3 prefix). Compressing the 70B model takes over 4 hours.
   * @default - the model's JumpStart default: true for 70B, false for 8B
   */
  readonly disableOutputCompression?: boolean;
  /**
   * KMS key that encrypts the training output.
   * @default - the output bucket's default encryption
   */
  readonly outputEncryptionKey?: kms.IKey;
  /**
   * KMS key for the training volume; refused on instance types with local NVMe, which SageMaker encrypts itself.
   * @default - SageMaker's default volume encryption
   */
  readonly volumeEncryptionKey?: kms.IKey;
  /**
   * VPC to run the training job in.
   * @default - SageMaker's network; the container runs network-isolated either way
   */
  readonly vpc?: ec2.IVpc;
  /**
   * Subnets of `vpc` for the job.
   * @default - the VPC's private subnets
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /**
   * Security groups for the job in `vpc`.
   * @default - a new group with no inbound rules
   */
  readonly securityGroups?: ec2.ISecurityGroup[];
  /**
   * The model's JumpStart artifacts, shared with an endpoint.
   * @default - resolved for this job's model, instance type and hubContentVersion
   */
  readonly artifacts?: JumpStartModelArtifacts;
  /**
   * JumpStart hub content version to resolve artifacts from.
   * @default - the newest at the first deploy, kept until a training input changes
   */
  readonly hubContentVersion?: string;
  /**
   * Training image URI instead of the hub's.
   * @default - resolved from the hub
   */
  readonly trainingImageUri?: string;
  /**
   * s3:// URI of the training script tarball instead of the hub's.
   * @default - resolved from the hub
   */
  readonly trainingScriptUri?: string;
  /**
   * s3:// URI of the gated base weights instead of the hub's.
   * @default - resolved from the hub for the instance family
   */
  readonly gatedWeightsUri?: string;
  /**
   * Start of the job names (up to 40 characters); a hash of the training inputs follows.
   * @default - 'ft-' and the model id without 'meta-textgeneration-'
   */
  readonly jobNamePrefix?: string;
}

/**
 * Fine-tunes a Llama 3 model with the request SageMaker JumpStart makes, and
 * makes the deploy wait until the job ends (up to 12 hours): a custom resource
 * starts the job, and an EventBridge rule on the job's state change signals a
 * wait condition. A job that fails or stops fails the deploy with SageMaker's reason.
 */
export class FineTuningJob extends Construct implements IFineTuningJob {
  /**
   * Attaches to an existing, completed training job by name (JumpStartEstimator.attach),
   * so its model can be served without training again. Its output location is
   * read at deploy time, and the deploy fails if its compression is not the one expected.
   */
  public static fromTrainingJobAttributes(scope: Construct, id: string, attrs: FineTuningJobAttributes): IFineTuningJob {
    return new AttachedTrainingJob(scope, id, attrs);
  }

  public readonly trainingJobName: string;
  public readonly trainingJobArn: string;
  public readonly modelArtifactsUri: string;
  public readonly outputCompressed: boolean;
  public readonly modelId: string;
  public readonly trainingComplete: IDependable;
  /** Training instance type. */
  public readonly instanceType: string;
  /** The hyperparameters as SageMaker receives them, every default filled in. */
  public readonly hyperparameters: Record<string, string>;
  /** How long the deploy waits for the job. */
  public readonly waitTimeout: Duration;
  /** Every job this construct starts has a name beginning with this. */
  public readonly jobNamePrefix: string;
  /** Names of the metrics the job's metric definitions extract from its log. */
  public readonly metricNames: string[] = TRAINING_METRIC_DEFINITIONS.map((d) => d.Name);
  /** A human name of the model, for dashboards. */
  public readonly modelDisplayName: string;
  /** The training estimate (minutes, cost, basis, a much better valid configuration if any) as one line. */
  public readonly trainingEstimate: string;
  /** In alarm when a job's end could not be signalled to its wait condition (one per stack, shared by its jobs). */
  public readonly signalFailureAlarm: cloudwatch.Alarm;
  private readonly configuration: TrainingConfiguration;

  constructor(scope: Construct, id: string, props: FineTuningJobProps) {
    super(scope, id);
    const stack = Stack.of(this);
    if (props.acceptEula !== true) {
      throw configurationError([`acceptEula is ${JSON.stringify(props.acceptEula)}; the base weights are gated by the model's licence. `
        + 'Fix: read the licence, then set acceptEula: true.']);
    }
    this.configuration = resolveTrainingConfiguration(props);
    checkJobInputs(props, this.configuration);
    const { model, instanceType } = this.configuration;
    this.modelId = model.modelId;
    this.modelDisplayName = model.displayName;
    this.instanceType = instanceType;
    this.hyperparameters = toSageMakerHyperparameters(this.configuration);
    this.outputCompressed = !(props.disableOutputCompression ?? model.training.disableOutputCompression);
    const maxRuntime = props.maxRuntime ?? MAX_TRAINING_RUNTIME;
    this.waitTimeout = maxRuntime.plus(WAIT_MARGIN);
    const volumeSize = checkStorage(props, instanceType, maxRuntime);
    checkRuntimeFits(this.configuration, maxRuntime, props);
    this.trainingEstimate = formatEstimate(this.configuration, estimateTraining(this.configuration, props.trainingSampleCount));

    const needsHub = !(props.trainingImageUri && props.trainingScriptUri && props.gatedWeightsUri);
    const hub = props.artifacts ?? (needsHub ? new JumpStartModelArtifacts(this, 'Artifacts', {
      modelId: model.modelId, hubContentVersion: props.hubContentVersion, trainingInstanceType: instanceType,
    }) : undefined);

    const vpcConfig = props.vpc ? this.vpcConfig(props) : undefined;
    const properties = {
      RoleArn: props.role.roleArn,
      ModelId: model.modelId,
      ModelVersion: props.hubContentVersion ?? hub?.hubContentVersion ?? 'custom',
      TrainingImageUri: props.trainingImageUri ?? hub!.trainingImageUri,
      TrainingScriptUri: props.trainingScriptUri ?? hub!.trainingScriptUri,
      GatedWeightsUri: props.gatedWeightsUri ?? hub!.gatedWeightsUri,
      TrainingDataUri: props.trainingDataUri,
      ValidationDataUri: props.validationDataUri,
      OutputPath: props.outputUri,
      InstanceType: instanceType,
      InstanceCount: String(this.configuration.instanceCount),
      VolumeSizeInGB: String(volumeSize),
      VolumeKmsKeyId: props.volumeEncryptionKey?.keyArn,
      OutputKmsKeyId: props.outputEncryptionKey?.keyArn,
      MaxRuntimeInSeconds: String(maxRuntime.toSeconds()),
      DisableOutputCompression: String(!this.outputCompressed),
      Hyperparameters: this.hyperparameters,
      MetricDefinitions: [...TRAINING_METRIC_DEFINITIONS],
      SubnetIds: vpcConfig?.subnetIds,
      SecurityGroupIds: vpcConfig?.securityGroupIds,
    };
    // Every training input, what decides the hub's answer, and who trains go into the hash: a change
    // starts a new job under a new name prefix, with a new wait condition (they can't be updated);
    // the stack's name and the construct's path keep two stacks, or two jobs of one stack, apart.
    const inputs = JSON.stringify(stack.resolve({
      owner: [stack.stackName, this.node.path],
      properties,
      hubContentVersion: props.hubContentVersion ?? hub?.requestedHubContentVersion,
    }));
    const inputsHash = createHash('sha256').update(inputs).digest('hex').slice(0, 8);
    const basePrefix = props.jobNamePrefix ?? `ft-${model.modelId.replace(/^meta-textgeneration-/, '')}`;
    if (!Token.isUnresolved(basePrefix) && !JOB_NAME_PREFIX_PATTERN.test(basePrefix)) {
      throw configurationError([`jobNamePrefix is "${basePrefix}"; allowed: up to 40 letters, digits and hyphens, `
        + 'starting and ending with a letter or digit (SageMaker job names are at most 63). Fix: shorten or rename it.']);
    }
    this.jobNamePrefix = `${basePrefix}-${inputsHash}`;

    // The rule and the handle exist before the job starts, so no state change is missed.
    const handle = new CfnWaitConditionHandle(this, `WaitHandle${inputsHash}`);
    // The wait this job belongs to; the job is tagged with its hash and only its end signals the handle.
    const waitId = Fn.join('/', [Aws.STACK_ID, handle.logicalId]);
    const signaller = waitSignaller(this);
    this.signalFailureAlarm = signaller.deadLetterAlarm;
    const rule = new events.Rule(this, 'JobStateChange', {
      description: `Signals the deploy when training job ${this.jobNamePrefix}-* ends`,
      eventPattern: {
        source: ['aws.sagemaker'],
        detailType: ['SageMaker Training Job State Change'],
        detail: { TrainingJobName: events.Match.prefix(`${this.jobNamePrefix}-`) },
      },
    });
    // EventBridge's default retry policy (24 hours) is kept: a signal must not be given up early.
    rule.addTarget(new targets.LambdaFunction(signaller.function, {
      event: events.RuleTargetInput.fromObject({ handleUrl: handle.ref, waitId, detail: events.EventField.fromPath('$.detail') }),
      deadLetterQueue: signaller.deadLetterQueue,
    }));
    const jobs = this.jobArns();
    signaller.function.addToRolePolicy(new iam.PolicyStatement({ actions: ['sagemaker:ListTags'], resources: [jobs] }));
    acknowledgeWildcardResources(signaller.function.role!, [jobs], `Training jobs named ${this.jobNamePrefix}-*: the handler reads their owner tag.`);

    const starter = handlerFunction(this, 'training-job', 'Starts, stops and describes the SageMaker fine-tuning job');
    this.grantJobControl(starter, props);
    const contract: TrainingJobProperties = { ...properties, JobNamePrefix: this.jobNamePrefix, WaitHandleUrl: handle.ref, WaitId: waitId };
    const job = new CustomResource(this, 'Resource', {
      resourceType: 'Custom::SageMakerTrainingJob',
      serviceToken: starter.functionArn,
      serviceTimeout: Duration.minutes(10),
      properties: contract,
    });
    job.node.addDependency(rule, handle);
    grantTrainingJobLogs(props.role, this.jobNamePrefix);
    // The role's policies (its logs above among them) are in place before the job starts.
    if (Stack.of(props.role) === stack && props.role.node.defaultChild) job.node.addDependency(props.role);
    // The policy must be in place before the first call, and outlive the last one.
    job.node.addDependency(starter.role!);

    const wait = new CfnWaitCondition(this, `WaitForTraining${inputsHash}`, {
      handle: handle.ref,
      count: 1,
      timeout: String(Math.min(this.waitTimeout.toSeconds(), MAX_WAIT.toSeconds())),
    });
    wait.node.addDependency(job);

    this.trainingJobName = job.getAttString('TrainingJobName');
    this.trainingJobArn = job.getAttString('TrainingJobArn');
    this.modelArtifactsUri = job.getAttString('ModelArtifactsUri');
    this.trainingComplete = wait;
  }

  /**
   * A metric the job reports: one of its metric definitions (e.g.
   * `huggingface-textgeneration:train-loss`) or an instance metric (`GPUUtilization`, ...).
   */
  public metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return trainingJobMetric(this.trainingJobName, metricName, props);
  }

  /** Training loss at the end of each epoch. */
  public metricTrainLoss(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(definedMetric('train-loss'), props);
  }

  /** Validation loss at the end of each epoch; the best epoch's model is kept. */
  public metricEvalLoss(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(definedMetric('eval-loss'), props);
  }

  /** Validation perplexity at the end of each epoch. */
  public metricEvalPerplexity(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(definedMetric('eval-ppl'), props);
  }

  private vpcConfig(props: FineTuningJobProps): { subnetIds: string[]; securityGroupIds: string[] } {
    const securityGroups = props.securityGroups ?? [new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc!,
      description: 'Llama 3 fine-tuning job: no inbound traffic',
      allowAllOutbound: true, // to the VPC's S3 and ECR endpoints; the container itself is network-isolated
    })];
    const subnets = props.vpc!.selectSubnets(props.vpcSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS });
    return { subnetIds: subnets.subnetIds, securityGroupIds: securityGroups.map((g) => g.securityGroupId) };
  }

  /** ARNs of every job this construct may start (SageMaker lowercases names in ARNs). */
  private jobArns(): string {
    return Stack.of(this).formatArn({ service: 'sagemaker', resource: 'training-job', resourceName: `${this.jobNamePrefix.toLowerCase()}-*` });
  }

  private grantJobControl(fn: iam.IGrantable & IConstruct, props: FineTuningJobProps): void {
    const jobs = this.jobArns();
    fn.grantPrincipal.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['sagemaker:CreateTrainingJob', 'sagemaker:DescribeTrainingJob', 'sagemaker:StopTrainingJob', 'sagemaker:AddTags'],
      resources: [jobs],
    }));
    fn.grantPrincipal.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['iam:PassRole'],
      resources: [props.role.roleArn],
      conditions: { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } },
    }));
    acknowledgeWildcardResources(fn.grantPrincipal as iam.Role, [jobs], `Training jobs named ${this.jobNamePrefix}-*: the handler names them at deploy time.`);
    if (props.vpc && props.role instanceof iam.Role) {
      props.role.addToPrincipalPolicy(new iam.PolicyStatement({
        actions: [
          'ec2:CreateNetworkInterface', 'ec2:CreateNetworkInterfacePermission', 'ec2:DeleteNetworkInterface',
          'ec2:DeleteNetworkInterfacePermission', 'ec2:DescribeNetworkInterfaces', 'ec2:DescribeVpcs',
          'ec2:DescribeDhcpOptions', 'ec2:DescribeSubnets', 'ec2:DescribeSecurityGroups',
        ],
        resources: ['*'], // SageMaker creates the network interfaces itself; these actions take no resource ARNs it could know.
      }));
    }
  }
}

/** The full name of one of the job's metric definitions, e.g. `huggingface-textgeneration:train-loss`. */
function definedMetric(suffix: string): string {
  return TRAINING_METRIC_DEFINITIONS.find((d) => d.Name.endsWith(`:${suffix}`))!.Name;
}

/** Checks volume size, volume KMS and runtime against the instance type; returns the volume size to request. */
function checkStorage(props: FineTuningJobProps, instanceType: string, maxRuntime: Duration): number {
  const problems: string[] = [];
  const nvme = instanceFacts(instanceType)?.localNvme ?? false;
  if (props.volumeSizeGiB !== undefined && nvme) {
    problems.push(`volumeSizeGiB is ${props.volumeSizeGiB}, but ${instanceType} trains on its local NVMe storage and takes no EBS volume size. `
      + 'Fix: leave volumeSizeGiB out.');
  } else if (props.volumeSizeGiB !== undefined && !(Number.isInteger(props.volumeSizeGiB) && props.volumeSizeGiB >= 1 && props.volumeSizeGiB <= 16384)) {
    problems.push(`volumeSizeGiB is ${props.volumeSizeGiB}; allowed: an integer from 1 to 16384. Fix: give a size in GiB, e.g. ${EBS_VOLUME_SIZE_GIB}.`);
  }
  if (props.volumeEncryptionKey && nvme) {
    problems.push(`volumeEncryptionKey is set, but SageMaker refuses a volume KMS key on ${instanceType}, whose local NVMe storage it encrypts itself. `
      + 'Fix: leave volumeEncryptionKey out (outputEncryptionKey still encrypts the model), or train on an instance type without local NVMe.');
  }
  const runtimeSeconds = maxRuntime.isUnresolved() ? undefined : maxRuntime.toSeconds({ integral: false });
  if (runtimeSeconds !== undefined && !Number.isInteger(runtimeSeconds)) {
    problems.push(`maxRuntime is ${runtimeSeconds} seconds; allowed: whole seconds (SageMaker's MaxRuntimeInSeconds). Fix: e.g. Duration.hours(8).`);
  } else if (runtimeSeconds !== undefined && (runtimeSeconds < 1 || runtimeSeconds > MAX_TRAINING_RUNTIME.toSeconds())) {
    problems.push(`maxRuntime is ${maxRuntime.toHumanString()} (${runtimeSeconds} seconds); allowed: up to ${MAX_TRAINING_RUNTIME.toHours()} hours, because a deploy waits at most `
      + `12 hours (a CloudFormation wait condition's limit) and ${WAIT_MARGIN.toHours()} hour of that goes to provisioning and uploading. `
      + 'Fix: lower maxRuntime; a longer run needs fewer hyperparameters.epoch or a hyperparameters.maxTrainSamples cap.');
  }
  throwIfProblems(problems);
  return props.volumeSizeGiB ?? (nvme ? NVME_VOLUME_SIZE_GIB : EBS_VOLUME_SIZE_GIB);
}

/** The family JumpStart's gated weights and images are chosen by: `g5` of `ml.g5.48xlarge`. */
function instanceFamily(instanceType: string): string {
  return instanceType.split('.')[1] ?? instanceType;
}

/** Every URI, name, version, boolean and shared artifact a job is given, before anything is built from them. */
function checkJobInputs(props: FineTuningJobProps, config: TrainingConfiguration): void {
  const problems = [
    s3UriProblem('trainingDataUri', props.trainingDataUri, S3UriForm.PREFIX),
    props.validationDataUri === undefined ? undefined : s3UriProblem('validationDataUri', props.validationDataUri, S3UriForm.PREFIX),
    s3UriProblem('outputUri', props.outputUri, S3UriForm.ANY),
    props.trainingScriptUri === undefined ? undefined : s3UriProblem('trainingScriptUri', props.trainingScriptUri, S3UriForm.TARBALL),
    props.gatedWeightsUri === undefined ? undefined : s3UriProblem('gatedWeightsUri', props.gatedWeightsUri, S3UriForm.TARBALL),
    hubContentVersionProblem('hubContentVersion', props.hubContentVersion),
    booleanProblem('disableOutputCompression', props.disableOutputCompression),
  ];
  const artifacts = props.artifacts;
  if (artifacts && artifacts.modelId !== config.model.modelId) {
    problems.push(`artifacts are JumpStart's artifacts of ${artifacts.modelId}, but this job fine-tunes ${config.model.modelId}: it would train `
      + 'the other model\'s weights. Fix: pass artifacts resolved for the same modelId, or leave artifacts out.');
  } else if (artifacts && instanceFamily(artifacts.trainingInstanceType) !== instanceFamily(config.instanceType)) {
    problems.push(`artifacts were resolved for ${artifacts.trainingInstanceType}, but this job trains on ${config.instanceType}: `
      + `JumpStart's gated weights differ by instance family (${instanceFamily(artifacts.trainingInstanceType)} vs `
      + `${instanceFamily(config.instanceType)}). Fix: resolve the artifacts with trainingInstanceType ${config.instanceType}, or leave artifacts out.`);
  }
  if (artifacts && props.hubContentVersion !== undefined && props.hubContentVersion !== artifacts.requestedHubContentVersion) {
    problems.push(`hubContentVersion is "${props.hubContentVersion}", but the artifacts given were resolved for `
      + `${artifacts.requestedHubContentVersion === undefined ? 'the newest version' : `"${artifacts.requestedHubContentVersion}"`}, and `
      + 'they decide what trains. Fix: set the version on the artifacts, or leave hubContentVersion out.');
  }
  throwIfProblems(problems);
}

/** Refuses a configuration the estimate says would be stopped at its maximum runtime, unless told to skip the check. */
function checkRuntimeFits(config: TrainingConfiguration, maxRuntime: Duration, props: FineTuningJobProps): void {
  throwIfProblems([
    booleanProblem('skipRuntimeCheck', props.skipRuntimeCheck),
    integerProblem('trainingSampleCount', props.trainingSampleCount, 1),
  ]);
  if (props.skipRuntimeCheck === true || maxRuntime.isUnresolved()) return;
  const overrun = runtimeOverrun(config, maxRuntime.toSeconds() / 60, MAX_TRAINING_RUNTIME.toMinutes(), props.trainingSampleCount);
  if (overrun) throw configurationError([overrun]);
}

/** An existing training job, described at deploy time. */
class AttachedTrainingJob extends Construct implements IFineTuningJob {
  public readonly trainingJobName: string;
  public readonly trainingJobArn: string;
  public readonly modelArtifactsUri: string;
  public readonly outputCompressed: boolean;
  public readonly modelId: string;
  public readonly trainingComplete: IDependable;

  constructor(scope: Construct, id: string, attrs: FineTuningJobAttributes) {
    super(scope, id);
    throwIfProblems([
      sageMakerNameProblem('trainingJobName', attrs.trainingJobName),
      booleanProblem('outputCompressed', attrs.outputCompressed),
    ]);
    const model = findModel(attrs.modelId ?? DEFAULT_MODEL_ID);
    const fn = handlerFunction(this, 'training-job', 'Starts, stops and describes the SageMaker fine-tuning job');
    fn.addToRolePolicy(new iam.PolicyStatement({
      actions: ['sagemaker:DescribeTrainingJob'],
      resources: [Stack.of(this).formatArn({ service: 'sagemaker', resource: 'training-job', resourceName: attrs.trainingJobName.toLowerCase() })],
    }));
    this.outputCompressed = attrs.outputCompressed ?? !model.training.disableOutputCompression;
    const job = new CustomResource(this, 'Resource', {
      resourceType: 'Custom::SageMakerTrainingJob',
      serviceToken: fn.functionArn,
      serviceTimeout: Duration.minutes(5),
      properties: { TrainingJobName: attrs.trainingJobName, ExpectCompressed: String(this.outputCompressed) },
    });
    job.node.addDependency(fn.role!);
    this.trainingJobName = attrs.trainingJobName;
    this.trainingJobArn = job.getAttString('TrainingJobArn');
    this.modelArtifactsUri = job.getAttString('ModelArtifactsUri');
    this.modelId = model.modelId;
    this.trainingComplete = job;
  }
}
