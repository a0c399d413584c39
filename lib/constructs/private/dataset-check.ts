import { Aws, CustomResource, Duration, Size, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { grantListAndRead } from './s3-read-grants';
import type { TrainingDataConfig } from '../training-data';
import { MAX_TRAINING_RUNTIME } from './training-limits';
import { TrainingConfiguration } from '../../config/training-configuration';
import { MAX_CHECKED_BYTES } from '../../datasets/s3-dataset';
import { datasetFormatOf } from '../../datasets/training-format';
import type { DatasetCheckProperties } from '../../handlers/validate-dataset';
import { handlerFunction } from '../handler-function';
import { acknowledgeWildcardResources } from '../nag-acknowledgements';
import type { BudgetEndpoint } from '../../estimates/budget';

/** What the check is told about the job, for the runtime estimate with the real sample count. */
export interface DatasetCheckInputs {
  readonly training: TrainingDataConfig;
  readonly validation?: TrainingDataConfig;
  readonly configuration: TrainingConfiguration;
  /** The job's instance type, then its fallbacks': the estimate must fit on each. */
  readonly instanceTypes: string[];
  readonly maxRuntime: Duration;
  readonly skipRuntimeCheck: boolean;
  readonly maxBudgetUsd?: number;
  readonly budgetEndpoints: readonly BudgetEndpoint[];
}

/**
 * Data the deploy-time check can read: not checked at synth already (a local directory), and
 * named at synth or held by a CDK bucket whose grant reaches it.
 */
function checkable(data: TrainingDataConfig | undefined): data is TrainingDataConfig {
  return data !== undefined && data.checkedAtSynth !== true && (!Token.isUnresolved(data.s3Uri) || !!data.bucket);
}

/**
 * The deploy-time check of a job's S3 data (`Custom::TrainingDatasetCheck`), which the job
 * waits for, after what the data waits for (an upload); undefined when the training data
 * cannot be checked there (checked at synth, or at a location known only at deploy time).
 * Its function may read only the data prefixes, and decrypt only through S3 for objects
 * under them.
 */
export function datasetCheck(scope: Construct, inputs: DatasetCheckInputs): CustomResource | undefined {
  if (!checkable(inputs.training)) return undefined;
  const checked = [inputs.training, inputs.validation].filter(checkable);
  const channels = checked.filter((c) => !c.bucket).map((c) => c.s3Uri);
  const fn = handlerFunction(scope, 'validate-dataset', 'Checks S3 training data before the training job starts', {
    timeout: Duration.minutes(15),
    // A full vCPU for the validator; the copy of the largest prefix fits the disk.
    memorySize: 1769,
    ephemeralStorageSize: Size.mebibytes(MAX_CHECKED_BYTES / 1024 ** 2 + 1024),
  });
  for (const uri of channels) grantListAndRead(fn, uri);
  // A CDK bucket's grant covers its key too, and works before its name is known.
  for (const c of checked) c.bucket?.grantRead(fn, `${c.keyPrefix ?? ''}*`);
  // KMS-encrypted objects: any key, but only as S3 uses it for these objects. With an S3 Bucket
  // Key the encryption context is the bucket's ARN, not the object's; s3:GetObject still limits
  // what is read to the prefixes.
  const objectArns = channels.flatMap((uri) => {
    const path = uri.slice('s3://'.length);
    return [`arn:${Aws.PARTITION}:s3:::${path}*`, `arn:${Aws.PARTITION}:s3:::${path.split('/')[0]}`];
  });
  if (objectArns.length > 0) {
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['kms:Decrypt'],
        resources: ['*'],
        conditions: {
          StringEquals: { 'kms:ViaService': `s3.${Aws.REGION}.amazonaws.com` },
          StringLike: { 'kms:EncryptionContext:aws:s3:arn': objectArns },
        },
      }),
    );
    acknowledgeWildcardResources(
      fn.role!,
      ['*'],
      'The data keys are the buckets\u2019 own; decryption is allowed only through S3 for objects under the data prefixes.',
    );
  }
  const { configuration: config } = inputs;
  const checkRuntime = !inputs.skipRuntimeCheck && !inputs.maxRuntime.isUnresolved();
  const properties: DatasetCheckProperties = {
    TrainingDataUri: inputs.training.s3Uri,
    ValidationDataUri: checkable(inputs.validation) ? inputs.validation.s3Uri : undefined,
    Format: datasetFormatOf(config),
    MaxInputLength: String(config.hyperparameters.maxInputLength),
    MaxCheckedBytes: String(MAX_CHECKED_BYTES),
    Estimate:
      checkRuntime || inputs.maxBudgetUsd !== undefined
        ? {
            ModelId: config.model.modelId,
            InstanceTypes: inputs.instanceTypes,
            InstanceCount: String(config.instanceCount),
            Hyperparameters: JSON.stringify(config.hyperparameters),
            ...(checkRuntime
              ? {
                  MaxRuntimeMinutes: String(inputs.maxRuntime.toMinutes({ integral: false })),
                  LongestRuntimeMinutes: String(MAX_TRAINING_RUNTIME.toMinutes()),
                }
              : {}),
            ...(inputs.maxBudgetUsd !== undefined
              ? { MaxBudgetUsd: String(inputs.maxBudgetUsd), BudgetEndpoints: JSON.stringify(inputs.budgetEndpoints) }
              : {}),
          }
        : undefined,
  };
  const check = new CustomResource(scope, 'DatasetCheck', {
    resourceType: 'Custom::TrainingDatasetCheck',
    serviceToken: fn.functionArn,
    serviceTimeout: Duration.minutes(15),
    properties,
  });
  check.node.addDependency(fn.role!);
  // The data is read where it will be: after its upload.
  for (const c of checked) for (const d of c.dependables ?? []) check.node.addDependency(d);
  return check;
}
