/**
 * Throttling is retried with backoff by the handler's SDK client: a loopback
 * stand-in for SageMaker answers ThrottlingException three times, then the job —
 * one more than the SDK's default three attempts absorb, so the handler's own retry
 * settings are what let it through.
 */
import { AddressInfo } from 'node:net';
import { createServer } from 'node:http';
import { PROPS } from '../support/training-props';
import { ResponseRecorder } from '../support/response-recorder';

test('a throttled delete is retried until SageMaker answers', async () => {
  const targets: string[] = [];
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      targets.push(String(req.headers['x-amz-target']));
      if (targets.length <= 3) {
        res
          .writeHead(400, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': 'ThrottlingException' })
          .end(JSON.stringify({ __type: 'ThrottlingException', message: 'Rate exceeded' }));
      } else {
        res
          .writeHead(200, { 'content-type': 'application/x-amz-json-1.1' })
          .end(JSON.stringify({ TrainingJobName: 'j', TrainingJobStatus: 'Completed' }));
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const recorder = new ResponseRecorder();
  const responseUrl = await recorder.start();
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_SAGEMAKER: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_REGION: 'us-east-1',
  });
  try {
    const { handler } = await import('../../lib/handlers/training-job');
    await handler({
      RequestType: 'Delete',
      ResponseURL: responseUrl,
      StackId: 's',
      RequestId: 'r',
      LogicalResourceId: 'Job',
      ResourceType: 'Custom::SageMakerTrainingJob',
      PhysicalResourceId: 'j',
      ResourceProperties: { ...PROPS },
    });
    expect(targets).toEqual(Array(4).fill('SageMaker.DescribeTrainingJob'));
    expect(recorder.bodies).toEqual([expect.objectContaining({ Status: 'SUCCESS', PhysicalResourceId: 'j' })]);
  } finally {
    await recorder.stop();
    await new Promise((r) => server.close(r));
  }
});
