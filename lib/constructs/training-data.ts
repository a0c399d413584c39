import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct, IDependable } from 'constructs';
import { LocalDataset } from './local-dataset';
import { grantDecryptThroughS3, grantReadS3Prefix } from './private/s3-read-grants';
import { throwIfProblems } from '../config/configuration-error';
import { S3UriForm, keyPrefixProblem, requiredProblem, s3UriProblem } from '../config/input-checks';
import { withPropNames } from '../config/prop-names';
import { TrainingRecipe } from '../config/training-recipe';
import { datasetFormatOf } from '../datasets/training-format';

/** What a job needs to know when it binds its data. */
export interface TrainingDataBindOptions {
  /** The role the job runs as, which reads the data. */
  readonly grantee: iam.IGrantable;
  /** What the job trains: a local dataset is checked for its format and input length. */
  readonly recipe: TrainingRecipe;
  /** The job's prop the data was given as (`trainingData`, `validationData`), for messages and ids. */
  readonly prop: string;
}

/** Where bound data is, and what comes with it. */
export interface TrainingDataConfig {
  /** s3:// prefix of the data, ending in `/`. */
  readonly s3Uri: string;
  /**
   * Samples counted at synth, for the training estimate.
   * @default - unknown: the estimate takes the measured runs' count, and the deploy-time check counts them
   */
  readonly sampleCount?: number;
  /**
   * What must exist before the job, and the deploy-time check, read the data (an upload).
   * @default - nothing
   */
  readonly dependables?: IDependable[];
  /**
   * The key the objects are encrypted with: the job's role may decrypt with it, through S3 only.
   * @default - none (S3-managed encryption, or a key granted by other means)
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * The bucket holding the data, when it is a CDK bucket: the deploy-time check reads through
   * its grant even when its name is known only at deploy.
   * @default - the bucket is named in s3Uri
   */
  readonly bucket?: s3.IBucket;
  /**
   * With bucket: the key prefix of the data in it.
   * @default - the whole bucket
   */
  readonly keyPrefix?: string;
  /**
   * Whether the data was checked at synth (a local directory): the deploy-time check skips it.
   * @default false
   */
  readonly checkedAtSynth?: boolean;
}

/** Options of `TrainingData.fromLocalDirectory`. */
export interface LocalTrainingDataOptions {
  /** The bucket to upload the directory into. */
  readonly bucket: s3.IBucket;
  /** Key prefix to upload under, ending in `/` (e.g. `training/`). */
  readonly prefix: string;
  /**
   * The bucket's KMS key, when it has one.
   * @default - the bucket's own `encryptionKey`
   */
  readonly encryptionKey?: kms.IKey;
}

/** Options of `TrainingData.fromS3Uri`. */
export interface S3TrainingDataOptions {
  /**
   * The customer-managed KMS key the objects are encrypted with (SSE-KMS).
   * @default - none: S3-managed encryption
   */
  readonly encryptionKey?: kms.IKey;
}

/**
 * Training or validation data for a `FineTuningJob`, as aws-cdk-lib's bindable sources are
 * (`lambda.Code`, `s3deploy.Source`): one value from which the job learns the location, what to
 * wait for, how many samples there are and what to grant.
 */
export abstract class TrainingData {
  /**
   * A local directory, checked at synth for the job's format and input length, counted, and
   * uploaded into a bucket; the job starts once the upload has finished.
   */
  public static fromLocalDirectory(directory: string, options: LocalTrainingDataOptions): TrainingData {
    return new LocalDirectoryData(directory, options);
  }

  /** Data under a prefix of a CDK bucket; the job's role is granted read on that prefix (and the bucket's key). */
  public static fromBucket(bucket: s3.IBucket, prefix: string): TrainingData {
    return new BucketData(bucket, prefix);
  }

  /** Data under an s3:// prefix; the job's role is granted read on it (and decrypt through S3 with the key given). */
  public static fromS3Uri(uri: string, options: S3TrainingDataOptions = {}): TrainingData {
    return new S3UriData(uri, options.encryptionKey);
  }

  /** JumpStart's default dataset of the model in the region (Llama 3: the walkthrough's SEC filings). */
  public static jumpStartDefault(): TrainingData {
    return new JumpStartDefaultData();
  }

  /** Binds the data to a job: grants, uploads and what the job must know. */
  public abstract bind(scope: Construct, options: TrainingDataBindOptions): TrainingDataConfig;
}

class LocalDirectoryData extends TrainingData {
  constructor(
    private readonly directory: string,
    private readonly options: LocalTrainingDataOptions,
  ) {
    super();
  }

  public bind(scope: Construct, { recipe, prop }: TrainingDataBindOptions): TrainingDataConfig {
    const configuration = recipe._configuration;
    // Its messages name the job's prop, not the dataset construct's.
    const dataset = withPropNames(
      { sourceDirectory: prop },
      () =>
        new LocalDataset(scope, prop === 'trainingData' ? 'TrainingData' : 'ValidationData', {
          sourceDirectory: this.directory,
          format: datasetFormatOf(configuration),
          bucket: this.options.bucket,
          prefix: this.options.prefix,
          encryptionKey: this.options.encryptionKey ?? this.options.bucket?.encryptionKey,
          maxInputLength: configuration.hyperparameters.maxInputLength,
        }),
    );
    return {
      s3Uri: dataset.s3Uri,
      sampleCount: dataset.sampleCount,
      dependables: [dataset.deployment],
      bucket: this.options.bucket,
      keyPrefix: this.options.prefix,
      checkedAtSynth: true,
    };
  }
}

class BucketData extends TrainingData {
  constructor(
    private readonly bucket: s3.IBucket,
    private readonly prefix: string,
  ) {
    super();
  }

  public bind(_scope: Construct, { grantee, prop }: TrainingDataBindOptions): TrainingDataConfig {
    throwIfProblems([
      requiredProblem(`${prop} bucket`, this.bucket, 'the s3.IBucket holding the data'),
      keyPrefixProblem(`${prop} prefix`, this.prefix),
    ]);
    // The bucket's key is granted with it (aws-cdk-lib's grantRead covers an encrypted bucket).
    this.bucket.grantRead(grantee, `${this.prefix}*`);
    return { s3Uri: this.bucket.s3UrlForObject(this.prefix), bucket: this.bucket, keyPrefix: this.prefix };
  }
}

class S3UriData extends TrainingData {
  constructor(
    private readonly uri: string,
    private readonly encryptionKey?: kms.IKey,
  ) {
    super();
  }

  public bind(_scope: Construct, { grantee, prop }: TrainingDataBindOptions): TrainingDataConfig {
    throwIfProblems([s3UriProblem(prop, this.uri, S3UriForm.PREFIX)]);
    grantReadS3Prefix(grantee, this.uri);
    if (this.encryptionKey) grantDecryptThroughS3(grantee, this.encryptionKey.keyArn);
    return { s3Uri: this.uri, encryptionKey: this.encryptionKey };
  }
}

class JumpStartDefaultData extends TrainingData {
  public bind(_scope: Construct, { recipe }: TrainingDataBindOptions): TrainingDataConfig {
    // JumpStart's public cache of the region, which a role that reads JumpStart's artifacts reads anyway.
    const key = recipe._configuration.model.training.defaultDatasetKey;
    return { s3Uri: `s3://jumpstart-cache-prod-${Aws.REGION}/${key}` };
  }
}
