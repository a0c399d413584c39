import { CustomResource, Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { handlerFunction } from './handler-function';
import { acknowledgeWildcardResources } from './nag-acknowledgements';
import { throwIfProblems } from '../config/configuration-error';
import { hubContentVersionProblem } from '../config/input-checks';
import type { HubArtifactsProperties } from '../handlers/shared/hub-content';
import { findModel } from '../models/catalogue';
import { hostingEnvironment } from '../models/hosting-environment';
import { instanceFacts } from '../models/instance-types';

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
   * @default - the model's default training instance type
   */
  readonly trainingInstanceType?: string;
  /**
   * Hosting instance type; the hosting image and environment are per instance type.
   * @default - the model's default hosting instance type
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
  /** s3:// prefix of the base model as JumpStart hosts it (gated: served with the licence accepted). */
  public readonly baseModelUri: string;
  /**
   * The hosting container's environment, from the same hub answer as the image: JumpStart's
   * inference environment variables for the hosting instance type. The names are the
   * catalogue's; the catalogue's values stand where the hub sets none.
   */
  public readonly hostingEnvironment: Record<string, string>;
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
    const model = findModel(props.modelId);
    this.modelId = props.modelId;
    this.trainingInstanceType = props.trainingInstanceType ?? model.training.defaultInstanceType;
    this.hostingInstanceType = props.hostingInstanceType ?? model.hosting.defaultInstanceType;
    const hostingInstance = instanceFacts(this.hostingInstanceType);
    if (!hostingInstance) {
      throwIfProblems([
        `hostingInstanceType is "${this.hostingInstanceType}", which does not serve ${model.modelId}; ` +
          `allowed: ${model.hosting.supportedInstanceTypes.join(', ')}. Fix: use one of these, or leave it out.`,
      ]);
    }
    const expectedEnvironment = hostingEnvironment(model, this.hostingInstanceType, hostingInstance!);
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
        HostingEnvironment: expectedEnvironment,
      } satisfies HubArtifactsProperties,
    });
    resource.node.addDependency(fn.role!); // its policy must be attached before the first call
    this.trainingImageUri = resource.getAttString('TrainingImageUri');
    this.trainingScriptUri = resource.getAttString('TrainingScriptUri');
    this.gatedWeightsUri = resource.getAttString('GatedWeightsUri');
    this.hostingImageUri = resource.getAttString('HostingImageUri');
    this.baseModelUri = resource.getAttString('BaseModelUri');
    this.hubContentVersion = resource.getAttString('HubContentVersion');
    this.hostingEnvironment = Object.fromEntries(
      Object.keys(expectedEnvironment).map((name) => [name, resource.getAttString(`HostingEnvironment.${name}`)]),
    );
  }
}
