import { Aws, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { acknowledgeWildcardResources } from '../nag-acknowledgements';

/**
 * Lets the role an endpoint runs as load a registered version's model. The version names its
 * model's location only in the registry, read at deploy time, so the grant is the registering
 * account's objects (`s3:ResourceAccount`) and keys, read and decrypted only as S3 serves them;
 * that account's bucket and key policies decide what of it is shared (the training stack's
 * `modelConsumerAccountIds` shares its models under output/).
 */
export function grantReadRegisteredModel(role: iam.IRole, modelPackageArn: string): void {
  const account = Token.isUnresolved(modelPackageArn) ? Aws.ACCOUNT_ID : modelPackageArn.split(':')[4];
  const objects = `arn:${Aws.PARTITION}:s3:::*/*`;
  const keys = `arn:${Aws.PARTITION}:kms:${Aws.REGION}:${account}:key/*`;
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'ReadRegisteredModel',
      actions: ['s3:GetObject', 's3:ListBucket'],
      resources: [`arn:${Aws.PARTITION}:s3:::*`, objects],
      conditions: { StringEquals: { 's3:ResourceAccount': account } },
    }),
  );
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'DecryptRegisteredModel',
      actions: ['kms:Decrypt'],
      resources: [keys],
      conditions: { StringEquals: { 'kms:ViaService': `s3.${Aws.REGION}.amazonaws.com` } },
    }),
  );
  if (role instanceof Construct) {
    acknowledgeWildcardResources(
      role,
      [`arn:${Aws.PARTITION}:s3:::*`, objects, keys],
      "A registered version's model is wherever its registering account stored it (read from the registry at deploy " +
        'time): reads are limited to that account (s3:ResourceAccount), decryption to its keys used through S3.',
    );
  }
}
