import { DatasetFormat } from './dataset-validator';
import type { TrainingConfiguration } from '../config/training-configuration';

/** The dataset format a training configuration reads: chat, instruction tuning, or domain adaptation. */
export function datasetFormatOf(training: TrainingConfiguration): DatasetFormat {
  if (training.hyperparameters.chatDataset) return DatasetFormat.CHAT;
  return training.hyperparameters.instructionTuned ? DatasetFormat.INSTRUCTION : DatasetFormat.DOMAIN_ADAPTATION;
}
