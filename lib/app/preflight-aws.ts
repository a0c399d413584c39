import type * as CloudFormation from '@aws-sdk/client-cloudformation';
import type * as EventBridge from '@aws-sdk/client-eventbridge';
import type * as Kms from '@aws-sdk/client-kms';
import type * as S3 from '@aws-sdk/client-s3';
import type * as SageMaker from '@aws-sdk/client-sagemaker';
import type * as ServiceQuotas from '@aws-sdk/client-service-quotas';
import type { CanaryAws } from './preflight-canary';
import type { PreflightAws } from './preflight-checks';
import { putJson } from '../private/put-json';
import { packageAsset } from '../private/package-assets';

/** The SDK classes preflight calls, from the one file scripts/bundle-handlers.mjs bundles them into. */
type PreflightSdk = Pick<typeof ServiceQuotas, 'ServiceQuotasClient' | 'ListServiceQuotasCommand'> &
  Pick<
    typeof CloudFormation,
    | 'CloudFormationClient'
    | 'DescribeStacksCommand'
    | 'DescribeStackResourceCommand'
    | 'DescribeStackEventsCommand'
    | 'CreateStackCommand'
    | 'UpdateStackCommand'
    | 'DeleteStackCommand'
  > &
  Pick<typeof EventBridge, 'EventBridgeClient' | 'PutEventsCommand'> &
  Pick<typeof SageMaker, 'SageMakerClient' | 'DescribeHubContentCommand'> &
  Pick<typeof S3, 'S3Client' | 'ListObjectsV2Command' | 'HeadObjectCommand'> &
  Pick<typeof Kms, 'KMSClient' | 'DescribeKeyCommand'>;

/** CloudFormation's answer for a stack or resource that does not exist. */
const isMissing = (error: unknown) =>
  (error as Error).name === 'ValidationError' || /does not exist/.test((error as Error).message);

/** A stack resource's detail, or undefined when the stack or the resource does not exist. */
async function resourceDetail(
  sdk: PreflightSdk,
  cloudFormation: CloudFormation.CloudFormationClient,
  StackName: string,
  LogicalResourceId: string,
): Promise<CloudFormation.StackResourceDetail | undefined> {
  try {
    const command = new sdk.DescribeStackResourceCommand({ StackName, LogicalResourceId });
    return (await cloudFormation.send(command)).StackResourceDetail;
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}

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
        if (isMissing(error)) return undefined;
        throw error;
      }
    },
    stackResource: async (StackName, LogicalResourceId) =>
      (await resourceDetail(sdk, cloudFormation, StackName, LogicalResourceId))?.PhysicalResourceId,
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
    canary: () => canaryAws(sdk, cloudFormation, new sdk.EventBridgeClient(config)),
  };
}

const ENDED = /(_COMPLETE|_FAILED)$/;

function canaryAws(
  sdk: PreflightSdk,
  cloudFormation: CloudFormation.CloudFormationClient,
  eventBridge: EventBridge.EventBridgeClient,
): CanaryAws {
  const status = async (StackName: string) =>
    (await cloudFormation.send(new sdk.DescribeStacksCommand({ StackName }))).Stacks?.[0]?.StackStatus ?? 'UNKNOWN';
  const waitForStack = async (name: string, timeoutSeconds: number) => {
    const deadline = Date.now() + timeoutSeconds * 1000;
    let current = await status(name);
    while (!ENDED.test(current) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 5000));
      current = await status(name);
    }
    return current;
  };
  return {
    async createStack(StackName, TemplateBody) {
      await cloudFormation.send(
        new sdk.CreateStackCommand({ StackName, TemplateBody, Capabilities: ['CAPABILITY_IAM'] }),
      );
      const final = await waitForStack(StackName, 300);
      if (final !== 'CREATE_COMPLETE') throw new Error(`the canary stack ended ${final}`);
    },
    async updateStack(StackName, TemplateBody) {
      await cloudFormation.send(
        new sdk.UpdateStackCommand({ StackName, TemplateBody, Capabilities: ['CAPABILITY_IAM'] }),
      );
    },
    waitForStack,
    async resourceId(StackName, LogicalResourceId) {
      const detail = await resourceDetail(sdk, cloudFormation, StackName, LogicalResourceId);
      return detail?.ResourceStatus === 'CREATE_COMPLETE' ? detail.PhysicalResourceId : undefined;
    },
    async resourceStatuses(StackName) {
      const statuses: Record<string, string[]> = {};
      let NextToken: string | undefined;
      do {
        const page = await cloudFormation.send(new sdk.DescribeStackEventsCommand({ StackName, NextToken }));
        for (const e of page.StackEvents ?? []) {
          // Events come newest first: each resource's statuses are put back in order.
          if (e.LogicalResourceId && e.ResourceStatus) (statuses[e.LogicalResourceId] ??= []).unshift(e.ResourceStatus);
        }
        NextToken = page.NextToken;
      } while (NextToken);
      return statuses;
    },
    signal: (url, body) => putJson(url, body),
    async putEvent(Source, DetailType, detail) {
      const { FailedEntryCount } = await eventBridge.send(
        new sdk.PutEventsCommand({ Entries: [{ Source, DetailType, Detail: JSON.stringify(detail) }] }),
      );
      if (FailedEntryCount) throw new Error('EventBridge did not take the canary event');
    },
    async deleteStack(StackName) {
      await cloudFormation.send(new sdk.DeleteStackCommand({ StackName }));
    },
  };
}
