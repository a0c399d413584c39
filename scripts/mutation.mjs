// `npm run test:mutation [-- --group NAME[,NAME]] [-- --force] [-- --concurrency N]`: runs Stryker over
// each group of scripts/mutation-groups.cjs (all of them when none is named), one after the other, then
// prints each group's score. Each group's run mutates only its own modules, runs only its own tests, and
// keeps its incremental report in test/mutation/<group>.json: a mutant whose code and tests are unchanged
// since that report keeps its result without running (--force runs every mutant again). Other arguments
// go to Stryker as they are.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { GROUPS } = createRequire(import.meta.url)('./mutation-groups.cjs');

const args = process.argv.slice(2);
const at = args.indexOf('--group');
const named = at === -1 ? Object.keys(GROUPS) : (args[at + 1] ?? '').split(',').filter(Boolean);
const passed = at === -1 ? args : [...args.slice(0, at), ...args.slice(at + 2)];
const unknown = named.filter((g) => !GROUPS[g]);
if (named.length === 0 || unknown.length > 0) {
  console.error(`Unknown group ${unknown.join(', ') || '(none)'}; the groups: ${Object.keys(GROUPS).join(', ')}.`);
  process.exit(2);
}

mkdirSync(join(root, 'reports', 'mutation'), { recursive: true });
const timings = [];
for (const group of named) {
  const started = Date.now();
  console.log(`\n== mutation group ${group}: ${GROUPS[group].mutate.length} module(s)`);
  // Where the group's dry run writes down its test files' test names (test/support/mutation-environment.js).
  const testNames = join(root, 'reports', 'mutation', 'test-names', group);
  rmSync(testNames, { recursive: true, force: true });
  const run = spawnSync(
    'npx',
    [
      'stryker',
      'run',
      '--mutate',
      GROUPS[group].mutate.join(','),
      '--incremental',
      '--incrementalFile',
      `test/mutation/${group}.json`,
      ...passed,
    ],
    // jest.mutation.config.js picks the group's tests from MUTATION_GROUP.
    { cwd: root, stdio: 'inherit', env: { ...process.env, MUTATION_GROUP: group, MUTATION_TEST_NAMES: testNames } },
  );
  const seconds = Math.round((Date.now() - started) / 1000);
  timings.push(`${group}: ${Math.floor(seconds / 60)} min ${seconds % 60} s`);
  if (run.status !== 0) {
    console.error(`Stryker failed on group ${group} (exit ${run.status}).`);
    process.exit(run.status ?? 1);
  }
  // The last run's own report (reports/ is not committed), kept per group.
  const report = join(root, 'reports', 'mutation', 'mutation.json');
  if (existsSync(report)) copyFileSync(report, join(root, 'reports', 'mutation', `${group}.json`));
}
console.log(`\nRun times: ${timings.join('; ')}`);
const scores = spawnSync('node', [join(root, 'scripts', 'mutation-scores.mjs'), '--group', named.join(',')], {
  stdio: 'inherit',
});
process.exit(scores.status ?? 1);
