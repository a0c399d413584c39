/**
 * Nothing accepted that fails later: every value SageMaker, CloudFormation or the
 * training script would refuse or silently ignore is refused at synth, with the prop,
 * the value, what is allowed and how to fix it.
 */
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import {
  FineTunedModelEndpoint,
  FineTunedModelEndpointProps,
  FineTuningJob,
  FineTuningJobProps,
  JumpStartModelArtifacts,
  TrainingDataBuckets,
} from '../../lib';
import { configurationFromContext } from '../../lib/app/context';
import { fineTuningStack } from '../support/stacks';

function scope(): { stack: Stack; role: iam.IRole } {
  const stack = new Stack(new App(), 'Checks');
  return {
    stack,
    role: iam.Role.fromRoleArn(stack, 'Role', 'arn:aws:iam::123456789012:role/SageMaker', { mutable: false }),
  };
}

const job = (props: Partial<FineTuningJobProps>) => {
  const { stack, role } = scope();
  return new FineTuningJob(stack, 'Job', {
    acceptEula: true,
    role,
    trainingDataUri: 's3://team-data/train/',
    outputUri: 's3://team-models/out/',
    ...props,
  });
};

const endpoint = (props: Partial<FineTunedModelEndpointProps>) => {
  const { stack, role } = scope();
  return new FineTunedModelEndpoint(stack, 'Endpoint', {
    role,
    modelArtifactsUri: 's3://team-models/llama/model.tar.gz',
    imageUri: 'image',
    ...props,
  });
};

describe('S3 URIs of every construct', () => {
  test.each([
    [
      'trainingDataUri',
      's3://team-data/train',
      /trainingDataUri is "s3:\/\/team-data\/train"; allowed: s3:\/\/bucket\/prefix\/ \(ending in \/\)\. Fix: end it with "\/" \("s3:\/\/team-data\/train\/"\)/,
    ],
    [
      'validationDataUri',
      'https://team-data/validation/',
      /validationDataUri is "https:\/\/team-data\/validation\/", which is not an S3 URI/,
    ],
    [
      'outputUri',
      's3://Team_Models/out/',
      /outputUri is "s3:\/\/Team_Models\/out\/"; "Team_Models" is not a valid bucket name/,
    ],
    [
      'trainingScriptUri',
      's3://scripts/sourcedir/',
      /trainingScriptUri is "s3:\/\/scripts\/sourcedir\/"; allowed: s3:\/\/bucket\/key.tar.gz/,
    ],
    [
      'gatedWeightsUri',
      's3://weights/a b.tar.gz',
      /gatedWeightsUri is "s3:\/\/weights\/a b.tar.gz"; allowed: a key without spaces/,
    ],
    ['trainingDataUri', 's3://team-data//train/', /empty path segments/],
  ])('FineTuningJob %s %j is refused', (prop, value, message) => {
    expect(() =>
      job({
        [prop]: value,
        trainingImageUri: 'image',
        trainingScriptUri: 's3://scripts/sourcedir.tar.gz',
        gatedWeightsUri: 's3://weights/w.tar.gz',
        ...{ [prop]: value },
      }),
    ).toThrow(message);
  });

  test.each([
    [
      's3://team-models/llama/model',
      /modelArtifactsUri is "s3:\/\/team-models\/llama\/model"; allowed: .*model.tar.gz.*\. Fix: point at the model.tar.gz, or end the uncompressed model's prefix with "\/"/,
    ],
    ['s3://team-models/', /modelArtifactsUri is "s3:\/\/team-models\/"/],
    ['team-models/llama/model.tar.gz', /which is not an S3 URI/],
  ])('FineTunedModelEndpoint modelArtifactsUri %j (neither a tarball nor a prefix) is refused', (value, message) => {
    expect(() => endpoint({ modelArtifactsUri: value })).toThrow(message);
  });

  test('the stack names its own props', () => {
    expect(() => fineTuningStack({ trainData: 's3://team-data/train' })).toThrow(
      /trainData is "s3:\/\/team-data\/train"/,
    );
    expect(() => fineTuningStack({ modelArtifactsUri: 's3://team-models/model' })).toThrow(/modelArtifactsUri/);
  });
});

