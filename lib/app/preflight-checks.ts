/**
 * What `llama3-ft preflight` asks the user's own account before a deploy commits GPU money:
 * each check reads the account through `PreflightAws` and says PASS, WARN or FAIL, with a
 * fix in the example app's context keys.
 */

import type { CanaryAws } from './preflight-canary';
import { S3UriForm, s3UriRuleProblem } from '../config/s3-uri-rules';

export type CheckStatus = 'PASS' | 'WARN' | 'FAIL';

export interface CheckResult {
  readonly check: 'quota' | 'bootstrap' | 'model access' | 'data' | 'canary';
  readonly status: CheckStatus;
  readonly detail: string;
  readonly fix?: string;
}

/** The account as the checks read it; each call may throw the SDK's error. */
export interface PreflightAws {
  readonly region: string;
  /** SageMaker's applied quotas: name (e.g. `ml.g5.12xlarge for training job usage`), code, value. */
  sageMakerQuotas(): Promise<ReadonlyArray<{ name: string; code: string; value: number }>>;
  /** A stack's outputs, or undefined when it does not exist. */
  stackOutputs(stackName: string): Promise<Record<string, string> | undefined>;
  /** A stack resource's physical id, or undefined when the stack has no such resource. */
  stackResource(stackName: string, logicalId: string): Promise<string | undefined>;
  /** The version DescribeHubContent answers for a model of SageMakerPublicHub. */
  hubContentVersion(modelId: string, version?: string): Promise<string>;
  /** Up to `max` keys under a prefix. */
  listKeys(bucket: string, prefix: string, max: number): Promise<string[]>;
  /** The KMS key an object is encrypted with (SSE-KMS), if any. */
  objectKmsKey(bucket: string, key: string): Promise<string | undefined>;
  /** Whether a KMS key is AWS-managed (e.g. aws/s3) rather than the customer's. */
  isAwsManagedKey(keyArn: string): Promise<boolean>;
  /** What --canary deploys with. */
  canary(): CanaryAws;
}

/** Instances of one type a configuration needs at once, for training or hosting. */
export interface InstanceNeed {
  readonly instanceType: string;
  readonly count: number;
  readonly usage: 'training job' | 'endpoint';
  /** Why, for the message: "training", "fallback 1", "the endpoint and the base endpoint". */
  readonly forWhat: string;
}

const errorText = (error: unknown) => `${(error as Error).name ?? 'Error'}: ${(error as Error).message}`;

export async function quotaChecks(aws: PreflightAws, needs: readonly InstanceNeed[]): Promise<CheckResult[]> {
  let quotas: Awaited<ReturnType<PreflightAws['sageMakerQuotas']>>;
  try {
    quotas = await aws.sageMakerQuotas();
  } catch (error) {
    return [
      {
        check: 'quota',
        status: 'WARN',
        detail: `could not read SageMaker's quotas (${errorText(error)})`,
        fix: 'allow servicequotas:ListServiceQuotas, or read them in the Service Quotas console',
      },
    ];
  }
  return needs.map((need) => {
    const name = `${need.instanceType} for ${need.usage} usage`;
    const quota = quotas.find((q) => q.name === name);
    if (!quota) {
      return {
        check: 'quota',
        status: 'WARN',
        detail: `no quota "${name}" in ${aws.region} (${need.forWhat} needs ${need.count}): the type may not be offered there`,
        fix: 'check the instance type is offered in this region, or choose another region',
      };
    }
    const detail = `${name}: ${quota.value} (${need.forWhat} needs ${need.count})`;
    if (quota.value >= need.count) return { check: 'quota', status: 'PASS', detail };
    return {
      check: 'quota',
      status: 'FAIL',
      detail,
      fix:
        `request an increase: aws service-quotas request-service-quota-increase --service-code sagemaker ` +
        `--quota-code ${quota.code} --desired-value ${need.count} --region ${aws.region}`,
    };
  });
}

/** The modern bootstrap (version 6 on) gives CloudFormation an execution role, which a days-long deploy needs. */
export async function bootstrapCheck(aws: PreflightAws): Promise<CheckResult> {
  const fix = `npx cdk bootstrap aws://<account>/${aws.region}`;
  try {
    const outputs = await aws.stackOutputs('CDKToolkit');
    if (!outputs) {
      return {
        check: 'bootstrap',
        status: 'FAIL',
        detail: `no CDK bootstrap stack (CDKToolkit) in ${aws.region}`,
        fix,
      };
    }
    const version = Number(outputs.BootstrapVersion);
    const role = await aws.stackResource('CDKToolkit', 'CloudFormationExecutionRole');
    if (!(version >= 6) || !role) {
      return {
        check: 'bootstrap',
        status: 'FAIL',
        detail:
          `CDKToolkit is bootstrap version ${outputs.BootstrapVersion ?? 'unknown'}${role ? '' : ' without a CloudFormation execution role'}: ` +
          'CloudFormation would deploy with your own credentials, which may expire during a wait of days',
        fix: `${fix} (the modern bootstrap)`,
      };
    }
    return {
      check: 'bootstrap',
      status: 'PASS',
      detail: `CDKToolkit is bootstrap version ${version}; CloudFormation deploys with its execution role ${role}`,
    };
  } catch (error) {
    return {
      check: 'bootstrap',
      status: 'WARN',
      detail: `could not read the CDKToolkit stack (${errorText(error)})`,
      fix: 'allow cloudformation:DescribeStacks and DescribeStackResource on CDKToolkit',
    };
  }
}

