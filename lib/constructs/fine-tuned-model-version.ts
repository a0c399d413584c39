import { RemovalPolicy } from 'aws-cdk-lib';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { Construct } from 'constructs';
import { FineTuningJob, IFineTuningJob } from './fine-tuning-job';
import { JumpStartModelArtifacts } from './jumpstart-model-artifacts';
import type { IModelRegistry, ModelApprovalStatus } from './model-registry';
import { fineTunedModelData, modelDataFields } from './private/model-data';
import { configurationError, throwIfProblems } from '../config/configuration-error';
import { S3UriForm, s3UriProblem } from '../config/input-checks';
import { showValue } from '../config/show-value';
import { DEFAULT_MODEL_ID, findModel } from '../models/catalogue';

/** What a version records: the model to serve and where it came from. */
export interface FineTunedModelVersionOptions {
  /**
   * The training job whose model to register (new, or attached with FineTuningJob.attach).
   * @default - give modelArtifactsUri instead
   */
  readonly trainingJob?: IFineTuningJob;
  /**
   * s3:// location of a fine-tuned model to register: a `model.tar.gz`, or a prefix ending in `/`.
   * @default - the training job's model
   */
  readonly modelArtifactsUri?: string;
  /**
   * JumpStart model id the model was fine-tuned from.
   * @default - the training job's, else 'meta-textgeneration-llama-3-8b'
   */
  readonly modelId?: string;
  /**
   * The model's JumpStart artifacts: the inference image and environment the version records.
   * @default - resolved for this model and hostingInstanceType
   */
  readonly artifacts?: JumpStartModelArtifacts;
  /**
   * The hosting instance type the version's environment is made for (its tensor parallel degree);
   * recorded as the version's supported real-time instance type.
   * @default - the artifacts' hosting instance type, else the model's default
   */
  readonly hostingInstanceType?: string;
  /**
   * Approval status the version is created with. A person's approval later (console, CLI) is not
   * undone by later deploys: the status is only part of the template when given here.
   * @default - none sent: SageMaker's default for a new version, which is not Approved
   */
  readonly approvalStatus?: ModelApprovalStatus;
}

/** Props of FineTunedModelVersion. */
export interface FineTunedModelVersionProps extends FineTunedModelVersionOptions {
  /** The group the version joins. */
  readonly registry: IModelRegistry;
}

/**
 * One version of a fine-tuned model in a model registry group: the inference image and environment
 * JumpStart serves it with, the model artifacts, and where they came from (training job, hub
 * version, data). A new model (a new training job) makes a new version; the old one is kept.
 */
export class FineTunedModelVersion extends Construct {
  /** The model package. */
  public readonly modelPackage: sagemaker.CfnModelPackage;
  /** The version's ARN: what a serving stack's `modelPackageArn` takes once the version is approved. */
  public readonly modelPackageArn: string;

