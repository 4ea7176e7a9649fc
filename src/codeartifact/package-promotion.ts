import { Token, TokenComparison } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { PackageFormat } from './package-format';
import { CODEARTIFACT_API } from './private/api-constraints';
import { PROMOTION_FAMILY } from './private/custom-resources/contract';
import { requireSameDomain } from './private/domains';
import { COORDINATE_FIX, validatePackage } from './private/validation';
import { IRepository } from './repository';
import { validateApiValue } from '../core/api-constraints';
import { KitResource } from '../core/custom-resource';
import { ValidationError } from '../core/validation';

/** Properties of a package promotion. */
export interface PackagePromotionProps {
  /** The repository the versions are copied from, e.g. `staging`. */
  readonly source: IRepository;

  /** The repository the versions are copied to, e.g. `release`: another repository of the source's domain. */
  readonly destination: IRepository;

  /** The package's format. */
  readonly format: PackageFormat;

  /**
   * The package's namespace: the npm scope without `@`, the Maven group ID, the Swift scope, the generic namespace.
   * Formats without namespaces (PyPI, NuGet, RubyGems, Cargo) take none.
   * @default - no namespace
   */
  readonly namespace?: string;

  /** The package's name. */
  readonly packageName: string;

  /**
   * The versions to copy, whatever their revision (1 to 100). Set this or `versionRevisions`.
   * @default - the versions of `versionRevisions`
   */
  readonly versions?: string[];

  /**
   * The versions to copy, each with the revision it must have in the source (at least one): a version rebuilt in the
   * source since it was tested fails the copy (MISMATCHED_REVISION) instead of releasing what nobody tested. Set this
   * or `versions`.
   * @default - the versions of `versions`, at any revision
   */
  readonly versionRevisions?: { [version: string]: string };

  /**
   * Replace a version the destination already holds with another revision. Left false, such a version fails the
   * deployment (ALREADY_EXISTS), since clients may have fetched the destination's revision already; a version
   * the destination holds with the revision promoted is left alone either way.
   * @default false
   */
  readonly allowOverwrite?: boolean;

  /**
   * Also copy versions that are not in the source but in one of its upstream repositories.
   * @default false
   */
  readonly includeFromUpstream?: boolean;
}

/** The most versions one copy takes (`PackageVersionList`). */
const MAX_VERSIONS = 100;

/**
 * Copies package versions from one repository to another of the same domain when the stack deploys
 * (`CopyPackageVersions`, for which CloudFormation has no resource): the release step of a pipeline that publishes
 * to `staging`, and promotes to `release` in a stage after its approval.
 *
 * Create and Update copy the versions listed (changing them copies the new list; the copy of a version already
 * promoted with the same revision is left alone, so a redeploy or a rollback succeeds). A version the copy refuses
 * fails the deployment with each version's reason (ALREADY_EXISTS with another revision, MISMATCHED_REVISION,
 * MISMATCHED_STATUS, NOT_ALLOWED, NOT_FOUND, SKIPPED); the versions copied in the same request stay copied. Another
 * package or repository replaces the resource. Delete, and any rollback, leave the copies in the destination: a
 * released version may be in use already, and removing it is a decision for a person (`aws codeartifact
 * delete-package-versions`), not for a rollback.
 *
 * The provider acts as a role holding `ReadFromRepository` on the source, `CopyPackageVersions` on the destination
 * and its package, and `DescribePackageVersion` on the package in both (to recognise a version promoted before). A
 * repository of another account needs its domain and repository policies to allow that role too.
 *
 * @example
 * declare const staging: codeartifact.IRepository;
 * declare const release: codeartifact.IRepository;
 * new codeartifact.PackagePromotion(this, 'ReleaseUi', {
 *   source: staging,
 *   destination: release,
 *   format: codeartifact.PackageFormat.NPM,
 *   namespace: 'acme',
 *   packageName: 'ui',
 *   versions: ['2.3.0'],
 * });
 */
export class PackagePromotion extends Construct {
  /** The ARN of the package in the destination repository. */
  public readonly packageArn: string;

  /**
   * The versions promoted and the revision each has in the destination, as `version=revision` joined by commas in the
   * order of the properties, e.g. `2.3.0=AbC...`.
   * @attribute
   */
  public readonly promotedRevisions: string;

