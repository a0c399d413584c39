import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { fineTuningStack, jobStack } from '../support/stacks';

const SEVENTY_B = 'meta-textgeneration-llama-3-70b';

describe('fallback instance types: the template', () => {
  const { job, template } = jobStack({ modelId: SEVENTY_B, fallbackInstanceTypes: ['ml.p4d.24xlarge'] });
  const resources = template.toJSON().Resources;
  const [jobId, jobResource] = Object.entries(template.findResources('Custom::SageMakerTrainingJob'))[0];

  test("each fallback type gets JumpStart's image and gated weights for its own family, from the job's hub version", () => {
    const artifacts = template.findResources('Custom::JumpStartModelArtifacts');
    const [fallbackId, fallback] = Object.entries(artifacts).find(([id]) => id.startsWith('JobFallbackArtifacts1'))!;
    const [primaryId] = Object.entries(artifacts).find(([id]) => id.startsWith('JobArtifacts'))!;
    expect(fallback.Properties).toMatchObject({
      ModelId: SEVENTY_B,
      TrainingInstanceType: 'ml.p4d.24xlarge',
      HubContentVersion: { 'Fn::GetAtt': [primaryId, 'HubContentVersion'] },
    });
    expect(jobResource.Properties.InstanceType).toBe('ml.g5.48xlarge');
    expect(jobResource.Properties.Fallbacks).toEqual([
      {
        InstanceType: 'ml.p4d.24xlarge',
        VolumeSizeInGB: '30',
        TrainingImageUri: { 'Fn::GetAtt': [fallbackId, 'TrainingImageUri'] },
        GatedWeightsUri: { 'Fn::GetAtt': [fallbackId, 'GatedWeightsUri'] },
        // p4d has no gated weights of its own in current hub documents: the hub says how they go.
        GatedWeightsInput: { 'Fn::GetAtt': [fallbackId, 'GatedWeightsInput'] },
      },
    ]);
  });

  test('the wait covers a provisioning margin per job of the chain', () => {
    // 100 hours of runtime, and an hour for each of the two jobs that may queue and provision.
    expect(job.waitTimeout.toHours()).toBe(102);
  });

  test('the rules tell the signal function the fallbacks, and every segment how many there are', () => {
    for (const rule of Object.values(template.findResources('AWS::Events::Rule'))) {
      expect(JSON.stringify(rule.Properties.Targets[0])).toContain('ml.p4d.24xlarge');
    }
    const segments = Object.values(template.findResources('Custom::TrainingWaitSegment'));
    expect(segments.length).toBeGreaterThan(0);
    for (const segment of segments) expect(segment.Properties.FallbackCount).toBe('1');
  });

  test('the signal function may create and tag jobs under the prefix only, and pass only the execution role', () => {
    const prefix = jobResource.Properties.JobNamePrefix.toLowerCase();
    const policy = Object.entries(template.findResources('AWS::IAM::Policy')).find(([id]) =>
      id.includes('signalwaitcondition'),
    )![1];
    const statements = policy.Properties.PolicyDocument.Statement as any[];
    const create = statements.find((s) => [s.Action].flat().includes('sagemaker:CreateTrainingJob'));
    expect(create.Action).toEqual(['sagemaker:CreateTrainingJob', 'sagemaker:AddTags']);
    expect(JSON.stringify(create.Resource)).toContain(`training-job/${prefix}-*`);
    expect(statements).toContainEqual(
      expect.objectContaining({
        Action: 'iam:PassRole',
        Resource: 'arn:aws:iam::123456789012:role/SageMakerExecution',
        Condition: { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } },
      }),
    );
  });

  test('which job trained is read after the last wait; the model and its name come from there', () => {
    const [trainedId, trained] = Object.entries(template.findResources('Custom::SageMakerTrainedJob'))[0];
    expect(trained.Properties).toMatchObject({
      TrainingJobName: { 'Fn::GetAtt': [jobId, 'TrainingJobName'] },
      FallbackCount: '1',
      ExpectCompressed: 'false',
    });
    const lastWait = Object.keys(template.findResources('AWS::CloudFormation::WaitCondition')).find(
      (id) =>
        !Object.values(resources).some(
          (r: any) => r.Type !== 'Custom::SageMakerTrainedJob' && r.DependsOn?.includes(id),
        ),
    );
    expect(trained.DependsOn).toContain(lastWait);
    expect(Stack.of(job).resolve(job.modelArtifactsUri)).toEqual({ 'Fn::GetAtt': [trainedId, 'ModelArtifactsUri'] });
    expect(Stack.of(job).resolve(job.trainedInstanceType)).toEqual({ 'Fn::GetAtt': [trainedId, 'InstanceType'] });
    expect(Stack.of(job).resolve(job.candidateJobs)).toEqual([
      { instanceType: 'ml.g5.48xlarge', trainingJobName: { 'Fn::GetAtt': [jobId, 'TrainingJobName'] } },
      {
        instanceType: 'ml.p4d.24xlarge',
        trainingJobName: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [jobId, 'TrainingJobName'] }, '-fb1']] },
      },
    ]);
  });

  test('a job without fallbacks keeps its template: no trained-job resource, no fallback artifacts', () => {
    const plain = jobStack({ modelId: SEVENTY_B }).template;
    expect(Object.keys(plain.findResources('Custom::SageMakerTrainedJob'))).toHaveLength(0);
    expect(Object.keys(plain.findResources('Custom::JumpStartModelArtifacts'))).toHaveLength(1);
    plain.hasResourceProperties('Custom::SageMakerTrainingJob', { Fallbacks: Match.absent() });
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
      'fallbackInstanceTypes[0] is "ml.g5.48xlarge", the job\'s own instanceType; allowed: instance types that train meta-textgeneration-llama-3-70b other than instanceType ml.g5.48xlarge: ml.p4d.24xlarge. Fix: remove it.',
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
    template.hasResourceProperties('Custom::SageMakerTrainingJob', {
      Fallbacks: [Match.objectLike({ InstanceType: 'ml.p4d.24xlarge' })],
    });
    template.hasOutput('TrainedInstanceType', {
      Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('TrainedJob'), 'InstanceType'] },
    });
    // The endpoint serves the model of whichever job trained.
    template.hasResourceProperties('AWS::SageMaker::Model', {
      PrimaryContainer: Match.objectLike({
        ModelDataSource: {
          S3DataSource: Match.objectLike({
            S3Uri: { 'Fn::GetAtt': [Match.stringLikeRegexp('TrainedJob'), 'ModelArtifactsUri'] },
          }),
        },
      }),
    });
    expect(() => fineTuningStack({ modelId: SEVENTY_B, trainingFallbackInstanceTypes: ['ml.g5.48xlarge'] })).toThrow(
      /trainingFallbackInstanceTypes\[0\] is "ml.g5.48xlarge", the job's own trainingInstanceType/,
    );
  });

  test('the dashboard charts each candidate job, labelled with its instance type', () => {
    const stack = fineTuningStack({ modelId: SEVENTY_B, trainingFallbackInstanceTypes: ['ml.p4d.24xlarge'] });
    const body = JSON.stringify(Template.fromStack(stack).findResources('AWS::CloudWatch::Dashboard'));
    expect(body).toContain('train-loss (ml.g5.48xlarge)');
    expect(body).toContain('train-loss (ml.p4d.24xlarge)');
    expect(body).toContain('-fb1/algo-1');
    expect(body).toContain('falling back to ml.p4d.24xlarge on capacity errors');
  });
});
