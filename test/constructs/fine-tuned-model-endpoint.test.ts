import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { MODEL_CATALOGUE } from '../../lib/models/catalogue';
import { INSTANCE_TYPES } from '../../lib/models/instance-types';
import { FineTunedModelEndpoint, FineTunedModelEndpointProps } from '../../lib';
import { fineTuningStack } from '../support/stacks';

function endpointStack(props: Partial<FineTunedModelEndpointProps>): Template {
  const stack = new Stack(new App(), 'E');
  const role = iam.Role.fromRoleArn(stack, 'Role', 'arn:aws:iam::123456789012:role/R', { mutable: false });
  new FineTunedModelEndpoint(stack, 'Endpoint', { role, imageUri: 'djl-image', ...props });
  return Template.fromStack(stack);
}

const LMI_ENVIRONMENT = {
  ENDPOINT_SERVER_TIMEOUT: '3600',
  HF_MODEL_ID: '/opt/ml/model',
  MODEL_CACHE_ROOT: '/opt/ml/model',
  SAGEMAKER_ENV: '1',
  SAGEMAKER_MODEL_SERVER_TIMEOUT: '3600',
  SAGEMAKER_MODEL_SERVER_WORKERS: '1',
  SAGEMAKER_PROGRAM: 'inference.py',
  SAGEMAKER_SUBMIT_DIRECTORY: '/opt/ml/model/code',
};

/** The model's environment as the template writes it: each variable the hub resolver's attribute of that name. */
function fromHub(environment: Record<string, string>) {
  return Object.fromEntries(
    Object.keys(environment).map((name) => [
      name,
      { 'Fn::GetAtt': [expect.stringMatching(/^JumpStartArtifacts/), `HostingEnvironment.${name}`] },
    ]),
  );
}

describe('FineTunedModelEndpoint in the default 8B stack', () => {
  const template = Template.fromStack(fineTuningStack());
  const [modelId, model] = Object.entries(template.findResources('AWS::SageMaker::Model'))[0];
  const job = Object.keys(template.findResources('Custom::SageMakerTrainingJob'))[0];
  // The last wait of the chain, the one that completes when training has: no later handle waits for it.
  const handles = Object.values(template.findResources('AWS::CloudFormation::WaitConditionHandle'));
  const wait = Object.keys(template.findResources('AWS::CloudFormation::WaitCondition')).find(
    (id) => !handles.some((h) => h.DependsOn?.includes(id)),
  )!;

  test('the model is the compressed model.tar.gz of the training job, created after training completes', () => {
    expect(model.Properties.PrimaryContainer.ModelDataUrl).toEqual({ 'Fn::GetAtt': [job, 'ModelArtifactsUri'] });
    expect(model.Properties.PrimaryContainer.ModelDataSource).toBeUndefined();
    expect(model.DependsOn).toContain(wait);
  });

  test("DJL LMI image from the hub, JumpStart's environment with 4-way tensor parallelism on ml.g5.12xlarge, network isolation", () => {
    expect(model.Properties.PrimaryContainer.Image).toEqual({
      'Fn::GetAtt': [expect.stringMatching(/^JumpStartArtifacts/), 'HostingImageUri'],
    });
    const environment = {
      ...LMI_ENVIRONMENT,
      OPTION_GPU_MEMORY_UTILIZATION: '0.85',
      OPTION_TENSOR_PARALLEL_DEGREE: '4',
    };
    // The same hub answer as the image: the resolver is asked for these names, with these values as fallbacks.
    expect(model.Properties.PrimaryContainer.Environment).toEqual(fromHub(environment));
    expect(model.Properties.EnableNetworkIsolation).toBe(true);
    template.hasResourceProperties('Custom::JumpStartModelArtifacts', {
      HostingInstanceType: 'ml.g5.12xlarge',
      HostingEnvironment: environment,
    });
  });

  test("endpoint config: AllTraffic on ml.g5.12xlarge with JumpStart's 1200 s timeouts; the endpoint uses it", () => {
    template.hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      ProductionVariants: [
        {
          VariantName: 'AllTraffic',
          ModelName: { 'Fn::GetAtt': [modelId, 'ModelName'] },
          InstanceType: 'ml.g5.12xlarge',
          InitialInstanceCount: 1,
          ContainerStartupHealthCheckTimeoutInSeconds: 1200,
          ModelDataDownloadTimeoutInSeconds: 1200,
        },
      ],
      KmsKeyId: Match.absent(),
      DataCaptureConfig: Match.absent(),
    });
    template.hasResourceProperties('AWS::SageMaker::Endpoint', {
      EndpointConfigName: { 'Fn::GetAtt': [Match.anyValue(), 'EndpointConfigName'] },
    });
  });

  test('outputs the endpoint name, the model name and the invoke command', () => {
    const outputs = template.toJSON().Outputs;
    expect(Object.keys(outputs)).toEqual(
      expect.arrayContaining([
        'EndpointName',
        'ModelName',
        'InvokeCommand',
        'TrainingJobName',
        'TrainingJobArn',
        'ModelArtifactsUri',
      ]),
    );
    expect(JSON.stringify(outputs.InvokeCommand.Value)).toContain('npx llama3-ft invoke --region ');
    // A base model continues text: no chat.
    expect(JSON.stringify(outputs.InvokeCommand)).not.toContain('chat');
  });
});

