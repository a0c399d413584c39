import {
  Annotations,
  Aws,
  CustomResource,
  Duration,
  Fn,
  ITaggable,
  Lazy,
  Stack,
  TagManager,
  TagType,
} from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct, IConstruct, IDependable } from 'constructs';
import { handlerFunction } from './handler-function';
import { JumpStartModelArtifacts } from './jumpstart-model-artifacts';
import { defaultSubnets } from './private/model-network';
import { AttachedTrainingJob } from './private/attached-training-job';
import { datasetCheck } from './private/dataset-check';
import {
  checkFallbacks,
  checkJobInputs,
  checkSpot,
  checkMaxRuntime,
  checkRuntimeFits,
  checkJobBudget,
} from './private/job-input-checks';
import { checkAdditionalParameters, s3OutputLocations } from './private/additional-parameters-checks';
import { DEFAULT_JOB_NAME_BASE, jobNaming } from './private/job-naming';
import { grantJobControl } from './private/job-permissions';
import { grantDecryptThroughS3, grantWriteS3Prefix } from './private/s3-read-grants';
import { grantTrainingJobLogs } from './private/sagemaker-logs';
import { DEFAULT_TRAINING_RUNTIME, WAIT_MARGIN } from './private/training-limits';
import { TrainingWait, trainingJobArns } from './private/training-wait';
import { configurationError, throwIfProblems } from '../config/configuration-error';
import { showValue } from '../config/show-value';
import { Hyperparameters } from '../config/hyperparameters';
import { TrainingRecipe } from '../config/training-recipe';
import { TrainingData, TrainingDataConfig } from './training-data';
import {
  TrainingConfiguration,
  resolveTrainingConfiguration,
  toSageMakerHyperparameters,
} from '../config/training-configuration';
import { estimateTraining, formatEstimate } from '../estimates/training-estimate';
import type { GatedWeightsInput } from '../handlers/shared/hub-content';
import type { AttachedJobProperties, TrainingJobProperties } from '../handlers/shared/training-request';
import { instanceFacts } from '../models/instance-types';
import { TRAINING_METRIC_DEFINITIONS } from '../models/training-metrics';
import { trainingJobMetric } from '../monitoring/sagemaker-metrics';
import { BudgetEndpoint } from '../estimates/budget';
import { inCallerTerms } from '../config/prop-names';

/**
 * What the estimate means on spot: its cost is the on-demand ceiling, and no public source
 * shows JumpStart's Llama script resuming from checkpoints, so an interruption is taken to
 * restart training.
 */
const SPOT_NOTE =
  ' On spot: the cost above is the on-demand ceiling (spot never bills more; the end signal reports what SageMaker billed), ' +
  'and an interruption may restart training from the beginning, within maxWaitTime.';

/** SageMaker's volume size on instances whose local NVMe replaces the EBS volume (every catalogued training type). */
const NVME_VOLUME_SIZE_GIB = 30;
const EBS_VOLUME_SIZE_GIB = 256;

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

/** An existing, completed training job a stack serves the model of (`FineTuningJob.attach`). */
export interface IAttachedTrainingJob extends IFineTuningJob {
  /**
   * Lets `grantee` (the role serving the model) read the job's model and nothing else: the
   * objects under the model's key in its output bucket, as SageMaker reports them at deploy
   * time. Output encrypted with a customer-managed key also needs that key granted.
   */
  grantReadModel(grantee: iam.IGrantable): iam.Grant;
}

