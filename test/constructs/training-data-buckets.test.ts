import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
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

describe('TrainingDataBuckets lifecycle: retained by default, expiring only what is asked', () => {
  const rulesOf = (template: Template) =>
    Object.fromEntries(
      Object.entries(template.findResources('AWS::S3::Bucket')).map(([id, b]) => [
        id.replace(/[0-9A-F]{8}$/, ''),
        b.Properties.LifecycleConfiguration?.Rules ?? [],
      ]),
    );
  const ABORT = { AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 }, Status: 'Enabled' };

  test('by default no rule expires anything: only incomplete uploads are aborted', () => {
    const rules = rulesOf(synth((stack) => new TrainingDataBuckets(stack, 'Buckets')));
    expect(rules).toEqual({ BucketsAccessLogs: [ABORT], BucketsData: [ABORT], BucketsModel: [ABORT] });
  });

  test('noncurrentVersionExpiration: data and model buckets delete old versions and bare delete markers', () => {
    const rules = rulesOf(
      synth((stack) => new TrainingDataBuckets(stack, 'Buckets', { noncurrentVersionExpiration: Duration.days(14) })),
    );
    const expire = {
      Id: 'ExpireNoncurrentVersions',
      NoncurrentVersionExpiration: { NoncurrentDays: 14 },
      ExpiredObjectDeleteMarker: true,
      Status: 'Enabled',
    };
    expect(rules.BucketsData).toEqual([ABORT, expire]);
    expect(rules.BucketsModel).toEqual([ABORT, expire]);
    // The access logs are the audit trail: untouched.
    expect(rules.BucketsAccessLogs).toEqual([ABORT]);
  });

  test('trainingOutputExpiration: output/ of the model bucket only, and a warning about the served model', () => {
    const stack = new Stack(new App(), 'Test');
    new TrainingDataBuckets(stack, 'Buckets', {
      noncurrentVersionExpiration: Duration.days(7),
      trainingOutputExpiration: Duration.days(90),
    });
    const template = Template.fromStack(stack);
    const rules = rulesOf(template);
    expect(rules.BucketsModel).toContainEqual({
      Id: 'ExpireTrainingOutput',
      Prefix: 'output/',
      ExpirationInDays: 90,
      Status: 'Enabled',
    });
    expect(JSON.stringify(rules.BucketsData)).not.toContain('ExpirationInDays');
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('trainingOutputExpires'));
    expect(warnings).toHaveLength(1);
    expect(JSON.stringify(warnings[0].entry.data)).toMatch(/90 days after training.*cannot start an instance/);
  });

  test('with object lock, noncurrent versions expire no sooner than the lock ends; output may expire sooner', () => {
    const lock = { objectLockRetention: Duration.days(30) };
    expect(() =>
      synth(
        (stack) => new TrainingDataBuckets(stack, 'B', { ...lock, noncurrentVersionExpiration: Duration.days(29) }),
      ),
    ).toThrow(
      /noncurrentVersionExpiration is 29 days, shorter than the object lock's retention of 30 days.*Duration\.days\(30\)/,
    );
    // Expiry of current versions only puts delete markers, which the lock allows.
    const rules = rulesOf(
      synth(
        (stack) =>
          new TrainingDataBuckets(stack, 'B', {
            ...lock,
            noncurrentVersionExpiration: Duration.days(30),
            trainingOutputExpiration: Duration.days(1),
          }),
      ),
    );
    expect(JSON.stringify(rules.BModel)).toContain('"ExpirationInDays":1');
  });

  test('output expiry needs noncurrent expiry: in a versioned bucket it would only hide the models', () => {
    expect(() =>
      synth((stack) => new TrainingDataBuckets(stack, 'B', { trainingOutputExpiration: Duration.days(60) })),
    ).toThrow(/trainingOutputExpiration is 60 days without noncurrentVersionExpiration: .*versioned/);
  });

  test('existing buckets take no rule: a prop that would be ignored is refused', () => {
    const existing = (stack: Stack) => ({
      existingDataBucket: s3.Bucket.fromBucketName(stack, 'D', 'my-data'),
      existingModelBucket: s3.Bucket.fromBucketName(stack, 'M', 'my-models'),
    });
    expect(() =>
      synth(
        (stack) =>
          new TrainingDataBuckets(stack, 'B', { ...existing(stack), noncurrentVersionExpiration: Duration.days(7) }),
      ),
    ).toThrow(/noncurrentVersionExpiration is given with existingDataBucket and existingModelBucket/);
    // One new bucket takes the rule.
    const rules = rulesOf(
      synth(
        (stack) =>
          new TrainingDataBuckets(stack, 'B', {
            existingModelBucket: existing(stack).existingModelBucket,
            noncurrentVersionExpiration: Duration.days(7),
          }),
      ),
    );
    expect(JSON.stringify(rules.BData)).toContain('ExpireNoncurrentVersions');
  });
});
