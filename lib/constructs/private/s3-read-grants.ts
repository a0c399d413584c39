import { Aws, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { parseS3Uri } from '../s3-uri';
import { acknowledgeWildcardResources } from '../nag-acknowledgements';

/** Acknowledges the wildcard objects of a grant on the grantee's role, where cdk-nag looks for them. */
function acknowledge(grantee: iam.IGrantable, resources: string[], reason: string): void {
  if (grantee.grantPrincipal instanceof Construct)
    acknowledgeWildcardResources(grantee.grantPrincipal, resources, reason);
}

/**
 * Lets `grantee` read the objects under an s3:// prefix outside the project's buckets (a shared
 * dataset, a model to serve) and list only that prefix. JumpStart's own buckets, which the
 * execution role reads anyway, and deploy-time URIs grant nothing.
 */
export function grantReadS3Prefix(grantee: iam.IGrantable, uri: string): iam.Grant {
  const { bucket } = Token.isUnresolved(uri) ? { bucket: '' } : parseS3Uri(uri, 'uri');
  if (!bucket || /^jumpstart-(private-)?cache-prod-/.test(bucket)) return iam.Grant.drop(grantee, `read ${uri}`);
  return grantListAndRead(grantee, uri);
}

/** Lets `grantee` list only the prefix of an s3:// URI known at synth and read the objects under it. */
export function grantListAndRead(grantee: iam.IGrantable, uri: string): iam.Grant {
  const { bucket, key } = parseS3Uri(uri, 'uri');
  const bucketArn = `arn:${Aws.PARTITION}:s3:::${bucket}`;
  const objects = `${bucketArn}/${key}*`;
  const read = iam.Grant.addToPrincipal({ grantee, actions: ['s3:GetObject'], resourceArns: [objects] });
  grantee.grantPrincipal.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: ['s3:ListBucket'],
      resources: [bucketArn],
      conditions: key ? { StringLike: { 's3:prefix': [`${key}*`] } } : undefined,
    }),
  );
  acknowledge(grantee, [objects], `Read-only: the objects under ${uri}.`);
  return read;
}

/**
 * Lets `grantee` write objects under an s3:// prefix known at synth, and nothing else there (the
 * outputs SageMaker writes as the job's role beside the model: profiler, debugger, TensorBoard).
 */
export function grantWriteS3Prefix(grantee: iam.IGrantable, uri: string): iam.Grant {
  const { bucket, key } = parseS3Uri(uri, 'uri');
  const objects = `arn:${Aws.PARTITION}:s3:::${bucket}/${key}*`;
  const write = iam.Grant.addToPrincipal({
    grantee,
    actions: ['s3:PutObject', 's3:AbortMultipartUpload'],
    resourceArns: [objects],
  });
  acknowledge(grantee, [objects], `Write-only: the objects SageMaker writes under ${uri}.`);
  return write;
}

/**
 * Lets `grantee` read one model — the objects under a key (a model.tar.gz, or an uncompressed
 * model's prefix) in one bucket — and list only that key. Bucket and key may be known only at
 * deploy time (an attached job's output, as SageMaker describes it).
 */
export function grantReadModelObjects(grantee: iam.IGrantable, bucket: string, key: string): iam.Grant {
  const bucketArn = `arn:${Aws.PARTITION}:s3:::${bucket}`;
  const objects = `${bucketArn}/${key}*`;
  const read = iam.Grant.addToPrincipal({ grantee, actions: ['s3:GetObject'], resourceArns: [objects] });
  acknowledge(grantee, [objects], "Read-only: one model's objects (its model.tar.gz, or the files under its prefix).");
  grantee.grantPrincipal.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: ['s3:ListBucket'],
      resources: [bucketArn],
      conditions: { StringLike: { 's3:prefix': [`${key}*`] } },
    }),
  );
  return read;
}

/**
 * Lets `grantee` decrypt with a customer-managed key only as S3 uses it to serve objects
 * (`kms:ViaService`): what reading SSE-KMS objects needs, and nothing else the key can do.
 */
export function grantDecryptThroughS3(grantee: iam.IGrantable, keyArn: string): iam.Grant {
  return iam.Grant.addToPrincipal({
    grantee,
    actions: ['kms:Decrypt'],
    resourceArns: [keyArn],
    conditions: { StringEquals: { 'kms:ViaService': `s3.${Aws.REGION}.amazonaws.com` } },
  });
}

/**
 * Lets `grantee` read a JumpStart model's hosting artifacts in the region's gated bucket, and
 * list only their prefix: the base model an endpoint serves as JumpStart hosts it. The hub lays
 * every model's hosting artifacts (prepacked or not) out under `meta-textgeneration/<model id>/`
 * (`HostingArtifactUri` of DescribeHubContent; `hosting_prepacked_artifact_key` of the specs),
 * so the grant reaches no other model's weights and none of the training weights.
 */
export function grantReadJumpStartHostingArtifacts(grantee: iam.IGrantable, modelId: string): iam.Grant {
  const bucketArn = `arn:${Aws.PARTITION}:s3:::jumpstart-private-cache-prod-${Aws.REGION}`;
  const prefix = `meta-textgeneration/${modelId}/`;
  const objects = `${bucketArn}/${prefix}*`;
  const read = iam.Grant.addToPrincipal({ grantee, actions: ['s3:GetObject'], resourceArns: [objects] });
  grantee.grantPrincipal.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: ['s3:ListBucket'],
      resources: [bucketArn],
      conditions: { StringLike: { 's3:prefix': [`${prefix}*`] } },
    }),
  );
  acknowledge(grantee, [objects], `Read-only: JumpStart's hosting artifacts of ${modelId}, the base model served.`);
  return read;
}
