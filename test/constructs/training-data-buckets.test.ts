import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as iam from 'aws-cdk-lib/aws-iam';
import { TrainingDataBuckets } from '../../lib';

function synth(build: (stack: Stack) => void): Template {
  const stack = new Stack(new App(), 'Test');
  build(stack);
  return Template.fromStack(stack);
}

describe('TrainingDataBuckets', () => {
  test('creates a data and a model bucket, KMS-encrypted, versioned, private, logged, with a multipart lifecycle rule', () => {
    const template = synth((stack) => new TrainingDataBuckets(stack, 'Buckets'));
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    const kmsBuckets = template.findResources('AWS::S3::Bucket', {
      Properties: {
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            { ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: Match.anyValue() } },
          ],
        },
        VersioningConfiguration: { Status: 'Enabled' },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        LoggingConfiguration: { DestinationBucketName: Match.anyValue() },
        LifecycleConfiguration: {
          Rules: [Match.objectLike({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 } })],
        },
      },
    });
    expect(Object.keys(kmsBuckets)).toHaveLength(2);
  });

  test('every bucket refuses non-SSL requests', () => {
    const template = synth((stack) => new TrainingDataBuckets(stack, 'Buckets'));
    const policies = template.findResources('AWS::S3::BucketPolicy');
    expect(Object.keys(policies)).toHaveLength(3);
    for (const policy of Object.values(policies)) {
      expect(policy.Properties.PolicyDocument.Statement).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      );
    }
  });

  test('buckets and key are retained by default', () => {
    const template = synth((stack) => new TrainingDataBuckets(stack, 'Buckets'));
    for (const type of ['AWS::S3::Bucket', 'AWS::KMS::Key']) {
      for (const resource of Object.values(template.findResources(type))) {
        expect(resource.DeletionPolicy).toBe('Retain');
      }
    }
    template.resourceCountIs('Custom::S3AutoDeleteObjects', 0);
  });

  test('RemovalPolicy.DESTROY deletes the buckets and their objects', () => {
    const template = synth(
      (stack) => new TrainingDataBuckets(stack, 'Buckets', { removalPolicy: RemovalPolicy.DESTROY }),
    );
    for (const resource of Object.values(template.findResources('AWS::S3::Bucket'))) {
      expect(resource.DeletionPolicy).toBe('Delete');
    }
    template.resourceCountIs('Custom::S3AutoDeleteObjects', 3);
  });

  test('existing buckets are used as they are', () => {
    const template = synth((stack) => {
      const buckets = new TrainingDataBuckets(stack, 'Buckets', {
        existingDataBucket: s3.Bucket.fromBucketName(stack, 'Data', 'my-data'),
        existingModelBucket: s3.Bucket.fromBucketName(stack, 'Model', 'my-models'),
      });
      expect(stack.resolve(buckets.trainingDataUri)).toBe('s3://my-data/training/');
      expect(stack.resolve(buckets.outputUri)).toBe('s3://my-models/output/');
    });
    template.resourceCountIs('AWS::S3::Bucket', 0);
  });
});

describe('TrainingDataBuckets grants, as aws-cdk grants: to their argument, returning iam.Grant', () => {
  test('read data, write data and read models, each on its own prefixes and the key', () => {
    const stack = new Stack(new App(), 'Grants');
    const buckets = new TrainingDataBuckets(stack, 'Buckets');
    const reader = new iam.Role(stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
    const grants = [buckets.grantReadData(reader), buckets.grantWriteData(reader), buckets.grantReadModels(reader)];
    for (const grant of grants) expect(grant.success).toBe(true);
    const statements = JSON.stringify(Template.fromStack(stack).findResources('AWS::IAM::Policy'));
    for (const prefix of ['/training/*', '/validation/*', '/output/*']) expect(statements).toContain(prefix);
    expect(statements).toContain('kms:Decrypt');
    expect(statements).not.toMatch(/s3:Delete/);
  });
});
