/**
 * `npm run catalogue:import -- FILE [--model-id ID]`: adds (or refreshes) a catalogue entry
 * from a SageMaker public hub document or a JumpStart model spec. The document is stored
 * beside the entry it generates, and the list of entries is regenerated. `--out DIR` writes
 * elsewhere than `lib/models/imported/` (tests).
 */
import { copyFileSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ModelDocumentError, importModelDocument, renderEntry, renderIndex } from '../lib/models/model-document';

const IMPORTED_DIR = join(__dirname, '..', 'lib', 'models', 'imported');
const USAGE = 'usage: npm run catalogue:import -- FILE [--model-id MODEL_ID] [--out DIR]\n';

function main(argv: string[]): number {
  const flags: Record<string, string | undefined> = {};
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--model-id' || argv[i] === '--out') flags[argv[i]] = argv[++i];
    else if (argv[i].startsWith('--')) flags[argv[i]] = undefined;
    else files.push(argv[i]);
  }
  const unknown = Object.keys(flags).filter((f) => f !== '--model-id' && f !== '--out');
  if (files.length !== 1 || unknown.length > 0 || Object.values(flags).some((v) => !v)) {
    process.stderr.write(USAGE);
    return 2;
  }
  const modelIdHint = flags['--model-id'];
  const outDir = flags['--out'] ?? IMPORTED_DIR;
  const entry = importModelDocument(readFileSync(files[0], 'utf8'), modelIdHint ?? modelIdOfFileName(files[0]));
  copyFileSync(files[0], join(outDir, entry.source.document!));
  writeFileSync(join(outDir, `${entry.modelId}.ts`), renderEntry(entry));
  const ids = readdirSync(outDir)
    .filter((f) => f.endsWith('.source.json'))
    .map((f) => f.slice(0, -'.source.json'.length));
  writeFileSync(join(outDir, 'index.ts'), renderIndex(ids));
  process.stdout.write(
    `${entry.modelId} (${entry.displayName}) from ${entry.source.description}: ` +
      `${entry.hyperparameters.length} hyperparameters, training on ${entry.training.supportedInstanceTypes.join(', ')}, ` +
      `hosting on ${entry.hosting.supportedInstanceTypes.length} instance types.\n`,
  );
  return 0;
}

/** A hub document named like `describe-hub-content-<model id>.document.json` names its model. */
function modelIdOfFileName(file: string): string | undefined {
  return /(meta-textgeneration-[a-z0-9-]+?)(\.document|\.source)?\.json$/.exec(file)?.[1];
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (e) {
  if (!(e instanceof ModelDocumentError)) throw e;
  process.stderr.write(`${e.message}\n`);
  process.exitCode = 1;
}
