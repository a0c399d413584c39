import { Hyperparameters } from './hyperparameters';
import {
  TrainingChoices,
  TrainingConfiguration,
  TrainingPropNames,
  resolveTrainingConfiguration,
  toSageMakerHyperparameters,
} from './training-configuration';

/** Props of `TrainingRecipe.resolve`: what to train, each left out taking the model's default. */
export interface TrainingRecipeProps {
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
   * Hyperparameters; each one left out takes JumpStart's default for the model.
   * @default - JumpStart's defaults
   */
  readonly hyperparameters?: Hyperparameters;
}

/**
 * What a job trains — model, instances and hyperparameters — checked against the model
 * catalogue once, with every default filled in. Resolve it once and hand the same value to a
 * `FineTuningJob` (`recipe`) and whatever else needs it, such as an estimate: nothing is
 * resolved twice, and nothing can disagree.
 */
export class TrainingRecipe {
  /** Checks the choices and fills in the defaults; throws one error listing every problem. */
  public static resolve(props: TrainingRecipeProps = {}): TrainingRecipe {
    return new TrainingRecipe(props, resolveTrainingConfiguration(props));
  }

  /**
   * A recipe whose problems name the caller's props (the stack's `trainingInstanceType`).
   * @internal
   */
  public static _resolveAs(props: TrainingRecipeProps, names: TrainingPropNames): TrainingRecipe {
    return new TrainingRecipe(props, resolveTrainingConfiguration(props, names));
  }

  /**
   * A recipe of a configuration already resolved (a job's own props).
   * @internal
   */
  public static _of(choices: TrainingChoices, configuration: TrainingConfiguration): TrainingRecipe {
    return new TrainingRecipe(choices, configuration);
  }

  /** JumpStart model id. */
  public readonly modelId: string;
  /** Training instance type. */
  public readonly instanceType: string;
  /** Training instance count. */
  public readonly instanceCount: number;
  /** The hyperparameters as SageMaker receives them, every default filled in. */
  public readonly hyperparameters: Record<string, string>;
  /**
   * The resolved configuration.
   * @internal
   */
  public readonly _configuration: TrainingConfiguration;
  /**
   * What the caller chose, before defaults: some checks concern only what was given.
   * @internal
   */
  public readonly _choices: TrainingChoices;

  private constructor(choices: TrainingChoices, configuration: TrainingConfiguration) {
    this._choices = choices;
    this._configuration = configuration;
    this.modelId = configuration.model.modelId;
    this.instanceType = configuration.instanceType;
    this.instanceCount = configuration.instanceCount;
    this.hyperparameters = toSageMakerHyperparameters(configuration);
  }
}
