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
    const resource = Object.values<any>(Template.fromStack(stack).findResources('Custom::JumpStartModelArtifacts'))[0];
    // 8 GPUs on ml.p4d.24xlarge; eager mode for 70B (FACTS §7).
    expect(resource.Properties.HostingEnvironment).toMatchObject({
      OPTION_TENSOR_PARALLEL_DEGREE: '8',
      OPTION_ENFORCE_EAGER: 'true',
      SAGEMAKER_PROGRAM: 'inference.py',
    });
    expect(Object.keys(artifacts.hostingEnvironment).sort()).toEqual(
      Object.keys(resource.Properties.HostingEnvironment).sort(),
    );
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
