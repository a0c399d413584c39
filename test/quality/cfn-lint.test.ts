import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { STACK_MATRIX, fineTuningStack } from '../support/stacks';

// W3005 (redundant DependsOn) is how CDK writes explicit dependencies.
const IGNORED = ['W3005'];

test('cfn-lint finds no error and no warning in the templates of the test matrix', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cfn-lint-'));
  const files = Object.entries(STACK_MATRIX).map(([name, props]) => {
    const file = join(dir, `${name}.template.json`);
    writeFileSync(file, JSON.stringify(Template.fromStack(fineTuningStack(props)).toJSON(), null, 1));
    return file;
  });
  const lint = spawnSync('cfn-lint', ['--format', 'parseable', '-i', ...IGNORED, '--', ...files], { encoding: 'utf8' });
  expect(lint.error).toBeUndefined();
  expect(lint.stdout + lint.stderr).toBe('');
  expect(lint.status).toBe(0);
});
