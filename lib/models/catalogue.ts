/**
 * The Llama 3 models this library fine-tunes, as data.
 *
 * Every validator, default and estimate reads this table; adding a model (say
 * Llama 3.1 8B) is one new entry here. Sources: the JumpStart Llama 3
 * fine-tuning walkthrough (instance and technique tables, measured times) and
 * the JumpStart model specs (ranges, hosting catalogue).
 */
import { configurationError } from '../config/configuration-error';

/** A fine-tuning technique, named after the two hyperparameters that choose it. */
export interface Technique {
  readonly int8Quantization: boolean;
  readonly enableFsdp: boolean;
}

/** One row of the walkthrough's measured training times (3 epochs, Dolly summarization subset). */
export interface MeasuredTrainingRun {
  readonly instanceType: string;
  readonly maxInputLength: number;
  readonly perDeviceTrainBatchSize: number;
  readonly int8Quantization: boolean;
  readonly enableFsdp: boolean;
  readonly minutes: number;
}

export interface ModelSpec {
  readonly modelId: string;
  readonly displayName: string;
  /** Maximum context length in tokens; bounds `max_input_length`. */
  readonly contextLength: number;
  readonly licence: { readonly name: string; readonly url: string };
  readonly training: {
    readonly defaultInstanceType: string;
    readonly supportedInstanceTypes: readonly string[];
    /** The technique JumpStart uses when the user sets neither int8 nor FSDP. */
    readonly defaultTechnique: Technique;
    /** Techniques that train this model; others run out of memory or are unsupported. */
    readonly supportedTechniques: readonly Technique[];
    /** JumpStart disables output compression for models whose compression takes hours. */
    readonly disableOutputCompression: boolean;
    /**
     * Where this library's default differs from JumpStart's, and why: each default
     * configuration must fit the default maximum runtime by the library's own estimate.
     */
    readonly defaultOverrides?: { readonly epoch?: number };
    readonly measuredRuns: readonly MeasuredTrainingRun[];
  };
  readonly hosting: {
    readonly defaultInstanceType: string;
    readonly supportedInstanceTypes: readonly string[];
    /** Container environment the model adds to the common LMI environment. */
    readonly environment: Readonly<Record<string, string>>;
  };
}

const LLAMA3_LICENCE = {
  name: 'Meta Llama 3 Community License Agreement',
  url: 'https://llama.meta.com/llama3/license/',
};

const LORA_FSDP: Technique = { int8Quantization: false, enableFsdp: true };
const LORA_ONLY: Technique = { int8Quantization: false, enableFsdp: false };
const INT8_LORA: Technique = { int8Quantization: true, enableFsdp: false };

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
  measuredRuns: LLAMA3_8B_RUNS,
};

const LLAMA3_70B_TRAINING = {
  defaultInstanceType: 'ml.g5.48xlarge',
  supportedInstanceTypes: ['ml.g5.48xlarge', 'ml.p4d.24xlarge'],
  defaultTechnique: INT8_LORA,
  supportedTechniques: [INT8_LORA],
  // Compressing the 70B output alone takes over 4 hours.
  disableOutputCompression: true,
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

export const MODEL_CATALOGUE: readonly ModelSpec[] = [
  {
    modelId: 'meta-textgeneration-llama-3-8b',
    displayName: 'Meta Llama 3 8B',
    contextLength: 8192,
    licence: LLAMA3_LICENCE,
    training: LLAMA3_8B_TRAINING,
    hosting: LLAMA3_8B_HOSTING,
  },
  {
    modelId: 'meta-textgeneration-llama-3-8b-instruct',
    displayName: 'Meta Llama 3 8B Instruct',
    contextLength: 8192,
    licence: LLAMA3_LICENCE,
    training: LLAMA3_8B_TRAINING,
    hosting: LLAMA3_8B_HOSTING,
  },
  {
    modelId: 'meta-textgeneration-llama-3-70b',
    displayName: 'Meta Llama 3 70B',
    contextLength: 8192,
    licence: LLAMA3_LICENCE,
    training: LLAMA3_70B_TRAINING,
    hosting: LLAMA3_70B_HOSTING,
  },
  {
    modelId: 'meta-textgeneration-llama-3-70b-instruct',
    displayName: 'Meta Llama 3 70B Instruct',
    contextLength: 8192,
    licence: LLAMA3_LICENCE,
    training: LLAMA3_70B_TRAINING,
    hosting: LLAMA3_70B_HOSTING,
  },
];

export const DEFAULT_MODEL_ID = 'meta-textgeneration-llama-3-8b';

/** The catalogue entry of a JumpStart model id; an unknown id is a configuration error listing the known ones. */
export function findModel(modelId: string): ModelSpec {
  const model = MODEL_CATALOGUE.find((m) => m.modelId === modelId);
  if (!model) {
    throw configurationError([
      `modelId is "${modelId}", which is not a known model; ` +
        `known: ${MODEL_CATALOGUE.map((m) => m.modelId).join(', ')}. Fix: use one of these JumpStart model ids.`,
    ]);
  }
  return model;
}

/** A technique's name as the walkthrough writes it: LoRA+FSDP, INT8+LoRA, LoRA. */
export function techniqueName(t: Technique): string {
  if (t.int8Quantization && t.enableFsdp) return 'INT8+LoRA+FSDP';
  if (t.int8Quantization) return 'INT8+LoRA';
  return t.enableFsdp ? 'LoRA+FSDP' : 'LoRA';
}
