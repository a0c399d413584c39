import { throwIfProblems } from './configuration-error';
import { S3UriForm, booleanProblem, s3UriProblem, sageMakerNameProblem } from './input-checks';
import type { Llama3FineTuningStackProps } from '../llama3-fine-tuning-stack';

/** A prop with the example app's context key, as the stack's messages name them. */
const label = (prop: string, key: string) => `${prop} (context key "${key}")`;

const BOOLEANS: ReadonlyArray<[keyof Llama3FineTuningStackProps, string]> = [
  ['deployEndpoint', 'deploy_endpoint'], ['dataCapture', 'data_capture'], ['destroyDataOnDelete', 'destroy_data_on_delete'],
  ['disableOutputCompression', 'disable_output_compression'], ['encryptLogs', 'encrypt_logs'], ['skipRuntimeCheck', 'skip_runtime_check'],
];

/** Settings that only matter when the stack trains. */
const TRAINING_SETTINGS: ReadonlyArray<[keyof Llama3FineTuningStackProps, string]> = [
  ['trainData', 'train_data'], ['validationData', 'validation_data'], ['trainingInstanceType', 'instance_type'],
  ['trainingInstanceCount', 'instance_count'], ['trainingMaxRuntime', 'max_run'], ['skipRuntimeCheck', 'skip_runtime_check'],
];

/** Settings that only matter when the stack serves. */
const SERVING_SETTINGS: ReadonlyArray<[keyof Llama3FineTuningStackProps, string]> = [
  ['endpointInstanceType', 'endpoint_instance_type'], ['endpointInstanceCount', 'endpoint_instance_count'],
  ['endpointName', 'endpoint_name'], ['dataCapture', 'data_capture'], ['endpointAutoScaling', 'endpoint_min_instances/endpoint_max_instances'],
];

/** A plausible address: something@domain.tld, no spaces. */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * The stack's props that contradict each other or would be ignored, and values the
 * constructs would receive under another name: refused before anything is built.
 */
export function checkStackProps(props: Llama3FineTuningStackProps): void {
  const problems: Array<string | undefined> = BOOLEANS.map(([prop, key]) => booleanProblem(label(prop, key), props[prop]));
  const given = (prop: keyof Llama3FineTuningStackProps) => props[prop] !== undefined;

  const source = props.existingTrainingJobName !== undefined ? label('existingTrainingJobName', 'training_job_name')
    : props.modelArtifactsUri !== undefined ? label('modelArtifactsUri', 'model_data') : undefined;
  const hyperparameters = Object.entries(props.hyperparameters ?? {}).filter(([, v]) => v !== undefined).map(([k]) => `hyperparameters.${k}`);
  if (source) {
    const ignored = [...TRAINING_SETTINGS.filter(([p]) => given(p)).map(([p, k]) => label(p, k)), ...hyperparameters];
    if (ignored.length > 0) {
      problems.push(`${source} serves an existing model, so nothing is trained, but ${ignored.join(', ')} ${ignored.length > 1 ? 'are' : 'is'} `
        + 'given and would be ignored. Fix: remove the training settings, or drop the model source to train.');
    }
  }
  if (props.deployEndpoint === false) {
    const ignored = SERVING_SETTINGS.filter(([p]) => given(p)).map(([p, k]) => label(p, k));
    if (ignored.length > 0) {
      problems.push(`${label('deployEndpoint', 'deploy_endpoint')} is false, so nothing is served, but ${ignored.join(', ')} `
        + `${ignored.length > 1 ? 'are' : 'is'} given and would be ignored. Fix: remove them, or drop deploy_endpoint=false.`);
    }
  }
  const hp = props.hyperparameters ?? {};
  if (!source && props.trainData === undefined && (hp.instructionTuned === true || hp.chatDataset === true)) {
    const mode = hp.chatDataset === true ? label('hyperparameters.chatDataset', 'chat_dataset') : label('hyperparameters.instructionTuned', 'instruction_tuned');
    problems.push(`${mode} is true, but no ${label('trainData', 'train_data')} is given: the default dataset (SEC filings) is plain text `
      + 'for domain adaptation, which that mode cannot read. Fix: give train_data in the mode\'s format, or drop the mode.');
  }
  if (props.trainData !== undefined && props.trainData.startsWith('s3://')) {
    problems.push(s3UriProblem(label('trainData', 'train_data'), props.trainData, S3UriForm.PREFIX));
  }
  if (props.validationData !== undefined && props.validationData.startsWith('s3://')) {
    problems.push(s3UriProblem(label('validationData', 'validation_data'), props.validationData, S3UriForm.PREFIX));
  }
  if (props.existingTrainingJobName !== undefined) {
    problems.push(sageMakerNameProblem(label('existingTrainingJobName', 'training_job_name'), props.existingTrainingJobName));
  }
  if (props.modelArtifactsUri !== undefined) {
    problems.push(s3UriProblem(label('modelArtifactsUri', 'model_data'), props.modelArtifactsUri, S3UriForm.MODEL));
  }
  if (props.alarmEmail !== undefined && !(typeof props.alarmEmail === 'string' && EMAIL.test(props.alarmEmail))) {
    problems.push(`${label('alarmEmail', 'alarm_email')} is ${JSON.stringify(props.alarmEmail)}, which is not an email address. `
      + 'Fix: give one address, e.g. ml-team@example.com.');
  }
  throwIfProblems(problems);
}
