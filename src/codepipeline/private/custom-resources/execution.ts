import { createHash } from 'crypto';
import {
  CodePipelineClient, GetPipelineExecutionCommand, GetPipelineStateCommand, ListActionExecutionsCommand, ListPipelineExecutionsCommand,
  PipelineExecutionSummary, StartPipelineExecutionCommand, StopPipelineExecutionCommand,
} from '@aws-sdk/client-codepipeline';
import { EXECUTION_FAMILY, ExecutionRequest } from './contract';
import type { DataOf } from '../../../core/family';
import {
  ActionableError, errorName, isRetryable, logEvent, messageOf, pollAgainAfter, pollFailureAdvice, startWait, waitExpired,
} from '../../../core/runtime/handler';
import { TIMEOUT_PROPERTY } from '../../../core/runtime/properties';
import type { IsCompleteRequest, IsCompleteResponse, OnEventRequest, OnEventResponse } from '../../../core/runtime/types';

/** Execution states from which an execution can still end Succeeded (Stopping ends Stopped, but it is not over yet). */
const RUNNING = ['InProgress', 'Stopping'];
/** The reason CodePipeline shows for an execution this library stops. */
export const STOP_REASON = 'Stopped by cdk-devtools: the deployment that started it timed out or was rolled back';

/** Where a person reads an execution in the console. */
export function consoleUrl(region: string, pipelineName: string, executionId: string): string {
  return `https://${region}.console.aws.amazon.com/codesuite/codepipeline/pipelines/${encodeURIComponent(pipelineName)}/executions/${executionId}/timeline`;
}

/** The region the client calls (in Lambda, the function's: the clients take it from AWS_REGION). */
async function regionOf(client: CodePipelineClient): Promise<string> {
  try {
    return await client.config.region();
  } catch {
    return process.env.AWS_REGION ?? 'us-east-1';
  }
}

/**
 * A hash of what an execution runs: the pipeline, the trigger and the variables. A change of any of them starts
 * a new execution; other changes (the wait, its timeout) do not.
 */
function runTag(run: ExecutionRequest): string {
  const variables = Object.keys(run.variables).sort().map(name => [name, run.variables[name]]);
  return `run-${createHash('sha256').update(JSON.stringify([run.pipelineName, run.trigger, variables])).digest('hex').slice(0, 16)}`;
}

/**
 * The physical id of an execution resource: the pipeline, what it runs (a hash) and the execution it started, so
 * an Update that arrives at that id with the same run (CloudFormation going back to it in a rollback) starts nothing.
 */
export function executionPhysicalId(run: ExecutionRequest, executionId: string): string {
  return `${run.pipelineName}/${runTag(run)}/executions/${executionId}`;
}

const EXECUTION_ID = /\/executions\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/** The execution id at the end of a physical id made by `executionPhysicalId` (not the provider framework's failed-create marker). */
export function executionIdOf(physicalId: string | undefined): string | undefined {
  return EXECUTION_ID.exec(physicalId ?? '')?.[1];
}

/**
 * The idempotency token of a start: one per CloudFormation request (a retried request sends the same RequestId) and
 * run, so a retried Create returns the execution the first attempt started, while a trigger that comes back later
 * (v1, v2, v1 again) starts a new one.
 */
export function clientRequestToken(event: OnEventRequest, run: ExecutionRequest): string {
  const digest = createHash('sha256').update(JSON.stringify([event.StackId, event.LogicalResourceId, event.RequestId, runTag(run)])).digest('hex');
  return `cdk-devtools-${digest.slice(0, 48)}`;
}

/**
 * The name of the role session that starts a run: one per stack, resource and run (pipeline, trigger, variables).
 * CodePipeline records the session as the execution's trigger detail (`arn:aws:sts::<account>:assumed-role/<role>/<session>`),
 * so what a request started can be found from the resource's properties alone, when CloudFormation no longer knows the
 * execution id: the Delete of a cancelled Create (an invented physical id) and the rollback of a cancelled Update.
 */
export function runSessionName(stackId: string, logicalId: string, run: ExecutionRequest): string {
  const digest = createHash('sha256').update(JSON.stringify([stackId, logicalId, runTag(run)])).digest('hex');
  return `cdk-devtools-run-${digest.slice(0, 40)}`;
}

