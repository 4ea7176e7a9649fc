import { Readable } from 'stream';
import { AmplifyClient, GenerateAccessLogsCommand, GenerateAccessLogsCommandInput } from '@aws-sdk/client-amplify';
import { ListObjectsV2Command, ListObjectsV2CommandInput, PutObjectCommand, PutObjectCommandInput, S3Client } from '@aws-sdk/client-s3';
import { ACCESS_LOG_ENV, ACCESS_LOG_METRIC_NAMESPACE } from '../../src/amplify/private/access-log-contract';
import { AMPLIFY_API } from '../../src/amplify/private/api-constraints';
import {
  describe as describeError, exportAccessLogs, ExportClients, ExportSettings, periodKey, periodsAt, settingsFromEnv,
} from '../../src/amplify/private/functions/access-log-export';
import { handler } from '../../src/amplify/private/functions/access-log-exporter.lambda';
import { awsError, expectValidSdkInputs, handlerMocks } from '../kit';

const [amplifyMock, s3Mock] = handlerMocks(AmplifyClient, S3Client);

const APP = 'd1a2b3c4d5e6f7';
const DOMAIN = 'example.com';
const BUCKET = 'acme-log-archive';
const PREFIX = `amplify-access-logs/app=${APP}/domain=${DOMAIN}/`;
const HOUR = 3600;
const SETTINGS: ExportSettings = {
  appId: APP, domainName: DOMAIN, bucketName: BUCKET, keyPrefix: PREFIX, periodSeconds: HOUR, delaySeconds: HOUR, catchUpPeriods: 24,
};
/** The environment the construct gives the function for SETTINGS. */
const SETTINGS_ENV: Record<string, string | undefined> = {
  [ACCESS_LOG_ENV.appId]: APP,
  [ACCESS_LOG_ENV.domainName]: DOMAIN,
  [ACCESS_LOG_ENV.bucketName]: BUCKET,
  [ACCESS_LOG_ENV.keyPrefix]: PREFIX,
  [ACCESS_LOG_ENV.periodSeconds]: '3600',
  [ACCESS_LOG_ENV.delaySeconds]: '3600',
  [ACCESS_LOG_ENV.catchUpPeriods]: '24',
};
/** The signature of every presigned URL the fake hands out: a credential that must never reach a log or an error. */
const SIGNATURE = 'c2lnbmF0dXJlLXRoYXQtbXVzdC1uZXZlci1sZWFr';
const HEADER = 'date,time,sc-status,cs-uri-stem';

/** Seconds since the epoch of a UTC time. */
const at = (iso: string) => Date.parse(iso) / 1000;
const key = (start: string, end: string) => periodKey(SETTINGS, at(start), at(end));

/**
 * Amplify's access logs of one app's domain, as GenerateAccessLogs serves them: each call stores the CSV of the
 * requested range (both ends inclusive) behind a new presigned URL, which `download` serves. With `emptyWithoutUrl`, a
 * range without requests gets no URL at all, one of the answers the API reference allows (`logUrl` is optional).
 */
class FakeAccessLogs {
  public readonly requests: Array<{ time: number; line: string }> = [];
  public readonly urls = new Map<string, string>();
  public emptyWithoutUrl = false;

  public request(iso: string, status = 200, path = '/'): void {
    const time = at(iso);
    this.requests.push({ time, line: `${iso.slice(0, 10)},${iso.slice(11, 19)},${status},${path}` });
  }

  public generate(input: GenerateAccessLogsCommandInput) {
    if (input.appId !== APP || input.domainName !== DOMAIN) throw awsError('NotFoundException', `domain ${input.domainName} not found`);
    const from = input.startTime!.getTime() / 1000;
    const to = input.endTime!.getTime() / 1000;
    const lines = this.requests.filter(r => r.time >= from && r.time <= to).map(r => r.line);
    if (lines.length === 0 && this.emptyWithoutUrl) return {};
    const url = `https://aws-amplify-prod-us-east-1-access-logs.s3.amazonaws.com/${APP}/${DOMAIN}/${this.urls.size}.csv`
      + `?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=ASIAEXAMPLE&X-Amz-Signature=${SIGNATURE}`;
    this.urls.set(url, [HEADER, ...lines].join('\n') + '\n');
    return { logUrl: url };
  }

