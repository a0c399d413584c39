import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { acknowledgeWildcardResources } from '../nag-acknowledgements';

const logGroupArn = (name: string) => `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:${name}`;

/**
 * Lets a SageMaker execution role write the logs of the streams it owns in one log group,
 * and no other's: the training-jobs group is shared by every job of the account and region.
 * An imported, immutable role is left as it is.
 */
function grantLogStreams(role: iam.IRole, logGroup: string, streams: string, reason: string): void {
  const streamArn = `${logGroupArn(logGroup)}:log-stream:${streams}`;
  // AWS lists both for a training job's execution role. DescribeLogStreams is authorized on the
  // log group as a whole (IAM's only resource type for it), so it cannot be narrowed to this
  // role's streams; it lists stream names and sizes, never log events.
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: ['logs:CreateLogGroup', 'logs:DescribeLogStreams'],
      resources: [`${logGroupArn(logGroup)}:*`],
    }),
  );
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [streamArn] }),
  );
  acknowledgeWildcardResources(role, [`${logGroupArn(logGroup)}:*`, streamArn], reason);
}

/** The log streams of training jobs named `<jobNamePrefix>-*` (SageMaker names them `<job>/algo-1-<time>`). */
export function grantTrainingJobLogs(role: iam.IRole, jobNamePrefix: string): void {
  grantLogStreams(
    role,
    '/aws/sagemaker/TrainingJobs',
    `${jobNamePrefix}-*`,
    `Log streams of training jobs named ${jobNamePrefix}-*, which SageMaker names at run time.`,
  );
}

/** The log group of one endpoint, whose streams SageMaker names by variant and instance. */
export function grantEndpointLogs(role: iam.IRole, endpointName: string): void {
  grantLogStreams(
    role,
    `/aws/sagemaker/Endpoints/${endpointName}`,
    '*',
    `Log streams of endpoint ${endpointName}, which SageMaker names by variant and instance at run time.`,
  );
}

/**
 * The log group of one inference component. AWS documents no log group for components; its
 * own samples and JumpStart deployments write `/aws/sagemaker/InferenceComponents/<name>`,
 * so the role may write there (and, through grantEndpointLogs, to the endpoint's group).
 */
export function grantInferenceComponentLogs(role: iam.IRole, componentName: string): void {
  grantLogStreams(
    role,
    `/aws/sagemaker/InferenceComponents/${componentName}`,
    '*',
    `Log streams of inference component ${componentName}, which SageMaker names at run time.`,
  );
}
