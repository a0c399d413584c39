import { Annotations, CfnTag, Duration, Names, Stack, Token } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { Construct } from 'constructs';
import {
  FineTunedModelEndpointBase,
  IFineTunedModelEndpoint,
  ImportedFineTunedModelEndpoint,
} from './fine-tuned-model-endpoint-base';
import { DeploymentGuardrails } from './deployment-guardrails';
import { IFineTuningJob } from './fine-tuning-job';
import { JumpStartModelArtifacts } from './jumpstart-model-artifacts';
import { checkBaseModel, checkHosting, checkModelPackageSource } from './private/endpoint-prop-checks';
import { grantReadRegisteredModel } from './private/registered-model-grants';
import { acknowledgeRules, acknowledgeWildcardActions, acknowledgeWildcardResources } from './nag-acknowledgements';
import { endpointAlarms } from './private/endpoint-alarms';
import { defaultSubnets, grantNetworkInterfaces } from './private/model-network';
import { RolloutFleet, defaultGuardrails, deploymentConfig, rollsBack } from './private/rollout';
import { grantReadJumpStartHostingArtifacts } from './private/s3-read-grants';
import { grantEndpointLogs, grantInferenceComponentLogs } from './private/sagemaker-logs';
import { ScaleToZero, managedVariant, scaleComponent } from './private/scale-to-zero';
import { fineTunedModelData } from './private/model-data';
import { servedModel } from './private/served-model';
import { TrainingDataBuckets } from './training-data-buckets';
import { configurationError, throwIfProblems } from '../config/configuration-error';
import { booleanProblem, sageMakerNameProblem } from '../config/input-checks';
import { DEFAULT_MODEL_ID, ModelSpec, findModel } from '../models/catalogue';
import { hostingEnvironment, hostingResourceNeeds } from '../models/hosting-environment';
import { InstanceTypeFacts, PRICES_AS_OF, instanceFacts } from '../models/instance-types';
import {
  COMPONENT_INVOCATION_METRICS,
  endpointMetric,
  inferenceComponentMetric,
} from '../monitoring/sagemaker-metrics';

export { ScaleToZero };

/** JumpStart's container startup and model download timeouts for Llama 3. */
const JUMPSTART_HOSTING_TIMEOUT = Duration.seconds(1200);

/** Target tracking on invocations per instance. */
export interface EndpointAutoScaling {
  /** Fewest instances. */
  readonly minInstances: number;
  /** Most instances. */
  readonly maxInstances: number;
  /**
   * Invocations per instance per minute to hold.
   * @default 10 - generation takes seconds per request, so few requests fill an instance
   */
  readonly targetInvocationsPerInstance?: number;
}

/**
 * A second model that receives a copy of a share of the endpoint's requests and answers nobody
 * (SageMaker's shadow variant): a candidate compared with the served model on real traffic, in its
 * own CloudWatch metrics (variant `Shadow`) and, with data capture, its captured answers.
 */
export interface ShadowVariant {
  /**
   * The training job whose model to run in the shadow.
   * @default - give modelArtifactsUri instead
   */
  readonly trainingJob?: IFineTuningJob;
  /**
   * s3:// location of the fine-tuned model to run in the shadow: a `model.tar.gz`, or a prefix ending in `/`.
   * @default - the training job's model
   */
  readonly modelArtifactsUri?: string;
  /**
   * Share of the endpoint's requests copied to the shadow, 1 to 100 %.
   * @default 100
   */
  readonly samplingPercentage?: number;
  /**
   * Instance type of the shadow, one the model supports.
   * @default - the endpoint's instance type
   */
  readonly instanceType?: string;
  /**
   * Instances of the shadow.
   * @default 1
   */
  readonly instanceCount?: number;
}

