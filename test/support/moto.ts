import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';

/** A moto_server on loopback, emulating SageMaker for the real handlers. */
export class MotoServer {
  public url = '';
  private process?: ChildProcess;

  async start(): Promise<string> {
    const port = await freePort();
    this.url = `http://127.0.0.1:${port}`;
    this.process = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      try {
        if ((await fetch(`${this.url}/moto-api/`)).ok) return this.url;
      } catch {
        /* not listening yet */
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error('moto_server did not start within 30 s (is moto[server] installed? `npm test` installs it)');
  }

  /** Points the AWS SDK of this process at the emulator; handlers must be imported after this. */
  useForSdk(): void {
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_SAGEMAKER: this.url,
      AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME: this.url,
      AWS_ENDPOINT_URL_EVENTBRIDGE: this.url,
      AWS_ENDPOINT_URL_S3: this.url,
      AWS_ENDPOINT_URL_KMS: this.url,
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_REGION: 'us-east-1',
    });
  }

  async stop(): Promise<void> {
    if (!this.process) return;
    const exited = new Promise((r) => this.process!.once('exit', r));
    this.process.kill();
    await exited;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}
