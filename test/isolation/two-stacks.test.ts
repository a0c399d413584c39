/**
 * Dev and Staging with the same configuration in one account and region, and two
 * jobs in one stack: synthesized side by side, then their real handlers driven
 * against moto_server with each other's events.
 */
import { CloudFormationClient, ListStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import { App, Stack } from 'aws-cdk-lib';
import { mockClient } from 'aws-sdk-client-mock';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { FineTuningJob, Llama3FineTuningStack } from '../../lib';
import { MotoServer } from '../support/moto';
import { ResponseRecorder } from '../support/response-recorder';
import { PROPS } from '../support/training-props';

const ENV = { account: '123456789012', region: 'us-east-1' };

interface SynthesizedJob {
  readonly prefix: string;
  readonly properties: Record<string, any>;
  readonly rulePrefix: string;
  readonly ruleInput: string;
  /** The hourly tick's input (a wait longer than 12 hours has one, named after the job prefix). */
  readonly tickInput: string;
  /** Resources of every statement on the two handler roles that names training jobs. */
  readonly jobResources: string[];
}

function synthesizedJobs(stack: Stack): SynthesizedJob[] {
  const template = Template.fromStack(stack);
  const rules = Object.values(template.findResources('AWS::Events::Rule'));
  const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
    (p) => p.Properties.PolicyDocument.Statement as any[],
  );
  return Object.values(template.findResources('Custom::SageMakerTrainingJob')).map((job) => {
    const prefix = job.Properties.JobNamePrefix as string;
    const rule = rules.find((r) => r.Properties.EventPattern?.detail.TrainingJobName[0].prefix === `${prefix}-`);
    const tick = rules.find((r) => r.Properties.Name === `${prefix}-${job.Properties.InputsHash}-tick`);
    const jobResources = statements.map((s) => JSON.stringify(s.Resource)).filter((r) => r.includes('training-job/'));
    return {
      prefix,
      properties: job.Properties,
      rulePrefix: rule!.Properties.EventPattern.detail.TrainingJobName[0].prefix,
      ruleInput: JSON.stringify(rule!.Properties.Targets[0].InputTransformer.InputTemplate),
      tickInput: JSON.stringify(tick?.Properties.Targets[0].Input ?? null),
      jobResources,
    };
  });
}

/** `{Fn::Join: ['/', [{Ref: 'AWS::StackId'}, id]]}` as CloudFormation resolves it for a stack. */
function resolveWaitId(waitId: any, stackId: string): string {
  const [separator, parts] = waitId['Fn::Join'];
  return parts.map((p: any) => (p.Ref === 'AWS::StackId' ? stackId : p)).join(separator);
}

/** One app with Dev and Staging of the same configuration, both built before either is synthesized. */
function devAndStaging(): { dev: SynthesizedJob; staging: SynthesizedJob } {
  const app = new App();
  const dev = new Llama3FineTuningStack(app, 'Dev', { acceptEula: true, env: ENV });
  const staging = new Llama3FineTuningStack(app, 'Staging', { acceptEula: true, env: ENV });
  return { dev: synthesizedJobs(dev)[0], staging: synthesizedJobs(staging)[0] };
}

describe('two stacks of the same configuration in one account', () => {
  const { dev: devJob, staging: stagingJob } = devAndStaging();

  test("get job name prefixes that neither matches the other's jobs", () => {
    expect(devJob.prefix).not.toBe(stagingJob.prefix);
    expect(`${stagingJob.prefix}-0a1b2c`.startsWith(devJob.rulePrefix)).toBe(false);
    expect(`${devJob.prefix}-0a1b2c`.startsWith(stagingJob.rulePrefix)).toBe(false);
  });

  test("each stack's handlers may start, stop, tag and read only its own jobs", () => {
    expect(devJob.jobResources.length).toBeGreaterThanOrEqual(2); // training handler, signal handler
    for (const resource of devJob.jobResources) {
      expect(resource).toContain(`training-job/${devJob.prefix.toLowerCase()}-*`);
      expect(resource).not.toContain(stagingJob.prefix.toLowerCase());
    }
    for (const resource of stagingJob.jobResources) expect(resource).not.toContain(devJob.prefix.toLowerCase());
  });

  test("the rule target and the custom resource name the same wait: this stack's handle", () => {
    const handleId = devJob.properties.WaitId['Fn::Join'][1][1];
    expect(handleId).toMatch(/^FineTuningJobWaitHandle[0-9a-f]{8}[0-9A-F]{8}$/);
    expect(devJob.properties.WaitHandleUrl).toEqual({ Ref: handleId });
    expect(devJob.ruleInput).toContain(handleId);
    expect(devJob.ruleInput).toContain('AWS::StackId');
  });
});

describe('two identical jobs in one stack', () => {
  test('are kept apart: own prefixes, rules and scopes', () => {
    const stack = new Stack(new App(), 'Platform', { env: ENV });
    const role = iam.Role.fromRoleArn(stack, 'Role', 'arn:aws:iam::123456789012:role/SageMaker', { mutable: false });
    const props = { acceptEula: true, role, trainingDataUri: 's3://data/train/', outputUri: 's3://models/out/' };
    new FineTuningJob(stack, 'First', props);
    new FineTuningJob(stack, 'Second', props);
    const [first, second] = synthesizedJobs(stack);
    const handleIds = Object.keys(Template.fromStack(stack).findResources('AWS::CloudFormation::WaitConditionHandle'));
    expect(first.prefix).not.toBe(second.prefix);
    expect(`${second.prefix}-0a1b2c`.startsWith(first.rulePrefix)).toBe(false);
    expect(first.properties.WaitId).not.toEqual(second.properties.WaitId);
    // Each job's hourly tick hands over only its own chain of waits.
    const firstHandles = handleIds.filter((id) => id.startsWith('FirstWaitHandle'));
    expect(firstHandles).toHaveLength(10); // 100 hours + 1: ten waits
    expect(handleIds).toHaveLength(20);
    for (const id of firstHandles) {
      expect(first.tickInput).toContain(`\\"${id}\\"`);
      expect(second.tickInput).not.toContain(id);
    }
  });
});

