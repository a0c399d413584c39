import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DescribeHubContentCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import { handle } from '../../lib/handlers/resolve-hub-content';
import {
  HubArtifactsProperties,
  hostingArtifactsFromHubDocument,
  trainingArtifactsFromHubDocument,
  hostingEnvironmentFromHubDocument,
} from '../../lib/handlers/shared/hub-content';
import { CustomResourceEvent } from '../../lib/handlers/shared/cfn-response';

// The real DescribeHubContent document of Llama 3.2 1B Instruct in us-west-2.
const DOCUMENT = readFileSync(
  join(__dirname, '..', '..', 'lib', 'models', 'imported', 'meta-textgeneration-llama-3-2-1b-instruct.source.json'),
  'utf8',
);
const sagemaker = mockClient(SageMakerClient);

function event(
  props: Omit<HubArtifactsProperties, 'HostingEnvironment'> & Partial<HubArtifactsProperties>,
): CustomResourceEvent<HubArtifactsProperties> {
  return {
    RequestType: 'Create',
    ResponseURL: 'http://unused',
    StackId: 's',
    RequestId: 'r',
    LogicalResourceId: 'A',
    ResourceType: 'Custom::JumpStartModelArtifacts',
    ResourceProperties: { HostingEnvironment: {}, ...props },
  };
}

describe('artifacts from the hub document', () => {
  test("g5 training: the family's image and gated weights, the script, and the hosting image", () => {
    expect({
      ...trainingArtifactsFromHubDocument(DOCUMENT, 'ml.g5.12xlarge'),
      ...hostingArtifactsFromHubDocument(DOCUMENT, 'ml.g5.12xlarge'),
    }).toEqual({
      trainingImageUri:
        '763104351884.dkr.ecr.us-west-2.amazonaws.com/huggingface-pytorch-training:2.0.0-transformers4.28.1-gpu-py310-cu118-ubuntu20.04',
      trainingScriptUri:
        's3://jumpstart-cache-prod-us-west-2/source-directory-tarballs/training/meta-textgeneration/prepack/inference-meta-textgeneration/v1.2.0/sourcedir.tar.gz',
      gatedWeightsUri:
        's3://jumpstart-private-cache-prod-us-west-2/meta-training/g5/v1.0.0/train-meta-textgeneration-llama-3-2-1b-instruct.tar.gz',
      gatedWeightsInput: 'environment',
      hostingImageUri: '763104351884.dkr.ecr.us-west-2.amazonaws.com/djl-inference:0.36.0-lmi18.0.0-cu128',
      // The document's HostingArtifactUri: JumpStart's own prepacked base model, gated.
      baseModelUri:
        's3://jumpstart-private-cache-prod-us-west-2/meta-textgeneration/meta-textgeneration-llama-3-2-1b-instruct/artifacts/inference-prepack/v1.0.0/',
    });
  });

  test('a family without its own gated weights takes the family-less artifact, as a model channel', () => {
    for (const type of ['ml.p4d.24xlarge', 'ml.g6.12xlarge', 'ml.g6e.12xlarge', 'ml.p5e.48xlarge']) {
      expect(trainingArtifactsFromHubDocument(DOCUMENT, type)).toMatchObject({
        gatedWeightsUri:
          's3://jumpstart-private-cache-prod-us-west-2/meta-training/train-meta-textgeneration-llama-3-2-1b-instruct.tar.gz',
        gatedWeightsInput: 'model-channel',
      });
    }
    for (const type of ['ml.g4dn.12xlarge', 'ml.g5.48xlarge', 'ml.p3dn.24xlarge', 'ml.p5.48xlarge']) {
      expect(trainingArtifactsFromHubDocument(DOCUMENT, type).gatedWeightsInput).toBe('environment');
    }
  });

  test('a job SageMaker may place on several types: their one image, and the family-less weights for all', () => {
    // g5 has weights of its own in this document; with p4d beside it, the one request must suit both.
    expect(trainingArtifactsFromHubDocument(DOCUMENT, 'ml.g5.48xlarge', ['ml.p4d.24xlarge'])).toEqual({
      ...trainingArtifactsFromHubDocument(DOCUMENT, 'ml.p4d.24xlarge'),
      gatedWeightsUri:
        's3://jumpstart-private-cache-prod-us-west-2/meta-training/train-meta-textgeneration-llama-3-2-1b-instruct.tar.gz',
      gatedWeightsInput: 'model-channel',
    });
  });

  test('types the hub trains with different images cannot share a job', () => {
    const document = JSON.parse(DOCUMENT);
    document.TrainingInstanceTypeVariants.Variants.p4d.Properties.ImageUri = 'other-image:1';
    expect(() =>
      trainingArtifactsFromHubDocument(JSON.stringify(document), 'ml.g5.48xlarge', [
        'ml.g6.48xlarge',
        'ml.p4d.24xlarge',
      ]),
    ).toThrow(
      /trains ml\.g5\.48xlarge with 763104351884\.dkr\.ecr\.us-west-2\.amazonaws\.com\/huggingface-pytorch-training:.* but ml\.p4d\.24xlarge with other-image:1; one job with instance preferences runs one image\. Drop ml\.p4d\.24xlarge from the fallback instance types\./,
    );
  });

  test('a document without what training needs names what is missing', () => {
    expect(() => trainingArtifactsFromHubDocument('{"HostingEcrUri": "x"}', 'ml.g5.12xlarge')).toThrow(
      /has no trainingImageUri, trainingScriptUri, gatedWeightsUri for training on ml.g5.12xlarge/,
    );
  });
});

