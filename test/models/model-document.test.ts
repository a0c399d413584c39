// The importer on documents that differ from the stored ones in one part each: a field left out, written
// differently, or saying something the library cannot honour. Each document is a copy of a real one (the
// Llama 3.2 1B Instruct hub document, the Llama 3.1 70B JumpStart spec) with that one change.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ModelDocumentError, importModelDocument, renderIndex } from '../../lib/models/model-document';

type Doc = Record<string, any>;

const IMPORTED = join(__dirname, '..', '..', 'lib', 'models', 'imported');
const HUB_ID = 'meta-textgeneration-llama-3-2-1b-instruct';
const SPEC_ID = 'meta-textgeneration-llama-3-1-70b';
const HUB: Doc = JSON.parse(readFileSync(join(IMPORTED, `${HUB_ID}.source.json`), 'utf8'));
const SPEC: Doc = JSON.parse(readFileSync(join(IMPORTED, `${SPEC_ID}.source.json`), 'utf8'));

/** Every hyperparameter a fine-tuning document must list, in SageMaker's order (the four others are optional). */
const REQUIRED_HYPERPARAMETERS = [
  'epoch',
  'learning_rate',
  'lora_r',
  'lora_alpha',
  'target_modules',
  'lora_dropout',
  'per_device_train_batch_size',
  'per_device_eval_batch_size',
  'max_train_samples',
  'max_val_samples',
  'seed',
  'max_input_length',
  'validation_split_ratio',
  'train_data_split_seed',
  'preprocessing_num_workers',
  'int8_quantization',
  'enable_fsdp',
];
const NO_EULA = 'the document has no EULA (HostingEulaUri / hosting_eula_key).';
const NO_DATASET =
  "the document has no default training dataset in JumpStart's cache bucket (jumpstart-cache-prod-<region>), " +
  'where the library reads it (DefaultTrainingDatasetUri / default_training_dataset_key).';
const HUB_DESCRIPTION = 'SageMaker public hub document (DescribeHubContent on SageMakerPublicHub, ';

/** The hub document with one change, as text. */
function hub(change: (doc: Doc) => void): string {
  const doc = structuredClone(HUB);
  change(doc);
  return JSON.stringify(doc);
}

/** The JumpStart spec with one change, as text. */
function spec(change: (doc: Doc) => void): string {
  const doc = structuredClone(SPEC);
  change(doc);
  return JSON.stringify(doc);
}

/** The problems a refused document is reported with, one per line of the error. */
function problemsOf(text: string, modelId?: string): string[] {
  try {
    importModelDocument(text, modelId);
  } catch (e) {
    if (e instanceof ModelDocumentError)
      return e.message
        .split('\n')
        .slice(1)
        .map((line) => line.replace(/^ {2}- /, ''));
    throw e;
  }
  throw new Error('the document was imported');
}

const withHyperparameter = (doc: Doc, name: string, change: object) => {
  doc.Hyperparameters = doc.Hyperparameters.map((h: Doc) => (h.Name === name ? { ...h, ...change } : h));
};
const withoutHyperparameters = (doc: Doc, names: readonly string[]) => {
  doc.Hyperparameters = doc.Hyperparameters.filter((h: Doc) => !names.includes(h.Name));
};