describe('names and versions', () => {
  test.each([
    [
      () => job({ hubContentVersion: 'latest' }),
      /hubContentVersion is "latest"; allowed: a JumpStart hub content version such as "2.1.0"/,
    ],
    [
      () =>
        new JumpStartModelArtifacts(scope().stack, 'A', {
          modelId: 'meta-textgeneration-llama-3-8b',
          hubContentVersion: '2.1',
        }),
      /hubContentVersion is "2.1"/,
    ],
    [
      () => FineTuningJob.attach(scope().stack, 'A', { trainingJobName: 'my_job' }),
      /trainingJobName is "my_job"; allowed: 1 to 63 letters/,
    ],
    [() => fineTuningStack({ existingTrainingJobName: 'job/*' }), /existingTrainingJobName is "job\/\*"/],
    [() => endpoint({ endpointName: `e${'x'.repeat(63)}` }), /endpointName is "ex+"; allowed: 1 to 63/],
  ])("%#: refused with SageMaker's rule", (build, message) => {
    expect(build).toThrow(message);
  });

  test("an attached job's name is checked before it can go into an IAM resource pattern", () => {
    expect(() => FineTuningJob.attach(new Stack(new App(), 'S'), 'A', { trainingJobName: '*' })).toThrow(
      /trainingJobName is "\*"/,
    );
  });
});

describe('combinations that contradict or are ignored', () => {
  test('an existing model to serve with training settings', () => {
    expect(() =>
      fineTuningStack({
        existingTrainingJobName: 'earlier-run',
        hyperparameters: { epoch: 3 },
        trainingInstanceType: 'ml.g5.24xlarge',
      }),
    ).toThrow(
      /existingTrainingJobName serves an existing model, so nothing is trained, but trainingInstanceType, hyperparameters.epoch are given and would be ignored/,
    );
    expect(() =>
      fineTuningStack({ modelArtifactsUri: 's3://team-models/m/model.tar.gz', trainData: 's3://team-data/train/' }),
    ).toThrow(/modelArtifactsUri serves an existing model.*trainData/);
  });

  test('serving settings when nothing is served', () => {
    expect(() =>
      fineTuningStack({
        deployEndpoint: false,
        endpointInstanceType: 'ml.g5.2xlarge',
        endpointAutoScaling: { minInstances: 1, maxInstances: 2 },
      }),
    ).toThrow(
      /deployEndpoint is false, so nothing is served, but endpointInstanceType, endpointAutoScaling are given and would be ignored/,
    );
  });

  test('instruction or chat mode on the default domain-adaptation dataset', () => {
    expect(() => fineTuningStack({ hyperparameters: { instructionTuned: true } })).toThrow(
      /hyperparameters.instructionTuned is true, but no trainData is given: meta-textgeneration-llama-3-8b's default dataset \(JumpStart's training-datasets\/sec_amazon\/\) holds plain text for domain adaptation, and this training mode reads instruction records/,
    );
    expect(() => fineTuningStack({ hyperparameters: { chatDataset: true } })).toThrow(/hyperparameters.chatDataset/);
    expect(() =>
      fineTuningStack({ hyperparameters: { instructionTuned: true }, trainData: 's3://team-data/instruction/' }),
    ).not.toThrow();
  });

  test('a model whose default dataset is chat: leaving chat mode without trainData is refused, its default is not', () => {
    const modelId = 'meta-textgeneration-llama-3-2-1b-instruct';
    expect(() => fineTuningStack({ modelId, hyperparameters: { chatDataset: false } })).toThrow(
      /hyperparameters.chatDataset is false, but no trainData is given: .*training-datasets\/oasst_top\/train\/\) holds conversations \(chat\), and this training mode reads plain text/,
    );
    expect(() => fineTuningStack({ modelId, hyperparameters: { chatDataset: true } })).not.toThrow();
  });

  test('JumpStart artifacts of another model or instance family', () => {
    const { stack, role } = scope();
    const base = {
      acceptEula: true,
      role,
      trainingDataUri: 's3://team-data/train/',
      outputUri: 's3://team-models/out/',
    };
    const artifacts70b = new JumpStartModelArtifacts(stack, 'A70', {
      modelId: 'meta-textgeneration-llama-3-70b',
      trainingInstanceType: 'ml.g5.48xlarge',
    });
    expect(() => new FineTuningJob(stack, 'J1', { ...base, artifacts: artifacts70b })).toThrow(
      /artifacts are JumpStart's artifacts of meta-textgeneration-llama-3-70b, but this job fine-tunes meta-textgeneration-llama-3-8b/,
    );
    const p4d = new JumpStartModelArtifacts(stack, 'AP4', {
      modelId: 'meta-textgeneration-llama-3-70b',
      trainingInstanceType: 'ml.p4d.24xlarge',
    });
    expect(
      () => new FineTuningJob(stack, 'J2', { ...base, modelId: 'meta-textgeneration-llama-3-70b', artifacts: p4d }),
    ).toThrow(
      /artifacts were resolved for ml.p4d.24xlarge, but this job trains on ml.g5.48xlarge: JumpStart's gated weights differ by instance family \(p4d vs g5\)/,
    );
    const g5 = new JumpStartModelArtifacts(stack, 'AG5', {
      modelId: 'meta-textgeneration-llama-3-8b',
      hostingInstanceType: 'ml.g5.12xlarge',
    });
    expect(
      () =>
        new FineTunedModelEndpoint(stack, 'E', {
          role,
          modelArtifactsUri: 's3://team-models/m.tar.gz',
          artifacts: g5,
          instanceType: 'ml.p4d.24xlarge',
        }),
    ).toThrow(/artifacts were resolved for hosting on ml.g5.12xlarge, but this endpoint runs on ml.p4d.24xlarge/);
  });

  test('an autoscaling target without its bounds (app context)', () => {
    expect(() => configurationFromContext({ endpoint_target_invocations: '20' })).toThrow(
      /context key "endpoint_target_invocations" is given without endpoint_min_instances or endpoint_max_instances; .* Fix: add -c endpoint_max_instances=<n>/,
    );
  });
});

