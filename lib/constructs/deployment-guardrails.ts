import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';

/** How much of the new fleet takes traffic in one step: a share of its capacity, or a number of instances. */
export class TrafficSize {
  /** A share of the new fleet's capacity, in percent. */
  public static percent(percent: number): TrafficSize {
    return new TrafficSize(percent, undefined);
  }

  /** A number of the new fleet's instances. */
  public static instances(count: number): TrafficSize {
    return new TrafficSize(undefined, count);
  }

  /** The share in percent, for `percent`. */
  public readonly percentage?: number;
  /** The instance count, for `instances`. */
  public readonly instanceCount?: number;

  private constructor(percentage?: number, instanceCount?: number) {
    this.percentage = percentage;
    this.instanceCount = instanceCount;
  }
}

/** What every guarded update has: its alarms, and how long the old fleet is kept. */
export interface RollbackOptions {
  /**
   * Time the alarms keep watching after the last traffic shift before the old fleet is terminated
   * (SageMaker's TerminationWaitInSeconds, up to an hour); the old fleet is paid for meanwhile.
   * @default Duration.minutes(15) - long enough for the latency alarm (three 5-minute periods) to trip
   */
  readonly finalBakeTime?: Duration;
  /**
   * Longest the whole update may take, from launching the new fleet to terminating the old one,
   * 10 minutes to 8 hours; it must exceed the bake times.
   * @default - the bake times plus the model download and container startup timeouts plus an hour, at most 8 hours
   */
  readonly maxExecutionTime?: Duration;
  /**
   * More CloudWatch alarms that roll the update back, beside the endpoint's own 5xx and latency alarms (8 at most).
   * @default - the endpoint's own alarms only
   */
  readonly additionalAlarms?: cloudwatch.IAlarm[];
  /**
   * 5xx errors in 5 minutes that trip the endpoint's server-error alarm (an integer >= 1).
   * @default 5
   */
  readonly serverErrorThreshold?: number;
  /**
   * p90 model latency that trips the endpoint's latency alarm when held for 15 minutes.
   * @default Duration.seconds(30)
   */
  readonly latencyThreshold?: Duration;
}

/** A canary update: part of the new fleet first, then the rest. */
export interface CanaryOptions extends RollbackOptions {
  /**
   * The canary: at most half of the new fleet (SageMaker's limit).
   * @default TrafficSize.instances(1)
   */
  readonly canarySize?: TrafficSize;
  /**
   * Time the canary serves, alarms watching, before the rest of the traffic shifts (up to an hour).
   * @default Duration.minutes(15)
   */
  readonly bakeTime?: Duration;
}

/** A linear update: the new fleet takes traffic in equal steps. */
export interface LinearOptions extends RollbackOptions {
  /**
   * Each step: 10 to 50 % of the new fleet (SageMaker's limits).
   * @default - a tenth of the instances, at least one
   */
  readonly stepSize?: TrafficSize;
  /**
   * Time each step serves, alarms watching, before the next (up to an hour).
   * @default Duration.minutes(15)
   */
  readonly bakeTime?: Duration;
}

/** An all-at-once update: every request moves to the new fleet in one step, and moves back if an alarm trips. */
export interface AllAtOnceOptions extends RollbackOptions {
  /**
   * Time the new fleet serves, alarms watching, before the final bake (up to an hour).
   * @default Duration.minutes(15)
   */
  readonly bakeTime?: Duration;
}

/**
 * How SageMaker updates the endpoint when its model or configuration changes (its deployment
 * guardrails): a blue/green update that brings up a new fleet beside the old, shifts traffic to it
 * as a canary, in linear steps or all at once, and rolls back to the old fleet when one of the
 * endpoint's 5xx or latency alarms trips. They apply to updates: a new endpoint has no old fleet.
 */
export class DeploymentGuardrails {
  /** A canary of the new fleet, then the rest, with rollback on the endpoint's alarms. Needs 2 instances or more. */
  public static canary(options: CanaryOptions = {}): DeploymentGuardrails {
    return new DeploymentGuardrails('CANARY', options, options.canarySize, options.bakeTime);
  }

  /** The new fleet in equal steps, with rollback on the endpoint's alarms. Needs 2 instances or more. */
  public static linear(options: LinearOptions = {}): DeploymentGuardrails {
    return new DeploymentGuardrails('LINEAR', options, options.stepSize, options.bakeTime);
  }

  /** All traffic to the new fleet in one step, then a bake with rollback on the endpoint's alarms. */
  public static allAtOnce(options: AllAtOnceOptions = {}): DeploymentGuardrails {
    return new DeploymentGuardrails('ALL_AT_ONCE', options, undefined, options.bakeTime);
  }

  /** No guardrails: SageMaker's own blue/green update, all at once, with no alarm watching and no rollback. */
  public static none(): DeploymentGuardrails {
    return new DeploymentGuardrails('NONE', {}, undefined, undefined);
  }

  /** ALL_AT_ONCE, CANARY or LINEAR (SageMaker's traffic routing types), or NONE. */
  public readonly trafficRouting: string;
  /** The options given. */
  public readonly options: RollbackOptions;
  /** The canary or the linear step, as given. */
  public readonly size?: TrafficSize;
  /** The bake time after each traffic shift, as given. */
  public readonly bakeTime?: Duration;

  private constructor(trafficRouting: string, options: RollbackOptions, size?: TrafficSize, bakeTime?: Duration) {
    this.trafficRouting = trafficRouting;
    this.options = options;
    this.size = size;
    this.bakeTime = bakeTime;
  }
}
