/**
 * The canary's verdicts against a stand-in CloudFormation that behaves either way on each
 * question, its templates' resources, and its stack deleted whatever happens (cfn-lint reads the
 * templates in preflight-canary-cfn-lint.test.ts).
 */
import {
  CANARY_SOURCE,
  CanaryAws,
  canaryHandleTemplate,
  canaryWaitTemplate,
  runCanary,
} from '../../lib/app/preflight-canary';

interface Behaviour {
  earlySignalsCount?: boolean;
  eventsArrive?: boolean;
  /** The lifetime part of the handle URL's query (SigV4's X-Amz-Expires, SigV2's Expires). */
  lifetime?: string;
  createFails?: boolean;
  /** Whether the first stack's handle gets its URL. */
  earlyHandleUrl?: boolean;
  /** The poll of the update's resources at which the rule and its permission are both created (Infinity: never). */
  readyAtPoll?: number;
  /** The update fails before it creates its waits (its role refused, say), and rolls back. */
  updateFailsFirst?: boolean;
}

const COMPLETE = ['CREATE_IN_PROGRESS', 'CREATE_COMPLETE'];
/** A wait that failed or was cancelled: the rollback then deletes it, as it deletes everything the update created. */
const FAILED = ['CREATE_IN_PROGRESS', 'CREATE_FAILED', 'DELETE_IN_PROGRESS', 'DELETE_COMPLETE'];
const ROLLED_BACK = [...COMPLETE, 'DELETE_IN_PROGRESS', 'DELETE_COMPLETE'];

/**
 * CloudFormation and EventBridge as the canary sees them, answering its three questions as told: a signal counts
 * only as CloudFormation takes one (a SUCCESS with a UniqueId); the update creates the rule, then its permission,
 * over a few polls; an event reaches the function only once both exist.
 */
function standIn({
  earlySignalsCount = true,
  eventsArrive = true,
  lifetime = 'X-Amz-Expires=86399',
  createFails = false,
  earlyHandleUrl = true,
  readyAtPoll = 3,
  updateFailsFirst = false,
}: Behaviour) {
  const log: string[] = [];
  const signals: string[] = [];
  const waits: number[] = [];
  const events: { poll: number; at: number }[] = [];
  let updated = false;
  let ended = false;
  let polls = 0;
  let eventDelivered = false;
  const url = (id: string) =>
    `https://cloudformation-waitcondition-us-east-1.s3.amazonaws.com/${id}?X-Amz-Date=20261203T080000Z&${lifetime}`;
  const aws: CanaryAws = {
    createStack: async (name, template) => {
      log.push(`create ${name} ${Object.keys(JSON.parse(template).Resources).join(',')}`);
      if (createFails)
        throw Object.assign(new Error('User is not authorized to perform: cloudformation:CreateStack'), {
          name: 'AccessDenied',
        });
    },
    updateStack: async (name, template) => {
      log.push(`update ${name} ${Object.keys(JSON.parse(template).Resources).length} resources`);
      updated = true;
    },
    resourceId: async (_name, id) => {
      if (id === 'EarlyHandle') return earlyHandleUrl ? url(id) : undefined;
      return id === 'EventHandle' && updated ? url(id) : undefined;
    },
    resourceStatuses: async (): Promise<Record<string, string[]>> => {
      if (!updated) return {};
      const early = signals.includes('EarlyHandle:before-update') && earlySignalsCount;
      if (!ended) {
        polls += 1;
        if (polls > 1000) throw new Error('polled 1000 times in a row');
        if (polls === 1) return { EarlyHandle: COMPLETE }; // nothing of the update's yet
        const ready = polls >= readyAtPoll;
        return {
          SignalRule: COMPLETE,
          SignalPermission: ready ? COMPLETE : ['CREATE_IN_PROGRESS'],
          EarlyWait: early ? COMPLETE : ['CREATE_IN_PROGRESS'],
        };
      }
      if (updateFailsFirst) return { SignalRole: FAILED };
      // A wait that times out rolls the update back, cancelling the other before its signal.
      const event = eventDelivered && early;
      const rolledBack = !early || !event;
      return {
        EarlyWait: early ? (rolledBack ? ROLLED_BACK : COMPLETE) : FAILED,
        EventWait: event ? COMPLETE : FAILED,
      };
    },
    signal: async (target, body) => {
      const { Status, UniqueId } = body as { Status?: string; UniqueId?: string };
      if (Status !== 'SUCCESS' || !UniqueId) return; // CloudFormation counts neither
      signals.push(`${new URL(target).pathname.slice(1)}:${updated ? 'after-update' : 'before-update'}`);
    },
    putEvent: async (source, detailType, detail) => {
      log.push(`event ${detailType}`);
      events.push({ poll: polls, at: Date.now() });
      const ruleMatches = source === CANARY_SOURCE && detailType === 'canary-1';
      const handle = (detail as { url?: string }).url;
      if (ruleMatches && polls >= readyAtPoll && eventsArrive && handle === url('EventHandle')) eventDelivered = true;
    },
    waitForStack: async (_name, timeoutSeconds) => {
      waits.push(timeoutSeconds);
      ended = true;
      const early = signals.includes('EarlyHandle:before-update') && earlySignalsCount;
      return early && eventDelivered && !updateFailsFirst ? 'UPDATE_COMPLETE' : 'UPDATE_ROLLBACK_COMPLETE';
    },
    deleteStack: async (name) => {
      log.push(`delete ${name}`);
    },
  };
  return { aws, log, signals, waits, events, polls: () => polls };
}

