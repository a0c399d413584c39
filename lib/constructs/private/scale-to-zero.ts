import { Duration } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { Construct } from 'constructs';
import { inferenceComponentMetric } from '../../monitoring/sagemaker-metrics';

/** An endpoint that serves through an inference component and scales it to zero copies (and instances) when idle. */
export interface ScaleToZero {
  /**
   * Most instances (one copy of the model each) under load.
   * @default 1
   */
  readonly maxInstances?: number;
  /**
   * Copies of the model when the deploy ends; 0 starts the endpoint idle.
   * @default 1
   */
  readonly initialCopies?: number;
  /**
   * Invocations per copy per minute the target-tracking policy holds; below it, copies are
   * removed, down to none when there is no traffic.
   * @default 10 - generation takes seconds per request, so few requests fill a copy
   */
  readonly targetInvocationsPerCopy?: number;
  /**
   * Least time between two scale-ins (the last copy goes after about 15 idle minutes,
   * target tracking's own scale-in alarm, plus this).
   * @default Duration.minutes(15)
   */
  readonly scaleInCooldown?: Duration;
}

/** The endpoint config's variant when its models are inference components: instances scale with them, down to 0. */
export function managedVariant(
  instanceType: string,
  options: ScaleToZero,
): sagemaker.CfnEndpointConfig.ProductionVariantProperty {
  return {
    variantName: 'AllTraffic',
    instanceType,
    initialInstanceCount: 1,
    managedInstanceScaling: { status: 'ENABLED', minInstanceCount: 0, maxInstanceCount: options.maxInstances ?? 1 },
    routingConfig: { routingStrategy: 'LEAST_OUTSTANDING_REQUESTS' },
  };
}

/**
 * Scaling as AWS documents it for scale to zero: a scalable target on the component's copy
 * count from 0, target tracking on invocations per copy (which scales in to 0 when idle), and
 * a step-scaling policy that adds a copy when a request finds no capacity.
 */
export function scaleComponent(
  scope: Construct,
  componentName: string,
  dependsOn: Construct,
  options: ScaleToZero,
): cloudwatch.Alarm {
  const target = new appscaling.ScalableTarget(scope, 'CopyScaling', {
    serviceNamespace: appscaling.ServiceNamespace.SAGEMAKER,
    scalableDimension: 'sagemaker:inference-component:DesiredCopyCount',
    resourceId: `inference-component/${componentName}`,
    minCapacity: 0,
    maxCapacity: options.maxInstances ?? 1,
  });
  target.node.addDependency(dependsOn);
  target.scaleToTrackMetric('InvocationsPerCopy', {
    predefinedMetric: appscaling.PredefinedMetric.SAGEMAKER_INFERENCE_COMPONENT_INVOCATIONS_PER_COPY,
    targetValue: options.targetInvocationsPerCopy ?? 10,
    scaleInCooldown: options.scaleInCooldown ?? Duration.minutes(15),
    scaleOutCooldown: Duration.minutes(5),
  });
  const noCapacity = inferenceComponentMetric(componentName, 'NoCapacityInvocationFailures');
  const alarm = noCapacity.createAlarm(scope, 'NoCapacityAlarm', {
    alarmDescription: `A request to inference component ${componentName} found no copy to serve it: scale out from zero`,
    threshold: 1,
    evaluationPeriods: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
  const scaleOut = new appscaling.StepScalingAction(scope, 'ScaleOutFromZero', {
    scalingTarget: target,
    adjustmentType: appscaling.AdjustmentType.CHANGE_IN_CAPACITY,
    metricAggregationType: appscaling.MetricAggregationType.MAXIMUM,
    // A cold start takes minutes: one copy per alarm, not one per failed request.
    cooldown: Duration.minutes(5),
  });
  scaleOut.addAdjustment({ adjustment: 1, lowerBound: 0 });
  alarm.addAlarmAction({ bind: () => ({ alarmActionArn: scaleOut.scalingPolicyArn }) });
  return alarm;
}
