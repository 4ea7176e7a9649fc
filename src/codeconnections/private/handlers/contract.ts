/**
 * The properties and attributes shared by the CodeConnections constructs and their handlers.
 * Resource type names are part of deployed stacks: never rename them.
 */

export const LOOKUP_RESOURCE_TYPE = 'Custom::CdkDevtoolsConnectionLookup';

/** What `Connection.fromConnectionName()` sends its lookup. */
export interface LookupProperties {
  readonly ConnectionName: string;
  readonly ProviderTypeFilter?: string;
  readonly HostArnFilter?: string;
}

/** The attributes a lookup returns. */
export const LOOKUP_ATTRIBUTES = ['ConnectionArn', 'ConnectionStatus', 'ProviderType', 'OwnerAccountId'] as const;

export const AVAILABILITY_RESOURCE_TYPE = 'Custom::CdkDevtoolsConnectionAvailability';

/** What a connection or host sends the wait for AVAILABLE. */
export interface AvailabilityProperties {
  /** The ARN of the connection or host. */
  readonly ResourceArn: string;
  readonly Kind: 'connection' | 'host';
}
