/**
 * maxBudgetUsd as the job, the stack and the app take it: refused when even the optimistic cost is
 * over, counting the stack's endpoints, in each one's own prop names. The check itself, with its
 * figures: test/estimates/budget.test.ts.
 */
import { App } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { fineTuningStackFromContext } from '../../lib/app/fine-tuning-app';
import { leaveOneOutErrors } from '../../lib/estimates/runtime-model';
import { fineTuningStack, jobStack } from '../support/stacks';

// LoRA+FSDP on ml.g5.12xlarge ($7.09/h) at 1024 tokens, batch 2: 35 measured minutes for 3 epochs; 5 by default.
const trainingUsd = (((35 * 5) / 3) * 7.09) / 60;
const errors = leaveOneOutErrors().map((e) => e.error);
const optimisticTrainingUsd = trainingUsd / (1 + Math.max(...errors));
const pessimisticTrainingUsd = trainingUsd / (1 + Math.min(...errors));
const G5_2X_DAY = 1.515 * 24;

describe('maxBudgetUsd on the job, the stack and the app', () => {
  test('the job refuses a bad budget and endpoints without a budget', () => {
    expect(() => jobStack({ maxBudgetUsd: '50' as unknown as number })).toThrow(
      /maxBudgetUsd is "50"; allowed: a positive number of US dollars/,
    );
    expect(() => jobStack({ budgetEndpoints: [{ instanceType: 'ml.g5.2xlarge' }] })).toThrow(
      /budgetEndpoints is given without maxBudgetUsd/,
    );
    expect(() => jobStack({ maxBudgetUsd: 5 })).toThrow(/even its optimistic end is over maxBudgetUsd of \$5\.00/);
    expect(() => jobStack({ maxBudgetUsd: 50 })).not.toThrow(); // training alone: about $6-17 (batch 1 is far)
  });

  test('the stack counts its endpoints: the base endpoint too, in its own prop names', () => {
    const props = { hyperparameters: { perDeviceTrainBatchSize: 2 }, endpointInstanceType: 'ml.g5.2xlarge' };
    const budget = Math.ceil(pessimisticTrainingUsd + G5_2X_DAY) + 1;
    expect(() => fineTuningStack({ ...props, maxBudgetUsd: budget })).not.toThrow();
    expect(() => fineTuningStack({ ...props, maxBudgetUsd: budget, deployBaseEndpoint: true })).toThrow(
      /\(ml\.g5\.2xlarge x1 and ml\.g5\.2xlarge x1, \$72\.72\).*over maxBudgetUsd/,
    );
    expect(() => fineTuningStack({ ...props, maxBudgetUsd: 5 })).toThrow(/Fix: .*a maxBudgetUsd of at least/);
    expect(() =>
      fineTuningStack({ hyperparameters: props.hyperparameters, maxBudgetUsd: 5, deployEndpoint: false }),
    ).toThrow(/plus the first 24 hours of hosting \(no endpoint, \$0\.00\)/);
  });

  test('the app speaks in context keys, warnings included', () => {
    const app = (context: Record<string, string>) =>
      fineTuningStackFromContext(
        new App({
          context: {
            accept_eula: 'true',
            per_device_train_batch_size: '2',
            endpoint_instance_type: 'ml.g5.2xlarge',
            ...context,
          },
        }),
      );
    expect(() => app({ max_budget_usd: 'fifty' })).toThrow(
      /context key "max_budget_usd" is "fifty"; allowed: a positive number of US dollars/,
    );
    expect(() => app({ max_budget_usd: '20' })).toThrow(
      /over max_budget_usd of \$20\.00\. Fix: a max_budget_usd of at least/,
    );
    const between = ((optimisticTrainingUsd + pessimisticTrainingUsd) / 2 + G5_2X_DAY).toFixed(2);
    Annotations.fromStack(app({ max_budget_usd: between })).hasWarning(
      '*',
      Match.stringLikeRegexp(`its pessimistic end is over max_budget_usd of \\$${between}`),
    );
  });
});
