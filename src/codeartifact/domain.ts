import { IResource, Lazy, Names, RemovalPolicy, ResourceProps, Stack } from 'aws-cdk-lib';
import { CfnDomain } from 'aws-cdk-lib/aws-codeartifact';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { CODEARTIFACT_API } from './private/api-constraints';
import { parseCodeArtifactArn } from './private/arn';
import { registerDomain } from './private/domains';
import { renderResourcePolicy, ResourceWithOwnPolicy } from './private/policy';
import { Repository, RepositoryOptions } from './repository';
import { validateApiValue } from '../core/api-constraints';
import { WARNINGS } from '../core/warnings';

/** What reading through a domain's repositories needs on the domain: an authorization token. */
const LOGIN_ACTIONS = ['codeartifact:GetAuthorizationToken'];

/**
 * A CodeArtifact domain: the owner of a set of repositories, their package storage and its encryption key.
 */
export interface IDomain extends IResource, iam.IResourceWithPolicy {
  /**
   * The ARN of the domain.
   * @attribute
   */
  readonly domainArn: string;

  /**
   * The name of the domain.
   * @attribute
   */
  readonly domainName: string;

  /**
   * The account that owns the domain.
   * @attribute
   */
  readonly domainOwner: string;

  /**
   * The key that encrypts the domain's assets, when known.
   */
  readonly encryptionKey?: kms.IKey;

  /** Defines a repository in this domain. */
  addRepository(id: string, options?: RepositoryOptions): Repository;

  /** Grants the given actions on the domain (through the domain's policy too when the grantee is in another account). */
  grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant;

  /**
   * Grants what logging in to the domain's repositories needs: `codeartifact:GetAuthorizationToken` on the
   * domain and `sts:GetServiceBearerToken` for CodeArtifact (that action has no resource-level permissions,
   * so it is granted on `*` with an `sts:AWSServiceName` condition).
   */
  grantLogin(grantee: iam.IGrantable): iam.Grant;
}

/** Attributes of an existing domain. */
export interface DomainAttributes {
  /** The name of the domain. */
  readonly domainName: string;

  /**
   * The account that owns the domain.
   * @default - the account of the stack the domain is imported into
   */
  readonly domainOwner?: string;

  /**
   * The key that encrypts the domain's assets.
   * @default - unknown
   */
  readonly encryptionKey?: kms.IKey;
}

abstract class DomainBase extends ResourceWithOwnPolicy implements IDomain {
  public abstract readonly domainArn: string;
  public abstract readonly domainName: string;
  public abstract readonly domainOwner: string;
  public abstract readonly encryptionKey?: kms.IKey;

  constructor(scope: Construct, id: string, props: ResourceProps = {}) {
    super(scope, id, props, { what: 'domain', warning: WARNINGS.codeartifactImportedDomainPolicy });
  }

  public addRepository(id: string, options: RepositoryOptions = {}): Repository {
    return new Repository(this, id, { ...options, domain: this });
  }

  public grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant {
    // In a CodeArtifact resource policy, '*' means this domain (its own ARN would make the domain depend on itself).
    return iam.Grant.addToPrincipalOrResource({ grantee, actions, resource: this, resourceArns: [this.domainArn], resourceSelfArns: ['*'] });
  }

  public grantLogin(grantee: iam.IGrantable): iam.Grant {
    const bearer = iam.Grant.addToPrincipal({
      grantee,
      actions: ['sts:GetServiceBearerToken'],
      resourceArns: ['*'],
      conditions: { StringEquals: { 'sts:AWSServiceName': 'codeartifact.amazonaws.com' } },
    });
    return this.grant(grantee, ...LOGIN_ACTIONS).combine(bearer);
  }
}

/** Properties of a CodeArtifact domain. */
export interface DomainProps {
  /**
   * The name of the domain: 2 to 50 lower-case letters, digits and hyphens, starting with a letter.
   *
   * The name is the first label of the domain's public DNS names, so it must not carry anything secret.
   * @default - a unique name generated from the construct path
   */
  readonly domainName?: string;

