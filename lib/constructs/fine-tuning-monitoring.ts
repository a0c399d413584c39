import { Aws, Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { FineTunedModelEndpoint } from './fine-tuned-model-endpoint';
import { IFineTunedModelEndpoint } from './fine-tuned-model-endpoint-base';
import { FineTuningJob, IFineTuningJob } from './fine-tuning-job';
import { endpointAlarms } from './private/endpoint-alarms';
import { checkMonitoringProps } from './private/monitoring-prop-checks';
import { findModel } from '../models/catalogue';
import { TRAINING_METRIC_DEFINITIONS } from '../models/training-metrics';
import { trainingJobMetric } from '../monitoring/sagemaker-metrics';

/** Props of FineTuningMonitoring. */
export interface FineTuningMonitoringProps {
  /**
   * The training job to chart (loss curves, utilization) and, when this construct starts it, to notify about.
   * At least one of trainingJob and endpoint is required: a dashboard of nothing is refused.
   * @default - no training widgets
   */
  readonly trainingJob?: IFineTuningJob;
  /**
   * The endpoint to chart and to alarm on: created here or imported by name.
   * @default - no endpoint widgets or alarms
   */
  readonly endpoint?: IFineTunedModelEndpoint;
  /**
   * Topic for alarms and training notices; without it, no alarm or notice is created.
   * @default - no alarms
   */
  readonly alarmTopic?: sns.ITopic;
  /**
   * Alarm when the endpoint's p90 model latency stays above this for 15 minutes; needs endpoint and alarmTopic.
   * An endpoint with deployment guardrails has its own alarms (their thresholds are set there); this applies to others.
   * @default Duration.seconds(30)
   */
  readonly latencyThreshold?: Duration;
  /**
   * Alarm when the endpoint's 5xx errors in 5 minutes reach this (an integer >= 1); needs endpoint and alarmTopic.
   * An endpoint with deployment guardrails has its own alarms (their thresholds are set there); this applies to others.
   * @default 5
   */
  readonly serverErrorThreshold?: number;
  /**
   * Dashboard name.
   * @default - generated
   */
  readonly dashboardName?: string;
}

/**
 * One CloudWatch dashboard for the fine-tuning: the training job's loss curves and
 * utilization while it trains, the endpoint's traffic, latency, errors, GPU and
 * instances once it serves. With a topic: alarms on endpoint 5xx errors and
 * latency, and a notice when training fails or stops.
 */
export class FineTuningMonitoring extends Construct {
  /** The dashboard of training and serving. */
  public readonly dashboard: cloudwatch.Dashboard;
  /** Alarms created (none without an alarm topic). */
  public readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: FineTuningMonitoringProps) {
    super(scope, id);
    checkMonitoringProps(
      props,
      props.endpoint instanceof FineTunedModelEndpoint && props.endpoint.rollbackAlarms.length > 0,
    );
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName,
      defaultInterval: Duration.hours(12),
    });
    if (props.trainingJob) this.watchTraining(props.trainingJob, props.alarmTopic);
    if (props.endpoint) this.watchEndpoint(props.endpoint, props);
  }

  /** Console link of the dashboard. */
  public get dashboardUrl(): string {
    return `https://${Aws.REGION}.console.aws.amazon.com/cloudwatch/home?region=${Aws.REGION}#dashboards:name=${this.dashboard.dashboardName}`;
  }

  private watchTraining(job: IFineTuningJob, topic?: sns.ITopic): void {
    const loss = TRAINING_METRIC_DEFINITIONS.map(({ Name: name }) =>
      trainingJobMetric(job.trainingJobName, name, { label: name.split(':')[1] }),
    );
    const utilization = ['GPUUtilization', 'GPUMemoryUtilization', 'CPUUtilization', 'DiskUtilization'].map((name) =>
      trainingJobMetric(job.trainingJobName, name, { label: name }),
    );
    const where = !(job instanceof FineTuningJob)
      ? ` (attached job ${job.trainingJobName})`
      : job.fallbackInstanceTypes.length === 0
        ? ` on ${job.instanceType}`
        : ` on the first of ${[job.instanceType, ...job.fallbackInstanceTypes].join(', ')} with capacity`;
    this.dashboard.addWidgets(
      new cloudwatch.TextWidget({
        markdown: `## Training: ${findModel(job.modelId).displayName}${where}`,
        width: 24,
        height: 1,
      }),
      new cloudwatch.GraphWidget({
        title: 'Loss per epoch',
        width: 12,
        left: loss.filter((m) => !m.metricName.endsWith('eval-ppl')),
        right: loss.filter((m) => m.metricName.endsWith('eval-ppl')),
        rightYAxis: { label: 'perplexity', showUnits: false },
      }),
      new cloudwatch.GraphWidget({ title: 'Training instance utilization (%)', width: 12, left: utilization }),
    );
    // An attached job has ended already: nothing to notify about.
    if (!topic || !(job instanceof FineTuningJob)) return;
    job.signalFailureAlarm?.addAlarmAction(new actions.SnsAction(topic));
    const notice = new events.Rule(this, 'TrainingEnded', {
      description: `Notifies when training job ${job.jobNamePrefix}-* fails or stops`,
      eventPattern: {
        source: ['aws.sagemaker'],
        detailType: ['SageMaker Training Job State Change'],
        detail: {
          TrainingJobName: events.Match.prefix(`${job.jobNamePrefix}-`),
          TrainingJobStatus: ['Failed', 'Stopped'],
        },
      },
    });
    const message = events.RuleTargetInput.fromText(
      `Training job ${events.EventField.fromPath('$.detail.TrainingJobName')} ` +
        `${events.EventField.fromPath('$.detail.TrainingJobStatus')}: ${events.EventField.fromPath('$.detail.FailureReason')}`,
    );
    // Publishing is allowed for this rule alone (targets.SnsTopic would allow any rule of any account).
    topic.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('events.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
        conditions: { ArnEquals: { 'aws:SourceArn': notice.ruleArn } },
      }),
    );
    notice.addTarget({ bind: () => ({ arn: topic.topicArn, input: message }) });
  }

  private watchEndpoint(endpoint: IFineTunedModelEndpoint, props: FineTuningMonitoringProps): void {
    this.dashboard.addWidgets(
      new cloudwatch.TextWidget({
        markdown:
          endpoint instanceof FineTunedModelEndpoint
            ? `## Endpoint on ${endpoint.instanceType}`
            : `## Endpoint ${endpoint.endpointName}`,
        width: 24,
        height: 1,
      }),
      new cloudwatch.GraphWidget({
        title: 'Invocations and errors',
        width: 8,
        left: [endpoint.metricInvocations({ label: 'invocations' })],
        right: [endpoint.metricClientErrors({ label: '4xx' }), endpoint.metricServerErrors({ label: '5xx' })],
      }),
      new cloudwatch.GraphWidget({
        title: 'Model latency p90 (microseconds)',
        width: 8,
        left: [endpoint.metricModelLatency({ label: 'p90' })],
      }),
      new cloudwatch.GraphWidget({
        title: 'GPU utilization (%) and instances',
        width: 8,
        left: [endpoint.metricGpuUtilization({ label: 'GPU' })],
        right: [endpoint.metricInstanceCount()],
      }),
    );
    if (endpoint instanceof FineTunedModelEndpoint && endpoint.inferenceComponentName) {
      this.dashboard.addWidgets(
        new cloudwatch.GraphWidget({
          title: 'Scale to zero: copies and instances',
          width: 8,
          left: [endpoint.metricCopyCount()],
          right: [endpoint.metricInstanceCount()],
        }),
        new cloudwatch.GraphWidget({
          title: 'Cold starts: requests that found no capacity',
          width: 8,
          left: [endpoint.metricNoCapacityFailures({ label: 'no capacity' })],
        }),
        new cloudwatch.GraphWidget({
          title: 'Component model latency p90 (microseconds)',
          width: 8,
          left: [endpoint.metricComponentLatency({ label: 'p90' })],
        }),
      );
    }
    if (!props.alarmTopic) return;
    // An endpoint that rolls bad updates back has the alarms already: they notify the topic too, not a second pair.
    const own = endpoint instanceof FineTunedModelEndpoint ? endpoint.rollbackAlarms : [];
    const alarms =
      own.length > 0
        ? own
        : endpointAlarms(
            this,
            { serverErrors: endpoint.metricServerErrors(), latency: endpoint.metricModelLatency() },
            props,
            { serverErrors: 'ServerErrors', latency: 'Latency' },
          );
    for (const alarm of alarms) {
      alarm.addAlarmAction(new actions.SnsAction(props.alarmTopic));
      this.alarms.push(alarm);
    }
    this.dashboard.addWidgets(
      ...alarms.map((alarm) => new cloudwatch.AlarmStatusWidget({ alarms: [alarm], width: 12, height: 3 })),
    );
  }
}
