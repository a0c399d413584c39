import { Aws, CfnWaitCondition, CfnWaitConditionHandle, CustomResource, Duration, Fn, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IDependable } from 'constructs';
import { JobNaming } from './job-naming';
import { SEGMENT_PERIOD, TICK_PERIOD, chainTimeouts } from './training-limits';
import { WaitSignaller, waitSignaller } from './wait-signaller';
import type { WaitSegmentProperties } from '../../handlers/signal-wait-condition';
import { acknowledgeWildcardResources } from '../nag-acknowledgements';

/**
 * The deploy's wait for a training job: a chain of wait conditions of up to 12 hours each
 * (CloudFormation's limit), each created when the one before completes, for as long as the
 * job may run. The first handle and an EventBridge rule that signals the current wait when a
 * job of this prefix ends exist before the job starts, so no state change is missed. Each
 * later handle is created with its wait, not before: a handle's presigned URL expires 24
 * hours after its creation, so the signal function looks the current one up in the stack.
 * A segment resource between each later handle and its wait signals a job that has already
 * ended. While the job runs, an hourly tick hands the current wait to the next before it
 * would time out; once the job has ended, the tick signals the current wait too (a lost
 * event) and switches itself off.
 */
export class TrainingWait {
  /** Presigned URL of the first wait's handle, which exists before the job starts. */
  public readonly firstHandleUrl: string;
  /** `<stack id>/<first handle logical id>`: jobs are tagged with its hash and only their end signals the chain. */
  public readonly waitId: string;
  /** In alarm when a job's end could not be signalled (one per stack). */
  public readonly signalFailureAlarm: cloudwatch.Alarm;
  /** What must exist before the job starts. */
  public readonly prerequisites: IDependable[];
  /** Name of the hourly rule that checks the running job. */
  public readonly tickRuleName: string;
  private readonly signaller: WaitSignaller;
  private readonly handles: CfnWaitConditionHandle[];
  private readonly timeouts: number[];

