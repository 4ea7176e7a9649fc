import { createHash } from 'crypto';
import {
  CreateDevEnvironmentCommand, DeleteDevEnvironmentCommand, GetDevEnvironmentCommand, GetDevEnvironmentResponse, ListDevEnvironmentsCommand,
  StartDevEnvironmentCommand, StopDevEnvironmentCommand, _InstanceType, UpdateDevEnvironmentCommand, UpdateDevEnvironmentRequest,
} from '@aws-sdk/client-codecatalyst';
import { DEV_ENVIRONMENT_FAMILY, DevEnvironmentRequest, DRIVEN_KEY } from './contract';
import { call, callFailed, CodeCatalystSession, isGone, openPollSession, openSession, withConflictRetry } from './session';
import type { DataOf } from '../../../core/family';
import {
  ActionableError, errorName, FAILED_CREATE_ID, isAccessDenied, isRetryable, logEvent, messageOf, pollAgainAfter, pollFailureAdvice, startWait,
  waitExpired,
} from '../../../core/runtime/handler';
import { TIMEOUT_PROPERTY } from '../../../core/runtime/properties';
import type { IsCompleteRequest, IsCompleteResponse, OnEventRequest, OnEventResponse } from '../../../core/runtime/types';
import { UUID_PATTERN } from '../patterns';

/** The status a Delete waits for: the environment gone. */
const GONE = 'DELETED';

/** A dev environment id. */
const ENVIRONMENT_ID = new RegExp(UUID_PATTERN);

/** Statuses on the way to RUNNING or STOPPED. */
const TRANSITIONS = ['PENDING', 'STARTING', 'STOPPING'];

function isEnvironmentId(physicalId: string | undefined): physicalId is string {
  return physicalId !== undefined && ENVIRONMENT_ID.test(physicalId);
}

function subjectOf(env: { spaceName: string; projectName: string }, id?: string): string {
  return `dev environment ${id ?? '(new)'} of project '${env.projectName}' in space '${env.spaceName}'`;
}

/** What only a new environment can change: its place, storage, repositories and network. */
function placement(env: DevEnvironmentRequest): string {
  return JSON.stringify([env.spaceName, env.projectName, env.storageGiB, env.repositories, env.vpcConnectionName ?? '']);
}

function ides(env: DevEnvironmentRequest) {
  return [{ name: env.ideName, runtime: env.ideRuntime }];
}

/**
 * The idempotency token of a create: one per CloudFormation request (a retried request sends the same RequestId),
 * so a retried Create returns the environment the first attempt created.
 */
function clientToken(event: OnEventRequest): string {
  return createHash('sha256').update(JSON.stringify([event.StackId, event.LogicalResourceId, event.RequestId])).digest('hex').slice(0, 48);
}

/**
 * The alias an environment this resource creates has until its wait ends (then it gets the template's): the mark by
 * which a request that CloudFormation sends after it stopped waiting finds what the create started. It is made of
 * the stack's id (its ARN, unique to the stack) and the resource's logical id, so no other resource's, nor anything
 * a person made, has it. (The API records no client token, tag or creation time of an environment.)
 */
function creatingAlias(event: { StackId: string; LogicalResourceId: string }): string {
  return `cdk-devtools-creating-${createHash('sha256').update(JSON.stringify([event.StackId, event.LogicalResourceId])).digest('hex').slice(0, 24)}`;
}

/**
 * A dev environment of the token's user. Create makes it (idempotent with a client token); another space, project,
 * storage size, repository list or VPC connection is another environment (a replacement); the alias, IDE, instance
 * type and inactivity timeout change in place (UpdateDevEnvironment; a running environment restarts for the instance
 * type and the timeout). An Update of an environment deleted outside the stack creates a new one (a new id, so
 * CloudFormation deletes the old, which is gone). The desired state is applied with Start or Stop and waited for
 * (isComplete) on Create and whenever it changes. Delete deletes the environment and waits until it is gone; one
 * already gone is deleted.
 *
 * A create's environment has the resource's creating alias until its wait ends. When CloudFormation stops waiting
 * (another resource failed), the Delete it sends then has an id it made up, and a cancelled Update's rollback is an
 * Update of the old id: both delete the environments with that alias (`deleteAbandoned`), which nothing else has.
 */
