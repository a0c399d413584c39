/** The example app speaks in context keys; the constructs under it speak in props. */
import { App } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { FineTuningJob } from '../../lib';
import { contextErrorMessage, fineTuningStackFromContext } from '../../lib/app/fine-tuning-app';

const fromContext = (context: Record<string, string>) => () =>
  fineTuningStackFromContext(new App({ context: { accept_eula: 'true', ...context } }));

test.each([
  [
    { instance_type: 'ml.g5.2xlarge' },
    /^instance_type is "ml.g5.2xlarge", which does not train meta-textgeneration-llama-3-8b/,
  ],
  [{ endpoint_instance_type: 'ml.t3.medium' }, /^endpoint_instance_type is "ml.t3.medium", which does not serve/],
  [
    { max_run: '2500000' },
    /^max_run is 28 days 22 hours \(2500000 seconds\); allowed: 1 second to 28 days \(2419200 seconds, SageMaker's limit\)\. Fix: e\.g\. 100 hours \(JumpStart's default\), or leave it out\./,
  ],
  [
    { model_id: 'meta-textgeneration-llama-3-70b', epoch: '5', max_run: '39600' },
    /longer than max_run of 660 minutes.*Fix: epoch 4 \(about 615 min\); or max_train_samples 1020.*set skip_runtime_check: true/,
  ],
  [
    { train_data: 's3://team-data/train' },
    /^train_data is "s3:\/\/team-data\/train"; allowed: s3:\/\/bucket\/prefix\/ \(ending in \/\)/,
  ],
  [{ enable_fsdp: 'True', int8_quantization: 'True' }, /^int8_quantization and enable_fsdp are both true/],
  [{ max_retry_attempts: '0' }, /^max_retry_attempts is 0; allowed: an integer from 1 to 30/],
  [{ training_plan: 'my-plan' }, /^training_plan is "my-plan"; allowed: a training plan ARN/],
  [
    { max_pending_time: '60' },
    /^max_pending_time is 60 seconds; allowed: whole seconds from 7200 to 2419200 \(SageMaker's range\)\. Fix: e\.g\. 7200 seconds, or leave it out\.$/,
  ],
  [{ training_job_name: 'earlier', max_retry_attempts: '2' }, /but max_retry_attempts is given/],
  [
    { model_id: 'meta-textgeneration-llama-3-70b', fallback_instance_types: 'ml.p4d.24xlarge,ml.g5.12xlarge' },
    /^fallback_instance_types\[1\] is "ml.g5.12xlarge", which does not train meta-textgeneration-llama-3-70b; allowed: instance types that train meta-textgeneration-llama-3-70b other than instance_type ml.g5.48xlarge: ml.p4d.24xlarge/,
  ],
  [
    { fallback_instance_types: 'ml.g5.24xlarge, ml.g5.48xlarge' },
    /^context key "fallback_instance_types" is "ml.g5.24xlarge, ml.g5.48xlarge"; allowed: values separated by commas, without spaces/,
  ],
  [{ training_job_name: 'earlier', fallback_instance_types: 'ml.g5.24xlarge' }, /but fallback_instance_types is given/],
  [
    { scale_to_zero: 'true', endpoint_min_instances: '1' },
    /^context key "endpoint_min_instances" is given with scale_to_zero=true, which scales from zero on its own policies/,
  ],
  [
    { scale_to_zero: 'true', endpoint_max_instances: '2', endpoint_target_invocations: '10' },
    /^context key "endpoint_target_invocations" is given with scale_to_zero=true, which scales from zero on its own policies\. Fix: drop it/,
  ],
  [{ scale_to_zero: 'true', data_capture: 'true' }, /^data_capture is given with scale_to_zero/],
  [
    { training_job_name: 'earlier', epoch: '3' },
    /^training_job_name serves an existing model, so nothing is trained, but epoch is given/,
  ],
])('%j is refused in context keys', (context, message) => {
  expect(fromContext(context)).toThrow(message);
});

test('capacity context keys reach the training job, and the wait covers the pending time', () => {
  const plan = 'arn:aws:sagemaker:us-east-1:123456789012:training-plan/llama-week';
  const stack = fromContext({
    // Training plans reserve p4d, p5 and trn instances.
    model_id: 'meta-textgeneration-llama-3-70b',
    instance_type: 'ml.p4d.24xlarge',
    max_retry_attempts: '2',
    training_plan: plan,
    max_pending_time: '86400',
    max_run: '36000',
  })();
  const job = Template.fromStack(stack).findResources('Custom::SageMakerTrainingJob');
  expect(Object.values(job)[0].Properties).toMatchObject({
    MaxRetryAttempts: '2',
    TrainingPlanArn: plan,
    MaxPendingTimeInSeconds: '86400',
    MaxRuntimeInSeconds: '36000',
  });
  expect((stack.fineTuningJob as FineTuningJob).waitTimeout.toHours()).toBe(35);
  expect(fromContext({ training_plan: plan })).toThrow(
    /^training_plan is given for ml\.g5\.12xlarge, which training plans do not reserve: .*Fix: train on the plan's instance type, or drop training_plan\.$/,
  );
});

test('use_spot_instances and max_wait reach the job; the deploy waits the maximum wait', () => {
  const stack = fromContext({ use_spot_instances: 'true', max_run: '36000', max_wait: '72000' })();
  const job = Object.values(Template.fromStack(stack).findResources('Custom::SageMakerTrainingJob'))[0];
  expect(job.Properties).toMatchObject({ MaxRuntimeInSeconds: '36000', MaxWaitTimeInSeconds: '72000' });
  expect((stack.fineTuningJob as FineTuningJob).waitTimeout.toHours()).toBe(21);
  expect(fromContext({ use_spot_instances: 'true' })).toThrow(
    /^max_wait is required with use_spot_instances .*Fix: give a max_wait of at least max_run, e\.g\. twice it \(200 hours\)\./,
  );
});

test('fallback_instance_types reaches the job in order, and the wait covers one margin: it is one job', () => {
  const stack = fromContext({ fallback_instance_types: 'ml.g5.24xlarge,ml.g5.48xlarge' })();
  const job = Object.values(Template.fromStack(stack).findResources('Custom::SageMakerTrainingJob'))[0];
  expect(job.Properties.FallbackInstanceTypes).toEqual(['ml.g5.24xlarge', 'ml.g5.48xlarge']);
  expect((stack.fineTuningJob as FineTuningJob).waitTimeout.toHours()).toBe(101);
});

test('scale_to_zero=true serves through an inference component scaling from 0 to endpoint_max_instances', () => {
  const template = Template.fromStack(fromContext({ scale_to_zero: 'true', endpoint_max_instances: '3' })());
  template.hasResourceProperties('AWS::SageMaker::InferenceComponent', { RuntimeConfig: { CopyCount: 1 } });
  template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 0, MaxCapacity: 3 });
  expect(Object.keys(template.findResources('AWS::ApplicationAutoScaling::ScalableTarget'))).toHaveLength(1);
});

