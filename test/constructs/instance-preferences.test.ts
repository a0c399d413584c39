import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { FineTuningJob, JumpStartModelArtifacts } from '../../lib';
import { fineTuningStack, jobStack } from '../support/stacks';

const SEVENTY_B = 'meta-textgeneration-llama-3-70b';

describe('fallback instance types: one job with SageMaker instance preferences', () => {
  const { job, template } = jobStack({ modelId: SEVENTY_B, fallbackInstanceTypes: ['ml.p4d.24xlarge'] });
  const resources = template.toJSON().Resources;
  const [jobId, jobResource] = Object.entries(template.findResources('Custom::SageMakerTrainingJob'))[0];

  test('one set of artifacts, resolved for every type the job may run on; the hub says how the weights go in', () => {
    const artifacts = Object.entries(template.findResources('Custom::JumpStartModelArtifacts'));
    expect(artifacts).toHaveLength(1);
    const [artifactsId, resolved] = artifacts[0];
    expect(resolved.Properties).toMatchObject({
      ModelId: SEVENTY_B,
      TrainingInstanceType: 'ml.g5.48xlarge',
      FallbackTrainingInstanceTypes: ['ml.p4d.24xlarge'],
    });
    expect(jobResource.Properties).toMatchObject({
      InstanceType: 'ml.g5.48xlarge',
      FallbackInstanceTypes: ['ml.p4d.24xlarge'],
      TrainingImageUri: { 'Fn::GetAtt': [artifactsId, 'TrainingImageUri'] },
      GatedWeightsUri: { 'Fn::GetAtt': [artifactsId, 'GatedWeightsUri'] },
      GatedWeightsInput: { 'Fn::GetAtt': [artifactsId, 'GatedWeightsInput'] },
    });
    expect(job.fallbackInstanceTypes).toEqual(['ml.p4d.24xlarge']);
  });

  test('the wait covers one job: the runtime and a provisioning margin', () => {
    // 100 hours of runtime and an hour to queue and provision, whichever type SageMaker picks.
    expect(job.waitTimeout.toHours()).toBe(101);
  });

  test('no copies of the job: the rules and segments carry no fallbacks, the signal function starts nothing', () => {
    expect(JSON.stringify(template.findResources('AWS::Events::Rule'))).not.toContain('ml.p4d.24xlarge');
    for (const segment of Object.values(template.findResources('Custom::TrainingWaitSegment'))) {
      expect(Object.keys(segment.Properties).sort()).toEqual(
        ['HandleUrl', 'JobArn', 'JobName', 'Segment', 'ServiceTimeout', 'ServiceToken', 'WaitId'].sort(),
      );
    }
    const policy = Object.entries(template.findResources('AWS::IAM::Policy')).find(([id]) =>
      id.includes('signalwaitcondition'),
    )![1];
    const actions = (policy.Properties.PolicyDocument.Statement as any[]).flatMap((s) => [s.Action].flat());
    expect(actions).not.toContain('sagemaker:CreateTrainingJob');
    expect(actions).not.toContain('iam:PassRole');
  });

  test("the job's name and model are the one job's; the type SageMaker chose is read after the last wait", () => {
    expect(Stack.of(job).resolve(job.trainingJobName)).toEqual({ 'Fn::GetAtt': [jobId, 'TrainingJobName'] });
    expect(Stack.of(job).resolve(job.modelArtifactsUri)).toEqual({ 'Fn::GetAtt': [jobId, 'ModelArtifactsUri'] });
    const [trainedId, trained] = Object.entries(template.findResources('Custom::SageMakerTrainedJob'))[0];
    expect(trained.Properties).toEqual({
      ServiceToken: expect.anything(),
      ServiceTimeout: '300',
      TrainingJobName: { 'Fn::GetAtt': [jobId, 'TrainingJobName'] },
      ExpectCompressed: 'false',
    });
    const lastWait = Object.keys(template.findResources('AWS::CloudFormation::WaitCondition')).find(
      (id) =>
        !Object.values(resources).some(
          (r: any) => r.Type !== 'Custom::SageMakerTrainedJob' && r.DependsOn?.includes(id),
        ),
    );
    expect(trained.DependsOn).toContain(lastWait);
    expect(Stack.of(job).resolve(job.trainedInstanceType)).toEqual({ 'Fn::GetAtt': [trainedId, 'InstanceType'] });
  });

  test('a job without fallbacks keeps its template: no trained-job resource, artifacts for its type alone', () => {
    const plain = jobStack({ modelId: SEVENTY_B });
    expect(Object.keys(plain.template.findResources('Custom::SageMakerTrainedJob'))).toHaveLength(0);
    plain.template.hasResourceProperties('Custom::JumpStartModelArtifacts', {
      FallbackTrainingInstanceTypes: Match.absent(),
    });
    plain.template.hasResourceProperties('Custom::SageMakerTrainingJob', { FallbackInstanceTypes: Match.absent() });
    expect(plain.job.trainedInstanceType).toBe('ml.g5.48xlarge');
  });

  test("weights given as a prop go in as a model channel when the job may run on several types' families", () => {
    const given = {
      trainingImageUri: 'image:1',
      trainingScriptUri: 's3://code-bucket/c.tar.gz',
      gatedWeightsUri: 's3://weights-bucket/w.tar.gz',
    };
    const several = jobStack({ modelId: SEVENTY_B, fallbackInstanceTypes: ['ml.p4d.24xlarge'], ...given }).template;
    several.hasResourceProperties('Custom::SageMakerTrainingJob', { GatedWeightsInput: 'model-channel' });
    const one = jobStack({ modelId: SEVENTY_B, ...given }).template;
    one.hasResourceProperties('Custom::SageMakerTrainingJob', { GatedWeightsInput: Match.absent() });
  });
});

