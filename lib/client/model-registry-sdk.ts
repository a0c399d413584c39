import type * as SageMaker from '@aws-sdk/client-sagemaker';
import { packageAsset } from '../private/package-assets';
import type { EvaluationRecord } from '../evaluation/registry-record';

/**
 * Attaches an evaluation to a model version (UpdateModelPackage), in the version's own region,
 * with the SageMaker SDK bundled for the CLI's control-plane calls (scripts/bundle-handlers.mjs).
 * The version's metadata is read first and sent back with the scores: whether UpdateModelPackage
 * merges metadata or replaces it is not documented (its separate CustomerMetadataPropertiesToRemove
 * suggests a merge; moto_server replaces), and either way what the stack recorded stays.
 */
export async function attachEvaluation(modelPackageArn: string, record: EvaluationRecord): Promise<void> {
  type Sdk = Pick<typeof SageMaker, 'DescribeModelPackageCommand' | 'SageMakerClient' | 'UpdateModelPackageCommand'>;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the file's path is known only at run time
  const sdk: Sdk = require(packageAsset('vendor', 'preflight.js'));
  const region = modelPackageArn.split(':')[3];
  const client = new sdk.SageMakerClient({ region, maxAttempts: 5 });
  const version = await client.send(new sdk.DescribeModelPackageCommand({ ModelPackageName: modelPackageArn }));
  await client.send(
    new sdk.UpdateModelPackageCommand({
      ModelPackageArn: modelPackageArn,
      ModelCard: record.ModelCard,
      CustomerMetadataProperties: { ...version.CustomerMetadataProperties, ...record.CustomerMetadataProperties },
    }),
  );
}
