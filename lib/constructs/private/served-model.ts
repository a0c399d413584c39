import { CfnTag } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { Construct } from 'constructs';
import type { IFineTuningJob } from '../fine-tuning-job';
import { modelDataFields } from './model-data';

/**
 * Where the served weights are: JumpStart's gated base model, a fine-tuned model.tar.gz or prefix,
 * or a model registry version (which brings its own image and environment too).
 */
export type ModelData =
  | { readonly kind: 'base'; readonly uri: string }
  | { readonly kind: 'fine-tuned'; readonly uri: string; readonly compressed: boolean }
  | { readonly kind: 'registered'; readonly modelPackageArn: string };

/** What one SageMaker model of an endpoint is made of; the production variant's and the shadow's alike. */
export interface ServedModelProps {
  readonly role: iam.IRole;
  /** The image, except for a registered version. */
  readonly image?: string;
  readonly environment?: Record<string, string>;
  readonly data: ModelData;
  readonly tags: CfnTag[];
  /** The training job whose model this is: the model is created once it has completed. */
  readonly trainingJob?: IFineTuningJob;
  readonly vpcConfig?: sagemaker.CfnModel.VpcConfigProperty;
}

/**
 * A SageMaker model as `estimator.deploy()` makes it: the image and environment, network isolation,
 * and the weights from S3 (compressed: `ModelDataUrl`; a prefix: `ModelDataSource`, uncompressed);
 * or a registry version's, by its ARN.
 */
export function servedModel(scope: Construct, id: string, props: ServedModelProps): sagemaker.CfnModel {
  const { data } = props;
  const model = new sagemaker.CfnModel(scope, id, {
    tags: props.tags,
    executionRoleArn: props.role.roleArn,
    enableNetworkIsolation: true,
    vpcConfig: props.vpcConfig,
    primaryContainer:
      data.kind === 'registered'
        ? // SageMaker reads the version's image, environment and model from the registry.
          { modelPackageName: data.modelPackageArn }
        : {
            image: props.image!,
            environment: props.environment,
            // JumpStart's own prepacked base model is gated, so served with the licence accepted.
            ...(data.kind === 'base'
              ? modelDataFields(data.uri, false, true)
              : modelDataFields(data.uri, data.compressed)),
          },
  });
  // The model exists only once training has completed.
  if (props.trainingJob) model.node.addDependency(props.trainingJob.trainingComplete);
  if (props.role.node.defaultChild) model.node.addDependency(props.role);
  return model;
}