const run = (behaviour: Behaviour = {}, options: { now?: () => Date } = {}) => {
  const world = standIn(behaviour);
  return runCanary(world.aws, 'canary-1', { pollMs: 1, ...options }).then((results) => ({ results, ...world }));
};

test('every behaviour the wait rests on holds: three PASSes, and the stack is deleted', async () => {
  const { results, log, signals } = await run();
  expect(results.map((r) => [r.status, r.detail])).toEqual([
    ['PASS', "a wait condition handle's URL lives 86399 s (the chain needs 13 h)"],
    ['PASS', 'a signal sent to a handle before its wait condition existed was counted when the wait was created'],
    ['PASS', 'an EventBridge event reached a function whose signal ended a wait condition'],
  ]);
  // The early signal went before the wait existed; the stack was created, updated once, deleted.
  expect(signals).toEqual(['EarlyHandle:before-update']);
  expect(log).toEqual([
    'create canary-1 EarlyHandle',
    'update canary-1 8 resources',
    'event canary-1',
    'delete canary-1',
  ]);
});

test('a signal sent before its wait is not counted: FAIL with the safe setting, and the event check undecided', async () => {
  const { results } = await run({ earlySignalsCount: false });
  expect(results[1]).toMatchObject({ status: 'FAIL', fix: expect.stringContaining('max_run at 11 hours or less') });
  expect(results[2]).toMatchObject({ status: 'WARN', detail: expect.stringContaining('the update rolled back first') });
});

test('an event that does not end its wait: FAIL', async () => {
  const { results } = await run({ eventsArrive: false });
  expect(results[2]).toMatchObject({ status: 'FAIL', detail: expect.stringContaining('(EventWait: CREATE_FAILED)') });
});

test.each([
  ['X-Amz-Expires=3600', 'FAIL'],
  ['X-Amz-Expires=46800', 'PASS'], // 13 hours: what the chain needs, just
  ['X-Amz-Expires=46799', 'FAIL'],
  ['X-Amz-Signature=x', 'WARN'],
])('a handle URL with %s: the lifetime check is %s', async (lifetime, status) => {
  expect((await run({ lifetime })).results[0].status).toBe(status);
});

test("a SigV2 handle URL states when it expires: its lifetime is counted from the canary's clock", async () => {
  const now = new Date('2026-12-03T08:00:00Z');
  const expires = now.getTime() / 1000 + 86400;
  const { results } = await run(
    { lifetime: `AWSAccessKeyId=AKIDEXAMPLE&Expires=${expires}&Signature=x` },
    { now: () => now },
  );
  expect(results[0]).toEqual({
    check: 'canary',
    status: 'PASS',
    detail: "a wait condition handle's URL lives 86400 s (the chain needs 13 h)",
  });
  const early = await run({ lifetime: `Expires=${expires - 80000}` }, { now: () => now });
  expect(early.results[0]).toMatchObject({ status: 'FAIL', detail: expect.stringContaining('lives 6400 s;') });
  const none = await run({ lifetime: 'Expires=0' }, { now: () => now });
  expect(none.results[0]).toMatchObject({ status: 'WARN', detail: 'a wait condition handle URL states no lifetime' });
});

test('a handle without its URL: FAIL saying so, and the stack is still deleted', async () => {
  const { results, log } = await run({ earlyHandleUrl: false });
  expect(results).toEqual([
    expect.objectContaining({
      status: 'FAIL',
      detail: expect.stringContaining('could not run (Error: the stack canary-1 has no handle URL)'),
    }),
  ]);
  expect(log).toEqual(['create canary-1 EarlyHandle', 'delete canary-1']);
});

test('the early signal is one CloudFormation counts: a SUCCESS with a UniqueId, sent before the update', async () => {
  const { results, signals } = await run();
  expect(signals).toEqual(['EarlyHandle:before-update']);
  expect(results[1].status).toBe('PASS');
});

test("it waits for the update longer than the event's own wait may take", async () => {
  const { waits } = await run();
  const eventWait = (canaryWaitTemplate('canary-1') as any).Resources.EventWait.Properties;
  expect(waits).toHaveLength(1);
  expect(waits[0]).toBeGreaterThan(Number(eventWait.Timeout));
});

