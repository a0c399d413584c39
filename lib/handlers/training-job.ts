/**
 * Custom resource `Custom::SageMakerTrainingJob`: starts the fine-tuning job
 * (waiting for it is the wait condition's job), stops it on delete, and
 * describes an existing job to attach to.
 */
import {
  AddTagsCommand,
  CreateTrainingJobCommand,
  DescribeTrainingJobResponse,
  DescribeTrainingPlanCommand,
  SageMakerClient,
  StopTrainingJobCommand,
} from '@aws-sdk/client-sagemaker';
import { CustomResourceEvent, CustomResourceResult, respond } from './shared/cfn-response';
import { signalFor, signalHandle } from './shared/wait-signal';
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
import { describeTrainingJob } from './shared/describe-job';
import { trainingPlanProblem } from './shared/training-plan';

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

const describe = (name: string) => describeTrainingJob(sagemaker, name);

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
 * Takes over the job this wait's inputs already started (a CloudFormation retry, a redeploy
 * after a rollback made a new wait for it, a rollback to it, a change of tags): the job is
 * tagged as this wait's, and a job that has already ended, which will send no more events, is
 * signalled here if its wait may be pending. Returns the job as it is now.
 */
async function adopt(
  job: DescribeTrainingJobResponse,
  props: TrainingJobProperties,
  waitPending: boolean,
): Promise<DescribeTrainingJobResponse> {
  // The construct's tags as they are now, too: a changed tag tags the same job.
  await setOwner(job.TrainingJobArn!, waitOwner(props.WaitId), userTags(props));
  // Described again after tagging: a job that ended in between sent its last event to the old owner.
  const current = job.TrainingJobStatus === 'Completed' ? job : ((await describe(job.TrainingJobName!)) ?? job);
  const signal = signalFor({
    ...current,
    TrainingJobName: current.TrainingJobName!,
    TrainingJobStatus: current.TrainingJobStatus ?? '',
  });
  if (!signal) return current;
  if (!props.WaitHandleUrl) {
    console.log(
      JSON.stringify({ notSignalled: current.TrainingJobName, why: 'this deploy does not wait for training' }),
    );
  } else if (!waitPending) {
    console.log(JSON.stringify({ notSignalled: current.TrainingJobName, why: 'its wait ended in an earlier deploy' }));
  } else if (await signalHandle(props.WaitHandleUrl, signal)) {
    // The first wait's handle; each later one is signalled by its segment resource when it is created.
    console.log(JSON.stringify({ signalled: current.TrainingJobName, status: current.TrainingJobStatus }));
  }
  return current;
}

/**
 * Whether the first wait of this resource's handle may still be pending. A wait condition is
 * created after this resource, once per handle: an update that keeps the handle (a change of
 * tags, of a value the hub resolved) comes after the deploy that created its wait and saw it
 * end. (Only updates carry old properties.)
 */
function waitMayBePending(event: CustomResourceEvent<TrainingJobProperties>): boolean {
  return event.OldResourceProperties?.WaitHandleUrl !== event.ResourceProperties.WaitHandleUrl;
}

/** A plan the job cannot run on to its end fails the deploy before the job exists, with the plan's own dates. */
async function checkTrainingPlan(props: TrainingJobProperties): Promise<void> {
  // DescribeTrainingPlan takes the plan's name, the last part of its ARN.
  const TrainingPlanName = props.TrainingPlanArn!.split('/').pop();
  const plan = await sagemaker.send(new DescribeTrainingPlanCommand({ TrainingPlanName }));
  const problem = trainingPlanProblem(
    plan,
    {
      instanceType: props.InstanceType,
      instanceCount: Number(props.InstanceCount),
      maxRuntimeSeconds: Number(props.MaxRuntimeInSeconds),
      waitSeconds: Number(props.WaitSeconds),
    },
    new Date(),
  );
  if (problem) throw new Error(problem);
}

