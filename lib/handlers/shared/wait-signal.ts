import { truncateReason } from './cfn-response';

/** The fields of a "SageMaker Training Job State Change" event (and of DescribeTrainingJob) a signal reads. */
export interface TrainingJobStateChange {
  readonly TrainingJobName: string;
  readonly TrainingJobArn?: string;
  readonly TrainingJobStatus: string;
  readonly SecondaryStatus?: string;
  readonly FailureReason?: string;
  readonly ModelArtifacts?: { S3ModelArtifacts?: string };
}

export interface WaitSignalOptions {
  /** Said after the job's name: which instance type it ran on, when it was a fallback. */
  readonly note?: string;
}

export interface WaitSignal {
  readonly Status: 'SUCCESS' | 'FAILURE';
  readonly Reason: string;
  /** The job's name: signalling the same end twice counts once. */
  readonly UniqueId: string;
  readonly Data: string;
}

export function signalFor(
  detail: TrainingJobStateChange,
  { note = '' }: WaitSignalOptions = {},
): WaitSignal | undefined {
  const {
    TrainingJobName: name,
    TrainingJobStatus: status,
    SecondaryStatus: secondary,
    FailureReason: reason,
  } = detail;
  if (status === 'Completed') {
    return {
      Status: 'SUCCESS',
      Reason: `Training job ${name}${note} completed`,
      UniqueId: name,
      Data: detail.ModelArtifacts?.S3ModelArtifacts ?? '',
    };
  }
  if (status === 'Failed' || status === 'Stopped') {
    const why = reason ?? (secondary === 'MaxRuntimeExceeded' ? 'it reached its maximum runtime' : 'it was stopped');
    return {
      Status: 'FAILURE',
      Reason: truncateReason(
        `Training job ${name}${note} ${status.toLowerCase()}${secondary && secondary !== status ? ` (${secondary})` : ''}: ${why}`,
      ),
      UniqueId: name,
      Data: '',
    };
  }
  return undefined;
}
