import { isConfigurationError } from '../../lib/config/configuration-error';
import { resolveTrainingConfiguration, toSageMakerHyperparameters } from '../../lib/config/training-configuration';
import { Hyperparameters } from '../../lib/config/hyperparameters';
import { hyperparameterMeaning } from '../../lib/config/hyperparameter-specs';
import { MODEL_CATALOGUE } from '../../lib/models/catalogue';
import { instanceFacts } from '../../lib/models/instance-types';
import type * as TrainingConfiguration from '../../lib/config/training-configuration';
import { freshModules } from '../support/fresh-modules';

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    if (isConfigurationError(e)) return e.problems;
    throw e;
  }
  throw new Error('expected a ConfigurationError');
}

describe('model catalogue', () => {
  test('holds the four Llama 3 JumpStart models and the imported newer ones', () => {
    expect(MODEL_CATALOGUE.map((m) => m.modelId)).toEqual([
      'meta-textgeneration-llama-3-8b',
      'meta-textgeneration-llama-3-8b-instruct',
      'meta-textgeneration-llama-3-70b',
      'meta-textgeneration-llama-3-70b-instruct',
      'meta-textgeneration-llama-3-1-70b',
      'meta-textgeneration-llama-3-2-1b-instruct',
    ]);
  });

  test('every training instance type has hardware facts, and each measured one a training price', () => {
    for (const model of MODEL_CATALOGUE) {
      for (const type of model.training.supportedInstanceTypes) {
        expect([model.modelId, type, instanceFacts(type)]).toEqual([model.modelId, type, expect.any(Object)]);
      }
      for (const run of model.training.measuredRuns) {
        expect([run.instanceType, instanceFacts(run.instanceType)?.trainingUsdPerHour]).toEqual([
          run.instanceType,
          expect.any(Number),
        ]);
      }
    }
  });

  test('an unknown model id lists the known ones', () => {
    const [problem] = problemsOf(() => resolveTrainingConfiguration({ modelId: 'meta-textgeneration-llama-2-7b' }));
    expect(problem).toMatch(/modelId is "meta-textgeneration-llama-2-7b"/);
    expect(problem).toMatch(
      /known: meta-textgeneration-llama-3-8b, meta-textgeneration-llama-3-8b-instruct, meta-textgeneration-llama-3-70b, meta-textgeneration-llama-3-70b-instruct/,
    );
  });
});

describe('defaults', () => {
  test('8B: the walkthrough defaults, LoRA+FSDP on ml.g5.12xlarge', () => {
    // Loaded afresh: the hyperparameter tables are built at load, and this test is what checks them.
    const { resolveTrainingConfiguration, toSageMakerHyperparameters } = freshModules(
      () => require('../../lib/config/training-configuration') as typeof TrainingConfiguration,
    );
    const config = resolveTrainingConfiguration({});
    // The construct's own prop names, which the table of names at load gives the messages.
    expect(() => resolveTrainingConfiguration({ instanceType: 'ml.t3.medium', instanceCount: 2 })).toThrow(
      /instanceType is "ml\.t3\.medium", which does not train .*instanceCount is 2; allowed: 1/s,
    );
    expect(config.model.modelId).toBe('meta-textgeneration-llama-3-8b');
    expect(config.instanceType).toBe('ml.g5.12xlarge');
    expect(toSageMakerHyperparameters(config)).toEqual({
      epoch: '5',
      learning_rate: '0.0001',
      lora_r: '8',
      lora_alpha: '32',
      target_modules: 'q_proj,v_proj',
      lora_dropout: '0.05',
      instruction_tuned: 'False',
      chat_dataset: 'False',
      add_input_output_demarcation_key: 'True',
      per_device_train_batch_size: '1',
      per_device_eval_batch_size: '1',
      max_train_samples: '-1',
      max_val_samples: '-1',
      seed: '10',
      max_input_length: '-1',
      validation_split_ratio: '0.2',
      train_data_split_seed: '0',
      preprocessing_num_workers: 'None',
      int8_quantization: 'False',
      enable_fsdp: 'True',
    });
  });

  test('70B: INT8+LoRA without FSDP on ml.g5.48xlarge', () => {
    const config = resolveTrainingConfiguration({ modelId: 'meta-textgeneration-llama-3-70b' });
    expect(config.instanceType).toBe('ml.g5.48xlarge');
    const hp = toSageMakerHyperparameters(config);
    expect(hp.int8_quantization).toBe('True');
    expect(hp.enable_fsdp).toBe('False');
  });

  test('given values map to SageMaker strings', () => {
    const hp = toSageMakerHyperparameters(
      resolveTrainingConfiguration({
        hyperparameters: {
          epoch: 3,
          learningRate: 1e-5,
          targetModules: ['q_proj', 'k_proj', 'v_proj'],
          instructionTuned: true,
          preprocessingNumWorkers: 4,
        },
      }),
    );
    expect(hp).toMatchObject({
      epoch: '3',
      learning_rate: '0.00001',
      target_modules: 'q_proj,k_proj,v_proj',
      instruction_tuned: 'True',
      preprocessing_num_workers: '4',
    });
  });
});

