import { App, Stack } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import { FineTunedModelEndpoint, FineTuningJob, FineTuningMonitoring } from '../../lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { fineTuningStack } from '../support/stacks';

function dashboardBody(template: Template): string {
  const dashboard = Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0];
  return JSON.stringify(dashboard.Properties.DashboardBody);
}

describe('FineTuningMonitoring', () => {
  const stack = fineTuningStack();
  const template = Template.fromStack(stack);

  test('the default stack has a dashboard', () => {
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    expect(Object.keys(template.toJSON().Outputs)).toContain('DashboardUrl');
  });

  test('its training metric names are the metric definitions of the training request', () => {
    const job = Object.values(template.findResources('Custom::SageMakerTrainingJob'))[0];
    const body = dashboardBody(template);
    const definitions: { Name: string }[] = job.Properties.MetricDefinitions;
    expect(definitions.map((d) => d.Name)).toEqual([
      'huggingface-textgeneration:eval-loss',
      'huggingface-textgeneration:eval-ppl',
      'huggingface-textgeneration:train-loss',
    ]);
    for (const { Name } of definitions) expect(body).toContain(`\\"${Name}\\"`);
    expect(body).toContain('/aws/sagemaker/TrainingJobs');
    for (const name of ['GPUUtilization', 'GPUMemoryUtilization', 'CPUUtilization', 'DiskUtilization'])
      expect(body).toContain(name);
  });

  test('it charts the endpoint: invocations, latency, 4xx/5xx, GPU and instances', () => {
    const body = dashboardBody(template);
    for (const name of [
      'Invocations',
      'ModelLatency',
      'Invocation4XXErrors',
      'Invocation5XXErrors',
      'InvocationsPerInstance',
      '/aws/sagemaker/Endpoints',
    ]) {
      expect(body).toContain(name);
    }
    expect(body).toContain('invocations / perInstance');
  });

  test('without an email every alarm still acts: the stack keeps a topic with no subscriber, and says where it is', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms.map((a) => a.Properties.MetricName).sort()).toEqual([
      'ApproximateNumberOfMessagesVisible', // a lost signal
      'Invocation5XXErrors',
      'ModelLatency',
    ]);
    const [topicId] = Object.keys(template.findResources('AWS::SNS::Topic'));
    for (const alarm of alarms) expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topicId }]);
    template.resourceCountIs('AWS::SNS::Subscription', 0);
    template.hasOutput('AlarmTopicArn', { Value: { Ref: topicId } });
    // The end signal, the hourly hand-over tick (a 100-hour wait is a chain) and the failure notice.
    expect(Object.values(template.findResources('AWS::Events::Rule'))).toHaveLength(3);
  });

  test('with an alarm email: 5xx and latency alarms and a training failure notice to an encrypted, SSL-only topic', () => {
    const alarmed = Template.fromStack(fineTuningStack({ alarmEmail: 'ml-team@example.com' }));
    alarmed.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AlarmTopicKey'), 'Arn'] },
    });
    alarmed.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ml-team@example.com' });
    alarmed.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Invocation5XXErrors',
      Threshold: 5,
      Statistic: 'Sum',
    });
    alarmed.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ModelLatency',
      Threshold: 30_000_000,
      ExtendedStatistic: 'p90',
      EvaluationPeriods: 3,
    });
    const notice = Object.values(alarmed.findResources('AWS::Events::Rule')).find(
      (r) => r.Properties.EventPattern?.detail.TrainingJobStatus,
    );
    expect(notice!.Properties.EventPattern.detail.TrainingJobStatus).toEqual(['Failed', 'Stopped']);
    alarmed.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Threshold: 1,
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^AlarmTopic') }],
    });
    const policies = JSON.stringify(alarmed.findResources('AWS::SNS::TopicPolicy'));
    expect(policies).toContain('aws:SecureTransport');
  });

  test('train only: training widgets and no endpoint widgets', () => {
    const body = dashboardBody(Template.fromStack(fineTuningStack({ deployEndpoint: false })));
    expect(body).toContain('huggingface-textgeneration:train-loss');
    expect(body).not.toContain('ModelLatency');
  });
});