test.each([
  [{ endpoint_min_instances: '2' }, 2, 2],
  [{ endpoint_max_instances: '3' }, 1, 3],
  [{ endpoint_min_instances: '2', endpoint_max_instances: '4' }, 2, 4],
])('%j alone scales the endpoint between %d and %d instances', (context, min, max) => {
  const template = Template.fromStack(fromContext(context)());
  template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
    MinCapacity: min,
    MaxCapacity: max,
    ScalableDimension: 'sagemaker:variant:DesiredInstanceCount',
  });
});

test.each([
  ['canary', 'CANARY'],
  ['linear', 'LINEAR'],
  ['all-at-once', 'ALL_AT_ONCE'],
])('endpoint_rollout=%s updates the endpoint by %s traffic routing', (rollout, type) => {
  const template = Template.fromStack(fromContext({ endpoint_rollout: rollout, endpoint_instance_count: '2' })());
  const [endpoint] = Object.values(template.findResources('AWS::SageMaker::Endpoint'));
  expect(endpoint.Properties.DeploymentConfig.BlueGreenUpdatePolicy.TrafficRoutingConfiguration.Type).toBe(type);
});

test('endpoint_rollout=none updates the endpoint without guardrails; another value is refused with the four', () => {
  const template = Template.fromStack(fromContext({ endpoint_rollout: 'none', endpoint_instance_count: '2' })());
  const [endpoint] = Object.values(template.findResources('AWS::SageMaker::Endpoint'));
  expect(endpoint.Properties.DeploymentConfig).toBeUndefined();
  expect(fromContext({ endpoint_rollout: 'blue-green' })).toThrow(
    /^context key "endpoint_rollout" is "blue-green"; allowed: canary, linear, all-at-once, none\. Fix: e\.g\. -c endpoint_rollout=canary,/,
  );
});

