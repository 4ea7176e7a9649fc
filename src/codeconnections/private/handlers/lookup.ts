import { CodeStarConnectionsClient, Connection, ListConnectionsCommand, ProviderType } from '@aws-sdk/client-codestar-connections';
import { ActionableError, isRetryable, logEvent, messageOf, optionalString, requireString } from '../../../core/handlers/runtime';
import type { OnEventRequest, OnEventResponse } from '../../../core/handlers/types';

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
 * so finding another connection replaces the resource); Delete has nothing to undo.
 */
export async function onLookupEvent(client: CodeStarConnectionsClient, event: OnEventRequest): Promise<OnEventResponse> {
  logEvent('connection lookup', event);
  if (event.RequestType === 'Delete') {
    return { PhysicalResourceId: event.PhysicalResourceId };
  }
  const props = event.ResourceProperties;
  const name = requireString(props, 'ConnectionName');
  const providerType = optionalString(props, 'ProviderTypeFilter');
  const hostArn = optionalString(props, 'HostArnFilter');
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
  return {
    PhysicalResourceId: connection.ConnectionArn,
    Data: {
      ConnectionArn: connection.ConnectionArn,
      ConnectionStatus: connection.ConnectionStatus ?? 'UNKNOWN',
      ProviderType: connection.ProviderType ?? '',
      OwnerAccountId: connection.OwnerAccountId ?? '',
    },
  };
}
