import type { IFineTuningJob } from '../fine-tuning-job';

/**
 * Where a SageMaker container finds its model, in the shape both a model (`CfnModel`) and a
 * model package (`CfnModelPackage`) take: a `model.tar.gz` as `ModelDataUrl`, an uncompressed
 * model's prefix as `ModelDataSource` (SageMaker refuses a prefix in `ModelDataUrl`).
 */
export interface ModelDataFields {
  readonly modelDataUrl?: string;
  readonly modelDataSource?: {
    readonly s3DataSource: {
      readonly s3Uri: string;
      readonly s3DataType: string;
      readonly compressionType: string;
      readonly modelAccessConfig?: { readonly acceptEula: boolean };
    };
  };
}

/** The model's location in a container definition: compressed, or a prefix (gated ones with the licence accepted). */
export function modelDataFields(uri: string, compressed: boolean, acceptEula?: boolean): ModelDataFields {
  if (compressed) return { modelDataUrl: uri };
  return {
    modelDataSource: {
      s3DataSource: {
        s3Uri: uri,
        s3DataType: 'S3Prefix',
        compressionType: 'None',
        ...(acceptEula ? { modelAccessConfig: { acceptEula: true } } : {}),
      },
    },
  };
}

/**
 * A fine-tuned model's location and form, from its one source: an s3:// URI (a prefix ends in `/`),
 * or a training job, which knows whether it compressed its output.
 */
export function fineTunedModelData(source: {
  readonly trainingJob?: IFineTuningJob;
  readonly modelArtifactsUri?: string;
}): {
  uri: string;
  compressed: boolean;
} {
  if (source.modelArtifactsUri)
    return { uri: source.modelArtifactsUri, compressed: !source.modelArtifactsUri.endsWith('/') };
  return { uri: source.trainingJob!.modelArtifactsUri, compressed: source.trainingJob!.outputCompressed };
}