/** Every lifecycle rule of the stack's buckets. */
const lifecycleRules = (context: Record<string, string>) =>
  Object.values(Template.fromStack(fromContext(context)()).findResources('AWS::S3::Bucket')).flatMap(
    (bucket) => bucket.Properties.LifecycleConfiguration?.Rules ?? [],
  );

test('the expiration keys are days: of old versions, and of old models under output/', () => {
  const rules = lifecycleRules({ noncurrent_version_expiration_days: '30', training_output_expiration_days: '90' });
  expect(rules).toContainEqual(expect.objectContaining({ NoncurrentVersionExpiration: { NoncurrentDays: 30 } }));
  expect(rules).toContainEqual(expect.objectContaining({ Prefix: 'output/', ExpirationInDays: 90 }));
  // Left out, nothing expires.
  expect(JSON.stringify(lifecycleRules({}))).not.toMatch(/NoncurrentDays|ExpirationInDays/);
});

test('without scaling keys the endpoint does not scale', () => {
  const template = Template.fromStack(fromContext({})());
  expect(template.findResources('AWS::ApplicationAutoScaling::ScalableTarget')).toEqual({});
});

test('training_job_name serves that job: nothing trains, so no training estimate is printed', () => {
  const stack = fromContext({ training_job_name: 'llama3-ft-earlier' })();
  expect(stack.fineTuningJob).not.toBeInstanceOf(FineTuningJob);
  const [job] = Object.values(Template.fromStack(stack).findResources('Custom::SageMakerTrainingJob'));
  expect(job.Properties.TrainingJobName).toBe('llama3-ft-earlier');
  expect(job.Properties.Hyperparameters).toBeUndefined();
  expect(Annotations.fromStack(stack).findInfo('*', Match.stringLikeRegexp('minutes'))).toEqual([]);
});

test('deploy_base_endpoint=true serves the base model too, with an evaluate command', () => {
  const template = Template.fromStack(fromContext({ deploy_base_endpoint: 'true' })());
  expect(Object.keys(template.findResources('AWS::SageMaker::Endpoint'))).toHaveLength(2);
  template.hasOutput('EvaluateCommand', {});
});

test('an unaccepted licence says how to accept it at synth', () => {
  expect(() => fineTuningStackFromContext(new App())).toThrow(
    /context key "accept_eula" is null; .* Fix: read the licence, then accept it with -c accept_eula=true\./,
  );
});

test('the training estimate is printed at synth in context keys', () => {
  const stack = fromContext({
    epoch: '3',
    int8_quantization: 'True',
    enable_fsdp: 'False',
    per_device_train_batch_size: '2',
  })();
  Annotations.fromStack(stack).hasInfo(
    '*',
    Match.stringLikeRegexp(
      'about 88 minutes.*faster: instance_type ml.g5.12xlarge, max_input_length 2048, per_device_train_batch_size 2, int8_quantization false, enable_fsdp true',
    ),
  );
});

test('a refusal at synth is printed with how to set a context key', () => {
  let message = '';
  try {
    fromContext({ max_run: '-1' })();
  } catch (error) {
    message = contextErrorMessage((error as Error).message);
  }
  expect(message).toMatch(/^context key "max_run" is "-1"; allowed: whole seconds from 1 to 2419200/);
  expect(message).toMatch(
    /\n\nSet a context key with -c key=value \(or under "context" in cdk\.json\); .*llama3-ft --help/,
  );
});
