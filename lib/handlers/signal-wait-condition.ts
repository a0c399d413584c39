/**
 * The deploy's wait for a training job, a chain of wait conditions kept by three kinds of event:
 * - EventBridge's "SageMaker Training Job State Change": when the job ends, the current wait
 *   is signalled, with SageMaker's own reason when it did not complete. Other state changes
 *   are logged as progress.
 * - the hourly tick of a chain longer than one wait: while the job runs, the current wait is
 *   handed to the next when it is due (a SUCCESS signal before its 12-hour timeout); once the
 *   job has ended, the current wait is signalled (in case its event was lost) and the tick
 *   switches itself off, so nothing keeps firing.
 * - `Custom::TrainingWaitSegment`, created with each later wait's handle, before that wait:
 *   if the job has ended by then, the new handle gets the end at once, so a chain whose job
 *   ended early completes in seconds per remaining wait.
 * Every decision is taken from the job as SageMaker describes it now, not from the event.
 * A job whose owner tag names another wait (another stack, another construct, a
 * superseded attempt) is ignored.
 */
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { DisableRuleCommand, EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { DescribeTrainingJobResponse, ListTagsCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { CustomResourceEvent, CustomResourceResult, respond } from './shared/cfn-response';
import { describeTrainingJob } from './shared/describe-job';
import { FINISHED } from './shared/training-request';
import { WaitHandles, currentHandle } from './shared/wait-handles';
import { TrainingJobStateChange, WaitSignal, signalFor, signalHandle } from './shared/wait-signal';
import { ownerFromTags, waitOwner } from './shared/wait-ownership';

export { signalFor };

interface WaitEvent extends WaitHandles {
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

/** The properties of `Custom::TrainingWaitSegment`, created with the handle of a later wait of the chain. */
export interface WaitSegmentProperties {
  /** The new handle's presigned URL. */
  readonly HandleUrl: string;
  /** Which wait of the chain it is, counted from 1. */
  readonly Segment: string;
  readonly JobName: string;
  readonly JobArn: string;
  readonly WaitId: string;
}

export type SignalEvent = StateChangeEvent | TickEvent | CustomResourceEvent<WaitSegmentProperties>;

const sagemaker = new SageMakerClient({ maxAttempts: 10, retryMode: 'adaptive' });
const eventBridge = new EventBridgeClient({ maxAttempts: 10, retryMode: 'adaptive' });
const cloudFormation = new CloudFormationClient({ maxAttempts: 10, retryMode: 'adaptive' });

/** Whether the job is this wait's, by its current owner tag (read from SageMaker: a re-tag after an event counts). */
async function isOwnJob(jobArn: string, waitId: string): Promise<boolean> {
  const { Tags } = await sagemaker.send(new ListTagsCommand({ ResourceArn: jobArn }));
  return ownerFromTags(Tags) === waitOwner(waitId);
}

/** The job as SageMaker describes it now (its owner tag was just read, so it exists). */
async function describeJob(name: string): Promise<DescribeTrainingJobResponse & TrainingJobStateChange> {
  const job = (await describeTrainingJob(sagemaker, name))!;
  return { ...job, TrainingJobName: name, TrainingJobStatus: job.TrainingJobStatus! };
}

async function stopTicking(ruleName: string): Promise<void> {
  try {
    await eventBridge.send(new DisableRuleCommand({ Name: ruleName }));
  } catch (error) {
    // A chain of one wait has no tick, and a job that ends before its tick exists is ticked once, then disabled.
    if ((error as Error).name !== 'ResourceNotFoundException') throw error;
  }
}

/**
 * The job has ended: the current wait gets its end (each later one gets it from its segment
 * resource when CloudFormation creates it), and the tick has nothing left to do.
 */
async function endWait(event: WaitEvent, signal: WaitSignal, now: Date): Promise<number | undefined> {
  const current = await currentHandle(cloudFormation, event);
  // A late event or tick of a wait that ended days ago finds an expired handle: nothing to signal.
  const signalled = current && (await signalHandle(current.url, signal, now));
  await stopTicking(event.tickRuleName);
  return signalled ? current.segment + 1 : undefined;
}

/** Ends the wait of a job that has ended; returns what it did, for the log. */
async function settle(event: WaitEvent, job: TrainingJobStateChange, now: Date): Promise<Record<string, unknown>> {
  const signal = signalFor(job);
  if (!signal) return { currentStatus: job.TrainingJobStatus };
  return { signal: signal.Status, wait: await endWait(event, signal, now), of: event.handleIds.length };
}

async function onStateChange(event: StateChangeEvent, now: Date): Promise<void> {
  const { detail } = event;
  const log = {
    job: detail.TrainingJobName,
    status: detail.TrainingJobStatus,
    secondaryStatus: detail.SecondaryStatus,
  };
  if (!signalFor(detail)) {
    console.log(JSON.stringify(log));
    return;
  }
  // SageMaker's state-change events always carry the job's ARN.
  if (!(await isOwnJob(detail.TrainingJobArn!, event.waitId))) {
    // Another wait's job (or an attempt this wait gave up on): not ours to signal.
    console.log(JSON.stringify({ ...log, ignored: 'the job belongs to another wait condition' }));
    return;
  }
  const job = await describeJob(detail.TrainingJobName);
  console.log(JSON.stringify({ ...log, ...(await settle(event, job, now)) }));
}

async function onTick(event: TickEvent, now: Date): Promise<void> {
  const { jobName, jobArn, segmentPeriodSeconds } = event.tick;
  if (!(await isOwnJob(jobArn, event.waitId))) {
    console.log(JSON.stringify({ job: jobName, ignored: 'the job belongs to another wait condition' }));
    await stopTicking(event.tickRuleName);
    return;
  }
  const job = await describeJob(jobName);
  if (FINISHED.includes(job.TrainingJobStatus)) {
    console.log(JSON.stringify({ job: jobName, ...(await settle(event, job, now)) }));
    return;
  }
  const elapsedSeconds = (now.getTime() - (job.CreationTime ?? now).getTime()) / 1000;
  const hours = Math.floor(elapsedSeconds / 3600);
  const current = await currentHandle(cloudFormation, event);
  // Wait k (counted from 0) is handed over k+1 periods after the job was created; the last one never is.
  const due = current && current.segment < Math.floor(elapsedSeconds / segmentPeriodSeconds);
  if (current && due && current.segment < event.handleIds.length - 1) {
    await signalHandle(
      current.url,
      {
        Status: 'SUCCESS',
        Reason: `Training job ${job.TrainingJobName} is still ${job.SecondaryStatus ?? job.TrainingJobStatus} after ${hours} h; wait ${current.segment + 2} of ${event.handleIds.length} takes over`,
        UniqueId: `running-${current.segment + 1}`,
        Data: '',
      },
      now,
    );
  }
  console.log(
    JSON.stringify({
      job: job.TrainingJobName,
      status: job.SecondaryStatus,
      hours,
      wait: current && current.segment + 1,
      handedOver: !!due,
    }),
  );
}

/** A later wait's handle exists and its wait is about to be created: a chain that has already ended signals it now. */
async function onSegment(
  event: CustomResourceEvent<WaitSegmentProperties>,
): Promise<CustomResourceResult<Record<string, string>>> {
  const p = event.ResourceProperties;
  const physicalResourceId = event.PhysicalResourceId ?? `${event.LogicalResourceId}-${p.Segment}`;
  if (event.RequestType === 'Delete' || !(await isOwnJob(p.JobArn, p.WaitId))) return { physicalResourceId };
  const job = await describeJob(p.JobName);
  const signal = signalFor(job);
  if (signal) await signalHandle(p.HandleUrl, signal);
  console.log(
    JSON.stringify({
      job: job.TrainingJobName,
      status: job.TrainingJobStatus,
      wait: p.Segment,
      signal: signal?.Status,
    }),
  );
  return {
    physicalResourceId,
    reason: signal?.Reason ?? `Training job ${job.TrainingJobName} is ${job.SecondaryStatus ?? job.TrainingJobStatus}`,
  };
}

export async function handler(event: SignalEvent, now: Date = new Date()): Promise<void> {
  if ('RequestType' in event) return respond(event, onSegment);
  return 'tick' in event ? onTick(event, now) : onStateChange(event, now);
}
