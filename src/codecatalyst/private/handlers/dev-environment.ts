import { createHash } from 'crypto';
import {
  CreateDevEnvironmentCommand, DeleteDevEnvironmentCommand, GetDevEnvironmentCommand, GetDevEnvironmentResponse, StartDevEnvironmentCommand,
  StopDevEnvironmentCommand, _InstanceType, UpdateDevEnvironmentCommand, UpdateDevEnvironmentRequest,
} from '@aws-sdk/client-codecatalyst';
import { DEV_ENVIRONMENT_ATTRIBUTES, DevEnvironmentRequest, parseDevEnvironmentProperties } from './contract';
import { call, callFailed, CodeCatalystSession, isGone, openPollSession, openSession, withConflictRetry } from './session';
import { TIMEOUT_PROPERTY } from '../../../core/handlers/properties';
import {
  ActionableError, errorName, isAccessDenied, isRetryable, logEvent, messageOf, pollAgainAfter, pollFailureAdvice, startWait, waitExpired,
} from '../../../core/handlers/runtime';
import type { IsCompleteRequest, IsCompleteResponse, OnEventRequest, OnEventResponse } from '../../../core/handlers/types';
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
 * A dev environment of the token's user. Create makes it (idempotent with a client token); another space, project,
 * storage size, repository list or VPC connection is another environment (a replacement); the alias, IDE, instance
 * type and inactivity timeout change in place (UpdateDevEnvironment; a running environment restarts for the instance
 * type and the timeout). An Update of an environment deleted outside the stack creates a new one (a new id, so
 * CloudFormation deletes the old, which is gone). The desired state is applied with Start or Stop and waited for
 * (isComplete) on Create and whenever it changes. Delete deletes the environment and waits until it is gone; one
 * already gone is deleted.
 */
export async function onDevEnvironmentEvent(event: OnEventRequest): Promise<OnEventResponse> {
  logEvent('codecatalyst dev environment', event);
  if (event.RequestType === 'Delete') {
    if (!isEnvironmentId(event.PhysicalResourceId)) return { PhysicalResourceId: event.PhysicalResourceId };
    return deleteEnvironment(event, event.PhysicalResourceId);
  }
  const env = parseDevEnvironmentProperties(event.ResourceProperties);
  const session = await openSession(event.ResourceProperties, true);
  const old = event.RequestType === 'Update' && event.OldResourceProperties ? parseDevEnvironmentProperties(event.OldResourceProperties) : undefined;
  if (old && isEnvironmentId(event.PhysicalResourceId)) {
    const id = event.PhysicalResourceId;
    const got = await readEnvironment(session, env, id);
    if (got) {
      if (placement(old) === placement(env)) return updateEnvironment(session, env, old, id);
      // A rollback may send the old environment an Update from the replacement's properties: the environment the
      // physical id names already has the placement the template asks for, so it is updated, not replaced.
      const current = placedAs(got, env);
      if (current) return updateEnvironment(session, env, current, id);
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
    alias: env.alias || undefined,
    repositories: env.repositories.length > 0 ? env.repositories : undefined,
    vpcConnectionName: env.vpcConnectionName,
  })));
  if (!created.id) throw new Error('CreateDevEnvironment returned no id');
  console.log(`created ${subjectOf(env, created.id)}; waiting for it to be ${env.desiredState}`);
  return { PhysicalResourceId: created.id, Data: environmentData(created.id, 'PENDING', env.desiredState) };
}

function environmentData(id: string, status: string, awaited: string): Record<string, string> {
  return {
    ...startWait(),
    [DEV_ENVIRONMENT_ATTRIBUTES.id]: id,
    [DEV_ENVIRONMENT_ATTRIBUTES.status]: status,
    [DEV_ENVIRONMENT_ATTRIBUTES.awaited]: awaited,
  };
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
  session: CodeCatalystSession, env: DevEnvironmentRequest, old: DevEnvironmentRequest, id: string,
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
  return { PhysicalResourceId: id, Data: environmentData(id, 'UPDATED', awaited) };
}

async function deleteEnvironment(event: OnEventRequest, id: string): Promise<OnEventResponse> {
  const env = parseDevEnvironmentProperties(event.ResourceProperties);
  const session = await openSession(event.ResourceProperties, true);
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
  const awaited = String(event.Data?.[DEV_ENVIRONMENT_ATTRIBUTES.awaited] ?? '');
  if (awaited === '') return { IsComplete: true };
  const env = parseDevEnvironmentProperties(event.ResourceProperties);
  const id = event.PhysicalResourceId;
  const subject = subjectOf(env, id);
  const session = await openPollSession(event, subject);
  if (!session) return { IsComplete: false };
  let status: string;
  let reason: string | undefined;
  try {
    const got = await session.client.send(new GetDevEnvironmentCommand({ spaceName: env.spaceName, projectName: env.projectName, id }));
    status = got.status ?? 'UNKNOWN';
    reason = got.statusReason;
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
    return { IsComplete: true, Data: { [DEV_ENVIRONMENT_ATTRIBUTES.status]: status } };
  }
  if (awaited !== GONE) {
    if (status === 'FAILED') {
      throw new ActionableError(WHAT, subject, `it FAILED${because}`, 'Fix the cause (the instance type, the repositories, the IDE runtime or the '
        + 'space\'s limits), then redeploy; delete the environment in the console if it stays FAILED');
    }
    if (status === 'DELETING' || status === GONE) {
      throw new ActionableError(WHAT, subject, `it is ${status}: someone deleted it outside the stack`, 'Deploy again to create a new one');
    }
    if (!TRANSITIONS.includes(status)) await drive(session, env, id, status, awaited, subject);
  }
  if (waitExpired(event)) {
    const seconds = event.ResourceProperties[TIMEOUT_PROPERTY];
    throw new ActionableError(WHAT, subject, `it is still ${status}${because} after ${seconds} seconds (waiting for ${awaited})`,
      'Look at it in the CodeCatalyst console; raise the timeout if it needs longer, then retry the deployment');
  }
  return { IsComplete: false };
}

/** Starts or stops an environment that rests in the other state; a conflict (it is changing already) waits for the next poll. */
async function drive(
  session: CodeCatalystSession, env: DevEnvironmentRequest, id: string, status: string, awaited: string, subject: string,
): Promise<void> {
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
      return;
    }
    throw callFailed(err, { what: awaited === 'RUNNING' ? 'Starting the dev environment' : 'Stopping the dev environment', subject, session });
  }
}
