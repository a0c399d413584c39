import { ModelSpec } from './catalogue';
import { InstanceTypeFacts } from './instance-types';

/** The DJL LMI container environment JumpStart sets for Llama 3 (FACTS §7), common to every model. */
const COMMON_LMI_ENVIRONMENT: Readonly<Record<string, string>> = {
  ENDPOINT_SERVER_TIMEOUT: '3600',
  HF_MODEL_ID: '/opt/ml/model',
  MODEL_CACHE_ROOT: '/opt/ml/model',
  SAGEMAKER_ENV: '1',
  SAGEMAKER_MODEL_SERVER_TIMEOUT: '3600',
  SAGEMAKER_MODEL_SERVER_WORKERS: '1',
  SAGEMAKER_PROGRAM: 'inference.py',
  SAGEMAKER_SUBMIT_DIRECTORY: '/opt/ml/model/code',
};

/** The container environment for serving a fine-tuned model on an instance: its GPUs set the tensor parallel degree. */
export function hostingEnvironment(model: ModelSpec, instance: InstanceTypeFacts): Record<string, string> {
  return {
    ...COMMON_LMI_ENVIRONMENT,
    ...model.hosting.environment,
    OPTION_TENSOR_PARALLEL_DEGREE: String(instance.gpus),
  };
}
