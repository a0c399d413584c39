/** The README's main command, run as a user runs it. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

function cdkSynth(context: string[], env: NodeJS.ProcessEnv = process.env) {
  const out = mkdtempSync(join(tmpdir(), 'cdk-out-'));
  const result = spawnSync('npx', ['cdk', 'synth', '-q', '-o', out, ...context.flatMap((c) => ['-c', c])], {
    cwd: ROOT,
    encoding: 'utf8',
    env,
  });
  return { ...result, out };
}

test('`npx cdk synth -c accept_eula=true` synthesizes the default 8B fine-tuning stack offline', () => {
  // As a user runs it: with aws-cdk-lib's built-in template validation, which the test setup turns off elsewhere.
  const { CDK_VALIDATION: _skipped, ...userEnv } = process.env;
  const { status, out, stderr } = cdkSynth(['accept_eula=true'], userEnv);
  expect(stderr).not.toMatch(/Error/);
  expect(status).toBe(0);
  const template = JSON.parse(readFileSync(join(out, 'Llama3FineTuning.template.json'), 'utf8'));
  const job = Object.values<any>(template.Resources).find((r) => r.Type === 'Custom::SageMakerTrainingJob');
  expect(job.Properties).toMatchObject({ ModelId: 'meta-textgeneration-llama-3-8b', InstanceType: 'ml.g5.12xlarge' });
  expect(job.Properties.Hyperparameters).toMatchObject({ epoch: '5', enable_fsdp: 'True' });
});

test('hyperparameters given as context reach the training job', () => {
  const { status, out } = cdkSynth([
    'accept_eula=true',
    'epoch=3',
    'instruction_tuned=True',
    'max_input_length=512',
    'train_data=s3://team-datasets/llama/instruction/',
  ]);
  expect(status).toBe(0);
  const template = JSON.parse(readFileSync(join(out, 'Llama3FineTuning.template.json'), 'utf8'));
  const job = Object.values<any>(template.Resources).find((r) => r.Type === 'Custom::SageMakerTrainingJob');
  expect(job.Properties.Hyperparameters).toMatchObject({
    epoch: '3',
    instruction_tuned: 'True',
    max_input_length: '512',
  });
});

test('without the licence accepted, synth stops and says how to accept it', () => {
  const { status, stderr } = cdkSynth([]);
  expect(status).not.toBe(0);
  expect(stderr).toContain('Meta Llama 3 Community License Agreement');
  expect(stderr).toContain('-c accept_eula=true');
});

test('a bad value exits non-zero with the message and no stack trace', () => {
  const { status, stderr } = cdkSynth([
    'accept_eula=true',
    'model_id=meta-textgeneration-llama-3-70b',
    'enable_fsdp=True',
    'int8_quantization=False',
  ]);
  expect(status).not.toBe(0);
  expect(stderr).toContain('meta-textgeneration-llama-3-70b does not train with LoRA+FSDP');
  expect(stderr).not.toMatch(/^\s+at .*\(.*:\d+:\d+\)$/m);
});
