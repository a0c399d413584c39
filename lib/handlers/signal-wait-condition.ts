/**
 * The deploy's wait for a training job, kept by two kinds of event:
 * - EventBridge's "SageMaker Training Job State Change": when the job ends, every wait of
 *   the chain is signalled, with SageMaker's own reason when it did not complete. Other
 *   state changes are logged as progress.
 * - the hourly tick of a chain longer than one wait: while the job runs, each wait that is
 *   due is handed to the next (a SUCCESS signal before its 12-hour timeout); once the job
 *   has ended, every wait is signalled (in case its event was lost) and the tick switches
 *   itself off, so nothing keeps firing.
 * A job whose owner tag names another wait (another stack, another construct, a
 * superseded attempt) is ignored.
 */
import { DisableRuleCommand, EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { DescribeTrainingJobCommand, ListTagsCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { putJson } from './shared/cfn-response';
import { TrainingJobStateChange, WaitSignal, signalAll, signalFor } from './shared/wait-signal';
import { ownerFromTags, waitOwner } from './shared/wait-ownership';

export { signalFor };

interface WaitEvent {
  /** The chain's wait condition handles' presigned URLs, first to last. */
  readonly handleUrls: string[];
  /** `<stack id>/<first handle logical id>`: the wait whose jobs this target may signal. */
  readonly waitId: string;
  /** The hourly tick rule of this wait, switched off once the job has ended. */
  readonly tickRuleName: string;
}

export interface StateChangeEvent extends WaitEvent {
  readonly detail: TrainingJobStateChange;
}

export interface TickEvent extends WaitEvent {
  readonly tick: { readonly jobName: string; readonly jobArn: string; readonly segmentPeriodSeconds: number };
}

export type SignalEvent = StateChangeEvent | TickEvent;

const sagemaker = new SageMakerClient({ maxAttempts: 10, retryMode: 'adaptive' });
const eventBridge = new EventBridgeClient({ maxAttempts: 10, retryMode: 'adaptive' });

/** The job's current owner tag, read from SageMaker rather than the event: a re-tag after the event counts. */
async function ownerOf(jobArn: string): Promise<string | undefined> {
  const { Tags } = await sagemaker.send(new ListTagsCommand({ ResourceArn: jobArn }));
  return ownerFromTags(Tags);
}

async function stopTicking(ruleName: string): Promise<void> {
  try {
    await eventBridge.send(new DisableRuleCommand({ Name: ruleName }));
  } catch (error) {
    // A chain of one wait has no tick, and a job that ends before its tick exists is ticked once, then disabled.
    if ((error as Error).name !== 'ResourceNotFoundException') throw error;
  }
}

/** The job has ended: every wait of the chain gets its end, and the tick has nothing left to do. */
async function endWait(event: WaitEvent, signal: WaitSignal): Promise<void> {
  await signalAll(event.handleUrls, signal);
  await stopTicking(event.tickRuleName);
}

async function onStateChange(event: StateChangeEvent): Promise<void> {
  const { detail } = event;
  const signal = signalFor(detail);
  const log = {
    job: detail.TrainingJobName,
    status: detail.TrainingJobStatus,
    secondaryStatus: detail.SecondaryStatus,
  };
  if (!signal) {
    console.log(JSON.stringify(log));
    return;
  }
  const owner = detail.TrainingJobArn ? await ownerOf(detail.TrainingJobArn) : undefined;
  if (owner !== waitOwner(event.waitId)) {
    // Another wait's job (or an attempt this wait gave up on): not ours to signal.
    console.log(JSON.stringify({ ...log, ignored: 'the job belongs to another wait condition' }));
    return;
  }
  await endWait(event, signal);
  console.log(JSON.stringify({ ...log, signal: signal.Status, waits: event.handleUrls.length }));
}

async function onTick(event: TickEvent, now: Date): Promise<void> {
  const { jobName, jobArn, segmentPeriodSeconds } = event.tick;
  if ((await ownerOf(jobArn)) !== waitOwner(event.waitId)) {
    console.log(JSON.stringify({ job: jobName, ignored: 'the job belongs to another wait condition' }));
    await stopTicking(event.tickRuleName);
    return;
  }
  const job = await sagemaker.send(new DescribeTrainingJobCommand({ TrainingJobName: jobName }));
  const signal = signalFor({ ...job, TrainingJobName: jobName, TrainingJobStatus: job.TrainingJobStatus ?? '' });
  if (signal) {
    await endWait(event, signal);
    console.log(JSON.stringify({ job: jobName, status: job.TrainingJobStatus, signal: signal.Status, ended: true }));
    return;
  }
  const elapsedSeconds = (now.getTime() - (job.CreationTime ?? now).getTime()) / 1000;
  const hours = Math.floor(elapsedSeconds / 3600);
  // Waits due for hand-over: one per period since the job was created; never the last, which has no successor.
  const due = Math.min(Math.floor(elapsedSeconds / segmentPeriodSeconds), event.handleUrls.length - 1);
  for (let segment = 0; segment < due; segment++) {
    await putJson(event.handleUrls[segment], {
      Status: 'SUCCESS',
      Reason: `Training job ${jobName} is still ${job.SecondaryStatus ?? job.TrainingJobStatus} after ${hours} h; wait ${segment + 2} of ${event.handleUrls.length} takes over`,
      UniqueId: `running-${segment + 1}`,
      Data: '',
    });
  }
  console.log(JSON.stringify({ job: jobName, status: job.SecondaryStatus, hours, handedOver: due }));
}

export async function handler(event: SignalEvent, now: Date = new Date()): Promise<void> {
  return 'tick' in event ? onTick(event, now) : onStateChange(event);
}
