/**
 * The `application/vnd.amazon.eventstream` framing SageMaker answers
 * InvokeEndpointWithResponseStream in, written here from the format's definition rather than
 * with the SDK's own encoder, so that the SDK's decoder checks an independent writer: a
 * prelude (total length, headers length, the prelude's CRC32), headers (name length, name,
 * type 7 = string, value length, value), the payload, and the CRC32 of all that came before.
 */
import { crc32 } from 'node:zlib';

function header(name: string, value: string): Buffer {
  const n = Buffer.from(name, 'utf8');
  const v = Buffer.from(value, 'utf8');
  const out = Buffer.alloc(1 + n.length + 1 + 2 + v.length);
  out.writeUInt8(n.length, 0);
  n.copy(out, 1);
  out.writeUInt8(7, 1 + n.length);
  out.writeUInt16BE(v.length, 2 + n.length);
  v.copy(out, 4 + n.length);
  return out;
}

/** One message of the stream. */
export function frame(headers: Record<string, string>, payload: Buffer): Buffer {
  const headerBytes = Buffer.concat(Object.entries(headers).map(([name, value]) => header(name, value)));
  const total = 12 + headerBytes.length + payload.length + 4;
  const prelude = Buffer.alloc(12);
  prelude.writeUInt32BE(total, 0);
  prelude.writeUInt32BE(headerBytes.length, 4);
  prelude.writeUInt32BE(crc32(prelude.subarray(0, 8)), 8);
  const body = Buffer.concat([prelude, headerBytes, payload]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body), 0);
  return Buffer.concat([body, crc]);
}

/** A PayloadPart event: some bytes of the container's answer, cut wherever the test likes. */
export function payloadPart(bytes: string | Buffer): Buffer {
  return frame(
    { ':event-type': 'PayloadPart', ':content-type': 'application/octet-stream', ':message-type': 'event' },
    Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes, 'utf8'),
  );
}

/** An exception event, as SageMaker sends ModelStreamError and InternalStreamFailure mid-stream. */
export function streamException(type: 'ModelStreamError' | 'InternalStreamFailure', body: object): Buffer {
  return frame(
    { ':exception-type': type, ':content-type': 'application/json', ':message-type': 'exception' },
    Buffer.from(JSON.stringify(body), 'utf8'),
  );
}

/** The bytes of `text` cut into parts of `size` bytes: lines, and UTF-8 characters, split across frames. */
export function cut(text: string, size: number): Buffer[] {
  const bytes = Buffer.from(text, 'utf8');
  const parts: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) parts.push(bytes.subarray(at, at + size));
  return parts;
}
