/**
 * What a wait's signal says (the reason CloudFormation shows in the stack's events), and when a
 * refused signal is logged instead of failing: only for a handle whose URL has expired, whose
 * wait ended long ago.
 */
import { AddressInfo } from 'node:net';
import { Server, createServer } from 'node:http';
import { handleExpiry, signalFor, signalHandle } from '../../lib/handlers/shared/wait-signal';

describe('the reason a signal gives', () => {
  const job = { TrainingJobName: 'j' };

  test('a spot job says what it saved only when SageMaker reported both times', () => {
    const spot = { ...job, TrainingJobStatus: 'Completed', EnableManagedSpotTraining: true };
    expect(signalFor({ ...spot, TrainingTimeInSeconds: 600 })!.Reason).toBe('Training job j completed');
    expect(signalFor({ ...spot, BillableTimeInSeconds: 0, TrainingTimeInSeconds: 0 })!.Reason).toBe(
      'Training job j completed',
    );
    expect(signalFor({ ...spot, BillableTimeInSeconds: 0, TrainingTimeInSeconds: 600 })!.Reason).toBe(
      'Training job j completed (spot: billed 0 s of 600 s, 100% saved)',
    );
  });

  test('the type SageMaker chose is named only for a job with preferences, once chosen', () => {
    const done = { ...job, TrainingJobStatus: 'Completed' };
    expect(signalFor({ ...done, ResourceConfig: { SelectedInstanceType: 'ml.g5.48xlarge' } })!.Reason).toBe(
      'Training job j completed',
    );
    expect(signalFor({ ...done, ResourceConfig: { InstancePreferences: [{}] } })!.Reason).toBe(
      'Training job j completed',
    );
    expect(
      signalFor({ ...done, ResourceConfig: { InstancePreferences: [{}], SelectedInstanceType: 'ml.p4d.24xlarge' } })!
        .Reason,
    ).toBe("Training job j on ml.p4d.24xlarge (SageMaker's choice by capacity) completed");
  });

  test('a stopped job fails the wait: at its maximum runtime, or stopped by someone', () => {
    expect(signalFor({ ...job, TrainingJobStatus: 'Stopped', SecondaryStatus: 'MaxRuntimeExceeded' })).toEqual({
      Status: 'FAILURE',
      Reason: 'Training job j stopped (MaxRuntimeExceeded): it reached its maximum runtime',
      UniqueId: 'j',
      Data: '',
    });
    expect(signalFor({ ...job, TrainingJobStatus: 'Stopped', SecondaryStatus: 'Stopped' })!.Reason).toBe(
      'Training job j stopped: it was stopped',
    );
    expect(signalFor({ ...job, TrainingJobStatus: 'Stopped' })!.Reason).toBe('Training job j stopped: it was stopped');
    expect(signalFor({ ...job, TrainingJobStatus: 'Failed', FailureReason: 'AlgorithmError' })!.Reason).toBe(
      'Training job j failed: AlgorithmError',
    );
  });

  test('a job still running sends nothing', () => {
    expect(signalFor({ ...job, TrainingJobStatus: 'InProgress', SecondaryStatus: 'Training' })).toBeUndefined();
  });
});

test("a handle's expiry is read only from a well-formed X-Amz-Date", () => {
  const url = (date: string) => `https://h/x?X-Amz-Date=${date}&X-Amz-Expires=60&Expires=1796371200`;
  expect(handleExpiry(url('20261203T080000Z'))?.toISOString()).toBe('2026-12-03T08:01:00.000Z');
  // Otherwise the signature version 2 Expires is what counts.
  expect(handleExpiry(url('x20261203T080000Z'))?.toISOString()).toBe('2026-12-04T08:00:00.000Z');
  expect(handleExpiry(url('20261203T080000Zx'))?.toISOString()).toBe('2026-12-04T08:00:00.000Z');
});

describe('signalHandle', () => {
  let server: Server;
  let status = 200;
  let base: string;
  beforeAll(async () => {
    server = createServer((req, res) => req.resume().on('end', () => res.writeHead(status).end()));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/h`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const signal = { Status: 'SUCCESS' as const, Reason: 'done', UniqueId: 'j', Data: '' };
  const expiring = () => `${base}?X-Amz-Date=20261203T080000Z&X-Amz-Expires=60`;
  const expiry = new Date('2026-12-03T08:01:00Z');

  test('a sent signal is said to be sent', async () => {
    status = 200;
    expect(await signalHandle(expiring(), signal, new Date(expiry.getTime() - 1000))).toBe(true);
  });

  test('refused by an expired handle, from its expiry on: logged and not sent, the wait long over', async () => {
    status = 403;
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      expect(await signalHandle(expiring(), signal, expiry)).toBe(false);
      expect(JSON.parse(log.mock.calls[0][0])).toEqual({
        notSignalled: 'j',
        handleExpired: expiry.toISOString(),
        why: 'the handle has expired, so its wait has long ended',
      });
    } finally {
      log.mockRestore();
    }
  });

  test('any other refusal fails: a live handle, a handle of unknown expiry, or another status', async () => {
    status = 403;
    await expect(signalHandle(expiring(), signal, new Date(expiry.getTime() - 1))).rejects.toThrow('PUT 403');
    await expect(signalHandle(base, signal, new Date('2030-01-01'))).rejects.toThrow('PUT 403');
    status = 500;
    await expect(signalHandle(expiring(), signal, new Date('2030-01-01'))).rejects.toThrow('PUT 500');
  });
});