  /**
   * The symmetric KMS key that encrypts the domain's package assets.
   *
   * Fixed at creation (CodeArtifact has no UpdateDomain): changing it replaces the domain. The
   * replacement fails while the domain holds repositories, and with an explicit `domainName`
   * (CloudFormation creates the new domain before deleting the old one, and names are unique).
   * @default - an AWS managed key
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * What happens to the domain when it leaves the stack. A domain with repositories cannot be deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * Defines a CodeArtifact domain.
 *
 * @example
 * const domain = new codeartifact.Domain(this, 'Domain', { domainName: 'acme' });
 * const repository = domain.addRepository('Team', { repositoryName: 'team' });
 */
export class Domain extends DomainBase {
  /**
   * Imports a domain from its ARN (`arn:<partition>:codeartifact:<region>:<account>:domain/<name>`).
   *
   * The domain's owner, and the import's account and region, are the ARN's: an ARN without an account or a
   * region, or whose account is not 12 digits, is refused. The ARN must be a literal, since the domain name is read from it; for names known
   * only at deploy time use `fromDomainAttributes()`.
   */
  public static fromDomainArn(scope: Construct, id: string, domainArn: string): IDomain {
    const parts = parseCodeArtifactArn(scope, id, domainArn, {
      what: 'CodeArtifact domain',
      resource: 'domain',
      resourceName: /^[^/]+$/,
      format: 'arn:<partition>:codeartifact:<region>:<account>:domain/<name>',
      fix: 'Copy the ARN from `aws codeartifact describe-domain --domain <name> --domain-owner <account> --query domain.arn`, '
        + 'or use Domain.fromDomainAttributes() with domainOwner.',
      tokenError: 'fromDomainArn needs a literal ARN to read the domain name from, got a token; use Domain.fromDomainAttributes() instead',
    });
    return Domain.import(scope, id, { domainName: parts.resourceName, domainOwner: parts.account }, domainArn, { environmentFromArn: domainArn });
  }

  /**
   * Imports a domain from its name and owner. The import's account is the owner, its region the stack's.
   */
  public static fromDomainAttributes(scope: Construct, id: string, attrs: DomainAttributes): IDomain {
    const stack = Stack.of(scope);
    const owner = attrs.domainOwner ?? stack.account;
    const arn = stack.formatArn({ service: 'codeartifact', resource: 'domain', resourceName: attrs.domainName, account: owner });
    return Domain.import(scope, id, { ...attrs, domainOwner: owner }, arn, { account: owner });
  }

  private static import(scope: Construct, id: string, attrs: DomainAttributes, arn: string, environment: ResourceProps): IDomain {
    class Import extends DomainBase {
      public readonly domainArn = arn;
      public readonly domainName = attrs.domainName;
      public readonly domainOwner = attrs.domainOwner!;
      public readonly encryptionKey = attrs.encryptionKey;
      protected readonly ownsPolicy = false;
    }
    const domain = new Import(scope, id, environment);
    registerDomain(domain, { defined: false, name: attrs.domainName });
    return domain;
  }

  public readonly domainArn: string;
  public readonly domainName: string;
  public readonly domainOwner: string;
  public readonly encryptionKey?: kms.IKey;
  /**
   * The ARN of the key that encrypts the domain's assets (the AWS managed key when none was given).
   * @attribute
   */
  public readonly domainEncryptionKey: string;
  protected readonly ownsPolicy = true;

  constructor(scope: Construct, id: string, props: DomainProps = {}) {
    super(scope, id, {
      physicalName: props.domainName ?? Lazy.string({ produce: () => generateDomainName(this) }),
    });
    validateApiValue(this, CODEARTIFACT_API, 'DomainName', 'domainName', props.domainName,
      'Write it in lower case, replace dots and underscores with hyphens and start with a letter, e.g. acme-packages; '
      + 'it becomes the first label of the repositories\' DNS names (acme-packages-111122223333.d.codeartifact...). '
      + 'Or omit domainName to have one generated.');

    const stack = Stack.of(this);
    const resource = new CfnDomain(this, 'Resource', {
      domainName: this.physicalName,
      encryptionKey: props.encryptionKey?.keyArn,
      permissionsPolicyDocument: renderResourcePolicy(this, () => this.policy, {
        Arn: stack.formatArn({ service: 'codeartifact', resource: 'domain', resourceName: this.physicalName }),
        Name: this.physicalName,
        Owner: stack.account,
      }),
    });
    resource.applyRemovalPolicy(props.removalPolicy ?? RemovalPolicy.RETAIN);

    this.encryptionKey = props.encryptionKey;
    this.domainName = this.getResourceNameAttribute(resource.attrName);
    this.domainArn = this.getResourceArnAttribute(resource.attrArn, {
      service: 'codeartifact', resource: 'domain', resourceName: this.physicalName,
    });
    this.domainOwner = resource.attrOwner;
    this.domainEncryptionKey = resource.attrEncryptionKey;
    registerDomain(this, { defined: true, name: props.domainName });

    this.node.addValidation({ validate: () => this.policy?.validateForResourcePolicy() ?? [] });
  }
}

/** A valid domain name from the construct path: lower case, starting with a letter, at most 50 characters. */
function generateDomainName(scope: Construct): string {
  const name = Names.uniqueResourceName(scope, { maxLength: 48, separator: '-' }).toLowerCase().replace(/[^a-z0-9-]/g, '');
  return /^[a-z]/.test(name) ? name.replace(/-+$/, '') : `d-${name}`.slice(0, 50).replace(/-+$/, '');
}
