/**
 * A model of the walkthrough's measured training times, fitted to the catalogue's runs,
 * with error bars from leave-one-out errors over the same runs.
 *
 * log(minutes) is linear in: the model (one level per measured table: 8B, 70B), the
 * technique (FSDP against INT8), the GPU type (the instance family, against g5, the most
 * measured), and per technique log2 of the GPU count, of max_input_length and of the batch
 * size. The table shows why each is there: FSDP is three times faster than INT8 and slows
 * on eight GPUs; T4s (g4dn) take twice as long as A10Gs (g5); longer inputs and larger
 * batches shorten FSDP runs much more than INT8 runs. A small ridge keeps a fit solvable
 * when a held-out run was a level's only one.
 *
 * Every estimate carries the range the leave-one-out errors span, widened by what the fit
 * cannot know: a GPU type nobody measured (by the spread of the measured types) or a
 * setting outside the measured span (by its fitted effect over the distance beyond).
 */
import { instanceFacts, instanceFamily } from '../models/instance-types';
import { MODEL_CATALOGUE, sameTechnique } from '../models/catalogue';
import type { MeasuredTrainingRun, Technique } from '../models/model-spec';

/** The family every other GPU type is measured against. */
const REFERENCE_FAMILY = 'g5';
const RIDGE = 1e-3;

/** A configuration, as far as the model reads it. */
export interface RuntimeInputs {
  readonly runs: readonly MeasuredTrainingRun[];
  readonly instanceType: string;
  readonly maxInputLength: number;
  readonly perDeviceTrainBatchSize: number;
  readonly technique: Technique;
}

/** A prediction at 3 epochs on the measured samples. */
export interface RuntimePrediction {
  readonly minutes: number;
  readonly lowMinutes: number;
  readonly highMinutes: number;
  /** Whether the configuration is a measured run (its measurement is the figure). */
  readonly measured: boolean;
  /** Why the configuration is far from any measurement; undefined when it is not. */
  readonly far?: string;
}

interface Observation {
  readonly group: number;
  readonly run: MeasuredTrainingRun;
}

interface Fit {
  readonly weights: number[];
}

/** The distinct measured tables of the catalogue (models sharing one table share it). */
function measuredTables(): (readonly MeasuredTrainingRun[])[] {
  // An empty table would add a column of zeros, whose coefficient the ridge keeps at 0: the same fit.
  // Stryker disable next-line MethodExpression,ConditionalExpression,EqualityOperator: the same fit (see above)
  return [...new Set(MODEL_CATALOGUE.map((m) => m.training.measuredRuns).filter((runs) => runs.length > 0))];
}

class RuntimeModel {
  readonly observations: Observation[];
  readonly families: string[];
  private readonly full: Fit;
  /** log(measured / predicted) of each run, predicted by a fit without it. */
  readonly leaveOneOut: number[];

  constructor(readonly tables: (readonly MeasuredTrainingRun[])[]) {
    this.observations = tables.flatMap((runs, group) => runs.map((run) => ({ group, run })));
    // Sorted for a stable column order; any order is the same fit, the columns permuted.
    // Stryker disable next-line MethodExpression: the same fit in another column order
    this.families = [...new Set(this.observations.map((o) => instanceFamily(o.run.instanceType)))]
      .filter((f) => f !== REFERENCE_FAMILY)
      .sort();
    this.full = this.fit(this.observations);
    this.leaveOneOut = this.observations.map((o, i) => {
      const fit = this.fit(this.observations.filter((_, j) => j !== i));
      return Math.log(o.run.minutes) - this.logMinutes(fit, o.group, o.run, instanceFamily(o.run.instanceType));
    });
  }

