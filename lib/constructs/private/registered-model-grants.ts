import { createHash } from 'node:crypto';
import { Aws, CustomResource, Duration, Fn, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { grantDecryptThroughS3, grantReadModelObjects } from './s3-read-grants';
import type { ModelPackageProperties } from '../../handlers/describe-model-package';
import { handlerFunction } from '../handler-function';
import { acknowledgeWildcardResources } from '../nag-acknowledgements';

/**
 * Lets the role an endpoint runs as load a registered version's model: the version names its
 * model's location only in the registry, so a custom resource reads it at deploy time and the
 * grant is that model's objects alone (as for an attached job). Decryption is the registering
 * account's keys, used through S3 only; that account's bucket and key policies decide what is
 * shared (the training stack's `modelConsumerAccountIds` shares its models under output/).
 * Returns what must exist before the model is created.
 */
export function grantReadRegisteredModel(scope: Construct, role: iam.IRole, modelPackageArn: string): CustomResource {
  const fn = handlerFunction(scope, 'describe-model-package', 'Reads where a model registry version keeps its model');
  // Any version the stack's endpoints serve: the ARN is a prop, and a new one may come with any deploy.
  fn.addToRolePolicy(
    new iam.PolicyStatement({ actions: ['sagemaker:DescribeModelPackage'], resources: [modelPackageArn] }),
  );
  const properties: ModelPackageProperties = { ModelPackageArn: modelPackageArn };
  // One resource per version: another ARN is another resource, so a rollback keeps the old one as it was
  // (no call, under a policy that names the new version only) and the clean-up's delete calls nothing.
  const id = Token.isUnresolved(modelPackageArn)
    ? 'RegisteredModel'
    : `RegisteredModel${createHash('sha256').update(modelPackageArn).digest('hex').slice(0, 8)}`;
  const version = new CustomResource(scope, id, {
    resourceType: 'Custom::SageMakerModelPackage',
    serviceToken: fn.functionArn,
    serviceTimeout: Duration.minutes(5),
    properties,
  });
  version.node.addDependency(fn.role!);
  grantReadModelObjects(role, version.getAttString('ModelBucket'), version.getAttString('ModelKey'));
  const account = Token.isUnresolved(modelPackageArn)
    ? Fn.select(4, Fn.split(':', modelPackageArn))
    : modelPackageArn.split(':')[4];
  const keys = `arn:${Aws.PARTITION}:kms:${Aws.REGION}:${account}:key/*`;
  grantDecryptThroughS3(role, keys);
  if (role instanceof Construct) {
    acknowledgeWildcardResources(
      role,
      [keys],
      "The registering account's keys, used only through S3 (kms:ViaService): which one encrypts the version's " +
        'model is known only to that account.',
    );
  }
  return version;
}
