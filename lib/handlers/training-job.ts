/**
 * Custom resource `Custom::SageMakerTrainingJob`: starts the fine-tuning job
 * (waiting for it is the wait condition's job), stops it on delete, and
 * describes an existing job to attach to.
 */
import {
  AddTagsCommand,
  CreateTrainingJobCommand,
  DescribeTrainingJobCommand,
  DescribeTrainingJobResponse,
  SageMakerClient,
  StopTrainingJobCommand,
} from '@aws-sdk/client-sagemaker';
import { CustomResourceEvent, CustomResourceResult, putJson, respond } from './shared/cfn-response';
import {
  AttachedJobProperties,
  FINISHED,
  TrainingJobAttributes,
  TrainingJobProperties,
  createTrainingJobRequest,
  modelArtifactsUri,
  trainingJobName,
  userTags,
} from './shared/training-request';
import { SUPERSEDED, WAIT_OWNER_TAG, waitOwner } from './shared/wait-ownership';
import { signalFor } from './shared/wait-signal';

// Throttling and transient errors are retried with backoff by the SDK.
const sagemaker = new SageMakerClient({ maxAttempts: 10, retryMode: 'adaptive' });

/**
 * A name is reused when its job still runs or produced a model; jobs that ended without one
 * are retried under a new name.
 */
const REUSABLE = ['InProgress', 'Completed'];
const MAX_ATTEMPTS = 20;

/** The Lambda runtime sets AWS_REGION; read when called, so tests can set it. */
const region = () => process.env.AWS_REGION ?? 'us-east-1';

/** An SDK error of one of these names (the SDK throws named Errors). */
const isNamed = (error: unknown, ...names: string[]) => error instanceof Error && names.includes(error.name);

async function describe(name: string): Promise<DescribeTrainingJobResponse | undefined> {
  try {
    return await sagemaker.send(new DescribeTrainingJobCommand({ TrainingJobName: name }));
  } catch (error) {
    if (isNamed(error, 'ValidationException', 'ResourceNotFound')) return undefined;
    throw error;
  }
}

function result(
  job: { TrainingJobName?: string; TrainingJobArn?: string },
  outputPath: string,
  compressed: boolean,
  status: string,
): Result {
  const name = job.TrainingJobName!;
  return {
    physicalResourceId: name,
    // CloudFormation shows this while the deploy waits for training.
    reason: `Training job ${name} is ${status}; follow it at https://${region()}.console.aws.amazon.com/sagemaker/home?region=${region()}#/jobs/${name}`,
    data: {
      TrainingJobName: name,
      TrainingJobArn: job.TrainingJobArn ?? '',
      ModelArtifactsUri: modelArtifactsUri(outputPath, name, compressed),
    },
  };
}

async function setOwner(jobArn: string, owner: string, tags: { Key: string; Value: string }[] = []): Promise<void> {
  await sagemaker.send(
    new AddTagsCommand({ ResourceArn: jobArn, Tags: [...tags, { Key: WAIT_OWNER_TAG, Value: owner }] }),
  );
}

/**
 * Takes over a job this wait's inputs already started (a CloudFormation retry, or a
 * redeploy after a rollback made a new wait for it): the job is tagged as this wait's,
 * and a job that has already ended, which will send no more events, is signalled here.
 */
async function adopt(
  job: DescribeTrainingJobResponse,
  props: TrainingJobProperties,
): Promise<DescribeTrainingJobResponse> {
  // The construct's tags as they are now, too: a changed tag tags the same job.
  await setOwner(job.TrainingJobArn!, waitOwner(props.WaitId), userTags(props));
  // Described again after tagging: a job that ended in between sent its last event to the old owner.
  const current = job.TrainingJobStatus === 'Completed' ? job : ((await describe(job.TrainingJobName!)) ?? job);
  const signal = signalFor({
    ...current,
    TrainingJobName: current.TrainingJobName!,
    TrainingJobStatus: current.TrainingJobStatus!,
  });
  if (signal) {
    // The first wait's handle; each later one is signalled by its segment resource when it is created.
    await putJson(props.WaitHandleUrl, signal);
    console.log(JSON.stringify({ signalled: current.TrainingJobName, status: current.TrainingJobStatus }));
  }
  return current;
}

