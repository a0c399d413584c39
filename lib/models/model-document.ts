/**
 * Turns AWS's own description of a JumpStart model into a catalogue entry: a SageMaker
 * public hub document (`DescribeHubContent` on `SageMakerPublicHub`, whole answer or its
 * `HubContentDocument`) or a JumpStart model spec (the SDK's `<model_id>.json`). Run by
 * `npm run catalogue:import -- FILE`; a test regenerates every stored entry with it.
 *
 * The two shapes say the same things in different spellings, so each is first read into
 * one `DocumentFacts`; anything a document says that this library cannot honour (an
 * unknown hyperparameter or instance type, a default out of its own range) stops the
 * import with what to add, instead of producing an entry that promises it.
 */
import {
  HYPERPARAMETER_MEANINGS,
  HyperparameterSpec,
  LORA_TARGET_MODULES,
  OPTIONAL_HYPERPARAMETERS,
  hyperparameterMeaning,
  inSageMakerOrder,
} from '../config/hyperparameter-specs';
import { COMMON_LMI_ENVIRONMENT } from './hosting-environment';
import { instanceFacts, instanceFamily } from './instance-types';
import { LLAMA_FAMILIES } from './llama-families';
import { HostingResourceNeeds, ModelSpec } from './model-spec';

interface DocumentHyperparameter {
  readonly name: string;
  readonly type: string;
  readonly default: unknown;
  readonly min?: number;
  readonly max?: number;
  readonly options?: readonly string[];
  readonly scope?: string;
}

interface DocumentVariable {
  readonly name: string;
  readonly default: unknown;
  readonly required: boolean;
  readonly scope?: string;
}

interface InstanceVariant {
  readonly environment?: Record<string, unknown>;
  readonly needs?: HostingResourceNeeds;
}

/** What either document shape says, in one spelling. */
interface DocumentFacts {
  readonly modelId: string;
  readonly description: string;
  readonly version?: string;
  readonly hyperparameters: readonly DocumentHyperparameter[];
  readonly training: {
    readonly defaultInstanceType: string;
    readonly supportedInstanceTypes: readonly string[];
    /** Instance families with gated weights; undefined when the weights are not gated. */
    readonly gatedFamilies?: readonly string[];
  };
  readonly hosting: {
    readonly defaultInstanceType: string;
    readonly supportedInstanceTypes: readonly string[];
    readonly environment: readonly DocumentVariable[];
    readonly variants: Readonly<Record<string, InstanceVariant>>;
  };
  readonly disableOutputCompression: boolean;
  readonly licenceName?: string;
  readonly eulaUrl: string;
  readonly datasetKey: string;
}