  constructor(
    private readonly scope: Construct,
    private readonly naming: JobNaming,
    jobArns: string,
    waitTimeout: Duration,
  ) {
    this.timeouts = chainTimeouts(waitTimeout);
    // The first handle keeps its id (the wait's owner tag is its hash); the others follow it.
    this.handles = this.timeouts.map(
      (_, i) => new CfnWaitConditionHandle(scope, `WaitHandle${naming.hash}${segmentSuffix(i)}`),
    );
    this.firstHandleUrl = this.handles[0].ref;
    this.waitId = Fn.join('/', [Aws.STACK_ID, this.handles[0].logicalId]);
    // One per run (EventBridge's names are at most 64 characters: 40 + 1 + 8 + 1 + 8 + 5).
    this.tickRuleName = `${naming.prefix}-${naming.hash}-tick`;
    this.signaller = waitSignaller(scope);
    const signaller = this.signaller;
    this.signalFailureAlarm = signaller.deadLetterAlarm;
    const rule = new events.Rule(scope, 'JobStateChange', {
      description: `Signals the deploy when training job ${naming.prefix}-* ends`,
      eventPattern: {
        source: ['aws.sagemaker'],
        detailType: ['SageMaker Training Job State Change'],
        detail: { TrainingJobName: events.Match.prefix(`${naming.prefix}-`) },
      },
    });
    // EventBridge's default retry policy (24 hours) is kept: a signal must not be given up early.
    rule.addTarget(
      new targets.LambdaFunction(signaller.function, {
        event: events.RuleTargetInput.fromObject({
          ...this.waitInput(),
          detail: events.EventField.fromPath('$.detail'),
        }),
        deadLetterQueue: signaller.deadLetterQueue,
      }),
    );
    signaller.function.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['sagemaker:ListTags', 'sagemaker:DescribeTrainingJob'],
        resources: [jobArns],
      }),
    );
    // Its own stack's handles only, and by name, not by reference: the rules target this function.
    signaller.function.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['cloudformation:ListStackResources'], resources: [Aws.STACK_ID] }),
    );
    signaller.function.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['events:DisableRule'],
        resources: [
          Stack.of(scope).formatArn({ service: 'events', resource: 'rule', resourceName: this.tickRuleName }),
        ],
      }),
    );
    acknowledgeWildcardResources(
      signaller.function.role!,
      [jobArns],
      `Training jobs named ${naming.prefix}-*: the handler reads their owner tag and status.`,
    );
    this.prerequisites = [rule, this.handles[0]];
  }

  /** What both rules tell the signal function about this wait (the handler's `WaitEvent`). */
  private waitInput() {
    return {
      stackId: Aws.STACK_ID,
      handleIds: this.handles.map((h) => h.logicalId),
      waitId: this.waitId,
      tickRuleName: this.tickRuleName,
    };
  }

  /**
   * The chain of wait conditions after the resource that starts the job, and the hourly
   * tick that hands each to the next while the job runs; returns the last wait.
   */
  public waitFor(job: CustomResource): CfnWaitCondition {
    const signaller = this.signaller;
    const jobName = job.getAttString('TrainingJobName');
    const jobArn = job.getAttString('TrainingJobArn');
    let previous: IDependable = job;
    const waits = this.handles.map((handle, i) => {
      const wait = new CfnWaitCondition(this.scope, `WaitForTraining${this.naming.hash}${segmentSuffix(i)}`, {
        handle: handle.ref,
        count: 1,
        timeout: String(this.timeouts[i]),
      });
      if (i > 0) {
        // Created when the wait before completes, so its URL is fresh for all of its wait.
        handle.node.addDependency(previous);
        const properties: WaitSegmentProperties = {
          HandleUrl: handle.ref,
          Segment: String(i + 1),
          JobName: jobName,
          JobArn: jobArn,
          WaitId: this.waitId,
        };
        const segment = new CustomResource(this.scope, `WaitSegment${this.naming.hash}${segmentSuffix(i)}`, {
          resourceType: 'Custom::TrainingWaitSegment',
          serviceToken: signaller.function.functionArn,
          serviceTimeout: Duration.minutes(5),
          properties,
        });
        segment.node.addDependency(previous);
        wait.node.addDependency(segment);
      } else {
        wait.node.addDependency(previous);
      }
      previous = wait;
      return wait;
    });
    if (waits.length > 1) {
      // Created once the job is started (it names the job); switched off by the handler when the job has ended.
      new events.Rule(this.scope, 'WaitTick', {
        ruleName: this.tickRuleName,
        description: `Hands the deploy's wait for training job ${this.naming.prefix}-* to its next segment while the job runs`,
        schedule: events.Schedule.rate(TICK_PERIOD),
        targets: [
          new targets.LambdaFunction(signaller.function, {
            event: events.RuleTargetInput.fromObject({
              tick: { jobName, jobArn, segmentPeriodSeconds: SEGMENT_PERIOD.toSeconds() },
              ...this.waitInput(),
            }),
            deadLetterQueue: signaller.deadLetterQueue,
          }),
        ],
      });
    }
    return waits[waits.length - 1];
  }
}

/** Logical id suffix of the i-th wait of the chain: none for the first, so a one-wait chain keeps its ids. */
function segmentSuffix(i: number): string {
  return i === 0 ? '' : `Segment${i + 1}`;
}

/** The ARN of a training job, or a pattern of them (SageMaker lowercases names in ARNs). */
export function trainingJobArn(scope: Construct, name: string): string {
  return Stack.of(scope).formatArn({
    service: 'sagemaker',
    resource: 'training-job',
    resourceName: name.toLowerCase(),
  });
}

/** ARNs of the jobs named `<prefix>-*`. */
export function trainingJobArns(scope: Construct, prefix: string): string {
  return trainingJobArn(scope, `${prefix}-*`);
}