  /** The runtime's fetch, for the URLs handed out: a presigned S3 GET answers with the object's length. */
  public async download(url: string): Promise<Response> {
    const csv = this.urls.get(url);
    if (csv === undefined) return new Response('<Error><Code>AccessDenied</Code></Error>', { status: 403 });
    return new Response(csv, { headers: { 'content-length': String(Buffer.byteLength(csv)), 'content-type': 'text/csv' } });
  }
}

/** A bucket: ListObjectsV2 (sorted keys, StartAfter, continuation, 1,000 keys a page) and PutObject (streams read). */
class FakeBucket {
  public readonly objects = new Map<string, string>();
  public pageSize = 1000;

  public list(input: ListObjectsV2CommandInput) {
    expect(input.Bucket).toBe(BUCKET);
    const after = input.ContinuationToken ?? input.StartAfter ?? '';
    const keys = [...this.objects.keys()].filter(k => k.startsWith(input.Prefix ?? '') && k > after).sort();
    const page = keys.slice(0, this.pageSize);
    const truncated = keys.length > page.length;
    return {
      Contents: page.map(Key => ({ Key })),
      IsTruncated: truncated,
      ...(truncated ? { NextContinuationToken: page[page.length - 1] } : {}),
    };
  }

  public async put(input: PutObjectCommandInput) {
    expect(input.Bucket).toBe(BUCKET);
    const body = input.Body;
    let text: string;
    if (body instanceof Readable) {
      const chunks: Buffer[] = [];
      for await (const chunk of body) chunks.push(Buffer.from(chunk));
      text = Buffer.concat(chunks).toString('utf8');
    } else {
      text = Buffer.from(body as Uint8Array).toString('utf8');
    }
    expect(Buffer.byteLength(text)).toBe(input.ContentLength);
    this.objects.set(input.Key!, text);
    return {};
  }
}

let logs: FakeAccessLogs;
let bucket: FakeBucket;
let clients: ExportClients;

beforeEach(() => {
  logs = new FakeAccessLogs();
  bucket = new FakeBucket();
  amplifyMock.on(GenerateAccessLogsCommand).callsFake(input => logs.generate(input));
  s3Mock.on(ListObjectsV2Command).callsFake(input => bucket.list(input));
  s3Mock.on(PutObjectCommand).callsFake(input => bucket.put(input));
  clients = {
    amplify: new AmplifyClient({ region: 'us-east-1' }),
    s3: new S3Client({ region: 'us-east-1' }),
    download: jest.fn((url: string) => logs.download(url)),
  };
});

/** Everything the handlers printed. */
function printed(): string {
  return (console.log as jest.Mock).mock.calls.map(call => call.join(' ')).join('\n');
}

function metricsLine(): Record<string, any> {
  const lines = (console.log as jest.Mock).mock.calls.map(call => String(call[0])).filter(line => line.includes('"_aws"'));
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0]);
}

/** A window of three one-hour periods, exported an hour after they end. */
const THREE: ExportSettings = { ...SETTINGS, catchUpPeriods: 3 };
const RUN_AT = new Date('2025-03-10T12:07:00Z'); // the latest complete period that ended an hour ago: 10:00-11:00

describe('the periods of a run', () => {
  test('are the catch-up window that ended `delay` before the run, whole periods from UTC midnight, oldest first', () => {
    expect(periodsAt(THREE, RUN_AT).map(p => p.key)).toEqual([
      `${PREFIX}year=2025/month=03/day=10/20250310T0800Z-20250310T0900Z.csv`,
      `${PREFIX}year=2025/month=03/day=10/20250310T0900Z-20250310T1000Z.csv`,
      `${PREFIX}year=2025/month=03/day=10/20250310T1000Z-20250310T1100Z.csv`,
    ]);
  });

  test('the same scheduled time gives the same keys, whatever the second the run starts', () => {
    expect(periodsAt(THREE, new Date('2025-03-10T12:59:59Z'))).toEqual(periodsAt(THREE, RUN_AT));
  });

  test('a period is filed under the day it starts, and the day\'s last one ends at midnight', () => {
    const periods = periodsAt({ ...SETTINGS, catchUpPeriods: 2, delaySeconds: 0 }, new Date('2025-01-01T00:30:00Z'));
    expect(periods.map(p => p.key)).toEqual([
      `${PREFIX}year=2024/month=12/day=31/20241231T2200Z-20241231T2300Z.csv`,
      `${PREFIX}year=2024/month=12/day=31/20241231T2300Z-20250101T0000Z.csv`,
    ]);
  });

  test('five-minute periods', () => {
    const periods = periodsAt({ ...SETTINGS, periodSeconds: 300, delaySeconds: 600, catchUpPeriods: 2 }, new Date('2025-03-10T12:07:00Z'));
    expect(periods.map(p => [p.start, p.end])).toEqual([[at('2025-03-10T11:45:00Z'), at('2025-03-10T11:50:00Z')], [at('2025-03-10T11:50:00Z'), at('2025-03-10T11:55:00Z')]]);
  });
});

