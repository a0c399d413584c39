// Bundles each Lambda handler (lib/handlers/<name>.ts) into assets/handlers/<name>/index.js.
// Runs before synth (cdk.json), the tests and the build; it takes well under a second.
// The AWS SDK is left out: the Node.js Lambda runtime ships it.
import { build } from 'esbuild';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const handlerDir = join(root, 'lib', 'handlers');
const entries = readdirSync(handlerDir).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'));

await Promise.all(
  entries.map((file) =>
    build({
      entryPoints: [join(handlerDir, file)],
      outfile: join(root, 'assets', 'handlers', file.replace(/\.ts$/, ''), 'index.js'),
      bundle: true,
      platform: 'node',
      target: 'node22',
      format: 'cjs',
      minify: true,
      sourcemap: false,
      external: ['@aws-sdk/*'],
      logLevel: 'warning',
    }),
  ),
);
// stderr: `npm pack --json` and `cdk synth` keep stdout for their own output.
console.error(`bundled ${entries.length} handler(s) into assets/handlers/`);
