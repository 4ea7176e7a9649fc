import { GetSpaceCommand, GetSpaceCommandOutput } from '@aws-sdk/client-codecatalyst';
import { SPACE_FAMILY } from './contract';
import { callFailed, isGone, openSession, withConflictRetry } from './session';
import type { DataOf } from '../../../core/family';
import { logEvent } from '../../../core/runtime/handler';
import { isRollingBack } from '../../../core/runtime/stack-status';
import type { OnEventRequest, OnEventResponse } from '../../../core/runtime/types';

/**
 * Checks, when the stack deploys, that the token works and its user sees the space (VerifySession, GetSpace). The
 * library never creates or deletes a space (a deleted space's name can never be used again), so Delete does nothing
 * and needs no token. A space gone since fails a deployment, but not its rollback: that keeps the check's id.
 */
export async function onSpaceEvent(event: OnEventRequest): Promise<OnEventResponse> {
  logEvent('codecatalyst space', event);
  if (event.RequestType === 'Delete') return { PhysicalResourceId: event.PhysicalResourceId };
  const { spaceName, token } = SPACE_FAMILY.parse(event.ResourceProperties);
  const session = await openSession(event.ResourceProperties, token, true);
  const context = {
    what: 'Looking up the CodeCatalyst space',
    subject: `space '${spaceName}'`,
    session,
    notFound: `No space '${spaceName}' is visible to the token's user: check the name (it is in the space's URL, codecatalyst.aws/spaces/<name>) `
      + 'and that the user is a member of the space; this library never creates spaces',
  };
  let space: GetSpaceCommandOutput;
  try {
    space = await withConflictRetry(() => session.client.send(new GetSpaceCommand({ name: spaceName })));
  } catch (err) {
    if (event.RequestType === 'Update' && event.PhysicalResourceId === spaceName && isGone(err) && await isRollingBack(event)) {
      console.log(`the stack is rolling back and space '${spaceName}' is gone: keeping the check as it was (nothing to give back)`);
      return { PhysicalResourceId: spaceName, Data: { Name: spaceName, RegionName: '' } satisfies DataOf<typeof SPACE_FAMILY> };
    }
    throw callFailed(err, context);
  }
  return {
    PhysicalResourceId: spaceName,
    Data: { Name: space.name ?? spaceName, RegionName: space.regionName ?? '' } satisfies DataOf<typeof SPACE_FAMILY>,
  };
}
