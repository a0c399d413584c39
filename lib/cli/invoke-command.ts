import { CommandIo, EXIT_FAILED, EXIT_OK, EXIT_USAGE, coldStartProgress, parseFlags, readAll, usageError } from './io';
import { Llama3EndpointClient, isEndpointInvocationError } from '../client/llama3-endpoint-client';
import { toRequestParameters } from '../client/generation-parameters';
import { configurationError, isConfigurationError } from '../config/configuration-error';
import { PropNames, renameProps, withPropNames } from '../config/prop-names';

/** The client's props as this command's flags. */
const FLAG_NAMES: PropNames = {
  endpointName: '--endpoint',
  region: '--region',
  inferenceComponentName: '--inference-component',
  coldStartWaitMillis: '--cold-start-wait',
  maxNewTokens: '--max-new-tokens',
  temperature: '--temperature',
  topP: '--top-p',
  topK: '--top-k',
  repetitionPenalty: '--repetition-penalty',
  stop: '--stop',
};

export const INVOKE_HELP = `Usage: llama3-ft invoke --endpoint NAME [--prompt TEXT] [options]

Sends a prompt to a fine-tuned Llama 3 endpoint and prints the generated text,
as predictor.predict({"inputs": ..., "parameters": {...}}) does.

Options:
  --endpoint NAME            endpoint name (the stack's EndpointName output)
  --prompt TEXT              the prompt; without it (or with -) it is read from stdin
  --max-new-tokens N         most tokens to generate (default 256)
  --temperature T            sampling temperature, above 0
  --top-p P                  nucleus sampling, in (0, 1]
  --top-k K                  sample from the K most likely tokens
  --repetition-penalty R     above 1 discourages repetition
  --stop TEXT                stop at TEXT (repeatable), e.g. --stop "<|eot_id|>"
  --region REGION            AWS region of the endpoint (default: the SDK's)
  --timeout SECONDS          how long to wait for the answer (default 120)
  --inference-component NAME the inference component serving the model (the stack's
                             InferenceComponentName output, with scale_to_zero)
  --cold-start-wait SECONDS  how long to retry while the component has no capacity
                             (scaled to zero, starting a copy; default 1200)
  --no-wait                  fail at once when the component has no capacity
  -h, --help                 show this help

Exit status: 0 printed the text, 1 the endpoint failed, 2 wrong usage.
`;

function numberOption(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n))
    throw configurationError([`${flag} is "${value}", which is not a number.`]);
  return n;
}

export async function invokeCommand(args: string[], io: CommandIo): Promise<number> {
  const parsed = parseFlags(args, {
    endpoint: { type: 'string' },
    prompt: { type: 'string' },
    'max-new-tokens': { type: 'string' },
    temperature: { type: 'string' },
    'top-p': { type: 'string' },
    'top-k': { type: 'string' },
    'repetition-penalty': { type: 'string' },
    stop: { type: 'string', multiple: true },
    region: { type: 'string' },
    timeout: { type: 'string' },
    'inference-component': { type: 'string' },
    'cold-start-wait': { type: 'string' },
    'no-wait': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if ('error' in parsed) {
    io.stderr.write(`${parsed.error}\n\n${INVOKE_HELP}`);
    return EXIT_USAGE;
  }
  const options = parsed.values as Partial<
    Record<
      | 'endpoint'
      | 'prompt'
      | 'max-new-tokens'
      | 'temperature'
      | 'top-p'
      | 'top-k'
      | 'repetition-penalty'
      | 'region'
      | 'timeout'
      | 'inference-component'
      | 'cold-start-wait',
      string
    >
  > & { stop?: string[]; help?: boolean; 'no-wait'?: boolean };
  if (options.help) {
    io.stdout.write(INVOKE_HELP);
    return EXIT_OK;
  }
  try {
    if (!options.endpoint)
      throw configurationError(["--endpoint is missing; give the endpoint name (the stack's EndpointName output)."]);
    const prompt =
      options.prompt === undefined || options.prompt === '-' ? (await readAll(io.stdin)).trimEnd() : options.prompt;
    if (!prompt) throw configurationError(['The prompt is empty: give --prompt TEXT or pipe it on stdin.']);
    const parameters = {
      maxNewTokens: numberOption(options['max-new-tokens'], '--max-new-tokens'),
      temperature: numberOption(options.temperature, '--temperature'),
      topP: numberOption(options['top-p'], '--top-p'),
      topK: numberOption(options['top-k'], '--top-k'),
      repetitionPenalty: numberOption(options['repetition-penalty'], '--repetition-penalty'),
      stop: options.stop,
    };
    const timeout = numberOption(options.timeout, '--timeout');
    const coldStartWait = options['no-wait'] ? 0 : numberOption(options['cold-start-wait'], '--cold-start-wait');
    if (timeout !== undefined && !(timeout > 0))
      throw configurationError([`--timeout is ${timeout}; allowed: seconds above 0, e.g. 120.`]);
    // The client names its props; here they are flags.
    const client = withPropNames(FLAG_NAMES, () => {
      toRequestParameters(parameters);
      return new Llama3EndpointClient({
        endpointName: options.endpoint!,
        region: options.region,
        timeoutMillis: timeout !== undefined ? timeout * 1000 : undefined,
        inferenceComponentName: options['inference-component'],
        coldStartWaitMillis: coldStartWait !== undefined ? coldStartWait * 1000 : undefined,
        coldStartProgress: coldStartProgress(io, options['inference-component']),
      });
    });
    io.stdout.write(`${await client.generate(prompt, parameters)}\n`);
    return EXIT_OK;
  } catch (error) {
    if (isConfigurationError(error)) return usageError(io, 'invoke', error.message);
    if (isEndpointInvocationError(error)) {
      io.stderr.write(`${renameProps(error.message, { ...FLAG_NAMES, timeoutMillis: '--timeout' })}\n`);
      return EXIT_FAILED;
    }
    throw error;
  }
}
