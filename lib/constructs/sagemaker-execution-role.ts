import { Aws, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { FactName } from 'aws-cdk-lib/region-info';
import { Construct } from 'constructs';
import { acknowledgeRules, acknowledgeWildcardActions, acknowledgeWildcardResources } from './nag-acknowledgements';
import { TrainingDataBuckets } from './training-data-buckets';
import { configurationError, throwIfProblems } from '../config/configuration-error';
import { keyPrefixProblem, requiredProblem } from '../config/input-checks';
import { showValue } from '../config/show-value';

/**
 * What an execution role is for. Training and serving need different things: a training job
 * reads the training data and writes the model, an endpoint only reads the model. Two roles,
 * one for each duty, keep a compromised endpoint container from reading the data or
 * overwriting the model it serves.
 */
export enum ExecutionRoleDuty {
  /**
   * Training jobs: read the data prefixes, read and write the output prefix, read JumpStart's
   * training script, base weights and datasets, pull the training image.
   */
  TRAINING = 'training',
  /**
   * Endpoints: read (and list) the output prefix, decrypt with the key, pull the inference
   * image. No write to the model bucket, no read of the data bucket; endpoint data capture and
   * a base-model endpoint's JumpStart weights are granted by FineTunedModelEndpoint itself.
   */
  INFERENCE = 'inference',
  /** Training jobs and endpoints, as one role: everything of both duties. */
  TRAINING_AND_INFERENCE = 'training-and-inference',
}

/** Props of SageMakerExecutionRole. */
export interface SageMakerExecutionRoleProps {
  /**
   * Bucket holding training and validation data.
   * @default - none; required unless duty is INFERENCE, which reads no training data
   */
  readonly dataBucket?: s3.IBucket;
  /** Bucket the training job writes the model to and the endpoint reads it from. */
  readonly modelBucket: s3.IBucket;
  /**
   * Key the buckets and training output are encrypted with: encrypt and decrypt for training,
   * decrypt only for inference.
   * @default - no KMS permissions beyond what the buckets' own keys grant
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Prefixes of the data bucket the role may read (not with duty INFERENCE).
   * @default ['training/', 'validation/']
   */
  readonly dataPrefixes?: string[];
  /**
   * Prefix of the model bucket the role may read (and, for training, write).
   * @default 'output/'
   */
  readonly outputPrefix?: string;
  /**
   * What the role is for: training jobs, endpoints, or both.
   * @default ExecutionRoleDuty.TRAINING_AND_INFERENCE - one role for both, as before duties existed
   */
  readonly duty?: ExecutionRoleDuty;
}

/** JumpStart's training script and public datasets, and its gated base weights, in the region. */
const JUMPSTART_BUCKETS = ['jumpstart-cache-prod', 'jumpstart-private-cache-prod'];
/** The Deep Learning Container repositories each duty pulls from. */
const TRAINING_IMAGE_REPOSITORY = 'huggingface-pytorch-training';
const INFERENCE_IMAGE_REPOSITORY = 'djl-inference';

const DESCRIPTIONS: Record<ExecutionRoleDuty, string> = {
  [ExecutionRoleDuty.TRAINING]: 'Runs Llama 3 fine-tuning jobs',
  [ExecutionRoleDuty.INFERENCE]: 'Runs the endpoints serving Llama 3 models',
  [ExecutionRoleDuty.TRAINING_AND_INFERENCE]:
    'Runs Llama 3 fine-tuning jobs and the endpoint serving the fine-tuned model',
};

/**
 * The role SageMaker training jobs and endpoints run as, with least privilege for its duty
 * (`duty`): training reads the data prefixes, writes the output prefix, uses the key and reads
 * JumpStart's artifact buckets of the region; inference only reads the output prefix and
 * decrypts. Both pull their Deep Learning Container image and write metrics. No
 * AmazonSageMakerFullAccess.
 */
export class SageMakerExecutionRole extends iam.Role {
  /**
   * An existing role, used as is: no permissions are added to it. The resources' grant
   * methods (`TrainingDataBuckets.grantReadData`, ...) still work on it where it is mutable.
   */
  public static fromExistingRoleArn(scope: Construct, id: string, roleArn: string): iam.IRole {
    return iam.Role.fromRoleArn(scope, id, roleArn, { mutable: false });
  }

  /** What the role is for. */
  public readonly duty: ExecutionRoleDuty;

  constructor(scope: Construct, id: string, props: SageMakerExecutionRoleProps) {
    const duty = checkRoleProps(props);
    super(scope, id, {
      assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com'),
      description: DESCRIPTIONS[duty],
    });
    this.duty = duty;
    const trains = duty !== ExecutionRoleDuty.INFERENCE;
    const serves = duty !== ExecutionRoleDuty.TRAINING;
    const stack = Stack.of(this);
    acknowledgeRules(this, {
      'NIST.800.53.R5-IAMNoInlinePolicy':
        "Its policy belongs to this role alone; every statement is scoped to the stack's buckets, key, " +
        "jobs and JumpStart's artifacts, and grows with the grant methods.",
    });

    if (trains) {
      const dataPrefixes = props.dataPrefixes ?? [
        TrainingDataBuckets.TRAINING_PREFIX,
        TrainingDataBuckets.VALIDATION_PREFIX,
      ];
      dataPrefixes.forEach((prefix) => this.grantPrefix(props.dataBucket!, prefix, false, 'training data files'));
    }
    // Read (the endpoint loads the model) and, for training, put (the job writes it); never delete.
    const outputPrefix = props.outputPrefix ?? TrainingDataBuckets.OUTPUT_PREFIX;
    this.grantPrefix(props.modelBucket, outputPrefix, trains, 'model artifacts');
    if (props.encryptionKey && trains) {
      props.encryptionKey.grantEncryptDecrypt(this);
      // SageMaker creates grants on the key for the volumes and uploads it manages for the job.
      this.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: ['kms:CreateGrant', 'kms:DescribeKey'],
          resources: [props.encryptionKey.keyArn],
          conditions: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
        }),
      );
    } else if (props.encryptionKey) {
      // An endpoint only reads the model: decrypt, never encrypt (data capture grants its own encrypt).
      props.encryptionKey.grantDecrypt(this);
    }

    if (trains) {
      acknowledgeWildcardActions(this, {
        'kms:ReEncrypt*': 'Key usage of the project key only, needed to read and write the encrypted buckets.',
        'kms:GenerateDataKey*': 'Key usage of the project key only, needed to write encrypted output.',
      });
      // JumpStart's training script, base weights (gated bucket) and public datasets. A base-model
      // endpoint's weights are granted by the endpoint, on that model's prefix alone.
      const jumpStartBuckets = JUMPSTART_BUCKETS.map((name) => `arn:${Aws.PARTITION}:s3:::${name}-${Aws.REGION}`);
      this.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: 'ReadJumpStartArtifacts',
          actions: ['s3:GetObject', 's3:ListBucket'],
          resources: jumpStartBuckets.flatMap((arn) => [arn, `${arn}/*`]),
        }),
      );
      acknowledgeWildcardResources(
        this,
        jumpStartBuckets.map((arn) => `${arn}/*`),
        "JumpStart's training script, gated base weights and public datasets of the region, read-only.",
      );
    }

    const dlcAccount = stack.regionalFact(FactName.DLC_REPOSITORY_ACCOUNT);
    const repositories = [
      ...(trains ? [TRAINING_IMAGE_REPOSITORY] : []),
      ...(serves ? [INFERENCE_IMAGE_REPOSITORY] : []),
    ];
    this.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'PullDeepLearningContainers',
        actions: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'],
        resources: repositories.map(
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
    acknowledgeWildcardResources(
      this,
      ['*'],
      'ecr:GetAuthorizationToken and cloudwatch:PutMetricData have no resource-level permissions; PutMetricData is limited by a namespace condition.',
    );
  }

  /**
   * Objects under one prefix: get (and put, for the output), and list only that prefix.
   * The buckets' own key, if any, is granted too.
   */
  private grantPrefix(bucket: s3.IBucket, prefix: string, write: boolean, what: string): void {
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
      `Objects under ${prefix} only: ${what} have names only known at run time.`,
    );
  }
}

