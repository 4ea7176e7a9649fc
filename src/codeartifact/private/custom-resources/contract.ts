/**
 * The CodeArtifact custom-resource families (`defineFamily`): what each construct sends, how its handlers read it,
 * and the attributes they return. Resource type names, property and attribute names are part of deployed stacks:
 * never rename them.
 */
import { defineFamily } from '../../../core/family';
import { optionalString, parseBoolean, requireOneOf, requireString } from '../../../core/runtime/handler';

/** A property name of `Properties`: a renamed property fails to compile where its family's `parse` reads it. */
const keyOf = <Properties>() => (name: keyof Properties & string): string => name;

/** The origin restrictions, as CodeArtifact spells them (`AllowPublish`, `AllowUpstream`). */
const ORIGIN_MODES = ['ALLOW', 'BLOCK'] as const;
export type OriginMode = typeof ORIGIN_MODES[number];

/** Whether a value is an origin restriction. */
export function isOriginMode(value: string | undefined): value is OriginMode {
  return (ORIGIN_MODES as readonly (string | undefined)[]).includes(value);
}

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

/** A `PackageOriginControl`'s properties, as its handler reads them. */
export interface OriginControl {
  readonly domain: string;
  readonly domainOwner: string;
  readonly repository: string;
  readonly format: string;
  readonly namespace?: string;
  readonly package: string;
  readonly publish: OriginMode;
  readonly upstream: OriginMode;
}

const originControlKey = keyOf<OriginControlProperties>();

function requireMode(props: Record<string, unknown>, name: 'Publish' | 'Upstream'): OriginMode {
  return requireOneOf(props, originControlKey(name), ORIGIN_MODES);
}

/** A `PackageOriginControl`: the origin restrictions of one package, restored when the resource goes. */
export const ORIGIN_CONTROL_FAMILY = defineFamily<OriginControlProperties>()({
  resourceType: 'Custom::CdkDevtoolsCodeArtifactPackageOriginControl',
  parse: (props): OriginControl => ({
    domain: requireString(props, originControlKey('Domain')),
    domainOwner: requireString(props, originControlKey('DomainOwner')),
    repository: requireString(props, originControlKey('Repository')),
    format: requireString(props, originControlKey('Format')),
    namespace: optionalString(props, originControlKey('Namespace')),
    package: requireString(props, originControlKey('Package')),
    publish: requireMode(props, 'Publish'),
    upstream: requireMode(props, 'Upstream'),
  }),
});

/** What a `GenericPackageVersion` removal does: keep the version, dispose of it or delete it. */
export type VersionRemoval = 'retain' | 'dispose' | 'delete';

const REMOVALS: readonly VersionRemoval[] = ['retain', 'dispose', 'delete'];

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

/** A `GenericPackageVersion`'s properties, as its handler reads them. */
export interface PackageVersion {
  readonly domain: string;
  readonly domainOwner: string;
  readonly repository: string;
  readonly namespace: string;
  readonly package: string;
  readonly version: string;
  readonly assetName: string;
  readonly assetBucket: string;
  readonly assetKey: string;
  readonly unfinished: boolean;
  readonly removalPolicy: VersionRemoval;
}

const packageVersionKey = keyOf<PackageVersionProperties>();

function requireRemoval(props: Record<string, unknown>): VersionRemoval {
  return requireOneOf(props, packageVersionKey('RemovalPolicy'), REMOVALS);
}

/**
 * A `GenericPackageVersion`: one asset published into one version of a generic package. Its attributes are the
 * SHA-256 (hex) of the asset it published and the version's status after the deployment (Published or Unfinished).
 */