test("an instruct model's invoke command sends it the prompt as a user turn and names the chat command", () => {
  const outputs = Template.fromStack(fineTuningStack({ modelId: 'meta-textgeneration-llama-3-8b-instruct' })).toJSON()
    .Outputs;
  const value = JSON.stringify(outputs.InvokeCommand.Value);
  expect(value).toContain('--prompt \\"Your prompt goes here\\" --model-id meta-textgeneration-llama-3-8b-instruct');
  expect(value).toContain('  # or chat: npx llama3-ft chat --region ');
  expect(value).toMatch(
    /# or chat: npx llama3-ft chat --region .* --endpoint .* --model-id meta-textgeneration-llama-3-8b-instruct/,
  );
  expect(outputs.InvokeCommand.Description).toContain('chat with it');
});

describe('FineTunedModelEndpoint in the default 70B stack', () => {
  const template = Template.fromStack(fineTuningStack({ modelId: 'meta-textgeneration-llama-3-70b' }));

  test('uncompressed output served from the S3 prefix on ml.p4d.24xlarge with 8-way tensor parallelism and eager mode', () => {
    const model = Object.values(template.findResources('AWS::SageMaker::Model'))[0];
    const job = Object.keys(template.findResources('Custom::SageMakerTrainingJob'))[0];
    expect(model.Properties.PrimaryContainer.ModelDataSource).toEqual({
      S3DataSource: {
        S3Uri: { 'Fn::GetAtt': [job, 'ModelArtifactsUri'] },
        S3DataType: 'S3Prefix',
        CompressionType: 'None',
      },
    });
    expect(model.Properties.PrimaryContainer.ModelDataUrl).toBeUndefined();
    const environment = { OPTION_ENFORCE_EAGER: 'true', OPTION_TENSOR_PARALLEL_DEGREE: '8' };
    expect(model.Properties.PrimaryContainer.Environment).toMatchObject(fromHub(environment));
    template.hasResourceProperties('Custom::JumpStartModelArtifacts', {
      HostingInstanceType: 'ml.p4d.24xlarge',
      HostingEnvironment: Match.objectLike(environment),
    });
    template.hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      ProductionVariants: [Match.objectLike({ InstanceType: 'ml.p4d.24xlarge' })],
    });
  });
});

