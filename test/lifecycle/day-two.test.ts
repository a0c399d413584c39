/**
 * Day two in a real account: retrains, rollbacks with their clean-up phase, cancels, tag and
 * serving changes, days after the first deploy. The real training and signal handlers are
 * driven through CloudFormation's phases with the properties each synthesized template gives
 * them, every AWS call checked against the IAM policy in force in that phase (both the old and
 * the new one where CloudFormation may have either in place), and wait condition handles that
 * refuse signals once their 24 hours have passed, as S3 refuses an expired presigned URL.
 */
import { App, Tags } from 'aws-cdk-lib';
import { Llama3FineTuningStack, Llama3FineTuningStackProps } from '../../lib';
import * as signalFunction from '../../lib/handlers/signal-wait-condition';
import * as trainingFunction from '../../lib/handlers/training-job';
import type { TrainingJobProperties } from '../../lib/handlers/shared/training-request';
import { DeployedTemplate, Statement } from '../support/deployed-template';
import { FakeAccount } from '../support/fake-account';
import { ResponseRecorder, presignedUrl } from '../support/response-recorder';

const ENV = { account: '123456789012', region: 'us-east-1' };
const STACK_ID = 'arn:aws:cloudformation:us-east-1:123456789012:stack/Dev/5e1f0a2b';
const DAY = 86_400_000;
const TRAINING = 'Custom::SageMakerTrainingJob';

function synth(props: Partial<Llama3FineTuningStackProps> = {}, tags: Record<string, string> = {}) {
  const app = new App();
  const stack = new Llama3FineTuningStack(app, 'Dev', { acceptEula: true, env: ENV, ...props });
  for (const [key, value] of Object.entries(tags)) Tags.of(app).add(key, value);
  return stack;
}

/** One deployed stack over time: its handles (with their age), its training resource's job, its account. */
class World {
  public readonly account = new FakeAccount(ENV.region, ENV.account);
  /** The training resource's physical id: its job's name. */
  public job = '';
  private readonly handleCreated = new Map<string, Date>();

  constructor(
    private readonly recorder: ResponseRecorder,
    private readonly origin: string,
  ) {}

  /** A template version as this stack deploys it. */
  public version(props: Partial<Llama3FineTuningStackProps> = {}, tags: Record<string, string> = {}): Version {
    return new Version(
      new DeployedTemplate(synth(props, tags), {
        stackId: STACK_ID,
        ...ENV,
        ref: (id, type) => (type === 'AWS::CloudFormation::WaitConditionHandle' ? this.handleUrl(id) : id),
        getAtt: (id, attribute, type) => {
          if (type === TRAINING && attribute === 'TrainingJobName') return this.job;
          if (type === TRAINING && attribute === 'TrainingJobArn') return this.account.jobArn(this.job);
          if (type === 'Custom::JumpStartModelArtifacts')
            return attribute === 'HubContentVersion' ? '2.1.0' : `hub-${attribute}`;
          return `${id}.${attribute}`;
        },
      }),
    );
  }

  /** CloudFormation creates a wait condition handle (its URL presigned at `at`); the stack lists it from then on. */
  public createHandle(id: string, at = new Date()): void {
    this.handleCreated.set(id, at);
    this.account.handles.set(id, this.handleUrl(id));
  }

  /** Time passes: every handle is `days` older than it was. */
  public age(days: number): void {
    for (const [id, at] of this.handleCreated) this.createHandle(id, new Date(at.getTime() - days * DAY));
  }

  public handleUrl(id: string): string {
    const at = this.handleCreated.get(id);
    if (!at) throw new Error(`handle ${id} does not exist yet`);
    return presignedUrl(this.origin, `/handle/${id}`, at);
  }

  /** Signals every handle received (accepted ones only: an expired URL records nothing). */
  public signalCount(): number {
    return [...this.recorder.byPath.keys()]
      .filter((p) => p.startsWith('/handle/'))
      .reduce((n, p) => n + this.recorder.byPath.get(p)!.length, 0);
  }

