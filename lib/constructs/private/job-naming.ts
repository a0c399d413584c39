import { createHash } from 'node:crypto';
import { Stack, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { configurationError } from '../../config/configuration-error';
import { showValue } from '../../config/show-value';

const JOB_NAME_PREFIX_PATTERN = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,39}$/;

/** The start of job names that is not a training input: the construct's jobs all begin with it. */
export const DEFAULT_JOB_NAME_BASE = 'llama3-ft';

/** A job name prefix and the hash of what it stands for. */
export interface JobNaming {
  /**
   * `<base>-<owner hash>`: the same for every job the construct ever starts, whatever its
   * training inputs, so what is granted on it follows each job through updates, rollbacks and
   * their clean-up. Jobs are named `<prefix>-<run hash>[-<attempt>]` (see trainingJobName).
   */
  readonly prefix: string;
  /** 8 hex digits of who trains and every training input: new with each, it names the run's wait. */
  readonly hash: string;
}

const hashOf = (value: unknown, length: number) =>
  createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, length);

/**
 * Names a construct's jobs after who trains — the stack's name and the construct's path, so
 * two stacks of one configuration, or two jobs of one stack, never share a prefix — and each
 * run after its training inputs: a change starts a new job, with a new wait condition (they
 * can't be updated), under the same prefix.
 */
export function jobNaming(scope: Construct, basePrefix: string, inputs: unknown): JobNaming {
  const unresolved = typeof basePrefix === 'string' && Token.isUnresolved(basePrefix);
  if (!unresolved && !(typeof basePrefix === 'string' && JOB_NAME_PREFIX_PATTERN.test(basePrefix))) {
    throw configurationError([
      `jobNamePrefix is ${showValue(basePrefix)}; allowed: up to 40 letters, digits and hyphens, ` +
        'starting and ending with a letter or digit (SageMaker job names are at most 63). Fix: shorten or rename it.',
    ]);
  }
  const stack = Stack.of(scope);
  const owner = [stack.stackName, scope.node.path];
  return {
    prefix: `${basePrefix}-${hashOf(owner, 8)}`,
    hash: hashOf(stack.resolve({ owner, inputs }), 8),
  };
}