describe('a hub document', () => {
  test('names the region of its images in the source, or says the region is unknown without them', () => {
    expect(
      importModelDocument(
        hub(() => {}),
        HUB_ID,
      ).source.description,
    ).toBe(`${HUB_DESCRIPTION}us-west-2)`);
    const withoutImage = importModelDocument(
      hub((doc) => delete doc.HostingEcrUri),
      HUB_ID,
    );
    expect(withoutImage.source.description).toBe(`${HUB_DESCRIPTION}region unknown)`);
  });

  test('without hosting variants: no per-type environment or resource needs, the instance types kept', () => {
    const entry = importModelDocument(
      hub((doc) => delete doc.HostingInstanceTypeVariants),
      HUB_ID,
    );
    expect(entry.hosting.supportedInstanceTypes).toEqual(HUB.SupportedInferenceInstanceTypes);
    expect(entry.hosting).not.toHaveProperty('instanceEnvironment');
    expect(entry.hosting).not.toHaveProperty('resourceNeeds');
  });

  test('resource needs only for a type whose variant gives both memory and accelerators; its environment as text', () => {
    const entry = importModelDocument(
      hub((doc) => {
        const variants = doc.HostingInstanceTypeVariants.Variants;
        delete variants['ml.g5.xlarge'];
        variants['ml.g5.2xlarge'] = {};
        variants['ml.g5.4xlarge'] = null;
        variants['ml.g5.8xlarge'].Properties.ResourceRequirements = { MinMemoryMb: 65536 };
        variants['ml.g5.12xlarge'].Properties.ResourceRequirements = { NumAccelerators: 4 };
        variants['ml.g6.12xlarge'].Properties.EnvironmentVariables = { OPTION_TENSOR_PARALLEL_DEGREE: 2 };
      }),
      HUB_ID,
    );
    const withoutNeeds = ['ml.g5.xlarge', 'ml.g5.2xlarge', 'ml.g5.4xlarge', 'ml.g5.8xlarge', 'ml.g5.12xlarge'];
    expect(Object.keys(entry.hosting.resourceNeeds!)).toEqual(
      HUB.SupportedInferenceInstanceTypes.filter((t: string) => !withoutNeeds.includes(t)),
    );
    expect(entry.hosting.resourceNeeds!['ml.g6.12xlarge']).toEqual({ minMemoryMb: 98304, accelerators: 4 });
    expect(entry.hosting.instanceEnvironment).toStrictEqual({
      'ml.g6.12xlarge': { OPTION_TENSOR_PARALLEL_DEGREE: '2' },
    });
  });

  test('gated weights are read per family: a family whose variant has no properties, or is null, has none', () => {
    const text = hub((doc) => {
      doc.TrainingInstanceTypeVariants.Variants.g4dn = {};
      doc.TrainingInstanceTypeVariants.Variants.p5 = null;
    });
    expect(problemsOf(text, HUB_ID)).toEqual([
      'the document lists training on ml.g4dn.12xlarge, ml.p5.48xlarge but has no gated weights for their family.',
    ]);
  });

  test('gated weights without training variants: no training type has them', () => {
    const text = hub((doc) => delete doc.TrainingInstanceTypeVariants);
    expect(problemsOf(text, HUB_ID)).toEqual([
      `the document lists training on ${HUB.SupportedTrainingInstanceTypes.join(', ')} but has no gated weights for their family.`,
    ]);
  });

  test('weights that are not gated need no training variants', () => {
    const entry = importModelDocument(
      hub((doc) => {
        doc.GatedBucket = false;
        delete doc.TrainingInstanceTypeVariants;
      }),
      HUB_ID,
    );
    expect(entry.training.supportedInstanceTypes).toEqual(HUB.SupportedTrainingInstanceTypes);
  });

  test.each([
    ['true', true, true],
    ['false', false, false],
    ['left out', false, undefined],
  ])('DisableOutputCompression %s: output compression disabled is %s', (_case, disabled, value) => {
    const entry = importModelDocument(
      hub((doc) => {
        doc.DisableOutputCompression = value;
      }),
      HUB_ID,
    );
    expect(entry.training.disableOutputCompression).toBe(disabled);
  });

  test('without instance type lists: the defaults are not among the supported types', () => {
    expect(
      problemsOf(
        hub((doc) => delete doc.SupportedTrainingInstanceTypes),
        HUB_ID,
      ),
    ).toEqual(['the default training instance type ml.g5.2xlarge is not among the supported ones.']);
    expect(
      problemsOf(
        hub((doc) => delete doc.SupportedInferenceInstanceTypes),
        HUB_ID,
      ),
    ).toEqual(['the default hosting instance type ml.g6.xlarge is not among the supported ones.']);
  });

  test('a default instance type that is not among the supported ones', () => {
    const text = hub((doc) => {
      doc.DefaultTrainingInstanceType = 'ml.p4d.24xlarge';
      doc.DefaultInferenceInstanceType = 'ml.g6e.xlarge';
    });
    expect(problemsOf(text, HUB_ID)).toEqual([
      'the default training instance type ml.p4d.24xlarge is not among the supported ones.',
      'the default hosting instance type ml.g6e.xlarge is not among the supported ones.',
    ]);
  });

  test('without inference environment variables the model adds none to the common environment', () => {
    const entry = importModelDocument(
      hub((doc) => delete doc.InferenceEnvironmentVariables),
      HUB_ID,
    );
    expect(entry.hosting.environment).toEqual({});
  });

  test("the model's environment: variables the container needs, not another scope's", () => {
    const entry = importModelDocument(
      hub((doc) => {
        doc.InferenceEnvironmentVariables.push(
          { Name: 'OPTION_ROLLING_BATCH', Default: 'vllm', RequiredForModelClass: true, Scope: 'container' },
          { Name: 'OPTION_MAX_MODEL_LEN', Default: 4096, RequiredForModelClass: true, Scope: 'algorithm' },
        );
      }),
      HUB_ID,
    );
    expect(entry.hosting.environment).toEqual({ OPTION_ENABLE_CHUNKED_PREFILL: 'true', OPTION_ROLLING_BATCH: 'vllm' });
  });

  test('a EULA from a cache bucket of another region is read with that region', () => {
    const entry = importModelDocument(
      hub((doc) => {
        doc.HostingEulaUri = 's3://jumpstart-cache-prod-eu-west-1/fmhMetadata/eula/llama3_2Eula.txt';
      }),
      HUB_ID,
    );
    expect(entry.licence.url).toBe(
      'https://jumpstart-cache-prod-eu-west-1.s3.eu-west-1.amazonaws.com/fmhMetadata/eula/llama3_2Eula.txt',
    );
  });

  test.each([
    ['left out', undefined],
    ['in another bucket', 's3://my-bucket/fmhMetadata/eula/llama3_2Eula.txt'],
    [
      "whose key in another bucket repeats the cache's address",
      's3://my-mirror/s3://jumpstart-cache-prod-us-west-2/fmhMetadata/eula/llama3_2Eula.txt',
    ],
    ['followed by another line', 's3://jumpstart-cache-prod-us-west-2/fmhMetadata/eula/llama3_2Eula.txt\nsee above'],
    ['that names the bucket without a key', 's3://jumpstart-cache-prod-us-west-2/'],
  ])('a EULA %s is not one the library can show', (_case, uri) => {
    const text = hub((doc) => {
      doc.HostingEulaUri = uri;
    });
    expect(problemsOf(text, HUB_ID)).toEqual([NO_EULA]);
  });

  test("a default dataset in another region's cache bucket is read as its key", () => {
    const entry = importModelDocument(
      hub((doc) => {
        doc.DefaultTrainingDatasetUri = 's3://jumpstart-cache-prod-eu-west-1/training-datasets/oasst_top/train/';
      }),
      HUB_ID,
    );
    expect(entry.training.defaultDatasetKey).toBe('training-datasets/oasst_top/train/');
  });

  // The entry keeps a key of the region's cache bucket, where training reads it: any other address would be read
  // as a key there (s3://jumpstart-cache-prod-<region>/s3://my-bucket/...), which holds nothing.
  test.each([
    ['left out', undefined],
    ['in another bucket', 's3://my-bucket/training-datasets/oasst_top/train/'],
    [
      "whose key in another bucket repeats the cache's address",
      's3://my-mirror/s3://jumpstart-cache-prod-us-west-2/training-datasets/oasst_top/',
    ],
    ['that names the bucket without a key', 's3://jumpstart-cache-prod-us-west-2/'],
  ])('a default training dataset %s is refused', (_case, uri) => {
    const text = hub((doc) => {
      doc.DefaultTrainingDatasetUri = uri;
    });
    expect(problemsOf(text, HUB_ID)).toEqual([NO_DATASET]);
  });
});

