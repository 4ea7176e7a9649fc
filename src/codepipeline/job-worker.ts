import { ArnFormat, Duration, Lazy, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct, IConstruct } from 'constructs';
import { ICustomActionType } from './custom-action-type';
import { CODEPIPELINE_API } from './private/api-constraints';
import { validateApiValue } from '../core/api-constraints';
import { acceptNagFindings } from '../core/nag';
import { JobDispatcherFunction } from './private/functions/job-dispatcher-function';
import { ALL_SECRET, ENV, METRIC_NAMESPACE, PENDING_MAX_RECEIVES, WorkerInput, WorkerSettings } from './private/job-worker-contract';
import { SharedStatements } from './private/statements';
import { ValidationError } from '../core/validation';

/** What the dispatcher needs beyond the user's function's run: PollForJobs, AcknowledgeJob and the result, with retries. */
const DISPATCH_MARGIN = Duration.minutes(1);
/** Lambda's longest timeout: the dispatcher's, so the user's function may run for at most this minus the margin. */
const MAX_DISPATCHER_TIMEOUT = Duration.minutes(15);
/** Lambda's timeout when a function sets none. */
const LAMBDA_DEFAULT_TIMEOUT = Duration.seconds(3);
/** What the dispatcher does with the items of its pending queue: keep, take, finish, and put off a try. */
const PENDING_ACTIONS = ['sqs:SendMessage', 'sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility'];
/** The dispatcher invokes each worker's function. */
const INVOKE_ACTIONS = ['lambda:InvokeFunction'];
/**
 * The safety poll's default. Idle, it is the worker's only cost: 4,320 invocations in a 30-day month (43,200 at one
 * minute). Ten minutes leaves a missed job several polls within the action's time-out (an hour).
 */
const DEFAULT_POLL_INTERVAL = Duration.minutes(10);

/** Properties of a job worker. */
export interface JobWorkerProps {
  /** The custom action type whose jobs the worker runs. */
  readonly actionType: ICustomActionType;

  /**
   * Your function, which does the work of one job (in any language Lambda runs). It receives the job as JSON and
   * answers with JSON; see `JobWorker` for both documents. The worker may invoke it; nothing else is granted to it.
   */
  readonly handler: lambda.IFunction;

  /**
   * How long your function may run for one job: the dispatcher waits this long for its answer, and its own
   * timeout is one minute more. At most 14 minutes (Lambda's 15 minutes less that minute); for longer work,
   * answer `IN_PROGRESS` with a continuation token and continue in the next job.
   * @default - the function's own timeout when it is a `lambda.Function` of this app (3 seconds when it sets
   * none), otherwise 14 minutes
   */
  readonly handlerTimeout?: Duration;

  /**
   * The value of the type's queryable property that this worker takes jobs for, e.g. `{ Environment: 'prod' }`
   * (PollForJobs `queryParam`). Required when the type has a queryable property, refused when it has none: one
   * worker per value, for example per environment or account.
   * @default - none (a type without a queryable property)
   */
  readonly queryParam?: Record<string, string>;

  /**
   * How often the worker polls without being told: the safety net for a job whose STARTED event was missed (or whose
   * follow-up poll could not be scheduled). Work in flight does not wait for it: after an `IN_PROGRESS` answer (whose
   * continuation job comes without an event), a job left for later or a result kept to report again, the dispatcher
   * schedules a one-time follow-up poll a minute later. Idle, this schedule is the worker's only cost: 4,320
   * invocations a month at 10 minutes, 43,200 at 1 minute. Whole minutes, at least 1.
   * @default Duration.minutes(10)
   */
  readonly pollInterval?: Duration;

  /**
   * The most jobs one poll takes (PollForJobs `maxBatchSize`, at least 1). The dispatcher runs them at the same
   * time, each in its own invocation of your function.
   * @default 10
   */
  readonly maxJobsPerPoll?: number;
}

