import { CustomResource, Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { handlerFunction } from './handler-function';
import { acknowledgeWildcardResources } from './nag-acknowledgements';
import { throwIfProblems } from '../config/configuration-error';
import { hubContentVersionProblem } from '../config/input-checks';
import { instanceListProblems } from './private/job-input-checks';
import { showValue } from '../config/show-value';
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
   * @default - the newest version at the first deploy, kept on later deploys (set a version to move)
   */
  readonly hubContentVersion?: string;
  /**
   * Training instance type; the training image and gated weights are per instance family.
   * @default - the model's default training instance type
   */
  readonly trainingInstanceType?: string;
  /**
   * Training instance types SageMaker may run the job on instead, by capacity (instance
   * preferences). The deploy fails if the hub trains any of them with another image than
   * trainingInstanceType's, and the gated weights are the family-less ones, as a `model` channel.
   * @default - none: artifacts for trainingInstanceType alone
   */
  readonly fallbackTrainingInstanceTypes?: string[];
  /**
   * Hosting instance type; the hosting image and environment are per instance type.
   * @default - the model's default hosting instance type
   */
  readonly hostingInstanceType?: string;
}

/**
 * The region's JumpStart artifacts for a model, resolved at deploy time from
 * SageMaker's public model hub (`DescribeHubContent` on `SageMakerPublicHub`).
 * One custom resource resolves the training artifacts and the hub version, another
 * the hosting artifacts of that same version (created when a hosting attribute is
 * first read), so changing how the model is served never touches what trains. A
 * version resolved without being asked for is kept on later deploys.
 */
export class JumpStartModelArtifacts extends Construct {
  /** Training image URI (Hugging Face PyTorch training DLC). */
  public readonly trainingImageUri: string;
  /** s3:// URI of JumpStart's training script tarball. */
  public readonly trainingScriptUri: string;
  /** s3:// URI of the gated base weights for the training instance family. */
  public readonly gatedWeightsUri: string;
  /**
   * How a job receives the gated weights: `environment` (the family's own weights in
   * `SageMakerGatedModelS3Uri`) or `model-channel` (the family-less weights as a `model` channel
   * with the licence accepted in the request, for a family the hub has no weights of its own for).
   */
  public readonly gatedWeightsInput: string;
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
  /** Other training instance types the artifacts suit (a job's instance preferences); empty for one type. */
  public readonly fallbackTrainingInstanceTypes: string[];
  /** Hosting instance type the inference image was chosen for. */
  public readonly hostingInstanceType: string;
  private readonly expectedEnvironment: Record<string, string>;
  private readonly resolver: lambda.IFunction;
  private hosting?: CustomResource;

  constructor(scope: Construct, id: string, props: JumpStartModelArtifactsProps) {
    super(scope, id);
    throwIfProblems([hubContentVersionProblem('hubContentVersion', props.hubContentVersion)]);
    this.requestedHubContentVersion = props.hubContentVersion;
    const model = findModel(props.modelId);
    this.modelId = props.modelId;
    this.trainingInstanceType = props.trainingInstanceType ?? model.training.defaultInstanceType;
    this.hostingInstanceType = props.hostingInstanceType ?? model.hosting.defaultInstanceType;
    const fallbacks: unknown = props.fallbackTrainingInstanceTypes ?? [];
    throwIfProblems(
      instanceListProblems(
        model,
        'fallbackTrainingInstanceTypes',
        fallbacks,
        'trainingInstanceType',
        this.trainingInstanceType,
      ),
    );
    this.fallbackTrainingInstanceTypes = [...(fallbacks as string[])];
    const hostingInstance = instanceFacts(this.hostingInstanceType);
    // The hub answers for the instance types the model runs on; for another, the deploy would fail later.
    throwIfProblems([
      hostingInstance && model.hosting.supportedInstanceTypes.includes(this.hostingInstanceType)
        ? undefined
        : `hostingInstanceType is ${showValue(this.hostingInstanceType)}, which does not serve ${model.modelId}; ` +
          `allowed: ${model.hosting.supportedInstanceTypes.join(', ')}. Fix: use one of these, or leave it out.`,
      model.training.supportedInstanceTypes.includes(this.trainingInstanceType)
        ? undefined
        : `trainingInstanceType is ${showValue(this.trainingInstanceType)}, which does not train ${model.modelId}; ` +
          `allowed: ${model.training.supportedInstanceTypes.join(', ')}. Fix: use one of these, or leave it out.`,
    ]);
    this.expectedEnvironment = hostingEnvironment(model, this.hostingInstanceType, hostingInstance!);
    this.resolver = hubResolver(this, props.modelId);
    const training = this.resolve('Resource', {
      ModelId: props.modelId,
      HubContentVersion: props.hubContentVersion ?? '',
      TrainingInstanceType: this.trainingInstanceType,
      FallbackTrainingInstanceTypes: this.fallbackTrainingInstanceTypes.length
        ? this.fallbackTrainingInstanceTypes
        : undefined,
    });
    this.trainingImageUri = training.getAttString('TrainingImageUri');
    this.trainingScriptUri = training.getAttString('TrainingScriptUri');
    this.gatedWeightsUri = training.getAttString('GatedWeightsUri');
    this.gatedWeightsInput = training.getAttString('GatedWeightsInput');
    this.hubContentVersion = training.getAttString('HubContentVersion');
  }