async function start(event: CustomResourceEvent<TrainingJobProperties>): Promise<Result> {
  const props = event.ResourceProperties;
  const compressed = props.DisableOutputCompression !== 'true';
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const name = trainingJobName(props.JobNamePrefix, props.InputsHash, event.StackId, attempt);
    const existing = await describe(name);
    if (existing && REUSABLE.includes(existing.TrainingJobStatus ?? '')) {
      const job = await adopt({ ...existing, TrainingJobName: name }, props, waitMayBePending(event));
      console.log(JSON.stringify({ reused: name, status: job.TrainingJobStatus }));
      return result({ ...job, TrainingJobName: name }, props.OutputPath, compressed, job.TrainingJobStatus!);
    }
    if (existing) {
      // Given up on: a late "Stopped" event of this attempt must not fail the wait of the next.
      await setOwner(existing.TrainingJobArn!, SUPERSEDED);
      continue;
    }
    if (props.TrainingPlanArn) await checkTrainingPlan(props);
    const created = await sagemaker.send(new CreateTrainingJobCommand(createTrainingJobRequest(props, name, region())));
    console.log(JSON.stringify({ started: name }));
    return result(
      { TrainingJobName: name, TrainingJobArn: created.TrainingJobArn },
      props.OutputPath,
      compressed,
      'InProgress',
    );
  }
  const first = trainingJobName(props.JobNamePrefix, props.InputsHash, event.StackId, 1);
  throw new Error(
    `${MAX_ATTEMPTS} jobs of these training inputs (${first}, ${first}-2, ... ${first}-${MAX_ATTEMPTS}) already ended ` +
      'without a model; change a training input, or the training run id, to start afresh.',
  );
}

async function attach(event: CustomResourceEvent<AttachedJobProperties>): Promise<Result> {
  const name = event.ResourceProperties.TrainingJobName;
  const job = await describe(name);
  if (!job) throw new Error(`Training job ${name} does not exist in this account and region.`);
  if (job.TrainingJobStatus !== 'Completed') {
    throw new Error(`Training job ${name} is ${job.TrainingJobStatus}, not Completed: there is no model to serve yet.`);
  }
  // DescribeTrainingJob always returns OutputDataConfig, ModelArtifacts (once completed) and ResourceConfig.
  const compressed = job.OutputDataConfig!.CompressionType !== 'NONE';
  if (event.ResourceProperties.ExpectCompressed !== String(compressed)) {
    throw new Error(
      `Training job ${name} wrote ${compressed ? 'a compressed model.tar.gz' : 'an uncompressed model prefix'}; ` +
        `attach it with outputCompressed: ${compressed}.`,
    );
  }
  const artifacts = job.ModelArtifacts!.S3ModelArtifacts!;
  const modelUri = compressed || artifacts.endsWith('/') ? artifacts : `${artifacts}/`;
  // SageMaker reports an s3:// URI: the bucket, then the key.
  const [bucket, ...key] = modelUri.slice('s3://'.length).split('/');
  // A job with instance preferences names no type of its own: SageMaker reports the one it chose.
  const instanceType = job.ResourceConfig!.SelectedInstanceType ?? job.ResourceConfig!.InstanceType!;
  return {
    physicalResourceId: name,
    data: {
      TrainingJobName: name,
      TrainingJobArn: job.TrainingJobArn ?? '',
      ModelArtifactsUri: modelUri,
      // Where the model is, for a read grant on it alone.
      ModelBucket: bucket,
      ModelKey: key.join('/'),
      InstanceType: instanceType,
    },
    reason: `Training job ${name} trained on ${instanceType}`,
  };
}

async function stop(event: CustomResourceEvent<TrainingJobProperties>): Promise<Result> {
  const name = event.PhysicalResourceId!;
  const job = name.startsWith('failed-') ? undefined : await describe(name);
  if (!job || FINISHED.includes(job.TrainingJobStatus ?? '') || job.TrainingJobStatus === 'Stopping') {
    return { physicalResourceId: name };
  }
  try {
    await sagemaker.send(new StopTrainingJobCommand({ TrainingJobName: name }));
    console.log(JSON.stringify({ stopped: name }));
  } catch (error) {
    // It finished between describe and stop: nothing left to stop.
    if (!isNamed(error, 'ValidationException')) throw error;
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
    return isAttach(event)
      ? { physicalResourceId: event.PhysicalResourceId! }
      : stop(event as CustomResourceEvent<TrainingJobProperties>);
  }
  return isAttach(event) ? attach(event) : start(event as CustomResourceEvent<TrainingJobProperties>);
}

export const handler = (event: TrainingJobEvent) => respond(event, handle);
