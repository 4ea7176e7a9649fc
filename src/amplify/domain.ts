import { Arn, ArnFormat, CfnOutput, Duration, Fn, IResource, Lazy, Resource, Token } from 'aws-cdk-lib';
import { CfnDomain } from 'aws-cdk-lib/aws-amplify';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import { Construct, IConstruct } from 'constructs';
import { App, IApp } from './app';
import { IBranch } from './branch';
import { WaitOptions } from '../wait';
import { AMPLIFY_API } from './private/api-constraints';
import { appSettings } from './private/app-settings';
import { DOMAIN_ARN, childImportProps, isSameApp, parseAmplifyArn } from './private/arn';
import { FIX } from './private/fixes';
import { describeValue, validateApiValue } from '../core/api-constraints';
import { compactReference, compactString } from '../core/compact';
import { KitResource, resolveWait, Wait } from '../core/custom-resource';
import { ValidationError } from '../core/validation';
import { DOMAIN_DATA_FORMAT, DOMAIN_READINESS_FAMILY, DomainMode } from './private/custom-resources/contract';

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

/**
 * A DNS record Amplify asks for, known at deploy time (every member is a token).
 */
export interface DnsRecord {
  /** The fully qualified record name, without the trailing dot, e.g. `www.example.com`. */
  readonly name: string;

  /** The record type, e.g. `CNAME`. */
  readonly type: string;

  /** The record value, e.g. `d1a2b3c4.cloudfront.net`. */
  readonly value: string;
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

/**
 * Options of a domain, for `app.addDomain()`. `timeout` and `pollInterval` (from `WaitOptions`) apply with
 * `waitForAvailability` only.
 */
export interface DomainOptions extends WaitOptions {
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

  /**
   * Whether to add stack outputs with the DNS records Amplify asks for, for DNS hosted outside Route 53: one output
   * with the certificate verification record (name, type and value; only with the certificate Amplify manages) and one
   * per mapped sub-domain with its record (the domain itself included). CloudFormation only exposes the certificate record.
   * @default false
   */
  readonly createOutputs?: boolean;

  /**
   * A Route 53 zone to create the records in: the certificate verification CNAME and, for each sub-domain, a CNAME
   * (an A alias to the app's CloudFront distribution for the domain itself, since a zone apex cannot hold a CNAME).
   * The domain must be the zone's name or inside it.
   *
   * Amplify writes these same records itself when it finds a public Route 53 zone for the domain in the app's account;
   * leave this unset then. Set it for a zone Amplify does not write to, after removing any record of the same name and
   * type: CloudFormation fails to create a record that already exists, and these records never delete or overwrite one
   * they do not own (aws-cdk-lib's `deleteExisting` would, and is deprecated because a failed deployment then leaves
   * the name without a record).
   * @default - no records; Amplify configures a Route 53 zone of the app's account itself
   */
  readonly hostedZone?: route53.IHostedZone;

  /**
   * Whether the deployment waits for the domain to become AVAILABLE (certificate issued, DNS verified). A FAILED
   * domain then fails the deployment with Amplify's reason. With `hostedZone`, the wait starts after the records exist.
   * With DNS elsewhere, create the records before turning this on (stack outputs only appear when a deployment ends).
   * The wait lasts at most `timeout` (45 minutes by default), reading the domain's status every `pollInterval`
   * (15 seconds by default); when the timeout runs out, the deployment fails with the domain's status and the
   * records still unverified.
   * @default false
   */
  readonly waitForAvailability?: boolean;
}

/** Properties of a domain. */
export interface DomainProps extends DomainOptions {
  /** The app. */
  readonly app: IApp;
}

/** How long Amplify may take to publish the records of a new domain (usually seconds). */
const RECORDS_TIMEOUT = Duration.minutes(30);
/** How often a domain's waits read: its records usually appear within a minute, so twice as often as the kit's default. */
const RECORDS_POLL_INTERVAL = Duration.seconds(15);

abstract class DomainBase extends Resource implements IDomain {
  public abstract readonly app: IApp;
  public abstract readonly domainName: string;
  public abstract readonly domainArn: string;
}

/**
 * Defines a custom domain of an Amplify app and the branches it serves.
 *
 * CloudFormation only exposes the certificate record, and nothing waits for the domain to work. The DNS record of
 * each sub-domain (`subDomainRecord()`), stack outputs with the records, Route 53 records and a wait for AVAILABLE
 * come from a custom resource that reads the domain association at deploy time; it is only added when one of them
 * is used, so a plain domain stays a single `AWS::Amplify::Domain`.
 *
 * @example
 * const domain = app.addDomain('example.com');
 * domain.mapRoot(main);
 * domain.mapSubDomain(dev, 'dev');
 */
export class Domain extends DomainBase {
  /**
   * Imports a domain association from its app and name. Its ARN is `<app ARN>/domains/<name>`, and its account and
   * region are those of that ARN when the app's ARN is literal (an app imported with `App.fromAppArn()`), else the app's.
   */
  public static fromDomainAttributes(scope: Construct, id: string, attrs: DomainAttributes): IDomain {
    const domainArn = `${attrs.app.appArn}/domains/${attrs.domainName}`;
    class Import extends DomainBase {
      public readonly app = attrs.app;
      public readonly domainName = attrs.domainName;
      public readonly domainArn = domainArn;
    }
    const imported = new Import(scope, id, childImportProps(scope, id, attrs.app));
    validateApiValue(imported, AMPLIFY_API, 'DomainName', 'domainName', attrs.domainName,
      'Pass the domain as the app\'s Custom domains list shows it (`aws amplify list-domain-associations`), without a scheme or sub-domain, like example.com');
    return imported;
  }