  public signalsTo(id: string): any[] {
    return [...this.recorder.byPath].filter(([p]) => p.startsWith(`/handle/${id}?`)).flatMap(([, bodies]) => bodies);
  }

  /** The training resource's event, as CloudFormation sends it. */
  public trainingEvent(
    RequestType: 'Create' | 'Update' | 'Delete',
    properties: TrainingJobProperties,
    old?: TrainingJobProperties,
  ) {
    return {
      RequestType,
      ResponseURL: 'http://127.0.0.1:1/unused',
      StackId: STACK_ID,
      RequestId: `request-${RequestType}`,
      LogicalResourceId: 'FineTuningJobResource',
      ResourceType: TRAINING,
      ...(RequestType === 'Create' ? {} : { PhysicalResourceId: this.job }),
      ResourceProperties: properties,
      ...(old ? { OldResourceProperties: old } : {}),
    };
  }

  /**
   * The first deploy of `v`, `daysAgo` days ago: the job starts, completes, its end event
   * signals the wait, and the chain's later handles are created as the waits hand over.
   */
  public async trainedDaysAgo(v: Version, daysAgo: number): Promise<string> {
    this.createHandle(v.handleIds[0]);
    const started = await this.account.as([v.trainingPolicy], () =>
      trainingFunction.handle(this.trainingEvent('Create', v.trainingProperties())),
    );
    this.job = started.physicalResourceId;
    this.account.end(this.job, 'Completed');
    await this.account.as([v.signalPolicy], () =>
      signalFunction.handler(v.stateChange(this.account.stateChange(this.job))),
    );
    expect(this.signalsTo(v.handleIds[0])).toEqual([
      expect.objectContaining({ Status: 'SUCCESS', UniqueId: this.job }),
    ]);
    for (const id of v.handleIds.slice(1)) this.createHandle(id);
    this.age(daysAgo);
    return this.job;
  }
}

/** One synthesized template version: what it gives the training and signal functions. */
class Version {
  constructor(public readonly template: DeployedTemplate) {}

  public trainingProperties(): TrainingJobProperties {
    return this.template.propertiesOf(this.template.single(TRAINING));
  }

  public get trainingPolicy(): Statement[] {
    return this.template.statementsOfFunction('trainingjobFunction');
  }

  public get signalPolicy(): Statement[] {
    return this.template.statementsOfFunction('signalwaitconditionFunction');
  }

  /** The logical ids of the chain's handles, first to last. */
  public get handleIds(): string[] {
    return this.template
      .idsOf('AWS::CloudFormation::WaitConditionHandle')
      .sort((a, b) => a.length - b.length || a.localeCompare(b, 'en', { numeric: true }));
  }

  /** What EventBridge hands the signal function for a job's state change: the rule's input template, filled in. */
  public stateChange(detail: object): signalFunction.StateChangeEvent {
    const rule = this.template.idsOf('AWS::Events::Rule').find((id) => id.includes('JobStateChange'))!;
    const target = this.template.resolve(this.template.resources[rule].Properties.Targets[0]);
    return JSON.parse(target.InputTransformer.InputTemplate.replace('<detail>', JSON.stringify(detail)));
  }

  /** The hourly tick's input. */
  public tick(): signalFunction.TickEvent {
    const rule = this.template.idsOf('AWS::Events::Rule').find((id) => id.includes('WaitTick'))!;
    return JSON.parse(this.template.resolve(this.template.resources[rule].Properties.Targets[0]).Input);
  }

  /** Every statement that names training jobs, of the training and signal functions. */
  public jobStatements(): Statement[] {
    return [...this.trainingPolicy, ...this.signalPolicy].filter((s) =>
      JSON.stringify(s.Resource).includes('training-job'),
    );
  }
}

