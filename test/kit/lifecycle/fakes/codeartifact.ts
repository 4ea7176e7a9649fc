import { createHash } from 'crypto';
import {
  AllowPublish, AllowUpstream, CopyPackageVersionsCommand, CopyPackageVersionsRequest, DeletePackageVersionsCommand, DeletePackageVersionsRequest,
  DescribePackageCommand, DescribePackageRequest,
  DescribePackageVersionCommand, DescribePackageVersionRequest, DisposePackageVersionsCommand, DisposePackageVersionsRequest,
  ListPackageVersionAssetsCommand, ListPackageVersionAssetsRequest, PackageVersionError, PackageVersionStatus, PublishPackageVersionCommand,
  PublishPackageVersionCommandInput, PutPackageOriginConfigurationCommand, PutPackageOriginConfigurationRequest, SuccessfulPackageVersionInfo,
  UpdatePackageVersionsStatusCommand, UpdatePackageVersionsStatusRequest,
} from '@aws-sdk/client-codeartifact';
import { AwsStub } from 'aws-sdk-client-mock';
import { CODEARTIFACT_API } from '../../../../src/codeartifact/private/api-constraints';
import { awsError } from '../../sdk';
import { FakeService, route, VirtualClock } from '../world';

export interface Restrictions {
  readonly publish: AllowPublish;
  readonly upstream: AllowUpstream;
}

export interface VersionState {
  status: PackageVersionStatus;
  /** SHA-256 by asset name. */
  readonly assets: Map<string, string>;
  revision: number;
}

export interface PackageState {
  restrictions: Restrictions;
  readonly versions: Map<string, VersionState>;
}

/** Where a package lives; the namespace is '' for formats without one. */
export interface PackageCoordinates {
  readonly domain: string;
  readonly domainOwner?: string;
  readonly repository: string;
  readonly format: string;
  readonly namespace?: string;
  readonly package: string;
}

/** The SHA-256 of content, as CodeArtifact reports it. */
export function sha256(content: Uint8Array | string): string {
  return createHash('sha256').update(content).digest('hex');
}

/**
 * CodeArtifact's packages and package versions in existing repositories. PutPackageOriginConfiguration
 * creates an empty package when it does not exist; a package first published to directly gets publish
 * ALLOW / upstream BLOCK. Published versions are immutable (ConflictException); Unfinished ones take more
 * assets. The batch operations answer per version in successfulVersions and failedVersions (NOT_FOUND,
 * MISMATCHED_STATUS...). IAM is checked on the package ARN the constructs grant
 * (`package/<domain>/<repository>/<format>/<namespace>/<package>`); a copy needs `ReadFromRepository` on the source
 * repository and `CopyPackageVersions` on the destination repository and its package. A copy keeps the version's
 * status, assets and revision; the destination's package takes a copy only when its publish restriction is ALLOW.
 */
export class FakeCodeArtifact extends FakeService {
  public readonly repositories = new Set<string>();
  public readonly packages = new Map<string, PackageState>();

  constructor(clock: VirtualClock, private readonly account = '123456789012') {
    super('CodeArtifact', clock, {
      throttling: 'ThrottlingException', accessDenied: 'AccessDeniedException', validation: 'ValidationException', notFound: 'ResourceNotFoundException',
    }, CODEARTIFACT_API);
  }

  public repositoryArn(domain: string, repository: string, owner = this.account): string {
    return `arn:aws:codeartifact:us-east-1:${owner}:repository/${domain}/${repository}`;
  }

  public addRepository(domain: string, repository: string): void {
    this.repositories.add(`${this.account}/${domain}/${repository}`);
  }

  public key(c: PackageCoordinates): string {
    return [c.domainOwner ?? this.account, c.domain, c.repository, c.format, c.namespace ?? '', c.package].join('/');
  }

  public packageArn(c: PackageCoordinates): string {
    return `arn:aws:codeartifact:us-east-1:${c.domainOwner ?? this.account}:package/${c.domain}/${c.repository}/${c.format}/${c.namespace ?? ''}/${c.package}`;
  }

  /** A package as it exists before the stack (published to directly, or ingested from upstream). */
  public addPackage(c: PackageCoordinates, restrictions: Restrictions): PackageState {
    const state: PackageState = { restrictions, versions: new Map() };
    this.packages.set(this.key(c), state);
    return state;
  }

  public find(c: PackageCoordinates): PackageState | undefined {
    return this.packages.get(this.key(c));
  }

  public snapshot(): unknown {
    return [...this.packages.entries()].map(([key, p]) => ({
      key,
      restrictions: p.restrictions,
      versions: [...p.versions.entries()].map(([v, s]) => ({ version: v, status: s.status, assets: Object.fromEntries(s.assets) })),
    }));
  }

