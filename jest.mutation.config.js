// Jest for `npm run test:mutation`: the unit tests of the mutated modules only (no moto, no
// packaging, no template gates), so each mutant runs in seconds.
const { join } = require('node:path');
const base = require('./jest.config');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  // Stryker wraps the environment and resolves it without <rootDir>.
  testEnvironment: join(__dirname, 'test', 'support', 'quiet-environment.js'),
  // Stryker runs two Jests side by side; each in band, so no run starts worker processes.
  maxWorkers: 1,
  testMatch: [
    '<rootDir>/test/handlers/training-job.test.ts',
    '<rootDir>/test/handlers/training-request.test.ts',
    '<rootDir>/test/handlers/training-plan.test.ts',
    '<rootDir>/test/handlers/signal-wait-condition.test.ts',
    '<rootDir>/test/config/training-configuration.test.ts',
    '<rootDir>/test/datasets/dataset-validator.test.ts',
    '<rootDir>/test/estimates/training-estimate.test.ts',
    '<rootDir>/test/estimates/advice.test.ts',
    '<rootDir>/test/cli/bad-flags.test.ts',
    '<rootDir>/test/cli/io.test.ts',
    '<rootDir>/test/config/hyperparameter-specs.test.ts',
    '<rootDir>/test/estimates/runtime-model.test.ts',
  ],
};