const recorder = new ResponseRecorder();
let origin = '';
let world: World;
beforeAll(async () => {
  origin = new URL(await recorder.start()).origin;
});
afterAll(() => recorder.stop());
beforeEach(() => {
  recorder.byPath.clear();
  world = new World(recorder, origin);
});
afterEach(() => expect(world.account.denied).toEqual([]));

// Silence the handlers' JSON log lines.
beforeEach(() => jest.spyOn(console, 'log').mockImplementation(() => undefined));

const v1 = () => world.version();

describe('a retrain that does not finish is stopped, whatever stops the update', () => {
  test.each([
    ['the update is cancelled while the new job trains', undefined],
    ['the new job fails and the update rolls back', 'AlgorithmError: CUDA out of memory'],
  ])('%s: the rollback adopts the old job without a signal, and the clean-up stops the new one', async (_, failure) => {
    const before = v1();
    const after = world.version({ hyperparameters: { epoch: 3 } });
    const old = await world.trainedDaysAgo(before, 3);

    // UPDATE_IN_PROGRESS: the new inputs' handle, then the new job, under the new policy.
    world.createHandle(after.handleIds[0]);
    const started = await world.account.as([after.trainingPolicy], () =>
      trainingFunction.handle(world.trainingEvent('Update', after.trainingProperties(), before.trainingProperties())),
    );
    const retrain = started.physicalResourceId;
    expect(retrain).not.toBe(old);
    expect(retrain.startsWith(`${before.trainingProperties().JobNamePrefix}-`)).toBe(true);
    world.job = retrain;
    if (failure) {
      world.account.end(retrain, 'Failed', failure);
      await world.account.as([after.signalPolicy], () =>
        signalFunction.handler(after.stateChange(world.account.stateChange(retrain))),
      );
      expect(world.signalsTo(after.handleIds[0])).toEqual([expect.objectContaining({ Status: 'FAILURE' })]);
    }

    // UPDATE_ROLLBACK_IN_PROGRESS: the old properties come back; either policy may be in force.
    const signalsBefore = world.signalCount();
    const rolledBack = await world.account.as([before.trainingPolicy, after.trainingPolicy], () =>
      trainingFunction.handle(world.trainingEvent('Update', before.trainingProperties(), after.trainingProperties())),
    );
    expect(rolledBack.physicalResourceId).toBe(old);
    // The old wait ended three days ago; its handle has expired and nothing was sent to it.
    expect(world.signalCount()).toBe(signalsBefore);

    // UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS: the new job's resource is deleted under the old policy.
    world.job = retrain;
    await world.account.as([before.trainingPolicy], () =>
      trainingFunction.handle(world.trainingEvent('Delete', after.trainingProperties())),
    );
    expect(world.account.jobs.get(retrain)!.TrainingJobStatus).toBe(failure ? 'Failed' : 'Stopping');

    // Its "Stopped" event reaches the old rule (the prefix is the construct's) and signals nothing.
    if (!failure) world.account.end(retrain, 'Stopped');
    await world.account.as([before.signalPolicy], () =>
      signalFunction.handler(before.stateChange(world.account.stateChange(retrain))),
    );
    expect(world.signalCount()).toBe(signalsBefore);
    expect(world.account.jobs.get(old)!.TrainingJobStatus).toBe('Completed');
  });

  test("a first deploy that rolls back stops its job under the stack's only policy", async () => {
    const v = v1();
    world.createHandle(v.handleIds[0]);
    world.job = (
      await world.account.as([v.trainingPolicy], () =>
        trainingFunction.handle(world.trainingEvent('Create', v.trainingProperties())),
      )
    ).physicalResourceId;
    await world.account.as([v.trainingPolicy], () =>
      trainingFunction.handle(world.trainingEvent('Delete', v.trainingProperties())),
    );
    expect(world.account.jobs.get(world.job)!.TrainingJobStatus).toBe('Stopping');
  });
});

