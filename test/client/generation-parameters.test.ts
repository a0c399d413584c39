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
