import {
  AddTagsCommand,
  CreateTrainingJobCommand,
  DescribeTrainingJobCommand,
  SageMakerClient,
  StopTrainingJobCommand,
} from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import { handle } from '../../lib/handlers/training-job';
import {
  AttachedJobProperties,
  TrainingJobProperties,
  trainingJobName,
} from '../../lib/handlers/shared/training-request';
import { CustomResourceEvent } from '../../lib/handlers/shared/cfn-response';
import { SUPERSEDED, WAIT_OWNER_TAG, waitOwner } from '../../lib/handlers/shared/wait-ownership';
import { ResponseRecorder, presignedUrl } from '../support/response-recorder';
import { handleExpiry } from '../../lib/handlers/shared/wait-signal';
import { PROPS } from '../support/training-props';
import { loggedJson } from '../support/logged-json';

const sagemaker = mockClient(SageMakerClient);
const STACK_ID = 'arn:aws:cloudformation:us-west-2:123456789012:stack/Llama3FineTuning/uuid';
const NAME = trainingJobName(PROPS.JobNamePrefix, PROPS.InputsHash, STACK_ID, 1);
const notFound = Object.assign(new Error('Requested resource not found.'), { name: 'ValidationException' });

type Event = CustomResourceEvent<TrainingJobProperties | AttachedJobProperties>;

function event(RequestType: Event['RequestType'], extra: Partial<Event> = {}): Event {
  return {
    RequestType,
    ResponseURL: 'http://unused',
    StackId: STACK_ID,
    RequestId: 'r1',
    LogicalResourceId: 'Job',
    ResourceType: 'Custom::SageMakerTrainingJob',
    ResourceProperties: { ...PROPS },
    ...extra,
  };
}

beforeEach(() => sagemaker.reset());
const logged = loggedJson();

