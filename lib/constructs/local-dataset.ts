import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  Annotations,
  Aws,
  Stack,
  BOOTSTRAP_QUALIFIER_CONTEXT,
  DefaultStackSynthesizer,
  FileSystem,
  Size,
  Validations,
} from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { acknowledgeRules, acknowledgeWildcardActions, acknowledgeWildcardResources } from './nag-acknowledgements';
import { configurationError, throwIfProblems } from '../config/configuration-error';
import { keyPrefixProblem, requiredProblem } from '../config/input-checks';
import { showValue } from '../config/show-value';
import { DatasetFormat, DatasetValidator } from '../datasets/dataset-validator';
import { handlerNetworkProps } from './private/handler-network';

/** Problems shown in a synth error; `llama3-ft validate-data` lists them all. */
const PROBLEMS_SHOWN = 20;

/** Props of LocalDataset. */
export interface LocalDatasetProps {
  /** Local directory holding the dataset. */
  readonly sourceDirectory: string;
  /** Format the training mode reads; the directory is checked against it at synth. */
  readonly format: DatasetFormat;
  /** Bucket to upload into. */
  readonly bucket: s3.IBucket;
  /** Key prefix to upload under (e.g. `training/`); a hash of the content is appended. */
  readonly prefix: string;
  /**
   * Key to encrypt the uploaded objects with.
   * @default - the bucket's default encryption
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * The training's max_input_length, for the padding warning.
   * @default -1
   */
  readonly maxInputLength?: number;
}

/**
 * A local dataset directory, checked at synth against the format its training
 * mode needs and uploaded with the stack. A broken dataset stops synth with its
 * problems by file and line, so it never reaches a training job.
 */
export class LocalDataset extends Construct {
  /** s3:// URI of the uploaded dataset; changes when the content does. */
  public readonly s3Uri: string;
  /** Samples (records) in the dataset, as the validator counted them. */
  public readonly sampleCount: number;
  /** The upload; training must start after it. */
  public readonly deployment: s3deploy.BucketDeployment;

