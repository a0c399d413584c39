/**
 * aws-cdk-lib's own template validation (the CloudFormation schemas and rules it runs at
 * every synth), over the whole test matrix in one app. Every other in-process synth of
 * the test run skips it (CDK_VALIDATION=false in the global setup): it costs seconds a
 * synth, and once per configuration is what it can tell.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Llama3FineTuningStack } from '../../lib';
import { STACK_MATRIX } from '../support/stacks';

test("aws-cdk-lib's built-in CloudFormation validation reports nothing for any template of the matrix", () => {
  const saved = process.env.CDK_VALIDATION;
  delete process.env.CDK_VALIDATION;
  try {
    const outdir = mkdtempSync(join(tmpdir(), 'cfn-validate-'));
    const app = new App({ outdir });
    for (const [name, props] of Object.entries(STACK_MATRIX)) {
      new Llama3FineTuningStack(app, `Matrix-${name}`, { acceptEula: true, ...props });
    }
    app.synth();
    const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8'));
    const violations = report.pluginReports.flatMap((plugin: any) =>
      plugin.violations.map((v: any) => ({
        rule: v.ruleName,
        description: v.description,
        resources: v.violatingConstructs.map((c: any) => c.constructPath),
      })),
    );
    expect(violations).toEqual([]);
  } finally {
    if (saved === undefined) delete process.env.CDK_VALIDATION;
    else process.env.CDK_VALIDATION = saved;
  }
});
