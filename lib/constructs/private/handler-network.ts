import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { IConstruct } from 'constructs';

/** The VPC a stack's Lambda functions run in (the stack's handlers and dataset uploads). */
export interface HandlerNetwork {
  readonly vpc: ec2.IVpc;
  readonly subnets?: ec2.SubnetSelection;
}

const networks = new WeakMap<Stack, HandlerNetwork>();

/** Places every function the library creates in `scope`'s stack from now on in the network. */
export function placeHandlersIn(scope: IConstruct, network: HandlerNetwork): void {
  networks.set(Stack.of(scope), network);
}

/** The network the stack's functions run in, as Lambda props; none outside a profile that asks one. */
export function handlerNetworkProps(scope: IConstruct): { vpc?: ec2.IVpc; vpcSubnets?: ec2.SubnetSelection } {
  const network = networks.get(Stack.of(scope));
  return network ? { vpc: network.vpc, vpcSubnets: network.subnets } : {};
}