/** Props of FineTunedModelEndpoint. */
export interface FineTunedModelEndpointProps {
  /**
   * The training job whose model to serve (new, or attached with FineTuningJob.attach).
   * @default - give modelArtifactsUri instead
   */
  readonly trainingJob?: IFineTuningJob;
  /**
   * s3:// location of a fine-tuned model to serve without a training job: a `model.tar.gz`, or a prefix ending in `/`.
   * @default - the training job's model
   */
  readonly modelArtifactsUri?: string;
  /**
   * A model registry version to serve (`...:model-package/<group>/<version>`), from this account or
   * one that shares its registry and model bucket with it: the version's image, environment and
   * model. SageMaker serves a version only once it is Approved.
   * @default - give trainingJob or modelArtifactsUri instead
   */
  readonly modelPackageArn?: string;
  /**
   * JumpStart model id the model was fine-tuned from.
   * @default - the training job's, else 'meta-textgeneration-llama-3-8b'
   */
  readonly modelId?: string;
  /**
   * Role the model runs as; it must read the model artifacts and pull the image (a
   * SageMakerExecutionRole with duty INFERENCE does). The endpoint adds what it alone needs:
   * its logs, data capture, and, with baseModel, the base model's JumpStart artifacts.
   */
  readonly role: iam.IRole;
  /**
   * Hosting instance type, one the model supports.
   * @default - the model's default: ml.g5.12xlarge for 8B, ml.p4d.24xlarge for 70B
   */
  readonly instanceType?: string;
  /**
   * Instances behind the endpoint at first.
   * @default - autoScaling.minInstances with autoScaling, else 1
   */
  readonly instanceCount?: number;
  /**
   * Endpoint name.
   * @default - generated by CloudFormation
   */
  readonly endpointName?: string;
  /**
   * The model's JumpStart artifacts, shared with a training job.
   * @default - resolved for this model and instance type
   */
  readonly artifacts?: JumpStartModelArtifacts;
  /**
   * Inference image instead of the hub's DJL LMI image.
   * @default - resolved from the hub
   */
  readonly imageUri?: string;
  /**
   * Time the container may take to pass its first health check.
   * @default Duration.seconds(1200)
   */
  readonly containerStartupHealthCheckTimeout?: Duration;
  /**
   * Time the model download may take.
   * @default Duration.seconds(1200)
   */
  readonly modelDataDownloadTimeout?: Duration;
  /**
   * Bucket to capture requests and responses into (under `data-capture/`).
   * @default - no data capture
   */
  readonly dataCaptureBucket?: s3.IBucket;
  /**
   * KMS key that encrypts captured data.
   * @default - the bucket's default encryption
   */
  readonly dataCaptureEncryptionKey?: kms.IKey;
  /**
   * Share of requests captured, 1 to 100.
   * @default 100
   */
  readonly dataCapturePercentage?: number;
  /**
   * Scale the instance count with traffic.
   * @default - a fixed instance count
   */
  readonly autoScaling?: EndpointAutoScaling;
  /**
   * Serve the base model as JumpStart hosts it (its prepacked, gated hosting artifacts from
   * the hub, with the licence accepted) instead of a fine-tuned one: the model to compare with.
   * Needs acceptEula, and neither trainingJob nor modelArtifactsUri.
   * @default false - serves the fine-tuned model
   */
  readonly baseModel?: boolean;
  /**
   * Accept the model's licence, for baseModel: its hosting artifacts are gated.
   * @default false
   */
  readonly acceptEula?: boolean;
  /**
   * Serve the model through an inference component that scales to zero copies, and the
   * endpoint to zero instances, when idle; the first request after that fails with "no
   * capacity" and brings a copy back within minutes (Llama3EndpointClient waits it out).
   * @default - a real-time endpoint with a fixed (or autoScaling) instance count
   */
  readonly scaleToZero?: ScaleToZero;
  /**
   * How SageMaker updates the endpoint when its model or configuration changes: a blue/green update
   * whose traffic shifts as a canary, in linear steps or all at once, rolled back when the endpoint's
   * 5xx or latency alarm (`rollbackAlarms`) trips. The role must be mutable to be allowed to read
   * the alarms (cloudwatch:DescribeAlarms), as SageMaker asks.
   * @default - a canary of one instance with 2 instances or more, else all at once; 15-minute bakes;
   * none with scaleToZero, whose model SageMaker updates on the inference component
   */
  readonly deploymentGuardrails?: DeploymentGuardrails;
  /**
   * A shadow variant: another fine-tuned model that receives a copy of the requests, to compare with.
   * @default - no shadow
   */
  readonly shadow?: ShadowVariant;
  /**
   * VPC to run the model's instances in (the model's VpcConfig); its subnets must reach S3 and ECR.
   * @default - SageMaker's network; the container runs network-isolated either way
   */
  readonly vpc?: ec2.IVpc;
  /**
   * Subnets of `vpc` for the model's instances.
   * @default - the VPC's private subnets with egress, else its isolated subnets
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /**
   * Security groups for the model's instances in `vpc` (1 to 5).
   * @default - a new group with no inbound rules
   */
  readonly securityGroups?: ec2.ISecurityGroup[];
}

