import { onDomainEvent } from './domain';
import type { OnEventRequest, OnEventResponse } from '../../../core/handlers/types';

export async function handler(event: OnEventRequest): Promise<OnEventResponse> {
  return onDomainEvent(event);
}
