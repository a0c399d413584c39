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