describe('the hosting environment from the hub document', () => {
  test("the document's container variables win over the values asked with; names the template does not pass are reported", () => {
    const { environment, notPassed } = hostingEnvironmentFromHubDocument(DOCUMENT, 'ml.g5.12xlarge', {
      ENDPOINT_SERVER_TIMEOUT: 'fallback',
      HF_MODEL_ID: 'fallback',
      SAGEMAKER_MODEL_SERVER_WORKERS: 'fallback',
      SAGEMAKER_PROGRAM: 'fallback',
      OPTION_TENSOR_PARALLEL_DEGREE: '4',
    });
    // Values as the 3.2 1B Instruct document's InferenceEnvironmentVariables give them (numbers as strings).
    expect(environment).toEqual({
      ENDPOINT_SERVER_TIMEOUT: '3600',
      HF_MODEL_ID: '/opt/ml/model',
      SAGEMAKER_MODEL_SERVER_WORKERS: '1',
      SAGEMAKER_PROGRAM: 'inference.py',
      // The document sets no tensor parallel degree for this one-GPU model: the catalogue's stands.
      OPTION_TENSOR_PARALLEL_DEGREE: '4',
    });
    expect(notPassed).toEqual(
      expect.arrayContaining(['MODEL_CACHE_ROOT', 'OPTION_ENABLE_CHUNKED_PREFILL', 'SAGEMAKER_CONTAINER_LOG_LEVEL']),
    );
    expect(notPassed).not.toContain('HF_MODEL_ID');
  });

  test("the instance type's variables win over its family's, which win over the defaults; other scopes are not the container's", () => {
    const document = JSON.stringify({
      InferenceEnvironmentVariables: [
        { Name: 'OPTION_TENSOR_PARALLEL_DEGREE', Default: 1, Scope: 'container' },
        { Name: 'OPTION_GPU_MEMORY_UTILIZATION', Default: '0.8', Scope: 'container' },
        { Name: 'OPTION_ENFORCE_EAGER', Default: 'false', Scope: 'algorithm' },
        // Neither a nameless variable nor one without a default is one the container is given.
        { Default: 'orphan', Scope: 'container' },
        { Name: 'OPTION_ROLLING_BATCH', Scope: 'container' },
      ],
      HostingInstanceTypeVariants: {
        Variants: {
          g5: {
            Properties: {
              EnvironmentVariables: { OPTION_TENSOR_PARALLEL_DEGREE: '2', OPTION_GPU_MEMORY_UTILIZATION: '0.9' },
            },
          },
          'ml.g5.48xlarge': { Properties: { EnvironmentVariables: { OPTION_TENSOR_PARALLEL_DEGREE: '8' } } },
        },
      },
    });
    const expected = {
      OPTION_TENSOR_PARALLEL_DEGREE: 'x',
      OPTION_GPU_MEMORY_UTILIZATION: 'x',
      OPTION_ENFORCE_EAGER: 'true',
      OPTION_ROLLING_BATCH: 'lmi-dist',
    };
    expect(hostingEnvironmentFromHubDocument(document, 'ml.g5.48xlarge', expected)).toEqual({
      environment: {
        OPTION_TENSOR_PARALLEL_DEGREE: '8',
        OPTION_GPU_MEMORY_UTILIZATION: '0.9',
        OPTION_ENFORCE_EAGER: 'true',
        OPTION_ROLLING_BATCH: 'lmi-dist',
      },
      notPassed: [],
    });
    expect(hostingEnvironmentFromHubDocument(document, 'ml.g5.12xlarge', expected).environment).toMatchObject({
      OPTION_TENSOR_PARALLEL_DEGREE: '2',
    });
    expect(hostingEnvironmentFromHubDocument(document, 'ml.p4d.24xlarge', expected).environment).toMatchObject({
      OPTION_TENSOR_PARALLEL_DEGREE: '1',
      OPTION_GPU_MEMORY_UTILIZATION: '0.8',
    });
  });
});