describe('create', () => {
  test('starts the job and returns its name, ARN and model location', async () => {
    sagemaker.on(DescribeTrainingJobCommand).rejects(notFound);
    sagemaker
      .on(CreateTrainingJobCommand)
      .resolves({ TrainingJobArn: `arn:aws:sagemaker:us-west-2:123456789012:training-job/${NAME}` });
    process.env.AWS_REGION = 'us-west-2';
    const result = await handle(event('Create'));
    expect(result).toEqual({
      physicalResourceId: NAME,
      reason: `Training job ${NAME} is InProgress; follow it at https://us-west-2.console.aws.amazon.com/sagemaker/home?region=us-west-2#/jobs/${NAME}`,
      data: {
        TrainingJobName: NAME,
        TrainingJobArn: `arn:aws:sagemaker:us-west-2:123456789012:training-job/${NAME}`,
        ModelArtifactsUri: `s3://models/output/${NAME}/output/model.tar.gz`,
      },
    });
    const sent = sagemaker.commandCalls(CreateTrainingJobCommand)[0].args[0].input;
    expect(sent.TrainingJobName).toBe(NAME);
    expect(sent.HyperParameters).toMatchObject({ epoch: '5', sagemaker_program: 'transfer_learning.py' });
  });

  test('uncompressed output points at the model/ prefix', async () => {
    sagemaker.on(DescribeTrainingJobCommand).rejects(notFound);
    sagemaker.on(CreateTrainingJobCommand).resolves({ TrainingJobArn: 'arn' });
    const result = await handle(
      event('Create', { ResourceProperties: { ...PROPS, DisableOutputCompression: 'true' } }),
    );
    expect(result.data!.ModelArtifactsUri).toBe(`s3://models/output/${NAME}/output/model/`);
  });

  test('a retry finds the running job, never starts a second one, and makes this wait its owner', async () => {
    const running = { TrainingJobName: NAME, TrainingJobArn: 'arn:existing', TrainingJobStatus: 'InProgress' as const };
    sagemaker.on(DescribeTrainingJobCommand).resolves(running);
    const result = await handle(event('Create'));
    expect(result.physicalResourceId).toBe(NAME);
    expect(sagemaker.commandCalls(CreateTrainingJobCommand)).toHaveLength(0);
    expect(sagemaker.commandCalls(AddTagsCommand)[0].args[0].input).toEqual({
      ResourceArn: 'arn:existing',
      Tags: [{ Key: WAIT_OWNER_TAG, Value: waitOwner(PROPS.WaitId) }],
    });
    // Described again after tagging, in case it ended in between.
    expect(sagemaker.commandCalls(DescribeTrainingJobCommand)).toHaveLength(2);
  });

  test("a job taken over gets the construct's tags as they are now", async () => {
    sagemaker
      .on(DescribeTrainingJobCommand)
      .resolves({ TrainingJobName: NAME, TrainingJobArn: 'arn:existing', TrainingJobStatus: 'InProgress' });
    await handle(
      event('Update', { PhysicalResourceId: NAME, ResourceProperties: { ...PROPS, Tags: { team: 'ml-platform' } } }),
    );
    expect(sagemaker.commandCalls(AddTagsCommand)[0].args[0].input.Tags).toEqual([
      { Key: 'team', Value: 'ml-platform' },
      { Key: WAIT_OWNER_TAG, Value: waitOwner(PROPS.WaitId) },
    ]);
  });

  test.each([
    [
      'Completed',
      [],
      [
        {
          Status: 'SUCCESS',
          Reason: `Training job ${NAME} completed`,
          UniqueId: NAME,
          Data: 's3://models/output/m.tar.gz',
        },
      ],
    ],
    [
      'InProgress',
      ['Failed'],
      [{ Status: 'FAILURE', Reason: `Training job ${NAME} failed: CapacityError: none`, UniqueId: NAME, Data: '' }],
    ],
    ['InProgress', ['InProgress'], []],
  ])(
    'a job found %s (then %j) that will send no more events to this wait is signalled by the custom resource itself',
    async (first, then, signals) => {
      const recorder = new ResponseRecorder();
      const url = await recorder.start();
      try {
        const job = {
          TrainingJobName: NAME,
          TrainingJobArn: 'arn:existing',
          ModelArtifacts: { S3ModelArtifacts: 's3://models/output/m.tar.gz' },
        };
        const describe = sagemaker
          .on(DescribeTrainingJobCommand)
          .resolvesOnce({ ...job, TrainingJobStatus: first as any });
        for (const status of then)
          describe.resolvesOnce({ ...job, TrainingJobStatus: status as any, FailureReason: 'CapacityError: none' });
        await handle(event('Create', { ResourceProperties: { ...PROPS, WaitHandleUrl: url } }));
        expect(recorder.bodies).toEqual(signals);
        expect(sagemaker.commandCalls(CreateTrainingJobCommand)).toHaveLength(0);
      } finally {
        await recorder.stop();
      }
    },
  );

  test('a deploy that does not wait for training (no handle) takes over an ended job and signals nothing', async () => {
    sagemaker.on(DescribeTrainingJobCommand).resolves({
      TrainingJobName: NAME,
      TrainingJobArn: 'arn:existing',
      TrainingJobStatus: 'Completed',
    });
    const { WaitHandleUrl: _none, ...props } = { ...PROPS, WaitHandleUrl: undefined };
    await handle(event('Create', { ResourceProperties: props as typeof PROPS }));
    expect(logged()).toContainEqual({ notSignalled: NAME, why: 'this deploy does not wait for training' });
    expect(sagemaker.commandCalls(CreateTrainingJobCommand)).toHaveLength(0);
  });

  test("a redeploy that finds a completed job with instance preferences signals its end, naming SageMaker's choice", async () => {
    const recorder = new ResponseRecorder();
    const url = await recorder.start();
    try {
      sagemaker.on(DescribeTrainingJobCommand, { TrainingJobName: NAME }).resolves({
        TrainingJobArn: 'arn:first',
        TrainingJobStatus: 'Completed',
        ResourceConfig: {
          InstancePreferences: [{ InstanceType: 'ml.g5.48xlarge' }, { InstanceType: 'ml.p4d.24xlarge' }],
          SelectedInstanceType: 'ml.p4d.24xlarge',
          InstanceCount: 1,
          VolumeSizeInGB: 30,
        },
      });
      const result = await handle(
        event('Create', {
          ResourceProperties: { ...PROPS, FallbackInstanceTypes: ['ml.p4d.24xlarge'], WaitHandleUrl: url },
        }),
      );
      expect(result.physicalResourceId).toBe(NAME);
      expect(sagemaker.commandCalls(AddTagsCommand).map((c) => c.args[0].input.ResourceArn)).toEqual(['arn:first']);
      expect(recorder.bodies).toEqual([
        expect.objectContaining({
          Status: 'SUCCESS',
          Reason: `Training job ${NAME} on ml.p4d.24xlarge (SageMaker's choice by capacity) completed`,
        }),
      ]);
      expect(sagemaker.commandCalls(CreateTrainingJobCommand)).toHaveLength(0);
    } finally {
      await recorder.stop();
    }
  });

  test.each(['Failed', 'Stopped', 'Stopping'])(
    'a name whose job is %s is given up (tagged superseded) and the next attempt starts',
    async (status) => {
      sagemaker
        .on(DescribeTrainingJobCommand, { TrainingJobName: NAME })
        .resolves({ TrainingJobName: NAME, TrainingJobArn: 'arn:old', TrainingJobStatus: status as any });
      sagemaker.on(DescribeTrainingJobCommand, { TrainingJobName: `${NAME}-2` }).rejects(notFound);
      sagemaker.on(CreateTrainingJobCommand).resolves({ TrainingJobArn: 'arn:new' });
      const result = await handle(event('Create'));
      expect(result.physicalResourceId).toBe(`${NAME}-2`);
      expect(sagemaker.commandCalls(AddTagsCommand)[0].args[0].input).toEqual({
        ResourceArn: 'arn:old',
        Tags: [{ Key: WAIT_OWNER_TAG, Value: SUPERSEDED }],
      });
      const tags = sagemaker.commandCalls(CreateTrainingJobCommand)[0].args[0].input.Tags;
      expect(tags).toContainEqual({ Key: WAIT_OWNER_TAG, Value: waitOwner(PROPS.WaitId) });
    },
  );

  test("an update with changed inputs starts a new job under the construct's same prefix", async () => {
    sagemaker.on(DescribeTrainingJobCommand).rejects(notFound);
    sagemaker.on(CreateTrainingJobCommand).resolves({ TrainingJobArn: 'arn:new' });
    const result = await handle(
      event('Update', {
        PhysicalResourceId: NAME,
        OldResourceProperties: PROPS,
        ResourceProperties: { ...PROPS, InputsHash: 'bbbb0002', Hyperparameters: { epoch: '3' } },
      }),
    );
    expect(result.physicalResourceId).not.toBe(NAME);
    expect(result.physicalResourceId).toMatch(/^llama3-ft-0123abcd-[0-9a-f]{6}$/);
  });

  test('SageMaker refusing the job fails the resource with its message', async () => {
    sagemaker.on(DescribeTrainingJobCommand).rejects(notFound);
    sagemaker
      .on(CreateTrainingJobCommand)
      .rejects(
        Object.assign(
          new Error("The account-level service limit 'ml.g5.12xlarge for training job usage' is 0 Instances"),
          { name: 'ResourceLimitExceeded' },
        ),
      );
    await expect(handle(event('Create'))).rejects.toThrow(/service limit 'ml.g5.12xlarge for training job usage' is 0/);
  });

  test('the log says whether a job was started or taken over', async () => {
    sagemaker.on(DescribeTrainingJobCommand).rejects(notFound);
    sagemaker.on(CreateTrainingJobCommand).resolves({ TrainingJobArn: 'arn:new' });
    await handle(event('Create'));
    sagemaker.reset();
    sagemaker
      .on(DescribeTrainingJobCommand)
      .resolves({ TrainingJobName: NAME, TrainingJobArn: 'arn:new', TrainingJobStatus: 'InProgress' });
    await handle(event('Create'));
    expect(logged()).toEqual([{ started: NAME }, { reused: NAME, status: 'InProgress' }]);
  });

  test('a job taken over that has ended is signalled to the wait, as its event went to the old owner', async () => {
    const recorder = new ResponseRecorder();
    const url = await recorder.start();
    try {
      sagemaker.on(DescribeTrainingJobCommand).resolves({
        TrainingJobName: NAME,
        TrainingJobArn: 'arn:first',
        TrainingJobStatus: 'Completed',
        ModelArtifacts: { S3ModelArtifacts: `s3://models/output/${NAME}/output/model.tar.gz` },
      });
      await handle(event('Create', { ResourceProperties: { ...PROPS, WaitHandleUrl: url } }));
      expect(recorder.bodies).toEqual([expect.objectContaining({ Status: 'SUCCESS', UniqueId: NAME })]);
      expect(logged()[0]).toEqual({ signalled: NAME, status: 'Completed' });
    } finally {
      await recorder.stop();
    }
  });

  test('a name is tried 20 times before giving up: the 20th free name starts the job', async () => {
    sagemaker.on(DescribeTrainingJobCommand).callsFake(({ TrainingJobName }) => {
      if (TrainingJobName === trainingJobName(PROPS.JobNamePrefix, PROPS.InputsHash, STACK_ID, 20)) throw notFound;
      return { TrainingJobName, TrainingJobArn: `arn:${TrainingJobName}`, TrainingJobStatus: 'Failed' };
    });
    sagemaker.on(CreateTrainingJobCommand).resolves({ TrainingJobArn: 'arn:20' });
    const result = await handle(event('Create'));
    expect(result.physicalResourceId).toBe(`${NAME}-20`);
  });

  test('20 names whose jobs all ended without a model: the deploy fails, saying how to start afresh', async () => {
    sagemaker
      .on(DescribeTrainingJobCommand)
      .callsFake(({ TrainingJobName }) => ({ TrainingJobName, TrainingJobArn: 'arn', TrainingJobStatus: 'Failed' }));
    await expect(handle(event('Create'))).rejects.toThrow(
      new RegExp(
        `jobs of these training inputs \\(${NAME}, ${NAME}-2, \\.\\.\\. ${NAME}-20\\).*change a training input, or the training run id`,
      ),
    );
    expect(sagemaker.commandCalls(CreateTrainingJobCommand)).toHaveLength(0);
  });

  test('a describe error other than not-found is not mistaken for a free name', async () => {
    sagemaker
      .on(DescribeTrainingJobCommand)
      .rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    await expect(handle(event('Create'))).rejects.toThrow('denied');
    expect(sagemaker.commandCalls(CreateTrainingJobCommand)).toHaveLength(0);
  });
});