  features(group: number, run: Omit<MeasuredTrainingRun, 'minutes'>, family: string): number[] {
    // Stryker disable next-line OptionalChaining: every measured and every trainable instance type has facts
    const gpus = Math.log2((instanceFacts(run.instanceType)?.gpus ?? 4) / 4);
    const length = Math.log2(run.maxInputLength / 1024);
    const batch = Math.log2(run.perDeviceTrainBatchSize / 2);
    const int8 = run.int8Quantization ? 1 : 0;
    const fsdp = run.enableFsdp ? 1 : 0;
    return [
      // With two measured tables, "not this table" is the other's indicator: the same model, relabelled.
      // Stryker disable next-line EqualityOperator: equivalent while the catalogue has two measured tables
      ...this.tables.map((_, g) => (g === group ? 1 : 0)),
      fsdp,
      ...this.families.map((f) => (f === family ? 1 : 0)),
      gpus * int8,
      gpus * fsdp,
      length * int8,
      length * fsdp,
      batch * int8,
      batch * fsdp,
    ];
  }

  /** Index of the first per-technique slope among the features. */
  get slopeIndex(): number {
    return this.tables.length + 1 + this.families.length;
  }

  coefficient(index: number): number {
    return this.full.weights[index];
  }

  logMinutes(fit: Fit, group: number, run: Omit<MeasuredTrainingRun, 'minutes'>, family: string): number {
    return this.features(group, run, family).reduce((sum, x, i) => sum + x * fit.weights[i], 0);
  }

  predictLog(group: number, run: Omit<MeasuredTrainingRun, 'minutes'>, family: string): number {
    return this.logMinutes(this.full, group, run, family);
  }

  private fit(observations: Observation[]): Fit {
    const rows = observations.map((o) => this.features(o.group, o.run, instanceFamily(o.run.instanceType)));
    const n = rows[0].length;
    const a = Array.from({ length: n }, (_, i) =>
      Array.from({ length: n }, (_, j) => rows.reduce((s, r) => s + r[i] * r[j], 0) + (i === j ? RIDGE : 0)),
    );
    const b = Array.from({ length: n }, (_, i) =>
      rows.reduce((s, r, k) => s + r[i] * Math.log(observations[k].run.minutes), 0),
    );
    return { weights: solve(a, b) };
  }
}

/**
 * Gaussian elimination. The system is the ridge's normal equations (XᵀX + λI), symmetric
 * positive definite, for which elimination is stable without pivoting.
 */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]]);
  // Stryker disable next-line EqualityOperator: a pass at col = n has no row below it to eliminate
  for (let col = 0; col < n; col++) {
    for (let row = col + 1; row < n; row++) {
      const factor = m[row][col] / m[col][col];
      for (let k = col; k <= n; k++) m[row][k] -= factor * m[col][k];
    }
  }
  // Stryker disable next-line ArrayDeclaration: each x[k] is written before it is read
  const x = new Array<number>(n).fill(0);
  for (let row = n - 1; row >= 0; row--) {
    let sum = m[row][n];
    for (let k = row + 1; k < n; k++) sum -= m[row][k] * x[k];
    x[row] = sum / m[row][row];
  }
  return x;
}

let model: RuntimeModel | undefined;
function runtimeModel(): RuntimeModel {
  model ??= new RuntimeModel(measuredTables());
  return model;
}

/** The relative leave-one-out errors, (predicted - measured) / measured, of every measured run. */
export function leaveOneOutErrors(): { run: MeasuredTrainingRun; error: number }[] {
  const m = runtimeModel();
  return m.observations.map((o, i) => ({ run: o.run, error: Math.exp(-m.leaveOneOut[i]) - 1 }));
}

/** How many runs the model was fitted to. */
export function measuredRunCount(): number {
  return runtimeModel().observations.length;
}

/** The measured span of a setting for a technique, over every table. */
function span(m: RuntimeModel, technique: Technique, value: (r: MeasuredTrainingRun) => number): [number, number] {
  const values = m.observations.filter((o) => sameTechnique(o.run, technique)).map((o) => value(o.run));
  return [Math.min(...values), Math.max(...values)];
}

