import { handler, signalFor } from '../../lib/handlers/signal-wait-condition';
import { ResponseRecorder } from '../support/response-recorder';

describe('wait condition signal', () => {
  test('Completed signals success with the model location', () => {
    expect(signalFor({ TrainingJobName: 'j', TrainingJobStatus: 'Completed', ModelArtifacts: { S3ModelArtifacts: 's3://m/j/output/model.tar.gz' } }))
      .toEqual({ Status: 'SUCCESS', Reason: 'Training job j completed', UniqueId: 'j', Data: 's3://m/j/output/model.tar.gz' });
  });

  test('Failed signals failure with SageMaker\'s own reason', () => {
    expect(signalFor({ TrainingJobName: 'j', TrainingJobStatus: 'Failed', SecondaryStatus: 'Failed', FailureReason: 'CapacityError: Unable to provision requested ML compute capacity.' }))
      .toMatchObject({ Status: 'FAILURE', Reason: 'Training job j failed: CapacityError: Unable to provision requested ML compute capacity.' });
  });

  test('Stopped at the maximum runtime says so', () => {
    expect(signalFor({ TrainingJobName: 'j', TrainingJobStatus: 'Stopped', SecondaryStatus: 'MaxRuntimeExceeded' }))
      .toMatchObject({ Status: 'FAILURE', Reason: 'Training job j stopped (MaxRuntimeExceeded): it reached its maximum runtime' });
  });

  test('a very long reason is cut to what CloudFormation shows', () => {
    const signal = signalFor({ TrainingJobName: 'j', TrainingJobStatus: 'Failed', FailureReason: 'x'.repeat(5000) });
    expect(signal!.Reason.length).toBe(1000);
  });

  test('progress (InProgress) sends no signal', () => {
    expect(signalFor({ TrainingJobName: 'j', TrainingJobStatus: 'InProgress', SecondaryStatus: 'Downloading' })).toBeUndefined();
  });

  test('the handler PUTs the signal to the handle URL', async () => {
    const recorder = new ResponseRecorder();
    const url = await recorder.start();
    try {
      await handler({ handleUrl: url, detail: { TrainingJobName: 'j', TrainingJobStatus: 'Failed', FailureReason: 'AlgorithmError: CUDA out of memory' } });
      await handler({ handleUrl: url, detail: { TrainingJobName: 'j', TrainingJobStatus: 'InProgress', SecondaryStatus: 'Training' } });
      expect(recorder.bodies).toEqual([{ Status: 'FAILURE', Reason: 'Training job j failed: AlgorithmError: CUDA out of memory', UniqueId: 'j', Data: '' }]);
    } finally {
      await recorder.stop();
    }
  });
});
