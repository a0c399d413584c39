import { Hyperparameters } from './hyperparameters';

/** How a hyperparameter's value is checked and sent. */
export type HyperparameterType = 'int' | 'float' | 'bool' | 'modules' | 'workers' | 'text';

/** What a SageMaker hyperparameter name means to this library: its prop and how its value is read. */
export interface HyperparameterMeaning {
  /** SageMaker's name, also the app's context key. */
  readonly name: string;
  readonly prop: keyof Hyperparameters;
  readonly type: HyperparameterType;
  /** Values allowed outside [min, max], e.g. -1 for "all". */
  readonly special?: number;
  /** What the value means when it is `special`. */
  readonly specialMeaning?: string;
  /**
   * Why the document's min and max are themselves refused, where the training script cannot
   * work with them (the documents give closed ranges).
   */
  readonly openRange?: string;
}

/** A model's hyperparameter: its meaning plus the default, range and options of the model's document. */
export interface HyperparameterSpec extends HyperparameterMeaning {
  /** Default; undefined means "None". */
  readonly default?: number | boolean | string | readonly string[];
  readonly min?: number;
  readonly max?: number;
  /** For `text`: the only values allowed. */
  readonly options?: readonly string[];
}

/** JumpStart reads max_input_length -1 as min(1024, the model's context): 1024 for every Llama 3 model. */
export const DEFAULT_MAX_INPUT_LENGTH = 1024;

/** The max_input_length training actually uses. */
export function effectiveMaxInputLength(maxInputLength: number | undefined): number {
  return maxInputLength === undefined || maxInputLength === -1 ? DEFAULT_MAX_INPUT_LENGTH : maxInputLength;
}

export const LORA_TARGET_MODULES = [
  'q_proj',
  'v_proj',
  'k_proj',
  'o_proj',
  'gate_proj',
  'up_proj',
  'down_proj',
] as const;

const ALL_SAMPLES = { special: -1, specialMeaning: 'all samples' } as const;

/**
 * Every hyperparameter name a JumpStart Llama fine-tuning document may list, in SageMaker's
 * order. Documents give defaults and ranges; what a name means (its prop, that -1 means
 * "all", that target_modules is a list) is this library's knowledge, kept here.
 */
export const HYPERPARAMETER_MEANINGS: readonly HyperparameterMeaning[] = [
  { name: 'epoch', prop: 'epoch', type: 'int' },
  { name: 'learning_rate', prop: 'learningRate', type: 'float' },
  { name: 'lora_r', prop: 'loraR', type: 'int' },
  { name: 'lora_alpha', prop: 'loraAlpha', type: 'int' },
  { name: 'target_modules', prop: 'targetModules', type: 'modules' },
  { name: 'lora_dropout', prop: 'loraDropout', type: 'float' },
  { name: 'instruction_tuned', prop: 'instructionTuned', type: 'bool' },
  { name: 'chat_dataset', prop: 'chatDataset', type: 'bool' },
  { name: 'add_input_output_demarcation_key', prop: 'addInputOutputDemarcationKey', type: 'bool' },
  { name: 'per_device_train_batch_size', prop: 'perDeviceTrainBatchSize', type: 'int' },
  { name: 'per_device_eval_batch_size', prop: 'perDeviceEvalBatchSize', type: 'int' },
  { name: 'max_train_samples', prop: 'maxTrainSamples', type: 'int', ...ALL_SAMPLES },
  { name: 'max_val_samples', prop: 'maxValSamples', type: 'int', ...ALL_SAMPLES },
  { name: 'seed', prop: 'seed', type: 'int' },
  {
    name: 'max_input_length',
    prop: 'maxInputLength',
    type: 'int',
    special: -1,
    specialMeaning: `min(${DEFAULT_MAX_INPUT_LENGTH}, the model context)`,
  },
  {
    name: 'validation_split_ratio',
    prop: 'validationSplitRatio',
    type: 'float',
    // The script splits the share off with Hugging Face datasets' train_test_split, which refuses a
    // float test_size outside (0, 1): at 0 no validation set would pick the best epoch, at 1 nothing trains.
    openRange:
      "the share is split off with Hugging Face datasets' train_test_split, which takes a share strictly " +
      'between 0 and 1: 0 leaves no validation data to pick the best epoch, 1 leaves nothing to train on',
  },
  { name: 'train_data_split_seed', prop: 'trainDataSplitSeed', type: 'int' },
  { name: 'preprocessing_num_workers', prop: 'preprocessingNumWorkers', type: 'workers' },
  { name: 'int8_quantization', prop: 'int8Quantization', type: 'bool' },
  { name: 'enable_fsdp', prop: 'enableFsdp', type: 'bool' },
  { name: 'chat_template', prop: 'chatTemplate', type: 'text' },
];

/** Names a model's document may leave out (the others every fine-tuning document has). */
export const OPTIONAL_HYPERPARAMETERS: readonly string[] = [
  'instruction_tuned',
  'chat_dataset',
  'add_input_output_demarcation_key',
  'chat_template',
];

export function hyperparameterMeaning(name: string): HyperparameterMeaning | undefined {
  return HYPERPARAMETER_MEANINGS.find((m) => m.name === name);
}

/** The order SageMaker lists hyperparameters in, for a stable request. */
export function inSageMakerOrder<T extends { readonly name: string }>(specs: readonly T[]): T[] {
  const rank = (name: string) => HYPERPARAMETER_MEANINGS.findIndex((m) => m.name === name);
  return [...specs].sort((a, b) => rank(a.name) - rank(b.name));
}
