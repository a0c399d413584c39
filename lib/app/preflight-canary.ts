/**
 * `llama3-ft preflight --canary`: a tiny stack with no GPU that tries, in the user's own account,
 * the CloudFormation behaviours the training wait rests on and no document settles: a signal
 * sent to a handle before its wait condition exists is counted; how long a handle's URL lives;
 * an EventBridge event reaches a function whose signal ends a wait. It deletes itself.
 */
import type { CheckResult } from './preflight-checks';

/** The calls the canary makes; each may throw the SDK's error. */
export interface CanaryAws {
  /** Creates the stack and waits until it is created (throws with the reason otherwise). */
  createStack(name: string, template: string): Promise<void>;
  /** Starts an update; waitForStack follows it. */
  updateStack(name: string, template: string): Promise<void>;
  /** Polls until the stack's operation ends (or the time is up); resolves to its status. */
  waitForStack(name: string, timeoutSeconds: number): Promise<string>;
  /** The physical id of a resource once it exists (a handle's presigned URL), else undefined. */
  resourceId(name: string, logicalId: string): Promise<string | undefined>;
  /** The statuses each resource went through, from the stack's events. */
  resourceStatuses(name: string): Promise<Record<string, string[]>>;
  /** PUTs a wait condition signal to a handle's URL. */
  signal(url: string, body: object): Promise<void>;
  /** Sends an event to the default EventBridge bus. */
  putEvent(source: string, detailType: string, detail: object): Promise<void>;
  deleteStack(name: string): Promise<void>;
}

export const CANARY_SOURCE = 'cdk-llama3-finetuning.preflight';
/** How long the early-signal wait may take: a counted signal ends it in seconds. */
const EARLY_WAIT_SECONDS = 120;
/** How long the event's wait may take: EventBridge and a cold function take seconds. */
const EVENT_WAIT_SECONDS = 600;
/** A wait of the chain uses its handle for at most 12 hours after the handle's creation, plus minutes. */
const NEEDED_LIFETIME_SECONDS = 13 * 3600;

/** The function the rule calls: it PUTs a SUCCESS signal to the URL the event carries. */
const SIGNAL_FUNCTION = `const https = require('https');
exports.handler = async (event) => {
  const body = JSON.stringify({ Status: 'SUCCESS', Reason: 'preflight canary event', UniqueId: 'event', Data: '' });
  await new Promise((resolve, reject) => {
    const req = https.request(event.detail.url, { method: 'PUT', headers: { 'content-type': '', 'content-length': Buffer.byteLength(body) } }, (res) => { res.resume(); res.on('end', resolve); });
    req.on('error', reject);
    req.end(body);
  });
};`;

/** The first template: one handle, no wait yet. */
export function canaryHandleTemplate(): object {
  return {
    Description: 'llama3-ft preflight canary (no GPU; deletes itself)',
    Resources: { EarlyHandle: { Type: 'AWS::CloudFormation::WaitConditionHandle' } },
  };
}

/** The second: a wait on the handle signalled early, and a wait an event must end through a function. */
export function canaryWaitTemplate(name: string): object {
  return {
    Description: 'llama3-ft preflight canary (no GPU; deletes itself)',
    Resources: {
      EarlyHandle: { Type: 'AWS::CloudFormation::WaitConditionHandle' },
      EarlyWait: {
        Type: 'AWS::CloudFormation::WaitCondition',
        Properties: { Handle: { Ref: 'EarlyHandle' }, Count: 1, Timeout: String(EARLY_WAIT_SECONDS) },
      },
      EventHandle: { Type: 'AWS::CloudFormation::WaitConditionHandle' },
      EventWait: {
        Type: 'AWS::CloudFormation::WaitCondition',
        Properties: { Handle: { Ref: 'EventHandle' }, Count: 1, Timeout: String(EVENT_WAIT_SECONDS) },
      },
      // No policies: the function only PUTs to a presigned URL.
      SignalRole: {
        Type: 'AWS::IAM::Role',
        Properties: {
          AssumeRolePolicyDocument: {
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
          },
        },
      },
      SignalFunction: {
        Type: 'AWS::Lambda::Function',
        Properties: {
          Runtime: 'nodejs24.x', // the runtime of the library's own functions
          Handler: 'index.handler',
          Timeout: 30,
          Role: { 'Fn::GetAtt': ['SignalRole', 'Arn'] },
          Code: { ZipFile: SIGNAL_FUNCTION },
        },
      },
      SignalRule: {
        Type: 'AWS::Events::Rule',
        Properties: {
          EventPattern: { source: [CANARY_SOURCE], 'detail-type': [name] },
          Targets: [{ Id: 'signal', Arn: { 'Fn::GetAtt': ['SignalFunction', 'Arn'] } }],
        },
      },
      SignalPermission: {
        Type: 'AWS::Lambda::Permission',
        Properties: {
          Action: 'lambda:InvokeFunction',
          FunctionName: { Ref: 'SignalFunction' },
          Principal: 'events.amazonaws.com',
          SourceArn: { 'Fn::GetAtt': ['SignalRule', 'Arn'] },
        },
      },
    },
  };
}

