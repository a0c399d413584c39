import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import {
  DeploymentGuardrails,
  FineTunedModelEndpoint,
  FineTunedModelEndpointProps,
  FineTuningMonitoring,
  TrafficSize,
} from '../../lib';
import { fineTuningStack } from '../support/stacks';

/** One endpoint serving a model from S3 in a stack of its own, with a role the endpoint may add to. */
function endpointStack(props: Partial<FineTunedModelEndpointProps> = {}) {
  const stack = new Stack(new App(), 'E', { env: { region: 'us-west-2', account: '123456789012' } });
  const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
  const endpoint = new FineTunedModelEndpoint(stack, 'Endpoint', {
    role,
    imageUri: 'djl-image',
    modelArtifactsUri: 's3://models/llama/model.tar.gz',
    endpointName: 'llama3-ft',
    ...props,
  });
  return { stack, endpoint, template: Template.fromStack(stack) };
}

function deploymentConfigOf(template: Template): any {
  return Object.values(template.findResources('AWS::SageMaker::Endpoint'))[0].Properties.DeploymentConfig;
}

describe('the default stack (one instance): all at once, rolled back on its own alarms', () => {
  const template = Template.fromStack(fineTuningStack());
  const [endpointId, endpoint] = Object.entries(template.findResources('AWS::SageMaker::Endpoint'))[0];
  const config = endpoint.Properties.DeploymentConfig;
  const alarms = template.findResources('AWS::CloudWatch::Alarm');

  test('a blue/green update shifting all at once: 15-minute bakes, and room to launch the new fleet', () => {
    expect(config.BlueGreenUpdatePolicy).toEqual({
      TrafficRoutingConfiguration: { Type: 'ALL_AT_ONCE', WaitIntervalInSeconds: 900 },
      TerminationWaitInSeconds: 900,
      // The two bakes, the 1200-second download and startup timeouts, and an hour for the instances.
      MaximumExecutionTimeoutInSeconds: 900 + 900 + 1200 + 1200 + 3600,
    });
  });

  test("the rollback alarms are the endpoint's 5xx and latency alarms, watching it by its name, created before it", () => {
    const named = config.AutoRollbackConfiguration.Alarms.map((a: any) => a.AlarmName.Ref);
    expect(named).toHaveLength(2);
    const watched = named.map((id: string) => alarms[id].Properties);
    expect(watched.map((a: any) => a.MetricName).sort()).toEqual(['Invocation5XXErrors', 'ModelLatency']);
    for (const alarm of watched) {
      expect(alarm.Dimensions).toEqual([
        { Name: 'EndpointName', Value: endpoint.Properties.EndpointName },
        { Name: 'VariantName', Value: 'AllTraffic' },
      ]);
      expect(alarm.AlarmName).toMatch(
        new RegExp(`^${endpoint.Properties.EndpointName}-(server-errors|model-latency)$`),
      );
    }
    expect(endpoint.DependsOn).toEqual(expect.arrayContaining(named));
    expect(endpointId).toMatch(/^Endpoint/);
  });

  test('the monitoring notifies the topic from the same alarms, and makes no second pair', () => {
    const errorAlarms = Object.values(alarms).filter((a: any) => a.Properties.MetricName === 'Invocation5XXErrors');
    expect(errorAlarms).toHaveLength(1);
    const topic = Object.keys(template.findResources('AWS::SNS::Topic'))[0];
    for (const { AlarmName } of config.AutoRollbackConfiguration.Alarms) {
      expect(alarms[AlarmName.Ref].Properties.AlarmActions).toEqual([{ Ref: topic }]);
    }
  });

  test('the execution role may read those alarms, as SageMaker asks', () => {
    const ids = config.AutoRollbackConfiguration.Alarms.map((a: any) => a.AlarmName.Ref);
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Action: 'cloudwatch:DescribeAlarms',
            Effect: 'Allow',
            Resource: ids.map((id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] })),
          },
        ]),
      },
    });
  });
});