export async function onDevEnvironmentEvent(event: OnEventRequest): Promise<OnEventResponse> {
  logEvent('codecatalyst dev environment', event);
  if (event.RequestType === 'Delete') {
    if (isEnvironmentId(event.PhysicalResourceId)) return deleteEnvironment(event, event.PhysicalResourceId);
    if (event.PhysicalResourceId === FAILED_CREATE_ID) return { PhysicalResourceId: event.PhysicalResourceId };
    const env = DEV_ENVIRONMENT_FAMILY.parse(event.ResourceProperties);
    const [deleting] = await deleteAbandoned(event, await openSession(event.ResourceProperties, env.token, true), env);
    // It waits for what it deletes (one: a resource has one create at a time).
    const Data = deleting ? environmentData(deleting, 'DELETING', GONE) : environmentData('', GONE, '');
    return { PhysicalResourceId: event.PhysicalResourceId, Data };
  }
  const env = DEV_ENVIRONMENT_FAMILY.parse(event.ResourceProperties);
  const session = await openSession(event.ResourceProperties, env.token, true);
  const old = event.RequestType === 'Update' && event.OldResourceProperties ? DEV_ENVIRONMENT_FAMILY.parse(event.OldResourceProperties) : undefined;
  if (old) {
    // What a cancelled Update (the one this may roll back) created is in the project of its properties, the old ones.
    const sameToken = old.token.secretArn === env.token.secretArn && old.token.jsonField === env.token.jsonField;
    const oldSession = sameToken ? session : await openSession(event.OldResourceProperties!, old.token, true);
    await deleteAbandoned(event, oldSession, old, event.PhysicalResourceId);
  }
  if (old && isEnvironmentId(event.PhysicalResourceId)) {
    const id = event.PhysicalResourceId;
    const got = await readEnvironment(session, env, id);
    if (got) {
      if (placement(old) === placement(env)) return updateEnvironment(session, env, old, id, got.status);
      // A rollback may send the old environment an Update from the replacement's properties: the environment the
      // physical id names already has the placement the template asks for, so it is updated, not replaced.
      const current = placedAs(got, env);
      if (current) return updateEnvironment(session, env, current, id, got.status);
    } else if (placement(old) === placement(env)) {
      console.log(`${subjectOf(env, id)} was deleted outside the stack: creating a new one (CloudFormation then deletes the old id, which is gone)`);
    }
  }
  const created = await call({
    what: 'Creating the dev environment',
    subject: subjectOf(env),
    session,
    notFound: 'The project, a repository or the VPC connection does not exist, or the token\'s user cannot see it; check them',
  }, () => session.client.send(new CreateDevEnvironmentCommand({
    spaceName: env.spaceName,
    projectName: env.projectName,
    clientToken: clientToken(event),
    instanceType: env.instanceType as _InstanceType,
    persistentStorage: { sizeInGiB: env.storageGiB },
    ides: ides(env),
    inactivityTimeoutMinutes: env.inactivityTimeoutMinutes,
    alias: creatingAlias(event),
    repositories: env.repositories.length > 0 ? env.repositories : undefined,
    vpcConnectionName: env.vpcConnectionName,
  })));
  if (!created.id) throw new Error('CreateDevEnvironment returned no id');
  console.log(`created ${subjectOf(env, created.id)}; waiting for it to be ${env.desiredState}`);
  return { PhysicalResourceId: created.id, Data: environmentData(created.id, 'PENDING', env.desiredState) };
}

/**
 * Deletes the environments of the request's project that have this resource's creating alias, but `keep`: what a
 * Create or Update started that CloudFormation stopped waiting for. Returns their ids.
 */