describe('signals only where a wait may be pending', () => {
  const recorder = new ResponseRecorder();
  let origin = '';
  beforeAll(async () => {
    origin = new URL(await recorder.start()).origin;
  });
  afterAll(() => recorder.stop());
  beforeEach(() => recorder.bodies.splice(0));
  const completed = () =>
    sagemaker
      .on(DescribeTrainingJobCommand)
      .resolves({ TrainingJobName: NAME, TrainingJobArn: 'arn:existing', TrainingJobStatus: 'Completed' });

  test('an update that keeps the handle (a tag, a value the hub resolved) tags the job and sends nothing', async () => {
    completed();
    const props = { ...PROPS, WaitHandleUrl: presignedUrl(origin, '/handle', new Date()) };
    const result = await handle(
      event('Update', {
        PhysicalResourceId: NAME,
        OldResourceProperties: props,
        ResourceProperties: { ...props, Tags: { team: 'ml' } },
      }),
    );
    expect(result.physicalResourceId).toBe(NAME);
    expect(recorder.bodies).toEqual([]);
    expect(logged()).toContainEqual({ notSignalled: NAME, why: 'its wait ended in an earlier deploy' });
  });

  test('a handle past its 24 hours refuses the signal (a rollback to a job days old): logged, and the deploy goes on', async () => {
    completed();
    const created = new Date(Date.now() - 3 * 86_400_000);
    const url = presignedUrl(origin, '/handle', created);
    const result = await handle(
      event('Update', {
        PhysicalResourceId: `${NAME}-new`,
        OldResourceProperties: { ...PROPS, WaitHandleUrl: 'http://127.0.0.1:1/newer-handle' },
        ResourceProperties: { ...PROPS, WaitHandleUrl: url },
      }),
    );
    expect(result.physicalResourceId).toBe(NAME);
    expect(recorder.bodies).toEqual([]);
    expect(logged()).toContainEqual({
      notSignalled: NAME,
      handleExpired: new Date(created.getTime() - (created.getTime() % 1000) + 86_399_000).toISOString(),
      why: 'the handle has expired, so its wait has long ended',
    });
  });

  test('a refusal of a handle that has not expired still fails the resource: the wait would never end', async () => {
    completed();
    const forbidden = new ResponseRecorder();
    const url = await forbidden.start();
    const server = (forbidden as any).server;
    server.removeAllListeners('request');
    server.on('request', (_: unknown, res: any) => res.writeHead(403).end());
    try {
      await expect(
        handle(event('Create', { ResourceProperties: { ...PROPS, WaitHandleUrl: presignedUrl(url, '', new Date()) } })),
      ).rejects.toThrow('PUT 403');
    } finally {
      await forbidden.stop();
    }
  });
});

