/**
 * additionalTrainingJobParameters: CreateTrainingJob members the library does not model, checked
 * at synth against SageMaker's service model, refused where the library sets the member, carried
 * to the training handler as JSON, a training input (a change trains anew), with writes granted
 * where SageMaker writes as the role. (The merge into the request: training-request.test.ts.)
 */
import { Aws, Lazy, Token } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { FineTuningJobProps } from '../../lib';
import { isConfigurationError } from '../../lib/config/configuration-error';
import { OWNED_ENVIRONMENT } from '../../lib/constructs/private/additional-parameters-checks';
import { fineTuningStack, jobStack } from '../support/stacks';

const WARM_POOL = { ResourceConfig: { KeepAlivePeriodInSeconds: 1800 } };

/** The training custom resource's properties, resolved. */
function jobProperties(props: Partial<FineTuningJobProps>): Record<string, any> {
  const { template } = jobStack(props);
  return Object.values(template.findResources('Custom::SageMakerTrainingJob'))[0].Properties;
}

function refusal(props: Record<string, unknown>): string {
  try {
    jobStack({ additionalTrainingJobParameters: props });
  } catch (error) {
    expect(isConfigurationError(error)).toBe(true);
    return (error as Error).message;
  }
  throw new Error('built');
}

describe('what reaches the training handler', () => {
  test('the members as JSON, numbers and booleans kept, keys sorted at every level', () => {
    const properties = jobProperties({
      additionalTrainingJobParameters: {
        ResourceConfig: { KeepAlivePeriodInSeconds: 1800 },
        Environment: { B_VAR: 'b', A_VAR: 'a' },
        InfraCheckConfig: { EnableInfraCheck: true },
        ExperimentConfig: undefined,
      },
    });
    expect(properties.AdditionalParameters).toBe(
      '{"Environment":{"A_VAR":"a","B_VAR":"b"},"InfraCheckConfig":{"EnableInfraCheck":true},' +
        '"ResourceConfig":{"KeepAlivePeriodInSeconds":1800}}',
    );
  });

  test('none given: no property, and the same job as before the prop existed', () => {
    const without = jobProperties({});
    expect(without.AdditionalParameters).toBeUndefined();
    expect(jobProperties({ additionalTrainingJobParameters: undefined }).InputsHash).toBe(without.InputsHash);
  });

  test('a change starts a new job; the same members in another order do not', () => {
    const hash = (parameters?: Record<string, unknown>) =>
      jobProperties({ additionalTrainingJobParameters: parameters }).InputsHash;
    const base = hash({ Environment: { A: '1', B: '2' }, ...WARM_POOL });
    expect(hash({ ...WARM_POOL, Environment: { B: '2', A: '1' } })).toBe(base);
    expect(hash({ Environment: { A: '1', B: '3' }, ...WARM_POOL })).not.toBe(base);
    expect(hash({ Environment: { A: '1', B: '2' } })).not.toBe(base);
    expect(hash()).not.toBe(base);
  });

  test('string and number tokens pass, and resolve inside the JSON', () => {
    const { template } = jobStack({
      additionalTrainingJobParameters: {
        TensorBoardOutputConfig: { S3OutputPath: `s3://boards-${Aws.ACCOUNT_ID}/tensorboard/` },
        ResourceConfig: { KeepAlivePeriodInSeconds: Token.asNumber(Lazy.number({ produce: () => 600 })) },
      },
    });
    const properties = Object.values(template.findResources('Custom::SageMakerTrainingJob'))[0].Properties;
    // The account is a deploy-time value: the JSON is joined around it.
    expect(properties.AdditionalParameters).toEqual({
      'Fn::Join': [
        '',
        [
          '{"ResourceConfig":{"KeepAlivePeriodInSeconds":600},"TensorBoardOutputConfig":{"S3OutputPath":"s3://boards-',
          { Ref: 'AWS::AccountId' },
          '/tensorboard/"}}',
        ],
      ],
    });
  });
});

