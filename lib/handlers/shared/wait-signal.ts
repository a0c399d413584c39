import { putJson, truncateReason } from './cfn-response';

/** The fields of a "SageMaker Training Job State Change" event (and of DescribeTrainingJob) a signal reads. */
export interface TrainingJobStateChange {
  readonly TrainingJobName: string;
  readonly TrainingJobArn?: string;
  readonly TrainingJobStatus: string;
  readonly SecondaryStatus?: string;
  readonly FailureReason?: string;
  readonly ModelArtifacts?: { S3ModelArtifacts?: string };
  /** Managed spot training, and what SageMaker billed of the training time (descriptions only). */
  readonly EnableManagedSpotTraining?: boolean;
  readonly BillableTimeInSeconds?: number;
  readonly TrainingTimeInSeconds?: number;
  /** With instance preferences, the type SageMaker chose once it had capacity. */
  readonly ResourceConfig?: { readonly InstancePreferences?: unknown[]; readonly SelectedInstanceType?: string };
}

/** What spot saved, as SageMaker reports it once the job has ended; empty for on-demand jobs. */
function spotSaving(detail: TrainingJobStateChange): string {
  const { EnableManagedSpotTraining: spot, BillableTimeInSeconds: billed, TrainingTimeInSeconds: trained } = detail;
  if (!spot || billed === undefined || !trained) return '';
  return ` (spot: billed ${billed} s of ${trained} s, ${Math.round((1 - billed / trained) * 100)}% saved)`;
}

/** Which of its preferred instance types SageMaker ran the job on; empty for a job of one type, or none chosen yet. */
function chosenType({ ResourceConfig: resources }: TrainingJobStateChange): string {
  const chosen = resources?.InstancePreferences?.length ? resources.SelectedInstanceType : undefined;
  return chosen ? ` on ${chosen} (SageMaker's choice by capacity)` : '';
}

export interface WaitSignal {
  readonly Status: 'SUCCESS' | 'FAILURE';
  readonly Reason: string;
  /** The job's name: signalling the same end twice counts once. */
  readonly UniqueId: string;
  readonly Data: string;
}

export function signalFor(detail: TrainingJobStateChange): WaitSignal | undefined {
  const note = chosenType(detail);
  const {
    TrainingJobName: name,
    TrainingJobStatus: status,
    SecondaryStatus: secondary,
    FailureReason: reason,
  } = detail;
  if (status === 'Completed') {
    return {
      Status: 'SUCCESS',
      Reason: `Training job ${name}${note} completed${spotSaving(detail)}`,
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

/**
 * When a wait condition handle's presigned URL stops working, read from the URL itself
 * (`X-Amz-Date` plus `X-Amz-Expires`, or a signature version 2 `Expires`); undefined when it
 * says neither.
 */
export function handleExpiry(url: string): Date | undefined {
  const query = new URL(url).searchParams;
  const signed = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(query.get('X-Amz-Date') ?? '');
  const lifetime = Number(query.get('X-Amz-Expires'));
  if (signed && lifetime > 0) {
    const [, y, mo, d, h, mi, sec] = signed.map(Number);
    return new Date(Date.UTC(y, mo - 1, d, h, mi, sec) + lifetime * 1000);
  }
  const expires = Number(query.get('Expires'));
  return expires > 0 ? new Date(expires * 1000) : undefined;
}

/**
 * Signals a wait through its handle. A handle's URL lives 24 hours, and no wait is pending on a
 * handle that old: its wait condition is created minutes after it (once the resources between
 * them are) and waits at most 12 hours. So a signal refused because the URL has expired is
 * logged, not thrown — an update or rollback that adopts a long-finished job, or a late event,
 * must not fail for a wait that ended days ago. Returns whether the signal was sent.
 */
export async function signalHandle(url: string, signal: WaitSignal, now: Date = new Date()): Promise<boolean> {
  try {
    await putJson(url, signal);
    return true;
  } catch (error) {
    const expiry = handleExpiry(url);
    if ((error as { statusCode?: number }).statusCode !== 403 || !expiry || expiry > now) throw error;
    console.log(
      JSON.stringify({
        notSignalled: signal.UniqueId,
        handleExpired: expiry.toISOString(),
        why: 'the handle has expired, so its wait has long ended',
      }),
    );
    return false;
  }
}
