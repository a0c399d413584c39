import { TrainingChoices, TrainingConfiguration, resolveTrainingConfiguration } from '../config/training-configuration';
import { effectiveMaxInputLength } from '../config/hyperparameter-specs';
import { MeasuredTrainingRun, ModelSpec, techniqueName, validMeasuredRuns } from '../models/catalogue';
import { INSTANCE_TYPES, PRICES_AS_OF } from '../models/instance-types';
import { describeModelErrors, measuredRunCount, predictRuntime } from './runtime-model';

/** The walkthrough measured 3 epochs ... */
const MEASURED_EPOCHS = 3;
/**
 * ... on "a subset of the Dolly dataset with summarization examples": we take it to be
 * Dolly's whole summarization category, 1188 samples (an assumption; the walkthrough gives no count).
 */
export const MEASURED_SAMPLES = 1188;
/** An alternative is worth mentioning when it takes at most this share of the time or cost. */
const MUCH_BETTER = 0.6;

/** Expected training time and cost of a configuration, with the range it is likely in. */
export interface TrainingEstimate {
  /** Expected training minutes (NaN when nothing was measured to tell). */
  readonly minutes: number;
  /** The optimistic end of the range, in minutes. */
  readonly lowMinutes: number;
  /** The pessimistic end of the range, in minutes. */
  readonly highMinutes: number;
  /**
   * Expected on-demand cost in USD.
   * @default - unknown: no price on record for the instance type
   */
  readonly costUsd?: number;
  /**
   * On-demand cost at the optimistic end of the range.
   * @default - unknown: no price on record for the instance type
   */
  readonly lowCostUsd?: number;
  /**
   * On-demand cost at the pessimistic end of the range.
   * @default - unknown: no price on record for the instance type
   */
  readonly highCostUsd?: number;
  /** Whether the configuration is a row of the walkthrough's table (before epoch and sample scaling). */
  readonly measured: boolean;
  /**
   * Why the configuration is far from any measurement (its range is widened for it).
   * @default - it is within the measured settings
   */
  readonly farFromMeasurements?: string;
  /** How the figure was reached. */
  readonly basis: string;
  /**
   * A valid configuration of the same model that is much faster or cheaper.
   * @default - there is none
   */
  readonly betterAlternative?: string;
}

const UNKNOWN = { minutes: NaN, lowMinutes: NaN, highMinutes: NaN, measured: false } as const;

/**
 * Estimates training time and cost from a model of the walkthrough's measured table
 * (runtime-model.ts): a measured configuration's own time, else the model's prediction,
 * each with the range its leave-one-out errors span (wider far from the measurements);
 * then scaled linearly by epochs (measured: 3) and by training samples (measured: 1188,
 * capped by max_train_samples).
 */
export function estimateTraining(config: TrainingConfiguration, samples: number = MEASURED_SAMPLES): TrainingEstimate {
  const { model, instanceType, hyperparameters: hp } = config;
  if (model.training.measuredRuns.length === 0) {
    return {
      ...UNKNOWN,
      basis: `no measurement: training times were published for Llama 3 only (the walkthrough), none for ${model.displayName}`,
    };
  }
  const prediction = predictRuntime({
    runs: model.training.measuredRuns,
    instanceType,
    maxInputLength: effectiveMaxInputLength(hp.maxInputLength),
    perDeviceTrainBatchSize: hp.perDeviceTrainBatchSize,
    technique: { int8Quantization: hp.int8Quantization, enableFsdp: hp.enableFsdp },
  });
  if (!prediction) {
    return { ...UNKNOWN, basis: `no measurement of ${model.modelId} with ${techniqueName(hp)}` };
  }
  const trainSamples = hp.maxTrainSamples === -1 ? samples : Math.min(samples, hp.maxTrainSamples);
  const scale = (hp.epoch / MEASURED_EPOCHS) * (trainSamples / MEASURED_SAMPLES);
  const price = trainingPrice(instanceType);
  // Stryker disable next-line ArithmeticOperator: the instance count is 1, the only one the training script runs on
  const cost = (minutes: number) => (price !== undefined ? (minutes / 60) * price * config.instanceCount : undefined);
  const minutes = prediction.minutes * scale;
  const basis =
    `${prediction.measured ? 'measured' : `modelled from the ${measuredRunCount()} measured runs`}; ` +
    `${describeModelErrors()}` +
    `${prediction.far ? `; far from any measurement: ${prediction.far}` : ''}` +
    `${scale !== 1 ? `; scaled by ${hp.epoch}/${MEASURED_EPOCHS} epochs x ${trainSamples}/${MEASURED_SAMPLES} samples` : ''}`;
  return {
    minutes,
    lowMinutes: prediction.lowMinutes * scale,
    highMinutes: prediction.highMinutes * scale,
    costUsd: cost(minutes),
    lowCostUsd: cost(prediction.lowMinutes * scale),
    highCostUsd: cost(prediction.highMinutes * scale),
    measured: prediction.measured,
    farFromMeasurements: prediction.far,
    basis,
    betterAlternative: betterAlternative(model, minutes, cost(minutes), scale),
  };
}