describe('hyperparameter rules: each bad value is refused with the prop, the value, what is allowed and a fix', () => {
  test.each<[string, Hyperparameters, RegExp]>([
    ['epoch below 1', { epoch: 0 }, /hyperparameters.epoch is 0; allowed: an integer from 1 to 1000\. Fix:/],
    ['epoch above 1000', { epoch: 1001 }, /hyperparameters.epoch is 1001; allowed: an integer from 1 to 1000/],
    ['epoch not an integer', { epoch: 2.5 }, /hyperparameters.epoch is 2\.5; allowed: an integer/],
    ['learning rate 0', { learningRate: 0 }, /hyperparameters.learningRate is 0; allowed: a number from 1e-8 to 1/],
    [
      'learning rate above 1',
      { learningRate: 2 },
      /hyperparameters.learningRate is 2; allowed: a number from 1e-8 to 1/,
    ],
    ['learning rate NaN', { learningRate: NaN }, /hyperparameters.learningRate is NaN; allowed: a number/],
    ['lora_r 0', { loraR: 0 }, /hyperparameters.loraR is 0; allowed: an integer >= 1/],
    ['lora_alpha negative', { loraAlpha: -3 }, /hyperparameters.loraAlpha is -3; allowed: an integer >= 1/],
    [
      'lora_dropout above 1',
      { loraDropout: 1.5 },
      /hyperparameters.loraDropout is 1\.5; allowed: a number from 0 to 1/,
    ],
    [
      'batch size 0',
      { perDeviceTrainBatchSize: 0 },
      /hyperparameters.perDeviceTrainBatchSize is 0; allowed: an integer from 1 to 1000/,
    ],
    ['eval batch size 1001', { perDeviceEvalBatchSize: 1001 }, /hyperparameters.perDeviceEvalBatchSize is 1001/],
    [
      'max_train_samples 0',
      { maxTrainSamples: 0 },
      /hyperparameters.maxTrainSamples is 0; allowed: an integer >= 1 or -1 \(all samples\)/,
    ],
    [
      'max_val_samples -2',
      { maxValSamples: -2 },
      /hyperparameters.maxValSamples is -2; allowed: an integer >= 1 or -1/,
    ],
    ['seed 0', { seed: 0 }, /hyperparameters.seed is 0; allowed: an integer from 1 to 1000/],
    [
      'max_input_length 0',
      { maxInputLength: 0 },
      /hyperparameters.maxInputLength is 0; allowed: an integer >= 1 or -1/,
    ],
    [
      'max_input_length beyond the context',
      { maxInputLength: 9000 },
      /hyperparameters.maxInputLength is 9000, longer than meta-textgeneration-llama-3-8b's context of 8192 tokens; allowed: -1 or 1 to 8192\. Fix:/,
    ],
    [
      'validation_split_ratio above 1',
      { validationSplitRatio: 1.2 },
      /hyperparameters.validationSplitRatio is 1\.2; allowed: a number above 0 and below 1/,
    ],
    [
      'train_data_split_seed negative',
      { trainDataSplitSeed: -1 },
      /hyperparameters.trainDataSplitSeed is -1; allowed: an integer >= 0/,
    ],
    [
      'preprocessing_num_workers 0',
      { preprocessingNumWorkers: 0 },
      /hyperparameters.preprocessingNumWorkers is 0; allowed: an integer >= 1/,
    ],
    ['target_modules empty', { targetModules: [] }, /hyperparameters.targetModules is ""; allowed: a non-empty list/],
    [
      'target_modules unknown module',
      { targetModules: ['q_proj', 'lm_head'] },
      /hyperparameters.targetModules is "q_proj,lm_head"; "lm_head" is not a LoRA target module; allowed: a subset of q_proj, v_proj, k_proj, o_proj, gate_proj, up_proj, down_proj/,
    ],
    ['target_modules duplicate', { targetModules: ['q_proj', 'q_proj'] }, /q_proj is listed twice/],
    [
      'instruction_tuned and chat_dataset',
      { instructionTuned: true, chatDataset: true },
      /hyperparameters.instructionTuned and hyperparameters.chatDataset are both true; allowed: at most one of them\. Fix:/,
    ],
    [
      'int8 with FSDP',
      { int8Quantization: true, enableFsdp: true },
      /hyperparameters.int8Quantization and hyperparameters.enableFsdp are both true; int8 quantization does not work with FSDP\. Fix: set one of them to false/,
    ],
  ])('%s', (_name, hyperparameters, message) => {
    const problems = problemsOf(() => resolveTrainingConfiguration({ hyperparameters }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
  });

  test('a bool given as a string (a jsii caller mistake) is refused', () => {
    const problems = problemsOf(() =>
      resolveTrainingConfiguration({ hyperparameters: { instructionTuned: 'True' as unknown as boolean } }),
    );
    expect(problems[0]).toMatch(/hyperparameters.instructionTuned is "True"; allowed: true or false/);
  });

  test('an unknown hyperparameter prop is refused', () => {
    const problems = problemsOf(() =>
      resolveTrainingConfiguration({ hyperparameters: { epochs: 3 } as unknown as Hyperparameters }),
    );
    expect(problems[0]).toMatch(
      /hyperparameters\.epochs is not a hyperparameter; known: hyperparameters\.epoch, hyperparameters\.learningRate/,
    );
  });

  test.each<[string, Hyperparameters, string]>([
    [
      'a bool',
      { chatDataset: 'yes' as unknown as boolean },
      'Fix: give true or false, or leave it out for the default false.',
    ],
    ['a number', { epoch: 0 }, 'Fix: give an integer from 1 to 1000, or leave it out for the default 5.'],
    [
      'a list',
      { targetModules: [] },
      'Fix: give e.g. "q_proj,v_proj", or leave it out for the default "q_proj,v_proj".',
    ],
    // preprocessing_num_workers is "None" unless given: there is no default to name.
    ['one with no default', { preprocessingNumWorkers: 0 }, 'Fix: give an integer >= 1, or leave it out.'],
  ])('the fix for %s says what to give and what leaving it out means', (_kind, hyperparameters, fix) => {
    const [problem] = problemsOf(() => resolveTrainingConfiguration({ hyperparameters }));
    expect(problem.endsWith(fix)).toBe(true);
  });

  test.each<[string, Hyperparameters]>([
    ['a number as a string', { learningRate: '0.0001' as unknown as number }],
    ['a list holding a number', { targetModules: ['q_proj', 3 as unknown as string] }],
    ['a technique flag as a string', { int8Quantization: 'false' as unknown as boolean }],
    ['an input length as a string', { maxInputLength: '9000' as unknown as number }],
  ])('%s (a plain JavaScript caller) is one problem, about that prop', (_name, hyperparameters) => {
    const prop = Object.keys(hyperparameters)[0];
    const problems = problemsOf(() => resolveTrainingConfiguration({ hyperparameters }));
    expect(problems).toEqual([expect.stringMatching(new RegExp(`^hyperparameters\\.${prop} is .*; allowed: `))]);
  });

  test('the fix for a text option names the values the model lists', () => {
    const [problem] = problemsOf(() =>
      resolveTrainingConfiguration({
        modelId: 'meta-textgeneration-llama-3-2-1b-instruct',
        hyperparameters: { chatTemplate: 'llama2' },
      }),
    );
    expect(problem).toBe(
      'hyperparameters.chatTemplate is "llama2"; allowed: "Llama3.1" (the values the model\'s document lists, or its ' +
        'default where it lists none). Fix: give one of "Llama3.1", or leave it out for the default "Llama3.1".',
    );
  });

  test('a technique flag as a string is not also judged as a technique the model lacks', () => {
    for (const hyperparameters of [{ int8Quantization: 'true' }, { enableFsdp: 'false' }]) {
      const problems = problemsOf(() => resolveTrainingConfiguration({ hyperparameters } as never));
      expect(problems).toEqual([expect.stringMatching(/ is "(true|false)"; allowed: true or false\./)]);
    }
  });

  test('a list holding a number is refused as not a list of module names', () => {
    const [problem] = problemsOf(() =>
      resolveTrainingConfiguration({ hyperparameters: { targetModules: ['q_proj', 3 as unknown as string] } }),
    );
    expect(problem).toContain('allowed: a non-empty list of q_proj, v_proj');
  });

  test('a prop left undefined is left out, even one the model does not have', () => {
    expect(() =>
      resolveTrainingConfiguration({ hyperparameters: { chatTemplate: undefined, epoch: undefined } }),
    ).not.toThrow();
  });

  test('every problem is reported at once', () => {
    const problems = problemsOf(() =>
      resolveTrainingConfiguration({ hyperparameters: { epoch: 0, loraR: 0, seed: 0 } }),
    );
    expect(problems).toHaveLength(3);
  });
});

describe('technique and instance rules come from the catalogue', () => {
  test('70B with FSDP is refused, naming the only technique it trains with', () => {
    const problems = problemsOf(() =>
      resolveTrainingConfiguration({
        modelId: 'meta-textgeneration-llama-3-70b',
        hyperparameters: { int8Quantization: false, enableFsdp: true },
      }),
    );
    expect(problems[0]).toMatch(
      /meta-textgeneration-llama-3-70b does not train with LoRA\+FSDP \(hyperparameters.int8Quantization false, hyperparameters.enableFsdp true\); allowed: INT8\+LoRA \(hyperparameters.int8Quantization true, hyperparameters.enableFsdp false\)\. Fix:/,
    );
  });

  test('70B with LoRA alone is refused', () => {
    const problems = problemsOf(() =>
      resolveTrainingConfiguration({
        modelId: 'meta-textgeneration-llama-3-70b-instruct',
        hyperparameters: { int8Quantization: false },
      }),
    );
    expect(problems[0]).toMatch(/does not train with LoRA \(/);
  });

  test.each([
    [{ int8Quantization: false, enableFsdp: true }],
    [{ int8Quantization: false, enableFsdp: false }],
    [{ int8Quantization: true, enableFsdp: false }],
  ])('8B trains with %o', (hyperparameters) => {
    expect(() => resolveTrainingConfiguration({ hyperparameters })).not.toThrow();
  });

  test('70B with the walkthrough default (INT8+LoRA on ml.g5.48xlarge) is accepted', () => {
    expect(() =>
      resolveTrainingConfiguration({
        modelId: 'meta-textgeneration-llama-3-70b',
        instanceType: 'ml.g5.48xlarge',
        hyperparameters: { int8Quantization: true, enableFsdp: false },
      }),
    ).not.toThrow();
  });

  test('an instance type the model does not train on lists the supported ones', () => {
    const problems = problemsOf(() =>
      resolveTrainingConfiguration({ modelId: 'meta-textgeneration-llama-3-70b', instanceType: 'ml.g5.12xlarge' }),
    );
    expect(problems[0]).toMatch(
      /instanceType is "ml.g5.12xlarge", which does not train meta-textgeneration-llama-3-70b; allowed: ml.g5.48xlarge, ml.p4d.24xlarge\. Fix:/,
    );
  });

  test('instance count other than 1 is refused, 0 included', () => {
    for (const instanceCount of [0, 2, 1.5]) {
      const problems = problemsOf(() => resolveTrainingConfiguration({ instanceCount }));
      expect(problems).toEqual([expect.stringMatching(new RegExp(`^instanceCount is ${instanceCount}; allowed: 1`))]);
    }
    expect(resolveTrainingConfiguration({ instanceCount: 1 }).instanceCount).toBe(1);
  });
});

describe('boundaries: the ends of every range are allowed, one step past them is not', () => {
  const spec = MODEL_CATALOGUE[0].hyperparameters;
  const ranged = spec.filter((h) => (h.type === 'int' || h.type === 'float') && h.min !== undefined);

  test.each(ranged.filter((h) => !hyperparameterMeaning(h.name)?.openRange).map((h) => [h.name, h] as const))(
    '%s',
    (_name, h) => {
      const at = (value: number) => () =>
        resolveTrainingConfiguration({ hyperparameters: { [h.prop]: value } as Hyperparameters });
      const step = h.type === 'int' ? 1 : Math.max(h.min! * 0.5, 1e-9);
      expect(at(h.min!)).not.toThrow();
      if (h.special === undefined || h.min! - step !== h.special) {
        expect(problemsOf(at(h.min! - step))).toEqual([expect.stringContaining(`hyperparameters.${h.prop} is `)]);
      }
      if (h.max !== undefined) {
        expect(at(h.max)).not.toThrow();
        expect(problemsOf(at(h.max + (h.type === 'int' ? 1 : 0.01)))).toEqual([
          expect.stringContaining(`hyperparameters.${h.prop} is `),
        ]);
      }
      if (h.special !== undefined) expect(at(h.special)).not.toThrow();
    },
  );

  // The script splits validation_split_ratio off with train_test_split, which refuses both ends.
  test.each(ranged.filter((h) => hyperparameterMeaning(h.name)?.openRange).map((h) => [h.name, h] as const))(
    '%s: the ends are refused, just inside them is allowed',
    (_name, h) => {
      const at = (value: number) => () =>
        resolveTrainingConfiguration({ hyperparameters: { [h.prop]: value } as Hyperparameters });
      for (const end of [h.min!, h.max!]) {
        expect(problemsOf(at(end))).toEqual([
          expect.stringContaining(`hyperparameters.${h.prop} is ${end}; allowed: a number above`),
        ]);
      }
      expect(at(h.min! + 0.01)).not.toThrow();
      expect(at(h.max! - 0.01)).not.toThrow();
    },
  );

  test("max_input_length may be the model's whole context, not a token more", () => {
    expect(() => resolveTrainingConfiguration({ hyperparameters: { maxInputLength: 8192 } })).not.toThrow();
    expect(problemsOf(() => resolveTrainingConfiguration({ hyperparameters: { maxInputLength: 8193 } }))).toEqual([
      expect.stringMatching(
        /maxInputLength is 8193, longer than meta-textgeneration-llama-3-8b's context of 8192 tokens/,
      ),
    ]);
  });

  test('booleans are sent as True/False, modules joined, "None" for no workers, numbers as given', () => {
    const sent = toSageMakerHyperparameters(
      resolveTrainingConfiguration({
        hyperparameters: { instructionTuned: true, targetModules: ['q_proj', 'k_proj'], learningRate: 0.0002 },
      }),
    );
    expect(sent).toMatchObject({
      instruction_tuned: 'True',
      chat_dataset: 'False',
      target_modules: 'q_proj,k_proj',
      preprocessing_num_workers: 'None',
      learning_rate: '0.0002',
    });
    expect(
      toSageMakerHyperparameters(resolveTrainingConfiguration({ hyperparameters: { preprocessingNumWorkers: 4 } }))
        .preprocessing_num_workers,
    ).toBe('4');
  });
});

describe("imported models: each one's rules are its document's", () => {
  const LLAMA_32_1B = 'meta-textgeneration-llama-3-2-1b-instruct';
  const LLAMA_31_70B = 'meta-textgeneration-llama-3-1-70b';

  test("Llama 3.2 1B Instruct: the document's defaults, chat data and chat_template are sent", () => {
    const config = resolveTrainingConfiguration({ modelId: LLAMA_32_1B });
    expect(config.instanceType).toBe('ml.g5.2xlarge');
    expect(toSageMakerHyperparameters(config)).toMatchObject({
      epoch: '1',
      chat_dataset: 'True',
      instruction_tuned: 'False',
      enable_fsdp: 'True',
      int8_quantization: 'False',
      chat_template: 'Llama3.1',
    });
  });

  test.each<[string, string, RegExp]>([
    [
      LLAMA_32_1B,
      'ml.g5.48xlarge',
      /instanceType is "ml.g5.48xlarge", which does not train meta-textgeneration-llama-3-2-1b-instruct; allowed: ml.g4dn.12xlarge, .*ml.p5.48xlarge/,
    ],
    [
      LLAMA_31_70B,
      'ml.g5.12xlarge',
      /instanceType is "ml.g5.12xlarge", which does not train meta-textgeneration-llama-3-1-70b; allowed: ml.g5.48xlarge, ml.p4d.24xlarge/,
    ],
  ])('%s refuses training on %s', (modelId, instanceType, message) => {
    expect(problemsOf(() => resolveTrainingConfiguration({ modelId, instanceType }))).toEqual([
      expect.stringMatching(message),
    ]);
  });

  test.each<[string, Hyperparameters, RegExp]>([
    [LLAMA_32_1B, { chatTemplate: 'Llama2' }, /hyperparameters.chatTemplate is "Llama2"; allowed: "Llama3.1"/],
    [LLAMA_32_1B, { epoch: 1001 }, /hyperparameters.epoch is 1001; allowed: an integer from 1 to 1000/],
    // Only the document's default technique: other techniques were measured on Llama 3 alone.
    [
      LLAMA_32_1B,
      { int8Quantization: true, enableFsdp: false },
      /does not train with INT8\+LoRA .*allowed: LoRA\+FSDP/,
    ],
    [
      LLAMA_31_70B,
      { enableFsdp: true, int8Quantization: false },
      /does not train with LoRA\+FSDP .*allowed: INT8\+LoRA/,
    ],
    [
      LLAMA_31_70B,
      { maxInputLength: 131073 },
      /longer than meta-textgeneration-llama-3-1-70b's context of 131072 tokens/,
    ],
  ])('%s refuses %j', (modelId, hyperparameters, message) => {
    expect(problemsOf(() => resolveTrainingConfiguration({ modelId, hyperparameters }))).toEqual([
      expect.stringMatching(message),
    ]);
  });

  test('a longer context than Llama 3 is accepted where the document allows it', () => {
    expect(() =>
      resolveTrainingConfiguration({ modelId: LLAMA_31_70B, hyperparameters: { maxInputLength: 131072 } }),
    ).not.toThrow();
  });

  test('Llama 3 has no chat_template: giving it is refused, naming the model', () => {
    expect(problemsOf(() => resolveTrainingConfiguration({ hyperparameters: { chatTemplate: 'Llama3.1' } }))).toEqual([
      expect.stringMatching(
        /hyperparameters.chatTemplate is given, but meta-textgeneration-llama-3-8b has no chat_template hyperparameter/,
      ),
    ]);
    expect(toSageMakerHyperparameters(resolveTrainingConfiguration({}))).not.toHaveProperty('chat_template');
  });
});
