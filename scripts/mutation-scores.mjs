// The mutation score of each group of scripts/mutation-groups.cjs (all, or those after --group), read from
// its incremental report test/mutation/<group>.json (the committed result of its last run), as a table;
// exits 1 when a group that was run is under 90 %. A group never run is listed as such. With --survivors,
// also each mutant no test detected: its file and line, status, mutator and replacement, then the source line.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { GROUPS } = createRequire(import.meta.url)('./mutation-groups.cjs');
const GOAL = 90;
const DETECTED = ['Killed', 'Timeout'];
const UNDETECTED = ['Survived', 'NoCoverage'];

const at = process.argv.indexOf('--group');
const named = at === -1 ? Object.keys(GROUPS) : process.argv[at + 1].split(',');
let failed = false;
const survivors = [];
console.log('| group (modules) | mutants | killed | survived | no coverage | score |\n|---|---|---|---|---|---|');
for (const group of named) {
  const modules = GROUPS[group].mutate.map((p) => p.split('/').pop()).join(', ');
  const path = join(root, 'test', 'mutation', `${group}.json`);
  if (!existsSync(path)) {
    console.log(`| ${group} (${modules}) | not run yet | | | | |`);
    continue;
  }
  const report = JSON.parse(readFileSync(path, 'utf8'));
  // Only the group's own modules count: a report may still hold files that have left the group.
  const files = Object.entries(report.files)
    .map(([file, result]) => [file.replace(/^.*?(lib\/)/, '$1'), result])
    .filter(([file]) => GROUPS[group].mutate.includes(file));
  const mutants = files.flatMap(([, file]) => file.mutants);
  const count = (statuses) => mutants.filter((m) => statuses.includes(m.status)).length;
  const detected = count(DETECTED);
  const undetected = count(UNDETECTED);
  const score = (100 * detected) / Math.max(1, detected + undetected);
  if (score < GOAL) failed = true;
  console.log(
    `| ${group} (${modules}) | ${detected + undetected} | ${detected} | ${count(['Survived'])} | ` +
      `${count(['NoCoverage'])} | ${score.toFixed(1)} % |`,
  );
  for (const [file, { source, mutants: found }] of files) {
    const lines = source.split('\n');
    for (const m of found.filter((mutant) => UNDETECTED.includes(mutant.status))) {
      const { line } = m.location.start;
      const replacement = (m.replacement ?? '').replace(/\s+/g, ' ').slice(0, 60);
      survivors.push(`${file}:${line} ${m.status} ${m.mutatorName} -> ${replacement} | ${lines[line - 1].trim()}`);
    }
  }
}
if (process.argv.includes('--survivors')) console.log(survivors.join('\n'));
if (failed) {
  console.error(
    `\nA group is under the ${GOAL} % goal: node scripts/mutation-scores.mjs --survivors lists what lived.`,
  );
  process.exitCode = 1;
}