/** A document the importer cannot turn into an entry; the message says what to add or fix. */
export class ModelDocumentError extends Error {
  constructor(problems: readonly string[]) {
    super(`The model document cannot be imported:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ModelDocumentError';
  }
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * The catalogue entry a model document describes.
 * @param text the document as stored
 * @param modelIdHint the model id, for a bare hub document (it does not name its model)
 */
export function importModelDocument(text: string, modelIdHint?: string): ModelSpec {
  const json = JSON.parse(text) as Json;
  const facts =
    typeof json.model_id === 'string'
      ? specFacts(json)
      : typeof json.HubContentDocument === 'string'
        ? hubFacts(JSON.parse(json.HubContentDocument), json.HubContentName, json.HubContentVersion)
        : hubFacts(json, modelIdHint);
  return entryOf(facts);
}

function hubFacts(doc: Json, modelId: string | undefined, version?: string): DocumentFacts {
  if (!modelId) {
    throw new ModelDocumentError([
      'a bare hub content document does not name its model. Fix: give the model id (--model-id) or import the whole DescribeHubContent answer.',
    ]);
  }
  const region = /\.dkr\.ecr\.([a-z0-9-]+)\./.exec(String(doc.HostingEcrUri))?.[1] ?? 'region unknown';
  const trainingVariants: Json = doc.TrainingInstanceTypeVariants?.Variants ?? {};
  const hostingVariants: Json = doc.HostingInstanceTypeVariants?.Variants ?? {};
  return {
    modelId,
    description: `SageMaker public hub document (DescribeHubContent on SageMakerPublicHub, ${region})`,
    version,
    hyperparameters: (doc.Hyperparameters ?? []).map((h: Json) => ({
      name: h.Name,
      type: h.Type,
      default: h.Default,
      min: h.Min,
      max: h.Max,
      options: h.Options,
      scope: h.Scope,
    })),
    training: {
      defaultInstanceType: doc.DefaultTrainingInstanceType,
      supportedInstanceTypes: doc.SupportedTrainingInstanceTypes ?? [],
      gatedFamilies: doc.GatedBucket
        ? Object.keys(trainingVariants).filter((k) => trainingVariants[k]?.Properties?.GatedModelEnvVarUri)
        : undefined,
    },
    hosting: {
      defaultInstanceType: doc.DefaultInferenceInstanceType,
      supportedInstanceTypes: doc.SupportedInferenceInstanceTypes ?? [],
      // Stryker disable next-line ArrayDeclaration: a list of anything but variables is read as none (not required).
      environment: (doc.InferenceEnvironmentVariables ?? []).map((v: Json) => ({
        name: v.Name,
        default: v.Default,
        required: v.RequiredForModelClass === true,
        scope: v.Scope,
      })),
      variants: Object.fromEntries(
        Object.entries(hostingVariants).map(([type, v]: [string, Json]) => [
          type,
          {
            environment: v?.Properties?.EnvironmentVariables,
            needs: needsOf(
              v?.Properties?.ResourceRequirements?.MinMemoryMb,
              v?.Properties?.ResourceRequirements?.NumAccelerators,
            ),
          },
        ]),
      ),
    },
    disableOutputCompression: doc.DisableOutputCompression === true,
    eulaUrl: httpsUrl(doc.HostingEulaUri),
    datasetKey: cacheObject(doc.DefaultTrainingDatasetUri)?.key ?? '',
  };
}

function specFacts(spec: Json): DocumentFacts {
  // The SDK deploys with the first-ranked inference configuration; its variants and instance
  // types are the ones a deploy uses.
  const ranked: string | undefined = spec.inference_config_rankings?.overall?.rankings?.[0];
  const component: Json = (ranked && spec.inference_config_components?.[ranked]) || {};
  const hostingVariants: Json =
    (component.hosting_instance_type_variants ?? spec.hosting_instance_type_variants)?.variants ?? {};
  const trainingVariants: Json = spec.training_instance_type_variants?.variants ?? {};
  return {
    modelId: spec.model_id,
    description: `JumpStart model spec ${spec.version}`,
    version: spec.version,
    hyperparameters: spec.hyperparameters ?? [],
    training: {
      defaultInstanceType: spec.default_training_instance_type,
      supportedInstanceTypes: spec.supported_training_instance_types ?? [],
      gatedFamilies: spec.gated_bucket
        ? Object.keys(trainingVariants).filter((k) => trainingVariants[k]?.properties?.gated_model_key_env_var_value)
        : undefined,
    },
    hosting: {
      defaultInstanceType: component.default_inference_instance_type ?? spec.default_inference_instance_type,
      supportedInstanceTypes:
        component.supported_inference_instance_types ?? spec.supported_inference_instance_types ?? [],
      // Stryker disable next-line ArrayDeclaration: a list of anything but variables is read as none (not required).
      environment: (component.inference_environment_variables ?? spec.inference_environment_variables ?? []).map(
        (v: Json) => ({
          name: v.name,
          default: v.default,
          required: v.required_for_model_class === true,
          scope: v.scope,
        }),
      ),
      variants: Object.fromEntries(
        Object.entries(hostingVariants).map(([type, v]: [string, Json]) => [
          type,
          {
            environment: v?.properties?.environment_variables,
            needs: needsOf(
              v?.properties?.resource_requirements?.min_memory_mb,
              v?.properties?.resource_requirements?.num_accelerators,
            ),
          },
        ]),
      ),
    },
    disableOutputCompression: spec.estimator_kwargs?.disable_output_compression === true,
    licenceName: spec.license,
    eulaUrl: spec.hosting_eula_key ? httpsUrl(`s3://jumpstart-cache-prod-us-east-1/${spec.hosting_eula_key}`) : '',
    datasetKey: spec.default_training_dataset_key ?? '',
  };
}

function needsOf(minMemoryMb: unknown, accelerators: unknown): HostingResourceNeeds | undefined {
  return typeof minMemoryMb === 'number' && typeof accelerators === 'number'
    ? { minMemoryMb, accelerators }
    : undefined;
}

/** An object of JumpStart's public cache bucket of a region, from an address that is wholly its `s3://` URI. */
function cacheObject(s3Uri: unknown): { bucket: string; region: string; key: string } | undefined {
  const match = /^s3:\/\/(jumpstart-cache-prod-([a-z0-9-]+))\/(.+)$/.exec(String(s3Uri));
  return match ? { bucket: match[1], region: match[2], key: match[3] } : undefined;
}

/** `s3://bucket-of-region/key` as the public https address the SDK prints for a EULA. */
function httpsUrl(s3Uri: unknown): string {
  const object = cacheObject(s3Uri);
  return object ? `https://${object.bucket}.s3.${object.region}.amazonaws.com/${object.key}` : '';
}

function entryOf(facts: DocumentFacts): ModelSpec {
  const problems: string[] = [];
  const family = LLAMA_FAMILIES.find((f) => facts.modelId.startsWith(f.idPrefix));
  if (!family) {
    problems.push(
      `${facts.modelId} is not of a Llama family the library knows (${LLAMA_FAMILIES.map((f) => f.name).join(', ')}). ` +
        'Fix: add its family (context length, licence) to lib/models/llama-families.ts.',
    );
    throw new ModelDocumentError(problems);
  }
  const hyperparameters = inSageMakerOrder(
    facts.hyperparameters
      .filter((h) => h.scope !== 'container')
      .map((h) => hyperparameterOf(h, problems))
      .filter((h): h is HyperparameterSpec => h !== undefined),
  );
  const present = new Set(hyperparameters.map((h) => h.name));
  const missing = HYPERPARAMETER_MEANINGS.filter(
    (m) => !present.has(m.name) && !OPTIONAL_HYPERPARAMETERS.includes(m.name),
  ).map((m) => m.name);
  if (missing.length > 0) problems.push(`the document lacks the hyperparameters ${missing.join(', ')}.`);
  const technique = {
    int8Quantization: hyperparameters.find((h) => h.name === 'int8_quantization')?.default === true,
    enableFsdp: hyperparameters.find((h) => h.name === 'enable_fsdp')?.default === true,
  };
  if (technique.int8Quantization && technique.enableFsdp) {
    problems.push('the document defaults to both int8_quantization and enable_fsdp, which do not train together.');
  }

  checkInstanceTypes('training', facts.training.defaultInstanceType, facts.training.supportedInstanceTypes, problems);
  checkInstanceTypes('hosting', facts.hosting.defaultInstanceType, facts.hosting.supportedInstanceTypes, problems);
  const gated = facts.training.gatedFamilies;
  if (gated) {
    const ungated = facts.training.supportedInstanceTypes.filter((t) => !gated.includes(instanceFamily(t)));
    if (ungated.length > 0) {
      problems.push(`the document lists training on ${ungated.join(', ')} but has no gated weights for their family.`);
    }
  }
  if (!facts.eulaUrl) problems.push('the document has no EULA (HostingEulaUri / hosting_eula_key).');
  if (!facts.datasetKey) {
    problems.push(
      "the document has no default training dataset in JumpStart's cache bucket (jumpstart-cache-prod-<region>), " +
        'where the library reads it (DefaultTrainingDatasetUri / default_training_dataset_key).',
    );
  }
  if (problems.length > 0) throw new ModelDocumentError(problems);

  const supportedHosting = facts.hosting.supportedInstanceTypes;
  const instanceEnvironment = Object.fromEntries(
    supportedHosting
      .filter((t) => facts.hosting.variants[t]?.environment)
      .map((t) => [t, stringValues(facts.hosting.variants[t].environment!)]),
  );
  const resourceNeeds = Object.fromEntries(
    supportedHosting.filter((t) => facts.hosting.variants[t]?.needs).map((t) => [t, facts.hosting.variants[t].needs!]),
  );
  return {
    modelId: facts.modelId,
    displayName: displayName(facts.modelId, family.idPrefix, family.name),
    source: { description: facts.description, document: `${facts.modelId}.source.json`, version: facts.version },
    contextLength: family.contextLength,
    licence: { name: facts.licenceName ?? family.licenceName, url: facts.eulaUrl },
    hyperparameters,
    training: {
      defaultInstanceType: facts.training.defaultInstanceType,
      supportedInstanceTypes: facts.training.supportedInstanceTypes,
      defaultTechnique: technique,
      // Documents give the default technique only; the walkthrough measured the others on Llama 3 alone.
      supportedTechniques: [technique],
      disableOutputCompression: facts.disableOutputCompression,
      defaultDatasetKey: facts.datasetKey,
      measuredRuns: [],
    },
    hosting: {
      defaultInstanceType: facts.hosting.defaultInstanceType,
      supportedInstanceTypes: supportedHosting,
      environment: modelEnvironment(facts.hosting.environment),
      ...(Object.keys(instanceEnvironment).length > 0 ? { instanceEnvironment } : {}),
      ...(Object.keys(resourceNeeds).length > 0 ? { resourceNeeds } : {}),
    },
  };
}

function hyperparameterOf(h: DocumentHyperparameter, problems: string[]): HyperparameterSpec | undefined {
  const meaning = hyperparameterMeaning(h.name);
  if (!meaning) {
    problems.push(
      `hyperparameter ${h.name} (${h.type}, default ${JSON.stringify(h.default)}) has no prop in this library. ` +
        'Fix: add a prop to Hyperparameters and its meaning to HYPERPARAMETER_MEANINGS.',
    );
    return undefined;
  }
  const where = `hyperparameter ${h.name}`;
  switch (meaning.type) {
    case 'bool': {
      if (!['True', 'False'].every((o) => h.options?.includes(o)) || !['True', 'False'].includes(String(h.default))) {
        problems.push(`${where} should be True or False; the document says ${JSON.stringify(h)}.`);
        return undefined;
      }
      return { ...meaning, default: h.default === 'True' };
    }
    case 'modules': {
      const modules = String(h.default).split(',');
      const unknown = modules.filter((m) => !(LORA_TARGET_MODULES as readonly string[]).includes(m));
      if (unknown.length > 0) problems.push(`${where} defaults to unknown modules ${unknown.join(', ')}.`);
      return { ...meaning, default: modules };
    }
    case 'workers':
      // "None" (the main process) or a positive number of processes.
      return { ...meaning, min: 1, ...(h.default === 'None' ? {} : { default: Number(h.default) }) };
    case 'text':
      if (typeof h.default !== 'string' || h.default === '') {
        problems.push(`${where} has no text default; the document says ${JSON.stringify(h.default)}.`);
        return undefined;
      }
      // With no options listed, the default is the only value known to be read.
      return { ...meaning, default: h.default, options: h.options ?? [h.default] };
    default: {
      if (h.type !== meaning.type || typeof h.default !== 'number') {
        problems.push(`${where} should be ${meaning.type}; the document says ${JSON.stringify(h)}.`);
        return undefined;
      }
      // A document's Min of -1 admits 0, which trains on nothing: -1 is the one value below 1 the script reads.
      // Without a Min or a special value the comparison is with NaN, which is false: the Min is the document's.
      const min = Number(h.min) <= Number(meaning.special) ? 1 : h.min;
      const inRange =
        h.default === meaning.special ||
        ((min === undefined || h.default >= min) && (h.max === undefined || h.default <= h.max));
      if (!inRange) problems.push(`${where} defaults to ${h.default}, outside its own range ${min}..${h.max ?? ''}.`);
      return {
        ...meaning,
        default: h.default,
        ...(min !== undefined ? { min } : {}),
        ...(h.max !== undefined ? { max: h.max } : {}),
      };
    }
  }
}

function checkInstanceTypes(use: string, defaultType: string, supported: readonly string[], problems: string[]) {
  if (!supported.includes(defaultType)) {
    problems.push(`the default ${use} instance type ${defaultType} is not among the supported ones.`);
  }
  const unknown = supported.filter((t) => !instanceFacts(t));
  if (unknown.length > 0) {
    problems.push(
      `${use} instance types ${unknown.join(', ')} have no facts (GPUs, memory). Fix: add them to lib/models/instance-types.ts.`,
    );
  }
}

/** The container variables the model needs beyond the common LMI environment. */
function modelEnvironment(variables: readonly DocumentVariable[]): Record<string, string> {
  return Object.fromEntries(
    variables
      .filter((v) => v.required && v.scope === 'container' && COMMON_LMI_ENVIRONMENT[v.name] !== String(v.default))
      .map((v) => [v.name, String(v.default)]),
  );
}

function stringValues(values: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, String(v)]));
}

