import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  hostingEnvironmentFromHubDocument,
  trainingArtifactsFromHubDocument,
} from '../../lib/handlers/shared/hub-content';
import { findModel } from '../../lib/models/catalogue';
import { hostingEnvironment } from '../../lib/models/hosting-environment';
import { instanceFacts, instanceFamily } from '../../lib/models/instance-types';
import { ModelDocumentError, importModelDocument, renderEntry, renderIndex } from '../../lib/models/model-document';

const ROOT = join(__dirname, '..', '..');
const IMPORTED = join(ROOT, 'lib', 'models', 'imported');
const HUB_1B_ID = 'meta-textgeneration-llama-3-2-1b-instruct';
const SPEC_70B_ID = 'meta-textgeneration-llama-3-1-70b';
const HUB_1B_TEXT = readFileSync(join(IMPORTED, `${HUB_1B_ID}.source.json`), 'utf8');
const SPEC_70B_TEXT = readFileSync(join(IMPORTED, `${SPEC_70B_ID}.source.json`), 'utf8');
const hub1b = JSON.parse(HUB_1B_TEXT);
const spec70b = JSON.parse(SPEC_70B_TEXT);
const storedIds = readdirSync(IMPORTED)
  .filter((f) => f.endsWith('.source.json'))
  .map((f) => f.slice(0, -'.source.json'.length));

function importProblems(text: string, modelId?: string): string {
  try {
    importModelDocument(text, modelId);
  } catch (e) {
    if (e instanceof ModelDocumentError) return e.message;
    throw e;
  }
  throw new Error('imported');
}

describe('stored entries are what their documents generate', () => {
  test.each(storedIds)('%s', (modelId) => {
    const entry = importModelDocument(readFileSync(join(IMPORTED, `${modelId}.source.json`), 'utf8'), modelId);
    expect(entry.modelId).toBe(modelId);
    expect(readFileSync(join(IMPORTED, `${modelId}.ts`), 'utf8')).toBe(renderEntry(entry));
    // And the catalogue serves exactly that entry.
    expect(findModel(modelId)).toEqual(entry);
  });

  test('the list of entries names every stored document', () => {
    expect(storedIds.sort()).toEqual([SPEC_70B_ID, HUB_1B_ID]);
    expect(readFileSync(join(IMPORTED, 'index.ts'), 'utf8')).toBe(renderIndex(storedIds));
  });
});

