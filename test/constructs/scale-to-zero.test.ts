import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Duration } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { fineTuningStack } from '../support/stacks';
import { findModel } from '../../lib/models/catalogue';
import { hostingResourceNeeds } from '../../lib/models/hosting-environment';
import { INSTANCE_TYPES } from '../../lib/models/instance-types';

const HUB_DOCUMENT = join(
  __dirname,
  '..',
  '..',
  'lib',
  'models',
  'imported',
  'meta-textgeneration-llama-3-2-1b-instruct.source.json',
);

describe('scale to zero (8B on ml.g5.12xlarge)', () => {
  const stack = fineTuningStack({ endpointScaleToZero: { maxInstances: 2 } });
  const template = Template.fromStack(stack);
  const [componentId, component] = Object.entries(template.findResources('AWS::SageMaker::InferenceComponent'))[0];

  test('the endpoint config scales instances from 0 and holds no model; its role runs the components', () => {
    const config = Object.values(template.findResources('AWS::SageMaker::EndpointConfig'))[0];
    expect(config.Properties.ExecutionRoleArn).toEqual({
      'Fn::GetAtt': [expect.stringMatching(/^InferenceRole/), 'Arn'],
    });
    expect(config.Properties.ProductionVariants).toEqual([
      {
        VariantName: 'AllTraffic',
        InstanceType: 'ml.g5.12xlarge',
        InitialInstanceCount: 1,
        ManagedInstanceScaling: { Status: 'ENABLED', MinInstanceCount: 0, MaxInstanceCount: 2 },
        RoutingConfig: { RoutingStrategy: 'LEAST_OUTSTANDING_REQUESTS' },
      },
    ]);
  });

  test('the component serves the fine-tuned model on the whole instance, with JumpStart’s timeouts and one copy', () => {
    expect(component.Properties).toMatchObject({
      EndpointName: { 'Fn::GetAtt': [expect.stringMatching(/^Endpoint[0-9A-F]{8}$/), 'EndpointName'] },
      VariantName: 'AllTraffic',
      Specification: {
        ModelName: { 'Fn::GetAtt': [expect.stringMatching(/^EndpointModel/), 'ModelName'] },
        ComputeResourceRequirements: { NumberOfAcceleratorDevicesRequired: 4, MinMemoryRequiredInMb: 98304 },
        StartupParameters: {
          ContainerStartupHealthCheckTimeoutInSeconds: 1200,
          ModelDataDownloadTimeoutInSeconds: 1200,
        },
      },
      RuntimeConfig: { CopyCount: 1 },
    });
  });

  test("a Llama 3 copy (no document) asks what JumpStart's hub documents ask on each instance type", () => {
    const llama3 = findModel('meta-textgeneration-llama-3-8b');
    const variants = JSON.parse(readFileSync(HUB_DOCUMENT, 'utf8')).HostingInstanceTypeVariants.Variants;
    let compared = 0;
    for (const [type, facts] of Object.entries(INSTANCE_TYPES)) {
      const requirements = variants[type]?.Properties?.ResourceRequirements;
      if (!requirements) continue;
      const needs = hostingResourceNeeds(llama3, type, facts);
      expect([type, needs.minMemoryMb, needs.accelerators]).toEqual([
        type,
        requirements.MinMemoryMb,
        requirements.NumAccelerators,
      ]);
      compared++;
    }
    expect(compared).toBeGreaterThanOrEqual(18);
  });

  test('copies scale from 0 to maxInstances: target tracking per copy scales in, a step adds a copy on no capacity', () => {
    const name = component.Properties.InferenceComponentName;
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      ServiceNamespace: 'sagemaker',
      ScalableDimension: 'sagemaker:inference-component:DesiredCopyCount',
      ResourceId: `inference-component/${name}`,
      MinCapacity: 0,
      MaxCapacity: 2,
    });
    const target = Object.entries(template.findResources('AWS::ApplicationAutoScaling::ScalableTarget'))[0];
    expect(target[1].DependsOn).toContain(componentId);
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      PolicyType: 'TargetTrackingScaling',
      TargetTrackingScalingPolicyConfiguration: {
        PredefinedMetricSpecification: { PredefinedMetricType: 'SageMakerInferenceComponentInvocationsPerCopy' },
        TargetValue: 10,
        ScaleInCooldown: 900,
        ScaleOutCooldown: 300,
      },
    });
    const [stepId] = Object.entries(template.findResources('AWS::ApplicationAutoScaling::ScalingPolicy')).find(
      ([, p]) => p.Properties.PolicyType === 'StepScaling',
    )!;
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      PolicyType: 'StepScaling',
      StepScalingPolicyConfiguration: {
        AdjustmentType: 'ChangeInCapacity',
        MetricAggregationType: 'Maximum',
        Cooldown: 300,
        StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 1 }],
      },
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SageMaker',
      MetricName: 'NoCapacityInvocationFailures',
      Dimensions: [{ Name: 'InferenceComponentName', Value: name }],
      Statistic: 'Sum',
      Period: 60,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [{ Ref: stepId }],
    });
  });

  test('the invoke command and an output name the component; the dashboard shows copies, cold starts and latency', () => {
    template.hasOutput('InferenceComponentName', { Value: component.Properties.InferenceComponentName });
    const invoke = JSON.stringify(template.findOutputs('InvokeCommand'));
    expect(invoke).toContain(`--inference-component ${component.Properties.InferenceComponentName}`);
    const body = JSON.stringify(template.findResources('AWS::CloudWatch::Dashboard'));
    for (const title of [
      'Scale to zero: copies and instances',
      'Cold starts: requests that found no capacity',
      'Component model latency p90',
    ]) {
      expect(body).toContain(title);
    }
  });
});

