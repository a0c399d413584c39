import { ChatHistory } from './chat-history';
import { CHAT_COMMANDS, runChatSession } from './chat-session';
import { startCommand } from './command-line';
import { booleanFlag, decimal, integer, oneOf, region, sageMakerName, text } from './flag-types';
import { CommandIo, coldStartProgress, configurationUsageError } from './io';
import { GENERATION_LIMITS, toRequestParameters } from '../client/generation-parameters';
import { Llama3EndpointClient } from '../client/llama3-endpoint-client';
import { configurationError } from '../config/configuration-error';
import { PropNames, renameProps, withPropNames } from '../config/prop-names';
import { MODEL_CATALOGUE, findModel } from '../models/catalogue';
import { isInstructModel } from '../models/chat-models';

/** The model chat assumes when not told: the walkthrough's instruct model, Llama 3's 8K context. */
const DEFAULT_CHAT_MODEL = 'meta-textgeneration-llama-3-8b-instruct';
const DEFAULT_MAX_NEW_TOKENS = 512;

export const CHAT_HELP = `Usage: llama3-ft chat --endpoint NAME [--system TEXT] [options]

Talks with an instruct model's endpoint: each line you type is sent with the conversation so
far, in the Llama 3 chat format, and the answer is printed as it is generated, then the time
to its first token and its tokens per second. Lines can be piped in too:
  printf 'What is SageMaker?\\n/exit\\n' | llama3-ft chat --endpoint NAME

${CHAT_COMMANDS}
The conversation is kept within the model's context: the oldest exchanges are dropped (with a
notice) when the next question and its answer would not fit. Tokens are estimated, not
counted: a token per 3 ASCII characters and per byte of other characters, more than Llama 3's
tokenizer uses on prose.

Options:
  --endpoint NAME            endpoint name (the stack's EndpointName output)
  --inference-component NAME the inference component serving the model (the stack's
                             InferenceComponentName output, with scale_to_zero); a scaled-to-zero
                             component is waited for (a cold start takes minutes)
  --model-id ID              the JumpStart model the endpoint serves, an instruct model; sets the
                             context the conversation is kept in (default ${DEFAULT_CHAT_MODEL})
  --system TEXT              a system message, sent first with every question
  --max-new-tokens N         most tokens an answer may have, 1 to 8192 (default ${DEFAULT_MAX_NEW_TOKENS})
  --temperature T            sampling temperature, above 0
  --top-p P                  nucleus sampling, above 0 and at most 1
  --region REGION            AWS region of the endpoint, e.g. us-east-1 (default: the SDK's)
  --timeout SECONDS          how long an answer may take, above 0 and at most 3600 (default 120)
  -h, --help                 show this help

Exit status: 0 the conversation ended, 1 an answer failed, 2 wrong usage.
`;

const L = GENERATION_LIMITS;

export const CHAT_FLAGS = {
  endpoint: { type: sageMakerName("Fix: use the stack's EndpointName output") },
  'inference-component': { type: sageMakerName("Fix: use the stack's InferenceComponentName output") },
  'model-id': { type: oneOf(MODEL_CATALOGUE.map((m) => m.modelId)) },
  system: { type: text('"Answer in one sentence."') },
  'max-new-tokens': { type: integer(L.maxNewTokens) },
  temperature: { type: decimal(L.temperature) },
  'top-p': { type: decimal(L.topP) },
  region: { type: region },
  timeout: { type: decimal({ min: 0, above: true, max: 3600, unit: 'seconds', example: 120 }) },
  help: { type: booleanFlag, short: 'h' },
} as const;

/** The client's and the parameters' names as this command's flags. */
const FLAG_NAMES: PropNames = {
  endpointName: '--endpoint',
  inferenceComponentName: '--inference-component',
  region: '--region',
  modelId: '--model-id',
  maxNewTokens: '--max-new-tokens',
  temperature: '--temperature',
  topP: '--top-p',
  timeoutMillis: '--timeout',
};

export async function chatCommand(args: string[], io: CommandIo): Promise<number> {
  const started = startCommand(io, 'chat', CHAT_HELP, args, CHAT_FLAGS);
  if (typeof started === 'number') return started;
  const o = started.values;
  let session;
  try {
    if (!o.endpoint)
      throw configurationError(["--endpoint is missing; give the endpoint name (the stack's EndpointName output)."]);
    const model = findModel(o['model-id'] ?? DEFAULT_CHAT_MODEL);
    if (!isInstructModel(model)) {
      throw configurationError([
        `--model-id is "${model.modelId}", a base model: it continues text and has no chat format. ` +
          'Fix: chat with an instruct model, or send a prompt with llama3-ft invoke.',
      ]);
    }
    const parameters = {
      maxNewTokens: o['max-new-tokens'] ?? DEFAULT_MAX_NEW_TOKENS,
      temperature: o.temperature,
      topP: o['top-p'],
    };
    const client = withPropNames(FLAG_NAMES, () => {
      toRequestParameters(parameters);
      return new Llama3EndpointClient({
        endpointName: o.endpoint!,
        region: o.region,
        inferenceComponentName: o['inference-component'],
        modelId: model.modelId,
        timeoutMillis: o.timeout !== undefined ? o.timeout * 1000 : undefined,
        coldStartProgress: coldStartProgress(io, o['inference-component']),
      });
    });
    const history = new ChatHistory(model.contextLength, parameters.maxNewTokens, o.system);
    session = { io, client, parameters, history, reword: (m: string) => renameProps(m, FLAG_NAMES) };
    io.stderr.write(
      `Chatting with endpoint ${o.endpoint} (${model.displayName}, ${model.contextLength}-token context). ${CHAT_COMMANDS}\n`,
    );
  } catch (error) {
    return configurationUsageError(io, 'chat', error, (message) => renameProps(message, FLAG_NAMES));
  }
  return runChatSession(session);
}
