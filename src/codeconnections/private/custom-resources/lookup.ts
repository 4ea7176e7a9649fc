import { CodeStarConnectionsClient, Connection, ListConnectionsCommand, ProviderType } from '@aws-sdk/client-codestar-connections';
import { LOOKUP_FAMILY } from './contract';
import type { DataOf } from '../../../core/family';
import { ActionableError, isRetryable, logEvent, messageOf } from '../../../core/runtime/handler';
import { isRollingBack } from '../../../core/runtime/stack-status';
import type { OnEventRequest, OnEventResponse } from '../../../core/runtime/types';

/** Lists every connection that matches the filters (ListConnections is paginated). */
async function listConnections(client: CodeStarConnectionsClient, providerType?: string, hostArn?: string): Promise<Connection[]> {
  const found: Connection[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(new ListConnectionsCommand({
      ProviderTypeFilter: providerType as ProviderType | undefined,
      HostArnFilter: hostArn,
      MaxResults: 100,
      NextToken: nextToken,
    }));
    found.push(...(page.Connections ?? []));
    nextToken = page.NextToken;
  } while (nextToken);
  return found;
}

/**
 * Finds the connection named in the properties. Create and Update look it up (the physical id is its ARN,
 * so finding another connection replaces the resource); Delete has nothing to undo. A connection deleted outside
 * the stack fails a deployment, but not its rollback: that keeps the ARN it had, with status `DELETED`.
 */
export async function onLookupEvent(client: CodeStarConnectionsClient, event: OnEventRequest): Promise<OnEventResponse> {
  logEvent('connection lookup', event);
  if (event.RequestType === 'Delete') {
    return { PhysicalResourceId: event.PhysicalResourceId };
  }
  const { ConnectionName: name, ProviderTypeFilter: providerType, HostArnFilter: hostArn } = LOOKUP_FAMILY.parse(event.ResourceProperties);
  const subject = `connection name '${name}'${providerType ? ` (provider ${providerType})` : ''}${hostArn ? ` (host ${hostArn})` : ''}`;

  let connections: Connection[];
  try {
    connections = await listConnections(client, providerType, hostArn);
  } catch (err) {
    throw new ActionableError('Looking up a CodeConnections connection', subject, `ListConnections failed: ${messageOf(err)}`,
      isRetryable(err)
        ? 'The service is throttling or briefly unavailable; retry the deployment in a few minutes.'
        : 'Check that the deployment role may call codestar-connections:ListConnections.');
  }
  const matches = connections.filter(c => c.ConnectionName === name);
  const held = event.RequestType === 'Update' ? event.PhysicalResourceId : undefined;
  if (matches.length === 0 && held?.includes(':connection') && await isRollingBack(event)) {
    console.log(`the stack is rolling back and ${subject} finds none: keeping ${held}, which was deleted outside the stack`);
    const data: DataOf<typeof LOOKUP_FAMILY> = {
      ConnectionArn: held,
      ConnectionStatus: 'DELETED',
      ProviderType: providerType ?? '',
      OwnerAccountId: held.split(':')[4] ?? '',
    };
    return { PhysicalResourceId: held, Data: data };
  }
  if (matches.length === 0) {
    const names = connections.map(c => c.ConnectionName).filter(Boolean).slice(0, 10);
    throw new ActionableError('Looking up a CodeConnections connection', subject,
      `no connection has that name (${connections.length} listed${names.length ? `: ${names.join(', ')}` : ''})`,
      'Fix the name, create the connection first, or import it with Connection.fromConnectionArn().');
  }
  if (matches.length > 1) {
    throw new ActionableError('Looking up a CodeConnections connection', subject,
      `${matches.length} connections have that name: ${matches.map(c => c.ConnectionArn).join(', ')}`,
      'Narrow the lookup with providerType or host, or import the one you mean with Connection.fromConnectionArn().');
  }
  const connection = matches[0];
  const data: DataOf<typeof LOOKUP_FAMILY> = {
    ConnectionArn: connection.ConnectionArn ?? '',
    ConnectionStatus: connection.ConnectionStatus ?? 'UNKNOWN',
    ProviderType: connection.ProviderType ?? '',
    OwnerAccountId: connection.OwnerAccountId ?? '',
  };
  return { PhysicalResourceId: connection.ConnectionArn, Data: data };
}
