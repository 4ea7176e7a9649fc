import { CodeStarConnectionsClient, GetResourceSyncStatusCommand, GetSyncBlockerSummaryCommand } from '@aws-sdk/client-codestar-connections';
import { CODECONNECTIONS_API } from '../../src/codeconnections/private/api-constraints';
import { isFirstSyncComplete, onFirstSyncEvent } from '../../src/codeconnections/private/custom-resources/first-sync';
import {
  awsError, createEvent, deleteEvent, expectValidSdkInputs, handlerMocks, isCompleteEvent, updateEvent,
} from '../kit';

const [mock] = handlerMocks(CodeStarConnectionsClient);
const client = new CodeStarConnectionsClient({});
const props = { StackName: 'network', Branch: 'main', ConfigFile: 'deployment-file.yaml', TimeoutSeconds: 600 };
const SUBJECT = 'Waiting for the first Git sync failed for Git-synced stack network';

/** An isComplete call of a Create whose wait started `ago` milliseconds before now. */
const waiting = (ago = 0) => isCompleteEvent(createEvent(props), { PhysicalResourceId: 'network', Data: { WaitStartedAt: String(Date.now() - ago) } });

function latestSync(status: string, events: Array<{ Event: string; Time: Date; Type: string }> = []) {
  return { LatestSync: { Status: status, StartedAt: new Date('2025-03-10T12:00:00Z'), Events: events, Target: 'network', TargetRevision: { Branch: 'main', Directory: 'd', OwnerId: 'o', ProviderType: 'GitHub', RepositoryName: 'r', Sha: 'abc123' } } } as any;
}
const noBlockers = { SyncBlockerSummary: { ResourceName: 'network', LatestBlockers: [] } };

describe('onFirstSyncEvent', () => {
  test('a Create starts the wait, keyed on the stack name', async () => {
    await expect(onFirstSyncEvent(createEvent(props))).resolves.toEqual({
      PhysicalResourceId: 'network', Data: { WaitStartedAt: expect.stringMatching(/^\d+$/) },
    });
  });

  test('an Update to another stack starts a wait for that stack (a new id: a replacement)', async () => {
    const result = await onFirstSyncEvent(updateEvent('network-old', props, { ...props, StackName: 'network-old' }));
    expect(result).toEqual({ PhysicalResourceId: 'network', Data: { WaitStartedAt: expect.stringMatching(/^\d+$/) } });
  });

  test('an Update that keeps the stack waits for nothing, and isComplete then reads nothing', async () => {
    const update = updateEvent('network', { ...props, TimeoutSeconds: 1200 }, props);
    const result = await onFirstSyncEvent(update);
    expect(result).toEqual({ PhysicalResourceId: 'network', Data: { FirstSyncSkipped: 'true' } });
    await expect(isFirstSyncComplete(client, isCompleteEvent(update, result))).resolves.toEqual({ IsComplete: true });
    expect(mock.calls()).toHaveLength(0);
  });

  test('a Delete reads no property and touches nothing', async () => {
    await expect(onFirstSyncEvent(deleteEvent('network', {}))).resolves.toEqual({ PhysicalResourceId: 'network' });
    await expect(isFirstSyncComplete(client, isCompleteEvent(deleteEvent('network', {})))).resolves.toEqual({ IsComplete: true });
    expect(mock.calls()).toHaveLength(0);
  });

  test.each([
    ['no stack name', { Branch: 'main', ConfigFile: 'f' }, /property StackName is missing/],
    ['no branch', { StackName: 'network', ConfigFile: 'f' }, /property Branch is missing/],
  ])('onEvent and isComplete both refuse properties with %s', async (_, bad, message) => {
    await expect(onFirstSyncEvent(createEvent(bad))).rejects.toThrow(message);
    const started = isCompleteEvent(createEvent(bad), { Data: { WaitStartedAt: String(Date.now()) } });
    await expect(isFirstSyncComplete(client, started)).rejects.toThrow(message);
  });
});

