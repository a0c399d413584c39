import { createHash } from 'node:crypto';
import {
  createTrainingJobRequest,
  modelArtifactsUri,
  trainingJobName,
} from '../../lib/handlers/shared/training-request';
import { PROPS } from '../support/training-props';

describe('the CreateTrainingJob request (FACTS §6, field by field)', () => {
  // Built inside each test, not when the file is collected: a mutation run reruns only the tests
  // that executed a line, and collection belongs to none of them.
  let request: ReturnType<typeof createTrainingJobRequest>;
  beforeEach(() => {
    request = createTrainingJobRequest(PROPS, 'ft-llama-3-8b-0123abcd-a1b2c3', 'us-west-2');
  });

  test('algorithm: the training image in File mode with the metric definitions', () => {
    expect(request.AlgorithmSpecification).toEqual({
      TrainingImage: PROPS.TrainingImageUri,
      TrainingInputMode: 'File',
      MetricDefinitions: PROPS.MetricDefinitions,
      EnableSageMakerMetricsTimeSeries: true,
    });
  });

  test('hyperparameters: the algorithm ones as plain strings plus the container-scope entries JumpStart adds', () => {
    expect(request.HyperParameters).toEqual({
      epoch: '5',
      instruction_tuned: 'False',
      sagemaker_program: 'transfer_learning.py',
      sagemaker_submit_directory: '/opt/ml/input/data/code/sourcedir.tar.gz',
      sagemaker_container_log_level: '20',
      sagemaker_job_name: 'ft-llama-3-8b-0123abcd-a1b2c3',
      sagemaker_region: 'us-west-2',
    });
  });

  test('channels: training, validation and code, S3Prefix and FullyReplicated', () => {
    const s3 = (uri: string) => ({
      S3DataSource: { S3DataType: 'S3Prefix', S3Uri: uri, S3DataDistributionType: 'FullyReplicated' },
    });
    expect(request.InputDataConfig).toEqual([
      { ChannelName: 'training', DataSource: s3('s3://data/training/') },
      { ChannelName: 'validation', DataSource: s3('s3://data/validation/') },
      { ChannelName: 'code', DataSource: s3(PROPS.TrainingScriptUri) },
    ]);
  });

  test('no validation channel without validation data', () => {
    const names = createTrainingJobRequest(
      { ...PROPS, ValidationDataUri: undefined },
      'j',
      'us-west-2',
    ).InputDataConfig!.map((c) => c.ChannelName);
    expect(names).toEqual(['training', 'code']);
  });

  test('gated weights through the environment with the licence accepted, not also a model channel', () => {
    expect(request.Environment).toEqual({ accept_eula: 'true', SageMakerGatedModelS3Uri: PROPS.GatedWeightsUri });
    expect(request.InputDataConfig!.map((c) => c.ChannelName)).not.toContain('model');
  });

  test("capacity options as SageMaker's fields: RetryStrategy, the training plan in ResourceConfig, the pending limit; none by default", () => {
    expect(request.RetryStrategy).toBeUndefined();
    const plan = 'arn:aws:sagemaker:us-west-2:123456789012:training-plan/llama-week';
    const withCapacity = createTrainingJobRequest(
      { ...PROPS, MaxRetryAttempts: '3', TrainingPlanArn: plan, MaxPendingTimeInSeconds: '7200' },
      'ft-llama-3-8b-0123abcd-abcdef',
      'us-west-2',
    );
    expect(withCapacity.RetryStrategy).toEqual({ MaximumRetryAttempts: 3 });
    expect(withCapacity.ResourceConfig).toMatchObject({ InstanceType: 'ml.g5.12xlarge', TrainingPlanArn: plan });
    expect(withCapacity.StoppingCondition).toEqual({ MaxRuntimeInSeconds: 39600, MaxPendingTimeInSeconds: 7200 });
  });

  test('output, resources, stopping condition, isolation, encryption and tags', () => {
    expect(request.OutputDataConfig).toEqual({
      S3OutputPath: 's3://models/output/',
      KmsKeyId: PROPS.OutputKmsKeyId,
      CompressionType: 'GZIP',
    });
    expect(request.ResourceConfig).toEqual({ InstanceType: 'ml.g5.12xlarge', InstanceCount: 1, VolumeSizeInGB: 30 });
    expect(request.StoppingCondition).toEqual({ MaxRuntimeInSeconds: 39600 });
    expect(request.EnableNetworkIsolation).toBe(true);
    expect(request.EnableInterContainerTrafficEncryption).toBe(true);
    expect(request.VpcConfig).toBeUndefined();
    expect(request.Tags).toEqual([
      { Key: 'sagemaker-sdk:jumpstart-model-id', Value: 'meta-textgeneration-llama-3-8b' },
      { Key: 'sagemaker-sdk:jumpstart-model-version', Value: '2.1.0' },
      // The owner of the job: the first 40 hex digits of the SHA-256 of its wait's id.
      {
        Key: 'cdk-llama3-finetuning:wait-owner',
        Value: createHash('sha256').update(PROPS.WaitId).digest('hex').slice(0, 40),
      },
    ]);
  });

  test('compression off and VPC on', () => {
    const r = createTrainingJobRequest(
      { ...PROPS, DisableOutputCompression: 'true', SubnetIds: ['subnet-1'], SecurityGroupIds: ['sg-1'] },
      'j',
      'r',
    );
    expect(r.OutputDataConfig!.CompressionType).toBe('NONE');
    expect(r.VpcConfig).toEqual({ Subnets: ['subnet-1'], SecurityGroupIds: ['sg-1'] });
  });

  test("the construct's tags (Tags.of) go on the job before the owner tag", () => {
    const r = createTrainingJobRequest({ ...PROPS, Tags: { team: 'ml-platform', 'cost-center': '42' } }, 'j', 'r');
    expect(r.Tags!.slice(2, 4)).toEqual([
      { Key: 'team', Value: 'ml-platform' },
      { Key: 'cost-center', Value: '42' },
    ]);
    expect(r.Tags![4].Key).toBe('cdk-llama3-finetuning:wait-owner');
  });
});

