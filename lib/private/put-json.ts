import { request } from 'node:https';
import { request as httpRequest } from 'node:http';

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
