import { AmplifyClient, Branch, GetBranchCommand, UpdateBranchCommand, UpdateBranchCommandInput } from '@aws-sdk/client-amplify';
import {
  ActionableError, errorName, isNotFound, isRetryable, logEvent, messageOf, optionalString, parseBoolean, requireString,
} from '../../../core/handlers/runtime';
import type { OnEventRequest, OnEventResponse } from '../../../core/handlers/types';

/** The settings this resource manages; every other branch property stays CloudFormation's. */
type Managed = Pick<UpdateBranchCommandInput, 'displayName' | 'ttl' | 'enableNotification' | 'backendEnvironmentArn'>;

function managedOf(props: Record<string, any>): Managed {
  const enableNotification = optionalString(props, 'EnableNotification');
  return {
    displayName: optionalString(props, 'DisplayName'),
    ttl: optionalString(props, 'Ttl'),
    enableNotification: enableNotification === undefined ? undefined : parseBoolean(props, 'EnableNotification', false),
    backendEnvironmentArn: optionalString(props, 'BackendEnvironmentArn'),
  };
}

/** Only the managed members of a branch: GetBranch and UpdateBranch also return basic-auth credentials, never logged. */
function pickManaged(branch: Branch | undefined): Managed {
  return {
    displayName: branch?.displayName,
    ttl: branch?.ttl,
    enableNotification: branch?.enableNotification,
    backendEnvironmentArn: branch?.backendEnvironmentArn,
  };
}

/**
 * Applies the branch settings CloudFormation lacks through UpdateBranch, sending only those members, so the
 * properties CloudFormation manages (build spec, environment, basic auth...) are left as they are.
 * The physical id is `<appId>/<branchName>`: another branch replaces the resource. Delete leaves the
 * settings on the branch (they go with it when the branch is deleted).
 */
export async function onBranchSettingsEvent(client: AmplifyClient, event: OnEventRequest): Promise<OnEventResponse> {
  logEvent('amplify branch settings', event);
  const props = event.ResourceProperties;
  if (event.RequestType === 'Delete') {
    return { PhysicalResourceId: event.PhysicalResourceId };
  }
  const appId = requireString(props, 'AppId');
  const branchName = requireString(props, 'BranchName');
  const physicalId = `${appId}/${branchName}`;
  const subject = `branch ${branchName} of Amplify app ${appId}`;
  const wanted = managedOf(props);
  try {
    const { branch } = await client.send(new GetBranchCommand({ appId, branchName }));
    const current = pickManaged(branch);
    const changes = Object.fromEntries(Object.entries(wanted)
      .filter(([key, value]) => value !== undefined && value !== current[key as keyof Managed]));
    if (Object.keys(changes).length === 0) {
      console.log(`${subject} already has the settings: nothing to update`);
      return { PhysicalResourceId: physicalId };
    }
    console.log(`updating ${subject}: ${JSON.stringify({ from: pickManaged(branch), to: changes })}`);
    const { branch: updated } = await client.send(new UpdateBranchCommand({ appId, branchName, ...changes }));
    console.log(`updated ${subject}: ${JSON.stringify(pickManaged(updated))}`);
    return { PhysicalResourceId: physicalId };
  } catch (err) {
    throw new ActionableError('Applying Amplify branch settings', subject, messageOf(err), isNotFound(err)
      ? 'The branch does not exist; define it in the stack before its settings, or fix the app id and branch name'
      : isRetryable(err) ? 'Amplify is throttling (LimitExceededException); retry the deployment'
        : `Check the handler's permissions (amplify:GetBranch and amplify:UpdateBranch on the branch) and the values (${errorName(err)}), then retry`);
  }
}