// Each entry is imported in beforeEach, not as the file is collected: a change to the importer that throws then
// fails these tests (rather than the whole file), and each test is judged on its own in mutation runs.
describe('a SageMaker public hub document: Llama 3.2 1B Instruct', () => {
  let entry: ReturnType<typeof importModelDocument>;
  beforeEach(() => {
    entry = importModelDocument(HUB_1B_TEXT, HUB_1B_ID);
  });
  const hp = (name: string) => entry.hyperparameters.find((h) => h.name === name);
  const documentHp = (name: string) => hub1b.Hyperparameters.find((h: { Name: string }) => h.Name === name);

  test("instance types and defaults are the document's", () => {
    expect(entry.training.defaultInstanceType).toBe(hub1b.DefaultTrainingInstanceType);
    expect(entry.training.supportedInstanceTypes).toEqual(hub1b.SupportedTrainingInstanceTypes);
    expect(entry.hosting.defaultInstanceType).toBe(hub1b.DefaultInferenceInstanceType);
    expect(entry.hosting.supportedInstanceTypes).toEqual(hub1b.SupportedInferenceInstanceTypes);
    expect(entry.training.disableOutputCompression).toBe(hub1b.DisableOutputCompression);
  });

  test("hyperparameters keep the document's defaults and ranges, typed, without container-scope entries", () => {
    expect(hp('epoch')).toMatchObject({ default: documentHp('epoch').Default, min: 1, max: 1000, type: 'int' });
    expect(hp('chat_dataset')?.default).toBe(documentHp('chat_dataset').Default === 'True');
    expect(hp('target_modules')?.default).toEqual(documentHp('target_modules').Default.split(','));
    expect(hp('chat_template')).toMatchObject({ type: 'text', default: 'Llama3.1', options: ['Llama3.1'] });
    // The document's Min -1 would admit 0 samples; -1 stays the one special value.
    expect(documentHp('max_train_samples').Min).toBe(-1);
    expect(hp('max_train_samples')).toMatchObject({ min: 1, special: -1 });
    expect(hp('preprocessing_num_workers')?.default).toBeUndefined();
    expect(entry.hyperparameters.map((h) => h.name)).not.toContain('sagemaker_program');
    expect(entry.training.defaultTechnique).toEqual({
      int8Quantization: documentHp('int8_quantization').Default === 'True',
      enableFsdp: documentHp('enable_fsdp').Default === 'True',
    });
  });

  test("hosting: the model's own variable, per-type resource needs, its dataset and licence", () => {
    expect(entry.hosting.environment).toEqual({ OPTION_ENABLE_CHUNKED_PREFILL: 'true' });
    expect(entry.hosting.resourceNeeds?.['ml.g6.xlarge']).toEqual({
      minMemoryMb:
        hub1b.HostingInstanceTypeVariants.Variants['ml.g6.xlarge'].Properties.ResourceRequirements.MinMemoryMb,
      accelerators: 1,
    });
    expect(`s3://jumpstart-cache-prod-us-west-2/${entry.training.defaultDatasetKey}`).toBe(
      hub1b.DefaultTrainingDatasetUri,
    );
    expect(entry.licence.url).toBe(
      'https://jumpstart-cache-prod-us-west-2.s3.us-west-2.amazonaws.com/fmhMetadata/eula/llama3_2Eula.txt',
    );
    expect(entry.displayName).toBe('Meta Llama 3.2 1B Instruct');
    expect(entry.contextLength).toBe(131072);
    expect(entry.training.measuredRuns).toEqual([]);
  });

  test('a whole DescribeHubContent answer names its model and version itself', () => {
    const answer = JSON.stringify({
      HubContentName: HUB_1B_ID,
      HubContentVersion: '1.4.0',
      HubContentDocument: HUB_1B_TEXT,
    });
    const fromAnswer = importModelDocument(answer);
    expect(fromAnswer.source.version).toBe('1.4.0');
    expect({ ...fromAnswer, source: undefined }).toEqual({ ...entry, source: undefined });
  });

  test('the resolver finds gated weights for every training type and every variable on every hosting type', () => {
    for (const type of entry.training.supportedInstanceTypes) {
      const artifacts = trainingArtifactsFromHubDocument(HUB_1B_TEXT, type);
      expect(artifacts.gatedWeightsUri).toContain(`/meta-training/${instanceFamily(type)}/`);
    }
    for (const type of entry.hosting.supportedInstanceTypes) {
      const expected = hostingEnvironment(entry, type, instanceFacts(type)!);
      const resolved = hostingEnvironmentFromHubDocument(HUB_1B_TEXT, type, expected);
      expect(resolved.environment).toEqual(expected);
      // Only the optional log level is left out.
      expect(resolved.notPassed).toEqual(['SAGEMAKER_CONTAINER_LOG_LEVEL']);
    }
  });
});

describe('a JumpStart model spec: Llama 3.1 70B', () => {
  let entry: ReturnType<typeof importModelDocument>;
  beforeEach(() => {
    entry = importModelDocument(SPEC_70B_TEXT);
  });
  const lmi = spec70b.inference_config_components.lmi;

  test('training facts, the default int8 technique and the spec version', () => {
    expect(entry.modelId).toBe(spec70b.model_id);
    expect(entry.source.version).toBe(spec70b.version);
    expect(entry.training.supportedInstanceTypes).toEqual(spec70b.supported_training_instance_types);
    expect(entry.training.defaultTechnique).toEqual({ int8Quantization: true, enableFsdp: false });
    expect(entry.training.supportedTechniques).toEqual([entry.training.defaultTechnique]);
    expect(entry.training.disableOutputCompression).toBe(spec70b.estimator_kwargs.disable_output_compression);
    expect(entry.training.defaultDatasetKey).toBe(spec70b.default_training_dataset_key);
    expect(entry.licence.name).toBe(spec70b.license);
    expect(entry.hyperparameters.find((h) => h.name === 'epoch')?.default).toBe(5);
  });

  test("hosting follows the first-ranked inference configuration's per-type environment and needs", () => {
    expect(spec70b.inference_config_rankings.overall.rankings[0]).toBe('lmi');
    expect(entry.hosting.supportedInstanceTypes).toEqual(lmi.supported_inference_instance_types);
    expect(entry.hosting.environment).toEqual({ OPTION_ENFORCE_EAGER: 'true' });
    const p5 = lmi.hosting_instance_type_variants.variants['ml.p5.48xlarge'].properties;
    expect(entry.hosting.instanceEnvironment?.['ml.p5.48xlarge']).toEqual(p5.environment_variables);
    expect(entry.hosting.resourceNeeds?.['ml.p5.48xlarge']).toEqual({
      minMemoryMb: p5.resource_requirements.min_memory_mb,
      accelerators: p5.resource_requirements.num_accelerators,
    });
    // The document's tensor parallel degree stands over the GPU count where it sets one.
    expect(hostingEnvironment(entry, 'ml.p5.48xlarge', instanceFacts('ml.p5.48xlarge')!)).toMatchObject({
      OPTION_TENSOR_PARALLEL_DEGREE: '4',
      OPTION_ENFORCE_EAGER: 'true',
    });
  });
});

