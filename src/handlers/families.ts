/**
 * Which family serves each custom-resource type of the library, for its single provider per stack. Each family is
 * its own bundle beside each router's (`assets/handlers/<router>.lambda/families/<family>.js`, from
 * `src/handlers/families/<family>.ts`), which a router loads only when an event of that family arrives: a cold start
 * loads one family's handlers and AWS SDK clients, not all of them. So the table is kept here by hand, without
 * loading the families; `test/core/bundles.test.ts` checks it against every family's entries. A module that adds a
 * custom resource lists its handlers in its `entries.ts` and its resource type here.
 */
import type { FamilyRouter } from './family';
import { noHandlerFor } from '../core/handlers/runtime';

/** A family's name, which is its bundle's name. */
export type Family = 'amplify' | 'codeartifact' | 'codecatalyst' | 'codeconnections' | 'codepipeline';

/** The family of each resource type the provider serves. */
export const FAMILY_OF: ReadonlyMap<string, Family> = new Map<string, Family>([
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

// Literal paths that esbuild leaves to Node (`--external:./families/*`): they name the family bundles beside the
// router's index.js, and under jest or ts-node the modules beside this file.
/* eslint-disable @typescript-eslint/no-require-imports */
const LOAD: Record<Family, () => FamilyRouter> = {
  amplify: () => require('./families/amplify'),
  codeartifact: () => require('./families/codeartifact'),
  codecatalyst: () => require('./families/codecatalyst'),
  codeconnections: () => require('./families/codeconnections'),
  codepipeline: () => require('./families/codepipeline'),
};
/* eslint-enable @typescript-eslint/no-require-imports */

/** The family serving a resource type, loaded on its first event (Node keeps it for the next ones). */
export function familyOf(resourceType: string): FamilyRouter {
  const family = FAMILY_OF.get(resourceType);
  if (!family) throw noHandlerFor(resourceType);
  return LOAD[family]();
}

/** Every resource type the provider serves. */
export const RESOURCE_TYPES: readonly string[] = [...FAMILY_OF.keys()];
