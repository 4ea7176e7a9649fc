import { createHash } from 'crypto';
import {
  AcknowledgeJobCommand, CodePipelineClient, CurrentRevision, FailureType, GetJobDetailsCommand, Job, PollForJobsCommand,
  PutJobFailureResultCommand, PutJobSuccessResultCommand,
} from '@aws-sdk/client-codepipeline';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { CreateScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import {
  ChangeMessageVisibilityCommand, DeleteMessageCommand, Message, ReceiveMessageCommand, SendMessageCommand, SQSClient,
} from '@aws-sdk/client-sqs';
import { errorName, isThrottling, messageOf } from '../../../core/runtime/handler';
import { ALL_SECRET, ENV, METRIC_NAMESPACE, WorkerInput, WorkerSettings } from '../job-worker-contract';

/** The SDK clients the dispatcher uses. */
export interface DispatcherClients {
  readonly codepipeline: CodePipelineClient;
  readonly lambda: LambdaClient;
  readonly sqs: SQSClient;
  readonly scheduler: SchedulerClient;
}

/** One invocation of the dispatcher: by the STARTED rule, the safety schedule, or a follow-up (`followUp`, from 1). */
export interface Invocation {
  /** The dispatcher's own ARN (from the Lambda context), which a follow-up schedule invokes. */
  readonly functionArn: string;
  /** Which follow-up in a row this is; undefined for the rules' invocations. */
  readonly followUp?: number;
}

/** What the dispatcher needs to know, read once per invocation: the worker it serves, and its own follow-up schedules. */
export interface DispatcherSettings extends WorkerSettings {
  /** The schedule group of the follow-up polls, and the role EventBridge Scheduler invokes the dispatcher with. */
  readonly followUpGroup: string;
  readonly followUpRoleArn: string;
}

/**
 * The settings of one invocation: the worker from its input (which every invocation of the shared dispatcher carries),
 * the follow-up schedules from the dispatcher's environment.
 */
export function settingsFrom(input: unknown, env: Record<string, string | undefined>): DispatcherSettings {
  const fromEnv = (name: string): string => {
    const value = env[name];
    if (value === undefined || value === '') throw new Error(`the job dispatcher's environment has no ${name}; redeploy the JobWorker`);
    return value;
  };
  const worker = (input as Partial<WorkerInput> | null | undefined)?.worker;
  const text = (key: keyof WorkerSettings): string => {
    const value = (worker as Record<string, unknown> | undefined)?.[key];
    if (typeof value !== 'string' || value === '') {
      throw new Error(`the job dispatcher was invoked without the worker's ${key}; only a JobWorker's rules and follow-up polls invoke it (redeploy the JobWorker)`);
    }
    return value;
  };
  const secrets = worker?.secretProperties;
  return {
    category: text('category'),
    provider: text('provider'),
    version: text('version'),
    queryParam: worker?.queryParam,
    maxBatchSize: typeof worker?.maxBatchSize === 'number' ? worker.maxBatchSize : 10,
    functionName: text('functionName'),
    secretProperties: Array.isArray(secrets) ? secrets : ALL_SECRET,
    metricDimension: text('metricDimension'),
    pendingQueueUrl: text('pendingQueueUrl'),
    followUpGroup: fromEnv(ENV.followUpGroup),
    followUpRoleArn: fromEnv(ENV.followUpRole),
  };
}

/** An input or output artifact of a job, as the worker function receives it. */
export interface WorkerArtifact {
  readonly name?: string;
  readonly revision?: string;
  /** Where the artifact is (or goes): an S3 object, read and written with `artifactCredentials`. */
  readonly s3?: { readonly bucketName?: string; readonly objectKey?: string };
}

/** The JSON document the user's function receives (documented in the README and on JobWorker). */
export interface WorkerJob {
  readonly jobId: string;
  readonly accountId?: string;
  readonly actionTypeId: { readonly category?: string; readonly owner?: string; readonly provider?: string; readonly version?: string };
  readonly pipelineContext: {
    readonly pipelineName?: string;
    readonly pipelineArn?: string;
    readonly pipelineExecutionId?: string;
    readonly stageName?: string;
    readonly actionName?: string;
    readonly actionExecutionId?: string;
  };
  readonly configuration: Record<string, string>;
  readonly inputArtifacts: WorkerArtifact[];
  readonly outputArtifacts: WorkerArtifact[];
  readonly artifactCredentials?: { readonly accessKeyId?: string; readonly secretAccessKey?: string; readonly sessionToken?: string };
  readonly encryptionKey?: { readonly id?: string; readonly type?: string };
  readonly continuationToken?: string;
}

/**
 * The result of one job, for the invocation's log line and metrics. KEPT: its result could not be reported and waits
 * in the pending queue for a later invocation. THROTTLED: Lambda throttled the user's function, so the job waits in
 * the pending queue to be started by a later invocation.
 */
export type JobOutcome = 'SUCCEEDED' | 'FAILED' | 'IN_PROGRESS' | 'SKIPPED' | 'KEPT' | 'THROTTLED' | 'ERROR';

/**
 * What the pending queue keeps: a result the dispatcher could not report (after the SDK's retries), to report again.
 * Its texts are redacted already; the job's secrets and artifact credentials are never in it.
 */
export interface PendingReport {
  readonly kind: 'report';
  readonly jobId: string;
  readonly pipelineName?: string;
  readonly answer: CheckedAnswer;
}

/**
 * What the pending queue keeps: a job the dispatcher acknowledged but could not start (Lambda throttled the user's
 * function). CodePipeline never hands out an acknowledged job again, so a later invocation reads it with
 * GetJobDetails (which gives fresh artifact credentials) and starts it. Only its id is kept.
 */
export interface PendingStart {
  readonly kind: 'start';
  readonly jobId: string;
  readonly pipelineName?: string;
}

export type PendingItem = PendingReport | PendingStart;

/** The answer of a function Lambda did not run: it throttled the invocation. */
const THROTTLED = 'THROTTLED';

/** The first wait before a kept item is tried again; each further try waits twice as long, up to the longest. */
const RETRY_FIRST_SECONDS = 60;
const RETRY_LONGEST_SECONDS = 600;
/** How soon to poll again while work is in flight: the pace of continuation jobs, for which no event comes. */
const FOLLOW_UP_SECONDS = 60;
/** How many follow-ups in a row may find nothing (a continuation job may show a little late) before they stop. */
const MAX_EMPTY_FOLLOW_UPS = 2;
/** SQS hands out at most 10 messages a call. */
const KEPT_PER_INVOCATION = 10;

const FAILURE_TYPES: readonly string[] = Object.values(FailureType);

/** The API's bounds (CodePipeline model 2015-07-09) on what the dispatcher reports. */
export const BOUNDS = {
  summary: 2048,
  message: 5000,
  externalExecutionId: 1500,
  continuationToken: 2048,
  revision: 1500,
  changeIdentifier: 100,
  revisionSummary: 2048,
} as const;

const OUTPUT_VARIABLE_KEY = /^[A-Za-z0-9@\-_]+$/;

/**
 * Finishes what earlier invocations kept (results to report again, jobs to start) while it polls for jobs of the
 * action type and runs each through the user's function (at the same time, so that both fit in the dispatcher's
 * timeout), then schedules a follow-up poll while work is in flight.
 */
export async function dispatch(
  clients: DispatcherClients, settings: DispatcherSettings, invocation: Invocation, now: Date = new Date(),
): Promise<JobOutcome[]> {
  const actionType = `${settings.category}/${settings.provider}/${settings.version}`;
  const [kept, polled] = await Promise.allSettled([retryKept(clients, settings), pollAndRun(clients, settings, actionType)]);
  // retryKept answers every failure with an ERROR outcome: it never rejects.
  const round = (kept as PromiseFulfilledResult<KeptRound>).value;
  const keptOutcomes = round.handled.map(h => h.outcome);
  if (polled.status === 'rejected') {
    emitMetrics(settings, keptOutcomes);
    throw polled.reason;
  }
  const { outcomes, pollThrottled } = polled.value;
  const plan = followUpPlan(invocation, round, outcomes, pollThrottled);
  const followUpsFailed = await scheduleFollowUps(clients.scheduler, settings, invocation, plan, now);
  emitMetrics(settings, [...keptOutcomes, ...outcomes], pollThrottled ? 1 : 0, followUpsFailed);
  failOnErrors(keptOutcomes, outcomes.filter(o => o === 'ERROR').length, actionType, outcomes.length);
  return [...keptOutcomes, ...outcomes];
}

/** Polls for jobs and runs each; a throttled poll (after the SDK's retries) leaves the jobs to a later poll. */
async function pollAndRun(
  clients: DispatcherClients, settings: DispatcherSettings, actionType: string,
): Promise<{ outcomes: JobOutcome[]; pollThrottled: boolean }> {
  let jobs: Job[];
  try {
    const polled = await clients.codepipeline.send(new PollForJobsCommand({
      actionTypeId: { category: settings.category as any, owner: 'Custom', provider: settings.provider, version: settings.version },
      maxBatchSize: settings.maxBatchSize,
      queryParam: settings.queryParam,
    }));
    jobs = polled.jobs ?? [];
  } catch (error) {
    if (errorName(error) === 'ActionTypeNotFoundException') {
      throw new Error(`the custom action type Custom/${actionType} does not exist in this account and region (PollForJobs: `
        + `${(error as Error).message}). Deploy the CustomActionType before the JobWorker, or give the JobWorker the type's exact `
        + 'category, provider and version (`aws codepipeline list-action-types --action-owner-filter Custom`).');
    }
    if (!isThrottling(error)) throw error;
    // The follow-up poll (or the next event or scheduled poll) takes the jobs.
    log({ message: 'PollForJobs is throttled; a later poll takes the jobs', actionType, error: errorName(error) });
    return { outcomes: [], pollThrottled: true };
  }
  if (jobs.length > 0) log({ message: `PollForJobs returned ${jobs.length} job(s)`, actionType, jobIds: jobs.map(j => j.id) });
  const outcomes = await Promise.all(jobs.map(job => runJob(clients, settings, job).catch((error: Error) => {
    log({ message: 'the job could not be run', jobId: job.id, error: redactorFor(settings, job)(messageOf(error)) });
    return 'ERROR' as const;
  })));
  return { outcomes, pollThrottled: false };
}

/**
 * When to poll again, in seconds from now, and which follow-up in a row that is. Work in flight (an IN_PROGRESS
 * answer, whose continuation job comes without an event; a job left for later; a result kept; a throttled poll; more
 * kept items than one invocation takes) is polled again a minute later, and a kept item that was put off when it is
 * due. A follow-up that found nothing looks once more, two minutes later, then the follow-ups stop.
 */
function followUpPlan(
  invocation: Invocation, kept: KeptRound, outcomes: JobOutcome[], pollThrottled: boolean,
): { delays: number[]; followUp: number } {
  const delays = kept.handled.flatMap(h => (h.retryIn === undefined ? [] : [h.retryIn]));
  if (pollThrottled || kept.full || outcomes.some(o => o === 'IN_PROGRESS' || o === 'THROTTLED' || o === 'KEPT')) delays.push(FOLLOW_UP_SECONDS);
  if (delays.length > 0) return { delays, followUp: 1 };
  const foundNothing = kept.handled.length === 0 && outcomes.length === 0;
  if (foundNothing && invocation.followUp !== undefined && invocation.followUp < MAX_EMPTY_FOLLOW_UPS) {
    return { delays: [FOLLOW_UP_SECONDS * 2 ** invocation.followUp], followUp: invocation.followUp + 1 };
  }
  return { delays: [], followUp: 1 };
}

/**
 * Creates a one-time schedule per follow-up, at the whole minute at or after its time, which invokes the dispatcher
 * and deletes itself. A schedule is named after its minute, so invocations that want the same minute share one.
 * Returns how many could not be created: the safety poll takes over their work.
 */
async function scheduleFollowUps(
  scheduler: SchedulerClient, settings: DispatcherSettings, invocation: Invocation, plan: { delays: number[]; followUp: number }, now: Date,
): Promise<number> {
  const minutes = [...new Set(plan.delays.map(seconds => Math.ceil((now.getTime() + seconds * 1000) / 60_000)))];
  // The group holds the follow-ups of every worker of the dispatcher: a name is the worker's (its pending queue's) and
  // the minute's, and the input says again which worker to serve.
  const { followUpGroup, followUpRoleArn, ...worker } = settings;
  const workerKey = createHash('sha256').update(settings.pendingQueueUrl).digest('hex').slice(0, 16);
  // A qualified ARN (an alias or a version) invokes what the rules invoke: the function itself.
  const functionArn = invocation.functionArn.split(':').slice(0, 7).join(':');
  let failed = 0;
  for (const minute of minutes) {
    const at = new Date(minute * 60_000);
    try {
      await scheduler.send(new CreateScheduleCommand({
        Name: `poll-${workerKey}-${minute}`,
        GroupName: followUpGroup,
        ScheduleExpression: `at(${at.toISOString().slice(0, 19)})`,
        ScheduleExpressionTimezone: 'UTC',
        FlexibleTimeWindow: { Mode: 'OFF' },
        ActionAfterCompletion: 'DELETE',
        Target: {
          Arn: functionArn,
          RoleArn: followUpRoleArn,
          Input: JSON.stringify({ worker, followUp: plan.followUp } satisfies WorkerInput),
          RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 300 },
        },
      }));
    } catch (error) {
      if (errorName(error) === 'ConflictException') continue; // another invocation scheduled that minute for the worker already
      failed++;
      log({
        message: `the follow-up poll could not be scheduled (${messageOf(error)}); the next scheduled poll takes over`,
        at: at.toISOString(),
      });
    }
  }
  return failed;
}

