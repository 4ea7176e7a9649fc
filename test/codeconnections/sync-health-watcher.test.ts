import {
  CodeStarConnectionsClient, GetResourceSyncStatusCommand, GetSyncBlockerSummaryCommand, SyncBlocker,
} from '@aws-sdk/client-codestar-connections';
import { CODECONNECTIONS_API } from '../../src/codeconnections/private/api-constraints';
import {
  readLatestSync, settingsFromEnv, watchSyncHealth, WatchSettings,
} from '../../src/codeconnections/private/functions/sync-health';
import { handler } from '../../src/codeconnections/private/functions/sync-health-watcher.lambda';
import {
  SYNC_HEALTH_ENV, SYNC_HEALTH_METRIC_NAMESPACE, SYNC_HEALTH_METRICS,
} from '../../src/codeconnections/private/sync-health-contract';
import { awsError, expectValidSdkInputs, handlerMocks } from '../kit';

const [mock] = handlerMocks(CodeStarConnectionsClient);
const client = new CodeStarConnectionsClient({});
const SETTINGS: WatchSettings = { watchName: 'PlatformSyncHealth1A2B3C', stackNames: ['network', 'data-prod'] };

/**
 * A fake of Git sync's state for the watched stacks: each stack's blockers and latest sync, changed by the tests the
 * way CodeConnections changes them (a blocker raised after failed syncs, resolved by UpdateSyncBlocker).
 */
class FakeGitSync {
  private readonly blockers = new Map<string, SyncBlocker[]>();
  private readonly latest = new Map<string, { Status: string; Events?: Array<{ Event: string; Time: Date; Type: string }>; Sha?: string }>();

  constructor() {
    mock.on(GetSyncBlockerSummaryCommand).callsFake(input => {
      const blockers = this.blockers.get(input.ResourceName);
      if (!blockers) throw awsError('ResourceNotFoundException');
      return { SyncBlockerSummary: { ResourceName: input.ResourceName, LatestBlockers: blockers } };
    });
    mock.on(GetResourceSyncStatusCommand).callsFake(input => {
      const latest = this.latest.get(input.ResourceName);
      if (!latest) throw awsError('ResourceNotFoundException');
      return {
        DesiredState: undefined,
        LatestSync: {
          Status: latest.Status,
          StartedAt: new Date('2025-03-10T12:00:00Z'),
          Target: input.ResourceName,
          Events: latest.Events ?? [],
          InitialRevision: undefined,
          TargetRevision: latest.Sha ? { Branch: 'main', Directory: 'x', OwnerId: 'o', ProviderType: 'GitHub', RepositoryName: 'r', Sha: latest.Sha } : undefined,
        },
      };
    });
  }

  sync(stack: string, status: string, events: Array<{ Event: string; Time: Date; Type: string }> = [], sha?: string): void {
    this.latest.set(stack, { Status: status, Events: events, Sha: sha });
    if (!this.blockers.has(stack)) this.blockers.set(stack, []);
  }

  raiseBlocker(stack: string, id: string, reason: string): void {
    this.blockers.set(stack, [...(this.blockers.get(stack) ?? []), {
      Id: id,
      Type: 'AUTOMATED',
      Status: 'ACTIVE',
      CreatedReason: reason,
      CreatedAt: new Date('2025-03-10T12:05:00Z'),
      Contexts: [{ Key: 'CommitId', Value: 'abc123' }],
    }]);
  }

  resolveBlocker(stack: string, id: string): void {
    this.blockers.set(stack, (this.blockers.get(stack) ?? []).map(b => b.Id === id
      ? { ...b, Status: 'RESOLVED', ResolvedReason: 'fixed the template', ResolvedAt: new Date('2025-03-10T13:00:00Z') } : b));
  }
}

/** The embedded-metric lines a run printed, as objects. */
function metricLines(): Array<Record<string, any>> {
  return (console.log as jest.Mock).mock.calls.map(([line]) => JSON.parse(line)).filter(line => line._aws);
}

/** The value each stack's line gave a metric. */
function metricOf(name: string): Record<string, number> {
  return Object.fromEntries(metricLines().filter(line => line.ResourceName).map(line => [line.ResourceName, line[name]]));
}