  constructor(scope: Construct, id: string, props: FineTunedModelVersionProps) {
    super(scope, id);
    checkVersionProps(props);
    const { uri: modelArtifactsUri, compressed } = fineTunedModelData(props);
    const model = findModel(props.modelId ?? props.trainingJob?.modelId ?? DEFAULT_MODEL_ID);
    const hostingInstanceType =
      props.hostingInstanceType ?? props.artifacts?.hostingInstanceType ?? model.hosting.defaultInstanceType;
    const artifacts =
      props.artifacts ??
      new JumpStartModelArtifacts(this, 'Artifacts', { modelId: model.modelId, hostingInstanceType });
    if (artifacts.modelId !== model.modelId || artifacts.hostingInstanceType !== hostingInstanceType) {
      throw configurationError([
        `artifacts were resolved for ${artifacts.modelId} on ${artifacts.hostingInstanceType}, but the version registers ` +
          `${model.modelId} for ${hostingInstanceType}. Fix: pass artifacts resolved for the same model and hosting instance type, or leave artifacts out.`,
      ]);
    }
    const source = props.trainingJob ? `training job ${props.trainingJob.trainingJobName}` : modelArtifactsUri;
    this.modelPackage = new sagemaker.CfnModelPackage(this, 'Resource', {
      modelPackageGroupName: props.registry.modelPackageGroupName,
      // Create-only, like the inference specification: a new model makes a new version.
      modelPackageDescription: `${model.displayName}, fine-tuned: ${source}`,
      domain: 'NATURAL_LANGUAGE_PROCESSING',
      task: 'TEXT_GENERATION',
      modelApprovalStatus: props.approvalStatus,
      inferenceSpecification: {
        containers: [
          {
            image: artifacts.hostingImageUri,
            environment: artifacts.hostingEnvironment,
            ...modelDataFields(modelArtifactsUri, compressed),
          },
        ],
        supportedContentTypes: ['application/json'],
        supportedResponseMimeTypes: ['application/json'],
        supportedRealtimeInferenceInstanceTypes: [hostingInstanceType],
      },
      customerMetadataProperties: {
        'jumpstart-model-id': model.modelId,
        'jumpstart-hub-content-version': artifacts.hubContentVersion,
        'model-data': modelArtifactsUri,
        ...(props.trainingJob ? { 'training-job-name': props.trainingJob.trainingJobName } : {}),
        // An attached job's data is SageMaker's record, not this app's.
        ...(props.trainingJob instanceof FineTuningJob ? { 'training-data': props.trainingJob.trainingDataUri } : {}),
      },
      tags: [
        { key: 'sagemaker-sdk:jumpstart-model-id', value: model.modelId },
        { key: 'sagemaker-sdk:jumpstart-model-version', value: artifacts.hubContentVersion },
      ],
    });
    // A version is a record of what was trained and approved: a replacement (a new model) or the
    // stack's deletion leaves it in the registry.
    this.modelPackage.applyRemovalPolicy(RemovalPolicy.RETAIN);
    // The model exists only once training has completed.
    if (props.trainingJob) this.modelPackage.node.addDependency(props.trainingJob.trainingComplete);
    this.modelPackageArn = this.modelPackage.attrModelPackageArn;
  }
}

/** SageMaker's limit on a customer metadata value. */
const METADATA_VALUE_LENGTH = 256;

function checkVersionProps(props: FineTunedModelVersionProps): void {
  if (!props.trainingJob === !props.modelArtifactsUri) {
    throw configurationError([
      'FineTunedModelVersion needs exactly one of trainingJob and modelArtifactsUri; ' +
        `given: ${props.trainingJob ? 'both' : 'neither'}. Fix: pass the FineTuningJob, or the s3:// location of a fine-tuned model.`,
    ]);
  }
  const status: unknown = props.approvalStatus;
  throwIfProblems([
    props.registry === undefined
      ? `registry is ${showValue(props.registry)}; allowed: a ModelRegistry. Fix: pass the group the version joins.`
      : undefined,
    props.modelArtifactsUri === undefined
      ? undefined
      : s3UriProblem('modelArtifactsUri', props.modelArtifactsUri, S3UriForm.MODEL),
    typeof props.modelArtifactsUri === 'string' && props.modelArtifactsUri.length > METADATA_VALUE_LENGTH
      ? `modelArtifactsUri is ${props.modelArtifactsUri.length} characters long; allowed: up to ${METADATA_VALUE_LENGTH} ` +
        "(SageMaker's limit on a version's metadata value, where it is recorded). Fix: use a shorter location."
      : undefined,
    status === undefined || ['PendingManualApproval', 'Approved', 'Rejected'].includes(status as string)
      ? undefined
      : `approvalStatus is ${showValue(status)}; allowed: "PendingManualApproval", "Approved" or "Rejected" ` +
        '(ModelApprovalStatus.PENDING_MANUAL_APPROVAL, APPROVED, REJECTED). ' +
        "Fix: pass one of these, or leave it out for SageMaker's default (not approved).",
  ]);
}