/** Fails the invocation so that the dispatcher's Errors metric and its dead-letter queue show what went wrong. */
function failOnErrors(kept: JobOutcome[], jobErrors: number, actionType: string, jobs = 0): void {
  if (jobErrors > 0) {
    throw new Error(`${jobErrors} of ${jobs} job(s) of Custom/${actionType} could not be run or reported; see the log lines above`);
  }
  const keptErrors = kept.filter(o => o === 'ERROR').length;
  if (keptErrors > 0) throw new Error(`${keptErrors} kept job(s) of Custom/${actionType} could not be handled; see the log lines above`);
}

/** Acknowledges one job, invokes the user's function with it and reports its answer (or keeps it to report later). */
export async function runJob(clients: DispatcherClients, settings: DispatcherSettings, job: Job): Promise<JobOutcome> {
  const jobId = job.id!;
  const redact = redactorFor(settings, job);
  try {
    await clients.codepipeline.send(new AcknowledgeJobCommand({ jobId, nonce: job.nonce! }));
  } catch (error) {
    const name = errorName(error);
    if (name === 'InvalidNonceException') {
      log({ message: 'skipped: another worker took the job', jobId });
      return 'SKIPPED';
    }
    if (name === 'InvalidJobStateException' || name === 'JobNotFoundException') {
      log({ message: 'dropped: the job is no longer waiting for a worker', jobId, error: name });
      return 'SKIPPED';
    }
    throw error;
  }

  const pipelineName = job.data?.pipelineContext?.pipelineName;
  const answer = await invokeWorker(clients.lambda, settings.functionName, toWorkerJob(job), redact);
  if (answer.status !== THROTTLED) return reportOrKeep(clients, settings, jobId, pipelineName, answer, redact);
  // Lambda did not run the function: leave the job for a later invocation rather than failing it.
  try {
    await keep(clients.sqs, settings, { kind: 'start', jobId, pipelineName });
  } catch (error) {
    log({ message: `the job could not be left for later (${redact(messageOf(error))}); failing it`, jobId });
    return reportOrKeep(clients, settings, jobId, pipelineName, notInvoked(settings.functionName, answer.error), redact);
  }
  log({ message: `left for a later invocation: Lambda throttled the function (${answer.error})`, jobId, pipelineName });
  return 'THROTTLED';
}