/** The session a request's client acts in: the run of its properties (a request whose properties do not parse starts nothing). */
export function executionSessionName(event: OnEventRequest): string | undefined {
  try {
    return runSessionName(event.StackId, event.LogicalResourceId, EXECUTION_FAMILY.parse(event.ResourceProperties));
  } catch {
    return undefined;
  }
}

/** How far back a rollback looks for the runs a cancelled request started: CloudFormation gives up on a request within the hour. */
const LOOKBACK_MS = 24 * 3600 * 1000;
/** Pages of ListPipelineExecutions (100 executions each) read at most while looking. */
const LOOKBACK_PAGES = 10;

/**
 * The executions of a pipeline still running that a session started (StartPipelineExecution's trigger detail is the
 * caller's ARN), newest first, among those of the last `LOOKBACK_MS`.
 */
async function runningRunsOf(client: CodePipelineClient, pipelineName: string, session: string): Promise<string[]> {
  const since = Date.now() - LOOKBACK_MS;
  const found: string[] = [];
  let nextToken: string | undefined;
  for (let page = 0; page < LOOKBACK_PAGES; page++) {
    const out = await client.send(new ListPipelineExecutionsCommand({ pipelineName, maxResults: 100, nextToken }));
    const summaries: PipelineExecutionSummary[] = out.pipelineExecutionSummaries ?? [];
    found.push(...summaries.filter(e => e.status === 'InProgress' && e.trigger?.triggerType === 'StartPipelineExecution'
      && (e.trigger.triggerDetail ?? '').endsWith(`/${session}`)).map(e => e.pipelineExecutionId!).filter(Boolean));
    nextToken = out.nextToken;
    const oldest = summaries[summaries.length - 1]?.startTime;
    if (!nextToken || (oldest !== undefined && new Date(oldest).getTime() < since)) break;
  }
  return found;
}

/**
 * Stops what a request that CloudFormation gave up on started: the runs of `props` (the cancelled request's
 * properties) still running, found by the session that started them. Never throws: a rollback or deletion that fails
 * here would only leave the stack stuck, and the log says what was left.
 */
async function stopCancelledRuns(client: CodePipelineClient, event: OnEventRequest, props: Record<string, unknown>, why: string): Promise<void> {
  let pipelineName = String(props.PipelineName ?? '');
  try {
    const run = EXECUTION_FAMILY.parse(props);
    pipelineName = run.pipelineName;
    const session = runSessionName(event.StackId, event.LogicalResourceId, run);
    const runs = await runningRunsOf(client, pipelineName, session);
    if (runs.length === 0) {
      console.log(`${why}: no execution of pipeline ${pipelineName} started by session ${session} is running`);
      return;
    }
    for (const executionId of runs) {
      console.log(`${why}: execution ${executionId} of pipeline ${pipelineName} is still running: ${await stopExecution(client, pipelineName, executionId)}`);
    }
  } catch (err) {
    console.log(`${why}: could not look for the executions it started on pipeline ${pipelineName} (${messageOf(err)}); one may still be running: `
      + 'stop it in the console if so');
  }
}

/**
 * Starts an execution of the pipeline on Create, and on an Update whose pipeline, trigger or variables changed (a new
 * physical id: each execution is its own resource), in the role session of that run (`runSessionName`). An Update
 * that changes nothing of the run starts nothing. An Update that arrives at an id whose execution already ran the
 * properties, with old properties of another run, is a rollback: it starts nothing, and stops the run of the old
 * properties if the cancelled Update started it and it still runs. Delete stops the execution it started when that
 * is still running (StopPipelineExecution without abandoning: running actions finish, no further stage starts): a
 * Delete of a running execution comes from a rollback, the stack's deletion, or the clean-up after a new trigger, and
 * in each case the template no longer wants that run. A Delete of an id this handler never returned (CloudFormation's
 * invented id for a Create it cancelled, or the provider framework's failed-create marker) stops the run the Create
 * started, found by its session. An ended execution, or a pipeline that is gone, leaves nothing to do.
 *
 * `clientFor` gives a client acting as the role of other properties (the old properties' run may be on another pipeline).
 */
