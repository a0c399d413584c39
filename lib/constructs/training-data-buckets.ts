import { Annotations, Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledgeRules, suppressGuardRules } from './nag-acknowledgements';
import * as iam from 'aws-cdk-lib/aws-iam';
import { grantsOnlyForAwsResources } from './private/key-policies';
import { configurationError, throwIfProblems } from '../config/configuration-error';
import { lifecycleProblems } from './private/lifecycle-checks';
import { showValue } from '../config/show-value';

/** Props of TrainingDataBuckets. */
export interface TrainingDataBucketsProps {
  /**
   * Bucket for training and validation data, used as is instead of a new one.
   * @default - a new encrypted, versioned, SSL-only bucket
   */
  readonly existingDataBucket?: s3.IBucket;
  /**
   * Bucket for training output (the fine-tuned model), used as is instead of a new one.
   * @default - a new encrypted, versioned, SSL-only bucket
   */
  readonly existingModelBucket?: s3.IBucket;
  /**
   * KMS key for the new buckets and for training output.
   * @default - a new customer-managed key with rotation on
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * What happens to the new buckets, their key and their data when they leave the stack:
   * `RemovalPolicy.DESTROY` deletes the buckets and everything in them. Existing buckets are never touched.
   * @default RemovalPolicy.RETAIN - buckets, key and data are kept
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Turn on S3 Object Lock for the new buckets, with this default retention in governance mode:
   * no object version can be deleted or overwritten for that long, except by principals allowed
   * `s3:BypassGovernanceRetention`. Cannot be combined with RemovalPolicy.DESTROY.
   * @default - no object lock
   */
  readonly objectLockRetention?: Duration;
  /**
   * Delete object versions of the new data and model buckets this long after they stop being
   * current (overwritten, deleted, or expired by trainingOutputExpiration), then the delete markers
   * left with no version behind them. Whole days; with objectLockRetention, at least as long, as S3
   * deletes no locked version.
   * @default - noncurrent versions are kept
   */
  readonly noncurrentVersionExpiration?: Duration;
  /**
   * Expire the objects under `output/` of the new model bucket (the fine-tuned models) this long
   * after they were written; noncurrentVersionExpiration, required with it, then deletes them.
   * Whole days. An endpoint whose model has expired can no longer start an instance: it cannot
   * scale out, replace an unhealthy instance, scale up from zero or be re-created. Retrain (or
   * serve a copy kept elsewhere) within this time; synth warns with
   * `cdk-llama3-finetuning:trainingOutputExpires`.
   * @default - training output is kept
   */
  readonly trainingOutputExpiration?: Duration;
}

/**
 * Where training data, validation data and the fine-tuned model live: a data
 * bucket, a model bucket and a bucket for their server access logs.
 */
export class TrainingDataBuckets extends Construct {
  /** Key prefix of training data in the data bucket. */
  public static readonly TRAINING_PREFIX = 'training/';
  /** Key prefix of validation data in the data bucket. */
  public static readonly VALIDATION_PREFIX = 'validation/';
  /** Key prefix of training output in the model bucket. */
  public static readonly OUTPUT_PREFIX = 'output/';
  /** Key prefix of endpoint data capture in the data bucket. */
  public static readonly DATA_CAPTURE_PREFIX = 'data-capture/';

  /** Training and validation data (and endpoint data capture). */
  public readonly dataBucket: s3.IBucket;
  /** Training output: the fine-tuned models. */
  public readonly modelBucket: s3.IBucket;
  /** The key the buckets and training output are encrypted with. */
  public readonly encryptionKey: kms.IKey;