/** Props of FineTuningJob. */
export interface FineTuningJobProps {
  /** Accept the model's licence; the gated base weights are fetched with `accept_eula=true`. */
  readonly acceptEula: boolean;
  /**
   * The training data: `TrainingData.fromLocalDirectory`, `.fromBucket`, `.fromS3Uri` or
   * `.jumpStartDefault()`. The job waits for its upload, estimates with its sample count, and
   * its role gets read (and decrypt) on it. One of trainingData and trainingDataUri is required.
   * @default - trainingDataUri
   */
  readonly trainingData?: TrainingData;
  /**
   * The validation data, as trainingData.
   * @default - none; validation_split_ratio of the training data is held out
   */
  readonly validationData?: TrainingData;
  /**
   * s3:// URI of the training data prefix, read by a role the caller has granted.
   * @default - trainingData
   * @deprecated use `trainingData: TrainingData.fromS3Uri(uri)`, which also grants the role read
   */
  readonly trainingDataUri?: string;
  /**
   * s3:// URI of the validation data prefix.
   * @default - none; validation_split_ratio of the training data is held out
   * @deprecated use `validationData: TrainingData.fromS3Uri(uri)`
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
   * What to train, already resolved (`TrainingRecipe.resolve`), instead of modelId,
   * instanceType, instanceCount and hyperparameters: a caller that resolved them for its own
   * use (an estimate, a budget) hands the same value down.
   * @default - resolved from modelId, instanceType, instanceCount and hyperparameters
   */
  readonly recipe?: TrainingRecipe;
  /**
   * Longest the job may train, up to SageMaker's 28 days; the deploy waits this long plus an
   * hour, through a chain of wait conditions of up to 12 hours each.
   * @default Duration.hours(100) - JumpStart's own maximum runtime
   */
  readonly maxRuntime?: Duration;
  /**
   * Training instance types SageMaker may run the job on instead of instanceType, in order, when
   * the ones before have no capacity: the job's `ResourceConfig.InstancePreferences` is
   * instanceType, then these. SageMaker picks the first with capacity (maxPendingTime bounds the
   * whole search) and reports it (trainedInstanceType). One job runs one image and one set of
   * weights on whichever type it gets: JumpStart's family-less gated weights, as a `model`
   * channel. Each type must train the model, and its own training estimate must fit maxRuntime.
   * Not with trainingPlanArn or useSpotInstances.
   * @default - none: the job runs on instanceType alone
   */
  readonly fallbackInstanceTypes?: string[];
  /**
   * SageMaker's own retry of a job that fails with an internal server error
   * (`RetryStrategy.MaximumRetryAttempts`, 1 to 30); maxRuntime covers every attempt.
   * Capacity errors are not retried by SageMaker.
   * @default - no retry
   */
  readonly retryAttempts?: number;
  /**
   * A SageMaker training plan (reserved capacity) to run the job on (`ResourceConfig.TrainingPlanArn`);
   * the job stays Pending until the plan is active.
   * @default - on-demand capacity
   */
  readonly trainingPlanArn?: string;
  /**
   * Longest the job may stay Pending for capacity (`StoppingCondition.MaxPendingTimeInSeconds`,
   * 2 hours to 28 days); the deploy waits this long on top of maxRuntime.
   * @default - SageMaker's default, and the wait covers no pending time
   */
  readonly maxPendingTime?: Duration;
  /**
   * Train on managed spot capacity (`EnableManagedSpotTraining`), which AWS prices well below
   * on-demand and never above it. SageMaker may interrupt the job and resume it when capacity
   * returns, all within maxWaitTime; checkpoints go to `<outputUri>/<job>/checkpoints/`. Not with
   * trainingPlanArn or fallbackInstanceTypes.
   * @default false - on-demand capacity
   */
  readonly useSpotInstances?: boolean;
  /**
   * With useSpotInstances: the longest the job may take in all, time waiting for spot capacity
   * included (`StoppingCondition.MaxWaitTimeInSeconds`); at least maxRuntime, at most 28 days.
   * The deploy waits this long instead of maxRuntime.
   * @default - none: required with useSpotInstances, as SageMaker requires it
   */
  readonly maxWaitTime?: Duration;
  /**
   * Training samples in the dataset, for the runtime estimate that must fit maxRuntime.
   * @default - trainingData's own count (a local directory), else 1188, the size of the dataset
   * the walkthrough's timings were measured on
   */
  readonly trainingSampleCount?: number;
  /**
   * Deploy even when the training estimate is longer than maxRuntime (the job would be stopped at
   * the limit with no model).
   * @default false - such a configuration is refused at synth with the changes that fit
   */
  readonly skipRuntimeCheck?: boolean;
  /**
   * Most the training (by its estimate) plus the first 24 hours of `budgetEndpoints` may cost,
   * in USD at the on-demand prices on record. Refused at synth, and again at deploy once S3
   * data's sample count is known, when even the optimistic end of the estimate's range is over
   * it; a warning when only the pessimistic end is. A configuration without a measurement or a
   * price on record is refused, as its cost cannot be checked.
   * @default - no budget
   */
  readonly maxBudgetUsd?: number;
  /**
   * Endpoints whose first 24 hours count against maxBudgetUsd.
   * @default - none: the budget covers training alone
   */
  readonly budgetEndpoints?: BudgetEndpoint[];
  /**
   * Leave out the deploy-time check of S3 data, for data validated elsewhere. The check reads
   * the training and validation prefixes (known at synth) with the dataset validator before
   * the job is created, and refuses a dataset whose real sample count makes the training
   * estimate overrun maxRuntime.
   * @default false - S3 data is checked before the job starts
   */
  readonly skipDatasetCheck?: boolean;
  /**
   * Write the model uncompressed (served from an S3 prefix). Compressing the 70B model takes over 4 hours.
   * @default - the model's JumpStart default: true for 70B, false for 8B
   */
  readonly disableOutputCompression?: boolean;
  /**
   * The customer-managed KMS key the training and validation data are encrypted with (SSE-KMS
   * in a bucket this stack does not own). The role may then decrypt with it through S3 only;
   * its key policy must let the account's IAM policies use it.
   * @default - the data needs no key of its own (SSE-S3, or a key the role may already use)
   * @deprecated use `trainingData: TrainingData.fromS3Uri(uri, { encryptionKey })`
   */
  readonly trainingDataEncryptionKey?: kms.IKey;
  /**
   * KMS key that encrypts the training output.
   * @default - the output bucket's default encryption
   */
  readonly outputEncryptionKey?: kms.IKey;
  /**
   * VPC to run the training job in.
   * @default - SageMaker's network; the container runs network-isolated either way
   */
  readonly vpc?: ec2.IVpc;
  /**
   * Subnets of `vpc` for the job.
   * @default - the VPC's private subnets with egress, else its isolated subnets
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
   * s3:// URI of the gated base weights instead of the hub's, passed as JumpStart passes a
   * family's own weights (the `SageMakerGatedModelS3Uri` environment variable).
   * @default - resolved from the hub for the instance family
   */
  readonly gatedWeightsUri?: string;
  /**
   * Start of the job names (up to 40 characters). A hash of the stack's name and the construct's
   * path follows it, then a hash of the training inputs; the handlers may act only on jobs
   * under the first two, so renaming it is like renaming the construct.
   * @default 'llama3-ft'
   */
  readonly jobNamePrefix?: string;
  /**
   * A label for this training run: a new value trains anew on the same inputs, for example on
   * new data under the same S3 prefix (which is not itself a change the deploy can see). Up to
   * 64 letters, digits, `.`, `_` and `-`.
   * @default - none: the training inputs alone decide when to train anew
   */
  readonly trainingRunId?: string;
  /**
   * Hold the deploy until training ends. With false, the deploy ends once the job has started,
   * so the stack stays free for other updates while it trains; nothing here can serve its model
   * (reading trainingComplete or trainedInstanceType is refused). A later deploy of the same
   * configuration with the wait takes the running or finished job over, and then waits for it
   * or ends at once.
   * @default true
   */
  readonly waitForTraining?: boolean;
  /**
   * CreateTrainingJob members the library does not set, added to the job's request as SageMaker
   * names them: e.g. `{ ResourceConfig: { KeepAlivePeriodInSeconds: 1800 } }` (a warm pool),
   * `Environment`, `ProfilerConfig`, `DebugHookConfig`, `TensorBoardOutputConfig`,
   * `ExperimentConfig`, `RemoteDebugConfig`, `InfraCheckConfig`. Checked at synth against
   * SageMaker's service model (names, types, enums, lengths, ranges, patterns); members the
   * library sets are refused with the prop that controls each, and ResourceConfig and
   * Environment take only what the library leaves free. String and number values may be tokens.
   * A change starts a new training job, as a change of any training input does. The role is
   * granted writes under each s3:// `S3OutputPath` given as a literal; other permissions a member
   * needs (a token location, a bucket's KMS key) are the caller's to grant.
   * @default - none: the request as the library builds it
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- jsii's type of a JSON object
  readonly additionalTrainingJobParameters?: { [key: string]: any };
}

/**
 * Fine-tunes a Llama 3 model with the request SageMaker JumpStart makes, and
 * makes the deploy wait until the job ends, for as long as it may run: a custom
 * resource starts the job, an EventBridge rule on the job's state change signals a
 * chain of wait conditions (12 hours each at most), and an hourly tick hands each to
 * the next while the job runs. A job that fails or stops fails the deploy with SageMaker's reason.
 */
export class FineTuningJob extends Construct implements IFineTuningJob, iam.IGrantable, ec2.IConnectable, ITaggable {
  /**
   * Attaches to an existing, completed training job by name (the walkthrough's
   * `JumpStartEstimator.attach`), so its model can be served without training again. A custom
   * resource reads its output location at deploy time and fails the deploy if its compression
   * is not the one expected.
   */
  public static attach(scope: Construct, id: string, attrs: FineTuningJobAttributes): IAttachedTrainingJob {
    return new AttachedTrainingJob(scope, id, attrs);
  }