describe('the traffic shifts', () => {
  test('two instances or more: a canary of one instance by default', () => {
    const config = deploymentConfigOf(Template.fromStack(fineTuningStack({ endpointInstanceCount: 2 })));
    expect(config.BlueGreenUpdatePolicy.TrafficRoutingConfiguration).toEqual({
      Type: 'CANARY',
      CanarySize: { Type: 'INSTANCE_COUNT', Value: 1 },
      WaitIntervalInSeconds: 900,
    });
  });

  test('autoScaling starts the fleet at minInstances, which decides the default', () => {
    const { template } = endpointStack({ autoScaling: { minInstances: 3, maxInstances: 6 } });
    expect(deploymentConfigOf(template).BlueGreenUpdatePolicy.TrafficRoutingConfiguration.Type).toBe('CANARY');
  });

  test('a canary as a share, with its own bakes and timeout', () => {
    const { template } = endpointStack({
      instanceCount: 4,
      deploymentGuardrails: DeploymentGuardrails.canary({
        canarySize: TrafficSize.percent(25),
        bakeTime: Duration.minutes(10),
        finalBakeTime: Duration.minutes(5),
        maxExecutionTime: Duration.hours(2),
      }),
    });
    expect(deploymentConfigOf(template).BlueGreenUpdatePolicy).toEqual({
      TrafficRoutingConfiguration: {
        Type: 'CANARY',
        CanarySize: { Type: 'CAPACITY_PERCENT', Value: 25 },
        WaitIntervalInSeconds: 600,
      },
      TerminationWaitInSeconds: 300,
      MaximumExecutionTimeoutInSeconds: 7200,
    });
  });

  test('linear: a tenth of the fleet per step by default; the timeout covers every step', () => {
    const { template } = endpointStack({ instanceCount: 20, deploymentGuardrails: DeploymentGuardrails.linear() });
    expect(deploymentConfigOf(template).BlueGreenUpdatePolicy).toEqual({
      TrafficRoutingConfiguration: {
        Type: 'LINEAR',
        LinearStepSize: { Type: 'INSTANCE_COUNT', Value: 2 },
        WaitIntervalInSeconds: 900,
      },
      TerminationWaitInSeconds: 900,
      // Ten steps of 15 minutes, the final bake, the download and startup timeouts and an hour.
      MaximumExecutionTimeoutInSeconds: 10 * 900 + 900 + 1200 + 1200 + 3600,
    });
  });

  test("the default timeout stops at SageMaker's 8 hours", () => {
    const { template } = endpointStack({
      instanceCount: 40,
      deploymentGuardrails: DeploymentGuardrails.linear({ bakeTime: Duration.hours(1) }),
    });
    expect(deploymentConfigOf(template).BlueGreenUpdatePolicy.MaximumExecutionTimeoutInSeconds).toBe(28800);
  });

  test('linear in shares of 50 %: two steps', () => {
    const { template } = endpointStack({
      instanceCount: 2,
      deploymentGuardrails: DeploymentGuardrails.linear({
        stepSize: TrafficSize.percent(50),
        bakeTime: Duration.minutes(5),
        finalBakeTime: Duration.seconds(0),
      }),
    });
    const policy = deploymentConfigOf(template).BlueGreenUpdatePolicy;
    expect(policy.TrafficRoutingConfiguration.LinearStepSize).toEqual({ Type: 'CAPACITY_PERCENT', Value: 50 });
    expect(policy.TerminationWaitInSeconds).toBe(0);
    expect(policy.MaximumExecutionTimeoutInSeconds).toBe(2 * 300 + 1200 + 1200 + 3600);
  });

  test('none: no DeploymentConfig and no alarms of its own; the monitoring makes its pair', () => {
    const { stack, endpoint, template } = endpointStack({ deploymentGuardrails: DeploymentGuardrails.none() });
    expect(deploymentConfigOf(template)).toBeUndefined();
    expect(endpoint.rollbackAlarms).toEqual([]);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 0);
    const monitoring = new FineTuningMonitoring(stack, 'Monitoring', {
      endpoint,
      alarmTopic: new sns.Topic(stack, 'Topic'),
    });
    expect(monitoring.alarms).toHaveLength(2);
  });

  test('scaleToZero: the model is a component, updated by its own rolling update; no endpoint guardrails', () => {
    const template = Template.fromStack(fineTuningStack({ endpointScaleToZero: {} }));
    expect(deploymentConfigOf(template)).toBeUndefined();
  });
});

describe('the rollback alarms', () => {
  test('their thresholds are the options; more alarms may roll back too, and the role may read them', () => {
    const stack = new Stack(new App(), 'X', { env: { region: 'us-west-2', account: '123456789012' } });
    const extra = cloudwatch.Alarm.fromAlarmName(stack, 'Extra', 'llama3-ft-business-kpi');
    const { template, endpoint } = endpointStack({
      deploymentGuardrails: DeploymentGuardrails.allAtOnce({
        serverErrorThreshold: 2,
        latencyThreshold: Duration.millis(1500),
        additionalAlarms: [extra],
      }),
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'llama3-ft-server-errors',
      MetricName: 'Invocation5XXErrors',
      Threshold: 2,
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'llama3-ft-model-latency',
      MetricName: 'ModelLatency',
      Threshold: 1_500_000,
    });
    const names = deploymentConfigOf(template).AutoRollbackConfiguration.Alarms.map((a: any) => a.AlarmName);
    expect(names).toHaveLength(3);
    expect(names[2]).toBe('llama3-ft-business-kpi');
    expect(endpoint.rollbackAlarms).toHaveLength(2);
    const reads = Object.values(template.findResources('AWS::IAM::Policy'))
      .flatMap((p: any) => p.Properties.PolicyDocument.Statement)
      .filter((st: any) => st.Action === 'cloudwatch:DescribeAlarms');
    expect(JSON.stringify(reads)).toContain(':cloudwatch:us-west-2:123456789012:alarm:llama3-ft-business-kpi');
  });

  test('the monitoring refuses thresholds of its own for alarms the endpoint already has', () => {
    const { stack, endpoint } = endpointStack();
    expect(
      () =>
        new FineTuningMonitoring(stack, 'Monitoring', {
          endpoint,
          alarmTopic: new sns.Topic(stack, 'Topic'),
          latencyThreshold: Duration.seconds(10),
        }),
    ).toThrow(
      /^latencyThreshold is given, but the endpoint has its own 5xx and latency alarms .* Fix: set latencyThreshold in the endpoint's deploymentGuardrails options/,
    );
  });
});

