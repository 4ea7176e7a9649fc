import {
  AmplifyClient, BackendEnvironment, CreateBackendEnvironmentCommand, DeleteBackendEnvironmentCommand, GetBackendEnvironmentCommand,
} from '@aws-sdk/client-amplify';
import { BACKEND_ENVIRONMENT_FAMILY, BackendEnvironmentRequest } from './contract';
import type { DataOf } from '../../../core/family';
import {
  ActionableError, errorName, FAILED_CREATE_ID, isConflict, isNotFound, isRetryable, logEvent, messageOf,
} from '../../../core/runtime/handler';
import type { OnEventRequest, OnEventResponse } from '../../../core/runtime/types';

/**
 * The environment a physical id names: `<appId>/<environmentName>/<createTime in ms>`. The creation time tells
 * this environment apart from a later one of the same name (an in-place replacement).
 */
interface EnvironmentId {
  readonly appId: string;
  readonly environmentName: string;
  readonly createdAt: string;
}

function parseId(physicalId: string): EnvironmentId | undefined {
  const parts = physicalId.split('/');
  if (parts.length < 3 || !/^\d+$/.test(parts[parts.length - 1]) || parts[0] === '') return undefined;
  return { appId: parts[0], environmentName: parts.slice(1, -1).join('/'), createdAt: parts[parts.length - 1] };
}

function subjectOf(appId: string, environmentName: string): string {
  return `backend environment ${environmentName} of Amplify app ${appId}`;
}

function nextStep(err: unknown, action: string, permission: string): string {
  if (isRetryable(err)) {
    return 'Amplify is throttling or the account reached its limit (LimitExceededException); retry the deployment later, or delete unused backend environments';
  }
  if (isNotFound(err)) {
    return 'The app does not exist or is not a Gen 1 app; check the app id (backend environments are for Gen 1 apps only)';
  }
  if (isConflict(err)) {
    return 'A backend environment of that name already exists in the app (created outside this stack, or by another stack); '
      + `choose another environment name, or delete the existing one (amplify env remove), then retry ${action}`;
  }
  return `Check the handler's permissions (amplify:${permission} on the app) and the values (${errorName(err)}), then retry ${action}`;
}

/** The members Amplify cannot change on an existing environment. */
const FIXED = ['stackName', 'deploymentArtifacts'] as const;

/**
 * What the properties would change on the environment: a value set and different, or a value the old properties set,
 * the environment still has and the new ones drop. Comparing with the environment (not only with the old properties)
 * makes the rollback Update back to the old properties a no-op.
 */
function changesOf(environment: BackendEnvironment, wanted: BackendEnvironmentRequest, old: BackendEnvironmentRequest | undefined): string[] {
  return FIXED.flatMap(member => {
    const value = wanted[member];
    const has = environment[member];
    const dropped = value === undefined && has !== undefined && has === old?.[member];
    return (value !== undefined && value !== has) || dropped ? [`${member} from '${has ?? ''}' to '${value ?? ''}'`] : [];
  });
}

/**
 * Manages an Amplify Gen 1 backend environment. The API cannot update an environment, and the physical id
 * (`<appId>/<environmentName>/<createTime in ms>`) stays the same while the app and name do:
 * - another app or name: the new environment is created under a new id, and CloudFormation deletes the old one
 *   (or keeps it, with RETAIN) in its clean-up;
 * - the same app and name with another stack name or deployment artifacts: the Update fails and changes nothing
 *   (the rollback Update back to the old properties then finds the environment as they say). The environment is
 *   never deleted and created again behind CloudFormation's back: a new name is the way to another stack;
 * - the same app and name otherwise (a rollback, or a return to the old id): the environment is kept. One that is
 *   gone is created again; one created again outside the stack is adopted under its own creation time.
 * Delete deletes the environment the id names (not a later one of the same name), and succeeds when it is gone.
 * What a cancelled request created is deleted: the Delete of an id CloudFormation invented (a cancelled Create), or the
 * rollback Update from another name or app (a cancelled replacement), deletes the environment the request's properties
 * name if it was created within the ServiceTimeout and as they say. A Create whose response was lost adopts the
 * environment created since it was sent.
 */