/** Reports an answer, or keeps it in the pending queue to report it later (the work is done: it must not be lost). */
async function reportOrKeep(
  clients: DispatcherClients, settings: DispatcherSettings, jobId: string, pipelineName: string | undefined, answer: CheckedAnswer,
  redact: (s: string) => string,
): Promise<JobOutcome> {
  try {
    const outcome = await putResult(clients.codepipeline, jobId, answer);
    if (outcome !== 'SKIPPED') log({ message: `reported ${answer.status}`, jobId, pipelineName, summary: redact(answer.summary ?? answer.message ?? '') });
    return outcome;
  } catch (error) {
    const cause = redact(messageOf(error));
    try {
      await keep(clients.sqs, settings, { kind: 'report', jobId, pipelineName, answer });
    } catch (keepError) {
      log({
        message: `the result could be neither reported nor kept (${redact(messageOf(keepError))})`,
        jobId,
        error: cause,
      });
      throw error;
    }
    log({ message: `kept the ${answer.status} result to report it again (${cause})`, jobId, pipelineName });
    return 'KEPT';
  }
}

async function keep(sqs: SQSClient, settings: DispatcherSettings, item: PendingItem): Promise<void> {
  await sqs.send(new SendMessageCommand({ QueueUrl: settings.pendingQueueUrl, MessageBody: JSON.stringify(item) }));
}