describe('members the library sets are refused, naming the prop that controls each', () => {
  test.each([
    ['VpcConfig', { Subnets: ['subnet-1'], SecurityGroupIds: ['sg-1'] }, 'use vpc, vpcSubnets and securityGroups'],
    ['StoppingCondition', { MaxRuntimeInSeconds: 3600 }, 'use maxRuntime, maxPendingTime and maxWaitTime'],
    ['HyperParameters', { epoch: '3' }, 'use hyperparameters instead'],
    ['RoleArn', 'arn:aws:iam::123456789012:role/Other', 'use role instead'],
    ['TrainingJobName', 'mine', 'use jobNamePrefix and trainingRunId'],
    [
      'OutputDataConfig',
      { S3OutputPath: 's3://o/' },
      'use outputUri, outputEncryptionKey and disableOutputCompression',
    ],
    ['AlgorithmSpecification', { TrainingInputMode: 'Pipe' }, 'use trainingImageUri'],
    ['InputDataConfig', [], 'use trainingData and validationData'],
    ['Tags', [{ Key: 'a', Value: 'b' }], 'use Tags.of(job)'],
    ['EnableManagedSpotTraining', true, 'use useSpotInstances'],
    ['CheckpointConfig', { S3Uri: 's3://c/' }, 'use useSpotInstances'],
    ['RetryStrategy', { MaximumRetryAttempts: 2 }, 'use retryAttempts'],
    ['EnableNetworkIsolation', false, 'cannot be passed through: the job always runs network-isolated'],
    ['EnableInterContainerTrafficEncryption', false, 'cannot be passed through: traffic between training'],
    ['ServerlessJobConfig', { BaseModelArn: 'a', JobType: 'FineTuning' }, 'cannot be passed through'],
  ])('%s', (member, value, words) => {
    const message = refusal({ [member]: value });
    expect(message).toContain(`additionalTrainingJobParameters.${member} is set by the library`);
    expect(message).toContain(words);
    expect(message).toContain(`remove additionalTrainingJobParameters.${member}`);
  });

  test.each([
    ['InstanceType', 'ml.g5.24xlarge', 'use instanceType instead'],
    ['InstanceCount', 2, 'use instanceCount instead'],
    ['VolumeSizeInGB', 500, 'sizes the volume'],
    ['VolumeKmsKeyId', 'arn:aws:kms:us-west-2:123456789012:key/k', 'local NVMe'],
    ['InstancePreferences', [{ InstanceType: 'ml.g5.48xlarge' }], 'use fallbackInstanceTypes'],
    ['TrainingPlanArn', 'arn:aws:sagemaker:us-west-2:123456789012:training-plan/p', 'use trainingPlanArn'],
    ['InstanceGroups', [], 'one instance group'],
    ['SelectedInstanceType', 'ml.g5.12xlarge', 'SageMaker reports it'],
  ])('ResourceConfig.%s, beside a warm pool that passes', (member, value, words) => {
    const message = refusal({ ResourceConfig: { KeepAlivePeriodInSeconds: 60, [member]: value } });
    expect(message).toContain(`additionalTrainingJobParameters.ResourceConfig.${member} is set by the library`);
    expect(message).toContain(words);
    expect(message).not.toContain('KeepAlivePeriodInSeconds');
  });

  test.each(Object.keys(OWNED_ENVIRONMENT))("Environment.%s, the gated weights' variable", (name) => {
    const message = refusal({ Environment: { [name]: 'x', MY_VAR: 'y' } });
    expect(message).toContain(`additionalTrainingJobParameters.Environment.${name} is set by the library`);
    expect(message).not.toContain('MY_VAR');
  });

  test('Environment leaves room for the library’s variables within SageMaker’s 100', () => {
    const variables = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`V${i}`, 'x']));
    expect(() => jobStack({ additionalTrainingJobParameters: { Environment: variables(98) } })).not.toThrow();
    expect(refusal({ Environment: variables(99) })).toContain(
      'additionalTrainingJobParameters.Environment has 99 variables; allowed: at most 98',
    );
    expect(refusal({ Environment: variables(101) })).toContain('Environment has 101 entries');
  });

  test('a placement configuration with instance preferences (SageMaker takes one or the other)', () => {
    expect(() =>
      jobStack({
        fallbackInstanceTypes: ['ml.g5.24xlarge'],
        additionalTrainingJobParameters: { ResourceConfig: { InstancePlacementConfig: { EnableMultipleJobs: true } } },
      }),
    ).toThrow(/ResourceConfig\.InstancePlacementConfig is given with fallbackInstanceTypes/);
  });

  test('the stack speaks its own prop names', () => {
    expect(() =>
      fineTuningStack({ trainingAdditionalParameters: { ResourceConfig: { InstanceType: 'ml.g5.24xlarge' } } }),
    ).toThrow(
      'trainingAdditionalParameters.ResourceConfig.InstanceType is set by the library; allowed: members the library ' +
        'does not set. Fix: use trainingInstanceType instead',
    );
    expect(() =>
      fineTuningStack({ existingTrainingJobName: 'earlier', trainingAdditionalParameters: WARM_POOL }),
    ).toThrow(/trainingAdditionalParameters is given and would be ignored/);
  });
});

