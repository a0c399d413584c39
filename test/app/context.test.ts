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

  test('keys of the CDK toolkit are ignored, with those `cdk acknowledge` and `cdk cli-telemetry` save', () => {
    expect(
      configurationFromContext({
        'aws:cdk:enable-path-metadata': true,
        '@aws-cdk/core:newStyleStackSynthesis': true,
        'availability-zones:account=123456789012:region=us-east-1': ['us-east-1a'],
        'cli-telemetry': false,
        'acknowledged-issue-numbers': [34892],
      }),
    ).toEqual({ hyperparameters: {} });
  });

  // What -c key=value gives (always a string, maybe with spaces around) and what cdk.json gives (JSON types).
  test.each<[string, Record<string, unknown>, object]>([
    [
      'a boolean in any case, spaces trimmed',
      { accept_eula: ' TRUE ', deploy_endpoint: 'False' },
      {
        acceptEula: true,
        deployEndpoint: false,
      },
    ],
    ['a JSON boolean', { accept_eula: true, deploy_endpoint: false }, { acceptEula: true, deployEndpoint: false }],
    [
      'an integer, spaces trimmed, or a JSON number',
      { instance_count: ' 2 ', max_run: 36000 },
      {
        trainingInstanceCount: 2,
        trainingMaxRunSeconds: 36000,
      },
    ],
    ['the least count', { endpoint_instance_count: '1' }, { endpointInstanceCount: 1 }],
    ['a budget with cents', { max_budget_usd: '12.50' }, { maxBudgetUsd: 12.5 }],
    ['a budget with a bare point', { max_budget_usd: '12.' }, { maxBudgetUsd: 12 }],
    ['a budget under a dollar, without its 0', { max_budget_usd: '.75' }, { maxBudgetUsd: 0.75 }],
    ['a budget of a cent, the least above 0', { max_budget_usd: '0.01' }, { maxBudgetUsd: 0.01 }],
    ['a budget with spaces', { max_budget_usd: ' 50 ' }, { maxBudgetUsd: 50 }],
    ['a JSON number for a budget', { max_budget_usd: 50 }, { maxBudgetUsd: 50 }],
    [
      'a list of one',
      { fallback_instance_types: 'ml.g5.24xlarge' },
      {
        trainingFallbackInstanceTypes: ['ml.g5.24xlarge'],
      },
    ],
    [
      'a comma-separated list',
      { model_consumer_accounts: '111122223333,444455556666' },
      {
        modelConsumerAccountIds: ['111122223333', '444455556666'],
      },
    ],
    [
      'a JSON array for a list',
      { fallback_instance_types: ['ml.g5.24xlarge', 'ml.g5.48xlarge'] },
      {
        trainingFallbackInstanceTypes: ['ml.g5.24xlarge', 'ml.g5.48xlarge'],
      },
    ],
    [
      'a scaling target with only the fewest instances',
      { endpoint_target_invocations: '10', endpoint_min_instances: '2' },
      {
        endpointTargetInvocations: 10,
        endpointMinInstances: 2,
      },
    ],
    [
      'a scaling target with only the most instances',
      { endpoint_target_invocations: '10', endpoint_max_instances: '4' },
      {
        endpointTargetInvocations: 10,
        endpointMaxInstances: 4,
      },
    ],
  ])('%s is taken', (_what, context, expected) => {
    expect(configurationFromContext(context)).toEqual({ ...expected, hyperparameters: {} });
  });

  test.each<[string, Record<string, unknown>, object]>([
    ['a JSON number for a float', { learning_rate: 0.0002 }, { learningRate: 0.0002 }],
    ['a float with spaces', { lora_dropout: ' 0.1 ' }, { loraDropout: 0.1 }],
    ['a number of workers', { preprocessing_num_workers: '4' }, { preprocessingNumWorkers: 4 }],
    [
      'JSON null for the number of workers (None)',
      { preprocessing_num_workers: null },
      {
        preprocessingNumWorkers: undefined,
      },
    ],
    ['a chat template name', { chat_template: 'Llama3.1' }, { chatTemplate: 'Llama3.1' }],
  ])('hyperparameters: %s is taken', (_what, context, expected) => {
    expect(configurationFromContext(context).hyperparameters).toEqual(expected);
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
    // Booleans: the whole word, and a JSON number is not one.
    [{ accept_eula: 'xtrue' }, /context key "accept_eula" is "xtrue"; allowed: true or false/],
    [{ deploy_endpoint: 'falsey' }, /context key "deploy_endpoint" is "falsey"; allowed: true or false/],
    [
      { accept_eula: 1 },
      /context key "accept_eula" is 1; allowed: true or false .* Fix: -c accept_eula=<true or false>\./,
    ],
    [{ int8_quantization: 1 }, /context key "int8_quantization" is 1; allowed: True or False/],
    // Integers and numbers: below the key's least, not whole, not decimal, not a number at all.
    [
      { instance_count: '0' },
      /"instance_count" is "0"; allowed: an integer >= 1 \(training instance count\)\. Fix: e\.g\. -c instance_count=1\./,
    ],
    [{ instance_count: 1.5 }, /"instance_count" is 1\.5; allowed: an integer >= 1/],
    [
      { max_retry_attempts: 'ten' },
      /"max_retry_attempts" is "ten"; allowed: an integer \(SageMaker's retry .*\)\. Fix: -c max_retry_attempts=<an integer>\./,
    ],
    [{ max_retry_attempts: 2.5 }, /"max_retry_attempts" is 2\.5; allowed: an integer/],
    [{ instance_count: true }, /"instance_count" is true; allowed: an integer >= 1/],
    [
      { max_budget_usd: '0' },
      /"max_budget_usd" is "0"; allowed: a positive number of US dollars .* Fix: e\.g\. -c max_budget_usd=50\./,
    ],
    [{ max_budget_usd: '1e3' }, /"max_budget_usd" is "1e3"; allowed: a positive number of US dollars/],
    [{ max_budget_usd: 'Infinity' }, /"max_budget_usd" is "Infinity"; allowed: a positive number of US dollars/],
    [{ max_budget_usd: '0x32' }, /"max_budget_usd" is "0x32"; allowed: a positive number of US dollars/],
    [{ max_budget_usd: '50 USD' }, /"max_budget_usd" is "50 USD"; allowed: a positive number of US dollars/],
    [{ max_budget_usd: true }, /"max_budget_usd" is true; allowed: a positive number of US dollars/],
    // Lists: no empty entry, no spaces, strings only.
    [
      { fallback_instance_types: '' },
      /"fallback_instance_types" is ""; allowed: values separated by commas, without spaces/,
    ],
    [
      { fallback_instance_types: 'ml.g5.24xlarge,,ml.g5.48xlarge' },
      /"fallback_instance_types" is "ml\.g5\.24xlarge,,ml\.g5\.48xlarge"; allowed: values separated by commas/,
    ],
    [
      { fallback_instance_types: 'ml.g5.24xlarge,' },
      /"fallback_instance_types" is "ml\.g5\.24xlarge,"; allowed: values separated by commas/,
    ],
    [
      { model_consumer_accounts: '111122223333, 444455556666' },
      /"model_consumer_accounts" is "111122223333, 444455556666"; allowed: values separated by commas, without spaces/,
    ],
    [
      { model_consumer_accounts: 111122223333 },
      /"model_consumer_accounts" is 111122223333; allowed: values separated by commas/,
    ],
    [
      { fallback_instance_types: ['ml.g5.24xlarge', 5] },
      /"fallback_instance_types" is \["ml\.g5\.24xlarge",5\]; allowed: values separated by commas/,
    ],
    // Strings: a JSON number or boolean is not one.
    [
      { instance_type: 5 },
      /"instance_type" is 5; allowed: a string \(training instance type\)\. Fix: -c instance_type=<a string>\./,
    ],
    [{ endpoint_name: true }, /"endpoint_name" is true; allowed: a string/],
    // Hyperparameters: each kind, with the default model's default as the example (the workers: a number of them).
    [{ target_modules: 5 }, /"target_modules" is 5; allowed: modules separated by commas without spaces/],
    [
      { target_modules: ['q_proj', 'v_proj'] },
      /"target_modules" is \["q_proj","v_proj"\]; allowed: modules separated by commas without spaces\. Fix: e\.g\. -c target_modules=q_proj,v_proj\./,
    ],
    [{ chat_template: 3 }, /"chat_template" is 3; allowed: a name\. Fix: e\.g\. -c chat_template=Llama3\.1\./],
    [
      { learning_rate: 'fast' },
      /"learning_rate" is "fast", which is not a number\. Fix: e\.g\. -c learning_rate=0\.0001\./,
    ],
    [{ learning_rate: '' }, /"learning_rate" is "", which is not a number/],
    [{ learning_rate: '  ' }, /"learning_rate" is " {2}", which is not a number/],
    [{ learning_rate: true }, /"learning_rate" is true, which is not a number/],
    [
      { lora_dropout: 'Infinity' },
      /"lora_dropout" is "Infinity", which is not a number\. Fix: e\.g\. -c lora_dropout=0\.05\./,
    ],
    [{ epoch: 2.5 }, /"epoch" is 2\.5, which is not an integer\. Fix: e\.g\. -c epoch=5\./],
    [{ epoch: ' 3x' }, /"epoch" is " 3x", which is not an integer/],
    [{ epoch: false }, /"epoch" is false, which is not an integer/],
    [
      { preprocessing_num_workers: 'all' },
      /"preprocessing_num_workers" is "all", which is not an integer\. Fix: e\.g\. -c preprocessing_num_workers=4\./,
    ],
    [
      { endpoint_target_invocations: '20' },
      /"endpoint_target_invocations" is given without endpoint_min_instances or endpoint_max_instances; a target alone scales nothing .* Fix: add -c endpoint_max_instances=<n>/,
    ],
  ])('%o is refused', (context, message) => {
    const problems = problemsOf(context);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
  });

  test('all bad keys are reported together', () => {
    expect(problemsOf({ epoch: 'x', seed: 'y', typo: 1 })).toHaveLength(3);
  });
});
