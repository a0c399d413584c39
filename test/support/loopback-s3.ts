import { Server, createServer } from 'node:http';
import { AddressInfo } from 'node:net';

/**
 * A loopback S3 for the CLI's own SDK (AWS_ENDPOINT_URL_S3), path-style as the SDK addresses an IP: a
 * bucket in one region, whose objects are listed (ListObjectsV2, one page) and read whole or by a
 * `bytes=0-N` range (GetObject). A request signed for another region gets S3's answer to it, 301
 * PermanentRedirect with the bucket's region. Every request is recorded with the region it was signed for.
 */
export class LoopbackS3 {
  public readonly requests: { path: string; region?: string; range?: string }[] = [];
  private readonly objects = new Map<string, { body: Buffer; listedSize: number }>();
  private server?: Server;

  constructor(
    private readonly bucket: string,
    private readonly region: string,
  ) {}

  /** Stores an object; the listing gives `listedSize` (the object's size in S3, when only its start is here). */
  put(key: string, body: string, listedSize = Buffer.byteLength(body)): this {
    this.objects.set(key, { body: Buffer.from(body), listedSize });
    return this;
  }

  /** Starts it and returns its URL. */
  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const region = /Credential=[^/]+\/\d+\/([^/]+)\/s3\//.exec(req.headers.authorization ?? '')?.[1];
      const range = req.headers.range;
      this.requests.push({ path: url.pathname, region, range });
      const [, bucket, ...key] = url.pathname.split('/');
      const xml = (status: number, body: string, headers: Record<string, string> = {}) =>
        res
          .writeHead(status, { 'content-type': 'application/xml', ...headers })
          .end(`<?xml version="1.0" encoding="UTF-8"?>\n${body}`);
      if (bucket !== this.bucket) {
        return xml(
          404,
          '<Error><Code>NoSuchBucket</Code><Message>The specified bucket does not exist</Message></Error>',
        );
      }
      if (region !== this.region) {
        return xml(
          301,
          '<Error><Code>PermanentRedirect</Code><Message>The bucket you are attempting to access must be addressed ' +
            'using the specified endpoint.</Message></Error>',
          { 'x-amz-bucket-region': this.region },
        );
      }
      if (url.searchParams.get('list-type') === '2') {
        const prefix = url.searchParams.get('prefix') ?? '';
        const listed = [...this.objects].filter(([k]) => k.startsWith(prefix));
        const contents = listed.map(([k, o]) => `<Contents><Key>${k}</Key><Size>${o.listedSize}</Size></Contents>`);
        return xml(
          200,
          `<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${bucket}</Name>` +
            `<Prefix>${prefix}</Prefix><KeyCount>${listed.length}</KeyCount><IsTruncated>false</IsTruncated>` +
            `${contents.join('')}</ListBucketResult>`,
        );
      }
      const object = this.objects.get(key.join('/'));
      if (!object) return xml(404, '<Error><Code>NoSuchKey</Code><Message>The key does not exist.</Message></Error>');
      const last = /^bytes=0-(\d+)$/.exec(range ?? '')?.[1];
      const body = last === undefined ? object.body : object.body.subarray(0, Number(last) + 1);
      return void res
        .writeHead(last === undefined ? 200 : 206, { 'content-type': 'application/octet-stream' })
        .end(body);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}