async function start(event: CustomResourceEvent<TrainingJobProperties>): Promise<Result> {
  const props = event.ResourceProperties;
  const compressed = props.DisableOutputCompression !== 'true';
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const name = trainingJobName(props.JobNamePrefix, event.StackId, attempt);
    const existing = await describe(name);
    if (existing && REUSABLE.includes(existing.TrainingJobStatus ?? '')) {
      const job = await adopt(existing, props);
      console.log(JSON.stringify({ reused: name, status: job.TrainingJobStatus }));
      return result(job, props.OutputPath, compressed, job.TrainingJobStatus!);
    }
    if (existing) {
      // Given up on: a late "Stopped" event of this attempt must not fail the wait of the next.
      await setOwner(existing.TrainingJobArn!, SUPERSEDED);
      continue;
    }
    const created = await sagemaker.send(new CreateTrainingJobCommand(createTrainingJobRequest(props, name, region())));
    console.log(JSON.stringify({ started: name }));
    return result(
      { TrainingJobName: name, TrainingJobArn: created.TrainingJobArn },
      props.OutputPath,
      compressed,
      'InProgress',
    );
  }
  throw new Error(
    `${MAX_ATTEMPTS} jobs named ${props.JobNamePrefix}-* already ended without a model; change a training input to start afresh.`,
  );
}

async function attach(event: CustomResourceEvent<AttachedJobProperties>): Promise<Result> {
  const name = event.ResourceProperties.TrainingJobName;
  const job = await describe(name);
  if (!job) throw new Error(`Training job ${name} does not exist in this account and region.`);
  if (job.TrainingJobStatus !== 'Completed') {
    throw new Error(`Training job ${name} is ${job.TrainingJobStatus}, not Completed: there is no model to serve yet.`);
  }
  const compressed = job.OutputDataConfig?.CompressionType !== 'NONE';
  const expected = event.ResourceProperties.ExpectCompressed;
  if (expected !== undefined && expected !== String(compressed)) {
    throw new Error(
      `Training job ${name} wrote ${compressed ? 'a compressed model.tar.gz' : 'an uncompressed model prefix'}; ` +
        `attach it with outputCompressed: ${compressed}.`,
    );
  }
  const artifacts =
    job.ModelArtifacts?.S3ModelArtifacts ?? modelArtifactsUri(job.OutputDataConfig!.S3OutputPath!, name, compressed);
  return {
    physicalResourceId: name,
    data: {
      TrainingJobName: name,
      TrainingJobArn: job.TrainingJobArn ?? '',
      ModelArtifactsUri: compressed || artifacts.endsWith('/') ? artifacts : `${artifacts}/`,
    },
  };
}

async function stop(event: TrainingJobEvent): Promise<Result> {
  const name = event.PhysicalResourceId!;
  const job = name.startsWith('failed-') ? undefined : await describe(name);
  if (job && !FINISHED.includes(job.TrainingJobStatus ?? '') && job.TrainingJobStatus !== 'Stopping') {
    try {
      await sagemaker.send(new StopTrainingJobCommand({ TrainingJobName: name }));
      console.log(JSON.stringify({ stopped: name }));
    } catch (error) {
      // It finished between describe and stop: nothing left to stop.
      if (!isNamed(error, 'ValidationException')) throw error;
    }
  }
  return { physicalResourceId: name };
}

/** The construct starts a job (FineTuningJob) or attaches to one (FineTuningJob.attach). */
type TrainingJobEvent = CustomResourceEvent<TrainingJobProperties | AttachedJobProperties>;
type Result = CustomResourceResult<Partial<TrainingJobAttributes>>;

function isAttach(event: TrainingJobEvent): event is CustomResourceEvent<AttachedJobProperties> {
  return 'TrainingJobName' in event.ResourceProperties;
}

export async function handle(event: TrainingJobEvent): Promise<Result> {
  if (event.RequestType === 'Delete') {
    // An attached job belongs to someone else: leave it alone.
    return isAttach(event) ? { physicalResourceId: event.PhysicalResourceId! } : stop(event);
  }
  return isAttach(event) ? attach(event) : start(event as CustomResourceEvent<TrainingJobProperties>);
}

export const handler = (event: TrainingJobEvent) => respond(event, handle);
