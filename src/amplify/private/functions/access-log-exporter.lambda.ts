import { AmplifyClient } from '@aws-sdk/client-amplify';
import { S3Client } from '@aws-sdk/client-s3';
import { exportAccessLogs, ExportSummary, settingsFromEnv } from './access-log-export';

// Module scope: reused across warm invocations. The runtime's fetch downloads the presigned log URL.
const clients = {
  amplify: new AmplifyClient({}),
  s3: new S3Client({}),
  download: (url: string, timeoutMs: number) => fetch(url, { signal: AbortSignal.timeout(timeoutMs) }),
};

/** The scheduled event's `time` (an EventBridge rule's event); a retry of the same event exports the same periods. */
export interface ScheduledEvent {
  readonly time?: string;
}

/** Lambda's context, of which the exporter reads the time left. */
export interface ExporterContext {
  getRemainingTimeInMillis(): number;
}

/**
 * Exports the periods of the catch-up window at the event's time. Fails when a period failed, so the function's
 * Errors metric shows it too; the next run retries what is still missing.
 */
export async function handler(event: ScheduledEvent, context?: ExporterContext): Promise<ExportSummary> {
  const scheduled = event?.time ? new Date(event.time) : new Date(NaN);
  const now = Number.isNaN(scheduled.getTime()) ? new Date() : scheduled;
  const summary = await exportAccessLogs(clients, settingsFromEnv(process.env), now,
    () => context?.getRemainingTimeInMillis() ?? Infinity);
  if (summary.failed.length > 0) {
    throw new Error(`${summary.failed.length} access-log period(s) failed: `
      + summary.failed.map(f => `${f.key} (${f.stage}: ${f.reason})`).join('; '));
  }
  return summary;
}