  constructor(scope: Construct, id: string, props: LocalDatasetProps) {
    super(scope, id);
    throwIfProblems([
      requiredProblem('bucket', props.bucket, 'the s3.IBucket to upload into'),
      keyPrefixProblem('prefix', props.prefix),
      typeof props.sourceDirectory === 'string' && props.sourceDirectory.trim() !== ''
        ? undefined
        : `sourceDirectory is ${showValue(props.sourceDirectory)}; allowed: the path of a local dataset directory. Fix: e.g. "./data/train".`,
      Object.values(DatasetFormat).includes(props.format)
        ? undefined
        : `format is ${showValue(props.format)}; allowed: ${Object.values(DatasetFormat)
            .map((f) => showValue(f))
            .join(
              ', ',
            )} (DatasetFormat). Fix: pass the format the training mode reads, e.g. DatasetFormat.DOMAIN_ADAPTATION.`,
      maxInputLengthProblem(props.maxInputLength),
    ]);
    const directory = resolve(props.sourceDirectory);
    if (!existsSync(directory) || !statSync(directory).isDirectory()) {
      throw configurationError([
        `sourceDirectory is ${showValue(props.sourceDirectory)}, which is neither an s3:// URI nor a local directory. ` +
          'Fix: give s3://bucket/prefix/ or the path of a dataset directory.',
      ]);
    }
    const report = DatasetValidator.validateDirectory(directory, {
      format: props.format,
      maxInputLength: props.maxInputLength,
    });
    const errors = report.problems.filter((p) => p.severity === 'error');
    if (report.errorCount > 0) {
      throw configurationError([
        `sourceDirectory "${props.sourceDirectory}" is not valid ${props.format} data ` +
          `(${report.errorCount} error(s)):\n${errors
            .slice(0, PROBLEMS_SHOWN)
            .map((p) => `      ${DatasetValidator.formatProblem(p)}`)
            .join('\n')}` +
          `${report.errorCount > PROBLEMS_SHOWN ? `\n      ... run \`npx llama3-ft validate-data ${props.sourceDirectory} --mode ${props.format}\` for all of them` : ''}`,
      ]);
    }
    for (const warning of report.problems.filter((p) => p.severity === 'warning')) {
      Annotations.of(this).addWarningV2(
        'llama3-ft:dataset',
        `sourceDirectory: ${DatasetValidator.formatProblem(warning)}`,
      );
    }

    this.sampleCount = report.records;

    // A content-addressed prefix: changed data is a changed training input, and so a new job.
    const key = `${props.prefix}${FileSystem.fingerprint(directory).slice(0, 16)}/`;
    this.deployment = new s3deploy.BucketDeployment(this, 'Upload', {
      sources: [s3deploy.Source.asset(directory)],
      destinationBucket: props.bucket,
      destinationKeyPrefix: key,
      prune: false,
      retainOnDelete: true,
      serverSideEncryption: props.encryptionKey ? s3deploy.ServerSideEncryption.AWS_KMS : undefined,
      serverSideEncryptionAwsKmsKeyId: props.encryptionKey?.keyId,
      memoryLimit: 1024,
      ephemeralStorageSize: Size.gibibytes(10),
      ...handlerNetworkProps(this),
    });
    this.s3Uri = props.bucket.s3UrlForObject(key);
    acknowledgeUploadHandler(this.deployment, props.bucket);
  }
}

/** aws-cdk-lib's upload handler is shared by every BucketDeployment of the stack; what it holds is CDK's design. */
function acknowledgeUploadHandler(deployment: s3deploy.BucketDeployment, bucket: s3.IBucket): void {
  const handler = deployment.handlerRole.node.scope!;
  const reason =
    'aws-cdk-lib BucketDeployment handler: copies the dataset from the CDK asset bucket into the data bucket under a content-hashed prefix.';
  Validations.of(handler).acknowledge({
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    reason: `${reason} Its role is created by aws-cdk-lib with this policy for logs.`,
  });
  Validations.of(handler).acknowledge({
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole]',
    reason: `${reason} In a VPC, aws-cdk-lib gives its role this policy to attach it to the subnets.`,
  });
  Validations.of(handler).acknowledge({
    id: 'AwsSolutions-L1',
    reason: `${reason} aws-cdk-lib pins its Python runtime to the AWS CLI layer it bundles.`,
  });
  acknowledgeWildcardActions(
    handler,
    Object.fromEntries(
      [
        's3:GetObject*',
        's3:GetBucket*',
        's3:List*',
        's3:DeleteObject*',
        's3:Abort*',
        'kms:ReEncrypt*',
        'kms:GenerateDataKey*',
      ].map((a) => [a, `${reason} Grants of the bucket grant methods.`]),
    ),
  );
  // Objects it reads from the bootstrap asset bucket and writes into the destination bucket are named at deploy time.
  const qualifier =
    deployment.node.tryGetContext(BOOTSTRAP_QUALIFIER_CONTEXT) ?? DefaultStackSynthesizer.DEFAULT_QUALIFIER;
  // The bucket as the synthesizer names it: the stack's own account and region, tokens or not.
  const stack = Stack.of(deployment);
  acknowledgeWildcardResources(
    handler,
    [`arn:${Aws.PARTITION}:s3:::cdk-${qualifier}-assets-${stack.account}-${stack.region}/*`],
    `${reason} It reads the dataset's asset zip from the CDK bootstrap bucket.`,
  );
  acknowledgeWildcardResources(handler, [bucket.arnForObjects('*')], `${reason} It writes the dataset's files.`);
  acknowledgeRules(handler, {
    'NIST.800.53.R5-LambdaInsideVPC': `${reason} It copies between two S3 buckets at deploy time; aws-cdk-lib runs it outside a VPC.`,
    'NIST.800.53.R5-LambdaConcurrency': `${reason} Reserved concurrency fails the deploy in accounts at the minimum concurrency limit.`,
    'NIST.800.53.R5-LambdaDLQ': `${reason} CloudFormation calls it and fails the deploy when it fails.`,
    'NIST.800.53.R5-IAMNoInlinePolicy': `${reason} aws-cdk-lib attaches its grants as the role's own policy.`,
  });
}

/** max_input_length as the training reads it: -1 (the default), or a positive number of tokens. */
function maxInputLengthProblem(value: unknown): string | undefined {
  if (value === undefined || value === -1 || (typeof value === 'number' && Number.isInteger(value) && value >= 1))
    return undefined;
  return `maxInputLength is ${showValue(value)}; allowed: -1 (the model's default) or an integer >= 1 (tokens). Fix: e.g. 1024, or leave it out.`;
}
