// The Node test environment, with what a test writes to the console held back and
// shown only when the test fails: handler logs and expected-failure noise stay out
// of a green run, and are there to read for a red one.
const { TestEnvironment } = require('jest-environment-node');

const METHODS = ['log', 'info', 'warn', 'error', 'debug'];
// A test left out by a name pattern (-t, or Stryker's per-test runs) starts and is skipped: no test_done.
const TEST_ENDS = ['test_done', 'test_skip', 'test_todo'];

class QuietEnvironment extends TestEnvironment {
  async handleTestEvent(event) {
    const console = this.global.console;
    if (event.name === 'test_start' && console && !this.original) {
      this.held = [];
      this.original = {};
      for (const method of METHODS) {
        this.original[method] = console[method];
        console[method] = (...args) => this.held.push([method, args]);
      }
    }
    if (TEST_ENDS.includes(event.name) && this.original) {
      for (const method of METHODS) console[method] = this.original[method];
      this.original = undefined;
      if (event.name === 'test_done' && event.test.errors.length > 0) {
        for (const [method, args] of this.held) console[method](...args);
      }
    }
  }
}

module.exports = QuietEnvironment;
