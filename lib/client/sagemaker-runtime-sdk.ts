import type * as SageMakerRuntime from '@aws-sdk/client-sagemaker-runtime';
import { packageAsset } from '../private/package-assets';

/**
 * The SageMaker runtime SDK, from the single file scripts/bundle-handlers.mjs bundles it
 * into (a jsii library may depend only on jsii modules, so the SDK ships inside the package).
 * Only the types come from the npm package, at compile time.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the file's path is known only at run time
const sdk: Pick<typeof SageMakerRuntime, 'InvokeEndpointCommand' | 'SageMakerRuntimeClient'> = require(
  packageAsset('vendor', 'sagemaker-runtime.js'),
);

export const { InvokeEndpointCommand, SageMakerRuntimeClient } = sdk;
export type SageMakerRuntimeClient = SageMakerRuntime.SageMakerRuntimeClient;
