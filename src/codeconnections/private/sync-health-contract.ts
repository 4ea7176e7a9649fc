/**
 * What the SyncHealth construct and its Lambda function share: the environment the construct sets (it is the only
 * writer), the metrics the function emits and the construct's methods read. This file imports nothing, so the
 * function's bundle holds no aws-cdk-lib.
 */
export const SYNC_HEALTH_ENV = {
  /** The watched stacks' names, separated by commas (a stack name has no comma). */
  stackNames: 'STACK_NAMES',
  /** The value of the `Watch` dimension: names this watcher's metrics apart from another's. */
  watchName: 'WATCH_NAME',
} as const;

/**
 * The namespace of the watcher's embedded metrics. Each watched stack's values are emitted with the dimensions
 * `Watch` and `ResourceName` (the stack name), and again with `Watch` alone (all its stacks).
 */
export const SYNC_HEALTH_METRIC_NAMESPACE = 'cdk-devtools/CodeConnections';

/** The watcher's metrics, emitted once per run. */
export const SYNC_HEALTH_METRICS = {
  /** The stack's ACTIVE sync blockers (Git sync stops syncing the stack while one is active). */
  blockers: 'SyncBlockers',
  /** 1 when the stack's latest sync FAILED, else 0. */
  latestSyncFailed: 'LatestSyncFailed',
  /** Stacks whose blockers or sync status the run could not read (`Watch` dimension only). */
  readErrors: 'SyncStatusReadErrors',
} as const;

/** The only sync type CodeConnections has. */
export const CFN_STACK_SYNC = 'CFN_STACK_SYNC';

/** How many stacks one watcher reads: two calls per stack per run keep a run short and under the APIs' rates. */
export const MAX_WATCHED_STACKS = 50;

/**
 * The command that resolves a blocker: `UpdateSyncBlocker` takes the blocker's id, the sync type, the stack's name
 * and why it is resolved (1 to 250 characters). The watcher logs it for each active blocker.
 */
export function resolveCommand(stackName: string, blockerId: string): string {
  return `aws codeconnections update-sync-blocker --id ${blockerId} --sync-type ${CFN_STACK_SYNC} `
    + `--resource-name ${stackName} --resolved-reason "<what you fixed>"`;
}
