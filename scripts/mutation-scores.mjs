// After `stryker run`: the mutation score of each core module (as the issue that set the goal
// grouped them), from reports/mutation/mutation.json, as a table; exits 1 when one is under 90 %.
// A report elsewhere may be named first. With --survivors, also each mutant no test detected:
// its line, status, mutator and replacement, then the source line.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const GOAL = 90;
const MODULES = {
  'training request and handler': ['lib/handlers/shared/training-request.ts', 'lib/handlers/training-job.ts'],
  'wait signal handler': ['lib/handlers/signal-wait-condition.ts'],
  'training configuration': ['lib/config/training-configuration.ts', 'lib/config/hyperparameter-specs.ts'],
  'dataset validator': ['lib/datasets/dataset-validator.ts'],
  'training estimate': ['lib/estimates/training-estimate.ts', 'lib/estimates/runtime-model.ts'],
  'command-line arguments': ['lib/cli/io.ts'],
};

const reportPath = process.argv.slice(2).find((arg) => !arg.startsWith('--'));
const report = JSON.parse(readFileSync(reportPath ?? join(root, 'reports', 'mutation', 'mutation.json'), 'utf8'));
const files = Object.fromEntries(
  Object.entries(report.files).map(([path, file]) => [path.replace(/^.*?(lib\/)/, '$1'), file]),
);
const DETECTED = ['Killed', 'Timeout'];
const UNDETECTED = ['Survived', 'NoCoverage'];
let failed = false;
console.log('| module | killed | survived | no coverage | score |\n|---|---|---|---|---|');
for (const [name, paths] of Object.entries(MODULES)) {
  const mutants = paths.flatMap((p) => files[p]?.mutants ?? []);
  const count = (statuses) => mutants.filter((m) => statuses.includes(m.status)).length;
  const detected = count(DETECTED);
  const undetected = count(UNDETECTED);
  const score = (100 * detected) / Math.max(1, detected + undetected);
  if (score < GOAL) failed = true;
  console.log(
    `| ${name} (${paths.map((p) => p.split('/').pop()).join(', ')}) | ${detected} | ${count(['Survived'])} | ` +
      `${count(['NoCoverage'])} | ${score.toFixed(1)} % |`,
  );
}
if (process.argv.includes('--survivors')) {
  for (const [path, file] of Object.entries(files)) {
    const lines = file.source.split('\n');
    for (const m of file.mutants.filter((mutant) => UNDETECTED.includes(mutant.status))) {
      const { line } = m.location.start;
      const replacement = (m.replacement ?? '').replace(/\s+/g, ' ').slice(0, 60);
      console.log(`${path}:${line} ${m.status} ${m.mutatorName} -> ${replacement} | ${lines[line - 1].trim()}`);
    }
  }
}
if (failed) {
  console.error(`\nA module is under the ${GOAL} % goal: its survivors are in reports/mutation/mutation.json.`);
  process.exitCode = 1;
}