  /** Name of the job that trains the model. */
  public readonly trainingJobName: string;
  public readonly trainingJobArn: string;
  public readonly modelArtifactsUri: string;
  public readonly outputCompressed: boolean;
  public readonly modelId: string;
  /** s3:// location of the training data the job reads, as bound (a local directory's upload location). */
  public readonly trainingDataUri: string;
  /** Whether the deploy waits for training to end (waitForTraining). */
  public readonly waitsForTraining: boolean;
  /** The role the job runs as. */
  public readonly grantPrincipal: iam.IPrincipal;
  /** Tags of the job: `Tags.of(scope)` reaches the CreateTrainingJob request. */
  public readonly tags: TagManager;
  /** Training instance type, SageMaker's first preference when there are fallbackInstanceTypes. */
  public readonly instanceType: string;
  /** The instance types SageMaker may run the job on after instanceType, in order. */
  public readonly fallbackInstanceTypes: string[];
  /** The hyperparameters as SageMaker receives them, every default filled in. */
  public readonly hyperparameters: Record<string, string>;
  /** How long the deploy waits for the job. */
  public readonly waitTimeout: Duration;
  /**
   * Every job this construct starts, now or after any change of its training inputs, has a
   * name beginning with this; its handlers may act on such jobs only.
   */
  public readonly jobNamePrefix: string;
  /** Names of the metrics the job's metric definitions extract from its log. */
  public readonly metricNames: string[] = TRAINING_METRIC_DEFINITIONS.map((d) => d.Name);
  /** A human name of the model, for dashboards. */
  public readonly modelDisplayName: string;
  /** The training estimate (minutes, cost, basis, a much better valid configuration if any) as one line. */
  public readonly trainingEstimate: string;
  /**
   * In alarm when a job's end could not be signalled to its wait condition (one per stack,
   * shared by its jobs); undefined when nothing waits (waitForTraining false).
   */
  public readonly signalFailureAlarm?: cloudwatch.Alarm;
  private readonly configuration: TrainingConfiguration;
  private readonly completion?: IDependable;
  private readonly trainedType?: string;
  private readonly securityGroups?: ec2.ISecurityGroup[];

