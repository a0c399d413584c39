import { CustomResource, Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IDependable } from 'constructs';
import { throwIfProblems } from '../../config/configuration-error';
import { booleanProblem, sageMakerNameProblem } from '../../config/input-checks';
import type { AttachedJobProperties } from '../../handlers/shared/training-request';
import { DEFAULT_MODEL_ID, findModel } from '../../models/catalogue';
import type { FineTuningJobAttributes, IAttachedTrainingJob } from '../fine-tuning-job';
import { handlerFunction } from '../handler-function';
import { grantReadModelObjects } from './s3-read-grants';
import { trainingJobArn } from './training-wait';

/** An existing, completed training job, described at deploy time (the walkthrough's `attach`). */
export class AttachedTrainingJob extends Construct implements IAttachedTrainingJob {
  public readonly trainingJobName: string;
  public readonly trainingJobArn: string;
  public readonly modelArtifactsUri: string;
  public readonly outputCompressed: boolean;
  public readonly modelId: string;
  public readonly trainingComplete: IDependable;
  private readonly job: CustomResource;

  constructor(scope: Construct, id: string, attrs: FineTuningJobAttributes) {
    super(scope, id);
    throwIfProblems([
      sageMakerNameProblem('trainingJobName', attrs.trainingJobName),
      booleanProblem('outputCompressed', attrs.outputCompressed),
    ]);
    const model = findModel(attrs.modelId ?? DEFAULT_MODEL_ID);
    const fn = handlerFunction(this, 'training-job', 'Starts, stops and describes the SageMaker fine-tuning job');
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['sagemaker:DescribeTrainingJob'],
        resources: [trainingJobArn(this, attrs.trainingJobName)],
      }),
    );
    this.outputCompressed = attrs.outputCompressed ?? !model.training.disableOutputCompression;
    const properties: AttachedJobProperties = {
      TrainingJobName: attrs.trainingJobName,
      ExpectCompressed: String(this.outputCompressed),
    };
    const job = new CustomResource(this, 'Resource', {
      resourceType: 'Custom::SageMakerTrainingJob',
      serviceToken: fn.functionArn,
      serviceTimeout: Duration.minutes(5),
      properties,
    });
    job.node.addDependency(fn.role!);
    this.job = job;
    this.trainingJobName = attrs.trainingJobName;
    this.trainingJobArn = job.getAttString('TrainingJobArn');
    this.modelArtifactsUri = job.getAttString('ModelArtifactsUri');
    this.modelId = model.modelId;
    this.trainingComplete = job;
  }

  /** Read on the model SageMaker reports for the job, in the bucket its output went to, and nothing else. */
  public grantReadModel(grantee: iam.IGrantable): iam.Grant {
    return grantReadModelObjects(grantee, this.job.getAttString('ModelBucket'), this.job.getAttString('ModelKey'));
  }
}