describe('ranges the service enforces', () => {
  test.each([
    [
      'containerStartupHealthCheckTimeout',
      Duration.seconds(30),
      /containerStartupHealthCheckTimeout is 30 seconds; allowed: whole seconds from 60 to 3600 \(SageMaker's range\)\. Fix: e\.g\. 60 seconds, or leave it out\./,
    ],
    [
      'modelDataDownloadTimeout',
      Duration.hours(2),
      /modelDataDownloadTimeout is 7200 seconds; allowed: whole seconds from 60 to 3600/,
    ],
    ['modelDataDownloadTimeout', Duration.millis(90500), /modelDataDownloadTimeout is 90.5 seconds/],
  ])('%s %s', (prop, value, message) => {
    expect(() => endpoint({ [prop]: value })).toThrow(message);
  });
});

test('a maximum runtime of fractional seconds, which MaxRuntimeInSeconds cannot take', () => {
  expect(() => job({ maxRuntime: Duration.millis(1500) })).toThrow('maxRuntime is 1.5 seconds; allowed: whole seconds');
});

describe('types from JavaScript callers', () => {
  test('a string where a boolean belongs never flips a removal policy', () => {
    expect(() => new TrainingDataBuckets(scope().stack, 'B', { removalPolicy: 'false' as any })).toThrow(
      /removalPolicy is "false"; allowed: RemovalPolicy.RETAIN or RemovalPolicy.DESTROY/,
    );
    expect(() => fineTuningStack({ destroyDataOnDelete: 'false' as any })).toThrow(/destroyDataOnDelete is "false"/);
  });

  test.each(['deployEndpoint', 'dataCapture', 'disableOutputCompression', 'encryptLogs', 'skipRuntimeCheck'])(
    "the stack's %s",
    (prop) => {
      expect(() => fineTuningStack({ [prop]: 'yes' })).toThrow(new RegExp(`${prop} is "yes"; allowed: true or false`));
    },
  );

  test("constructs' booleans and the alarm address", () => {
    expect(() => job({ disableOutputCompression: 'true' as any })).toThrow(
      /disableOutputCompression is "true"; allowed: true or false/,
    );
    expect(() =>
      FineTuningJob.attach(scope().stack, 'A', { trainingJobName: 'earlier', outputCompressed: 1 as any }),
    ).toThrow(/outputCompressed is 1; allowed: true or false/);
    expect(() => fineTuningStack({ alarmEmail: 'ml-team' })).toThrow(
      /alarmEmail is "ml-team", which is not an email address/,
    );
  });
});