  constructor(scope: Construct, id: string, props: FineTuningJobProps) {
    super(scope, id);
    if (props.acceptEula !== true) {
      throw configurationError([
        `acceptEula is ${showValue(props.acceptEula)}; the base weights are gated by the model's licence. ` +
          'Fix: read the licence, then set acceptEula: true.',
      ]);
    }
    this.configuration = trainingConfiguration(props);
    const recipe = props.recipe ?? TrainingRecipe._of(props, this.configuration);
    const data = bindTrainingData(this, props, recipe);
    // Every check below reads the data as bound: its location, and its own sample count.
    props = {
      ...props,
      trainingDataUri: data.training.s3Uri,
      validationDataUri: data.validation?.s3Uri,
      trainingSampleCount: props.trainingSampleCount ?? data.training.sampleCount,
    };
    checkJobInputs(props, this.configuration);
    this.trainingDataUri = data.training.s3Uri;
    const additionalParameters = checkAdditionalParameters(props);
    const { model, instanceType } = this.configuration;
    const maxRuntime = props.maxRuntime ?? DEFAULT_TRAINING_RUNTIME;
    checkMaxRuntime(maxRuntime);
    const risk = checkRuntimeFits(this.configuration, maxRuntime, props);
    if (risk) Annotations.of(this).addWarningV2('cdk-llama3-finetuning:runtimeMayOverrun', inCallerTerms(risk));
    const fallbackTypes = checkFallbacks(this.configuration, maxRuntime, props);
    for (const warning of checkJobBudget(this.configuration, [instanceType, ...fallbackTypes], props)) {
      Annotations.of(this).addWarningV2('cdk-llama3-finetuning:budgetMayOverrun', inCallerTerms(warning));
    }
    this.modelId = model.modelId;
    this.modelDisplayName = model.displayName;
    this.instanceType = instanceType;
    this.fallbackInstanceTypes = fallbackTypes;
    this.grantPrincipal = props.role;
    this.tags = new TagManager(TagType.MAP, 'Custom::SageMakerTrainingJob');
    this.hyperparameters = toSageMakerHyperparameters(this.configuration);
    this.outputCompressed = !(props.disableOutputCompression ?? model.training.disableOutputCompression);
    // A spot job's runtime and its waits for capacity all fit in its maximum wait; any job may queue first.
    const spotWait = checkSpot(props, maxRuntime);
    this.waitTimeout = (spotWait ?? maxRuntime).plus(props.maxPendingTime ?? Duration.seconds(0)).plus(WAIT_MARGIN);
    this.trainingEstimate =
      formatEstimate(this.configuration, estimateTraining(this.configuration, props.trainingSampleCount)) +
      (props.useSpotInstances ? SPOT_NOTE : '');

    const needsHub = !(props.trainingImageUri && props.trainingScriptUri && props.gatedWeightsUri);
    const hub =
      props.artifacts ??
      (needsHub
        ? new JumpStartModelArtifacts(this, 'Artifacts', {
            modelId: model.modelId,
            hubContentVersion: props.hubContentVersion,
            trainingInstanceType: instanceType,
            // The job's request suits every type SageMaker may choose: the hub checks they share an image.
            fallbackTrainingInstanceTypes: fallbackTypes,
          })
        : undefined);
    const instanceTypes = [instanceType, ...fallbackTypes];

    if (props.vpc) {
      this.securityGroups = props.securityGroups ?? [
        new ec2.SecurityGroup(this, 'SecurityGroup', {
          vpc: props.vpc,
          description: 'Llama 3 fine-tuning job: no inbound traffic',
          allowAllOutbound: true, // to the VPC's S3 and ECR endpoints; the container itself is network-isolated
        }),
      ];
    }
    const inputs = {
      RoleArn: props.role.roleArn,
      ModelId: model.modelId,
      ModelVersion: props.hubContentVersion ?? hub?.hubContentVersion ?? 'custom',
      TrainingImageUri: props.trainingImageUri ?? hub!.trainingImageUri,
      TrainingScriptUri: props.trainingScriptUri ?? hub!.trainingScriptUri,
      GatedWeightsUri: props.gatedWeightsUri ?? hub!.gatedWeightsUri,
      GatedWeightsInput: gatedWeightsInput(props.gatedWeightsUri, hub, fallbackTypes.length > 0),
      TrainingDataUri: data.training.s3Uri,
      ValidationDataUri: data.validation?.s3Uri,
      OutputPath: props.outputUri,
      InstanceType: instanceType,
      InstanceCount: String(this.configuration.instanceCount),
      // One volume for whichever type SageMaker chooses: the largest any of them needs.
      VolumeSizeInGB: String(Math.max(...instanceTypes.map(volumeSizeGiB))),
      OutputKmsKeyId: props.outputEncryptionKey?.keyArn,
      MaxRuntimeInSeconds: String(maxRuntime.toSeconds()),
      MaxPendingTimeInSeconds: props.maxPendingTime && String(props.maxPendingTime.toSeconds()),
      MaxWaitTimeInSeconds: spotWait && String(spotWait.toSeconds()),
      MaxRetryAttempts: props.retryAttempts === undefined ? undefined : String(props.retryAttempts),
      TrainingPlanArn: props.trainingPlanArn,
      // A plan must start in time for the wait: the handler checks it against the plan at deploy.
      WaitSeconds: props.trainingPlanArn && String(this.waitTimeout.toSeconds()),
      FallbackInstanceTypes: fallbackTypes.length > 0 ? fallbackTypes : undefined,
      DisableOutputCompression: String(!this.outputCompressed),
      Hyperparameters: this.hyperparameters,
      MetricDefinitions: [...TRAINING_METRIC_DEFINITIONS],
      SubnetIds: props.vpc
        ? props.vpc.selectSubnets(props.vpcSubnets ?? defaultSubnets(props.vpc)).subnetIds
        : undefined,
      SecurityGroupIds: this.securityGroups?.map((g) => g.securityGroupId),
      // JSON, so numbers and booleans reach SageMaker as such; a training input like the others.
      AdditionalParameters: additionalParameters && Stack.of(this).toJsonString(additionalParameters),
    };
    // What decides the hub's answer is a training input too; so is the run id, to train anew on the same inputs.
    const naming = jobNaming(this, props.jobNamePrefix ?? DEFAULT_JOB_NAME_BASE, {
      inputs,
      hubContentVersion: props.hubContentVersion ?? hub?.requestedHubContentVersion,
      trainingRunId: props.trainingRunId,
    });
    this.jobNamePrefix = naming.prefix;
    const jobArns = trainingJobArns(this, naming.prefix);

    this.waitsForTraining = props.waitForTraining !== false;
    const wait = this.waitsForTraining ? new TrainingWait(this, naming, jobArns, this.waitTimeout) : undefined;
    this.signalFailureAlarm = wait?.signalFailureAlarm;
    const starter = handlerFunction(this, 'training-job', 'Starts, stops and describes the SageMaker fine-tuning job');
    grantJobControl(starter, props.role, jobArns, naming.prefix, props.vpc !== undefined, props.trainingPlanArn);
    grantTrainingJobLogs(props.role, naming.prefix);
    // SageMaker downloads the channels as the role: SSE-KMS data needs its key, through S3.
    if (props.trainingDataEncryptionKey) grantDecryptThroughS3(props.role, props.trainingDataEncryptionKey.keyArn);
    // SageMaker writes the profiler's, debugger's and TensorBoard's output as the role.
    for (const uri of s3OutputLocations(additionalParameters)) grantWriteS3Prefix(props.role, uri);
    // The job (and its data check) read the data where it will be: after an upload.
    const uploads = [data.training, data.validation].flatMap((d) => d?.dependables ?? []);
    const properties: TrainingJobProperties = {
      ...inputs,
      JobNamePrefix: naming.prefix,
      InputsHash: naming.hash,
      // No handle without a wait: the job is still tagged as this stack's, for a later wait to take over.
      WaitHandleUrl: wait?.firstHandleUrl ?? '',
      WaitId: wait?.waitId ?? Fn.join('/', [Aws.STACK_ID, `NoWait${naming.hash}`]),
      // Tags are not a training input: a changed tag tags the same job.
      Tags: Lazy.any({ produce: () => this.tags.renderTags() }) as unknown as Record<string, string>,
    };
    const job = new CustomResource(this, 'Resource', {
      resourceType: 'Custom::SageMakerTrainingJob',
      serviceToken: starter.functionArn,
      serviceTimeout: Duration.minutes(10),
      properties,
    });
    job.node.addDependency(...(wait?.prerequisites ?? []), ...uploads);
    if (props.skipDatasetCheck !== true) {
      const check = datasetCheck(this, {
        training: data.training,
        validation: data.validation,
        configuration: this.configuration,
        instanceTypes,
        maxRuntime,
        skipRuntimeCheck: props.skipRuntimeCheck === true,
        maxBudgetUsd: props.maxBudgetUsd,
        budgetEndpoints: props.budgetEndpoints ?? [],
      });
      // No GPU starts for data the check refuses.
      if (check) job.node.addDependency(check);
    }
    // The role's policies (its logs among them) are in place before the job starts.
    if (Stack.of(props.role) === Stack.of(this) && props.role.node.defaultChild) job.node.addDependency(props.role);
    // The handler's policy must be in place before the first call, and outlive the last one.
    job.node.addDependency(starter.role!);

    this.trainingJobName = job.getAttString('TrainingJobName');
    this.trainingJobArn = job.getAttString('TrainingJobArn');
    this.modelArtifactsUri = job.getAttString('ModelArtifactsUri');
    if (!wait) return;
    const lastWait = wait.waitFor(job);
    this.completion = lastWait;
    if (fallbackTypes.length === 0) {
      this.trainedType = instanceType;
      return;
    }
    // SageMaker's choice among the preferences is known once the job has run: read it after the wait.
    const trainedProperties: AttachedJobProperties = {
      TrainingJobName: this.trainingJobName,
      ExpectCompressed: String(this.outputCompressed),
    };
    const trained = new CustomResource(this, 'TrainedJob', {
      resourceType: 'Custom::SageMakerTrainedJob',
      serviceToken: starter.functionArn,
      serviceTimeout: Duration.minutes(5),
      properties: trainedProperties,
    });
    trained.node.addDependency(lastWait, starter.role!);
    this.trainedType = trained.getAttString('InstanceType');
  }