/**
 * Serves a fine-tuned Llama 3 model on a SageMaker real-time endpoint, as
 * `estimator.deploy()` does: the DJL LMI image, JumpStart's container
 * environment with a tensor parallel degree that fits the instance's GPUs,
 * network isolation, and the model from a training job or an S3 location.
 */
export class FineTunedModelEndpoint extends FineTunedModelEndpointBase implements ec2.IConnectable {
  /**
   * An existing endpoint, by name, for grants and metrics; it creates nothing.
   */
  public static fromEndpointName(scope: Construct, id: string, endpointName: string): IFineTunedModelEndpoint {
    throwIfProblems([sageMakerNameProblem('endpointName', endpointName)]);
    return new ImportedFineTunedModelEndpoint(scope, id, endpointName);
  }

  /** The SageMaker model: image, environment and the fine-tuned artifacts. */
  public readonly model: sagemaker.CfnModel;
  /** The endpoint configuration: instance type, count, timeouts, capture. */
  public readonly endpointConfig: sagemaker.CfnEndpointConfig;
  /** The real-time endpoint. */
  public readonly endpoint: sagemaker.CfnEndpoint;
  public readonly endpointName: string;
  public readonly endpointArn: string;
  /** Name of the SageMaker model. */
  public readonly modelName: string;
  /** The instance type serving the model. */
  public readonly instanceType: string;
  /** The inference component serving the model, with scaleToZero. */
  public readonly inferenceComponent?: sagemaker.CfnInferenceComponent;
  /** Its name, for invocations (`InferenceComponentName`); undefined without scaleToZero. */
  public readonly inferenceComponentName?: string;
  /** In alarm when a request found no copy to serve it; its action scales out from zero (scaleToZero only). */
  public readonly noCapacityAlarm?: cloudwatch.Alarm;
  /**
   * The endpoint's 5xx-error and latency alarms, which roll a bad update back (none without
   * deployment guardrails). They have no action of their own: FineTuningMonitoring adds its topic.
   */
  public readonly rollbackAlarms: cloudwatch.Alarm[];
  /** The deployment guardrails in force: those given, or the default for the fleet. */
  public readonly deploymentGuardrails: DeploymentGuardrails;
  /** The shadow variant's model, with shadow. */
  public readonly shadowModel?: sagemaker.CfnModel;
  private readonly securityGroups?: ec2.ISecurityGroup[];