describe('a retrain that completes', () => {
  test.each([
    ['a changed hyperparameter', { hyperparameters: { epoch: 3 } }],
    ['a new training run id (new data under the same prefix)', { trainingRunId: 'data-2026-12' }],
  ])('after %s, the clean-up of the superseded job works under the new policy', async (_, change) => {
    const before = v1();
    const after = world.version(change);
    const old = await world.trainedDaysAgo(before, 3);
    world.createHandle(after.handleIds[0]);
    world.job = (
      await world.account.as([after.trainingPolicy], () =>
        trainingFunction.handle(world.trainingEvent('Update', after.trainingProperties(), before.trainingProperties())),
      )
    ).physicalResourceId;
    expect(world.job).not.toBe(old);
    world.account.end(world.job, 'Completed');
    await world.account.as([after.signalPolicy], () =>
      signalFunction.handler(after.stateChange(world.account.stateChange(world.job))),
    );
    expect(world.signalsTo(after.handleIds[0])).toEqual([expect.objectContaining({ Status: 'SUCCESS' })]);

    // UPDATE_COMPLETE_CLEANUP_IN_PROGRESS: the superseded resource is deleted under the new policy.
    const current = world.job;
    world.job = old;
    await world.account.as([after.trainingPolicy], () =>
      trainingFunction.handle(world.trainingEvent('Delete', before.trainingProperties())),
    );
    expect(world.account.jobs.get(old)!.TrainingJobStatus).toBe('Completed');
    expect(world.account.jobs.get(current)!.TrainingJobStatus).toBe('Completed');
  });

  test('the statements that name jobs are the same before and after: they follow the construct, not its inputs', () => {
    const before = v1().jobStatements();
    expect(before.length).toBeGreaterThanOrEqual(2);
    expect(world.version({ hyperparameters: { epoch: 3 } }).jobStatements()).toEqual(before);
    expect(world.version({ trainingRunId: 'data-2026-12' }).jobStatements()).toEqual(before);
    expect(world.version({ modelId: 'meta-textgeneration-llama-3-8b-instruct' }).jobStatements()).toEqual(before);
  });
});

describe('updates that do not retrain, days after training', () => {
  test('a tag added to the app three days later tags the same job, sends no signal, and the update succeeds', async () => {
    const before = v1();
    const after = world.version({}, { team: 'ml-platform' });
    const job = await world.trainedDaysAgo(before, 3);
    // Only the tags change: the same handle, the same job.
    const { Tags: oldTags, ...oldRest } = before.trainingProperties();
    const { Tags: newTags, ...newRest } = after.trainingProperties();
    expect(newRest).toEqual(oldRest);
    expect(newTags).toMatchObject({ team: 'ml-platform' });
    expect(oldTags?.team).toBeUndefined();

    const signals = world.signalCount();
    const updated = await world.account.as([before.trainingPolicy, after.trainingPolicy], () =>
      trainingFunction.handle(world.trainingEvent('Update', after.trainingProperties(), before.trainingProperties())),
    );
    expect(updated.physicalResourceId).toBe(job);
    expect(world.account.jobs.get(job)!.Tags).toContainEqual({ Key: 'team', Value: 'ml-platform' });
    expect(world.signalCount()).toBe(signals);
    // ... and its rollback, which sends the old properties back, succeeds too.
    await world.account.as([before.trainingPolicy, after.trainingPolicy], () =>
      trainingFunction.handle(world.trainingEvent('Update', before.trainingProperties(), after.trainingProperties())),
    );
  });

  test('a serving-only change leaves every training input and the hub version it was resolved from as they were', () => {
    const before = v1().template;
    const after = world.version({ endpointInstanceType: 'ml.g5.2xlarge' }).template;
    const unresolved = (t: DeployedTemplate, type: string, idPart = '') =>
      t.resources[t.single(type, idPart)].Properties;
    // CloudFormation calls a custom resource only when its properties change: training is not touched.
    expect(unresolved(after, TRAINING)).toEqual(unresolved(before, TRAINING));
    const trainingArtifacts = (t: DeployedTemplate) =>
      t.idsOf('Custom::JumpStartModelArtifacts').filter((id) => !id.includes('Hosting'));
    expect(trainingArtifacts(after)).toEqual(trainingArtifacts(before));
    for (const id of trainingArtifacts(before)) expect(after.resources[id]).toEqual(before.resources[id]);
    // Only the hosting lookup changes, for the version training resolved.
    const hosting = (t: DeployedTemplate) => unresolved(t, 'Custom::JumpStartModelArtifacts', 'Hosting');
    expect(hosting(after).HostingInstanceType).toBe('ml.g5.2xlarge');
    expect(hosting(after).HubContentVersion).toEqual({
      'Fn::GetAtt': [trainingArtifacts(before)[0], 'HubContentVersion'],
    });
  });

  test('an hourly tick an update switched back on finds the job ended and its handles expired: no failure, the tick goes off', async () => {
    const v = v1();
    expect(v.handleIds).toHaveLength(10); // JumpStart's 100 hours: a chain with a tick
    await world.trainedDaysAgo(v, 3);
    const signals = world.signalCount();
    world.account.disabledRules.length = 0; // the end event switched it off; an update switched it on again
    await world.account.as([v.signalPolicy], () => signalFunction.handler(v.tick()));
    expect(world.account.disabledRules).toEqual([v.tick().tickRuleName]);
    expect(world.signalCount()).toBe(signals);
    // A late duplicate of the end event is as harmless.
    await world.account.as([v.signalPolicy], () =>
      signalFunction.handler(v.stateChange(world.account.stateChange(world.job))),
    );
  });
});

