import { TrainingChoices, TrainingConfiguration, resolveTrainingConfiguration } from '../config/training-configuration';
import { effectiveMaxInputLength } from '../config/hyperparameter-specs';
import { MeasuredTrainingRun, ModelSpec, techniqueName } from '../models/catalogue';
import { INSTANCE_TYPES, PRICES_AS_OF } from '../models/instance-types';

/** The walkthrough measured 3 epochs ... */
const MEASURED_EPOCHS = 3;
/**
 * ... on "a subset of the Dolly dataset with summarization examples": we take it to be
 * Dolly's whole summarization category, 1188 samples (an assumption; the walkthrough gives no count).
 */
export const MEASURED_SAMPLES = 1188;
/** An alternative is worth mentioning when it takes at most this share of the time or cost. */
const MUCH_BETTER = 0.6;

/** Expected training time and cost of a configuration. */
export interface TrainingEstimate {
  /** Expected training minutes. */
  readonly minutes: number;
  /**
   * Expected on-demand cost in USD.
   * @default - unknown: no price on record for the instance type
   */
  readonly costUsd?: number;
  /** Whether the configuration is a row of the walkthrough's table (before epoch and sample scaling). */
  readonly measured: boolean;
  /** How the figure was reached. */
  readonly basis: string;
  /**
   * A valid configuration of the same model that is much faster or cheaper.
   * @default - there is none
   */
  readonly betterAlternative?: string;
}

/**
 * Estimates training time and cost from the walkthrough's measured table:
 *
 * 1. the row with the same model, instance type and technique (int8/FSDP) whose
 *    max_input_length is nearest, then whose batch size is nearest; exact when both match;
 * 2. with no row for the instance type, the nearest row on an instance with the same
 *    number of GPUs, else the most GPUs (flagged as rough);
 * 3. scaled linearly by epochs (measured: 3) and by training samples (measured: 1188,
 *    capped by max_train_samples).
 *
 * Input length and batch size are not scaled: the table shows time does not follow
 * them linearly (int8 on g5.12xlarge took 88 min at 1024 tokens and 73 at 2048).
 */
export function estimateTraining(config: TrainingConfiguration, samples: number = MEASURED_SAMPLES): TrainingEstimate {
  const { model, instanceType, hyperparameters: hp } = config;
  const inputLength = effectiveMaxInputLength(hp.maxInputLength);
  const trainSamples = hp.maxTrainSamples === -1 ? samples : Math.min(samples, hp.maxTrainSamples);
  const scale = (hp.epoch / MEASURED_EPOCHS) * (trainSamples / MEASURED_SAMPLES);

  const sameTechnique = model.training.measuredRuns.filter(
    (r) => r.int8Quantization === hp.int8Quantization && r.enableFsdp === hp.enableFsdp,
  );
  let rows = sameTechnique.filter((r) => r.instanceType === instanceType);
  let rough = false;
  if (rows.length === 0) {
    const gpus = INSTANCE_TYPES[instanceType]?.gpus ?? 0;
    const sameGpus = sameTechnique.filter((r) => INSTANCE_TYPES[r.instanceType]?.gpus === gpus);
    const mostGpus = Math.max(...sameTechnique.map((r) => INSTANCE_TYPES[r.instanceType]?.gpus ?? 0));
    rows =
      sameGpus.length > 0 ? sameGpus : sameTechnique.filter((r) => INSTANCE_TYPES[r.instanceType]?.gpus === mostGpus);
    rough = true;
  }
  if (model.training.measuredRuns.length === 0) {
    return {
      minutes: NaN,
      measured: false,
      basis: `no measurement: training times were published for Llama 3 only (the walkthrough), none for ${model.displayName}`,
    };
  }
  if (rows.length === 0) {
    return { minutes: NaN, measured: false, basis: `no measurement of ${model.modelId} with ${techniqueName(hp)}` };
  }
  const row = nearest(rows, inputLength, hp.perDeviceTrainBatchSize);
  const exact =
    !rough && row.maxInputLength === inputLength && row.perDeviceTrainBatchSize === hp.perDeviceTrainBatchSize;
  const minutes = row.minutes * scale;
  const price = INSTANCE_TYPES[instanceType]?.trainingUsdPerHour;
  const costUsd = price !== undefined ? (minutes / 60) * price * config.instanceCount : undefined;
  const basis =
    `${exact ? 'measured' : rough ? 'rough: nearest measurement' : 'nearest measurement'}: ${describe(row)}` +
    `${scale !== 1 ? `, scaled by ${hp.epoch}/${MEASURED_EPOCHS} epochs x ${trainSamples}/${MEASURED_SAMPLES} samples` : ''}`;
  return {
    minutes,
    costUsd,
    measured: exact,
    basis,
    betterAlternative: betterAlternative(model, minutes, costUsd, scale),
  };
}

