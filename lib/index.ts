export * from './config/configuration-error';
export * from './config/hyperparameters';
export * from './constructs/training-data-buckets';
export * from './constructs/sagemaker-execution-role';
export * from './llama3-fine-tuning-stack';
export * from './constructs/jumpstart-model-artifacts';
export * from './constructs/fine-tuning-job';
export * from './constructs/fine-tuned-model-endpoint';
