import { App, Duration, Stack, Tags } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { FineTuningJob } from '../../lib';
import { MODEL_CATALOGUE } from '../../lib/models/catalogue';
import { INSTANCE_TYPES } from '../../lib/models/instance-types';
import { fineTuningStack, jobStack } from '../support/stacks';
import { leaveOneOutErrors } from '../../lib/estimates/runtime-model';

const single = (template: Template, type: string) => {
  const found = Object.entries(template.findResources(type));
  expect(found).toHaveLength(1);
  return { logicalId: found[0][0], resource: found[0][1] };
};

describe('FineTuningJob wait machinery', () => {
  test('a wait of up to 12 hours is one wait condition on the handle the EventBridge rule signals, after the job starts', () => {
    const { template } = jobStack({ maxRuntime: Duration.hours(11) });
    const handle = single(template, 'AWS::CloudFormation::WaitConditionHandle');
    const wait = single(template, 'AWS::CloudFormation::WaitCondition');
    const job = single(template, 'Custom::SageMakerTrainingJob');
    const rule = single(template, 'AWS::Events::Rule');
    expect(wait.resource.Properties).toEqual({ Handle: { Ref: handle.logicalId }, Count: 1, Timeout: '43200' });
    expect(wait.resource.DependsOn).toContain(job.logicalId);
    // The rule and handle exist before the job starts, so an early end is not missed.
    expect(job.resource.DependsOn).toEqual(expect.arrayContaining([rule.logicalId, handle.logicalId]));
    expect(rule.resource.Properties.EventPattern).toEqual({
      source: ['aws.sagemaker'],
      'detail-type': ['SageMaker Training Job State Change'],
      detail: { TrainingJobName: [{ prefix: `${job.resource.Properties.JobNamePrefix}-` }] },
    });
    const target = rule.resource.Properties.Targets[0];
    expect(target.InputTransformer.InputPathsMap).toEqual({ detail: '$.detail' });
    expect(JSON.stringify(target.InputTransformer.InputTemplate)).toContain(handle.logicalId);
  });

  test('a lost event is retried by EventBridge for its full 24 hours, then kept in an encrypted dead-letter queue with an alarm', () => {
    const { template } = jobStack({ maxRuntime: Duration.hours(11) });
    const target = single(template, 'AWS::Events::Rule').resource.Properties.Targets[0];
    expect(target.RetryPolicy).toBeUndefined(); // EventBridge's default: 24 hours, 185 attempts
    const queue = single(template, 'AWS::SQS::Queue');
    expect(target.DeadLetterConfig).toEqual({ Arn: { 'Fn::GetAtt': [queue.logicalId, 'Arn'] } });
    expect(queue.resource.Properties.SqsManagedSseEnabled).toBe(true);
    // A failed invocation (the signal could not be sent) goes there too, after Lambda's two retries.
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queue.logicalId, 'Arn'] } } },
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queue.logicalId, 'QueueName'] } }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    // Only this rule may send to the queue.
    const policy = JSON.stringify(template.findResources('AWS::SQS::QueuePolicy'));
    expect(policy).toContain('aws:SourceArn');
  });

  test('the timeout follows the maximum runtime plus an hour', () => {
    const { template, job } = jobStack({ maxRuntime: Duration.hours(2) });
    expect(single(template, 'AWS::CloudFormation::WaitCondition').resource.Properties.Timeout).toBe('10800');
    expect(job.waitTimeout.toHours()).toBe(3);
    expect(single(template, 'Custom::SageMakerTrainingJob').resource.Properties.MaxRuntimeInSeconds).toBe('7200');
  });

  test("JumpStart's 100-hour maximum runtime by default: a chain of 12-hour waits, each after the one before, the last waiting what is left", () => {
    const { template, job } = jobStack();
    expect(single(template, 'Custom::SageMakerTrainingJob').resource.Properties.MaxRuntimeInSeconds).toBe('360000');
    expect(job.waitTimeout.toHours()).toBe(101);
    const jobId = single(template, 'Custom::SageMakerTrainingJob').logicalId;
    const waits = Object.entries(template.findResources('AWS::CloudFormation::WaitCondition'));
    const handles = Object.keys(template.findResources('AWS::CloudFormation::WaitConditionHandle'));
    // 101 hours: handed over every 10 hours, so 9 waits of 12 hours and a last one of 101 - 90 = 11.
    expect(waits).toHaveLength(10);
    expect(handles).toHaveLength(10);
    const resources = template.toJSON().Resources;
    const segments = template.findResources('Custom::TrainingWaitSegment');
    expect(Object.keys(segments)).toHaveLength(9);
    // Wait 1 follows the job; each later wait follows its segment resource, which follows the wait before.
    const previousWait = (waitId: string): string | undefined => {
      const dependsOn: string[] = resources[waitId].DependsOn;
      if (dependsOn.includes(jobId)) return undefined;
      const segment = dependsOn.find((d) => d in segments)!;
      return segments[segment].DependsOn.find((d: string) => waits.some(([w]) => w === d));
    };
    const chain = [waits.find(([id]) => previousWait(id) === undefined)![0]];
    for (let next; (next = waits.find(([id]) => previousWait(id) === chain.at(-1)));) chain.push(next[0]);
    expect(chain).toHaveLength(10);
    const timeouts = chain.map((id) => Number(resources[id].Properties.Timeout));
    expect(timeouts).toEqual([...Array(9).fill(43200), 11 * 3600]);
    const handleOf = (waitId: string) => resources[waitId].Properties.Handle.Ref;
    expect(chain.map(handleOf).sort()).toEqual([...handles].sort());
    chain.slice(1).forEach((waitId, i) => {
      // Each later handle is created when the wait before completes (its URL lasts 24 hours), and its
      // segment resource is told the handle's URL.
      expect(resources[handleOf(waitId)].DependsOn).toEqual([chain[i]]);
      const segment = resources[waitId].DependsOn.find((d: string) => d in segments);
      expect(segments[segment].Properties).toMatchObject({
        HandleUrl: { Ref: handleOf(waitId) },
        Segment: String(i + 2),
        ServiceToken: { 'Fn::GetAtt': [expect.stringMatching(/signalwaitcondition/), 'Arn'] },
      });
    });
    // The first handle exists before the job starts.
    expect(resources[jobId].DependsOn).toContain(handleOf(chain[0]));
    // What depends on training waits for the last wait of the chain.
    expect(template.toJSON().Resources[chain[9]]).toBeDefined();
  });

  test('the hourly tick exists once the job is started, names its own rule, and may switch off only that rule', () => {
    const { template } = jobStack();
    const jobId = single(template, 'Custom::SageMakerTrainingJob').logicalId;
    const { JobNamePrefix: prefix, InputsHash } = single(template, 'Custom::SageMakerTrainingJob').resource.Properties;
    const tick = Object.values(template.findResources('AWS::Events::Rule')).find(
      (r) => r.Properties.ScheduleExpression,
    )!;
    // One tick per run of training inputs, within EventBridge's 64 characters.
    expect(tick.Properties).toMatchObject({ ScheduleExpression: 'rate(1 hour)', Name: `${prefix}-${InputsHash}-tick` });
    expect(tick.Properties.Name.length).toBeLessThanOrEqual(64);
    expect(JSON.stringify(tick.Properties.Targets[0].Input)).toContain(jobId);
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
      (p) => p.Properties.PolicyDocument.Statement,
    );
    const disable = statements.find((s: any) => s.Action === 'events:DisableRule');
    expect(JSON.stringify(disable.Resource)).toContain(`:rule/${prefix}-${InputsHash}-tick`);
  });

  test("a maximum runtime past SageMaker's 28 days is refused; 28 days is a chain of 68 waits", () => {
    expect(() => jobStack({ maxRuntime: Duration.days(29) })).toThrow(
      /maxRuntime is 29 days \(2505600 seconds\); allowed: 1 second to 28 days \(2419200 seconds, SageMaker's limit\)\. Fix: e\.g\. 100 hours \(JumpStart's default\), or leave it out\./,
    );
    const waits = jobStack({ maxRuntime: Duration.days(28), skipRuntimeCheck: true }).template.findResources(
      'AWS::CloudFormation::WaitCondition',
    );
    // 28 days + 1 hour = 673 hours: 1 + ceil((673 - 12) / 10) = 68.
    expect(Object.keys(waits)).toHaveLength(68);
  });

  test("the rules name the chain's handles by logical id, so the longest chain fits EventBridge's 8192-character input", () => {
    const { template } = jobStack({ maxRuntime: Duration.days(28), skipRuntimeCheck: true });
    const targets = Object.values(template.findResources('AWS::Events::Rule')).map((r) => r.Properties.Targets[0]);
    expect(targets).toHaveLength(2);
    for (const target of targets) {
      const input = target.Input ?? target.InputTransformer.InputTemplate;
      // Resolved at deploy: the stack id (at most 300 characters here) and the job's name and ARN (under 150 each).
      const rendered = JSON.stringify(input).length + 300 + 2 * 150;
      expect(rendered).toBeLessThan(8192);
      expect(JSON.stringify(input)).not.toContain('"Ref":"FineTuningJobWaitHandle');
    }
  });

  test("the 70B stack with JumpStart's defaults waits 101 hours in all", () => {
    const template = Template.fromStack(fineTuningStack({ modelId: 'meta-textgeneration-llama-3-70b' }));
    const waits = Object.values(template.findResources('AWS::CloudFormation::WaitCondition'));
    const total = waits.reduce((sum, w) => sum + Number(w.Properties.Timeout), 0);
    // Handed over every 10 hours: the chain's span is 9 x 10 h plus the last wait's 11 h.
    expect((waits.length - 1) * 10 * 3600 + Number(waits.at(-1)!.Properties.Timeout)).toBeGreaterThanOrEqual(
      101 * 3600,
    );
    expect(total).toBeGreaterThanOrEqual(101 * 3600);
    template.hasResourceProperties('Custom::SageMakerTrainingJob', {
      MaxRuntimeInSeconds: '360000',
      Hyperparameters: Match.objectLike({ epoch: '5' }),
    });
  });

  test("changing a training input replaces the wait condition and names a new run, under the construct's same prefix", () => {
    const a = jobStack({ hyperparameters: { epoch: 3 }, maxRuntime: Duration.hours(11) }).template;
    const b = jobStack({ hyperparameters: { epoch: 4 }, maxRuntime: Duration.hours(11) }).template;
    const props = (t: Template) => single(t, 'Custom::SageMakerTrainingJob').resource.Properties;
    const run = (t: Template) => props(t).InputsHash;
    expect(run(a)).toMatch(/^[0-9a-f]{8}$/);
    expect(run(a)).not.toBe(run(b));
    // The prefix, and so what the handlers may act on, stays: a rollback can still stop the new run's job.
    expect(props(a).JobNamePrefix).toBe(props(b).JobNamePrefix);
    expect(single(a, 'AWS::CloudFormation::WaitCondition').logicalId).not.toBe(
      single(b, 'AWS::CloudFormation::WaitCondition').logicalId,
    );
    expect(single(a, 'AWS::CloudFormation::WaitConditionHandle').logicalId).not.toBe(
      single(b, 'AWS::CloudFormation::WaitConditionHandle').logicalId,
    );
    // A pinned hub version decides the image, script and weights: changing it trains again,
    // also through shared artifacts.
    expect(run(jobStack({ hubContentVersion: '2.0.0' }).template)).not.toBe(
      run(jobStack({ hubContentVersion: '2.1.0' }).template),
    );
    const stackRun = (version: string) => run(Template.fromStack(fineTuningStack({ hubContentVersion: version })));
    expect(stackRun('2.0.0')).not.toBe(stackRun('2.1.0'));
    // A training run id trains anew on the same inputs.
    expect(run(jobStack({ trainingRunId: 'data-v2' }).template)).not.toBe(run(jobStack().template));
    // ... and the same inputs keep them.
    expect(run(jobStack({ hyperparameters: { epoch: 3 }, maxRuntime: Duration.hours(11) }).template)).toBe(run(a));
  });

  test.each([[''], ['new data'], ['a'.repeat(65)], [42]])('a training run id of %j is refused with the rule', (id) => {
    expect(() => jobStack({ trainingRunId: id as any })).toThrow(
      /trainingRunId is .*; allowed: 1 to 64 letters, digits, "\.", "_" and "-"\. Fix: use a label/,
    );
  });
});

