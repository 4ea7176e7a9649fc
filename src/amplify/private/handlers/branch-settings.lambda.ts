import { AmplifyClient } from '@aws-sdk/client-amplify';
import { onBranchSettingsEvent } from './branch-settings';
import type { OnEventRequest, OnEventResponse } from '../../../core/handlers/types';

const client = new AmplifyClient({ maxAttempts: 5 });

export async function handler(event: OnEventRequest): Promise<OnEventResponse> {
  return onBranchSettingsEvent(client, event);
}
