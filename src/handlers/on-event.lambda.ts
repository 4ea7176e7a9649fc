import { familyOf } from './families';
import type { HandlerContext, OnEventRequest, OnEventResponse } from '../core/handlers/types';

/** The provider's onEvent: hands the event to the family of its resource type, which loads on its first event. */
export async function handler(event: OnEventRequest, context?: HandlerContext): Promise<OnEventResponse> {
  return familyOf(event.ResourceType).onEvent(event, context);
}