describe('exporting the access logs of a window', () => {
  test('writes each period\'s requests under its key, asking Amplify for the period\'s first to last second', async () => {
    logs.request('2025-03-10T08:00:00Z', 200, '/first-second');
    logs.request('2025-03-10T08:59:59Z', 404, '/last-second');
    logs.request('2025-03-10T09:00:00Z', 200, '/next-period');
    logs.request('2025-03-10T10:30:00Z', 500, '/later');

    const summary = await exportAccessLogs(clients, THREE, RUN_AT);

    expect(amplifyMock).toHaveReceivedCommandWith(GenerateAccessLogsCommand, {
      appId: APP, domainName: DOMAIN, startTime: new Date('2025-03-10T08:00:00Z'), endTime: new Date('2025-03-10T08:59:59Z'),
    });
    expect(bucket.objects.get(key('2025-03-10T08:00:00Z', '2025-03-10T09:00:00Z')))
      .toBe(`${HEADER}\n2025-03-10,08:00:00,200,/first-second\n2025-03-10,08:59:59,404,/last-second\n`);
    expect(bucket.objects.get(key('2025-03-10T09:00:00Z', '2025-03-10T10:00:00Z'))).toBe(`${HEADER}\n2025-03-10,09:00:00,200,/next-period\n`);
    expect(bucket.objects.get(key('2025-03-10T10:00:00Z', '2025-03-10T11:00:00Z'))).toBe(`${HEADER}\n2025-03-10,10:30:00,500,/later\n`);
    expect(summary).toEqual({
      from: '2025-03-10T08:00:00.000Z',
      to: '2025-03-10T11:00:00.000Z',
      alreadyExported: 0,
      exported: periodsAt(THREE, RUN_AT).map(p => p.key).reverse(),
      empty: [],
      failed: [],
      pending: 0,
    });
    expect(s3Mock).toHaveReceivedCommandWith(PutObjectCommand, { ContentType: 'text/csv' });
    expectValidSdkInputs(amplifyMock, AMPLIFY_API);
  });

  test('emits one metrics line per run, by app and domain', async () => {
    logs.request('2025-03-10T10:30:00Z');
    await exportAccessLogs(clients, THREE, RUN_AT);
    expect(metricsLine()).toEqual({
      _aws: {
        Timestamp: expect.any(Number),
        CloudWatchMetrics: [{
          Namespace: ACCESS_LOG_METRIC_NAMESPACE,
          Dimensions: [['App', 'Domain']],
          Metrics: ['AccessLogPeriodsExported', 'AccessLogPeriodsEmpty', 'AccessLogExportsFailed', 'AccessLogPeriodsPending']
            .map(Name => ({ Name, Unit: 'Count' })),
        }],
      },
      App: APP,
      Domain: DOMAIN,
      AccessLogPeriodsExported: 3,
      AccessLogPeriodsEmpty: 0,
      AccessLogExportsFailed: 0,
      AccessLogPeriodsPending: 0,
    });
  });

  test('a second run of the same schedule finds every period exported and calls Amplify no more', async () => {
    logs.request('2025-03-10T10:30:00Z');
    await exportAccessLogs(clients, THREE, RUN_AT);
    const written = new Map(bucket.objects);
    amplifyMock.resetHistory();
    s3Mock.resetHistory();

    const again = await exportAccessLogs(clients, THREE, RUN_AT);

    expect(again).toMatchObject({ alreadyExported: 3, exported: [], failed: [], pending: 0 });
    expect(amplifyMock).not.toHaveReceivedCommand(GenerateAccessLogsCommand);
    expect(s3Mock).not.toHaveReceivedCommand(PutObjectCommand);
    expect(bucket.objects).toEqual(written);
  });

  test('the listing starts right after the period before the window, under the exporter\'s prefix only', async () => {
    await exportAccessLogs(clients, THREE, RUN_AT);
    expect(s3Mock).toHaveReceivedCommandWith(ListObjectsV2Command, {
      Bucket: BUCKET, Prefix: PREFIX, StartAfter: key('2025-03-10T07:00:00Z', '2025-03-10T08:00:00Z'),
    });
  });
});

