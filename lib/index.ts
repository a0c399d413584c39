// The public API. Every type here follows jsii's rules, so the same constructs
// are published for Python.
export { Hyperparameters } from './config/hyperparameters';
export { TrainingRecipe, TrainingRecipeProps } from './config/training-recipe';
export { TrainingChoices } from './config/training-configuration';
export { TrainingDataBuckets, TrainingDataBucketsProps } from './constructs/training-data-buckets';
export {
  ExecutionRoleDuty,
  SageMakerExecutionRole,
  SageMakerExecutionRoleProps,
} from './constructs/sagemaker-execution-role';
export { JumpStartModelArtifacts, JumpStartModelArtifactsProps } from './constructs/jumpstart-model-artifacts';
export {
  FineTuningJob,
  FineTuningJobProps,
  FineTuningJobAttributes,
  IAttachedTrainingJob,
  IFineTuningJob,
} from './constructs/fine-tuning-job';
export {
  FineTunedModelEndpoint,
  FineTunedModelEndpointProps,
  EndpointAutoScaling,
  ScaleToZero,
  ShadowVariant,
} from './constructs/fine-tuned-model-endpoint';
export { IModelRegistry, ModelApprovalStatus, ModelRegistry, ModelRegistryProps } from './constructs/model-registry';
export {
  FineTunedModelVersion,
  FineTunedModelVersionOptions,
  FineTunedModelVersionProps,
} from './constructs/fine-tuned-model-version';
export {
  AllAtOnceOptions,
  CanaryOptions,
  DeploymentGuardrails,
  LinearOptions,
  RollbackOptions,
  TrafficSize,
} from './constructs/deployment-guardrails';
export { FineTunedModelEndpointBase, IFineTunedModelEndpoint } from './constructs/fine-tuned-model-endpoint-base';
export { FineTuningMonitoring, FineTuningMonitoringProps } from './constructs/fine-tuning-monitoring';
export { LocalDataset, LocalDatasetProps } from './constructs/local-dataset';
export {
  LocalTrainingDataOptions,
  S3TrainingDataOptions,
  TrainingData,
  TrainingDataBindOptions,
  TrainingDataConfig,
} from './constructs/training-data';
export { Llama3FineTuningStack, Llama3FineTuningStackProps } from './llama3-fine-tuning-stack';
export {
  DatasetFormat,
  DatasetProblem,
  DatasetReport,
  DatasetValidationOptions,
  DatasetValidator,
  ProblemSeverity,
} from './datasets/dataset-validator';
export { TrainingEstimate, TrainingEstimator } from './estimates/training-estimate';
export { BudgetEndpoint } from './estimates/budget';
export { ComplianceProfile } from './constructs/compliance';
export { GenerationParameters } from './client/generation-parameters';
export { IColdStartProgress, Llama3EndpointClient, Llama3EndpointClientProps } from './client/llama3-endpoint-client';
export { ChatMessage } from './client/chat-template';
export { GeneratedPiece, GenerationStream } from './client/generation-stream';
export { Llama3Evaluation, RougeScorer } from './evaluation/llama3-evaluation';
export {
  EndpointAnswer,
  EvaluatedSample,
  EvaluationOptions,
  EvaluationReport,
  IEvaluationProgress,
  IPromptAnswerer,
  MeanScores,
} from './evaluation/endpoint-evaluation';
export { EvaluationSample } from './evaluation/evaluation-samples';
export { RougeScores } from './evaluation/rouge';
