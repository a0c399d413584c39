import { CommandIo, EXIT_OK, usageError } from './io';
import { configurationFromContext } from '../config/app-context';
import { configurationError, isConfigurationError } from '../config/configuration-error';
import { resolveTrainingConfiguration } from '../config/training-configuration';
import { MEASURED_SAMPLES, estimateTraining, formatEstimate } from '../estimates/training-estimate';

export const ESTIMATE_HELP = `Usage: llama3-ft estimate [--KEY VALUE ...] [--samples N]

Estimates training minutes and on-demand cost for a configuration, from the
walkthrough's measured table, and says when a valid configuration of the same
model is much faster or cheaper. Keys are the example app's context keys:

  llama3-ft estimate --model_id meta-textgeneration-llama-3-8b --instance_type ml.g5.12xlarge \\
    --max_input_length 2048 --per_device_train_batch_size 2 --enable_fsdp True \\
    --int8_quantization False --epoch 3

Options:
  --samples N    training samples (default ${MEASURED_SAMPLES}, the measured runs' count)
  -h, --help     show this help
`;

/** Context-style flags: `--key value` or `--key=value`. */
function flags(args: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const match = /^--([^=]+)(?:=(.*))?$/.exec(args[i]);
    if (!match) throw configurationError([`"${args[i]}" is not a --key value pair.`]);
    const value = match[2] ?? args[++i];
    if (value === undefined) throw configurationError([`--${match[1]} has no value.`]);
    out[match[1]] = value;
  }
  return out;
}

export async function estimateCommand(args: string[], io: CommandIo): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout.write(ESTIMATE_HELP);
    return EXIT_OK;
  }
  try {
    const { samples, ...context } = flags(args);
    if (samples !== undefined && !/^[1-9]\d*$/.test(samples)) throw configurationError([`--samples is "${samples}"; allowed: an integer >= 1.`]);
    const config = configurationFromContext(context);
    const training = resolveTrainingConfiguration({
      modelId: config.modelId, instanceType: config.trainingInstanceType, instanceCount: config.trainingInstanceCount, hyperparameters: config.hyperparameters,
    });
    io.stdout.write(`${formatEstimate(training, estimateTraining(training, samples ? Number(samples) : undefined))}\n`);
    return EXIT_OK;
  } catch (error) {
    if (!isConfigurationError(error)) throw error;
    return usageError(io, 'estimate', error.message);
  }
}
