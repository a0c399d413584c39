import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { main } from '../../lib/cli/main';
import { resolveTrainingConfiguration } from '../../lib/config/training-configuration';
import { leaveOneOutErrors } from '../../lib/estimates/runtime-model';
import { TrainingEstimator, estimateTraining, formatEstimate } from '../../lib/estimates/training-estimate';

// Copied verbatim from the walkthrough's tables, independently of the catalogue.
const ROWS = readFileSync(join(__dirname, '..', 'fixtures', 'walkthrough-training-times.txt'), 'utf8')
  .split('\n')
  .filter((l) => l && !l.startsWith('#'))
  .map((l) => {
    const [modelId, instanceType, maxInputLength, batch, int8, fsdp, minutes] = l.split(' ');
    return {
      modelId,
      instanceType,
      maxInputLength: Number(maxInputLength),
      batch: Number(batch),
      int8: int8 === 'TRUE',
      fsdp: fsdp === 'TRUE',
      minutes: Number(minutes),
    };
  });

/** A measured run's configuration, at the table's 3 epochs. */
function measuredConfiguration(row: (typeof ROWS)[number]) {
  return resolveTrainingConfiguration({
    modelId: row.modelId,
    instanceType: row.instanceType,
    hyperparameters: {
      epoch: 3,
      maxInputLength: row.maxInputLength,
      perDeviceTrainBatchSize: row.batch,
      int8Quantization: row.int8,
      enableFsdp: row.fsdp,
    },
  });
}

async function estimateCli(...args: string[]): Promise<{ status: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io = {
    stdin: new PassThrough(),
    stdout: new PassThrough().on('data', (c) => (out += c)),
    stderr: new PassThrough().on('data', (c) => (err += c)),
  };
  const status = await main(['estimate', ...args], io);
  return { status, out, err };
}

test("the table has the walkthrough's 33 rows", () => {
  expect(ROWS).toHaveLength(33);
});

describe.each(ROWS)(
  '$modelId on $instanceType, max_input_length $maxInputLength, batch $batch, int8 $int8, FSDP $fsdp',
  (row) => {
    const config = measuredConfiguration(row);

    test(`the library estimates the measured ${row.minutes} minutes`, () => {
      const estimate = estimateTraining(config);
      expect(estimate.measured).toBe(true);
      expect(estimate.minutes).toBe(row.minutes);
    });

    test('`llama3-ft estimate` answers with it', async () => {
      const { status, out } = await estimateCli(
        '--model_id',
        row.modelId,
        '--instance_type',
        row.instanceType,
        '--max_input_length',
        String(row.maxInputLength),
        '--per_device_train_batch_size',
        String(row.batch),
        '--int8_quantization',
        row.int8 ? 'True' : 'False',
        '--enable_fsdp',
        row.fsdp ? 'True' : 'False',
        '--epoch',
        '3',
      );
      expect(status).toBe(0);
      expect(out).toContain(`about ${row.minutes} minutes`);
    });
  },
);

