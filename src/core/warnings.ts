import { Annotations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Every warning id this library emits, in one place, as `cdk-devtools:<module>:<camelCaseName>` (the shape of
 * aws-cdk-lib's `@aws-cdk/aws-xxx:camelCaseName`). Users acknowledge a warning by its id
 * (`Annotations.of(scope).acknowledgeWarning(id)`), so an id never changes once released.
 */
export const WARNINGS = {
  /** A statement added to an imported CodeArtifact domain's policy, which this app does not manage. */
  codeartifactImportedDomainPolicy: 'cdk-devtools:codeartifact:importedDomainPolicy',
  /** A statement added to an imported CodeArtifact repository's policy, which this app does not manage. */
  codeartifactImportedRepositoryPolicy: 'cdk-devtools:codeartifact:importedRepositoryPolicy',
  /** New connections deploy PENDING and nothing waits for their handshake. */
  codeconnectionsPendingHandshake: 'cdk-devtools:codeconnections:pendingHandshake',
  /** New hosts deploy PENDING and nothing waits for their set-up. */
  codeconnectionsPendingHostSetup: 'cdk-devtools:codeconnections:pendingHostSetup',
  /** A Commands stage rule granted to an unnamed pipeline with an imported role: its log statement was not added. */
  codepipelineStageRuleNotGranted: 'cdk-devtools:codepipeline:stageRuleNotGranted',
} as const;

/** One of the library's warning ids. */
export type WarningId = typeof WARNINGS[keyof typeof WARNINGS];

/** The format every warning id follows. */
export const WARNING_ID_FORMAT = /^cdk-devtools:[a-z]+:[a-z][A-Za-z0-9]*$/;

/** Adds a warning that users can acknowledge by its id. */
export function addWarning(scope: IConstruct, id: WarningId, message: string): void {
  Annotations.of(scope).addWarningV2(id, message);
}
