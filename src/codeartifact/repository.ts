import { ArnFormat, IResource, Lazy, Names, RemovalPolicy, ResourceProps, Stack } from 'aws-cdk-lib';
import { CfnRepository } from 'aws-cdk-lib/aws-codeartifact';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { Domain, IDomain } from './domain';
import { ExternalConnection } from './external-connection';
import { LoginOptions, PackageManager, PackageManagerLogin } from './login';
import { PackageFormat } from './package-format';
import { CODEARTIFACT_API } from './private/api-constraints';
import { parseCodeArtifactArn } from './private/arn';
import { claimInDomain, describeDomain, requireSameDomain } from './private/domains';
import { renderLogin } from './private/login';
import { renderResourcePolicy, ResourceWithOwnPolicy } from './private/policy';
import { FREE_TEXT_FIX } from './private/validation';
import { validateApiValue } from '../core/api-constraints';
import { ValidationError } from '../core/validation';
import { WARNINGS } from '../core/warnings';

/**
 * What reading and browsing a repository needs on the repository ARN (besides logging in to its domain):
 * fetching packages with a package manager, and `list-packages`.
 */
const REPOSITORY_READ_ACTIONS = [
  'codeartifact:DescribeRepository',
  'codeartifact:GetRepositoryEndpoint',
  'codeartifact:ListPackages',
  'codeartifact:ReadFromRepository',
];
/**
 * What browsing needs on the repository's package ARNs (these actions authorize against the `package`
 * resource type, not the repository): `describe-package`, `list-package-versions`, `describe-package-version`
 * and the version's assets, dependencies and readme.
 */
const PACKAGE_READ_ACTIONS = [
  'codeartifact:DescribePackage',
  'codeartifact:DescribePackageVersion',
  'codeartifact:GetPackageVersionReadme',
  'codeartifact:ListPackageVersionAssets',
  'codeartifact:ListPackageVersionDependencies',
  'codeartifact:ListPackageVersions',
];
/** What publishing needs; these act on package ARNs, not on the repository ARN. */
const PUBLISH_ACTIONS = ['codeartifact:PublishPackageVersion', 'codeartifact:PutPackageMetadata'];
/** The most upstream repositories a repository can have. */
const MAX_UPSTREAMS = 10;

/**
 * A CodeArtifact repository.
 */
export interface IRepository extends IResource, iam.IResourceWithPolicy {
  /**
   * The ARN of the repository.
   * @attribute
   */
  readonly repositoryArn: string;

  /**
   * The name of the repository.
   * @attribute
   */
  readonly repositoryName: string;

  /**
   * The name of the domain the repository belongs to.
   * @attribute
   */
  readonly repositoryDomainName: string;

  /**
   * The account that owns the repository's domain.
   * @attribute
   */
  readonly repositoryDomainOwner: string;

  /** The domain the repository belongs to. */
  readonly domain: IDomain;

  /**
   * The URL package managers use for one format of this repository, e.g.
   * `https://<domain>-<owner>.d.codeartifact.<region>.amazonaws.com/npm/<repository>/`.
   */
  repositoryEndpoint(format: PackageFormat): string;

  /**
   * The environment variables and build commands that log a package manager in to this repository,
   * ready for a CodeBuild project (`environmentVariables` and a buildspec phase's `commands`).
   *
   * The commands fetch an authorization token at build time; no token reaches the template. The build's
   * role needs `grantRead()` (or `grantPublish()` to publish).
   */
  loginSettings(manager: PackageManager, options?: LoginOptions): PackageManagerLogin;

  /** The ARN of packages in this repository, for IAM statements. */
  packageArn(options?: PackageArnOptions): string;

  /** Grants the given actions on the repository (through its policy too when the grantee is in another account). */
  grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant;

  /**
   * Grants reading and browsing packages.
   *
   * That is logging in to the domain; `ReadFromRepository`, `GetRepositoryEndpoint`,
   * `DescribeRepository` and `ListPackages` on the repository; and `DescribePackage`, `DescribePackageVersion`,
   * `GetPackageVersionReadme`, `ListPackageVersions`, `ListPackageVersionAssets` and `ListPackageVersionDependencies`
   * on the repository's package ARNs.
   */
  grantRead(grantee: iam.IGrantable): iam.Grant;

  /**
   * Grants publishing packages (publishing versions and package metadata on the repository's package
   * ARNs), plus everything reading needs.
   * @param format only packages of this format @default - every format
   */
  grantPublish(grantee: iam.IGrantable, format?: PackageFormat): iam.Grant;

