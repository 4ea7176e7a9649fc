import { CodeStarConnectionsClient } from '@aws-sdk/client-codestar-connections';
import { FIRST_SYNC_FAMILY, FIRST_SYNC_SKIPPED_KEY, FirstSyncProperties } from './contract';
import {
  ActionableError, logEvent, messageOf, pollAgainAfter, pollDue, pollFailureAdvice, startWait, waitExpired,
} from '../../../core/runtime/handler';
import { TIMEOUT_PROPERTY } from '../../../core/runtime/properties';
import type { IsCompleteRequest, IsCompleteResponse, OnEventRequest, OnEventResponse } from '../../../core/runtime/types';
import { readActiveBlockers, readLatestSync } from '../functions/sync-health';

/**
 * Starts the wait for the first sync of a new Git-synced stack. The physical id is the stack's name: another stack
 * (a replaced sync configuration) replaces the wait, which then waits for that stack's first sync. An Update that
 * keeps the stack (a longer timeout, a new role) has nothing to wait for: that stack's first sync is behind it.
 */
export async function onFirstSyncEvent(event: OnEventRequest): Promise<OnEventResponse> {
  logEvent('first sync wait', event);
  // A Delete has nothing to undo: the synced stack belongs to Git sync, and the sync configuration to the template.
  if (event.RequestType === 'Delete') return { PhysicalResourceId: event.PhysicalResourceId };
  const { StackName: stackName } = FIRST_SYNC_FAMILY.parse(event.ResourceProperties);
  if (event.RequestType === 'Update' && event.PhysicalResourceId === stackName) {
    return { PhysicalResourceId: stackName, Data: { [FIRST_SYNC_SKIPPED_KEY]: 'true' } };
  }
  return { PhysicalResourceId: stackName, Data: startWait() };
}

/** The latest sync's events as lines of a message, or why there are none. */
function outcome(latest: Awaited<ReturnType<typeof readLatestSync>>): string {
  const commit = latest.latestSyncCommit ? ` of commit ${latest.latestSyncCommit}` : '';
  const events = latest.latestSyncEvents.length > 0 ? `; its latest events: ${latest.latestSyncEvents.join(' | ')}` : '';
  return `the latest sync${commit} is ${latest.latestSyncStatus}${events}`;
}

/**
 * Polls until the stack's latest sync SUCCEEDED. A FAILED sync or an active sync blocker fails the wait at once, with
 * the sync's events (what CloudFormation reported for the synced stack) and, for a blocker, its reason and the
 * command that resolves it; no sync by the deadline fails with what Git sync needs to start one.
 */
export async function isFirstSyncComplete(client: CodeStarConnectionsClient, event: IsCompleteRequest): Promise<IsCompleteResponse> {
  if (event.RequestType === 'Delete' || event.Data?.[FIRST_SYNC_SKIPPED_KEY] === 'true') return { IsComplete: true };
  const props: FirstSyncProperties = FIRST_SYNC_FAMILY.parse(event.ResourceProperties);
  const subject = `Git-synced stack ${props.StackName}`;
  const what = 'Waiting for the first Git sync';
  if (!pollDue(event)) return { IsComplete: false };

  let blockers: Awaited<ReturnType<typeof readActiveBlockers>>;
  let latest: Awaited<ReturnType<typeof readLatestSync>>;
  try {
    blockers = await readActiveBlockers(client, props.StackName);
    latest = await readLatestSync(client, props.StackName);
  } catch (err) {
    if (pollAgainAfter(err, event, subject)) return { IsComplete: false };
    throw new ActionableError(what, subject, `reading its sync status failed: ${messageOf(err)}`, pollFailureAdvice(err, {
      service: 'CodeConnections',
      notFound: 'Its sync configuration is gone: it was deleted outside this stack. Redeploy to recreate it.',
      permissions: 'codeconnections:GetResourceSyncStatus and codeconnections:GetSyncBlockerSummary',
    }));
  }
  console.log(`${subject}: ${outcome(latest)}; ${blockers.length} active blocker(s)`);
  if (blockers.length > 0) {
    const blocker = blockers[0];
    throw new ActionableError(what, subject, `Git sync raised blocker ${blocker.id} (${blocker.createdReason ?? 'no reason given'}) and `
      + `stopped syncing; ${outcome(latest)}`,
    `Fix the cause in branch ${props.Branch} (the template, ${props.ConfigFile} or the sync role's permissions), resolve the blocker `
      + `with: ${blocker.resolve}, then retry the deployment.`);
  }
  if (latest.latestSyncStatus === 'SUCCEEDED') return { IsComplete: true };
  if (latest.latestSyncStatus === 'FAILED') {
    throw new ActionableError(what, subject, outcome(latest),
      `Fix the template or ${props.ConfigFile} in branch ${props.Branch} (the events above are the synced stack's), then push: Git `
      + 'sync retries on the next commit. Retry the deployment to wait again.');
  }
  if (waitExpired(event)) {
    const seconds = event.ResourceProperties[TIMEOUT_PROPERTY];
    const next = latest.latestSyncStatus === 'NONE'
      ? `Git sync starts once ${props.ConfigFile} is in branch ${props.Branch}: commit the StackGitSync's deploymentFile there`
      : 'The sync is still running: raise the wait\'s timeout (timeout), or deploy without waitForFirstSync and watch it '
        + 'with SyncHealth';
    throw new ActionableError(what, subject, `no sync succeeded after ${seconds} seconds; ${outcome(latest)}`,
      `${next}, then retry the deployment.`);
  }
  return { IsComplete: false };
}