export async function onExecutionEvent(
  client: CodePipelineClient, event: OnEventRequest, clientFor: (props: Record<string, unknown>) => CodePipelineClient = () => client,
): Promise<OnEventResponse> {
  logEvent('codepipeline execution', event);
  if (event.RequestType === 'Delete') {
    if (executionIdOf(event.PhysicalResourceId)) {
      await stopOnDelete(client, event);
    } else {
      await stopCancelledRuns(client, event, event.ResourceProperties, `physical id ${event.PhysicalResourceId} names no execution (a cancelled or failed Create)`);
    }
    return { PhysicalResourceId: event.PhysicalResourceId };
  }
  const run = EXECUTION_FAMILY.parse(event.ResourceProperties);
  const { pipelineName } = run;
  const region = await regionOf(client);
  const previous = executionIdOf(event.PhysicalResourceId);
  if (event.RequestType === 'Update' && previous !== undefined) {
    const old = event.OldResourceProperties ? EXECUTION_FAMILY.parse(event.OldResourceProperties) : undefined;
    if (event.PhysicalResourceId === executionPhysicalId(run, previous) || (old !== undefined && runTag(old) === runTag(run))) {
      if (old !== undefined && runTag(old) !== runTag(run)) {
        // CloudFormation goes back to this id's run: the Update to the old properties' run was cancelled or rolled back.
        await stopCancelledRuns(clientFor(event.OldResourceProperties!), event, event.OldResourceProperties!, `rolling back to execution ${previous}`);
      }
      console.log(`the run is unchanged or already started as execution ${previous}: no new execution`);
      return {
        PhysicalResourceId: event.PhysicalResourceId,
        Data: executionData(pipelineName, previous, 'Unchanged', consoleUrl(region, pipelineName, previous), false),
      };
    }
  }
  const names = Object.keys(run.variables).sort();
  try {
    const { pipelineExecutionId } = await client.send(new StartPipelineExecutionCommand({
      name: pipelineName,
      clientRequestToken: clientRequestToken(event, run),
      variables: names.length > 0 ? names.map(name => ({ name, value: run.variables[name] })) : undefined,
    }));
    if (!pipelineExecutionId) throw new Error('StartPipelineExecution returned no execution id');
    const url = consoleUrl(region, pipelineName, pipelineExecutionId);
    console.log(`started execution ${pipelineExecutionId} of pipeline ${pipelineName}: ${url}`);
    return {
      PhysicalResourceId: executionPhysicalId(run, pipelineExecutionId),
      Data: executionData(pipelineName, pipelineExecutionId, 'InProgress', url, run.wait),
    };
  } catch (err) {
    throw new ActionableError('Starting a pipeline execution', `pipeline ${pipelineName}`, messageOf(err), startNextStep(err));
  }
}

function startNextStep(err: unknown): string {
  switch (errorName(err)) {
    case 'PipelineNotFoundException':
      return 'The pipeline does not exist in this account and region; check that the pipeline is defined (or imported by its exact name) before the execution';
    case 'ConcurrentPipelineExecutionsLimitExceededException':
      return 'The pipeline runs as many executions as its mode allows (PARALLEL or QUEUED); retry the deployment once one has ended, or raise the limit';
    case 'ValidationException':
      return 'A variable is not declared by the pipeline (pipeline type V2) or breaks its bounds; declare it in the pipeline\'s variables, or remove it from `variables`';
    case 'ConflictException':
      return 'The pipeline is being updated; retry the deployment in a minute';
    default:
      if (isRetryable(err)) return 'CodePipeline is throttling or briefly unavailable (the SDK already retried); retry the deployment later';
      return 'Check the kit role\'s permissions (codepipeline:StartPipelineExecution on the pipeline), then retry the deployment';
  }
}