/**
 * Runs the jobs of a custom action type with your Lambda function, which can be written in any language.
 *
 * A dispatcher function (one per stack) polls CodePipeline for the type's jobs (with `queryParam` when the type has a queryable
 * property) when an action of the type starts (an EventBridge rule on its STARTED executions), a minute after work
 * it left in flight (a one-time EventBridge Scheduler schedule, for example for the continuation job of an
 * `IN_PROGRESS` answer), and every `pollInterval` (10 minutes: a safety net). It acknowledges each job, invokes
 * your function with the job and reports its answer with PutJobSuccessResult or PutJobFailureResult.
 *
 * **The job your function receives** (JSON):
 *
 * ```text
 * { jobId, accountId,
 *   actionTypeId: { category, owner, provider, version },
 *   pipelineContext: { pipelineName, pipelineArn, pipelineExecutionId, stageName, actionName, actionExecutionId },
 *   configuration: { <property name>: <value> },      // secret properties included, in plain text
 *   inputArtifacts: [{ name, revision, s3: { bucketName, objectKey } }],
 *   outputArtifacts: [{ name, s3: { bucketName, objectKey } }],
 *   artifactCredentials: { accessKeyId, secretAccessKey, sessionToken },   // for the artifacts only
 *   encryptionKey?: { id, type },                      // the artifact store's KMS key
 *   continuationToken? }                               // set in the job that continues an IN_PROGRESS answer
 * ```
 *
 * **The answer it returns** (JSON):
 *
 * ```text
 * { status: 'SUCCEEDED' | 'FAILED' | 'IN_PROGRESS',
 *   summary?,              // shown in the console; shortened to 2048 characters
 *   externalExecutionId?,  // at most 1500 characters; the type's executionUrlTemplate links it
 *   percentComplete?,      // 0 to 100
 *   continuationToken?,    // required with IN_PROGRESS (at most 2048 characters): you get it back in the next job
 *   currentRevision?: { revision, changeIdentifier, created?, revisionSummary? },
 *   outputVariables?: { <name>: <value> },   // SUCCEEDED only
 *   failureType?,          // FAILED: JobFailed (default), ConfigurationError, PermissionError, RevisionOutOfSync,
 *                          // RevisionUnavailable or SystemUnavailable
 *   message? }             // FAILED: shown in the console; shortened to 5000 characters
 * ```
 *
 * A function that throws or times out fails the job with its error message, as does an answer that breaks the
 * contract. A job another worker acknowledged first is skipped; a job that ended meanwhile is dropped. A missing
 * action type fails the dispatcher. A result the dispatcher cannot report (after the SDK's retries) is not lost: it
 * keeps it in an encrypted SQS queue and reports it in its next invocations, with longer waits each time, within
 * the action's time-out; after the eighth try it moves to `deadLetterQueue`. A job Lambda would not start your
 * function for (throttling) waits in the same queue, and a later invocation starts it.
 *
 * Secret configuration values and the artifact credentials never reach a log: the dispatcher logs job ids and
 * outcomes, and replaces them with `***` in every text it logs or reports. (For an imported type without its
 * configuration properties, every configuration value is treated as secret.)
 *
 * Failures of the worker itself show in `metricDispatchErrors()` (the failed invocations of the stack's dispatcher)
 * and `metricDeadLetters()` (the worker's undeliverable events and the results it could not report in eight tries,
 * kept 14 days in `deadLetterQueue`); `metricFailedJobs()` counts the jobs it reported failed.
 *
 * The workers of a stack share one dispatcher function, with its role, log group and follow-up schedules: each
 * worker's rules invoke it with that worker's settings, and its role holds each worker's statements (PollForJobs on
 * its type, its pending queue, invoking its function). Its timeout is the longest a worker of the stack needs.
 */
export class JobWorker extends Construct {
  /**
   * The function that polls for jobs and invokes yours: one per stack, shared by its JobWorkers (each invocation
   * names the worker it serves).
   */
  public readonly dispatcher: lambda.IFunction;

  /**
   * Where this worker's undeliverable events and the results the dispatcher could not report in eight tries go,
   * SSE-encrypted, TLS only. (Failed invocations of the shared dispatcher go to the dispatcher's own dead-letter
   * queue, beside it in the stack.)
   */
  public readonly deadLetterQueue: sqs.IQueue;

  /** The rule that polls when an action of the type starts. */
  public readonly startedRule: events.IRule;

  /** The rule that polls every `pollInterval`: the safety net. */
  public readonly pollSchedule: events.IRule;

  private readonly metricDimension: string;

