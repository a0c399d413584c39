import { putJson } from '../../private/put-json';

export { putJson };

/** What CloudFormation sends a custom resource, with the construct's properties typed as `P`. */
export interface CustomResourceEvent<P = Record<string, unknown>> {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  readonly ResponseURL: string;
  readonly StackId: string;
  readonly RequestId: string;
  readonly LogicalResourceId: string;
  readonly ResourceType: string;
  readonly PhysicalResourceId?: string;
  readonly ResourceProperties: P;
  readonly OldResourceProperties?: P;
}

export interface CustomResourceResult<D = Record<string, string>> {
  readonly physicalResourceId: string;
  readonly data?: D;
  /** Shown as the status reason of the resource's CloudFormation event. */
  readonly reason?: string;
}

/** CloudFormation shows at most this much of a reason. */
export function truncateReason(reason: string): string {
  return reason.length > 1000 ? `${reason.slice(0, 997)}...` : reason;
}

/**
 * Runs a custom resource handler and reports its result or its error to
 * CloudFormation, so a failure shows its reason instead of an hour-long timeout.
 */
export async function respond<P, D>(
  event: CustomResourceEvent<P>,
  handle: (event: CustomResourceEvent<P>) => Promise<CustomResourceResult<D>>,
): Promise<void> {
  const base = { StackId: event.StackId, RequestId: event.RequestId, LogicalResourceId: event.LogicalResourceId };
  try {
    const result = await handle(event);
    await putJson(event.ResponseURL, {
      ...base,
      Status: 'SUCCESS',
      PhysicalResourceId: result.physicalResourceId,
      Data: result.data ?? {},
      ...(result.reason ? { Reason: truncateReason(result.reason) } : {}),
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    console.error(JSON.stringify({ requestType: event.RequestType, error: reason }));
    await putJson(event.ResponseURL, {
      ...base,
      Status: 'FAILED',
      Reason: truncateReason(reason),
      // A failed create has no resource; CloudFormation needs an id all the same.
      PhysicalResourceId: event.PhysicalResourceId ?? `failed-${event.RequestId}`,
    });
  }
}
