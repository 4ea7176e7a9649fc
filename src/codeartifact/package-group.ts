import { IResource, Resource, Token } from 'aws-cdk-lib';
import { CfnPackageGroup } from 'aws-cdk-lib/aws-codeartifact';
import { Construct } from 'constructs';
import { IDomain } from './domain';
import { CODEARTIFACT_API } from './private/api-constraints';
import { parseCodeArtifactArn } from './private/arn';
import { claimInDomain, requireSameDomain } from './private/domains';
import { FREE_TEXT_FIX, NPM_SCOPE_NOTE } from './private/validation';
import { IRepository } from './repository';
import { validateApiValue } from '../core/api-constraints';
import { ValidationError } from '../core/validation';

/**
 * A CodeArtifact package group: origin rules for every package whose name matches a pattern.
 */
export interface IPackageGroup extends IResource {
  /**
   * The ARN of the package group.
   * @attribute
   */
  readonly packageGroupArn: string;
}

/**
 * Where packages of a package group may come from, for one kind of origin (publishing, external
 * connections or internal upstream repositories).
 */
export class OriginRestriction {
  /** Allowed from any repository of the domain. */
  public static readonly ALLOW = new OriginRestriction('ALLOW', []);
  /** Blocked in every repository of the domain. */
  public static readonly BLOCK = new OriginRestriction('BLOCK', []);
  /** The setting of the closest parent group whose setting is not INHERIT (the root group `/*` allows everything). */
  public static readonly INHERIT = new OriginRestriction('INHERIT', []);

  /**
   * Allowed only in the given repositories (of the package group's domain), blocked in the others.
   */
  public static allowSpecificRepositories(repositories: IRepository[]): OriginRestriction {
    // An empty list is refused by the package group that uses it, which can name itself and the setting.
    return new OriginRestriction('ALLOW_SPECIFIC_REPOSITORIES', repositories);
  }

  /**
   * @param mode the restriction mode as CloudFormation expects it
   * @param repositories the repositories an ALLOW_SPECIFIC_REPOSITORIES restriction allows
   */
  private constructor(public readonly mode: string, public readonly repositories: IRepository[]) {}
}

/** Properties of a package group. */
export interface PackageGroupProps {
  /** The domain the package group belongs to. */
  readonly domain: IDomain;

  /**
   * The packages the group covers, as `/<format>/<namespace>/<name>` with a suffix: `$` matches exactly,
   * `~` matches a prefix and `*` every value of the rest. Packages without a namespace use an empty one, and an
   * npm scope is written without its `@` (`/npm/acme/*` for every `@acme/...` package).
   * Examples: `/npm/*`, `/npm/acme/*`, `/maven/com.acme~`, `/pypi//requests$`, `/npm/acme/ui-~`.
   * The pattern identifies the group within its domain: a second group of the same domain construct with the same
   * pattern fails the synth. Changing it replaces the group.
   * @see https://docs.aws.amazon.com/codeartifact/latest/ug/package-group-definition-syntax-matching-behavior.html
   */
  readonly pattern: string;

  /**
   * A description of the package group.
   * @default - no description
   */
  readonly description?: string;

  /**
   * How to reach the people responsible for the packages.
   * @default - no contact information
   */
  readonly contactInfo?: string;

  /**
   * Whether packages of the group may be published directly to repositories of the domain.
   * @default - the parent group's setting (INHERIT)
   */
  readonly publish?: OriginRestriction;

  /**
   * Whether packages of the group may be ingested from external connections (public registries). Block it
   * for internal package names to defend against dependency confusion.
   * @default - the parent group's setting (INHERIT)
   */
  readonly externalUpstream?: OriginRestriction;

  /**
   * Whether packages of the group may be retained from upstream repositories of the domain.
   * @default - the parent group's setting (INHERIT)
   */
  readonly internalUpstream?: OriginRestriction;
}

