/** The canary's two templates through cfn-lint, as CloudFormation's own schema and rules read them. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canaryHandleTemplate, canaryWaitTemplate } from '../../lib/app/preflight-canary';

test('both templates pass cfn-lint', () => {
  const dir = mkdtempSync(join(tmpdir(), 'canary-'));
  const files = [canaryHandleTemplate(), canaryWaitTemplate('canary-1')].map((template, i) => {
    const file = join(dir, `canary-${i}.json`);
    writeFileSync(file, JSON.stringify(template));
    return file;
  });
  const lint = spawnSync('cfn-lint', ['--format', 'parseable', '--', ...files], { encoding: 'utf8' });
  expect(lint.stdout + lint.stderr).toBe('');
  expect(lint.status).toBe(0);
});
