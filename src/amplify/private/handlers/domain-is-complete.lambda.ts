import { AmplifyClient } from '@aws-sdk/client-amplify';
import { isDomainReady } from './domain';
import type { IsCompleteRequest, IsCompleteResponse } from '../../../core/handlers/types';

const client = new AmplifyClient({ maxAttempts: 5 });

export async function handler(event: IsCompleteRequest): Promise<IsCompleteResponse> {
  return isDomainReady(client, event);
}