  public putPackageOriginConfiguration(input: PutPackageOriginConfigurationRequest) {
    const c = input as PackageCoordinates;
    this.admit('PutPackageOriginConfiguration', input, 'codeartifact:PutPackageOriginConfiguration', this.packageArn(c), true);
    this.repository(c);
    const restrictions = { publish: input.restrictions!.publish!, upstream: input.restrictions!.upstream! };
    const existing = this.find(c);
    if (existing) existing.restrictions = restrictions;
    else this.addPackage(c, restrictions);
    return { originConfiguration: { restrictions } };
  }

  public describePackage(input: DescribePackageRequest) {
    const c = input as PackageCoordinates;
    this.admit('DescribePackage', input, 'codeartifact:DescribePackage', this.packageArn(c), false);
    const found = this.packageOf(c);
    return {
      package: { format: input.format, namespace: input.namespace, name: input.package, originConfiguration: { restrictions: found.restrictions } },
    };
  }

  public publishPackageVersion(input: PublishPackageVersionCommandInput) {
    const c = input as PackageCoordinates;
    this.admit('PublishPackageVersion', input, 'codeartifact:PublishPackageVersion', this.packageArn(c), true);
    this.repository(c);
    // The handler sends the asset as bytes (a Uint8Array), which is what this fake reads.
    const content = input.assetContent as Uint8Array;
    if (sha256(content) !== input.assetSHA256) throw awsError('ValidationException', 'assetSHA256 does not match the asset content');
    const pkg = this.find(c) ?? this.addPackage(c, { publish: 'ALLOW', upstream: 'BLOCK' });
    let version = pkg.versions.get(input.packageVersion!);
    if (version && version.status !== 'Unfinished') {
      throw awsError('ConflictException', `package version ${input.packageVersion} already exists with status ${version.status}`);
    }
    if (version?.assets.has(input.assetName!)) throw awsError('ConflictException', `asset ${input.assetName} already exists`);
    if (!version) {
      version = { status: 'Unfinished', assets: new Map(), revision: 0 };
      pkg.versions.set(input.packageVersion!, version);
    }
    version.assets.set(input.assetName!, input.assetSHA256!);
    version.status = input.unfinished ? 'Unfinished' : 'Published';
    version.revision++;
    return {
      format: input.format,
      namespace: input.namespace,
      package: input.package,
      version: input.packageVersion,
      versionRevision: String(version.revision),
      status: version.status,
      asset: { name: input.assetName, size: content.length, hashes: { 'SHA-256': input.assetSHA256! } },
    };
  }

  public describePackageVersion(input: DescribePackageVersionRequest) {
    const c = input as PackageCoordinates;
    this.admit('DescribePackageVersion', input, 'codeartifact:DescribePackageVersion', this.packageArn(c), false);
    const version = this.packageOf(c).versions.get(input.packageVersion!);
    if (!version) throw this.notFound(`Package version ${input.packageVersion}`);
    return {
      packageVersion: {
        format: input.format,
        namespace: input.namespace,
        packageName: input.package,
        version: input.packageVersion,
        status: version.status,
        revision: String(version.revision),
      },
    };
  }

  public listPackageVersionAssets(input: ListPackageVersionAssetsRequest) {
    const c = input as PackageCoordinates;
    this.admit('ListPackageVersionAssets', input, 'codeartifact:ListPackageVersionAssets', this.packageArn(c), false);
    const version = this.packageOf(c).versions.get(input.packageVersion!);
    if (!version) throw this.notFound(`Package version ${input.packageVersion}`);
    return { assets: [...version.assets.entries()].map(([name, sha]) => ({ name, hashes: { 'SHA-256': sha } })) };
  }

  public updatePackageVersionsStatus(input: UpdatePackageVersionsStatusRequest) {
    const c = input as PackageCoordinates;
    this.admit('UpdatePackageVersionsStatus', input, 'codeartifact:UpdatePackageVersionsStatus', this.packageArn(c), true);
    return this.batch(c, input.versions ?? [], input.expectedStatus, version => { version.status = input.targetStatus!; });
  }

  public deletePackageVersions(input: DeletePackageVersionsRequest) {
    const c = input as PackageCoordinates;
    this.admit('DeletePackageVersions', input, 'codeartifact:DeletePackageVersions', this.packageArn(c), true);
    const pkg = this.packageOf(c);
    return this.batch(c, input.versions ?? [], input.expectedStatus, (_version, name) => { pkg.versions.delete(name); }, 'Deleted');
  }

  public disposePackageVersions(input: DisposePackageVersionsRequest) {
    const c = input as PackageCoordinates;
    this.admit('DisposePackageVersions', input, 'codeartifact:DisposePackageVersions', this.packageArn(c), true);
    return this.batch(c, input.versions ?? [], input.expectedStatus, version => {
      version.status = 'Disposed';
      version.assets.clear();
    });
  }

