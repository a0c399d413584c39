import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { ExecutionRoleDuty, SageMakerExecutionRole, SageMakerExecutionRoleProps, TrainingDataBuckets } from '../../lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { fineTuningStack } from '../support/stacks';

function roleTemplate(
  build?: (role: SageMakerExecutionRole) => void,
  duty?: ExecutionRoleDuty,
): { template: Template; statements: any[] } {
  const stack = new Stack(new App(), 'Test');
  const buckets = new TrainingDataBuckets(stack, 'Buckets');
  const role = new SageMakerExecutionRole(stack, 'Role', {
    duty,
    dataBucket: buckets.dataBucket,
    modelBucket: buckets.modelBucket,
    encryptionKey: buckets.encryptionKey,
  });
  build?.(role);
  const template = Template.fromStack(stack);
  const policies = Object.values(template.findResources('AWS::IAM::Policy'));
  return { template, statements: policies.flatMap((p) => p.Properties.PolicyDocument.Statement) };
}

const actionsOf = (statements: any[]) => statements.flatMap((s) => [s.Action].flat());

describe('SageMakerExecutionRole', () => {
  test('is assumed by SageMaker and has no managed policy', () => {
    const { template } = roleTemplate();
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({ Principal: { Service: 'sagemaker.amazonaws.com' } })],
      },
      ManagedPolicyArns: Match.absent(),
    });
  });

  test('reads only the data prefixes and writes only the output prefix, never deletes', () => {
    const { statements } = roleTemplate();
    const resources = JSON.stringify(statements.flatMap((s) => s.Resource));
    expect(resources).toContain('/training/*');
    expect(resources).toContain('/validation/*');
    expect(resources).toContain('/output/*');
    const actions = actionsOf(statements);
    expect(actions).toContain('s3:PutObject');
    expect(actions.filter((a: string) => a.startsWith('s3:Delete'))).toEqual([]);
    expect(actions).not.toContain('s3:*');
    expect(actions).not.toContain('sagemaker:*');
  });

  test('lists only its own prefixes of each bucket', () => {
    const { statements } = roleTemplate();
    const lists = statements.filter((s) => [s.Action].flat().some((a: string) => a.startsWith('s3:List')));
    expect(lists.map((s) => s.Condition?.StringLike?.['s3:prefix'])).toEqual(
      expect.arrayContaining([['training/*'], ['validation/*'], ['output/*']]),
    );
    // Every list statement is either JumpStart's read-only buckets or limited to a prefix.
    for (const s of lists.filter((l) => l.Sid !== 'ReadJumpStartArtifacts')) expect(s.Condition).toBeDefined();
    expect(lists.every((s) => s.Action !== 's3:List*')).toBe(true);
  });

  test('writes no log stream of its own: jobs and endpoints grant their own', () => {
    const { statements } = roleTemplate();
    expect(actionsOf(statements).filter((a: string) => a.startsWith('logs:'))).toEqual([]);
  });

  test('reads the JumpStart artifact buckets of the region and pulls DLC images', () => {
    const { statements } = roleTemplate();
    const jumpstart = statements.find((s) => s.Sid === 'ReadJumpStartArtifacts');
    expect(JSON.stringify(jumpstart.Resource)).toContain('jumpstart-private-cache-prod-');
    expect(jumpstart.Action).toEqual(['s3:GetObject', 's3:ListBucket']);
    const ecr = statements.find((s) => s.Sid === 'PullDeepLearningContainers');
    expect(JSON.stringify(ecr.Resource)).toContain('repository/huggingface-pytorch-training');
    expect(JSON.stringify(ecr.Resource)).toContain('DlcRepositoryAccountMap');
  });

  test('key grants are only for AWS resources SageMaker manages', () => {
    const { statements } = roleTemplate();
    const grant = statements.find((s) => JSON.stringify(s.Action).includes('kms:CreateGrant'));
    expect(grant.Condition).toEqual({ Bool: { 'kms:GrantIsForAWSResource': 'true' } });
  });

  test('metrics are limited to SageMaker namespaces', () => {
    const { statements } = roleTemplate();
    const metrics = statements.find((s) => s.Sid === 'WriteSageMakerMetrics');
    expect(metrics.Condition).toEqual({
      StringLike: { 'cloudwatch:namespace': ['/aws/sagemaker/*', 'aws/sagemaker/*'] },
    });
  });

  test("the stack grants the training role one external data prefix, the inference role an attached job's model objects only", () => {
    const executionStatements = (template: Template, role = 'ExecutionRole') =>
      Object.entries(template.findResources('AWS::IAM::Policy'))
        .filter(([id]) => id.startsWith(role))
        .flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
    expect(
      executionStatements(Template.fromStack(fineTuningStack({ trainData: 's3://shared-datasets/llama/train/' }))),
    ).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Action: 's3:GetObject',
          Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::shared-datasets/llama/train/*']] },
        }),
        expect.objectContaining({
          Action: 's3:ListBucket',
          Condition: { StringLike: { 's3:prefix': ['llama/train/*'] } },
        }),
      ]),
    );
    // An attached job: its model alone, where SageMaker reports it (read at deploy), never every bucket;
    // the endpoint's role reads it, not the training role.
    const attached = Template.fromStack(fineTuningStack({ existingTrainingJobName: 'earlier-run' }));
    const [jobId] = Object.keys(attached.findResources('Custom::SageMakerTrainingJob'));
    const modelAttr = (name: string) => ({ 'Fn::GetAtt': [jobId, name] });
    expect(JSON.stringify(executionStatements(attached))).not.toContain(jobId);
    const statements = executionStatements(attached, 'InferenceRole');
    expect(statements).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Action: 's3:GetObject',
          Resource: {
            'Fn::Join': [
              '',
              ['arn:', { Ref: 'AWS::Partition' }, ':s3:::', modelAttr('ModelBucket'), '/', modelAttr('ModelKey'), '*'],
            ],
          },
        }),
        expect.objectContaining({
          Action: 's3:ListBucket',
          Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::', modelAttr('ModelBucket')]] },
          Condition: { StringLike: { 's3:prefix': [{ 'Fn::Join': ['', [modelAttr('ModelKey'), '*']] }] } },
        }),
      ]),
    );
    expect(JSON.stringify(statements)).not.toContain(':s3:::*');
  });

  test('it is an iam.Role, usable wherever an IRole is expected', () => {
    const stack = new Stack(new App(), 'Test');
    const buckets = new TrainingDataBuckets(stack, 'Buckets');
    const role: iam.IRole = new SageMakerExecutionRole(stack, 'Role', {
      dataBucket: buckets.dataBucket,
      modelBucket: buckets.modelBucket,
    });
    expect(buckets.grantReadModels(role).success).toBe(true);
    expect(Template.fromStack(stack).findResources('AWS::IAM::Role')).toBeDefined();
  });

  test('fromExistingRoleArn imports a role without adding policies', () => {
    const stack = new Stack(new App(), 'Test');
    const role = SageMakerExecutionRole.fromExistingRoleArn(stack, 'Existing', 'arn:aws:iam::123456789012:role/MyRole');
    role.addToPrincipalPolicy(
      new (require('aws-cdk-lib/aws-iam').PolicyStatement)({ actions: ['s3:GetObject'], resources: ['*'] }),
    );
    Template.fromStack(stack).resourceCountIs('AWS::IAM::Policy', 0);
  });

  describe('duty', () => {
    function dutyStatements(props: Partial<SageMakerExecutionRoleProps>): any[] {
      const stack = new Stack(new App(), 'Test');
      const buckets = new TrainingDataBuckets(stack, 'Buckets');
      new SageMakerExecutionRole(stack, 'Role', {
        modelBucket: buckets.modelBucket,
        encryptionKey: buckets.encryptionKey,
        ...props,
      });
      return Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy')).flatMap(
        (p) => p.Properties.PolicyDocument.Statement,
      );
    }

    test('left out, one role does both, as before duties: the statements of TRAINING_AND_INFERENCE', () => {
      const stack = new Stack(new App(), 'Test');
      const buckets = new TrainingDataBuckets(stack, 'Buckets');
      const role = new SageMakerExecutionRole(stack, 'Role', {
        dataBucket: buckets.dataBucket,
        modelBucket: buckets.modelBucket,
      });
      expect(role.duty).toBe(ExecutionRoleDuty.TRAINING_AND_INFERENCE);
      const explicit = roleTemplate(undefined, ExecutionRoleDuty.TRAINING_AND_INFERENCE).statements;
      expect(roleTemplate().statements).toEqual(explicit);
      const ecr = JSON.stringify(explicit.find((s) => s.Sid === 'PullDeepLearningContainers').Resource);
      expect(ecr).toContain('repository/djl-inference');
      expect(ecr).toContain('repository/huggingface-pytorch-training');
      expect(actionsOf(explicit)).toContain('s3:PutObject');
    });

    test('INFERENCE needs no data bucket, reads output/ only, decrypts only, pulls the inference image only', () => {
      const statements = dutyStatements({ duty: ExecutionRoleDuty.INFERENCE });
      const text = JSON.stringify(statements);
      expect(text).toContain('/output/*');
      expect(text).not.toContain('BucketsData');
      expect(text).not.toContain('jumpstart-');
      expect(text).not.toContain('huggingface-pytorch-training');
      expect(text).toContain('repository/djl-inference');
      const actions = actionsOf(statements);
      expect(actions).not.toContain('s3:PutObject');
      expect(actions.filter((a: string) => a.startsWith('kms:'))).toEqual(['kms:Decrypt']);
    });

    test('TRAINING reads the data, writes output/, reads JumpStart, pulls the training image only', () => {
      const stack = new Stack(new App(), 'Test');
      const buckets = new TrainingDataBuckets(stack, 'Buckets');
      new SageMakerExecutionRole(stack, 'Role', {
        duty: ExecutionRoleDuty.TRAINING,
        dataBucket: buckets.dataBucket,
        modelBucket: buckets.modelBucket,
        encryptionKey: buckets.encryptionKey,
      });
      const statements = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy')).flatMap(
        (p) => p.Properties.PolicyDocument.Statement,
      );
      const text = JSON.stringify(statements);
      expect(text).toContain('/training/*');
      expect(text).toContain('jumpstart-private-cache-prod-');
      expect(text).toContain('repository/huggingface-pytorch-training');
      expect(text).not.toContain('djl-inference');
      expect(actionsOf(statements)).toContain('s3:PutObject');
    });
  });
});
