/**
 * What every custom resource tells CloudFormation: its result, or its error as the reason the
 * stack event shows (cut to what CloudFormation shows), instead of an hour-long timeout.
 */
import { CustomResourceEvent, respond, truncateReason } from '../../lib/handlers/shared/cfn-response';
import { ResponseRecorder } from '../support/response-recorder';

const recorder = new ResponseRecorder();
let url: string;
beforeAll(async () => {
  url = await recorder.start();
});
afterAll(() => recorder.stop());

const event = (extra: Partial<CustomResourceEvent> = {}): CustomResourceEvent => ({
  RequestType: 'Create',
  ResponseURL: url,
  StackId: 'stack',
  RequestId: 'r1',
  LogicalResourceId: 'Check',
  ResourceType: 'Custom::Check',
  ResourceProperties: {},
  ...extra,
});

test('a result is sent with its id and data; a reason only when there is one', async () => {
  await respond(event(), async () => ({ physicalResourceId: 'p', data: { A: '1' }, reason: 'fine' }));
  await respond(event(), async () => ({ physicalResourceId: 'p' }));
  expect(recorder.bodies.slice(-2)).toEqual([
    {
      StackId: 'stack',
      RequestId: 'r1',
      LogicalResourceId: 'Check',
      Status: 'SUCCESS',
      PhysicalResourceId: 'p',
      Data: { A: '1' },
      Reason: 'fine',
    },
    {
      StackId: 'stack',
      RequestId: 'r1',
      LogicalResourceId: 'Check',
      Status: 'SUCCESS',
      PhysicalResourceId: 'p',
      Data: {},
    },
  ]);
});

test('an error fails the resource with its message, keeping the id it had or naming one', async () => {
  const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    await respond(event(), async () => {
      throw new Error('the dataset is not valid');
    });
    await respond(event({ RequestType: 'Update', PhysicalResourceId: 'kept' }), async () => {
      throw 'not an Error';
    });
    expect(recorder.bodies.slice(-2)).toEqual([
      {
        StackId: 'stack',
        RequestId: 'r1',
        LogicalResourceId: 'Check',
        Status: 'FAILED',
        Reason: 'the dataset is not valid',
        PhysicalResourceId: 'failed-r1',
      },
      {
        StackId: 'stack',
        RequestId: 'r1',
        LogicalResourceId: 'Check',
        Status: 'FAILED',
        Reason: 'not an Error',
        PhysicalResourceId: 'kept',
      },
    ]);
    expect(JSON.parse(error.mock.calls[0][0])).toEqual({ requestType: 'Create', error: 'the dataset is not valid' });
  } finally {
    error.mockRestore();
  }
});

test('a reason is cut to the 1,000 characters CloudFormation shows, and no shorter', () => {
  expect(truncateReason('x'.repeat(1000))).toBe('x'.repeat(1000));
  expect(truncateReason(`${'x'.repeat(997)}yyyy`)).toBe(`${'x'.repeat(997)}...`);
});