describe('a document with only the top-level URIs (no variants, no container variables)', () => {
  const BARE = JSON.stringify({
    TrainingEcrUri: 'training-image',
    TrainingScriptUri: 's3://scripts/sourcedir.tar.gz',
    TrainingArtifactUri: 's3://weights/train.tar.gz',
    HostingEcrUri: 'hosting-image',
  });

  test('trains and hosts with its top-level images, the family-less weights as a model channel', () => {
    expect(trainingArtifactsFromHubDocument(BARE, 'ml.g5.12xlarge')).toEqual({
      trainingImageUri: 'training-image',
      trainingScriptUri: 's3://scripts/sourcedir.tar.gz',
      gatedWeightsUri: 's3://weights/train.tar.gz',
      gatedWeightsInput: 'model-channel',
    });
    expect(hostingArtifactsFromHubDocument(BARE, 'ml.g5.12xlarge')).toEqual({
      hostingImageUri: 'hosting-image',
      baseModelUri: '',
    });
    expect(hostingEnvironmentFromHubDocument(BARE, 'ml.g5.12xlarge', { HF_MODEL_ID: '/opt/ml/model' })).toEqual({
      environment: { HF_MODEL_ID: '/opt/ml/model' },
      notPassed: [],
    });
  });

  test("an instance type's own entry is enough, without its family's; an entry without properties adds nothing", () => {
    const document = JSON.stringify({
      ...JSON.parse(BARE),
      HostingInstanceTypeVariants: {
        Variants: { g5: {}, 'ml.g5.12xlarge': { Properties: { ImageUri: 'g5-12x-image' } } },
      },
    });
    expect(hostingArtifactsFromHubDocument(document, 'ml.g5.12xlarge').hostingImageUri).toBe('g5-12x-image');
    expect(hostingArtifactsFromHubDocument(document, 'ml.g5.2xlarge').hostingImageUri).toBe('hosting-image');
    // A family the document has no entry for at all.
    expect(hostingArtifactsFromHubDocument(document, 'ml.p4d.24xlarge').hostingImageUri).toBe('hosting-image');
    expect(hostingEnvironmentFromHubDocument(document, 'ml.g5.2xlarge', { A: 'a' }).environment).toEqual({ A: 'a' });
  });
});

