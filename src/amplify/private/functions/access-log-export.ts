import { Readable } from 'stream';
import type { ReadableStream as WebReadableStream } from 'stream/web';
import { AmplifyClient, GenerateAccessLogsCommand } from '@aws-sdk/client-amplify';
import { ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { ACCESS_LOG_ENV, ACCESS_LOG_METRIC_NAMESPACE, ACCESS_LOG_METRICS } from '../access-log-contract';

/** What one run needs to know, read from the environment the construct sets. */
export interface ExportSettings {
  readonly appId: string;
  readonly domainName: string;
  readonly bucketName: string;
  /** `<prefix>/app=<app id>/domain=<domain>/`: every key the exporter writes or lists starts with it. */
  readonly keyPrefix: string;
  /** The length of one period; it divides a day, so periods start at UTC midnight. */
  readonly periodSeconds: number;
  /** How long after a period ends the exporter waits before exporting it (Amplify delivers logs late). */
  readonly delaySeconds: number;
  /** How many periods, the latest complete one included, each run makes sure are in the bucket. */
  readonly catchUpPeriods: number;
}

export function settingsFromEnv(env: Record<string, string | undefined>): ExportSettings {
  const required = (name: string): string => {
    const value = env[name];
    if (value === undefined || value === '') throw new Error(`the access-log exporter's environment has no ${name}; redeploy the AccessLogExporter`);
    return value;
  };
  const whole = (name: string, min: number): number => {
    const value = Number(required(name));
    if (!Number.isSafeInteger(value) || value < min) {
      throw new Error(`the access-log exporter's ${name} is ${env[name]}, not a whole number of at least ${min}; redeploy the AccessLogExporter`);
    }
    return value;
  };
  const periodSeconds = whole(ACCESS_LOG_ENV.periodSeconds, 60);
  if (DAY_SECONDS % periodSeconds !== 0) {
    throw new Error(`the access-log exporter's period of ${periodSeconds} s does not divide a day; redeploy the AccessLogExporter`);
  }
  return {
    appId: required(ACCESS_LOG_ENV.appId),
    domainName: required(ACCESS_LOG_ENV.domainName),
    bucketName: required(ACCESS_LOG_ENV.bucketName),
    keyPrefix: required(ACCESS_LOG_ENV.keyPrefix),
    periodSeconds,
    delaySeconds: whole(ACCESS_LOG_ENV.delaySeconds, 0),
    catchUpPeriods: whole(ACCESS_LOG_ENV.catchUpPeriods, 1),
  };
}

/** The AWS clients and the download of a presigned URL (the runtime's `fetch`), given so tests can replace them. */
export interface ExportClients {
  readonly amplify: AmplifyClient;
  readonly s3: S3Client;
  /** Fetches a presigned URL, giving up after `timeoutMs`. */
  readonly download: (url: string, timeoutMs: number) => Promise<Response>;
}

/** One period, `[start, end)` in seconds since the epoch, and the key of its log. */
export interface Period {
  readonly start: number;
  readonly end: number;
  readonly key: string;
}

/** A period that failed, where and why (never with the presigned URL). */
export interface FailedPeriod {
  readonly key: string;
  readonly stage: 'generate' | 'download' | 'upload';
  readonly reason: string;
}

/** The outcome of one run, logged as one line and returned. */
export interface ExportSummary {
  /** The catch-up window, `[from, to)`, in ISO 8601. */
  readonly from: string;
  readonly to: string;
  /** Periods of the window that were in the bucket before this run. */
  readonly alreadyExported: number;
  /** Keys written by this run, newest first, empty periods included. */
  readonly exported: string[];
  /** Keys of the periods Amplify returned no log for (written as empty objects). */
  readonly empty: string[];
  readonly failed: FailedPeriod[];
  /** Periods of the window still missing after this run: failed, or left for the next run. */
  readonly pending: number;
}

const DAY_SECONDS = 86_400;
/** What a run keeps for itself when it stops starting periods: the metrics line, the summary, a last upload. */
const RESERVED_MS = 60_000;
/** A download given less than this would fail anyway. */
const MIN_DOWNLOAD_MS = 5_000;
/** The most characters of an error's message a failure keeps. */
const MAX_REASON = 300;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** `20250102T0300Z`: sortable, and free of `:` (which some tools refuse in file names). */
function stamp(seconds: number): string {
  const d = new Date(seconds * 1000);
  return `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}Z`;
}

/**
 * The key of a period's log: `<key prefix>year=YYYY/month=MM/day=DD/<start>-<end>.csv`, partitioned by the day the
 * period starts (a period never crosses midnight). Keys sort in time order, which the listing relies on.
 */
export function periodKey(settings: ExportSettings, start: number, end: number): string {
  const d = new Date(start * 1000);
  return `${settings.keyPrefix}year=${d.getUTCFullYear()}/month=${pad(d.getUTCMonth() + 1)}/day=${pad(d.getUTCDate())}/`
    + `${stamp(start)}-${stamp(end)}.csv`;
}

/**
 * The periods of the catch-up window at `now`, oldest first: the last `catchUpPeriods` periods that ended at least
 * `delaySeconds` before `now`. The same `now` always gives the same periods and keys.
 */
export function periodsAt(settings: ExportSettings, now: Date): Period[] {
  const period = settings.periodSeconds;
  const latestEnd = Math.floor((Math.floor(now.getTime() / 1000) - settings.delaySeconds) / period) * period;
  const periods: Period[] = [];
  for (let i = settings.catchUpPeriods - 1; i >= 0; i--) {
    const end = latestEnd - i * period;
    periods.push({ start: end - period, end, key: periodKey(settings, end - period, end) });
  }
  return periods;
}

/**
 * Exports every period of the catch-up window at `now` that is not in the bucket yet, newest first: the latest logs
 * land first, and an older period that fails holds up none of the newer ones.
 *
 * A failed GenerateAccessLogs (throttled, or refused) or a failed upload ends the run: the next period would fail the
 * same way. A failed download fails that period only. A run stops starting periods when less than a minute of
 * `timeLeft()` remains; what it leaves is exported by a later run while it is within the window.
 */
export async function exportAccessLogs(
  clients: ExportClients, settings: ExportSettings, now: Date, timeLeft: () => number = () => Infinity,
): Promise<ExportSummary> {
  const periods = periodsAt(settings, now);
  const existing = await existingKeys(clients.s3, settings, periods);
  const missing = periods.filter(p => !existing.has(p.key));
  const exported: string[] = [];
  const empty: string[] = [];
  const failed: FailedPeriod[] = [];
  for (const period of [...missing].reverse()) {
    if (timeLeft() < RESERVED_MS) break;
    const result = await exportPeriod(clients, settings, period, () => timeLeft() - RESERVED_MS);
    if (result === 'EXPORTED' || result === 'EMPTY') {
      exported.push(period.key);
      if (result === 'EMPTY') empty.push(period.key);
      continue;
    }
    failed.push(result);
    if (result.stage !== 'download') break;
  }
  const summary: ExportSummary = {
    from: new Date(periods[0].start * 1000).toISOString(),
    to: new Date(periods[periods.length - 1].end * 1000).toISOString(),
    alreadyExported: periods.length - missing.length,
    exported,
    empty,
    failed,
    pending: missing.length - exported.length,
  };
  emitMetrics(settings, summary);
  console.log(JSON.stringify({ appId: settings.appId, domainName: settings.domainName, ...summary }));
  return summary;
}

/**
 * The keys of the window's periods already in the bucket. Keys sort in time order, so the listing starts right after
 * the key of the period before the window and stops once it passes the window's last key (at most 1,440 periods: two
 * pages).
 */
async function existingKeys(s3: S3Client, settings: ExportSettings, periods: Period[]): Promise<Set<string>> {
  const first = periods[0];
  const last = periods[periods.length - 1].key;
  const keys = new Set<string>();
  let continuationToken: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({
      Bucket: settings.bucketName,
      Prefix: settings.keyPrefix,
      ...(continuationToken
        ? { ContinuationToken: continuationToken }
        : { StartAfter: periodKey(settings, first.start - settings.periodSeconds, first.start) }),
    }));
    const contents = page.Contents ?? [];
    contents.forEach(object => object.Key !== undefined && keys.add(object.Key));
    const lastListed = contents[contents.length - 1]?.Key;
    continuationToken = page.IsTruncated && lastListed !== undefined && lastListed < last ? page.NextContinuationToken : undefined;
  } while (continuationToken);
  return keys;
}

