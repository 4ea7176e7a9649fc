import { handlersOf } from './families';
import type { HandlerContext, OnEventRequest, OnEventResponse } from '../core/handlers/types';

/** The provider's onEvent: hands the event to the handlers of its resource type. */
export async function handler(event: OnEventRequest, context?: HandlerContext): Promise<OnEventResponse> {
  return handlersOf(event.ResourceType).onEvent(event, context);
}
