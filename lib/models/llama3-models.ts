/**
 * Llama 3 8B and 70B, the models the walkthrough fine-tunes, from its text and tables
 * (instance and technique rules, measured times) and JumpStart's Llama 3 specs (ranges,
 * hosting catalogue). No Llama 3 document is stored: these entries are written by hand.
 */
import { HYPERPARAMETER_MEANINGS, HyperparameterSpec } from '../config/hyperparameter-specs';
import { MeasuredTrainingRun, ModelSpec, Technique } from './model-spec';

const LLAMA3_LICENCE = {
  name: 'Meta Llama 3 Community License Agreement',
  url: 'https://llama.meta.com/llama3/license/',
};

const SOURCE = {
  description:
    'the JumpStart Llama 3 fine-tuning walkthrough (instance and technique tables, measured times) and JumpStart Llama 3 specs',
};

const LORA_FSDP: Technique = { int8Quantization: false, enableFsdp: true };
const LORA_ONLY: Technique = { int8Quantization: false, enableFsdp: false };
const INT8_LORA: Technique = { int8Quantization: true, enableFsdp: false };

/** Defaults and ranges of JumpStart's Llama 3 spec; int8/FSDP defaults are the model's technique. */
const LLAMA3_DEFAULTS: Record<string, Pick<HyperparameterSpec, 'default' | 'min' | 'max'>> = {
  epoch: { default: 5, min: 1, max: 1000 },
  learning_rate: { default: 0.0001, min: 1e-8, max: 1 },
  lora_r: { default: 8, min: 1 },
  lora_alpha: { default: 32, min: 1 },
  target_modules: { default: ['q_proj', 'v_proj'] },
  lora_dropout: { default: 0.05, min: 0, max: 1 },
  instruction_tuned: { default: false },
  chat_dataset: { default: false },
  add_input_output_demarcation_key: { default: true },
  per_device_train_batch_size: { default: 1, min: 1, max: 1000 },
  per_device_eval_batch_size: { default: 1, min: 1, max: 1000 },
  max_train_samples: { default: -1, min: 1 },
  max_val_samples: { default: -1, min: 1 },
  seed: { default: 10, min: 1, max: 1000 },
  max_input_length: { default: -1, min: 1 },
  validation_split_ratio: { default: 0.2, min: 0, max: 1 },
  train_data_split_seed: { default: 0, min: 0 },
  preprocessing_num_workers: { min: 1 },
};

function llama3Hyperparameters(technique: Technique): HyperparameterSpec[] {
  return HYPERPARAMETER_MEANINGS.filter((m) => m.name !== 'chat_template').map((m) => ({
    ...m,
    ...LLAMA3_DEFAULTS[m.name],
    ...(m.prop === 'int8Quantization' ? { default: technique.int8Quantization } : {}),
    ...(m.prop === 'enableFsdp' ? { default: technique.enableFsdp } : {}),
  }));
}

/** Parses the walkthrough's table rows: `instance maxInputLength batch int8 fsdp minutes`. */
function measured(rows: string): MeasuredTrainingRun[] {
  return rows
    .trim()
    .split('\n')
    .map((line) => {
      const [instanceType, maxInputLength, batch, int8, fsdp, minutes] = line.trim().split(/\s+/);
      return {
        instanceType: `ml.${instanceType}`,
        maxInputLength: Number(maxInputLength),
        perDeviceTrainBatchSize: Number(batch),
        int8Quantization: int8 === 'T',
        enableFsdp: fsdp === 'T',
        minutes: Number(minutes),
      };
    });
}

