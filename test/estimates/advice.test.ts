/**
 * The estimate's advice and printed figures, on a model of its own: a table where the fastest
 * and the cheapest configurations differ (in the walkthrough's they are the same run).
 */
import { resolveTrainingConfiguration } from '../../lib/config/training-configuration';
import { estimateTraining, formatEstimate } from '../../lib/estimates/training-estimate';
import { MODEL_CATALOGUE, ModelSpec } from '../../lib/models/catalogue';

const base = MODEL_CATALOGUE[0];
const run = (instanceType: string, int8: boolean, minutes: number) => ({
  instanceType,
  maxInputLength: 1024,
  perDeviceTrainBatchSize: 2,
  int8Quantization: int8,
  enableFsdp: !int8,
  minutes,
});
// Fast but dear (ml.g5.48xlarge, $20.36/h), slower but cheap (ml.g5.12xlarge, $7.09/h), and slow and dear;
// and a run on ml.g6.12xlarge, whose training price the library does not hold.
const model: ModelSpec = {
  ...base,
  modelId: 'test-model-with-its-own-table',
  training: {
    ...base.training,
    supportedInstanceTypes: [...base.training.supportedInstanceTypes, 'ml.g6.12xlarge'],
    measuredRuns: [
      run('ml.g6.12xlarge', false, 25),
      run('ml.g5.48xlarge', false, 20),
      run('ml.g5.12xlarge', false, 30),
      run('ml.g5.48xlarge', true, 100),
      run('ml.g5.12xlarge', true, 110),
    ],
  },
};
// Before the first estimate: the runtime model is fitted once, to the catalogue as it is then.
(MODEL_CATALOGUE as ModelSpec[]).push(model);

const config = (instanceType: string, int8: boolean, epoch = 3) =>
  resolveTrainingConfiguration({
    modelId: model.modelId,
    instanceType,
    hyperparameters: { epoch, perDeviceTrainBatchSize: 2, int8Quantization: int8, enableFsdp: !int8 },
  });

test('a slow, dear configuration is told both the faster and the cheaper one, with their figures', () => {
  const estimate = estimateTraining(config('ml.g5.48xlarge', true));
  expect(estimate.minutes).toBe(100);
  expect(estimate.costUsd).toBeCloseTo((100 / 60) * 20.36, 9);
  expect(estimate.betterAlternative).toBe(
    'faster: instanceType ml.g5.48xlarge, hyperparameters.maxInputLength 1024, hyperparameters.perDeviceTrainBatchSize 2, ' +
      'hyperparameters.int8Quantization false, hyperparameters.enableFsdp true took 20 min where this takes about 100 (at 3 epochs); ' +
      'cheaper: instanceType ml.g5.12xlarge, hyperparameters.maxInputLength 1024, hyperparameters.perDeviceTrainBatchSize 2, ' +
      `hyperparameters.int8Quantization false, hyperparameters.enableFsdp true costs about $${((30 / 60) * 7.09).toFixed(2)} ` +
      `where this costs about $${((100 / 60) * 20.36).toFixed(2)}`,
  );
});

test('advice scales with the epochs: the comparison is at 3 epochs, the costs at the configuration', () => {
  const estimate = estimateTraining(config('ml.g5.48xlarge', true, 6));
  expect(estimate.minutes).toBe(200);
  expect(estimate.betterAlternative).toContain('took 20 min where this takes about 100 (at 3 epochs)');
  expect(estimate.betterAlternative).toContain(
    `costs about $${((60 / 60) * 7.09).toFixed(2)} where this costs about $${((200 / 60) * 20.36).toFixed(2)}`,
  );
});

test('a configuration within 60 % of the best is not told about it', () => {
  // The cheap run itself: 30 min, $3.55; the fastest takes 20 (67 %), so no advice.
  expect(estimateTraining(config('ml.g5.12xlarge', false)).betterAlternative).toBeUndefined();
  // Nor at 6 epochs: both take twice as long (40 min against 60).
  expect(estimateTraining(config('ml.g5.12xlarge', false, 6)).betterAlternative).toBeUndefined();
});

test('an instance type with no price on record: minutes but no cost, never the cheaper advice, and the line says so', () => {
  const c = config('ml.g6.12xlarge', false);
  const estimate = estimateTraining(c);
  expect(estimate.minutes).toBe(25);
  expect(estimate.costUsd).toBeUndefined();
  expect(estimate.lowCostUsd).toBeUndefined();
  expect(estimate.highCostUsd).toBeUndefined();
  // 20 min is 80 % of 25; with no cost of its own, no run is cheaper.
  expect(estimate.betterAlternative).toBeUndefined();
  const line = formatEstimate(c, estimate);
  expect(line).toContain(
    `about 25 minutes (${Math.round(estimate.lowMinutes)} to ${Math.round(estimate.highMinutes)})`,
  );
  expect(line).toContain('(no price on record for ml.g6.12xlarge)');
  expect(line).not.toContain('$');
});

test('the printed line: minutes and cost with their ranges, the prices named', () => {
  const c = config('ml.g5.12xlarge', true);
  const estimate = estimateTraining(c);
  const line = formatEstimate(c, estimate);
  expect(line).toContain(
    `about 110 minutes (${Math.round(estimate.lowMinutes)} to ${Math.round(estimate.highMinutes)}), ` +
      `about $${((110 / 60) * 7.09).toFixed(2)} ($${((estimate.lowMinutes / 60) * 7.09).toFixed(2)} to ` +
      `$${((estimate.highMinutes / 60) * 7.09).toFixed(2)}) on demand (ml.g5.12xlarge, us-east-1 prices of 2024-05)`,
  );
  expect(estimate.lowMinutes).toBeLessThan(110);
  expect(estimate.highMinutes).toBeGreaterThan(110);
});
