import { CustomResource, Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { handlerFunction } from './handler-function';
import { acknowledgeWildcardResources } from './nag-acknowledgements';
import { throwIfProblems } from '../config/configuration-error';
import { hubContentVersionProblem } from '../config/input-checks';
import type { HubArtifactsProperties } from '../handlers/shared/hub-content';

const DEFAULT_INSTANCE_TYPE = 'ml.g5.12xlarge';

/** Props of JumpStartModelArtifacts. */
export interface JumpStartModelArtifactsProps {
  /** JumpStart model id, e.g. `meta-textgeneration-llama-3-8b`. */
  readonly modelId: string;
  /**
   * Hub content version to resolve.
   * @default - the newest version at the first deploy; it stays resolved until a prop here changes
   */
  readonly hubContentVersion?: string;
  /**
   * Training instance type; the training image and gated weights are per instance family.
   * @default 'ml.g5.12xlarge'
   */
  readonly trainingInstanceType?: string;
  /**
   * Hosting instance type; the hosting image is per instance family.
   * @default 'ml.g5.12xlarge'
   */
  readonly hostingInstanceType?: string;
}

/**
 * The region's JumpStart artifacts for a model, resolved at deploy time from
 * SageMaker's public model hub (`DescribeHubContent` on `SageMakerPublicHub`).
 * A custom resource runs only when its props change, so redeploys reuse what
 * the first deploy resolved.
 */
export class JumpStartModelArtifacts extends Construct {
  /** Training image URI (Hugging Face PyTorch training DLC). */
  public readonly trainingImageUri: string;
  /** s3:// URI of JumpStart's training script tarball. */
  public readonly trainingScriptUri: string;
  /** s3:// URI of the gated base weights for the training instance family. */
  public readonly gatedWeightsUri: string;
  /** Hosting image URI (DJL LMI). */
  public readonly hostingImageUri: string;
  /** The hub content version resolved. */
  public readonly hubContentVersion: string;
  /**
   * The hub content version asked for.
   * @default - none: the newest at the first deploy
   */
  public readonly requestedHubContentVersion?: string;
  /** JumpStart model id the artifacts are for. */
  public readonly modelId: string;
  /** Training instance type the gated weights were chosen for (they differ by instance family). */
  public readonly trainingInstanceType: string;
  /** Hosting instance type the inference image was chosen for. */
  public readonly hostingInstanceType: string;

  constructor(scope: Construct, id: string, props: JumpStartModelArtifactsProps) {
    super(scope, id);
    throwIfProblems([hubContentVersionProblem('hubContentVersion', props.hubContentVersion)]);
    this.requestedHubContentVersion = props.hubContentVersion;
    this.modelId = props.modelId;
    this.trainingInstanceType = props.trainingInstanceType ?? DEFAULT_INSTANCE_TYPE;
    this.hostingInstanceType = props.hostingInstanceType ?? DEFAULT_INSTANCE_TYPE;
    const stack = Stack.of(this);
    const fn = handlerFunction(
      this,
      'resolve-hub-content',
      'Resolves JumpStart model artifacts from the SageMaker public hub',
    );
    const modelVersions = stack.formatArn({
      service: 'sagemaker',
      account: 'aws',
      resource: 'hub-content',
      resourceName: `SageMakerPublicHub/Model/${props.modelId}/*`,
    });
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['sagemaker:DescribeHubContent'],
        resources: [
          stack.formatArn({
            service: 'sagemaker',
            account: 'aws',
            resource: 'hub',
            resourceName: 'SageMakerPublicHub',
          }),
          modelVersions,
        ],
      }),
    );
    acknowledgeWildcardResources(
      fn.role!,
      [modelVersions],
      `Read-only: the versions of ${props.modelId} in SageMaker's public hub.`,
    );
    const resource = new CustomResource(this, 'Resource', {
      resourceType: 'Custom::JumpStartModelArtifacts',
      serviceToken: fn.functionArn,
      serviceTimeout: Duration.minutes(5),
      properties: {
        ModelId: props.modelId,
        HubContentVersion: props.hubContentVersion ?? '',
        TrainingInstanceType: this.trainingInstanceType,
        HostingInstanceType: this.hostingInstanceType,
      } satisfies HubArtifactsProperties,
    });
    resource.node.addDependency(fn.role!); // its policy must be attached before the first call
    this.trainingImageUri = resource.getAttString('TrainingImageUri');
    this.trainingScriptUri = resource.getAttString('TrainingScriptUri');
    this.gatedWeightsUri = resource.getAttString('GatedWeightsUri');
    this.hostingImageUri = resource.getAttString('HostingImageUri');
    this.hubContentVersion = resource.getAttString('HubContentVersion');
  }
}