  constructor(scope: Construct, id: string, props: TrainingDataBucketsProps = {}) {
    super(scope, id);
    // Grant log delivery through a bucket policy rather than the legacy LogDeliveryWrite ACL,
    // whatever the app's feature flags say.
    this.node.setContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy', true);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    // From JavaScript anything can arrive here: only the two policies a bucket takes are accepted.
    if (removalPolicy !== RemovalPolicy.RETAIN && removalPolicy !== RemovalPolicy.DESTROY) {
      throw configurationError([
        `removalPolicy is ${showValue(props.removalPolicy)}; allowed: RemovalPolicy.RETAIN or RemovalPolicy.DESTROY ` +
          '(S3 buckets take no snapshot). Fix: leave it out to keep the data, or pass RemovalPolicy.DESTROY to delete it with the stack.',
      ]);
    }
    const destroy = removalPolicy === RemovalPolicy.DESTROY;
    if (props.objectLockRetention !== undefined && destroy) {
      throw configurationError([
        'objectLockRetention is given with removalPolicy DESTROY: locked object versions cannot be deleted with the stack. ' +
          'Fix: keep the data (leave removalPolicy out), or leave objectLockRetention out.',
      ]);
    }
    throwIfProblems(
      lifecycleProblems({
        noncurrentVersionExpiration: props.noncurrentVersionExpiration,
        trainingOutputExpiration: props.trainingOutputExpiration,
        objectLockRetention: props.objectLockRetention,
        newDataBucket: !props.existingDataBucket,
        newModelBucket: !props.existingModelBucket,
      }),
    );
    if (props.trainingOutputExpiration) {
      Annotations.of(this).addWarningV2(
        'cdk-llama3-finetuning:trainingOutputExpires',
        `Models under ${TrainingDataBuckets.OUTPUT_PREFIX} expire ${props.trainingOutputExpiration.toHumanString()} after ` +
          'training: an endpoint serving one then cannot start an instance (scale out, replace one, scale up from zero, ' +
          'be re-created). Retrain, or serve a copy kept elsewhere, within that time.',
      );
    }
    const objectLock = props.objectLockRetention
      ? {
          objectLockEnabled: true,
          objectLockDefaultRetention: s3.ObjectLockRetention.governance(props.objectLockRetention),
        }
      : {};

    this.encryptionKey = props.encryptionKey ?? dataKey(this, removalPolicy);

    const needsNewBucket = !props.existingDataBucket || !props.existingModelBucket;
    // Server access logs can't be delivered to SSE-KMS buckets, hence S3-managed keys here.
    const accessLogs = needsNewBucket
      ? new s3.Bucket(this, 'AccessLogs', {
          encryption: s3.BucketEncryption.S3_MANAGED,
          enforceSSL: true,
          blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
          objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
          versioned: true,
          ...objectLock,
          removalPolicy,
          autoDeleteObjects: destroy,
          lifecycleRules: [{ abortIncompleteMultipartUploadAfter: Duration.days(7) }],
        })
      : undefined;
    if (accessLogs) {
      suppressGuardRules(accessLogs.node.defaultChild as s3.CfnBucket, {
        s3_bucket_default_encryption_kms_check:
          'S3 delivers server access logs only to buckets encrypted with S3-managed keys (SSE-S3), not SSE-KMS.',
        s3_bucket_logging_enabled_check:
          "This is the buckets' server access log bucket; logging it into itself would log its own log deliveries without end.",
      });
    }

    // Versions stop being current when overwritten, deleted or expired; with this rule they go that long after.
    const noncurrentRules: s3.LifecycleRule[] = props.noncurrentVersionExpiration
      ? [
          {
            id: 'ExpireNoncurrentVersions',
            noncurrentVersionExpiration: props.noncurrentVersionExpiration,
            expiredObjectDeleteMarker: true,
          },
        ]
      : [];
    const newBucket = (bucketId: string, rules: s3.LifecycleRule[] = []) =>
      new s3.Bucket(this, bucketId, {
        encryption: s3.BucketEncryption.KMS,
        encryptionKey: this.encryptionKey,
        bucketKeyEnabled: true,
        enforceSSL: true,
        blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
        versioned: true,
        ...objectLock,
        serverAccessLogsBucket: accessLogs,
        serverAccessLogsPrefix: `${bucketId.toLowerCase()}/`,
        removalPolicy,
        autoDeleteObjects: destroy,
        // Multi-gigabyte model uploads that fail leave parts behind that are billed but invisible.
        lifecycleRules: [{ abortIncompleteMultipartUploadAfter: Duration.days(7) }, ...noncurrentRules, ...rules],
      });

    this.dataBucket = props.existingDataBucket ?? newBucket('Data');
    this.modelBucket =
      props.existingModelBucket ??
      newBucket(
        'Model',
        props.trainingOutputExpiration
          ? [
              {
                id: 'ExpireTrainingOutput',
                prefix: TrainingDataBuckets.OUTPUT_PREFIX,
                expiration: props.trainingOutputExpiration,
              },
            ]
          : [],
      );
    // Object events to the account's default EventBridge bus (AWS Control Tower's CT.S3.PR.4):
    // free, with no notification custom resource, and for rules the account may add.
    for (const bucket of [
      accessLogs,
      props.existingDataBucket ? undefined : this.dataBucket,
      props.existingModelBucket ? undefined : this.modelBucket,
    ]) {
      const cfn = bucket?.node.defaultChild as s3.CfnBucket | undefined;
      if (cfn) cfn.notificationConfiguration = { eventBridgeConfiguration: { eventBridgeEnabled: true } };
    }
    acknowledgeRules(this, {
      'NIST.800.53.R5-S3BucketReplicationEnabled':
        'Datasets are copies of their sources and models can be retrained; cross-region ' +
        "replication is the account's disaster-recovery choice, and the buckets are versioned and retained by default.",
    });
    if (accessLogs) {
      acknowledgeRules(accessLogs, {
        'NIST.800.53.R5-S3DefaultEncryptionKMS':
          'S3 delivers server access logs only to buckets with S3-managed encryption.',
      });
    }
  }

