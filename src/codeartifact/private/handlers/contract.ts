/**
 * The properties shared by the CodeArtifact constructs and their handlers.
 * Resource type names are part of deployed stacks: never rename them.
 */

export const ORIGIN_CONTROL_RESOURCE_TYPE = 'Custom::CdkDevtoolsCodeArtifactPackageOriginControl';

/** What a `PackageOriginControl` sends its handler. */
export interface OriginControlProperties {
  readonly Domain: string;
  readonly DomainOwner: string;
  readonly Repository: string;
  readonly Format: string;
  /** Absent for formats without namespaces. */
  readonly Namespace?: string;
  readonly Package: string;
  /** ALLOW or BLOCK. */
  readonly Publish: string;
  /** ALLOW or BLOCK. */
  readonly Upstream: string;
}

export const PACKAGE_VERSION_RESOURCE_TYPE = 'Custom::CdkDevtoolsCodeArtifactGenericPackageVersion';

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
  /** What Delete does: retain, dispose or delete. */
  readonly RemovalPolicy: string;
}

/** The attributes a published version returns. */
export const PACKAGE_VERSION_ATTRIBUTES = ['AssetSha256', 'Status'] as const;
