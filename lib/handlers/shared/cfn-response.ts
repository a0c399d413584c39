import { request } from 'node:https';
import { request as httpRequest } from 'node:http';

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

/** PUTs a JSON body to a presigned URL (a custom resource response or a wait condition signal). */
export function putJson(url: string, body: unknown): Promise<void> {
  const payload = JSON.stringify(body);
  const send = url.startsWith('http://') ? httpRequest : request; // http only for loopback tests
  return new Promise((resolve, reject) => {
    const req = send(
      url,
      {
        method: 'PUT',
        headers: { 'content-type': '', 'content-length': Buffer.byteLength(payload) },
      },
      (res) => {
        res.resume();
        res.on('end', () =>
          res.statusCode && res.statusCode < 300
            ? resolve()
            : reject(Object.assign(new Error(`PUT ${res.statusCode}`), { statusCode: res.statusCode })),
        );
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
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