  constructor(scope: Construct, id: string, props: FineTunedModelEndpointProps) {
    super(scope, id);
    // From JavaScript, "false" is truthy: these decide what is served, so they are checked first.
    throwIfProblems([booleanProblem('baseModel', props.baseModel), booleanProblem('acceptEula', props.acceptEula)]);
    const sources = [
      props.trainingJob && 'trainingJob',
      props.modelArtifactsUri && 'modelArtifactsUri',
      props.modelPackageArn && 'modelPackageArn',
    ].filter(Boolean);
    if (props.baseModel === true) {
      checkBaseModel(props);
    } else if (sources.length !== 1) {
      throw configurationError([
        'FineTunedModelEndpoint needs exactly one of trainingJob, modelArtifactsUri and modelPackageArn; ' +
          `given: ${sources.join(' and ') || 'none'}. ` +
          'Fix: pass the FineTuningJob, the s3:// location of a fine-tuned model, or a registered version.',
      ]);
    } else if (props.modelPackageArn) {
      checkModelPackageSource(props, Stack.of(this).region);
    }
    const registered = props.modelPackageArn !== undefined && props.baseModel !== true;
    const model = findModel(props.modelId ?? props.trainingJob?.modelId ?? DEFAULT_MODEL_ID);
    this.instanceType = props.instanceType ?? model.hosting.defaultInstanceType;
    const instance = checkHosting(props, model.modelId, model.hosting.supportedInstanceTypes, this.instanceType);

    const artifacts =
      props.artifacts ??
      (props.imageUri || registered
        ? undefined
        : new JumpStartModelArtifacts(this, 'Artifacts', {
            modelId: model.modelId,
            hostingInstanceType: this.instanceType,
          }));
    // The tags JumpStart puts on what it deploys, as the training job carries them.
    const tags = [
      { key: 'sagemaker-sdk:jumpstart-model-id', value: model.modelId },
      { key: 'sagemaker-sdk:jumpstart-model-version', value: artifacts?.hubContentVersion ?? 'custom' },
    ];
    const network = props.vpc && this.placeIn(props.vpc, props.vpcSubnets, props.securityGroups, props.role);
    this.securityGroups = network?.securityGroups;
    const vpcConfig = network?.vpcConfig;

    this.model = servedModel(this, 'Model', {
      role: props.role,
      ...(registered ? {} : this.serving(props, model, artifacts, this.instanceType, instance)),
      data: registered
        ? { kind: 'registered', modelPackageArn: props.modelPackageArn! }
        : props.baseModel
          ? { kind: 'base', uri: artifacts!.baseModelUri }
          : { kind: 'fine-tuned', ...fineTunedModelData(props) },
      tags,
      trainingJob: props.trainingJob,
      vpcConfig,
    });
    // The model reads the version's objects once the role may: the grant names them as the registry describes them.
    if (registered) this.model.node.addDependency(grantReadRegisteredModel(this, props.role, props.modelPackageArn!));
    // An inference-only role reads no JumpStart bucket: the base model's weights are granted here, that model's alone.
    if (props.baseModel) grantReadJumpStartHostingArtifacts(props.role, artifacts!.modelId);

    if (instance?.localNvme) {
      acknowledgeRules(this, {
        'NIST.800.53.R5-SageMakerEndpointConfigurationKMSKeyConfigured':
          `SageMaker refuses a KMS key on ${this.instanceType}, ` + 'whose local NVMe storage it encrypts itself.',
      });
    }
    const startup = {
      containerStartupHealthCheckTimeoutInSeconds: (
        props.containerStartupHealthCheckTimeout ?? JUMPSTART_HOSTING_TIMEOUT
      ).toSeconds(),
      modelDataDownloadTimeoutInSeconds: (props.modelDataDownloadTimeout ?? JUMPSTART_HOSTING_TIMEOUT).toSeconds(),
    };
    const shadowed =
      props.shadow && this.shadowVariant(props, props.shadow, model, artifacts, tags, startup, vpcConfig);
    this.shadowModel = shadowed?.model;
    const shadow = shadowed?.variant;
    this.endpointConfig = new sagemaker.CfnEndpointConfig(this, 'Config', {
      tags,
      // Inference components run as the config's role; a variant's model would bring its own.
      executionRoleArn: props.scaleToZero ? props.role.roleArn : undefined,
      productionVariants: [
        props.scaleToZero
          ? managedVariant(this.instanceType, props.scaleToZero)
          : {
              variantName: 'AllTraffic',
              modelName: this.model.attrModelName,
              instanceType: this.instanceType,
              initialInstanceCount: fleetSize(props),
              // The shadow's weight is its share of this one's traffic.
              initialVariantWeight: shadow ? 1 : undefined,
              ...startup,
            },
      ],
      shadowProductionVariants: shadow ? [shadow] : undefined,
      dataCaptureConfig: props.dataCaptureBucket
        ? {
            enableCapture: true,
            initialSamplingPercentage: props.dataCapturePercentage ?? 100,
            destinationS3Uri: props.dataCaptureBucket.s3UrlForObject(TrainingDataBuckets.DATA_CAPTURE_PREFIX),
            kmsKeyId: props.dataCaptureEncryptionKey?.keyArn,
            captureOptions: [{ captureMode: 'Input' }, { captureMode: 'Output' }],
            captureContentTypeHeader: { jsonContentTypes: ['application/json'] },
          }
        : undefined,
    });
    if (props.dataCaptureBucket) {
      const captured = `${TrainingDataBuckets.DATA_CAPTURE_PREFIX}*`;
      props.dataCaptureBucket.grantPut(props.role, captured);
      acknowledgeWildcardResources(
        props.role,
        [props.dataCaptureBucket.arnForObjects(captured)],
        'Captured requests and responses are written under the data-capture/ prefix with names SageMaker chooses.',
      );
      acknowledgeWildcardActions(props.role, {
        's3:Abort*':
          'Data capture may abort the multipart uploads it starts; grantPut limits it to the data-capture/ prefix.',
        // grantPut on a KMS-encrypted bucket grants its key's encrypt actions, on that key alone.
        'kms:ReEncrypt*': "Key usage of the data bucket's key only, needed to write encrypted captures.",
        'kms:GenerateDataKey*': "Key usage of the data bucket's key only, needed to write encrypted captures.",
      });
      props.dataCaptureEncryptionKey?.grantEncrypt(props.role);
    }

    // Named at synth, so the role's log access can name this endpoint's log group alone.
    const endpointName = props.endpointName ?? Names.uniqueResourceName(this, { maxLength: 63, separator: '-' });
    grantEndpointLogs(props.role, endpointName);
    const fleet: RolloutFleet = {
      instanceCount: fleetSize(props),
      inferenceComponent: props.scaleToZero !== undefined,
      launchSeconds: startup.containerStartupHealthCheckTimeoutInSeconds + startup.modelDataDownloadTimeoutInSeconds,
    };
    this.deploymentGuardrails = props.deploymentGuardrails ?? defaultGuardrails(fleet);
    this.rollbackAlarms = rollsBack(this.deploymentGuardrails) ? this.rollbackAlarmsOf(endpointName, props.role) : [];
    const additional = this.deploymentGuardrails.options.additionalAlarms ?? [];
    if (additional.length > 0) grantDescribeAlarms(props.role, additional);
    this.endpoint = new sagemaker.CfnEndpoint(this, 'Endpoint', {
      tags,
      endpointName,
      endpointConfigName: this.endpointConfig.attrEndpointConfigName,
      deploymentConfig: deploymentConfig(this.deploymentGuardrails, fleet, [
        ...this.rollbackAlarms.map((alarm) => alarm.alarmName),
        ...additional.map((alarm) => alarm.alarmName),
      ]),
    });
    // SageMaker reads the alarms when it updates the endpoint: they exist before it does.
    for (const alarm of this.rollbackAlarms) this.endpoint.node.addDependency(alarm);
    this.endpointName = this.endpoint.attrEndpointName;
    // Formatted from the name known at synth rather than the endpoint's Ref, so that a policy naming it (the VPC
    // runtime endpoint's, a grant) does not make the endpoint a dependency of what it is created after.
    this.endpointArn = Stack.of(this).formatArn({
      service: 'sagemaker',
      resource: 'endpoint',
      resourceName: Token.isUnresolved(endpointName) ? endpointName : endpointName.toLowerCase(),
    });
    this.modelName = this.model.attrModelName;

    if (props.autoScaling) this.scale(props.autoScaling);
    if (props.scaleToZero) {
      const componentName = `${endpointName.slice(0, 54)}-model`;
      grantInferenceComponentLogs(props.role, componentName);
      const needs = hostingResourceNeeds(model, this.instanceType, instance);
      this.inferenceComponent = new sagemaker.CfnInferenceComponent(this, 'Component', {
        tags,
        inferenceComponentName: componentName,
        endpointName: this.endpoint.attrEndpointName,
        variantName: 'AllTraffic',
        specification: {
          modelName: this.model.attrModelName,
          computeResourceRequirements: {
            numberOfAcceleratorDevicesRequired: needs.accelerators,
            minMemoryRequiredInMb: needs.minMemoryMb,
          },
          startupParameters: startup,
        },
        runtimeConfig: { copyCount: props.scaleToZero.initialCopies ?? 1 },
      });
      this.inferenceComponentName = componentName;
      this.noCapacityAlarm = scaleComponent(this, componentName, this.inferenceComponent, props.scaleToZero);
      const price = instance.hostingUsdPerHour;
      Annotations.of(this).addInfo(
        `Scale to zero: idle, the endpoint runs no instance${price ? `, saving about $${price.toFixed(2)} an hour per instance (${this.instanceType}, ${PRICES_AS_OF.region} prices of ${PRICES_AS_OF.date})` : ''}; ` +
          'the first request after an idle spell waits for a cold start of several minutes.',
      );
    }
  }

