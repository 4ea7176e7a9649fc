import { CodeStarConnectionsClient } from '@aws-sdk/client-codestar-connections';
import { settingsFromEnv, watchSyncHealth, WatchSummary } from './sync-health';

// Module scope: reused across warm invocations.
const client = new CodeStarConnectionsClient({});

/**
 * Reads the watched stacks' Git sync state and emits it as metrics. Fails when a stack could not be read, so the
 * function's Errors metric shows it too; the next run reads again.
 */
export async function handler(): Promise<WatchSummary> {
  const summary = await watchSyncHealth(client, settingsFromEnv(process.env));
  if (summary.unread.length > 0) {
    throw new Error(`the Git sync state of ${summary.unread.length} stack(s) could not be read: `
      + summary.unread.map(u => `${u.stackName} (${u.reason})`).join('; '));
  }
  return summary;
}