  constructor(scope: Construct, id: string, props: JobWorkerProps) {
    super(scope, id);
    const actionType = props.actionType;
    validateQueryParam(this, actionType, props.queryParam);
    const pollInterval = props.pollInterval ?? DEFAULT_POLL_INTERVAL;
    validatePollInterval(this, pollInterval);
    const maxJobsPerPoll = props.maxJobsPerPoll ?? 10;
    validateApiValue(this, CODEPIPELINE_API, 'MaxBatchSize', 'maxJobsPerPoll', maxJobsPerPoll,
      'Give a whole number such as 10: the dispatcher runs that many jobs at once, each in its own invocation of your function.');
    const handlerTimeout = resolveHandlerTimeout(this, props.handler, props.handlerTimeout);

    const typeId = `${actionType.actionCategory}/${actionType.actionProvider}/${actionType.actionVersion}`;
    const queryValue = props.queryParam ? Object.values(props.queryParam)[0] : undefined;
    this.metricDimension = queryValue === undefined ? typeId : `${typeId}/${queryValue}`;

    const deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.deadLetterQueue = deadLetterQueue;

    // What the dispatcher must finish for this worker in a later invocation: a result it could not report, a job whose
    // function Lambda throttled. An item stays hidden while an invocation works on it (at most the handler's timeout
    // and the dispatcher's margin), and each further try waits longer.
    const pendingQueue = new sqs.Queue(this, 'PendingQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      visibilityTimeout: handlerTimeout.plus(DISPATCH_MARGIN),
      deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: PENDING_MAX_RECEIVES },
    });

    const dispatchers = JobDispatchers.of(this);
    dispatchers.serve(handlerTimeout);
    const dispatcher = dispatchers.dispatcher;
    this.dispatcher = dispatcher;
    actionType.grantJobWorker(dispatcher);
    dispatchers.statements.allow(PENDING_ACTIONS, pendingQueue.queueArn);
    // Exactly the function (or the version or alias) given: not its other versions.
    dispatchers.statements.allow(INVOKE_ACTIONS, props.handler.functionArn);

    const worker: WorkerSettings = {
      category: actionType.actionCategory,
      provider: actionType.actionProvider,
      version: actionType.actionVersion,
      queryParam: props.queryParam,
      maxBatchSize: maxJobsPerPoll,
      functionName: props.handler.functionArn,
      secretProperties: actionType.configurationProperties === undefined
        ? ALL_SECRET
        : actionType.configurationProperties.filter(p => p.secret).map(p => p.name),
      metricDimension: this.metricDimension,
      pendingQueueUrl: pendingQueue.queueUrl,
    };
    const input: WorkerInput = { worker };
    const target = new targets.LambdaFunction(dispatcher, {
      event: events.RuleTargetInput.fromObject(input),
      deadLetterQueue,
      retryAttempts: 2,
      maxEventAge: Duration.hours(1),
    });
    this.startedRule = new events.Rule(this, 'Started', {
      description: `Polls for a job when an action of Custom/${typeId} starts`,
      eventPattern: {
        source: ['aws.codepipeline'],
        detailType: ['CodePipeline Action Execution State Change'],
        detail: {
          state: ['STARTED'],
          type: {
            owner: ['Custom'],
            category: [actionType.actionCategory],
            provider: [actionType.actionProvider],
            version: [actionType.actionVersion],
          },
        },
      },
      targets: [target],
    });
    this.pollSchedule = new events.Rule(this, 'Poll', {
      description: `Polls for the jobs of Custom/${typeId} (a safety net for missed events and follow-ups)`,
      schedule: events.Schedule.rate(pollInterval),
      targets: [target],
    });
  }

  /**
   * The jobs the dispatcher reported failed (your function's FAILED answers, errors and time-outs, and invalid
   * answers), from its embedded metrics. Sum over 5 minutes by default. Only invocations that had something to do
   * publish, so give an alarm on it `treatMissingData: TreatMissingData.NOT_BREACHING`.
   */
  public metricFailedJobs(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.jobMetric('JobsFailed', props);
  }

  /** The jobs the dispatcher reported succeeded. Sum over 5 minutes by default; missing while no job runs. */
  public metricSucceededJobs(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.jobMetric('JobsSucceeded', props);
  }

  /**
   * Failed invocations of the dispatcher, which serves every JobWorker of the stack: a missing action type, a job it
   * could not acknowledge (for example for lack of permission), or a result it could neither report nor keep to report
   * later. Its log group says which worker's. Sum over 5 minutes by default; alarm on it being at least 1.
   */
  public metricDispatchErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.dispatcher.metricErrors(props);
  }

  /** This worker's events and results that failed for good and wait in its dead-letter queue. */
  public metricDeadLetters(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.deadLetterQueue.metricApproximateNumberOfMessagesVisible(props);
  }

  private jobMetric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: METRIC_NAMESPACE,
      metricName,
      dimensionsMap: { ActionType: this.metricDimension },
      statistic: cloudwatch.Stats.SUM,
      ...props,
    });
  }
}

