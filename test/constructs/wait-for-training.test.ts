/** Training without holding the deploy: the job starts, nothing waits, and nothing serves a model that is not there. */
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { FineTunedModelEndpoint, Llama3FineTuningStack } from '../../lib';
import { fineTuningStackFromContext } from '../../lib/app/fine-tuning-app';
import { fineTuningStack, jobStack } from '../support/stacks';

describe('a job with waitForTraining false', () => {
  const { job, stack, template } = jobStack({ waitForTraining: false });

  test('starts its job with no handle, no wait condition, no rule and no signal function', () => {
    template.resourceCountIs('AWS::CloudFormation::WaitConditionHandle', 0);
    template.resourceCountIs('AWS::CloudFormation::WaitCondition', 0);
    template.resourceCountIs('AWS::Events::Rule', 0);
    expect(JSON.stringify(template.toJSON())).not.toContain('signal-wait-condition');
    template.hasResourceProperties('Custom::SageMakerTrainingJob', { WaitHandleUrl: '' });
    expect(job.waitsForTraining).toBe(false);
    expect(job.signalFailureAlarm).toBeUndefined();
  });

  test('names the same job as the waiting configuration: a later deploy with the wait takes it over', () => {
    const waiting = jobStack().template;
    const props = (t: Template) => Object.values(t.findResources('Custom::SageMakerTrainingJob'))[0].Properties;
    expect(props(template).InputsHash).toBe(props(waiting).InputsHash);
    expect(props(template).JobNamePrefix).toBe(props(waiting).JobNamePrefix);
  });

  test('refuses what needs the model: its completion, its trained type, an endpoint serving it', () => {
    const refusal = /trainingComplete of Test\/Job is read, but the job was built with waitForTraining false/;
    expect(() => job.trainingComplete).toThrow(refusal);
    expect(() => job.trainedInstanceType).toThrow(/trainedInstanceType of Test\/Job is read/);
    expect(
      () => new FineTunedModelEndpoint(stack, 'Endpoint', { trainingJob: job, role: job.grantPrincipal as never }),
    ).toThrow(refusal);
  });

  test('a string from JavaScript is refused, not read as true', () => {
    expect(() => jobStack({ waitForTraining: 'false' as never })).toThrow(/waitForTraining is "false"/);
  });
});

describe('the stack with waitForTraining false', () => {
  test('trains and serves nothing; the job name and model location are outputs for the next deploy', () => {
    const template = Template.fromStack(fineTuningStack({ waitForTraining: false }));
    template.resourceCountIs('AWS::SageMaker::Endpoint', 0);
    template.resourceCountIs('AWS::CloudFormation::WaitCondition', 0);
    template.resourceCountIs('Custom::SageMakerTrainingJob', 1);
    expect(Object.keys(template.findOutputs('*'))).toEqual(
      expect.arrayContaining(['TrainingJobName', 'ModelArtifactsUri']),
    );
  });

  test.each([
    [{ deployEndpoint: true }, 'deployEndpoint is given'],
    [{ endpointInstanceType: 'ml.g5.2xlarge' }, 'endpointInstanceType is given'],
    [{ deployBaseEndpoint: true }, 'deployBaseEndpoint is given'],
  ])('%j beside it is refused: nothing could be served', (props, words) => {
    expect(() => fineTuningStack({ waitForTraining: false, ...props })).toThrow(
      new RegExp(`waitForTraining is false, so the deploy ends before the model exists .* but ${words}`),
    );
  });

  test('wait_for_training=false in context, refusals in context keys', () => {
    const app = () => new App({ context: { accept_eula: 'true', wait_for_training: 'false' } });
    const stack = fineTuningStackFromContext(app());
    expect(Template.fromStack(stack).findResources('AWS::SageMaker::Endpoint')).toEqual({});
    const both = new App({ context: { accept_eula: 'true', wait_for_training: 'false', deploy_endpoint: 'true' } });
    expect(() => fineTuningStackFromContext(both)).toThrow(
      /wait_for_training is false, .* but deploy_endpoint is given/,
    );
  });
});

test("the README's two-stack layout: training holds the wait, serving attaches to the finished job and waits for nothing", () => {
  const app = new App();
  const training = new Llama3FineTuningStack(app, 'LlamaTraining', {
    acceptEula: true,
    deployEndpoint: false,
    trainData: 's3://team-data/train/',
  });
  const serving = new Llama3FineTuningStack(app, 'LlamaServing', {
    acceptEula: true,
    existingTrainingJobName: 'llama3-ft-0a1b2c3d-4e5f6a',
  });
  const t = Template.fromStack(training);
  const s = Template.fromStack(serving);
  t.resourceCountIs('AWS::SageMaker::Endpoint', 0);
  expect(Object.keys(t.findResources('AWS::CloudFormation::WaitCondition')).length).toBeGreaterThan(0);
  s.resourceCountIs('AWS::SageMaker::Endpoint', 1);
  s.resourceCountIs('AWS::CloudFormation::WaitCondition', 0);
  s.hasResourceProperties('Custom::SageMakerTrainingJob', { TrainingJobName: 'llama3-ft-0a1b2c3d-4e5f6a' });
  // Independent stacks: no export or import ties one's updates to the other's.
  expect(JSON.stringify(s.toJSON())).not.toContain('Fn::ImportValue');
  expect(serving.dependencies).toEqual([]);
});
