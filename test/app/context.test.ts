import { configurationFromContext } from '../../lib/app/context';
import { isConfigurationError } from '../../lib/config/configuration-error';

function problemsOf(context: Record<string, unknown>): string[] {
  try {
    configurationFromContext(context);
  } catch (e) {
    if (isConfigurationError(e)) return e.problems;
    throw e;
  }
  throw new Error('expected a ConfigurationError');
}

describe('configuration from CDK context', () => {
  test('SageMaker hyperparameter names and -c strings become typed props', () => {
    const config = configurationFromContext({
      accept_eula: 'true',
      model_id: 'meta-textgeneration-llama-3-70b',
      instance_type: 'ml.p4d.24xlarge',
      instance_count: '1',
      epoch: '3',
      learning_rate: '0.0002',
      target_modules: 'q_proj,v_proj,o_proj',
      int8_quantization: 'True',
      enable_fsdp: 'False',
      instruction_tuned: 'true',
      preprocessing_num_workers: 'None',
      train_data: 's3://my-bucket/train/',
    });
    expect(config).toEqual({
      acceptEula: true,
      modelId: 'meta-textgeneration-llama-3-70b',
      trainingInstanceType: 'ml.p4d.24xlarge',
      trainingInstanceCount: 1,
      trainData: 's3://my-bucket/train/',
      hyperparameters: {
        epoch: 3,
        learningRate: 0.0002,
        targetModules: ['q_proj', 'v_proj', 'o_proj'],
        int8Quantization: true,
        enableFsdp: false,
        instructionTuned: true,
        preprocessingNumWorkers: undefined,
      },
    });
  });

  test('typed values from cdk.json are taken as they are', () => {
    expect(configurationFromContext({ epoch: 2, accept_eula: true }).hyperparameters.epoch).toBe(2);
  });

  test('keys of the CDK toolkit are ignored', () => {
    expect(() =>
      configurationFromContext({
        'aws:cdk:enable-path-metadata': true,
        '@aws-cdk/core:newStyleStackSynthesis': true,
        'cli-telemetry': false,
      }),
    ).not.toThrow();
  });

  test.each([
    [{ epoch: 'three' }, /context key "epoch" is "three", which is not an integer\. Fix: e\.g\. -c epoch=5/],
    [{ epoch: '2.5' }, /context key "epoch" is "2\.5", which is not an integer/],
    [{ learning_rate: 'fast' }, /context key "learning_rate" is "fast", which is not a number/],
    [
      { enable_fsdp: 'yes' },
      /context key "enable_fsdp" is "yes"; allowed: True or False\. Fix: -c enable_fsdp=True or -c enable_fsdp=False/,
    ],
    [
      { target_modules: 'q_proj, v_proj' },
      /context key "target_modules" is "q_proj, v_proj"; allowed: modules separated by commas without spaces/,
    ],
    [
      { accept_eula: 'sure' },
      /context key "accept_eula" is "sure"; allowed: true or false \(accept the Meta Llama 3 licence/,
    ],
    [{ instance_count: 'two' }, /context key "instance_count" is "two"; allowed: an integer/],
    [{ epochs: '3' }, /context key "epochs" is not known; known: accept_eula, .*epoch,.* Did you mean epoch\?/],
  ])('%o is refused', (context, message) => {
    const problems = problemsOf(context);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
  });

  test('all bad keys are reported together', () => {
    expect(problemsOf({ epoch: 'x', seed: 'y', typo: 1 })).toHaveLength(3);
  });
});