/** `meta-textgeneration-llama-3-2-1b-instruct` as "Meta Llama 3.2 1B Instruct". */
function displayName(modelId: string, prefix: string, familyName: string): string {
  const words = modelId
    .slice(prefix.length)
    .split('-')
    .map((w) => (/^(\d+b|fp8)$/.test(w) ? w.toUpperCase() : w[0].toUpperCase() + w.slice(1)));
  return `Meta ${familyName} ${words.join(' ')}`;
}

/** A generated entry's TypeScript: the entry as JSON, which the regeneration test compares byte for byte. */
export function renderEntry(entry: ModelSpec): string {
  return (
    `// Generated by \`npm run catalogue:import\` from ${entry.source.document}; do not edit: re-import the document.\n` +
    "import type { ModelSpec } from '../model-spec';\n\n" +
    `export const ${constantName(entry.modelId)}: ModelSpec = ${JSON.stringify(entry, undefined, 2)};\n`
  );
}

/** The list of generated entries, in model id order. */
export function renderIndex(modelIds: readonly string[]): string {
  const sorted = [...modelIds].sort();
  return (
    '// Generated by `npm run catalogue:import`; do not edit.\n' +
    "import type { ModelSpec } from '../model-spec';\n" +
    sorted.map((id) => `import { ${constantName(id)} } from './${id}';\n`).join('') +
    `\nexport const IMPORTED_MODELS: readonly ModelSpec[] = [${sorted.map(constantName).join(', ')}];\n`
  );
}

function constantName(modelId: string): string {
  // Every id is an imported model's, of a Llama family (meta-textgeneration-llama-3-…): the prefix is its start.
  // Stryker disable next-line Regex: equivalent, as said above.
  const name = modelId.replace(/^meta-textgeneration-/, '');
  return name.replace(/-/g, '_').toUpperCase();
}
