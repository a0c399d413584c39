import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { endpointInstanceMetric, endpointMetric } from '../monitoring/sagemaker-metrics';

/** A SageMaker real-time endpoint serving a fine-tuned model: created here, or imported by name. */
export interface IFineTunedModelEndpoint extends IConstruct {
  /** Name of the endpoint. */
  readonly endpointName: string;
  /** ARN of the endpoint. */
  readonly endpointArn: string;
  /** Lets `grantee` invoke the endpoint (what `llama3-ft invoke` and `Llama3EndpointClient` call). */
  grantInvoke(grantee: iam.IGrantable): iam.Grant;
  /** An invocation metric of the endpoint (`Invocations`, `ModelLatency`, `Invocation5XXErrors`, ...). */
  metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  /** Requests served, summed. */
  metricInvocations(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  /** Time the model takes to answer, in microseconds (p90). */
  metricModelLatency(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  /** Requests the endpoint refused (4xx), summed. */
  metricClientErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  /** Requests the model failed (5xx), summed. */
  metricServerErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  /** GPU utilization of the endpoint's instances. */
  metricGpuUtilization(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  /** Instances serving, as invocations over invocations per instance: defined while there is traffic. */
  metricInstanceCount(): cloudwatch.MathExpression;
}

/** What every endpoint, created or imported, offers: grants and metrics. */
export abstract class FineTunedModelEndpointBase extends Construct implements IFineTunedModelEndpoint {
  public abstract readonly endpointName: string;
  public abstract readonly endpointArn: string;

  public grantInvoke(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['sagemaker:InvokeEndpoint', 'sagemaker:InvokeEndpointWithResponseStream'],
      resourceArns: this.invocationArns(),
    });
  }

  /** What IAM authorizes an invocation on: the endpoint (and the inference component it names, if any). */
  protected invocationArns(): string[] {
    return [this.endpointArn];
  }

  public metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return endpointMetric(this.endpointName, metricName, props);
  }

  public metricInvocations(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('Invocations', { statistic: cloudwatch.Stats.SUM, ...props });
  }

  public metricModelLatency(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('ModelLatency', { statistic: cloudwatch.Stats.p(90), ...props });
  }

  public metricClientErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('Invocation4XXErrors', { statistic: cloudwatch.Stats.SUM, ...props });
  }

  public metricServerErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('Invocation5XXErrors', { statistic: cloudwatch.Stats.SUM, ...props });
  }

  public metricGpuUtilization(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return endpointInstanceMetric(this.endpointName, 'GPUUtilization', props);
  }

  public metricInstanceCount(): cloudwatch.MathExpression {
    return new cloudwatch.MathExpression({
      expression: 'invocations / perInstance',
      usingMetrics: {
        // The variant's own figures, also where invocations are counted per inference component.
        invocations: endpointMetric(this.endpointName, 'Invocations', { statistic: cloudwatch.Stats.SUM }),
        perInstance: endpointMetric(this.endpointName, 'InvocationsPerInstance', { statistic: cloudwatch.Stats.SUM }),
      },
      label: 'Instances (while there is traffic)',
      period: Duration.minutes(5),
    });
  }
}

/** An endpoint imported by name: it creates nothing. */
export class ImportedFineTunedModelEndpoint extends FineTunedModelEndpointBase {
  public readonly endpointName: string;
  public readonly endpointArn: string;

  constructor(scope: Construct, id: string, endpointName: string) {
    super(scope, id);
    this.endpointName = endpointName;
    // SageMaker writes endpoint names in lower case in ARNs.
    this.endpointArn = Stack.of(this).formatArn({
      service: 'sagemaker',
      resource: 'endpoint',
      resourceName: Token.isUnresolved(endpointName) ? endpointName : endpointName.toLowerCase(),
    });
  }
}