describe('FineTuningJob request properties', () => {
  test('8B defaults: compressed output, 30 GB on NVMe, the metric definitions, hyperparameters as SageMaker strings', () => {
    const { template } = jobStack();
    template.hasResourceProperties('Custom::SageMakerTrainingJob', {
      ModelId: 'meta-textgeneration-llama-3-8b',
      InstanceType: 'ml.g5.12xlarge',
      InstanceCount: '1',
      VolumeSizeInGB: '30',
      DisableOutputCompression: 'false',
      MaxRuntimeInSeconds: '360000',
      TrainingDataUri: 's3://data/training/',
      OutputPath: 's3://models/output/',
      Hyperparameters: Match.objectLike({ epoch: '5', enable_fsdp: 'True', int8_quantization: 'False' }),
      MetricDefinitions: [
        { Name: 'huggingface-textgeneration:eval-loss', Regex: 'eval_epoch_loss=tensor\\(([0-9\\.]+)' },
        { Name: 'huggingface-textgeneration:eval-ppl', Regex: 'eval_ppl=tensor\\(([0-9\\.]+)' },
        { Name: 'huggingface-textgeneration:train-loss', Regex: 'train_epoch_loss=([0-9\\.]+)' },
      ],
      TrainingImageUri: { 'Fn::GetAtt': [Match.stringLikeRegexp('JobArtifacts'), 'TrainingImageUri'] },
      GatedWeightsUri: { 'Fn::GetAtt': [Match.stringLikeRegexp('JobArtifacts'), 'GatedWeightsUri'] },
    });
    template.hasResourceProperties('Custom::JumpStartModelArtifacts', {
      ModelId: 'meta-textgeneration-llama-3-8b',
      TrainingInstanceType: 'ml.g5.12xlarge',
    });
  });

  test('70B disables output compression by default, as JumpStart does', () => {
    const { template, job } = jobStack({ modelId: 'meta-textgeneration-llama-3-70b' });
    template.hasResourceProperties('Custom::SageMakerTrainingJob', {
      DisableOutputCompression: 'true',
      InstanceType: 'ml.g5.48xlarge',
    });
    expect(job.outputCompressed).toBe(false);
  });

  test('given URIs are used as they are and nothing is resolved', () => {
    const { template } = jobStack({
      trainingImageUri: 'img',
      trainingScriptUri: 's3://scripts/x.tar.gz',
      gatedWeightsUri: 's3://weights/x.tar.gz',
      hubContentVersion: '2.0.0',
    });
    template.resourceCountIs('Custom::JumpStartModelArtifacts', 0);
    template.hasResourceProperties('Custom::SageMakerTrainingJob', { TrainingImageUri: 'img', ModelVersion: '2.0.0' });
  });

  test('the output key is passed; every catalogued training type trains on local NVMe, so the volume is 30 GB and no volume key exists', () => {
    const stack = new Stack(new App(), 'K');
    const key = new kms.Key(stack, 'Key');
    const role = iam.Role.fromRoleArn(stack, 'Role', 'arn:aws:iam::123456789012:role/R');
    const base = { acceptEula: true, trainingDataUri: 's3://data/t/', outputUri: 's3://models/o/', role };
    new FineTuningJob(stack, 'Ok', { ...base, outputEncryptionKey: key });
    Template.fromStack(stack).hasResourceProperties('Custom::SageMakerTrainingJob', {
      OutputKmsKeyId: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] },
    });
    for (const model of MODEL_CATALOGUE) {
      for (const instanceType of model.training.supportedInstanceTypes)
        expect(INSTANCE_TYPES[instanceType].localNvme).toBe(true);
    }
    Template.fromStack(stack).hasResourceProperties('Custom::SageMakerTrainingJob', {
      VolumeSizeInGB: '30',
      VolumeKmsKeyId: Match.absent(),
    });
  });

  test('without the licence accepted, nothing synthesizes', () => {
    expect(() => jobStack({ acceptEula: false })).toThrow(/acceptEula is false; the base weights are gated/);
  });

  test('a job name prefix SageMaker would refuse is refused', () => {
    expect(() => jobStack({ jobNamePrefix: 'my_job' })).toThrow(
      /jobNamePrefix is "my_job"; allowed: up to 40 letters, digits and hyphens/,
    );
  });

  test('in a VPC: private subnets, a new security group, and ENI permissions for the role', () => {
    const stack = new Stack(new App(), 'V', { env: { region: 'us-west-2', account: '123456789012' } });
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
    new FineTuningJob(stack, 'Job', {
      acceptEula: true,
      trainingDataUri: 's3://data/t/',
      outputUri: 's3://models/o/',
      role,
      vpc,
    });
    const template = Template.fromStack(stack);
    const props = single(template, 'Custom::SageMakerTrainingJob').resource.Properties;
    expect(props.SubnetIds).toHaveLength(2);
    expect(props.SecurityGroupIds).toHaveLength(1);
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Action: Match.arrayWith(['ec2:CreateNetworkInterface']) })]),
      },
    });
  });

  test('the handler may only touch its own jobs and pass only the execution role to SageMaker', () => {
    const { template } = jobStack();
    const prefix = single(template, 'Custom::SageMakerTrainingJob').resource.Properties.JobNamePrefix;
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
      (p: any) => p.Properties.PolicyDocument.Statement,
    );
    const jobControl = statements.find((st: any) => JSON.stringify(st.Action).includes('sagemaker:CreateTrainingJob'));
    expect(jobControl.Action).toEqual([
      'sagemaker:CreateTrainingJob',
      'sagemaker:DescribeTrainingJob',
      'sagemaker:StopTrainingJob',
      'sagemaker:AddTags',
    ]);
    expect(JSON.stringify(jobControl.Resource)).toContain(`:sagemaker:us-west-2:123456789012:training-job/${prefix}-*`);
    const passRole = statements.find((st: any) => st.Action === 'iam:PassRole');
    expect(passRole).toEqual(
      expect.objectContaining({
        Resource: 'arn:aws:iam::123456789012:role/SageMakerExecution',
        Condition: { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } },
      }),
    );
  });

  test('handlers run on the newest Node.js runtime', () => {
    const { template } = jobStack();
    for (const fn of Object.values(template.findResources('AWS::Lambda::Function'))) {
      expect(fn.Properties.Runtime).toBe('nodejs24.x');
    }
  });
});

