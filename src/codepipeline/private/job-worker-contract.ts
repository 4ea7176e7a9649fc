/**
 * The environment the JobWorker construct gives the dispatcher. Shared by the construct (the only
 * writer) and the dispatcher; this file imports nothing, so the library never loads the AWS SDK.
 */
export const ENV = {
  category: 'ACTION_CATEGORY',
  provider: 'ACTION_PROVIDER',
  version: 'ACTION_VERSION',
  queryParam: 'QUERY_PARAM',
  maxBatchSize: 'MAX_BATCH_SIZE',
  functionName: 'WORKER_FUNCTION',
  secretProperties: 'SECRET_PROPERTIES',
  metricDimension: 'METRIC_ACTION_TYPE',
} as const;

/** The namespace of the dispatcher's embedded metrics. */
export const METRIC_NAMESPACE = 'cdk-devtools/CodePipeline';

/** `SECRET_PROPERTIES` when the type's properties are not known: every configuration value is treated as secret. */
export const ALL_SECRET = '*';
