import { Arn, ArnFormat, IResource, Lazy, Resource, Token } from 'aws-cdk-lib';
import { CfnDomain } from 'aws-cdk-lib/aws-amplify';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { IApp } from './app';
import { IBranch } from './branch';
import { AMPLIFY_API } from './private/api-constraints';
import { appSettings } from './private/app-settings';
import { describeValue, validateApiValue } from '../core/api-constraints';

/** The only region whose ACM certificates Amplify Hosting can use (it serves through CloudFront). */
const CERTIFICATE_REGION = 'us-east-1';

/**
 * A custom domain of an Amplify app, defined in this app or imported.
 */
export interface IDomain extends IResource {
  /** The app the domain belongs to. */
  readonly app: IApp;

  /**
   * The domain name, e.g. `example.com`.
   * @attribute
   */
  readonly domainName: string;

  /**
   * The ARN of the domain association.
   * @attribute
   */
  readonly domainArn: string;
}

/** Attributes of an existing domain association. */
export interface DomainAttributes {
  /** The app. */
  readonly app: IApp;

  /** The domain name. */
  readonly domainName: string;
}

/** A branch served at a prefix of the domain. */
export interface SubDomain {
  /** The branch. */
  readonly branch: IBranch;

  /**
   * The prefix; an empty string serves the branch at the domain itself.
   * @default - the branch name
   */
  readonly prefix?: string;
}

/** Options of a domain, for `app.addDomain()`. */
export interface DomainOptions {
  /**
   * The domain name, e.g. `example.com`.
   * @default - the construct id
   */
  readonly domainName?: string;

  /**
   * Branches and their prefixes (more with `mapRoot()` and `mapSubDomain()`).
   * @default - none; map at least one before synth
   */
  readonly subDomains?: SubDomain[];

  /**
   * Serve branches created from `autoSubDomainCreationPatterns` at `<branch>.<domain>` automatically.
   * @default false
   */
  readonly enableAutoSubdomain?: boolean;

  /**
   * The branch patterns that get an automatic sub-domain (only with `enableAutoSubdomain`).
   * @default ['*', 'pr*']
   */
  readonly autoSubdomainCreationPatterns?: string[];

  /**
   * The role Amplify uses to create the DNS records of automatic sub-domains (only with `enableAutoSubdomain`).
   * @default - the app's service role, when the app is defined in this CDK app
   */
  readonly autoSubDomainIamRole?: iam.IRole;

  /**
   * A certificate of yours, from ACM in us-east-1.
   * @default - a certificate Amplify manages
   */
  readonly customCertificate?: acm.ICertificate;
}

/** Properties of a domain. */
export interface DomainProps extends DomainOptions {
  /** The app. */
  readonly app: IApp;
}

abstract class DomainBase extends Resource implements IDomain {
  public abstract readonly app: IApp;
  public abstract readonly domainName: string;
  public abstract readonly domainArn: string;
}

/**
 * Defines a custom domain of an Amplify app and the branches it serves.
 *
 * @example
 * const domain = app.addDomain('example.com');
 * domain.mapRoot(main);
 * domain.mapSubDomain(dev, 'dev');
 */
export class Domain extends DomainBase {
  /** Imports a domain association from its app and name. */
  public static fromDomainAttributes(scope: Construct, id: string, attrs: DomainAttributes): IDomain {
    class Import extends DomainBase {
      public readonly app = attrs.app;
      public readonly domainName = attrs.domainName;
      public readonly domainArn = `${attrs.app.appArn}/domains/${attrs.domainName}`;
    }
    const imported = new Import(scope, id);
    validateApiValue(imported, AMPLIFY_API, 'DomainName', 'domainName', attrs.domainName, 'pass a host name like example.com');
    return imported;
  }

  public readonly app: IApp;
  public readonly domainName: string;
  public readonly domainArn: string;
  /**
   * The status of the association, e.g. `AVAILABLE`, `PENDING_VERIFICATION`, `AWAITING_APP_CNAME`.
   * @attribute
   */
  public readonly domainStatus: string;
  /**
   * Why the association has its status.
   * @attribute
   */
  public readonly statusReason: string;
  /**
   * The status of an update in progress, e.g. `PENDING_VERIFICATION`, `UPDATE_COMPLETE`.
   * @attribute
   */
  public readonly updateStatus: string;
  /**
   * The DNS record that verifies the certificate, for DNS outside Route 53.
   * @attribute
   */
  public readonly certificateVerificationDnsRecord: string;

  private readonly subDomains: SubDomain[] = [];

