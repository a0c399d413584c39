/**
 * Serving a registered version by its ARN, as a production stack serves what development trained
 * and a person approved: no training, a model that names the version, and a role that may read
 * the registering account's models through S3 and nothing of its own buckets' training data.
 */
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Llama3FineTuningStack } from '../../lib';
import { nagFindings } from '../support/nag';

const DEV_VERSION = 'arn:aws:sagemaker:us-east-1:111122223333:model-package/dev-llama3-models/4';

function prodStack(props: Record<string, unknown> = {}): Llama3FineTuningStack {
  return new Llama3FineTuningStack(new App(), 'Prod', {
    acceptEula: true,
    env: { account: '444455556666', region: 'us-east-1' },
    modelPackageArn: DEV_VERSION,
    ...props,
  });
}

describe('a production stack serving a version registered in development', () => {
  const stack = prodStack();
  const template = Template.fromStack(stack);

  test('trains nothing and registers nothing', () => {
    expect(stack.fineTuningJob).toBeUndefined();
    template.resourceCountIs('AWS::CloudFormation::WaitCondition', 0);
    template.resourceCountIs('AWS::SageMaker::ModelPackage', 0);
    template.resourceCountIs('AWS::SageMaker::ModelPackageGroup', 0);
  });

  test("the model is the version itself: no image or model data of the stack's own", () => {
    template.hasResourceProperties('AWS::SageMaker::Model', {
      PrimaryContainer: { ModelPackageName: DEV_VERSION },
      EnableNetworkIsolation: true,
    });
    const [model] = Object.values(template.findResources('AWS::SageMaker::Model'));
    expect(Object.keys(model.Properties.PrimaryContainer)).toEqual(['ModelPackageName']);
  });

  test("the role reads the version's own model, as the registry describes it at deploy, and nothing else", () => {
    const [describeId] = Object.keys(template.findResources('Custom::SageMakerModelPackage'));
    template.hasResourceProperties('Custom::SageMakerModelPackage', { ModelPackageArn: DEV_VERSION });

    const inferencePolicy = Object.values(template.findResources('AWS::IAM::Policy')).find((p: any) =>
      JSON.stringify(p.Properties.Roles).includes('InferenceRole'),
    );
    const statements: any[] = inferencePolicy!.Properties.PolicyDocument.Statement;
    const read = statements.find(
      (st) => st.Action === 's3:GetObject' && JSON.stringify(st.Resource).includes(describeId),
    );
    expect(read.Resource).toEqual({
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          ':s3:::',
          { 'Fn::GetAtt': [describeId, 'ModelBucket'] },
          '/',
          { 'Fn::GetAtt': [describeId, 'ModelKey'] },
          '*',
        ],
      ],
    });
    // No read on any bucket of the account by a wildcard.
    expect(JSON.stringify(statements)).not.toContain('s3:::*');
    const decrypt = statements.find(
      (st) => st.Action === 'kms:Decrypt' && JSON.stringify(st.Resource).includes('111122223333'),
    );
    expect(decrypt.Condition.StringEquals['kms:ViaService']).toBeDefined();

    // The describe function may describe this version only, and the model waits for the grant.
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: 'sagemaker:DescribeModelPackage', Resource: DEV_VERSION }),
        ]),
      },
    });
    const [model] = Object.values(template.findResources('AWS::SageMaker::Model'));
    expect(model.DependsOn).toContain(describeId);
  });

  test('cdk-nag finds nothing unacknowledged', () => {
    expect(nagFindings(stack)).toEqual([]);
  });
});

test('day two: serving another version is another describe resource, so a rollback and its clean-up call nothing', () => {
  const describeIds = (arn: string) => {
    const template = Template.fromStack(prodStack({ modelPackageArn: arn }));
    const policies = JSON.stringify(template.findResources('AWS::IAM::Policy'));
    return { ids: Object.keys(template.findResources('Custom::SageMakerModelPackage')), policies };
  };
  const v4 = describeIds(DEV_VERSION);
  const v5 = describeIds(DEV_VERSION.replace(/4$/, '5'));
  expect(v4.ids).toHaveLength(1);
  expect(v5.ids).toHaveLength(1);
  // The update creates v5's resource under v5's policy; the rollback deletes it (a delete describes nothing)
  // and keeps v4's as it was, with no call under whichever policy is in force; the clean-up deletes v4's.
  expect(v5.ids[0]).not.toBe(v4.ids[0]);
  expect(v4.ids[0]).toBe(describeIds(DEV_VERSION).ids[0]);
  expect(v5.policies).toContain(`"Resource":"${DEV_VERSION.replace(/4$/, '5')}"`);
  expect(v5.policies).not.toContain(`"Resource":"${DEV_VERSION}"`);
});

test.each([
  [{ modelPackageArn: 'dev-llama3-models/4' }, 'modelPackageArn is "dev-llama3-models/4"; allowed:'],
  [
    { modelPackageArn: DEV_VERSION.replace('us-east-1', 'eu-west-1') },
    'modelPackageArn is in eu-west-1, but this stack deploys to us-east-1',
  ],
  [{ trainData: 's3://data/train/' }, 'modelPackageArn serves an existing model, so nothing is trained'],
  [{ modelArtifactsUri: 's3://models/m/model.tar.gz' }, 'modelArtifactsUri and modelPackageArn are both given'],
  [{ modelApprovalStatus: 'Approved' }, 'modelPackageArn serves a version already in a registry'],
  [{ registerModel: true }, 'modelPackageArn serves a version already in a registry'],
])('refused: %j', (props, words) => {
  expect(() => prodStack(props)).toThrow(words);
});
