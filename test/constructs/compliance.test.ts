import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { ComplianceProfile, Llama3FineTuningStack } from '../../lib';
import { fineTuningStackFromContext } from '../../lib/app/fine-tuning-app';
import { EXAMPLES, fineTuningStack } from '../support/stacks';

describe('what the default stack passes at no cost', () => {
  const template = Template.fromStack(fineTuningStack());

  test("handler log groups are encrypted with the stack's key and kept a year", () => {
    const groups = Object.values(template.findResources('AWS::Logs::LogGroup'));
    expect(groups.length).toBeGreaterThanOrEqual(3);
    for (const group of groups) {
      expect(group.Properties.RetentionInDays).toBeGreaterThanOrEqual(365);
      expect(group.Properties.KmsKeyId).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^BucketsKey/), 'Arn'] });
    }
  });

  test('the data key lets only AWS services create grants on it', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 'kms:CreateGrant',
            Condition: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
          }),
        ]),
      },
    });
  });

  test('every bucket sends its events to EventBridge, without a notification custom resource', () => {
    const buckets = Object.values(template.findResources('AWS::S3::Bucket'));
    expect(buckets).toHaveLength(3);
    for (const bucket of buckets) {
      expect(bucket.Properties.NotificationConfiguration).toEqual({
        EventBridgeConfiguration: { EventBridgeEnabled: true },
      });
    }
    template.resourceCountIs('Custom::S3BucketNotifications', 0);
  });

  test('the access-log bucket suppresses the two controls S3 cannot meet there, with reasons', () => {
    const [logs] = Object.values(
      template.findResources('AWS::S3::Bucket', { Properties: { LoggingConfiguration: Match.absent() } }),
    );
    expect(logs.Metadata.guard.SuppressedRules.sort()).toEqual([
      's3_bucket_default_encryption_kms_check',
      's3_bucket_logging_enabled_check',
    ]);
    expect(logs.Metadata.guard.Reasons.s3_bucket_default_encryption_kms_check).toMatch(/S3-managed keys/);
  });

  test('no VPC and no object lock: they cost money or constrain deletion, so they come with the profile', () => {
    template.resourceCountIs('AWS::EC2::VPC', 0);
    for (const bucket of Object.values(template.findResources('AWS::S3::Bucket'))) {
      expect(bucket.Properties.ObjectLockEnabled).toBeUndefined();
    }
  });
});

