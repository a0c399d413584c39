import { CommandIo, EXIT_FAILED, EXIT_OK, EXIT_USAGE } from './io';

type Command = (args: string[], io: CommandIo) => Promise<number>;

/** Each command is loaded when it runs: start-up pays only for what the command needs. */
const COMMANDS: Record<string, { load: () => Promise<Command>; summary: string }> = {
  invoke: {
    load: async () => (await import('./invoke-command')).invokeCommand,
    summary: 'send a prompt to a fine-tuned endpoint and print the generated text',
  },
  chat: {
    load: async () => (await import('./chat-command')).chatCommand,
    summary: "talk with an instruct model's endpoint: answers stream as they are generated",
  },
  'validate-data': {
    load: async () => (await import('./validate-data-command')).validateDataCommand,
    summary: 'check a dataset (a local directory or an s3:// prefix) before paying for GPUs',
  },
  estimate: {
    load: async () => (await import('./estimate-command')).estimateCommand,
    summary: 'estimate training minutes and cost of a configuration',
  },
  evaluate: {
    load: async () => (await import('./evaluate-command')).evaluateCommand,
    summary: 'score a fine-tuned endpoint (and the base model) with ROUGE on held-out samples',
  },
  preflight: {
    load: async () => (await import('../app/preflight')).preflightCommand,
    summary: 'check quotas, bootstrap, model access and data in your account before you deploy',
  },
  split: {
    load: async () => (await import('./split-command')).splitCommand,
    summary: 'hold out records of a dataset, reproducibly, to evaluate on',
  },
};

/** The command names, for tests that cover every command. */
export const COMMAND_NAMES = Object.keys(COMMANDS);

function help(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  return (
    'Usage: llama3-ft <command> [options]\n\nCommands:\n' +
    Object.entries(COMMANDS)
      .map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`)
      .join('\n') +
    "\n\nRun llama3-ft <command> --help for a command's options.\n"
  );
}

/** Runs `llama3-ft`; resolves to the exit status. */
export async function main(argv: string[], io: CommandIo): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h') {
    io.stdout.write(help());
    return name ? EXIT_OK : EXIT_USAGE;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr.write(`Unknown command "${name}".\n\n${help()}`);
    return EXIT_USAGE;
  }
  try {
    return await (
      await command.load()
    )(args, io);
  } catch (error) {
    // Each command words the failures it expects; anything else is still one line (an Error's `Name: message`),
    // not a stack trace. (String(), not instanceof: Node's own errors come from another realm under a test runner.)
    io.stderr.write(`llama3-ft ${name}: ${String(error)}\n`);
    if (process.env.LLAMA3_FT_DEBUG) io.stderr.write(`${(error as Error).stack}\n`);
    return EXIT_FAILED;
  }
}
