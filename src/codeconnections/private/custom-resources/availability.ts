import { CodeStarConnectionsClient, GetConnectionCommand, GetHostCommand } from '@aws-sdk/client-codestar-connections';
import { AVAILABILITY_FAMILY, AvailabilityKind, AvailabilityProperties } from './contract';
import type { DataOf } from '../../../core/family';
import {
  ActionableError, isNotFound, logEvent, messageOf, pollAgainAfter, pollDue, pollFailureAdvice, startWait, waitExpired,
} from '../../../core/runtime/handler';
import { TIMEOUT_PROPERTY } from '../../../core/runtime/properties';
import type { IsCompleteRequest, IsCompleteResponse, OnEventRequest, OnEventResponse } from '../../../core/runtime/types';

/**
 * Starts (or, on Delete, skips) the wait for a connection or host to become AVAILABLE.
 * The physical id is the watched ARN: watching another one replaces the resource.
 */
export async function onAvailabilityEvent(event: OnEventRequest): Promise<OnEventResponse> {
  logEvent('availability wait', event);
  // A Delete has nothing to undo and reads no property, so no property can block it.
  if (event.RequestType === 'Delete') {
    return { PhysicalResourceId: event.PhysicalResourceId };
  }
  const { ResourceArn: arn } = AVAILABILITY_FAMILY.parse(event.ResourceProperties);
  return { PhysicalResourceId: arn, Data: { ...startWait(), ResourceArn: arn } };
}

/** The console page where a person completes the set-up (the ARN names account, region and id). */
export function consoleUrl(arn: string, kind: AvailabilityKind): string {
  const [, , , region, account, resource] = arn.split(':');
  return `https://console.aws.amazon.com/codesuite/settings/${account}/${region}/${kind}s/${resource.split('/')[1]}?region=${region}`;
}

/** The Status attribute of a wait whose connection or host an Update found deleted outside the stack. */
const DELETED = 'DELETED';

/** The property with the watched ARN (a renamed property fails to compile here). */
const RESOURCE_ARN: keyof AvailabilityProperties = 'ResourceArn';

/** Whether the request is an Update of a wait that watched this ARN already (the same connection or host). */
function watchedBefore(event: IsCompleteRequest, arn: string): boolean {
  return event.RequestType === 'Update' && event.OldResourceProperties?.[RESOURCE_ARN] === arn;
}

/** Host states that can still end AVAILABLE (the API documents Status as a free string). */
const HOST_FAILED = ['VPC_CONFIG_FAILED_INITIALIZATION'];

async function readStatus(client: CodeStarConnectionsClient, kind: AvailabilityKind, arn: string): Promise<string> {
  if (kind === 'host') {
    const host = await client.send(new GetHostCommand({ HostArn: arn }));
    return host.Status ?? 'UNKNOWN';
  }
  const { Connection: connection } = await client.send(new GetConnectionCommand({ ConnectionArn: arn }));
  return connection?.ConnectionStatus ?? 'UNKNOWN';
}

/**
 * Polls until the connection or host is AVAILABLE. ERROR (or a failed host VPC set-up) fails at once;
 * PENDING and unknown states keep waiting until the resource's own timeout, then fail with the set-up URL. An Update
 * of a wait that watched the same ARN already, which finds it deleted outside the stack, ends with Status DELETED.
 */
export async function isAvailabilityComplete(client: CodeStarConnectionsClient, event: IsCompleteRequest): Promise<IsCompleteResponse> {
  if (event.RequestType === 'Delete') {
    return { IsComplete: true };
  }
  const { ResourceArn: arn, Kind: kind } = AVAILABILITY_FAMILY.parse(event.ResourceProperties);
  const url = consoleUrl(arn, kind);
  const subject = `${kind} ${arn}`;
  const what = `Waiting for the ${kind} to become AVAILABLE`;
  // The provider calls every few seconds; this resource reads at its own poll interval. The routing isComplete
  // (src/provider/is-complete.lambda.ts) already skips the calls in between; this check keeps the handler's own
  // contract (test/core/waits.test.ts calls it directly) and costs nothing when the call is due.
  if (!pollDue(event)) return { IsComplete: false };

  let status: string;
  try {
    status = await readStatus(client, kind, arn);
  } catch (err) {
    if (pollAgainAfter(err, event, subject)) return { IsComplete: false };
    if (isNotFound(err) && watchedBefore(event, arn)) {
      // Deleted outside the stack after an earlier wait ended: it can never become AVAILABLE, and failing here would
      // fail the rollback too (an Update of the same shape). The wait ends and says so.
      console.log(`${subject} no longer exists (deleted outside this stack): the wait ends with status ${DELETED}. `
        + `Make the ${kind} again (a new logical id replaces it) and complete its set-up at the new console page.`);
      return { IsComplete: true, Data: { ResourceArn: arn, Status: DELETED } satisfies DataOf<typeof AVAILABILITY_FAMILY> };
    }
    throw new ActionableError(what, subject, `reading its status failed: ${messageOf(err)}`, pollFailureAdvice(err, {
      service: 'CodeConnections',
      notFound: `It no longer exists: it was deleted outside this stack. Remove the wait or recreate the ${kind}.`,
      permissions: `codeconnections:${kind === 'host' ? 'GetHost' : 'GetConnection'} on the ${kind}`,
      suffix: `Set-up page: ${url}`,
    }));
  }
  console.log(`${subject} is ${status}`);
  if (status === 'AVAILABLE') {
    return { IsComplete: true, Data: { ResourceArn: arn, Status: status } satisfies DataOf<typeof AVAILABILITY_FAMILY> };
  }
  if (status === 'ERROR' || HOST_FAILED.includes(status)) {
    throw new ActionableError(what, subject, `its status is ${status}`,
      `Open ${url} to see what went wrong and update the ${kind}, then retry the deployment.`);
  }
  if (waitExpired(event)) {
    const seconds = event.ResourceProperties[TIMEOUT_PROPERTY];
    // A wait that is created with its connection or host: the rollback of this deployment deletes them.
    const next = event.RequestType === 'Create'
      ? `A person must complete the set-up at ${url}. The rollback deletes a ${kind} this deployment created, and the set-up `
        + 'with it, unless the deployment keeps what it created (`cdk deploy --no-rollback`): then complete the set-up and run the '
        + 'same `cdk deploy --no-rollback` again, which resumes the wait (or raise the wait\'s timeout).'
      : `A person must complete the set-up at ${url}; do that, then retry the deployment (or raise the wait's timeout).`;
    throw new ActionableError(what, subject, `it is still ${status} after ${seconds} seconds`, next);
  }
  return { IsComplete: false };
}