  /**
   * Imports a domain association from its ARN, `arn:<partition>:amplify:<region>:<account>:apps/<app id>/domains/<domain>`.
   * The import's account and region (`env`) are the ARN's; a literal ARN without them is refused. Its `app` is an
   * import of the app in the ARN.
   *
   * A token ARN is not checked: the app id and domain name are then the deploy-time second and fourth
   * `/`-separated parts of the ARN, and `env.account` and `env.region` are deploy-time parts of it too.
   */
  public static fromDomainArn(scope: Construct, id: string, domainArn: string): IDomain {
    const parts = parseAmplifyArn(scope, id, DOMAIN_ARN, domainArn);
    class Import extends DomainBase {
      public readonly app: IApp;
      public readonly domainName = parts.name;
      public readonly domainArn = domainArn;
      constructor() {
        super(scope, id, { environmentFromArn: domainArn });
        this.app = App.fromAppAttributes(this, 'App', { appId: parts.id, appArn: parts.appArn });
      }
    }
    const imported = new Import();
    validateApiValue(imported, AMPLIFY_API, 'DomainName', 'domainArn', parts.name,
      'Copy the ARN from `aws amplify list-domain-associations --app-id <app id>` (domainAssociationArn)');
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
   * Why the association has its status (`domainStatus`).
   * @attribute
   */
  public readonly domainStatusReason: string;
  /**
   * The status of an update in progress, e.g. `PENDING_VERIFICATION`, `UPDATE_COMPLETE`.
   * @attribute
   */
  public readonly domainUpdateStatus: string;
  /**
   * The DNS record that verifies the certificate, for DNS outside Route 53.
   * @attribute
   */
  public readonly certificateVerificationDnsRecord: string;

  private readonly subDomains: SubDomain[] = [];
  private readonly customCertificate: boolean;
  private readonly createOutputs: boolean;
  private readonly hostedZone?: route53.IHostedZone;
  private readonly availability?: KitResource<typeof DOMAIN_READINESS_FAMILY>;
  private recordsResource?: KitResource<typeof DOMAIN_READINESS_FAMILY>;
  /** The domain as DNS records name it: lower case, without a trailing dot. */
  private readonly recordDomain: string;

  constructor(scope: Construct, id: string, props: DomainProps) {
    super(scope, id);
    this.app = props.app;
    const domainName = props.domainName ?? id;
    this.recordDomain = Token.isUnresolved(domainName) ? domainName : domainName.replace(/\.$/, '').toLowerCase();
    this.customCertificate = props.customCertificate !== undefined;
    this.createOutputs = props.createOutputs ?? false;
    this.hostedZone = props.hostedZone;
    validateApiValue(this, AMPLIFY_API, 'DomainName', 'domainName', domainName,
      'Pass the domain you own as Route 53 or your registrar shows it, like example.com, without a scheme or path; '
      + 'the name defaults to the construct id, so set domainName when the id is not the domain. Serve sub-domains with mapSubDomain()');
    const auto = props.enableAutoSubdomain ?? false;
    if (!auto && (props.autoSubdomainCreationPatterns || props.autoSubDomainIamRole)) {
      throw new ValidationError('autoSubdomainCreationPatterns and autoSubDomainIamRole take effect only with enableAutoSubdomain: true. '
        + 'Set enableAutoSubdomain, or remove them', this);
    }
    const patterns = auto ? props.autoSubdomainCreationPatterns ?? ['*', 'pr*'] : undefined;
    validateApiValue(this, AMPLIFY_API, 'AutoSubDomainCreationPatterns', 'autoSubdomainCreationPatterns', patterns, FIX.branchPatterns);
    const autoRole = auto ? props.autoSubDomainIamRole ?? appSettings(props.app)?.serviceRole : undefined;
    if (props.customCertificate) this.checkCertificateRegion(props.customCertificate);
    if (props.hostedZone) this.checkZone(props.hostedZone, domainName);
    const wait = resolveWait(this, props, {
      prop: 'waitForAvailability', enabled: props.waitForAvailability, defaultPollInterval: RECORDS_POLL_INTERVAL,
    });

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
    this.domainStatusReason = resource.attrStatusReason;
    this.domainUpdateStatus = resource.attrUpdateStatus;
    this.certificateVerificationDnsRecord = resource.attrCertificateRecord;

    this.node.addValidation({
      validate: () => this.subDomains.length === 0
        ? [`domain '${domainName}' serves no branch: call mapRoot(branch) or mapSubDomain(branch, prefix)`]
        : [],
    });

    if (wait) this.availability = this.readinessResource('Availability', 'available', wait);
    if (!this.customCertificate) this.publishCertificateRecord();
    (props.subDomains ?? []).forEach(s => this.mapSubDomain(s.branch, s.prefix));
  }

  /**
   * The CNAME record that proves to ACM that you control the domain, for the certificate Amplify manages.
   * Using it adds a custom resource that reads the record from Amplify at deploy time.
   */
  public certificateVerificationRecord(): DnsRecord {
    if (this.customCertificate) {
      throw new ValidationError('the domain uses a custom certificate, which ACM validates, so Amplify asks for no '
        + 'certificate verification record; use the validation records of your certificate instead', this);
    }
    const records = this.records();
    return {
      name: records.attr('CertificateRecordName'),
      type: records.attr('CertificateRecordType'),
      value: records.attr('CertificateRecordValue'),
    };
  }

  /**
   * The DNS record that points a mapped sub-domain (`''` for the domain itself) at the app.
   *
   * It is a CNAME of the sub-domain's name to the CloudFront distribution Amplify serves the domain from. Using it adds a custom resource
   * that reads that target from Amplify at deploy time (CloudFormation does not expose it); every sub-domain shares
   * it, so the resource's response stays small whatever the number of sub-domains. At the domain itself, use an
   * ALIAS/ANAME record (a zone apex cannot hold a CNAME), as `hostedZone` does.
   *
   * @param prefix the prefix passed to `mapSubDomain()`, or `''` for `mapRoot()`
   */
  public subDomainRecord(prefix: string): DnsRecord {
    const index = this.subDomains.findIndex(s => s.prefix === prefix);
    if (index < 0) {
      const mapped = this.subDomains.map(s => describeValue(s.prefix)).join(', ') || 'none';
      throw new ValidationError(`no sub-domain with the prefix ${describeValue(prefix)} is mapped (mapped prefixes: ${mapped}); `
        + 'map it with mapSubDomain(branch, prefix) or mapRoot(branch) first', this);
    }
    return this.recordOf(this.subDomains[index].prefix!);
  }

  /** Serves a branch at the domain itself (`https://example.com`). */
  public mapRoot(branch: IBranch): void {
    this.mapSubDomain(branch, '');
  }

  /**
   * Serves a branch at a prefix of the domain (`https://<prefix>.example.com`).
   *
   * @param prefix the prefix alone (`'www'`, not `'www.example.com'`: Amplify puts it in front of the domain name,
   * so a prefix that ends with the domain name is refused)
   * @default - the branch name
   */
  public mapSubDomain(branch: IBranch, prefix?: string): void {
    if (!isSameApp(branch.app, this.app)) {
      throw new ValidationError(`branch ${branch.node.path} belongs to another app; a domain serves branches of its own app only`, this);
    }
    const effective = prefix ?? branch.branchName;
    if (prefix === undefined && Token.isUnresolved(effective)) {
      // The branch's name is only known at deploy time (the attribute of a branch defined here); use the literal one if we can.
      return this.mapSubDomain(branch, literalBranchName(branch));
    }
    validateApiValue(this, AMPLIFY_API, 'DomainPrefix', 'prefix', effective,
      'The prefix defaults to the branch name: pass a short one explicitly (e.g. mapSubDomain(branch, \'dev\')), '
      + 'or add a domain closer to the name you want (addDomain(\'shop.example.com\'))');
    this.refuseFullName(effective);
    if (!Token.isUnresolved(effective) && effective !== '' && !/^(?!-)[A-Za-z0-9-]{1,63}(?<!-)(\.(?!-)[A-Za-z0-9-]{1,63}(?<!-))*$/.test(effective)) {
      throw new ValidationError(`invalid sub-domain prefix ${describeValue(effective)}: use DNS labels (letters, digits and hyphens, `
        + 'not starting or ending with a hyphen); pass a prefix explicitly for a branch name with other characters', this);
    }
    if (this.subDomains.some(s => s.prefix === effective)) {
      throw new ValidationError(`the prefix ${describeValue(effective)} is already mapped; each prefix serves one branch`, this);
    }
    if (this.subDomains.length >= 500) {
      throw new ValidationError('a domain serves at most 500 sub-domains; use another domain for the rest', this);
    }
    this.subDomains.push({ branch, prefix: effective });
    this.publishSubDomainRecord(branch, effective);
  }

  private checkZone(zone: route53.IHostedZone, domainName: string): void {
    let zoneName: string | undefined;
    try {
      zoneName = zone.zoneName;
    } catch {
      return; // HostedZone.fromHostedZoneId has no name to check against
    }
    if (Token.isUnresolved(zoneName) || Token.isUnresolved(domainName)) return;
    const zoneRoot = zoneName.replace(/\.$/, '').toLowerCase();
    const domain = domainName.replace(/\.$/, '').toLowerCase();
    if (domain !== zoneRoot && !domain.endsWith(`.${zoneRoot}`)) {
      throw new ValidationError(`the domain ${domainName} is not inside the hosted zone ${zoneName}; `
        + 'pass the zone of the domain or of one of its parent domains', this);
    }
  }

  /** The custom resource that waits for the records and returns them; created on first use. */
  private records(): KitResource<typeof DOMAIN_READINESS_FAMILY> {
    this.recordsResource ??= this.readinessResource('Records', 'records', { timeout: RECORDS_TIMEOUT, pollInterval: RECORDS_POLL_INTERVAL });
    return this.recordsResource;
  }

  private readinessResource(id: string, mode: DomainMode, wait: Wait): KitResource<typeof DOMAIN_READINESS_FAMILY> {
    const readiness = new KitResource(this, id, {
      family: DOMAIN_READINESS_FAMILY,
      properties: {
        AppId: this.app.appId,
        // One line rather than Fn::GetAtt's four: every domain repeats it.
        DomainName: compactReference(this.domainName),
        Mode: mode,
        // Lazy: branches mapped after this resource exists are included.
        Prefixes: Lazy.list({ produce: () => this.subDomains.map(s => s.prefix!) }),
        CertificateType: this.customCertificate ? 'CUSTOM' : 'AMPLIFY_MANAGED',
        DataFormat: DOMAIN_DATA_FORMAT,
      },
      // Scoped to the app's domains, not this one, so that every domain of an app shares one kit role.
      statements: [new iam.PolicyStatement({ actions: ['amplify:GetDomainAssociation'], resources: [`${this.app.appArn}/domains/*`] })],
      wait,
      nagAcceptances: [{
        id: 'AwsSolutions-IAM5',
        reason: 'reading the status of an app\'s domain associations (apps/<id>/domains/*), so the domains of one app share a role',
        // Written once per stack: the exact shape of an app's domains (an Amplify app ARN, or the reference it resolves to).
        appliesTo: [{ regex: '/^Resource::(arn:[^/]+:amplify:[^/]+:apps\\/[^/]+|<[^<>]+>)\\/domains\\/\\*$/' }],
      }],
    });
    // DomainName is the domain's own attribute (Fn::GetAtt), so CloudFormation creates the domain first without a
    // DependsOn, which would only add bytes to every domain.
    return readiness;
  }

  /** Refuses a prefix written as the full name (`www.example.com`), which Amplify would serve at `www.example.com.example.com`. */
  private refuseFullName(prefix: string): void {
    if (Token.isUnresolved(prefix) || Token.isUnresolved(this.recordDomain)) return;
    const name = prefix.replace(/\.$/, '');
    const lower = name.toLowerCase();
    if (lower === this.recordDomain) {
      throw new ValidationError(`invalid sub-domain prefix ${describeValue(prefix)}: it is the domain name itself, and Amplify puts `
        + `the prefix in front of the domain name (${this.recordDomain}.${this.recordDomain}). Serve the branch at the domain itself `
        + 'with mapRoot(branch)', this);
    }
    if (lower.endsWith(`.${this.recordDomain}`)) {
      const bare = name.slice(0, name.length - this.recordDomain.length - 1);
      throw new ValidationError(`invalid sub-domain prefix ${describeValue(prefix)}: it ends with the domain name '${this.recordDomain}', `
        + `and Amplify puts the prefix in front of the domain name, so the branch would be served at ${name}.${this.recordDomain}. `
        + `Pass only the prefix: mapSubDomain(branch, '${bare}')`, this);
    }
  }

  /**
   * The record of a mapped sub-domain: a CNAME of `<prefix>.<domain>` (the domain itself for `''`) to the one CloudFront
   * target Amplify serves the domain from, which the records resource returns whatever the number of sub-domains.
   */
  private recordOf(prefix: string): DnsRecord {
    const records = this.records();
    return {
      name: prefix === '' ? this.recordDomain : `${prefix}.${this.recordDomain}`,
      type: 'CNAME',
      value: records.attr('SubDomainTarget'),
    };
  }

  private publishCertificateRecord(): void {
    if (!this.createOutputs && !this.hostedZone) return;
    const record = this.certificateVerificationRecord();
    if (this.createOutputs) {
      new CfnOutput(this, 'CertificateVerificationRecordOutput', {
        description: 'The DNS record (name, type, value) that verifies the domain\'s Amplify-managed certificate',
        value: compactString(Fn.join(' ', [record.name, record.type, record.value])),
      });
    }
    if (this.hostedZone) {
      this.waitFor(new route53.CnameRecord(this, 'CertificateVerificationRecord', {
        zone: this.hostedZone,
        recordName: `${record.name}.`,
        domainName: record.value,
      }));
    }
  }

  private publishSubDomainRecord(branch: IBranch, prefix: string): void {
    if (!this.createOutputs && !this.hostedZone) return;
    const record = this.recordOf(prefix);
    // Ids from the prefix, never from the call order: a record that moves to another index must not be replaced (same
    // name: a conflict). A prefix only known at deploy time is named after the branch's construct id instead.
    const id = prefix === '' ? 'Apex' : Token.isUnresolved(prefix) ? `SubDomain-${branch.node.id}` : `SubDomain-${prefix}`;
    if (this.node.tryFindChild(`${id}RecordOutput`) || this.node.tryFindChild(`${id}Record`)) {
      throw new ValidationError(`branch ${branch.node.path} is already mapped with a prefix only known at deploy time; its DNS `
        + 'records are named after the branch, so map it once, or pass a literal prefix (e.g. mapSubDomain(branch, \'www\'))', this);
    }
    if (this.createOutputs) {
      new CfnOutput(this, `${id}RecordOutput`, {
        description: prefix === ''
          ? 'The DNS record (name, type, value) of the domain itself (an ALIAS/ANAME record at a zone apex, where CNAMEs are not allowed)'
          : 'The DNS record (name, type, value) of a sub-domain',
        value: compactString(Fn.join(' ', [record.name, record.type, record.value])),
      });
    }
    if (!this.hostedZone) return;
    if (prefix === '') {
      this.waitFor(new route53.ARecord(this, `${id}AliasRecord`, {
        zone: this.hostedZone,
        recordName: `${record.name}.`,
        target: route53.RecordTarget.fromAlias(new AmplifyDistributionTarget(record.value)),
      }));
    } else {
      this.waitFor(new route53.CnameRecord(this, `${id}Record`, {
        zone: this.hostedZone,
        recordName: `${record.name}.`,
        domainName: record.value,
      }));
    }
  }

  /** The availability wait must start after the records exist, else Amplify waits for records that wait for it. */
  private waitFor(record: route53.RecordSet): void {
    this.availability?.resource.node.addDependency(record);
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
      throw new ValidationError(`customCertificate is in ${region}, but Amplify Hosting only uses ACM certificates from ${CERTIFICATE_REGION}. `
        + `Request or import the certificate in ${CERTIFICATE_REGION} (a stack there with crossRegionReferences, or its ARN)`, this);
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

/** The CloudFront distribution Amplify serves a domain from, as an alias target (a zone apex cannot hold a CNAME). */
class AmplifyDistributionTarget implements route53.IAliasRecordTarget {
  constructor(private readonly dnsName: string) {}

  public bind(record: route53.IRecordSet): route53.AliasRecordTargetConfig {
    return { dnsName: this.dnsName, hostedZoneId: targets.CloudFrontTarget.getHostedZoneId(record as IConstruct) };
  }
}
