import { createHash } from 'node:crypto';
import type {
  Channel,
  CreateTrainingJobRequest,
  InstancePreference,
  TrainingInstanceType,
} from '@aws-sdk/client-sagemaker';
import { withAdditionalParameters } from './additional-parameters';
import type { GatedWeightsInput } from './hub-content';
import { WAIT_OWNER_TAG, waitOwner } from './wait-ownership';

/** The custom resource's properties: the training inputs, as strings (CloudFormation sends strings). */
export interface TrainingJobProperties {
  /** The construct's prefix: every job it ever starts, whatever its inputs, is named `<prefix>-...`. */
  readonly JobNamePrefix: string;
  /** A hash of the training inputs (and the training run id), new with each: it names this run's jobs. */
  readonly InputsHash: string;
  /**
   * Presigned URL of the first wait condition handle of the chain (created just before the job);
   * empty when the deploy does not wait for training.
   */
  readonly WaitHandleUrl: string;
  /** `<stack id>/<handle logical id>`; its hash tags the job as that wait's (see wait-ownership). */
  readonly WaitId: string;
  readonly RoleArn: string;
  readonly ModelId: string;
  readonly ModelVersion: string;
  readonly TrainingImageUri: string;
  readonly TrainingScriptUri: string;
  readonly GatedWeightsUri: string;
  /** How the job receives them (see GatedWeightsInput). */
  readonly GatedWeightsInput?: GatedWeightsInput;
  readonly TrainingDataUri: string;
  readonly ValidationDataUri?: string;
  readonly OutputPath: string;
  readonly InstanceType: string;
  readonly InstanceCount: string;
  readonly VolumeSizeInGB: string;
  readonly OutputKmsKeyId?: string;
  readonly MaxRuntimeInSeconds: string;
  readonly MaxPendingTimeInSeconds?: string;
  /** Managed spot training: the longest the job may take in all, waits for capacity included. */
  readonly MaxWaitTimeInSeconds?: string;
  /** SageMaker's retry of internal errors (`RetryStrategy.MaximumRetryAttempts`). */
  readonly MaxRetryAttempts?: string;
  readonly TrainingPlanArn?: string;
  /** With TrainingPlanArn: how long the deploy waits for the job in all, in seconds (the plan must start within it). */
  readonly WaitSeconds?: string;
  /**
   * Instance types SageMaker may run the job on after InstanceType, in order, when the ones
   * before have no capacity (`ResourceConfig.InstancePreferences`).
   */
  readonly FallbackInstanceTypes?: string[];
  readonly DisableOutputCompression: string;
  readonly Hyperparameters: Record<string, string>;
  readonly MetricDefinitions: { Name: string; Regex: string }[];
  readonly SubnetIds?: string[];
  readonly SecurityGroupIds?: string[];
  /** The construct's tags (`Tags.of`), put on the job. */
  readonly Tags?: Record<string, string>;
  /**
   * CreateTrainingJob members the library does not set, as JSON (additionalTrainingJobParameters,
   * checked at synth): JSON keeps their numbers and booleans, which CloudFormation would turn into strings.
   */
  readonly AdditionalParameters?: string;
}

/** The custom resource's properties when it attaches to an existing job instead of starting one. */
export interface AttachedJobProperties {
  readonly TrainingJobName: string;
  /** "true" or "false": the compression the caller expects; the deploy fails if the job's differs. */
  readonly ExpectCompressed: string;
}

/** The attributes CloudFormation can read from the custom resource (`getAtt`). */
export interface TrainingJobAttributes {
  readonly TrainingJobName: string;
  readonly TrainingJobArn: string;
  readonly ModelArtifactsUri: string;
  /** The instance type the model trained on, SageMaker's choice among preferences (attached jobs only). */
  readonly InstanceType?: string;
  /** The bucket and key of the model (attached jobs only). */
  readonly ModelBucket?: string;
  readonly ModelKey?: string;
}

/** Statuses after which a job will not change any more. */
export const FINISHED = ['Completed', 'Failed', 'Stopped'];

/**
 * The job name for a request: the construct's prefix, then a hash of the training inputs
 * and the stack's id, so CloudFormation's retries and rollbacks find the same job, a
 * change of input trains anew, and so does a re-created stack. `attempt` counts names
 * already taken by a job that ended without a model.
 */
export function trainingJobName(prefix: string, inputsHash: string, stackId: string, attempt: number): string {
  const runHash = createHash('sha256').update(`${inputsHash}/${stackId}`).digest('hex').slice(0, 6);
  return `${prefix}-${runHash}${attempt > 1 ? `-${attempt}` : ''}`.slice(0, 63);
}

function withoutTrailingSlash(uri: string): string {
  return uri.replace(/\/+$/, '');
}

/** Where SageMaker puts the model: a tar.gz when compressed, else a prefix (served with a trailing slash). */
export function modelArtifactsUri(outputPath: string, jobName: string, compressed: boolean): string {
  const output = `${withoutTrailingSlash(outputPath)}/${jobName}/output`;
  return compressed ? `${output}/model.tar.gz` : `${output}/model/`;
}

/**
 * The gated base weights as SageMaker takes them: JumpStart's environment variable with the
 * licence accepted, or a `model` channel whose licence is accepted in the request — the exact
 * shape the SageMaker Python SDK's `fit(accept_eula=True)` sends (sagemaker/job.py, inputs.py),
 * and never both.
 */