describe('checked against the service model', () => {
  test('a misspelt member: did you mean', () => {
    expect(refusal({ ProfilerConfg: {} })).toMatch(
      /additionalTrainingJobParameters\.ProfilerConfg is not a member of SageMaker's CreateTrainingJobRequest; allowed: .*ProfilerConfig.*Fix: did you mean ProfilerConfig\?/,
    );
    expect(refusal({ ResourceConfig: { KeepAlivePeriodInSecond: 60 } })).toContain(
      'did you mean KeepAlivePeriodInSeconds?',
    );
  });

  test('a warm pool beyond SageMaker’s range, every problem at once', () => {
    const message = refusal({
      ResourceConfig: { KeepAlivePeriodInSeconds: 99999 },
      RemoteDebugConfig: { EnableRemoteDebug: 'true' },
    });
    expect(message).toContain('2 configuration problems');
    expect(message).toContain(
      'additionalTrainingJobParameters.ResourceConfig.KeepAlivePeriodInSeconds is 99999; allowed: an integer from 0 to 21600',
    );
    expect(message).toContain(
      'additionalTrainingJobParameters.RemoteDebugConfig.EnableRemoteDebug is "true"; allowed: true or false. Fix: pass a boolean, not a string',
    );
  });

  test.each([
    ['a string', 'warm pool'],
    ['a list', [WARM_POOL]],
    ['null', null],
  ])('the prop as %s', (_kind, value) => {
    expect(() => jobStack({ additionalTrainingJobParameters: value as any })).toThrow(
      /additionalTrainingJobParameters is .*; allowed: an object of CreateTrainingJob members the library does not set/,
    );
  });

  test('a token where an object belongs cannot be checked, and is refused', () => {
    const token = Lazy.any({ produce: () => ({ EnableInfraCheck: true }) });
    expect(refusal({ InfraCheckConfig: token })).toContain(
      'additionalTrainingJobParameters.InfraCheckConfig is a token, whose members cannot be checked at synth',
    );
    expect(() => jobStack({ additionalTrainingJobParameters: token as any })).toThrow(
      /additionalTrainingJobParameters is a token; allowed: an object/,
    );
  });
});

describe('permissions', () => {
  const writes = (location: string) => ({
    Effect: 'Allow',
    Action: ['s3:PutObject', 's3:AbortMultipartUpload'],
    Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:s3:::${location}*`]] },
  });

  test('the role may write under each literal S3 output location, once each, and only there', () => {
    const template = Template.fromStack(
      fineTuningStack({
        trainingAdditionalParameters: {
          ProfilerConfig: { S3OutputPath: 's3://ml-team-profiles/llama3/' },
          TensorBoardOutputConfig: { S3OutputPath: 's3://ml-team-boards/tb/' },
          DebugHookConfig: { S3OutputPath: 's3://ml-team-profiles/llama3/' },
        },
      }),
    );
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
      (p) => p.Properties.PolicyDocument.Statement,
    );
    const toProfiles = statements.filter((s) => JSON.stringify(s).includes('ml-team-profiles'));
    expect(toProfiles).toEqual([writes('ml-team-profiles/llama3/')]);
    expect(statements).toContainEqual(writes('ml-team-boards/tb/'));
  });

  test('nothing is granted without output locations', () => {
    const template = Template.fromStack(fineTuningStack({ trainingAdditionalParameters: WARM_POOL }));
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
      (p) => p.Properties.PolicyDocument.Statement,
    );
    expect(statements.filter((s) => JSON.stringify(s.Action) === JSON.stringify(writes('').Action))).toEqual([]);
  });
});