describe('encryptLogs', () => {
  test('encrypts every handler log group with the stack key, which CloudWatch Logs may use for log groups only', () => {
    const template = Template.fromStack(fineTuningStack({ encryptLogs: true }));
    const groups = Object.values(template.findResources('AWS::Logs::LogGroup'));
    expect(groups.length).toBeGreaterThanOrEqual(3);
    for (const group of groups)
      expect(group.Properties.KmsKeyId).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^BucketsKey/), 'Arn'] });
    const key = Object.values(template.findResources('AWS::KMS::Key')).find((k) =>
      JSON.stringify(k).includes('aws:logs:arn'),
    );
    const statement = key!.Properties.KeyPolicy.Statement.find((s: any) => s.Condition?.ArnLike);
    expect(statement.Principal.Service).toEqual({
      'Fn::Join': ['', ['logs.', { Ref: 'AWS::Region' }, '.amazonaws.com']],
    });
    expect(JSON.stringify(statement.Condition)).toContain(':log-group:*');
  });

  test('is on by default, with the key the stack has anyway; encryptLogs: false turns it off', () => {
    const groups = (props = {}) =>
      Object.values(Template.fromStack(fineTuningStack(props)).findResources('AWS::Logs::LogGroup'));
    for (const group of groups()) expect(group.Properties.KmsKeyId).toBeDefined();
    for (const group of groups({ encryptLogs: false })) expect(group.Properties.KmsKeyId).toBeUndefined();
  });
});

describe('alarm topic', () => {
  test("only this account's alarms and rules may publish to the topic and use its key", () => {
    const template = Template.fromStack(fineTuningStack({ alarmEmail: 'ml-team@example.com' }));
    const topicStatements = Object.values(template.findResources('AWS::SNS::TopicPolicy')).flatMap(
      (p) => p.Properties.PolicyDocument.Statement,
    );
    const keyStatements = Object.values(template.findResources('AWS::KMS::Key'))
      .filter((k) => JSON.stringify(k).includes('alarms'))
      .flatMap((k) => k.Properties.KeyPolicy.Statement);
    for (const statements of [topicStatements, keyStatements]) {
      const services = statements.filter((s: any) => s.Effect === 'Allow' && s.Principal?.Service);
      expect(services.map((s: any) => s.Principal.Service).sort()).toEqual([
        'cloudwatch.amazonaws.com',
        'events.amazonaws.com',
      ]);
      for (const s of services) {
        const source = s.Condition.ArnEquals?.['aws:SourceArn'] ?? s.Condition.ArnLike['aws:SourceArn'];
        // The notice rule exactly, or this account's alarms or rules of this region.
        expect(JSON.stringify(source)).toMatch(/TrainingEnded|:alarm:\*|:rule\/\*/);
        if (!s.Condition.ArnEquals)
          expect(s.Condition.StringEquals).toEqual({ 'aws:SourceAccount': { Ref: 'AWS::AccountId' } });
      }
    }
  });
});

test('an attached job and an endpoint imported by name are charted and alarmed on, as the platform team uses them', () => {
  const stack = new Stack(new App(), 'Platform');
  const job = FineTuningJob.attach(stack, 'Earlier', { trainingJobName: 'ft-llama-3-8b-earlier-run' });
  const endpoint = FineTunedModelEndpoint.fromEndpointName(stack, 'Serving', 'team-llama');
  const topic = new sns.Topic(stack, 'Topic');
  const monitoring = new FineTuningMonitoring(stack, 'Monitoring', { trainingJob: job, endpoint, alarmTopic: topic });
  const template = Template.fromStack(stack);
  const body = JSON.stringify(template.findResources('AWS::CloudWatch::Dashboard'));
  expect(body).toContain('ft-llama-3-8b-earlier-run/algo-1');
  expect(body).toContain('attached job ft-llama-3-8b-earlier-run');
  expect(body).toContain('## Endpoint team-llama');
  expect(monitoring.alarms).toHaveLength(2);
  template.hasResourceProperties('AWS::CloudWatch::Alarm', {
    MetricName: 'Invocation5XXErrors',
    Dimensions: Match.arrayWith([{ Name: 'EndpointName', Value: 'team-llama' }]),
  });
  // The job has ended already: no failure notice rule for it.
  template.resourceCountIs('AWS::Events::Rule', 0);
});