describe('a period with no logs', () => {
  test('without a URL from Amplify is written as an empty object, so that no later run asks for it again', async () => {
    logs.emptyWithoutUrl = true;
    logs.request('2025-03-10T10:30:00Z');

    const summary = await exportAccessLogs(clients, THREE, RUN_AT);

    const quiet = [key('2025-03-10T08:00:00Z', '2025-03-10T09:00:00Z'), key('2025-03-10T09:00:00Z', '2025-03-10T10:00:00Z')];
    expect(summary).toMatchObject({ exported: [key('2025-03-10T10:00:00Z', '2025-03-10T11:00:00Z'), ...quiet.reverse()], empty: quiet, failed: [] });
    expect(quiet.map(k => bucket.objects.get(k))).toEqual(['', '']);
    expect(clients.download).toHaveBeenCalledTimes(1);
    expect(metricsLine()).toMatchObject({ AccessLogPeriodsExported: 3, AccessLogPeriodsEmpty: 2 });

    amplifyMock.resetHistory();
    await exportAccessLogs(clients, THREE, RUN_AT);
    expect(amplifyMock).not.toHaveReceivedCommand(GenerateAccessLogsCommand);
  });

  test('with a URL to a header-only CSV is written as it is', async () => {
    const summary = await exportAccessLogs(clients, { ...THREE, catchUpPeriods: 1 }, RUN_AT);
    expect(summary).toMatchObject({ exported: [key('2025-03-10T10:00:00Z', '2025-03-10T11:00:00Z')], empty: [] });
    expect(bucket.objects.get(key('2025-03-10T10:00:00Z', '2025-03-10T11:00:00Z'))).toBe(`${HEADER}\n`);
  });

  test('with a URL to a zero-byte file counts as empty', async () => {
    clients = { ...clients, download: async () => new Response('', { headers: { 'content-length': '0' } }) };
    const summary = await exportAccessLogs(clients, { ...THREE, catchUpPeriods: 1 }, RUN_AT);
    expect(summary).toMatchObject({ empty: [key('2025-03-10T10:00:00Z', '2025-03-10T11:00:00Z')], failed: [] });
    expect(bucket.objects.get(key('2025-03-10T10:00:00Z', '2025-03-10T11:00:00Z'))).toBe('');
  });
});

