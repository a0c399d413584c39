/**
 * The runtime model against an independent implementation: scripts/runtime-model-reference.py
 * fits the same model with numpy to the walkthrough's table as copied into the fixtures, and
 * its leave-one-out errors and probe predictions are in runtime-model-reference.json.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as Catalogue from '../../lib/models/catalogue';
import type * as RuntimeModel from '../../lib/estimates/runtime-model';
import { freshModules } from '../support/fresh-modules';

interface Configuration {
  readonly model: string;
  readonly instanceType: string;
  readonly maxInputLength: number;
  readonly batch: number;
  readonly int8: boolean;
  readonly fsdp: boolean;
}
interface Reference {
  readonly leaveOneOut: (Configuration & { readonly error: number })[];
  readonly probes: (Configuration & {
    readonly minutes: number;
    readonly lowMinutes: number;
    readonly highMinutes: number;
    readonly measured: boolean;
    /** The settings the prediction is far from the measurements in ("GPU type" for an unmeasured family). */
    readonly far: string[];
  })[];
}
const REFERENCE: Reference = JSON.parse(
  readFileSync(join(__dirname, '..', 'fixtures', 'runtime-model-reference.json'), 'utf8'),
);

/** The model is built once per process, on first use: each test loads it afresh, and so builds and checks it. */
function freshModel() {
  return freshModules(() => ({
    runtime: require('../../lib/estimates/runtime-model') as typeof RuntimeModel,
    catalogue: require('../../lib/models/catalogue') as typeof Catalogue,
  }));
}

const key = (c: Configuration) => `${c.model} ${c.instanceType} ${c.maxInputLength} ${c.batch} ${c.int8} ${c.fsdp}`;

function expectClose(actual: number, expected: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-9 * Math.abs(expected));
}

test("each run's leave-one-out error is the reference's", () => {
  const { runtime, catalogue } = freshModel();
  const errors = runtime.leaveOneOutErrors();
  expect(runtime.measuredRunCount()).toBe(REFERENCE.leaveOneOut.length);
  expect(errors).toHaveLength(REFERENCE.leaveOneOut.length);
  const expected = new Map(REFERENCE.leaveOneOut.map((r) => [key(r), r.error]));
  for (const { run, error } of errors) {
    // The first model with the run's table (8B Instruct shares 8B's).
    const model = catalogue.MODEL_CATALOGUE.find((m) => m.training.measuredRuns.includes(run))!.modelId;
    const reference = expected.get(
      key({
        model,
        instanceType: run.instanceType,
        maxInputLength: run.maxInputLength,
        batch: run.perDeviceTrainBatchSize,
        int8: run.int8Quantization,
        fsdp: run.enableFsdp,
      }),
    );
    expect(reference).toBeDefined();
    expectClose(error, reference!);
  }
});

test.each(REFERENCE.probes)(
  '$model on $instanceType, max_input_length $maxInputLength, batch $batch, FSDP $fsdp: the reference prediction',
  (probe) => {
    const { runtime, catalogue } = freshModel();
    const prediction = runtime.predictRuntime({
      runs: catalogue.findModel(probe.model).training.measuredRuns,
      instanceType: probe.instanceType,
      maxInputLength: probe.maxInputLength,
      perDeviceTrainBatchSize: probe.batch,
      technique: { int8Quantization: probe.int8, enableFsdp: probe.fsdp },
    });
    expect(prediction).toBeDefined();
    expectClose(prediction!.minutes, probe.minutes);
    expectClose(prediction!.lowMinutes, probe.lowMinutes);
    expectClose(prediction!.highMinutes, probe.highMinutes);
    expect(prediction!.measured).toBe(probe.measured);
    // One reason per setting the configuration is far in, naming it.
    const reasons = prediction!.far?.split('; ') ?? [];
    expect(reasons).toHaveLength(probe.far.length);
    probe.far.forEach((setting, i) =>
      expect(reasons[i]).toContain(
        setting === 'GPU type' ? `no run on ${probe.instanceType.split('.')[1]} GPUs` : setting,
      ),
    );
  },
);

test('a range outside the measured span names the span', () => {
  const { runtime, catalogue } = freshModel();
  const prediction = runtime.predictRuntime({
    runs: catalogue.findModel('meta-textgeneration-llama-3-8b').training.measuredRuns,
    instanceType: 'ml.g5.12xlarge',
    maxInputLength: 512,
    perDeviceTrainBatchSize: 2,
    technique: { int8Quantization: false, enableFsdp: true },
  });
  expect(prediction!.far).toBe('max_input_length 512 is outside the measured 1024-2048');
});

test('there is no prediction for a technique or a table that was never measured', () => {
  const { runtime, catalogue } = freshModel();
  const runs70b = catalogue.findModel('meta-textgeneration-llama-3-70b').training.measuredRuns;
  const inputs = {
    instanceType: 'ml.g5.48xlarge',
    maxInputLength: 1024,
    perDeviceTrainBatchSize: 1,
    technique: { int8Quantization: true, enableFsdp: false },
  };
  expect(runtime.predictRuntime({ ...inputs, runs: runs70b })).toBeDefined();
  // 70B was measured with INT8 only.
  expect(
    runtime.predictRuntime({ ...inputs, runs: runs70b, technique: { int8Quantization: false, enableFsdp: true } }),
  ).toBeUndefined();
  // A table the model was not fitted to, even with the same rows.
  expect(runtime.predictRuntime({ ...inputs, runs: [...runs70b] })).toBeUndefined();
});

test("the model's errors are described by their count and their extremes, in whole percent", () => {
  const { runtime } = freshModel();
  const errors = REFERENCE.leaveOneOut.map((r) => r.error);
  const pct = (x: number) => `${x > 0 ? '+' : ''}${Math.round(x * 100)}%`;
  const [min, max] = [Math.min(...errors), Math.max(...errors)];
  expect(min).toBeLessThan(0);
  expect(max).toBeGreaterThan(0);
  expect(runtime.describeModelErrors()).toContain(`${errors.length} measured runs (${pct(min)} to ${pct(max)})`);
});
