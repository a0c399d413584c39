import { StreamDecoder, isStreamedFailure } from '../../lib/client/stream-decoder';

const bytes = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));

test('a character split between two parts comes out whole, once its line ends', () => {
  const line = bytes('{"token": {"text": "🦙"}}\n');
  const at = line.indexOf(0xf0) + 2; // inside the llama's four bytes
  const decoder = new StreamDecoder();
  expect(decoder.push(line.subarray(0, at))).toEqual([]);
  expect(decoder.push(line.subarray(at))).toEqual(['🦙']);
});

test('LMI\'s static-batch lines ({"outputs": [...]}) and a last line without its newline', () => {
  const decoder = new StreamDecoder();
  expect(decoder.push(bytes('{"outputs": [" a"]}\n{"outputs": [" problem"]}'))).toEqual([' a']);
  expect(decoder.end()).toEqual([' problem']);
});

test('a container that does not stream: its whole answer, once; after tokens, generated_text repeats nothing', () => {
  expect(new StreamDecoder().push(bytes('{"generated_text": "All at once."}\n'))).toEqual(['All at once.']);
  expect(new StreamDecoder().push(bytes('[{"generated_text": "TGI-compatible list"}]\n'))).toEqual([
    'TGI-compatible list',
  ]);
  const decoder = new StreamDecoder();
  expect(decoder.push(bytes('{"token": {"text": "A"}}\n{"token": {"text": "B"}, "generated_text": "AB"}\n'))).toEqual([
    'A',
    'B',
  ]);
});

test('server-sent event comments, event names and [DONE] are not text; JSON without token text is refused', () => {
  const decoder = new StreamDecoder();
  expect(decoder.push(bytes(': keep-alive\n\nevent: message\nid: 1\ndata: [DONE]\n\n'))).toEqual([]);
  let error: unknown;
  try {
    decoder.push(bytes('{"unexpected": true}\n'));
  } catch (e) {
    error = e;
  }
  expect(isStreamedFailure(error) && error.kind).toBe('unexpected');
  expect((error as Error).message).toBe('streamed "{\\"unexpected\\": true}", which holds no token text');
});