  /** Grants reading and publishing packages of every format. */
  grantReadWrite(grantee: iam.IGrantable): iam.Grant;

  /** Defines an EventBridge rule that fires on any CodeArtifact event of this repository. */
  onEvent(id: string, options?: events.OnEventOptions): events.Rule;

  /** Defines an EventBridge rule that fires when a package version of this repository changes state. */
  onPackageVersionStateChange(id: string, options?: events.OnEventOptions): events.Rule;
}

/** Which packages a package ARN covers. */
export interface PackageArnOptions {
  /**
   * The packages' format.
   * @default - every format (the ARN ends with `*`)
   */
  readonly format?: PackageFormat;

  /**
   * The packages' namespace (npm scope without `@`, Maven group ID, generic namespace).
   * @default - every namespace
   */
  readonly namespace?: string;

  /**
   * The package name.
   * @default - every package
   */
  readonly packageName?: string;
}

/** Attributes of an existing repository. */
export interface RepositoryAttributes {
  /** The repository's domain. */
  readonly domain: IDomain;
  /** The name of the repository. */
  readonly repositoryName: string;
}

abstract class RepositoryBase extends ResourceWithOwnPolicy implements IRepository {
  public abstract readonly repositoryArn: string;
  public abstract readonly repositoryName: string;
  public abstract readonly domain: IDomain;

  constructor(scope: Construct, id: string, props: ResourceProps = {}) {
    super(scope, id, props, { what: 'repository', warning: WARNINGS.codeartifactImportedRepositoryPolicy });
  }

  public get repositoryDomainName(): string {
    return this.domain.domainName;
  }

  public get repositoryDomainOwner(): string {
    return this.domain.domainOwner;
  }

  public repositoryEndpoint(format: PackageFormat): string {
    const stack = Stack.of(this);
    return `https://${this.domain.domainName}-${this.domain.domainOwner}.d.codeartifact.${this.env.region}.${stack.urlSuffix}`
      + `/${format.name}/${this.repositoryName}/`;
  }

  public loginSettings(manager: PackageManager, options: LoginOptions = {}): PackageManagerLogin {
    return renderLogin(this, manager, options);
  }