describe('gated weights of a family the hub has none of its own for', () => {
  const FAMILY_LESS =
    's3://jumpstart-private-cache-prod-us-west-2/meta-training/train-meta-textgeneration-llama-3-2-1b-instruct.tar.gz';
  test('a model channel with the licence accepted in the request, as the SDK sends it, and no environment variable', () => {
    const request = createTrainingJobRequest(
      { ...PROPS, InstanceType: 'ml.p4d.24xlarge', GatedWeightsUri: FAMILY_LESS, GatedWeightsInput: 'model-channel' },
      'job',
      'us-west-2',
    );
    // sagemaker-python-sdk v2.257: job.py _prepare_channel(model_uri, "model",
    // content_type="application/x-sagemaker-model", input_mode="File",
    // model_access_config={"AcceptEula": True}); inputs.py TrainingInput defaults.
    expect(request.InputDataConfig!.at(-1)).toEqual({
      ChannelName: 'model',
      DataSource: {
        S3DataSource: {
          S3DataType: 'S3Prefix',
          S3Uri: FAMILY_LESS,
          S3DataDistributionType: 'FullyReplicated',
          ModelAccessConfig: { AcceptEula: true },
        },
      },
      ContentType: 'application/x-sagemaker-model',
      InputMode: 'File',
    });
    expect(request.InputDataConfig!.map((c) => c.ChannelName)).toEqual(['training', 'validation', 'code', 'model']);
    expect(request.Environment).toBeUndefined();
  });

  test("a family's own weights stay in the environment variable, with no model channel", () => {
    const request = createTrainingJobRequest({ ...PROPS, GatedWeightsInput: 'environment' }, 'job', 'us-west-2');
    expect(request.InputDataConfig!.map((c) => c.ChannelName)).toEqual(['training', 'validation', 'code']);
    expect(request.Environment).toEqual({ accept_eula: 'true', SageMakerGatedModelS3Uri: PROPS.GatedWeightsUri });
  });
});

