import { CfnTag } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { Construct } from 'constructs';
import type { IFineTuningJob } from '../fine-tuning-job';

/** Where the served weights are: JumpStart's gated base model, or a fine-tuned model.tar.gz or prefix. */
export type ModelData =
  | { readonly kind: 'base'; readonly uri: string }
  | { readonly kind: 'fine-tuned'; readonly uri: string; readonly compressed: boolean };

/** What one SageMaker model of an endpoint is made of; the production variant's and the shadow's alike. */
export interface ServedModelProps {
  readonly role: iam.IRole;
  readonly image: string;
  readonly environment: Record<string, string> | undefined;
  readonly data: ModelData;
  readonly tags: CfnTag[];
  /** The training job whose model this is: the model is created once it has completed. */
  readonly trainingJob?: IFineTuningJob;
  readonly vpcConfig?: sagemaker.CfnModel.VpcConfigProperty;
}

/**
 * A SageMaker model as `estimator.deploy()` makes it: the image and environment, network isolation,
 * and the weights from S3 (compressed: `ModelDataUrl`; a prefix: `ModelDataSource`, uncompressed).
 */
export function servedModel(scope: Construct, id: string, props: ServedModelProps): sagemaker.CfnModel {
  const { data } = props;
  const model = new sagemaker.CfnModel(scope, id, {
    tags: props.tags,
    executionRoleArn: props.role.roleArn,
    enableNetworkIsolation: true,
    vpcConfig: props.vpcConfig,
    primaryContainer: {
      image: props.image,
      environment: props.environment,
      ...(data.kind === 'base'
        ? {
            // JumpStart's own prepacked base model: gated, so served with the licence accepted.
            modelDataSource: {
              s3DataSource: {
                s3Uri: data.uri,
                s3DataType: 'S3Prefix',
                compressionType: 'None',
                modelAccessConfig: { acceptEula: true },
              },
            },
          }
        : data.compressed
          ? { modelDataUrl: data.uri }
          : {
              modelDataSource: {
                s3DataSource: { s3Uri: data.uri, s3DataType: 'S3Prefix', compressionType: 'None' },
              },
            }),
    },
  });
  // The model exists only once training has completed.
  if (props.trainingJob) model.node.addDependency(props.trainingJob.trainingComplete);
  if (props.role.node.defaultChild) model.node.addDependency(props.role);
  return model;
}
