import { CodeStarConnectionsClient } from '@aws-sdk/client-codestar-connections';
import { isAvailabilityComplete, onAvailabilityEvent } from './availability';
import { AVAILABILITY_FAMILY, FIRST_SYNC_FAMILY, LOOKUP_FAMILY } from './contract';
import { isFirstSyncComplete, onFirstSyncEvent } from './first-sync';
import { onLookupEvent } from './lookup';
import { clientConfig } from '../../../core/runtime/credentials';
import type { HandlerEntry } from '../../../core/runtime/types';

const connections = (props: Record<string, any>) => new CodeStarConnectionsClient(clientConfig(props));

/** The CodeConnections custom resources' handlers. */
export const CODECONNECTIONS_HANDLERS: HandlerEntry[] = [
  {
    family: LOOKUP_FAMILY,
    onEvent: event => onLookupEvent(connections(event.ResourceProperties), event),
  },
  {
    family: AVAILABILITY_FAMILY,
    onEvent: event => onAvailabilityEvent(event),
    isComplete: event => isAvailabilityComplete(connections(event.ResourceProperties), event),
  },
  {
    family: FIRST_SYNC_FAMILY,
    onEvent: event => onFirstSyncEvent(event),
    isComplete: event => isFirstSyncComplete(connections(event.ResourceProperties), event),
  },
];