describe('a JumpStart spec', () => {
  const lmi = SPEC.inference_config_components.lmi;

  test.each([
    ['no rankings', (s: Doc) => delete s.inference_config_rankings],
    ['rankings without an overall one', (s: Doc) => (s.inference_config_rankings = {})],
    ['an overall ranking without a list', (s: Doc) => (s.inference_config_rankings = { overall: {} })],
    ['an empty ranking', (s: Doc) => (s.inference_config_rankings.overall.rankings = [])],
    ['no configurations', (s: Doc) => delete s.inference_config_components],
    [
      'a first-ranked configuration it does not have',
      (s: Doc) => (s.inference_config_rankings.overall.rankings = ['tgi']),
    ],
  ])('with %s, hosting is the top-level fields', (_case, change) => {
    const entry = importModelDocument(spec(change));
    expect(entry.hosting.defaultInstanceType).toBe(SPEC.default_inference_instance_type);
    expect(entry.hosting.supportedInstanceTypes).toEqual(SPEC.supported_inference_instance_types);
    expect(entry.hosting.environment).toEqual({ OPTION_ENFORCE_EAGER: 'true' });
    // The top level of this spec has no per-type variants: those are the configuration's.
    expect(entry.hosting).not.toHaveProperty('instanceEnvironment');
    expect(entry.hosting).not.toHaveProperty('resourceNeeds');
  });

  test("the top level's per-type variants where no configuration is ranked", () => {
    const entry = importModelDocument(
      spec((s) => {
        delete s.inference_config_rankings;
        s.hosting_instance_type_variants = lmi.hosting_instance_type_variants;
      }),
    );
    expect(entry.hosting.resourceNeeds!['ml.p5.48xlarge']).toEqual({ minMemoryMb: 1048576, accelerators: 8 });
    expect(entry.hosting.instanceEnvironment!['ml.p5.48xlarge']).toEqual({ OPTION_TENSOR_PARALLEL_DEGREE: '4' });
  });

  test('where the top-level fields differ, the first-ranked configuration stands', () => {
    const entry = importModelDocument(
      spec((s) => {
        s.default_inference_instance_type = 'ml.g5.48xlarge';
        s.supported_inference_instance_types = ['ml.g5.48xlarge'];
        s.inference_environment_variables = s.inference_environment_variables.filter(
          (v: Doc) => v.name !== 'OPTION_ENFORCE_EAGER',
        );
      }),
    );
    expect(entry.hosting.defaultInstanceType).toBe('ml.p4d.24xlarge');
    expect(entry.hosting.supportedInstanceTypes).toEqual(lmi.supported_inference_instance_types);
    expect(entry.hosting.environment).toEqual({ OPTION_ENFORCE_EAGER: 'true' });
  });

  test('a hosting variant written null gives that type no environment or needs', () => {
    const entry = importModelDocument(
      spec((s) => {
        s.inference_config_components.lmi.hosting_instance_type_variants.variants['ml.p5.48xlarge'] = null;
      }),
    );
    expect(Object.keys(entry.hosting.resourceNeeds!)).toEqual(['ml.g5.48xlarge', 'ml.p4d.24xlarge', 'ml.g6.48xlarge']);
    expect(Object.keys(entry.hosting.instanceEnvironment!)).toEqual([
      'ml.g5.48xlarge',
      'ml.p4d.24xlarge',
      'ml.g6.48xlarge',
    ]);
  });

  test('gated weights are read per family: a family without them (g6), or whose variant is null (g5), has none', () => {
    const text = spec((s) => {
      s.supported_training_instance_types = [...s.supported_training_instance_types, 'ml.g6.12xlarge'];
      s.training_instance_type_variants.variants.g5 = null;
    });
    expect(problemsOf(text)).toEqual([
      'the document lists training on ml.g5.48xlarge, ml.g6.12xlarge but has no gated weights for their family.',
    ]);
  });

  test('gated weights without training variants: no training type has them', () => {
    expect(problemsOf(spec((s) => delete s.training_instance_type_variants))).toEqual([
      'the document lists training on ml.g5.48xlarge, ml.p4d.24xlarge but has no gated weights for their family.',
    ]);
  });

  test.each([
    ['left out', (s: Doc) => delete s.estimator_kwargs],
    ['without the setting', (s: Doc) => (s.estimator_kwargs = { max_run: 360000 })],
    ['false', (s: Doc) => (s.estimator_kwargs.disable_output_compression = false)],
  ])('estimator arguments %s: output compression stays on', (_case, change) => {
    expect(importModelDocument(spec(change)).training.disableOutputCompression).toBe(false);
  });

  test("the EULA in us-east-1's cache bucket, and the family's licence name where the spec names none", () => {
    const entry = importModelDocument(spec((s) => delete s.license));
    expect(entry.licence).toEqual({
      name: 'Llama 3.1 Community License Agreement',
      url: 'https://jumpstart-cache-prod-us-east-1.s3.us-east-1.amazonaws.com/fmhMetadata/eula/llama3_1Eula.txt',
    });
  });

  test('without a EULA key or a default dataset key', () => {
    expect(problemsOf(spec((s) => delete s.hosting_eula_key))).toEqual([NO_EULA]);
    expect(problemsOf(spec((s) => delete s.default_training_dataset_key))).toEqual([NO_DATASET]);
  });

  test('without hyperparameters or instance type lists', () => {
    expect(problemsOf(spec((s) => delete s.hyperparameters))).toEqual([
      `the document lacks the hyperparameters ${REQUIRED_HYPERPARAMETERS.join(', ')}.`,
    ]);
    expect(problemsOf(spec((s) => delete s.supported_training_instance_types))).toEqual([
      'the default training instance type ml.g5.48xlarge is not among the supported ones.',
    ]);
    const withoutHosting = spec((s) => {
      delete s.supported_inference_instance_types;
      delete s.inference_config_components.lmi.supported_inference_instance_types;
    });
    expect(problemsOf(withoutHosting)).toEqual([
      'the default hosting instance type ml.p4d.24xlarge is not among the supported ones.',
    ]);
  });
});

