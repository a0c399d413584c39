import { APP_CONTEXT_KEYS, flagOf } from './context';
import { HYPERPARAMETER_MEANINGS } from '../config/hyperparameter-specs';
import { PropNames } from '../config/prop-names';

/** The example app's name for each stack prop its messages may mention: the context key that sets it. */
export const CONTEXT_NAMES: PropNames = {
  ...Object.fromEntries(APP_CONTEXT_KEYS.map((k) => [k.prop, k.key])),
  ...Object.fromEntries(HYPERPARAMETER_MEANINGS.map((s) => [`hyperparameters.${s.prop}`, s.name])),
  trainingMaxRuntime: 'max_run',
  trainingMaxPendingTime: 'max_pending_time',
  trainingMaxWaitTime: 'max_wait',
  endpointDeploymentGuardrails: 'endpoint_rollout',
  noncurrentVersionExpiration: 'noncurrent_version_expiration_days',
  trainingOutputExpiration: 'training_output_expiration_days',
  // The training configuration's own names, as estimates print them.
  instanceType: 'instance_type',
  instanceCount: 'instance_count',
  endpointAutoScaling: 'endpoint_min_instances/endpoint_max_instances',
  // Sub-props the app sets from keys of their own: the key the user typed, not a path that is no key.
  'endpointAutoScaling.minInstances': 'endpoint_min_instances',
  'endpointAutoScaling.maxInstances': 'endpoint_max_instances',
  'endpointAutoScaling.targetInvocationsPerInstance': 'endpoint_target_invocations',
  'endpointScaleToZero.maxInstances': 'endpoint_max_instances',
  // The construct's ways to choose a rollout, as the app's key chooses them.
  'DeploymentGuardrails.canary()': '-c endpoint_rollout=canary',
  'DeploymentGuardrails.allAtOnce()': '-c endpoint_rollout=all-at-once',
  'DeploymentGuardrails.none()': '-c endpoint_rollout=none',
};

/** The same names as `llama3-ft` flags: `--instance-type`, `--max-input-length`. */
export const FLAG_NAMES: PropNames = Object.fromEntries(
  Object.entries(CONTEXT_NAMES)
    .filter(([, key]) => !key.startsWith('-c '))
    .map(([prop, key]) => [prop, key.split('/').map(flagOf).join('/')]),
);
