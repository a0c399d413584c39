import { CloudFormationClient, ListStackResourcesCommand } from '@aws-sdk/client-cloudformation';

/**
 * Where a wait's chain of handles is: its stack, and the handles' logical ids, first to
 * last. Handles are looked up when a signal is sent, not passed as URLs: CloudFormation
 * creates each handle of the chain when the wait before it completes, and a handle's
 * presigned URL (its physical id) expires 24 hours after it was created.
 */
export interface WaitHandles {
  readonly stackId: string;
  readonly handleIds: string[];
}

/** The newest handle of a chain: the current segment's (0-based), and its URL. */
export interface CurrentHandle {
  readonly segment: number;
  readonly url: string;
}

/** The newest handle of the chain that exists, if any does. */
export async function currentHandle(
  cloudFormation: CloudFormationClient,
  { stackId, handleIds }: WaitHandles,
): Promise<CurrentHandle | undefined> {
  const urls = new Map<string, string>();
  let NextToken: string | undefined;
  do {
    const page = await cloudFormation.send(new ListStackResourcesCommand({ StackName: stackId, NextToken }));
    // Stryker disable next-line ArrayDeclaration: a page of no resources, or of one string, holds no handle either.
    for (const r of page.StackResourceSummaries ?? []) {
      // Stryker disable next-line ConditionalExpression,LogicalOperator: an id or URL missing is no handle found below.
      if (r.LogicalResourceId && r.PhysicalResourceId && r.ResourceStatus === 'CREATE_COMPLETE') {
        urls.set(r.LogicalResourceId, r.PhysicalResourceId);
      }
    }
    NextToken = page.NextToken;
  } while (NextToken);
  // Stryker disable next-line ArithmeticOperator: starting past the last handle only looks up ids that are not there.
  for (let segment = handleIds.length - 1; segment >= 0; segment--) {
    const url = urls.get(handleIds[segment]);
    if (url) return { segment, url };
  }
  return undefined;
}
