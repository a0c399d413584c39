import { Stack } from 'aws-cdk-lib';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';

/** Unacknowledged AwsSolutions and NIST 800-53 R5 findings of a stack, as `rule at path` lines. */
export function nagFindings(stack: Stack): string[] {
  return [new AwsSolutionsChecks(), new NIST80053R5Checks()].flatMap((pack) =>
    pack
      .validateScope(stack)
      .violations.flatMap((v) =>
        v.violatingResources.map(
          (r) =>
            `${v.ruleName} at ${r.resourceLogicalId ?? ''} (${JSON.stringify(r.templatePath ?? '')}): ${v.description.slice(0, 80)}`,
        ),
      ),
  );
}
