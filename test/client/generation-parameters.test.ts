import { toRequestParameters } from '../../lib/client/generation-parameters';

test("camelCase parameters become the container's snake_case, with 256 new tokens by default", () => {
  expect(toRequestParameters({})).toEqual({ max_new_tokens: 256 });
  expect(
    toRequestParameters({
      maxNewTokens: 64,
      temperature: 0.6,
      topP: 0.9,
      topK: 50,
      repetitionPenalty: 1.1,
      stop: ['<|eot_id|>'],
    }),
  ).toEqual({
    max_new_tokens: 64,
    temperature: 0.6,
    top_p: 0.9,
    top_k: 50,
    repetition_penalty: 1.1,
    stop: ['<|eot_id|>'],
  });
});

test.each([
  [{ maxNewTokens: 0 }, /maxNewTokens is 0; allowed: an integer from 1 to 8192/],
  [{ maxNewTokens: 10000 }, /is 10000; allowed: an integer from 1 to 8192/],
  [{ maxNewTokens: 1.5 }, /is 1.5; allowed: an integer/],
  [{ temperature: 0 }, /temperature is 0; allowed: a number above 0/],
  [{ topP: 1.2 }, /topP is 1.2; allowed: a number above 0 and at most 1/],
  [{ topK: 0 }, /topK is 0; allowed: an integer >= 1/],
  [{ repetitionPenalty: -1 }, /repetitionPenalty is -1/],
  [{ stop: [''] }, /stop is \[""\]; allowed: non-empty strings/],
])('%o is refused', (parameters, message) => {
  expect(() => toRequestParameters(parameters)).toThrow(message);
});

test('the edges of each range: the limits themselves where allowed, the first value past them refused', () => {
  // Accepted: the documented limits.
  expect(toRequestParameters({ maxNewTokens: 1 }).max_new_tokens).toBe(1);
  expect(toRequestParameters({ maxNewTokens: 8192 }).max_new_tokens).toBe(8192);
  expect(toRequestParameters({ topP: 1 }).top_p).toBe(1);
  expect(toRequestParameters({ topK: 1 }).top_k).toBe(1);
  expect(toRequestParameters({ repetitionPenalty: 0.01 }).repetition_penalty).toBe(0.01);
  // Refused: just outside, and what is no number at all (NaN and Infinity shown as themselves, not as JSON's null).
  expect(() => toRequestParameters({ maxNewTokens: 8193 })).toThrow(/maxNewTokens is 8193/);
  expect(() => toRequestParameters({ topP: 0 })).toThrow(/topP is 0; allowed/);
  expect(() => toRequestParameters({ topP: NaN })).toThrow(/topP is NaN; allowed/);
  expect(() => toRequestParameters({ temperature: Infinity })).toThrow(/temperature is Infinity; allowed/);
  expect(() => toRequestParameters({ repetitionPenalty: 0 })).toThrow(/repetitionPenalty is 0; allowed/);
  expect(() => toRequestParameters({ stop: ['</s>', ''] })).toThrow(/stop is \["<\/s>",""\]; allowed/);
  // From JavaScript: a string where a number or a list belongs.
  expect(() => toRequestParameters({ topP: '0.9' as unknown as number })).toThrow(/topP is "0.9"; allowed/);
  expect(() => toRequestParameters({ stop: '</s>' as unknown as string[] })).toThrow(/stop is "<\/s>"; allowed/);
  expect(() => toRequestParameters({ stop: [['</s>']] as unknown as string[] })).toThrow(
    /stop is \[\["<\/s>"\]\]; allowed/,
  );
});

test('every problem is listed at once', () => {
  expect(() => toRequestParameters({ maxNewTokens: 0, temperature: -1, topK: 1.5 })).toThrow(
    /maxNewTokens is 0[\s\S]*temperature is -1[\s\S]*topK is 1.5/,
  );
});

test('only the parameters given are sent', () => {
  expect(toRequestParameters({})).toEqual({ max_new_tokens: 256 });
  expect(toRequestParameters({ temperature: 0.6 })).toEqual({ max_new_tokens: 256, temperature: 0.6 });
  expect(toRequestParameters({ topP: 0.9 })).toEqual({ max_new_tokens: 256, top_p: 0.9 });
  expect(toRequestParameters({ topK: 50 })).toEqual({ max_new_tokens: 256, top_k: 50 });
  expect(toRequestParameters({ repetitionPenalty: 1.1 })).toEqual({ max_new_tokens: 256, repetition_penalty: 1.1 });
  expect(toRequestParameters({ stop: ['x'] })).toEqual({ max_new_tokens: 256, stop: ['x'] });
});
