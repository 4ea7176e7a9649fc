/**
 * What the JobWorker construct and the dispatcher share; this file imports nothing, so the library never loads the
 * AWS SDK. One dispatcher serves every worker of a stack: its environment holds what they share, and each
 * invocation says which worker it serves (`WorkerInput`).
 */
export const ENV = {
  followUpGroup: 'FOLLOW_UP_GROUP',
  followUpRole: 'FOLLOW_UP_ROLE',
} as const;

/** The worker an invocation serves: what its rules pass, and what a follow-up poll scheduled for it passes again. */
export interface WorkerSettings {
  readonly category: string;
  readonly provider: string;
  readonly version: string;
  readonly queryParam?: Record<string, string>;
  readonly maxBatchSize: number;
  /** The ARN of the user's function (or of its version or alias). */
  readonly functionName: string;
  /** The names of secret configuration properties, or `'*'` when every value must be treated as secret. */
  readonly secretProperties: string[] | typeof ALL_SECRET;
  /** The `ActionType` dimension of the metrics. */
  readonly metricDimension: string;
  /** The worker's queue of what the dispatcher must finish later: a result it could not report, a job it could not start. */
  readonly pendingQueueUrl: string;
}

/** What the dispatcher is invoked with: by a worker's STARTED rule or safety schedule, or by a follow-up poll (`followUp`, from 1). */
export interface WorkerInput {
  readonly worker: WorkerSettings;
  /** Which follow-up in a row this is; absent for the rules' invocations. */
  readonly followUp?: number;
}

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