describe('the scaling rule', () => {
  const base = {
    instanceType: 'ml.g5.12xlarge',
    hyperparameters: { maxInputLength: 2048, perDeviceTrainBatchSize: 2, int8Quantization: false, enableFsdp: true },
  };

  test('time and its range are linear in epochs and in samples, and max_train_samples caps the samples', () => {
    const three = estimateTraining(
      resolveTrainingConfiguration({ ...base, hyperparameters: { ...base.hyperparameters, epoch: 3 } }),
    );
    const six = estimateTraining(
      resolveTrainingConfiguration({ ...base, hyperparameters: { ...base.hyperparameters, epoch: 6 } }),
      2376,
    );
    expect(six.minutes).toBe(24 * 2 * 2);
    expect(six.lowMinutes).toBeCloseTo(three.lowMinutes * 4, 9);
    expect(six.highMinutes).toBeCloseTo(three.highMinutes * 4, 9);
    expect(six.basis).toMatch(/^measured; range from .*; scaled by 6\/3 epochs x 2376\/1188 samples$/);
    const capped = estimateTraining(
      resolveTrainingConfiguration({
        ...base,
        hyperparameters: { ...base.hyperparameters, epoch: 3, maxTrainSamples: 594 },
      }),
      2376,
    );
    expect(capped.minutes).toBe(12);
  });

  test('every estimate carries a range around it, a measured one included', () => {
    for (const row of ROWS) {
      const estimate = estimateTraining(measuredConfiguration(row));
      expect(estimate.lowMinutes).toBeLessThan(row.minutes);
      expect(estimate.highMinutes).toBeGreaterThan(row.minutes);
      expect(estimate.farFromMeasurements).toBeUndefined();
    }
  });

  test('an input length outside the measured ones is modelled, flagged as far, and its range widened', () => {
    const within = estimateTraining(
      resolveTrainingConfiguration({ ...base, hyperparameters: { ...base.hyperparameters, epoch: 3 } }),
    );
    const estimate = estimateTraining(
      resolveTrainingConfiguration({
        ...base,
        hyperparameters: { ...base.hyperparameters, epoch: 3, maxInputLength: 512 },
      }),
    );
    expect(estimate.measured).toBe(false);
    expect(estimate.farFromMeasurements).toBe('max_input_length 512 is outside the measured 1024-2048');
    // The table: LoRA+FSDP on ml.g5.12xlarge took 35 min at 1024 tokens and 24 at 2048, so 512 is slower still.
    expect(estimate.minutes).toBeGreaterThan(35);
    expect(estimate.highMinutes / estimate.lowMinutes).toBeGreaterThan(within.highMinutes / within.lowMinutes);
  });

  test('an instance whose GPUs were never measured is estimated as g5, with the measured GPU types as its range', () => {
    const estimate = estimateTraining(
      resolveTrainingConfiguration({
        modelId: 'meta-textgeneration-llama-3-70b',
        instanceType: 'ml.p4d.24xlarge',
        hyperparameters: { epoch: 3 },
      }),
    );
    expect(estimate.farFromMeasurements).toMatch(/^no run on p4d GPUs was measured/);
    // Same model, technique, GPU count and settings as the measured 461 minutes on ml.g5.48xlarge.
    expect(estimate.minutes / 461).toBeGreaterThan(0.85);
    expect(estimate.minutes / 461).toBeLessThan(1.15);
    // T4s (g4dn) took about twice as long as A10Gs (g5) in the table: the range spans at least that both ways.
    expect(estimate.highMinutes / estimate.minutes).toBeGreaterThan(2);
    expect(estimate.minutes / estimate.lowMinutes).toBeGreaterThan(2);
    expect(estimate.costUsd).toBeCloseTo((estimate.minutes / 60) * 37.69, 6);
    expect(estimate.highCostUsd).toBeCloseTo((estimate.highMinutes / 60) * 37.69, 6);
  });

  test('LoRA without FSDP or int8 was never measured: no estimate, said so', () => {
    const estimate = estimateTraining(
      resolveTrainingConfiguration({ hyperparameters: { int8Quantization: false, enableFsdp: false } }),
    );
    expect(estimate.minutes).toBeNaN();
    expect(estimate.basis).toBe('no measurement of meta-textgeneration-llama-3-8b with LoRA');
  });

  test('a model nobody measured: no figures, and the printed line says so', () => {
    const choices = { modelId: 'meta-textgeneration-llama-3-2-1b-instruct' };
    const estimate = TrainingEstimator.estimate(choices);
    expect(estimate).toMatchObject({ minutes: NaN, lowMinutes: NaN, highMinutes: NaN, measured: false });
    expect(estimate.costUsd).toBeUndefined();
    expect(estimate.basis).toMatch(/^no measurement: .* none for Meta Llama 3\.2 1B Instruct$/);
    expect(TrainingEstimator.describe(choices)).toBe(
      `Training estimate for meta-textgeneration-llama-3-2-1b-instruct: ${estimate.basis}.`,
    );
  });

  test('the range of the cost is the range of the minutes at the hourly price, scaled alike', () => {
    const config = resolveTrainingConfiguration({ ...base, hyperparameters: { ...base.hyperparameters, epoch: 6 } });
    const estimate = estimateTraining(config, 2 * 1188);
    expect(estimate.minutes).toBe(24 * 4);
    expect(estimate.costUsd).toBeCloseTo((estimate.minutes / 60) * 7.09, 9);
    expect(estimate.lowCostUsd).toBeCloseTo((estimate.lowMinutes / 60) * 7.09, 9);
    expect(estimate.highCostUsd).toBeCloseTo((estimate.highMinutes / 60) * 7.09, 9);
    expect(formatEstimate(config, estimate)).toBe(
      `Training estimate for meta-textgeneration-llama-3-8b on ml.g5.12xlarge: about 96 minutes ` +
        `(${Math.round(estimate.lowMinutes)} to ${Math.round(estimate.highMinutes)}), about $${estimate.costUsd!.toFixed(2)} ` +
        `($${estimate.lowCostUsd!.toFixed(2)} to $${estimate.highCostUsd!.toFixed(2)}) on demand ` +
        `(ml.g5.12xlarge, us-east-1 prices of 2024-05); ${estimate.basis}.`,
    );
  });

  test('an estimate at the measured epochs and samples says nothing of scaling', () => {
    const estimate = estimateTraining(
      resolveTrainingConfiguration({ ...base, hyperparameters: { ...base.hyperparameters, epoch: 3 } }),
    );
    expect(estimate.basis).not.toContain('scaled');
  });

  test("cost is minutes times the instance's hourly price", () => {
    const estimate = estimateTraining(
      resolveTrainingConfiguration({ ...base, hyperparameters: { ...base.hyperparameters, epoch: 3 } }),
    );
    expect(estimate.costUsd).toBeCloseTo((24 / 60) * 7.09, 5);
  });
});

