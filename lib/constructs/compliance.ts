import { Aws, Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
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
   * (with interface endpoints, about $102 a month), S3 Object Lock on the buckets, an alarm
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

/**
 * What the training job and the endpoint, in the same VPC, add: ECR's API and image layers
 * (pulling the training and inference images), CloudWatch Logs, and SageMaker's runtime (for
 * clients in the VPC invoking the endpoint). S3 — data, base weights, the model — uses the
 * gateway endpoint.
 */
export const MODEL_ENDPOINTS = [
  ec2.InterfaceVpcEndpointAwsService.ECR,
  ec2.InterfaceVpcEndpointAwsService.ECR_DOCKER,
  ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS,
  ec2.InterfaceVpcEndpointAwsService.SAGEMAKER_RUNTIME,
];

/** The stack's VPC under the control-tower profile: its subnets and endpoints, whose policies the stack narrows. */
export interface StackNetwork extends HandlerNetwork {
  /** The interface endpoints, by service short name (`sagemaker.runtime`, `ecr.dkr`, ...). */
  readonly endpoints: Record<string, ec2.InterfaceVpcEndpoint>;
}

/**
 * A VPC of isolated subnets in two zones for the handler functions, the training job and the
 * endpoint, with the endpoints they need and nothing else; each endpoint lets only this
 * account's principals through (`aws:PrincipalAccount`), and narrower where AWS allows it.
 */
export function handlerVpc(scope: Construct, options: { serves: boolean }): StackNetwork {
  const vpc = new ec2.Vpc(scope, 'HandlerVpc', {
    ipAddresses: ec2.IpAddresses.cidr(HANDLER_VPC_CIDR),
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [{ name: 'handlers', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }],
    restrictDefaultSecurityGroup: false,
  });
  allowOnlyThisAccountAndPresignedUrls(vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 }));
  // HTTPS from the VPC's own addresses only: the functions, the job and the endpoint are its only clients.
  const endpointSecurityGroup = new ec2.SecurityGroup(scope, 'EndpointSecurityGroup', {
    vpc,
    description: 'HTTPS to the AWS API endpoints from the handler functions, training job and endpoint of this VPC',
    allowAllOutbound: false,
  });
  endpointSecurityGroup.addIngressRule(ec2.Peer.ipv4(HANDLER_VPC_CIDR), ec2.Port.tcp(443), 'HTTPS from the VPC');
  const endpoints: Record<string, ec2.InterfaceVpcEndpoint> = {};
  // A stack that serves nothing has no endpoint to invoke, and no runtime endpoint.
  const runtime = ec2.InterfaceVpcEndpointAwsService.SAGEMAKER_RUNTIME;
  const services = [...HANDLER_ENDPOINTS, ...MODEL_ENDPOINTS].filter((s) => options.serves || s !== runtime);
  for (const service of services) {
    const endpoint = vpc.addInterfaceEndpoint(service.shortName, {
      service,
      privateDnsEnabled: true,
      securityGroups: [endpointSecurityGroup],
      open: false,
    });
    // The runtime endpoint is narrowed to the stack's own endpoints once they exist (scopeRuntimeEndpoint).
    if (service !== runtime) {
      endpoint.addToPolicy(thisAccountOnly(['*'], ['*']));
    }
    endpoints[service.shortName] = endpoint;
  }
  acknowledgeRules(vpc, {
    'NIST.800.53.R5-VPCDefaultSecurityGroupClosed':
      'Nothing uses the default security group: the functions, the job, the endpoint and the VPC endpoints have their own. Closing it takes a custom resource function outside the VPC.',
    'AwsSolutions-VPC7':
      'The VPC holds only the handler functions, the training job, the endpoint and endpoints to AWS APIs, whose calls CloudTrail records; flow logs would add nothing.',
    'NIST.800.53.R5-VPCFlowLogsEnabled':
      'The VPC holds only the handler functions, the training job, the endpoint and endpoints to AWS APIs, whose calls CloudTrail records; flow logs would add nothing.',
  });
  return { vpc, subnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED }, endpoints };
}

/**
 * The runtime endpoint invokes only the stack's own endpoints (and their inference components):
 * a client in the VPC reaches nothing else through it.
 */
export function scopeRuntimeEndpoint(network: StackNetwork, invocationArns: string[]): void {
  network.endpoints[ec2.InterfaceVpcEndpointAwsService.SAGEMAKER_RUNTIME.shortName].addToPolicy(
    thisAccountOnly(['sagemaker:InvokeEndpoint', 'sagemaker:InvokeEndpointWithResponseStream'], invocationArns),
  );
}

/** An identity perimeter: the actions, by this account's principals only. */
function thisAccountOnly(actions: string[], resources: string[]): iam.PolicyStatement {
  return new iam.PolicyStatement({
    principals: [new iam.AnyPrincipal()],
    actions,
    resources,
    conditions: { StringEquals: { 'aws:PrincipalAccount': Aws.ACCOUNT_ID } },
  });
}

/**
 * S3 through the gateway: this account's principals, and the presigned URLs AWS services hand
 * out, which are signed by the service's own account — CloudFormation's custom resource
 * responses and wait condition signals, and ECR's image layers.
 */
function allowOnlyThisAccountAndPresignedUrls(s3: ec2.GatewayVpcEndpoint): void {
  s3.addToPolicy(thisAccountOnly(['s3:*'], ['*']));
  s3.addToPolicy(
    new iam.PolicyStatement({
      principals: [new iam.AnyPrincipal()],
      actions: ['s3:PutObject'],
      resources: [
        `arn:${Aws.PARTITION}:s3:::cloudformation-custom-resource-response-*/*`,
        `arn:${Aws.PARTITION}:s3:::cloudformation-waitcondition-*/*`,
      ],
    }),
  );
  s3.addToPolicy(
    new iam.PolicyStatement({
      principals: [new iam.AnyPrincipal()],
      actions: ['s3:GetObject'],
      resources: [`arn:${Aws.PARTITION}:s3:::prod-${Aws.REGION}-starport-layer-bucket/*`],
    }),
  );
}