export const PACKAGE_VERSION_FAMILY = defineFamily<PackageVersionProperties>()({
  resourceType: 'Custom::CdkDevtoolsCodeArtifactGenericPackageVersion',
  parse: (props): PackageVersion => ({
    domain: requireString(props, packageVersionKey('Domain')),
    domainOwner: requireString(props, packageVersionKey('DomainOwner')),
    repository: requireString(props, packageVersionKey('Repository')),
    namespace: requireString(props, packageVersionKey('Namespace')),
    package: requireString(props, packageVersionKey('Package')),
    version: requireString(props, packageVersionKey('Version')),
    assetName: requireString(props, packageVersionKey('AssetName')),
    assetBucket: requireString(props, packageVersionKey('AssetBucket')),
    assetKey: requireString(props, packageVersionKey('AssetKey')),
    unfinished: parseBoolean(props, packageVersionKey('Unfinished'), false),
    removalPolicy: requireRemoval(props),
  }),
  attributes: ['AssetSha256', 'Status'],
});

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

/** A `PackagePromotion`'s properties, as its handler reads them. */
export interface Promotion {
  readonly domain: string;
  readonly domainOwner: string;
  readonly source: string;
  readonly destination: string;
  readonly format: string;
  readonly namespace?: string;
  readonly package: string;
  /** The versions, in the order the properties list them. */
  readonly versions: readonly string[];
  /** The revision each version must have in the source, when the properties pin them. */
  readonly revisions?: Readonly<Record<string, string>>;
  readonly allowOverwrite: boolean;
  readonly includeFromUpstream: boolean;
}

const promotionKey = keyOf<PromotionProperties>();

function internal(key: string, expected: string, got: unknown): Error {
  return new Error(`internal error: property ${key} should be ${expected}, got ${JSON.stringify(got)}; upgrade cdk-devtools and redeploy`);
}

/** `Versions` (a list) or `VersionRevisions` (a map), exactly one of them, as the construct renders them. */
function parseVersions(props: Record<string, unknown>): Pick<Promotion, 'versions' | 'revisions'> {
  const list = props[promotionKey('Versions')];
  const map = props[promotionKey('VersionRevisions')];
  if (map !== undefined && map !== '') {
    if (list !== undefined && list !== '') throw internal(promotionKey('Versions'), 'absent when VersionRevisions is set', list);
    const entries = typeof map === 'object' && map !== null && !Array.isArray(map) ? Object.entries(map) : [];
    if (entries.length === 0 || entries.some(([, r]) => typeof r !== 'string' || r === '')) {
      throw internal(promotionKey('VersionRevisions'), 'a map of versions to revisions', map);
    }
    return { versions: entries.map(([v]) => v), revisions: Object.fromEntries(entries) as Record<string, string> };
  }
  if (!Array.isArray(list) || list.length === 0 || list.some(v => typeof v !== 'string' || v === '')) {
    throw internal(promotionKey('Versions'), 'a list of versions', list);
  }
  return { versions: list as string[] };
}

/**
 * A `PackagePromotion`: versions of one package copied from one repository to another of its domain. Its attribute
 * is the promoted versions and the revision each has in the destination, as `version=revision` joined by commas.
 */
export const PROMOTION_FAMILY = defineFamily<PromotionProperties>()({
  resourceType: 'Custom::CdkDevtoolsCodeArtifactPackagePromotion',
  parse: (props): Promotion => ({
    domain: requireString(props, promotionKey('Domain')),
    domainOwner: requireString(props, promotionKey('DomainOwner')),
    source: requireString(props, promotionKey('SourceRepository')),
    destination: requireString(props, promotionKey('DestinationRepository')),
    format: requireString(props, promotionKey('Format')),
    namespace: optionalString(props, promotionKey('Namespace')),
    package: requireString(props, promotionKey('Package')),
    ...parseVersions(props),
    allowOverwrite: parseBoolean(props, promotionKey('AllowOverwrite'), false),
    includeFromUpstream: parseBoolean(props, promotionKey('IncludeFromUpstream'), false),
  }),
  attributes: ['PromotedRevisions'],
});

/** The module's families, which the routers serve from its bundle. */
export const CODEARTIFACT_FAMILIES = [ORIGIN_CONTROL_FAMILY, PACKAGE_VERSION_FAMILY, PROMOTION_FAMILY];
