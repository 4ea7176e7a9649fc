import { GetSpaceCommand } from '@aws-sdk/client-codecatalyst';
import { parseSpaceProperties, SPACE_ATTRIBUTES } from './contract';
import { call, openSession } from './session';
import { logEvent } from '../../../core/handlers/runtime';
import type { OnEventRequest, OnEventResponse } from '../../../core/handlers/types';

/**
 * Checks, when the stack deploys, that the token works and its user sees the space (VerifySession, GetSpace). The
 * library never creates or deletes a space (a deleted space's name can never be used again), so Delete does nothing
 * and needs no token.
 */
export async function onSpaceEvent(event: OnEventRequest): Promise<OnEventResponse> {
  logEvent('codecatalyst space', event);
  if (event.RequestType === 'Delete') return { PhysicalResourceId: event.PhysicalResourceId };
  const { spaceName } = parseSpaceProperties(event.ResourceProperties);
  const session = await openSession(event.ResourceProperties, true);
  const space = await call({
    what: 'Looking up the CodeCatalyst space',
    subject: `space '${spaceName}'`,
    session,
    notFound: `No space '${spaceName}' is visible to the token's user: check the name (it is in the space's URL, codecatalyst.aws/spaces/<name>) `
      + 'and that the user is a member of the space; this library never creates spaces',
  }, () => session.client.send(new GetSpaceCommand({ name: spaceName })));
  return {
    PhysicalResourceId: spaceName,
    Data: { [SPACE_ATTRIBUTES.name]: space.name ?? spaceName, [SPACE_ATTRIBUTES.regionName]: space.regionName ?? '' },
  };
}
