/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: '<rootDir>/test/support/quiet-environment.js',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // swc transpiles without type-checking; `tsc --noEmit` checks types in `npm test`.
  transform: { '^.+\\.ts$': ['@swc/jest'] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testTimeout: 60000,
  // Two workers on two cores: the suite is CPU-bound, and half of it waits on child processes.
  maxWorkers: '100%',
  globalSetup: '<rootDir>/test/support/global-setup.js',
  globalTeardown: '<rootDir>/test/support/global-teardown.js',
};
