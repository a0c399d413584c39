import { startCommand } from './command-line';
import { booleanFlag, decimal, integer, oneOf, region, sageMakerName, text } from './flag-types';
import { CommandIo, EXIT_FAILED, EXIT_OK, coldStartProgress, readAll, usageError } from './io';
import { Llama3EndpointClient, isEndpointInvocationError } from '../client/llama3-endpoint-client';
import { ChatMessage, END_OF_TURN } from '../client/chat-template';
import { GENERATION_LIMITS, GenerationParameters, toRequestParameters } from '../client/generation-parameters';
import { configurationError, isConfigurationError } from '../config/configuration-error';
import { PropNames, renameProps, withPropNames } from '../config/prop-names';
import { MODEL_CATALOGUE, findModel } from '../models/catalogue';
import { isInstructModel } from '../models/chat-models';

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
  modelId: '--model-id',
};

export const INVOKE_HELP = `Usage: llama3-ft invoke --endpoint NAME [--prompt TEXT] [options]

Sends a prompt to a fine-tuned Llama 3 endpoint and prints the generated text,
as predictor.predict({"inputs": ..., "parameters": {...}}) does.

Options:
  --endpoint NAME            endpoint name (the stack's EndpointName output)
  --prompt TEXT              the prompt; without it (or with -) it is read from stdin
  --stream                   print the text as it is generated (InvokeEndpointWithResponseStream)
  --model-id ID              the JumpStart model the endpoint serves: an instruct model gets the
                             prompt as a user message in the Llama 3 chat format and stops at the
                             end of its turn; a base model (or no --model-id) gets it as it is
  --max-new-tokens N         most tokens to generate, 1 to 8192 (default 256)
  --temperature T            sampling temperature, above 0
  --top-p P                  nucleus sampling, above 0 and at most 1
  --top-k K                  sample from the K most likely tokens, K >= 1
  --repetition-penalty R     above 0; above 1 discourages repetition
  --stop TEXT                stop at TEXT (repeatable), e.g. --stop "<|eot_id|>"
  --region REGION            AWS region of the endpoint, e.g. us-east-1 (default: the SDK's)
  --timeout SECONDS          how long to wait for the answer, above 0 and at most 3600 (default 120)
  --inference-component NAME the inference component serving the model (the stack's
                             InferenceComponentName output, with scale_to_zero)
  --cold-start-wait SECONDS  how long to retry while the component has no capacity
                             (scaled to zero, starting a copy): 0 to 86400 (default 1200)
  --no-wait                  fail at once when the component has no capacity
  -h, --help                 show this help

Exit status: 0 printed the text, 1 the endpoint failed, 2 wrong usage.
`;

/** The longest --timeout: an hour, far past any answer a real-time endpoint gives. */
const MAX_TIMEOUT_SECONDS = 3600;
/** The longest --cold-start-wait: a day, far past the 70B model's cold start. */
const MAX_COLD_START_WAIT_SECONDS = 86_400;
const L = GENERATION_LIMITS;

export const INVOKE_FLAGS = {
  endpoint: { type: sageMakerName("Fix: use the stack's EndpointName output") },
  prompt: { type: text('"What is SageMaker?"') },
  stream: { type: booleanFlag },
  'model-id': { type: oneOf(MODEL_CATALOGUE.map((m) => m.modelId)) },
  'max-new-tokens': { type: integer(L.maxNewTokens) },
  temperature: { type: decimal(L.temperature) },
  'top-p': { type: decimal(L.topP) },
  'top-k': { type: integer(L.topK) },
  'repetition-penalty': { type: decimal(L.repetitionPenalty) },
  stop: { type: text('"<|eot_id|>"'), multiple: true },
  region: { type: region },
  timeout: { type: decimal({ min: 0, above: true, max: MAX_TIMEOUT_SECONDS, unit: 'seconds', example: 120 }) },
  'inference-component': { type: sageMakerName("Fix: use the stack's InferenceComponentName output") },
  'cold-start-wait': {
    type: decimal({
      min: 0,
      max: MAX_COLD_START_WAIT_SECONDS,
      unit: 'seconds',
      example: 1200,
      orElse: 'or --no-wait to fail at once',
    }),
  },
  'no-wait': { type: booleanFlag },
  help: { type: booleanFlag, short: 'h' },
} as const;

export async function invokeCommand(args: string[], io: CommandIo): Promise<number> {
  const started = startCommand(io, 'invoke', INVOKE_HELP, args, INVOKE_FLAGS);
  if (typeof started === 'number') return started;
  const options = started.values;
  try {
    if (!options.endpoint)
      throw configurationError(["--endpoint is missing; give the endpoint name (the stack's EndpointName output)."]);
    if (options['no-wait'] && options['cold-start-wait'] !== undefined)
      throw configurationError(['--no-wait and --cold-start-wait are both given. Fix: give one of them.']);
    const prompt =
      options.prompt === undefined || options.prompt === '-' ? (await readAll(io.stdin)).trimEnd() : options.prompt;
    if (!prompt) throw configurationError(['The prompt is empty: give --prompt TEXT or pipe it on stdin.']);
    // An instruct model reads the prompt as a user's turn, in the chat format, and ends its answer with its turn.
    const model = options['model-id'] ? findModel(options['model-id']) : undefined;
    const chat = model !== undefined && isInstructModel(model);
    const input: string | ChatMessage[] = chat ? [{ role: 'user', content: prompt }] : prompt;
    const stop = chat ? [...new Set([...(options.stop ?? []), END_OF_TURN])] : options.stop;
    const parameters: GenerationParameters = {
      maxNewTokens: options['max-new-tokens'],
      temperature: options.temperature,
      topP: options['top-p'],
      topK: options['top-k'],
      repetitionPenalty: options['repetition-penalty'],
      stop,
    };
    const coldStartWait = options['no-wait'] ? 0 : options['cold-start-wait'];
    // The client names its props; here they are flags.
    const client = withPropNames(FLAG_NAMES, () => {
      toRequestParameters(parameters);
      return new Llama3EndpointClient({
        endpointName: options.endpoint!,
        region: options.region,
        timeoutMillis: options.timeout !== undefined ? options.timeout * 1000 : undefined,
        inferenceComponentName: options['inference-component'],
        coldStartWaitMillis: coldStartWait !== undefined ? coldStartWait * 1000 : undefined,
        coldStartProgress: coldStartProgress(io, options['inference-component']),
        modelId: model?.modelId,
      });
    });
    if (!options.stream) {
      io.stdout.write(`${await client.generate(client.promptOf(input), parameters)}\n`);
      return EXIT_OK;
    }
    let printed = false;
    try {
      for await (const piece of client.generateStream(input, parameters)) {
        io.stdout.write(piece);
        printed = true;
      }
    } finally {
      // The text so far ends its line, also when the stream broke off.
      if (printed) io.stdout.write('\n');
    }
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
