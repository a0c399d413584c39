import type { HyperparameterSpec } from '../config/hyperparameter-specs';

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

/** What a hosting instance type needs of one copy of the model (JumpStart's resource requirements). */
export interface HostingResourceNeeds {
  readonly minMemoryMb: number;
  readonly accelerators: number;
}

/** Where a catalogue entry's facts come from. */
export interface ModelSource {
  /** The document, in words, with where it was found. */
  readonly description: string;
  /** The stored document the entry was generated from, beside it in `lib/models/imported/`. */
  readonly document?: string;
  /** The document's own version, where it has one. */
  readonly version?: string;
}

/** One model the library fine-tunes: everything that differs by model, as data. */
export interface ModelSpec {
  readonly modelId: string;
  readonly displayName: string;
  readonly source: ModelSource;
  /** Maximum context length in tokens; bounds `max_input_length`. */
  readonly contextLength: number;
  /** The licence gating the base weights; `url` is the text JumpStart asks to accept. */
  readonly licence: { readonly name: string; readonly url: string };
  /** The model's hyperparameters, with its defaults and ranges, in SageMaker's order. */
  readonly hyperparameters: readonly HyperparameterSpec[];
  readonly training: {
    readonly defaultInstanceType: string;
    readonly supportedInstanceTypes: readonly string[];
    /** The technique JumpStart uses when the user sets neither int8 nor FSDP. */
    readonly defaultTechnique: Technique;
    /** Techniques that train this model; others run out of memory or are unverified. */
    readonly supportedTechniques: readonly Technique[];
    /** JumpStart disables output compression for models whose compression takes hours. */
    readonly disableOutputCompression: boolean;
    /** Key of JumpStart's default training dataset in the region's `jumpstart-cache-prod-<region>` bucket. */
    readonly defaultDatasetKey: string;
    /** Measured training times; none for a model nobody has published timings of. */
    readonly measuredRuns: readonly MeasuredTrainingRun[];
  };
  readonly hosting: {
    readonly defaultInstanceType: string;
    readonly supportedInstanceTypes: readonly string[];
    /** Container environment the model adds to the common LMI environment. */
    readonly environment: Readonly<Record<string, string>>;
    /** Container environment per instance type, over the model's (e.g. a tensor parallel degree). */
    readonly instanceEnvironment?: Readonly<Record<string, Readonly<Record<string, string>>>>;
    /** What one copy of the model needs per instance type. */
    readonly resourceNeeds?: Readonly<Record<string, HostingResourceNeeds>>;
  };
}