describe('compliance: control-tower', () => {
  const stack = fineTuningStack({
    compliance: ComplianceProfile.CONTROL_TOWER,
    trainData: `${EXAMPLES}/dolly-qa/train`,
    hyperparameters: { instructionTuned: true, maxInputLength: 256 },
  });
  const template = Template.fromStack(stack);

  test('a VPC of isolated subnets with the endpoints the handlers, the job and the endpoint need, and no way out', () => {
    template.resourceCountIs('AWS::EC2::VPC', 1);
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    template.resourceCountIs('AWS::EC2::InternetGateway', 0);
    const services = Object.values(template.findResources('AWS::EC2::VPCEndpoint')).map((e) =>
      JSON.stringify(e.Properties.ServiceName),
    );
    const wanted = [
      'sagemaker.api',
      'cloudformation',
      'events',
      's3',
      'ecr.api',
      'ecr.dkr',
      'logs',
      'sagemaker.runtime',
    ];
    expect(services).toHaveLength(wanted.length);
    for (const service of wanted) expect(services.some((s) => s.includes(`.${service}"`))).toBe(true);
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      SecurityGroupIngress: [Match.objectLike({ CidrIp: '10.64.0.0/16', FromPort: 443, ToPort: 443 })],
    });
  });

  test("every endpoint lets only this account's principals through, S3 also AWS's presigned URLs", () => {
    const endpoints = Object.values(template.findResources('AWS::EC2::VPCEndpoint'));
    const thisAccount = { StringEquals: { 'aws:PrincipalAccount': { Ref: 'AWS::AccountId' } } };
    for (const endpoint of endpoints) {
      const statements: any[] = endpoint.Properties.PolicyDocument.Statement;
      const perimeter = statements.filter((st) => JSON.stringify(st.Condition) === JSON.stringify(thisAccount));
      const unconditioned = statements.filter((st) => !st.Condition);
      expect(perimeter.length).toBeGreaterThan(0);
      // Without the account condition: only S3's presigned-URL buckets, each for one action.
      for (const st of unconditioned) {
        expect(JSON.stringify(endpoint.Properties.ServiceName)).toContain('.s3"');
        expect(JSON.stringify(st.Resource)).toMatch(
          /cloudformation-custom-resource-response-\*\/\*|cloudformation-waitcondition-\*\/\*|starport-layer-bucket\/\*/,
        );
        expect(['s3:PutObject', 's3:GetObject']).toContain(st.Action);
      }
    }
  });

  test('the training job runs in the same isolated subnets', () => {
    const [job] = Object.values(template.findResources('Custom::SageMakerTrainingJob'));
    const request = JSON.stringify(job.Properties);
    expect(request).toContain('SubnetIds');
    expect(request).toContain('SecurityGroupIds');
  });

  test('every Lambda function runs in it, the dataset upload too, with the rights to attach', () => {
    const functions = Object.values(template.findResources('AWS::Lambda::Function'));
    // The hub resolver, the training job's handler, the signal function and the dataset upload (Python).
    expect(functions.length).toBeGreaterThanOrEqual(4);
    expect(functions.some((fn) => String(fn.Properties.Runtime).startsWith('python'))).toBe(true);
    for (const fn of functions) expect(fn.Properties.VpcConfig.SubnetIds).toHaveLength(2);
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Action: Match.arrayWith(['ec2:CreateNetworkInterface']) })]),
      },
    });
  });

  test('the buckets lock object versions for 30 days in governance mode', () => {
    const buckets = Object.values(template.findResources('AWS::S3::Bucket'));
    expect(buckets).toHaveLength(3);
    for (const bucket of buckets) {
      expect(bucket.Properties.ObjectLockEnabled).toBe(true);
      expect(bucket.Properties.ObjectLockConfiguration).toEqual({
        ObjectLockEnabled: 'Enabled',
        Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 30 } },
      });
    }
  });

  test('every alarm notifies the alarm topic, mailed or not', () => {
    template.resourceCountIs('AWS::SNS::Subscription', 0);
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms.length).toBeGreaterThan(0);
    for (const alarm of alarms) expect(alarm.Properties.AlarmActions).toHaveLength(1);
  });

  test('destroying the data with the stack contradicts the lock, and is refused', () => {
    expect(() => fineTuningStack({ compliance: ComplianceProfile.CONTROL_TOWER, destroyDataOnDelete: true })).toThrow(
      /^destroyDataOnDelete is true with compliance control-tower, whose S3 Object Lock keeps every object version for 30 days/,
    );
  });

  test("the team's own VPC is used instead of a new one", () => {
    const app = new App();
    const network = new Stack(app, 'Network', { env: { account: '123456789012', region: 'us-east-1' } });
    const vpc = new ec2.Vpc(network, 'Shared', { maxAzs: 2 });
    const own = new Llama3FineTuningStack(app, 'Own', {
      env: { account: '123456789012', region: 'us-east-1' },
      acceptEula: true,
      compliance: ComplianceProfile.CONTROL_TOWER,
      handlerVpc: vpc,
    });
    const t = Template.fromStack(own);
    t.resourceCountIs('AWS::EC2::VPC', 0);
    t.resourceCountIs('AWS::EC2::VPCEndpoint', 0);
    for (const fn of Object.values(t.findResources('AWS::Lambda::Function')))
      expect(fn.Properties.VpcConfig).toBeDefined();
  });

  test('the context key, and a profile that does not exist', () => {
    const app = (compliance: string) =>
      fineTuningStackFromContext(new App({ context: { accept_eula: 'true', compliance } }));
    Template.fromStack(app('control-tower')).resourceCountIs('AWS::EC2::VPC', 1);
    expect(() => app('strict')).toThrow(/^compliance is "strict"; allowed: "default", "control-tower"\./);
  });
});
