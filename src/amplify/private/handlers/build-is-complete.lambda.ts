import { AmplifyClient } from '@aws-sdk/client-amplify';
import { isJobComplete } from './jobs';
import type { IsCompleteRequest, IsCompleteResponse } from '../../../core/handlers/types';

const client = new AmplifyClient({ maxAttempts: 5 });

export async function handler(event: IsCompleteRequest): Promise<IsCompleteResponse> {
  return isJobComplete(client, event, 'Waiting for the Amplify build to succeed');
}
