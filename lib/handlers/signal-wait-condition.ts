/**
 * EventBridge target for "SageMaker Training Job State Change": when the job
 * ends, signals the wait condition it belongs to, with SageMaker's own reason when
 * it did not complete. Other state changes are logged as progress. A job whose
 * owner tag names another wait (another stack, another construct, a superseded
 * attempt) is ignored.
 */
import { ListTagsCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { putJson } from './shared/cfn-response';
import { TrainingJobStateChange, signalFor } from './shared/wait-signal';
import { ownerFromTags, waitOwner } from './shared/wait-ownership';

export { signalFor };

export interface SignalEvent {
  /** The wait condition handle's presigned URL. */
  readonly handleUrl: string;
  /** `<stack id>/<handle logical id>`: the wait whose jobs this target may signal. */
  readonly waitId: string;
  readonly detail: TrainingJobStateChange;
}

const sagemaker = new SageMakerClient({ maxAttempts: 10, retryMode: 'adaptive' });

/** The job's current owner tag, read from SageMaker rather than the event: a re-tag after the event counts. */
async function ownerOf(jobArn: string): Promise<string | undefined> {
  const { Tags } = await sagemaker.send(new ListTagsCommand({ ResourceArn: jobArn }));
  return ownerFromTags(Tags);
}

export async function handler(event: SignalEvent): Promise<void> {
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
  await putJson(event.handleUrl, signal);
  console.log(JSON.stringify({ ...log, signal: signal.Status }));
}
