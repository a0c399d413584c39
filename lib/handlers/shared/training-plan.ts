import type { DescribeTrainingPlanResponse } from '@aws-sdk/client-sagemaker';

/**
 * What a job asks of the training plan it runs on, and how long its deploy waits. Problems
 * name FineTuningJob's props: the resource belongs to it.
 */
export interface PlannedJob {
  readonly instanceType: string;
  readonly instanceCount: number;
  readonly maxRuntimeSeconds: number;
  /** The whole wait of the deploy, from about now. */
  readonly waitSeconds: number;
}

const HOUR = 3600;
// Stryker disable next-line Regex: an ISO string ends in its milliseconds and Z, so the anchor changes nothing.
const iso = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');
const hours = (seconds: number) => `${Math.round((seconds / HOUR) * 10) / 10} h`;

/**
 * Why a job cannot use a training plan, read from the plan as SageMaker describes it, or
 * undefined when it can: a plan that has ended or failed, that reserves no capacity of the
 * job's instance type and count, that starts after the deploy's wait would end (time Pending
 * before a Scheduled plan starts does not count toward MaxPendingTimeInSeconds, so SageMaker
 * would keep the job waiting past it), or that ends before the job's maximum runtime would.
 */
export function trainingPlanProblem(
  plan: DescribeTrainingPlanResponse,
  job: PlannedJob,
  now: Date,
): string | undefined {
  const name = `Training plan ${plan.TrainingPlanName ?? plan.TrainingPlanArn}`;
  if (plan.Status === 'Expired' || plan.Status === 'Failed') {
    return `${name} is ${plan.Status}${plan.StatusMessage ? ` (${plan.StatusMessage})` : ''}: a job on it would never start. Fix: create or choose an active or scheduled plan, or drop trainingPlanArn.`;
  }
  if (plan.TargetResources && !plan.TargetResources.includes('training-job')) {
    return `${name} reserves capacity for ${plan.TargetResources.join(', ')}, not training jobs. Fix: use a plan made for training-job.`;
  }
  const reservations = plan.ReservedCapacitySummaries ?? [];
  const fitting = reservations.filter(
    (r) => r.InstanceType === job.instanceType && (r.TotalInstanceCount ?? 0) >= job.instanceCount,
  );
  if (fitting.length === 0) {
    const held = reservations.map((r) => `${r.InstanceType} x${r.TotalInstanceCount}`).join(', ') || 'nothing';
    return `${name} reserves ${held}; this job trains on ${job.instanceType} x${job.instanceCount}. Fix: set instanceType and instanceCount to the plan's, or use a plan for ${job.instanceType}.`;
  }
  const starts = fitting.map((r) => r.StartTime ?? plan.StartTime).filter((d): d is Date => d !== undefined);
  const start = starts.length > 0 ? new Date(Math.min(...starts.map((d) => d.getTime()))) : now;
  const startsIn = Math.max(0, (start.getTime() - now.getTime()) / 1000);
  const pendingRoom = job.waitSeconds - job.maxRuntimeSeconds;
  if (startsIn > pendingRoom) {
    return (
      `${name} starts at ${iso(start)}, in ${hours(startsIn)}, but the deploy waits ${hours(job.waitSeconds)} in all ` +
      `(the maximum runtime of ${hours(job.maxRuntimeSeconds)} and ${hours(pendingRoom)} of pending time): the wait ` +
      `would end before training could. Fix: a maxPendingTime of at least ${Math.max(2, Math.ceil(startsIn / HOUR))} hours, ` +
      "or deploy within the hour before the plan's start."
    );
  }
  const ends = fitting.map((r) => r.EndTime ?? plan.EndTime).filter((d): d is Date => d !== undefined);
  // Stryker disable next-line ConditionalExpression,EqualityOperator: with no end, Math.max() is an invalid date.
  const end = ends.length > 0 ? new Date(Math.max(...ends.map((d) => d.getTime()))) : undefined;
  // Training starts with the plan, or now if the plan has started.
  const runStart = Math.max(start.getTime(), now.getTime());
  const runEnd = runStart + job.maxRuntimeSeconds * 1000;
  if (end && runEnd > end.getTime()) {
    const room = Math.floor((end.getTime() - runStart) / 1000);
    return (
      `${name} ends at ${iso(end)}, before the job's maximum runtime of ${hours(job.maxRuntimeSeconds)} would ` +
      `(${iso(new Date(runEnd))}): its capacity would be taken back mid-training. Fix: a maxRuntime of at most ` +
      `${Math.max(room, 0)} seconds if the job fits in it, or extend the plan (ExtendTrainingPlan).`
    );
  }
  return undefined;
}
