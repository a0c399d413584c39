/**
 * The endpoint's update policy (SageMaker's deployment guardrails): the default for its fleet,
 * the checks of what SageMaker would refuse, and the CloudFormation `DeploymentConfig`.
 */
import { Duration } from 'aws-cdk-lib';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { durationProblem, durationTypeProblem, integerProblem } from '../../config/input-checks';
import { showValue } from '../../config/show-value';
import { DeploymentGuardrails, TrafficSize } from '../deployment-guardrails';

/** SageMaker's limits (TrafficRoutingConfig, BlueGreenUpdatePolicy, AutoRollbackConfig). */
const MAX_WAIT_SECONDS = 3600;
const MIN_EXECUTION_SECONDS = 600;
const MAX_EXECUTION_SECONDS = 28800;
const MAX_ALARMS = 10;
/** The endpoint's own alarms (5xx and latency) in every rollback configuration. */
const OWN_ALARMS = 2;
const DEFAULT_BAKE = Duration.minutes(15);

/** The fleet an update brings up: a new endpoint config's instance count (the update resets it to that). */
export interface RolloutFleet {
  /** Instances of the production variant. */
  readonly instanceCount: number;
  /** Served through an inference component (scaleToZero): the model is updated on the component, not the endpoint. */
  readonly inferenceComponent: boolean;
  /** The model download and container startup timeouts, seconds: part of launching the new fleet. */
  readonly launchSeconds: number;
}

/**
 * The guardrails when none are given. A canary of one instance where the fleet has two or more:
 * a bad model then meets a share of the traffic, its alarms trip, and the rest never reaches it.
 * SageMaker's canary is at most half the fleet, so a one-instance fleet (the default) shifts all
 * at once instead, the old instance kept while the alarms bake, to roll back to. With scaleToZero
 * the model is an inference component, updated by a rolling update of its own: none.
 */
export function defaultGuardrails(fleet: RolloutFleet): DeploymentGuardrails {
  if (fleet.inferenceComponent) return DeploymentGuardrails.none();
  return fleet.instanceCount >= 2 ? DeploymentGuardrails.canary() : DeploymentGuardrails.allAtOnce();
}

/** Whether the guardrails watch alarms (everything but none()). */
export function rollsBack(guardrails: DeploymentGuardrails): boolean {
  return guardrails.trafficRouting !== 'NONE';
}

const FACTORIES = 'DeploymentGuardrails.canary(), .linear(), .allAtOnce() or .none()';

/** What SageMaker would refuse in the guardrails, or ignore, for this fleet; in the endpoint's prop words. */
export function guardrailsProblems(value: unknown, fleet: RolloutFleet, fleetProps: string): string[] {
  const prop = 'deploymentGuardrails';
  if (value === undefined) return [];
  if (!(value instanceof DeploymentGuardrails)) {
    return [`${prop} is ${showValue(value)}; allowed: ${FACTORIES}. Fix: e.g. DeploymentGuardrails.canary().`];
  }
  const kind = value.trafficRouting;
  if (kind === 'NONE') return [];
  if (fleet.inferenceComponent) {
    return [
      `${prop} is ${describe(kind)} with scaleToZero, whose model is an inference component: SageMaker updates it by ` +
        'a rolling update of the component, and the endpoint-level guardrails would be ignored. ' +
        `Fix: drop ${prop} (or DeploymentGuardrails.none()), or drop scaleToZero.`,
    ];
  }
  const problems: Array<string | undefined> = [];
  if (kind === 'CANARY' || kind === 'LINEAR')
    problems.push(...sizeProblems(prop, value, fleet.instanceCount, fleetProps));
  const options = value.options;
  problems.push(
    durationProblem(`${prop}.bakeTime`, value.bakeTime, 0, MAX_WAIT_SECONDS),
    durationProblem(`${prop}.finalBakeTime`, options.finalBakeTime, 0, MAX_WAIT_SECONDS),
    durationProblem(`${prop}.maxExecutionTime`, options.maxExecutionTime, MIN_EXECUTION_SECONDS, MAX_EXECUTION_SECONDS),
    integerProblem(`${prop}.serverErrorThreshold`, options.serverErrorThreshold, 1),
    latencyThresholdProblem(`${prop}.latencyThreshold`, options.latencyThreshold),
    alarmsProblem(`${prop}.additionalAlarms`, options.additionalAlarms),
  );
  const found = problems.filter((p): p is string => p !== undefined);
  if (found.length > 0) return found;
  const waits = waitSeconds(value, fleet.instanceCount);
  const max = options.maxExecutionTime;
  if (max && !max.isUnresolved() && max.toSeconds() <= waits) {
    found.push(
      `${prop}.maxExecutionTime is ${max.toSeconds()} seconds, no longer than the update's bake times (${waits} seconds); ` +
        `SageMaker needs it larger. Fix: give more than ${waits} seconds, or shorten bakeTime or finalBakeTime.`,
    );
  }
  return found;
}

