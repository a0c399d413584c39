import { TrainingConfiguration } from '../config/training-configuration';
import { techniqueName } from '../models/catalogue';
import { INSTANCE_TYPES, PRICES_AS_OF } from '../models/instance-types';
import { MEASURED_SAMPLES, TrainingEstimate, estimateTraining } from './training-estimate';

/** An endpoint whose first 24 hours count against a training budget. */
export interface BudgetEndpoint {
  /** Hosting instance type, e.g. `ml.g5.12xlarge`. */
  readonly instanceType: string;
  /**
   * Instances the endpoint starts with.
   * @default 1
   */
  readonly instanceCount?: number;
}

/** What a budget check found: a refusal, a warning, or neither. */
export interface BudgetCheck {
  readonly problem?: string;
  readonly warning?: string;
}

const HOSTED_HOURS = 24;
const MOST_ALTERNATIVES = 3;

interface Total {
  readonly estimate: TrainingEstimate;
  readonly hostingUsd: number;
  readonly usd: number;
  readonly lowUsd: number;
  readonly highUsd: number;
}

function hostingCost(endpoints: readonly BudgetEndpoint[]): number | undefined {
  let usd = 0;
  for (const e of endpoints) {
    const price = INSTANCE_TYPES[e.instanceType]?.hostingUsdPerHour;
    if (price === undefined) return undefined;
    usd += price * HOSTED_HOURS * (e.instanceCount ?? 1);
  }
  return usd;
}

function total(
  config: TrainingConfiguration,
  endpoints: readonly BudgetEndpoint[],
  samples: number,
): Total | undefined {
  const estimate = estimateTraining(config, samples);
  const hostingUsd = hostingCost(endpoints);
  if (estimate.costUsd === undefined || Number.isNaN(estimate.minutes) || hostingUsd === undefined) return undefined;
  return {
    estimate,
    hostingUsd,
    usd: estimate.costUsd + hostingUsd,
    lowUsd: estimate.lowCostUsd! + hostingUsd,
    highUsd: estimate.highCostUsd! + hostingUsd,
  };
}

const usd = (x: number) => `$${x.toFixed(2)}`;

function describeEndpoints(endpoints: readonly BudgetEndpoint[]): string {
  return endpoints.length === 0
    ? 'no endpoint'
    : endpoints.map((e) => `${e.instanceType} x${e.instanceCount ?? 1}`).join(' and ');
}

function describeTotal(config: TrainingConfiguration, endpoints: readonly BudgetEndpoint[], t: Total): string {
  return (
    `training ${config.model.modelId} on ${config.instanceType} (${techniqueName(config.hyperparameters)}, about ` +
    `${Math.round(t.estimate.minutes)} minutes, ${usd(t.estimate.costUsd!)}) plus the first ${HOSTED_HOURS} hours of hosting ` +
    `(${describeEndpoints(endpoints)}, ${usd(t.hostingUsd)}) comes to about ${usd(t.usd)} (${usd(t.lowUsd)} to ${usd(t.highUsd)}, ` +
    `${PRICES_AS_OF.region} on-demand prices of ${PRICES_AS_OF.date})`
  );
}

/** Valid configurations of the same model and hyperparameters whose optimistic total fits, cheapest first. */
function cheaperThatFit(
  config: TrainingConfiguration,
  endpoints: readonly BudgetEndpoint[],
  samples: number,
  budgetUsd: number,
): string[] {
  const { model } = config;
  const hostingTypes = [
    ...new Set([
      ...endpoints.map((e) => e.instanceType),
      ...model.hosting.supportedInstanceTypes.filter((t) => INSTANCE_TYPES[t]?.hostingUsdPerHour !== undefined),
    ]),
  ];
  const candidates: { text: string; usd: number }[] = [];
  for (const instanceType of model.training.supportedInstanceTypes) {
    for (const technique of model.training.supportedTechniques) {
      const training = { ...config, instanceType, hyperparameters: { ...config.hyperparameters, ...technique } };
      for (const hostingType of endpoints.length > 0 ? hostingTypes : [undefined]) {
        const moved = endpoints.map((e) => ({ ...e, instanceType: hostingType! }));
        const t = total(training, moved, samples);
        if (!t || t.lowUsd > budgetUsd) continue;
        const hosting =
          hostingType && hostingType !== endpoints[0]?.instanceType ? `, budgetEndpoints ${hostingType}` : '';
        candidates.push({
          usd: t.usd,
          text:
            `instanceType ${instanceType} with ${techniqueName(technique)} (hyperparameters.int8Quantization ${technique.int8Quantization}, ` +
            `hyperparameters.enableFsdp ${technique.enableFsdp})${hosting}: about ${usd(t.usd)} (${usd(t.lowUsd)} to ${usd(t.highUsd)})`,
        });
      }
    }
  }
  return candidates
    .sort((a, b) => a.usd - b.usd)
    .slice(0, MOST_ALTERNATIVES)
    .map((c) => c.text);
}

/**
 * Whether training (its estimate) plus the first 24 hours of the endpoints fits a budget:
 * refused when even the optimistic end of the range is over it, with the figures and the
 * cheaper valid configurations that fit; a warning when only the pessimistic end is. A
 * configuration whose cost cannot be estimated (no measurement, no price on record) is
 * refused: a budget that cannot be checked is not one.
 */
export function checkBudget(
  config: TrainingConfiguration,
  budgetUsd: number,
  endpoints: readonly BudgetEndpoint[],
  samples: number = MEASURED_SAMPLES,
): BudgetCheck {
  const t = total(config, endpoints, samples);
  if (!t) {
    const estimate = estimateTraining(config, samples);
    const unpriced = [config.instanceType, ...endpoints.map((e) => e.instanceType)].filter(
      (type, i) => INSTANCE_TYPES[type]?.[i === 0 ? 'trainingUsdPerHour' : 'hostingUsdPerHour'] === undefined,
    );
    const why = Number.isNaN(estimate.minutes)
      ? `the training time cannot be estimated (${estimate.basis})`
      : `no price is on record for ${[...new Set(unpriced)].join(', ')}`;
    return {
      problem:
        `maxBudgetUsd is ${budgetUsd}, but the cost cannot be checked against it: ${why}. ` +
        'Fix: remove maxBudgetUsd, or choose a configuration with a measurement and prices on record.',
    };
  }
  if (t.lowUsd > budgetUsd) {
    const fits = cheaperThatFit(config, endpoints, samples, budgetUsd);
    const fixes = [
      ...fits.map((f) => `a cheaper valid configuration: ${f}`),
      `a maxBudgetUsd of at least ${Math.ceil(t.lowUsd)}`,
    ];
    return {
      problem:
        `${describeTotal(config, endpoints, t)}; even its optimistic end is over maxBudgetUsd of ${usd(budgetUsd)}. ` +
        `Fix: ${fixes.join('; or ')}; or fewer epochs or samples.`,
    };
  }
  if (t.highUsd > budgetUsd) {
    return {
      warning: `${describeTotal(config, endpoints, t)}; its pessimistic end is over maxBudgetUsd of ${usd(budgetUsd)}.`,
    };
  }
  return {};
}
