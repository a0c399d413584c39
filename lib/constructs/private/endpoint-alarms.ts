import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';

/** The thresholds of an endpoint's alarms. */
export interface EndpointAlarmThresholds {
  /** 5xx errors in 5 minutes. */
  readonly serverErrorThreshold?: number;
  /** p90 model latency held for 15 minutes. */
  readonly latencyThreshold?: Duration;
}

/** What the alarms watch: the endpoint's 5xx count (summed) and p90 model latency (microseconds), per 5 minutes. */
export interface EndpointAlarmMetrics {
  readonly serverErrors: cloudwatch.IMetric;
  readonly latency: cloudwatch.IMetric;
}

/**
 * The endpoint's two alarms, 5xx errors and model latency: the same pair whether the monitoring
 * makes them for an imported endpoint or the endpoint makes them to roll back a bad update with.
 * `namePrefix` names them (SageMaker's rollback configuration names its alarms).
 */
export function endpointAlarms(
  scope: Construct,
  metrics: EndpointAlarmMetrics,
  thresholds: EndpointAlarmThresholds,
  ids: { serverErrors: string; latency: string },
  namePrefix?: string,
): cloudwatch.Alarm[] {
  const errors = thresholds.serverErrorThreshold ?? 5;
  const latency = thresholds.latencyThreshold ?? Duration.seconds(30);
  return [
    new cloudwatch.Alarm(scope, ids.serverErrors, {
      alarmName: namePrefix && `${namePrefix}-server-errors`,
      alarmDescription: `The fine-tuned model answered ${errors} or more requests with 5xx errors in 5 minutes`,
      metric: metrics.serverErrors,
      threshold: errors,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    }),
    new cloudwatch.Alarm(scope, ids.latency, {
      alarmName: namePrefix && `${namePrefix}-model-latency`,
      alarmDescription: `Model latency p90 above ${latency.toSeconds({ integral: false })} s for 15 minutes`,
      metric: metrics.latency,
      // ModelLatency is in microseconds; a threshold under a second (Duration.millis(500)) is one too.
      threshold: latency.toMilliseconds({ integral: false }) * 1_000,
      evaluationPeriods: 3,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    }),
  ];
}