async function deleteAbandoned(event: OnEventRequest, session: CodeCatalystSession, env: DevEnvironmentRequest, keep?: string): Promise<string[]> {
  const alias = creatingAlias(event);
  const subject = `dev environments of project '${env.projectName}' in space '${env.spaceName}'`;
  const abandoned: string[] = [];
  let nextToken: string | undefined;
  do {
    let page;
    try {
      page = await withConflictRetry(() => session.client.send(new ListDevEnvironmentsCommand({
        spaceName: env.spaceName, projectName: env.projectName, maxResults: 50, nextToken,
      })));
    } catch (err) {
      // No project (deleted with everything in it): nothing of it runs.
      if (isGone(err)) return [];
      throw callFailed(err, { what: 'Looking for the dev environment a cancelled request created', subject, session });
    }
    abandoned.push(...(page.items ?? []).filter(e => e.alias === alias && e.id !== keep && e.status !== 'DELETING' && e.status !== GONE).map(e => e.id!));
    nextToken = page.nextToken;
  } while (nextToken);
  for (const id of abandoned) {
    console.log(`CloudFormation stopped waiting for its Create or Update of this resource: deleting ${subjectOf(env, id)}, which that request started`);
    try {
      await withConflictRetry(() => session.client.send(new DeleteDevEnvironmentCommand({
        spaceName: env.spaceName, projectName: env.projectName, id,
      })));
    } catch (err) {
      if (!isGone(err)) throw callFailed(err, { what: 'Deleting the dev environment a cancelled request created', subject: subjectOf(env, id), session });
    }
  }
  return abandoned;
}

function environmentData(id: string, status: string, awaited: string): Record<string, string> {
  const data: DataOf<typeof DEV_ENVIRONMENT_FAMILY> = { Id: id, Status: status, AwaitedState: awaited };
  return { ...startWait(), ...data };
}

/**
 * The environment a physical id names, in the template's project; undefined when it is not there: gone, being
 * deleted (by its owner, outside the stack), or in another project (the template's placement changed).
 */
async function readEnvironment(session: CodeCatalystSession, env: DevEnvironmentRequest, id: string): Promise<GetDevEnvironmentResponse | undefined> {
  let got: GetDevEnvironmentResponse;
  try {
    got = await withConflictRetry(() => session.client.send(new GetDevEnvironmentCommand({
      spaceName: env.spaceName, projectName: env.projectName, id,
    })));
  } catch (err) {
    if (isGone(err)) return undefined;
    throw callFailed(err, { what: 'Reading the dev environment', subject: subjectOf(env, id), session });
  }
  return got.status === 'DELETING' || got.status === GONE ? undefined : got;
}

/**
 * An environment as a request (its own settings, the template's desired state) when it has the template's placement
 * (space, project, storage, repositories, VPC connection); undefined when it has another one.
 */
function placedAs(got: GetDevEnvironmentResponse, env: DevEnvironmentRequest): DevEnvironmentRequest | undefined {
  const repositories = (got.repositories ?? []).map(r => ({ repositoryName: r.repositoryName ?? '', branchName: r.branchName }));
  const sameRepositories = repositories.length === env.repositories.length && env.repositories.every((r, i) =>
    repositories[i].repositoryName === r.repositoryName && (r.branchName === undefined || repositories[i].branchName === r.branchName));
  if (got.persistentStorage?.sizeInGiB !== env.storageGiB || !sameRepositories || (got.vpcConnectionName ?? '') !== (env.vpcConnectionName ?? '')) return undefined;
  const ide = got.ides?.[0];
  return {
    ...env,
    instanceType: got.instanceType ?? env.instanceType,
    ideName: ide?.name ?? env.ideName,
    ideRuntime: ide ? ide.runtime : env.ideRuntime,
    inactivityTimeoutMinutes: got.inactivityTimeoutMinutes ?? env.inactivityTimeoutMinutes,
    alias: got.alias ?? '',
    // Unknown: the desired state is driven and waited for again.
    desiredState: env.desiredState === 'RUNNING' ? 'STOPPED' : 'RUNNING',
  };
}

