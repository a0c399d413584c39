/** An invocation that failed, with a message a person can act on (a named Error: jsii can't model Error subclasses). */
export type EndpointInvocationError = Error & { readonly errorName: string };

export function invocationError(message: string, errorName: string): EndpointInvocationError {
  const error = new Error(message);
  error.name = 'EndpointInvocationError';
  return Object.assign(error, { errorName });
}

export function isEndpointInvocationError(error: unknown): error is EndpointInvocationError {
  return error instanceof Error && error.name === 'EndpointInvocationError';
}
