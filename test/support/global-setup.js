// Every temporary file of the run (synthesized apps, packed tarballs, datasets, cdk.out
// folders of aws-cdk-lib) goes into one directory that the teardown removes.
const { mkdtempSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const TEMP_VARIABLES = ['TMPDIR', 'TMP', 'TEMP'];

module.exports = async () => {
  const dir = mkdtempSync(join(tmpdir(), 'llama3-ft-tests-'));
  // The teardown puts these back: a process that runs Jest again (Stryker's runners) must not
  // start inside the directory the last run removed.
  const saved = Object.fromEntries(TEMP_VARIABLES.map((v) => [v, process.env[v] ?? null]));
  process.env.LLAMA3_FT_SAVED_TEMP = JSON.stringify(saved);
  process.env.LLAMA3_FT_TEST_TMPDIR = dir;
  // Workers and the processes tests start inherit these.
  for (const name of TEMP_VARIABLES) process.env[name] = dir;
  // aws-cdk-lib validates every synthesized template with a WebAssembly rule engine, seconds a
  // synth; test/quality/cloudformation-validate.test.ts runs it once over the whole matrix.
  process.env.CDK_VALIDATION = 'false';
};