async function updateEnvironment(
  session: CodeCatalystSession, env: DevEnvironmentRequest, old: DevEnvironmentRequest, id: string, status: string | undefined,
): Promise<OnEventResponse> {
  const changes: Partial<UpdateDevEnvironmentRequest> = {
    ...(env.alias !== old.alias ? { alias: env.alias } : {}),
    ...(env.ideName !== old.ideName || env.ideRuntime !== old.ideRuntime ? { ides: ides(env) } : {}),
    ...(env.instanceType !== old.instanceType ? { instanceType: env.instanceType as _InstanceType } : {}),
    ...(env.inactivityTimeoutMinutes !== old.inactivityTimeoutMinutes ? { inactivityTimeoutMinutes: env.inactivityTimeoutMinutes } : {}),
  };
  if (Object.keys(changes).length > 0) {
    await call({
      what: 'Updating the dev environment',
      subject: subjectOf(env, id),
      session,
      notFound: 'The environment was deleted outside the stack while the deployment ran; deploy again to create a new one',
    }, () => session.client.send(new UpdateDevEnvironmentCommand({ spaceName: env.spaceName, projectName: env.projectName, id, ...changes })));
    console.log(`updated ${subjectOf(env, id)}: ${Object.keys(changes).join(', ')}`);
  }
  const awaited = env.desiredState !== old.desiredState ? env.desiredState : '';
  // A new desired state is applied here when the environment rests in the other one; in a transition, the waiter
  // applies it once the environment rests.
  const driven = awaited !== '' && status !== undefined && status !== awaited && !TRANSITIONS.includes(status)
    && await drive(session, env, id, status, awaited, subjectOf(env, id));
  return {
    PhysicalResourceId: id,
    Data: { ...environmentData(id, 'UPDATED', awaited), ...(driven ? { [DRIVEN_KEY]: 'true' } : {}) },
  };
}

async function deleteEnvironment(event: OnEventRequest, id: string): Promise<OnEventResponse> {
  const env = DEV_ENVIRONMENT_FAMILY.parse(event.ResourceProperties);
  const session = await openSession(event.ResourceProperties, env.token, true);
  try {
    await withConflictRetry(() => session.client.send(new DeleteDevEnvironmentCommand({
      spaceName: env.spaceName, projectName: env.projectName, id,
    })));
  } catch (err) {
    if (isGone(err)) {
      console.log(`${subjectOf(env, id)} is already gone`);
      return { PhysicalResourceId: id, Data: environmentData(id, GONE, '') };
    }
    throw callFailed(err, { what: 'Deleting the dev environment', subject: subjectOf(env, id), session });
  }
  console.log(`deleting ${subjectOf(env, id)}`);
  return { PhysicalResourceId: id, Data: environmentData(id, 'DELETING', GONE) };
}

const WHAT = 'Waiting for the dev environment';

/**
 * Brings the environment to the awaited state: RUNNING or STOPPED (starting or stopping it when it rests in the
 * other), or gone after a Delete. FAILED fails with the status reason; an environment deleted outside the stack
 * fails a Create or Update; the resource's timeout fails with the status it is stuck in. Throttling polls again.
 */
