import { CloudFormationClient, ListStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import { AwsClientStub } from 'aws-sdk-client-mock';
import { handler } from '../../lib/handlers/signal-wait-condition';
import { ResponseRecorder } from './response-recorder';

const HOUR = 3_600_000;
/** How long a wait condition handle's presigned URL is valid (`X-Amz-Expires=86399`). */
const URL_LIFETIME = 24 * HOUR;

export type ChainOutcome =
  | { status: 'completed'; wait: number; at: Date }
  | { status: 'failed'; wait: number; at: Date; reason: string }
  | { status: 'timed out'; wait: number; at: Date };

/**
 * CloudFormation's side of a chain of wait conditions, as the template declares it: wait 1's
 * handle exists from the start; when wait k completes, handle k+1 is created, then its
 * `Custom::TrainingWaitSegment` (run through the real handler), then wait k+1, which counts
 * the signals its handle already has. A wait with no signal by its timeout times the chain
 * out; a FAILURE signal fails it. A signal to a handle more than 24 hours old is an error
 * (its URL has expired). `advance(now)` plays what CloudFormation does after each event.
 */
export class SimulatedWaitChain {
  public outcome?: ChainOutcome;
  /** Invocations of the segment resource's handler. */
  public segmentInvocations = 0;
  public readonly handleIds: string[];
  private readonly createdAt: number[];
  private readonly seen: number[];

  constructor(
    private readonly recorder: ResponseRecorder,
    private readonly baseUrl: string,
    cloudFormation: AwsClientStub<CloudFormationClient>,
    private readonly timeouts: number[],
    private readonly job: { jobName: string; jobArn: string; waitId: string },
    start: Date,
  ) {
    this.handleIds = timeouts.map((_, i) => `FineTuningJobWaitHandleaaaa0001${i === 0 ? '' : `Segment${i + 1}`}`);
    this.createdAt = [start.getTime()];
    this.seen = timeouts.map(() => 0);
    cloudFormation.on(ListStackResourcesCommand).callsFake(() => ({
      StackResourceSummaries: this.createdAt.map((_, i) => ({
        LogicalResourceId: this.handleIds[i],
        PhysicalResourceId: this.urlOf(i),
        ResourceType: 'AWS::CloudFormation::WaitConditionHandle',
        ResourceStatus: 'CREATE_COMPLETE',
      })),
    }));
  }

  /** What the rules tell the signal function about this wait. */
  public get input() {
    return {
      stackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/Dev/1111',
      handleIds: this.handleIds,
      waitId: this.job.waitId,
      tickRuleName: 'ft-llama-3-8b-aaaa0001-wait-tick',
    };
  }

  /** The wait CloudFormation is in, counted from 1. */
  public get currentWait(): number {
    return this.createdAt.length;
  }

  /** What wait `wait`'s segment resource answered CloudFormation (waits 2 on). */
  public segmentResponse(wait: number): any {
    return this.recorder.byPath.get(`/segment-${wait}`)?.at(-1);
  }

  public signalsOf(wait: number): any[] {
    return this.recorder.byPath.get(`/handle-${wait}`) ?? [];
  }

  public async advance(now: Date): Promise<void> {
    this.checkFreshness(now);
    while (!this.outcome) {
      const i = this.createdAt.length - 1;
      const signals = this.signalsOf(i + 1);
      const failure = signals.find((s) => s.Status === 'FAILURE');
      if (failure) {
        this.outcome = { status: 'failed', wait: i + 1, at: now, reason: failure.Reason };
      } else if (signals.length === 0) {
        if (now.getTime() - this.createdAt[i] > this.timeouts[i] * 1000) {
          this.outcome = { status: 'timed out', wait: i + 1, at: now };
        }
        return;
      } else if (i === this.timeouts.length - 1) {
        this.outcome = { status: 'completed', wait: i + 1, at: now };
      } else {
        await this.createNext(now);
      }
    }
  }

  private async createNext(now: Date): Promise<void> {
    const next = this.createdAt.length; // 0-based index of the handle to create
    this.createdAt.push(now.getTime());
    await handler({
      RequestType: 'Create',
      ResponseURL: `${this.baseUrl}/segment-${next + 1}`,
      StackId: this.input.stackId,
      RequestId: `request-${next + 1}`,
      LogicalResourceId: `FineTuningJobWaitSegmentaaaa0001Segment${next + 1}`,
      ResourceType: 'Custom::TrainingWaitSegment',
      ResourceProperties: {
        HandleUrl: this.urlOf(next),
        Segment: String(next + 1),
        JobName: this.job.jobName,
        JobArn: this.job.jobArn,
        WaitId: this.job.waitId,
      },
    });
    this.segmentInvocations++;
    const response = this.segmentResponse(next + 1);
    if (response?.Status !== 'SUCCESS') throw new Error(`segment ${next + 1} failed: ${JSON.stringify(response)}`);
    this.checkFreshness(now);
  }

  /** Every signal sent since the last look went to a handle whose URL was still valid. */
  private checkFreshness(now: Date): void {
    this.timeouts.forEach((_, i) => {
      const count = this.signalsOf(i + 1).length;
      if (count > this.seen[i]) {
        const created = this.createdAt[i];
        if (created === undefined) throw new Error(`wait ${i + 1}'s handle was signalled before it existed`);
        if (now.getTime() - created > URL_LIFETIME) {
          throw new Error(
            `wait ${i + 1}'s handle was signalled ${(now.getTime() - created) / HOUR} h after it was created`,
          );
        }
        this.seen[i] = count;
      }
    });
  }

  private urlOf(i: number): string {
    return `${this.baseUrl}/handle-${i + 1}`;
  }
}
