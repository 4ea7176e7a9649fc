import { CodeStarConnectionsClient } from '@aws-sdk/client-codestar-connections';
import { isAvailabilityComplete } from './availability';
import type { IsCompleteRequest, IsCompleteResponse } from '../../../core/handlers/types';

const client = new CodeStarConnectionsClient({ maxAttempts: 5 });

export async function handler(event: IsCompleteRequest): Promise<IsCompleteResponse> {
  return isAvailabilityComplete(client, event);
}
