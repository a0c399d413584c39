import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { handlerFunction } from '../handler-function';
import { acknowledgeRules } from '../nag-acknowledgements';

/** The stack's signal function, and where the signals it could not send end up. */
export interface WaitSignaller {
  readonly function: lambda.Function;
  /** Events EventBridge could not deliver and invocations that failed after Lambda's retries. */
  readonly deadLetterQueue: sqs.Queue;
  /** In alarm while a signal waits in the dead-letter queue: a deploy is waiting for it. */
  readonly deadLetterAlarm: cloudwatch.Alarm;
}

/**
 * The Lambda function that signals wait conditions when training jobs end, one per
 * stack, with a dead-letter queue and an alarm on it: a lost signal shows up within
 * minutes instead of as a wait that times out after hours.
 */
export function waitSignaller(scope: Construct): WaitSignaller {
  const stack = Stack.of(scope);
  const fn = handlerFunction(
    scope,
    'signal-wait-condition',
    'Signals the fine-tuning wait condition when the training job ends',
  );
  const container = fn.node.scope as Construct;
  const existing = container.node.tryFindChild('DeadLetters') as sqs.Queue | undefined;
  if (existing) {
    return {
      function: fn,
      deadLetterQueue: existing,
      deadLetterAlarm: container.node.findChild('DeadLettersAlarm') as cloudwatch.Alarm,
    };
  }
  const deadLetterQueue = new sqs.Queue(container, 'DeadLetters', {
    // SQS-managed keys: EventBridge cannot send to a queue encrypted with the AWS-managed KMS key.
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
    // Declared a dead-letter queue (AWS Control Tower's CT.SQS.PR.1 asks a queue to have one or
    // be one). allowAll is what SQS does without the policy; EventBridge and Lambda send to it as
    // a destination, which the policy does not govern either way.
    redriveAllowPolicy: { redrivePermission: sqs.RedrivePermission.ALLOW_ALL },
  });
  Validations.of(deadLetterQueue).acknowledge({
    id: 'AwsSolutions-SQS3',
    reason: 'This queue is itself the dead-letter queue of the signal function and its EventBridge targets.',
  });
  // EventBridge's own retry policy (24 hours, 185 attempts) stays; only what it gives up on lands here.
  fn.configureAsyncInvoke({ onFailure: new destinations.SqsDestination(deadLetterQueue), retryAttempts: 2 });
  const deadLetterAlarm = deadLetterQueue
    .metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' })
    .createAlarm(container, 'DeadLettersAlarm', {
      alarmDescription:
        `A training job's end could not be signalled to its wait condition in stack ${stack.stackName}; ` +
        'the message in the dead-letter queue names the job. The deploy waits until the wait condition times out.',
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  acknowledgeRules(deadLetterAlarm, {
    'NIST.800.53.R5-CloudWatchAlarmAction':
      'It notifies through the alarm topic when one is given (FineTuningMonitoring alarmTopic, ' +
      "or the stack's alarmEmail); without one it shows in the console.",
  });
  return { function: fn, deadLetterQueue, deadLetterAlarm };
}
