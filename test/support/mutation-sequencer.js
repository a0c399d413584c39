// Jest's test order for `npm run test:mutation`, running only the test files that hold a test Stryker asked
// for. Stryker runs a mutant with the ids of the tests that cover it as Jest's test name pattern, and with
// --findRelatedTests on the mutated module; Jest would still load every related test file, run none of the
// tests of most of them, and spend seconds a mutant importing what they import (aws-cdk-lib alone is about
// one). A file none of whose tests matches the pattern would run no test, so leaving it out changes no
// result. The names come from test/support/mutation-environment.js; a file whose names are not known is kept,
// and so is every file when none would be left.
//
// The files run smallest first: a mutant's run stops at its first failing test, and the small files are the
// focused ones, which fail in a moment where a table of synths would first run its rows.
const { existsSync, readFileSync, statSync } = require('node:fs');
const Sequencer = require('@jest/test-sequencer').default;
const { namesFile } = require('./mutation-environment');

class MutationSequencer extends Sequencer {
  constructor(options) {
    super(options);
    this.pattern = options.globalConfig.testNamePattern;
  }

  sort(tests) {
    const folder = process.env.MUTATION_TEST_NAMES;
    if (!this.pattern || !folder) return super.sort(tests);
    // As jest-circus reads the pattern.
    const wanted = new RegExp(this.pattern, 'i');
    const holding = tests.filter((test) => {
      const file = namesFile(folder, test.context.config.rootDir, test.path);
      return !existsSync(file) || JSON.parse(readFileSync(file, 'utf8')).some((id) => wanted.test(id));
    });
    const size = (test) => statSync(test.path).size;
    return (holding.length > 0 ? holding : tests).toSorted((a, b) => size(a) - size(b));
  }
}

module.exports = MutationSequencer;
