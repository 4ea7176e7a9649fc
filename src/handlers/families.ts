/**
 * Every custom-resource type of the library, for its single provider per stack. A module that adds a
 * custom resource lists its handlers here; the handlers themselves stay in the module.
 */
import { AMPLIFY_HANDLERS } from '../amplify/private/handlers/entries';
import { CODEARTIFACT_HANDLERS } from '../codeartifact/private/handlers/entries';
import { CODECATALYST_HANDLERS } from '../codecatalyst/private/handlers/entries';
import { CODECONNECTIONS_HANDLERS } from '../codeconnections/private/handlers/entries';
import { CODEPIPELINE_HANDLERS } from '../codepipeline/private/handlers/entries';
import type { HandlerEntry } from '../core/handlers/types';

const ENTRIES: HandlerEntry[] = [
  ...AMPLIFY_HANDLERS, ...CODEARTIFACT_HANDLERS, ...CODECATALYST_HANDLERS, ...CODECONNECTIONS_HANDLERS, ...CODEPIPELINE_HANDLERS,
];

const BY_TYPE = new Map(ENTRIES.map(entry => [entry.resourceType, entry]));

/** The handlers of a resource type; a type no entry serves means the template and the handler bundle differ. */
export function handlersOf(resourceType: string): HandlerEntry {
  const entry = BY_TYPE.get(resourceType);
  if (!entry) {
    throw new Error(`internal error: no cdk-devtools handler serves ${resourceType}; the stack's handler bundle is older or newer `
      + 'than its constructs: synthesize and deploy again with one version of cdk-devtools');
  }
  return entry;
}

/** Every resource type the provider serves. */
export const RESOURCE_TYPES: readonly string[] = [...BY_TYPE.keys()];