test.each([
  ['X-Amz-Date=20261203T080000Z&X-Amz-Expires=86399', '2026-12-04T07:59:59.000Z'],
  ['Expires=1796371200&Signature=x', '2026-12-04T08:00:00.000Z'],
  ['X-Amz-Date=20261203T080000Z', undefined],
  ['', undefined],
])("a handle URL's own expiry: %s", (query, expiry) => {
  expect(handleExpiry(`https://cloudformation-waitcondition.s3.amazonaws.com/h?${query}`)?.toISOString()).toBe(expiry);
});

describe('delete', () => {
  test.each(['InProgress'])('stops a job that is %s', async (status) => {
    sagemaker.on(DescribeTrainingJobCommand).resolves({ TrainingJobStatus: status as any });
    sagemaker.on(StopTrainingJobCommand).resolves({});
    // The same physical id: CloudFormation takes another as a replacement, not a delete.
    expect(await handle(event('Delete', { PhysicalResourceId: NAME }))).toEqual({ physicalResourceId: NAME });
    expect(sagemaker.commandCalls(StopTrainingJobCommand)[0].args[0].input).toEqual({ TrainingJobName: NAME });
    expect(logged()).toEqual([{ stopped: NAME }]);
  });

  test.each(['Completed', 'Failed', 'Stopped', 'Stopping'])('leaves a job that is %s alone', async (status) => {
    sagemaker.on(DescribeTrainingJobCommand).resolves({ TrainingJobStatus: status as any });
    await handle(event('Delete', { PhysicalResourceId: NAME }));
    expect(sagemaker.commandCalls(StopTrainingJobCommand)).toHaveLength(0);
  });

  test('tolerates a job that is gone', async () => {
    sagemaker.on(DescribeTrainingJobCommand).rejects(notFound);
    await expect(handle(event('Delete', { PhysicalResourceId: NAME }))).resolves.toEqual({ physicalResourceId: NAME });
  });

  test('tolerates a job that ended between describe and stop', async () => {
    sagemaker.on(DescribeTrainingJobCommand).resolves({ TrainingJobStatus: 'InProgress' });
    sagemaker
      .on(StopTrainingJobCommand)
      .rejects(Object.assign(new Error('not in progress'), { name: 'ValidationException' }));
    await expect(handle(event('Delete', { PhysicalResourceId: NAME }))).resolves.toBeDefined();
  });

  test('any other error from StopTrainingJob fails the delete: the stack must not forget a running job', async () => {
    sagemaker.on(DescribeTrainingJobCommand).resolves({ TrainingJobStatus: 'InProgress' });
    sagemaker.on(StopTrainingJobCommand).rejects(
      Object.assign(new Error('User is not authorized to perform StopTrainingJob'), {
        name: 'AccessDeniedException',
      }),
    );
    await expect(handle(event('Delete', { PhysicalResourceId: NAME }))).rejects.toThrow(/not authorized/);
  });

  test('a create that failed left nothing to delete', async () => {
    await handle(event('Delete', { PhysicalResourceId: 'failed-r1' }));
    expect(sagemaker.calls()).toHaveLength(0);
  });

  test('an attached job is never stopped', async () => {
    const result = await handle(
      event('Delete', {
        PhysicalResourceId: 'their-job',
        ResourceProperties: { TrainingJobName: 'their-job', ExpectCompressed: 'true' },
      }),
    );
    expect(result).toEqual({ physicalResourceId: 'their-job' });
    expect(sagemaker.calls()).toHaveLength(0);
  });
});

