/**
 * Separate duties, proven on the synthesized stack: the training job runs as the training role,
 * the endpoints as the inference role, and each role's policies, resolved as CloudFormation
 * would resolve them, allow its duty and nothing of the other's. Calls are checked against the
 * IAM policy in force (isAllowed); what a role must never do is checked with every condition
 * ignored (mayBeAllowed), so no condition can hide an allow.
 */
import { App } from 'aws-cdk-lib';
import { Llama3FineTuningStack, Llama3FineTuningStackProps } from '../../lib';
import { DeployedTemplate, Statement, isAllowed, mayBeAllowed } from '../support/deployed-template';

const ENV = { account: '123456789012', region: 'us-east-1' };
const KEY = 'arn:aws:kms:us-east-1:123456789012:key/BucketsKey';
const DLC = 'arn:aws:ecr:us-east-1:763104351884:repository';
const MODEL_ID = 'meta-textgeneration-llama-3-8b';
const GATED = 'arn:aws:s3:::jumpstart-private-cache-prod-us-east-1';

function deployed(props: Partial<Llama3FineTuningStackProps> = {}): DeployedTemplate {
  const stack = new Llama3FineTuningStack(new App(), 'Duties', { env: ENV, acceptEula: true, ...props });
  return new DeployedTemplate(stack, {
    stackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/Duties/1',
    ...ENV,
    // A bucket's Ref is its name, which the test names after its logical id.
    ref: (id) => id.replace(/[0-9A-F]{8}$/, ''),
    getAtt: (id, attribute, type) => {
      if (type === 'AWS::S3::Bucket' && attribute === 'Arn') return `arn:aws:s3:::${id.replace(/[0-9A-F]{8}$/, '')}`;
      if (type === 'Custom::SageMakerTrainingJob' && attribute === 'ModelBucket') return 'team-models';
      if (type === 'Custom::SageMakerTrainingJob' && attribute === 'ModelKey') return 'runs/earlier-run/output/';
      return `${id}.${attribute}`;
    },
  });
}

/** The stack's key and buckets, as the test's identity names them. */
const DATA = 'arn:aws:s3:::BucketsData';
const MODELS = 'arn:aws:s3:::BucketsModel';
const KEY_ARN = (t: DeployedTemplate) => {
  const [key] = t.idsOf('AWS::KMS::Key').filter((id) => id.startsWith('BucketsKey'));
  return KEY.replace('BucketsKey', key);
};

const roles = (t: DeployedTemplate) => ({
  training: t.statementsOfRole('ExecutionRole'),
  inference: t.statementsOfRole('InferenceRole'),
});

/** What no role of either duty may do to the buckets: delete or rewrite history. */
function neverDeletes(statements: Statement[]): void {
  for (const action of [
    's3:DeleteObject',
    's3:DeleteObjectVersion',
    's3:PutBucketPolicy',
    's3:PutLifecycleConfiguration',
  ]) {
    for (const object of [`${DATA}/training/a.jsonl`, `${MODELS}/output/job/output/model.tar.gz`]) {
      expect(mayBeAllowed(statements, action, object)).toBe(false);
    }
  }
}

