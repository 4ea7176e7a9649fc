import {
  CodeStarConnectionsClient, GetResourceSyncStatusCommand, GetSyncBlockerSummaryCommand, ResourceSyncEvent,
} from '@aws-sdk/client-codestar-connections';
import { isNotFound, messageOf } from '../../../core/runtime/handler';
import {
  CFN_STACK_SYNC, MAX_WATCHED_STACKS, resolveCommand, SYNC_HEALTH_ENV, SYNC_HEALTH_METRIC_NAMESPACE, SYNC_HEALTH_METRICS,
} from '../sync-health-contract';

/** What one run needs to know, read from the environment the construct sets. */
export interface WatchSettings {
  readonly watchName: string;
  readonly stackNames: string[];
}

export function settingsFromEnv(env: Record<string, string | undefined>): WatchSettings {
  const required = (name: string): string => {
    const value = env[name];
    if (value === undefined || value.trim() === '') throw new Error(`the sync health watcher's environment has no ${name}; redeploy the SyncHealth construct`);
    return value;
  };
  const stackNames = required(SYNC_HEALTH_ENV.stackNames).split(',').map(name => name.trim()).filter(name => name !== '');
  if (stackNames.length === 0 || stackNames.length > MAX_WATCHED_STACKS) {
    throw new Error(`the sync health watcher's ${SYNC_HEALTH_ENV.stackNames} names ${stackNames.length} stacks, not 1 to `
      + `${MAX_WATCHED_STACKS}; redeploy the SyncHealth construct`);
  }
  return { watchName: required(SYNC_HEALTH_ENV.watchName), stackNames };
}

/** An active blocker, with what UpdateSyncBlocker needs to resolve it. */
export interface ActiveBlocker {
  readonly id: string;
  readonly createdReason?: string;
  readonly createdAt?: string;
  readonly contexts: Record<string, string>;
  /** The CLI command that resolves it, once its cause is fixed. */
  readonly resolve: string;
}

/** A stack's sync state as one run read it. */
export interface StackSyncHealth {
  readonly stackName: string;
  readonly activeBlockers: ActiveBlocker[];
  /** The latest sync's status (FAILED, INITIATED, IN_PROGRESS, SUCCEEDED), or NONE before the first sync. */
  readonly latestSyncStatus: string;
  /** The latest sync's target revision (commit), when there is one. */
  readonly latestSyncCommit?: string;
  /** The latest sync's events, oldest first: what Git sync and the synced stack reported. */
  readonly latestSyncEvents: string[];
}

/** A stack whose state a run could not read, and why. */
export interface UnreadStack {
  readonly stackName: string;
  readonly reason: string;
}

/** The outcome of one run, logged as one line and returned. */
export interface WatchSummary {
  readonly stacks: StackSyncHealth[];
  readonly unread: UnreadStack[];
}

/** At most this many of a sync's latest events go to the log and to an error: the newest explain the outcome. */
const MAX_EVENTS = 10;

/** A sync event as one line: its time, type and text. */
export function describeEvent(event: ResourceSyncEvent): string {
  const time = event.Time ? new Date(event.Time).toISOString() : 'unknown time';
  return `${time} ${event.Type ?? 'event'}: ${event.Event ?? ''}`.trim();
}

/** The stack's active blockers (a summary that does not exist yet has none). */
export async function readActiveBlockers(client: CodeStarConnectionsClient, stackName: string): Promise<ActiveBlocker[]> {
  try {
    const { SyncBlockerSummary: summary } = await client.send(new GetSyncBlockerSummaryCommand({
      ResourceName: stackName, SyncType: CFN_STACK_SYNC,
    }));
    return (summary?.LatestBlockers ?? []).filter(blocker => blocker.Status === 'ACTIVE' && blocker.Id).map(blocker => ({
      id: blocker.Id!,
      createdReason: blocker.CreatedReason,
      createdAt: blocker.CreatedAt?.toISOString(),
      contexts: Object.fromEntries((blocker.Contexts ?? []).map(context => [context.Key ?? '', context.Value ?? ''])),
      resolve: resolveCommand(stackName, blocker.Id!),
    }));
  } catch (err) {
    if (isNotFound(err)) return [];
    throw err;
  }
}