/** log2 distance of a value beyond a span; 0 within it. */
function beyond(value: number, [low, high]: [number, number]): number {
  // At a bound the distance is log2(1) = 0, and within the span the other branch is <= 0: no widening either way.
  // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent (see above)
  return value < low ? Math.log2(low / value) : value > high ? Math.log2(value / high) : 0;
}

/**
 * The model's prediction for a configuration at the measured 3 epochs and samples;
 * undefined when the model or its technique was never measured.
 */
export function predictRuntime(inputs: RuntimeInputs): RuntimePrediction | undefined {
  const m = runtimeModel();
  const group = m.tables.indexOf(inputs.runs);
  const { technique } = inputs;
  if (group === -1 || !inputs.runs.some((r) => sameTechnique(r, technique))) return undefined;

  const run = {
    instanceType: inputs.instanceType,
    maxInputLength: inputs.maxInputLength,
    perDeviceTrainBatchSize: inputs.perDeviceTrainBatchSize,
    ...technique,
  };
  const exact = inputs.runs.find(
    (r) =>
      sameTechnique(r, technique) &&
      r.instanceType === run.instanceType &&
      r.maxInputLength === run.maxInputLength &&
      r.perDeviceTrainBatchSize === run.perDeviceTrainBatchSize,
  );
  const family = instanceFamily(inputs.instanceType);
  const familyMeasured = family === REFERENCE_FAMILY || m.families.includes(family);
  const minutes = exact?.minutes ?? Math.exp(m.predictLog(group, run, familyMeasured ? family : REFERENCE_FAMILY));

  // What the fit does not know widens the range, by the size of the effect it would have to guess.
  const reasons: string[] = [];
  let widen = 0;
  if (!familyMeasured) {
    // Stryker disable next-line ArithmeticOperator: one measured family besides g5, so i is 0
    const spread = Math.max(...m.families.map((_, i) => Math.abs(m.coefficient(m.tables.length + 1 + i))));
    widen += spread;
    reasons.push(`no run on ${family} GPUs was measured (estimated as g5, within the measured GPU types' spread)`);
  }
  const fsdp = technique.enableFsdp ? 1 : 0;
  const settings: [string, number, (r: MeasuredTrainingRun) => number, number][] = [
    // Stryker disable next-line OptionalChaining: every trainable instance type has facts
    ['GPU count', instanceFacts(inputs.instanceType)?.gpus ?? 4, (r) => instanceFacts(r.instanceType)?.gpus ?? 4, 0],
    ['max_input_length', inputs.maxInputLength, (r) => r.maxInputLength, 2],
    ['batch size', inputs.perDeviceTrainBatchSize, (r) => r.perDeviceTrainBatchSize, 4],
  ];
  for (const [name, value, of, offset] of settings) {
    const measuredSpan = span(m, technique, of);
    const distance = beyond(value, measuredSpan);
    if (distance > 0) {
      widen += distance * Math.abs(m.coefficient(m.slopeIndex + offset + fsdp));
      reasons.push(`${name} ${value} is outside the measured ${measuredSpan[0]}-${measuredSpan[1]}`);
    }
  }
  const low = Math.min(...m.leaveOneOut) - widen;
  const high = Math.max(...m.leaveOneOut) + widen;
  return {
    minutes,
    lowMinutes: minutes * Math.exp(Math.min(0, low)),
    highMinutes: minutes * Math.exp(Math.max(0, high)),
    measured: exact !== undefined,
    far: reasons.length > 0 ? reasons.join('; ') : undefined,
  };
}

/** The model's range as words: the leave-one-out errors' span. */
export function describeModelErrors(): string {
  const errors = leaveOneOutErrors().map((e) => e.error);
  // Stryker disable next-line EqualityOperator: the extremes are never exactly 0 (a test holds them to their signs)
  const pct = (x: number) => `${x > 0 ? '+' : ''}${Math.round(x * 100)}%`;
  return `range from the model's leave-one-out errors over the ${errors.length} measured runs (${pct(Math.min(...errors))} to ${pct(Math.max(...errors))})`;
}
