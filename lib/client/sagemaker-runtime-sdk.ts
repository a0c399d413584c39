import type * as SageMakerRuntime from '@aws-sdk/client-sagemaker-runtime';
import { packageAsset } from '../private/package-assets';

type RuntimeSdk = Pick<
  typeof SageMakerRuntime,
  'InvokeEndpointCommand' | 'InvokeEndpointWithResponseStreamCommand' | 'SageMakerRuntimeClient'
>;
export type SageMakerRuntimeClient = SageMakerRuntime.SageMakerRuntimeClient;

let sdk: RuntimeSdk | undefined;

/**
 * The SageMaker runtime SDK, from the single file scripts/bundle-handlers.mjs bundles it
 * into (a jsii library may depend only on jsii modules, so the SDK ships inside the package).
 * Only the types come from the npm package, at compile time. Loaded on first use: it takes
 * about 115 ms, which commands that send nothing (`llama3-ft --help`) should not pay.
 */
export function sageMakerRuntime(): RuntimeSdk {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the file's path is known only at run time
  sdk ??= require(packageAsset('vendor', 'sagemaker-runtime.js')) as RuntimeSdk;
  return sdk;
}