/**
 * Reports an answer: its status, or SKIPPED when the job ended before (it timed out, or its execution was stopped).
 * Throws on any other failure, which the SDK has retried already.
 */
async function putResult(codepipeline: CodePipelineClient, jobId: string, answer: CheckedAnswer): Promise<JobOutcome> {
  try {
    if (answer.status === 'FAILED') {
      await codepipeline.send(new PutJobFailureResultCommand({
        jobId,
        failureDetails: {
          type: answer.failureType as FailureType,
          message: answer.message,
          externalExecutionId: answer.externalExecutionId,
        },
      }));
    } else {
      await codepipeline.send(new PutJobSuccessResultCommand({
        jobId,
        continuationToken: answer.continuationToken,
        currentRevision: answer.currentRevision,
        outputVariables: answer.outputVariables,
        executionDetails: answer.summary !== undefined || answer.externalExecutionId !== undefined || answer.percentComplete !== undefined
          ? { summary: answer.summary, externalExecutionId: answer.externalExecutionId, percentComplete: answer.percentComplete }
          : undefined,
      }));
    }
  } catch (error) {
    const name = errorName(error);
    if (name === 'InvalidJobStateException' || name === 'JobNotFoundException') {
      log({ message: 'dropped: the job ended before its result was reported (timed out or the execution stopped)', jobId, error: name });
      return 'SKIPPED';
    }
    throw error;
  }
  return answer.status;
}

