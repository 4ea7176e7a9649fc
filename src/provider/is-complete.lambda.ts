import { bundleOf } from './bundles';
import type { IsCompleteRequest, IsCompleteResponse } from '../core/runtime/types';

/**
 * The provider's isComplete, called every few seconds while a resource waits: hands the event to the family of its
 * resource type, which answers at once for a type that does not wait and asks only when a wait's poll is due.
 */
export async function handler(event: IsCompleteRequest): Promise<IsCompleteResponse> {
  return bundleOf(event.ResourceType).isComplete(event);
}
