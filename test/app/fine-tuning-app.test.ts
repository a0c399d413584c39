/** The example app speaks in context keys; the constructs under it speak in props. */
import { App } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { fineTuningStackFromContext } from '../../lib/app/fine-tuning-app';

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
  [
    { training_job_name: 'earlier', epoch: '3' },
    /^training_job_name serves an existing model, so nothing is trained, but epoch is given/,
  ],
])('%j is refused in context keys', (context, message) => {
  expect(fromContext(context)).toThrow(message);
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