/**
 * The dispatcher every JobWorker of a stack shares, found or created in the stack (the construct tree is the registry),
 * with its role, log group, dead-letter queue and follow-up schedules. Nothing of a worker is in its configuration but
 * its timeout, the longest a worker of the stack needs: each invocation names its worker, and the role holds every
 * worker's statements, each on the worker's own action type, function and pending queue.
 */
class JobDispatchers extends Construct {
  public static of(scope: IConstruct): JobDispatchers {
    const stack = Stack.of(scope);
    return (stack.node.tryFindChild(JobDispatchers.ID) as JobDispatchers | undefined) ?? new JobDispatchers(stack, JobDispatchers.ID);
  }

  private static readonly ID = 'cdk-devtools.JobWorkers';

  public readonly dispatcher: lambda.Function;
  private readonly handlerTimeouts: Duration[] = [];
  /** One statement per kind of access, whose resources each worker extends. */
  public readonly statements: SharedStatements;

  private constructor(scope: Construct, id: string) {
    super(scope, id);
    const stack = Stack.of(this);
    // Failed invocations (after Lambda's two retries), SSE-encrypted, TLS only.
    const deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });

    // Follow-up polls while work is in flight: one-time schedules the dispatcher creates in a group of its own (deleted
    // with the dispatcher, schedules included), invoking it with a role only EventBridge Scheduler of this account assumes.
    const followUps = new scheduler.ScheduleGroup(this, 'FollowUps', { removalPolicy: RemovalPolicy.DESTROY });
    const followUpRole = new iam.Role(this, 'FollowUpRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account, 'aws:SourceArn': followUps.scheduleGroupArn } },
      }),
      description: 'Follow-up polls of the job workers of the stack',
    });

    // The role writes to its own log group only, so it needs no managed policy.
    const logGroup = new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.ONE_MONTH });
    const role = new iam.Role(this, 'DispatcherRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Job workers of CodePipeline custom action types',
    });
    logGroup.grantWrite(role);
    const dispatcher = new JobDispatcherFunction(this, 'Dispatcher', {
      description: 'Polls for the jobs of CodePipeline custom action types and runs them with the job workers\' functions',
      role,
      logGroup,
      memorySize: 256,
      // The longest a worker of the stack needs: an invocation for a worker runs its function at most for its own timeout.
      timeout: Duration.seconds(Lazy.number({ produce: () => Math.max(...this.handlerTimeouts.map(t => t.plus(DISPATCH_MARGIN).toSeconds())) })),
      deadLetterQueue,
      retryAttempts: 2,
      environment: {
        [ENV.followUpGroup]: followUps.scheduleGroupName,
        [ENV.followUpRole]: followUpRole.roleArn,
      },
    });
    dispatcher.node.addDependency(logGroup);
    this.dispatcher = dispatcher;
    this.statements = new SharedStatements(dispatcher);

    const followUpSchedules = stack.formatArn({
      service: 'scheduler', resource: 'schedule', resourceName: `${followUps.scheduleGroupName}/*`, arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
    dispatcher.addToRolePolicy(new iam.PolicyStatement({ actions: ['scheduler:CreateSchedule'], resources: [followUpSchedules] }));
    dispatcher.addToRolePolicy(new iam.PolicyStatement({
      actions: ['iam:PassRole'],
      resources: [followUpRole.roleArn],
      conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
    }));
    followUpRole.addToPolicy(new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [dispatcher.functionArn] }));

    // The dispatcher's role is the library's, so the job actions' finding is accepted here, on its policy only.
    acceptNagFindings(role.node.findChild('DefaultPolicy'), [{
      id: 'AwsSolutions-IAM5',
      reason: 'CodePipeline job workers call AcknowledgeJob, GetJobDetails, PutJobSuccessResult and PutJobFailureResult, '
        + 'which have no resource-level permissions; PollForJobs is scoped to the custom action type',
      appliesTo: ['Resource::*'],
    }, {
      id: 'AwsSolutions-IAM5',
      reason: 'The dispatcher creates one-time follow-up schedules named after their worker and minute, only in its own schedule group',
      appliesTo: [{ regex: '/^Resource::arn:.+:scheduler:.+:schedule\\/.+\\/\\*$/' }],
    }]);
  }

  /** Makes the dispatcher's timeout cover a worker's function. */
  public serve(handlerTimeout: Duration): void {
    this.handlerTimeouts.push(handlerTimeout);
  }

}

