import { estimateCommand } from './estimate-command';
import { evaluateCommand } from './evaluate-command';
import { invokeCommand } from './invoke-command';
import { CommandIo, EXIT_OK, EXIT_USAGE } from './io';
import { splitCommand } from './split-command';
import { validateDataCommand } from './validate-data-command';

type Command = (args: string[], io: CommandIo) => Promise<number>;

const COMMANDS: Record<string, { run: Command; summary: string }> = {
  invoke: { run: invokeCommand, summary: 'send a prompt to a fine-tuned endpoint and print the generated text' },
  'validate-data': { run: validateDataCommand, summary: 'check a local dataset directory before paying for GPUs' },
  estimate: { run: estimateCommand, summary: 'estimate training minutes and cost of a configuration' },
  evaluate: {
    run: evaluateCommand,
    summary: 'score a fine-tuned endpoint (and the base model) with ROUGE on held-out samples',
  },
  split: { run: splitCommand, summary: 'hold out records of a dataset, reproducibly, to evaluate on' },
};

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
  return command.run(args, io);
}
