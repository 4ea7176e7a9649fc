import { AmplifyClient } from '@aws-sdk/client-amplify';
import { onBuildEvent } from './build';
import type { OnEventRequest, OnEventResponse } from '../../../core/handlers/types';

const client = new AmplifyClient({ maxAttempts: 5 });

export async function handler(event: OnEventRequest): Promise<OnEventResponse> {
  return onBuildEvent(client, event);
}