describe('fallback instance types: SageMaker instance preferences in one request', () => {
  const request = () =>
    createTrainingJobRequest(
      { ...PROPS, FallbackInstanceTypes: ['ml.g5.24xlarge', 'ml.g5.48xlarge'] },
      'job-1',
      'us-west-2',
    );

  test('the job type first, then the fallbacks, in order; one count for the job and no InstanceType of its own', () => {
    expect(request().ResourceConfig).toEqual({
      InstancePreferences: [
        { InstanceType: 'ml.g5.12xlarge' },
        { InstanceType: 'ml.g5.24xlarge' },
        { InstanceType: 'ml.g5.48xlarge' },
      ],
      InstanceCount: 1,
      VolumeSizeInGB: Number(PROPS.VolumeSizeInGB),
    });
  });

  test('everything else is the one-type request', () => {
    const { ResourceConfig: _with, ...rest } = request();
    const { ResourceConfig: _without, ...plain } = createTrainingJobRequest(PROPS, 'job-1', 'us-west-2');
    expect(rest).toEqual(plain);
  });

  test('an empty list is no preference', () => {
    const none = createTrainingJobRequest({ ...PROPS, FallbackInstanceTypes: [] }, 'job-1', 'us-west-2');
    expect(none.ResourceConfig).toMatchObject({ InstanceType: 'ml.g5.12xlarge' });
    expect(none.ResourceConfig!.InstancePreferences).toBeUndefined();
  });
});

describe('managed spot training', () => {
  test('spot: managed spot training, the maximum wait, and checkpoints under the job\u2019s own output', () => {
    const request = createTrainingJobRequest({ ...PROPS, MaxWaitTimeInSeconds: '79200' }, 'job-1', 'us-west-2');
    expect(request.EnableManagedSpotTraining).toBe(true);
    expect(request.StoppingCondition).toEqual({ MaxRuntimeInSeconds: 39600, MaxWaitTimeInSeconds: 79200 });
    // PROPS.OutputPath is s3://models/output/: the checkpoints sit beside the job's output.
    expect(request.CheckpointConfig).toEqual({ S3Uri: 's3://models/output/job-1/checkpoints/' });
  });

  test('on-demand: none of it', () => {
    const request = createTrainingJobRequest(PROPS, 'job-1', 'us-west-2');
    expect(request.EnableManagedSpotTraining).toBeUndefined();
    expect(request.CheckpointConfig).toBeUndefined();
    expect(request.StoppingCondition).toEqual({ MaxRuntimeInSeconds: 39600 });
  });
});

describe('job names and artifact locations', () => {
  test("names fit SageMaker's pattern and length, are stable per stack, inputs and attempt", () => {
    const pattern = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;
    const prefix = 'llama3-ft-0123abcd';
    const stack1 = 'arn:aws:cloudformation:us-west-2:1:stack/S/uuid-1';
    const a = trainingJobName(prefix, 'aaaa0001', stack1, 1);
    expect(a).toMatch(pattern);
    expect(a).toMatch(/^llama3-ft-0123abcd-[0-9a-f]{6}$/);
    expect(trainingJobName(prefix, 'aaaa0001', stack1, 1)).toBe(a);
    // A re-created stack, or other training inputs: another name under the same prefix.
    expect(trainingJobName(prefix, 'aaaa0001', 'arn:aws:cloudformation:us-west-2:1:stack/S/uuid-2', 1)).not.toBe(a);
    expect(trainingJobName(prefix, 'bbbb0002', stack1, 1)).not.toBe(a);
    expect(trainingJobName(prefix, 'bbbb0002', stack1, 1).startsWith(`${prefix}-`)).toBe(true);
    expect(trainingJobName(prefix, 'aaaa0001', stack1, 2)).toBe(`${a}-2`);
    // The longest prefix (a 40-character base and the owner hash) and the 20th attempt fit 63.
    const longest = trainingJobName('a'.repeat(40) + '-0123abcd', 'aaaa0001', 'stack', 20);
    expect(longest).toMatch(pattern);
    expect(longest).toBe(`${'a'.repeat(40)}-0123abcd-${longest.slice(50, 56)}-20`);
    // A prefix from a token is not checked at synth: the name is cut to SageMaker's 63.
    expect(trainingJobName('a'.repeat(70), 'aaaa0001', 'stack', 1)).toBe('a'.repeat(63));
  });

  test('model.tar.gz when compressed, the model/ prefix with a trailing slash when not', () => {
    expect(modelArtifactsUri('s3://m/output/', 'job', true)).toBe('s3://m/output/job/output/model.tar.gz');
    expect(modelArtifactsUri('s3://m/output', 'job', false)).toBe('s3://m/output/job/output/model/');
    expect(modelArtifactsUri('s3://m/output//', 'job', true)).toBe('s3://m/output/job/output/model.tar.gz');
  });
});

