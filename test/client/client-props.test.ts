/**
 * Llama3EndpointClient's props as a caller passes them, from TypeScript or plain JavaScript:
 * what InvokeEndpoint would refuse is refused when the client is made, naming the prop, the value
 * and what is allowed; every problem at once; the limits themselves are accepted.
 */
import { Llama3EndpointClient, Llama3EndpointClientProps } from '../../lib/client/llama3-endpoint-client';

const make = (props: Partial<Record<keyof Llama3EndpointClientProps, unknown>>) => () =>
  new Llama3EndpointClient({ endpointName: 'e', ...props } as Llama3EndpointClientProps);

test.each([
  ['endpointName', { endpointName: 'my_endpoint' }, /endpointName is "my_endpoint"; allowed: 1 to 63/],
  ['endpointName', { endpointName: 'a'.repeat(64) }, /endpointName is "a{64}"; allowed/],
  ['endpointName', { endpointName: 42 }, /endpointName is 42; allowed/],
  ['endpointName', { endpointName: undefined }, /endpointName is undefined; allowed/],
  ['region', { region: 'US-EAST-1' }, /region is "US-EAST-1"; allowed: an AWS Region name/],
  ['timeoutMillis', { timeoutMillis: 0 }, /timeoutMillis is 0; allowed: milliseconds above 0 and at most 4294967295/],
  ['timeoutMillis', { timeoutMillis: 2 ** 32 }, /timeoutMillis is 4294967296; allowed/],
  ['timeoutMillis', { timeoutMillis: NaN }, /timeoutMillis is NaN; allowed/],
  ['timeoutMillis', { timeoutMillis: Infinity }, /timeoutMillis is Infinity; allowed/],
  ['timeoutMillis', { timeoutMillis: '1000' }, /timeoutMillis is 1000; allowed/],
  ['coldStartWaitMillis', { coldStartWaitMillis: -1 }, /coldStartWaitMillis is -1; allowed: milliseconds, 0 or more/],
  ['coldStartWaitMillis', { coldStartWaitMillis: NaN }, /coldStartWaitMillis is NaN; allowed/],
  [
    'coldStartRetryMillis',
    { coldStartRetryMillis: -5 },
    /coldStartRetryMillis is -5; allowed: milliseconds, 0 or more/,
  ],
  ['coldStartRetryMillis', { coldStartRetryMillis: '30' }, /coldStartRetryMillis is 30; allowed/],
  ['inferenceComponentName', { inferenceComponentName: 'my model' }, /inferenceComponentName is "my model"; allowed/],
  ['inferenceComponentName', { inferenceComponentName: 7 }, /inferenceComponentName is 7; allowed/],
  ['modelId', { modelId: 'meta-textgeneration-llama-9' }, /meta-textgeneration-llama-9/],
])('%s: %o is refused', (_prop, props, message) => {
  expect(make(props)).toThrow(message);
});

test('every problem is listed at once', () => {
  const all = make({
    endpointName: 'bad name',
    region: 'mars',
    timeoutMillis: -1,
    inferenceComponentName: '_',
    modelId: 'meta-textgeneration-llama-9',
  });
  expect(all).toThrow(
    /endpointName is "bad name"[\s\S]*region is "mars"[\s\S]*timeoutMillis is -1[\s\S]*inferenceComponentName is "_"[\s\S]*llama-9/,
  );
});

test('the limits themselves, and props left out, are accepted', () => {
  expect(make({ endpointName: 'a'.repeat(63) })).not.toThrow();
  expect(make({ endpointName: 'a-b--c9', region: 'us-gov-west-1' })).not.toThrow();
  expect(make({ timeoutMillis: 2 ** 32 - 1 })).not.toThrow();
  expect(make({ timeoutMillis: 1 })).not.toThrow();
  expect(make({ coldStartWaitMillis: 0, coldStartRetryMillis: 0 })).not.toThrow();
  expect(make({ inferenceComponentName: 'e-model' })).not.toThrow();
  expect(make({})).not.toThrow();
});
