import { CodeStarConnectionsClient } from '@aws-sdk/client-codestar-connections';
import { onLookupEvent } from './lookup';
import type { OnEventRequest, OnEventResponse } from '../../../core/handlers/types';

const client = new CodeStarConnectionsClient({ maxAttempts: 5 });

export async function handler(event: OnEventRequest): Promise<OnEventResponse> {
  return onLookupEvent(client, event);
}
