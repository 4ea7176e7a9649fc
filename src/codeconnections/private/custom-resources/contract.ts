/**
 * The CodeConnections custom-resource families (`defineFamily`): what each construct sends, how its handlers read
 * it, and the attributes they return. Resource type names, property and attribute names are part of deployed
 * stacks: never rename them.
 */
import { defineFamily } from '../../../core/family';
import { optionalString, requireOneOf, requireString } from '../../../core/runtime/handler';

/** What `Connection.fromConnectionName()` sends its lookup. */
export interface LookupProperties {
  readonly ConnectionName: string;
  readonly ProviderTypeFilter?: string;
  readonly HostArnFilter?: string;
}

/** `Connection.fromConnectionName()`'s lookup: the connection of that name, with the attributes `ILookedUpConnection` reads. */
export const LOOKUP_FAMILY = defineFamily<LookupProperties>()({
  resourceType: 'Custom::CdkDevtoolsConnectionLookup',
  parse: (props): LookupProperties => ({
    ConnectionName: requireString(props, 'ConnectionName'),
    ProviderTypeFilter: optionalString(props, 'ProviderTypeFilter'),
    HostArnFilter: optionalString(props, 'HostArnFilter'),
  }),
  attributes: ['ConnectionArn', 'ConnectionStatus', 'ProviderType', 'OwnerAccountId'],
});

/** What a wait for AVAILABLE watches. */
export const AVAILABILITY_KINDS = ['connection', 'host'] as const;
export type AvailabilityKind = typeof AVAILABILITY_KINDS[number];

/** What a connection or host sends the wait for AVAILABLE (the wait's bounds are the kit's properties). */
export interface AvailabilityProperties {
  /** The ARN of the connection or host. */
  readonly ResourceArn: string;
  readonly Kind: AvailabilityKind;
}

/**
 * The wait for a connection or host to be AVAILABLE. Its attributes are the watched ARN (reading it through the
 * wait makes its consumers wait too) and the status it ended with.
 */
export const AVAILABILITY_FAMILY = defineFamily<AvailabilityProperties>()({
  resourceType: 'Custom::CdkDevtoolsConnectionAvailability',
  parse: (props): AvailabilityProperties => ({ ResourceArn: requireString(props, 'ResourceArn'), Kind: requireOneOf(props, 'Kind', AVAILABILITY_KINDS) }),
  attributes: ['ResourceArn', 'Status'],
  waits: true,
});

/** What a `StackGitSync` with `waitForFirstSync` sends the wait for its stack's first sync. */
export interface FirstSyncProperties {
  /** The synced stack's name (the sync configuration's `ResourceName`): the physical id. */
  readonly StackName: string;
  /** The branch Git sync reads, for the wait's messages. */
  readonly Branch: string;
  /** The deployment file's path in the branch, for the wait's messages. */
  readonly ConfigFile: string;
}

/** A `StackGitSync`'s wait for its stack's first sync. */
export const FIRST_SYNC_FAMILY = defineFamily<FirstSyncProperties>()({
  resourceType: 'Custom::CdkDevtoolsGitSyncFirstSync',
  parse: (props): FirstSyncProperties => ({
    StackName: requireString(props, 'StackName'),
    Branch: requireString(props, 'Branch'),
    ConfigFile: requireString(props, 'ConfigFile'),
  }),
  waits: true,
});

/** The Data key onEvent sets when an Update keeps the stack: its first sync is behind it, so nothing is waited for. */
export const FIRST_SYNC_SKIPPED_KEY = 'FirstSyncSkipped';

/** The module's families, which the routers serve from its bundle. */
export const CODECONNECTIONS_FAMILIES = [LOOKUP_FAMILY, AVAILABILITY_FAMILY, FIRST_SYNC_FAMILY];
