import { RemovalPolicy, Token } from 'aws-cdk-lib';
import type { ModelRegistryProps } from '../model-registry';
import { throwIfProblems } from '../../config/configuration-error';
import { sageMakerNameProblem } from '../../config/input-checks';
import { showValue } from '../../config/show-value';

/** An AWS account id: twelve digits. */
const ACCOUNT_ID = /^\d{12}$/;

/** Problems with a list of consumer account ids: twelve digits each, no repeats, never the producing account itself. */
export function accountIdsProblems(prop: string, value: unknown, ownAccount: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    return [`${prop} is ${showValue(value)}; allowed: a list of 12-digit AWS account ids. Fix: e.g. ["111122223333"].`];
  }
  const problems: string[] = [];
  value.forEach((account, i) => {
    if (typeof account === 'string' && Token.isUnresolved(account)) return;
    if (typeof account !== 'string' || !ACCOUNT_ID.test(account)) {
      problems.push(
        `${prop}[${i}] is ${showValue(account)}; allowed: a 12-digit AWS account id as a string. ` +
          'Fix: copy it from `aws sts get-caller-identity --query Account` in that account.',
      );
    } else if (account === ownAccount) {
      problems.push(
        `${prop}[${i}] is ${showValue(account)}, the account this stack deploys to, which needs no sharing. Fix: remove it.`,
      );
    } else if (value.indexOf(account) !== i) {
      problems.push(`${prop}[${i}] is ${showValue(account)} again. Fix: list each account once.`);
    }
  });
  return problems;
}

export function checkRegistryProps(props: ModelRegistryProps, ownAccount: string): void {
  const removal: unknown = props.removalPolicy;
  const description: unknown = props.description;
  throwIfProblems([
    props.modelPackageGroupName === undefined
      ? undefined
      : sageMakerNameProblem('modelPackageGroupName', props.modelPackageGroupName),
    description === undefined || (typeof description === 'string' && description.length <= 1024)
      ? undefined
      : `description is ${showValue(description)}; allowed: text of up to 1024 characters (SageMaker's limit). Fix: shorten it.`,
    ...accountIdsProblems('consumerAccountIds', props.consumerAccountIds, ownAccount),
    removal === undefined || removal === RemovalPolicy.RETAIN || removal === RemovalPolicy.DESTROY
      ? undefined
      : `removalPolicy is ${showValue(removal)}; allowed: RemovalPolicy.RETAIN or RemovalPolicy.DESTROY. ` +
        'Fix: leave it out to keep the group.',
  ]);
}
