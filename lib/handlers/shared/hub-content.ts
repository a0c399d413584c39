import { instanceFamily } from '../../models/instance-types';

/**
 * Reads the artifact URIs JumpStart would use out of a SageMaker public hub
 * content document (the `HubContentDocument` of `DescribeHubContent`).
 */
export interface ModelArtifacts {
  readonly trainingImageUri: string;
  readonly trainingScriptUri: string;
  readonly gatedWeightsUri: string;
  readonly hostingImageUri: string;
}

/** The `Custom::JumpStartModelArtifacts` resource's properties, shared by the construct and the handler. */
export interface HubArtifactsProperties {
  readonly ModelId: string;
  /** Empty for the newest version. */
  readonly HubContentVersion: string;
  readonly TrainingInstanceType: string;
  readonly HostingInstanceType: string;
}

/** The attributes the resource returns (`getAtt`). */
export interface HubArtifactsAttributes {
  readonly HubContentVersion: string;
  readonly TrainingImageUri: string;
  readonly TrainingScriptUri: string;
  readonly GatedWeightsUri: string;
  readonly HostingImageUri: string;
}

interface Variant {
  Properties?: { ImageUri?: string; GatedModelEnvVarUri?: string };
}
interface HubDocument {
  TrainingEcrUri?: string;
  TrainingScriptUri?: string;
  TrainingArtifactUri?: string;
  HostingEcrUri?: string;
  TrainingInstanceTypeVariants?: { Variants?: Record<string, Variant> };
  HostingInstanceTypeVariants?: { Variants?: Record<string, Variant> };
}

function variant(variants: Record<string, Variant> | undefined, instanceType: string): Variant['Properties'] {
  // An exact instance type entry wins over the family entry.
  return { ...variants?.[instanceFamily(instanceType)]?.Properties, ...variants?.[instanceType]?.Properties };
}

export function artifactsFromHubDocument(
  documentJson: string,
  trainingInstanceType: string,
  hostingInstanceType: string,
): ModelArtifacts {
  const doc = JSON.parse(documentJson) as HubDocument;
  const training = variant(doc.TrainingInstanceTypeVariants?.Variants, trainingInstanceType);
  const hosting = variant(doc.HostingInstanceTypeVariants?.Variants, hostingInstanceType);
  const artifacts = {
    trainingImageUri: training?.ImageUri ?? doc.TrainingEcrUri,
    trainingScriptUri: doc.TrainingScriptUri,
    // Gated weights are per instance family; the family-less artifact is the fallback.
    gatedWeightsUri: training?.GatedModelEnvVarUri ?? doc.TrainingArtifactUri,
    hostingImageUri: hosting?.ImageUri ?? doc.HostingEcrUri,
  };
  const missing = Object.entries(artifacts)
    .filter(([, v]) => !v)
    .map(([k]) => k);
  if (missing.length > 0) {
    throw new Error(
      `The hub content document has no ${missing.join(', ')} for training on ${trainingInstanceType} ` +
        `and hosting on ${hostingInstanceType}; give them as props to override.`,
    );
  }
  return artifacts as ModelArtifacts;
}