describe('isFirstSyncComplete', () => {
  test('waits while there is no sync yet or it runs, then completes when it SUCCEEDED', async () => {
    mock.on(GetSyncBlockerSummaryCommand).resolves(noBlockers);
    mock.on(GetResourceSyncStatusCommand)
      .rejectsOnce(awsError('ResourceNotFoundException'))
      .resolvesOnce(latestSync('IN_PROGRESS'))
      .resolves(latestSync('SUCCEEDED'));
    await expect(isFirstSyncComplete(client, waiting())).resolves.toEqual({ IsComplete: false });
    await expect(isFirstSyncComplete(client, waiting())).resolves.toEqual({ IsComplete: false });
    await expect(isFirstSyncComplete(client, waiting())).resolves.toEqual({ IsComplete: true });
    expect(mock.commandCalls(GetResourceSyncStatusCommand)[0].args[0].input).toEqual({ ResourceName: 'network', SyncType: 'CFN_STACK_SYNC' });
    expectValidSdkInputs(mock, CODECONNECTIONS_API);
  });

  test('a FAILED sync fails at once with the synced stack\'s events', async () => {
    mock.on(GetSyncBlockerSummaryCommand).resolves(noBlockers);
    mock.on(GetResourceSyncStatusCommand).resolves(latestSync('FAILED', [
      { Event: 'Stack network: CREATE_FAILED Bucket (Bucket name already exists)', Time: new Date('2025-03-10T12:02:00Z'), Type: 'STACK_FAILED' },
      { Event: 'Started syncing', Time: new Date('2025-03-10T12:00:00Z'), Type: 'SYNC_STARTED' },
    ]));
    await expect(isFirstSyncComplete(client, waiting())).rejects.toThrow(
      `${SUBJECT}: the latest sync of commit abc123 is FAILED; its latest events: 2025-03-10T12:00:00.000Z SYNC_STARTED: Started syncing | `
      + '2025-03-10T12:02:00.000Z STACK_FAILED: Stack network: CREATE_FAILED Bucket (Bucket name already exists). Fix the template or '
      + 'deployment-file.yaml in branch main (the events above are the synced stack\'s), then push');
  });

  test('an active blocker fails at once with its reason and the command that resolves it', async () => {
    mock.on(GetSyncBlockerSummaryCommand).resolves({
      SyncBlockerSummary: {
        ResourceName: 'network',
        LatestBlockers: [
          { Id: 'blocker-1', Type: 'AUTOMATED', Status: 'ACTIVE', CreatedReason: 'Sync failed 3 times', CreatedAt: new Date() },
        ],
      },
    });
    mock.on(GetResourceSyncStatusCommand).resolves(latestSync('FAILED'));
    await expect(isFirstSyncComplete(client, waiting())).rejects.toThrow(
      `${SUBJECT}: Git sync raised blocker blocker-1 (Sync failed 3 times) and stopped syncing; the latest sync of commit abc123 is FAILED. `
      + 'Fix the cause in branch main (the template, deployment-file.yaml or the sync role\'s permissions), resolve the blocker with: '
      + 'aws codeconnections update-sync-blocker --id blocker-1 --sync-type CFN_STACK_SYNC --resource-name network --resolved-reason '
      + '"<what you fixed>", then retry the deployment.');
  });

  test('without any sync by the deadline: commit the deployment file', async () => {
    mock.on(GetSyncBlockerSummaryCommand).rejects(awsError('ResourceNotFoundException'));
    mock.on(GetResourceSyncStatusCommand).rejects(awsError('ResourceNotFoundException'));
    await expect(isFirstSyncComplete(client, waiting(601_000))).rejects.toThrow(
      `${SUBJECT}: no sync succeeded after 600 seconds; the latest sync is NONE. Git sync starts once deployment-file.yaml is in `
      + 'branch main: commit the StackGitSync\'s deploymentFile there, then retry the deployment.');
  });

  test('a sync still running at the deadline: raise the timeout or watch it instead', async () => {
    mock.on(GetSyncBlockerSummaryCommand).resolves(noBlockers);
    mock.on(GetResourceSyncStatusCommand).resolves(latestSync('IN_PROGRESS'));
    await expect(isFirstSyncComplete(client, waiting(601_000))).rejects.toThrow(
      'no sync succeeded after 600 seconds; the latest sync of commit abc123 is IN_PROGRESS. The sync is still running: raise the '
      + 'wait\'s timeout (timeout), or deploy without waitForFirstSync and watch it with SyncHealth, then retry the deployment.');
  });

  test('polls through throttling before the deadline, and says throttling (not permissions) at it', async () => {
    mock.on(GetSyncBlockerSummaryCommand).rejects(awsError('ThrottlingException'));
    await expect(isFirstSyncComplete(client, waiting())).resolves.toEqual({ IsComplete: false });
    await expect(isFirstSyncComplete(client, waiting(601_000))).rejects.toThrow(
      `${SUBJECT}: reading its sync status failed: ThrottlingException: ThrottlingException (simulated). CodeConnections was throttling`);
  });

  test('a refused read fails at once, naming the permissions', async () => {
    mock.on(GetSyncBlockerSummaryCommand).resolves(noBlockers);
    mock.on(GetResourceSyncStatusCommand).rejects(awsError('AccessDeniedException'));
    await expect(isFirstSyncComplete(client, waiting())).rejects.toThrow(
      'The handler lacks a permission (codeconnections:GetResourceSyncStatus and codeconnections:GetSyncBlockerSummary)');
  });

  test('a poll that is not due reads nothing', async () => {
    const saved = process.env.QUERY_INTERVAL_SECONDS;
    process.env.QUERY_INTERVAL_SECONDS = '5';
    try {
      const event = isCompleteEvent(createEvent({ ...props, PollIntervalSeconds: 60 }), { Data: { WaitStartedAt: String(Date.now() - 20_000) } });
      await expect(isFirstSyncComplete(client, event)).resolves.toEqual({ IsComplete: false });
      expect(mock.calls()).toHaveLength(0);
    } finally {
      if (saved === undefined) delete process.env.QUERY_INTERVAL_SECONDS; else process.env.QUERY_INTERVAL_SECONDS = saved;
    }
  });
});
