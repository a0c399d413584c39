import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { JumpStartModelArtifacts } from '../../lib';

describe('JumpStartModelArtifacts', () => {
  test("defaults to the model's own training and hosting instance types, and asks for the hosting environment of that instance", () => {
    const stack = new Stack(new App(), 'A');
    const artifacts = new JumpStartModelArtifacts(stack, 'Artifacts', { modelId: 'meta-textgeneration-llama-3-70b' });
    expect([artifacts.trainingInstanceType, artifacts.hostingInstanceType]).toEqual([
      'ml.g5.48xlarge',
      'ml.p4d.24xlarge',
    ]);
    const names = Object.keys(artifacts.hostingEnvironment); // read first: the hosting resource is made on first use
    const resources = Template.fromStack(stack).findResources('Custom::JumpStartModelArtifacts');
    const resource = Object.values<any>(resources).find((r) => r.Properties.HostingInstanceType)!;
    expect(resource.Properties.HostingInstanceType).toBe('ml.p4d.24xlarge');
    // 8 GPUs on ml.p4d.24xlarge; eager mode for 70B (FACTS §7).
    expect(resource.Properties.HostingEnvironment).toMatchObject({
      OPTION_TENSOR_PARALLEL_DEGREE: '8',
      OPTION_ENFORCE_EAGER: 'true',
      SAGEMAKER_PROGRAM: 'inference.py',
    });
    expect(names.sort()).toEqual(Object.keys(resource.Properties.HostingEnvironment).sort());
  });

  test.each([
    [
      ['ml.g5.12xlarge'],
      /fallbackTrainingInstanceTypes\[0\] is "ml.g5.12xlarge", which does not train meta-textgeneration-llama-3-70b; allowed: .*ml\.p4d\.24xlarge/,
    ],
    [['ml.g5.48xlarge'], /fallbackTrainingInstanceTypes\[0\] is "ml.g5.48xlarge", the same as trainingInstanceType/],
    ['ml.p4d.24xlarge', /fallbackTrainingInstanceTypes is "ml.p4d.24xlarge"; allowed: a list of instance types/],
  ])('fallbackTrainingInstanceTypes %j is refused', (types, message) => {
    const stack = new Stack(new App(), 'A');
    expect(
      () =>
        new JumpStartModelArtifacts(stack, 'Artifacts', {
          modelId: 'meta-textgeneration-llama-3-70b',
          fallbackTrainingInstanceTypes: types as never,
        }),
    ).toThrow(message);
  });

  test('fallbackTrainingInstanceTypes are asked of the hub with the training type', () => {
    const stack = new Stack(new App(), 'A');
    const artifacts = new JumpStartModelArtifacts(stack, 'Artifacts', {
      modelId: 'meta-textgeneration-llama-3-70b',
      fallbackTrainingInstanceTypes: ['ml.p4d.24xlarge'],
    });
    expect(artifacts.fallbackTrainingInstanceTypes).toEqual(['ml.p4d.24xlarge']);
    Template.fromStack(stack).hasResourceProperties('Custom::JumpStartModelArtifacts', {
      TrainingInstanceType: 'ml.g5.48xlarge',
      FallbackTrainingInstanceTypes: ['ml.p4d.24xlarge'],
    });
  });

  test('training and hosting are resolved apart: hosting asks for the version training resolved, and only once used', () => {
    const artifactsIn = (stack: Stack) =>
      new JumpStartModelArtifacts(stack, 'Artifacts', { modelId: 'meta-textgeneration-llama-3-8b' });
    const resolved = (stack: Stack) => Template.fromStack(stack).findResources('Custom::JumpStartModelArtifacts');

    const trainingOnly = new Stack(new App(), 'A');
    artifactsIn(trainingOnly);
    const [training] = Object.values<any>(resolved(trainingOnly)); // nothing serves: no hosting lookup
    expect(Object.keys(resolved(trainingOnly))).toHaveLength(1);
    expect(training.Properties).toEqual({
      ServiceToken: expect.anything(),
      ServiceTimeout: '300',
      ModelId: 'meta-textgeneration-llama-3-8b',
      HubContentVersion: '',
      TrainingInstanceType: 'ml.g5.12xlarge',
    });

    const serving = new Stack(new App(), 'B');
    const artifacts = artifactsIn(serving);
    const [image, base] = [artifacts.hostingImageUri, artifacts.baseModelUri].map((t) => serving.resolve(t));
    const [trainingId, hostingId] = Object.keys(resolved(serving));
    expect([image, base]).toEqual([
      { 'Fn::GetAtt': [hostingId, 'HostingImageUri'] },
      { 'Fn::GetAtt': [hostingId, 'BaseModelUri'] },
    ]);
    expect(Object.keys(resolved(serving))).toHaveLength(2); // one hosting lookup, however often it is read
    const hosting = resolved(serving)[hostingId];
    expect(hosting.Properties).toMatchObject({
      HubContentVersion: { 'Fn::GetAtt': [trainingId, 'HubContentVersion'] },
      HostingInstanceType: 'ml.g5.12xlarge',
    });
    expect(hosting.Properties.TrainingInstanceType).toBeUndefined();
  });

  test("the hub function reads the model's content with and without a version, and nothing else", () => {
    const stack = new Stack(new App(), 'A', { env: { account: '123456789012', region: 'us-west-2' } });
    new JumpStartModelArtifacts(stack, 'Artifacts', { modelId: 'meta-textgeneration-llama-3-8b' });
    const statements = Object.values<any>(Template.fromStack(stack).findResources('AWS::IAM::Policy')).flatMap(
      (p) => p.Properties.PolicyDocument.Statement,
    );
    const hub = statements.find((s) => s.Action === 'sagemaker:DescribeHubContent');
    const arns = stack.resolve(hub.Resource).map((r: any) => r['Fn::Join'][1].slice(2).join(''));
    expect(arns).toEqual([
      ':sagemaker:us-west-2:aws:hub/SageMakerPublicHub',
      ':sagemaker:us-west-2:aws:hub-content/SageMakerPublicHub/Model/meta-textgeneration-llama-3-8b',
      ':sagemaker:us-west-2:aws:hub-content/SageMakerPublicHub/Model/meta-textgeneration-llama-3-8b/*',
    ]);
  });

  test('an instance type the catalogue does not know is refused with the ones the model is served on', () => {
    expect(
      () =>
        new JumpStartModelArtifacts(new Stack(new App(), 'A'), 'Artifacts', {
          modelId: 'meta-textgeneration-llama-3-8b',
          hostingInstanceType: 'ml.t3.medium',
        }),
    ).toThrow(
      /^hostingInstanceType is "ml.t3.medium", which does not serve meta-textgeneration-llama-3-8b; allowed: ml.g5.2xlarge, .*Fix: use one of these, or leave it out.$/,
    );
  });

  test('a model the catalogue does not know is refused with the known ones', () => {
    expect(
      () =>
        new JumpStartModelArtifacts(new Stack(new App(), 'A'), 'Artifacts', { modelId: 'meta-textgeneration-llama-9' }),
    ).toThrow(
      /^modelId is "meta-textgeneration-llama-9", which is not a known model; known: meta-textgeneration-llama-3-8b/,
    );
  });
});
