import { CfnResource, Stack, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Renders a resource ARN the way cdk-nag names it in an AwsSolutions-IAM5
 * finding: `{Fn::GetAtt: [X, Arn]}` as `<X.Arn>`, `{Ref: X}` as `<X>`, joins inline.
 */
function renderForNag(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(renderForNag).join('');
  const node = value as Record<string, unknown>;
  if ('Ref' in node) return `<${node.Ref}>`;
  if ('Fn::GetAtt' in node) return `<${(node['Fn::GetAtt'] as string[]).join('.')}>`;
  if ('Fn::Join' in node) {
    const [separator, parts] = node['Fn::Join'] as [string, unknown[]];
    return parts.map(renderForNag).join(separator);
  }
  if ('Fn::FindInMap' in node) return `<${(node['Fn::FindInMap'] as unknown[]).map(renderForNag).join('.')}>`;
  return JSON.stringify(value);
}

/**
 * Acknowledges AwsSolutions-IAM5 for specific wildcard resources on `scope`,
 * one finding each, so a new wildcard elsewhere is still reported.
 */
export function acknowledgeWildcardResources(scope: IConstruct, resources: string[], reason: string): void {
  const stack = Stack.of(scope);
  for (const resource of resources) {
    Validations.of(scope).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${renderForNag(stack.resolve(resource))}]`,
      reason,
    });
  }
}

/** Acknowledges AwsSolutions-IAM5 for wildcard actions on `scope`, each with its reason. */
export function acknowledgeWildcardActions(scope: IConstruct, reasons: Record<string, string>): void {
  for (const [action, reason] of Object.entries(reasons)) {
    Validations.of(scope).acknowledge({ id: `AwsSolutions-IAM5[Action::${action}]`, reason });
  }
}

/**
 * Why the library's handler functions (custom resources and the wait signaller) keep
 * NIST 800-53 R5 findings that would cost more than they protect.
 */
export const HANDLER_FUNCTION_REASONS: Readonly<Record<string, string>> = {
  'NIST.800.53.R5-LambdaInsideVPC':
    "It calls only AWS APIs (SageMaker) and CloudFormation's presigned URLs and holds no data; " +
    'the stack places it in a VPC, with the endpoints it needs, under compliance CONTROL_TOWER or with handlerVpc.',
  'NIST.800.53.R5-LambdaConcurrency':
    'Reserved concurrency fails the deploy in accounts whose concurrency limit is at its minimum ' +
    '(new accounts); it runs a few times per deploy.',
  'NIST.800.53.R5-IAMNoInlinePolicy':
    "Its policy is attached to its own role only, each statement scoped to this stack's resources.",
  'NIST.800.53.R5-CloudWatchLogGroupEncrypted':
    'Its log holds job names and statuses, no data; the fine-tuning stack encrypts it with its key (encryptLogs).',
};

/** Acknowledges rules on `scope`, each with its reason. */
export function acknowledgeRules(scope: IConstruct, reasons: Readonly<Record<string, string>>): void {
  for (const [id, reason] of Object.entries(reasons)) Validations.of(scope).acknowledge({ id, reason });
}

/**
 * Suppresses AWS Control Tower proactive controls (cfn-guard rules) that cannot apply to a
 * resource, in the template's guard metadata (`Metadata.guard.SuppressedRules`, cfn-guard's
 * convention), each with its reason beside it (`Metadata.guard.Reasons`).
 */
export function suppressGuardRules(resource: CfnResource, reasons: Readonly<Record<string, string>>): void {
  const existing = (resource.getMetadata('guard') ?? {}) as {
    SuppressedRules?: string[];
    Reasons?: Record<string, string>;
  };
  resource.addMetadata('guard', {
    SuppressedRules: [...new Set([...(existing.SuppressedRules ?? []), ...Object.keys(reasons)])],
    Reasons: { ...existing.Reasons, ...reasons },
  });
}