  /** Lets `grantee` read the training and validation data (and decrypt it). */
  public grantReadData(grantee: iam.IGrantable): iam.Grant {
    return this.dataBucket
      .grantRead(grantee, `${TrainingDataBuckets.TRAINING_PREFIX}*`)
      .combine(this.dataBucket.grantRead(grantee, `${TrainingDataBuckets.VALIDATION_PREFIX}*`));
  }

  /** Lets `grantee` upload training and validation data (and encrypt it); never delete. */
  public grantWriteData(grantee: iam.IGrantable): iam.Grant {
    return this.dataBucket
      .grantPut(grantee, `${TrainingDataBuckets.TRAINING_PREFIX}*`)
      .combine(this.dataBucket.grantPut(grantee, `${TrainingDataBuckets.VALIDATION_PREFIX}*`));
  }

  /** Lets `grantee` read the fine-tuned models under the output prefix (and decrypt them). */
  public grantReadModels(grantee: iam.IGrantable): iam.Grant {
    return this.modelBucket.grantRead(grantee, `${TrainingDataBuckets.OUTPUT_PREFIX}*`);
  }

  /** s3:// URI of the training data prefix. */
  public get trainingDataUri(): string {
    return this.dataBucket.s3UrlForObject(TrainingDataBuckets.TRAINING_PREFIX);
  }

  /** s3:// URI of the validation data prefix. */
  public get validationDataUri(): string {
    return this.dataBucket.s3UrlForObject(TrainingDataBuckets.VALIDATION_PREFIX);
  }

  /** s3:// URI under which training jobs write their output. */
  public get outputUri(): string {
    return this.modelBucket.s3UrlForObject(TrainingDataBuckets.OUTPUT_PREFIX);
  }
}

/** The data key: rotated yearly; grants only for AWS resources (SageMaker's for the training volume and output). */
function dataKey(scope: Construct, removalPolicy: RemovalPolicy): kms.Key {
  const key = new kms.Key(scope, 'Key', {
    description: 'Encrypts Llama 3 fine-tuning data, model artifacts and training output',
    enableKeyRotation: true,
    removalPolicy,
  });
  grantsOnlyForAwsResources(key);
  return key;
}