  /** What exists once the model does: serve the model after it. Refused when the deploy does not wait. */
  public get trainingComplete(): IDependable {
    return this.requireWait('trainingComplete', this.completion);
  }

  /**
   * The instance type the model trained on: instanceType, or with fallbackInstanceTypes the one
   * SageMaker chose (read from the job once training has ended). Refused when the deploy does not wait.
   */
  public get trainedInstanceType(): string {
    return this.requireWait('trainedInstanceType', this.trainedType);
  }

  private requireWait<T>(what: string, value: T | undefined): T {
    if (value !== undefined) return value;
    throw configurationError([
      `${what} of ${this.node.path} is read, but the job was built with waitForTraining false: the deploy ends ` +
        'before the model exists. Fix: leave waitForTraining at true to serve from this stack, or serve the ' +
        'finished job from another with FineTuningJob.attach.',
    ]);
  }

  /** The job's network connections; only a job in a VPC has them. */
  public get connections(): ec2.Connections {
    if (!this.securityGroups) {
      throw new Error(
        `FineTuningJob ${this.node.path} runs outside a VPC and has no security groups to manage; give it vpc to connect it.`,
      );
    }
    return new ec2.Connections({ securityGroups: this.securityGroups });
  }

  /**
   * An EventBridge rule on this construct's jobs' state changes ("SageMaker Training Job State
   * Change" for jobs named `<jobNamePrefix>-*`): every status and secondary status.
   */
  public onStateChange(id: string, options: events.OnEventOptions = {}): events.Rule {
    return this.jobEvents(id, options, {});
  }

