/**
 * A bare aws-cdk-lib app with the default stack's resource types, for `npm run bench`: its
 * synth (in process, and through `cdk synth` with the example app's own runner) is the floor
 * the library's synth is measured against.
 */
import { App, CfnWaitCondition, CfnWaitConditionHandle, CustomResource, Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';

/** The same resource types as the default stack, written with aws-cdk-lib alone. */
export function bareStack(app: App): void {
  const stack = new Stack(app, 'Bare');
  const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
  const buckets = ['LogsBucket', 'DataBucket', 'ModelBucket'].map(
    (id) => new s3.Bucket(stack, id, { encryptionKey: key, enforceSSL: true, versioned: true }),
  );
  const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
  buckets.forEach((b) => b.grantReadWrite(role));
  const fns = ['A', 'B', 'C'].map(
    (id) =>
      new lambda.Function(stack, id, {
        runtime: lambda.Runtime.NODEJS_24_X,
        handler: 'index.handler',
        code: lambda.Code.fromInline('exports.handler=async()=>{}'),
      }),
  );
  const resolver = new CustomResource(stack, 'Resolver', {
    serviceToken: fns[0].functionArn,
    properties: { ModelId: 'm' },
  });
  const job = new CustomResource(stack, 'Job', {
    serviceToken: fns[1].functionArn,
    properties: { Image: resolver.getAttString('Image') },
  });
  const handle = new CfnWaitConditionHandle(stack, 'Handle');
  new CfnWaitCondition(stack, 'Wait', { handle: handle.ref, count: 1, timeout: '43200' }).node.addDependency(job);
  new events.Rule(stack, 'Rule', { eventPattern: { source: ['aws.sagemaker'] } });
  const model = new sagemaker.CfnModel(stack, 'Model', {
    executionRoleArn: role.roleArn,
    primaryContainer: { image: resolver.getAttString('Image') },
  });
  const config = new sagemaker.CfnEndpointConfig(stack, 'Config', {
    productionVariants: [
      {
        variantName: 'AllTraffic',
        modelName: model.attrModelName,
        instanceType: 'ml.g5.12xlarge',
        initialInstanceCount: 1,
      },
    ],
  });
  new sagemaker.CfnEndpoint(stack, 'Endpoint', { endpointConfigName: config.attrEndpointConfigName });
  new cloudwatch.Dashboard(stack, 'Dashboard').addWidgets(
    new cloudwatch.GraphWidget({
      left: [
        new cloudwatch.Metric({ namespace: 'AWS/SageMaker', metricName: 'Invocations', period: Duration.minutes(5) }),
      ],
    }),
  );
}

// Run as a CDK app (`cdk synth --app "... scripts/bench-bare-app.ts"`).
if (require.main === module) {
  const app = new App();
  bareStack(app);
  app.synth();
}
