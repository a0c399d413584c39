import type * as CloudFormation from '@aws-sdk/client-cloudformation';
import type * as Kms from '@aws-sdk/client-kms';
import type * as S3 from '@aws-sdk/client-s3';
import type * as SageMaker from '@aws-sdk/client-sagemaker';
import type * as ServiceQuotas from '@aws-sdk/client-service-quotas';
import type { PreflightAws } from './preflight-checks';
import { packageAsset } from '../private/package-assets';

/** The SDK classes preflight calls, from the one file scripts/bundle-handlers.mjs bundles them into. */
type PreflightSdk = Pick<typeof ServiceQuotas, 'ServiceQuotasClient' | 'ListServiceQuotasCommand'> &
  Pick<typeof CloudFormation, 'CloudFormationClient' | 'DescribeStacksCommand' | 'DescribeStackResourceCommand'> &
  Pick<typeof SageMaker, 'SageMakerClient' | 'DescribeHubContentCommand'> &
  Pick<typeof S3, 'S3Client' | 'ListObjectsV2Command' | 'HeadObjectCommand'> &
  Pick<typeof Kms, 'KMSClient' | 'DescribeKeyCommand'>;

const missing = (error: unknown, ...names: string[]) =>
  names.includes((error as Error).name) || /does not exist/.test((error as Error).message);

/** The account as the user's credentials in `region` see it. */
export function preflightAws(region: string): PreflightAws {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the file's path is known only at run time
  const sdk = require(packageAsset('vendor', 'preflight.js')) as PreflightSdk;
  const config = { region, maxAttempts: 5 };
  const quotas = new sdk.ServiceQuotasClient(config);
  const cloudFormation = new sdk.CloudFormationClient(config);
  const sagemaker = new sdk.SageMakerClient(config);
  const s3 = new sdk.S3Client(config);
  const kms = new sdk.KMSClient(config);
  return {
    region,
    async sageMakerQuotas() {
      const found: { name: string; code: string; value: number }[] = [];
      let NextToken: string | undefined;
      do {
        const page = await quotas.send(
          new sdk.ListServiceQuotasCommand({ ServiceCode: 'sagemaker', NextToken, MaxResults: 100 }),
        );
        for (const q of page.Quotas ?? []) {
          if (q.QuotaName && q.QuotaCode && q.Value !== undefined)
            found.push({ name: q.QuotaName, code: q.QuotaCode, value: q.Value });
        }
        NextToken = page.NextToken;
      } while (NextToken);
      return found;
    },
    async stackOutputs(StackName) {
      try {
        const { Stacks } = await cloudFormation.send(new sdk.DescribeStacksCommand({ StackName }));
        return Object.fromEntries((Stacks?.[0]?.Outputs ?? []).map((o) => [o.OutputKey ?? '', o.OutputValue ?? '']));
      } catch (error) {
        if (missing(error, 'ValidationError')) return undefined;
        throw error;
      }
    },
    async stackResource(StackName, LogicalResourceId) {
      try {
        const { StackResourceDetail } = await cloudFormation.send(
          new sdk.DescribeStackResourceCommand({ StackName, LogicalResourceId }),
        );
        return StackResourceDetail?.PhysicalResourceId;
      } catch (error) {
        if (missing(error, 'ValidationError')) return undefined;
        throw error;
      }
    },
    async hubContentVersion(HubContentName, HubContentVersion) {
      const answer = await sagemaker.send(
        new sdk.DescribeHubContentCommand({
          HubName: 'SageMakerPublicHub',
          HubContentType: 'Model',
          HubContentName,
          HubContentVersion,
        }),
      );
      return answer.HubContentVersion ?? HubContentVersion ?? 'unknown';
    },
    async listKeys(Bucket, Prefix, MaxKeys) {
      const page = await s3.send(new sdk.ListObjectsV2Command({ Bucket, Prefix, MaxKeys }));
      return (page.Contents ?? []).map((o) => o.Key ?? '').filter((k) => !k.endsWith('/'));
    },
    async objectKmsKey(Bucket, Key) {
      const head = await s3.send(new sdk.HeadObjectCommand({ Bucket, Key }));
      return head.ServerSideEncryption?.startsWith('aws:kms') ? head.SSEKMSKeyId : undefined;
    },
    async isAwsManagedKey(KeyId) {
      const { KeyMetadata } = await kms.send(new sdk.DescribeKeyCommand({ KeyId }));
      return KeyMetadata?.KeyManager === 'AWS';
    },
  };
}
