/**
 * One AWS account as the handlers see it, with IAM enforced: SageMaker's training jobs (kept in
 * memory), CloudFormation's list of a stack's wait handles and EventBridge's DisableRule, each
 * call authorized against the identity policies in force for the function making it. A call
 * any of them denies fails with AccessDeniedException, as AWS fails it, and is recorded.
 */
import { CloudFormationClient, ListStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import { DisableRuleCommand, EventBridgeClient } from '@aws-sdk/client-eventbridge';
import {
  AddTagsCommand,
  CreateTrainingJobCommand,
  DescribeTrainingJobCommand,
  ListTagsCommand,
  SageMakerClient,
  StopTrainingJobCommand,
  Tag,
  TrainingJobStatus,
} from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import { Statement, isAllowed } from './deployed-template';

export interface FakeJob {
  readonly TrainingJobName: string;
  readonly TrainingJobArn: string;
  TrainingJobStatus: TrainingJobStatus;
  SecondaryStatus: string;
  FailureReason?: string;
  readonly CreationTime: Date;
  readonly HyperParameters: Record<string, string>;
  Tags: Tag[];
}

const awsError = (name: string, message: string) => Object.assign(new Error(message), { name });

export class FakeAccount {
  public readonly jobs = new Map<string, FakeJob>();
  /** Every call a policy in force denied: `<action> on <resource>`. */
  public readonly denied: string[] = [];
  public readonly disabledRules: string[] = [];
  /** The stack's wait condition handles as ListStackResources lists them: logical id to URL. */
  public readonly handles = new Map<string, string>();
  private policies: Statement[][] = [];

  constructor(
    private readonly region: string,
    private readonly account: string,
  ) {
    const sagemaker = mockClient(SageMakerClient);
    sagemaker.on(DescribeTrainingJobCommand).callsFake(({ TrainingJobName }) => {
      this.authorize('sagemaker:DescribeTrainingJob', this.jobArn(TrainingJobName));
      const job = this.jobs.get(TrainingJobName);
      if (!job) throw awsError('ValidationException', 'Requested resource not found.');
      return { ...job, Tags: undefined };
    });
    sagemaker.on(CreateTrainingJobCommand).callsFake((request) => {
      const arn = this.jobArn(request.TrainingJobName);
      this.authorize('sagemaker:CreateTrainingJob', arn);
      // Tags given at creation need AddTags too.
      if (request.Tags?.length) this.authorize('sagemaker:AddTags', arn);
      this.authorize('iam:PassRole', request.RoleArn, { 'iam:PassedToService': 'sagemaker.amazonaws.com' });
      if (this.jobs.has(request.TrainingJobName)) {
        throw awsError('ResourceInUse', 'Training job names must be unique within an AWS account and region');
      }
      this.jobs.set(request.TrainingJobName, {
        TrainingJobName: request.TrainingJobName,
        TrainingJobArn: arn,
        TrainingJobStatus: 'InProgress',
        SecondaryStatus: 'Starting',
        CreationTime: new Date(),
        HyperParameters: request.HyperParameters ?? {},
        Tags: [...(request.Tags ?? [])],
      });
      return { TrainingJobArn: arn };
    });
    sagemaker.on(StopTrainingJobCommand).callsFake(({ TrainingJobName }) => {
      this.authorize('sagemaker:StopTrainingJob', this.jobArn(TrainingJobName));
      const job = this.jobs.get(TrainingJobName);
      if (job?.TrainingJobStatus !== 'InProgress') throw awsError('ValidationException', 'The job is not in progress');
      job.TrainingJobStatus = 'Stopping';
      job.SecondaryStatus = 'Stopping';
      return {};
    });
    sagemaker.on(AddTagsCommand).callsFake(({ ResourceArn, Tags }) => {
      this.authorize('sagemaker:AddTags', ResourceArn);
      const job = this.byArn(ResourceArn);
      job.Tags = [...job.Tags.filter((t) => !Tags.some((n: Tag) => n.Key === t.Key)), ...Tags];
      return { Tags };
    });
    sagemaker.on(ListTagsCommand).callsFake(({ ResourceArn }) => {
      this.authorize('sagemaker:ListTags', ResourceArn);
      return { Tags: this.byArn(ResourceArn).Tags };
    });
    mockClient(CloudFormationClient)
      .on(ListStackResourcesCommand)
      .callsFake(({ StackName }) => {
        this.authorize('cloudformation:ListStackResources', StackName);
        return {
          StackResourceSummaries: [...this.handles].map(([LogicalResourceId, PhysicalResourceId]) => ({
            LogicalResourceId,
            PhysicalResourceId,
            ResourceType: 'AWS::CloudFormation::WaitConditionHandle',
            ResourceStatus: 'CREATE_COMPLETE',
          })),
        };
      });
    mockClient(EventBridgeClient)
      .on(DisableRuleCommand)
      .callsFake(({ Name }) => {
        this.authorize('events:DisableRule', `arn:aws:events:${this.region}:${this.account}:rule/${Name}`);
        this.disabledRules.push(Name);
        return {};
      });
  }

  /**
   * Runs a handler as a function whose permissions are each of `policies`: a phase in which
   * CloudFormation may have put either the old or the new policy in force must work under both.
   */
  public async as<T>(policies: Statement[][], call: () => Promise<T>): Promise<T> {
    this.policies = policies;
    try {
      return await call();
    } finally {
      this.policies = [];
    }
  }

  /** SageMaker ends a job. */
  public end(name: string, status: 'Completed' | 'Failed' | 'Stopped', failureReason?: string): FakeJob {
    const job = this.jobs.get(name)!;
    job.TrainingJobStatus = status;
    job.SecondaryStatus = status;
    job.FailureReason = failureReason;
    return job;
  }

  /** The job's "SageMaker Training Job State Change" event detail. */
  public stateChange(name: string) {
    const { TrainingJobName, TrainingJobArn, TrainingJobStatus, SecondaryStatus, FailureReason } = this.jobs.get(name)!;
    return { TrainingJobName, TrainingJobArn, TrainingJobStatus, SecondaryStatus, FailureReason };
  }

  public jobArn(name: string): string {
    return `arn:aws:sagemaker:${this.region}:${this.account}:training-job/${name.toLowerCase()}`;
  }

  private byArn(arn: string): FakeJob {
    const job = [...this.jobs.values()].find((j) => j.TrainingJobArn === arn);
    if (!job) throw awsError('ResourceNotFound', `${arn} not found`);
    return job;
  }

  private authorize(action: string, resource: string, context: Record<string, string> = {}): void {
    if (this.policies.length === 0) throw new Error(`${action} called outside a handler's phase`);
    if (this.policies.every((statements) => isAllowed(statements, action, resource, context))) return;
    this.denied.push(`${action} on ${resource}`);
    throw awsError('AccessDeniedException', `not authorized to perform: ${action} on resource: ${resource}`);
  }
}
