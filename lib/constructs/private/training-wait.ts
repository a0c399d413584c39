import { Aws, CfnWaitCondition, CfnWaitConditionHandle, Duration, Fn, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IDependable } from 'constructs';
import { JobNaming } from './job-naming';
import { MAX_WAIT } from './training-limits';
import { waitSignaller } from './wait-signaller';
import { acknowledgeWildcardResources } from '../nag-acknowledgements';

/**
 * The deploy's wait for a training job: a wait condition handle and an EventBridge rule
 * that signals it when a job of this prefix ends, created before the job starts so no
 * state change is missed; the wait condition itself follows the job.
 */
export class TrainingWait {
  /** Presigned URL of the handle. */
  public readonly handleUrl: string;
  /** `<stack id>/<handle logical id>`: jobs are tagged with its hash and only their end signals the handle. */
  public readonly waitId: string;
  /** In alarm when a job's end could not be signalled (one per stack). */
  public readonly signalFailureAlarm: cloudwatch.Alarm;
  /** What must exist before the job starts. */
  public readonly prerequisites: IDependable[];

  constructor(
    private readonly scope: Construct,
    private readonly naming: JobNaming,
    jobArns: string,
  ) {
    const handle = new CfnWaitConditionHandle(scope, `WaitHandle${naming.hash}`);
    this.handleUrl = handle.ref;
    this.waitId = Fn.join('/', [Aws.STACK_ID, handle.logicalId]);
    const signaller = waitSignaller(scope);
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
          handleUrl: this.handleUrl,
          waitId: this.waitId,
          detail: events.EventField.fromPath('$.detail'),
        }),
        deadLetterQueue: signaller.deadLetterQueue,
      }),
    );
    signaller.function.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['sagemaker:ListTags'], resources: [jobArns] }),
    );
    acknowledgeWildcardResources(
      signaller.function.role!,
      [jobArns],
      `Training jobs named ${naming.prefix}-*: the handler reads their owner tag.`,
    );
    this.prerequisites = [rule, handle];
  }

  /** The wait condition, after the resource that starts the job; it waits at most 12 hours. */
  public waitFor(job: IDependable, timeout: Duration): CfnWaitCondition {
    const wait = new CfnWaitCondition(this.scope, `WaitForTraining${this.naming.hash}`, {
      handle: this.handleUrl,
      count: 1,
      timeout: String(Math.min(timeout.toSeconds(), MAX_WAIT.toSeconds())),
    });
    wait.node.addDependency(job);
    return wait;
  }
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