async function exportPeriod(
  clients: ExportClients, settings: ExportSettings, period: Period, budgetMs: () => number,
): Promise<'EXPORTED' | 'EMPTY' | FailedPeriod> {
  const fail = (stage: FailedPeriod['stage'], error: unknown, url?: string): FailedPeriod =>
    ({ key: period.key, stage, reason: describe(error, url) });

  let logUrl: string | undefined;
  try {
    // Both ends are inclusive and the log's times are whole seconds: the period's last second is end - 1.
    const output = await clients.amplify.send(new GenerateAccessLogsCommand({
      appId: settings.appId,
      domainName: settings.domainName,
      startTime: new Date(period.start * 1000),
      endTime: new Date((period.end - 1) * 1000),
    }));
    logUrl = output.logUrl;
  } catch (error) {
    return fail('generate', error);
  }
  if (!logUrl) {
    try {
      await put(clients.s3, settings, period, new Uint8Array(0), 0);
    } catch (error) {
      return fail('upload', error);
    }
    return 'EMPTY';
  }

  let response: Response;
  try {
    response = await clients.download(logUrl, Math.max(budgetMs(), MIN_DOWNLOAD_MS));
  } catch (error) {
    return fail('download', error, logUrl);
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    return fail('download', new Error(`the log download answered HTTP ${response.status}`));
  }

  // Stream the log into S3 when its length is known and the body arrives as sent; otherwise read it first.
  const length = Number(response.headers.get('content-length') ?? NaN);
  const encoding = response.headers.get('content-encoding');
  let body: Uint8Array | Readable;
  let readError: unknown;
  if (response.body && Number.isSafeInteger(length) && length > 0 && (!encoding || encoding === 'identity')) {
    const stream = Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
    stream.on('error', error => { readError = error; });
    body = stream;
  } else {
    try {
      body = new Uint8Array(await response.arrayBuffer());
    } catch (error) {
      return fail('download', error, logUrl);
    }
  }
  try {
    await put(clients.s3, settings, period, body, body instanceof Uint8Array ? body.length : length);
  } catch (error) {
    return readError !== undefined ? fail('download', readError, logUrl) : fail('upload', error, logUrl);
  }
  return body instanceof Uint8Array && body.length === 0 ? 'EMPTY' : 'EXPORTED';
}

