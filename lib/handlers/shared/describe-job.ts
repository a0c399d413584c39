import { DescribeTrainingJobCommand, DescribeTrainingJobResponse, SageMakerClient } from '@aws-sdk/client-sagemaker';

/** A training job's description, or undefined when there is no job of that name. */
export async function describeTrainingJob(
  sagemaker: SageMakerClient,
  name: string,
): Promise<DescribeTrainingJobResponse | undefined> {
  try {
    return await sagemaker.send(new DescribeTrainingJobCommand({ TrainingJobName: name }));
  } catch (error) {
    if (error instanceof Error && ['ValidationException', 'ResourceNotFound'].includes(error.name)) return undefined;
    throw error;
  }
}
