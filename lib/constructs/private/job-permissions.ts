import * as iam from 'aws-cdk-lib/aws-iam';
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
  if (inVpc) {
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: [
          'ec2:CreateNetworkInterface',
          'ec2:CreateNetworkInterfacePermission',
          'ec2:DeleteNetworkInterface',
          'ec2:DeleteNetworkInterfacePermission',
          'ec2:DescribeNetworkInterfaces',
          'ec2:DescribeVpcs',
          'ec2:DescribeDhcpOptions',
          'ec2:DescribeSubnets',
          'ec2:DescribeSecurityGroups',
        ],
        resources: ['*'], // SageMaker creates the network interfaces itself; these actions take no resource ARNs it could know.
      }),
    );
  }
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
