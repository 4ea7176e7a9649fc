import { bundleOf } from './bundles';
import type { HandlerContext, OnEventRequest, OnEventResponse } from '../core/runtime/types';

/** The provider's onEvent: hands the event to the family of its resource type, which loads on its first event. */
export async function handler(event: OnEventRequest, context?: HandlerContext): Promise<OnEventResponse> {
  return bundleOf(event.ResourceType).onEvent(event, context);
}
