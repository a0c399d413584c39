/**
 * The metrics JumpStart's Llama 3 training script logs, with the regexes
 * SageMaker extracts them by (the hub's TrainingMetrics). The dashboard reads
 * the same names.
 */
export const TRAINING_METRIC_DEFINITIONS = [
  { Name: 'huggingface-textgeneration:eval-loss', Regex: 'eval_epoch_loss=tensor\\(([0-9\\.]+)' },
  { Name: 'huggingface-textgeneration:eval-ppl', Regex: 'eval_ppl=tensor\\(([0-9\\.]+)' },
  { Name: 'huggingface-textgeneration:train-loss', Regex: 'train_epoch_loss=([0-9\\.]+)' },
];
