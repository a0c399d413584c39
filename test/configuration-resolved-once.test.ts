/** The stack resolves the training configuration once and hands it down to its job, as a value in its props. */
import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { FineTuningJob, Llama3FineTuningStack, TrainingRecipe } from '../lib';
import { resolveTrainingConfiguration } from '../lib/config/training-configuration';

jest.mock('../lib/config/training-configuration', () => {
  const actual = jest.requireActual('../lib/config/training-configuration');
  return { ...actual, resolveTrainingConfiguration: jest.fn(actual.resolveTrainingConfiguration) };
});
const resolve = resolveTrainingConfiguration as jest.MockedFunction<typeof resolveTrainingConfiguration>;

beforeEach(() => resolve.mockClear());

test('a stack resolves its training configuration once; its job uses what the stack resolved', () => {
  const stack = new Llama3FineTuningStack(new App(), 'Once', { acceptEula: true, hyperparameters: { epoch: 2 } });
  expect(resolve).toHaveBeenCalledTimes(1);
  const job = stack.fineTuningJob as FineTuningJob;
  expect(job.hyperparameters).toMatchObject({ epoch: '2', enable_fsdp: 'True' });
  expect(job.instanceType).toBe('ml.g5.12xlarge');
});

test('a job built on its own resolves its own props, and a second job in the same scope is not handed the first one', () => {
  const stack = new Stack(new App(), 'Jobs');
  const role = iam.Role.fromRoleArn(stack, 'Role', 'arn:aws:iam::123456789012:role/R', { mutable: false });
  const common = { acceptEula: true, role, trainingDataUri: 's3://team-data/train/', outputUri: 's3://team-data/out/' };
  new FineTuningJob(stack, 'A', { ...common, hyperparameters: { epoch: 1 } });
  const second = new FineTuningJob(stack, 'B', { ...common, hyperparameters: { epoch: 4 } });
  expect(resolve).toHaveBeenCalledTimes(2);
  expect(second.hyperparameters.epoch).toBe('4');
});

test('a recipe resolved once serves two jobs without another resolution; it cannot be mixed with the choices it fixes', () => {
  const stack = new Stack(new App(), 'Recipe');
  const role = iam.Role.fromRoleArn(stack, 'Role', 'arn:aws:iam::123456789012:role/R', { mutable: false });
  const common = { acceptEula: true, role, trainingDataUri: 's3://team-data/train/', outputUri: 's3://team-data/out/' };
  const recipe = TrainingRecipe.resolve({ instanceType: 'ml.g5.24xlarge', hyperparameters: { epoch: 3 } });
  expect(resolve).toHaveBeenCalledTimes(1);
  expect(recipe).toMatchObject({ modelId: 'meta-textgeneration-llama-3-8b', instanceType: 'ml.g5.24xlarge' });
  const a = new FineTuningJob(stack, 'A', { ...common, recipe });
  const b = new FineTuningJob(stack, 'B', { ...common, recipe });
  expect(resolve).toHaveBeenCalledTimes(1);
  for (const job of [a, b]) {
    expect(job.instanceType).toBe('ml.g5.24xlarge');
    expect(job.hyperparameters).toEqual(recipe.hyperparameters);
  }
  expect(
    () => new FineTuningJob(stack, 'C', { ...common, recipe, hyperparameters: { epoch: 5 }, modelId: 'x' }),
  ).toThrow(
    'recipe is given with modelId, hyperparameters, which the recipe already fixes. ' +
      'Fix: pass modelId, hyperparameters to TrainingRecipe.resolve, or drop recipe.',
  );
});

test('no module-level state carries configuration: the constructs, the stack and the configuration have no top-level let', () => {
  const { readFileSync, readdirSync } = require('node:fs');
  const { join } = require('node:path');
  const lib = join(__dirname, '..', 'lib');
  const files: string[] = ['constructs', 'config', '.'].flatMap((dir) =>
    readdirSync(join(lib, dir), { recursive: dir !== '.' })
      .filter((f: string) => f.endsWith('.ts'))
      .map((f: string) => join(lib, dir, f)),
  );
  expect(files.length).toBeGreaterThan(20);
  const mutable = files.filter((f) => /^(let|var) /m.test(readFileSync(f, 'utf8')));
  expect(mutable).toEqual([]);
});