function validateQueryParam(scope: Construct, actionType: ICustomActionType, queryParam: Record<string, string> | undefined): void {
  const properties = actionType.configurationProperties;
  const queryable = properties?.find(p => p.queryable);
  if (queryParam === undefined) {
    if (queryable) {
      throw new ValidationError(`missing queryParam: the action type has the queryable property '${queryable.name}', and CodePipeline `
        + 'gives its jobs only to workers that poll with a value of it. Give the value this worker serves, e.g. '
        + `queryParam: { ${queryable.name}: 'prod' } (one worker per value).`, scope);
    }
    return;
  }
  const entries = Object.entries(queryParam);
  if (entries.length !== 1) {
    throw new ValidationError(`invalid queryParam: ${entries.length} entries (${entries.map(([k]) => k).join(', ') || 'none'}); `
      + 'PollForJobs takes exactly one, the type\'s queryable property and the value this worker serves. '
      + `Give one, e.g. { ${queryable?.name ?? 'Environment'}: 'prod' }, and a JobWorker per value.`, scope);
  }
  const [name, value] = entries[0];
  if (properties !== undefined && !queryable) {
    throw new ValidationError(`invalid queryParam: the action type has no queryable property, got { ${name}: ${JSON.stringify(value)} }; `
      + 'PollForJobs refuses a query for such a type. Remove queryParam, or mark one required, non-secret property '
      + '`queryable: true` in the type (which takes a new version).', scope);
  }
  if (queryable && !Token.isUnresolved(name) && name !== queryable.name) {
    throw new ValidationError(`invalid queryParam: the key '${name}' is not the type's queryable property; `
      + `use { ${queryable.name}: ${JSON.stringify(value)} }.`, scope);
  }
  validateApiValue(scope, CODEPIPELINE_API, 'ActionConfigurationKey', 'queryParam key', name,
    'Give the queryable property\'s name exactly as the type declares it.');
  validateApiValue(scope, CODEPIPELINE_API, 'QueryableConfigurationValue', `queryParam.${name}`, value,
    'Give the value exactly as the pipelines\' actions give it, e.g. \'prod\' (CodePipeline keeps queryable values to 20 '
    + 'letters, digits, underscores and hyphens).');
}

function validatePollInterval(scope: Construct, pollInterval: Duration): void {
  if (pollInterval.isUnresolved()) return;
  const seconds = pollInterval.toSeconds();
  if (seconds < 60 || seconds % 60 !== 0) {
    throw new ValidationError(`invalid pollInterval: ${pollInterval.toHumanString()}; an EventBridge schedule runs `
      + 'at most once a minute, in whole minutes. Give Duration.minutes(1) or more, e.g. Duration.minutes(10) (it is the safety net only: '
      + 'new jobs are taken as soon as their action starts, and work in progress is polled again a minute later).', scope);
  }
}

function resolveHandlerTimeout(scope: Construct, handler: lambda.IFunction, given: Duration | undefined): Duration {
  const maxHandler = MAX_DISPATCHER_TIMEOUT.minus(DISPATCH_MARGIN);
  const own = handler instanceof lambda.Function ? handler.timeout ?? LAMBDA_DEFAULT_TIMEOUT : undefined;
  const timeout = given ?? own ?? maxHandler;
  if (timeout.isUnresolved()) return timeout;
  if (timeout.toSeconds() > maxHandler.toSeconds()) {
    const from = given ? 'handlerTimeout' : 'the function\'s timeout';
    throw new ValidationError(`invalid ${given ? 'handlerTimeout' : 'handler'}: ${from} is ${timeout.toHumanString()}; the `
      + `dispatcher waits for the function within Lambda's ${MAX_DISPATCHER_TIMEOUT.toHumanString()} and needs `
      + `${DISPATCH_MARGIN.toHumanString()} to report, so a job may take at most ${maxHandler.toHumanString()} per invocation. `
      + 'Give the function a timeout of Duration.minutes(14) or less, and for longer work answer IN_PROGRESS with a '
      + 'continuationToken: CodePipeline sends a new job with it, up to the action\'s own time-out.', scope);
  }
  if (given && own && !own.isUnresolved() && own.toSeconds() > timeout.toSeconds()) {
    throw new ValidationError(`invalid handlerTimeout: ${timeout.toHumanString()} is less than the function's own timeout `
      + `(${own.toHumanString()}), so the dispatcher could give up on a run that is still going. Remove handlerTimeout (the `
      + `function's timeout is used), or set it to ${own.toHumanString()}.`, scope);
  }
  return timeout;
}