/**
 * Reports the results earlier invocations kept. Each is deleted once reported (or once its job has ended); one that
 * still fails waits longer before the next try (1, 2, 4, 8, then 10 minutes), and the queue moves it to the
 * dead-letter queue after its last try. One invocation takes up to 10; the next takes the rest.
 */
async function retryKept(clients: DispatcherClients, settings: DispatcherSettings): Promise<KeptRound> {
  let messages: Message[];
  try {
    const received = await clients.sqs.send(new ReceiveMessageCommand({
      QueueUrl: settings.pendingQueueUrl,
      MaxNumberOfMessages: KEPT_PER_INVOCATION,
      WaitTimeSeconds: 0,
      MessageSystemAttributeNames: ['ApproximateReceiveCount'],
    }));
    messages = received.Messages ?? [];
  } catch (error) {
    log({ message: `the pending queue could not be read (${messageOf(error)}); the next invocation tries again` });
    return { handled: [{ outcome: 'ERROR' }], full: false };
  }
  const handled = await Promise.all(messages.map(message => retryOne(clients, settings, message).catch((error: Error): Handled => {
    log({ message: `a kept item could not be handled (${messageOf(error)}); it stays in the pending queue`, messageId: message.MessageId });
    return { outcome: 'ERROR' };
  })));
  return { handled, full: messages.length === KEPT_PER_INVOCATION };
}

/** What became of the kept items an invocation took, and whether it took as many as it could (more may wait). */
interface KeptRound {
  readonly handled: Handled[];
  readonly full: boolean;
}

/** What became of one kept item; `retryIn`: seconds until its next try, when it was put off. */
interface Handled {
  readonly outcome: JobOutcome;
  readonly retryIn?: number;
}

async function retryOne(clients: DispatcherClients, settings: DispatcherSettings, message: Message): Promise<Handled> {
  const item = parsePending(message.Body);
  const where = { QueueUrl: settings.pendingQueueUrl, ReceiptHandle: message.ReceiptHandle };
  const done = () => clients.sqs.send(new DeleteMessageCommand(where));
  const later = async (outcome: JobOutcome, why: string): Promise<Handled> => {
    const seconds = retryDelaySeconds(Number(message.Attributes?.ApproximateReceiveCount ?? '1'));
    await clients.sqs.send(new ChangeMessageVisibilityCommand({ ...where, VisibilityTimeout: seconds }));
    log({ message: `${why}; trying again in ${seconds} s`, jobId: item.jobId });
    return { outcome, retryIn: seconds };
  };
  if (item.kind === 'start') {
    let job: Job;
    try {
      const { jobDetails } = await clients.codepipeline.send(new GetJobDetailsCommand({ jobId: item.jobId }));
      job = { id: item.jobId, accountId: jobDetails?.accountId, data: jobDetails?.data };
    } catch (error) {
      if (errorName(error) !== 'JobNotFoundException') throw error;
      await done();
      log({ message: 'dropped: the job left for later no longer exists', jobId: item.jobId });
      return { outcome: 'SKIPPED' };
    }
    const redact = redactorFor(settings, job);
    const answer = await invokeWorker(clients.lambda, settings.functionName, toWorkerJob(job), redact);
    if (answer.status === THROTTLED) return later('THROTTLED', `Lambda throttled the function again (${answer.error})`);
    // Kept as a result if it cannot be reported, so that the job does not run again.
    const outcome = await reportOrKeep(clients, settings, item.jobId, item.pipelineName, answer, redact);
    await done();
    return { outcome };
  }
  try {
    const outcome = await putResult(clients.codepipeline, item.jobId, item.answer);
    await done();
    if (outcome !== 'SKIPPED') log({ message: `reported a kept ${item.answer.status} result`, jobId: item.jobId, pipelineName: item.pipelineName });
    return { outcome };
  } catch (error) {
    return later('KEPT', `still could not report the kept ${item.answer.status} result (${messageOf(error)})`);
  }
}

