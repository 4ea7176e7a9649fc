import { AmplifyClient } from '@aws-sdk/client-amplify';
import { onBackendEnvironmentEvent } from './backend-environment';
import type { OnEventRequest, OnEventResponse } from '../../../core/handlers/types';

const client = new AmplifyClient({ maxAttempts: 5 });

export async function handler(event: OnEventRequest): Promise<OnEventResponse> {
  return onBackendEnvironmentEvent(client, event);
}
