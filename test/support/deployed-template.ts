/**
 * A synthesized template as CloudFormation would resolve it for one deployed stack: intrinsic
 * functions resolved against the stack's identity, and what the template grants each function
 * read off its role's policies — so a test can drive the real handlers with the properties and
 * permissions a deploy gives them.
 */
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';

export interface Statement {
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: string | string[];
  readonly Resource: string | string[];
  readonly Condition?: Record<string, Record<string, string | string[]>>;
}

export interface StackIdentity {
  readonly stackId: string;
  readonly region: string;
  readonly account: string;
  /** The value of `Ref` to a resource: a handle's URL, a function's name, ... */
  readonly ref: (logicalId: string, type: string) => string;
  /** The value of `Fn::GetAtt` of a resource that is not a role, a function or a key. */
  readonly getAtt: (logicalId: string, attribute: string, type: string) => string;
}

export class DeployedTemplate {
  public readonly resources: Record<string, any>;

  constructor(
    stack: Stack,
    private readonly identity: StackIdentity,
  ) {
    this.resources = Template.fromStack(stack).toJSON().Resources;
  }

  public resolve(value: any): any {
    if (Array.isArray(value)) return value.map((v) => this.resolve(v));
    if (value === null || typeof value !== 'object') return value;
    if ('Ref' in value) return this.ref(value.Ref);
    if ('Fn::GetAtt' in value) return this.getAtt(value['Fn::GetAtt'][0], value['Fn::GetAtt'][1]);
    if ('Fn::Join' in value) {
      const [separator, parts] = value['Fn::Join'];
      return this.resolve(parts).join(separator);
    }
    const unknown = Object.keys(value).find((k) => k.startsWith('Fn::'));
    if (unknown) throw new Error(`${unknown} is not resolved by this test support`);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.resolve(v)]));
  }

  /** The logical ids of the resources of a type. */
  public idsOf(type: string): string[] {
    return Object.keys(this.resources).filter((id) => this.resources[id].Type === type);
  }

  /** The logical id of the one resource of a type (whose logical id includes `idPart`, when given). */
  public single(type: string, idPart = ''): string {
    const ids = this.idsOf(type).filter((id) => id.includes(idPart));
    if (ids.length !== 1) throw new Error(`expected one ${type} ${idPart}, found ${ids.join(', ') || 'none'}`);
    return ids[0];
  }

  /** A resource's properties, resolved. */
  public propertiesOf(logicalId: string): any {
    return this.resolve(this.resources[logicalId].Properties);
  }

  /** Every statement of the policies on the role of the function whose logical id includes `functionIdPart`. */
  public statementsOfFunction(functionIdPart: string): Statement[] {
    const fn = this.single('AWS::Lambda::Function', functionIdPart);
    const role = this.resources[fn].Properties.Role['Fn::GetAtt'][0];
    return this.idsOf('AWS::IAM::Policy')
      .filter((id) => this.resources[id].Properties.Roles.some((r: any) => r.Ref === role))
      .flatMap((id) => this.resolve(this.resources[id].Properties.PolicyDocument.Statement));
  }

  /** Every statement of the policies attached to the role whose logical id starts with `roleIdPrefix`. */
  public statementsOfRole(roleIdPrefix: string): Statement[] {
    const roles = this.idsOf('AWS::IAM::Role').filter((id) => id.startsWith(roleIdPrefix));
    if (roles.length !== 1) throw new Error(`expected one role ${roleIdPrefix}*, found ${roles.join(', ') || 'none'}`);
    return this.idsOf('AWS::IAM::Policy')
      .filter((id) => this.resources[id].Properties.Roles.some((r: any) => r.Ref === roles[0]))
      .flatMap((id) => this.resolve(this.resources[id].Properties.PolicyDocument.Statement));
  }

  private ref(logicalId: string): string {
    const pseudo: Record<string, string> = {
      'AWS::Partition': 'aws',
      'AWS::Region': this.identity.region,
      'AWS::AccountId': this.identity.account,
      'AWS::StackId': this.identity.stackId,
      'AWS::URLSuffix': 'amazonaws.com',
    };
    if (logicalId in pseudo) return pseudo[logicalId];
    return this.identity.ref(logicalId, this.resources[logicalId]?.Type);
  }

  private getAtt(logicalId: string, attribute: string): string {
    const type = this.resources[logicalId]?.Type;
    const account = this.identity.account;
    if (type === 'AWS::IAM::Role' && attribute === 'Arn') return `arn:aws:iam::${account}:role/${logicalId}`;
    if (type === 'AWS::Lambda::Function' && attribute === 'Arn') {
      return `arn:aws:lambda:${this.identity.region}:${account}:function:${logicalId}`;
    }
    if (type === 'AWS::KMS::Key' && attribute === 'Arn') {
      return `arn:aws:kms:${this.identity.region}:${account}:key/${logicalId}`;
    }
    return this.identity.getAtt(logicalId, attribute, type);
  }
}

/** IAM's wildcard match: `*` any run of characters, `?` one. */
function matches(pattern: string, value: string, ignoreCase = false): boolean {
  const regex = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${regex}$`, ignoreCase ? 'i' : '').test(value);
}

const list = (value: string | string[]) => (Array.isArray(value) ? value : [value]);

/** Whether every condition of a statement holds; only StringEquals and StringLike are known, anything else fails. */
function conditionsHold(statement: Statement, context: Record<string, string>): boolean {
  return Object.entries(statement.Condition ?? {}).every(([operator, keys]) =>
    Object.entries(keys).every(([key, values]) => {
      const actual = context[key];
      if (actual === undefined) return false;
      if (operator === 'StringEquals') return list(values).includes(actual);
      if (operator === 'StringLike') return list(values).some((v) => matches(v, actual));
      return false;
    }),
  );
}

/**
 * IAM's decision for one request under identity policy statements: allowed when a statement
 * allows it and none denies it (no resource policies, boundaries or SCPs).
 */
export function isAllowed(
  statements: readonly Statement[],
  action: string,
  resource: string,
  context: Record<string, string> = {},
): boolean {
  const applies = (s: Statement) =>
    list(s.Action).some((a) => matches(a, action, true)) &&
    list(s.Resource).some((r) => matches(r, resource)) &&
    conditionsHold(s, context);
  const relevant = statements.filter(applies);
  return relevant.some((s) => s.Effect === 'Allow') && !relevant.some((s) => s.Effect === 'Deny');
}

/**
 * Whether any Allow statement names the action on the resource, whatever its conditions: what a
 * test proving a role can never do something checks, so a condition this support cannot
 * evaluate never hides an allow.
 */
export function mayBeAllowed(statements: readonly Statement[], action: string, resource: string): boolean {
  return statements.some(
    (s) =>
      s.Effect === 'Allow' &&
      list(s.Action).some((a) => matches(a, action, true)) &&
      list(s.Resource).some((r) => matches(r, resource)),
  );
}