function trainingPrice(instanceType: string): number | undefined {
  // Stryker disable next-line OptionalChaining: every training instance type of the catalogue has facts (tested there)
  return INSTANCE_TYPES[instanceType]?.trainingUsdPerHour;
}

function runCost(r: MeasuredTrainingRun, scale: number): number | undefined {
  const price = trainingPrice(r.instanceType);
  return price === undefined ? undefined : ((r.minutes * scale) / 60) * price;
}

/** The fastest and the cheapest measured configurations the model supports, if much better. */
function betterAlternative(
  model: ModelSpec,
  minutes: number,
  costUsd: number | undefined,
  scale: number,
): string | undefined {
  const valid = validMeasuredRuns(model);
  const fastest = [...valid].sort((a, b) => a.minutes - b.minutes)[0];
  const cheapest = [...valid].sort((a, b) => (runCost(a, scale) ?? Infinity) - (runCost(b, scale) ?? Infinity))[0];
  const hints: string[] = [];
  // "At most 60 %" (README): exactly 60 % would need two measured runs of the catalogue in a 3:5 ratio; none are.
  // Stryker disable next-line EqualityOperator: no configuration of the catalogue is at the bound
  if (fastest && fastest.minutes * scale <= MUCH_BETTER * minutes) {
    hints.push(
      `faster: ${describeAlternative(fastest)} took ${fastest.minutes} min where this takes about ${Math.round(minutes / scale)} (at 3 epochs)`,
    );
  }
  // The fastest, when it is also the cheapest, is told once.
  // An unknown cost is never cheaper, nor is anything cheaper than an unknown cost.
  const cheapestCost = cheapest === fastest ? undefined : cheapest && runCost(cheapest, scale);
  // Stryker disable next-line EqualityOperator: as for time, no configuration's cost is at the bound
  if ((cheapestCost ?? Infinity) <= MUCH_BETTER * (costUsd ?? NaN)) {
    hints.push(
      `cheaper: ${describeAlternative(cheapest)} costs about $${cheapestCost!.toFixed(2)} where this costs about $${costUsd!.toFixed(2)}`,
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

/** One line for people: minutes and cost with their ranges, and the basis. */
export function formatEstimate(config: TrainingConfiguration, estimate: TrainingEstimate): string {
  if (Number.isNaN(estimate.minutes)) return `Training estimate for ${config.model.modelId}: ${estimate.basis}.`;
  const cost =
    estimate.costUsd !== undefined
      ? `, about $${estimate.costUsd.toFixed(2)} ($${estimate.lowCostUsd!.toFixed(2)} to $${estimate.highCostUsd!.toFixed(2)}) ` +
        `on demand (${config.instanceType}, ${PRICES_AS_OF.region} prices of ${PRICES_AS_OF.date})`
      : ` (no price on record for ${config.instanceType})`;
  return (
    `Training estimate for ${config.model.modelId} on ${config.instanceType}: about ${Math.round(estimate.minutes)} minutes ` +
    `(${Math.round(estimate.lowMinutes)} to ${Math.round(estimate.highMinutes)})${cost}; ` +
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