describe('documents the library cannot honour are refused with what to add', () => {
  const withHyperparameters = (extra: object[]) =>
    JSON.stringify({ ...hub1b, Hyperparameters: [...hub1b.Hyperparameters, ...extra] });

  test('an unknown hyperparameter', () => {
    expect(
      importProblems(
        withHyperparameters([{ Name: 'warmup_steps', Type: 'int', Default: 10, Scope: 'algorithm' }]),
        HUB_1B_ID,
      ),
    ).toMatch(/hyperparameter warmup_steps \(int, default 10\) has no prop in this library/);
  });

  test('a default outside its own range, and a boolean that is not True/False', () => {
    const broken = hub1b.Hyperparameters.map((h: { Name: string }) =>
      h.Name === 'seed' ? { ...h, Default: 0 } : h.Name === 'enable_fsdp' ? { ...h, Default: 'yes' } : h,
    );
    const message = importProblems(JSON.stringify({ ...hub1b, Hyperparameters: broken }), HUB_1B_ID);
    expect(message).toMatch(/hyperparameter seed defaults to 0, outside its own range 1\.\.1000/);
    expect(message).toMatch(/hyperparameter enable_fsdp should be True or False/);
  });

  test('an instance type without facts, and a training type without gated weights', () => {
    const doc = {
      ...hub1b,
      SupportedTrainingInstanceTypes: [...hub1b.SupportedTrainingInstanceTypes, 'ml.g6.12xlarge', 'ml.trn1.32xlarge'],
    };
    const message = importProblems(JSON.stringify(doc), HUB_1B_ID);
    expect(message).toMatch(
      /training instance types ml\.trn1\.32xlarge have no facts .* lib\/models\/instance-types\.ts/,
    );
    expect(message).toMatch(/training on ml\.g6\.12xlarge, ml\.trn1\.32xlarge but has no gated weights/);
  });

  const changed = (name: string, change: object) =>
    JSON.stringify({
      ...hub1b,
      Hyperparameters: hub1b.Hyperparameters.map((h: { Name: string }) => (h.Name === name ? { ...h, ...change } : h)),
    });

  test.each([
    ['a boolean without both options', 'enable_fsdp', { Options: ['True'] }, /enable_fsdp should be True or False/],
    ['a boolean without options', 'enable_fsdp', { Options: undefined }, /enable_fsdp should be True or False/],
    [
      'LoRA modules the library does not know',
      'target_modules',
      { Default: 'q_proj,w_proj' },
      /target_modules defaults to unknown modules w_proj\./,
    ],
    [
      'a text hyperparameter without a default',
      'chat_template',
      { Default: '' },
      /chat_template has no text default; the document says ""/,
    ],
    [
      'a text hyperparameter whose default is a number',
      'chat_template',
      { Default: 3 },
      /chat_template has no text default; the document says 3/,
    ],
    ['a number typed as text', 'epoch', { Type: 'text' }, /epoch should be int; the document says/],
    ['a number whose default is text', 'epoch', { Default: '1' }, /epoch should be int; the document says/],
    [
      'a default above its own maximum',
      'epoch',
      { Default: 1001 },
      /epoch defaults to 1001, outside its own range 1\.\.1000/,
    ],
    [
      'a default below its own minimum',
      'learning_rate',
      { Default: 0 },
      /learning_rate defaults to 0, outside its own range 1e-8\.\.1/,
    ],
  ])('%s', (_case, name, change, message) => {
    expect(importProblems(changed(name, change), HUB_1B_ID)).toMatch(message);
  });

  test("a document's limits: the maximum itself, the all-samples -1 with its minimum read as 1, workers", () => {
    const entry = (name: string, change: object) =>
      importModelDocument(changed(name, change), HUB_1B_ID).hyperparameters.find((h) => h.name === name);
    expect(entry('epoch', { Default: 1000 })).toMatchObject({ default: 1000, min: 1, max: 1000 });
    // Min -1 would admit 0, which trains on nothing: -1 stays the one value below 1.
    expect(entry('max_train_samples', {})).toMatchObject({ default: -1, min: 1 });
    expect(entry('max_train_samples', {})).not.toHaveProperty('max');
    expect(importProblems(changed('max_train_samples', { Default: 0 }), HUB_1B_ID)).toMatch(
      /max_train_samples defaults to 0, outside its own range 1\.\./,
    );
    // A minimum above the special value is the document's own.
    expect(entry('seed', { Min: 5, Default: 10 })).toMatchObject({ min: 5, max: 1000 });
    expect(entry('lora_r', {})).not.toHaveProperty('max');
    expect(entry('preprocessing_num_workers', {})).toMatchObject({ min: 1 });
    expect(entry('preprocessing_num_workers', {})).not.toHaveProperty('default');
    expect(entry('preprocessing_num_workers', { Default: '4' })).toMatchObject({ min: 1, default: 4 });
    expect(entry('chat_template', { Options: undefined })).toMatchObject({
      default: 'Llama3.1',
      options: ['Llama3.1'],
    });
  });

  test('a bare hub document without a model id, and a model of an unknown family', () => {
    expect(importProblems(HUB_1B_TEXT)).toMatch(/does not name its model\. Fix: give the model id \(--model-id\)/);
    expect(importProblems(HUB_1B_TEXT, 'meta-textgeneration-llama-4-scout')).toMatch(/llama-families\.ts/);
  });
});

