#!/usr/bin/env node
// The llama3-ft command. A checkout of the repository runs the TypeScript
// sources through ts-node; an installed package runs the compiled JavaScript.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const source = join(__dirname, '..', 'lib', 'cli', 'main.ts');
let main;
if (existsSync(source)) {
  require('ts-node').register({ transpileOnly: true, swc: true, project: join(__dirname, '..', 'tsconfig.json') });
  ({ main } = require(source));
} else {
  ({ main } = require(join(__dirname, '..', 'dist', 'js', 'lib', 'cli', 'main.js')));
}

main(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr })
  .then((status) => {
    process.exitCode = status;
  })
  .catch((error) => {
    process.stderr.write(`llama3-ft: ${error && error.stack ? error.stack : error}\n`);
    process.exitCode = 1;
  });