describe('a failed download', () => {
  test('an HTTP error fails that period only; the others are exported, and the next run retries it', async () => {
    logs.request('2025-03-10T10:30:00Z', 200, '/lost-once');
    const download = clients.download;
    let calls = 0;
    clients = {
      ...clients,
      download: jest.fn(async (url: string, timeoutMs: number) => {
        if (++calls === 2) return new Response('<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>', { status: 403 });
        return download(url, timeoutMs);
      }),
    };

    const summary = await exportAccessLogs(clients, THREE, RUN_AT);

    const failedKey = key('2025-03-10T09:00:00Z', '2025-03-10T10:00:00Z');
    expect(summary.failed).toEqual([{ key: failedKey, stage: 'download', reason: 'Error: the log download answered HTTP 403' }]);
    expect(summary).toMatchObject({
      exported: [key('2025-03-10T10:00:00Z', '2025-03-10T11:00:00Z'), key('2025-03-10T08:00:00Z', '2025-03-10T09:00:00Z')],
      pending: 1,
    });
    expect(bucket.objects.has(failedKey)).toBe(false);
    expect(metricsLine()).toMatchObject({ AccessLogExportsFailed: 1, AccessLogPeriodsPending: 1, AccessLogPeriodsExported: 2 });

    // The next scheduled run, an hour later: the failed period is still in its window.
    const next = await exportAccessLogs(clients, THREE, new Date('2025-03-10T13:07:00Z'));
    expect(next).toMatchObject({ alreadyExported: 1, exported: [key('2025-03-10T11:00:00Z', '2025-03-10T12:00:00Z'), failedKey], failed: [] });
  });

  test('a network error is reported without the presigned URL it names', async () => {
    clients = {
      ...clients,
      download: async (url: string) => {
        const error = new TypeError(`fetch failed for ${url}`) as TypeError & { cause: object };
        error.cause = { code: 'ECONNRESET', message: `socket hang up ${url}` };
        throw error;
      },
    };

    const summary = await exportAccessLogs(clients, { ...THREE, catchUpPeriods: 1 }, RUN_AT);

    expect(summary.failed).toEqual([{ key: expect.any(String), stage: 'download', reason: 'TypeError: fetch failed for <log URL> (ECONNRESET)' }]);
    expect(printed()).not.toContain(SIGNATURE);
    expect(printed()).not.toContain('X-Amz-Credential');
  });

  test('a body that breaks off while it streams into S3 fails as a download', async () => {
    clients = {
      ...clients,
      download: async () => {
        const body = new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(new TextEncoder().encode(`${HEADER}\n2025-03-10,10:00:01,200,/`));
            controller.error(new Error('other side closed'));
          },
        });
        return new Response(body, { headers: { 'content-length': '4096' } });
      },
    };

    const summary = await exportAccessLogs(clients, { ...THREE, catchUpPeriods: 1 }, RUN_AT);

    expect(summary.failed).toEqual([{ key: expect.any(String), stage: 'download', reason: 'Error: other side closed' }]);
    expect(bucket.objects.size).toBe(0);
  });

  test('the download is given the run\'s time left less a minute', async () => {
    await exportAccessLogs(clients, { ...THREE, catchUpPeriods: 1 }, RUN_AT, () => 200_000);
    expect(clients.download).toHaveBeenCalledWith(expect.stringContaining(`X-Amz-Signature=${SIGNATURE}`), 140_000);
  });
});

describe('an S3 failure', () => {
  test('a refused upload fails the period and ends the run: the bucket would refuse the next one too', async () => {
    s3Mock.on(PutObjectCommand).rejects(awsError('AccessDenied', 'User is not authorized to perform: kms:GenerateDataKey'));

    const summary = await exportAccessLogs(clients, THREE, RUN_AT);

    expect(summary.failed).toEqual([{
      key: key('2025-03-10T10:00:00Z', '2025-03-10T11:00:00Z'),
      stage: 'upload',
      reason: 'AccessDenied: User is not authorized to perform: kms:GenerateDataKey',
    }]);
    expect(summary).toMatchObject({ exported: [], pending: 3 });
    expect(amplifyMock).toHaveReceivedCommandTimes(GenerateAccessLogsCommand, 1);
    expect(metricsLine()).toMatchObject({ AccessLogExportsFailed: 1, AccessLogPeriodsPending: 3 });
  });

  test('the upload of an empty period can fail too', async () => {
    logs.emptyWithoutUrl = true;
    s3Mock.on(PutObjectCommand).rejects(awsError('NoSuchBucket', 'The specified bucket does not exist'));
    const summary = await exportAccessLogs(clients, THREE, RUN_AT);
    expect(summary.failed).toEqual([{ key: expect.any(String), stage: 'upload', reason: 'NoSuchBucket: The specified bucket does not exist' }]);
    expect(summary.empty).toEqual([]);
  });

  test('a refused listing fails the run before Amplify is called', async () => {
    s3Mock.on(ListObjectsV2Command).rejects(awsError('AccessDenied', 'Access Denied'));
    await expect(exportAccessLogs(clients, THREE, RUN_AT)).rejects.toThrow('Access Denied');
    expect(amplifyMock).not.toHaveReceivedCommand(GenerateAccessLogsCommand);
  });
});