describe('npm run catalogue:import', () => {
  const script = join(ROOT, 'scripts', 'catalogue-import.ts');
  const tsNode = join(ROOT, 'node_modules', '.bin', 'ts-node');

  test('stores the document beside the generated entry and regenerates the list', () => {
    const out = mkdtempSync(join(tmpdir(), 'catalogue-'));
    const file = join(out, 'doc.json');
    writeFileSync(file, HUB_1B_TEXT);
    const stdout = execFileSync(tsNode, ['--swc', script, file, '--model-id', HUB_1B_ID, '--out', out], {
      encoding: 'utf8',
    });
    expect(stdout).toMatch(/meta-textgeneration-llama-3-2-1b-instruct \(Meta Llama 3\.2 1B Instruct\)/);
    expect(readFileSync(join(out, `${HUB_1B_ID}.source.json`), 'utf8')).toBe(HUB_1B_TEXT);
    expect(readFileSync(join(out, `${HUB_1B_ID}.ts`), 'utf8')).toBe(
      readFileSync(join(IMPORTED, `${HUB_1B_ID}.ts`), 'utf8'),
    );
    expect(readFileSync(join(out, 'index.ts'), 'utf8')).toBe(renderIndex([HUB_1B_ID]));
  });

  test('a document it cannot import exits 1 with the reasons; wrong usage exits 2', () => {
    const out = mkdtempSync(join(tmpdir(), 'catalogue-'));
    const bare = spawnSync(
      tsNode,
      [
        '--swc',
        script,
        join(IMPORTED, `${HUB_1B_ID}.source.json`),
        '--out',
        out,
        '--model-id',
        'meta-textgeneration-llama-4-x',
      ],
      {
        encoding: 'utf8',
      },
    );
    expect(bare.status).toBe(1);
    expect(bare.stderr).toMatch(/cannot be imported/);
    expect(readdirSync(out)).toEqual([]);
    const usage = spawnSync(tsNode, ['--swc', script], { encoding: 'utf8' });
    expect(usage.status).toBe(2);
    expect(usage.stderr).toMatch(/usage: npm run catalogue:import -- FILE/);
  });
});
