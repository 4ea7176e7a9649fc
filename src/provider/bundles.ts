/**
 * Which module's bundle serves each custom-resource type of the library, for its single provider per stack. Each
 * module's families are one bundle beside each router's (`assets/provider/<router>.lambda/bundles/<family>.js`, from
 * `src/provider/bundles/<family>.ts`), which a router loads only when an event of that family arrives: a cold start
 * loads one family's handlers and AWS SDK clients, not all of them. So the table is kept here by hand, without
 * loading the families; `test/core/bundles.test.ts` checks it against every family's entries. A module that adds a
 * custom resource lists its handlers in its `entries.ts` and its resource type here.
 */
import type { BundleRouter } from './bundle';
import { noHandlerFor } from '../core/runtime/handler';

/** A family's name, which is its bundle's name. */
export type ModuleName = 'amplify' | 'codeartifact' | 'codecatalyst' | 'codeconnections' | 'codepipeline';

/** The family of each resource type the provider serves. */
export const BUNDLE_OF: ReadonlyMap<string, ModuleName> = new Map<string, ModuleName>([
  ['Custom::CdkDevtoolsAmplifyBranchSettings', 'amplify'],
  ['Custom::CdkDevtoolsAmplifyBackendEnvironment', 'amplify'],
  ['Custom::CdkDevtoolsAmplifyBuild', 'amplify'],
  ['Custom::CdkDevtoolsAmplifyDeployment', 'amplify'],
  ['Custom::CdkDevtoolsAmplifyDomainReadiness', 'amplify'],
  ['Custom::CdkDevtoolsCodeArtifactPackageOriginControl', 'codeartifact'],
  ['Custom::CdkDevtoolsCodeArtifactGenericPackageVersion', 'codeartifact'],
  ['Custom::CdkDevtoolsCodeArtifactPackagePromotion', 'codeartifact'],
  ['Custom::CdkDevtoolsCodeCatalystSpace', 'codecatalyst'],
  ['Custom::CdkDevtoolsCodeCatalystProject', 'codecatalyst'],
  ['Custom::CdkDevtoolsCodeCatalystSourceRepository', 'codecatalyst'],
  ['Custom::CdkDevtoolsCodeCatalystBranch', 'codecatalyst'],
  ['Custom::CdkDevtoolsCodeCatalystDevEnvironment', 'codecatalyst'],
  ['Custom::CdkDevtoolsCodeCatalystWorkflowRun', 'codecatalyst'],
  ['Custom::CdkDevtoolsConnectionLookup', 'codeconnections'],
  ['Custom::CdkDevtoolsConnectionAvailability', 'codeconnections'],
  ['Custom::CdkDevtoolsGitSyncFirstSync', 'codeconnections'],
  ['Custom::CdkDevtoolsCodePipelineExecution', 'codepipeline'],
  ['Custom::CdkDevtoolsCodePipelineTransitionFreeze', 'codepipeline'],
  ['Custom::CdkDevtoolsCodePipelineFreezeWindow', 'codepipeline'],
]);

// Literal paths that esbuild leaves to Node (`--external:./bundles/*`): they name the family bundles beside the
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

/** The family serving a resource type, loaded on its first event (Node keeps it for the next ones). */
export function bundleOf(resourceType: string): BundleRouter {
  const family = BUNDLE_OF.get(resourceType);
  if (!family) throw noHandlerFor(resourceType);
  return LOAD[family]();
}

/** Every resource type the provider serves. */
export const RESOURCE_TYPES: readonly string[] = [...BUNDLE_OF.keys()];
