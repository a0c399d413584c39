import { throwIfProblems } from './configuration-error';
import { showValue } from './show-value';
import { HYPERPARAMETER_MEANINGS, HyperparameterSpec, LORA_TARGET_MODULES } from './hyperparameter-specs';
import { Hyperparameters } from './hyperparameters';
import { DEFAULT_MODEL_ID, ModelSpec, Technique, findModel, sameTechnique, techniqueName } from '../models/catalogue';

/** What a user chooses about training; everything left out falls back to the model's defaults. */
export interface TrainingChoices {
  /**
   * JumpStart model id.
   * @default 'meta-textgeneration-llama-3-8b'
   */
  readonly modelId?: string;
  /**
   * Training instance type.
   * @default - the model's default: ml.g5.12xlarge for 8B, ml.g5.48xlarge for 70B
   */
  readonly instanceType?: string;
  /**
   * Training instance count.
   * @default 1
   */
  readonly instanceCount?: number;
  /**
   * Hyperparameters.
   * @default - JumpStart's defaults for the model
   */
  readonly hyperparameters?: Hyperparameters;
}

/** A validated training configuration with every default filled in. */
export interface TrainingConfiguration {
  readonly model: ModelSpec;
  readonly instanceType: string;
  readonly instanceCount: number;
  /** The model's hyperparameters with their values; a model's document may lack the optional ones. */
  readonly hyperparameters: Required<Omit<Hyperparameters, OptionalHyperparameter>> &
    Pick<Hyperparameters, OptionalHyperparameter>;
}

/** Props of hyperparameters that are "None" by default or that some models do not have. */
type OptionalHyperparameter =
  'preprocessingNumWorkers' | 'instructionTuned' | 'chatDataset' | 'addInputOutputDemarcationKey' | 'chatTemplate';

/** What the caller calls the instance props, for its messages (the stack says trainingInstanceType). */
export interface TrainingPropNames {
  readonly instanceType: string;
  readonly instanceCount: string;
}

const JOB_PROP_NAMES: TrainingPropNames = { instanceType: 'instanceType', instanceCount: 'instanceCount' };

/** JumpStart's Llama 3 training script runs on a single instance. */
const MAX_INSTANCE_COUNT = 1;

function techniqueSettings(t: Technique): string {
  return `hyperparameters.int8Quantization ${t.int8Quantization}, hyperparameters.enableFsdp ${t.enableFsdp}`;
}

/** Why the range's ends are refused where the script cannot use them (the meaning knows it, not the document). */
function openRange(spec: HyperparameterSpec): string | undefined {
  return HYPERPARAMETER_MEANINGS.find((m) => m.name === spec.name)?.openRange;
}

function describeAllowed(spec: HyperparameterSpec): string {
  const kind = spec.type === 'float' ? 'a number' : 'an integer';
  const open = openRange(spec);
  const range = open
    ? `above ${spec.min} and below ${spec.max}`
    : spec.max !== undefined
      ? `from ${spec.min} to ${spec.max}`
      : `>= ${spec.min}`;
  const special = spec.special !== undefined ? ` or ${spec.special} (${spec.specialMeaning})` : '';
  return `${kind} ${range}${special}`;
}

function label(spec: HyperparameterSpec): string {
  return `hyperparameters.${spec.prop}`;
}

function show(value: unknown): string {
  return Array.isArray(value) ? `"${value.join(',')}"` : showValue(value);
}

function checkValue(spec: HyperparameterSpec, value: unknown): string | undefined {
  const fix =
    spec.default !== undefined
      ? ` Fix: give ${describeFix(spec)}, or leave it out for the default ${show(spec.default)}.`
      : '';
  switch (spec.type) {
    case 'bool':
      return typeof value === 'boolean' ? undefined : `${label(spec)} is ${show(value)}; allowed: true or false.${fix}`;
    case 'text':
      return spec.options!.includes(value as string)
        ? undefined
        : `${label(spec)} is ${show(value)}; allowed: ${spec.options!.map((o) => `"${o}"`).join(', ')} ` +
            `(the values the model's document lists, or its default where it lists none).${fix}`;
    case 'modules': {
      if (!Array.isArray(value) || value.length === 0 || value.some((m) => typeof m !== 'string')) {
        return `${label(spec)} is ${show(value)}; allowed: a non-empty list of ${LORA_TARGET_MODULES.join(', ')}.${fix}`;
      }
      const unknown = value.filter((m) => !(LORA_TARGET_MODULES as readonly string[]).includes(m));
      if (unknown.length > 0) {
        return (
          `${label(spec)} is ${show(value)}; ${unknown.map((m) => `"${m}"`).join(', ')} is not a LoRA target module; ` +
          `allowed: a subset of ${LORA_TARGET_MODULES.join(', ')}, comma-separated without spaces.${fix}`
        );
      }
      const duplicates = value.filter((m, i) => value.indexOf(m) !== i);
      if (duplicates.length > 0) {
        return `${label(spec)} is ${show(value)}; ${duplicates.join(', ')} is listed twice; allowed: each module once.${fix}`;
      }
      return undefined;
    }
    default: {
      // Not a number, NaN or Infinity (outside a range without a max, too); no coercion of strings.
      const isNumber = Number.isFinite(value);
      const integral = spec.type !== 'float';
      const n = value as number;
      const inRange = openRange(spec)
        ? n > spec.min! && n < spec.max!
        : n >= spec.min! && (spec.max === undefined || n <= spec.max);
      const ok = isNumber && (!integral || Number.isInteger(value)) && (value === spec.special || inRange);
      return ok
        ? undefined
        : `${label(spec)} is ${show(value)}; allowed: ${describeAllowed(spec)}${openRange(spec) ? ` (${openRange(spec)})` : ''}.` +
            `${fix || ` Fix: give ${describeAllowed(spec)}, or leave it out.`}`;
    }
  }
}

