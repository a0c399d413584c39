/**
 * Custom resource `Custom::JumpStartModelArtifacts`: looks up the region's
 * training image, training script, gated weights, hosting image and hosting
 * environment of a JumpStart model in SageMaker's public hub, as JumpStart itself does.
 */
import { DescribeHubContentCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { CustomResourceEvent, CustomResourceResult, respond } from './shared/cfn-response';
import {
  HubArtifactsAttributes,
  HubArtifactsProperties,
  artifactsFromHubDocument,
  hostingEnvironmentFromHubDocument,
} from './shared/hub-content';

const sagemaker = new SageMakerClient({ maxAttempts: 10, retryMode: 'adaptive' });

export async function handle(
  event: CustomResourceEvent<HubArtifactsProperties>,
): Promise<CustomResourceResult<HubArtifactsAttributes>> {
  const props = event.ResourceProperties;
  if (event.RequestType === 'Delete') return { physicalResourceId: event.PhysicalResourceId! };

  let response;
  try {
    response = await sagemaker.send(
      new DescribeHubContentCommand({
        HubName: 'SageMakerPublicHub',
        HubContentType: 'Model',
        HubContentName: props.ModelId,
        HubContentVersion: props.HubContentVersion || undefined,
      }),
    );
  } catch (error) {
    const { name, message } = error as Error;
    throw new Error(
      `Could not look up ${props.ModelId}${props.HubContentVersion ? ` version ${props.HubContentVersion}` : ''} ` +
        `in SageMakerPublicHub: ${name}: ${message}`,
      { cause: error },
    );
  }
  const document = response.HubContentDocument ?? '{}';
  const artifacts = artifactsFromHubDocument(document, props.TrainingInstanceType, props.HostingInstanceType);
  const hosting = hostingEnvironmentFromHubDocument(document, props.HostingInstanceType, props.HostingEnvironment);
  const version = response.HubContentVersion ?? '';
  console.log(JSON.stringify({ modelId: props.ModelId, version, ...artifacts, hostingEnvironment: hosting }));
  return {
    physicalResourceId: `${props.ModelId}@${version}`,
    data: {
      HubContentVersion: version,
      TrainingImageUri: artifacts.trainingImageUri,
      TrainingScriptUri: artifacts.trainingScriptUri,
      GatedWeightsUri: artifacts.gatedWeightsUri,
      HostingImageUri: artifacts.hostingImageUri,
      BaseModelUri: artifacts.baseModelUri,
      ...Object.fromEntries(
        Object.entries(hosting.environment).map(([name, value]) => [`HostingEnvironment.${name}`, value]),
      ),
    },
  };
}

export const handler = (event: CustomResourceEvent<HubArtifactsProperties>) => respond(event, handle);
