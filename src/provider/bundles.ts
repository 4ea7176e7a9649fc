/**
 * Which module's bundle serves each custom-resource family of the library, for its single provider per stack. Each
 * module's families are one bundle beside each router's (`assets/provider/<router>.lambda/bundles/<module>.js`, from
 * `src/provider/bundles/<module>.ts`), which a router loads only when an event of that module arrives: a cold start
 * loads one module's handlers and AWS SDK clients, not all of them. The table comes from each module's list of
 * family descriptors (`<MODULE>_FAMILIES` in its `private/custom-resources/contract.ts`), which load no handler.
 */
import type { BundleRouter } from './bundle';
import { AMPLIFY_FAMILIES } from '../amplify/private/custom-resources/contract';
import { CODEARTIFACT_FAMILIES } from '../codeartifact/private/custom-resources/contract';
import { CODECATALYST_FAMILIES } from '../codecatalyst/private/custom-resources/contract';
import { CODECONNECTIONS_FAMILIES } from '../codeconnections/private/custom-resources/contract';
import { CODEPIPELINE_FAMILIES } from '../codepipeline/private/custom-resources/contract';
import type { Family } from '../core/family';
import { noHandlerFor } from '../core/runtime/handler';

/** A module's name, which is its bundle's name. */
export type ModuleName = 'amplify' | 'codeartifact' | 'codecatalyst' | 'codeconnections' | 'codepipeline';

/** Each module's families. */
export const FAMILIES_OF: Readonly<Record<ModuleName, readonly Family[]>> = {
  amplify: AMPLIFY_FAMILIES,
  codeartifact: CODEARTIFACT_FAMILIES,
  codecatalyst: CODECATALYST_FAMILIES,
  codeconnections: CODECONNECTIONS_FAMILIES,
  codepipeline: CODEPIPELINE_FAMILIES,
};

/** The module of each resource type the provider serves. */
export const BUNDLE_OF: ReadonlyMap<string, ModuleName> = new Map(
  (Object.keys(FAMILIES_OF) as ModuleName[]).flatMap(module => FAMILIES_OF[module].map(family => [family.resourceType, module] as const)),
);

// Literal paths that esbuild leaves to Node (`--external:./bundles/*`): they name the module bundles beside the
// router's index.js, and under jest or ts-node the modules beside this file.
/* eslint-disable @typescript-eslint/no-require-imports */
const LOAD: Record<ModuleName, () => BundleRouter> = {
  amplify: () => require('./bundles/amplify'),
  codeartifact: () => require('./bundles/codeartifact'),
  codecatalyst: () => require('./bundles/codecatalyst'),
  codeconnections: () => require('./bundles/codeconnections'),
  codepipeline: () => require('./bundles/codepipeline'),
};
/* eslint-enable @typescript-eslint/no-require-imports */

/** The bundle serving a resource type, loaded on its first event (Node keeps it for the next ones). */
export function bundleOf(resourceType: string): BundleRouter {
  const module = BUNDLE_OF.get(resourceType);
  if (!module) throw noHandlerFor(resourceType);
  return LOAD[module]();
}

/** Every resource type the provider serves. */
export const RESOURCE_TYPES: readonly string[] = [...BUNDLE_OF.keys()];