describe('the default stack: a training role and an inference role', () => {
  const t = deployed();
  const { training, inference } = roles(t);
  const key = KEY_ARN(t);
  const model = `${MODELS}/output/llama3-ft-1234-abcd/output/model.tar.gz`;

  test('the training job runs as the training role, the endpoint as the inference role', () => {
    expect(t.propertiesOf(t.single('Custom::SageMakerTrainingJob')).RoleArn).toMatch(/:role\/ExecutionRole/);
    expect(t.propertiesOf(t.single('AWS::SageMaker::Model')).ExecutionRoleArn).toMatch(/:role\/InferenceRole/);
  });

  test('the training role keeps the logical id of the one role before duties: an upgrade does not retrain', () => {
    // The job's RoleArn is a training input: a new role would name a new job.
    expect(t.resources[t.single('Custom::SageMakerTrainingJob')].Properties.RoleArn).toEqual({
      'Fn::GetAtt': ['ExecutionRole605A040B', 'Arn'],
    });
  });

  test('the inference role reads the model under output/ and writes nothing in the model bucket', () => {
    expect(isAllowed(inference, 's3:GetObject', model)).toBe(true);
    expect(isAllowed(inference, 's3:ListBucket', MODELS, { 's3:prefix': 'output/llama3-ft-1234-abcd/' })).toBe(true);
    expect(isAllowed(inference, 'kms:Decrypt', key)).toBe(true);
    for (const action of ['s3:PutObject', 's3:AbortMultipartUpload', 's3:DeleteObject', 's3:PutObjectAcl']) {
      for (const object of [model, `${MODELS}/other/x`, `${MODELS}/output/new/model.tar.gz`]) {
        expect(mayBeAllowed(inference, action, object)).toBe(false);
      }
    }
    // Outside output/, nothing to read either.
    expect(mayBeAllowed(inference, 's3:GetObject', `${MODELS}/drafts/model.tar.gz`)).toBe(false);
  });

  test('the inference role reads no training data and encrypts nothing', () => {
    for (const object of ['training/train.jsonl', 'validation/val.jsonl', 'training/template.json']) {
      expect(mayBeAllowed(inference, 's3:GetObject', `${DATA}/${object}`)).toBe(false);
    }
    expect(mayBeAllowed(inference, 's3:ListBucket', DATA)).toBe(false);
    for (const action of ['kms:Encrypt', 'kms:GenerateDataKey', 'kms:ReEncryptFrom', 'kms:CreateGrant']) {
      expect(mayBeAllowed(inference, action, key)).toBe(false);
    }
    // Without data capture, it writes nothing in the data bucket.
    expect(mayBeAllowed(inference, 's3:PutObject', `${DATA}/data-capture/x.jsonl`)).toBe(false);
  });

  test('each role pulls only its own image', () => {
    expect(isAllowed(inference, 'ecr:BatchGetImage', `${DLC}/djl-inference`)).toBe(true);
    expect(mayBeAllowed(inference, 'ecr:BatchGetImage', `${DLC}/huggingface-pytorch-training`)).toBe(false);
    expect(isAllowed(training, 'ecr:BatchGetImage', `${DLC}/huggingface-pytorch-training`)).toBe(true);
    expect(mayBeAllowed(training, 'ecr:BatchGetImage', `${DLC}/djl-inference`)).toBe(false);
  });

  test("only the training role reads JumpStart's buckets: the script and the gated training weights", () => {
    const weights = `${GATED}/meta-training/train-${MODEL_ID}.tar.gz`;
    expect(isAllowed(training, 's3:GetObject', weights)).toBe(true);
    expect(
      isAllowed(
        training,
        's3:GetObject',
        'arn:aws:s3:::jumpstart-cache-prod-us-east-1/source-directory-tarballs/x.tar.gz',
      ),
    ).toBe(true);
    expect(mayBeAllowed(inference, 's3:GetObject', weights)).toBe(false);
    expect(mayBeAllowed(inference, 's3:GetObject', `${GATED}/meta-textgeneration/${MODEL_ID}/artifacts/x`)).toBe(false);
  });

  test('the training role reads the data and writes the model, and cannot serve or invoke', () => {
    expect(isAllowed(training, 's3:GetObject', `${DATA}/training/train.jsonl`)).toBe(true);
    expect(isAllowed(training, 's3:PutObject', model)).toBe(true);
    expect(isAllowed(training, 'kms:GenerateDataKey', key)).toBe(true);
    const endpoint = 'arn:aws:sagemaker:us-east-1:123456789012:endpoint/any';
    for (const action of [
      'sagemaker:InvokeEndpoint',
      'sagemaker:InvokeEndpointWithResponseStream',
      'sagemaker:CreateEndpoint',
    ]) {
      expect(mayBeAllowed(training, action, endpoint)).toBe(false);
      expect(mayBeAllowed(inference, action, endpoint)).toBe(false);
    }
    // Neither may pass a role on, to itself or another.
    for (const statements of [training, inference]) {
      expect(mayBeAllowed(statements, 'iam:PassRole', 'arn:aws:iam::123456789012:role/InferenceRole')).toBe(false);
    }
  });

  test('neither role deletes from the buckets or changes their policies', () => {
    neverDeletes(training);
    neverDeletes(inference);
  });

  test('each writes only its own logs', () => {
    const endpointLogs = (name: string) =>
      `arn:aws:logs:us-east-1:123456789012:log-group:/aws/sagemaker/Endpoints/${name}:log-stream:AllTraffic/i-1`;
    const endpointName = t.propertiesOf(t.single('AWS::SageMaker::Endpoint')).EndpointName;
    expect(isAllowed(inference, 'logs:PutLogEvents', endpointLogs(endpointName))).toBe(true);
    expect(mayBeAllowed(training, 'logs:PutLogEvents', endpointLogs(endpointName))).toBe(false);
    const trainingLogs = 'arn:aws:logs:us-east-1:123456789012:log-group:/aws/sagemaker/TrainingJobs:log-stream:';
    expect(mayBeAllowed(inference, 'logs:PutLogEvents', `${trainingLogs}llama3-ft-x/algo-1`)).toBe(false);
  });
});