describe('serving without training', () => {
  test('from an S3 prefix (trailing slash) or a model.tar.gz', () => {
    endpointStack({ modelArtifactsUri: 's3://models/job/output/model/' }).hasResourceProperties(
      'AWS::SageMaker::Model',
      {
        PrimaryContainer: Match.objectLike({
          ModelDataSource: {
            S3DataSource: { S3Uri: 's3://models/job/output/model/', S3DataType: 'S3Prefix', CompressionType: 'None' },
          },
        }),
      },
    );
    endpointStack({ modelArtifactsUri: 's3://models/job/output/model.tar.gz' }).hasResourceProperties(
      'AWS::SageMaker::Model',
      {
        PrimaryContainer: Match.objectLike({ ModelDataUrl: 's3://models/job/output/model.tar.gz' }),
      },
    );
  });

  test('from an existing training job, attached by name: no training in the stack', () => {
    const template = Template.fromStack(fineTuningStack({ existingTrainingJobName: 'earlier-job' }));
    template.resourceCountIs('AWS::CloudFormation::WaitCondition', 0);
    template.hasResourceProperties('Custom::SageMakerTrainingJob', { TrainingJobName: 'earlier-job' });
    template.resourceCountIs('AWS::SageMaker::Endpoint', 1);
  });

  test('train only: no endpoint', () => {
    const template = Template.fromStack(fineTuningStack({ deployEndpoint: false }));
    template.resourceCountIs('AWS::SageMaker::Endpoint', 0);
    template.resourceCountIs('AWS::SageMaker::Model', 0);
    // Training still runs: the deploy waits for it (a chain of 10 waits for 100 hours).
    template.resourceCountIs('AWS::CloudFormation::WaitCondition', 10);
  });

  test('two model sources, or a source with no endpoint, are refused', () => {
    expect(() => fineTuningStack({ existingTrainingJobName: 'j', modelArtifactsUri: 's3://models/x/' })).toThrow(
      /are both given; allowed: at most one model to serve/,
    );
    expect(() => fineTuningStack({ existingTrainingJobName: 'j', deployEndpoint: false })).toThrow(
      /nothing would be trained or served/,
    );
    expect(() => endpointStack({})).toThrow(
      /needs exactly one of trainingJob, modelArtifactsUri and modelPackageArn; given: none/,
    );
  });
});