function describeFix(spec: HyperparameterSpec): string {
  switch (spec.type) {
    case 'bool':
      return 'true or false';
    case 'modules':
      return 'e.g. "q_proj,v_proj"';
    case 'text':
      return `one of ${spec.options!.map((o) => `"${o}"`).join(', ')}`;
    default:
      return describeAllowed(spec);
  }
}

/**
 * Validates training choices against the model catalogue and fills in defaults.
 * Throws one ConfigurationError listing every problem.
 */
export function resolveTrainingConfiguration(
  choices: TrainingChoices,
  names: TrainingPropNames = JOB_PROP_NAMES,
): TrainingConfiguration {
  const model = findModel(choices.modelId ?? DEFAULT_MODEL_ID);
  const problems: (string | undefined)[] = [];
  const given = (choices.hyperparameters ?? {}) as Record<string, unknown>;
  if (typeof given !== 'object' || given === null || Array.isArray(given)) {
    throwIfProblems([
      `hyperparameters is ${showValue(given)}; allowed: an object of hyperparameters by prop name. ` +
        'Fix: e.g. { epoch: 3, learningRate: 0.0002 }, or leave it out for the defaults.',
    ]);
  }

  const modelProps = new Set<string>(model.hyperparameters.map((s) => s.prop));
  const known = [...modelProps].map((p) => `hyperparameters.${p}`).join(', ');
  for (const key of Object.keys(given)) {
    if (modelProps.has(key) || given[key] === undefined) continue;
    const other = HYPERPARAMETER_MEANINGS.find((m) => m.prop === key);
    problems.push(
      other
        ? `hyperparameters.${key} is given, but ${model.modelId} has no ${other.name} hyperparameter; ` +
            `its hyperparameters: ${known}. Fix: remove it, or choose a model that has it.`
        : `hyperparameters.${key} is not a hyperparameter; known: ${known}. Fix: remove it or correct its name.`,
    );
  }

  const technique = model.training.defaultTechnique;
  const values: Record<string, unknown> = {};
  for (const spec of model.hyperparameters) {
    const value = given[spec.prop] ?? spec.default;
    if (value === undefined) continue; // preprocessing_num_workers: "None"
    problems.push(checkValue(spec, value));
    values[spec.prop] = value;
  }
  const hp = values as TrainingConfiguration['hyperparameters'];

  if (hp.instructionTuned === true && hp.chatDataset === true) {
    problems.push(
      'hyperparameters.instructionTuned and hyperparameters.chatDataset are both true; ' +
        'allowed: at most one of them. Fix: set instructionTuned for instruction/template datasets or chatDataset for conversations, not both.',
    );
  }
  if (hp.int8Quantization === true && hp.enableFsdp === true) {
    problems.push(
      'hyperparameters.int8Quantization and hyperparameters.enableFsdp are both true; ' +
        'int8 quantization does not work with FSDP. Fix: set one of them to false.',
    );
  } else if (typeof hp.int8Quantization === 'boolean' && typeof hp.enableFsdp === 'boolean') {
    const chosen = { int8Quantization: hp.int8Quantization, enableFsdp: hp.enableFsdp };
    const supported = model.training.supportedTechniques;
    if (!supported.some((t) => sameTechnique(t, chosen))) {
      problems.push(
        `${model.modelId} does not train with ${techniqueName(chosen)} ` +
          `(${techniqueSettings(chosen)}); allowed: ${supported.map((t) => `${techniqueName(t)} (${techniqueSettings(t)})`).join(', ')}. ` +
          `Fix: use the model's default ${techniqueName(technique)} by leaving both out.`,
      );
    }
  }
  if (typeof hp.maxInputLength === 'number' && hp.maxInputLength > model.contextLength) {
    problems.push(
      `hyperparameters.maxInputLength is ${hp.maxInputLength}, longer than ${model.modelId}'s context of ` +
        `${model.contextLength} tokens; allowed: -1 or 1 to ${model.contextLength}. Fix: lower it (200-400 suits short instruction samples).`,
    );
  }

  const instanceType = choices.instanceType ?? model.training.defaultInstanceType;
  if (!model.training.supportedInstanceTypes.includes(instanceType)) {
    problems.push(
      `${names.instanceType} is "${instanceType}", which does not train ${model.modelId}; ` +
        `allowed: ${model.training.supportedInstanceTypes.join(', ')}. Fix: use one of these, e.g. the default ${model.training.defaultInstanceType}.`,
    );
  }
  const instanceCount = choices.instanceCount ?? 1;
  if (!Number.isInteger(instanceCount) || instanceCount < 1 || instanceCount > MAX_INSTANCE_COUNT) {
    problems.push(
      `${names.instanceCount} is ${showValue(instanceCount)}; allowed: ${MAX_INSTANCE_COUNT} ` +
        "(JumpStart's Llama 3 training script trains on one instance). Fix: leave it out, or pick a larger instance type.",
    );
  }

  throwIfProblems(problems);
  return { model, instanceType, instanceCount, hyperparameters: hp };
}

/** The hyperparameters as SageMaker takes them: snake_case names, string values. */
export function toSageMakerHyperparameters(config: TrainingConfiguration): Record<string, string> {
  const out: Record<string, string> = {};
  const hp = config.hyperparameters as Record<string, unknown>;
  for (const spec of config.model.hyperparameters) {
    const value = hp[spec.prop];
    if (value === undefined) out[spec.name] = 'None';
    else if (typeof value === 'boolean') out[spec.name] = value ? 'True' : 'False';
    else out[spec.name] = String(value); // a list of modules: comma-separated, as String() joins it
  }
  return out;
}