  public packageArn(options: PackageArnOptions = {}): string {
    const { format, namespace, packageName } = options;
    if (!format && (namespace !== undefined || packageName !== undefined)) {
      throw new ValidationError('a package ARN with a namespace or package name needs a format', this);
    }
    const path = [this.domain.domainName, this.repositoryName];
    if (!format) path.push('*');
    else if (packageName !== undefined) path.push(format.name, namespace ?? '', packageName); // no namespace: <format>//<name>
    else if (namespace !== undefined) path.push(format.name, namespace, '*');
    else path.push(format.name, '*');
    return Stack.of(this).formatArn({
      service: 'codeartifact',
      region: this.env.region,
      account: this.domain.domainOwner,
      resource: 'package',
      resourceName: path.join('/'),
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
  }

  public grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant {
    return this.grantOn(grantee, actions, [this.repositoryArn]);
  }

  public grantRead(grantee: iam.IGrantable): iam.Grant {
    return this.domain.grantLogin(grantee)
      .combine(this.grant(grantee, ...REPOSITORY_READ_ACTIONS))
      .combine(this.grantOn(grantee, PACKAGE_READ_ACTIONS, [this.packageArn()]));
  }

  public grantPublish(grantee: iam.IGrantable, format?: PackageFormat): iam.Grant {
    return this.grantRead(grantee).combine(this.grantOn(grantee, PUBLISH_ACTIONS, [this.packageArn({ format })]));
  }

  public grantReadWrite(grantee: iam.IGrantable): iam.Grant {
    return this.grantPublish(grantee);
  }

  public onEvent(id: string, options: events.OnEventOptions = {}): events.Rule {
    const rule = new events.Rule(this, id, options);
    rule.addEventPattern({
      source: ['aws.codeartifact'],
      detail: {
        domainName: [this.domain.domainName],
        domainOwner: [this.domain.domainOwner],
        repositoryName: [this.repositoryName],
      },
    });
    rule.addTarget(options.target);
    return rule;
  }

  public onPackageVersionStateChange(id: string, options: events.OnEventOptions = {}): events.Rule {
    const rule = this.onEvent(id, options);
    rule.addEventPattern({ detailType: ['CodeArtifact Package Version State Change'] });
    return rule;
  }

  /** Principal policy, and the repository's policy too for a grantee in another account. */
  private grantOn(grantee: iam.IGrantable, actions: string[], resourceArns: string[]): iam.Grant {
    // In a CodeArtifact resource policy, '*' means this repository and its packages.
    return iam.Grant.addToPrincipalOrResource({ grantee, actions, resourceArns, resourceSelfArns: ['*'], resource: this });
  }
}

/** Properties of a repository defined through its domain's `addRepository()`. */
export interface RepositoryOptions {
  /**
   * The name of the repository: 2 to 100 letters, digits, dots, underscores and hyphens, starting with a letter or digit.
   *
   * Unique within the domain: a second repository of the same domain construct with the same name fails the synth.
   * @default - a unique name generated from the construct path
   */
  readonly repositoryName?: string;

  /**
   * A description of the repository.
   * @default - no description
   */
  readonly description?: string;

  /**
   * Upstream repositories in the same domain, in priority order (CodeArtifact stops at the first that has
   * a requested version). At most 10; `addUpstream()` appends more. Each needs
   * `codeartifact:AssociateWithDownstreamRepository` for whoever deploys the stack.
   * @default - no upstream repositories
   */
  readonly upstreams?: IRepository[];

  /**
   * The public registry the repository proxies. A repository has at most one external connection; for
   * several, define one "store" repository per registry and use them as upstreams.
   * @default - no external connection
   */
  readonly externalConnection?: ExternalConnection;

  /**
   * What happens to the repository (and every package in it) when it leaves the stack.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** Properties of a CodeArtifact repository. */
export interface RepositoryProps extends RepositoryOptions {
  /** The domain the repository belongs to. */
  readonly domain: IDomain;
}

/**
 * Defines a CodeArtifact repository.
 *
 * @example
 * declare const domain: codeartifact.IDomain;
 * const npmStore = new codeartifact.Repository(this, 'NpmStore', {
 *   domain, externalConnection: codeartifact.ExternalConnection.NPMJS,
 * });
 * new codeartifact.Repository(this, 'Team', { domain, upstreams: [npmStore] });
 */
export class Repository extends RepositoryBase {
  /**
   * Imports a repository from its ARN (`arn:<partition>:codeartifact:<region>:<account>:repository/<domain>/<name>`).
   *
   * The domain's owner, and the import's account and region, are the ARN's: an ARN without an account or a
   * region, or whose account is not 12 digits, is refused (the repository endpoint and the grants need both). The ARN must be a literal, since
   * the names are read from it; for names known only at deploy time use `fromRepositoryAttributes()`.
   */
  public static fromRepositoryArn(scope: Construct, id: string, repositoryArn: string): IRepository {
    const parts = parseCodeArtifactArn(scope, id, repositoryArn, {
      what: 'CodeArtifact repository',
      resource: 'repository',
      resourceName: /^[^/]+\/[^/]+$/,
      format: 'arn:<partition>:codeartifact:<region>:<account>:repository/<domain>/<repository>',
      fix: 'Copy the ARN from `aws codeartifact describe-repository --domain <domain> --domain-owner <account> --repository <name> '
        + '--query repository.arn`, or use Repository.fromRepositoryAttributes() with a domain imported with its owner.',
      tokenError: 'fromRepositoryArn needs a literal ARN to read the names from, got a token; use Repository.fromRepositoryAttributes() instead',
    });
    const names = parts.resourceName.split('/');
    const domainArn = `arn:${parts.partition}:codeartifact:${parts.region}:${parts.account}:domain/${names[0]}`;
    return Repository.import(scope, id, repositoryArn, names[1], (imp) => Domain.fromDomainArn(imp, 'Domain', domainArn),
      { environmentFromArn: repositoryArn });
  }

  /**
   * Imports a repository from its domain and name. The import's account and region are the domain's.
   */
  public static fromRepositoryAttributes(scope: Construct, id: string, attrs: RepositoryAttributes): IRepository {
    const arn = Stack.of(scope).formatArn({
      service: 'codeartifact',
      region: attrs.domain.env.region,
      account: attrs.domain.domainOwner,
      resource: 'repository',
      resourceName: `${attrs.domain.domainName}/${attrs.repositoryName}`,
    });
    return Repository.import(scope, id, arn, attrs.repositoryName, () => attrs.domain,
      // The domain's environment, not its owner attribute: for a domain defined in the app the owner is a
      // deploy-time value, and grants would then take a same-account role for another account's.
      { account: attrs.domain.env.account, region: attrs.domain.env.region });
  }

  private static import(scope: Construct, id: string, arn: string, name: string, domainOf: (imp: Construct) => IDomain,
    environment: ResourceProps): IRepository {
    class Import extends RepositoryBase {
      public readonly repositoryArn = arn;
      public readonly repositoryName = name;
      public readonly domain: IDomain = domainOf(this);
      protected readonly ownsPolicy = false;
    }
    return new Import(scope, id, environment);
  }

  public readonly repositoryArn: string;
  public readonly repositoryName: string;
  public readonly domain: IDomain;
  /** The external connection, if any. */
  public readonly externalConnection?: ExternalConnection;
  protected readonly ownsPolicy = true;
  private readonly upstreamList: IRepository[] = [];

  constructor(scope: Construct, id: string, props: RepositoryProps) {
    super(scope, id, {
      physicalName: props.repositoryName ?? Lazy.string({
        produce: () => Names.uniqueResourceName(this, { maxLength: 100, separator: '-' }),
      }),
    });
    validateApiValue(this, CODEARTIFACT_API, 'RepositoryName', 'repositoryName', props.repositoryName,
      'Replace slashes, @ and spaces with hyphens and start with a letter or digit, e.g. npm-store or team.libs (the name '
      + 'appears in the repository URL), or omit repositoryName to have one generated.');
    validateApiValue(this, CODEARTIFACT_API, 'Description', 'description', props.description, FREE_TEXT_FIX);

    if (props.repositoryName !== undefined) {
      claimInDomain(this, props.domain, `repository:${props.repositoryName}`, {
        value: `repositoryName '${props.repositoryName}'`,
        role: 'name',
        rule: 'CodeArtifact names repositories uniquely within a domain',
        fix: holder => `Give this repository another name (e.g. '${props.repositoryName}-2'), or use ${holder} where you need it`,
      });
    }

    this.domain = props.domain;
    this.externalConnection = props.externalConnection;
    const resource = new CfnRepository(this, 'Resource', {
      repositoryName: this.physicalName,
      domainName: props.domain.domainName,
      domainOwner: props.domain.domainOwner,
      description: props.description,
      externalConnections: props.externalConnection ? [props.externalConnection.name] : undefined,
      upstreams: Lazy.list({ produce: () => this.upstreamList.map(u => u.repositoryName) }, { omitEmpty: true }),
      permissionsPolicyDocument: renderResourcePolicy(this, () => this.policy, {
        Arn: Stack.of(this).formatArn({ service: 'codeartifact', resource: 'repository', resourceName: `${props.domain.domainName}/${this.physicalName}` }),
        Name: this.physicalName,
      }),
    });
    resource.applyRemovalPolicy(props.removalPolicy ?? RemovalPolicy.RETAIN);

    this.repositoryName = this.getResourceNameAttribute(resource.attrName);
    this.repositoryArn = this.getResourceArnAttribute(resource.attrArn, {
      service: 'codeartifact', resource: 'repository', resourceName: `${props.domain.domainName}/${this.physicalName}`,
    });

    for (const upstream of props.upstreams ?? []) this.addUpstream(upstream);
    this.node.addValidation({ validate: () => this.policy?.validateForResourcePolicy() ?? [] });
  }

  /**
   * Appends an upstream repository (lowest priority so far). It must be in the same domain; at most 10.
   */
  public addUpstream(upstream: IRepository): void {
    if (upstream === this) {
      throw new ValidationError('a repository cannot be its own upstream; pass another repository of the domain', this);
    }
    if (this.upstreamList.includes(upstream)) {
      throw new ValidationError(`${upstream.node.path} is already an upstream; each upstream may appear once`, this);
    }
    if (this.upstreamList.length >= MAX_UPSTREAMS) {
      throw new ValidationError(`cannot add upstream ${upstream.node.path}: CodeArtifact allows at most ${MAX_UPSTREAMS} `
        + `upstream repositories (got ${this.upstreamList.length + 1}); chain repositories instead (an upstream can have upstreams)`, this);
    }
    requireSameDomain(this, upstream.domain, this.domain,
      (theirs, ours) => `upstream ${upstream.node.path} is in ${theirs}, but this repository is in ${ours}`,
      'CodeArtifact links upstream repositories only within one domain',
      `Define the upstream in this repository's domain (${this.domain.node.path}.addRepository('${upstream.node.id}', {...})), `
      + `or this repository in ${describeDomain(upstream.domain)}`);
    this.upstreamList.push(upstream);
  }

  /** The upstream repositories, in priority order. */
  public get upstreams(): IRepository[] {
    return [...this.upstreamList];
  }
}