  public copyPackageVersions(input: CopyPackageVersionsRequest) {
    const from: PackageCoordinates = {
      domain: input.domain!,
      domainOwner: input.domainOwner,
      repository: input.sourceRepository!,
      format: input.format!,
      namespace: input.namespace,
      package: input.package!,
    };
    const to: PackageCoordinates = { ...from, repository: input.destinationRepository! };
    this.admit('CopyPackageVersions', input, 'codeartifact:CopyPackageVersions', this.repositoryArn(to.domain, to.repository, to.domainOwner), true, [
      ['codeartifact:CopyPackageVersions', this.packageArn(to)],
      ['codeartifact:ReadFromRepository', this.repositoryArn(from.domain, from.repository, from.domainOwner)],
    ]);
    if ((input.versions === undefined) === (input.versionRevisions === undefined)) {
      throw awsError('ValidationException', 'You must specify versions or versionRevisions, not both');
    }
    const source = this.packageOf(from);
    this.repository(to);
    const requested = input.versions ?? Object.keys(input.versionRevisions!);
    const successfulVersions: Record<string, SuccessfulPackageVersionInfo> = {};
    const failedVersions: Record<string, PackageVersionError> = {};
    for (const name of requested) {
      const version = source.versions.get(name);
      const pinned = input.versionRevisions?.[name];
      const destination = this.find(to);
      const fail = (errorCode: PackageVersionError['errorCode'], errorMessage: string) => { failedVersions[name] = { errorCode, errorMessage }; };
      if (!version) {fail('NOT_FOUND', `version ${name} not found in ${from.repository}`);} else if (pinned !== undefined && pinned !== String(version.revision)) {fail('MISMATCHED_REVISION', `version ${name} has revision ${version.revision}`);} else if (!['Published', 'Unlisted', 'Archived'].includes(version.status)) {fail('MISMATCHED_STATUS', `version ${name} is ${version.status}`);} else if (destination?.restrictions.publish === 'BLOCK') {fail('NOT_ALLOWED', `package ${to.package} blocks publishing in ${to.repository}`);} else if (destination?.versions.has(name) && !input.allowOverwrite) {fail('ALREADY_EXISTS', `version ${name} already exists in ${to.repository}`);} else {
        const target = destination ?? this.addPackage(to, { publish: 'ALLOW', upstream: 'BLOCK' });
        target.versions.set(name, { status: version.status, assets: new Map(version.assets), revision: version.revision });
        successfulVersions[name] = { revision: String(version.revision), status: version.status };
      }
    }
    return { successfulVersions, failedVersions };
  }

  /** Routes the CodeArtifact commands of a mock to this fake. */
  public wire(mock: AwsStub<any, any, any>): this {
    route(mock, PutPackageOriginConfigurationCommand, input => this.putPackageOriginConfiguration(input));
    route(mock, DescribePackageCommand, input => this.describePackage(input));
    route(mock, PublishPackageVersionCommand, input => this.publishPackageVersion(input));
    route(mock, DescribePackageVersionCommand, input => this.describePackageVersion(input));
    route(mock, ListPackageVersionAssetsCommand, input => this.listPackageVersionAssets(input));
    route(mock, UpdatePackageVersionsStatusCommand, input => this.updatePackageVersionsStatus(input));
    route(mock, DeletePackageVersionsCommand, input => this.deletePackageVersions(input));
    route(mock, DisposePackageVersionsCommand, input => this.disposePackageVersions(input));
    route(mock, CopyPackageVersionsCommand, input => this.copyPackageVersions(input));
    return this;
  }

  private repository(c: PackageCoordinates): void {
    if (!this.repositories.has(`${c.domainOwner ?? this.account}/${c.domain}/${c.repository}`)) throw this.notFound(`Repository ${c.repository}`);
  }

  private packageOf(c: PackageCoordinates): PackageState {
    this.repository(c);
    const pkg = this.find(c);
    if (!pkg) throw this.notFound(`Package ${c.package}`);
    return pkg;
  }

  /** A batch operation: per-version results, as the service gives them (the call itself succeeds). */
  private batch(c: PackageCoordinates, versions: string[], expectedStatus: string | undefined,
    apply: (version: VersionState, name: string) => void, resultStatus?: PackageVersionStatus) {
    const pkg = this.packageOf(c);
    const successfulVersions: Record<string, SuccessfulPackageVersionInfo> = {};
    const failedVersions: Record<string, PackageVersionError> = {};
    for (const name of versions) {
      const version = pkg.versions.get(name);
      if (!version) {
        failedVersions[name] = { errorCode: 'NOT_FOUND', errorMessage: `version ${name} not found` };
      } else if (expectedStatus && version.status !== expectedStatus) {
        failedVersions[name] = { errorCode: 'MISMATCHED_STATUS', errorMessage: `version ${name} is ${version.status}, not ${expectedStatus}` };
      } else {
        apply(version, name);
        version.revision++;
        successfulVersions[name] = { revision: String(version.revision), status: resultStatus ?? version.status };
      }
    }
    return { successfulVersions, failedVersions };
  }
}
