/**
 * FineTuningMonitoring's props, checked before anything is built: a dashboard of nothing,
 * alarm settings with no alarm to set, and values CloudWatch would refuse, in prop words.
 */
import { Duration, Token } from 'aws-cdk-lib';
import { throwIfProblems } from '../../config/configuration-error';
import { durationTypeProblem, integerProblem } from '../../config/input-checks';
import { showValue } from '../../config/show-value';
import type { FineTuningMonitoringProps } from '../fine-tuning-monitoring';

/** CloudWatch's dashboard names: letters, digits, `-` and `_`, up to 255. */
const DASHBOARD_NAME = /^[A-Za-z0-9_-]{1,255}$/;

/** `endpointHasAlarms`: the endpoint rolls updates back on alarms of its own, which the monitoring reuses. */
export function checkMonitoringProps(props: FineTuningMonitoringProps, endpointHasAlarms = false): void {
  const problems: Array<string | undefined> = [];
  if (props.trainingJob === undefined && props.endpoint === undefined) {
    problems.push(
      'trainingJob and endpoint are both left out, so the dashboard would chart nothing. ' +
        'Fix: pass the FineTuningJob, the endpoint, or both.',
    );
  }
  // The thresholds set the endpoint's alarms, which exist only with an endpoint and a topic to notify.
  const thresholds = (['latencyThreshold', 'serverErrorThreshold'] as const).filter((p) => props[p] !== undefined);
  const missing = [props.endpoint === undefined && 'endpoint', props.alarmTopic === undefined && 'alarmTopic'].filter(
    Boolean,
  );
  if (thresholds.length > 0 && missing.length > 0) {
    problems.push(
      `${thresholds.join(' and ')} ${thresholds.length > 1 ? 'are' : 'is'} given without ${missing.join(' and ')}: ` +
        `the endpoint's alarms are made only with both, so ${thresholds.length > 1 ? 'they' : 'it'} would be ignored. ` +
        `Fix: give ${missing.join(' and ')}, or drop ${thresholds.join(' and ')}.`,
    );
  }
  if (thresholds.length > 0 && missing.length === 0 && endpointHasAlarms) {
    problems.push(
      `${thresholds.join(' and ')} ${thresholds.length > 1 ? 'are' : 'is'} given, but the endpoint has its own 5xx and ` +
        'latency alarms (its deployment guardrails roll updates back on them), which the monitoring notifies from ' +
        `instead of making a second pair, so ${thresholds.length > 1 ? 'they' : 'it'} would be ignored. ` +
        `Fix: set ${thresholds.join(' and ')} in the endpoint's deploymentGuardrails options, or drop ${thresholds.length > 1 ? 'them' : 'it'} here.`,
    );
  }
  problems.push(
    integerProblem('serverErrorThreshold', props.serverErrorThreshold, 1),
    latencyProblem(props.latencyThreshold),
  );
  const name: unknown = props.dashboardName;
  if (name !== undefined && !(typeof name === 'string' && (Token.isUnresolved(name) || DASHBOARD_NAME.test(name)))) {
    problems.push(
      `dashboardName is ${showValue(name)}; allowed: 1 to 255 letters, digits, "-" and "_" (CloudWatch's rule). ` +
        'Fix: e.g. "llama3-fine-tuning", or leave it out for a generated name.',
    );
  }
  throwIfProblems(problems);
}

/** A latency above zero: CloudWatch compares ModelLatency (microseconds) with it. */
function latencyProblem(value: unknown): string | undefined {
  const wrongType = durationTypeProblem('latencyThreshold', value);
  if (wrongType || value === undefined || (value as Duration).isUnresolved()) return wrongType;
  if ((value as Duration).toMilliseconds({ integral: false }) > 0) return undefined;
  return `latencyThreshold is ${showValue(value)}; allowed: a duration above 0. Fix: e.g. Duration.seconds(30), or leave it out.`;
}
