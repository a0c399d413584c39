import { Hyperparameters } from './hyperparameters';

/** How a hyperparameter's value is checked and sent. */
export type HyperparameterType = 'int' | 'float' | 'bool' | 'modules' | 'workers';

export interface HyperparameterSpec {
  /** SageMaker's name, also the app's context key. */
  readonly name: string;
  readonly prop: keyof Hyperparameters;
  readonly type: HyperparameterType;
  /** Default when the model has no technique-specific default; undefined means "None". */
  readonly default?: number | boolean | readonly string[];
  readonly min?: number;
  readonly max?: number;
  /** Values allowed outside [min, max], e.g. -1 for "all". */
  readonly special?: number;
  /** What the value means when it is `special`. */
  readonly specialMeaning?: string;
}

/** JumpStart reads max_input_length -1 as min(1024, the model's context): 1024 for Llama 3. */
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

/** The JumpStart spec's hyperparameters with their ranges. Order is SageMaker's. */
export const HYPERPARAMETER_SPECS: readonly HyperparameterSpec[] = [
  { name: 'epoch', prop: 'epoch', type: 'int', default: 5, min: 1, max: 1000 },
  { name: 'learning_rate', prop: 'learningRate', type: 'float', default: 0.0001, min: 1e-8, max: 1 },
  { name: 'lora_r', prop: 'loraR', type: 'int', default: 8, min: 1 },
  { name: 'lora_alpha', prop: 'loraAlpha', type: 'int', default: 32, min: 1 },
  { name: 'target_modules', prop: 'targetModules', type: 'modules', default: ['q_proj', 'v_proj'] },
  { name: 'lora_dropout', prop: 'loraDropout', type: 'float', default: 0.05, min: 0, max: 1 },
  { name: 'instruction_tuned', prop: 'instructionTuned', type: 'bool', default: false },
  { name: 'chat_dataset', prop: 'chatDataset', type: 'bool', default: false },
  { name: 'add_input_output_demarcation_key', prop: 'addInputOutputDemarcationKey', type: 'bool', default: true },
  { name: 'per_device_train_batch_size', prop: 'perDeviceTrainBatchSize', type: 'int', default: 1, min: 1, max: 1000 },
  { name: 'per_device_eval_batch_size', prop: 'perDeviceEvalBatchSize', type: 'int', default: 1, min: 1, max: 1000 },
  {
    name: 'max_train_samples',
    prop: 'maxTrainSamples',
    type: 'int',
    default: -1,
    min: 1,
    special: -1,
    specialMeaning: 'all samples',
  },
  {
    name: 'max_val_samples',
    prop: 'maxValSamples',
    type: 'int',
    default: -1,
    min: 1,
    special: -1,
    specialMeaning: 'all samples',
  },
  { name: 'seed', prop: 'seed', type: 'int', default: 10, min: 1, max: 1000 },
  {
    name: 'max_input_length',
    prop: 'maxInputLength',
    type: 'int',
    default: -1,
    min: 1,
    special: -1,
    specialMeaning: `min(${DEFAULT_MAX_INPUT_LENGTH}, the model context)`,
  },
  { name: 'validation_split_ratio', prop: 'validationSplitRatio', type: 'float', default: 0.2, min: 0, max: 1 },
  { name: 'train_data_split_seed', prop: 'trainDataSplitSeed', type: 'int', default: 0, min: 0 },
  { name: 'preprocessing_num_workers', prop: 'preprocessingNumWorkers', type: 'workers', min: 1 },
  // Defaults come from the model's default technique (catalogue).
  { name: 'int8_quantization', prop: 'int8Quantization', type: 'bool' },
  { name: 'enable_fsdp', prop: 'enableFsdp', type: 'bool' },
];
