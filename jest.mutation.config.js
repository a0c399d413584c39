// Jest for `npm run test:mutation`: the unit tests of one mutation group only (no moto, no
// packaging, no template gates), so each mutant runs in seconds.
const { join } = require('node:path');
const base = require('./jest.config');
const { GROUPS } = require('./scripts/mutation-groups.cjs');

const group = process.env.MUTATION_GROUP;
if (group && !GROUPS[group]) throw new Error(`MUTATION_GROUP ${group} is not a group of scripts/mutation-groups.cjs`);

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  // Stryker wraps the environment and resolves it without <rootDir>. It writes down each test file's test names,
  // which the sequencer reads to run only the files that hold the tests covering a mutant.
  testEnvironment: join(__dirname, 'test', 'support', 'mutation-environment.js'),
  testSequencer: join(__dirname, 'test', 'support', 'mutation-sequencer.js'),
  // lib/ among the roots: Stryker runs each mutant with --findRelatedTests on the mutated file, and Jest
  // follows imports only through files under its roots. With test/ alone (jest.config.js), a test that
  // reaches the module through another directory of lib/ (the CLI's table of commands, lib/index.ts) was
  // not found, so its mutants "survived" with no test run.
  roots: ['<rootDir>/test', '<rootDir>/lib'],
  // Stryker runs two Jests side by side; each in band, so no run starts worker processes.
  maxWorkers: 1,
  // The group's tests only (MUTATION_GROUP, set by scripts/mutation.mjs), or every group's when unset.
  testMatch: (group ? GROUPS[group].tests : [...new Set(Object.values(GROUPS).flatMap((g) => g.tests))]).map(
    (test) => `<rootDir>/${test}`,
  ),
};
