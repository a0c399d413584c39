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

/** The failure a line raises: its kind and message. */
function failureOf(decoder: StreamDecoder, text: string): { kind?: string; message?: string } {
  try {
    decoder.push(bytes(text));
  } catch (error) {
    return {
      kind: isStreamedFailure(error) ? error.kind : 'not a streamed failure',
      message: (error as Error).message,
    };
  }
  return {};
}

test("TGI's token stream: special tokens (end of turn) are no text; an empty token is nothing; the final line repeats nothing", () => {
  const decoder = new StreamDecoder();
  expect(
    decoder.push(
      bytes(
        'data: {"token": {"text": "Hi", "special": false}}\n\n' +
          'data:{"token": {"text": "", "special": false}}\n' +
          'data: {"token": {"text": "<|eot_id|>", "special": true}}\n' +
          'data: {"token": {"text": "</s>", "special_token": true}, "generated_text": "Hi"}\n',
      ),
    ),
  ).toEqual(['Hi']);
  // A token whose special flag is not true (a string, say) is text.
  expect(new StreamDecoder().push(bytes('{"token": {"text": "x", "special": "yes"}}\n'))).toEqual(['x']);
  // LMI's outputs: only non-empty strings.
  expect(new StreamDecoder().push(bytes('{"outputs": ["a", "", 3, null, "b"]}\n'))).toEqual(['a', 'b']);
  // An empty whole answer is nothing, not an empty piece.
  expect(new StreamDecoder().push(bytes('{"generated_text": ""}\n'))).toEqual([]);
});

test('a token whose text is not a string is no token; after tokens, a last line of only generated_text repeats nothing', () => {
  expect(failureOf(new StreamDecoder(), '{"token": {"text": null}}\n').message).toBe(
    'streamed "{\\"token\\": {\\"text\\": null}}", which holds no token text',
  );
  expect(new StreamDecoder().push(bytes('{"token": {"text": "A"}}\n{"generated_text": "A"}\n'))).toEqual(['A']);
  // Text that holds an SSE field name ("id:") is text.
  expect(new StreamDecoder().push(bytes('{"token": {"text": "valid: yes"}}\n'))).toEqual(['valid: yes']);
});

test('lines are trimmed before they are read; an SSE field name inside a line is not a field', () => {
  expect(new StreamDecoder().push(bytes('  {"token": {"text": "a"}}  \r\n'))).toEqual(['a']);
  expect(new StreamDecoder().push(bytes('   : comment\n  event: x\n'))).toEqual([]);
  expect(failureOf(new StreamDecoder(), '{"id": 1, "retry": 2}\n').message).toBe(
    'streamed "{\\"id\\": 1, \\"retry\\": 2}", which holds no token text',
  );
});

test("the model's own error line: a message as it is, an object as JSON; a null error is no error", () => {
  expect(failureOf(new StreamDecoder(), '{"error": "CUDA out of memory"}\n')).toEqual({
    kind: 'model',
    message: 'CUDA out of memory',
  });
  expect(failureOf(new StreamDecoder(), 'data: {"error": {"code": 500}}\n')).toEqual({
    kind: 'model',
    message: '{"code":500}',
  });
  expect(new StreamDecoder().push(bytes('{"error": null, "token": {"text": "ok"}}\n'))).toEqual(['ok']);
  expect(failureOf(new StreamDecoder(), '{"details": {"finish_reason": "error"}}\n').kind).toBe('model');
});

test('JSON that is not an object, and long lines, are shown in the message, cut at 200 characters', () => {
  expect(failureOf(new StreamDecoder(), '42\n')).toEqual({
    kind: 'unexpected',
    message: 'streamed "42", not a JSON object',
  });
  expect(failureOf(new StreamDecoder(), '"text"\n').message).toBe('streamed "\\"text\\"", not a JSON object');
  const long = `{"x": "${'y'.repeat(300)}"}`;
  expect(failureOf(new StreamDecoder(), `${long}\n`).message).toBe(
    `streamed ${JSON.stringify(`${long.slice(0, 200)}...`)}, which holds no token text`,
  );
  const exactly = `{"x": "${'y'.repeat(200 - 9)}"}`;
  expect(exactly).toHaveLength(200);
  expect(failureOf(new StreamDecoder(), `${exactly}\n`).message).toBe(
    `streamed ${JSON.stringify(exactly)}, which holds no token text`,
  );
  expect(failureOf(new StreamDecoder(), 'not json\n')).toEqual({
    kind: 'unexpected',
    message: 'streamed a line that is not JSON: "not json"',
  });
});

test('bytes that are not UTF-8 become replacement characters, not an error', () => {
  const line = new Uint8Array([...bytes('{"token": {"text": "a'), 0xff, ...bytes('"}}\n')]);
  expect(new StreamDecoder().push(line)).toEqual(['a\ufffd']);
});
