/**
 * The canary's verdicts against a stand-in CloudFormation that behaves either way on each
 * question, its templates through cfn-lint, and its stack deleted whatever happens.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
  lifetime?: string;
  createFails?: boolean;
}

/** CloudFormation and EventBridge as the canary sees them, answering its three questions as told. */
function standIn({
  earlySignalsCount = true,
  eventsArrive = true,
  lifetime = 'X-Amz-Expires=86399',
  createFails = false,
}: Behaviour) {
  const log: string[] = [];
  const signals: string[] = [];
  let updated = false;
  let eventSent = false;
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
    resourceId: async (_name, id) =>
      id === 'EarlyHandle' || (id === 'EventHandle' && updated)
        ? `https://cloudformation-waitcondition-us-east-1.s3.amazonaws.com/${id}?X-Amz-Date=20261203T080000Z&${lifetime}`
        : undefined,
    resourceStatuses: async (): Promise<Record<string, string[]>> => {
      if (!updated) return {};
      const early = signals.includes('EarlyHandle:before-update') && earlySignalsCount;
      // A wait that times out rolls the update back, cancelling the other before its signal.
      const event = eventSent && eventsArrive && early;
      return {
        SignalRule: ['CREATE_IN_PROGRESS', 'CREATE_COMPLETE'],
        SignalPermission: ['CREATE_IN_PROGRESS', 'CREATE_COMPLETE'],
        EarlyWait: ['CREATE_IN_PROGRESS', early ? 'CREATE_COMPLETE' : 'CREATE_FAILED'],
        EventWait: [
          'CREATE_IN_PROGRESS',
          ...(event ? ['CREATE_COMPLETE'] : early ? ['CREATE_FAILED'] : ['DELETE_COMPLETE']),
        ],
      };
    },
    signal: async (url) => {
      signals.push(`${new URL(url).pathname.slice(1)}:${updated ? 'after-update' : 'before-update'}`);
    },
    putEvent: async (source, detailType, detail) => {
      expect(source).toBe(CANARY_SOURCE);
      expect(detailType).toMatch(/^canary-/);
      expect((detail as { url: string }).url).toMatch(/EventHandle/);
      eventSent = true;
    },
    waitForStack: async () => 'UPDATE_COMPLETE',
    deleteStack: async (name) => {
      log.push(`delete ${name}`);
    },
  };
  return { aws, log, signals };
}

const run = (behaviour: Behaviour = {}) => {
  const world = standIn(behaviour);
  return runCanary(world.aws, 'canary-1', { pollMs: 1 }).then((results) => ({ results, ...world }));
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
  expect(log).toEqual(['create canary-1 EarlyHandle', 'update canary-1 8 resources', 'delete canary-1']);
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
  ['X-Amz-Signature=x', 'WARN'],
])('a handle URL with %s: the lifetime check is %s', async (lifetime, status) => {
  expect((await run({ lifetime })).results[0].status).toBe(status);
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

test('both templates pass cfn-lint', () => {
  const dir = mkdtempSync(join(tmpdir(), 'canary-'));
  const files = [canaryHandleTemplate(), canaryWaitTemplate('canary-1')].map((template, i) => {
    const file = join(dir, `canary-${i}.json`);
    writeFileSync(file, JSON.stringify(template));
    return file;
  });
  const lint = spawnSync('cfn-lint', ['--format', 'parseable', '--', ...files], { encoding: 'utf8' });
  expect(lint.stdout + lint.stderr).toBe('');
  expect(lint.status).toBe(0);
});
