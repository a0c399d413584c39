import { Aws, CfnOutput, Duration, RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { configurationError, throwIfProblems } from './config/configuration-error';
import { PropNames, withPropNames } from './config/prop-names';
import { checkStackProps } from './config/stack-prop-checks';
import { showValue } from './config/show-value';
import { Hyperparameters } from './config/hyperparameters';
import { TrainingRecipe } from './config/training-recipe';
import { DeploymentGuardrails } from './constructs/deployment-guardrails';
import { EndpointAutoScaling, FineTunedModelEndpoint, ScaleToZero } from './constructs/fine-tuned-model-endpoint';
import { FineTuningJob, IFineTuningJob } from './constructs/fine-tuning-job';
import { FineTuningMonitoring } from './constructs/fine-tuning-monitoring';
import { FineTunedModelVersion } from './constructs/fine-tuned-model-version';
import { ModelApprovalStatus, ModelRegistry } from './constructs/model-registry';
import { shareModelsWith } from './constructs/private/model-sharing';
import { JumpStartModelArtifacts } from './constructs/jumpstart-model-artifacts';
import { encryptLogGroups } from './constructs/private/log-encryption';
import { grantReadS3Prefix } from './constructs/private/s3-read-grants';
import { isS3Uri } from './constructs/s3-uri';
import { ExecutionRoleDuty, SageMakerExecutionRole } from './constructs/sagemaker-execution-role';
import { TrainingData } from './constructs/training-data';
import { TrainingDataBuckets } from './constructs/training-data-buckets';
import { DEFAULT_MODEL_ID, findModel } from './models/catalogue';
import { isInstructModel } from './models/chat-models';
import type { BudgetEndpoint } from './estimates/budget';
import {
  CONTROL_TOWER_OBJECT_LOCK,
  ComplianceProfile,
  handlerVpc,
  scopeRuntimeEndpoint,
} from './constructs/compliance';
import { placeHandlersIn } from './constructs/private/handler-network';
import { grantsOnlyForAwsResources } from './constructs/private/key-policies';
import { servedOutputExpirationProblem } from './constructs/private/lifecycle-checks';

/** Props of Llama3FineTuningStack. */
export interface Llama3FineTuningStackProps extends StackProps {
  /**
   * Accept the model's licence (the Meta Llama 3 Community License). The base
   * weights are gated; nothing synthesizes without this.
   */
  readonly acceptEula: boolean;
  /**
   * JumpStart model id.
   * @default 'meta-textgeneration-llama-3-8b'
   */
  readonly modelId?: string;
  /**
   * Training instance type, one the model supports.
   * @default - the model's default: ml.g5.12xlarge for 8B, ml.g5.48xlarge for 70B
   */
  readonly trainingInstanceType?: string;
  /**
   * Training instance count.
   * @default 1
   */
  readonly trainingInstanceCount?: number;
  /**
   * Hyperparameters; each one left out takes JumpStart's default for the model.
   * @default - JumpStart's defaults
   */
  readonly hyperparameters?: Hyperparameters;
  /**
   * Training data: an s3:// URI (used as is), or a local directory, checked at synth
   * against the format the training mode reads and uploaded to the data bucket.
   * @default - the model's default JumpStart dataset in the region: SEC filings (domain adaptation) for
   * Llama 3 and 3.1 70B, OpenAssistant conversations (chat) for Llama 3.2 1B Instruct
   */
  readonly trainData?: string;
  /**
   * Validation data: an s3:// URI or a local directory, as trainData.
   * @default - none; validation_split_ratio of the training data is used
   */
  readonly validationData?: string;
  /**
   * ARN of the customer-managed KMS key that encrypts s3:// trainData / validationData in a
   * bucket this stack does not own; the execution role may decrypt with it through S3 only.
   * @default - the data needs no key of its own
   */
  readonly trainingDataKeyArn?: string;
  /**
   * Longest the training job may run, up to SageMaker's 28 days; the deploy waits this long plus an hour.
   * @default Duration.hours(100) - JumpStart's own maximum runtime
   */
  readonly trainingMaxRuntime?: Duration;
  /**
   * Training instance types SageMaker may run the training job on instead, in order, when the
   * ones before have no capacity (SageMaker's instance preferences; one job, which the
   * TrainedInstanceType output names); each must train the model and fit trainingMaxRuntime by
   * its own estimate.
   * @default - none: the job runs on trainingInstanceType alone
   */
  readonly trainingFallbackInstanceTypes?: string[];
  /**
   * SageMaker's own retry of a training job that fails with an internal server error, 1 to 30 attempts.
   * @default - no retry
   */
  readonly trainingRetryAttempts?: number;
  /**
   * A SageMaker training plan (reserved capacity) to train on.
   * @default - on-demand capacity
   */
  readonly trainingPlanArn?: string;
  /**
   * Longest the training job may stay Pending for capacity, 2 hours to 28 days; the deploy waits this long too.
   * @default - SageMaker's default, and the wait covers no pending time
   */
  readonly trainingMaxPendingTime?: Duration;
  /**
   * Train on managed spot capacity, priced below on-demand and never above it; SageMaker may
   * interrupt and resume the job within trainingMaxWaitTime. Not with trainingPlanArn or
   * trainingFallbackInstanceTypes.
   * @default false - on-demand capacity
   */
  readonly trainingUseSpotInstances?: boolean;
  /**
   * With trainingUseSpotInstances: the longest the training job may take in all, time waiting for
   * spot capacity included; at least trainingMaxRuntime, at most 28 days. The deploy waits this long.
   * @default - none: required with trainingUseSpotInstances
   */
  readonly trainingMaxWaitTime?: Duration;
  /**
   * CreateTrainingJob members the library does not set, added to the training job's request as
   * SageMaker names them, e.g. `{ ResourceConfig: { KeepAlivePeriodInSeconds: 1800 } }` for a warm
   * pool, `Environment`, `ProfilerConfig`, `TensorBoardOutputConfig`; checked at synth against
   * SageMaker's service model (FineTuningJobProps.additionalTrainingJobParameters). A change trains anew.
   * @default - none: the request as the library builds it
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- jsii's type of a JSON object
  readonly trainingAdditionalParameters?: { [key: string]: any };
  /**
   * Deploy even when the training estimate is longer than trainingMaxRuntime (the job would be
   * stopped at the limit with no model).
   * @default false - such a configuration is refused at synth with the changes that fit
   */
  readonly skipRuntimeCheck?: boolean;
  /**
   * Most the training (by its estimate) plus the first 24 hours of the endpoints this stack
   * deploys may cost, in USD at the on-demand prices on record (a scaled-to-zero endpoint is
   * counted as one instance all day). Refused at synth, and again at deploy once S3 data's
   * sample count is known, with the cheaper valid configurations that fit.
   * @default - no budget
   */
  readonly maxBudgetUsd?: number;
  /**
   * The controls the stack is built to pass. `CONTROL_TOWER` passes every applicable AWS
   * Control Tower proactive control: the handler functions run in `handlerVpc` (or, with the
   * training job and the endpoints, in a VPC of isolated subnets the stack creates, with
   * endpoints for SageMaker, CloudFormation, EventBridge, S3, ECR, CloudWatch Logs and the
   * SageMaker runtime, each letting only this account through), the buckets get S3 Object Lock
   * (30 days, governance mode), and every alarm notifies an alarm topic.
   * @default ComplianceProfile.DEFAULT - every control that costs nothing (see the README)
   */
  readonly compliance?: ComplianceProfile;
  /**
   * A VPC to run the stack's Lambda functions in; it must reach SageMaker's API, CloudFormation,
   * EventBridge and S3 (endpoints, or a NAT).
   * @default - outside any VPC; with compliance CONTROL_TOWER, a VPC the stack creates
   */
  readonly handlerVpc?: ec2.IVpc;
  /**
   * The subnets of handlerVpc to use.
   * @default - Lambda's default: the VPC's private subnets
   */
  readonly handlerSubnets?: ec2.SubnetSelection;
  /**
   * Leave out the deploy-time check of s3:// training and validation data (for data validated
   * elsewhere). Local datasets are checked at synth either way.
   * @default false - s3:// data is checked before the training job starts
   */
  readonly skipDatasetCheck?: boolean;
  /**
   * Hold the deploy until training ends. With false the deploy ends once the job has started,
   * so the stack takes other updates while it trains, and serves nothing; deploying again
   * with the wait takes the running or finished job over and then serves it.
   * @default true
   */
  readonly waitForTraining?: boolean;
  /**
   * Write the model uncompressed (served from an S3 prefix).
   * @default - the model's JumpStart default: true for 70B, false for 8B
   */
  readonly disableOutputCompression?: boolean;
  /**
   * JumpStart hub content version whose artifacts (images, script, weights) are used.
   * @default - the newest at the first deploy, kept on later deploys
   */
  readonly hubContentVersion?: string;
  /**
   * A label for the training run: a new value trains anew on the same inputs, for example on new
   * data under the same S3 prefix. Up to 64 letters, digits, `.`, `_` and `-`.
   * @default - none: the training inputs alone decide when to train anew
   */
  readonly trainingRunId?: string;
  /**
   * Put the fine-tuned model behind a real-time endpoint; false trains only.
   * @default true
   */
  readonly deployEndpoint?: boolean;
  /**
   * Serve the model of this existing, completed training job instead of training (JumpStartEstimator.attach).
   * @default - train a new model
   */
  readonly existingTrainingJobName?: string;
  /**
   * Serve the fine-tuned model at this s3:// location (`model.tar.gz`, or a prefix ending in `/`) instead of training.
   * @default - train a new model
   */
  readonly modelArtifactsUri?: string;
  /**
   * Serve this version of a model registry group (an ARN `...:model-package/<group>/<version>`,
   * the ModelPackageArn output of the stack that trained it, in this account or another) instead of
   * training. SageMaker serves a version only once it is Approved.
   * @default - train a new model
   */
  readonly modelPackageArn?: string;
  /**
   * Register the model the stack trains (or serves from a job or S3) as a new version of a SageMaker
   * model registry group: its inference image and environment, model data, training job, hub version
   * and training data. Each new model is a new version; earlier versions are kept.
   * @default true
   */
  readonly registerModel?: boolean;
  /**
   * Name of the model registry group the stack creates and registers into; it must not be in use
   * (the group is retained when the stack is deleted, so a stack created again needs another name).
   * @default - a name that ends with the stack's id, so no two stacks, and no stack created again, share a group
   */
  readonly modelPackageGroupName?: string;
  /**
   * Approval status of the version the stack registers (Approved lets it be served at once, as a
   * development account may want); later approvals by a person are not undone by later deploys.
   * @default - none sent: SageMaker's default for a new version, which is not Approved
   */
  readonly modelApprovalStatus?: ModelApprovalStatus;
  /**
   * Accounts that may serve the registered versions (production serving what development trained):
   * the registry group's policy lets them read the versions and create models from them, the model
   * bucket's policy lets them read the models under output/, and the key's policy lets them decrypt
   * those through S3.
   * @default - no other account
   */
  readonly modelConsumerAccountIds?: string[];
  /**
   * Hosting instance type, one the model supports.
   * @default - the model's default: ml.g5.12xlarge for 8B, ml.p4d.24xlarge for 70B
   */
  readonly endpointInstanceType?: string;
  /**
   * Instances behind the endpoint at first.
   * @default 1
   */
  readonly endpointInstanceCount?: number;
  /**
   * Endpoint name.
   * @default - generated by CloudFormation
   */
  readonly endpointName?: string;
  /**
   * Capture endpoint requests and responses into the data bucket.
   * @default false
   */
  readonly dataCapture?: boolean;
  /**
   * Scale the endpoint's instance count with traffic.
   * @default - a fixed instance count
   */
  readonly endpointAutoScaling?: EndpointAutoScaling;
  /**
   * Serve through an inference component that scales to zero copies and instances when idle
   * (a cold start of minutes on the first request after that).
   * @default - a real-time endpoint with endpointInstanceCount instances
   */
  readonly endpointScaleToZero?: ScaleToZero;
  /**
   * How SageMaker updates the endpoint when its model changes (a retraining, a new hub version):
   * a blue/green update shifting traffic as a canary, in linear steps or all at once, rolled back
   * when the endpoint's 5xx or latency alarm trips.
   * @default - a canary of one instance with 2 endpoint instances or more, else all at once; none with
   * endpointScaleToZero
   */
  readonly endpointDeploymentGuardrails?: DeploymentGuardrails;
  /**
   * A VPC for the training job's and the endpoints' instances (their VpcConfig, each with a
   * security group of its own with no inbound rules); its subnets must reach S3 and ECR (VPC
   * endpoints, or a NAT).
   * @default - SageMaker's network (with compliance CONTROL_TOWER, the stack's own isolated VPC);
   * the containers run network-isolated either way
   */
  readonly modelVpc?: ec2.IVpc;
  /**
   * The subnets of modelVpc to use.
   * @default - the VPC's private subnets with egress, else its isolated subnets
   */
  readonly modelSubnets?: ec2.SubnetSelection;
  /**
   * Also serve the base model, as JumpStart hosts it, on an endpoint of its own (same instance
   * type), to compare the fine-tuned model with (`llama3-ft evaluate --baseline-endpoint`).
   * @default false
   */
  readonly deployBaseEndpoint?: boolean;
  /**
   * Email address subscribed to the stack's alarm topic (a KMS-encrypted SNS topic every alarm
   * and training failure notice goes to: endpoint 5xx errors and latency, lost signals).
   * @default - the topic and its alarms exist with no subscriber; subscribe to the AlarmTopicArn output
   */
  readonly alarmEmail?: string;
  /**
   * Encrypt the handler functions' log groups with the stack's customer-managed key (the data
   * key it already has, so it costs nothing more; AWS Control Tower's CT.CLOUDWATCH.PR.3 asks it).
   * @default true
   */
  readonly encryptLogs?: boolean;
  /**
   * Delete the data and model buckets, and their contents, with the stack.
   * @default false - buckets are retained
   */
  readonly destroyDataOnDelete?: boolean;
  /**
   * Delete object versions of the data and model buckets this long after they stop being current
   * (overwritten, deleted or expired). Whole days; under compliance CONTROL_TOWER at least its
   * 30-day object lock.
   * @default - noncurrent versions are kept
   */
  readonly noncurrentVersionExpiration?: Duration;
  /**
   * Expire the fine-tuned models under output/ of the model bucket this long after training;
   * needs noncurrentVersionExpiration, which then deletes them. Whole days; at least 30 when the
   * stack serves the model it trains, whose endpoint cannot start an instance once its model has
   * expired: retrain within that time.
   * @default - training output is kept
   */
  readonly trainingOutputExpiration?: Duration;
}

/**
 * Fine-tunes a Meta Llama 3 model with SageMaker JumpStart's recipe and serves
 * the result: the walkthrough's `JumpStartEstimator.fit()` and `.deploy()` as a stack.
 */
export class Llama3FineTuningStack extends Stack {
  /** JumpStart model id being fine-tuned or served. */
  public readonly modelId: string;
  /** Data and model buckets. */
  public readonly buckets: TrainingDataBuckets;
  /**
   * Role the training job runs as: reads the training data, writes the model under output/.
   * Created whatever the stack does, so a role for training always exists under its old logical id.
   */
  public readonly trainingRole: SageMakerExecutionRole;
  /**
   * Role the endpoints (fine-tuned and base) run as: reads the model, writes nothing to the
   * model bucket, reads no training data. Undefined when the stack serves nothing.
   */
  public readonly inferenceRole?: SageMakerExecutionRole;
  /**
   * Role of the training job.
   * @deprecated Use `trainingRole` (the same role) for training, and `inferenceRole` for the
   * endpoints, which no longer run as this role.
   */
  public readonly executionRole: SageMakerExecutionRole;
  /** The model's JumpStart artifacts for the region. */
  public readonly artifacts: JumpStartModelArtifacts;
  /** The training job: a new one, or the attached existing one; undefined when serving from S3. */
  public readonly fineTuningJob?: IFineTuningJob;
  /** The endpoint; undefined when training only. */
  public readonly endpoint?: FineTunedModelEndpoint;
  /** The base model's endpoint, with deployBaseEndpoint. */
  public readonly baseEndpoint?: FineTunedModelEndpoint;
  /** The model registry group the trained model is registered in; undefined when nothing is registered. */
  public readonly registry?: ModelRegistry;
  /** The registered version of the trained model; undefined when nothing is registered. */
  public readonly modelVersion?: FineTunedModelVersion;
  /** Dashboard, and alarms when an email is given. */
  public readonly monitoring: FineTuningMonitoring;

  constructor(scope: Construct, id: string, props: Llama3FineTuningStackProps) {
    super(scope, id, props);
    requireEula(props.acceptEula, props.modelId ?? DEFAULT_MODEL_ID);
    checkStackProps(props);
    // Resolved once: the job, the artifacts, the dataset checks and the budget all read this one value.
    const recipe = TrainingRecipe._resolveAs(
      {
        modelId: props.modelId,
        instanceType: props.trainingInstanceType,
        instanceCount: props.trainingInstanceCount,
        hyperparameters: props.hyperparameters,
      },
      { instanceType: 'trainingInstanceType', instanceCount: 'trainingInstanceCount' },
    );
    const training = recipe._configuration;

    const controlTower = props.compliance === ComplianceProfile.CONTROL_TOWER;
    if (controlTower && props.destroyDataOnDelete === true) {
      throw configurationError([
        'destroyDataOnDelete is true with compliance control-tower, whose S3 Object Lock keeps every object version ' +
          `for ${CONTROL_TOWER_OBJECT_LOCK.toDays()} days: the buckets could not be deleted with the stack. Fix: drop one of them.`,
      ]);
    }
    // Under the control-tower profile one VPC of its own holds the handlers, the training job and the endpoint.
    const network = controlTower && !props.handlerVpc ? handlerVpc(this, { serves: serves(props) }) : undefined;
    if (props.handlerVpc || network) {
      placeHandlersIn(this, network ?? { vpc: props.handlerVpc!, subnets: props.handlerSubnets });
    }
    // The training job and the endpoints: the team's VPC if given, else the profile's own.
    const modelNetwork = props.modelVpc ? { vpc: props.modelVpc, subnets: props.modelSubnets } : network;
    throwIfProblems([
      servedOutputExpirationProblem(props.trainingOutputExpiration, serves(props) && !props.modelArtifactsUri),
    ]);
    this.buckets = new TrainingDataBuckets(this, 'Buckets', {
      removalPolicy: props.destroyDataOnDelete === true ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
      objectLockRetention: controlTower ? CONTROL_TOWER_OBJECT_LOCK : undefined,
      noncurrentVersionExpiration: props.noncurrentVersionExpiration,
      trainingOutputExpiration: props.trainingOutputExpiration,
    });
    // The training role keeps the construct id of the one role the stack used to have: its ARN is a
    // training input (the job's RoleArn), and a new one would retrain on upgrade.
    this.trainingRole = new SageMakerExecutionRole(this, 'ExecutionRole', {
      duty: ExecutionRoleDuty.TRAINING,
      dataBucket: this.buckets.dataBucket,
      modelBucket: this.buckets.modelBucket,
      encryptionKey: this.buckets.encryptionKey,
    });
    this.executionRole = this.trainingRole;
    if (serves(props) || props.deployBaseEndpoint === true) {
      this.inferenceRole = new SageMakerExecutionRole(this, 'InferenceRole', {
        duty: ExecutionRoleDuty.INFERENCE,
        modelBucket: this.buckets.modelBucket,
        encryptionKey: this.buckets.encryptionKey,
      });
    }

    if (props.encryptLogs !== false) encryptLogGroups(this, this.buckets.encryptionKey);

    this.modelId = training.model.modelId;
    const model = training.model;
    const hostingInstanceType = props.endpointInstanceType ?? model.hosting.defaultInstanceType;
    this.artifacts = withPropNames(
      ARTIFACTS_PROP_NAMES,
      () =>
        new JumpStartModelArtifacts(this, 'JumpStartArtifacts', {
          modelId: model.modelId,
          hubContentVersion: props.hubContentVersion,
          trainingInstanceType: training.instanceType,
          fallbackTrainingInstanceTypes: props.trainingFallbackInstanceTypes,
          hostingInstanceType,
        }),
    );

    if (props.existingTrainingJobName) {
      const attached = withPropNames(ATTACHED_JOB_PROP_NAMES, () =>
        FineTuningJob.attach(this, 'AttachedTrainingJob', {
          trainingJobName: props.existingTrainingJobName!,
          modelId: model.modelId,
          outputCompressed: props.disableOutputCompression === undefined ? undefined : !props.disableOutputCompression,
        }),
      );
      // Only the endpoint reads an attached job's model.
      if (this.inferenceRole) attached.grantReadModel(this.inferenceRole);
      this.fineTuningJob = attached;
    } else if (props.modelArtifactsUri) {
      if (this.inferenceRole) grantReadS3Prefix(this.inferenceRole, props.modelArtifactsUri);
    } else if (props.modelPackageArn) {
      // A registered version: nothing to train; the endpoint reads the version's model where it was registered.
    } else {
      // A key for data in buckets this stack does not own (SSE-KMS), imported once for both channels.
      const dataKey =
        props.trainingDataKeyArn === undefined
          ? undefined
          : kms.Key.fromKeyArn(this, 'TrainingDataKey', props.trainingDataKeyArn);
      const trainData = this.trainingData(props.trainData, TrainingDataBuckets.TRAINING_PREFIX, dataKey);
      const validationData = this.trainingData(props.validationData, TrainingDataBuckets.VALIDATION_PREFIX, dataKey);
      // The configuration resolved above is handed down, not resolved again from the same props.
      this.fineTuningJob = withPropNames(
        JOB_PROP_NAMES,
        () =>
          new FineTuningJob(this, 'FineTuningJob', {
            acceptEula: props.acceptEula,
            recipe,
            trainingData: trainData ?? TrainingData.jumpStartDefault(),
            validationData,
            outputUri: this.buckets.outputUri,
            outputEncryptionKey: this.buckets.encryptionKey,
            role: this.trainingRole,
            maxRuntime: props.trainingMaxRuntime,
            retryAttempts: props.trainingRetryAttempts,
            fallbackInstanceTypes: props.trainingFallbackInstanceTypes,
            trainingPlanArn: props.trainingPlanArn,
            maxPendingTime: props.trainingMaxPendingTime,
            useSpotInstances: props.trainingUseSpotInstances,
            maxWaitTime: props.trainingMaxWaitTime,
            skipRuntimeCheck: props.skipRuntimeCheck,
            maxBudgetUsd: props.maxBudgetUsd,
            budgetEndpoints: props.maxBudgetUsd === undefined ? undefined : budgetEndpoints(props, hostingInstanceType),
            skipDatasetCheck: props.skipDatasetCheck,
            waitForTraining: props.waitForTraining,
            disableOutputCompression: props.disableOutputCompression,
            artifacts: this.artifacts,
            trainingRunId: props.trainingRunId,
            vpc: modelNetwork?.vpc,
            vpcSubnets: modelNetwork?.subnets,
            additionalTrainingJobParameters: props.trainingAdditionalParameters,
          }),
      );
      new CfnOutput(this, 'ModelArtifactsUri', { value: this.fineTuningJob.modelArtifactsUri });
    }
    if (
      this.fineTuningJob instanceof FineTuningJob &&
      this.fineTuningJob.waitsForTraining &&
      props.trainingFallbackInstanceTypes?.length
    ) {
      new CfnOutput(this, 'TrainedInstanceType', { value: this.fineTuningJob.trainedInstanceType });
    }
    if (this.fineTuningJob) {
      new CfnOutput(this, 'TrainingJobName', { value: this.fineTuningJob.trainingJobName });
      new CfnOutput(this, 'TrainingJobArn', { value: this.fineTuningJob.trainingJobArn });
    }

    if (registers(props)) {
      const consumers = props.modelConsumerAccountIds ?? [];
      const registry = withPropNames(
        REGISTRY_PROP_NAMES,
        () =>
          new ModelRegistry(this, 'ModelRegistry', {
            modelPackageGroupName: props.modelPackageGroupName,
            consumerAccountIds: consumers,
          }),
      );
      this.registry = registry;
      this.modelVersion = withPropNames(REGISTRY_PROP_NAMES, () =>
        registry.register('ModelVersion', {
          trainingJob: this.fineTuningJob,
          modelArtifactsUri: props.modelArtifactsUri,
          modelId: model.modelId,
          artifacts: this.artifacts,
          hostingInstanceType,
          approvalStatus: props.modelApprovalStatus,
        }),
      );
      if (consumers.length > 0) shareModelsWith(this.buckets, consumers);
      new CfnOutput(this, 'ModelPackageGroupName', { value: registry.modelPackageGroupName });
      new CfnOutput(this, 'ModelPackageArn', { value: this.modelVersion.modelPackageArn });
      new CfnOutput(this, 'ApproveCommand', {
        description: 'Approve the registered version, so that a stack with modelPackageArn may serve it',
        value:
          `aws sagemaker update-model-package --region ${this.region} --model-package-arn ` +
          `${this.modelVersion.modelPackageArn} --model-approval-status Approved`,
      });
    }

    if (serves(props)) {
      this.endpoint = withPropNames(
        ENDPOINT_PROP_NAMES,
        () =>
          new FineTunedModelEndpoint(this, 'Endpoint', {
            trainingJob: this.fineTuningJob,
            modelArtifactsUri: props.modelArtifactsUri,
            modelPackageArn: props.modelPackageArn,
            modelId: model.modelId,
            role: this.inferenceRole!,
            instanceType: hostingInstanceType,
            instanceCount: props.endpointInstanceCount,
            endpointName: props.endpointName,
            // A registered version brings its own image and environment.
            artifacts: props.modelPackageArn ? undefined : this.artifacts,
            dataCaptureBucket: props.dataCapture ? this.buckets.dataBucket : undefined,
            dataCaptureEncryptionKey: props.dataCapture ? this.buckets.encryptionKey : undefined,
            autoScaling: props.endpointAutoScaling,
            scaleToZero: props.endpointScaleToZero,
            deploymentGuardrails: props.endpointDeploymentGuardrails,
            vpc: modelNetwork?.vpc,
            vpcSubnets: modelNetwork?.subnets,
          }),
      );
      new CfnOutput(this, 'EndpointName', { value: this.endpoint.endpointName });
      new CfnOutput(this, 'ModelName', { value: this.endpoint.modelName });
      const component = this.endpoint.inferenceComponentName;
      if (component) new CfnOutput(this, 'InferenceComponentName', { value: component });
      const target =
        `--region ${this.region} --endpoint ${this.endpoint.endpointName}` +
        `${component ? ` --inference-component ${component}` : ''}`;
      // An instruct model takes a conversation: the command says how after a `#`, so the line still runs as it is.
      const chat = isInstructModel(model);
      new CfnOutput(this, 'InvokeCommand', {
        description: chat
          ? 'Send a prompt to the fine-tuned model, or chat with it (the command after the #)'
          : 'Send a prompt to the fine-tuned model',
        value:
          `npx llama3-ft invoke ${target} --prompt "Your prompt goes here"` +
          `${chat ? ` --model-id ${model.modelId}  # or chat: npx llama3-ft chat ${target} --model-id ${model.modelId}` : ''}`,
      });
    }

    if (props.deployBaseEndpoint === true) {
      this.baseEndpoint = withPropNames(
        ENDPOINT_PROP_NAMES,
        () =>
          new FineTunedModelEndpoint(this, 'BaseEndpoint', {
            baseModel: true,
            acceptEula: props.acceptEula,
            modelId: model.modelId,
            role: this.inferenceRole!,
            instanceType: hostingInstanceType,
            artifacts: this.artifacts,
            // Idle between evaluations, it costs its instance's price: it scales to zero when the endpoint does.
            scaleToZero: props.endpointScaleToZero,
            vpc: modelNetwork?.vpc,
            vpcSubnets: modelNetwork?.subnets,
          }),
      );
      new CfnOutput(this, 'BaseEndpointName', { value: this.baseEndpoint.endpointName });
      if (this.endpoint) {
        new CfnOutput(this, 'EvaluateCommand', {
          description: 'Score the fine-tuned model against the base model on held-out samples',
          value:
            `npx llama3-ft evaluate --region ${this.region} --endpoint ${this.endpoint.endpointName} ` +
            `--baseline-endpoint ${this.baseEndpoint.endpointName}` +
            (this.endpoint.inferenceComponentName
              ? ` --inference-component ${this.endpoint.inferenceComponentName}` +
                ` --baseline-inference-component ${this.baseEndpoint.inferenceComponentName}`
              : '') +
            ' --data <holdout directory>',
        });
      }
    }

    if (network) {
      const served = [this.endpoint, this.baseEndpoint].filter((e) => e !== undefined);
      const components = served.flatMap((e) => (e.inferenceComponentName ? [e.inferenceComponentName] : []));
      scopeRuntimeEndpoint(network, [
        ...served.map((e) => e.endpointArn),
        ...components.map((name) =>
          this.formatArn({ service: 'sagemaker', resource: 'inference-component', resourceName: name.toLowerCase() }),
        ),
      ]);
    }

    // Every alarm acts (AWS Control Tower's CT.CLOUDWATCH.PR.1), mailed or not: subscribe to the topic at any time.
    const topic = alarmTopic(this, props.alarmEmail);
    this.monitoring = new FineTuningMonitoring(this, 'Monitoring', {
      trainingJob: this.fineTuningJob,
      endpoint: this.endpoint,
      alarmTopic: topic,
    });
    // The base endpoint's rollback alarms are not the monitoring's: they notify the topic here.
    for (const alarm of this.baseEndpoint?.rollbackAlarms ?? []) alarm.addAlarmAction(new actions.SnsAction(topic));
    new CfnOutput(this, 'AlarmTopicArn', { value: topic.topicArn });
    new CfnOutput(this, 'DashboardUrl', { value: this.monitoring.dashboardUrl });

    new CfnOutput(this, 'DataBucketName', { value: this.buckets.dataBucket.bucketName });
    new CfnOutput(this, 'ModelBucketName', { value: this.buckets.modelBucket.bucketName });
    new CfnOutput(this, 'HubContentVersion', { value: this.artifacts.hubContentVersion });
  }

  /** An s3:// URI is read where it is; a local directory is checked and uploaded into the data bucket. */
  private trainingData(location: string | undefined, prefix: string, key?: kms.IKey): TrainingData | undefined {
    if (location === undefined) return undefined;
    if (isS3Uri(location)) return TrainingData.fromS3Uri(location, { encryptionKey: key });
    const { dataBucket: bucket, encryptionKey } = this.buckets;
    return TrainingData.fromLocalDirectory(location, { bucket, prefix, encryptionKey });
  }
}

/** What the stack calls the props it passes on, for the constructs' messages. */
const JOB_PROP_NAMES: PropNames = {
  trainingData: 'trainData',
  trainingDataUri: 'trainData',
  validationDataUri: 'validationData',
  maxRuntime: 'trainingMaxRuntime',
  retryAttempts: 'trainingRetryAttempts',
  fallbackInstanceTypes: 'trainingFallbackInstanceTypes',
  instanceType: 'trainingInstanceType',
  maxPendingTime: 'trainingMaxPendingTime',
  useSpotInstances: 'trainingUseSpotInstances',
  maxWaitTime: 'trainingMaxWaitTime',
  budgetEndpoints: 'endpointInstanceType',
  vpc: 'modelVpc',
  vpcSubnets: 'modelSubnets',
  additionalTrainingJobParameters: 'trainingAdditionalParameters',
};
const ATTACHED_JOB_PROP_NAMES: PropNames = { trainingJobName: 'existingTrainingJobName' };
const ARTIFACTS_PROP_NAMES: PropNames = {
  hostingInstanceType: 'endpointInstanceType',
  fallbackTrainingInstanceTypes: 'trainingFallbackInstanceTypes',
};
const ENDPOINT_PROP_NAMES: PropNames = {
  instanceType: 'endpointInstanceType',
  instanceCount: 'endpointInstanceCount',
  autoScaling: 'endpointAutoScaling',
  scaleToZero: 'endpointScaleToZero',
  dataCaptureBucket: 'dataCapture',
  deploymentGuardrails: 'endpointDeploymentGuardrails',
  vpc: 'modelVpc',
  vpcSubnets: 'modelSubnets',
};

const REGISTRY_PROP_NAMES: PropNames = {
  consumerAccountIds: 'modelConsumerAccountIds',
  approvalStatus: 'modelApprovalStatus',
  hostingInstanceType: 'endpointInstanceType',
};

/** Whether the stack registers its model: asked to (the default), it has one, and it exists when the deploy ends. */
function registers(props: Llama3FineTuningStackProps): boolean {
  return props.registerModel !== false && props.modelPackageArn === undefined && props.waitForTraining !== false;
}

/** Whether the stack deploys an endpoint: asked to, and its model exists by the end of the deploy. */
function serves(props: Llama3FineTuningStackProps): boolean {
  return (props.deployEndpoint ?? true) && props.waitForTraining !== false;
}

/** The endpoints the stack deploys, as the budget counts them: their first instances, a whole day. */
function budgetEndpoints(props: Llama3FineTuningStackProps, instanceType: string): BudgetEndpoint[] {
  if (!serves(props)) return [];
  const instanceCount = props.endpointScaleToZero
    ? 1
    : (props.endpointAutoScaling?.minInstances ?? props.endpointInstanceCount ?? 1);
  return [{ instanceType, instanceCount }, ...(props.deployBaseEndpoint ? [{ instanceType, instanceCount: 1 }] : [])];
}

/**
 * An SSL-only SNS topic encrypted with its own key, mailing one address if given. Only this
 * account's CloudWatch alarms and EventBridge rules of this region may publish to it
 * and use its key.
 */
function alarmTopic(scope: Construct, email: string | undefined): sns.Topic {
  const key = new kms.Key(scope, 'AlarmTopicKey', {
    enableKeyRotation: true,
    description: 'Encrypts Llama 3 fine-tuning alarms and notices',
  });
  grantsOnlyForAwsResources(key);
  const topic = new sns.Topic(scope, 'AlarmTopic', {
    masterKey: key,
    enforceSSL: true,
    displayName: 'Llama 3 fine-tuning alarms',
  });
  const publishers = {
    'cloudwatch.amazonaws.com': `arn:${Aws.PARTITION}:cloudwatch:${Aws.REGION}:${Aws.ACCOUNT_ID}:alarm:*`,
    'events.amazonaws.com': `arn:${Aws.PARTITION}:events:${Aws.REGION}:${Aws.ACCOUNT_ID}:rule/*`,
  };
  for (const [service, sourceArn] of Object.entries(publishers)) {
    const conditions = {
      StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
      ArnLike: { 'aws:SourceArn': sourceArn },
    };
    const principals = [new iam.ServicePrincipal(service)];
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals,
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions,
      }),
    );
  }
  // EventBridge may publish only from the notice rule (FineTuningMonitoring allows it by that rule's ARN).
  topic.addToResourcePolicy(
    new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['sns:Publish'],
      resources: [topic.topicArn],
      conditions: {
        StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
        ArnLike: { 'aws:SourceArn': publishers['cloudwatch.amazonaws.com'] },
      },
    }),
  );
  if (email) topic.addSubscription(new subscriptions.EmailSubscription(email));
  return topic;
}

/** The training mode's dataset format. */
function requireEula(accepted: boolean, modelId: string): void {
  if (accepted === true) return;
  const { licence, displayName } = findModel(modelId);
  throw configurationError([
    `acceptEula is ${showValue(accepted)}; ${displayName}'s base weights are gated by the ` +
      `${licence.name} (${licence.url}). Fix: read the licence, then accept it with acceptEula: true.`,
  ]);
}
