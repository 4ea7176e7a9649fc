import { handlersOf } from './families';
import { withPropagationRetry } from '../core/handlers/credentials';
import { pollDue } from '../core/handlers/runtime';
import type { IsCompleteRequest, IsCompleteResponse } from '../core/handlers/types';

/**
 * The provider's isComplete, called every few seconds while a resource waits: a type that does not wait is
 * complete at once; one that waits is asked only when its own poll interval is due (`pollDue`).
 */
export async function handler(event: IsCompleteRequest): Promise<IsCompleteResponse> {
  const entry = handlersOf(event.ResourceType);
  if (!entry.isComplete) return { IsComplete: true };
  if (!pollDue(event)) return { IsComplete: false };
  return withPropagationRetry(() => entry.isComplete!(event));
}
