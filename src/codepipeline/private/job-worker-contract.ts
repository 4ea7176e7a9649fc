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
  pendingQueue: 'PENDING_QUEUE_URL',
  followUpGroup: 'FOLLOW_UP_GROUP',
  followUpRole: 'FOLLOW_UP_ROLE',
} as const;

/**
 * How often the dispatcher tries a kept item (a result it could not report, a job it could not start) before the
 * pending queue moves it to
 * the dead-letter queue: with waits of 1, 2, 4, 8 and then 10 minutes, the eighth try is 45 minutes after the first,
 * so the tries cover what is left of the action's time-out (an hour) after the job's run.
 */
export const PENDING_MAX_RECEIVES = 8;

/** The namespace of the dispatcher's embedded metrics. */
export const METRIC_NAMESPACE = 'cdk-devtools/CodePipeline';

/** `SECRET_PROPERTIES` when the type's properties are not known: every configuration value is treated as secret. */
export const ALL_SECRET = '*';
