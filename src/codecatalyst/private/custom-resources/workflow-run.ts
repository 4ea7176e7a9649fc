import { createHash } from 'crypto';
import { GetWorkflowRunCommand, ListWorkflowsCommand, StartWorkflowRunCommand, WorkflowSummary } from '@aws-sdk/client-codecatalyst';
import { WORKFLOW_RUN_FAMILY, WorkflowRunRequest } from './contract';
import { call, callFailed, CodeCatalystSession, openPollSession, openSession } from './session';
import type { DataOf } from '../../../core/family';
import {
  ActionableError, isAccessDenied, logEvent, messageOf, pollAgainAfter, pollFailureAdvice, startWait, waitExpired,
} from '../../../core/runtime/handler';
import { TIMEOUT_PROPERTY } from '../../../core/runtime/properties';
import type { IsCompleteRequest, IsCompleteResponse, OnEventRequest, OnEventResponse } from '../../../core/runtime/types';

/** Run statuses from which a run can still succeed. */
const RUNNING = ['VALIDATING', 'PROVISIONING', 'IN_PROGRESS', 'STOPPING'];
/** Run statuses that end a run without success. */
const ENDED = ['FAILED', 'STOPPED', 'SUPERSEDED', 'CANCELLED', 'NOT_RUN', 'ABANDONED'];

/** The workflow a run starts, for messages. */
function workflowOf(run: WorkflowRunRequest): string {
  return run.workflowId
    ? `workflow ${run.workflowId} of project '${run.projectName}'`
    : `workflow '${run.workflowName}' (repository '${run.repositoryName}', branch '${run.branchName}') of project '${run.projectName}'`;
}

/** A hash of what a run runs: the workflow and the trigger. A change of either starts a new run; the wait does not. */
function runTag(run: WorkflowRunRequest): string {
  const workflow = [run.spaceName, run.projectName, run.workflowId ?? '', run.workflowName ?? '', run.repositoryName ?? '', run.branchName ?? ''];
  return `run-${createHash('sha256').update(JSON.stringify([...workflow, run.trigger])).digest('hex').slice(0, 16)}`;
}

