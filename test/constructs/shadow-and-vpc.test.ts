import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import {
  DeploymentGuardrails,
  FineTunedModelEndpoint,
  FineTunedModelEndpointProps,
  FineTuningJob,
  FineTuningMonitoring,
  Llama3FineTuningStack,
  SageMakerExecutionRole,
  TrafficSize,
} from '../../lib';
import { nagFindings } from '../support/nag';

const ENV = { region: 'us-west-2', account: '123456789012' };

function endpointIn(stack: Stack, props: Partial<FineTunedModelEndpointProps> = {}): FineTunedModelEndpoint {
  const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
  return new FineTunedModelEndpoint(stack, 'Endpoint', {
    role,
    modelArtifactsUri: 's3://models/live/model.tar.gz',
    ...props,
  });
}

const models = (template: Template) => template.findResources('AWS::SageMaker::Model');
const config = (template: Template) =>
  Object.values(template.findResources('AWS::SageMaker::EndpointConfig'))[0].Properties;

describe('a shadow variant', () => {
  test('a second model, the same image logic, on a copy of a share of the requests', () => {
    const stack = new Stack(new App(), 'S', { env: ENV });
    const endpoint = endpointIn(stack, {
      imageUri: 'djl-image',
      shadow: { modelArtifactsUri: 's3://models/candidate/model/', samplingPercentage: 25 },
    });
    const template = Template.fromStack(stack);
    const [shadowId, shadowModel] = Object.entries(models(template)).find(([id]) => id.includes('Shadow'))!;
    const [, live] = Object.entries(models(template)).find(([id]) => !id.includes('Shadow'))!;
    // An uncompressed prefix is served from ModelDataSource, as the live model would be.
    expect(shadowModel.Properties.PrimaryContainer).toEqual({
      Image: 'djl-image',
      Environment: live.Properties.PrimaryContainer.Environment,
      ModelDataSource: {
        S3DataSource: { S3Uri: 's3://models/candidate/model/', S3DataType: 'S3Prefix', CompressionType: 'None' },
      },
    });
    expect(shadowModel.Properties.EnableNetworkIsolation).toBe(true);
    const {
      ProductionVariants: [production],
      ShadowProductionVariants: shadows,
    } = config(template);
    expect(production.InitialVariantWeight).toBe(1);
    expect(shadows).toEqual([
      {
        VariantName: 'Shadow',
        ModelName: { 'Fn::GetAtt': [shadowId, 'ModelName'] },
        InstanceType: 'ml.g5.12xlarge',
        InitialInstanceCount: 1,
        // A quarter of the production variant's weight: a quarter of its requests are copied.
        InitialVariantWeight: 0.25,
        ContainerStartupHealthCheckTimeoutInSeconds: 1200,
        ModelDataDownloadTimeoutInSeconds: 1200,
      },
    ]);
    expect(endpoint.shadowModel).toBeDefined();
  });

  test("on another instance type, the hub's image and environment for that type, at the live model's version", () => {
    const stack = new Stack(new App(), 'S', { env: ENV });
    endpointIn(stack, { shadow: { modelArtifactsUri: 's3://models/c/model.tar.gz', instanceType: 'ml.g5.48xlarge' } });
    const template = Template.fromStack(stack);
    const resolvers = template.findResources('Custom::JumpStartModelArtifacts');
    const shadowIds = Object.keys(resolvers).filter((id) => id.includes('ShadowArtifacts'));
    const liveIds = Object.keys(resolvers).filter((id) => !id.includes('ShadowArtifacts'));
    expect(shadowIds.length).toBeGreaterThan(0);
    const pinned = shadowIds.map((id) => resolvers[id].Properties.HubContentVersion);
    expect(pinned).toContainEqual({
      'Fn::GetAtt': [expect.stringMatching(new RegExp(`^(${liveIds.join('|')})$`)), 'HubContentVersion'],
    });
    const shadowModel = Object.entries(models(template)).find(([id]) => id.includes('Shadow'))![1];
    const image = shadowModel.Properties.PrimaryContainer.Image['Fn::GetAtt'];
    expect(shadowIds).toContain(image[0]);
    expect(image[1]).toBe('HostingImageUri');
    expect(config(template).ShadowProductionVariants[0].InstanceType).toBe('ml.g5.48xlarge');
  });

  test("a training job's model: the job's artifacts, compressed as it wrote them", () => {
    const stack = new Stack(new App(), 'S', { env: ENV });
    const job = FineTuningJob.attach(stack, 'Candidate', {
      trainingJobName: 'candidate-run',
      modelId: 'meta-textgeneration-llama-3-8b',
      outputCompressed: true,
    });
    endpointIn(stack, { imageUri: 'djl-image', shadow: { trainingJob: job } });
    const template = Template.fromStack(stack);
    const shadowModel = Object.entries(models(template)).find(([id]) => id.includes('Shadow'))![1];
    expect(shadowModel.Properties.PrimaryContainer.ModelDataUrl).toEqual(stack.resolve(job.modelArtifactsUri));
    expect(shadowModel.Properties.PrimaryContainer.ModelDataSource).toBeUndefined();
  });

  test('refused: with scaleToZero, from neither or both sources, another base model, a share outside 1 to 100', () => {
    const build = (props: Partial<FineTunedModelEndpointProps>) => () =>
      endpointIn(new Stack(new App(), 'S', { env: ENV }), { imageUri: 'djl-image', ...props });
    expect(build({ scaleToZero: {}, shadow: { modelArtifactsUri: 's3://models/c/model.tar.gz' } })).toThrow(
      /shadow is given with scaleToZero/,
    );
    expect(build({ shadow: {} })).toThrow(
      /shadow needs exactly one of trainingJob and modelArtifactsUri; given: neither/,
    );
    expect(build({ shadow: { modelArtifactsUri: 's3://models/c/model.tar.gz', samplingPercentage: 0 } })).toThrow(
      /shadow.samplingPercentage is 0; allowed: an integer from 1 to 100/,
    );
    expect(
      build({ shadow: { modelArtifactsUri: 's3://models/c/model.tar.gz', instanceType: 'ml.t3.medium' } }),
    ).toThrow(/shadow.instanceType is "ml.t3.medium", which does not serve meta-textgeneration-llama-3-8b/);
    const stack = new Stack(new App(), 'S', { env: ENV });
    const other = FineTuningJob.attach(stack, 'Other', {
      trainingJobName: 'other-run',
      modelId: 'meta-textgeneration-llama-3-70b',
    });
    expect(() => endpointIn(stack, { imageUri: 'djl-image', shadow: { trainingJob: other } })).toThrow(
      /shadow.trainingJob fine-tuned meta-textgeneration-llama-3-70b, but this endpoint serves meta-textgeneration-llama-3-8b/,
    );
  });
});