describe('FineTuningJob.attach', () => {
  test('describes the existing job at deploy time and never starts one', () => {
    const stack = new Stack(new App(), 'A');
    const job = FineTuningJob.attach(stack, 'Existing', {
      trainingJobName: 'my-finished-job',
      modelId: 'meta-textgeneration-llama-3-70b',
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('Custom::SageMakerTrainingJob', {
      TrainingJobName: 'my-finished-job',
      ExpectCompressed: 'false',
    });
    template.resourceCountIs('AWS::CloudFormation::WaitCondition', 0);
    expect(job.outputCompressed).toBe(false);
    expect(stack.resolve(job.modelArtifactsUri)).toEqual({ 'Fn::GetAtt': [expect.any(String), 'ModelArtifactsUri'] });
  });
});

/** The estimate's range around a measured figure: the leave-one-out errors' span. */
function range(minutes: number): { low: number; high: number } {
  const errors = leaveOneOutErrors().map((e) => e.error);
  return { low: minutes / (1 + Math.max(...errors)), high: minutes / (1 + Math.min(...errors)) };
}

describe('FineTuningJob runtime check: no run that cannot finish', () => {
  test("every catalogued model synthesizes with its defaults; 70B keeps JumpStart's 5 epochs (about 768 minutes, within 100 hours)", () => {
    for (const model of MODEL_CATALOGUE) {
      expect(() => jobStack({ modelId: model.modelId })).not.toThrow();
    }
    expect(jobStack({ modelId: 'meta-textgeneration-llama-3-70b' }).job.hyperparameters.epoch).toBe('5');
    expect(jobStack().job.hyperparameters.epoch).toBe('5'); // 8B keeps JumpStart's default: about 58 minutes
  });

  test("JumpStart's 5 epochs on 70B within an 11-hour maximum runtime are refused with the estimate, the limit, and what fits", () => {
    const run = () =>
      jobStack({
        modelId: 'meta-textgeneration-llama-3-70b',
        hyperparameters: { epoch: 5 },
        maxRuntime: Duration.hours(11),
      });
    // 461 measured minutes for 3 epochs x 5/3 = 768; the maximum runtime is 11 hours = 660 minutes;
    // the range's optimistic end is 768 / (1 + the largest leave-one-out overestimate).
    const { low, high } = range(768);
    expect(low).toBeGreaterThan(660);
    expect(run).toThrow(
      `training estimate for meta-textgeneration-llama-3-70b on ml.g5.48xlarge is about 768 minutes (${Math.round(low)} to ${Math.round(high)}; measured`,
    );
    expect(run).toThrow(
      /and even its optimistic end is longer than maxRuntime of 660 minutes: SageMaker would stop the job at its maximum runtime after about \$224/,
    );
    expect(run).toThrow(/Fix: hyperparameters.epoch 4 \(about 615 min\)/); // 461 x 4/3
    expect(run).toThrow(/hyperparameters.maxTrainSamples 1020/); // 1188 x 660/768
    expect(run).toThrow(/set skipRuntimeCheck: true/);
  });

  test('a shorter maxRuntime names a faster valid configuration and the runtime that would fit', () => {
    // 8B, int8 on g5.12xlarge at 1024 tokens, batch 2: 88 measured minutes for 3 epochs.
    const run = () =>
      jobStack({
        maxRuntime: Duration.hours(1),
        hyperparameters: { epoch: 3, int8Quantization: true, enableFsdp: false, perDeviceTrainBatchSize: 2 },
      });
    expect(run).toThrow(/about 88 minutes \(\d+ to \d+; measured/);
    expect(run).toThrow(
      /a faster valid configuration: instanceType ml.g5.12xlarge with LoRA\+FSDP \(int8Quantization false, enableFsdp true\), perDeviceTrainBatchSize 2, maxInputLength 2048 \(about 24 min\)/,
    );
    expect(run).toThrow(/maxRuntime of at least 88 minutes \(at most 40320\)/); // SageMaker's 28 days
  });

  test("the dataset's sample count scales the estimate: refused past the optimistic end, warned past the pessimistic one", () => {
    // LoRA+FSDP on g5.12xlarge at 1024 tokens, batch 2: 35 measured minutes for 3 epochs and 1188 samples.
    const measured = { maxRuntime: Duration.hours(11), hyperparameters: { perDeviceTrainBatchSize: 2 } };
    const minutes = (samples: number) => ((35 * 5) / 3) * (samples / 1188);
    const warnings = (samples: number) =>
      Annotations.fromStack(jobStack({ ...measured, trainingSampleCount: samples }).stack).findWarning(
        '*',
        Match.stringLikeRegexp('pessimistic end'),
      );
    // 20000 samples: even the optimistic end is past 660 minutes.
    expect(range(minutes(20000)).low).toBeGreaterThan(660);
    expect(() => jobStack({ ...measured, trainingSampleCount: 20000 })).toThrow(
      new RegExp(`about ${Math.round(minutes(20000))} minutes .*20000 samples in the dataset`),
    );
    // 14000 samples: 687 expected, the optimistic end fits, the pessimistic does not: deployed with a warning.
    expect(range(minutes(14000)).low).toBeLessThan(660);
    expect(warnings(14000)).toHaveLength(1);
    expect(warnings(14000)[0].entry.data).toMatch(/a maxRuntime of at least \d+ minutes/);
    // 11000 samples: even the pessimistic end fits.
    expect(range(minutes(11000)).high).toBeLessThan(660);
    expect(warnings(11000)).toHaveLength(0);
  });

  test('skipRuntimeCheck deploys it anyway; a string or a bad count is refused', () => {
    expect(() =>
      jobStack({
        modelId: 'meta-textgeneration-llama-3-70b',
        hyperparameters: { epoch: 5 },
        maxRuntime: Duration.hours(11),
        skipRuntimeCheck: true,
      }),
    ).not.toThrow();
    expect(() => jobStack({ skipRuntimeCheck: 'true' as any })).toThrow(
      'skipRuntimeCheck is "true"; allowed: true or false. Fix: pass a boolean, not the string "true".',
    );
    expect(() => jobStack({ trainingSampleCount: 0 })).toThrow('trainingSampleCount is 0; allowed: an integer >= 1.');
  });
});

describe('FineTuningJob and endpoint log access', () => {
  test("the training role writes only the log streams of this stack's jobs, the inference role its own endpoint's", () => {
    const template = Template.fromStack(fineTuningStack({ endpointName: 'llama3-dev' }));
    const prefix = single(template, 'Custom::SageMakerTrainingJob').resource.Properties.JobNamePrefix;
    const logResources = (role: string) =>
      Object.entries(template.findResources('AWS::IAM::Policy'))
        .filter(([id]) => id.startsWith(role))
        .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as any[])
        .filter((s) => JSON.stringify(s.Action).includes('logs:'))
        .map((s) => JSON.stringify(s.Resource));
    const training = logResources('ExecutionRole');
    const inference = logResources('InferenceRole');
    expect(training).toContainEqual(
      expect.stringContaining(`:log-group:/aws/sagemaker/TrainingJobs:log-stream:${prefix}-*`),
    );
    expect(inference).toContainEqual(
      expect.stringContaining(':log-group:/aws/sagemaker/Endpoints/llama3-dev:log-stream:*'),
    );
    expect(training.join()).not.toContain('Endpoints/');
    expect(inference.join()).not.toContain('TrainingJobs');
    for (const resource of [...training, ...inference]) {
      expect(resource).not.toMatch(/Endpoints\/\*|TrainingJobs:log-stream:\*/);
    }
  });

  test('an endpoint without a name gets one at synth, unique per stack and construct', () => {
    const name = (id: string) =>
      single(Template.fromStack(fineTuningStack({}, id)), 'AWS::SageMaker::Endpoint').resource.Properties.EndpointName;
    expect(name('Dev')).toMatch(/^Dev-Endpoint-[A-Za-z0-9-]+$/);
    expect(name('Dev')).not.toBe(name('Staging'));
    expect(name('Dev').length).toBeLessThanOrEqual(63);
  });
});

describe('FineTuningJob as a CDK user expects it', () => {
  /** A job whose stack is not synthesized yet. */
  const unsynthesized = () => {
    const stack = new Stack(new App(), 'Platform');
    const role = iam.Role.fromRoleArn(stack, 'Role', 'arn:aws:iam::123456789012:role/SageMakerExecution', {
      mutable: false,
    });
    return {
      stack,
      job: new FineTuningJob(stack, 'Job', {
        acceptEula: true,
        trainingDataUri: 's3://data/t/',
        outputUri: 's3://models/o/',
        role,
      }),
    };
  };

  test('Tags.of(scope) reaches the CreateTrainingJob request; the job is its role for grants', () => {
    const { stack, job } = unsynthesized();
    Tags.of(stack).add('team', 'ml-platform');
    Template.fromStack(stack).hasResourceProperties('Custom::SageMakerTrainingJob', { Tags: { team: 'ml-platform' } });
    expect(job.grantPrincipal).toBeDefined();
    expect((job.grantPrincipal as iam.IRole).roleArn).toBe('arn:aws:iam::123456789012:role/SageMakerExecution');
  });

  test("onFailure, onSuccess and onStateChange match this construct's jobs only", () => {
    const { stack, job } = unsynthesized();
    job.onFailure('Failed');
    job.onSuccess('Done');
    job.onStateChange('Any');
    const rules = Template.fromStack(stack).findResources('AWS::Events::Rule');
    const patterns = Object.entries(rules)
      .filter(([id]) => /JobFailed|JobDone|JobAny/.test(id))
      .map(([, r]) => r.Properties.EventPattern.detail);
    expect(patterns).toEqual(
      expect.arrayContaining([
        { TrainingJobName: [{ prefix: `${job.jobNamePrefix}-` }], TrainingJobStatus: ['Failed', 'Stopped'] },
        { TrainingJobName: [{ prefix: `${job.jobNamePrefix}-` }], TrainingJobStatus: ['Completed'] },
        { TrainingJobName: [{ prefix: `${job.jobNamePrefix}-` }] },
      ]),
    );
  });

  test('in a VPC it has connections; outside one, asking for them says why not', () => {
    const stack = new Stack(new App(), 'Isolated');
    const vpc = new ec2.Vpc(stack, 'Vpc', {
      subnetConfiguration: [{ name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
    });
    const role = iam.Role.fromRoleArn(stack, 'Role', 'arn:aws:iam::123456789012:role/R');
    // A VPC with isolated subnets only: they are the default.
    const job = new FineTuningJob(stack, 'Job', {
      acceptEula: true,
      trainingDataUri: 's3://data/t/',
      outputUri: 's3://models/o/',
      role,
      vpc,
    });
    expect(job.connections.securityGroups).toHaveLength(1);
    const subnets = Template.fromStack(stack).findResources('Custom::SageMakerTrainingJob');
    expect(Object.values(subnets)[0].Properties.SubnetIds).toHaveLength(vpc.isolatedSubnets.length);
    expect(() => jobStack().job.connections).toThrow(/runs outside a VPC and has no security groups to manage/);
  });
});

describe('FineTuningJob capacity options', () => {
  const plan = 'arn:aws:sagemaker:us-west-2:123456789012:training-plan/llama-p4d-week';

  test("SageMaker's retry, a training plan and a pending limit reach the request; the wait covers pending time plus runtime", () => {
    const { template, job } = jobStack({
      // Training plans reserve p4d, p5 and trn instances, not g5.
      modelId: 'meta-textgeneration-llama-3-70b',
      instanceType: 'ml.p4d.24xlarge',
      retryAttempts: 3,
      trainingPlanArn: plan,
      maxPendingTime: Duration.hours(24),
      maxRuntime: Duration.hours(10),
    });
    template.hasResourceProperties('Custom::SageMakerTrainingJob', {
      MaxRetryAttempts: '3',
      TrainingPlanArn: plan,
      MaxPendingTimeInSeconds: '86400',
      MaxRuntimeInSeconds: '36000',
      // The handler checks at deploy that the plan starts within the wait: 35 hours.
      WaitSeconds: String(35 * 3600),
    });
    // 24 h pending + 10 h runtime + 1 h margin = 35 h.
    expect(job.waitTimeout.toHours()).toBe(35);
    // The training function reads the plan and starts the job on it; nothing else of plans.
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
      (p) => p.Properties.PolicyDocument.Statement,
    );
    expect(statements.filter((s: any) => JSON.stringify(s).includes('training-plan'))).toEqual([
      { Action: ['sagemaker:DescribeTrainingPlan', 'sagemaker:CreateTrainingJob'], Effect: 'Allow', Resource: plan },
    ]);
    expect(JSON.stringify(jobStack().template.toJSON())).not.toContain('DescribeTrainingPlan');
    const waits = Object.values(template.findResources('AWS::CloudFormation::WaitCondition'));
    expect(waits).toHaveLength(4); // 1 + ceil((35 - 12) / 10)
    expect(Number(waits.find((w) => w.Properties.Timeout !== '43200')?.Properties.Timeout)).toBe(5 * 3600); // 35 - 3 x 10
  });

  test('values SageMaker would refuse are refused with its ranges', () => {
    expect(() => jobStack({ retryAttempts: 31 })).toThrow(
      'retryAttempts is 31; allowed: an integer from 1 to 30. Fix: give an integer from 1 to 30, or leave it out for the default.',
    );
    expect(() => jobStack({ maxPendingTime: Duration.hours(1) })).toThrow(
      /maxPendingTime is 3600 seconds; allowed: whole seconds from 7200 to 2419200 \(SageMaker's range\)/,
    );
    expect(() => jobStack({ trainingPlanArn: `${plan.replace('p4d', 'g5')}` })).toThrow(
      /^trainingPlanArn is given for ml\.g5\.12xlarge, which training plans do not reserve: the job could never start\. Allowed with a plan: ml\.p4d\.24xlarge, .*ml\.trn2\.48xlarge\. Fix: train on the plan's instance type, or drop trainingPlanArn\.$/,
    );
    expect(() => jobStack({ trainingPlanArn: 'llama-g5-48xl-week' })).toThrow(
      /^trainingPlanArn is "llama-g5-48xl-week"; allowed: a training plan ARN, arn:aws:sagemaker:<region>:<account>:training-plan\/<name>\. Fix:/,
    );
    expect(() => jobStack({ retryAttempts: '3' as any })).toThrow(
      /retryAttempts is "3"; allowed: an integer from 1 to 30/,
    );
  });
});
