import { FlagTable, startCommand } from './command-line';
import { FlagType, booleanFlag, integer } from './flag-types';
import { CommandIo, EXIT_OK, configurationUsageError, usageError } from './io';
import { APP_CONTEXT_KEYS, FLAG_SYNTAX, configurationFromContext, flagOf } from '../app/context';
import { FLAG_NAMES } from '../app/context-names';
import { renameProps, withPropNames } from '../config/prop-names';
import { HYPERPARAMETER_MEANINGS } from '../config/hyperparameter-specs';
import { resolveTrainingConfiguration } from '../config/training-configuration';
import { MEASURED_SAMPLES, estimateTraining, formatEstimate } from '../estimates/training-estimate';

export const ESTIMATE_HELP = `Usage: llama3-ft estimate [--KEY VALUE ...] [--samples N]

Estimates training minutes and on-demand cost for a configuration, from the
walkthrough's measured table, and says when a valid configuration of the same
model is much faster or cheaper. The flags are the example app's context keys that
shape training, in kebab-case (the context-key spelling, --max_input_length, works
too): --model-id, --instance-type, --instance-count and every hyperparameter, each
checked as cdk synth checks it. Deploy settings (--max-run, --train-data, ...) are
refused: an estimate does not read them.

  llama3-ft estimate --model-id meta-textgeneration-llama-3-8b --instance-type ml.g5.12xlarge \\
    --max-input-length 2048 --per-device-train-batch-size 2 --enable-fsdp True \\
    --int8-quantization False --epoch 3

Options:
  --samples N    training samples, N >= 1 (default ${MEASURED_SAMPLES}, the measured runs' count)
  -h, --help     show this help
`;

/** The context keys an estimate reads: the model, the training instances and the hyperparameters. */
const READ_KEYS = ['model_id', 'instance_type', 'instance_count', ...HYPERPARAMETER_MEANINGS.map((h) => h.name)];

/** Each key's value is parsed and range-checked by the training configuration, as at synth. */
const contextValue: FlagType<string> = { kind: 'string', parse: (raw) => raw };

export const ESTIMATE_FLAGS: FlagTable = {
  ...Object.fromEntries(READ_KEYS.map((key) => [key.replace(/_/g, '-'), { type: contextValue }])),
  samples: { type: integer({ min: 1, example: MEASURED_SAMPLES }) },
  help: { type: booleanFlag, short: 'h' },
};

/** A deploy setting given to estimate, which would ignore it. */
function ignoredSetting(args: string[]): string | undefined {
  for (const arg of args) {
    const key = /^--([^=]+)/.exec(arg)?.[1].replace(/-/g, '_');
    if (key && !READ_KEYS.includes(key) && APP_CONTEXT_KEYS.some((k) => k.key === key)) {
      return (
        `${flagOf(key)} is a deploy setting, which estimate does not read (it estimates from --model-id, ` +
        '--instance-type, --instance-count and the hyperparameters). Fix: drop it here; ' +
        `llama3-ft preflight -c ${key}=... and cdk synth check it.`
      );
    }
  }
  return undefined;
}

export async function estimateCommand(args: string[], io: CommandIo): Promise<number> {
  const ignored = ignoredSetting(args);
  if (ignored) return usageError(io, 'estimate', ignored);
  const started = startCommand(io, 'estimate', ESTIMATE_HELP, args, ESTIMATE_FLAGS);
  if (typeof started === 'number') return started;
  const { samples, help: _help, ...flags } = started.values as Record<string, unknown>;
  const context = Object.fromEntries(Object.entries(flags).map(([flag, value]) => [flag.replace(/-/g, '_'), value]));
  try {
    const config = configurationFromContext(context, FLAG_SYNTAX);
    const training = withPropNames(FLAG_NAMES, () =>
      resolveTrainingConfiguration({
        modelId: config.modelId,
        instanceType: config.trainingInstanceType,
        instanceCount: config.trainingInstanceCount,
        hyperparameters: config.hyperparameters,
      }),
    );
    const line = formatEstimate(training, estimateTraining(training, samples as number | undefined));
    io.stdout.write(`${renameProps(line, FLAG_NAMES)}\n`);
    return EXIT_OK;
  } catch (error) {
    return configurationUsageError(io, 'estimate', error);
  }
}
