import { Stack } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';

/** Unacknowledged AwsSolutions findings of a stack, as `rule at path` lines. */
export function nagFindings(stack: Stack): string[] {
  const report = new AwsSolutionsChecks().validateScope(stack);
  return report.violations.flatMap((v) =>
    v.violatingResources.map((r) => `${v.ruleName} at ${r.resourceLogicalId ?? ''} (${r.templatePath ?? ''}): ${v.description.slice(0, 80)}`));
}
