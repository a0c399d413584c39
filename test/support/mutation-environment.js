// The test environment of `npm run test:mutation`: the quiet environment, with two additions.
//
// It stops a mutant's run at the first failing test: the tests left, in this file and in the files after
// it, are skipped (before their hooks run). Stryker needs one failing test to call a mutant killed, and a
// mutant of a check every synth passes through is covered by hundreds of rows of the bad-props table. Jest's
// own bail is no use here: a run it stops never returns to Stryker's runner.
//
// It writes down the names of each test file's tests (as Jest's test ids: describe names and test name,
// joined by spaces) into MUTATION_TEST_NAMES (a folder scripts/mutation.mjs empties before each group), on
// Stryker's first run of a group (its dry run, with no mutant active), which runs every test.
// test/support/mutation-sequencer.js reads them.
const { mkdirSync, writeFileSync } = require('node:fs');
const { join, relative } = require('node:path');
const QuietEnvironment = require('./quiet-environment');

// Stryker names the mutant a run is for in this variable; the dry run has none.
const ACTIVE_MUTANT = '__STRYKER_ACTIVE_MUTANT__';
// The mutant whose run has had a failing test. Module state: Stryker runs one Jest run at a time in a process,
// and each test file's environment of that run is created from this module.
let failedUnder;

function testIds(block, prefix) {
  return block.children.flatMap((child) => {
    const id = prefix ? `${prefix} ${child.name}` : child.name;
    return child.type === 'describeBlock' ? testIds(child, id) : [id];
  });
}

function skipTestsNotRun(block) {
  for (const child of block.children) {
    if (child.type === 'describeBlock') skipTestsNotRun(child);
    else if (!child.status) child.mode = 'skip';
  }
}

/** Where the names of the test file at `testPath` (relative to the project's root) are kept. */
function namesFile(folder, rootDir, testPath) {
  return join(folder, `${relative(rootDir, testPath).replace(/[\\/]/g, '__')}.json`);
}

class MutationEnvironment extends QuietEnvironment {
  constructor(config, context) {
    super(config, context);
    const folder = process.env.MUTATION_TEST_NAMES;
    this.namesFile = folder && namesFile(folder, config.projectConfig.rootDir, context.testPath);
  }

  async handleTestEvent(event, state) {
    await super.handleTestEvent(event, state);
    const mutant = process.env[ACTIVE_MUTANT];
    if (mutant === undefined) {
      if (event.name === 'run_finish' && this.namesFile) {
        mkdirSync(join(this.namesFile, '..'), { recursive: true });
        writeFileSync(this.namesFile, JSON.stringify(testIds(state.rootDescribeBlock, '')));
      }
      return;
    }
    if (event.name === 'test_done' && event.test.errors.length > 0) failedUnder = mutant;
    if ((event.name === 'test_done' || event.name === 'run_start') && failedUnder === mutant) {
      skipTestsNotRun(state.rootDescribeBlock);
    }
  }
}

module.exports = MutationEnvironment;
module.exports.namesFile = namesFile;