export async function modelAccessCheck(
  aws: PreflightAws,
  model: { modelId: string; version?: string; licence: { name: string; url: string } },
  acceptEula: boolean,
): Promise<CheckResult> {
  const asked = `${model.modelId}${model.version ? ` version ${model.version}` : ''}`;
  try {
    const version = await aws.hubContentVersion(model.modelId, model.version);
    const licence = `${model.licence.name} (${model.licence.url})`;
    if (!acceptEula) {
      return {
        check: 'model access',
        status: 'FAIL',
        detail: `${model.modelId} ${version} is in SageMakerPublicHub in ${aws.region}; its weights are gated by the ${licence}, not accepted`,
        fix: 'read the licence, then -c accept_eula=true',
      };
    }
    return {
      check: 'model access',
      status: 'PASS',
      detail: `${model.modelId} ${version} is in SageMakerPublicHub in ${aws.region}; you accept the ${licence}`,
    };
  } catch (error) {
    return {
      check: 'model access',
      status: 'FAIL',
      detail: `${asked} could not be read from SageMakerPublicHub in ${aws.region} (${errorText(error)})`,
      fix: 'choose a region JumpStart serves the model in, a version the hub lists (-c hub_content_version), or allow sagemaker:DescribeHubContent',
    };
  }
}

/** An s3:// data prefix: listable, not empty, and encrypted with a key the configuration grants. */
export async function dataCheck(
  aws: PreflightAws,
  setting: string,
  uri: string,
  dataKeyArn: string | undefined,
): Promise<CheckResult> {
  const problem = s3UriRuleProblem(setting, uri, S3UriForm.PREFIX);
  if (problem) {
    // The rule cdk synth applies, and its words: what is allowed, then the fix.
    const [detail, fix] = problem.split(' Fix: ');
    return { check: 'data', status: 'FAIL', detail, fix };
  }
  const [bucket, ...key] = uri.slice('s3://'.length).split('/');
  const prefix = key.join('/');
  try {
    const keys = await aws.listKeys(bucket, prefix, 1000);
    if (keys.length === 0) {
      return {
        check: 'data',
        status: 'FAIL',
        detail: `${setting} ${uri} holds no objects`,
        fix: 'upload the dataset there, or correct the prefix',
      };
    }
    const key = await aws.objectKmsKey(bucket, keys[0]);
    const listed = `${setting} ${uri}: ${keys.length >= 1000 ? '1000 or more objects' : keys.length === 1 ? '1 object' : `${keys.length} objects`}, readable`;
    if (!key) return { check: 'data', status: 'PASS', detail: `${listed}, not KMS-encrypted` };
    if (dataKeyArn && sameKey(key, dataKeyArn)) {
      return {
        check: 'data',
        status: 'PASS',
        detail: `${listed}, encrypted with ${key}, which train_data_kms_key grants`,
      };
    }
    // A key DescribeKey refuses may be either kind: the result says so, with the refusal.
    const managed = await aws.isAwsManagedKey(key).catch((error: unknown) => errorText(error));
    if (managed === true) {
      return { check: 'data', status: 'PASS', detail: `${listed}, encrypted with the AWS-managed key ${key}` };
    }
    const which =
      managed === false ? `the customer-managed key ${key}` : `the KMS key ${key} (not described: ${managed})`;
    return {
      check: 'data',
      status: 'FAIL',
      detail: `${listed}, but encrypted with ${which}, which the execution role may not use: training would fail at data download`,
      fix: `-c train_data_kms_key=${key}`,
    };
  } catch (error) {
    return {
      check: 'data',
      status: 'FAIL',
      detail: `${setting} ${uri} could not be read (${errorText(error)})`,
      fix: 'correct the URI, or allow s3:ListBucket on the prefix and s3:GetObject on its objects',
    };
  }
}

/** Key ARNs match by key id (S3 reports the ARN; a user may give it with another partition spelling). */
function sameKey(a: string, b: string): boolean {
  return a.split('/').pop() === b.split('/').pop();
}
