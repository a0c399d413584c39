import { instanceFamily } from '../../models/instance-types';

/**
 * How a job receives JumpStart's gated base weights: the instance family's own weights in the
 * `SageMakerGatedModelS3Uri` environment variable, or — for a family the hub has none for — the
 * family-less weights as a `model` channel whose licence is accepted in the request
 * (`ModelAccessConfig`), as the SageMaker Python SDK's `fit(accept_eula=True)` sends them.
 */
export type GatedWeightsInput = 'environment' | 'model-channel';

/** The artifact URIs JumpStart trains with, for one training instance type. */
export interface TrainingArtifacts {
  readonly trainingImageUri: string;
  readonly trainingScriptUri: string;
  readonly gatedWeightsUri: string;
  readonly gatedWeightsInput: GatedWeightsInput;
}

/** The artifact URIs JumpStart hosts with, for one hosting instance type. */
export interface HostingArtifacts {
  readonly hostingImageUri: string;
  /** The base model's own hosting artifacts (gated: served with the licence accepted); empty when the hub has none. */
  readonly baseModelUri: string;
}

/**
 * The properties of a `Custom::JumpStartModelArtifacts` resource, shared by the construct and
 * the handler. One resource resolves the training artifacts (and the version), another the
 * hosting artifacts of that version, so a change of hosting never touches what trains.
 */
export interface HubArtifactsProperties {
  readonly ModelId: string;
  /** Empty: the version this resource resolved on an earlier deploy, kept; on its first, the newest. */
  readonly HubContentVersion: string;
  /** Resolve the training artifacts for this instance type. */
  readonly TrainingInstanceType?: string;
  /**
   * With TrainingInstanceType: the types SageMaker may choose instead (instance preferences). One
   * job runs on whichever has capacity, so the artifacts must suit all: one image, family-less weights.
   */
  readonly FallbackTrainingInstanceTypes?: string[];
  /** Resolve the hosting artifacts for this instance type. */
  readonly HostingInstanceType?: string;
  /**
   * With HostingInstanceType: the hosting container's environment the template passes, by name,
   * each with the value used when the hub document sets none (the catalogue's).
   */
  readonly HostingEnvironment?: Record<string, string>;
}

/** The attributes the resource returns (`getAtt`): the version, and what it was asked to resolve. */
export interface HubArtifactsAttributes {
  readonly HubContentVersion: string;
  readonly TrainingImageUri?: string;
  readonly TrainingScriptUri?: string;
  readonly GatedWeightsUri?: string;
  readonly GatedWeightsInput?: GatedWeightsInput;
  readonly HostingImageUri?: string;
  readonly BaseModelUri?: string;
  /** One attribute per name of `HostingEnvironment`: the hub's value, else the one asked with. */
  readonly [hostingEnvironment: `HostingEnvironment.${string}`]: string;
}

interface Variant {
  Properties?: { ImageUri?: string; GatedModelEnvVarUri?: string; EnvironmentVariables?: Record<string, unknown> };
}
interface EnvironmentVariable {
  Name?: string;
  Default?: unknown;
  Scope?: string;
}
interface HubDocument {
  TrainingEcrUri?: string;
  TrainingScriptUri?: string;
  TrainingArtifactUri?: string;
  HostingEcrUri?: string;
  HostingArtifactUri?: string;
  TrainingInstanceTypeVariants?: { Variants?: Record<string, Variant> };
  HostingInstanceTypeVariants?: { Variants?: Record<string, Variant> };
  InferenceEnvironmentVariables?: EnvironmentVariable[];
}

function variant(
  variants: Record<string, Variant> | undefined,
  instanceType: string,
): NonNullable<Variant['Properties']> {
  // An exact instance type entry wins over the family entry.
  return { ...variants?.[instanceFamily(instanceType)]?.Properties, ...variants?.[instanceType]?.Properties };
}

/** The artifacts when the document has each; else an error naming those it lacks. */
function requireAll<T extends object>(artifacts: Partial<T>, what: string): T {
  const missing = Object.entries(artifacts)
    .filter(([, v]) => !v)
    .map(([k]) => k);
  if (missing.length > 0) {
    throw new Error(
      `The hub content document has no ${missing.join(', ')} for ${what}; give them as props to override.`,
    );
  }
  return artifacts as T;
}