describe("the entry's hyperparameters and technique", () => {
  test('a document without hyperparameters lacks every one the library needs', () => {
    expect(
      problemsOf(
        hub((doc) => delete doc.Hyperparameters),
        HUB_ID,
      ),
    ).toEqual([`the document lacks the hyperparameters ${REQUIRED_HYPERPARAMETERS.join(', ')}.`]);
  });

  test('a document that lacks some names those, in SageMaker order', () => {
    const text = hub((doc) => withoutHyperparameters(doc, ['enable_fsdp', 'int8_quantization', 'epoch']));
    expect(problemsOf(text, HUB_ID)).toEqual([
      'the document lacks the hyperparameters epoch, int8_quantization, enable_fsdp.',
    ]);
  });

  test('the optional ones may be left out', () => {
    const optional = ['instruction_tuned', 'chat_dataset', 'add_input_output_demarcation_key', 'chat_template'];
    const entry = importModelDocument(
      hub((doc) => withoutHyperparameters(doc, optional)),
      HUB_ID,
    );
    expect(entry.hyperparameters.map((h) => h.name)).toEqual(REQUIRED_HYPERPARAMETERS);
  });

  test('int8 quantization and FSDP both on by default do not train together', () => {
    const text = hub((doc) => withHyperparameter(doc, 'int8_quantization', { Default: 'True' }));
    expect(problemsOf(text, HUB_ID)).toEqual([
      'the document defaults to both int8_quantization and enable_fsdp, which do not train together.',
    ]);
  });

  test('a number without a Min or a Max has neither, and its default is in range', () => {
    const entry = importModelDocument(
      hub((doc) => withHyperparameter(doc, 'epoch', { Min: undefined, Max: undefined, Default: 2000 })),
      HUB_ID,
    );
    const epoch = entry.hyperparameters.find((h) => h.name === 'epoch');
    expect(epoch).toMatchObject({ default: 2000 });
    expect(epoch).not.toHaveProperty('min');
    expect(epoch).not.toHaveProperty('max');
  });

  test('a Min above the special value is kept: max_input_length from 128, -1 still its default', () => {
    const entry = importModelDocument(
      hub((doc) => withHyperparameter(doc, 'max_input_length', { Min: 128 })),
      HUB_ID,
    );
    expect(entry.hyperparameters.find((h) => h.name === 'max_input_length')).toMatchObject({
      default: -1,
      special: -1,
      min: 128,
    });
  });
});

