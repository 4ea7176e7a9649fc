import { CodeartifactClient } from '@aws-sdk/client-codeartifact';
import { onOriginControlEvent } from './origin-control';
import type { OnEventRequest, OnEventResponse } from '../../../core/handlers/types';

const client = new CodeartifactClient({ maxAttempts: 5 });

export async function handler(event: OnEventRequest): Promise<OnEventResponse> {
  return onOriginControlEvent(client, event);
}
