import { Duration } from 'aws-cdk-lib';

/** A CloudFormation wait condition waits at most 12 hours. */
export const MAX_WAIT = Duration.hours(12);
/** Time around the training itself: queueing for capacity, downloading base weights, uploading the model. */
export const WAIT_MARGIN = Duration.hours(1);
/** The longest training run a deploy can wait for. */
export const MAX_TRAINING_RUNTIME = MAX_WAIT.minus(WAIT_MARGIN);
