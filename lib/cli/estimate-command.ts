import { CommandIo, EXIT_OK, usageError } from './io';
import { FLAG_SYNTAX, configurationFromContext } from '../app/context';
import { FLAG_NAMES } from '../app/context-names';
import { renameProps, withPropNames } from '../config/prop-names';
import { configurationError, isConfigurationError } from '../config/configuration-error';
import { resolveTrainingConfiguration } from '../config/training-configuration';
import { MEASURED_SAMPLES, estimateTraining, formatEstimate } from '../estimates/training-estimate';

export const ESTIMATE_HELP = `Usage: llama3-ft estimate [--KEY VALUE ...] [--samples N]

Estimates training minutes and on-demand cost for a configuration, from the
walkthrough's measured table, and says when a valid configuration of the same
model is much faster or cheaper. The flags are the example app's context keys in
kebab-case (the context-key spelling, --max_input_length, works too):

  llama3-ft estimate --model-id meta-textgeneration-llama-3-8b --instance-type ml.g5.12xlarge \\
    --max-input-length 2048 --per-device-train-batch-size 2 --enable-fsdp True \\
    --int8-quantization False --epoch 3

Options:
  --samples N    training samples (default ${MEASURED_SAMPLES}, the measured runs' count)
  -h, --help     show this help
`;

/** `--key value` or `--key=value`, keyed by the context key (`--max-input-length` is `max_input_length`). */
function flags(args: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const match = /^--([^=]+)(?:=(.*))?$/.exec(args[i]);
    if (!match) throw configurationError([`"${args[i]}" is not a --key value pair.`]);
    const value = match[2] ?? args[++i];
    if (value === undefined) throw configurationError([`--${match[1]} has no value.`]);
    out[match[1].replace(/-/g, '_')] = value;
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
    if (samples !== undefined && !/^[1-9]\d*$/.test(samples))
      throw configurationError([`--samples is "${samples}"; allowed: an integer >= 1.`]);
    const config = configurationFromContext(context, FLAG_SYNTAX);
    const training = withPropNames(FLAG_NAMES, () =>
      resolveTrainingConfiguration({
        modelId: config.modelId,
        instanceType: config.trainingInstanceType,
        instanceCount: config.trainingInstanceCount,
        hyperparameters: config.hyperparameters,
      }),
    );
    const line = formatEstimate(training, estimateTraining(training, samples ? Number(samples) : undefined));
    io.stdout.write(`${renameProps(line, FLAG_NAMES)}\n`);
    return EXIT_OK;
  } catch (error) {
    if (!isConfigurationError(error)) throw error;
    return usageError(io, 'estimate', error.message);
  }
}
