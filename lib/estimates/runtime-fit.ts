import { TrainingConfiguration } from '../config/training-configuration';
import { techniqueName, validMeasuredRuns } from '../models/catalogue';
import { effectiveMaxInputLength } from '../config/hyperparameter-specs';
import { MEASURED_SAMPLES, TrainingEstimate, estimateTraining } from './training-estimate';

/** What a runtime check found: a refusal, a warning, or neither (as the budget check's). */
export interface RuntimeCheck {
  readonly problem?: string;
  readonly warning?: string;
}

/**
 * Whether a configuration's estimated training time fits its maximum runtime. A job
 * that does not fit is stopped by SageMaker at the limit (MaxRuntimeExceeded) after
 * the GPU hours are spent, with no model. Refused (the problem names the changes that
 * bring the expected time within the limit) only when even the optimistic end of the
 * estimate's range does not fit; a warning when only the pessimistic end does not;
 * neither when it fits or nothing was measured to tell.
 *
 * @param longestRuntimeMinutes the longest maxRuntime a deploy can wait for
 */
export function checkRuntime(
  config: TrainingConfiguration,
  maxRuntimeMinutes: number,
  longestRuntimeMinutes: number,
  samples: number = MEASURED_SAMPLES,
): RuntimeCheck {
  const estimate = estimateTraining(config, samples);
  if (Number.isNaN(estimate.minutes) || estimate.highMinutes <= maxRuntimeMinutes) return {};
  const figures =
    `the training estimate for ${config.model.modelId} on ${config.instanceType} is about ${Math.round(estimate.minutes)} minutes ` +
    `(${Math.round(estimate.lowMinutes)} to ${Math.round(estimate.highMinutes)}; ${describeBasis(estimate, samples)})`;
  if (estimate.lowMinutes <= maxRuntimeMinutes) {
    return {
      warning:
        `${figures}: its pessimistic end is longer than maxRuntime of ${Math.round(maxRuntimeMinutes)} minutes, so SageMaker ` +
        `may stop the job at its maximum runtime with no model. Fix: a maxRuntime of at least ${Math.ceil(estimate.highMinutes)} ` +
        'minutes, or fewer epochs or samples.',
    };
  }
  const hp = config.hyperparameters;
  const share = maxRuntimeMinutes / estimate.minutes;
  const fixes: string[] = [];
  const epochs = Math.floor(hp.epoch * share);
  if (epochs >= 1)
    fixes.push(`hyperparameters.epoch ${epochs} (about ${minutesOf(config, { epoch: epochs }, samples)} min)`);
  const used = hp.maxTrainSamples === -1 ? samples : Math.min(samples, hp.maxTrainSamples);
  const capped = Math.floor(used * share);
  if (capped >= 1)
    fixes.push(
      `hyperparameters.maxTrainSamples ${capped} (about ${minutesOf(config, { maxTrainSamples: capped }, samples)} min)`,
    );
  const faster = fastestFitting(config, maxRuntimeMinutes, samples);
  if (faster) fixes.push(`a faster valid configuration: ${faster}`);
  if (estimate.minutes <= longestRuntimeMinutes)
    fixes.push(`maxRuntime of at least ${Math.ceil(estimate.minutes)} minutes (at most ${longestRuntimeMinutes})`);
  const cost =
    estimate.costUsd !== undefined
      ? ` after about $${(estimate.costUsd * share).toFixed(0)} of ${config.instanceType} time`
      : '';
  return {
    problem:
      `${figures}, and even its optimistic end is longer than maxRuntime of ${Math.round(maxRuntimeMinutes)} minutes: ` +
      `SageMaker would stop the job at its maximum runtime${cost}, with no model. Fix: ${fixes.join('; or ')}. ` +
      'If you know the job is faster than estimated, set skipRuntimeCheck: true.',
  };
}

function describeBasis(estimate: TrainingEstimate, samples: number): string {
  return `${estimate.basis}; ${samples === MEASURED_SAMPLES ? `${samples} samples assumed` : `${samples} samples in the dataset`}`;
}

function minutesOf(
  config: TrainingConfiguration,
  change: Partial<TrainingConfiguration['hyperparameters']>,
  samples: number,
): number {
  return Math.round(
    estimateTraining({ ...config, hyperparameters: { ...config.hyperparameters, ...change } }, samples).minutes,
  );
}

/** The fastest measured configuration of the model, at the same epochs and samples, that fits. */
function fastestFitting(config: TrainingConfiguration, maxRuntimeMinutes: number, samples: number): string | undefined {
  const { model, hyperparameters: hp } = config;
  const candidates = validMeasuredRuns(model)
    .map((r) => {
      const changed: TrainingConfiguration = {
        ...config,
        instanceType: r.instanceType,
        hyperparameters: {
          ...hp,
          maxInputLength: r.maxInputLength,
          perDeviceTrainBatchSize: r.perDeviceTrainBatchSize,
          int8Quantization: r.int8Quantization,
          enableFsdp: r.enableFsdp,
        },
      };
      return { run: r, minutes: estimateTraining(changed, samples).minutes };
    })
    .filter((c) => c.minutes <= maxRuntimeMinutes)
    .sort((a, b) => a.minutes - b.minutes);
  const best = candidates[0];
  if (!best) return undefined;
  const r = best.run;
  const sameLength = effectiveMaxInputLength(hp.maxInputLength) === r.maxInputLength;
  return (
    `instanceType ${r.instanceType} with ${techniqueName(r)} (int8Quantization ${r.int8Quantization}, enableFsdp ${r.enableFsdp}), ` +
    `perDeviceTrainBatchSize ${r.perDeviceTrainBatchSize}${sameLength ? '' : `, maxInputLength ${r.maxInputLength}`} (about ${Math.round(best.minutes)} min)`
  );
}