describe('hosting rules', () => {
  test('an instance type the model is not served on lists the supported ones', () => {
    expect(() =>
      endpointStack({
        modelArtifactsUri: 's3://models/x/',
        modelId: 'meta-textgeneration-llama-3-70b',
        instanceType: 'ml.g5.12xlarge',
      }),
    ).toThrow(
      /instanceType is "ml.g5.12xlarge", which does not serve meta-textgeneration-llama-3-70b; allowed: ml.g5.48xlarge, ml.g6.48xlarge, ml.p4d.24xlarge, ml.p5.48xlarge/,
    );
  });

  test('every catalogued hosting type has local NVMe, so no volume key or size is set (SageMaker refuses them there)', () => {
    for (const model of MODEL_CATALOGUE) {
      for (const instanceType of model.hosting.supportedInstanceTypes)
        expect(INSTANCE_TYPES[instanceType].localNvme).toBe(true);
    }
    endpointStack({ modelArtifactsUri: 's3://models/x/' }).hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      KmsKeyId: Match.absent(),
      ProductionVariants: [Match.objectLike({ VolumeSizeInGB: Match.absent() })],
    });
  });

  test('grantInvoke grants InvokeEndpoint on this endpoint; an endpoint imported by name creates nothing and grants the same', () => {
    const stack = new Stack(new App(), 'Callers', { env: { account: '123456789012', region: 'us-east-1' } });
    const role = iam.Role.fromRoleArn(stack, 'Role', 'arn:aws:iam::123456789012:role/R', { mutable: false });
    const endpoint = new FineTunedModelEndpoint(stack, 'E', {
      role,
      imageUri: 'i',
      modelArtifactsUri: 's3://models/x/',
    });
    const imported = FineTunedModelEndpoint.fromEndpointName(stack, 'Theirs', 'Team-Llama');
    const caller = new iam.Role(stack, 'Caller', { assumedBy: new iam.AccountRootPrincipal() });
    endpoint.grantInvoke(caller);
    imported.grantInvoke(caller);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::SageMaker::Endpoint', 1);
    const callerPolicy = template.findResources('AWS::IAM::Policy', {
      Properties: { Roles: [{ Ref: Match.stringLikeRegexp('^Caller') }] },
    });
    const [first, second] = Object.values(callerPolicy)[0].Properties.PolicyDocument.Statement;
    expect(first.Effect).toBe('Allow');
    expect(first.Action).toEqual(['sagemaker:InvokeEndpoint', 'sagemaker:InvokeEndpointWithResponseStream']);
    // The endpoint's ARN from the name it is given at synth, in lower case as SageMaker writes it.
    const name = Object.values(template.findResources('AWS::SageMaker::Endpoint'))[0].Properties.EndpointName;
    expect(JSON.stringify(first.Resource)).toContain(
      `:sagemaker:us-east-1:123456789012:endpoint/${name.toLowerCase()}"`,
    );
    expect(second.Action).toEqual(first.Action);
    // SageMaker writes endpoint names in lower case in ARNs.
    expect(JSON.stringify(second.Resource)).toContain(':sagemaker:us-east-1:123456789012:endpoint/team-llama');
    expect(() => FineTunedModelEndpoint.fromEndpointName(stack, 'Bad', 'team_llama')).toThrow(
      /endpointName is "team_llama"/,
    );
  });

  test('a smaller instance gets a smaller tensor parallel degree', () => {
    endpointStack({ modelArtifactsUri: 's3://models/x/', instanceType: 'ml.g5.2xlarge' }).hasResourceProperties(
      'AWS::SageMaker::Model',
      {
        PrimaryContainer: Match.objectLike({ Environment: Match.objectLike({ OPTION_TENSOR_PARALLEL_DEGREE: '1' }) }),
      },
    );
  });

  test('custom timeouts, instance count and endpoint name', () => {
    const template = endpointStack({
      modelArtifactsUri: 's3://models/x/',
      instanceCount: 2,
      endpointName: 'my-llama',
      containerStartupHealthCheckTimeout: Duration.minutes(30),
      modelDataDownloadTimeout: Duration.minutes(40),
    });
    template.hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      ProductionVariants: [
        Match.objectLike({
          InitialInstanceCount: 2,
          ContainerStartupHealthCheckTimeoutInSeconds: 1800,
          ModelDataDownloadTimeoutInSeconds: 2400,
        }),
      ],
    });
    template.hasResourceProperties('AWS::SageMaker::Endpoint', { EndpointName: 'my-llama' });
    expect(() => endpointStack({ modelArtifactsUri: 's3://models/x/', endpointName: 'my_llama' })).toThrow(
      /endpointName is "my_llama"; allowed: 1 to 63 letters/,
    );
    expect(() => endpointStack({ modelArtifactsUri: 's3://models/x/', instanceCount: 0 })).toThrow(
      /instanceCount is 0; allowed: an integer >= 1/,
    );
  });

  test('data capture into the data bucket, and autoscaling on invocations per instance', () => {
    const template = Template.fromStack(
      fineTuningStack({
        dataCapture: true,
        endpointAutoScaling: { minInstances: 1, maxInstances: 4, targetInvocationsPerInstance: 20 },
      }),
    );
    template.hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      DataCaptureConfig: Match.objectLike({
        EnableCapture: true,
        InitialSamplingPercentage: 100,
        KmsKeyId: Match.anyValue(),
      }),
    });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      MinCapacity: 1,
      MaxCapacity: 4,
      ScalableDimension: 'sagemaker:variant:DesiredInstanceCount',
      ServiceNamespace: 'sagemaker',
    });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: Match.objectLike({
        TargetValue: 20,
        PredefinedMetricSpecification: { PredefinedMetricType: 'SageMakerVariantInvocationsPerInstance' },
      }),
    });
    expect(() =>
      endpointStack({ modelArtifactsUri: 's3://models/x/', autoScaling: { minInstances: 3, maxInstances: 2 } }),
    ).toThrow(
      /autoScaling.maxInstances is 2, below autoScaling.minInstances 3; allowed: at least autoScaling.minInstances/,
    );
  });
});

test("the model, endpoint config and endpoint carry JumpStart's model id and version tags, as the training job does", () => {
  const template = Template.fromStack(fineTuningStack());
  for (const type of ['AWS::SageMaker::Model', 'AWS::SageMaker::EndpointConfig', 'AWS::SageMaker::Endpoint']) {
    template.hasResourceProperties(type, {
      Tags: Match.arrayWith([
        { Key: 'sagemaker-sdk:jumpstart-model-id', Value: 'meta-textgeneration-llama-3-8b' },
        {
          Key: 'sagemaker-sdk:jumpstart-model-version',
          Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^JumpStartArtifacts'), 'HubContentVersion'] },
        },
      ]),
    });
  }
});
