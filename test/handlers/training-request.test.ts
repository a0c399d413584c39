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
    // The longest prefix (a 40-character base and the owner hash), the 20th attempt and a fallback's -fb1 fit 63.
    const longest = trainingJobName('a'.repeat(40) + '-0123abcd', 'aaaa0001', 'stack', 20);
    expect(longest).toMatch(pattern);
    expect(`${longest}-fb1`.length).toBeLessThanOrEqual(63);
    // A prefix from a token is not checked at synth: the name is cut to SageMaker's 63.
    expect(trainingJobName('a'.repeat(70), 'aaaa0001', 'stack', 1)).toBe('a'.repeat(63));
  });

  test('model.tar.gz when compressed, the model/ prefix with a trailing slash when not', () => {
    expect(modelArtifactsUri('s3://m/output/', 'job', true)).toBe('s3://m/output/job/output/model.tar.gz');
    expect(modelArtifactsUri('s3://m/output', 'job', false)).toBe('s3://m/output/job/output/model/');
    expect(modelArtifactsUri('s3://m/output//', 'job', true)).toBe('s3://m/output/job/output/model.tar.gz');
  });
});
