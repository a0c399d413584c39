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

/** A metric of one of SageMaker's namespaces, with a metric kind's own defaults under the caller's options. */
function sageMakerMetric(
  namespace: string,
  dimensionsMap: Record<string, string>,
  metricName: string,
  defaults: cloudwatch.MetricOptions,
  props: cloudwatch.MetricOptions,
): cloudwatch.Metric {
  return new cloudwatch.Metric({ namespace, metricName, dimensionsMap, ...defaults, ...props });
}

/** A metric of a training job's first (only) instance: metric-definition values and utilization alike. */
export function trainingJobMetric(
  trainingJobName: string,
  metricName: string,
  props: cloudwatch.MetricOptions = {},
): cloudwatch.Metric {
  return sageMakerMetric(
    TRAINING_NAMESPACE,
    { Host: `${trainingJobName}/algo-1` },
    metricName,
    { statistic: cloudwatch.Stats.AVERAGE, period: Duration.minutes(1) },
    props,
  );
}

/** An invocation metric of the endpoint's AllTraffic variant. */
export function endpointMetric(
  endpointName: string,
  metricName: string,
  props: cloudwatch.MetricOptions = {},
): cloudwatch.Metric {
  return sageMakerMetric(
    ENDPOINT_NAMESPACE,
    { EndpointName: endpointName, VariantName: VARIANT },
    metricName,
    { period: Duration.minutes(5) },
    props,
  );
}

/** A utilization metric of the endpoint's instances (GPU, GPU memory, CPU, disk). */
export function endpointInstanceMetric(
  endpointName: string,
  metricName: string,
  props: cloudwatch.MetricOptions = {},
): cloudwatch.Metric {
  return sageMakerMetric(
    ENDPOINT_INSTANCE_NAMESPACE,
    { EndpointName: endpointName, VariantName: VARIANT },
    metricName,
    { statistic: cloudwatch.Stats.AVERAGE, period: Duration.minutes(5) },
    props,
  );
}

/**
 * The invocation metrics SageMaker publishes per inference component (dimension
 * `InferenceComponentName`) for requests that name one, as those of a variant are for requests that do not.
 */
export const COMPONENT_INVOCATION_METRICS: readonly string[] = [
  'Invocations',
  'Invocation4XXErrors',
  'Invocation5XXErrors',
  'ModelLatency',
];

/** A metric of an inference component (invocations, latency, NoCapacityInvocationFailures), per minute. */
export function inferenceComponentMetric(
  componentName: string,
  metricName: string,
  props: cloudwatch.MetricOptions = {},
): cloudwatch.Metric {
  return sageMakerMetric(
    ENDPOINT_NAMESPACE,
    { InferenceComponentName: componentName },
    metricName,
    { statistic: cloudwatch.Stats.SUM, period: Duration.minutes(1) },
    props,
  );
}
