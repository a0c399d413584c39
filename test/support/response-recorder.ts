import { AddressInfo } from 'node:net';
import { Server, createServer } from 'node:http';

/**
 * A loopback HTTP server standing in for CloudFormation's presigned response
 * and wait-condition URLs: records every PUT body.
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