describe('the endpoint in a VPC', () => {
  test("the models' VpcConfig: private subnets, a new group with no inbound rules, ENI permissions, connections", () => {
    const stack = new Stack(new App(), 'V', { env: ENV });
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
    const endpoint = endpointIn(stack, {
      imageUri: 'djl-image',
      vpc,
      shadow: { modelArtifactsUri: 's3://models/c/model.tar.gz' },
    });
    const template = Template.fromStack(stack);
    const groups = template.findResources('AWS::EC2::SecurityGroup');
    expect(Object.keys(groups)).toHaveLength(1);
    const [groupId, group] = Object.entries(groups)[0];
    expect(group.Properties.SecurityGroupIngress).toBeUndefined();
    const privateSubnets = vpc.privateSubnets.map((s) => ({ Ref: stack.getLogicalId(s.node.defaultChild as never) }));
    for (const model of Object.values(models(template))) {
      expect(model.Properties.VpcConfig).toEqual({
        Subnets: privateSubnets,
        SecurityGroupIds: [{ 'Fn::GetAtt': [groupId, 'GroupId'] }],
      });
    }
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: Match.arrayWith(['ec2:CreateNetworkInterface']), Resource: '*' }),
        ]),
      },
    });
    expect(endpoint.connections.securityGroups).toHaveLength(1);
  });

  test("the team's own groups and subnets; outside a VPC there are no connections, and network props are refused", () => {
    const stack = new Stack(new App(), 'V', { env: ENV });
    const vpc = new ec2.Vpc(stack, 'Vpc', {
      maxAzs: 2,
      subnetConfiguration: [{ name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
    });
    const own = new ec2.SecurityGroup(stack, 'Own', { vpc });
    endpointIn(stack, { imageUri: 'djl-image', vpc, securityGroups: [own] });
    const template = Template.fromStack(stack);
    const model = Object.values(models(template))[0];
    expect(model.Properties.VpcConfig.SecurityGroupIds).toEqual([
      { 'Fn::GetAtt': [stack.getLogicalId(own.node.defaultChild as never), 'GroupId'] },
    ]);
    expect(model.Properties.VpcConfig.Subnets).toHaveLength(vpc.isolatedSubnets.length);

    const outside = endpointIn(new Stack(new App(), 'O', { env: ENV }), { imageUri: 'djl-image' });
    expect(() => outside.connections).toThrow(/runs outside a VPC and has no security groups to manage/);
    expect(() =>
      endpointIn(new Stack(new App(), 'O', { env: ENV }), {
        imageUri: 'djl-image',
        vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      }),
    ).toThrow(/^vpcSubnets is given without vpc, so the model runs in SageMaker's network and it would be ignored/);
    expect(() =>
      endpointIn(new Stack(new App(), 'O', { env: ENV }), { imageUri: 'djl-image', vpc, securityGroups: [] }),
    ).toThrow(/securityGroups is \[\]; allowed: 1 to 5 security groups/);
  });
});

describe('as a user builds it: a stack with guardrails, a shadow and a VPC', () => {
  const app = new App();
  const network = new Stack(app, 'Network', { env: ENV });
  const vpc = new ec2.Vpc(network, 'Shared', { maxAzs: 2 });
  // The fine-tuning stack: the job and the endpoint in the team's VPC, two instances behind a linear update.
  const fineTuning = new Llama3FineTuningStack(app, 'Llama3FineTuning', {
    env: ENV,
    acceptEula: true,
    modelVpc: vpc,
    endpointInstanceCount: 2,
    endpointDeploymentGuardrails: DeploymentGuardrails.linear({ stepSize: TrafficSize.instances(1) }),
    alarmEmail: 'ml-team@example.com',
  });
  // A serving stack of its own: the live model and a candidate in the shadow, in the same VPC.
  const serving = new Stack(app, 'Serving', { env: ENV });
  const models = s3.Bucket.fromBucketName(serving, 'Models', 'team-models');
  const role = new SageMakerExecutionRole(serving, 'Role', {
    dataBucket: s3.Bucket.fromBucketName(serving, 'Data', 'team-data'),
    modelBucket: models,
  });
  const endpoint = new FineTunedModelEndpoint(serving, 'Endpoint', {
    role,
    modelArtifactsUri: 's3://team-models/output/live/model.tar.gz',
    instanceCount: 2,
    vpc,
    shadow: { modelArtifactsUri: 's3://team-models/output/candidate/model.tar.gz', samplingPercentage: 50 },
    deploymentGuardrails: DeploymentGuardrails.canary({ canarySize: TrafficSize.percent(50) }),
  });
  // Its rollback alarms notify the team's topic through the monitoring, as every alarm should act.
  const topic = new sns.Topic(serving, 'Alarms', {
    masterKey: new kms.Key(serving, 'AlarmKey', { enableKeyRotation: true }),
    enforceSSL: true,
  });
  new FineTuningMonitoring(serving, 'Monitoring', { endpoint, alarmTopic: topic });

  test('the training job and the endpoint both run in the VPC', () => {
    const template = Template.fromStack(fineTuning);
    const job = Object.values(template.findResources('Custom::SageMakerTrainingJob'))[0];
    expect(job.Properties.SubnetIds).toHaveLength(2);
    const model = Object.values(template.findResources('AWS::SageMaker::Model'))[0];
    expect(model.Properties.VpcConfig.Subnets).toHaveLength(2);
    const endpoint = Object.values(template.findResources('AWS::SageMaker::Endpoint'))[0];
    expect(endpoint.Properties.DeploymentConfig.BlueGreenUpdatePolicy.TrafficRoutingConfiguration.Type).toBe('LINEAR');
  });

  test('cfn-lint finds no error and no warning in either template', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfn-lint-rollout-'));
    const files = [fineTuning, serving].map((stack) => {
      const file = join(dir, `${stack.stackName}.template.json`);
      writeFileSync(file, JSON.stringify(Template.fromStack(stack).toJSON(), null, 1));
      return file;
    });
    const lint = spawnSync('cfn-lint', ['--format', 'parseable', '-i', 'W3005', '--', ...files], { encoding: 'utf8' });
    expect(lint.error).toBeUndefined();
    expect(lint.stdout + lint.stderr).toBe('');
    expect(lint.status).toBe(0);
  });

  test('cdk-nag AwsSolutions and NIST 800-53 R5 find nothing unacknowledged', () => {
    expect(nagFindings(fineTuning)).toEqual([]);
    expect(nagFindings(serving)).toEqual([]);
  });

  test('the stack refuses modelSubnets without modelVpc, in its own words', () => {
    expect(
      () =>
        new Llama3FineTuningStack(new App(), 'X', {
          acceptEula: true,
          modelSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
        }),
    ).toThrow(/modelSubnets is given without modelVpc/);
  });
});
