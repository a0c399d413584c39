/**
 * Training data in a bucket encrypted with a customer-managed KMS key the stack does not own:
 * the execution role decrypts with that key, through S3 only; what cannot work is refused.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { FineTuningJob } from '../../lib';
import { fineTuningStack } from '../support/stacks';

const KEY = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

/** The statements of the policies on a role, by the role's logical id prefix. */
function statementsOf(template: Template, rolePrefix: string): any[] {
  return Object.values<any>(template.findResources('AWS::IAM::Policy'))
    .filter((p) => p.Properties.Roles.some((r: any) => r.Ref.startsWith(rolePrefix)))
    .flatMap((p) => p.Properties.PolicyDocument.Statement);
}

const decrypt = (resource: unknown) => ({
  Action: 'kms:Decrypt',
  Effect: 'Allow',
  Resource: resource,
  Condition: {
    StringEquals: { 'kms:ViaService': { 'Fn::Join': ['', ['s3.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } },
  },
});

describe('FineTuningJob trainingDataEncryptionKey', () => {
  /** The statements of a job's own role, the job given the key or not. */
  function roleStatements(withKey: boolean): any[] {
    const stack = new Stack(new App(), 'Team');
    const role = new iam.Role(stack, 'TrainingRole', {
      assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com'),
    });
    new FineTuningJob(stack, 'Job', {
      acceptEula: true,
      role,
      trainingDataUri: 's3://team-data/llama/train/',
      outputUri: 's3://team-models/out/',
      trainingDataEncryptionKey: withKey ? kms.Key.fromKeyArn(stack, 'DataKey', KEY) : undefined,
    });
    return statementsOf(Template.fromStack(stack), 'TrainingRole');
  }

  test('the role may decrypt with the key through S3, and only through S3', () => {
    expect(roleStatements(true)).toContainEqual(decrypt(KEY));
  });

  test('without a key the role gets no KMS statement for the data', () => {
    expect(roleStatements(false).filter((s) => s.Action === 'kms:Decrypt')).toEqual([]);
  });
});

describe('the stack: trainingDataKeyArn / train_data_kms_key', () => {
  test('s3:// data with its key: the execution role decrypts with it through S3', () => {
    const template = Template.fromStack(
      fineTuningStack({ trainData: 's3://team-data/llama/train/', trainingDataKeyArn: KEY }),
    );
    expect(statementsOf(template, 'ExecutionRole')).toContainEqual(decrypt(KEY));
  });

  test.each([
    [
      { trainData: 's3://team-data/train/', trainingDataKeyArn: 'arn:aws:kms:us-east-1:111122223333:alias/team-data' },
      /trainingDataKeyArn is "arn:aws:kms:us-east-1:111122223333:alias\/team-data"; allowed: a KMS key ARN, .*\(an alias cannot be granted.*Fix: copy the key ARN from `aws kms describe-key/,
    ],
    [
      { trainData: 's3://team-data/train/', trainingDataKeyArn: 'team-data-key' },
      /trainingDataKeyArn is "team-data-key"; allowed: a KMS key ARN/,
    ],
    [
      { trainingDataKeyArn: KEY },
      /trainingDataKeyArn is given, but no s3:\/\/ trainData or validationData is: .*Fix: give the s3:\/\/ data it encrypts, or drop trainingDataKeyArn\./,
    ],
    [
      { existingTrainingJobName: 'trained-job', trainingDataKeyArn: KEY },
      /existingTrainingJobName serves an existing model, so nothing is trained, but trainingDataKeyArn is given/,
    ],
  ])('%j is refused', (props, message) => {
    expect(() => fineTuningStack(props)).toThrow(message);
  });
});
