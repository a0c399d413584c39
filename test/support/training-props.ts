import { TrainingJobProperties } from '../../lib/handlers/shared/training-request';

/** Training custom resource properties as a synthesized 8B stack sends them. */
export const PROPS: TrainingJobProperties = {
  JobNamePrefix: 'llama3-ft-0123abcd',
  InputsHash: 'aaaa0001',
  WaitHandleUrl: 'http://127.0.0.1:1/no-wait-handle-in-this-test',
  WaitId: 'arn:aws:cloudformation:us-west-2:123456789012:stack/Llama3FineTuning/uuid/FineTuningJobWaitHandleaaaa0001',
  RoleArn: 'arn:aws:iam::123456789012:role/SageMakerExecution',
  ModelId: 'meta-textgeneration-llama-3-8b',
  ModelVersion: '2.1.0',
  TrainingImageUri:
    '763104351884.dkr.ecr.us-west-2.amazonaws.com/huggingface-pytorch-training:2.0.0-transformers4.28.1-gpu-py310-cu118-ubuntu20.04',
  TrainingScriptUri:
    's3://jumpstart-cache-prod-us-west-2/source-directory-tarballs/training/meta-textgeneration/prepack/inference-meta-textgeneration/v1.2.0/sourcedir.tar.gz',
  GatedWeightsUri:
    's3://jumpstart-private-cache-prod-us-west-2/meta-training/g5/v1.0.0/train-meta-textgeneration-llama-3-8b.tar.gz',
  TrainingDataUri: 's3://data/training/',
  ValidationDataUri: 's3://data/validation/',
  OutputPath: 's3://models/output/',
  InstanceType: 'ml.g5.12xlarge',
  InstanceCount: '1',
  VolumeSizeInGB: '30',
  OutputKmsKeyId: 'arn:aws:kms:us-west-2:123456789012:key/abc',
  MaxRuntimeInSeconds: '39600',
  DisableOutputCompression: 'false',
  Hyperparameters: { epoch: '5', instruction_tuned: 'False' },
  MetricDefinitions: [{ Name: 'huggingface-textgeneration:train-loss', Regex: 'train_epoch_loss=([0-9\\.]+)' }],
};
