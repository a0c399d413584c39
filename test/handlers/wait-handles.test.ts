/**
 * Which handle of a wait's chain a signal goes to: the newest one CloudFormation has created,
 * read from every page of the stack's resources. A signal sent to an older segment's handle
 * would end a wait that has already ended, and the deploy would wait on to its timeout.
 */
import { CloudFormationClient, ListStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { currentHandle } from '../../lib/handlers/shared/wait-handles';

const cloudFormation = mockClient(CloudFormationClient);
const client = new CloudFormationClient({});
const CHAIN = { stackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/Dev/1', handleIds: ['H1', 'H2', 'H3'] };
const handle = (id: string, ResourceStatus = 'CREATE_COMPLETE') => ({
  LogicalResourceId: id,
  PhysicalResourceId: `https://handles/${id}`,
  ResourceStatus,
});

beforeEach(() => cloudFormation.reset());

test('the newest handle created is the current segment, found on a later page of the stack', async () => {
  cloudFormation
    .on(ListStackResourcesCommand, { StackName: CHAIN.stackId, NextToken: undefined })
    .resolves({ StackResourceSummaries: [handle('H1'), handle('Job')] as never, NextToken: 'page-2' })
    .on(ListStackResourcesCommand, { StackName: CHAIN.stackId, NextToken: 'page-2' })
    .resolves({ StackResourceSummaries: [handle('H2')] as never });
  expect(await currentHandle(client, CHAIN)).toEqual({ segment: 1, url: 'https://handles/H2' });
  expect(cloudFormation.commandCalls(ListStackResourcesCommand)).toHaveLength(2);
});

test('a handle still being created, or deleted, is not one to signal: the one before it is', async () => {
  cloudFormation.on(ListStackResourcesCommand).resolves({
    StackResourceSummaries: [
      handle('H1'),
      handle('H2', 'DELETE_COMPLETE'),
      handle('H3', 'CREATE_IN_PROGRESS'),
    ] as never,
  });
  expect(await currentHandle(client, CHAIN)).toEqual({ segment: 0, url: 'https://handles/H1' });
});

test('the last segment of the chain is found as such', async () => {
  cloudFormation.on(ListStackResourcesCommand).resolves({
    StackResourceSummaries: [handle('H3'), handle('H1'), handle('H2')] as never,
  });
  expect(await currentHandle(client, CHAIN)).toEqual({ segment: 2, url: 'https://handles/H3' });
});

test('no handle left (the stack rolled back), or one without its URL yet: nothing to signal', async () => {
  cloudFormation.on(ListStackResourcesCommand).resolves({
    StackResourceSummaries: [{ LogicalResourceId: 'H1', ResourceStatus: 'CREATE_COMPLETE' }, handle('Other')] as never,
  });
  expect(await currentHandle(client, CHAIN)).toBeUndefined();
  cloudFormation.on(ListStackResourcesCommand).resolves({});
  expect(await currentHandle(client, CHAIN)).toBeUndefined();
});