  /** The model's network connections; only an endpoint in a VPC has them. */
  public get connections(): ec2.Connections {
    if (!this.securityGroups) {
      throw new Error(
        `FineTunedModelEndpoint ${this.node.path} runs outside a VPC and has no security groups to manage; give it vpc to connect it.`,
      );
    }
    return new ec2.Connections({ securityGroups: this.securityGroups });
  }

  /** The image and environment for an instance type: the hub's answer for it, or the catalogue's for a custom image. */
  private serving(
    props: FineTunedModelEndpointProps,
    model: ModelSpec,
    artifacts: JumpStartModelArtifacts | undefined,
    instanceType: string,
    instance: InstanceTypeFacts,
  ): { image: string; environment: Record<string, string> } {
    if (props.imageUri)
      return { image: props.imageUri, environment: hostingEnvironment(model, instanceType, instance) };
    return { image: artifacts!.hostingImageUri, environment: artifacts!.hostingEnvironment };
  }

  /** The model's VpcConfig, a security group when none is given, and the role's access to the network interfaces. */
  private placeIn(
    vpc: ec2.IVpc,
    subnets: ec2.SubnetSelection | undefined,
    securityGroups: ec2.ISecurityGroup[] | undefined,
    role: iam.IRole,
  ): { vpcConfig: sagemaker.CfnModel.VpcConfigProperty; securityGroups: ec2.ISecurityGroup[] } {
    const groups = securityGroups ?? [
      new ec2.SecurityGroup(this, 'SecurityGroup', {
        vpc,
        description: 'Llama 3 fine-tuned model endpoint: no inbound traffic',
        allowAllOutbound: true, // to the VPC's S3 and ECR endpoints; the container itself is network-isolated
      }),
    ];
    grantNetworkInterfaces(role);
    return {
      vpcConfig: {
        subnets: vpc.selectSubnets(subnets ?? defaultSubnets(vpc)).subnetIds,
        securityGroupIds: groups.map((g) => g.securityGroupId),
      },
      securityGroups: groups,
    };
  }

