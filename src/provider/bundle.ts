import { withPropagationRetry } from '../core/runtime/credentials';
import { anchorWait, noHandlerFor, pollDue } from '../core/runtime/handler';
import type { HandlerContext, HandlerEntry, IsCompleteRequest, IsCompleteResponse, OnEventRequest, OnEventResponse } from '../core/runtime/types';

/** What a module's bundle exports to the routers (`src/provider/bundles/<module>.ts`). */
export interface BundleRouter {
  /** The module's entries, one per family. */
  readonly handlers: readonly HandlerEntry[];
  readonly onEvent: (event: OnEventRequest, context?: HandlerContext) => Promise<OnEventResponse>;
  readonly isComplete: (event: IsCompleteRequest) => Promise<IsCompleteResponse>;
}

/**
 * Routes within one module's families. It runs in the module's bundle, which has its own copy of the kit's handler code:
 * `withPropagationRetry` must run beside the `assumeRole` that tells it a role was still propagating.
 */
export function bundleRouter(handlers: readonly HandlerEntry[]): BundleRouter {
  const byType = new Map(handlers.map(entry => [entry.family.resourceType, entry]));
  const entryOf = (resourceType: string): HandlerEntry => {
    const entry = byType.get(resourceType);
    if (!entry) throw noHandlerFor(resourceType);
    return entry;
  };
  return {
    handlers,
    onEvent: async (event, context) => {
      const arrivedAt = Date.now();
      const entry = entryOf(event.ResourceType);
      return anchorWait(await withPropagationRetry(() => entry.onEvent(event, context)), arrivedAt);
    },
    // Called every few seconds while a resource waits: a type that does not wait is complete at once; one that
    // waits is asked only when its own poll interval is due (`pollDue`).
    isComplete: async event => {
      const entry = entryOf(event.ResourceType);
      if (!entry.isComplete) return { IsComplete: true };
      if (!pollDue(event)) return { IsComplete: false };
      return withPropagationRetry(() => entry.isComplete!(event));
    },
  };
}
