import type * as Specs from '../../lib/config/hyperparameter-specs';
import type * as Catalogue from '../../lib/models/catalogue';
import { freshModules } from '../support/fresh-modules';

// Loaded afresh in each test: the tables are built at load, and these tests are what check them.
const load = () =>
  freshModules(() => ({
    specs: require('../../lib/config/hyperparameter-specs') as typeof Specs,
    catalogue: require('../../lib/models/catalogue') as typeof Catalogue,
  }));

test('max_input_length -1 means 1024 (min(1024, context) for every Llama 3 model); any other value is itself', () => {
  const { specs } = load();
  expect(specs.effectiveMaxInputLength(undefined)).toBe(1024);
  expect(specs.effectiveMaxInputLength(-1)).toBe(1024);
  expect(specs.effectiveMaxInputLength(2048)).toBe(2048);
});

test('a name is found by its SageMaker spelling, and an unknown one is not', () => {
  const { specs } = load();
  expect(specs.hyperparameterMeaning('lora_r')).toMatchObject({ prop: 'loraR', type: 'int' });
  expect(specs.hyperparameterMeaning('max_input_length')).toMatchObject({ prop: 'maxInputLength', special: -1 });
  expect(specs.hyperparameterMeaning('loraR')).toBeUndefined();
});

test("hyperparameters are put in SageMaker's order, without reordering what was given", () => {
  const { specs } = load();
  const given = [{ name: 'enable_fsdp' }, { name: 'epoch' }, { name: 'seed' }, { name: 'learning_rate' }];
  expect(specs.inSageMakerOrder(given).map((s) => s.name)).toEqual(['epoch', 'learning_rate', 'seed', 'enable_fsdp']);
  expect(given.map((s) => s.name)).toEqual(['enable_fsdp', 'epoch', 'seed', 'learning_rate']);
});

test('every name is known once, with a prop of its own; each model lacks only optional ones', () => {
  const { specs, catalogue } = load();
  const names = specs.HYPERPARAMETER_MEANINGS.map((m) => m.name);
  expect(new Set(names).size).toBe(names.length);
  expect(new Set(specs.HYPERPARAMETER_MEANINGS.map((m) => m.prop)).size).toBe(names.length);
  expect(specs.OPTIONAL_HYPERPARAMETERS).toEqual([
    'instruction_tuned',
    'chat_dataset',
    'add_input_output_demarcation_key',
    'chat_template',
  ]);
  for (const model of catalogue.MODEL_CATALOGUE) {
    const has = new Set(model.hyperparameters.map((h) => h.name));
    const lacks = names.filter((n) => !has.has(n));
    expect([model.modelId, lacks.filter((n) => !specs.OPTIONAL_HYPERPARAMETERS.includes(n))]).toEqual([
      model.modelId,
      [],
    ]);
  }
});
