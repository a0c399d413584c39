import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { TrainingDataBuckets } from '../training-data-buckets';

/**
 * Lets other accounts read the fine-tuned models (the model bucket's output prefix, nothing else)
 * and decrypt them as S3 serves them: what an endpoint in a consumer account, running a version
 * of this stack's registry, needs to load the model. Each account still decides which of its
 * roles may use the access (the consumer stack grants its inference role).
 */
export function shareModelsWith(buckets: TrainingDataBuckets, accountIds: readonly string[]): void {
  const principals = accountIds.map((account) => new iam.AccountPrincipal(account));
  const { modelBucket, encryptionKey } = buckets;
  const prefix = TrainingDataBuckets.OUTPUT_PREFIX;
  modelBucket.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'ConsumerAccountsReadModels',
      principals,
      actions: ['s3:GetObject'],
      resources: [modelBucket.arnForObjects(`${prefix}*`)],
    }),
  );
  modelBucket.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'ConsumerAccountsListModels',
      principals,
      actions: ['s3:ListBucket'],
      resources: [modelBucket.bucketArn],
      conditions: { StringLike: { 's3:prefix': [`${prefix}*`] } },
    }),
  );
  encryptionKey.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'ConsumerAccountsDecryptModelsThroughS3',
      principals,
      actions: ['kms:Decrypt'],
      resources: ['*'],
      conditions: { StringEquals: { 'kms:ViaService': `s3.${Aws.REGION}.amazonaws.com` } },
    }),
  );
}
