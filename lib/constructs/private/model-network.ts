import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { acknowledgeWildcardResources } from '../nag-acknowledgements';

/** Private subnets with egress where the VPC has them, else its isolated subnets (with endpoints to S3 and ECR). */
export function defaultSubnets(vpc: ec2.IVpc): ec2.SubnetSelection {
  return {
    subnetType: vpc.privateSubnets.length > 0 ? ec2.SubnetType.PRIVATE_WITH_EGRESS : ec2.SubnetType.PRIVATE_ISOLATED,
  };
}

/**
 * What SageMaker needs of the role to place a job's or a model's instances in a VPC: managing the
 * network interfaces it creates there.
 */
export function grantNetworkInterfaces(role: iam.IRole): void {
  const added = role.addToPrincipalPolicy(
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
  if (added.statementAdded) {
    acknowledgeWildcardResources(
      role,
      ['*'],
      'SageMaker creates and deletes the network interfaces of instances in the VPC itself; the EC2 actions it needs take no resource ARNs known beforehand.',
    );
  }
}