describe('a throttled GenerateAccessLogs', () => {
  test('fails the period and ends the run; the next run exports what is missing', async () => {
    logs.request('2025-03-10T09:15:00Z');
    amplifyMock.on(GenerateAccessLogsCommand)
      .callsFakeOnce(input => logs.generate(input))
      .rejectsOnce(awsError('TooManyRequestsException', 'Rate exceeded'))
      .callsFake(input => logs.generate(input));

    const summary = await exportAccessLogs(clients, THREE, RUN_AT);

    expect(summary).toMatchObject({
      exported: [key('2025-03-10T10:00:00Z', '2025-03-10T11:00:00Z')],
      failed: [{ key: key('2025-03-10T09:00:00Z', '2025-03-10T10:00:00Z'), stage: 'generate', reason: 'TooManyRequestsException: Rate exceeded' }],
      pending: 2,
    });
    expect(amplifyMock).toHaveReceivedCommandTimes(GenerateAccessLogsCommand, 2);

    const next = await exportAccessLogs(clients, THREE, new Date('2025-03-10T13:07:00Z'));
    expect(next).toMatchObject({
      alreadyExported: 1,
      exported: [key('2025-03-10T11:00:00Z', '2025-03-10T12:00:00Z'), key('2025-03-10T09:00:00Z', '2025-03-10T10:00:00Z')],
      failed: [],
    });
    expect(bucket.objects.get(key('2025-03-10T09:00:00Z', '2025-03-10T10:00:00Z'))).toBe(`${HEADER}\n2025-03-10,09:15:00,200,/\n`);
  });

  test('an app or domain Amplify does not know fails the run at its first period', async () => {
    const summary = await exportAccessLogs(clients, { ...THREE, domainName: 'www.example.com' }, RUN_AT);
    expect(summary.failed).toEqual([{ key: expect.any(String), stage: 'generate', reason: 'NotFoundException: domain www.example.com not found' }]);
    expect(summary.pending).toBe(3);
  });
});

describe('catch-up', () => {
  test('missed runs: every period of the window not in the bucket is exported, newest first', async () => {
    const settings = { ...SETTINGS, catchUpPeriods: 6 };
    // Runs exported 06:00-09:00, then the schedule stopped for three hours.
    await exportAccessLogs(clients, { ...settings, catchUpPeriods: 3 }, new Date('2025-03-10T10:00:00Z'));
    expect(bucket.objects.size).toBe(3);
    amplifyMock.resetHistory();

    const summary = await exportAccessLogs(clients, settings, new Date('2025-03-10T13:00:00Z'));

    expect(summary).toMatchObject({
      from: '2025-03-10T06:00:00.000Z',
      alreadyExported: 3,
      exported: [key('2025-03-10T11:00:00Z', '2025-03-10T12:00:00Z'), key('2025-03-10T10:00:00Z', '2025-03-10T11:00:00Z'), key('2025-03-10T09:00:00Z', '2025-03-10T10:00:00Z')],
    });
    const asked = amplifyMock.commandCalls(GenerateAccessLogsCommand).map(call => call.args[0].input.startTime);
    expect(asked).toEqual([new Date('2025-03-10T11:00:00Z'), new Date('2025-03-10T10:00:00Z'), new Date('2025-03-10T09:00:00Z')]);
  });

  test('a period older than the window is not exported again', async () => {
    const summary = await exportAccessLogs(clients, THREE, new Date('2025-03-11T12:00:00Z'));
    expect(summary.from).toBe('2025-03-11T08:00:00.000Z');
    expect(bucket.objects.size).toBe(3);
  });

  test('a window of a day of one-minute periods reads the existing keys over two pages', async () => {
    const settings = { ...SETTINGS, periodSeconds: 60, delaySeconds: 0, catchUpPeriods: 1440 };
    const now = new Date('2025-03-10T00:00:00Z');
    const periods = periodsAt(settings, now);
    periods.slice(0, -1).forEach(p => bucket.objects.set(p.key, ''));
    bucket.objects.set(`${PREFIX}year=2025/month=03/day=10/unrelated.txt`, '');

    const summary = await exportAccessLogs(clients, settings, now);

    expect(s3Mock).toHaveReceivedCommandTimes(ListObjectsV2Command, 2);
    expect(summary).toMatchObject({ alreadyExported: 1439, exported: [periods[1439].key] });
  });

  test('a run stops starting periods when less than a minute is left, and counts the rest as pending', async () => {
    let left = 150_000;
    const download = clients.download;
    clients = {
      ...clients,
      download: async (url: string, timeoutMs: number) => {
        left -= 50_000; // each period takes 50 seconds
        return download(url, timeoutMs);
      },
    };
    const summary = await exportAccessLogs(clients, THREE, RUN_AT, () => left);
    expect(summary).toMatchObject({ exported: periodsAt(THREE, RUN_AT).slice(1).map(p => p.key).reverse(), pending: 1 });
  });
});