describe('the model of the measured table, left one out at a time', () => {
  const errors = leaveOneOutErrors();

  test('is held to its goals: median error at most 5 %, every run within 25 %', () => {
    const absolute = errors.map((e) => Math.abs(e.error)).sort((a, b) => a - b);
    expect(absolute).toHaveLength(ROWS.length);
    expect(absolute[Math.floor(absolute.length / 2)]).toBeLessThanOrEqual(0.05);
    expect(absolute[absolute.length - 1]).toBeLessThanOrEqual(0.25);
  });

  test('predicts each run without it: no held-out prediction is its own measurement', () => {
    // Were the run left in (or looked up), every error would be 0.
    expect(errors.filter((e) => Math.abs(e.error) < 1e-6)).toEqual([]);
    expect(errors.map((e) => e.run.minutes).sort()).toEqual(ROWS.map((r) => r.minutes).sort());
  });
});

describe('a much faster valid configuration is pointed out', () => {
  test('INT8 on ml.g5.12xlarge (73-88 min) is told about LoRA+FSDP (24 min)', () => {
    const estimate = estimateTraining(
      resolveTrainingConfiguration({
        instanceType: 'ml.g5.12xlarge',
        hyperparameters: {
          epoch: 3,
          maxInputLength: 1024,
          perDeviceTrainBatchSize: 2,
          int8Quantization: true,
          enableFsdp: false,
        },
      }),
    );
    expect(estimate.betterAlternative).toMatch(
      /^faster: instanceType ml.g5.12xlarge, hyperparameters.maxInputLength 2048, hyperparameters.perDeviceTrainBatchSize 2, hyperparameters.int8Quantization false, hyperparameters.enableFsdp true took 24 min where this takes about 88/,
    );
    // The fastest is also the cheapest: it is told once.
    expect(estimate.betterAlternative).not.toContain('cheaper');
  });

  test('the fastest configuration is not told about itself, and 70B is only compared with what 70B supports', () => {
    const fastest = {
      instanceType: 'ml.g5.12xlarge',
      hyperparameters: {
        epoch: 3,
        maxInputLength: 2048,
        perDeviceTrainBatchSize: 2,
        int8Quantization: false,
        enableFsdp: true,
      },
    };
    expect(estimateTraining(resolveTrainingConfiguration(fastest)).betterAlternative).toBeUndefined();
    expect(
      estimateTraining(
        resolveTrainingConfiguration({
          modelId: 'meta-textgeneration-llama-3-70b',
          hyperparameters: { epoch: 3, maxInputLength: 2048 },
        }),
      ).betterAlternative,
    ).toBeUndefined();
  });
});

test('bad flags are reported in flag terms, kebab-case or context-key spelling alike', async () => {
  for (const flags of [
    ['--model-id', 'meta-textgeneration-llama-3-70b', '--enable-fsdp', 'True', '--int8-quantization', 'False'],
    ['--model_id', 'meta-textgeneration-llama-3-70b', '--enable_fsdp', 'True', '--int8_quantization', 'False'],
  ]) {
    const { status, err } = await estimateCli(...flags);
    expect(status).toBe(2);
    expect(err).toContain(
      'meta-textgeneration-llama-3-70b does not train with LoRA+FSDP (--int8-quantization false, --enable-fsdp true); allowed: INT8+LoRA (--int8-quantization true, --enable-fsdp false)',
    );
  }
  expect((await estimateCli('--epochs', '3')).err).toContain("Unknown option '--epochs'");
  expect((await estimateCli('--epochs', '3')).err).toContain('Did you mean --epoch?');
  expect((await estimateCli('--instance-type', 'ml.g5.2xlarge')).err).toMatch(
    /^--instance-type is "ml.g5.2xlarge", which does not train/,
  );
});

test('the better configuration is advised in flags', async () => {
  const { out } = await estimateCli(
    '--instance-type',
    'ml.g5.12xlarge',
    '--max-input-length',
    '1024',
    '--per-device-train-batch-size',
    '2',
    '--int8-quantization',
    'True',
    '--enable-fsdp',
    'False',
    '--epoch',
    '3',
  );
  expect(out).toContain(
    'faster: --instance-type ml.g5.12xlarge, --max-input-length 2048, --per-device-train-batch-size 2, --int8-quantization false, --enable-fsdp true took 24 min',
  );
});