describe('the resolver custom resource', () => {
  beforeEach(() => sagemaker.reset());

  test('with fallback training types, returns the artifacts that suit them all', async () => {
    sagemaker.on(DescribeHubContentCommand).resolves({ HubContentDocument: DOCUMENT, HubContentVersion: '1.3.0' });
    const result = await handle(
      event({
        ModelId: 'meta-textgeneration-llama-3-2-1b-instruct',
        HubContentVersion: '',
        TrainingInstanceType: 'ml.g5.48xlarge',
        FallbackTrainingInstanceTypes: ['ml.p4d.24xlarge'],
      }),
    );
    expect(result.data).toMatchObject({
      GatedWeightsUri:
        's3://jumpstart-private-cache-prod-us-west-2/meta-training/train-meta-textgeneration-llama-3-2-1b-instruct.tar.gz',
      GatedWeightsInput: 'model-channel',
    });
  });

  test('asks SageMakerPublicHub for the pinned version and returns the URIs', async () => {
    sagemaker.on(DescribeHubContentCommand).resolves({ HubContentDocument: DOCUMENT, HubContentVersion: '1.3.0' });
    const result = await handle(
      event({
        ModelId: 'meta-textgeneration-llama-3-2-1b-instruct',
        HubContentVersion: '1.3.0',
        TrainingInstanceType: 'ml.g5.12xlarge',
        HostingInstanceType: 'ml.g5.12xlarge',
      }),
    );
    expect(sagemaker.commandCalls(DescribeHubContentCommand)[0].args[0].input).toEqual({
      HubName: 'SageMakerPublicHub',
      HubContentType: 'Model',
      HubContentName: 'meta-textgeneration-llama-3-2-1b-instruct',
      HubContentVersion: '1.3.0',
    });
    expect(result.physicalResourceId).toBe('meta-textgeneration-llama-3-2-1b-instruct@1.3.0');
    expect(result.data).toMatchObject({
      HubContentVersion: '1.3.0',
      GatedWeightsUri: expect.stringContaining('/meta-training/g5/'),
    });
  });

  test('returns one attribute per hosting variable the template passes, from the same document as the image', async () => {
    sagemaker.on(DescribeHubContentCommand).resolves({ HubContentDocument: DOCUMENT, HubContentVersion: '1.3.0' });
    const result = await handle(
      event({
        ModelId: 'meta-textgeneration-llama-3-2-1b-instruct',
        HubContentVersion: '',
        TrainingInstanceType: 'ml.g5.12xlarge',
        HostingInstanceType: 'ml.g5.2xlarge',
        HostingEnvironment: { SAGEMAKER_ENV: 'fallback', OPTION_TENSOR_PARALLEL_DEGREE: '1' },
      }),
    );
    expect(result.data).toMatchObject({
      HostingImageUri: '763104351884.dkr.ecr.us-west-2.amazonaws.com/djl-inference:0.36.0-lmi18.0.0-cu128',
      'HostingEnvironment.SAGEMAKER_ENV': '1',
      'HostingEnvironment.OPTION_TENSOR_PARALLEL_DEGREE': '1',
    });
    expect(Object.keys(result.data!).filter((k) => k.startsWith('HostingEnvironment.'))).toHaveLength(2);
  });

  test('no pin asks for the newest version', async () => {
    sagemaker.on(DescribeHubContentCommand).resolves({ HubContentDocument: DOCUMENT, HubContentVersion: '2.0.0' });
    await handle(
      event({
        ModelId: 'm',
        HubContentVersion: '',
        TrainingInstanceType: 'ml.g5.12xlarge',
        HostingInstanceType: 'ml.g5.12xlarge',
      }),
    );
    expect(sagemaker.commandCalls(DescribeHubContentCommand)[0].args[0].input.HubContentVersion).toBeUndefined();
  });

  test('training and hosting lookups each return only their own attributes', async () => {
    sagemaker.on(DescribeHubContentCommand).resolves({ HubContentDocument: DOCUMENT, HubContentVersion: '1.3.0' });
    const model = 'meta-textgeneration-llama-3-2-1b-instruct';
    const training = await handle(
      event({
        ModelId: model,
        HubContentVersion: '',
        TrainingInstanceType: 'ml.g5.12xlarge',
        HostingEnvironment: undefined,
      }),
    );
    expect(Object.keys(training.data!).sort()).toEqual([
      'GatedWeightsInput',
      'GatedWeightsUri',
      'HubContentVersion',
      'TrainingImageUri',
      'TrainingScriptUri',
    ]);
    const hosting = await handle(
      event({
        ModelId: model,
        HubContentVersion: '1.3.0',
        HostingInstanceType: 'ml.g5.2xlarge',
        HostingEnvironment: { SAGEMAKER_ENV: 'x' },
      }),
    );
    expect(Object.keys(hosting.data!).sort()).toEqual([
      'BaseModelUri',
      'HostingEnvironment.SAGEMAKER_ENV',
      'HostingImageUri',
      'HubContentVersion',
    ]);
  });

  describe('the version is resolved once and kept', () => {
    const model = 'meta-textgeneration-llama-3-8b';
    const update = (props: Partial<HubArtifactsProperties>, PhysicalResourceId: string) => ({
      ...event({ ModelId: model, HubContentVersion: '', TrainingInstanceType: 'ml.g5.12xlarge', ...props }),
      RequestType: 'Update' as const,
      PhysicalResourceId,
    });
    const asked = () => sagemaker.commandCalls(DescribeHubContentCommand).map((c) => c.args[0].input.HubContentVersion);
    beforeEach(() =>
      sagemaker.on(DescribeHubContentCommand).callsFake(({ HubContentVersion }) => ({
        HubContentDocument: DOCUMENT,
        HubContentVersion: HubContentVersion ?? '2.4.0',
      })),
    );

    test('an update without a pin asks for the version it resolved before, not the newest', async () => {
      // e.g. the training instance type changed, or the resource's properties lost a hosting field.
      const result = await handle(update({ TrainingInstanceType: 'ml.g5.24xlarge' }, `${model}@2.1.0`));
      expect(asked()).toEqual(['2.1.0']);
      expect(result.physicalResourceId).toBe(`${model}@2.1.0`);
    });

    test('a resource that resolved no version (the hub named none) asks for the newest again', async () => {
      await handle(update({}, `${model}@`));
      expect(asked()).toEqual([undefined]);
    });

    test('the log says which version was kept, and the hosting environment only for a hosting lookup', async () => {
      const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
      try {
        await handle(update({}, `${model}@2.1.0`));
        await handle(update({ HubContentVersion: '2.3.0' }, `${model}@2.1.0`));
        await handle(update({ HubContentVersion: '2.3.0', HostingInstanceType: 'ml.g5.12xlarge' }, `${model}@2.1.0`));
        const logged = log.mock.calls.map(([line]) => JSON.parse(line));
        expect(logged.map((l) => [l.version, l.kept])).toEqual([
          ['2.1.0', true],
          ['2.3.0', false],
          ['2.3.0', false],
        ]);
        expect(logged[0]).not.toHaveProperty('hostingEnvironment');
        expect(logged[2].hostingEnvironment).toEqual({ environment: {}, notPassed: expect.any(Array) });
      } finally {
        log.mockRestore();
      }
    });

    test('a pin wins over the kept version; so does the newest for another model', async () => {
      await handle(update({ HubContentVersion: '2.3.0' }, `${model}@2.1.0`));
      await handle(update({}, 'meta-textgeneration-llama-3-70b@2.1.0'));
      await handle({ ...update({}, `${model}@2.1.0`), RequestType: 'Create', PhysicalResourceId: undefined });
      expect(asked()).toEqual(['2.3.0', undefined, undefined]);
    });
  });

  test('a failed lookup fails the deploy with the reason', async () => {
    sagemaker
      .on(DescribeHubContentCommand)
      .rejects(Object.assign(new Error('Hub content not found'), { name: 'ResourceNotFound' }));
    await expect(
      handle(
        event({
          ModelId: 'meta-textgeneration-llama-3-8b',
          HubContentVersion: '9.9.9',
          TrainingInstanceType: 'ml.g5.12xlarge',
          HostingInstanceType: 'ml.g5.12xlarge',
        }),
      ),
    ).rejects.toThrow(
      'Could not look up meta-textgeneration-llama-3-8b version 9.9.9 in SageMakerPublicHub: ResourceNotFound: Hub content not found',
    );
    // The SDK's own error stays attached, for the function's log.
    await expect(
      handle(event({ ModelId: 'meta-textgeneration-llama-3-8b', HubContentVersion: '9.9.9' })),
    ).rejects.toMatchObject({ cause: { name: 'ResourceNotFound' } });
  });

  test('delete has nothing to clean up', async () => {
    const result = await handle({
      ...event({
        ModelId: 'm',
        HubContentVersion: '',
        TrainingInstanceType: 'ml.g5.12xlarge',
        HostingInstanceType: 'ml.g5.12xlarge',
      }),
      RequestType: 'Delete',
      PhysicalResourceId: 'm@1',
    });
    expect(result).toEqual({ physicalResourceId: 'm@1' });
    expect(sagemaker.calls()).toHaveLength(0);
  });
});