describe("the real handlers of Dev and Staging against moto, fed each other's events", () => {
  const moto = new MotoServer();
  const devWait = new ResponseRecorder();
  const stagingWait = new ResponseRecorder();
  const responses = new ResponseRecorder();
  let trainingJob: typeof import('../../lib/handlers/training-job');
  let signal: typeof import('../../lib/handlers/signal-wait-condition');
  let sdk: typeof import('@aws-sdk/client-sagemaker');
  const urls: Record<string, string> = {};
  const cloudFormation = mockClient(CloudFormationClient);

  beforeAll(async () => {
    await moto.start();
    moto.useForSdk();
    // Each stack's handle, as its own ListStackResources reports it (moto's CloudFormation has no wait handles).
    cloudFormation.on(ListStackResourcesCommand).callsFake(({ StackName }) => ({
      StackResourceSummaries: [
        {
          LogicalResourceId: 'Handle',
          PhysicalResourceId: StackName === stacks.dev.id ? urls.dev : urls.staging,
          ResourceStatus: 'CREATE_COMPLETE',
        },
      ],
    }));
    urls.dev = await devWait.start();
    urls.staging = await stagingWait.start();
    urls.responses = await responses.start();
    trainingJob = await import('../../lib/handlers/training-job');
    signal = await import('../../lib/handlers/signal-wait-condition');
    sdk = await import('@aws-sdk/client-sagemaker');
  });
  afterAll(async () => {
    cloudFormation.restore();
    await Promise.all([devWait.stop(), stagingWait.stop(), responses.stop()]);
    await moto.stop();
  });

  const jobs = devAndStaging();
  const stacks = {
    dev: { job: jobs.dev, id: 'arn:aws:cloudformation:us-east-1:123456789012:stack/Dev/1111' },
    staging: { job: jobs.staging, id: 'arn:aws:cloudformation:us-east-1:123456789012:stack/Staging/2222' },
  };
  const waitId = (name: 'dev' | 'staging') => resolveWaitId(stacks[name].job.properties.WaitId, stacks[name].id);

  async function create(name: 'dev' | 'staging'): Promise<string> {
    const { job, id } = stacks[name];
    await trainingJob.handler({
      RequestType: 'Create',
      ResponseURL: urls.responses,
      StackId: id,
      RequestId: `${name}-create`,
      LogicalResourceId: 'FineTuningJob',
      ResourceType: 'Custom::SageMakerTrainingJob',
      // The stack's own prefix and wait; the rest as the resolved template would send it.
      ResourceProperties: {
        ...PROPS,
        RoleArn: 'arn:aws:iam::123456789012:role/SageMaker',
        JobNamePrefix: job.prefix,
        WaitHandleUrl: urls[name],
        WaitId: waitId(name),
      },
    });
    const response = responses.bodies[responses.bodies.length - 1];
    expect(response.Status).toBe('SUCCESS');
    return response.PhysicalResourceId;
  }

  async function endEvent(jobName: string) {
    const job = await new sdk.SageMakerClient({}).send(
      new sdk.DescribeTrainingJobCommand({ TrainingJobName: jobName }),
    );
    return { TrainingJobName: jobName, TrainingJobArn: job.TrainingJobArn, TrainingJobStatus: 'Completed' };
  }

  test("each stack's job ending signals its own wait only", async () => {
    const devName = await create('dev');
    const stagingName = await create('staging');
    expect(devName.startsWith(`${stacks.dev.job.prefix}-`)).toBe(true);
    expect(stagingName.startsWith(`${stacks.staging.job.prefix}-`)).toBe(true);

    // Staging's job ending, delivered to Dev's target (as a too-broad rule would): nothing.
    await signal.handler({
      stackId: stacks.dev.id,
      handleIds: ['Handle'],
      tickRuleName: 'no-tick-rule',
      waitId: waitId('dev'),
      detail: await endEvent(stagingName),
    });
    expect(devWait.bodies).toEqual([]);
    // Dev's own job ending: Dev's wait, once.
    await signal.handler({
      stackId: stacks.dev.id,
      handleIds: ['Handle'],
      tickRuleName: 'no-tick-rule',
      waitId: waitId('dev'),
      detail: await endEvent(devName),
    });
    expect(devWait.bodies).toEqual([
      {
        Status: 'SUCCESS',
        Reason: `Training job ${devName} completed`,
        UniqueId: devName,
        // Where moto says the model is: the handler reads the job from SageMaker, not from the event.
        Data: `s3://models/output/${devName}/output/model.tar.gz`,
      },
    ]);
    // And the other way round.
    await signal.handler({
      stackId: stacks.staging.id,
      handleIds: ['Handle'],
      tickRuleName: 'no-tick-rule',
      waitId: waitId('staging'),
      detail: await endEvent(devName),
    });
    expect(stagingWait.bodies).toEqual([]);
    await signal.handler({
      stackId: stacks.staging.id,
      handleIds: ['Handle'],
      tickRuleName: 'no-tick-rule',
      waitId: waitId('staging'),
      detail: await endEvent(stagingName),
    });
    expect(stagingWait.bodies.map((b) => b.UniqueId)).toEqual([stagingName]);
  });
});
