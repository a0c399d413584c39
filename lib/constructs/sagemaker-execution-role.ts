import { Aws, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { FactName } from 'aws-cdk-lib/region-info';
import { Construct } from 'constructs';
import { acknowledgeRules, acknowledgeWildcardActions, acknowledgeWildcardResources } from './nag-acknowledgements';
import { TrainingDataBuckets } from './training-data-buckets';
import { throwIfProblems } from '../config/configuration-error';
import { keyPrefixProblem, requiredProblem } from '../config/input-checks';
import { showValue } from '../config/show-value';

/** Props of SageMakerExecutionRole. */
export interface SageMakerExecutionRoleProps {
  /** Bucket holding training and validation data. */
  readonly dataBucket: s3.IBucket;
  /** Bucket the training job writes the model to and the endpoint reads it from. */
  readonly modelBucket: s3.IBucket;
  /**
   * Key the buckets and training output are encrypted with.
   * @default - no KMS permissions beyond what the buckets' own keys grant
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Prefixes of the data bucket the role may read.
   * @default ['training/', 'validation/']
   */
  readonly dataPrefixes?: string[];
  /**
   * Prefix of the model bucket the role may read and write.
   * @default 'output/'
   */
  readonly outputPrefix?: string;
}

/**
 * The role SageMaker training jobs and endpoints run as, with least privilege:
 * read the data prefixes, write the output prefix, use the key, read JumpStart's
 * public and gated artifact buckets of the region, pull Deep Learning Container
 * images, and write logs and metrics. No AmazonSageMakerFullAccess.
 */
export class SageMakerExecutionRole extends iam.Role {
  /**
   * An existing role, used as is: no permissions are added to it. The resources' grant
   * methods (`TrainingDataBuckets.grantReadData`, ...) still work on it where it is mutable.
   */
  public static fromExistingRoleArn(scope: Construct, id: string, roleArn: string): iam.IRole {
    return iam.Role.fromRoleArn(scope, id, roleArn, { mutable: false });
  }

  constructor(scope: Construct, id: string, props: SageMakerExecutionRoleProps) {
    super(scope, id, {
      assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com'),
      description: 'Runs Llama 3 fine-tuning jobs and the endpoint serving the fine-tuned model',
    });
    checkRoleProps(props);
    const stack = Stack.of(this);
    acknowledgeRules(this, {
      'NIST.800.53.R5-IAMNoInlinePolicy':
        "Its policy belongs to this role alone; every statement is scoped to the stack's buckets, key, " +
        "jobs and JumpStart's artifacts, and grows with the grant methods.",
    });

    const dataPrefixes = props.dataPrefixes ?? [
      TrainingDataBuckets.TRAINING_PREFIX,
      TrainingDataBuckets.VALIDATION_PREFIX,
    ];
    dataPrefixes.forEach((prefix) => this.grantPrefix(props.dataBucket, prefix, false));
    // Read (the endpoint loads the model) and put (training writes it); never delete.
    const outputPrefix = props.outputPrefix ?? TrainingDataBuckets.OUTPUT_PREFIX;
    this.grantPrefix(props.modelBucket, outputPrefix, true);
    if (props.encryptionKey) {
      props.encryptionKey.grantEncryptDecrypt(this);
      // SageMaker creates grants on the key for the volumes and uploads it manages for the job.
      this.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: ['kms:CreateGrant', 'kms:DescribeKey'],
          resources: [props.encryptionKey.keyArn],
          conditions: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
        }),
      );
    }

    // JumpStart's training script, base weights (gated bucket) and public datasets.
    const jumpStartBuckets = ['jumpstart-cache-prod', 'jumpstart-private-cache-prod'].map(
      (name) => `arn:${Aws.PARTITION}:s3:::${name}-${Aws.REGION}`,
    );
    this.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ReadJumpStartArtifacts',
        actions: ['s3:GetObject', 's3:ListBucket'],
        resources: jumpStartBuckets.flatMap((arn) => [arn, `${arn}/*`]),
      }),
    );

    const dlcAccount = stack.regionalFact(FactName.DLC_REPOSITORY_ACCOUNT);
    this.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'PullDeepLearningContainers',
        actions: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'],
        resources: ['huggingface-pytorch-training', 'djl-inference'].map(
          (repo) => `arn:${Aws.PARTITION}:ecr:${Aws.REGION}:${dlcAccount}:repository/${repo}`,
        ),
      }),
    );
    this.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'EcrLogin',
        actions: ['ecr:GetAuthorizationToken'],
        resources: ['*'], // GetAuthorizationToken has no resource-level permissions.
      }),
    );

    // Logs: each FineTuningJob and FineTunedModelEndpoint grants its own log streams (see sagemaker-logs).
    this.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'WriteSageMakerMetrics',
        actions: ['cloudwatch:PutMetricData'],
        resources: ['*'], // PutMetricData has no resource-level permissions; the condition limits it.
        conditions: { StringLike: { 'cloudwatch:namespace': ['/aws/sagemaker/*', 'aws/sagemaker/*'] } },
      }),
    );
    acknowledgeWildcardActions(this, {
      'kms:ReEncrypt*': 'Key usage of the project key only, needed to read and write the encrypted buckets.',
      'kms:GenerateDataKey*': 'Key usage of the project key only, needed to write encrypted output.',
    });
    acknowledgeWildcardResources(
      this,
      ['*'],
      'ecr:GetAuthorizationToken and cloudwatch:PutMetricData have no resource-level permissions; PutMetricData is limited by a namespace condition.',
    );
    acknowledgeWildcardResources(
      this,
      jumpStartBuckets.map((arn) => `${arn}/*`),
      "JumpStart's training script, gated base weights and public datasets of the region, read-only.",
    );
  }

  /**
   * Objects under one prefix: get (and put, for the output), and list only that prefix.
   * The buckets' own key, if any, is granted too.
   */
  private grantPrefix(bucket: s3.IBucket, prefix: string, write: boolean): void {
    const objects = bucket.arnForObjects(`${prefix}*`);
    this.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: write ? ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload'] : ['s3:GetObject'],
        resources: [objects],
      }),
    );
    this.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${prefix}*`] } },
      }),
    );
    this.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['s3:GetBucketLocation'], resources: [bucket.bucketArn] }),
    );
    if (write) bucket.encryptionKey?.grantEncryptDecrypt(this);
    else bucket.encryptionKey?.grantDecrypt(this);
    acknowledgeWildcardResources(
      this,
      [objects],
      `Objects under ${prefix} only: ${write ? 'model artifacts' : 'training data files'} have names only known at run time.`,
    );
  }
}

/** The buckets and prefixes granted on: a grant on a URI or on `training` (no `/`) would reach the wrong keys. */
function checkRoleProps(props: SageMakerExecutionRoleProps): void {
  const prefixes: unknown = props.dataPrefixes;
  throwIfProblems([
    requiredProblem('dataBucket', props.dataBucket, 'the s3.IBucket holding the training data'),
    requiredProblem('modelBucket', props.modelBucket, 'the s3.IBucket the model is written to'),
    ...(prefixes === undefined
      ? []
      : Array.isArray(prefixes) && prefixes.length > 0
        ? prefixes.map((prefix, i) => keyPrefixProblem(`dataPrefixes[${i}]`, prefix))
        : [
            `dataPrefixes is ${showValue(prefixes)}; allowed: a non-empty list of key prefixes such as ["training/"]. ` +
              'Fix: list the prefixes the role may read, or leave it out for training/ and validation/.',
          ]),
    props.outputPrefix === undefined ? undefined : keyPrefixProblem('outputPrefix', props.outputPrefix),
  ]);
}