describe('errors in logs and reasons', () => {
  test('take out URLs and signature parameters, and stay short', () => {
    const url = `https://bucket.s3.amazonaws.com/k.csv?X-Amz-Signature=${SIGNATURE}`;
    expect(describeError(new Error(`cannot read ${url}`), url)).toBe('Error: cannot read <log URL>');
    expect(describeError(new Error(`cannot read https://other.example.com/x?X-Amz-Signature=${SIGNATURE}`))).toBe('Error: cannot read <URL>');
    expect(describeError(new Error(`bad query X-Amz-Signature=${SIGNATURE}&x=1`))).toBe('Error: bad query <signature>&x=1');
    expect(describeError(new Error('x'.repeat(1000)))).toHaveLength(300);
    expect(describeError('plain')).toBe('Error: plain');
  });
});

describe('the environment', () => {

  test('gives the settings', () => {
    expect(settingsFromEnv(SETTINGS_ENV)).toEqual(SETTINGS);
  });

  test.each([
    [{ [ACCESS_LOG_ENV.bucketName]: undefined }, /environment has no BUCKET_NAME; redeploy/],
    [{ [ACCESS_LOG_ENV.periodSeconds]: 'hour' }, /PERIOD_SECONDS is hour, not a whole number of at least 60/],
    [{ [ACCESS_LOG_ENV.periodSeconds]: '7' }, /PERIOD_SECONDS is 7, not a whole number of at least 60/],
    [{ [ACCESS_LOG_ENV.periodSeconds]: '420' }, /period of 420 s does not divide a day/],
    [{ [ACCESS_LOG_ENV.catchUpPeriods]: '0' }, /CATCH_UP_PERIODS is 0, not a whole number of at least 1/],
  ])('refuses %j', (change, message) => {
    expect(() => settingsFromEnv({ ...SETTINGS_ENV, ...change })).toThrow(message);
  });
});

describe('the Lambda entry point', () => {
  const ENV = { ...SETTINGS_ENV, [ACCESS_LOG_ENV.catchUpPeriods]: '3' };
  const saved = { ...process.env };
  let fetchSpy: jest.SpyInstance;
  beforeEach(() => {
    Object.assign(process.env, ENV);
    fetchSpy = jest.spyOn(globalThis, 'fetch').mockImplementation(async input => logs.download(String(input)));
  });
  afterEach(() => {
    process.env = { ...saved };
  });
  const context = { getRemainingTimeInMillis: () => 300_000 };

  test('exports the window of the scheduled event\'s time, downloading with the runtime\'s fetch', async () => {
    const summary = await handler({ time: '2025-03-10T12:00:00Z' }, context);
    expect(summary).toMatchObject({ from: '2025-03-10T08:00:00.000Z', to: '2025-03-10T11:00:00.000Z', failed: [] });
    expect(fetchSpy).toHaveBeenCalledTimes(3);
    expect(fetchSpy.mock.calls[0][1]).toEqual({ signal: expect.any(AbortSignal) });
  });

  test('without a scheduled time, a run exports the window of the current time', async () => {
    jest.useFakeTimers({ now: new Date('2025-03-10T12:30:00Z'), doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    try {
      const summary = await handler({}, context);
      expect(summary.to).toBe('2025-03-10T11:00:00.000Z');
    } finally {
      jest.useRealTimers();
    }
  });

  test('fails when a period failed, naming it without the presigned URL', async () => {
    fetchSpy.mockImplementation(async input => {
      throw new Error(`connect ETIMEDOUT ${String(input)}`);
    });
    const run = handler({ time: '2025-03-10T12:00:00Z' }, context);
    await expect(run).rejects.toThrow(/^3 access-log period\(s\) failed: amplify-access-logs\/app=d1a2b3c4d5e6f7\/domain=example\.com\/year=2025\/month=03\/day=10\/20250310T1000Z-20250310T1100Z\.csv \(download: Error: connect ETIMEDOUT <log URL>\)/);
    await run.catch(error => expect(String(error.message)).not.toContain(SIGNATURE));
    expect(printed()).not.toContain(SIGNATURE);
  });
});