const LLAMA3_8B_RUNS = measured(`
  g4dn.12xlarge 1024 2 T F 202
  g4dn.12xlarge 2048 2 T F 192
  g4dn.12xlarge 1024 2 F T 98
  g4dn.12xlarge 1024 4 T F 200
  g5.12xlarge 2048 2 T F 73
  g5.12xlarge 1024 2 T F 88
  g5.12xlarge 2048 2 F T 24
  g5.12xlarge 1024 2 F T 35
  g5.12xlarge 2048 4 T F 72
  g5.12xlarge 1024 4 T F 83
  g5.12xlarge 1024 4 F T 25
  g5.12xlarge 1024 8 T F 83
  g5.24xlarge 2048 2 T F 73
  g5.24xlarge 1024 2 T F 86
  g5.24xlarge 2048 2 F T 24
  g5.24xlarge 1024 2 F T 35
  g5.24xlarge 2048 4 T F 72
  g5.24xlarge 1024 4 T F 83
  g5.24xlarge 1024 4 F T 25
  g5.24xlarge 1024 8 T F 82
  g5.48xlarge 2048 2 T F 73
  g5.48xlarge 1024 2 T F 87
  g5.48xlarge 2048 2 F T 27
  g5.48xlarge 1024 2 F T 48
  g5.48xlarge 2048 4 T F 71
  g5.48xlarge 1024 4 T F 82
  g5.48xlarge 1024 4 F T 32
  g5.48xlarge 1024 8 T F 81
  p3dn.24xlarge 2048 2 T F 104
  p3dn.24xlarge 1024 2 T F 114
`);
const LLAMA3_70B_RUNS = measured(`
  g5.48xlarge 1024 1 T F 461
  g5.48xlarge 2048 1 T F 418
  g5.48xlarge 1024 2 T F 423
`);

/** JumpStart's public SEC-filings dataset for domain adaptation, the walkthrough's own example. */
const SEC_FILINGS = 'training-datasets/sec_amazon/';

const LLAMA3_8B_TRAINING = {
  defaultInstanceType: 'ml.g5.12xlarge',
  // The walkthrough's supported types plus the two it measured.
  supportedInstanceTypes: [
    'ml.g5.12xlarge',
    'ml.g5.24xlarge',
    'ml.g5.48xlarge',
    'ml.g4dn.12xlarge',
    'ml.p3dn.24xlarge',
  ],
  defaultTechnique: LORA_FSDP,
  supportedTechniques: [LORA_FSDP, LORA_ONLY, INT8_LORA],
  disableOutputCompression: false,
  defaultDatasetKey: SEC_FILINGS,
  measuredRuns: LLAMA3_8B_RUNS,
};

const LLAMA3_70B_TRAINING = {
  defaultInstanceType: 'ml.g5.48xlarge',
  supportedInstanceTypes: ['ml.g5.48xlarge', 'ml.p4d.24xlarge'],
  defaultTechnique: INT8_LORA,
  supportedTechniques: [INT8_LORA],
  // Compressing the 70B output alone takes over 4 hours.
  disableOutputCompression: true,
  defaultDatasetKey: SEC_FILINGS,
  measuredRuns: LLAMA3_70B_RUNS,
};

const LLAMA3_8B_HOSTING = {
  defaultInstanceType: 'ml.g5.12xlarge',
  supportedInstanceTypes: [
    'ml.g5.2xlarge',
    'ml.g5.4xlarge',
    'ml.g5.8xlarge',
    'ml.g5.12xlarge',
    'ml.g5.24xlarge',
    'ml.g5.48xlarge',
    'ml.g6.2xlarge',
    'ml.g6.12xlarge',
    'ml.p4d.24xlarge',
    'ml.p5.48xlarge',
  ],
  environment: { OPTION_GPU_MEMORY_UTILIZATION: '0.85' },
};

const LLAMA3_70B_HOSTING = {
  defaultInstanceType: 'ml.p4d.24xlarge',
  supportedInstanceTypes: ['ml.g5.48xlarge', 'ml.g6.48xlarge', 'ml.p4d.24xlarge', 'ml.p5.48xlarge'],
  environment: { OPTION_ENFORCE_EAGER: 'true' },
};

function llama3(modelId: string, displayName: string, size: '8B' | '70B'): ModelSpec {
  const training = size === '8B' ? LLAMA3_8B_TRAINING : LLAMA3_70B_TRAINING;
  return {
    modelId,
    displayName,
    source: SOURCE,
    contextLength: 8192,
    licence: LLAMA3_LICENCE,
    hyperparameters: llama3Hyperparameters(training.defaultTechnique),
    training,
    hosting: size === '8B' ? LLAMA3_8B_HOSTING : LLAMA3_70B_HOSTING,
  };
}

export const LLAMA3_MODELS: readonly ModelSpec[] = [
  llama3('meta-textgeneration-llama-3-8b', 'Meta Llama 3 8B', '8B'),
  llama3('meta-textgeneration-llama-3-8b-instruct', 'Meta Llama 3 8B Instruct', '8B'),
  llama3('meta-textgeneration-llama-3-70b', 'Meta Llama 3 70B', '70B'),
  llama3('meta-textgeneration-llama-3-70b-instruct', 'Meta Llama 3 70B Instruct', '70B'),
];
