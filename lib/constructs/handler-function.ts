import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { HANDLER_FUNCTION_REASONS, acknowledgeRules, acknowledgeWildcardResources } from './nag-acknowledgements';
import { handlerNetworkProps } from './private/handler-network';
import { packageAsset } from '../private/package-assets';

/** Where scripts/bundle-handlers.mjs bundles the handlers of lib/handlers. */
const HANDLER_ASSETS = packageAsset('handlers');

/**
 * One Lambda function per handler and stack, shared by every construct that
 * needs it, with its own log group and a role that can write only there.
 */
export function handlerFunction(
  scope: Construct,
  handlerName: string,
  description: string,
  sizing: Pick<lambda.FunctionProps, 'timeout' | 'memorySize' | 'ephemeralStorageSize'> = {},
): lambda.Function {
  const stack = Stack.of(scope);
  const id = `Llama3FineTuning-${handlerName}`;
  const existing = stack.node.tryFindChild(id);
  if (existing) return existing.node.findChild('Function') as lambda.Function;

  const code = join(HANDLER_ASSETS, handlerName);
  if (!existsSync(join(code, 'index.js'))) {
    throw new Error(
      `The ${handlerName} handler is not bundled at ${code}; run \`npm run build\` (or \`npm ci\`, which bundles it).`,
    );
  }
  const container = new Construct(stack, id);
  // A year: AWS Control Tower's CT.CLOUDWATCH.PR.2 asks at least that; handler logs are a few KiB a job.
  const logGroup = new logs.LogGroup(container, 'Logs', { retention: logs.RetentionDays.ONE_YEAR });
  const role = new iam.Role(container, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  // Explicit instead of AWSLambdaBasicExecutionRole, which could write to every log group.
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [logGroup.logGroupArn],
    }),
  );
  const network = handlerNetworkProps(stack);
  if (network.vpc) {
    // What Lambda needs to attach the function to its subnets (the managed
    // AWSLambdaVPCAccessExecutionRole's actions); EC2 takes no resource for these.
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: [
          'ec2:CreateNetworkInterface',
          'ec2:DescribeNetworkInterfaces',
          'ec2:DescribeSubnets',
          'ec2:DeleteNetworkInterface',
          'ec2:AssignPrivateIpAddresses',
          'ec2:UnassignPrivateIpAddresses',
        ],
        resources: ['*'],
      }),
    );
    acknowledgeWildcardResources(
      role,
      ['*'],
      'Lambda creates the network interfaces of a function in a VPC; EC2 scopes these actions to no resource.',
    );
  }
  acknowledgeRules(container, {
    ...HANDLER_FUNCTION_REASONS,
    'NIST.800.53.R5-LambdaDLQ': deadLetterReason(handlerName),
  });
  return new lambda.Function(container, 'Function', {
    description,
    runtime: lambda.Runtime.NODEJS_24_X,
    architecture: lambda.Architecture.ARM_64,
    handler: 'index.handler',
    code: lambda.Code.fromAsset(code),
    timeout: Duration.minutes(5),
    memorySize: 256,
    ...sizing,
    ...network,
    role,
    logGroup,
  });
}

/** The signaller has its own dead-letter destination; CloudFormation calls the others and waits for their answer. */
function deadLetterReason(handlerName: string): string {
  return handlerName === 'signal-wait-condition'
    ? 'Failed invocations go to the dead-letter queue through its asynchronous-invocation failure destination, which has an alarm.'
    : 'A custom resource handler: it reports every failure to CloudFormation itself, and CloudFormation fails the deploy when it does not answer.';
}
