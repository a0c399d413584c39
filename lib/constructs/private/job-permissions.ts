import * as iam from 'aws-cdk-lib/aws-iam';
import { grantNetworkInterfaces } from './model-network';
import { acknowledgeWildcardResources } from '../nag-acknowledgements';

/**
 * What the training handler may do: create, describe, tag and stop only jobs under its own
 * prefix, and pass only the execution role, to SageMaker only. A job in a VPC also needs its
 * role to manage the network interfaces SageMaker creates.
 */
export function grantJobControl(
  handler: iam.IGrantable,
  role: iam.IRole,
  jobArns: string,
  prefix: string,
  inVpc: boolean,
  trainingPlanArn?: string,
): void {
  if (trainingPlanArn) {
    // The plan is read before the job starts, and a job on it is created on its ARN too
    // (IAM lists training-plan as a resource type of SageMaker).
    handler.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['sagemaker:DescribeTrainingPlan', 'sagemaker:CreateTrainingJob'],
        resources: [trainingPlanArn],
      }),
    );
  }
  handler.grantPrincipal.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: [
        'sagemaker:CreateTrainingJob',
        'sagemaker:DescribeTrainingJob',
        'sagemaker:StopTrainingJob',
        'sagemaker:AddTags',
      ],
      resources: [jobArns],
    }),
  );
  grantPassRole(handler, role);
  acknowledgeWildcardResources(
    handler.grantPrincipal as iam.Role,
    [jobArns],
    `Training jobs named ${prefix}-*: the handler names them at deploy time.`,
  );
  if (inVpc) grantNetworkInterfaces(role);
}

function grantPassRole(handler: iam.IGrantable, role: iam.IRole): void {
  handler.grantPrincipal.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: ['iam:PassRole'],
      resources: [role.roleArn],
      conditions: { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } },
    }),
  );
}