test('an update that fails before its waits exist: each check says its wait was not created', async () => {
  const { results } = await run({ updateFailsFirst: true });
  expect(results.slice(1).map((r) => [r.status, r.detail])).toEqual([
    [
      'FAIL',
      'a signal sent before its wait condition existed was not counted (EarlyWait: not created, the stack ended UPDATE_ROLLBACK_COMPLETE)',
    ],
    [
      'WARN',
      "the event's wait was not decided: the update rolled back first (EventWait: not created, the stack ended UPDATE_ROLLBACK_COMPLETE)",
    ],
  ]);
});

describe('the event goes once the rule and its permission exist, polled every 5 seconds', () => {
  beforeEach(() => jest.useFakeTimers({ now: new Date('2026-12-03T08:00:00Z') }));
  afterEach(() => jest.useRealTimers());

  /** Runs the canary with its own poll interval and clock, the fake timers advanced by `ms`. */
  async function runFor(ms: number, behaviour: Behaviour) {
    const world = standIn(behaviour);
    let results: Awaited<ReturnType<typeof runCanary>> | undefined;
    void runCanary(world.aws, 'canary-1').then((r) => (results = r));
    await jest.advanceTimersByTimeAsync(ms);
    return { results, ...world };
  }

  test('at the first poll that finds both, and no later', async () => {
    const start = Date.now();
    const { results, events, polls } = await runFor(60_000, {});
    expect(events).toEqual([{ poll: 3, at: start + 10_000 }]);
    expect(polls()).toBe(3);
    expect(results?.map((r) => r.status)).toEqual(['PASS', 'PASS', 'PASS']);
  });

  test("never, when they are not created within the event's 10 minutes: the event check fails", async () => {
    const { results, events, polls } = await runFor(600_000, { readyAtPoll: Infinity });
    expect(events).toEqual([]);
    expect(polls()).toBe(120); // at 0, 5, ..., 595 seconds
    expect(results?.[2]).toMatchObject({
      status: 'FAIL',
      detail: 'an EventBridge event did not end its wait through the function (EventWait: CREATE_FAILED)',
    });
  });
});

test('a canary that cannot run fails with the reason, and its stack is still deleted', async () => {
  const { results, log } = await run({ createFails: true });
  expect(results).toEqual([
    expect.objectContaining({
      status: 'FAIL',
      detail: expect.stringContaining('AccessDenied: User is not authorized to perform: cloudformation:CreateStack'),
    }),
  ]);
  expect(log.at(-1)).toBe('delete canary-1');
});

test('the first template holds the early handle alone: no wait exists when its signal is sent', () => {
  expect((canaryHandleTemplate() as { Resources: object }).Resources).toEqual({
    EarlyHandle: { Type: 'AWS::CloudFormation::WaitConditionHandle' },
  });
});

test('the second template: each wait on its own handle, and a rule for this run only that may call the function', () => {
  const { Resources: r } = canaryWaitTemplate('canary-1') as { Resources: Record<string, any> };
  // The update keeps the first stack's handle as it is (its URL, signalled already) and adds the event's.
  const handle = { Type: 'AWS::CloudFormation::WaitConditionHandle' };
  expect(r.EarlyHandle).toEqual((canaryHandleTemplate() as { Resources: Record<string, any> }).Resources.EarlyHandle);
  expect(r.EarlyHandle).toEqual(handle);
  expect(r.EventHandle).toEqual(handle);
  expect(r.EarlyWait.Properties).toEqual({ Handle: { Ref: 'EarlyHandle' }, Count: 1, Timeout: '120' });
  expect(r.EventWait.Properties).toEqual({ Handle: { Ref: 'EventHandle' }, Count: 1, Timeout: '600' });
  expect(r.SignalRole.Properties.AssumeRolePolicyDocument.Statement).toEqual([
    { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
  ]);
  expect(r.SignalFunction.Properties).toMatchObject({
    Role: { 'Fn::GetAtt': ['SignalRole', 'Arn'] },
    Code: { ZipFile: expect.stringMatching(/https\.request\(event\.detail\.url, \{ method: 'PUT'/) },
  });
  expect(r.SignalFunction.Properties.Code.ZipFile).toContain("Status: 'SUCCESS'");
  expect(r.SignalRule.Properties).toEqual({
    EventPattern: { source: [CANARY_SOURCE], 'detail-type': ['canary-1'] },
    Targets: [{ Id: 'signal', Arn: { 'Fn::GetAtt': ['SignalFunction', 'Arn'] } }],
  });
  expect(r.SignalPermission.Properties).toEqual({
    Action: 'lambda:InvokeFunction',
    FunctionName: { Ref: 'SignalFunction' },
    Principal: 'events.amazonaws.com',
    SourceArn: { 'Fn::GetAtt': ['SignalRule', 'Arn'] },
  });
});