/** `/*`, `/<format>/*`, `/<format>/<namespace>~`, `/<format>/<namespace>/*` or `/<format>/<namespace>/<name>` with `$` or `~`. */
const PATTERN_SYNTAX = /^\/(\*|[a-z][a-z0-9]*\/(\*|[^/\s$~*#]+~|[^/\s$~*#]*\/(\*|[^/\s$~*#]+[$~])))$/;

/**
 * Defines a CodeArtifact package group.
 *
 * @example
 * declare const domain: codeartifact.IDomain;
 * new codeartifact.PackageGroup(this, 'Internal', {
 *   domain,
 *   pattern: '/npm/acme/*',
 *   externalUpstream: codeartifact.OriginRestriction.BLOCK,
 * });
 */
export class PackageGroup extends Resource implements IPackageGroup {
  /**
   * Imports a package group from its ARN
   * (`arn:<partition>:codeartifact:<region>:<account>:package-group/<domain>/<encoded pattern>`).
   *
   * The import's account and region are the ARN's: an ARN without an account or a region, or whose account is
   * not 12 digits, is refused. A token ARN (for example `group.packageGroupArn` from another stack) is accepted
   * unchecked: the import's account and region are then the ARN's fields read at deploy time (`Fn::Select` on
   * the ARN), not the stack's.
   */
  public static fromPackageGroupArn(scope: Construct, id: string, packageGroupArn: string): IPackageGroup {
    parseCodeArtifactArn(scope, id, packageGroupArn, {
      what: 'CodeArtifact package group',
      resource: 'package-group',
      resourceName: /\//,
      format: 'arn:<partition>:codeartifact:<region>:<account>:package-group/<domain>/<encoded pattern>',
      fix: 'Copy the ARN from `aws codeartifact describe-package-group --domain <domain> --domain-owner <account> '
        + '--package-group <pattern> --query packageGroup.arn`.',
    });
    class Import extends Resource implements IPackageGroup {
      public readonly packageGroupArn = packageGroupArn;
    }
    return new Import(scope, id, { environmentFromArn: packageGroupArn });
  }

  public readonly packageGroupArn: string;
  /**
   * The pattern of the package group, as given (CodeArtifact's `packageGroup` parameter in the CLI and API).
   * @attribute
   */
  public readonly packageGroupPattern: string;

  constructor(scope: Construct, id: string, props: PackageGroupProps) {
    super(scope, id);
    const fix = 'Write /<format>/<namespace>/<name> in lower-case format names, ending with $ (exactly this package), ~ (names '
      + 'that start with it) or * (everything below), with an empty namespace for formats without one: /npm/acme/* for every '
      + '@acme package, /pypi//requests$ for one PyPI package.';
    validateApiValue(this, CODEARTIFACT_API, 'PackageGroupPattern', 'pattern', props.pattern, fix);
    if (!Token.isUnresolved(props.pattern) && !PATTERN_SYNTAX.test(props.pattern)) {
      throw new ValidationError(`invalid pattern: '${props.pattern}' is not a package group pattern. ${fix}`, this);
    }
    const namespace = Token.isUnresolved(props.pattern) ? undefined : props.pattern.split('/')[2];
    if (namespace?.startsWith('@')) {
      throw new ValidationError(`invalid pattern '${props.pattern}': ${NPM_SCOPE_NOTE}, so no package has the namespace `
        + `'${namespace.replace(/~$/, '')}'. Drop the '@': '${props.pattern.replace('/@', '/')}'`, this);
    }
    validateApiValue(this, CODEARTIFACT_API, 'Description', 'description', props.description, FREE_TEXT_FIX);
    validateApiValue(this, CODEARTIFACT_API, 'PackageGroupContactInfo', 'contactInfo', props.contactInfo,
      'Give one line, such as a team e-mail address or chat channel (platform@acme.example); CodeArtifact refuses line breaks '
      + 'and other control characters.');

    claimInDomain(this, props.domain, `package-group:${props.pattern}`, {
      value: `the pattern '${props.pattern}'`,
      role: 'pattern',
      rule: 'the pattern identifies a package group within its domain',
      fix: holder => `Merge the two groups' settings into ${holder}, or give this group another pattern: a narrower one such as `
        + `/npm/acme/ui$ (one package) makes it a child of ${holder}`,
    });

    for (const [setting, r] of [['publish', props.publish], ['externalUpstream', props.externalUpstream], ['internalUpstream', props.internalUpstream]] as const) {
      if (r?.mode === 'ALLOW_SPECIFIC_REPOSITORIES' && r.repositories.length === 0) {
        throw new ValidationError(`invalid ${setting}: OriginRestriction.allowSpecificRepositories([]) allows no repository. `
          + `List the repositories that may take packages of ${props.pattern} this way, e.g. allowSpecificRepositories([team]), or `
          + 'use OriginRestriction.BLOCK to allow none', this);
      }
    }
    const restriction = (r?: OriginRestriction): CfnPackageGroup.RestrictionTypeProperty | undefined => r && {
      restrictionMode: r.mode,
      repositories: r.repositories.length > 0 ? r.repositories.map(repo => this.allowedRepositoryName(repo, props.domain)) : undefined,
    };
    const restrictions: CfnPackageGroup.RestrictionsProperty = {
      publish: restriction(props.publish),
      externalUpstream: restriction(props.externalUpstream),
      internalUpstream: restriction(props.internalUpstream),
    };
    const resource = new CfnPackageGroup(this, 'Resource', {
      domainName: props.domain.domainName,
      domainOwner: props.domain.domainOwner,
      pattern: props.pattern,
      description: props.description,
      contactInfo: props.contactInfo,
      originConfiguration: props.publish || props.externalUpstream || props.internalUpstream ? { restrictions } : undefined,
    });
    this.packageGroupArn = resource.attrArn;
    this.packageGroupPattern = props.pattern;
  }

  private allowedRepositoryName(repository: IRepository, domain: IDomain): string {
    requireSameDomain(this, repository.domain, domain,
      (theirs, ours) => `repository ${repository.node.path} is in ${theirs}, but the package group is in ${ours}`,
      'a package group can only allow repositories of its own domain',
      `Allow a repository of ${domain.node.path} instead, or define another package group in ${repository.domain.node.path} `
      + `for ${repository.node.path}`);
    return repository.repositoryName;
  }
}