function nearest(rows: MeasuredTrainingRun[], inputLength: number, batch: number): MeasuredTrainingRun {
  return [...rows].sort(
    (a, b) =>
      Math.abs(a.maxInputLength - inputLength) - Math.abs(b.maxInputLength - inputLength) ||
      Math.abs(a.perDeviceTrainBatchSize - batch) - Math.abs(b.perDeviceTrainBatchSize - batch),
  )[0];
}

function describe(r: MeasuredTrainingRun): string {
  return (
    `${r.minutes} min on ${r.instanceType}, max_input_length ${r.maxInputLength}, batch ${r.perDeviceTrainBatchSize}, ` +
    `${techniqueName(r)}`
  );
}

function runCost(r: MeasuredTrainingRun, scale: number): number | undefined {
  const price = INSTANCE_TYPES[r.instanceType]?.trainingUsdPerHour;
  return price === undefined ? undefined : ((r.minutes * scale) / 60) * price;
}

/** The fastest and the cheapest measured configurations the model supports, if much better. */
function betterAlternative(
  model: ModelSpec,
  minutes: number,
  costUsd: number | undefined,
  scale: number,
): string | undefined {
  const valid = model.training.measuredRuns.filter(
    (r) =>
      model.training.supportedInstanceTypes.includes(r.instanceType) &&
      model.training.supportedTechniques.some(
        (t) => t.int8Quantization === r.int8Quantization && t.enableFsdp === r.enableFsdp,
      ),
  );
  const fastest = [...valid].sort((a, b) => a.minutes - b.minutes)[0];
  const cheapest = [...valid].sort((a, b) => (runCost(a, scale) ?? Infinity) - (runCost(b, scale) ?? Infinity))[0];
  const hints: string[] = [];
  if (fastest && fastest.minutes * scale <= MUCH_BETTER * minutes) {
    hints.push(
      `faster: ${describeAlternative(fastest)} took ${fastest.minutes} min where this takes about ${Math.round(minutes / scale)} (at 3 epochs)`,
    );
  }
  const cheapestCost = cheapest && runCost(cheapest, scale);
  if (
    cheapest &&
    cheapestCost !== undefined &&
    costUsd !== undefined &&
    cheapestCost <= MUCH_BETTER * costUsd &&
    cheapest !== fastest
  ) {
    hints.push(
      `cheaper: ${describeAlternative(cheapest)} costs about $${cheapestCost.toFixed(2)} where this costs about $${costUsd.toFixed(2)}`,
    );
  }
  return hints.length > 0 ? hints.join('; ') : undefined;
}

function describeAlternative(r: MeasuredTrainingRun): string {
  return (
    `instanceType ${r.instanceType}, hyperparameters.maxInputLength ${r.maxInputLength}, ` +
    `hyperparameters.perDeviceTrainBatchSize ${r.perDeviceTrainBatchSize}, hyperparameters.int8Quantization ${r.int8Quantization}, ` +
    `hyperparameters.enableFsdp ${r.enableFsdp}`
  );
}

/** One line for people: minutes, cost and basis. */
export function formatEstimate(config: TrainingConfiguration, estimate: TrainingEstimate): string {
  if (Number.isNaN(estimate.minutes)) return `Training estimate for ${config.model.modelId}: ${estimate.basis}.`;
  const cost =
    estimate.costUsd !== undefined
      ? `, about $${estimate.costUsd.toFixed(2)} on demand (${config.instanceType}, ${PRICES_AS_OF.region} prices of ${PRICES_AS_OF.date})`
      : ` (no price on record for ${config.instanceType})`;
  return (
    `Training estimate for ${config.model.modelId} on ${config.instanceType}: about ${Math.round(estimate.minutes)} minutes${cost}; ` +
    `${estimate.basis}.${estimate.betterAlternative ? ` A valid configuration is much better — ${estimate.betterAlternative}.` : ''}`
  );
}

/** Training time and cost estimates, for code (the same as `llama3-ft estimate`). */
export class TrainingEstimator {
  /**
   * Estimates a configuration's training minutes and on-demand cost.
   * @param choices model, instance type and hyperparameters; invalid ones throw as at synth
   * @param samples training samples in the dataset (default: the measured runs' 1188)
   */
  public static estimate(choices: TrainingChoices, samples?: number): TrainingEstimate {
    return estimateTraining(resolveTrainingConfiguration(choices), samples);
  }

  /** The estimate as one line for people, as printed at synth. */
  public static describe(choices: TrainingChoices, samples?: number): string {
    const config = resolveTrainingConfiguration(choices);
    return formatEstimate(config, estimateTraining(config, samples));
  }
}