/** The canary's or the step's size against the fleet: SageMaker takes a canary of at most half, steps of 10 to 50 %. */
function sizeProblems(prop: string, guardrails: DeploymentGuardrails, instances: number, fleetProps: string): string[] {
  const canary = guardrails.trafficRouting === 'CANARY';
  const what = canary ? 'canarySize' : 'stepSize';
  if (instances < 2) {
    return [
      `${prop} is ${describe(guardrails.trafficRouting)}, but the endpoint starts with ${instances} instance (${fleetProps}): ` +
        `SageMaker's ${canary ? 'canary is at most half' : 'steps are at most half'} of the fleet, and no part of one instance ` +
        `is. Fix: start with 2 instances or more, or use DeploymentGuardrails.allAtOnce().`,
    ];
  }
  const size = guardrails.size;
  if (size === undefined) return [];
  if (!(size instanceof TrafficSize)) {
    return [
      `${prop}.${what} is ${showValue(size)}; allowed: TrafficSize.instances(n) or TrafficSize.percent(p). Fix: e.g. TrafficSize.instances(1).`,
    ];
  }
  const least = canary ? 1 : Math.ceil(instances / 10);
  const most = Math.floor(instances / 2);
  if (size.instanceCount !== undefined) {
    const problem = integerProblem(`${prop}.${what}`, size.instanceCount, least, most);
    return problem
      ? [
          `${prop}.${what} is TrafficSize.instances(${showValue(size.instanceCount)}); allowed: ${least} to ${most} of the ` +
            `endpoint's ${instances} instances (${canary ? 'at most half' : '10 to 50 %'}, SageMaker's limit). ` +
            `Fix: e.g. TrafficSize.instances(${least}).`,
        ]
      : [];
  }
  const [low, high] = canary ? [1, 50] : [10, 50];
  const problem = integerProblem(`${prop}.${what}`, size.percentage, low, high);
  return problem
    ? [
        `${prop}.${what} is TrafficSize.percent(${showValue(size.percentage)}); allowed: a whole percentage from ${low} to ${high} ` +
          `(SageMaker's limit for a ${canary ? 'canary' : 'linear step'}). Fix: e.g. TrafficSize.percent(${canary ? 10 : 20}).`,
      ]
    : [];
}

function latencyThresholdProblem(prop: string, value: unknown): string | undefined {
  const wrong = durationTypeProblem(prop, value);
  if (wrong || value === undefined || (value as Duration).isUnresolved()) return wrong;
  if ((value as Duration).toMilliseconds({ integral: false }) > 0) return undefined;
  return `${prop} is ${showValue(value)}; allowed: a duration above 0. Fix: e.g. Duration.seconds(30), or leave it out.`;
}

function alarmsProblem(prop: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const most = MAX_ALARMS - OWN_ALARMS;
  const isAlarm = (a: unknown) =>
    typeof a === 'object' && a !== null && typeof (a as { alarmName?: unknown }).alarmName === 'string';
  if (Array.isArray(value) && value.length <= most && value.every(isAlarm)) return undefined;
  return (
    `${prop} is ${showValue(value)}; allowed: up to ${most} CloudWatch alarms (cloudwatch.IAlarm), beside the endpoint's ` +
    `own two (SageMaker takes ${MAX_ALARMS}). Fix: pass a list of alarms, or leave it out.`
  );
}

function describe(kind: string): string {
  return { CANARY: 'a canary', LINEAR: 'a linear update', ALL_AT_ONCE: 'an all-at-once update' }[kind] ?? kind;
}

/** The traffic size SageMaker is given: the one asked for, else one instance (canary) or a tenth of the fleet. */
function sizeOf(guardrails: DeploymentGuardrails, instances: number): TrafficSize | undefined {
  if (guardrails.trafficRouting === 'CANARY') return guardrails.size ?? TrafficSize.instances(1);
  if (guardrails.trafficRouting === 'LINEAR') {
    return guardrails.size ?? TrafficSize.instances(Math.max(1, Math.ceil(instances / 10)));
  }
  return undefined;
}

/** Time the update spends baking: after each traffic shift, then before the old fleet goes. */
function waitSeconds(guardrails: DeploymentGuardrails, instances: number): number {
  const bake = (guardrails.bakeTime ?? DEFAULT_BAKE).toSeconds();
  const final = (guardrails.options.finalBakeTime ?? DEFAULT_BAKE).toSeconds();
  const size = sizeOf(guardrails, instances);
  const steps =
    guardrails.trafficRouting !== 'LINEAR'
      ? 1
      : size!.percentage !== undefined
        ? Math.ceil(100 / size!.percentage)
        : Math.ceil(instances / size!.instanceCount!);
  return bake * steps + final;
}

/** The endpoint's `DeploymentConfig`: a blue/green update rolled back when one of `alarmNames` trips; none without. */
export function deploymentConfig(
  guardrails: DeploymentGuardrails,
  fleet: RolloutFleet,
  alarmNames: string[],
): sagemaker.CfnEndpoint.DeploymentConfigProperty | undefined {
  if (!rollsBack(guardrails)) return undefined;
  const size = sizeOf(guardrails, fleet.instanceCount);
  const capacity = size && {
    type: size.percentage !== undefined ? 'CAPACITY_PERCENT' : 'INSTANCE_COUNT',
    value: size.percentage ?? size.instanceCount!,
  };
  const given = guardrails.options.maxExecutionTime;
  // Launching the new fleet (the model download, the container's startup) counts too, and an hour for the instances.
  const maxExecution =
    given?.toSeconds() ??
    Math.min(
      MAX_EXECUTION_SECONDS,
      Math.max(MIN_EXECUTION_SECONDS, waitSeconds(guardrails, fleet.instanceCount) + fleet.launchSeconds + 3600),
    );
  return {
    blueGreenUpdatePolicy: {
      trafficRoutingConfiguration: {
        type: guardrails.trafficRouting,
        waitIntervalInSeconds: (guardrails.bakeTime ?? DEFAULT_BAKE).toSeconds(),
        canarySize: guardrails.trafficRouting === 'CANARY' ? capacity : undefined,
        linearStepSize: guardrails.trafficRouting === 'LINEAR' ? capacity : undefined,
      },
      terminationWaitInSeconds: (guardrails.options.finalBakeTime ?? DEFAULT_BAKE).toSeconds(),
      maximumExecutionTimeoutInSeconds: maxExecution,
    },
    autoRollbackConfiguration: { alarms: alarmNames.map((alarmName) => ({ alarmName })) },
  };
}