/** A kept item from its message body; a body that is none fails (the queue moves it to the dead-letter queue in the end). */
function parsePending(body: string | undefined): PendingItem {
  let item: any;
  try {
    item = JSON.parse(body ?? '');
  } catch { /* not JSON: refused below */ }
  if (item?.kind === 'start' && typeof item.jobId === 'string') return item;
  if (item?.kind !== 'report' || typeof item.jobId !== 'string' || typeof item.answer?.status !== 'string') {
    throw new Error('the message is not an item the job worker keeps');
  }
  const created = item.answer.currentRevision?.created;
  const answer: CheckedAnswer = created === undefined ? item.answer
    : { ...item.answer, currentRevision: { ...item.answer.currentRevision, created: new Date(created) } };
  return { ...item, answer };
}

/** The wait before the `receiveCount + 1`th try of a kept item. */
function retryDelaySeconds(receiveCount: number): number {
  return Math.min(RETRY_FIRST_SECONDS * 2 ** Math.max(0, receiveCount - 1), RETRY_LONGEST_SECONDS);
}

/** The function's answer, checked and fitted to the API. */
export interface CheckedAnswer {
  readonly status: 'SUCCEEDED' | 'FAILED' | 'IN_PROGRESS';
  readonly summary?: string;
  readonly externalExecutionId?: string;
  readonly percentComplete?: number;
  readonly continuationToken?: string;
  readonly currentRevision?: CurrentRevision;
  readonly outputVariables?: Record<string, string>;
  readonly failureType?: string;
  readonly message?: string;
}

/**
 * Runs the user's function with the job and checks its answer; THROTTLED (with the reason) when Lambda did not run it
 * for throttling, after the SDK's retries.
 */
async function invokeWorker(
  lambda: LambdaClient, functionName: string, job: WorkerJob, redact: (s: string) => string,
): Promise<CheckedAnswer | { readonly status: typeof THROTTLED; readonly error: string }> {
  let response;
  try {
    response = await lambda.send(new InvokeCommand({
      FunctionName: functionName,
      InvocationType: 'RequestResponse',
      Payload: new TextEncoder().encode(JSON.stringify(job)),
    }));
  } catch (error) {
    const text = redact(messageOf(error));
    return isThrottling(error) ? { status: THROTTLED, error: text } : notInvoked(functionName, text);
  }
  const text = response.Payload ? new TextDecoder().decode(response.Payload) : '';
  if (response.FunctionError) {
    // A thrown error or a time-out: Lambda answers { errorType, errorMessage } (`Sandbox.Timedout` for a time-out).
    let detail = text;
    try {
      const parsed = JSON.parse(text);
      detail = [parsed.errorType, parsed.errorMessage].filter(Boolean).join(': ') || text;
    } catch { /* not JSON: the raw payload */ }
    return failure('JobFailed', redact(`the function ${functionName} failed: ${detail || response.FunctionError}`));
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return invalid('it is not JSON', redact);
  }
  return checkAnswer(raw, redact);
}

/** The failure of a job whose function could not be invoked. */
function notInvoked(functionName: string, error: string): CheckedAnswer {
  return failure('JobFailed', `the job worker could not invoke its function ${functionName}: ${error}`);
}

function failure(type: string, message: string): CheckedAnswer {
  return { status: 'FAILED', failureType: type, message: fit(message, BOUNDS.message) };
}

function invalid(why: string, redact: (s: string) => string): CheckedAnswer {
  return failure('JobFailed', redact(`the job worker function's answer is invalid: ${why}. It must be a JSON object `
    + '{ status: \'SUCCEEDED\' | \'FAILED\' | \'IN_PROGRESS\', summary?, externalExecutionId?, percentComplete?, continuationToken?, '
    + 'currentRevision?, outputVariables?, failureType?, message? } (see the JobWorker documentation)'));
}