describe('watchSyncHealth', () => {
  test('a blocker raised shows as SyncBlockers 1 with the command that resolves it, and 0 once it is resolved', async () => {
    const fake = new FakeGitSync();
    fake.sync('network', 'FAILED');
    fake.sync('data-prod', 'SUCCEEDED');
    fake.raiseBlocker('network', 'blocker-0001', 'Stack network failed to sync 3 times');

    const blocked = await watchSyncHealth(client, SETTINGS);
    expect(metricOf(SYNC_HEALTH_METRICS.blockers)).toEqual({ 'network': 1, 'data-prod': 0 });
    expect(blocked.stacks[0].activeBlockers).toEqual([{
      id: 'blocker-0001',
      createdReason: 'Stack network failed to sync 3 times',
      createdAt: '2025-03-10T12:05:00.000Z',
      contexts: { CommitId: 'abc123' },
      resolve: 'aws codeconnections update-sync-blocker --id blocker-0001 --sync-type CFN_STACK_SYNC --resource-name network '
        + '--resolved-reason "<what you fixed>"',
    }]);
    const logged = (console.log as jest.Mock).mock.calls.map(([line]) => JSON.parse(line)).find(line => line.id === 'blocker-0001');
    expect(logged).toMatchObject({ stackName: 'network', message: expect.stringContaining('fix the cause, then resolve the blocker') });

    (console.log as jest.Mock).mockClear();
    fake.resolveBlocker('network', 'blocker-0001');
    const resolved = await watchSyncHealth(client, SETTINGS);
    expect(metricOf(SYNC_HEALTH_METRICS.blockers)).toEqual({ 'network': 0, 'data-prod': 0 });
    expect(resolved.stacks[0].activeBlockers).toEqual([]);
    expectValidSdkInputs(mock, CODECONNECTIONS_API);
  });

  test('LatestSyncFailed is 1 for a FAILED latest sync and 0 for any other status', async () => {
    const fake = new FakeGitSync();
    fake.sync('network', 'FAILED');
    fake.sync('data-prod', 'IN_PROGRESS');
    await watchSyncHealth(client, SETTINGS);
    expect(metricOf(SYNC_HEALTH_METRICS.latestSyncFailed)).toEqual({ 'network': 1, 'data-prod': 0 });
  });

  test('each stack line carries both dimension sets and the watch-wide line carries the read errors', async () => {
    const fake = new FakeGitSync();
    fake.sync('network', 'SUCCEEDED');
    fake.sync('data-prod', 'SUCCEEDED');
    await watchSyncHealth(client, SETTINGS);
    const lines = metricLines();
    expect(lines).toHaveLength(3);
    expect(lines[0]._aws.CloudWatchMetrics).toEqual([{
      Namespace: SYNC_HEALTH_METRIC_NAMESPACE,
      Dimensions: [['Watch', 'ResourceName'], ['Watch']],
      Metrics: [{ Name: 'SyncBlockers', Unit: 'Count' }, { Name: 'LatestSyncFailed', Unit: 'Count' }],
    }]);
    expect(lines[0]).toMatchObject({ Watch: SETTINGS.watchName, ResourceName: 'network' });
    expect(lines[2]._aws.CloudWatchMetrics[0].Dimensions).toEqual([['Watch']]);
    expect(lines[2]).toMatchObject({ Watch: SETTINGS.watchName, [SYNC_HEALTH_METRICS.readErrors]: 0 });
    expect(lines[2].ResourceName).toBeUndefined();
  });

  test('a stack Git sync has not synced yet (not found) has no blocker and a latest sync of NONE', async () => {
    new FakeGitSync();
    const summary = await watchSyncHealth(client, { ...SETTINGS, stackNames: ['network'] });
    expect(summary.stacks).toEqual([{ stackName: 'network', activeBlockers: [], latestSyncStatus: 'NONE', latestSyncEvents: [] }]);
    expect(metricOf(SYNC_HEALTH_METRICS.latestSyncFailed)).toEqual({ network: 0 });
  });

  test('a stack that cannot be read emits no value of its own and counts in the read errors', async () => {
    const fake = new FakeGitSync();
    fake.sync('data-prod', 'SUCCEEDED');
    mock.on(GetSyncBlockerSummaryCommand, { ResourceName: 'network' }).rejects(awsError('AccessDeniedException', 'not authorized'));
    const summary = await watchSyncHealth(client, SETTINGS);
    expect(summary.unread).toEqual([{ stackName: 'network', reason: 'AccessDeniedException: not authorized' }]);
    expect(Object.keys(metricOf(SYNC_HEALTH_METRICS.blockers))).toEqual(['data-prod']);
    expect(metricLines().at(-1)![SYNC_HEALTH_METRICS.readErrors]).toBe(1);
  });

  test('a failed status read of a stack counts too, after its blockers were read', async () => {
    const fake = new FakeGitSync();
    fake.sync('data-prod', 'SUCCEEDED');
    fake.sync('network', 'SUCCEEDED');
    mock.on(GetResourceSyncStatusCommand, { ResourceName: 'network' }).rejects(awsError('ThrottlingException', 'slow down'));
    const summary = await watchSyncHealth(client, SETTINGS);
    expect(summary.unread).toEqual([{ stackName: 'network', reason: 'ThrottlingException: slow down' }]);
    expect(summary.stacks.map(s => s.stackName)).toEqual(['data-prod']);
  });
});