  /** Hosting image URI (DJL LMI). */
  public get hostingImageUri(): string {
    return this.hostingResource().getAttString('HostingImageUri');
  }

  /** s3:// prefix of the base model as JumpStart hosts it (gated: served with the licence accepted). */
  public get baseModelUri(): string {
    return this.hostingResource().getAttString('BaseModelUri');
  }

  /**
   * The hosting container's environment, from the same hub answer as the image: JumpStart's
   * inference environment variables for the hosting instance type. The names are the
   * catalogue's; the catalogue's values stand where the hub sets none.
   */
  public get hostingEnvironment(): Record<string, string> {
    const hosting = this.hostingResource();
    return Object.fromEntries(
      Object.keys(this.expectedEnvironment).map((name) => [name, hosting.getAttString(`HostingEnvironment.${name}`)]),
    );
  }

  /** The hosting artifacts of the version the training artifacts resolved, resolved once something serves. */
  private hostingResource(): CustomResource {
    this.hosting ??= this.resolve('Hosting', {
      ModelId: this.modelId,
      HubContentVersion: this.hubContentVersion,
      HostingInstanceType: this.hostingInstanceType,
      HostingEnvironment: this.expectedEnvironment,
    });
    return this.hosting;
  }

  private resolve(id: string, properties: HubArtifactsProperties): CustomResource {
    const resource = new CustomResource(this, id, {
      resourceType: 'Custom::JumpStartModelArtifacts',
      serviceToken: this.resolver.functionArn,
      serviceTimeout: Duration.minutes(5),
      properties,
    });
    resource.node.addDependency(this.resolver.role!); // its policy must be attached before the first call
    return resource;
  }
}

/** The stack's hub function, allowed to read this model's versions in SageMaker's public hub. */
function hubResolver(scope: Construct, modelId: string): lambda.IFunction {
  const stack = Stack.of(scope);
  const fn = handlerFunction(
    scope,
    'resolve-hub-content',
    'Resolves JumpStart model artifacts from the SageMaker public hub',
  );
  const hubArn = (resourceName: string) =>
    stack.formatArn({ service: 'sagemaker', account: 'aws', resource: 'hub', resourceName });
  const contentArn = (resourceName: string) =>
    stack.formatArn({ service: 'sagemaker', account: 'aws', resource: 'hub-content', resourceName });
  const modelVersions = contentArn(`SageMakerPublicHub/Model/${modelId}/*`);
  fn.addToRolePolicy(
    new iam.PolicyStatement({
      actions: ['sagemaker:DescribeHubContent'],
      resources: [
        hubArn('SageMakerPublicHub'),
        // Asked without a version (the newest), SageMaker may authorize the model's unversioned ARN.
        contentArn(`SageMakerPublicHub/Model/${modelId}`),
        modelVersions,
      ],
    }),
  );
  acknowledgeWildcardResources(
    fn.role!,
    [modelVersions],
    `Read-only: the versions of ${modelId} in SageMaker's public hub.`,
  );
  return fn;
}
