/**
 * The models this library fine-tunes, as data.
 *
 * Every validator, default and estimate reads this table. Llama 3 8B and 70B are written
 * from the walkthrough (`llama3-models.ts`); newer models are generated from AWS's own model
 * documents by `npm run catalogue:import -- FILE` (`imported/`), never typed by hand.
 */
import { IMPORTED_MODELS } from './imported';
import { LLAMA3_MODELS } from './llama3-models';
import { MeasuredTrainingRun, ModelSpec, Technique } from './model-spec';
import { configurationError } from '../config/configuration-error';
import { showValue } from '../config/show-value';

export type { HostingResourceNeeds, MeasuredTrainingRun, ModelSource, ModelSpec, Technique } from './model-spec';

export const MODEL_CATALOGUE: readonly ModelSpec[] = [...LLAMA3_MODELS, ...IMPORTED_MODELS];

export const DEFAULT_MODEL_ID = 'meta-textgeneration-llama-3-8b';

/** The catalogue entry of a JumpStart model id; an unknown id is a configuration error listing the known ones. */
export function findModel(modelId: string): ModelSpec {
  const model = MODEL_CATALOGUE.find((m) => m.modelId === modelId);
  if (!model) {
    throw configurationError([
      `modelId is ${showValue(modelId)}, which is not a known model; ` +
        `known: ${MODEL_CATALOGUE.map((m) => m.modelId).join(', ')}. Fix: use one of these JumpStart model ids.`,
    ]);
  }
  return model;
}

/** Whether two techniques (or a measured run and a technique) are the same int8/FSDP choice. */
export function sameTechnique(a: Technique, b: Technique): boolean {
  return a.int8Quantization === b.int8Quantization && a.enableFsdp === b.enableFsdp;
}

/** The measured runs of configurations the model trains with: a supported instance type and technique. */
export function validMeasuredRuns(model: ModelSpec): MeasuredTrainingRun[] {
  return model.training.measuredRuns.filter(
    (r) =>
      model.training.supportedInstanceTypes.includes(r.instanceType) &&
      model.training.supportedTechniques.some((t) => sameTechnique(t, r)),
  );
}

/** A technique's name as the walkthrough writes it: LoRA+FSDP, INT8+LoRA, LoRA. */
export function techniqueName(t: Technique): string {
  if (t.int8Quantization && t.enableFsdp) return 'INT8+LoRA+FSDP';
  if (t.int8Quantization) return 'INT8+LoRA';
  return t.enableFsdp ? 'LoRA+FSDP' : 'LoRA';
}