/** The stack's latest sync (NONE before Git sync first syncs it). */
export async function readLatestSync(client: CodeStarConnectionsClient, stackName: string)
  : Promise<Pick<StackSyncHealth, 'latestSyncStatus' | 'latestSyncCommit' | 'latestSyncEvents'> & { startedAt?: Date }> {
  try {
    const { LatestSync: latest } = await client.send(new GetResourceSyncStatusCommand({ ResourceName: stackName, SyncType: CFN_STACK_SYNC }));
    if (!latest) return { latestSyncStatus: 'NONE', latestSyncEvents: [] };
    const events = [...(latest.Events ?? [])].sort((a, b) => (a.Time?.getTime() ?? 0) - (b.Time?.getTime() ?? 0));
    return {
      latestSyncStatus: latest.Status ?? 'NONE',
      latestSyncCommit: latest.TargetRevision?.Sha,
      latestSyncEvents: events.slice(-MAX_EVENTS).map(describeEvent),
      startedAt: latest.StartedAt,
    };
  } catch (err) {
    if (isNotFound(err)) return { latestSyncStatus: 'NONE', latestSyncEvents: [] };
    throw err;
  }
}

/**
 * Reads each watched stack's active blockers and latest sync, and emits their metrics (one embedded-metric line per
 * stack, then one with the stacks it could not read). A stack that cannot be read emits no value of its own, so an
 * alarm on it sees missing data, and counts in the read errors.
 */
export async function watchSyncHealth(client: CodeStarConnectionsClient, settings: WatchSettings): Promise<WatchSummary> {
  const stacks: StackSyncHealth[] = [];
  const unread: UnreadStack[] = [];
  for (const stackName of settings.stackNames) {
    try {
      const activeBlockers = await readActiveBlockers(client, stackName);
      const { startedAt: _startedAt, ...latest } = await readLatestSync(client, stackName);
      const health: StackSyncHealth = { stackName, activeBlockers, ...latest };
      stacks.push(health);
      emitStackMetrics(settings, health);
      for (const blocker of activeBlockers) {
        console.log(JSON.stringify({ message: `Git sync of stack ${stackName} is blocked; fix the cause, then resolve the blocker`, stackName, ...blocker }));
      }
    } catch (err) {
      unread.push({ stackName, reason: messageOf(err) });
    }
  }
  emitMetrics(settings, {}, { [SYNC_HEALTH_METRICS.readErrors]: unread.length });
  const summary = { stacks, unread };
  console.log(JSON.stringify({ watch: settings.watchName, ...summary }));
  return summary;
}

function emitStackMetrics(settings: WatchSettings, health: StackSyncHealth): void {
  emitMetrics(settings, { ResourceName: health.stackName }, {
    [SYNC_HEALTH_METRICS.blockers]: health.activeBlockers.length,
    [SYNC_HEALTH_METRICS.latestSyncFailed]: health.latestSyncStatus === 'FAILED' ? 1 : 0,
  });
}

/**
 * One CloudWatch embedded-metric-format line. A stack's values go with `Watch` and `ResourceName`, and again with
 * `Watch` alone, so the construct's watch-wide metrics are the stacks' values taken together.
 */
function emitMetrics(settings: WatchSettings, dimensions: Record<string, string>, metrics: Record<string, number>): void {
  const sets = Object.keys(dimensions).length > 0 ? [['Watch', ...Object.keys(dimensions)], ['Watch']] : [['Watch']];
  console.log(JSON.stringify({
    _aws: {
      Timestamp: Date.now(),
      CloudWatchMetrics: [{
        Namespace: SYNC_HEALTH_METRIC_NAMESPACE,
        Dimensions: sets,
        Metrics: Object.keys(metrics).map(name => ({ Name: name, Unit: 'Count' })),
      }],
    },
    Watch: settings.watchName,
    ...dimensions,
    ...metrics,
  }));
}
