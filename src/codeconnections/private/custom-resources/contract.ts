/**
 * The properties and attributes shared by the CodeConnections constructs and their handlers: the constructs
 * build the properties as these interfaces and read the attributes by these names; the handlers read the
 * properties only through the `parse…Properties` functions and return the attributes by the same names.
 * Resource type names, property and attribute names are part of deployed stacks: never rename them.
 */
import { optionalString, requireString } from '../../../core/runtime/handler';

export const LOOKUP_RESOURCE_TYPE = 'Custom::CdkDevtoolsConnectionLookup';

/** What `Connection.fromConnectionName()` sends its lookup. */
export interface LookupProperties {
  readonly ConnectionName: string;
  readonly ProviderTypeFilter?: string;
  readonly HostArnFilter?: string;
}

/** The lookup's properties as its handler receives them (CloudFormation sends every value as a string). */
export function parseLookupProperties(props: Record<string, unknown>): LookupProperties {
  return {
    ConnectionName: requireString(props, 'ConnectionName'),
    ProviderTypeFilter: optionalString(props, 'ProviderTypeFilter'),
    HostArnFilter: optionalString(props, 'HostArnFilter'),
  };
}

/**
 * The attributes (`Data`) a lookup returns, by the names the construct reads them with (`ILookedUpConnection`).
 * Keep it to these short values: CloudFormation refuses a custom-resource response over 4 KB.
 */
export const LOOKUP_ATTRIBUTES = {
  connectionArn: 'ConnectionArn',
  connectionStatus: 'ConnectionStatus',
  providerType: 'ProviderType',
  ownerAccountId: 'OwnerAccountId',
} as const;

/** A lookup's `Data`. */
export type LookupData = Record<typeof LOOKUP_ATTRIBUTES[keyof typeof LOOKUP_ATTRIBUTES], string>;

export const AVAILABILITY_RESOURCE_TYPE = 'Custom::CdkDevtoolsConnectionAvailability';

/** What a wait for AVAILABLE watches. */
export const AVAILABILITY_KINDS = ['connection', 'host'] as const;
export type AvailabilityKind = typeof AVAILABILITY_KINDS[number];

function isAvailabilityKind(value: string): value is AvailabilityKind {
  return (AVAILABILITY_KINDS as readonly string[]).includes(value);
}

/** What a connection or host sends the wait for AVAILABLE (the wait's bounds are the kit's properties). */
export interface AvailabilityProperties {
  /** The ARN of the connection or host. */
  readonly ResourceArn: string;
  readonly Kind: AvailabilityKind;
}

/** The wait's properties as its handlers receive them. */
export function parseAvailabilityProperties(props: Record<string, unknown>): AvailabilityProperties {
  const kind = requireString(props, 'Kind');
  if (!isAvailabilityKind(kind)) {
    throw new Error(`internal error: property Kind should be one of ${AVAILABILITY_KINDS.join(', ')}, got '${kind}'; upgrade cdk-devtools and redeploy`);
  }
  return { ResourceArn: requireString(props, 'ResourceArn'), Kind: kind };
}

/** The attributes (`Data`) a wait returns once AVAILABLE, by the names the constructs read them with. */
export const AVAILABILITY_ATTRIBUTES = {
  /** The watched ARN: reading it through the wait makes its consumers wait too. */
  resourceArn: 'ResourceArn',
  status: 'Status',
} as const;

export const FIRST_SYNC_RESOURCE_TYPE = 'Custom::CdkDevtoolsGitSyncFirstSync';

/** What a `StackGitSync` with `waitForFirstSync` sends the wait for its stack's first sync. */
export interface FirstSyncProperties {
  /** The synced stack's name (the sync configuration's `ResourceName`): the physical id. */
  readonly StackName: string;
  /** The branch Git sync reads, for the wait's messages. */
  readonly Branch: string;
  /** The deployment file's path in the branch, for the wait's messages. */
  readonly ConfigFile: string;
}

/** The wait's properties as its handlers receive them. */
export function parseFirstSyncProperties(props: Record<string, unknown>): FirstSyncProperties {
  return { StackName: requireString(props, 'StackName'), Branch: requireString(props, 'Branch'), ConfigFile: requireString(props, 'ConfigFile') };
}

/** The Data key onEvent sets when an Update keeps the stack: its first sync is behind it, so nothing is waited for. */
export const FIRST_SYNC_SKIPPED_KEY = 'FirstSyncSkipped';
