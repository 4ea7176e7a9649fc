import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { PackageFormat } from './package-format';
import { ORIGIN_CONTROL_FAMILY } from './private/custom-resources/contract';
import { validatePackage } from './private/validation';
import { IRepository } from './repository';
import { KitResource } from '../core/custom-resource';

/** Whether a package may take versions from one origin. */
export enum PackageOriginMode {
  /** Versions from this origin are accepted. */
  ALLOW = 'ALLOW',
  /** Versions from this origin are refused. */
  BLOCK = 'BLOCK',
}

/** Properties of a package origin control. */
export interface PackageOriginControlProps {
  /** The repository the package is in (or will be in). */
  readonly repository: IRepository;

  /** The package's format. */
  readonly format: PackageFormat;

  /**
   * The package's namespace: the npm scope without `@`, the Maven group ID, the Swift scope. Formats
   * without namespaces (PyPI, NuGet, RubyGems, Cargo) take none.
   * @default - no namespace
   */
  readonly namespace?: string;

  /** The package's name. */
  readonly packageName: string;

  /**
   * Whether versions may be published directly to the repository.
   * @default PackageOriginMode.ALLOW
   */
  readonly publish?: PackageOriginMode;

  /**
   * Whether versions may be ingested from upstream repositories and external connections. BLOCK it for an
   * internal package name to defend against dependency confusion.
   * @default PackageOriginMode.ALLOW
   */
  readonly upstream?: PackageOriginMode;
}

/** What the handler does to the package: read its restrictions (to record and restore them) and set them. */
const ORIGIN_CONTROL_ACTIONS = ['codeartifact:DescribePackage', 'codeartifact:PutPackageOriginConfiguration'];

/**
 * Sets the origin restrictions of one package in one repository (CloudFormation has no resource for it).
 *
 * Works before the package exists: CodeArtifact creates it without versions, so publishing or ingestion
 * can be blocked before any client connects. Changing the modes updates it in place; another package
 * replaces it.
 *
 * CodeArtifact cannot remove a package's origin configuration without deleting the package and all its
 * versions, which this construct never does. So the handler records the restrictions the package had when
 * the resource was created, and removing the construct (or replacing it with another package) puts them back:
 * a package published directly gets its publish ALLOW / upstream BLOCK back, not ALLOW/ALLOW, which would
 * open it to dependency substitution. A package that did not exist before is left publish ALLOW / upstream
 * ALLOW, as for a package nobody configured; resources deployed by an earlier version of this library, which
 * recorded nothing, restore CodeArtifact's default for a package published directly (ALLOW/BLOCK).
 *
 * The restrictions are only restored when the package still has the ones this resource set. When they
 * differ, someone else changed them since (a person, or another `PackageOriginControl` for the same
 * package) and they stay. A move of the construct to another construct path (a new logical id: the new
 * resource is created, then the old one deleted) is recognised within the stack: the new resource takes over
 * the old one's record of what the package had, and the old one's Delete leaves the package to it. A move to
 * another stack is not: keep the construct in its stack, or redeploy once the move is done with the modes
 * changed and then changed back.
 *
 * @example
 * declare const repository: codeartifact.IRepository;
 * new codeartifact.PackageOriginControl(this, 'InternalUi', {
 *   repository,
 *   format: codeartifact.PackageFormat.NPM,
 *   namespace: 'acme',
 *   packageName: 'ui',
 *   upstream: codeartifact.PackageOriginMode.BLOCK,
 * });
 */
export class PackageOriginControl extends Construct {
  /** The ARN of the package. */
  public readonly packageArn: string;

  constructor(scope: Construct, id: string, props: PackageOriginControlProps) {
    super(scope, id);
    validatePackage(this, props.format, props.namespace, props.packageName);
    this.packageArn = props.repository.packageArn({ format: props.format, namespace: props.namespace, packageName: props.packageName });
    const resource = new KitResource(this, 'Resource', {
      family: ORIGIN_CONTROL_FAMILY,
      properties: {
        Domain: props.repository.repositoryDomainName,
        DomainOwner: props.repository.repositoryDomainOwner,
        Repository: props.repository.repositoryName,
        Format: props.format.name,
        Namespace: props.namespace,
        Package: props.packageName,
        Publish: props.publish ?? PackageOriginMode.ALLOW,
        Upstream: props.upstream ?? PackageOriginMode.ALLOW,
      },
      // One statement, for the bytes of every instance, granting no more than two would: the CodeArtifact actions act on
      // packages and ListStackResources on stacks only, so neither matches the other's ARN. Listing this stack's
      // resources finds another origin control of it for the same package (this construct at a new path).
      statements: [new iam.PolicyStatement({
        actions: [...ORIGIN_CONTROL_ACTIONS, 'cloudformation:ListStackResources'],
        resources: [this.packageArn, Stack.of(this).stackId],
      })],
    });
    // The repository must exist first and go last.
    resource.node.addDependency(props.repository);
  }
}
