import type { OnEventRequest, OnEventResponse } from '../../../core/handlers/types';
import { onAvailabilityEvent } from './availability';

export async function handler(event: OnEventRequest): Promise<OnEventResponse> {
  return onAvailabilityEvent(event);
}
