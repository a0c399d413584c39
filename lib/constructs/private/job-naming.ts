import { createHash } from 'node:crypto';
import { Stack, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { configurationError } from '../../config/configuration-error';

const JOB_NAME_PREFIX_PATTERN = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,39}$/;

/** A job name prefix and the hash of what it stands for. */
export interface JobNaming {
  /** `<base>-<hash>`: every job the construct starts is named `<prefix>-<stack hash>[-<attempt>]`. */
  readonly prefix: string;
  /** 8 hex digits; new with every training input, stack or construct. */
  readonly hash: string;
}

/**
 * Names a job after what decides it: every training input, and who trains — the stack's
 * name and the construct's path, so two stacks of one configuration, or two jobs of one
 * stack, never share a prefix. A change starts a new job under a new prefix, with a new
 * wait condition (they can't be updated).
 */
export function jobNaming(scope: Construct, basePrefix: string, inputs: unknown): JobNaming {
  if (!Token.isUnresolved(basePrefix) && !JOB_NAME_PREFIX_PATTERN.test(basePrefix)) {
    throw configurationError([
      `jobNamePrefix is "${basePrefix}"; allowed: up to 40 letters, digits and hyphens, ` +
        'starting and ending with a letter or digit (SageMaker job names are at most 63). Fix: shorten or rename it.',
    ]);
  }
  const stack = Stack.of(scope);
  const identity = JSON.stringify(stack.resolve({ owner: [stack.stackName, scope.node.path], inputs }));
  const hash = createHash('sha256').update(identity).digest('hex').slice(0, 8);
  return { prefix: `${basePrefix}-${hash}`, hash };
}