  constructor(scope: Construct, id: string, props: DomainProps) {
    super(scope, id);
    this.app = props.app;
    const domainName = props.domainName ?? id;
    validateApiValue(this, AMPLIFY_API, 'DomainName', 'domainName', domainName,
      'pass a host name of at most 64 characters, like example.com, without a scheme or path');
    const auto = props.enableAutoSubdomain ?? false;
    if (!auto && (props.autoSubdomainCreationPatterns || props.autoSubDomainIamRole)) {
      throw new Error(`${this.node.path}: autoSubdomainCreationPatterns and autoSubDomainIamRole take effect only with enableAutoSubdomain: true. `
        + 'Set enableAutoSubdomain, or remove them');
    }
    const patterns = auto ? props.autoSubdomainCreationPatterns ?? ['*', 'pr*'] : undefined;
    validateApiValue(this, AMPLIFY_API, 'AutoSubDomainCreationPatterns', 'autoSubdomainCreationPatterns', patterns,
      'use branch globs of 1 to 2048 characters, like feature/*');
    const autoRole = auto ? props.autoSubDomainIamRole ?? appSettings(props.app)?.serviceRole : undefined;
    if (props.customCertificate) this.checkCertificateRegion(props.customCertificate);
    (props.subDomains ?? []).forEach(s => this.mapSubDomain(s.branch, s.prefix));

    const resource = new CfnDomain(this, 'Resource', {
      appId: props.app.appId,
      domainName,
      subDomainSettings: Lazy.any({ produce: () => this.subDomains.map(s => ({ branchName: s.branch.branchName, prefix: s.prefix! })) }),
      enableAutoSubDomain: auto,
      autoSubDomainCreationPatterns: patterns,
      autoSubDomainIamRole: autoRole?.roleArn,
      certificateSettings: props.customCertificate
        ? { certificateType: 'CUSTOM', customCertificateArn: props.customCertificate.certificateArn }
        : undefined,
    });

    this.domainName = resource.attrDomainName;
    this.domainArn = resource.attrArn;
    this.domainStatus = resource.attrDomainStatus;
    this.statusReason = resource.attrStatusReason;
    this.updateStatus = resource.attrUpdateStatus;
    this.certificateVerificationDnsRecord = resource.attrCertificateRecord;

    this.node.addValidation({
      validate: () => this.subDomains.length === 0
        ? [`domain '${domainName}' serves no branch: call mapRoot(branch) or mapSubDomain(branch, prefix)`]
        : [],
    });
  }

  /** Serves a branch at the domain itself (`https://example.com`). */
  public mapRoot(branch: IBranch): void {
    this.mapSubDomain(branch, '');
  }

  /**
   * Serves a branch at a prefix of the domain (`https://<prefix>.example.com`).
   *
   * @param prefix the prefix
   * @default - the branch name
   */
  public mapSubDomain(branch: IBranch, prefix?: string): void {
    if (branch.app !== this.app) {
      throw new Error(`${this.node.path}: branch ${branch.node.path} belongs to another app; a domain serves branches of its own app only`);
    }
    const effective = prefix ?? branch.branchName;
    if (prefix === undefined && Token.isUnresolved(effective)) {
      // The branch's name is only known at deploy time (the attribute of a branch defined here); use the literal one if we can.
      return this.mapSubDomain(branch, literalBranchName(branch));
    }
    validateApiValue(this, AMPLIFY_API, 'DomainPrefix', 'prefix', effective, 'use a prefix of at most 255 characters');
    if (!Token.isUnresolved(effective) && effective !== '' && !/^(?!-)[A-Za-z0-9-]{1,63}(?<!-)(\.(?!-)[A-Za-z0-9-]{1,63}(?<!-))*$/.test(effective)) {
      throw new Error(`${this.node.path}: invalid sub-domain prefix ${describeValue(effective)}: use DNS labels (letters, digits and hyphens, `
        + 'not starting or ending with a hyphen); pass a prefix explicitly for a branch name with other characters');
    }
    if (this.subDomains.some(s => s.prefix === effective)) {
      throw new Error(`${this.node.path}: the prefix ${describeValue(effective)} is already mapped; each prefix serves one branch`);
    }
    if (this.subDomains.length >= 500) {
      throw new Error(`${this.node.path}: a domain serves at most 500 sub-domains; use another domain for the rest`);
    }
    this.subDomains.push({ branch, prefix: effective });
  }

  private checkCertificateRegion(certificate: acm.ICertificate): void {
    const arn = certificate.certificateArn;
    let region: string | undefined;
    if (!Token.isUnresolved(arn)) {
      region = Arn.split(arn, ArnFormat.SLASH_RESOURCE_NAME).region;
    } else if (Resource.isOwnedResource(certificate)) {
      region = certificate.env.region;
    }
    if (region !== undefined && !Token.isUnresolved(region) && region !== CERTIFICATE_REGION) {
      throw new Error(`${this.node.path}: customCertificate is in ${region}, but Amplify Hosting only uses ACM certificates from ${CERTIFICATE_REGION}. `
        + `Request or import the certificate in ${CERTIFICATE_REGION} (a stack there with crossRegionReferences, or its ARN)`);
    }
  }
}

/** The literal name of a branch defined in this app (its `branchName` is a deploy-time attribute). */
function literalBranchName(branch: IBranch): string {
  const resource = branch.node.tryFindChild('Resource');
  if (resource instanceof Object && 'branchName' in resource && typeof (resource as CfnBranchLike).branchName === 'string') {
    return (resource as CfnBranchLike).branchName;
  }
  return branch.branchName;
}

interface CfnBranchLike {
  readonly branchName: string;
}