export async function onBackendEnvironmentEvent(client: AmplifyClient, event: OnEventRequest): Promise<OnEventResponse> {
  logEvent('amplify backend environment', event);
  const props = event.ResourceProperties;
  if (event.RequestType === 'Delete') {
    return deleteEnvironment(client, event.PhysicalResourceId ?? '', props);
  }
  const wanted = BACKEND_ENVIRONMENT_FAMILY.parse(props);
  const { appId, environmentName } = wanted;
  const subject = subjectOf(appId, environmentName);
  const previous = parseId(event.PhysicalResourceId ?? '');
  const old = event.RequestType === 'Update' && event.OldResourceProperties ? BACKEND_ENVIRONMENT_FAMILY.parse(event.OldResourceProperties) : undefined;
  if (event.RequestType === 'Update' && previous?.appId === appId && previous.environmentName === environmentName
    && old !== undefined && (old.appId !== appId || old.environmentName !== environmentName)) {
    // Back at this environment's id from another one: the rollback of a replacement CloudFormation cancelled (it never
    // got the new id, so no Delete will reach it). The environment the cancelled Update created is deleted if this role
    // may (a role covers one app); the rollback never fails for it.
    try {
      await removeRecent(client, old, event.ResourceProperties);
    } catch (err) {
      console.log(`${messageOf(err)}: ${subjectOf(old.appId, old.environmentName)} stays; delete it with `
        + `aws amplify delete-backend-environment --app-id ${old.appId} --environment-name ${old.environmentName}`);
    }
  }
  if (event.RequestType === 'Update' && previous?.appId === appId && previous.environmentName === environmentName) {
    const current = await read(client, appId, environmentName, subject, true);
    if (current) {
      const changes = changesOf(current, wanted, old);
      if (changes.length > 0) {
        throw new ActionableError('Updating the Amplify backend environment', subject,
          `Amplify cannot change the ${changes.join(' or the ')} of an existing environment (there is no update API), and this resource `
          + 'does not delete it to create it again', 'Nothing was changed. To use another backend stack or deployment artifacts, give the '
          + 'environment a new backendEnvironmentName: the deployment creates the new environment, then deletes this one (or keeps it with '
          + 'RemovalPolicy.RETAIN). Or set stackName and deploymentArtifacts back to the values above');
      }
      const createdAt = current.createTime?.getTime();
      const physicalId = createdAt === undefined || String(createdAt) === previous.createdAt ? event.PhysicalResourceId! : `${appId}/${environmentName}/${createdAt}`;
      console.log(`${subject} is as the properties say: nothing to update${physicalId === event.PhysicalResourceId ? '' : ' (created again outside the stack: adopted)'}`);
      return respond(physicalId, current);
    }
    console.log(`${subject} is gone: creating it again`);
  }
  let created: BackendEnvironment | undefined;
  const startedAt = Date.now();
  try {
    console.log(`creating ${subject}`);
    ({ backendEnvironment: created } = await client.send(new CreateBackendEnvironmentCommand({
      appId,
      environmentName,
      stackName: wanted.stackName,
      deploymentArtifacts: wanted.deploymentArtifacts,
    })));
  } catch (err) {
    // CreateBackendEnvironment takes no client token: when its response was lost, the SDK's retry meets the environment
    // the first attempt made. One created since this request was sent, as the properties say, is that one.
    const existing = isConflict(err) ? await read(client, appId, environmentName, subject, true).catch(readErr => {
      console.log(`reading the existing environment failed (${messageOf(readErr)}): not adopted`);
      return undefined;
    }) : undefined;
    if (existing && (existing.createTime?.getTime() ?? 0) >= startedAt - CLOCK_SKEW_MS && changesOf(existing, wanted, undefined).length === 0) {
      console.log(`${subject} was created by this request (its response was lost and the retry met it): adopted`);
      created = existing;
    } else {
      throw new ActionableError('Creating the Amplify backend environment', subject, messageOf(err), nextStep(err, 'the deployment', 'CreateBackendEnvironment'));
    }
  }
  // CreateBackendEnvironment returns the environment, so a throttled read cannot orphan the one just created.
  created = created?.backendEnvironmentArn ? created : (await read(client, appId, environmentName, subject))!;
  const physicalId = `${appId}/${environmentName}/${created.createTime?.getTime() ?? Date.now()}`;
  console.log(`created ${subject}: ${created.backendEnvironmentArn}`);
  return respond(physicalId, created);
}

function respond(physicalId: string, environment: BackendEnvironment): OnEventResponse {
  return {
    PhysicalResourceId: physicalId,
    Data: {
      BackendEnvironmentArn: environment.backendEnvironmentArn ?? '',
      EnvironmentName: environment.environmentName ?? '',
    } satisfies DataOf<typeof BACKEND_ENVIRONMENT_FAMILY>,
  };
}

