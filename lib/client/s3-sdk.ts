import type * as S3 from '@aws-sdk/client-s3';
import { packageAsset } from '../private/package-assets';

/**
 * The S3 SDK `llama3-ft validate-data` reads dataset prefixes with, from the single file
 * scripts/bundle-handlers.mjs bundles it into (as the SageMaker runtime SDK: a jsii library
 * may depend only on jsii modules). Only the types come from the npm package.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the file's path is known only at run time
const sdk: Pick<typeof S3, 'GetObjectCommand' | 'ListObjectsV2Command' | 'S3Client'> = require(
  packageAsset('vendor', 's3.js'),
);

export const { GetObjectCommand, ListObjectsV2Command, S3Client } = sdk;