describe('what the endpoints add to the inference role', () => {
  test('data capture: puts under data-capture/ of the data bucket, still no training data and no model writes', () => {
    const { inference } = roles(deployed({ dataCapture: true }));
    expect(isAllowed(inference, 's3:PutObject', `${DATA}/data-capture/llama3/AllTraffic/x.jsonl`)).toBe(true);
    expect(mayBeAllowed(inference, 's3:PutObject', `${DATA}/training/x.jsonl`)).toBe(false);
    expect(mayBeAllowed(inference, 's3:GetObject', `${DATA}/training/x.jsonl`)).toBe(false);
    expect(mayBeAllowed(inference, 's3:PutObject', `${MODELS}/output/x/model.tar.gz`)).toBe(false);
  });

  test("the base endpoint: that model's JumpStart hosting artifacts only", () => {
    const t = deployed({ deployBaseEndpoint: true });
    const { inference } = roles(t);
    const prepack = `meta-textgeneration/${MODEL_ID}/artifacts/inference-prepack/v1.0.0/`;
    expect(isAllowed(inference, 's3:GetObject', `${GATED}/${prepack}model-00001.safetensors`)).toBe(true);
    expect(isAllowed(inference, 's3:ListBucket', GATED, { 's3:prefix': prepack })).toBe(true);
    expect(mayBeAllowed(inference, 's3:GetObject', `${GATED}/meta-training/train-${MODEL_ID}.tar.gz`)).toBe(false);
    expect(mayBeAllowed(inference, 's3:GetObject', `${GATED}/meta-textgeneration/${MODEL_ID}-instruct/x`)).toBe(false);
    const models = t.idsOf('AWS::SageMaker::Model').map((id) => t.propertiesOf(id).ExecutionRoleArn);
    expect(models).toHaveLength(2);
    for (const arn of models) expect(arn).toMatch(/:role\/InferenceRole/);
  });
});

describe('serving a model trained elsewhere: only the inference role reads it', () => {
  test('an attached job', () => {
    const { training, inference } = roles(deployed({ existingTrainingJobName: 'earlier-run' }));
    const object = 'arn:aws:s3:::team-models/runs/earlier-run/output/model.tar.gz';
    expect(isAllowed(inference, 's3:GetObject', object)).toBe(true);
    expect(mayBeAllowed(training, 's3:GetObject', object)).toBe(false);
  });

  test('modelArtifactsUri', () => {
    const { training, inference } = roles(deployed({ modelArtifactsUri: 's3://shared-models/llama-8b/output/model/' }));
    const object = 'arn:aws:s3:::shared-models/llama-8b/output/model/model-00001.safetensors';
    expect(isAllowed(inference, 's3:GetObject', object)).toBe(true);
    expect(mayBeAllowed(training, 's3:GetObject', object)).toBe(false);
  });

  test('s3:// training data is read by the training role alone', () => {
    const { training, inference } = roles(deployed({ trainData: 's3://shared-datasets/llama/train/' }));
    const object = 'arn:aws:s3:::shared-datasets/llama/train/data.jsonl';
    expect(isAllowed(training, 's3:GetObject', object)).toBe(true);
    expect(mayBeAllowed(inference, 's3:GetObject', object)).toBe(false);
  });

  test('a stack that only trains has no inference role; executionRole is the training role', () => {
    const stack = new Llama3FineTuningStack(new App(), 'TrainOnly', {
      env: ENV,
      acceptEula: true,
      deployEndpoint: false,
    });
    expect(stack.inferenceRole).toBeUndefined();
    expect(stack.executionRole).toBe(stack.trainingRole);
  });
});