describe('attach', () => {
  const attach = (extra: Partial<AttachedJobProperties> = {}) =>
    event('Create', { ResourceProperties: { TrainingJobName: 'their-job', ExpectCompressed: 'true', ...extra } });
  /** A completed job as DescribeTrainingJob returns it, its model where SageMaker reports it. */
  const completed = (
    name: string,
    compression: 'GZIP' | 'NONE',
    S3ModelArtifacts: string,
    InstanceType = 'ml.g5.12xlarge',
  ) => ({
    TrainingJobName: name,
    TrainingJobArn: `arn:${name}`,
    TrainingJobStatus: 'Completed' as const,
    OutputDataConfig: { S3OutputPath: 's3://b/out', CompressionType: compression },
    ModelArtifacts: { S3ModelArtifacts },
    ResourceConfig: { InstanceType: InstanceType as never, InstanceCount: 1, VolumeSizeInGB: 30 },
  });

  test("returns the completed job's model location", async () => {
    sagemaker
      .on(DescribeTrainingJobCommand)
      .resolves(completed('their-job', 'NONE', 's3://team-models/out/their-job/output/model'));
    const result = await handle(attach({ ExpectCompressed: 'false' }));
    expect(result).toEqual({
      physicalResourceId: 'their-job',
      data: {
        TrainingJobName: 'their-job',
        TrainingJobArn: 'arn:their-job',
        ModelArtifactsUri: 's3://team-models/out/their-job/output/model/',
        ModelBucket: 'team-models',
        ModelKey: 'out/their-job/output/model/',
        InstanceType: 'ml.g5.12xlarge',
      },
      reason: 'Training job their-job trained on ml.g5.12xlarge',
    });
  });

  test('an uncompressed model prefix SageMaker reports with its slash gets no second one', async () => {
    sagemaker
      .on(DescribeTrainingJobCommand)
      .resolves(completed('their-job', 'NONE', 's3://b/out/their-job/output/model/'));
    const result = await handle(attach({ ExpectCompressed: 'false' }));
    expect(result.data!.ModelArtifactsUri).toBe('s3://b/out/their-job/output/model/');
  });

  test('a job SageMaker placed by instance preferences reports the type it chose', async () => {
    sagemaker.on(DescribeTrainingJobCommand).resolves({
      ...completed('their-job', 'GZIP', 's3://b/out/their-job/output/model.tar.gz'),
      ResourceConfig: {
        InstancePreferences: [{ InstanceType: 'ml.g5.48xlarge' }, { InstanceType: 'ml.p4d.24xlarge' }],
        SelectedInstanceType: 'ml.p4d.24xlarge',
        InstanceCount: 1,
        VolumeSizeInGB: 30,
      },
    });
    const result = await handle(attach({ ExpectCompressed: 'true' }));
    expect(result).toMatchObject({
      physicalResourceId: 'their-job',
      data: { TrainingJobName: 'their-job', InstanceType: 'ml.p4d.24xlarge' },
      reason: 'Training job their-job trained on ml.p4d.24xlarge',
    });
  });

  test("a compressed job's model is its model.tar.gz, as SageMaker reports it", async () => {
    sagemaker
      .on(DescribeTrainingJobCommand)
      .resolves(completed('their-job', 'GZIP', 's3://b/out/their-job/output/model.tar.gz'));
    const result = await handle(attach({ ExpectCompressed: 'true' }));
    expect(result.data).toMatchObject({ ModelArtifactsUri: 's3://b/out/their-job/output/model.tar.gz' });
  });

  test('an uncompressed job expected compressed is refused, naming the setting', async () => {
    sagemaker.on(DescribeTrainingJobCommand).resolves({
      TrainingJobStatus: 'Completed',
      OutputDataConfig: { S3OutputPath: 's3://b/out', CompressionType: 'NONE' },
      ModelArtifacts: { S3ModelArtifacts: 's3://b/out/their-job/output/model' },
    });
    await expect(handle(attach({ ExpectCompressed: 'true' }))).rejects.toThrow(/outputCompressed: false/);
  });

  test('refuses a job still training', async () => {
    sagemaker.on(DescribeTrainingJobCommand).resolves({ TrainingJobStatus: 'InProgress' });
    await expect(handle(attach())).rejects.toThrow(
      'Training job their-job is InProgress, not Completed: there is no model to serve yet.',
    );
  });

  test('refuses a job that does not exist', async () => {
    sagemaker.on(DescribeTrainingJobCommand).rejects(notFound);
    await expect(handle(attach())).rejects.toThrow('Training job their-job does not exist in this account and region.');
  });

  test('refuses a compression other than the one expected', async () => {
    sagemaker.on(DescribeTrainingJobCommand).resolves({
      TrainingJobStatus: 'Completed',
      OutputDataConfig: { S3OutputPath: 's3://b/out', CompressionType: 'GZIP' },
      ModelArtifacts: { S3ModelArtifacts: 's3://b/out/their-job/output/model.tar.gz' },
    });
    await expect(handle(attach({ ExpectCompressed: 'false' }))).rejects.toThrow(
      /wrote a compressed model.tar.gz; attach it with outputCompressed: true/,
    );
  });
});