describe('training without holding the deploy (waitForTraining false), then a deploy with the wait', () => {
  const startWithoutWait = async () => {
    const free = world.version({ waitForTraining: false });
    expect(free.handleIds).toEqual([]);
    expect(free.trainingProperties().WaitHandleUrl).toBe('');
    world.job = (
      await world.account.as([free.trainingPolicy], () =>
        trainingFunction.handle(world.trainingEvent('Create', free.trainingProperties())),
      )
    ).physicalResourceId;
    expect(world.account.jobs.get(world.job)!.TrainingJobStatus).toBe('InProgress');
    expect(world.signalCount()).toBe(0);
    return free;
  };

  test('a job still training is taken over: the same job, and its end signals the new wait', async () => {
    const free = await startWithoutWait();
    const started = world.job;
    const waiting = v1();
    world.createHandle(waiting.handleIds[0]);
    const adopted = await world.account.as([waiting.trainingPolicy, free.trainingPolicy], () =>
      trainingFunction.handle(world.trainingEvent('Update', waiting.trainingProperties(), free.trainingProperties())),
    );
    expect(adopted.physicalResourceId).toBe(started);
    expect(world.account.jobs.size).toBe(1);
    expect(world.signalCount()).toBe(0);
    world.account.end(started, 'Completed');
    await world.account.as([waiting.signalPolicy], () =>
      signalFunction.handler(waiting.stateChange(world.account.stateChange(started))),
    );
    expect(world.signalsTo(waiting.handleIds[0])).toEqual([
      expect.objectContaining({ Status: 'SUCCESS', UniqueId: started }),
    ]);
  });

  test('a job that finished meanwhile is taken over and its end signalled at once', async () => {
    const free = await startWithoutWait();
    const started = world.job;
    world.account.end(started, 'Completed');
    const waiting = v1();
    world.createHandle(waiting.handleIds[0]);
    await world.account.as([waiting.trainingPolicy, free.trainingPolicy], () =>
      trainingFunction.handle(world.trainingEvent('Update', waiting.trainingProperties(), free.trainingProperties())),
    );
    expect(world.signalsTo(waiting.handleIds[0])).toEqual([
      expect.objectContaining({ Status: 'SUCCESS', UniqueId: started }),
    ]);
  });
});