/**
 * The duty, and the buckets and prefixes granted on: a grant on a URI or on `training` (no `/`)
 * would reach the wrong keys, and an inference role given training data would silently not read it.
 */
function checkRoleProps(props: SageMakerExecutionRoleProps): ExecutionRoleDuty {
  const duties: unknown[] = Object.values(ExecutionRoleDuty);
  const duty: unknown = props.duty ?? ExecutionRoleDuty.TRAINING_AND_INFERENCE;
  if (!duties.includes(duty)) {
    throw configurationError([
      `duty is ${showValue(props.duty)}; allowed: ${duties.map((d) => showValue(d)).join(', ')} ` +
        '(ExecutionRoleDuty.TRAINING, .INFERENCE, .TRAINING_AND_INFERENCE). ' +
        'Fix: pick one, or leave it out for one role that trains and serves.',
    ]);
  }
  const prefixes: unknown = props.dataPrefixes;
  if (duty === ExecutionRoleDuty.INFERENCE) {
    const ignored = (['dataBucket', 'dataPrefixes'] as const).filter((prop) => props[prop] !== undefined);
    throwIfProblems([
      requiredProblem('modelBucket', props.modelBucket, 'the s3.IBucket the model is read from'),
      ignored.length === 0
        ? undefined
        : `duty is "inference", which reads no training data, but ${ignored.join(' and ')} ` +
          `${ignored.length > 1 ? 'are' : 'is'} given and would be ignored. ` +
          'Fix: drop them, or use duty "training" (or leave duty out) for a role that reads the data.',
      props.outputPrefix === undefined ? undefined : keyPrefixProblem('outputPrefix', props.outputPrefix),
    ]);
    return duty as ExecutionRoleDuty;
  }
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
  return duty as ExecutionRoleDuty;
}
