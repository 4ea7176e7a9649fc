import { handlersOf } from './families';
import { withPropagationRetry } from '../core/handlers/credentials';
import type { HandlerContext, OnEventRequest, OnEventResponse } from '../core/handlers/types';

/** The provider's onEvent: hands the event to the handlers of its resource type. */
export async function handler(event: OnEventRequest, context?: HandlerContext): Promise<OnEventResponse> {
  const entry = handlersOf(event.ResourceType);
  return withPropagationRetry(() => entry.onEvent(event, context));
}
