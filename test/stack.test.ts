import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { FineTuningJob, Llama3FineTuningStack } from '../lib';
import { fineTuningStack } from './support/stacks';

describe('Llama3FineTuningStack', () => {
  test('refuses to synthesize without the licence accepted, naming it and how to accept', () => {
    expect(() => new Llama3FineTuningStack(new App(), 'S', { acceptEula: false })).toThrow(
      /acceptEula is false; Meta Llama 3 8B's base weights are gated by the Meta Llama 3 Community License Agreement \(https:\/\/llama.meta.com\/llama3\/license\/\)\. Fix: read the licence, then accept it with acceptEula: true\./,
    );
  });

  test('refuses 70B with FSDP at synth', () => {
    expect(() =>
      fineTuningStack({
        modelId: 'meta-textgeneration-llama-3-70b',
        hyperparameters: { int8Quantization: false, enableFsdp: true },
      }),
    ).toThrow(/meta-textgeneration-llama-3-70b does not train with LoRA\+FSDP/);
  });

  test('synthesizes 70B with the walkthrough default', () => {
    const stack = fineTuningStack({
      modelId: 'meta-textgeneration-llama-3-70b',
      trainingInstanceType: 'ml.g5.48xlarge',
    });
    expect((stack.fineTuningJob as FineTuningJob).hyperparameters).toMatchObject({
      int8_quantization: 'True',
      enable_fsdp: 'False',
    });
  });

  test("a local dataset's own sample count decides whether training fits its maximum runtime", () => {
    const dir = mkdtempSync(join(tmpdir(), 'large-dataset-'));
    try {
      const line = JSON.stringify({
        instruction: 'Summarize.',
        context: 'The deploy waits for the training job.',
        response: 'It waits.',
      });
      writeFileSync(join(dir, 'train.jsonl'), `${Array(20000).fill(line).join('\n')}\n`);
      // 35 measured minutes (LoRA+FSDP, 1024 tokens, batch 2) x 5/3 epochs x 20000/1188 samples = 982, whose
      // optimistic end is still past 660 (an 11-hour maximum runtime); 2 epochs take 393.
      const trainingMaxRuntime = Duration.hours(11);
      const hyperparameters = { instructionTuned: true, maxInputLength: 1024, perDeviceTrainBatchSize: 2 };
      expect(() => fineTuningStack({ trainData: dir, trainingMaxRuntime, hyperparameters })).toThrow(
        /about 982 minutes .*20000 samples in the dataset/,
      );
      expect(() =>
        fineTuningStack({ trainData: dir, trainingMaxRuntime, hyperparameters: { ...hyperparameters, epoch: 2 } }),
      ).not.toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the default stack matches its snapshot', () => {
    // Handler bundles have their own tests; their content hashes would churn the snapshot.
    const template = JSON.stringify(Template.fromStack(fineTuningStack()).toJSON(), null, 1).replace(
      /[0-9a-f]{64}\.zip/g,
      '<handler-bundle>.zip',
    );
    expect(JSON.parse(template)).toMatchSnapshot();
  });
});
