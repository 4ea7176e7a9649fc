/**
 * The properties and attributes shared by the CodeArtifact constructs and their handlers: the constructs
 * render these interfaces, the handlers read them with one `parse` function each, and the attribute names
 * are the constants both use. Resource type names and property and attribute names are part of deployed
 * stacks: never rename them.
 */

export const ORIGIN_CONTROL_RESOURCE_TYPE = 'Custom::CdkDevtoolsCodeArtifactPackageOriginControl';

/** An origin restriction, as CodeArtifact spells it (`AllowPublish`, `AllowUpstream`). */
export type OriginMode = 'ALLOW' | 'BLOCK';

/** What a `PackageOriginControl` sends its handler. */
export interface OriginControlProperties {
  readonly Domain: string;
  readonly DomainOwner: string;
  readonly Repository: string;
  readonly Format: string;
  /** Absent for formats without namespaces. */
  readonly Namespace?: string;
  readonly Package: string;
  readonly Publish: OriginMode;
  readonly Upstream: OriginMode;
}

export const PACKAGE_VERSION_RESOURCE_TYPE = 'Custom::CdkDevtoolsCodeArtifactGenericPackageVersion';

/** What a `GenericPackageVersion` removal does: keep the version, dispose of it or delete it. */
export type VersionRemoval = 'retain' | 'dispose' | 'delete';

/** What a `GenericPackageVersion` sends its handler. */
export interface PackageVersionProperties {
  readonly Domain: string;
  readonly DomainOwner: string;
  readonly Repository: string;
  readonly Namespace: string;
  readonly Package: string;
  readonly Version: string;
  readonly AssetName: string;
  readonly AssetBucket: string;
  readonly AssetKey: string;
  /** Arrives as 'true' or 'false'. */
  readonly Unfinished: boolean;
  /** What Delete does. */
  readonly RemovalPolicy: VersionRemoval;
}

/** The attribute with the SHA-256 (hex) of the asset a version published. */
export const ASSET_SHA256_ATTRIBUTE = 'AssetSha256';
/** The attribute with the version's status after the deployment: Published or Unfinished. */
export const VERSION_STATUS_ATTRIBUTE = 'Status';

/** The attributes (`Data`) a published version returns. */
export interface PackageVersionData {
  readonly [ASSET_SHA256_ATTRIBUTE]: string;
  readonly [VERSION_STATUS_ATTRIBUTE]: string;
}

export const PROMOTION_RESOURCE_TYPE = 'Custom::CdkDevtoolsCodeArtifactPackagePromotion';

/** What a `PackagePromotion` sends its handler: one package of one domain, copied from one repository to another. */
export interface PromotionProperties {
  readonly Domain: string;
  readonly DomainOwner: string;
  readonly SourceRepository: string;
  readonly DestinationRepository: string;
  readonly Format: string;
  /** Absent for formats without namespaces. */
  readonly Namespace?: string;
  readonly Package: string;
  /** The versions to copy, whatever their revision; absent when `VersionRevisions` is set. */
  readonly Versions?: string[];
  /** The versions to copy, each with the revision the source must have; absent when `Versions` is set. */
  readonly VersionRevisions?: Record<string, string>;
  /** Arrives as 'true' or 'false'. */
  readonly AllowOverwrite: boolean;
  /** Arrives as 'true' or 'false'. */
  readonly IncludeFromUpstream: boolean;
}

/** The attribute with the promoted versions and the revision each has in the destination, as `version=revision` joined by commas. */
export const PROMOTED_REVISIONS_ATTRIBUTE = 'PromotedRevisions';

/** The attributes (`Data`) a promotion returns. */
export interface PromotionData {
  readonly [PROMOTED_REVISIONS_ATTRIBUTE]: string;
}

// Placeholder until this module's families are defined with defineFamily (issue 21 work in progress).
export const CODEARTIFACT_FAMILIES: readonly import('../../../core/family').Family[] = [];
