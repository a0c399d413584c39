import { HostingResourceNeeds, ModelSpec } from './model-spec';
import { InstanceTypeFacts } from './instance-types';

/** The DJL LMI container environment JumpStart sets for Llama 3 (FACTS §7), common to every model. */
export const COMMON_LMI_ENVIRONMENT: Readonly<Record<string, string>> = {
  ENDPOINT_SERVER_TIMEOUT: '3600',
  HF_MODEL_ID: '/opt/ml/model',
  MODEL_CACHE_ROOT: '/opt/ml/model',
  SAGEMAKER_ENV: '1',
  SAGEMAKER_MODEL_SERVER_TIMEOUT: '3600',
  SAGEMAKER_MODEL_SERVER_WORKERS: '1',
  SAGEMAKER_PROGRAM: 'inference.py',
  SAGEMAKER_SUBMIT_DIRECTORY: '/opt/ml/model/code',
};

/**
 * The container environment for serving a fine-tuned model on an instance type: its GPUs set
 * the tensor parallel degree, unless the model's document sets one for the type.
 */
export function hostingEnvironment(
  model: ModelSpec,
  instanceType: string,
  instance: InstanceTypeFacts,
): Record<string, string> {
  return {
    ...COMMON_LMI_ENVIRONMENT,
    ...model.hosting.environment,
    OPTION_TENSOR_PARALLEL_DEGREE: String(instance.gpus),
    ...model.hosting.instanceEnvironment?.[instanceType],
  };
}

/**
 * What one copy of the model asks of an instance type: the model document's figure, else the
 * whole instance's GPUs and half its memory, as JumpStart's hub documents ask (e.g. 98304 MB on
 * ml.g5.12xlarge).
 */
export function hostingResourceNeeds(
  model: ModelSpec,
  instanceType: string,
  instance: InstanceTypeFacts,
): HostingResourceNeeds {
  return (
    model.hosting.resourceNeeds?.[instanceType] ?? {
      accelerators: instance.gpus,
      minMemoryMb: (instance.memoryGiB * 1024) / 2,
    }
  );
}
