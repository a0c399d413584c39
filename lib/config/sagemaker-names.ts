/** SageMaker's pattern for training job, endpoint and endpoint config names (botocore's service model). */
export const SAGEMAKER_NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;

/** What a SageMaker name may be, for messages. */
export const SAGEMAKER_NAME_RULE =
  "1 to 63 letters, digits and hyphens, starting and ending with a letter or digit (SageMaker's naming rule)";

/** An AWS region name such as us-east-1 or ap-southeast-2. */
export const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

/** A model package version's ARN, `...:model-package/<group>/<version>`: what a registry serves. */
export const MODEL_PACKAGE_VERSION_ARN =
  /^arn:aws[a-z-]*:sagemaker:[a-z0-9-]+:\d{12}:model-package\/[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}\/\d+$/;

/** What a model package version's ARN looks like, for messages. */
export const MODEL_PACKAGE_VERSION_ARN_RULE =
  "a model package version's ARN, arn:aws:sagemaker:<region>:<account>:model-package/<group>/<version>";