export function gatedWeights(
  uri: string,
  input: GatedWeightsInput = 'environment',
): { environment: Record<string, string>; channels: Channel[] } {
  if (input === 'environment')
    return { environment: { accept_eula: 'true', SageMakerGatedModelS3Uri: uri }, channels: [] };
  return {
    environment: {},
    channels: [
      {
        ChannelName: 'model',
        DataSource: {
          S3DataSource: {
            S3DataType: 'S3Prefix',
            S3Uri: uri,
            S3DataDistributionType: 'FullyReplicated',
            ModelAccessConfig: { AcceptEula: true },
          },
        },
        ContentType: 'application/x-sagemaker-model',
        InputMode: 'File',
      },
    ],
  };
}

const channel = (ChannelName: string, S3Uri: string): Channel => ({
  ChannelName,
  DataSource: {
    S3DataSource: { S3DataType: 'S3Prefix' as const, S3Uri, S3DataDistributionType: 'FullyReplicated' as const },
  },
});

/** The types in order of preference, one count for the job (`ResourceConfig.InstanceCount`). */
function instancePreferences(types: string[]): InstancePreference[] {
  return types.map((type) => ({ InstanceType: type as TrainingInstanceType }));
}

/** The construct's own tags, as SageMaker takes them. */
export function userTags(p: TrainingJobProperties): { Key: string; Value: string }[] {
  return Object.entries(p.Tags ?? {}).map(([Key, Value]) => ({ Key, Value }));
}

/** The CreateTrainingJob request JumpStart's estimator makes for these inputs. */
export function createTrainingJobRequest(
  p: TrainingJobProperties,
  jobName: string,
  region: string,
): CreateTrainingJobRequest {
  const compressed = p.DisableOutputCompression !== 'true';
  const weights = gatedWeights(p.GatedWeightsUri, p.GatedWeightsInput);
  return withAdditionalParameters(libraryRequest(p, jobName, region, compressed, weights), p.AdditionalParameters);
}

function libraryRequest(
  p: TrainingJobProperties,
  jobName: string,
  region: string,
  compressed: boolean,
  weights: ReturnType<typeof gatedWeights>,
): CreateTrainingJobRequest {
  return {
    TrainingJobName: jobName,
    RoleArn: p.RoleArn,
    AlgorithmSpecification: {
      TrainingImage: p.TrainingImageUri,
      TrainingInputMode: 'File',
      MetricDefinitions: p.MetricDefinitions,
      EnableSageMakerMetricsTimeSeries: true,
    },
    HyperParameters: {
      ...p.Hyperparameters,
      sagemaker_program: 'transfer_learning.py',
      sagemaker_submit_directory: '/opt/ml/input/data/code/sourcedir.tar.gz',
      sagemaker_container_log_level: '20',
      sagemaker_job_name: jobName,
      sagemaker_region: region,
    },
    InputDataConfig: [
      channel('training', p.TrainingDataUri),
      ...(p.ValidationDataUri ? [channel('validation', p.ValidationDataUri)] : []),
      channel('code', p.TrainingScriptUri),
      ...weights.channels,
    ],
    // The gated base weights: SageMaker fetches them from JumpStart's private bucket once the licence is accepted.
    ...(Object.keys(weights.environment).length > 0 ? { Environment: weights.environment } : {}),
    OutputDataConfig: {
      S3OutputPath: p.OutputPath,
      ...(p.OutputKmsKeyId ? { KmsKeyId: p.OutputKmsKeyId } : {}),
      CompressionType: compressed ? 'GZIP' : 'NONE',
    },
    ResourceConfig: {
      // SageMaker takes the type, or an ordered list of types to choose from by capacity: never both.
      ...(p.FallbackInstanceTypes?.length
        ? { InstancePreferences: instancePreferences([p.InstanceType, ...p.FallbackInstanceTypes]) }
        : { InstanceType: p.InstanceType as TrainingInstanceType }),
      InstanceCount: Number(p.InstanceCount),
      VolumeSizeInGB: Number(p.VolumeSizeInGB),
      ...(p.TrainingPlanArn ? { TrainingPlanArn: p.TrainingPlanArn } : {}),
    },
    StoppingCondition: {
      MaxRuntimeInSeconds: Number(p.MaxRuntimeInSeconds),
      ...(p.MaxPendingTimeInSeconds ? { MaxPendingTimeInSeconds: Number(p.MaxPendingTimeInSeconds) } : {}),
      ...(p.MaxWaitTimeInSeconds ? { MaxWaitTimeInSeconds: Number(p.MaxWaitTimeInSeconds) } : {}),
    },
    // Spot: SageMaker syncs /opt/ml/checkpoints with the job's own prefix, so a resumed attempt finds them.
    ...(p.MaxWaitTimeInSeconds
      ? {
          EnableManagedSpotTraining: true,
          CheckpointConfig: { S3Uri: `${withoutTrailingSlash(p.OutputPath)}/${jobName}/checkpoints/` },
        }
      : {}),
    ...(p.MaxRetryAttempts ? { RetryStrategy: { MaximumRetryAttempts: Number(p.MaxRetryAttempts) } } : {}),
    EnableNetworkIsolation: true,
    EnableInterContainerTrafficEncryption: true,
    // The construct gives a job in a VPC its security groups (its own, or the caller's).
    ...(p.SubnetIds?.length ? { VpcConfig: { Subnets: p.SubnetIds, SecurityGroupIds: p.SecurityGroupIds! } } : {}),
    Tags: [
      { Key: 'sagemaker-sdk:jumpstart-model-id', Value: p.ModelId },
      { Key: 'sagemaker-sdk:jumpstart-model-version', Value: p.ModelVersion },
      ...userTags(p),
      { Key: WAIT_OWNER_TAG, Value: waitOwner(p.WaitId) },
    ],
  };
}
