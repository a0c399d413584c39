/**
 * Custom resource `Custom::JumpStartModelArtifacts`: looks up the region's training image,
 * training script and gated weights, or hosting image, base model and hosting environment, of
 * a JumpStart model in SageMaker's public hub, as JumpStart itself does. Without a requested
 * version it keeps the version it resolved before, so a later deploy never moves what trains.
 */
import { DescribeHubContentCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { CustomResourceEvent, CustomResourceResult, respond } from './shared/cfn-response';
import {
  HubArtifactsAttributes,
  HubArtifactsProperties,
  hostingArtifactsFromHubDocument,
  hostingEnvironmentFromHubDocument,
  trainingArtifactsFromHubDocument,
} from './shared/hub-content';

const sagemaker = new SageMakerClient({ maxAttempts: 10, retryMode: 'adaptive' });

/** The resource's physical id records what it resolved: `<model id>@<version>`. */
const physicalId = (modelId: string, version: string) => `${modelId}@${version}`;

/**
 * On an update of the same model, the version this resource resolved before. Only an update can
 * have one: CloudFormation sends a physical id with updates and deletes (which end earlier), never
 * with a create.
 */
function keptVersion(event: CustomResourceEvent<HubArtifactsProperties>): string | undefined {
  const before = physicalId(event.ResourceProperties.ModelId, '');
  const id = event.PhysicalResourceId ?? '';
  return id.startsWith(before) && id.length > before.length ? id.slice(before.length) : undefined;
}

export async function handle(
  event: CustomResourceEvent<HubArtifactsProperties>,
): Promise<CustomResourceResult<HubArtifactsAttributes>> {
  const props = event.ResourceProperties;
  if (event.RequestType === 'Delete') return { physicalResourceId: event.PhysicalResourceId! };

  const requested = props.HubContentVersion || keptVersion(event);
  let response;
  try {
    response = await sagemaker.send(
      new DescribeHubContentCommand({
        HubName: 'SageMakerPublicHub',
        HubContentType: 'Model',
        HubContentName: props.ModelId,
        HubContentVersion: requested,
      }),
    );
  } catch (error) {
    const { name, message } = error as Error;
    throw new Error(
      `Could not look up ${props.ModelId}${requested ? ` version ${requested}` : ''} in SageMakerPublicHub: ${name}: ${message}`,
      { cause: error },
    );
  }
  const document = response.HubContentDocument ?? '{}';
  const version = response.HubContentVersion ?? '';
  const training =
    props.TrainingInstanceType &&
    trainingArtifactsFromHubDocument(document, props.TrainingInstanceType, props.FallbackTrainingInstanceTypes);
  const hosting = props.HostingInstanceType && hostingArtifactsFromHubDocument(document, props.HostingInstanceType);
  const environment =
    props.HostingInstanceType &&
    hostingEnvironmentFromHubDocument(document, props.HostingInstanceType, props.HostingEnvironment ?? {});
  console.log(
    JSON.stringify({
      modelId: props.ModelId,
      version,
      kept: !props.HubContentVersion && !!requested,
      ...training,
      ...hosting,
      hostingEnvironment: environment || undefined,
    }),
  );
  return {
    physicalResourceId: physicalId(props.ModelId, version),
    data: {
      HubContentVersion: version,
      ...(training && {
        TrainingImageUri: training.trainingImageUri,
        TrainingScriptUri: training.trainingScriptUri,
        GatedWeightsUri: training.gatedWeightsUri,
        GatedWeightsInput: training.gatedWeightsInput,
      }),
      ...(hosting && { HostingImageUri: hosting.hostingImageUri, BaseModelUri: hosting.baseModelUri }),
      ...(environment &&
        Object.fromEntries(
          Object.entries(environment.environment).map(([name, value]) => [`HostingEnvironment.${name}`, value]),
        )),
    },
  };
}

export const handler = (event: CustomResourceEvent<HubArtifactsProperties>) => respond(event, handle);
