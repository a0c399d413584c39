import type {
  CreateTrainingJobRequest,
  DescribeTrainingJobResponse,
  SageMakerClient,
  Tag,
  TrainingInstanceType,
} from '@aws-sdk/client-sagemaker';
import { describeTrainingJob } from './describe-job';
import type { GatedWeightsInput } from './hub-content';
import { gatedWeights } from './training-request';
import { WaitSignal, signalFor } from './wait-signal';

/**
 * Another instance type to train on when a job fails with SageMaker's capacity error, with
 * what changes with the instance type: the volume size and JumpStart's image and gated
 * weights for its instance family. The template computes these; a job's other settings
 * are the failed job's own.
 */
export interface InstanceChoice {
  readonly InstanceType: string;
  readonly VolumeSizeInGB: string;
  readonly TrainingImageUri: string;
  readonly GatedWeightsUri: string;
  /** How the job receives them (the family's environment variable, or a `model` channel). */
  readonly GatedWeightsInput?: GatedWeightsInput;
}

/** The k-th fallback's job name (k from 1): the first job's name and `-fb<k>` (k is a single digit). */
export function fallbackJobName(firstJobName: string, k: number): string {
  return `${firstJobName}-fb${k}`;
}

/** The name of the first job of a job's chain (no first job's name ends in `-fb<digit>`: see trainingJobName). */
export function firstOfChain(jobName: string): string {
  return jobName.replace(/-fb\d$/, '');
}

/** The names of a chain of jobs: the first job's, then one per fallback. */
export function chainNames(firstJobName: string, fallbackCount: number): string[] {
  return [firstJobName, ...Array.from({ length: fallbackCount }, (_, i) => fallbackJobName(firstJobName, i + 1))];
}

/** Whether a job ended because SageMaker could not provision its instances. */
export function isCapacityFailure(job: { TrainingJobStatus?: string; FailureReason?: string }): boolean {
  return job.TrainingJobStatus === 'Failed' && /CapacityError|InsufficientCapacity/.test(job.FailureReason ?? '');
}

/**
 * The jobs of a chain that exist, in order: a fallback job exists only after the one before
 * failed for capacity.
 */
export async function describeChain(
  sagemaker: SageMakerClient,
  firstJobName: string,
  fallbackCount: number,
): Promise<DescribeTrainingJobResponse[]> {
  const jobs: DescribeTrainingJobResponse[] = [];
  for (const name of chainNames(firstJobName, fallbackCount)) {
    const job = await describeTrainingJob(sagemaker, name);
    if (!job) break;
    jobs.push({ ...job, TrainingJobName: job.TrainingJobName ?? name });
  }
  return jobs;
}

/** How far a chain has come: the job whose end counts, and the next fallback when that job ran out of capacity. */
export function nextFallback(
  jobs: readonly DescribeTrainingJobResponse[],
  fallbacks: readonly InstanceChoice[],
): { name: string; choice: InstanceChoice } | undefined {
  const current = jobs.at(-1);
  const k = jobs.length; // the fallback that would come next, counted from 1
  if (!current || !isCapacityFailure(current) || k > fallbacks.length) return undefined;
  return { name: fallbackJobName(jobs[0].TrainingJobName!, k), choice: fallbacks[k - 1] };
}

/** A note on which instance type a chain's job ran on, for the signal's reason. */
export function instanceNote(jobs: readonly DescribeTrainingJobResponse[]): string {
  const types = jobs.map((j) => j.ResourceConfig?.InstanceType ?? 'an unknown instance type');
  if (types.length <= 1) return '';
  return ` on ${types.at(-1)} (fallback ${types.length - 1}, after capacity errors on ${types.slice(0, -1).join(', ')})`;
}

/**
 * The CreateTrainingJob request of a fallback: the failed job's own request (its
 * description), on the next instance type with that type's image, gated weights and volume,
 * under the fallback's name. A training plan reserves one instance type, so none is carried over.
 */
export function fallbackRequest(
  failed: DescribeTrainingJobResponse,
  tags: readonly Tag[],
  choice: InstanceChoice,
  name: string,
): CreateTrainingJobRequest {
  const spec = failed.AlgorithmSpecification!;
  // The failed job's weights, in whichever form they came, give way to the next type's.
  const weights = gatedWeights(choice.GatedWeightsUri, choice.GatedWeightsInput);
  const { accept_eula: _eula, SageMakerGatedModelS3Uri: _weights, ...environment } = failed.Environment ?? {};
  const Environment = { ...environment, ...weights.environment };
  return {
    TrainingJobName: name,
    RoleArn: failed.RoleArn,
    AlgorithmSpecification: {
      TrainingImage: choice.TrainingImageUri,
      TrainingInputMode: spec.TrainingInputMode,
      MetricDefinitions: spec.MetricDefinitions,
      EnableSageMakerMetricsTimeSeries: spec.EnableSageMakerMetricsTimeSeries,
    },
    HyperParameters: { ...failed.HyperParameters, sagemaker_job_name: name },
    InputDataConfig: [...(failed.InputDataConfig ?? []).filter((c) => c.ChannelName !== 'model'), ...weights.channels],
    ...(Object.keys(Environment).length > 0 ? { Environment } : {}),
    OutputDataConfig: failed.OutputDataConfig,
    ResourceConfig: {
      InstanceType: choice.InstanceType as TrainingInstanceType,
      InstanceCount: failed.ResourceConfig?.InstanceCount ?? 1,
      VolumeSizeInGB: Number(choice.VolumeSizeInGB),
    },
    StoppingCondition: failed.StoppingCondition,
    ...(failed.RetryStrategy ? { RetryStrategy: failed.RetryStrategy } : {}),
    EnableNetworkIsolation: failed.EnableNetworkIsolation,
    EnableInterContainerTrafficEncryption: failed.EnableInterContainerTrafficEncryption,
    ...(failed.VpcConfig ? { VpcConfig: failed.VpcConfig } : {}),
    // AWS's own tags (aws:...) cannot be set by a caller.
    Tags: tags.filter((t) => !t.Key?.startsWith('aws:')),
  };
}

/**
 * The signal a chain's end sends, or undefined while it has not ended: its current job
 * still runs, or failed for capacity with a fallback left to start.
 */
export function chainEnd(jobs: readonly DescribeTrainingJobResponse[], fallbackCount: number): WaitSignal | undefined {
  const current = jobs.at(-1);
  if (!current || (isCapacityFailure(current) && jobs.length <= fallbackCount)) return undefined;
  return signalFor(
    { ...current, TrainingJobName: current.TrainingJobName!, TrainingJobStatus: current.TrainingJobStatus ?? '' },
    { note: instanceNote(jobs) },
  );
}