  /** An EventBridge rule on this construct's jobs failing or being stopped. */
  public onFailure(id: string, options: events.OnEventOptions = {}): events.Rule {
    return this.jobEvents(id, options, { TrainingJobStatus: ['Failed', 'Stopped'] });
  }

  /** An EventBridge rule on this construct's jobs completing: the model exists. */
  public onSuccess(id: string, options: events.OnEventOptions = {}): events.Rule {
    return this.jobEvents(id, options, { TrainingJobStatus: ['Completed'] });
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

  private jobEvents(id: string, options: events.OnEventOptions, detail: Record<string, unknown>): events.Rule {
    const rule = new events.Rule(this, id, {
      description: options.description,
      ruleName: options.ruleName,
      crossStackScope: options.crossStackScope,
      eventPattern: {
        ...options.eventPattern,
        source: ['aws.sagemaker'],
        detailType: ['SageMaker Training Job State Change'],
        detail: {
          ...options.eventPattern?.detail,
          ...detail,
          TrainingJobName: events.Match.prefix(`${this.jobNamePrefix}-`),
        },
      },
    });
    if (options.target) rule.addTarget(options.target);
    return rule;
  }
}

/**
 * The job's data bound: given as TrainingData, or as the deprecated URIs (read by a role the
 * caller granted; the key prop, if any, is granted with the other channels' keys).
 */
function bindTrainingData(
  scope: Construct,
  props: FineTuningJobProps,
  recipe: TrainingRecipe,
): { training: TrainingDataConfig; validation?: TrainingDataConfig } {
  const problems = [
    props.trainingData !== undefined && props.trainingDataUri !== undefined
      ? 'trainingData and trainingDataUri are both given. Fix: keep trainingData.'
      : undefined,
    props.trainingData === undefined && props.trainingDataUri === undefined
      ? 'trainingData is missing. Fix: e.g. trainingData: TrainingData.fromS3Uri("s3://bucket/train/").'
      : undefined,
    props.validationData !== undefined && props.validationDataUri !== undefined
      ? 'validationData and validationDataUri are both given. Fix: keep validationData.'
      : undefined,
  ];
  throwIfProblems(problems);
  const bind = (prop: string, data: TrainingData | undefined, uri: string | undefined) => {
    if (data === undefined) return uri === undefined ? undefined : { s3Uri: uri };
    if (!(data instanceof TrainingData)) {
      throwIfProblems([
        `${prop} is ${showValue(data)}; allowed: a TrainingData (TrainingData.fromS3Uri(...), .fromBucket(...), ` +
          '.fromLocalDirectory(...), .jumpStartDefault()). Fix: wrap the location in one of these.',
      ]);
    }
    return data.bind(scope, { grantee: props.role, recipe, prop });
  };
  return {
    training: bind('trainingData', props.trainingData, props.trainingDataUri)!,
    validation: bind('validationData', props.validationData, props.validationDataUri),
  };
}

/** The recipe handed down, or one resolved from the job's own props (never both: they would disagree). */
function trainingConfiguration(props: FineTuningJobProps): TrainingConfiguration {
  if (props.recipe === undefined) return resolveTrainingConfiguration(props);
  const alsoGiven = (['modelId', 'instanceType', 'instanceCount', 'hyperparameters'] as const).filter(
    (prop) => props[prop] !== undefined,
  );
  if (alsoGiven.length > 0) {
    throw configurationError([
      `recipe is given with ${alsoGiven.join(', ')}, which the recipe already fixes. ` +
        `Fix: pass ${alsoGiven.join(', ')} to TrainingRecipe.resolve, or drop recipe.`,
    ]);
  }
  return props.recipe._configuration;
}

/**
 * The hub says how its weights go in. Weights given as a prop go in the environment variable,
 * as a family's own do, unless the job may run on several types: then in the family-less way.
 */
function gatedWeightsInput(
  gatedWeightsUri: string | undefined,
  artifacts: JumpStartModelArtifacts | undefined,
  severalTypes: boolean,
): GatedWeightsInput | undefined {
  if (gatedWeightsUri) return severalTypes ? 'model-channel' : undefined;
  return artifacts!.gatedWeightsInput as GatedWeightsInput;
}

/** SageMaker's volume for the instance type: small where its local NVMe holds the data. */
function volumeSizeGiB(instanceType: string): number {
  return instanceFacts(instanceType)?.localNvme === false ? EBS_VOLUME_SIZE_GIB : NVME_VOLUME_SIZE_GIB;
}

/** The full name of one of the job's metric definitions, e.g. `huggingface-textgeneration:train-loss`. */
function definedMetric(suffix: string): string {
  return TRAINING_METRIC_DEFINITIONS.find((d) => d.Name.endsWith(`:${suffix}`))!.Name;
}