/**
 * The training artifacts for an instance type, or for a job SageMaker may run on any of several
 * (instance preferences): those take one image for all, and the family-less weights as a
 * `model` channel, since the job's request cannot depend on the type SageMaker picks.
 */
export function trainingArtifactsFromHubDocument(
  documentJson: string,
  instanceType: string,
  fallbackInstanceTypes: readonly string[] = [],
): TrainingArtifacts {
  const doc = JSON.parse(documentJson) as HubDocument;
  const imageFor = (type: string) =>
    variant(doc.TrainingInstanceTypeVariants?.Variants, type).ImageUri ?? doc.TrainingEcrUri;
  const training = variant(doc.TrainingInstanceTypeVariants?.Variants, instanceType);
  const image = imageFor(instanceType);
  const other = fallbackInstanceTypes.find((type) => imageFor(type) !== image);
  if (other) {
    throw new Error(
      `The hub content document trains ${instanceType} with ${image} but ${other} with ${imageFor(other)}; ` +
        `one job with instance preferences runs one image. Drop ${other} from the fallback instance types.`,
    );
  }
  const familyWeights = fallbackInstanceTypes.length === 0 ? training.GatedModelEnvVarUri : undefined;
  const artifacts = requireAll<Omit<TrainingArtifacts, 'gatedWeightsInput'>>(
    {
      trainingImageUri: image,
      trainingScriptUri: doc.TrainingScriptUri,
      // Gated weights are per instance family; the family-less artifact serves every family.
      gatedWeightsUri: familyWeights ?? doc.TrainingArtifactUri,
    },
    `training on ${[instanceType, ...fallbackInstanceTypes].join(', ')}`,
  );
  return { ...artifacts, gatedWeightsInput: familyWeights ? 'environment' : 'model-channel' };
}

export function hostingArtifactsFromHubDocument(documentJson: string, instanceType: string): HostingArtifacts {
  const doc = JSON.parse(documentJson) as HubDocument;
  const hosting = variant(doc.HostingInstanceTypeVariants?.Variants, instanceType);
  const { hostingImageUri } = requireAll<Pick<HostingArtifacts, 'hostingImageUri'>>(
    { hostingImageUri: hosting.ImageUri ?? doc.HostingEcrUri },
    `hosting on ${instanceType}`,
  );
  return { hostingImageUri, baseModelUri: doc.HostingArtifactUri ?? '' };
}

/** The hosting environment a deploy passes, and the hub's container variables it leaves out. */
export interface HostingEnvironment {
  readonly environment: Record<string, string>;
  /** Names the hub sets that the template does not pass (logged: a newer hub version than the catalogue knows). */
  readonly notPassed: string[];
}

/**
 * The container environment JumpStart deploys the model with on an instance type, as its
 * SDK builds it: the document's container-scope `InferenceEnvironmentVariables` defaults,
 * then the instance family's and the instance type's `EnvironmentVariables`. The template
 * names the variables it passes (`expected`); for those the hub answer wins, so the
 * environment and the image come from one document and cannot drift apart.
 */
export function hostingEnvironmentFromHubDocument(
  documentJson: string,
  hostingInstanceType: string,
  expected: Record<string, string>,
): HostingEnvironment {
  const doc = JSON.parse(documentJson) as HubDocument;
  const variants = doc.HostingInstanceTypeVariants?.Variants;
  const hub: Record<string, string> = {};
  // Stryker disable next-line ArrayDeclaration: a list of one string holds no variable with a name either.
  for (const variable of doc.InferenceEnvironmentVariables ?? []) {
    if (variable.Name && variable.Scope === 'container' && variable.Default !== undefined) {
      hub[variable.Name] = String(variable.Default);
    }
  }
  for (const key of [instanceFamily(hostingInstanceType), hostingInstanceType]) {
    for (const [name, value] of Object.entries(variants?.[key]?.Properties?.EnvironmentVariables ?? {})) {
      hub[name] = String(value);
    }
  }
  return {
    environment: Object.fromEntries(Object.entries(expected).map(([name, value]) => [name, hub[name] ?? value])),
    notPassed: Object.keys(hub).filter((name) => !(name in expected)),
  };
}