/** Reads an environment; with `missingOk`, one that does not exist is undefined. */
async function read(
  client: AmplifyClient, appId: string, environmentName: string, subject: string, missingOk = false,
): Promise<BackendEnvironment | undefined> {
  try {
    const { backendEnvironment } = await client.send(new GetBackendEnvironmentCommand({ appId, environmentName }));
    if (!backendEnvironment?.backendEnvironmentArn) {
      throw new Error('GetBackendEnvironment returned no backendEnvironmentArn');
    }
    return backendEnvironment;
  } catch (err) {
    if (missingOk && isNotFound(err)) return undefined;
    throw new ActionableError('Reading the Amplify backend environment', subject, messageOf(err), nextStep(err, 'the deployment', 'GetBackendEnvironment'));
  }
}

/** Deletes an environment; an environment that is already gone is fine. */
async function remove(client: AmplifyClient, appId: string, environmentName: string): Promise<void> {
  const subject = subjectOf(appId, environmentName);
  try {
    await client.send(new DeleteBackendEnvironmentCommand({ appId, environmentName }));
    console.log(`deleted ${subject}`);
  } catch (err) {
    if (!isNotFound(err)) {
      throw new ActionableError('Deleting the Amplify backend environment', subject, messageOf(err), nextStep(err, 'the deletion', 'DeleteBackendEnvironment'));
    }
    console.log(`${subject} is already gone`);
  }
}

/** How far Amplify's clock may be behind the handler's, when telling an environment this request created. */
const CLOCK_SKEW_MS = 5_000;

/**
 * Deletes the environment `target` names if a request of this resource can have created it: created within the
 * resource's ServiceTimeout before now (CloudFormation cancels a request within it) and as the properties say.
 */
async function removeRecent(client: AmplifyClient, target: BackendEnvironmentRequest, props: Record<string, any>): Promise<void> {
  const subject = subjectOf(target.appId, target.environmentName);
  const current = await read(client, target.appId, target.environmentName, subject, true);
  if (!current) {
    console.log(`${subject} does not exist: the cancelled request created nothing`);
    return;
  }
  const window = (Number(props.ServiceTimeout) || 3600) * 1000 + CLOCK_SKEW_MS;
  const age = Date.now() - (current.createTime?.getTime() ?? 0);
  if (age > window || changesOf(current, target, undefined).length > 0) {
    console.log(`${subject} predates the cancelled request or is not as it asked: not this resource's to delete`);
    return;
  }
  await remove(client, target.appId, target.environmentName);
}

async function deleteEnvironment(client: AmplifyClient, physicalId: string, props: Record<string, any>): Promise<OnEventResponse> {
  const id = parseId(physicalId);
  if (!id) {
    if (physicalId !== FAILED_CREATE_ID && physicalId !== '' && !physicalId.includes('/')) {
      // An id this handler never returned (`<stack>-<logicalId>-<suffix>`, no '/'): CloudFormation cancelled the Create
      // and invented it. The environment the
      // properties name is the Create's if it created it within the time CloudFormation waited.
      console.log(`physical id ${physicalId} is not one this resource returned: CloudFormation cancelled the Create`);
      await removeRecent(client, BACKEND_ENVIRONMENT_FAMILY.parse(props), props);
      return { PhysicalResourceId: physicalId };
    }
    // A failed create leaves a physical id that names no environment: nothing to delete.
    console.log(`physical id ${physicalId} names no backend environment: nothing to delete`);
    return { PhysicalResourceId: physicalId };
  }
  const subject = subjectOf(id.appId, id.environmentName);
  let current: BackendEnvironment | undefined;
  try {
    ({ backendEnvironment: current } = await client.send(new GetBackendEnvironmentCommand({ appId: id.appId, environmentName: id.environmentName })));
  } catch (err) {
    if (isNotFound(err)) {
      console.log(`${subject} is already gone`);
      return { PhysicalResourceId: physicalId };
    }
    throw new ActionableError('Reading the Amplify backend environment', subject, messageOf(err), nextStep(err, 'the deletion', 'GetBackendEnvironment'));
  }
  const createdAt = current?.createTime?.getTime();
  if (createdAt !== undefined && String(createdAt) !== id.createdAt) {
    console.log(`${subject} was created again at ${current!.createTime!.toISOString()} (a replacement): it is not this resource's to delete`);
    return { PhysicalResourceId: physicalId };
  }
  await remove(client, id.appId, id.environmentName);
  return { PhysicalResourceId: physicalId };
}
