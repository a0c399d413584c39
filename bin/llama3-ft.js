#!/usr/bin/env node
// The llama3-ft command. Installed packages run the compiled JavaScript; a
// checkout of the repository runs the TypeScript through ts-node.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const compiled = join(__dirname, '..', 'lib', 'cli', 'main.js');
if (!existsSync(compiled)) {
  require('ts-node').register({ transpileOnly: true, swc: true, project: join(__dirname, '..', 'tsconfig.json') });
}
const { main } = require(existsSync(compiled) ? compiled : join(__dirname, '..', 'lib', 'cli', 'main.ts'));

main(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr })
  .then((status) => { process.exitCode = status; })
  .catch((error) => {
    process.stderr.write(`llama3-ft: ${error && error.stack ? error.stack : error}\n`);
    process.exitCode = 1;
  });
