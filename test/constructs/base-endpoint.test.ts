import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { FineTunedModelEndpoint } from '../../lib';
import { fineTuningStack } from '../support/stacks';

describe('the base model on its own endpoint (deployBaseEndpoint)', () => {
  const template = Template.fromStack(fineTuningStack({ deployBaseEndpoint: true }));
  const models = Object.entries(template.findResources('AWS::SageMaker::Model'));

  test("serves JumpStart's prepacked base model, gated, with the licence accepted, from the same hub answer", () => {
    const [, base] = models.find(([id]) => id.startsWith('BaseEndpoint'))!;
    const [, tuned] = models.find(([id]) => id.startsWith('EndpointModel'))!;
    expect(base.Properties.PrimaryContainer.ModelDataSource).toEqual({
      S3DataSource: {
        S3Uri: { 'Fn::GetAtt': [expect.stringMatching(/^JumpStartArtifacts/), 'BaseModelUri'] },
        S3DataType: 'S3Prefix',
        CompressionType: 'None',
        ModelAccessConfig: { AcceptEula: true },
      },
    });
    // The same image and environment as the fine-tuned model, so only the weights differ.
    expect(base.Properties.PrimaryContainer.Image).toEqual(tuned.Properties.PrimaryContainer.Image);
    expect(base.Properties.PrimaryContainer.Environment).toEqual(tuned.Properties.PrimaryContainer.Environment);
    expect(base.Properties.EnableNetworkIsolation).toBe(true);
    // Not after training: it needs no job.
    expect(JSON.stringify(base.DependsOn ?? [])).not.toMatch(/WaitForTraining|FineTuningJob/);
  });

  test('its own endpoint and outputs, and the evaluate command comparing the two', () => {
    expect(Object.keys(template.findResources('AWS::SageMaker::Endpoint'))).toHaveLength(2);
    template.hasOutput('BaseEndpointName', {});
    const evaluate = JSON.stringify(template.findOutputs('EvaluateCommand'));
    expect(evaluate).toContain('npx llama3-ft evaluate --region ');
    expect(evaluate).toContain(' --baseline-endpoint ');
  });

  test('scales to zero with the fine-tuned endpoint: one inference component each', () => {
    const scaled = Template.fromStack(fineTuningStack({ deployBaseEndpoint: true, endpointScaleToZero: {} }));
    const components = Object.values(scaled.findResources('AWS::SageMaker::InferenceComponent'));
    expect(components).toHaveLength(2);
    expect(new Set(components.map((c) => c.Properties.InferenceComponentName)).size).toBe(2);
    const evaluate = JSON.stringify(scaled.findOutputs('EvaluateCommand'));
    for (const c of components) expect(evaluate).toContain(c.Properties.InferenceComponentName);
  });

  test('off by default; refused without the licence or with a model of its own', () => {
    expect(Object.keys(Template.fromStack(fineTuningStack()).findResources('AWS::SageMaker::Endpoint'))).toHaveLength(
      1,
    );
    const stack = new Stack(new App(), 'E');
    const role = iam.Role.fromRoleArn(stack, 'Role', 'arn:aws:iam::123456789012:role/R', { mutable: false });
    expect(() => new FineTunedModelEndpoint(stack, 'A', { role, baseModel: true })).toThrow(
      /acceptEula is undefined with baseModel; the base model's hosting artifacts are gated by its licence/,
    );
    expect(
      () =>
        new FineTunedModelEndpoint(stack, 'B', {
          role,
          baseModel: true,
          acceptEula: true,
          modelArtifactsUri: 's3://m/model/',
        }),
    ).toThrow(/modelArtifactsUri given with baseModel/);
    expect(() => new FineTunedModelEndpoint(stack, 'C', { role, baseModel: 'yes' as never, acceptEula: true })).toThrow(
      /baseModel is "yes"; allowed: true or false/,
    );
  });
});
