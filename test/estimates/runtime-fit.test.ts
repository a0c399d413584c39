/**
 * The runtime check: a job whose estimate does not fit its maximum runtime is stopped by SageMaker
 * at the limit with no model, after the GPU hours are spent. Refused only when even the optimistic
 * end overruns (with the changes that fit), warned when only the pessimistic end does, and quiet
 * when it fits or nothing was measured to tell.
 */
import { resolveTrainingConfiguration } from '../../lib/config/training-configuration';
import { checkRuntime } from '../../lib/estimates/runtime-fit';
import { MEASURED_SAMPLES, estimateTraining } from '../../lib/estimates/training-estimate';

// LoRA+FSDP on ml.g5.12xlarge, batch 2, 5 epochs: about an hour, and measured.
const config = resolveTrainingConfiguration({ hyperparameters: { perDeviceTrainBatchSize: 2 } });
const estimate = estimateTraining(config);
const LONGEST = 28 * 24 * 60;
const minutesWith = (change: object, samples = MEASURED_SAMPLES) =>
  Math.round(
    estimateTraining({ ...config, hyperparameters: { ...config.hyperparameters, ...change } }, samples).minutes,
  );

test('a runtime the pessimistic end fits is not mentioned, to the minute', () => {
  expect(checkRuntime(config, estimate.highMinutes, LONGEST)).toEqual({});
  expect(checkRuntime(config, estimate.highMinutes + 60, LONGEST)).toEqual({});
});

test('a runtime only the pessimistic end overruns is a warning with the runtime that fits', () => {
  for (const max of [estimate.lowMinutes, (estimate.lowMinutes + estimate.highMinutes) / 2]) {
    const { problem, warning } = checkRuntime(config, max, LONGEST);
    expect(problem).toBeUndefined();
    expect(warning).toBe(
      `the training estimate for ${config.model.modelId} on ml.g5.12xlarge is about ${Math.round(estimate.minutes)} ` +
        `minutes (${Math.round(estimate.lowMinutes)} to ${Math.round(estimate.highMinutes)}; ${estimate.basis}; ` +
        `${MEASURED_SAMPLES} samples assumed): its pessimistic end is longer than maxRuntime of ${Math.round(max)} ` +
        `minutes, so SageMaker may stop the job at its maximum runtime with no model. Fix: a maxRuntime of at least ` +
        `${Math.ceil(estimate.highMinutes)} minutes, or fewer epochs or samples.`,
    );
  }
});

describe('a runtime even the optimistic end overruns is refused', () => {
  // 45 minutes: a faster measured configuration (40 minutes) fits it.
  const max = Math.floor(estimate.lowMinutes * 0.9);
  const share = max / estimate.minutes;
  // Checked inside each test, not as the file is collected: Stryker judges a mutant by the tests that run it.
  const refused = () => checkRuntime(config, max, LONGEST);

  test('with the figures, what the overrun costs, and what happens', () => {
    const { problem, warning } = refused();
    expect(warning).toBeUndefined();
    expect(problem).toMatch(
      new RegExp(
        `^the training estimate for ${config.model.modelId} on ml\\.g5\\.12xlarge is about ${Math.round(estimate.minutes)} minutes .*` +
          `, and even its optimistic end is longer than maxRuntime of ${max} minutes: SageMaker would stop the job at its ` +
          `maximum runtime after about \\$${(estimate.costUsd! * share).toFixed(0)} of ml\\.g5\\.12xlarge time, with no model\\. Fix: `,
      ),
    );
    expect(problem).toMatch(/ If you know the job is faster than estimated, set skipRuntimeCheck: true\.$/);
  });

  test('each fix brings the expected time within the limit', () => {
    const { problem } = refused();
    const epochs = Math.floor(config.hyperparameters.epoch * share);
    const samples = Math.floor(MEASURED_SAMPLES * share);
    expect(problem).toContain(`Fix: hyperparameters.epoch ${epochs} (about ${minutesWith({ epoch: epochs })} min); `);
    expect(problem).toContain(
      `; or hyperparameters.maxTrainSamples ${samples} (about ${minutesWith({ maxTrainSamples: samples })} min); `,
    );
    expect(problem).toContain(
      `; or maxRuntime of at least ${Math.ceil(estimate.minutes)} minutes (at most ${LONGEST}).`,
    );
    const faster = /a faster valid configuration: instanceType (\S+) with .*?\(about (\d+) min\)/.exec(problem!);
    expect(faster).not.toBeNull();
    expect(Number(faster![2])).toBeLessThanOrEqual(max);
  });

  test('a runtime longer than a deploy can wait for is not offered', () => {
    expect(checkRuntime(config, max, Math.floor(estimate.minutes) - 1).problem).not.toContain('maxRuntime of at least');
    expect(checkRuntime(config, max, estimate.minutes).problem).toContain('maxRuntime of at least');
  });
});

test('a limit too short for one epoch, one sample or any configuration offers only a longer runtime', () => {
  const { problem } = checkRuntime(config, 0.02, LONGEST);
  expect(problem).not.toContain('hyperparameters.epoch');
  expect(problem).not.toContain('hyperparameters.maxTrainSamples');
  expect(problem).not.toContain('a faster valid configuration');
  expect(problem).toContain(`Fix: maxRuntime of at least ${Math.ceil(estimate.minutes)} minutes`);
});

test('down to one epoch, or one sample: still offered', () => {
  // 5 epochs at about 58 minutes: 15 minutes leave room for one; 0.07 minutes for one of the 1,188 samples.
  expect(checkRuntime(config, 15, LONGEST).problem).toContain(
    `Fix: hyperparameters.epoch 1 (about ${minutesWith({ epoch: 1 })} min); `,
  );
  const one = checkRuntime(config, 0.07, LONGEST).problem;
  expect(one).not.toContain('hyperparameters.epoch');
  expect(one).toContain(`Fix: hyperparameters.maxTrainSamples 1 (about ${minutesWith({ maxTrainSamples: 1 })} min); `);
});

test('samples are counted as the job will use them: the dataset, or maxTrainSamples when that is fewer', () => {
  const inDataset = checkRuntime(config, 10, LONGEST, 5000).problem!;
  expect(inDataset).toContain('; 5000 samples in the dataset)');
  const inDatasetEstimate = estimateTraining(config, 5000);
  expect(inDataset).toContain(
    `hyperparameters.maxTrainSamples ${Math.floor((5000 * 10) / inDatasetEstimate.minutes)} (`,
  );

  const capped = { ...config, hyperparameters: { ...config.hyperparameters, maxTrainSamples: 3000 } };
  const cappedEstimate = estimateTraining(capped, 5000);
  expect(checkRuntime(capped, 10, LONGEST, 5000).problem).toContain(
    `hyperparameters.maxTrainSamples ${Math.floor((3000 * 10) / cappedEstimate.minutes)} (`,
  );
  const above = { ...config, hyperparameters: { ...config.hyperparameters, maxTrainSamples: 9000 } };
  expect(checkRuntime(above, 10, LONGEST, 5000).problem).toContain(
    `hyperparameters.maxTrainSamples ${Math.floor((5000 * 10) / estimateTraining(above, 5000).minutes)} (`,
  );
});

test('a model nothing was measured for is not checked', () => {
  const unmeasured = resolveTrainingConfiguration({ modelId: 'meta-textgeneration-llama-3-2-1b-instruct' });
  expect(checkRuntime(unmeasured, 1, LONGEST)).toEqual({});
});
