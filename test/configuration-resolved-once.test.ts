/** The stack resolves the training configuration once and hands it down to its job. */
import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { FineTuningJob, Llama3FineTuningStack } from '../lib';
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
