import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { acknowledgeRules } from './nag-acknowledgements';
import { HandlerNetwork } from './private/handler-network';

/** How strictly a stack follows an account's enforced controls. */
export enum ComplianceProfile {
  /** Passes every AWS Control Tower proactive control that costs nothing; see the README for the rest. */
  DEFAULT = 'default',
  /**
   * Passes every applicable AWS Control Tower proactive control: handler functions in a VPC
   * (with interface endpoints, about $43 a month), S3 Object Lock on the buckets, an alarm
   * topic for every alarm.
   */
  CONTROL_TOWER = 'control-tower',
}

/** The handler VPC's addresses, written out so its security group rules need no token. */
const HANDLER_VPC_CIDR = '10.64.0.0/16';

/** Object Lock retention under the control-tower profile: a month in governance mode. */
export const CONTROL_TOWER_OBJECT_LOCK = Duration.days(30);

/**
 * The AWS services the handler functions call, as interface endpoints: SageMaker's API
 * (training jobs, hub content), CloudFormation (the signal function reads its stack's wait
 * handles) and EventBridge (the signal function switches its tick rule off). S3 — data,
 * CloudFormation's response URLs and wait handle URLs, which are presigned S3 URLs — goes
 * through a gateway endpoint, which costs nothing.
 */
export const HANDLER_ENDPOINTS = [
  ec2.InterfaceVpcEndpointAwsService.SAGEMAKER_API,
  ec2.InterfaceVpcEndpointAwsService.CLOUDFORMATION,
  ec2.InterfaceVpcEndpointAwsService.EVENTBRIDGE,
];

/** A VPC of isolated subnets in two zones for the handler functions, with the endpoints they need and nothing else. */
export function handlerVpc(scope: Construct): HandlerNetwork {
  const vpc = new ec2.Vpc(scope, 'HandlerVpc', {
    ipAddresses: ec2.IpAddresses.cidr(HANDLER_VPC_CIDR),
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [{ name: 'handlers', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }],
    gatewayEndpoints: { S3: { service: ec2.GatewayVpcEndpointAwsService.S3 } },
    restrictDefaultSecurityGroup: false,
  });
  // HTTPS from the VPC's own addresses only: the functions are its only clients.
  const endpoints = new ec2.SecurityGroup(scope, 'EndpointSecurityGroup', {
    vpc,
    description: 'HTTPS to the AWS API endpoints from the handler functions of this VPC',
    allowAllOutbound: false,
  });
  endpoints.addIngressRule(ec2.Peer.ipv4(HANDLER_VPC_CIDR), ec2.Port.tcp(443), 'HTTPS from the handler functions');
  for (const service of HANDLER_ENDPOINTS) {
    vpc.addInterfaceEndpoint(service.shortName, {
      service,
      privateDnsEnabled: true,
      securityGroups: [endpoints],
      open: false,
    });
  }
  acknowledgeRules(vpc, {
    'NIST.800.53.R5-VPCDefaultSecurityGroupClosed':
      'Nothing uses the default security group: the functions and the endpoints have their own. Closing it takes a custom resource function outside the VPC.',
    'AwsSolutions-VPC7':
      'The VPC holds only the handler functions and endpoints to AWS APIs, whose calls CloudTrail records; flow logs would add nothing.',
    'NIST.800.53.R5-VPCFlowLogsEnabled':
      'The VPC holds only the handler functions and endpoints to AWS APIs, whose calls CloudTrail records; flow logs would add nothing.',
  });
  return { vpc, subnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } };
}