/** Checks the user's answer against the contract and the API's bounds: texts are shortened, ids and tokens must fit. */
export function checkAnswer(raw: unknown, redact: (s: string) => string = s => s): CheckedAnswer {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return invalid(`got ${JSON.stringify(raw)?.slice(0, 100)}`, redact);
  const a = raw as Record<string, unknown>;
  const status = a.status;
  if (status !== 'SUCCEEDED' && status !== 'FAILED' && status !== 'IN_PROGRESS') {
    return invalid(`status is ${JSON.stringify(status)}`, redact);
  }
  const text = (name: string): string | undefined => {
    const v = a[name];
    if (v === undefined || v === null || v === '') return undefined;
    return typeof v === 'string' ? v : JSON.stringify(v);
  };
  const externalExecutionId = text('externalExecutionId');
  if (externalExecutionId !== undefined && externalExecutionId.length > BOUNDS.externalExecutionId) {
    return invalid(`externalExecutionId has ${externalExecutionId.length} characters, at most ${BOUNDS.externalExecutionId} are allowed`, redact);
  }
  if (status === 'FAILED') {
    const failureType = text('failureType') ?? 'JobFailed';
    if (!FAILURE_TYPES.includes(failureType)) return invalid(`failureType is '${failureType}', expected one of ${FAILURE_TYPES.join(', ')}`, redact);
    return {
      status,
      failureType,
      message: fit(redact(text('message') ?? 'the job worker function reported a failure without a message'), BOUNDS.message),
      externalExecutionId,
    };
  }
  const continuationToken = text('continuationToken');
  if (status === 'IN_PROGRESS' && continuationToken === undefined) {
    return invalid('status IN_PROGRESS needs a continuationToken (CodePipeline gives it back in the next job, to continue the work)', redact);
  }
  if (status === 'SUCCEEDED' && continuationToken !== undefined) {
    return invalid('status SUCCEEDED takes no continuationToken (answer IN_PROGRESS to be called again)', redact);
  }
  if (continuationToken !== undefined && continuationToken.length > BOUNDS.continuationToken) {
    return invalid(`continuationToken has ${continuationToken.length} characters, at most ${BOUNDS.continuationToken} are allowed`, redact);
  }
  let percentComplete: number | undefined;
  if (a.percentComplete !== undefined && a.percentComplete !== null) {
    if (typeof a.percentComplete !== 'number' || !Number.isFinite(a.percentComplete)) {
      return invalid(`percentComplete is ${JSON.stringify(a.percentComplete)}, expected a number from 0 to 100`, redact);
    }
    percentComplete = Math.min(100, Math.max(0, Math.round(a.percentComplete)));
  }
  let currentRevision: CurrentRevision | undefined;
  if (a.currentRevision !== undefined && a.currentRevision !== null) {
    const r = a.currentRevision as Record<string, unknown>;
    if (typeof r !== 'object' || typeof r.revision !== 'string' || typeof r.changeIdentifier !== 'string' || !r.revision || !r.changeIdentifier) {
      return invalid('currentRevision needs revision and changeIdentifier strings', redact);
    }
    if (r.revision.length > BOUNDS.revision || r.changeIdentifier.length > BOUNDS.changeIdentifier) {
      return invalid(`currentRevision.revision has at most ${BOUNDS.revision} characters and changeIdentifier at most ${BOUNDS.changeIdentifier}`, redact);
    }
    const created = r.created === undefined ? undefined : new Date(r.created as string);
    if (created && Number.isNaN(created.getTime())) return invalid(`currentRevision.created is ${JSON.stringify(r.created)}, expected an ISO 8601 time`, redact);
    currentRevision = {
      revision: r.revision,
      changeIdentifier: r.changeIdentifier,
      created,
      revisionSummary: typeof r.revisionSummary === 'string' && r.revisionSummary ? fit(r.revisionSummary, BOUNDS.revisionSummary) : undefined,
    };
  }
  let outputVariables: Record<string, string> | undefined;
  if (a.outputVariables !== undefined && a.outputVariables !== null) {
    if (status === 'IN_PROGRESS') return invalid('outputVariables are reported with the final SUCCEEDED answer, not with IN_PROGRESS', redact);
    const vars = a.outputVariables as Record<string, unknown>;
    if (typeof vars !== 'object' || Array.isArray(vars)) return invalid('outputVariables must be an object of strings', redact);
    outputVariables = {};
    for (const [key, value] of Object.entries(vars)) {
      if (!OUTPUT_VARIABLE_KEY.test(key)) return invalid(`outputVariables key '${key}' may only have letters, digits, @, - and _`, redact);
      outputVariables[key] = typeof value === 'string' ? value : JSON.stringify(value);
    }
  }
  const summary = text('summary');
  return {
    status,
    summary: summary === undefined ? undefined : fit(redact(summary), BOUNDS.summary),
    externalExecutionId,
    percentComplete,
    continuationToken,
    currentRevision,
    outputVariables,
  };
}

