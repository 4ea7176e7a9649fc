import {
  AmplifyClient, CreateBackendEnvironmentCommand, DeleteBackendEnvironmentCommand, GetBackendEnvironmentCommand,
} from '@aws-sdk/client-amplify';
import {
  ActionableError, errorName, isNotFound, isRetryable, logEvent, messageOf, optionalString, requireString,
} from '../../../core/handlers/runtime';
import type { OnEventRequest, OnEventResponse } from '../../../core/handlers/types';

const KEYS = ['AppId', 'EnvironmentName', 'StackName', 'DeploymentArtifacts'];

/** Whether any property differs between the old and the new properties. */
function changed(oldProps: Record<string, any> | undefined, props: Record<string, any>): boolean {
  return KEYS.some((key) => (oldProps?.[key] ?? undefined) !== (props[key] ?? undefined));
}

function nextStep(err: unknown, action: string, permission: string): string {
  if (isRetryable(err)) {
    return 'Amplify is throttling or the account reached its limit (LimitExceededException); retry the deployment later, or delete unused backend environments';
  }
  if (isNotFound(err)) {
    return 'The app does not exist or is not a Gen 1 app; check the app id (backend environments are for Gen 1 apps only)';
  }
  return `Check the handler's permissions (amplify:${permission} on the backend environment) and the values (${errorName(err)}), then retry ${action}`;
}

/**
 * Manages an Amplify Gen 1 backend environment, which the API cannot update: Create creates it
 * (CreateBackendEnvironment, then GetBackendEnvironment for its ARN); any property change creates a new one
 * and returns its new physical id `<appId>/<environmentName>`, so CloudFormation deletes the old one;
 * Delete deletes it and succeeds when it is already gone.
 */
export async function onBackendEnvironmentEvent(client: AmplifyClient, event: OnEventRequest): Promise<OnEventResponse> {
  logEvent('amplify backend environment', event);
  const props = event.ResourceProperties;
  if (event.RequestType === 'Delete') {
    return deleteEnvironment(client, event.PhysicalResourceId ?? '');
  }
  const appId = requireString(props, 'AppId');
  const environmentName = requireString(props, 'EnvironmentName');
  const physicalId = `${appId}/${environmentName}`;
  const subject = `backend environment ${environmentName} of Amplify app ${appId}`;
  if (event.RequestType === 'Update' && !changed(event.OldResourceProperties, props)) {
    console.log(`${subject} is unchanged: nothing to update`);
    const arn = await getArn(client, appId, environmentName, subject);
    return { PhysicalResourceId: event.PhysicalResourceId, Data: { BackendEnvironmentArn: arn, EnvironmentName: environmentName } };
  }
  if (event.RequestType === 'Update' && physicalId === event.PhysicalResourceId) {
    throw new ActionableError('Replacing the Amplify backend environment', subject, 'the stack name or deployment artifacts changed, '
      + 'and a backend environment cannot be updated', 'Change the environment name too, so a new environment is created and the old one deleted');
  }
  try {
    console.log(`creating ${subject}`);
    await client.send(new CreateBackendEnvironmentCommand({
      appId,
      environmentName,
      stackName: optionalString(props, 'StackName'),
      deploymentArtifacts: optionalString(props, 'DeploymentArtifacts'),
    }));
  } catch (err) {
    throw new ActionableError('Creating the Amplify backend environment', subject, messageOf(err), nextStep(err, 'the deployment', 'CreateBackendEnvironment'));
  }
  const arn = await getArn(client, appId, environmentName, subject);
  console.log(`created ${subject}: ${arn}`);
  return { PhysicalResourceId: physicalId, Data: { BackendEnvironmentArn: arn, EnvironmentName: environmentName } };
}

async function getArn(client: AmplifyClient, appId: string, environmentName: string, subject: string): Promise<string> {
  try {
    const { backendEnvironment } = await client.send(new GetBackendEnvironmentCommand({ appId, environmentName }));
    if (!backendEnvironment?.backendEnvironmentArn) {
      throw new Error('GetBackendEnvironment returned no backendEnvironmentArn');
    }
    return backendEnvironment.backendEnvironmentArn;
  } catch (err) {
    throw new ActionableError('Reading the Amplify backend environment', subject, messageOf(err), nextStep(err, 'the deployment', 'GetBackendEnvironment'));
  }
}

async function deleteEnvironment(client: AmplifyClient, physicalId: string): Promise<OnEventResponse> {
  const slash = physicalId.indexOf('/');
  if (slash <= 0 || slash === physicalId.length - 1) {
    // A failed create leaves a physical id that names no environment: nothing to delete.
    console.log(`physical id ${physicalId} names no backend environment: nothing to delete`);
    return { PhysicalResourceId: physicalId };
  }
  const appId = physicalId.slice(0, slash);
  const environmentName = physicalId.slice(slash + 1);
  const subject = `backend environment ${environmentName} of Amplify app ${appId}`;
  try {
    await client.send(new DeleteBackendEnvironmentCommand({ appId, environmentName }));
    console.log(`deleted ${subject}`);
  } catch (err) {
    if (isNotFound(err)) {
      console.log(`${subject} is already gone`);
      return { PhysicalResourceId: physicalId };
    }
    throw new ActionableError('Deleting the Amplify backend environment', subject, messageOf(err), nextStep(err, 'the deletion', 'DeleteBackendEnvironment'));
  }
  return { PhysicalResourceId: physicalId };
}
