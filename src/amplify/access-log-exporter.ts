import { Duration, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { IApp } from './app';
import {
  ACCESS_LOG_ENV, ACCESS_LOG_METRIC_NAMESPACE, ACCESS_LOG_METRICS, accessLogKeyPrefix,
} from './private/access-log-contract';
import { AMPLIFY_API } from './private/api-constraints';
import { validateApiValue } from '../core/api-constraints';
import { acceptNagFindings } from '../core/nag';
import { ValidationError } from '../core/validation';
import { AccessLogExporterFunction } from './private/functions/access-log-exporter-function';

const DAY = Duration.days(1);
/** The longest catch-up window: Amplify's console retrieves access logs for any two-week window. */
const MAX_CATCH_UP = Duration.days(14);
/** At most this many periods per window, so a run lists at most two pages of keys and its work stays bounded. */
const MAX_CATCH_UP_PERIODS = 1440;

/** Options of an access-log exporter, for `app.exportAccessLogs(id, options)`. */
export interface AccessLogExporterOptions {
  /**
   * The domain whose access logs are exported (GenerateAccessLogs takes one domain per call): a custom domain of
   * the app (`domain.domainName`, e.g. `example.com`) or its default domain (`app.defaultDomain`). For several
   * domains, add one exporter per domain.
   */
  readonly domainName: string;

  /**
   * The bucket the logs go to. The exporter may only put objects and list keys under its own prefix; when the bucket
   * is encrypted with a KMS key (`bucket.encryptionKey`, also for an import through `fromBucketAttributes`), it may
   * generate data keys with it.
   */
  readonly bucket: s3.IBucket;

  /**
   * The key prefix; each period's log is written to
   * `<prefix>/app=<app id>/domain=<domain>/year=YYYY/month=MM/day=DD/<start>-<end>.csv`, with times in UTC as
   * `20250102T0300Z` (Hive-style partitions, for Athena and Glue).
   * @default 'amplify-access-logs'
   */
  readonly prefix?: string;

  /**
   * The length of each exported period and how often the exporter runs: whole minutes that divide a day evenly
   * (e.g. 5, 15 or 60 minutes, 1 day), so that periods start at UTC midnight and one day's partition holds its
   * periods.
   * @default Duration.hours(1)
   */
  readonly period?: Duration;

  /**
   * How long after a period ends the exporter exports it. Amplify documents no delivery delay for its access logs;
   * users report logs arriving up to an hour late, and a period exported before its last lines arrive is not
   * exported again. At most one day.
   * @default Duration.hours(1)
   */
  readonly delay?: Duration;

  /**
   * How far back each run looks for periods that are not in the bucket yet (a failed run, a throttled call, a
   * deployment gap, the first run after deployment): every period of this window missing from the bucket is
   * exported, newest first. At least one period, at most 14 days and 1,440 periods.
   * @default Duration.days(1)
   */
  readonly catchUp?: Duration;

  /**
   * How long the exporter's own log (what each run exported or why it failed) is kept.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
}

/** Properties of an access-log exporter. */
export interface AccessLogExporterProps extends AccessLogExporterOptions {
  /** The app whose access logs are exported. */
  readonly app: IApp;
}

/**
 * Copies an Amplify Hosting app's access logs into an S3 bucket, one CSV object per period.
 *
 * Amplify keeps access logs only behind `GenerateAccessLogs` (a time range in, a short-lived download URL out). An
 * EventBridge rule runs a Lambda function every `period`; each run takes the periods of the `catchUp` window that
 * ended at least `delay` before the run's scheduled time, skips those already in the bucket, and for each other one
 * calls GenerateAccessLogs and streams the log from the URL into the bucket. A period's key depends on the period
 * only, so a repeated run rewrites the same key; a period Amplify returns no log for is written as an empty object.
 *
 * The download URL is a credential until it expires: it is never logged, and errors are logged without it.
 *
 * Failed periods show in `metricFailedExports()` (and as the function's errors); the next run retries them while they
 * are in the window. Footprint: 7 resources, a Lambda function (Node.js, 512 MiB, 5 minutes at most) with its role,
 * policy, log group and asynchronous-invocation setting, and a rule with its invoke permission; one run per period
 * (24 a day with the default hour, 720 in a 30-day month).
 *
 * @exampleMetadata fixture=access-logs
 * @example
 * const exporter = app.exportAccessLogs('AccessLogs', { domainName: 'example.com', bucket, period: Duration.minutes(15) });
 * exporter.metricFailedExports().createAlarm(this, 'AccessLogExportFailed', { threshold: 1, evaluationPeriods: 1 });
 */
export class AccessLogExporter extends Construct {
  /** The function that exports the periods. */
  public readonly handler: lambda.IFunction;

  /** The rule that runs the function every period. */
  public readonly schedule: events.IRule;

  /** The function's log group. */
  public readonly logGroup: logs.ILogGroup;

  /** Where the logs of this app's domain go: `<prefix>/app=<app id>/domain=<domain>/`. */
  public readonly keyPrefix: string;

  private readonly metricDimensions: Record<string, string>;

  constructor(scope: Construct, id: string, props: AccessLogExporterProps) {
    super(scope, id);
    const period = props.period ?? Duration.hours(1);
    const delay = props.delay ?? Duration.hours(1);
    const catchUp = props.catchUp ?? DAY;
    const prefix = props.prefix ?? 'amplify-access-logs';
    validateApiValue(this, AMPLIFY_API, 'DomainName', 'domainName', props.domainName,
      'Give the domain as the app\'s Domain names it, without a scheme or path: a custom domain (domain.domainName, e.g. '
      + '\'example.com\') or the app\'s default domain (app.defaultDomain)');
    validatePrefix(this, prefix);
    const periodSeconds = validatePeriod(this, period);
    const delaySeconds = validateDelay(this, delay);
    const catchUpPeriods = validateCatchUp(this, catchUp, periodSeconds);

    this.keyPrefix = accessLogKeyPrefix(prefix, props.app.appId, props.domainName);
    this.metricDimensions = { App: props.app.appId, Domain: props.domainName };

    // The role writes to its own log group only, so it needs no managed policy.
    const logGroup = new logs.LogGroup(this, 'Logs', { retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH });
    this.logGroup = logGroup;
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Exports the access logs of ${props.domainName} (Amplify app ${props.app.appId}) to S3`,
    });
    logGroup.grantWrite(role);
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['amplify:GenerateAccessLogs'],
      resources: [props.app.appArn],
    }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['s3:PutObject'],
      resources: [props.bucket.arnForObjects(`${this.keyPrefix}*`)],
    }));
    // Listing finds the periods already exported; it names no more than keys, and only under the exporter's prefix.
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['s3:ListBucket'],
      resources: [props.bucket.bucketArn],
      conditions: { StringLike: { 's3:prefix': [`${this.keyPrefix}*`] } },
    }));
    // A single PutObject to an SSE-KMS bucket needs a data key of the bucket's key, nothing else of it.
    props.bucket.encryptionKey?.grant(role, 'kms:GenerateDataKey');

    const handler = new AccessLogExporterFunction(this, 'Function', {
      description: `Exports the access logs of ${props.domainName} (Amplify app ${props.app.appId}) every ${period.toHumanString()}`,
      role,
      logGroup,
      memorySize: 512,
      timeout: Duration.minutes(5),
      // A failed run is not retried: the next run exports whatever is still missing in its window.
      retryAttempts: 0,
      environment: {
        [ACCESS_LOG_ENV.appId]: props.app.appId,
        [ACCESS_LOG_ENV.domainName]: props.domainName,
        [ACCESS_LOG_ENV.bucketName]: props.bucket.bucketName,
        [ACCESS_LOG_ENV.keyPrefix]: this.keyPrefix,
        [ACCESS_LOG_ENV.periodSeconds]: String(periodSeconds),
        [ACCESS_LOG_ENV.delaySeconds]: String(delaySeconds),
        [ACCESS_LOG_ENV.catchUpPeriods]: String(catchUpPeriods),
      },
    });
    handler.node.addDependency(logGroup);
    this.handler = handler;

    // The objects' keys end in the exporter's partitions; the wildcard is the periods' keys under its own prefix.
    const policy = role.node.tryFindChild('DefaultPolicy');
    if (policy) {
      acceptNagFindings(policy, [{
        id: 'AwsSolutions-IAM5',
        reason: 'the exporter writes one object per period, under its own key prefix (app and domain) of the bucket only',
        appliesTo: [{ regex: `/^Resource::.*\\/${literal(prefix)}\\/app=.+\\/domain=${literal(props.domainName)}\\/\\*$/` }],
      }]);
    }

    this.schedule = new events.Rule(this, 'Schedule', {
      description: `Exports the access logs of ${props.domainName} (Amplify app ${props.app.appId})`,
      schedule: events.Schedule.rate(period),
      targets: [new targets.LambdaFunction(handler, { retryAttempts: 2, maxEventAge: period })],
    });
  }

  /**
   * The periods whose export failed (GenerateAccessLogs refused or throttled, a failed download, a refused upload),
   * from the function's embedded metrics. Sum over 5 minutes by default; alarm on it being at least 1. A failed
   * period is retried by each run while it is within the catch-up window.
   */
  public metricFailedExports(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.exporterMetric(ACCESS_LOG_METRICS.failed, props);
  }

  /** The periods written to the bucket (empty ones included). Sum over 5 minutes by default. */
  public metricExportedPeriods(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.exporterMetric(ACCESS_LOG_METRICS.exported, props);
  }

  /**
   * The periods of the catch-up window still missing after a run (failed, or left for the next run). Maximum over 5
   * minutes by default: above 0 for long, the exporter falls behind.
   */
  public metricPendingPeriods(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.exporterMetric(ACCESS_LOG_METRICS.pending, { statistic: cloudwatch.Stats.MAXIMUM, ...props });
  }

  private exporterMetric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: ACCESS_LOG_METRIC_NAMESPACE,
      metricName,
      dimensionsMap: this.metricDimensions,
      statistic: cloudwatch.Stats.SUM,
      ...props,
    }).attachTo(this);
  }
}

/** A regular expression that matches the text as written, or whatever a token renders to at synth. */
function literal(text: string): string {
  return Token.isUnresolved(text) ? '.+' : text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function validatePrefix(scope: Construct, prefix: string): void {
  if (Token.isUnresolved(prefix)) return;
  const problem = prefix === '' ? 'is empty'
    : prefix.startsWith('/') || prefix.endsWith('/') ? 'starts or ends with /'
      : prefix.includes('//') ? 'has an empty segment (//)'
        : !/^[A-Za-z0-9!_.*'()=/-]+$/.test(prefix) ? 'has characters outside S3\'s safe set (letters, digits, ! - _ . * \' ( ) = /)'
          : prefix.length > 512 ? `is ${prefix.length} characters long (at most 512 leave room for the partitions)`
            : undefined;
  if (problem) {
    throw new ValidationError(`the prefix '${prefix}' ${problem}. Give the folder the logs go to, without slashes `
      + 'around it, e.g. \'amplify-access-logs\' or \'logs/amplify\'', scope);
  }
}

function validatePeriod(scope: Construct, period: Duration): number {
  if (period.isUnresolved()) {
    throw new ValidationError('the period is a token; give a Duration, e.g. Duration.hours(1): the schedule and the keys are built from it at synth', scope);
  }
  const seconds = period.toSeconds();
  if (seconds < 60 || seconds % 60 !== 0 || seconds > DAY.toSeconds() || DAY.toSeconds() % seconds !== 0) {
    throw new ValidationError(`invalid period: ${period.toHumanString()}; a period is whole minutes that divide a day `
      + 'evenly, from 1 minute to 1 day, so that periods start at UTC midnight. Give e.g. Duration.minutes(15), '
      + 'Duration.hours(1) or Duration.days(1)', scope);
  }
  return seconds;
}

function validateDelay(scope: Construct, delay: Duration): number {
  if (delay.isUnresolved()) {
    throw new ValidationError('the delay is a token; give a Duration, e.g. Duration.hours(1)', scope);
  }
  const seconds = delay.toSeconds({ integral: false });
  if (!Number.isInteger(seconds) || seconds < 0 || seconds > DAY.toSeconds()) {
    throw new ValidationError(`invalid delay: ${delay.toHumanString()}; give whole seconds from 0 to 1 day, e.g. `
      + 'Duration.hours(1) (logs can arrive up to an hour after their requests)', scope);
  }
  return seconds;
}

function validateCatchUp(scope: Construct, catchUp: Duration, periodSeconds: number): number {
  if (catchUp.isUnresolved()) {
    throw new ValidationError('catchUp is a token; give a Duration, e.g. Duration.days(1)', scope);
  }
  const periods = Math.floor(catchUp.toSeconds({ integral: false }) / periodSeconds);
  if (periods < 1 || catchUp.toSeconds({ integral: false }) > MAX_CATCH_UP.toSeconds() || periods > MAX_CATCH_UP_PERIODS) {
    const longest = Math.min(MAX_CATCH_UP.toSeconds(), MAX_CATCH_UP_PERIODS * periodSeconds);
    throw new ValidationError(`invalid catchUp: ${catchUp.toHumanString()} is ${periods} period(s) of `
      + `${Duration.seconds(periodSeconds).toHumanString()}; the window holds at least one period, at most 14 days and `
      + `${MAX_CATCH_UP_PERIODS} periods. Give from ${Duration.seconds(periodSeconds).toHumanString()} to `
      + `${Duration.seconds(longest).toHumanString()}, e.g. Duration.days(1)`, scope);
  }
  return periods;
}
