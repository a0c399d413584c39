import { Annotations, App, Duration } from 'aws-cdk-lib';
import { configurationFromContext } from './context';
import { CONTEXT_NAMES } from './context-names';
import { configurationError } from '../config/configuration-error';
import { renameProps, withPropNames } from '../config/prop-names';
import { showValue } from '../config/show-value';
import { DeploymentGuardrails } from '../constructs/deployment-guardrails';
import { FineTuningJob } from '../constructs/fine-tuning-job';
import { Llama3FineTuningStack } from '../llama3-fine-tuning-stack';
import { DEFAULT_MODEL_ID, findModel } from '../models/catalogue';

/**
 * The example app's front door: reads CDK context, builds the fine-tuning stack, and
 * speaks in context keys — its messages name `instance_type`, not `trainingInstanceType`.
 */
export function fineTuningStackFromContext(app: App, id = 'Llama3FineTuning'): Llama3FineTuningStack {
  return withPropNames(CONTEXT_NAMES, () => {
    const {
      trainingMaxRunSeconds,
      trainingMaxPendingSeconds,
      trainingMaxWaitSeconds,
      endpointMinInstances,
      endpointMaxInstances,
      endpointTargetInvocations,
      endpointScaleToZero,
      endpointRollout,
      noncurrentVersionExpirationDays,
      trainingOutputExpirationDays,
      ...config
    } = configurationFromContext(app.node.getAllContext());
    if (config.acceptEula !== true) {
      const { displayName, licence } = findModel(config.modelId ?? DEFAULT_MODEL_ID);
      throw configurationError([
        `context key "accept_eula" is ${showValue(config.acceptEula ?? null)}; ${displayName}'s base weights ` +
          `are gated by the ${licence.name} (${licence.url}). Fix: read the licence, then accept it with -c accept_eula=true.`,
      ]);
    }
    if (endpointScaleToZero && (endpointMinInstances !== undefined || endpointTargetInvocations !== undefined)) {
      throw configurationError([
        `context key "${endpointMinInstances !== undefined ? 'endpoint_min_instances' : 'endpoint_target_invocations'}" is given with scale_to_zero=true, ` +
          'which scales from zero on its own policies. Fix: drop it; endpoint_max_instances sets the most instances.',
      ]);
    }
    const scaling = !endpointScaleToZero && (endpointMinInstances !== undefined || endpointMaxInstances !== undefined);
    const stack = new Llama3FineTuningStack(app, id, {
      ...config,
      endpointAutoScaling: scaling
        ? {
            minInstances: endpointMinInstances ?? 1,
            maxInstances: endpointMaxInstances ?? endpointMinInstances ?? 1,
            targetInvocationsPerInstance: endpointTargetInvocations,
          }
        : undefined,
      endpointScaleToZero: endpointScaleToZero ? { maxInstances: endpointMaxInstances } : undefined,
      trainingMaxRuntime: seconds(trainingMaxRunSeconds),
      trainingMaxPendingTime: seconds(trainingMaxPendingSeconds),
      trainingMaxWaitTime: seconds(trainingMaxWaitSeconds),
      endpointDeploymentGuardrails: rollout(endpointRollout),
      noncurrentVersionExpiration: days(noncurrentVersionExpirationDays),
      trainingOutputExpiration: days(trainingOutputExpirationDays),
      acceptEula: true, // refused above otherwise
      description: 'Fine-tunes Meta Llama 3 with SageMaker JumpStart and serves it on a real-time endpoint',
    });
    if (stack.fineTuningJob instanceof FineTuningJob) {
      Annotations.of(stack.fineTuningJob).addInfo(renameProps(stack.fineTuningJob.trainingEstimate, CONTEXT_NAMES));
    }
    return stack;
  });
}

/** Context gives durations as whole seconds (SageMaker's `max_run` style); props take a Duration. */
function seconds(value: number | undefined): Duration | undefined {
  return value === undefined ? undefined : Duration.seconds(value);
}

function days(value: number | undefined): Duration | undefined {
  return value === undefined ? undefined : Duration.days(value);
}

/** `endpoint_rollout`: each traffic shift with its defaults (the stack's own choice for the fleet when absent). */
const ROLLOUTS: Record<string, () => DeploymentGuardrails> = {
  canary: () => DeploymentGuardrails.canary(),
  linear: () => DeploymentGuardrails.linear(),
  'all-at-once': () => DeploymentGuardrails.allAtOnce(),
  none: () => DeploymentGuardrails.none(),
};

function rollout(value: string | undefined): DeploymentGuardrails | undefined {
  if (value === undefined) return undefined;
  const make = ROLLOUTS[value];
  if (!make) {
    throw configurationError([
      `context key "endpoint_rollout" is ${showValue(value)}; allowed: ${Object.keys(ROLLOUTS).join(', ')}. ` +
        'Fix: e.g. -c endpoint_rollout=canary, or leave it out for a canary with 2 instances or more, else all at once.',
    ]);
  }
  return make();
}

/** How a configuration mistake is printed at synth: in context keys, with how to set one. */
export function contextErrorMessage(message: string): string {
  return `${message}\n\nSet a context key with -c key=value (or under "context" in cdk.json); \`npx llama3-ft --help\` lists the tools.`;
}