describe("the entry's names", () => {
  test('a model of an unknown family: the error names the families the library knows', () => {
    expect(
      problemsOf(
        hub(() => {}),
        'meta-textgeneration-llama-4-scout-17b-16e-instruct',
      ),
    ).toEqual([
      'meta-textgeneration-llama-4-scout-17b-16e-instruct is not of a Llama family the library knows ' +
        '(Llama 3.1, Llama 3.2). Fix: add its family (context length, licence) to lib/models/llama-families.ts.',
    ]);
  });

  test.each([
    ['meta-textgeneration-llama-3-2-3b', 'Meta Llama 3.2 3B'],
    ['meta-textgeneration-llama-3-1-405b-instruct-fp8', 'Meta Llama 3.1 405B Instruct FP8'],
    // Only a whole word is a size: one that starts like one is capitalised like any other.
    ['meta-textgeneration-llama-3-2-1b-instruct-4bit', 'Meta Llama 3.2 1B Instruct 4bit'],
  ])('%s is displayed as %s', (modelId, name) => {
    expect(
      importModelDocument(
        hub(() => {}),
        modelId,
      ).displayName,
    ).toBe(name);
  });

  test('the list of entries is in model id order, whatever order the ids come in', () => {
    expect(renderIndex([HUB_ID, SPEC_ID])).toBe(
      '// Generated by `npm run catalogue:import`; do not edit.\n' +
        "import type { ModelSpec } from '../model-spec';\n" +
        "import { LLAMA_3_1_70B } from './meta-textgeneration-llama-3-1-70b';\n" +
        "import { LLAMA_3_2_1B_INSTRUCT } from './meta-textgeneration-llama-3-2-1b-instruct';\n" +
        '\n' +
        'export const IMPORTED_MODELS: readonly ModelSpec[] = [LLAMA_3_1_70B, LLAMA_3_2_1B_INSTRUCT];\n',
    );
  });
});
