/**
 * The model registry: the stack registers what it trains as a new version of its own group, with
 * what serving it takes; versions outlive replacements and the stack; consumer accounts get the
 * group, the models under output/ and their decryption through S3, and nothing else.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { FineTuningJob, Llama3FineTuningStack, ModelApprovalStatus, ModelRegistry } from '../../lib';
import { nagFindings } from '../support/nag';
import { sampleValue } from '../support/sample-values';
import { fineTuningStack } from '../support/stacks';

const ENV = { account: '123456789012', region: 'us-east-1' };

function stackWith(props: Record<string, unknown> = {}, id = 'Dev'): Llama3FineTuningStack {
  return new Llama3FineTuningStack(new App(), id, { acceptEula: true, env: ENV, ...props });
}

function only(template: Template, type: string): { logicalId: string; resource: any } {
  const found = Object.entries(template.findResources(type));
  expect(found).toHaveLength(1);
  return { logicalId: found[0][0], resource: found[0][1] };
}

describe('the version a training stack registers', () => {
  const stack = stackWith();
  const template = Template.fromStack(stack);
  const { resource: version } = only(template, 'AWS::SageMaker::ModelPackage');
  const job = stack.fineTuningJob as FineTuningJob;

  test("joins the stack's own group, and records what serving the model takes", () => {
    const { logicalId: groupId } = only(template, 'AWS::SageMaker::ModelPackageGroup');
    const groupName = template.toJSON().Resources[groupId].Properties.ModelPackageGroupName;
    expect(version.Properties.ModelPackageGroupName).toEqual(groupName);
    const [container] = version.Properties.InferenceSpecification.Containers;
    // The image and environment the stack's endpoint runs with, from the same hub answer.
    const model = only(template, 'AWS::SageMaker::Model').resource.Properties.PrimaryContainer;
    expect(container.Image).toEqual(model.Image);
    expect(container.Environment).toEqual(model.Environment);
    expect(container.ModelDataUrl).toEqual(model.ModelDataUrl);
    expect(container.ModelDataUrl).toEqual(stack.resolve(job.modelArtifactsUri));
    expect(version.Properties.InferenceSpecification.SupportedRealtimeInferenceInstanceTypes).toEqual([
      'ml.g5.12xlarge',
    ]);
    expect(version.Properties.Task).toBe('TEXT_GENERATION');
  });

  test('records where the model came from: model id, hub version, training job and data', () => {
    const metadata = version.Properties.CustomerMetadataProperties;
    expect(metadata['jumpstart-model-id']).toBe('meta-textgeneration-llama-3-8b');
    expect(metadata['jumpstart-hub-content-version']).toEqual(stack.resolve(stack.artifacts.hubContentVersion));
    expect(metadata['training-job-name']).toEqual(stack.resolve(job.trainingJobName));
    expect(JSON.stringify(metadata['training-data'])).toContain('training-datasets/sec_amazon/');
  });

  test('is created only once training has completed', () => {
    const dependsOn: string[] = version.DependsOn;
    const waits = Object.keys(template.findResources('AWS::CloudFormation::WaitCondition'));
    expect(waits.length).toBeGreaterThan(0);
    expect(dependsOn.some((id) => waits.includes(id))).toBe(true);
  });

  test('a new model is a new version, and versions and the group are kept: replaced or deleted, they stay', () => {
    // Create-only properties: a new training job's model replaces the version resource.
    expect(JSON.stringify(version.Properties.ModelPackageDescription)).toContain('TrainingJobName');
    expect(version.DeletionPolicy).toBe('Retain');
    expect(version.UpdateReplacePolicy).toBe('Retain');
    const group = only(template, 'AWS::SageMaker::ModelPackageGroup').resource;
    expect(group.DeletionPolicy).toBe('Retain');
  });

  test("leaves the approval status to SageMaker's default unless asked, so a person's approval is never reset", () => {
    expect(version.Properties.ModelApprovalStatus).toBeUndefined();
    const approved = Template.fromStack(stackWith({ modelApprovalStatus: ModelApprovalStatus.APPROVED }));
    approved.hasResourceProperties('AWS::SageMaker::ModelPackage', { ModelApprovalStatus: 'Approved' });
  });

  test('outputs the version ARN and the command that approves it', () => {
    const outputs = template.toJSON().Outputs;
    expect(outputs.ModelPackageArn.Value).toEqual(stack.resolve(stack.modelVersion!.modelPackageArn));
    expect(JSON.stringify(outputs.ApproveCommand.Value)).toContain('--model-approval-status Approved');
  });

  test('shares nothing with other accounts unless asked', () => {
    expect(
      only(template, 'AWS::SageMaker::ModelPackageGroup').resource.Properties.ModelPackageGroupPolicy,
    ).toBeUndefined();
    expect(JSON.stringify(template.toJSON())).not.toContain('ConsumerAccounts');
  });
});

test('an uncompressed model is registered by its prefix, as SageMaker reads one', () => {
  const template = Template.fromStack(stackWith({ disableOutputCompression: true }));
  const [container] = only(template, 'AWS::SageMaker::ModelPackage').resource.Properties.InferenceSpecification
    .Containers;
  expect(container.ModelDataUrl).toBeUndefined();
  expect(container.ModelDataSource.S3DataSource).toMatchObject({ S3DataType: 'S3Prefix', CompressionType: 'None' });
});

test('Dev and Staging register into groups of their own, and a stack created again gets a new one', () => {
  const names = ['Dev', 'Staging'].map((id) => {
    const template = Template.fromStack(stackWith({}, id));
    return only(template, 'AWS::SageMaker::ModelPackageGroup').resource.Properties.ModelPackageGroupName;
  });
  // Each name is the construct's own prefix and the stack's id: the group is retained, so a name that
  // came back would collide with it after a deletion or a first deploy that rolled back.
  for (const name of names) {
    expect(name).toEqual({
      'Fn::Join': [
        '',
        [
          expect.stringMatching(/^[a-z0-9-]{1,26}-$/),
          { 'Fn::Select': [2, { 'Fn::Split': ['/', { Ref: 'AWS::StackId' }] }] },
        ],
      ],
    });
  }
  expect(names[0]['Fn::Join'][1][0]).not.toBe(names[1]['Fn::Join'][1][0]);
  // 26 + 1 + a 36-character UUID: within SageMaker's 63.
  expect(names[0]['Fn::Join'][1][0].length + 36).toBeLessThanOrEqual(63);
});

test('nothing is registered when the stack serves a registered version, trains only later, or is told not to', () => {
  for (const props of [{ registerModel: false }, { waitForTraining: false, deployEndpoint: false }]) {
    const template = Template.fromStack(stackWith(props));
    template.resourceCountIs('AWS::SageMaker::ModelPackage', 0);
    template.resourceCountIs('AWS::SageMaker::ModelPackageGroup', 0);
  }
});

describe('consumer accounts', () => {
  const stack = stackWith({ modelConsumerAccountIds: ['111122223333'] });
  const template = Template.fromStack(stack);
  const consumer = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::111122223333:root']] };

  test('the group lets them read its versions and create models from them, and nothing more', () => {
    const policy = only(template, 'AWS::SageMaker::ModelPackageGroup').resource.Properties.ModelPackageGroupPolicy;
    expect(policy.Statement).toHaveLength(1);
    const [statement] = policy.Statement;
    expect(statement.Principal.AWS).toEqual([consumer]);
    expect(statement.Action.sort()).toEqual([
      'sagemaker:CreateModel',
      'sagemaker:DescribeModelPackage',
      'sagemaker:DescribeModelPackageGroup',
      'sagemaker:ListModelPackages',
    ]);
    const resources = JSON.stringify(statement.Resource);
    const [prefix, stackId] = stack.resolve(stack.registry!.modelPackageGroupName)['Fn::Join'][1];
    expect(resources).toContain(`:model-package-group/${prefix}",${JSON.stringify(stackId)}]]}`);
    expect(resources).toContain(`:model-package/${prefix}",${JSON.stringify(stackId)},"/*"]]}`);
  });

  test('the model bucket lets them read output/ only, and the key decrypt only through S3', () => {
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: Match.stringLikeRegexp('BucketsModel') },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'ConsumerAccountsReadModels',
            Principal: { AWS: consumer },
            Action: 's3:GetObject',
            Resource: {
              'Fn::Join': ['', [{ 'Fn::GetAtt': [Match.stringLikeRegexp('BucketsModel'), 'Arn'] }, '/output/*']],
            },
          }),
          Match.objectLike({
            Sid: 'ConsumerAccountsListModels',
            Action: 's3:ListBucket',
            Condition: { StringLike: { 's3:prefix': ['output/*'] } },
          }),
        ]),
      },
    });
    // The data bucket is not shared.
    const dataPolicy = Object.values(template.findResources('AWS::S3::BucketPolicy')).find((p: any) =>
      /BucketsData/.test(p.Properties.Bucket.Ref),
    );
    expect(JSON.stringify(dataPolicy)).not.toContain('111122223333');
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'ConsumerAccountsDecryptModelsThroughS3',
            Principal: { AWS: consumer },
            Action: 'kms:Decrypt',
            Condition: { StringEquals: { 'kms:ViaService': Match.anyValue() } },
          }),
        ]),
      },
    });
  });

  test('cdk-nag finds nothing unacknowledged', () => {
    expect(nagFindings(stack)).toEqual([]);
  });
});

test('ModelRegistry on its own: grants name the group and its versions; an import creates nothing', () => {
  const stack = new Stack(new App(), 'S', { env: ENV });
  const registry = new ModelRegistry(stack, 'Registry', { modelPackageGroupName: 'Llama3-Models' });
  const imported = ModelRegistry.fromModelPackageGroupName(stack, 'Imported', 'Team-Models');
  const role = new (require('aws-cdk-lib/aws-iam').Role)(stack, 'Approver', {
    assumedBy: new (require('aws-cdk-lib/aws-iam').AccountRootPrincipal)(),
  });
  registry.grantApprove(role);
  imported.grantRead(role);
  const template = Template.fromStack(stack);
  template.resourceCountIs('AWS::SageMaker::ModelPackageGroup', 1);
  const statements = JSON.stringify(Object.values(template.findResources('AWS::IAM::Policy'))[0]);
  expect(statements).toContain('sagemaker:UpdateModelPackage');
  expect(statements).toContain(':model-package/llama3-models/*');
  expect(statements).toContain(':model-package-group/team-models');
});

const CHECKER = process.env.SAGEMAKER_REQUEST_CHECKER ?? '/work/shared/tools/check_sagemaker_request.py';

(existsSync(CHECKER) ? test : test.skip)(
  "the version's properties are a CreateModelPackage request SageMaker's service model accepts",
  () => {
    const template = Template.fromStack(fineTuningStack({ modelApprovalStatus: ModelApprovalStatus.APPROVED }));
    const properties = sampleValue(only(template, 'AWS::SageMaker::ModelPackage').resource.Properties);
    const file = join(mkdtempSync(join(tmpdir(), 'model-package-')), 'CreateModelPackage.json');
    writeFileSync(file, JSON.stringify(properties));
    const check = spawnSync('python3', [CHECKER, 'CreateModelPackage', file], { encoding: 'utf8' });
    expect(check.stdout + check.stderr).toBe('1 request(s) checked, 0 violation(s)\n');
    expect(check.status).toBe(0);
  },
);
