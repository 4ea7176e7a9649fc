import {
  AmplifyClient, BackendEnvironment, CreateBackendEnvironmentCommand, DeleteBackendEnvironmentCommand, GetBackendEnvironmentCommand,
} from '@aws-sdk/client-amplify';
import {
  ActionableError, errorName, isConflict, isNotFound, isRetryable, logEvent, messageOf, optionalString, requireString,
} from '../../../core/handlers/runtime';
import type { OnEventRequest, OnEventResponse } from '../../../core/handlers/types';

const KEYS = ['AppId', 'EnvironmentName', 'StackName', 'DeploymentArtifacts'];

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

/**
 * Manages an Amplify Gen 1 backend environment, which the API cannot update, so every property change is a
 * replacement with a new physical id:
 * - another app or name: the new environment is created and CloudFormation deletes the old one;
 * - the same app and name (only the stack name or deployment artifacts changed): the old environment is deleted
 *   and created again, since names are unique in an app; the delete CloudFormation then sends for the old physical id
 *   finds a newer creation time and leaves the new environment alone.
 * Delete succeeds when the environment is already gone.
 */
export async function onBackendEnvironmentEvent(client: AmplifyClient, event: OnEventRequest): Promise<OnEventResponse> {
  logEvent('amplify backend environment', event);
  const props = event.ResourceProperties;
  if (event.RequestType === 'Delete') {
    return deleteEnvironment(client, event.PhysicalResourceId ?? '');
  }
  const appId = requireString(props, 'AppId');
  const environmentName = requireString(props, 'EnvironmentName');
  const subject = subjectOf(appId, environmentName);
  const previous = parseId(event.PhysicalResourceId ?? '');
  if (event.RequestType === 'Update' && !KEYS.some(key => event.OldResourceProperties?.[key] !== props[key])) {
    console.log(`${subject} is unchanged: nothing to update`);
    const current = await read(client, appId, environmentName, subject);
    return respond(event.PhysicalResourceId!, current);
  }
  if (event.RequestType === 'Update' && previous?.appId === appId && previous.environmentName === environmentName) {
    console.log(`${subject} cannot be updated: deleting it to create it again with the new properties`);
    await remove(client, appId, environmentName);
  }
  let created: BackendEnvironment | undefined;
  try {
    console.log(`creating ${subject}`);
    ({ backendEnvironment: created } = await client.send(new CreateBackendEnvironmentCommand({
      appId,
      environmentName,
      stackName: optionalString(props, 'StackName'),
      deploymentArtifacts: optionalString(props, 'DeploymentArtifacts'),
    })));
  } catch (err) {
    throw new ActionableError('Creating the Amplify backend environment', subject, messageOf(err), nextStep(err, 'the deployment', 'CreateBackendEnvironment'));
  }
  // CreateBackendEnvironment returns the environment, so a throttled read cannot orphan the one just created.
  created = created?.backendEnvironmentArn ? created : await read(client, appId, environmentName, subject);
  const physicalId = `${appId}/${environmentName}/${created.createTime?.getTime() ?? Date.now()}`;
  console.log(`created ${subject}: ${created.backendEnvironmentArn}`);
  return respond(physicalId, created);
}

function respond(physicalId: string, environment: BackendEnvironment): OnEventResponse {
  return {
    PhysicalResourceId: physicalId,
    Data: { BackendEnvironmentArn: environment.backendEnvironmentArn, EnvironmentName: environment.environmentName },
  };
}

async function read(client: AmplifyClient, appId: string, environmentName: string, subject: string): Promise<BackendEnvironment> {
  try {
    const { backendEnvironment } = await client.send(new GetBackendEnvironmentCommand({ appId, environmentName }));
    if (!backendEnvironment?.backendEnvironmentArn) {
      throw new Error('GetBackendEnvironment returned no backendEnvironmentArn');
    }
    return backendEnvironment;
  } catch (err) {
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

async function deleteEnvironment(client: AmplifyClient, physicalId: string): Promise<OnEventResponse> {
  const id = parseId(physicalId);
  if (!id) {
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
