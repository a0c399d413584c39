/**
 * AWS Control Tower's proactive controls, as the cfn-guard rules and binary that
 * @cdklabs/cdk-validator-cfnguard ships, over the templates of the test matrix: what fails,
 * by rule and resource. A resource may suppress a rule that cannot apply to it in its
 * `Metadata.guard` (cfn-guard's convention), never without a reason.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { arch, platform, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { STACK_MATRIX, fineTuningStack } from '../support/stacks';

const PACKAGE = dirname(require.resolve('@cdklabs/cdk-validator-cfnguard/package.json'));
const GUARD = join(
  PACKAGE,
  'bin',
  platform() === 'darwin' ? 'macos' : 'ubuntu',
  arch() === 'arm64' ? 'aarch64' : 'x86_64',
  'cfn-guard',
);
const RULES = join(PACKAGE, 'rules', 'control-tower', 'cfn-guard');

/** Controls the default profile leaves to `compliance: control-tower`, as the README lists them. */
const NEED_THE_PROFILE = ['lambda_inside_vpc_check', 's3_bucket_object_lock_enabled_check'];

interface GuardTemplate {
  Resources: Record<
    string,
    { Metadata?: { guard?: { SuppressedRules?: string[]; Reasons?: Record<string, string> } } }
  >;
}

const templates: Record<string, GuardTemplate> = Object.fromEntries(
  Object.entries(STACK_MATRIX).map(([name, props]) => [
    name,
    Template.fromStack(fineTuningStack(props)).toJSON() as GuardTemplate,
  ]),
);

/** Each template's failing rules, each with the resources that fail it, suppressions applied. */
function failures(): Record<string, Record<string, string[]>> {
  const dir = mkdtempSync(join(tmpdir(), 'control-tower-'));
  for (const [name, template] of Object.entries(templates)) {
    writeFileSync(join(dir, `${name}.json`), JSON.stringify(template));
  }
  const run = spawnSync(
    GUARD,
    ['validate', '-r', RULES, '-d', dir, '-o', 'json', '--show-summary', 'none', '--structured'],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 30,
    },
  );
  expect(run.error).toBeUndefined();
  const reports = JSON.parse(run.stdout) as { name: string; not_compliant: { Rule: { name: string } }[] }[];
  const result: Record<string, Record<string, string[]>> = Object.fromEntries(
    Object.keys(templates).map((n) => [n, {}]),
  );
  for (const report of reports) {
    const name = report.name
      .split('/')
      .pop()!
      .replace(/\.json$/, '');
    for (const failure of report.not_compliant) {
      const rule = failure.Rule.name;
      const resources = [
        ...new Set([...JSON.stringify(failure).matchAll(/\/Resources\/([A-Za-z0-9]+)/g)].map((m) => m[1])),
      ];
      const unsuppressed = resources.filter(
        (id) => !templates[name].Resources[id]?.Metadata?.guard?.SuppressedRules?.includes(rule),
      );
      if (unsuppressed.length > 0) result[name][rule] = [...(result[name][rule] ?? []), ...unsuppressed].sort();
    }
  }
  return result;
}

const found = failures();

test('the shipped cfn-guard and its Control Tower rules run', () => {
  expect(spawnSync(GUARD, ['--version'], { encoding: 'utf8' }).stdout).toMatch(/^cfn-guard 3\./);
});

test.each(Object.keys(STACK_MATRIX).filter((n) => !n.startsWith('control-tower')))(
  '%s fails only the controls that need the control-tower profile',
  (name) => {
    // Every alarm acts (cloudwatch_alarm_action_check) with or without an alarm address.
    const rules = Object.keys(found[name]);
    expect(rules.filter((r) => !NEED_THE_PROFILE.includes(r))).toEqual([]);
    for (const rule of NEED_THE_PROFILE) expect(rules).toContain(rule);
  },
);

test.each(Object.keys(STACK_MATRIX).filter((n) => n.startsWith('control-tower')))(
  '%s passes every applicable control',
  (name) => {
    expect(found[name]).toEqual({});
  },
);

test('every suppression carries its reason', () => {
  let suppressions = 0;
  for (const template of Object.values(templates)) {
    for (const resource of Object.values(template.Resources)) {
      const guard = resource.Metadata?.guard;
      for (const rule of guard?.SuppressedRules ?? []) {
        suppressions++;
        expect(guard?.Reasons?.[rule]).toMatch(/\w{3,}.*\w{3,}/);
      }
    }
  }
  expect(suppressions).toBeGreaterThan(0);
});