describe('fallback instance types: what is refused at synth', () => {
  test.each([
    [
      ['ml.g5.12xlarge'],
      'fallbackInstanceTypes[0] is "ml.g5.12xlarge", which does not train meta-textgeneration-llama-3-70b; allowed: instance types that train meta-textgeneration-llama-3-70b other than instanceType ml.g5.48xlarge: ml.p4d.24xlarge. Fix: use one of these.',
    ],
    [
      ['ml.g5.48xlarge'],
      'fallbackInstanceTypes[0] is "ml.g5.48xlarge", the same as instanceType; allowed: instance types that train meta-textgeneration-llama-3-70b other than instanceType ml.g5.48xlarge: ml.p4d.24xlarge. Fix: remove it.',
    ],
    [
      ['ml.p4d.24xlarge', 'ml.p4d.24xlarge'],
      'fallbackInstanceTypes[1] is "ml.p4d.24xlarge", listed already; allowed: each type once. Fix: remove it.',
    ],
    [
      'ml.p4d.24xlarge',
      'fallbackInstanceTypes is "ml.p4d.24xlarge"; allowed: a list of instance types that train meta-textgeneration-llama-3-70b other than instanceType ml.g5.48xlarge: ml.p4d.24xlarge. Fix: e.g. ["ml.p4d.24xlarge"], or leave it out.',
    ],
  ])('%j', (types, message) => {
    expect(() => jobStack({ modelId: SEVENTY_B, fallbackInstanceTypes: types as never })).toThrow(message);
  });

  test('a training plan reserves one instance type: not with fallbacks', () => {
    expect(() =>
      jobStack({
        modelId: SEVENTY_B,
        instanceType: 'ml.p4d.24xlarge',
        fallbackInstanceTypes: ['ml.g5.48xlarge'],
        trainingPlanArn: 'arn:aws:sagemaker:us-west-2:123456789012:training-plan/reserved-p4d',
      }),
    ).toThrow(/fallbackInstanceTypes are given with trainingPlanArn; a training plan reserves one instance type/);
  });

  test('artifacts given to the job must be resolved for the whole list', () => {
    const { stack } = jobStack();
    const resolvedForOne = new JumpStartModelArtifacts(stack, 'Artifacts', {
      modelId: SEVENTY_B,
      trainingInstanceType: 'ml.g5.48xlarge',
    });
    expect(
      () =>
        new FineTuningJob(stack, 'Other', {
          acceptEula: true,
          modelId: SEVENTY_B,
          trainingDataUri: 's3://data/training/',
          outputUri: 's3://models/output/',
          role: iam.Role.fromRoleArn(stack, 'R', 'arn:aws:iam::123456789012:role/SageMakerExecution'),
          artifacts: resolvedForOne,
          fallbackInstanceTypes: ['ml.p4d.24xlarge'],
        }),
    ).toThrow(
      'artifacts were resolved with fallbackTrainingInstanceTypes [], but this job\'s fallbackInstanceTypes are ["ml.p4d.24xlarge"]',
    );
  });

  test("each fallback's own estimate must fit the maximum runtime", () => {
    // 8B: about 58 minutes on ml.g5.12xlarge, 163 on ml.g4dn.12xlarge (the walkthrough's measurements, 5 epochs).
    const fits = jobStack({ maxRuntime: Duration.hours(2) });
    expect(fits.job.instanceType).toBe('ml.g5.12xlarge');
    expect(() => jobStack({ maxRuntime: Duration.hours(2), fallbackInstanceTypes: ['ml.g4dn.12xlarge'] })).toThrow(
      /fallbackInstanceTypes\[0\]: the training estimate for meta-textgeneration-llama-3-8b on ml\.g4dn\.12xlarge is about \d+ minutes .* longer than maxRuntime of 120 minutes/,
    );
  });
});

describe('fallback instance types on the stack', () => {
  test('trainingFallbackInstanceTypes reaches the job; errors name the stack prop; the trained type is an output', () => {
    const template = Template.fromStack(
      fineTuningStack({ modelId: SEVENTY_B, trainingFallbackInstanceTypes: ['ml.p4d.24xlarge'] }),
    );
    template.hasResourceProperties('Custom::SageMakerTrainingJob', { FallbackInstanceTypes: ['ml.p4d.24xlarge'] });
    template.hasOutput('TrainedInstanceType', {
      Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('TrainedJob'), 'InstanceType'] },
    });
    // The endpoint serves the one job's model, whichever type it ran on.
    template.hasResourceProperties('AWS::SageMaker::Model', {
      PrimaryContainer: Match.objectLike({
        ModelDataSource: {
          S3DataSource: Match.objectLike({
            S3Uri: { 'Fn::GetAtt': [Match.stringLikeRegexp('FineTuningJob'), 'ModelArtifactsUri'] },
          }),
        },
      }),
    });
    expect(() => fineTuningStack({ modelId: SEVENTY_B, trainingFallbackInstanceTypes: ['ml.g5.48xlarge'] })).toThrow(
      /trainingFallbackInstanceTypes\[0\] is "ml.g5.48xlarge", the same as trainingInstanceType/,
    );
  });

  test('the dashboard charts the one job and names the types it may run on', () => {
    const stack = fineTuningStack({ modelId: SEVENTY_B, trainingFallbackInstanceTypes: ['ml.p4d.24xlarge'] });
    const body = JSON.stringify(Template.fromStack(stack).findResources('AWS::CloudWatch::Dashboard'));
    expect(body).toContain('on the first of ml.g5.48xlarge, ml.p4d.24xlarge with capacity');
    expect(body).not.toContain('-fb1');
  });
});