function put(s3: S3Client, settings: ExportSettings, period: Period, body: Uint8Array | Readable, length: number) {
  return s3.send(new PutObjectCommand({
    Bucket: settings.bucketName,
    Key: period.key,
    Body: body,
    ContentLength: length,
    ContentType: 'text/csv',
  }));
}

/**
 * An error as `Name: message`, short, with the presigned URL (a credential until it expires) and any other URL taken
 * out: the reason reaches the log and the function's error.
 */
export function describe(error: unknown, url?: string): string {
  const err = error as { name?: string; message?: string; cause?: { code?: string } } | undefined;
  let message = String(err?.message ?? error);
  if (url) message = message.split(url).join('<log URL>');
  message = message.replace(/[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/gi, '<URL>').replace(/X-Amz-[A-Za-z-]+=[^\s&"']+/g, '<signature>');
  const cause = typeof err?.cause?.code === 'string' ? ` (${err.cause.code})` : '';
  const text = `${err?.name ?? 'Error'}: ${message}${cause}`;
  return text.length <= MAX_REASON ? text : `${text.slice(0, MAX_REASON - 12)} [truncated]`;
}

/** One CloudWatch embedded-metric-format line per run: the counts the AccessLogExporter's metric methods read. */
function emitMetrics(settings: ExportSettings, summary: ExportSummary): void {
  const metrics = {
    [ACCESS_LOG_METRICS.exported]: summary.exported.length,
    [ACCESS_LOG_METRICS.empty]: summary.empty.length,
    [ACCESS_LOG_METRICS.failed]: summary.failed.length,
    [ACCESS_LOG_METRICS.pending]: summary.pending,
  };
  console.log(JSON.stringify({
    _aws: {
      Timestamp: Date.now(),
      CloudWatchMetrics: [{
        Namespace: ACCESS_LOG_METRIC_NAMESPACE,
        Dimensions: [['App', 'Domain']],
        Metrics: Object.keys(metrics).map(name => ({ Name: name, Unit: 'Count' })),
      }],
    },
    App: settings.appId,
    Domain: settings.domainName,
    ...metrics,
  }));
}
