import { CodeStarConnectionsClient } from '@aws-sdk/client-codestar-connections';
import { isAvailabilityComplete, onAvailabilityEvent } from './availability';
import { AVAILABILITY_RESOURCE_TYPE, FIRST_SYNC_RESOURCE_TYPE, LOOKUP_RESOURCE_TYPE } from './contract';
import { isFirstSyncComplete, onFirstSyncEvent } from './first-sync';
import { onLookupEvent } from './lookup';
import { clientConfig } from '../../../core/runtime/credentials';
import type { HandlerEntry } from '../../../core/runtime/types';

const connections = (props: Record<string, any>) => new CodeStarConnectionsClient(clientConfig(props));

/** The CodeConnections custom resources' handlers. */
export const CODECONNECTIONS_HANDLERS: HandlerEntry[] = [
  {
    resourceType: LOOKUP_RESOURCE_TYPE,
    onEvent: event => onLookupEvent(connections(event.ResourceProperties), event),
  },
  {
    resourceType: AVAILABILITY_RESOURCE_TYPE,
    onEvent: event => onAvailabilityEvent(event),
    isComplete: event => isAvailabilityComplete(connections(event.ResourceProperties), event),
  },
  {
    resourceType: FIRST_SYNC_RESOURCE_TYPE,
    onEvent: event => onFirstSyncEvent(event),
    isComplete: event => isFirstSyncComplete(connections(event.ResourceProperties), event),
  },
];
