/**
 * EventBridge target for "SageMaker Training Job State Change": when the job
 * ends, signals the stack's wait condition, with SageMaker's own reason when it
 * did not complete. Other state changes are logged as progress.
 */
import { putJson, truncateReason } from './shared/cfn-response';

export interface TrainingJobStateChange {
  readonly TrainingJobName: string;
  readonly TrainingJobStatus: string;
  readonly SecondaryStatus?: string;
  readonly FailureReason?: string;
  readonly ModelArtifacts?: { S3ModelArtifacts?: string };
}

export interface SignalEvent {
  readonly handleUrl: string;
  readonly detail: TrainingJobStateChange;
}

export function signalFor(detail: TrainingJobStateChange): { Status: 'SUCCESS' | 'FAILURE'; Reason: string; UniqueId: string; Data: string } | undefined {
  const { TrainingJobName: name, TrainingJobStatus: status, SecondaryStatus: secondary, FailureReason: reason } = detail;
  if (status === 'Completed') {
    return { Status: 'SUCCESS', Reason: `Training job ${name} completed`, UniqueId: name, Data: detail.ModelArtifacts?.S3ModelArtifacts ?? '' };
  }
  if (status === 'Failed' || status === 'Stopped') {
    const why = reason ?? (secondary === 'MaxRuntimeExceeded' ? 'it reached its maximum runtime' : 'it was stopped');
    return { Status: 'FAILURE', Reason: truncateReason(`Training job ${name} ${status.toLowerCase()}${secondary && secondary !== status ? ` (${secondary})` : ''}: ${why}`), UniqueId: name, Data: '' };
  }
  return undefined;
}

export async function handler(event: SignalEvent): Promise<void> {
  const signal = signalFor(event.detail);
  console.log(JSON.stringify({ job: event.detail.TrainingJobName, status: event.detail.TrainingJobStatus, secondaryStatus: event.detail.SecondaryStatus, signal: signal?.Status }));
  if (signal) await putJson(event.handleUrl, signal);
}