  constructor(scope: Construct, id: string, props: PackagePromotionProps) {
    super(scope, id);
    validatePackage(this, props.format, props.namespace, props.packageName);
    this.validateRepositories(props.source, props.destination);
    const versions = this.validateVersions(props.versions, props.versionRevisions);

    const coordinates = { format: props.format, namespace: props.namespace, packageName: props.packageName };
    this.packageArn = props.destination.packageArn(coordinates);
    const sourcePackageArn = props.source.packageArn(coordinates);
    const resource = new KitResource(this, 'Resource', {
      family: PROMOTION_FAMILY,
      properties: {
        Domain: props.source.repositoryDomainName,
        DomainOwner: props.source.repositoryDomainOwner,
        SourceRepository: props.source.repositoryName,
        DestinationRepository: props.destination.repositoryName,
        Format: props.format.name,
        Namespace: props.namespace,
        Package: props.packageName,
        Versions: versions.list,
        VersionRevisions: versions.revisions,
        AllowOverwrite: props.allowOverwrite ?? false,
        IncludeFromUpstream: props.includeFromUpstream ?? false,
      },
      statements: [
        // CopyPackageVersions authorizes against the destination repository and the package (Service Authorization
        // Reference), and the caller needs ReadFromRepository on the source (CodeArtifact User Guide, "Copy packages").
        new iam.PolicyStatement({ actions: ['codeartifact:ReadFromRepository'], resources: [props.source.repositoryArn] }),
        new iam.PolicyStatement({ actions: ['codeartifact:CopyPackageVersions'], resources: [props.destination.repositoryArn, this.packageArn] }),
        new iam.PolicyStatement({ actions: ['codeartifact:DescribePackageVersion'], resources: [sourcePackageArn, this.packageArn] }),
      ],
    });
    // Both repositories must exist first and go last.
    resource.node.addDependency(props.source, props.destination);
    this.promotedRevisions = resource.attr('PromotedRevisions');
  }

  private validateRepositories(source: IRepository, destination: IRepository): void {
    requireSameDomain(this, source.domain, destination.domain,
      (from, to) => `the source repository ${source.node.path} is in ${from} and the destination ${destination.node.path} in ${to}`,
      'CodeArtifact copies package versions only within one domain',
      'Promote into a repository of the source\'s domain (domain.addRepository(...)), or publish the package to the other domain from a build.');
    const sameName = Token.compareStrings(source.repositoryName, destination.repositoryName) === TokenComparison.SAME;
    if (source === destination || (sameName && !Token.isUnresolved(source.repositoryName))) {
      throw new ValidationError(`the source and the destination are the same repository ('${source.repositoryName}', ${source.node.path}); `
        + 'a promotion copies versions into another repository of the domain, e.g. from staging to release: set `destination` to that repository.', this);
    }
  }

  private validateVersions(versions: string[] | undefined, revisions: { [version: string]: string } | undefined) {
    if ((versions === undefined) === (revisions === undefined)) {
      throw new ValidationError(`${versions === undefined ? 'neither' : 'both'} \`versions\` and \`versionRevisions\` given; `
        + 'CopyPackageVersions takes exactly one: `versions: [\'2.3.0\']` for any revision, or `versionRevisions: { \'2.3.0\': \'<revision>\' }` '
        + 'with the revision aws codeartifact describe-package-version shows for the version you tested.', this);
    }
    const fix = `${COORDINATE_FIX}; a version such as 2.3.0 or 1.0.0-rc.1.`;
    if (versions !== undefined) {
      if (Token.isUnresolved(versions)) return { list: versions };
      // The model bounds the list (PackageVersionList: 100) but not the map of versionRevisions.
      this.validateCount('versions', versions, MAX_VERSIONS);
      versions.forEach((v, i) => validateApiValue(this, CODEARTIFACT_API, 'PackageVersion', `versions[${i}]`, v, fix));
      return { list: versions };
    }
    if (Token.isUnresolved(revisions)) return { revisions };
    this.validateCount('versionRevisions', Object.keys(revisions!));
    for (const [v, revision] of Object.entries(revisions!)) {
      validateApiValue(this, CODEARTIFACT_API, 'PackageVersion', 'versionRevisions key', v, fix);
      validateApiValue(this, CODEARTIFACT_API, 'PackageVersionRevision', `versionRevisions['${v}']`, revision,
        'Copy the revision aws codeartifact describe-package-version shows for the version (its `revision`), without white space.');
    }
    return { revisions };
  }

  private validateCount(prop: string, versions: string[], max?: number): void {
    if (versions.length === 0) {
      throw new ValidationError(`invalid ${prop}: no versions; a promotion copies at least one. List the versions to promote, e.g. `
        + (prop === 'versions' ? '[\'2.3.0\'].' : '{ \'2.3.0\': \'<revision>\' }.'), this);
    }
    if (max !== undefined && versions.length > max) {
      throw new ValidationError(`invalid ${prop}: ${versions.length} versions; one CopyPackageVersions call takes at most ${max}. `
        + 'Split them over several PackagePromotions (one per release train, say).', this);
    }
    const literal = versions.filter(v => !Token.isUnresolved(v));
    const repeated = literal.filter((v, i) => literal.indexOf(v) !== i);
    if (repeated.length > 0) {
      throw new ValidationError(`invalid ${prop}: '${repeated[0]}' is listed twice; list each version once.`, this);
    }
  }
}
