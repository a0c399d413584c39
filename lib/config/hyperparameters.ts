/**
 * JumpStart's Llama 3 fine-tuning hyperparameters.
 *
 * Props use camelCase (jsii, Python users get snake_case back); SageMaker and the
 * example app's context keys use the snake_case names in HYPERPARAMETER_MEANINGS. Defaults,
 * ranges and which hyperparameters exist are the model's (its catalogue entry); the defaults
 * below are Llama 3's.
 */
export interface Hyperparameters {
  /**
   * Passes over the training data.
   * @default - the model's: 5 for Llama 3 (Llama 3.2 1B Instruct's document says 1)
   */
  readonly epoch?: number;
  /**
   * Rate at which the weights are updated after each batch.
   * @default 0.0001
   */
  readonly learningRate?: number;
  /**
   * LoRA rank.
   * @default 8
   */
  readonly loraR?: number;
  /**
   * LoRA alpha.
   * @default 32
   */
  readonly loraAlpha?: number;
  /**
   * Modules LoRA adapts, a subset of q_proj, v_proj, k_proj, o_proj, gate_proj, up_proj, down_proj.
   * @default ['q_proj', 'v_proj']
   */
  readonly targetModules?: string[];
  /**
   * LoRA dropout, between 0 and 1.
   * @default 0.05
   */
  readonly loraDropout?: number;
  /**
   * Train on an instruction-tuning dataset (JSONL with a template) instead of domain adaptation.
   * @default false
   */
  readonly instructionTuned?: boolean;
  /**
   * Train on a chat-format dataset (JSONL of conversations).
   * @default - the model's: false for Llama 3 (Llama 3.2 1B Instruct's document says true)
   */
  readonly chatDataset?: boolean;
  /**
   * Add "### Response:\n" between prompt and completion of instruction-tuning samples.
   * @default true
   */
  readonly addInputOutputDemarcationKey?: boolean;
  /**
   * Training batch size per GPU.
   * @default 1
   */
  readonly perDeviceTrainBatchSize?: number;
  /**
   * Evaluation batch size per GPU.
   * @default 1
   */
  readonly perDeviceEvalBatchSize?: number;
  /**
   * Truncate the training set to this many samples; -1 uses all of them.
   * @default -1
   */
  readonly maxTrainSamples?: number;
  /**
   * Truncate the validation set to this many samples; -1 uses all of them.
   * @default -1
   */
  readonly maxValSamples?: number;
  /**
   * Random seed set at the start of training.
   * @default 10
   */
  readonly seed?: number;
  /**
   * Maximum tokens per sample after tokenization; -1 means min(1024, the model's context).
   * Short instruction samples train better with 200-400.
   * @default -1
   */
  readonly maxInputLength?: number;
  /**
   * Share of the training data split off for validation when no validation data is given.
   * @default 0.2
   */
  readonly validationSplitRatio?: number;
  /**
   * Seed of the train/validation split.
   * @default 0
   */
  readonly trainDataSplitSeed?: number;
  /**
   * Processes used for preprocessing.
   * @default - the main process only ("None")
   */
  readonly preprocessingNumWorkers?: number;
  /**
   * Load the model in 8-bit precision.
   * @default - the model's default technique: false for 8B, true for 70B
   */
  readonly int8Quantization?: boolean;
  /**
   * Train with Fully Sharded Data Parallel.
   * @default - the model's default technique: true for 8B, false for 70B
   */
  readonly enableFsdp?: boolean;
  /**
   * Chat template the training script formats chat datasets with. Only models whose document
   * lists `chat_template` (Llama 3.1 and 3.2) take it, and only the values the document allows.
   * @default - the model's default ("Llama3.1" for Llama 3.1 and 3.2); Llama 3 has no such hyperparameter
   */
  readonly chatTemplate?: string;
}