describe('readLatestSync', () => {
  test('gives the status, the commit and the newest events, oldest first', async () => {
    const fake = new FakeGitSync();
    const events = Array.from({ length: 12 }, (_, i) => ({
      Event: `event ${i}`, Time: new Date(Date.UTC(2025, 2, 10, 12, 59 - i)), Type: i === 0 ? 'STACK_FAILED' : 'STACK_PROGRESS',
    }));
    fake.sync('network', 'FAILED', events, 'abc123');
    const latest = await readLatestSync(client, 'network');
    expect(latest.latestSyncStatus).toBe('FAILED');
    expect(latest.latestSyncCommit).toBe('abc123');
    expect(latest.latestSyncEvents).toHaveLength(10);
    expect(latest.latestSyncEvents.at(-1)).toBe('2025-03-10T12:59:00.000Z STACK_FAILED: event 0');
    expect(latest.latestSyncEvents[0]).toBe('2025-03-10T12:50:00.000Z STACK_PROGRESS: event 9');
  });

  test('a response without a latest sync is NONE', async () => {
    mock.on(GetResourceSyncStatusCommand).resolves({});
    await expect(readLatestSync(client, 'network')).resolves.toEqual({ latestSyncStatus: 'NONE', latestSyncEvents: [] });
  });
});

describe('settingsFromEnv', () => {
  test('reads the stacks and the watch name the construct sets', () => {
    expect(settingsFromEnv({ [SYNC_HEALTH_ENV.stackNames]: 'network,data-prod', [SYNC_HEALTH_ENV.watchName]: 'W' }))
      .toEqual({ watchName: 'W', stackNames: ['network', 'data-prod'] });
  });

  test.each([
    [{ [SYNC_HEALTH_ENV.watchName]: 'W' }, /has no STACK_NAMES; redeploy the SyncHealth construct/],
    [{ [SYNC_HEALTH_ENV.stackNames]: 'network' }, /has no WATCH_NAME/],
    [{ [SYNC_HEALTH_ENV.stackNames]: ' , ', [SYNC_HEALTH_ENV.watchName]: 'W' }, /names 0 stacks, not 1 to 50/],
    [{ [SYNC_HEALTH_ENV.stackNames]: Array.from({ length: 51 }, (_, i) => `s${i}`).join(','), [SYNC_HEALTH_ENV.watchName]: 'W' }, /names 51 stacks/],
  ])('refuses an environment the construct does not write (%#)', (env, message) => {
    expect(() => settingsFromEnv(env)).toThrow(message);
  });
});

describe('handler', () => {
  const saved = { ...process.env };
  afterEach(() => { process.env = { ...saved }; });

  test('returns the summary when every stack was read', async () => {
    process.env[SYNC_HEALTH_ENV.stackNames] = 'network';
    process.env[SYNC_HEALTH_ENV.watchName] = 'W';
    new FakeGitSync().sync('network', 'SUCCEEDED');
    await expect(handler()).resolves.toMatchObject({ stacks: [{ stackName: 'network', latestSyncStatus: 'SUCCEEDED' }], unread: [] });
  });

  test('fails, naming each stack it could not read and why, after emitting the metrics', async () => {
    process.env[SYNC_HEALTH_ENV.stackNames] = 'network';
    process.env[SYNC_HEALTH_ENV.watchName] = 'W';
    mock.on(GetSyncBlockerSummaryCommand).rejects(awsError('AccessDeniedException', 'denied'));
    await expect(handler()).rejects.toThrow('the Git sync state of 1 stack(s) could not be read: network (AccessDeniedException: denied)');
    expect(metricLines().at(-1)![SYNC_HEALTH_METRICS.readErrors]).toBe(1);
  });
});
