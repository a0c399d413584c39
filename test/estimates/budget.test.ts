// The prop, on the job, the stack and the app: test/constructs/budget-props.test.ts.
import { resolveTrainingConfiguration } from '../../lib/config/training-configuration';
import { checkBudget } from '../../lib/estimates/budget';
import { estimateTraining } from '../../lib/estimates/training-estimate';
import { leaveOneOutErrors } from '../../lib/estimates/runtime-model';

// LoRA+FSDP on ml.g5.12xlarge ($7.09/h) at 1024 tokens, batch 2: 35 measured minutes for 3 epochs; 5 by default.
const config = resolveTrainingConfiguration({ hyperparameters: { perDeviceTrainBatchSize: 2 } });
const trainingUsd = (((35 * 5) / 3) * 7.09) / 60;
const errors = leaveOneOutErrors().map((e) => e.error);
const optimisticTrainingUsd = trainingUsd / (1 + Math.max(...errors));
const pessimisticTrainingUsd = trainingUsd / (1 + Math.min(...errors));
const G5_2X_DAY = 1.515 * 24;
const G5_12X_DAY = 7.09 * 24;

describe('checkBudget: training estimate plus the first 24 hours of hosting', () => {
  test('over the budget even at the optimistic end: refused with the figures and the cheaper valid configurations', () => {
    const { problem, warning } = checkBudget(config, 60, [{ instanceType: 'ml.g5.12xlarge' }]);
    expect(warning).toBeUndefined();
    expect(problem).toContain(`(LoRA+FSDP, about 58 minutes, $${trainingUsd.toFixed(2)})`);
    expect(problem).toContain(`(ml.g5.12xlarge x1, $${G5_12X_DAY.toFixed(2)})`);
    expect(problem).toContain(`comes to about $${(trainingUsd + G5_12X_DAY).toFixed(2)}`);
    expect(problem).toContain('us-east-1 on-demand prices of 2024-05');
    expect(problem).toContain('even its optimistic end is over maxBudgetUsd of $60.00');
    // Each configuration offered fits the budget, cheapest first, and moves hosting to a cheaper instance.
    const offered = [
      ...problem!.matchAll(/a cheaper valid configuration: ([^;]+?): about \$([\d.]+) \(\$([\d.]+) to/g),
    ];
    expect(offered.length).toBeGreaterThan(0);
    expect(offered.length).toBeLessThanOrEqual(3);
    for (const [, text, , low] of offered) {
      expect(Number(low)).toBeLessThanOrEqual(60);
      expect(text).toMatch(/budgetEndpoints ml\.(g5|g6)\.2xlarge$/);
    }
    const totals = offered.map((o) => Number(o[2]));
    expect(totals).toEqual([...totals].sort((a, b) => a - b));
    expect(problem).toContain(`or a maxBudgetUsd of at least ${Math.ceil(optimisticTrainingUsd + G5_12X_DAY)}`);
  });

  test('between the ends of the range: deployed with a warning; above the pessimistic end: nothing to say', () => {
    const between = (optimisticTrainingUsd + pessimisticTrainingUsd) / 2 + G5_2X_DAY;
    const endpoint = [{ instanceType: 'ml.g5.2xlarge' }];
    expect(checkBudget(config, between, endpoint)).toEqual({
      warning: expect.stringMatching(/pessimistic end is over/),
    });
    expect(checkBudget(config, pessimisticTrainingUsd + G5_2X_DAY + 0.01, endpoint)).toEqual({});
  });

  test('the sample count and every endpoint count', () => {
    const twice = checkBudget(config, 1, [{ instanceType: 'ml.g5.2xlarge', instanceCount: 2 }], 2376).problem;
    expect(twice).toContain(`$${(trainingUsd * 2).toFixed(2)})`);
    expect(twice).toContain(`(ml.g5.2xlarge x2, $${(G5_2X_DAY * 2).toFixed(2)})`);
  });

  test('a cost that cannot be known is refused, not waved through', () => {
    expect(checkBudget(config, 100, [{ instanceType: 'ml.g6.xlarge' }]).problem).toMatch(
      /^maxBudgetUsd is 100, but the cost cannot be checked against it: no price is on record for ml.g6.xlarge\. Fix: remove maxBudgetUsd/,
    );
    const newer = resolveTrainingConfiguration({ modelId: 'meta-textgeneration-llama-3-2-1b-instruct' });
    expect(checkBudget(newer, 100, []).problem).toMatch(/the training time cannot be estimated \(no measurement/);
  });

  test('a type priced only for training is no price for an endpoint, and is one for training', () => {
    expect(checkBudget(config, 100, [{ instanceType: 'ml.p3dn.24xlarge' }]).problem).toMatch(
      /: no price is on record for ml\.p3dn\.24xlarge\. Fix:/,
    );
    const p3dn = resolveTrainingConfiguration({ instanceType: 'ml.p3dn.24xlarge' });
    expect(checkBudget(p3dn, 100, [{ instanceType: 'ml.unknown.xlarge' }]).problem).toMatch(
      /: no price is on record for ml\.unknown\.xlarge\. Fix:/,
    );
  });

  // Training on ml.g5.24xlarge: about $5.95 to $7.66 on ml.g5.12xlarge instead.
  const larger = resolveTrainingConfiguration({
    instanceType: 'ml.g5.24xlarge',
    hyperparameters: { perDeviceTrainBatchSize: 2 },
  });
  const offeredIn = (problem: string | undefined) =>
    [...(problem ?? '').matchAll(/a cheaper valid configuration: ([^;]+?): about/g)].map((o) => o[1]);

  test('without endpoints: the training alone, and cheaper training with no hosting to move', () => {
    const { problem } = checkBudget(larger, 6.5, []);
    expect(problem).toContain('plus the first 24 hours of hosting (no endpoint, $0.00)');
    expect(offeredIn(problem)).toEqual([
      'instanceType ml.g5.12xlarge with LoRA+FSDP (hyperparameters.int8Quantization false, hyperparameters.enableFsdp true)',
    ]);
  });

  test("an endpoint already on the cheapest hosting stays there: no budgetEndpoints for the endpoint's own type", () => {
    const day = 1.222 * 24; // ml.g6.2xlarge
    expect(offeredIn(checkBudget(larger, day + 6.5, [{ instanceType: 'ml.g6.2xlarge' }]).problem)).toEqual([
      'instanceType ml.g5.12xlarge with LoRA+FSDP (hyperparameters.int8Quantization false, hyperparameters.enableFsdp true)',
    ]);
  });

  test('a budget of exactly the optimistic total is not refused; of exactly the pessimistic total, not warned', () => {
    const estimate = estimateTraining(config);
    const day = 1.515 * 24;
    const endpoint = [{ instanceType: 'ml.g5.2xlarge' }];
    expect(checkBudget(config, estimate.lowCostUsd! + day, endpoint)).toEqual({ warning: expect.any(String) });
    expect(checkBudget(config, estimate.highCostUsd! + day, endpoint)).toEqual({});
  });
});