const RUN_ID = /\/runs\/([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$/;

/** The physical id of a run: its workflow, what it runs (a hash) and the run, so a rollback to it starts nothing. */
export function runPhysicalId(run: WorkflowRunRequest, workflowId: string, runId: string): string {
  return `${run.spaceName}/${run.projectName}/${workflowId}/${runTag(run)}/runs/${runId}`;
}

/** The run id at the end of a physical id made by `runPhysicalId`. */
export function runIdOf(physicalId: string | undefined): string | undefined {
  return RUN_ID.exec(physicalId ?? '')?.[1];
}

/** The client token of a start: one per CloudFormation request and run, so a retried request starts no second run. */
function clientToken(event: OnEventRequest, run: WorkflowRunRequest): string {
  return `cdkdevtools-${createHash('sha256').update(JSON.stringify([event.StackId, event.LogicalResourceId, event.RequestId, runTag(run)])).digest('hex').slice(0, 48)}`;
}

/**
 * Starts a workflow run on Create and whenever the workflow or the trigger changes (a new physical id: each run is
 * its own resource). An Update that changes nothing of the run, or that arrives at an id whose run already ran it
 * (a rollback), starts nothing. The API cannot stop or delete a run, so Delete leaves it to finish, and so does a
 * Create or Update that CloudFormation stopped waiting for (its Delete has an id CloudFormation made up; its rollback
 * is an Update of the old id): the log says so.
 */
export async function onWorkflowRunEvent(event: OnEventRequest): Promise<OnEventResponse> {
  logEvent('codecatalyst workflow run', event);
  if (event.RequestType === 'Delete') {
    if (runIdOf(event.PhysicalResourceId)) {
      console.log(`the CodeCatalyst API cannot stop a run: ${event.PhysicalResourceId} goes on if it still runs`);
    } else {
      const run = WORKFLOW_RUN_FAMILY.parse(event.ResourceProperties);
      console.log(`${event.PhysicalResourceId} names no run: if CloudFormation stopped waiting for the Create, a run the Create started `
        + `(trigger '${run.trigger}') goes on, as the CodeCatalyst API cannot stop a run; follow it among the runs of ${workflowOf(run)}`);
    }
    return { PhysicalResourceId: event.PhysicalResourceId };
  }
  const run = WORKFLOW_RUN_FAMILY.parse(event.ResourceProperties);
  const previous = runIdOf(event.PhysicalResourceId);
  if (event.RequestType === 'Update' && previous !== undefined) {
    const old = event.OldResourceProperties ? WORKFLOW_RUN_FAMILY.parse(event.OldResourceProperties) : undefined;
    if (event.PhysicalResourceId!.includes(`/${runTag(run)}/runs/`) || (old !== undefined && runTag(old) === runTag(run))) {
      if (old !== undefined && runTag(old) !== runTag(run)) {
        console.log(`a run the Update being rolled back started (trigger '${old.trigger}') goes on if it still runs, as the CodeCatalyst API `
          + `cannot stop a run; follow it among the runs of ${workflowOf(old)}`);
      }
      console.log(`the run is unchanged or already started as run ${previous}: no new run`);
      const workflowId = event.PhysicalResourceId!.split('/')[2];
      return { PhysicalResourceId: event.PhysicalResourceId, Data: runData(workflowId, previous, 'UNCHANGED', false) };
    }
  }
  const session = await openSession(event.ResourceProperties, run.token, true);
  const workflowId = run.workflowId ?? (await findWorkflow(session, run)).id!;
  const started = await call({
    what: 'Starting a workflow run',
    subject: workflowOf(run),
    session,
    notFound: 'The workflow does not exist in the project (or the token\'s user cannot see it); check the workflow id',
    invalid: 'CodeCatalyst refused to start the workflow; check that its definition is valid in the console',
  }, () => session.client.send(new StartWorkflowRunCommand({
    spaceName: run.spaceName, projectName: run.projectName, workflowId, clientToken: clientToken(event, run),
  })));
  if (!started.id) throw new Error('StartWorkflowRun returned no run id');
  console.log(`started run ${started.id} of ${workflowOf(run)}`);
  return { PhysicalResourceId: runPhysicalId(run, workflowId, started.id), Data: runData(workflowId, started.id, 'VALIDATING', run.wait) };
}

/** Finds a workflow by its name, repository and branch (ListWorkflows), failing with the workflows there are. */
async function findWorkflow(session: CodeCatalystSession, run: WorkflowRunRequest): Promise<WorkflowSummary> {
  const all: WorkflowSummary[] = [];
  let nextToken: string | undefined;
  do {
    const page = await call({
      what: 'Finding the workflow',
      subject: workflowOf(run),
      session,
      notFound: `The project '${run.projectName}' does not exist in space '${run.spaceName}', or the token's user cannot see it`,
    },
    () => session.client.send(new ListWorkflowsCommand({ spaceName: run.spaceName, projectName: run.projectName, nextToken, maxResults: 100 })));
    all.push(...page.items ?? []);
    nextToken = page.nextToken;
  } while (nextToken);
  const found = all.find(w => w.name === run.workflowName && w.sourceRepositoryName === run.repositoryName && w.sourceBranchName === run.branchName);
  if (!found?.id) {
    const there = all.filter(w => w.sourceRepositoryName === run.repositoryName).map(w => `'${w.name}' on ${w.sourceBranchName}`);
    throw new ActionableError('Finding the workflow', workflowOf(run), `no such workflow; the repository has ${there.length > 0 ? there.join(', ') : 'none'}`,
      'Commit the workflow\'s YAML to .codecatalyst/workflows/ on that branch first, or correct Workflow.fromName(repository, name, branchName)');
  }
  if (found.status === 'INVALID') {
    throw new ActionableError('Finding the workflow', workflowOf(run), 'its definition is INVALID, so it cannot run',
      `Fix the YAML (${found.definition?.path ?? 'see the console'}) and commit it, then redeploy`);
  }
  return found;
}

function runData(workflowId: string, runId: string, status: string, watch: boolean): Record<string, string> {
  const data: DataOf<typeof WORKFLOW_RUN_FAMILY> = { WorkflowId: workflowId, RunId: runId, Status: status, Watch: String(watch) };
  return { ...startWait(), ...data };
}

const WHAT = 'Waiting for the workflow run to succeed';

/**
 * Polls the run onEvent started until it ends: SUCCEEDED completes; every other end fails with the run's status
 * reasons; the resource's timeout fails saying the run goes on (the API cannot stop it). Throttling polls again.
 */
export async function isWorkflowRunComplete(event: IsCompleteRequest): Promise<IsCompleteResponse> {
  const data = event.Data as Partial<DataOf<typeof WORKFLOW_RUN_FAMILY>> | undefined;
  if (event.RequestType === 'Delete' || data?.Watch !== 'true') return { IsComplete: true };
  const run = WORKFLOW_RUN_FAMILY.parse(event.ResourceProperties);
  const runId = String(data.RunId);
  const subject = `run ${runId} of ${workflowOf(run)}`;
  const session = await openPollSession(event, run.token, subject);
  if (!session) return { IsComplete: false };
  let status: string;
  let reasons: unknown[];
  try {
    const got = await session.client.send(new GetWorkflowRunCommand({ spaceName: run.spaceName, projectName: run.projectName, id: runId }));
    status = got.status ?? 'UNKNOWN';
    reasons = got.statusReasons ?? [];
  } catch (err) {
    if (pollAgainAfter(err, event, subject)) return { IsComplete: false };
    // Refused by CodeCatalyst (no IAM here): the token's user lacks a role, or the token expired since the wait began.
    if (isAccessDenied(err)) throw callFailed(err, { what: WHAT, subject, session });
    throw new ActionableError(WHAT, subject, `reading its status failed: ${messageOf(err)}`, pollFailureAdvice(err, {
      service: 'CodeCatalyst', notFound: 'The run or its project no longer exists; redeploy to start a new run', permissions: 'a role of the token\'s user in the project',
    }));
  }
  console.log(`${subject} is ${status}`);
  const because = reasons.length > 0 ? ` (status reasons: ${JSON.stringify(reasons)})` : '';
  if (status === 'SUCCEEDED') return { IsComplete: true, Data: { Status: status } satisfies Partial<DataOf<typeof WORKFLOW_RUN_FAMILY>> };
  if (ENDED.includes(status)) {
    throw new ActionableError(WHAT, subject, `the run ended ${status}${because}`,
      'Read the run in the CodeCatalyst console (CI/CD, Workflows), fix the cause, then redeploy (or change the trigger) to start a new run');
  }
  if (!RUNNING.includes(status)) console.log(`unknown status ${status}: waiting as for a running run`);
  if (waitExpired(event)) {
    throw new ActionableError(WHAT, subject, `it is still ${status} after ${event.ResourceProperties[TIMEOUT_PROPERTY]} seconds`,
      'The CodeCatalyst API cannot stop a run, so it goes on: follow it in the console. Raise the timeout if the workflow needs longer, then redeploy');
  }
  return { IsComplete: false };
}
