import { AddressInfo } from 'node:net';
import { Server, createServer } from 'node:http';

export interface FakeAnswer {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body: string;
  /** Wait this long before answering. */
  readonly delayMillis?: number;
}

/** A loopback stand-in for the SageMaker runtime that answers what a test tells it to, and records requests. */
export class FakeRuntime {
  public readonly requests: { path: string; body: string; headers: Record<string, unknown> }[] = [];
  public answer: FakeAnswer = { status: 200, body: '{"generated_text":"ok"}' };
  /** Answers given first, one per request, before `answer`. */
  public readonly queue: FakeAnswer[] = [];
  /** When set, answers each request from its path and body (before the queue and `answer`). */
  public respond?: (path: string, body: string) => FakeAnswer | undefined;
  private server?: Server;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        this.requests.push({ path: req.url ?? '', body, headers: req.headers });
        const {
          status,
          headers,
          body: answer,
          delayMillis,
        } = this.respond?.(req.url ?? '', body) ?? this.queue.shift() ?? this.answer;
        const timer = setTimeout(
          () => res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(answer),
          delayMillis ?? 0,
        );
        res.on('close', () => clearTimeout(timer));
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((r) => this.server?.close(r));
  }
}
