#!/usr/bin/env node
// The llama3-ft command. An installed package runs the compiled JavaScript. A checkout of
// the repository runs the esbuild bundle of the sources (scripts/bundle-handlers.mjs, run
// before every synth, test and build) while it is newer than every source file, and the
// TypeScript sources through ts-node once one has changed since.
const { existsSync, readdirSync, statSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const source = join(root, 'lib', 'cli', 'main.ts');
const bundle = join(root, 'assets', 'cli', 'llama3-ft.js');

/** The newest modification time of the .ts files under a folder. */
function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

let main;
if (!existsSync(source)) {
  ({ main } = require(join(root, 'dist', 'js', 'lib', 'cli', 'main.js')));
} else if (existsSync(bundle) && statSync(bundle).mtimeMs >= newestSource(join(root, 'lib'))) {
  ({ main } = require(bundle));
} else {
  require('ts-node').register({ transpileOnly: true, swc: true, project: join(root, 'tsconfig.json') });
  ({ main } = require(source));
}

main(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr })
  .then((status) => {
    process.exitCode = status;
  })
  .catch((error) => {
    process.stderr.write(`llama3-ft: ${error && error.stack ? error.stack : error}\n`);
    process.exitCode = 1;
  });