describe('additional parameters (additionalTrainingJobParameters)', () => {
  const withMembers = (members: object, props: Partial<typeof PROPS> = {}) =>
    createTrainingJobRequest({ ...PROPS, ...props, AdditionalParameters: JSON.stringify(members) }, 'job', 'us-west-2');

  test('new members are added whole, numbers and booleans as given', () => {
    const request = withMembers({
      ProfilerConfig: { S3OutputPath: 's3://p/', ProfilingIntervalInMilliseconds: 500 },
      InfraCheckConfig: { EnableInfraCheck: true },
    });
    expect(request.ProfilerConfig).toEqual({ S3OutputPath: 's3://p/', ProfilingIntervalInMilliseconds: 500 });
    expect(request.InfraCheckConfig).toEqual({ EnableInfraCheck: true });
  });

  test("members of the library's objects go beside its own: a warm pool, the caller's variables", () => {
    const request = withMembers({
      ResourceConfig: { KeepAlivePeriodInSeconds: 1800 },
      Environment: { NCCL_DEBUG: 'INFO' },
    });
    expect(request.ResourceConfig).toEqual({
      InstanceType: 'ml.g5.12xlarge',
      InstanceCount: 1,
      VolumeSizeInGB: 30,
      KeepAlivePeriodInSeconds: 1800,
    });
    expect(request.Environment).toEqual({
      accept_eula: 'true',
      SageMakerGatedModelS3Uri: PROPS.GatedWeightsUri,
      NCCL_DEBUG: 'INFO',
    });
  });

  test('variables alone where the weights come as a model channel (no library environment)', () => {
    expect(withMembers({ Environment: { A: '1' } }, { GatedWeightsInput: 'model-channel' }).Environment).toEqual({
      A: '1',
    });
  });

  test('everything else is the request without them', () => {
    const { ResourceConfig, Environment, ...rest } = withMembers({
      ResourceConfig: { KeepAlivePeriodInSeconds: 60 },
      Environment: { A: '1' },
    });
    const { ResourceConfig: r, Environment: e, ...plain } = createTrainingJobRequest(PROPS, 'job', 'us-west-2');
    expect(rest).toEqual(plain);
    expect(ResourceConfig).toEqual({ ...r, KeepAlivePeriodInSeconds: 60 });
    expect(Environment).toEqual({ ...e, A: '1' });
  });

  test.each([
    [
      { ResourceConfig: { InstanceType: 'ml.p4d.24xlarge' } },
      'CreateTrainingJob.ResourceConfig.InstanceType',
      '"ml.g5.12xlarge"',
    ],
    [{ Environment: { accept_eula: 'false' } }, 'CreateTrainingJob.Environment.accept_eula', '"true"'],
    [{ EnableNetworkIsolation: false }, 'CreateTrainingJob.EnableNetworkIsolation', 'true'],
    [{ Tags: [] }, 'CreateTrainingJob.Tags', '[{"Key"'],
  ])('a value the library sets is never replaced: %j fails the deploy', (members, path, libraryValue) => {
    expect(() => withMembers(members)).toThrow(
      `additionalTrainingJobParameters sets ${path}, which the library sets to ${libraryValue}`,
    );
  });

  test('not a JSON object: refused', () => {
    expect(() => createTrainingJobRequest({ ...PROPS, AdditionalParameters: '[1]' }, 'job', 'r')).toThrow(
      'AdditionalParameters is not a JSON object',
    );
  });
});