  /** The shadow's model (the same image logic, its own instance type) and its variant. */
  private shadowVariant(
    props: FineTunedModelEndpointProps,
    shadow: ShadowVariant,
    model: ModelSpec,
    artifacts: JumpStartModelArtifacts | undefined,
    tags: CfnTag[],
    startup: { containerStartupHealthCheckTimeoutInSeconds: number; modelDataDownloadTimeoutInSeconds: number },
    vpcConfig: sagemaker.CfnModel.VpcConfigProperty | undefined,
  ): { model: sagemaker.CfnModel; variant: sagemaker.CfnEndpointConfig.ProductionVariantProperty } {
    const instanceType = shadow.instanceType ?? this.instanceType;
    // JumpStart chooses the image by instance type: another type needs the hub's answer for it, at the same version.
    const shadowArtifacts =
      artifacts && instanceType !== artifacts.hostingInstanceType
        ? new JumpStartModelArtifacts(this, 'ShadowArtifacts', {
            modelId: model.modelId,
            hostingInstanceType: instanceType,
            hubContentVersion: artifacts.hubContentVersion,
          })
        : artifacts;
    const shadowModel = servedModel(this, 'ShadowModel', {
      role: props.role,
      ...this.serving(props, model, shadowArtifacts, instanceType, instanceFacts(instanceType)!),
      data: { kind: 'fine-tuned', ...fineTunedModelData(shadow) },
      tags,
      trainingJob: shadow.trainingJob,
      vpcConfig,
    });
    const variant = {
      variantName: 'Shadow',
      modelName: shadowModel.attrModelName,
      instanceType,
      initialInstanceCount: shadow.instanceCount ?? 1,
      // SageMaker copies to the shadow this share of the production variant's traffic: their weights' ratio.
      initialVariantWeight: (shadow.samplingPercentage ?? 100) / 100,
      ...startup,
    };
    return { model: shadowModel, variant };
  }

