import { AddressInfo } from 'node:net';
import { Server, createServer } from 'node:http';

/**
 * A loopback HTTP server standing in for CloudFormation's presigned response
 * and wait-condition URLs: records every PUT body. A URL that carries a presigned
 * lifetime (`X-Amz-Date`, `X-Amz-Expires`) is refused past it, as S3 refuses it:
 * 403 `Request has expired`, nothing recorded.
 */
export class ResponseRecorder {
  public readonly bodies: any[] = [];
  /** Every PUT body by the path it was sent to (one server can stand in for many URLs). */
  public readonly byPath = new Map<string, any[]>();
  private server?: Server;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        if (expired(req.url!)) {
          res.writeHead(403).end('<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>');
          return;
        }
        const parsed = JSON.parse(body);
        this.bodies.push(parsed);
        this.byPath.set(req.url!, [...(this.byPath.get(req.url!) ?? []), parsed]);
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/response`;
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.server?.close(resolve));
  }
}

/** Whether a presigned URL's `X-Amz-Date` plus `X-Amz-Expires` seconds has passed. */
function expired(url: string): boolean {
  const query = new URL(url, 'http://loopback').searchParams;
  const date = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(query.get('X-Amz-Date') ?? '');
  if (!date) return false;
  const [, y, mo, d, h, mi, s] = date.map(Number);
  return Date.now() > Date.UTC(y, mo - 1, d, h, mi, s) + Number(query.get('X-Amz-Expires')) * 1000;
}

/** A presigned-looking URL under `base` created at `createdAt`, valid 86399 seconds as CloudFormation's handles are. */
export function presignedUrl(base: string, path: string, createdAt: Date): string {
  const stamp = createdAt
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  return `${base}${path}?X-Amz-Date=${stamp}&X-Amz-Expires=86399&X-Amz-Signature=0`;
}