describe('scale to zero: invoking and watching the component', () => {
  test("grantInvoke covers the component's ARN as well as the endpoint's, for both invoke actions", () => {
    const stack = fineTuningStack({ endpointScaleToZero: {} });
    const caller = new iam.Role(stack, 'Caller', { assumedBy: new iam.AccountRootPrincipal() });
    stack.endpoint!.grantInvoke(caller);
    const template = Template.fromStack(stack);
    const [componentId] = Object.keys(template.findResources('AWS::SageMaker::InferenceComponent'));
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: stack.getLogicalId(caller.node.defaultChild as iam.CfnRole) }],
      PolicyDocument: {
        Statement: [
          {
            Action: ['sagemaker:InvokeEndpoint', 'sagemaker:InvokeEndpointWithResponseStream'],
            Effect: 'Allow',
            Resource: [
              stack.resolve(stack.endpoint!.endpointArn),
              { 'Fn::GetAtt': [componentId, 'InferenceComponentArn'] },
            ],
          },
        ],
      },
    });
  });

  test("the 5xx and latency alarms and the invocation charts read the component's metrics", () => {
    const template = Template.fromStack(fineTuningStack({ endpointScaleToZero: {}, alarmEmail: 'ml@example.com' }));
    const name = Object.values(template.findResources('AWS::SageMaker::InferenceComponent'))[0].Properties
      .InferenceComponentName;
    for (const metricName of ['Invocation5XXErrors', 'ModelLatency']) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: metricName,
        Namespace: 'AWS/SageMaker',
        Dimensions: [{ Name: 'InferenceComponentName', Value: name }],
        Period: 300,
      });
    }
    const body = JSON.stringify(template.findResources('AWS::CloudWatch::Dashboard'));
    expect(body).toContain(`"Invocation4XXErrors\\",\\"InferenceComponentName\\",\\"${name}`);
    // Instances are still the variant's.
    expect(body).toContain('InvocationsPerInstance\\",\\"EndpointName');
  });

  test("the execution role may write the component's own log group, and only its streams", () => {
    const template = Template.fromStack(fineTuningStack({ endpointScaleToZero: {} }));
    const name = Object.values(template.findResources('AWS::SageMaker::InferenceComponent'))[0].Properties
      .InferenceComponentName;
    const statements = JSON.stringify(
      Object.values(template.findResources('AWS::IAM::Policy')).flatMap((p) => p.Properties.PolicyDocument.Statement),
    );
    expect(statements).toContain(`:log-group:/aws/sagemaker/InferenceComponents/${name}:log-stream:*`);
    expect(statements).not.toContain(':log-group:/aws/sagemaker/InferenceComponents/*');
  });

  test('an endpoint that serves its model directly keeps the variant metrics and the endpoint ARN alone', () => {
    const stack = fineTuningStack({ alarmEmail: 'ml@example.com' });
    const caller = new iam.Role(stack, 'Caller', { assumedBy: new iam.AccountRootPrincipal() });
    stack.endpoint!.grantInvoke(caller);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Invocation5XXErrors',
      Dimensions: Match.arrayWith([{ Name: 'VariantName', Value: 'AllTraffic' }]),
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [Match.objectLike({ Resource: stack.resolve(stack.endpoint!.endpointArn) })] },
    });
  });
});

describe('scale to zero: what is refused', () => {
  test.each([
    [
      { endpointAutoScaling: { minInstances: 1, maxInstances: 2 } },
      /endpointAutoScaling is given with endpointScaleToZero/,
    ],
    [{ endpointInstanceCount: 2 }, /endpointInstanceCount is 2 with endpointScaleToZero/],
    [
      { dataCapture: true },
      /dataCapture is given with endpointScaleToZero: data capture is documented for endpoints whose variant serves a model/,
    ],
  ])('%j', (props, message) => {
    expect(() => fineTuningStack({ endpointScaleToZero: {}, ...props })).toThrow(message);
  });

  test.each([
    [{ maxInstances: 0 }, 'endpointScaleToZero.maxInstances is 0; allowed: an integer >= 1.'],
    [
      { initialCopies: 3, maxInstances: 2 },
      'endpointScaleToZero.initialCopies is 3; allowed: an integer from 0 to endpointScaleToZero.maxInstances (2).',
    ],
    [
      { targetInvocationsPerCopy: 0 },
      'endpointScaleToZero.targetInvocationsPerCopy is 0; allowed: a number > 0 (invocations per minute).',
    ],
    [{ scaleInCooldown: Duration.seconds(5) }, 'endpointScaleToZero.scaleInCooldown is 5 seconds'],
  ])('%j', (options, message) => {
    expect(() => fineTuningStack({ endpointScaleToZero: options })).toThrow(message);
  });

  test('synth says what idling saves, from the catalogue’s price', () => {
    Annotations.fromStack(fineTuningStack({ endpointScaleToZero: {} })).hasInfo(
      '*',
      Match.stringLikeRegexp(
        'idle, the endpoint runs no instance, saving about \\$7\\.09 an hour per instance \\(ml\\.g5\\.12xlarge, us-east-1 prices of 2024-05\\)',
      ),
    );
  });

  test('70B on ml.p4d.24xlarge asks all 8 GPUs and half of 1152 GiB', () => {
    const template = Template.fromStack(
      fineTuningStack({ modelId: 'meta-textgeneration-llama-3-70b', endpointScaleToZero: {} }),
    );
    template.hasResourceProperties('AWS::SageMaker::InferenceComponent', {
      Specification: Match.objectLike({
        ComputeResourceRequirements: { NumberOfAcceleratorDevicesRequired: 8, MinMemoryRequiredInMb: 589824 },
      }),
    });
  });
});