/** The lifetime a presigned URL states (`X-Amz-Expires`, or SigV2's `Expires` from now), in seconds. */
function urlLifetime(url: string, now: Date): number | undefined {
  const query = new URL(url).searchParams;
  const expires = Number(query.get('X-Amz-Expires'));
  if (expires > 0) return expires;
  const at = Number(query.get('Expires'));
  return at > 0 ? at - Math.floor(now.getTime() / 1000) : undefined;
}

const poll = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs the canary in the account; always deletes its stack. */
export async function runCanary(
  aws: CanaryAws,
  name: string,
  options: { now?: () => Date; pollMs?: number } = {},
): Promise<CheckResult[]> {
  const now = options.now ?? (() => new Date());
  const results: CheckResult[] = [];
  const canary = (status: CheckResult['status'], detail: string, fix?: string) =>
    results.push({ check: 'canary', status, detail, ...(fix ? { fix } : {}) });
  try {
    await aws.createStack(name, JSON.stringify(canaryHandleTemplate()));
    const early = await aws.resourceId(name, 'EarlyHandle');
    if (!early) throw new Error(`the stack ${name} has no handle URL`);
    const lifetime = urlLifetime(early, now());
    if (lifetime === undefined)
      canary('WARN', 'a wait condition handle URL states no lifetime', 'the wait chain assumes 24 hours');
    else if (lifetime >= NEEDED_LIFETIME_SECONDS)
      canary('PASS', `a wait condition handle's URL lives ${lifetime} s (the chain needs 13 h)`);
    else {
      canary(
        'FAIL',
        `a wait condition handle's URL lives ${lifetime} s; the chain uses a handle up to 13 h after its creation`,
        'keep max_run at 11 hours or less (one wait) until this passes',
      );
    }
    await aws.signal(early, { Status: 'SUCCESS', Reason: 'sent before the wait existed', UniqueId: 'early', Data: '' });
    await aws.updateStack(name, JSON.stringify(canaryWaitTemplate(name)));
    // The event goes once its handle, the rule and the function's permission exist.
    const deadline = now().getTime() + EVENT_WAIT_SECONDS * 1000;
    let eventUrl: string | undefined;
    while (!eventUrl && now().getTime() < deadline) {
      const statuses = await aws.resourceStatuses(name);
      const created = (id: string) => statuses[id]?.includes('CREATE_COMPLETE');
      if (created('SignalPermission') && created('SignalRule')) {
        eventUrl = await aws.resourceId(name, 'EventHandle');
      }
      if (!eventUrl) await poll(options.pollMs ?? 5000);
    }
    if (eventUrl) await aws.putEvent(CANARY_SOURCE, name, { url: eventUrl });
    const final = await aws.waitForStack(name, EVENT_WAIT_SECONDS + 120);
    const statuses = await aws.resourceStatuses(name);
    const done = (id: string) => statuses[id]?.includes('CREATE_COMPLETE') === true;
    // How a wait's creation ended (a rollback then deletes what the update created).
    const last = (id: string) =>
      statuses[id]?.filter((status) => status.startsWith('CREATE_')).pop() ?? `not created, the stack ended ${final}`;
    if (done('EarlyWait')) {
      canary(
        'PASS',
        'a signal sent to a handle before its wait condition existed was counted when the wait was created',
      );
    } else {
      canary(
        'FAIL',
        `a signal sent before its wait condition existed was not counted (EarlyWait: ${last('EarlyWait')})`,
        'keep max_run at 11 hours or less (one wait, no segment hand-over) until this passes',
      );
    }
    if (done('EventWait')) {
      canary('PASS', 'an EventBridge event reached a function whose signal ended a wait condition');
    } else if (!done('EarlyWait')) {
      canary(
        'WARN',
        `the event's wait was not decided: the update rolled back first (EventWait: ${last('EventWait')})`,
        'run --canary again once the early-signal check passes',
      );
    } else {
      canary(
        'FAIL',
        `an EventBridge event did not end its wait through the function (EventWait: ${last('EventWait')})`,
        'check that EventBridge may invoke Lambda functions in this account (SCPs) and that events:PutEvents is allowed',
      );
    }
  } catch (error) {
    canary(
      'FAIL',
      `the canary stack ${name} could not run (${(error as Error).name}: ${(error as Error).message})`,
      'allow CloudFormation, IAM role creation, Lambda and EventBridge for your credentials, or run without --canary',
    );
  } finally {
    await aws.deleteStack(name).catch(() => undefined);
  }
  return results;
}
