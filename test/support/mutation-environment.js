// The test environment of `npm run test:mutation`: the quiet environment, which also writes down the names
// of each test file's tests (as Jest's test ids: describe names and test name, joined by spaces) when the
// file has run, into MUTATION_TEST_NAMES (a folder scripts/mutation.mjs empties before each group). The
// first run of a group, Stryker's dry run, runs every test, so it writes every file's names; later runs
// leave them. test/support/mutation-sequencer.js reads them.
const { existsSync, mkdirSync, writeFileSync } = require('node:fs');
const { join, relative } = require('node:path');
const QuietEnvironment = require('./quiet-environment');

function testIds(block, prefix) {
  return block.children.flatMap((child) => {
    const id = prefix ? `${prefix} ${child.name}` : child.name;
    return child.type === 'describeBlock' ? testIds(child, id) : [id];
  });
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
    if (event.name === 'run_finish' && this.namesFile && !existsSync(this.namesFile)) {
      mkdirSync(join(this.namesFile, '..'), { recursive: true });
      writeFileSync(this.namesFile, JSON.stringify(testIds(state.rootDescribeBlock, '')));
    }
  }
}

module.exports = MutationEnvironment;
module.exports.namesFile = namesFile;
