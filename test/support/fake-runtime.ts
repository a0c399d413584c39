import { AddressInfo } from 'node:net';
import { Server, ServerResponse, createServer } from 'node:http';
import { payloadPart } from './event-stream';

// The timers as this module loads: a test that fakes timers for the code it runs still gets its answers on time.
const { setTimeout, clearTimeout } = globalThis;

export interface FakeAnswer {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body: string;
  /** Wait this long before answering. */
  readonly delayMillis?: number;
  /** Event-stream frames to send instead of `body`, one write each (InvokeEndpointWithResponseStream). */
  readonly frames?: Buffer[];
  /** Wait this long between frames. */
  readonly frameDelayMillis?: number;
}

/** A streamed answer in the LMI container's JSON Lines, one token a frame. */
export function lmiStream(tokens: string[], frameDelayMillis = 0): FakeAnswer {
  const lines = tokens.map((text, i) =>
    JSON.stringify({
      token: { id: i, text, log_prob: -0.1 },
      ...(i === tokens.length - 1 ? { generated_text: tokens.join('') } : {}),
    }),
  );
  return { status: 200, body: '', frames: lines.map((l) => payloadPart(`${l}\n`)), frameDelayMillis };
}

/** Credentials and a region for an SDK that talks to the loopback runtime. */
export const RUNTIME_TEST_ENV = {
  AWS_ACCESS_KEY_ID: 'testing',
  AWS_SECRET_ACCESS_KEY: 'testing',
  AWS_REGION: 'us-east-1',
} as const;

/**
 * A loopback stand-in for the SageMaker runtime that answers what a test tells it to, and
 * records requests. InvokeEndpointWithResponseStream (`/invocations-response-stream`) gets
 * `streamAnswer` unless `respond` or the queue answers first.
 */
export class FakeRuntime {
  public readonly requests: { path: string; body: string; headers: Record<string, unknown> }[] = [];
  public answer: FakeAnswer = { status: 200, body: '{"generated_text":"ok"}' };
  public streamAnswer: FakeAnswer = lmiStream(['o', 'k']);
  /** Answers given first, one per request, before `answer`. */
  public readonly queue: FakeAnswer[] = [];
  /** When set, answers each request from its path and body (before the queue and `answer`). */
  public respond?: (path: string, body: string) => FakeAnswer | undefined;
  /** Requests whose answer the client stopped reading before its end. */
  public abandoned = 0;
  private server?: Server;

  /**
   * Starts the runtime and points this process's SDK at it (endpoint URL, test credentials, a
   * region); returns its URL. Import what calls the SDK after this.
   */
  async startForSdk(): Promise<string> {
    const url = await this.start();
    Object.assign(process.env, RUNTIME_TEST_ENV, { AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME: url });
    return url;
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const path = req.url ?? '';
        this.requests.push({ path, body, headers: req.headers });
        const streamed = path.endsWith('/invocations-response-stream');
        const answer = this.respond?.(path, body) ?? this.queue.shift() ?? (streamed ? this.streamAnswer : this.answer);
        const timer = setTimeout(() => this.send(res, answer), answer.delayMillis ?? 0);
        res.on('close', () => clearTimeout(timer));
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  private send(res: ServerResponse, answer: FakeAnswer): void {
    const { status, headers, body, frames, frameDelayMillis } = answer;
    if (!frames) {
      res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(body);
      return;
    }
    res.writeHead(status, {
      'content-type': 'application/vnd.amazon.eventstream',
      'x-amzn-sagemaker-content-type': 'application/jsonlines',
      ...headers,
    });
    let next = 0;
    let timer: NodeJS.Timeout | undefined;
    res.on('close', () => {
      clearTimeout(timer);
      if (next < frames.length) this.abandoned++;
    });
    const write = () => {
      if (next >= frames.length) return void res.end();
      res.write(frames[next++]);
      timer = setTimeout(write, frameDelayMillis ?? 0);
    };
    write();
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((r) => this.server?.close(r));
  }
}