describe('what SageMaker would refuse or ignore is refused at synth', () => {
  const refused = (props: Partial<FineTunedModelEndpointProps>) => () => endpointStack(props);

  test('a canary or linear update of a one-instance fleet: no part of one instance is at most half of it', () => {
    expect(refused({ deploymentGuardrails: DeploymentGuardrails.canary() })).toThrow(
      /^deploymentGuardrails is a canary, but the endpoint starts with 1 instance \(instanceCount left at 1\).*Fix: start with 2 instances or more, or use DeploymentGuardrails.allAtOnce\(\)/,
    );
    expect(refused({ deploymentGuardrails: DeploymentGuardrails.linear() })).toThrow(
      /^deploymentGuardrails is a linear update, but the endpoint starts with 1 instance/,
    );
  });

  test('a canary of more than half the fleet, or a linear step outside 10 to 50 %', () => {
    expect(
      refused({
        instanceCount: 3,
        deploymentGuardrails: DeploymentGuardrails.canary({ canarySize: TrafficSize.instances(2) }),
      }),
    ).toThrow(
      /deploymentGuardrails.canarySize is TrafficSize.instances\(2\); allowed: 1 to 1 of the endpoint's 3 instances/,
    );
    expect(
      refused({
        instanceCount: 4,
        deploymentGuardrails: DeploymentGuardrails.canary({ canarySize: TrafficSize.percent(60) }),
      }),
    ).toThrow(/deploymentGuardrails.canarySize is TrafficSize.percent\(60\); allowed: a whole percentage from 1 to 50/);
    expect(
      refused({
        instanceCount: 4,
        deploymentGuardrails: DeploymentGuardrails.linear({ stepSize: TrafficSize.percent(5) }),
      }),
    ).toThrow(/deploymentGuardrails.stepSize is TrafficSize.percent\(5\); allowed: a whole percentage from 10 to 50/);
    expect(
      refused({
        instanceCount: 30,
        deploymentGuardrails: DeploymentGuardrails.linear({ stepSize: TrafficSize.instances(1) }),
      }),
    ).toThrow(/allowed: 3 to 15 of the endpoint's 30 instances \(10 to 50 %/);
  });

  test('guardrails with scaleToZero would be ignored', () => {
    expect(refused({ scaleToZero: {}, deploymentGuardrails: DeploymentGuardrails.allAtOnce() })).toThrow(
      /^deploymentGuardrails is an all-at-once update with scaleToZero, whose model is an inference component/,
    );
  });

  test("bakes past SageMaker's hour, and a timeout no longer than the bakes", () => {
    expect(refused({ deploymentGuardrails: DeploymentGuardrails.allAtOnce({ bakeTime: Duration.hours(2) }) })).toThrow(
      /deploymentGuardrails.bakeTime is 7200 seconds; allowed: whole seconds from 0 to 3600/,
    );
    expect(
      refused({ deploymentGuardrails: DeploymentGuardrails.allAtOnce({ maxExecutionTime: Duration.minutes(20) }) }),
    ).toThrow(
      /deploymentGuardrails.maxExecutionTime is 1200 seconds, no longer than the update's bake times \(1800 seconds\)/,
    );
  });

  test('a value that is not DeploymentGuardrails (from JavaScript)', () => {
    expect(refused({ deploymentGuardrails: 'canary' as never })).toThrow(
      /^deploymentGuardrails is "canary"; allowed: DeploymentGuardrails.canary\(\), .linear\(\), .allAtOnce\(\) or .none\(\)/,
    );
  });

  test('the stack names its own prop', () => {
    expect(() => fineTuningStack({ endpointDeploymentGuardrails: DeploymentGuardrails.canary() })).toThrow(
      /^endpointDeploymentGuardrails is a canary, but the endpoint starts with 1 instance \(endpointInstanceCount left at 1\)/,
    );
  });
});

test("the base endpoint's rollback alarms notify the stack's topic too (every alarm acts)", () => {
  const template = Template.fromStack(fineTuningStack({ deployBaseEndpoint: true }));
  const topic = Object.keys(template.findResources('AWS::SNS::Topic'))[0];
  const rollback = Object.values(template.findResources('AWS::CloudWatch::Alarm')).filter((a: any) =>
    /-(server-errors|model-latency)$/.test(a.Properties.AlarmName ?? ''),
  );
  expect(rollback).toHaveLength(4);
  for (const alarm of rollback) expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topic }]);
});