export async function isDevEnvironmentComplete(event: IsCompleteRequest): Promise<IsCompleteResponse> {
  const data = event.Data as Partial<DataOf<typeof DEV_ENVIRONMENT_FAMILY>> | undefined;
  const awaited = String(data?.AwaitedState ?? '');
  if (awaited === '') return { IsComplete: true };
  const env = DEV_ENVIRONMENT_FAMILY.parse(event.ResourceProperties);
  // The Delete of an id CloudFormation made up waits for the environment it found.
  const id = String(data?.Id || event.PhysicalResourceId);
  const subject = subjectOf(env, id);
  const session = await openPollSession(event, env.token, subject);
  if (!session) return { IsComplete: false };
  let status: string;
  let reason: string | undefined;
  let alias: string | undefined;
  try {
    const got = await session.client.send(new GetDevEnvironmentCommand({ spaceName: env.spaceName, projectName: env.projectName, id }));
    status = got.status ?? 'UNKNOWN';
    reason = got.statusReason;
    alias = got.alias;
  } catch (err) {
    if (awaited === GONE && isGone(err)) return { IsComplete: true };
    if (pollAgainAfter(err, event, subject)) return { IsComplete: false };
    // Refused by CodeCatalyst (no IAM here): the token's user lacks a role, or the token expired since the wait began.
    if (isAccessDenied(err)) throw callFailed(err, { what: WHAT, subject, session });
    throw new ActionableError(WHAT, subject, `reading its status failed: ${messageOf(err)}`, pollFailureAdvice(err, {
      service: 'CodeCatalyst',
      notFound: 'The environment was deleted outside the stack; deploy again to create a new one',
      permissions: 'a role of the token\'s user in the project',
    }));
  }
  console.log(`${subject} is ${status}${reason ? ` (${reason})` : ''}, waiting for ${awaited}`);
  const because = reason ? `: ${reason}` : '';
  if (status === awaited) {
    // A created environment gets the template's alias once it is as asked: CloudFormation waits no longer.
    if (awaited !== GONE && alias === creatingAlias(event) && !await giveAlias(session, env, id, event)) return { IsComplete: false };
    return { IsComplete: true, Data: { Status: status } satisfies Partial<DataOf<typeof DEV_ENVIRONMENT_FAMILY>> };
  }
  if (awaited !== GONE) {
    if (status === 'FAILED') {
      throw new ActionableError(WHAT, subject, `it FAILED${because}`, 'Fix the cause (the instance type, the repositories, the IDE runtime or the '
        + 'space\'s limits), then redeploy; delete the environment in the console if it stays FAILED');
    }
    if (status === 'DELETING' || status === GONE) {
      throw new ActionableError(WHAT, subject, `it is ${status}: someone deleted it outside the stack`, 'Deploy again to create a new one');
    }
    // Only a waiter whose request has not applied the state itself does (see DRIVEN_KEY).
    if (!TRANSITIONS.includes(status) && event.Data?.[DRIVEN_KEY] !== 'true') await drive(session, env, id, status, awaited, subject);
  }
  if (waitExpired(event)) {
    const seconds = event.ResourceProperties[TIMEOUT_PROPERTY];
    throw new ActionableError(WHAT, subject, `it is still ${status}${because} after ${seconds} seconds (waiting for ${awaited})`,
      'Look at it in the CodeCatalyst console; raise the timeout if it needs longer, then retry the deployment');
  }
  return { IsComplete: false };
}

/** Gives a created environment the template's alias (none: cleared); false when throttled before the deadline (poll again). */
async function giveAlias(session: CodeCatalystSession, env: DevEnvironmentRequest, id: string, event: IsCompleteRequest): Promise<boolean> {
  try {
    await session.client.send(new UpdateDevEnvironmentCommand({ spaceName: env.spaceName, projectName: env.projectName, id, alias: env.alias }));
  } catch (err) {
    if (pollAgainAfter(err, event, subjectOf(env, id))) return false;
    throw callFailed(err, { what: 'Giving the dev environment its alias', subject: subjectOf(env, id), session });
  }
  console.log(`${subjectOf(env, id)} is ready: its alias is now the template's ('${env.alias}')`);
  return true;
}

/**
 * Starts or stops an environment that rests in the other state; a conflict (it is changing already) waits for the next
 * poll. Whether it sent the start or stop.
 */
async function drive(
  session: CodeCatalystSession, env: DevEnvironmentRequest, id: string, status: string, awaited: string, subject: string,
): Promise<boolean> {
  const key = { spaceName: env.spaceName, projectName: env.projectName, id };
  try {
    if (awaited === 'RUNNING') {
      await session.client.send(new StartDevEnvironmentCommand(key));
      console.log(`${subject} was ${status}: started it`);
    } else {
      await session.client.send(new StopDevEnvironmentCommand(key));
      console.log(`${subject} was ${status}: stopped it`);
    }
  } catch (err) {
    if (errorName(err) === 'ConflictException' || isRetryable(err)) {
      console.log(`${subject}: ${messageOf(err)}; trying again at the next poll`);
      return false;
    }
    throw callFailed(err, { what: awaited === 'RUNNING' ? 'Starting the dev environment' : 'Stopping the dev environment', subject, session });
  }
  return true;
}
