import { ApiConstraints, MemberRef } from '../../core/api-constraints';

type Members = Readonly<Record<string, MemberRef>>;
/** The members that name a domain, a repository in it, a package in that, and versions of the package: the API repeats them. */
const IN_DOMAIN: Members = { domain: { shape: 'DomainName', required: true }, domainOwner: { shape: 'AccountId' } };
const IN_REPOSITORY: Members = { ...IN_DOMAIN, repository: { shape: 'RepositoryName', required: true } };
const PACKAGE: Members = {
  ...IN_REPOSITORY,
  format: { shape: 'PackageFormat', required: true },
  namespace: { shape: 'PackageNamespace' },
  package: { shape: 'PackageName', required: true },
};
const PACKAGE_VERSIONS: Members = { ...PACKAGE, versions: { shape: 'PackageVersionList', required: true } };

/**
 * What the CodeArtifact API (2018-09-22) documents for the inputs this module synthesizes or sends.
 * Patterns are the model's own; `compilePattern` understands their Unicode classes (`\P{C}`, `\p{IsWhitespace}`).
 */
export const CODEARTIFACT_API: ApiConstraints = {
  service: 'CodeArtifact',
  shapes: {
    AccountId: { type: 'string', min: 12, max: 12, pattern: '^[0-9]{12}$' },
    AllowPublish: { type: 'enum', values: ['ALLOW', 'BLOCK'] },
    AllowUpstream: { type: 'enum', values: ['ALLOW', 'BLOCK'] },
    Arn: { type: 'string', min: 1, max: 1011, pattern: '^\\S+$' },
    Asset: { type: 'blob' },
    AssetName: { type: 'string', min: 1, max: 255, pattern: '^\\P{C}+$' },
    AuthorizationTokenDurationSeconds: { type: 'integer', min: 0, max: 43200 },
    BooleanOptional: { type: 'boolean' },
    Description: { type: 'string', min: 0, max: 1000, pattern: '^\\P{C}*$' },
    DomainName: { type: 'string', min: 2, max: 50, pattern: '^[a-z][a-z0-9\\-]{0,48}[a-z0-9]$' },
    ExternalConnectionName: { type: 'string', min: 2, max: 100, pattern: '^[A-Za-z0-9][A-Za-z0-9._\\-:]{1,99}$' },
    ListPackageVersionAssetsMaxResults: { type: 'integer', min: 1, max: 1000 },
    OriginRestrictions: { type: 'map', key: 'PackageGroupOriginRestrictionType', value: 'PackageGroupOriginRestrictionMode' },
    PackageFormat: { type: 'enum', values: ['npm', 'pypi', 'maven', 'nuget', 'generic', 'ruby', 'swift', 'cargo'] },
    PackageGroupAllowedRepository: {
      type: 'structure',
      members: {
        repositoryName: { shape: 'RepositoryName' },
        originRestrictionType: { shape: 'PackageGroupOriginRestrictionType' },
      },
    },
    PackageGroupAllowedRepositoryList: { type: 'list', member: 'PackageGroupAllowedRepository' },
    PackageGroupContactInfo: { type: 'string', min: 0, max: 1000, pattern: '^\\P{C}*$' },
    PackageGroupOriginRestrictionMode: { type: 'enum', values: ['ALLOW', 'ALLOW_SPECIFIC_REPOSITORIES', 'BLOCK', 'INHERIT'] },
    PackageGroupOriginRestrictionType: { type: 'enum', values: ['EXTERNAL_UPSTREAM', 'INTERNAL_UPSTREAM', 'PUBLISH'] },
    PackageGroupPattern: { type: 'string', min: 2, max: 520, pattern: '^[^\\p{C}\\p{IsWhitespace}]+$' },
    PackageName: { type: 'string', min: 1, max: 255, pattern: '^[^#/\\s]+$' },
    PackageNamespace: { type: 'string', min: 1, max: 255, pattern: '^[^#/\\s]+$' },
    PackageOriginRestrictions: {
      type: 'structure',
      members: {
        publish: { shape: 'AllowPublish', required: true },
        upstream: { shape: 'AllowUpstream', required: true },
      },
    },
    PackageVersion: { type: 'string', min: 1, max: 255, pattern: '^[^#/\\s]+$' },
    PackageVersionList: { type: 'list', min: 0, max: 100, member: 'PackageVersion' },
    PackageVersionRevision: { type: 'string', min: 1, max: 50, pattern: '^\\S+$' },
    PackageVersionRevisionMap: { type: 'map', key: 'PackageVersion', value: 'PackageVersionRevision' },
    PackageVersionStatus: { type: 'enum', values: ['Published', 'Unfinished', 'Unlisted', 'Archived', 'Disposed', 'Deleted'] },
    PaginationToken: { type: 'string', min: 1, max: 2000, pattern: '^\\S+$' },
    RepositoryName: { type: 'string', min: 2, max: 100, pattern: '^[A-Za-z0-9][A-Za-z0-9._\\-]{1,99}$' },
    SHA256: { type: 'string', min: 64, max: 64, pattern: '^[0-9a-f]+$' },
    Tag: { type: 'structure', members: { key: { shape: 'TagKey', required: true }, value: { shape: 'TagValue', required: true } } },
    TagKey: { type: 'string', min: 1, max: 128, pattern: '^\\P{C}+$' },
    TagList: { type: 'list', min: 0, max: 200, member: 'Tag' },
    TagValue: { type: 'string', min: 0, max: 256, pattern: '^\\P{C}*$' },
    UpstreamRepository: { type: 'structure', members: { repositoryName: { shape: 'RepositoryName', required: true } } },
    UpstreamRepositoryList: { type: 'list', member: 'UpstreamRepository' },
  },
  operations: {
    CreateDomain: {
      domain: { shape: 'DomainName', required: true },
      encryptionKey: { shape: 'Arn' },
      tags: { shape: 'TagList' },
    },
    CreateRepository: {
      ...IN_REPOSITORY,
      description: { shape: 'Description' },
      upstreams: { shape: 'UpstreamRepositoryList' },
      tags: { shape: 'TagList' },
    },
    AssociateExternalConnection: { ...IN_REPOSITORY, externalConnection: { shape: 'ExternalConnectionName', required: true } },
    CreatePackageGroup: {
      ...IN_DOMAIN,
      packageGroup: { shape: 'PackageGroupPattern', required: true },
      contactInfo: { shape: 'PackageGroupContactInfo' },
      description: { shape: 'Description' },
      tags: { shape: 'TagList' },
    },
    UpdatePackageGroupOriginConfiguration: {
      ...IN_DOMAIN,
      packageGroup: { shape: 'PackageGroupPattern', required: true },
      restrictions: { shape: 'OriginRestrictions' },
      addAllowedRepositories: { shape: 'PackageGroupAllowedRepositoryList' },
      removeAllowedRepositories: { shape: 'PackageGroupAllowedRepositoryList' },
    },
    GetAuthorizationToken: { ...IN_DOMAIN, durationSeconds: { shape: 'AuthorizationTokenDurationSeconds' } },
    PutPackageOriginConfiguration: { ...PACKAGE, restrictions: { shape: 'PackageOriginRestrictions', required: true } },
    DescribePackage: PACKAGE,
    PublishPackageVersion: {
      ...PACKAGE,
      packageVersion: { shape: 'PackageVersion', required: true },
      assetContent: { shape: 'Asset', required: true },
      assetName: { shape: 'AssetName', required: true },
      assetSHA256: { shape: 'SHA256', required: true },
      unfinished: { shape: 'BooleanOptional' },
    },
    DescribePackageVersion: { ...PACKAGE, packageVersion: { shape: 'PackageVersion', required: true } },
    ListPackageVersionAssets: {
      ...PACKAGE,
      packageVersion: { shape: 'PackageVersion', required: true },
      maxResults: { shape: 'ListPackageVersionAssetsMaxResults' },
      nextToken: { shape: 'PaginationToken' },
    },
    UpdatePackageVersionsStatus: {
      ...PACKAGE_VERSIONS,
      versionRevisions: { shape: 'PackageVersionRevisionMap' },
      expectedStatus: { shape: 'PackageVersionStatus' },
      targetStatus: { shape: 'PackageVersionStatus', required: true },
    },
    DeletePackageVersions: { ...PACKAGE_VERSIONS, expectedStatus: { shape: 'PackageVersionStatus' } },
    CopyPackageVersions: {
      ...IN_DOMAIN,
      sourceRepository: { shape: 'RepositoryName', required: true },
      destinationRepository: { shape: 'RepositoryName', required: true },
      format: { shape: 'PackageFormat', required: true },
      namespace: { shape: 'PackageNamespace' },
      package: { shape: 'PackageName', required: true },
      versions: { shape: 'PackageVersionList' },
      versionRevisions: { shape: 'PackageVersionRevisionMap' },
      allowOverwrite: { shape: 'BooleanOptional' },
      includeFromUpstream: { shape: 'BooleanOptional' },
    },
    DisposePackageVersions: {
      ...PACKAGE_VERSIONS,
      versionRevisions: { shape: 'PackageVersionRevisionMap' },
      expectedStatus: { shape: 'PackageVersionStatus' },
    },
  },
};
