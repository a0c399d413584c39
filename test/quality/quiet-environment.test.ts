// The test environment that holds a test's console output back until the test fails.
// Run with a name pattern (jest -t, or each of Stryker's per-test runs), tests left out
// start and are skipped without ending; a failure after them must still print once and return.
const QuietEnvironment = require('../support/quiet-environment');

function environmentWithConsole() {
  const printed: string[] = [];
  const env = Object.create(QuietEnvironment.prototype);
  env.global = { console: { log: (line: string) => printed.push(line), info() {}, warn() {}, error() {}, debug() {} } };
  return { env, printed };
}

const test_ = (errors: unknown[] = []) => ({ name: 'a test', errors });

test('a failing test after skipped ones prints what it held, once, and the console is the real one again', async () => {
  const { env, printed } = environmentWithConsole();
  const realLog = env.global.console.log;
  for (let i = 0; i < 3; i++) {
    await env.handleTestEvent({ name: 'test_start', test: test_() });
    await env.handleTestEvent({ name: 'test_skip', test: test_() });
  }
  await env.handleTestEvent({ name: 'test_start', test: test_() });
  env.global.console.log('held line');
  expect(printed).toEqual([]);
  await env.handleTestEvent({ name: 'test_done', test: test_([new Error('failed')]) });
  expect(printed).toEqual(['held line']);
  expect(env.global.console.log).toBe(realLog);
});

test('a passing test prints nothing it held', async () => {
  const { env, printed } = environmentWithConsole();
  await env.handleTestEvent({ name: 'test_start', test: test_() });
  env.global.console.log('held line');
  await env.handleTestEvent({ name: 'test_done', test: test_() });
  expect(printed).toEqual([]);
  env.global.console.log('after the test');
  expect(printed).toEqual(['after the test']);
});