async function stopOnDelete(client: CodePipelineClient, event: OnEventRequest): Promise<void> {
  const executionId = executionIdOf(event.PhysicalResourceId)!;
  const pipelineName = String(event.ResourceProperties.PipelineName ?? event.PhysicalResourceId!.split('/')[0]);
  try {
    const { pipelineExecution } = await client.send(new GetPipelineExecutionCommand({ pipelineName, pipelineExecutionId: executionId }));
    if (pipelineExecution?.status !== 'InProgress') {
      console.log(`execution ${executionId} of pipeline ${pipelineName} is ${pipelineExecution?.status}: nothing to stop`);
      return;
    }
    console.log(`execution ${executionId} of pipeline ${pipelineName} is still running: ${await stopExecution(client, pipelineName, executionId)}`);
  } catch (err) {
    // The execution cannot be deleted, and a pipeline or execution that is gone has nothing to stop; a Delete that
    // fails here would only block the stack's deletion or rollback.
    console.log(`not stopping execution ${executionId} of pipeline ${pipelineName}: ${messageOf(err)}`);
  }
}

/** Stops an execution, letting running actions finish (abandon=false), and says how that went for a message. */
export async function stopExecution(client: CodePipelineClient, pipelineName: string, executionId: string): Promise<string> {
  try {
    await client.send(new StopPipelineExecutionCommand({ pipelineName, pipelineExecutionId: executionId, abandon: false, reason: STOP_REASON }));
    return 'it was stopped (StopPipelineExecution; running actions finish, no further stage starts)';
  } catch (err) {
    if (['PipelineExecutionNotStoppableException', 'DuplicatedStopRequestException'].includes(errorName(err))) {
      return `it could not be stopped, it is ending or already stopping (${messageOf(err)})`;
    }
    return `stopping it failed (${messageOf(err)}); stop it in the console, or run: aws codepipeline stop-pipeline-execution `
      + `--pipeline-name ${pipelineName} --pipeline-execution-id ${executionId} --reason "${STOP_REASON}"`;
  }
}

/** What an execution resource returns in `Data`, and what its wait reads back. */
export function executionData(pipelineName: string, executionId: string, status: string, url: string, watch: boolean): Record<string, string> {
  const data: DataOf<typeof EXECUTION_FAMILY> = {
    PipelineName: pipelineName,
    PipelineExecutionId: executionId,
    Status: status,
    ConsoleUrl: url,
    Watch: String(watch),
  };
  return { ...startWait(), ...data };
}

/** CodePipeline's errors for a pipeline or execution that does not exist. */
const GONE = ['PipelineNotFoundException', 'PipelineExecutionNotFoundException'];

const WHAT = 'Waiting for the pipeline execution to succeed';

/**
 * Polls the execution onEvent started until it ends. Succeeded completes; Failed fails with the failed stage, action
 * and error (ListActionExecutions, else GetPipelineState) and the console link; Stopped, Cancelled and Superseded fail
 * saying so; every other state keeps waiting until the resource's timeout, which stops the execution and fails.
 * Throttling on reads polls again.
 */
