import { Aws, CfnOutput, Duration, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ConfigurationError } from './config/configuration-error';
import { Hyperparameters } from './config/hyperparameters';
import { TrainingConfiguration, findModel, resolveTrainingConfiguration } from './config/training-configuration';
import { FineTuningJob } from './constructs/fine-tuning-job';
import { JumpStartModelArtifacts } from './constructs/jumpstart-model-artifacts';
import { SageMakerExecutionRole } from './constructs/sagemaker-execution-role';
import { TrainingDataBuckets } from './constructs/training-data-buckets';
import { DEFAULT_MODEL_ID } from './models/catalogue';

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
   * Training data as an s3:// URI (used as is).
   * @default - JumpStart's public SEC-filings domain-adaptation dataset of the region
   */
  readonly trainData?: string;
  /**
   * Validation data as an s3:// URI.
   * @default - none; validation_split_ratio of the training data is used
   */
  readonly validationData?: string;
  /**
   * Longest the training job may run; the deploy waits this long plus an hour (12 hours at most).
   * @default Duration.hours(11)
   */
  readonly trainingMaxRuntime?: Duration;
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
   * Delete the data and model buckets, and their contents, with the stack.
   * @default false - buckets are retained
   */
  readonly destroyDataOnDelete?: boolean;
}

/**
 * Fine-tunes a Meta Llama 3 model with SageMaker JumpStart's recipe and serves
 * the result: the walkthrough's `JumpStartEstimator.fit()` and `.deploy()` as a stack.
 */
export class Llama3FineTuningStack extends Stack {
  public readonly training: TrainingConfiguration;
  public readonly buckets: TrainingDataBuckets;
  public readonly executionRole: SageMakerExecutionRole;
  public readonly artifacts: JumpStartModelArtifacts;
  public readonly fineTuningJob: FineTuningJob;

  constructor(scope: Construct, id: string, props: Llama3FineTuningStackProps) {
    super(scope, id, props);
    requireEula(props.acceptEula, props.modelId ?? DEFAULT_MODEL_ID);
    this.training = resolveTrainingConfiguration({
      modelId: props.modelId,
      instanceType: props.trainingInstanceType,
      instanceCount: props.trainingInstanceCount,
      hyperparameters: props.hyperparameters,
    });

    this.buckets = new TrainingDataBuckets(this, 'Buckets', { destroyOnDelete: props.destroyDataOnDelete });
    this.executionRole = new SageMakerExecutionRole(this, 'ExecutionRole', {
      dataBucket: this.buckets.dataBucket,
      modelBucket: this.buckets.modelBucket,
      encryptionKey: this.buckets.encryptionKey,
    });
    if (props.trainData) this.executionRole.grantReadS3Uri(props.trainData, 'trainData');
    if (props.validationData) this.executionRole.grantReadS3Uri(props.validationData, 'validationData');

    this.artifacts = new JumpStartModelArtifacts(this, 'JumpStartArtifacts', {
      modelId: this.training.model.modelId,
      hubContentVersion: props.hubContentVersion,
      trainingInstanceType: this.training.instanceType,
      hostingInstanceType: this.training.model.hosting.defaultInstanceType,
    });
    this.fineTuningJob = new FineTuningJob(this, 'FineTuningJob', {
      acceptEula: props.acceptEula,
      modelId: props.modelId,
      instanceType: props.trainingInstanceType,
      instanceCount: props.trainingInstanceCount,
      hyperparameters: props.hyperparameters,
      trainingDataUri: props.trainData ?? secFilingsDataset(),
      validationDataUri: props.validationData,
      outputUri: this.buckets.outputUri,
      outputEncryptionKey: this.buckets.encryptionKey,
      role: this.executionRole.role,
      maxRuntime: props.trainingMaxRuntime,
      disableOutputCompression: props.disableOutputCompression,
      artifacts: this.artifacts,
    });

    new CfnOutput(this, 'DataBucketName', { value: this.buckets.dataBucket.bucketName });
    new CfnOutput(this, 'ModelBucketName', { value: this.buckets.modelBucket.bucketName });
    new CfnOutput(this, 'TrainingJobName', { value: this.fineTuningJob.trainingJobName });
    new CfnOutput(this, 'ModelArtifactsUri', { value: this.fineTuningJob.modelArtifactsUri });
    new CfnOutput(this, 'HubContentVersion', { value: this.artifacts.hubContentVersion });
  }
}

/** JumpStart's public SEC-filings dataset for domain adaptation, the walkthrough's own example. */
function secFilingsDataset(): string {
  return `s3://jumpstart-cache-prod-${Aws.REGION}/training-datasets/sec_amazon/`;
}

function requireEula(accepted: boolean, modelId: string): void {
  if (accepted === true) return;
  const { licence, displayName } = findModel(modelId);
  throw new ConfigurationError([
    `acceptEula (context key "accept_eula") is ${JSON.stringify(accepted)}; ${displayName}'s base weights are gated by the `
    + `${licence.name} (${licence.url}). Fix: read the licence, then accept it with -c accept_eula=true (or acceptEula: true).`,
  ]);
}
