/** The imported models' stacks as `cdk synth -c model_id=...` builds them (cfn-lint, cdk-nag: test/quality). */
import { App } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { fineTuningStackFromContext } from '../../lib/app/fine-tuning-app';
import { TrainingEstimator } from '../../lib/estimates/training-estimate';

function appTemplate(context: Record<string, string>): { template: Template; annotations: Annotations } {
  const stack = fineTuningStackFromContext(new App({ context: { accept_eula: 'true', ...context } }));
  return { template: Template.fromStack(stack), annotations: Annotations.fromStack(stack) };
}

describe('cdk synth -c model_id=meta-textgeneration-llama-3-2-1b-instruct', () => {
  const { template, annotations } = appTemplate({ model_id: 'meta-textgeneration-llama-3-2-1b-instruct' });

  test("trains as the hub document says: g5.2xlarge, chat data, its hyperparameters, JumpStart's chat dataset", () => {
    template.hasResourceProperties('Custom::SageMakerTrainingJob', {
      ModelId: 'meta-textgeneration-llama-3-2-1b-instruct',
      InstanceType: 'ml.g5.2xlarge',
      DisableOutputCompression: 'true',
      TrainingDataUri: {
        'Fn::Join': ['', ['s3://jumpstart-cache-prod-', { Ref: 'AWS::Region' }, '/training-datasets/oasst_top/train/']],
      },
      Hyperparameters: Match.objectLike({ epoch: '1', chat_dataset: 'True', chat_template: 'Llama3.1' }),
    });
  });

  test("serves on the document's default ml.g6.xlarge with its environment, from the uncompressed model", () => {
    template.hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      ProductionVariants: [Match.objectLike({ InstanceType: 'ml.g6.xlarge' })],
    });
    template.hasResourceProperties('Custom::JumpStartModelArtifacts', {
      HostingInstanceType: 'ml.g6.xlarge',
      HostingEnvironment: Match.objectLike({
        OPTION_ENABLE_CHUNKED_PREFILL: 'true',
        OPTION_TENSOR_PARALLEL_DEGREE: '1',
      }),
    });
    template.hasResourceProperties('AWS::SageMaker::Model', {
      PrimaryContainer: Match.objectLike({
        ModelDataSource: { S3DataSource: Match.objectLike({ CompressionType: 'None', S3DataType: 'S3Prefix' }) },
      }),
    });
  });

  test('says at synth that no training time was ever measured for it, rather than inventing one', () => {
    annotations.hasInfo('*', Match.stringLikeRegexp('no measurement: training times were published for Llama 3 only'));
    expect(TrainingEstimator.estimate({ modelId: 'meta-textgeneration-llama-3-2-1b-instruct' }).minutes).toBeNaN();
  });

  test("a scaled-to-zero copy asks the document's resources for the instance type", () => {
    const scaled = appTemplate({
      model_id: 'meta-textgeneration-llama-3-2-1b-instruct',
      scale_to_zero: 'true',
      endpoint_instance_type: 'ml.g5.12xlarge',
    }).template;
    scaled.hasResourceProperties('AWS::SageMaker::InferenceComponent', {
      Specification: Match.objectLike({
        ComputeResourceRequirements: { NumberOfAcceleratorDevicesRequired: 4, MinMemoryRequiredInMb: 98304 },
      }),
    });
  });

  test('a refused instance type and hyperparameter speak in context keys', () => {
    expect(() =>
      appTemplate({ model_id: 'meta-textgeneration-llama-3-2-1b-instruct', instance_type: 'ml.g5.48xlarge' }),
    ).toThrow(/instance_type is "ml.g5.48xlarge", which does not train meta-textgeneration-llama-3-2-1b-instruct/);
    expect(() =>
      appTemplate({ model_id: 'meta-textgeneration-llama-3-2-1b-instruct', chat_template: 'Llama2' }),
    ).toThrow(/chat_template is "Llama2"; allowed: "Llama3.1"/);
  });
});

describe('cdk synth -c model_id=meta-textgeneration-llama-3-1-70b', () => {
  const { template } = appTemplate({ model_id: 'meta-textgeneration-llama-3-1-70b' });

  test('trains with INT8+LoRA on ml.g5.48xlarge and serves on ml.p4d.24xlarge with eager mode', () => {
    template.hasResourceProperties('Custom::SageMakerTrainingJob', {
      InstanceType: 'ml.g5.48xlarge',
      Hyperparameters: Match.objectLike({ int8_quantization: 'True', enable_fsdp: 'False', chat_template: 'Llama3.1' }),
    });
    template.hasResourceProperties('Custom::JumpStartModelArtifacts', {
      HostingInstanceType: 'ml.p4d.24xlarge',
      HostingEnvironment: Match.objectLike({ OPTION_ENFORCE_EAGER: 'true', OPTION_TENSOR_PARALLEL_DEGREE: '8' }),
    });
  });

  test("on ml.p5.48xlarge the document's tensor parallel degree of 4 stands", () => {
    appTemplate({
      model_id: 'meta-textgeneration-llama-3-1-70b',
      endpoint_instance_type: 'ml.p5.48xlarge',
    }).template.hasResourceProperties('Custom::JumpStartModelArtifacts', {
      HostingEnvironment: Match.objectLike({ OPTION_TENSOR_PARALLEL_DEGREE: '4' }),
    });
  });

  test('a refused instance type and technique', () => {
    expect(() =>
      appTemplate({ model_id: 'meta-textgeneration-llama-3-1-70b', instance_type: 'ml.g5.12xlarge' }),
    ).toThrow(
      /instance_type is "ml.g5.12xlarge", which does not train meta-textgeneration-llama-3-1-70b; allowed: ml.g5.48xlarge, ml.p4d.24xlarge/,
    );
    expect(() =>
      appTemplate({ model_id: 'meta-textgeneration-llama-3-1-70b', int8_quantization: 'False', enable_fsdp: 'True' }),
    ).toThrow(/does not train with LoRA\+FSDP/);
  });
});
