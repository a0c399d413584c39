import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';

/**
 * Where SageMaker publishes the metrics this library watches. Training jobs:
 * the metric definitions' values and instance utilization per host; endpoints:
 * invocation metrics and instance utilization per variant.
 */
const TRAINING_NAMESPACE = '/aws/sagemaker/TrainingJobs';
const ENDPOINT_NAMESPACE = 'AWS/SageMaker';
const ENDPOINT_INSTANCE_NAMESPACE = '/aws/sagemaker/Endpoints';
const VARIANT = 'AllTraffic';

/** A metric of a training job's first (only) instance: metric-definition values and utilization alike. */
export function trainingJobMetric(
  trainingJobName: string,
  metricName: string,
  props: cloudwatch.MetricOptions = {},
): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: TRAINING_NAMESPACE,
    metricName,
    dimensionsMap: { Host: `${trainingJobName}/algo-1` },
    statistic: cloudwatch.Stats.AVERAGE,
    period: Duration.minutes(1),
    ...props,
  });
}

/** An invocation metric of the endpoint's AllTraffic variant. */
export function endpointMetric(
  endpointName: string,
  metricName: string,
  props: cloudwatch.MetricOptions = {},
): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: ENDPOINT_NAMESPACE,
    metricName,
    dimensionsMap: { EndpointName: endpointName, VariantName: VARIANT },
    period: Duration.minutes(5),
    ...props,
  });
}

/** A utilization metric of the endpoint's instances (GPU, GPU memory, CPU, disk). */
export function endpointInstanceMetric(
  endpointName: string,
  metricName: string,
  props: cloudwatch.MetricOptions = {},
): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: ENDPOINT_INSTANCE_NAMESPACE,
    metricName,
    dimensionsMap: { EndpointName: endpointName, VariantName: VARIANT },
    statistic: cloudwatch.Stats.AVERAGE,
    period: Duration.minutes(5),
    ...props,
  });
}

/** A metric of an inference component (invocations, latency, NoCapacityInvocationFailures), per minute. */
export function inferenceComponentMetric(
  componentName: string,
  metricName: string,
  props: cloudwatch.MetricOptions = {},
): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: ENDPOINT_NAMESPACE,
    metricName,
    dimensionsMap: { InferenceComponentName: componentName },
    statistic: cloudwatch.Stats.SUM,
    period: Duration.minutes(1),
    ...props,
  });
}