/** The job as the user's function receives it. */
export function toWorkerJob(job: Job): WorkerJob {
  const data = job.data ?? {};
  const context = data.pipelineContext ?? {};
  const artifact = (a: NonNullable<typeof data.inputArtifacts>[number]): WorkerArtifact => ({
    name: a.name,
    revision: a.revision,
    s3: a.location?.s3Location ? { bucketName: a.location.s3Location.bucketName, objectKey: a.location.s3Location.objectKey } : undefined,
  });
  return {
    jobId: job.id!,
    accountId: job.accountId,
    actionTypeId: { ...data.actionTypeId },
    pipelineContext: {
      pipelineName: context.pipelineName,
      pipelineArn: context.pipelineArn,
      pipelineExecutionId: context.pipelineExecutionId,
      stageName: context.stage?.name,
      actionName: context.action?.name,
      actionExecutionId: context.action?.actionExecutionId,
    },
    configuration: { ...data.actionConfiguration?.configuration },
    inputArtifacts: (data.inputArtifacts ?? []).map(artifact),
    outputArtifacts: (data.outputArtifacts ?? []).map(artifact),
    artifactCredentials: data.artifactCredentials ? { ...data.artifactCredentials } : undefined,
    encryptionKey: data.encryptionKey ? { ...data.encryptionKey } : undefined,
    continuationToken: data.continuationToken,
  };
}

/**
 * Replaces every secret of the job (secret configuration values, the artifact credentials) in a text with `***`,
 * for log lines and for the texts reported to CodePipeline (which the console shows).
 */
export function redactorFor(settings: DispatcherSettings, job: Job): (s: string) => string {
  const configuration = job.data?.actionConfiguration?.configuration ?? {};
  const credentials = job.data?.artifactCredentials;
  const secrets = [
    ...Object.entries(configuration)
      .filter(([name]) => settings.secretProperties === ALL_SECRET || settings.secretProperties.includes(name))
      .map(([, value]) => value),
    credentials?.accessKeyId, credentials?.secretAccessKey, credentials?.sessionToken,
  ].filter((s): s is string => typeof s === 'string' && s.length > 0)
    .sort((x, y) => y.length - x.length);
  return (text: string) => secrets.reduce((t, secret) => t.split(secret).join('***'), text);
}

/** Shortens a text to the API's bound, saying so. */
function fit(text: string, max: number): string {
  if (text.length <= max) return text;
  const marker = ' [truncated]';
  return text.slice(0, max - marker.length) + marker;
}

function log(entry: Record<string, unknown>): void {
  console.log(JSON.stringify(entry));
}

/**
 * One CloudWatch embedded-metric-format line per invocation that did something: the job outcomes the JobWorker's
 * metric methods read. An idle poll publishes nothing, since zeros every poll would keep each custom metric billed
 * around the clock.
 */
function emitMetrics(settings: DispatcherSettings, outcomes: JobOutcome[], throttledPolls = 0, followUpsFailed = 0): void {
  if (outcomes.length === 0 && throttledPolls === 0 && followUpsFailed === 0) return;
  const count = (o: JobOutcome) => outcomes.filter(x => x === o).length;
  const metrics = {
    JobsSucceeded: count('SUCCEEDED'),
    JobsFailed: count('FAILED'),
    JobsInProgress: count('IN_PROGRESS'),
    JobsSkipped: count('SKIPPED'),
    JobErrors: count('ERROR'),
    ReportsKept: count('KEPT'),
    JobsThrottled: count('THROTTLED'),
    PollsThrottled: throttledPolls,
    FollowUpsFailed: followUpsFailed,
  };
  console.log(JSON.stringify({
    _aws: {
      Timestamp: Date.now(),
      CloudWatchMetrics: [{
        Namespace: METRIC_NAMESPACE,
        Dimensions: [['ActionType']],
        Metrics: Object.keys(metrics).map(name => ({ Name: name, Unit: 'Count' })),
      }],
    },
    ActionType: settings.metricDimension,
    ...metrics,
  }));
}