export async function isExecutionComplete(client: CodePipelineClient, event: IsCompleteRequest): Promise<IsCompleteResponse> {
  if (event.RequestType === 'Delete' || event.Data?.Watch !== 'true') {
    return { IsComplete: true };
  }
  const pipelineName = String(event.Data.PipelineName);
  const executionId = String(event.Data.PipelineExecutionId);
  const url = String(event.Data.ConsoleUrl);
  const subject = `execution ${executionId} of pipeline ${pipelineName}`;
  let status: string;
  let summary: string | undefined;
  try {
    const { pipelineExecution } = await client.send(new GetPipelineExecutionCommand({ pipelineName, pipelineExecutionId: executionId }));
    status = pipelineExecution?.status ?? 'Unknown';
    summary = pipelineExecution?.statusSummary;
  } catch (err) {
    if (pollAgainAfter(err, event, subject)) return { IsComplete: false };
    if (isRetryable(err)) {
      const seconds = event.ResourceProperties[TIMEOUT_PROPERTY];
      throw new ActionableError(WHAT, subject, `CodePipeline was still throttling (or failing transiently) when the ${seconds}-second wait ran out, `
        + `so the execution's status is unknown (${messageOf(err)}); ${await stopExecution(client, pipelineName, executionId)}`,
      `This is transient: retry the deployment later. The execution: ${url}`);
    }
    const notFound = 'The pipeline or the execution no longer exists: it was deleted outside this stack. Redeploy to start a new execution.';
    // CodePipeline names its not-found errors after the thing (the kit's classifier knows the generic names only).
    throw new ActionableError(WHAT, subject, `reading its status failed: ${messageOf(err)}`, GONE.includes(errorName(err)) ? notFound
      : pollFailureAdvice(err, { service: 'CodePipeline', notFound, permissions: 'codepipeline:GetPipelineExecution on the pipeline', suffix: `The execution: ${url}` }));
  }
  console.log(`${subject} is ${status}`);
  const because = summary ? ` (${summary})` : '';
  switch (status) {
    case 'Succeeded':
      return {
        IsComplete: true,
        Data: { PipelineExecutionId: executionId, Status: status, ConsoleUrl: url } satisfies Partial<DataOf<typeof EXECUTION_FAMILY>>,
      };
    case 'Failed':
      throw new ActionableError(WHAT, subject, `the execution failed${await failureDetails(client, pipelineName, executionId)}${because}`,
        `Read it at ${url}, fix the cause, then redeploy (or retry the failed stage in the console and redeploy)`);
    case 'Superseded':
      throw new ActionableError(WHAT, subject, `the execution was superseded by a newer execution of the pipeline${because}, so it will not finish`,
        `The newer execution runs instead: follow it in the console (${url}). Redeploy to start and wait for an execution again, `
        + 'or use the QUEUED or PARALLEL execution mode so that other starts do not supersede this one');
    case 'Stopped':
    case 'Cancelled':
      throw new ActionableError(WHAT, subject, `the execution was ${status.toLowerCase()} before it succeeded${because}`,
        `Someone or something stopped it (see ${url}); redeploy to start a new execution`);
    default:
      break;
  }
  if (!RUNNING.includes(status)) console.log(`unknown status ${status}: waiting as for a running execution`);
  if (waitExpired(event)) {
    const seconds = event.ResourceProperties[TIMEOUT_PROPERTY];
    const stopped = await stopExecution(client, pipelineName, executionId);
    throw new ActionableError(WHAT, subject, `it is still ${status} after ${seconds} seconds; ${stopped}`,
      `Read it at ${url}. Raise the timeout if the pipeline needs longer, then redeploy`);
  }
  return { IsComplete: false };
}

/**
 * Where an execution failed: each failed action with its stage and error, from ListActionExecutions; when that
 * answers nothing, the stages of GetPipelineState whose latest execution is this one. Never throws: the details only
 * improve the message.
 */
export async function failureDetails(client: CodePipelineClient, pipelineName: string, executionId: string): Promise<string> {
  try {
    const { actionExecutionDetails } = await client.send(new ListActionExecutionsCommand({
      pipelineName, filter: { pipelineExecutionId: executionId }, maxResults: 100,
    }));
    const failed = (actionExecutionDetails ?? []).filter(a => a.status === 'Failed').map(a => {
      const error = a.output?.executionResult?.errorDetails;
      const text = error ? `${error.code ? `${error.code}: ` : ''}${error.message ?? ''}` : a.output?.executionResult?.externalExecutionSummary;
      return `stage ${a.stageName}, action ${a.actionName}${text ? `: ${text}` : ''}`;
    });
    if (failed.length > 0) return ` in ${failed.join('; ')}`;
  } catch (err) {
    console.log(`ListActionExecutions failed, reading the pipeline state instead: ${messageOf(err)}`);
  }
  try {
    const { stageStates } = await client.send(new GetPipelineStateCommand({ name: pipelineName }));
    const failed = (stageStates ?? [])
      .filter(s => s.latestExecution?.pipelineExecutionId === executionId && s.latestExecution?.status === 'Failed')
      .flatMap(s => (s.actionStates ?? []).filter(a => a.latestExecution?.status === 'Failed').map(a => {
        const error = a.latestExecution?.errorDetails;
        return `stage ${s.stageName}, action ${a.actionName}${error ? `: ${error.code ? `${error.code}: ` : ''}${error.message ?? ''}` : ''}`;
      }));
    return failed.length > 0 ? ` in ${failed.join('; ')}` : '';
  } catch (err) {
    console.log(`GetPipelineState failed: ${messageOf(err)}`);
    return '';
  }
}
