/**
 * What the AccessLogExporter construct and its Lambda function share: the environment the construct sets (it is the
 * only writer), the metrics the function emits and the construct's methods read, and the layout of the keys. This
 * file imports nothing, so the function's bundle holds no aws-cdk-lib.
 */
export const ACCESS_LOG_ENV = {
  appId: 'APP_ID',
  domainName: 'DOMAIN_NAME',
  bucketName: 'BUCKET_NAME',
  keyPrefix: 'KEY_PREFIX',
  periodSeconds: 'PERIOD_SECONDS',
  delaySeconds: 'DELAY_SECONDS',
  catchUpPeriods: 'CATCH_UP_PERIODS',
} as const;

/** The namespace of the exporter's embedded metrics, with the dimensions `App` and `Domain`. */
export const ACCESS_LOG_METRIC_NAMESPACE = 'cdk-devtools/Amplify';

/** The exporter's metrics: each a count of periods, emitted once per run. */
export const ACCESS_LOG_METRICS = {
  /** Periods whose log was written to the bucket (an empty period included). */
  exported: 'AccessLogPeriodsExported',
  /** Periods for which Amplify returned no log (written as an empty object). */
  empty: 'AccessLogPeriodsEmpty',
  /** Periods whose export failed in this run (retried by the next run while within the catch-up window). */
  failed: 'AccessLogExportsFailed',
  /** Periods of the catch-up window still missing after this run (failed or not reached). */
  pending: 'AccessLogPeriodsPending',
} as const;

/** The key prefix of one app's domain, below the user's prefix: `<prefix>/app=<app id>/domain=<domain>/`. */
export function accessLogKeyPrefix(prefix: string, appId: string, domainName: string): string {
  return `${prefix}/app=${appId}/domain=${domainName}/`;
}