  /**
   * The endpoint's own 5xx and latency alarms, named after it, on its metrics by the name known at
   * synth: the endpoint names them in its rollback configuration and is created after them, so
   * they cannot refer to it. SageMaker reads them as the role.
   */
  private rollbackAlarmsOf(endpointName: string, role: iam.IRole): cloudwatch.Alarm[] {
    const alarms = endpointAlarms(
      this,
      {
        serverErrors: endpointMetric(endpointName, 'Invocation5XXErrors', { statistic: cloudwatch.Stats.SUM }),
        latency: endpointMetric(endpointName, 'ModelLatency', { statistic: cloudwatch.Stats.p(90) }),
      },
      this.deploymentGuardrails.options,
      { serverErrors: 'ServerErrorsAlarm', latency: 'LatencyAlarm' },
      endpointName,
    );
    grantDescribeAlarms(role, alarms);
    return alarms;
  }

  /**
   * An invocation metric (`Invocations`, `ModelLatency`, `Invocation5XXErrors`, ...). Served
   * through an inference component (scaleToZero), requests name the component and SageMaker
   * counts them under its `InferenceComponentName`: invocations, errors and latency are read
   * there, so the alarms and charts built on them see the traffic.
   */
  public metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    if (this.inferenceComponentName && COMPONENT_INVOCATION_METRICS.includes(metricName)) {
      return this.componentMetric(metricName, { period: Duration.minutes(5), ...props });
    }
    return super.metric(metricName, props);
  }

  protected invocationArns(): string[] {
    // IAM authorizes an invocation that names a component on the component's ARN too.
    return [this.endpointArn, ...(this.inferenceComponent ? [this.inferenceComponent.attrInferenceComponentArn] : [])];
  }

  /** Requests that found no copy to serve them (the component scaled to zero, or all copies busy); scaleToZero only. */
  public metricNoCapacityFailures(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.componentMetric('NoCapacityInvocationFailures', props);
  }

  /** Copies of the model serving, while there is traffic (invocations / invocations per copy); scaleToZero only. */
  public metricCopyCount(): cloudwatch.MathExpression {
    return new cloudwatch.MathExpression({
      expression: 'componentInvocations / perCopy',
      usingMetrics: {
        componentInvocations: this.componentMetric('Invocations'),
        perCopy: this.componentMetric('InvocationsPerCopy'),
      },
      label: 'Copies (while there is traffic)',
      period: Duration.minutes(1),
    });
  }

  /** The component's model latency, 90th percentile in microseconds; scaleToZero only. */
  public metricComponentLatency(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.componentMetric('ModelLatency', {
      statistic: cloudwatch.Stats.p(90),
      period: Duration.minutes(5),
      ...props,
    });
  }

  private componentMetric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    if (!this.inferenceComponentName) {
      throw new Error(`FineTunedModelEndpoint ${this.node.path} has no inference component; give it scaleToZero.`);
    }
    return inferenceComponentMetric(this.inferenceComponentName, metricName, props);
  }

  private scale(scaling: EndpointAutoScaling): void {
    const target = new appscaling.ScalableTarget(this, 'ScalableTarget', {
      serviceNamespace: appscaling.ServiceNamespace.SAGEMAKER,
      scalableDimension: 'sagemaker:variant:DesiredInstanceCount',
      resourceId: `endpoint/${this.endpointName}/variant/AllTraffic`,
      minCapacity: scaling.minInstances,
      maxCapacity: scaling.maxInstances,
    });
    target.node.addDependency(this.endpoint);
    target.scaleToTrackMetric('InvocationsPerInstance', {
      predefinedMetric: appscaling.PredefinedMetric.SAGEMAKER_VARIANT_INVOCATIONS_PER_INSTANCE,
      targetValue: scaling.targetInvocationsPerInstance ?? 10,
      // Instances take minutes to load the model: scale out readily, in slowly.
      scaleOutCooldown: Duration.minutes(5),
      scaleInCooldown: Duration.minutes(15),
    });
  }
}

/** The production variant's instances at first: instanceCount, else autoScaling's least, else one. */
function fleetSize(props: FineTunedModelEndpointProps): number {
  return props.instanceCount ?? props.autoScaling?.minInstances ?? 1;
}

/** SageMaker reads the rollback alarms as the endpoint's role (cloudwatch:DescribeAlarms, as its guide asks). */
function grantDescribeAlarms(role: iam.IRole, alarms: cloudwatch.IAlarm[]): void {
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({ actions: ['cloudwatch:DescribeAlarms'], resources: alarms.map((a) => a.alarmArn) }),
  );
}
