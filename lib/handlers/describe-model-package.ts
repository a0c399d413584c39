/**
 * Custom resource `Custom::SageMakerModelPackage`: where a model registry version keeps its model,
 * read at deploy time (the version's ARN is all a serving stack knows), so that the endpoint's role
 * may read that model's objects and nothing else of the registering account.
 */
import { DescribeModelPackageCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { CustomResourceEvent, CustomResourceResult, respond } from './shared/cfn-response';

const sagemaker = new SageMakerClient({ maxAttempts: 10, retryMode: 'adaptive' });

export interface ModelPackageProperties {
  readonly ModelPackageArn: string;
}

export interface ModelPackageAttributes {
  /** The bucket holding the version's model. */
  readonly ModelBucket: string;
  /** The model's key: its model.tar.gz, or the prefix of an uncompressed model. */
  readonly ModelKey: string;
}

/** `s3://bucket/key` as bucket and key. */
function location(uri: string, arn: string): ModelPackageAttributes {
  // Stryker disable next-line Regex: without the final $ only a key with a newline would differ; S3 URIs hold none.
  const match = /^s3:\/\/([^/]+)\/(.*)$/.exec(uri);
  if (!match) throw new Error(`${arn} keeps its model at "${uri}", which is not an S3 location.`);
  return { ModelBucket: match[1], ModelKey: match[2] };
}

export async function handle(
  event: CustomResourceEvent<ModelPackageProperties>,
): Promise<CustomResourceResult<ModelPackageAttributes>> {
  const arn = event.ResourceProperties.ModelPackageArn;
  if (event.RequestType === 'Delete') return { physicalResourceId: event.PhysicalResourceId! };
  let version;
  try {
    version = await sagemaker.send(new DescribeModelPackageCommand({ ModelPackageName: arn }));
  } catch (error) {
    const { name, message } = error as Error;
    throw new Error(
      `Could not describe ${arn}: ${name}: ${message}. A version of another account is described only when ` +
        "that account's registry shares it (the training stack's modelConsumerAccountIds).",
      { cause: error },
    );
  }
  const containers = version.InferenceSpecification?.Containers ?? [];
  if (containers.length !== 1) {
    throw new Error(`${arn} has ${containers.length} containers; a fine-tuned Llama 3 version has one.`);
  }
  const [container] = containers;
  const uri = container.ModelDataUrl ?? container.ModelDataSource?.S3DataSource?.S3Uri;
  if (!uri) throw new Error(`${arn} names no model data (neither ModelDataUrl nor ModelDataSource).`);
  const data = location(uri, arn);
  // Stryker disable next-line ObjectLiteral: the log line, for a person reading the function's log.
  console.log(JSON.stringify({ modelPackageArn: arn, approval: version.ModelApprovalStatus, ...data }));
  return { physicalResourceId: arn, data };
}

export const handler = (event: CustomResourceEvent<ModelPackageProperties>) => respond(event, handle);
