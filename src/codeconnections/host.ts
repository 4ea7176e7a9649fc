import { CfnOutput, IResource, Lazy, Names, Resource, Token } from 'aws-cdk-lib';
import { CfnHost } from 'aws-cdk-lib/aws-codeconnections';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { Connection, ConnectionOptions } from './connection';
import { CODECONNECTIONS_API } from './private/api-constraints';
import { idFromArn, importProps, setupUrl } from './private/arn';
import { waitForAvailable } from './private/deploy-time';
import { notePending } from './private/pending';
import { checkProviderType } from './private/provider-type';
import { ProviderType } from './provider-type';
import { validateApiValue } from '../core/api-constraints';
import { resolveWait } from '../core/custom-resource';
import { ValidationError } from '../core/validation';
import { WaitOptions } from '../wait';

/**
 * A host for an installed provider (GitHub Enterprise Server, GitLab self-managed), defined in this app or imported.
 */
export interface IHost extends IResource {
  /**
   * The ARN of the host.
   * @attribute
   */
  readonly hostArn: string;

  /**
   * The id at the end of the ARN.
   * @attribute
   */
  readonly hostId: string;
}

/**
 * Properties of a host.
 */
export interface HostProps extends WaitOptions {
  /**
   * The host's name (1 to 64 characters). Changing it replaces the host.
   * @default - a unique name generated from the construct path
   */
  readonly hostName?: string;

  /**
   * The installed provider: `ProviderType.GITHUB_ENTERPRISE_SERVER` or `ProviderType.GITLAB_SELF_MANAGED`.
   */
  readonly providerType: ProviderType;

  /**
   * The URL of the provider's server, e.g. `https://github.example.com`.
   */
  readonly providerEndpoint: string;

  /**
   * The VPC through which AWS reaches a provider that is not on the internet. The VPC, its subnets and its
   * security groups must already reach the provider endpoint.
   * @default - the provider is reached over the internet
   */
  readonly vpc?: ec2.IVpc;

  /**
   * The subnets of `vpc` for the host's network interfaces (1 to 10).
   * @default - the VPC's default selection: its private subnets with egress, or its isolated subnets when it
   * has none (then its public subnets)
   */
  readonly vpcSubnets?: ec2.SubnetSelection;

  /**
   * The security groups of the host's network interfaces (1 to 10). Only with `vpc`.
   * @default - a new security group that allows all outbound traffic
   */
  readonly securityGroups?: ec2.ISecurityGroup[];

  /**
   * The PEM certificate of the provider's TLS endpoint, when it is signed by a private authority. Only with `vpc`.
   * @default - the provider's certificate is publicly trusted
   */
  readonly tlsCertificate?: string;

  /**
   * Hold the deployment until the host's set-up is completed in the console and it is AVAILABLE. Connections
   * added with `addConnection()` are then created after it.
   * @default false
   */
  readonly waitForAvailability?: boolean;

  /**
   * Also emit a stack output, `SetupUrl`: the console URL where a person completes the host's set-up (the
   * same value as `setupUrl`). Connections added with `addConnection()` take their own `createOutputs`.
   * @default false
   */
  readonly createOutputs?: boolean;
}

/**
 * Defines a host for an installed provider (`AWS::CodeConnections::Host`).
 *
 * Like a connection, a new host is PENDING until a person completes its set-up in the console at `setupUrl`;
 * its connections cannot be completed before that.
 */
export class Host extends Resource implements IHost, ec2.IConnectable {
  /**
   * Imports a host by ARN, in either form (`codeconnections` or `codestar-connections`).
   *
   * The import's account and region are the ARN's; an ARN without them is refused. A token ARN is accepted
   * unchecked: the import's account and region are then the ARN's fields read at deploy time (`Fn::Select` on
   * the ARN), not the stack's.
   */
  public static fromHostArn(scope: Construct, id: string, hostArn: string): IHost {
    const props = importProps(scope, id, hostArn, 'host');
    class Import extends Resource implements IHost {
      public readonly hostArn = hostArn;
      public readonly hostId = idFromArn(hostArn);
    }
    return new Import(scope, id, props);
  }

  public readonly hostArn: string;
  public readonly hostId: string;

  /**
   * The host's status when CloudFormation last read it (PENDING after creation, AVAILABLE after a wait, DELETED
   * when an update found it deleted outside the stack).
   * @attribute
   */
  public readonly hostStatus: string;


  /** The security groups of the host's network interfaces (empty without a VPC). */
  public readonly connections: ec2.Connections;

  private readonly cfnArn: string;

  constructor(scope: Construct, id: string, props: HostProps) {
    super(scope, id, {
      physicalName: props.hostName ?? Lazy.string({
        produce: () => Names.uniqueResourceName(this, { maxLength: 64, separator: '-' }),
      }),
    });
    validateApiValue(this, CODECONNECTIONS_API, 'HostName', 'hostName', props.hostName,
      'Shorten it (for example to the server\'s short host name, such as ghes-prod), or omit hostName to have a unique one '
      + 'generated from the construct path.');
    checkProviderType(this, 'providerType', props.providerType);
    if (!props.providerType.installed) {
      throw new ValidationError('hosts are for installed providers (GitHubEnterpriseServer, GitLabSelfManaged), '
        + `got providerType ${props.providerType.value}; connect to ${props.providerType.value} with a Connection and no host`, this);
    }
    validateProviderEndpoint(this, props.providerEndpoint);
    if (!props.vpc && (props.vpcSubnets || props.securityGroups || props.tlsCertificate)) {
      throw new ValidationError('vpcSubnets, securityGroups and tlsCertificate configure the host\'s VPC access; give vpc too, or remove them', this);
    }
    const wait = resolveWait(this, props, { prop: 'waitForAvailability', enabled: props.waitForAvailability });

    const vpcConfiguration = props.vpc ? this.renderVpc(props) : undefined;
    this.connections = new ec2.Connections({ securityGroups: vpcConfiguration?.securityGroups ?? [] });

    const resource = new CfnHost(this, 'Resource', {
      name: this.physicalName,
      providerType: props.providerType.value,
      providerEndpoint: props.providerEndpoint,
      vpcConfiguration: vpcConfiguration?.config,
    });
    this.cfnArn = resource.attrHostArn;
    this.hostId = resource.attrHostId;

    if (wait) {
      const waiter = waitForAvailable(this, 'Availability', 'host', resource.attrHostArn, wait);
      this.hostArn = waiter.attr('ResourceArn');
      this.hostStatus = waiter.attr('Status');
    } else {
      this.hostArn = resource.attrHostArn;
      this.hostStatus = resource.attrStatus;
      notePending(this, 'host');
    }
    if (props.createOutputs) {
      new CfnOutput(this, 'SetupUrl', { value: this.setupUrl, description: `Complete the set-up of host ${this.node.path} here` });
    }
  }

  /** The console URL where a person completes the host's set-up. */
  public get setupUrl(): string {
    return setupUrl(this.cfnArn, 'hosts');
  }

  /** Defines a connection through this host. */
  public addConnection(id: string, options: ConnectionOptions = {}): Connection {
    return new Connection(this, id, { ...options, host: this });
  }

  private renderVpc(props: HostProps): { config: CfnHost.VpcConfigurationProperty; securityGroups: ec2.ISecurityGroup[] } {
    const vpc = props.vpc!;
    // The VPC's default selection: its private subnets, or its isolated ones when it has no private subnets.
    const subnetIds = vpc.selectSubnets(props.vpcSubnets).subnetIds;
    const securityGroups = props.securityGroups ?? [new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc,
      description: `CodeConnections host ${this.node.path}`,
      allowAllOutbound: true,
    })];
    const config = {
      vpcId: vpc.vpcId,
      subnetIds,
      securityGroupIds: securityGroups.map(sg => sg.securityGroupId),
      tlsCertificate: props.tlsCertificate,
    };
    validateApiValue(this, CODECONNECTIONS_API, 'SubnetIds', 'vpcSubnets', config.subnetIds, 'Select fewer subnets, e.g. '
      + '`{ subnetType: SubnetType.PRIVATE_WITH_EGRESS, onePerAz: true }`; the subnets only need to reach the provider endpoint.');
    validateApiValue(this, CODECONNECTIONS_API, 'SecurityGroupIds', 'securityGroups', config.securityGroupIds, 'Merge the rules into fewer '
      + 'groups, or omit securityGroups to have one group that allows all outbound traffic defined.');
    validateApiValue(this, CODECONNECTIONS_API, 'TlsCertificate', 'tlsCertificate', config.tlsCertificate,
      'Give only the certificate of the authority that signed the provider\'s TLS certificate, PEM-encoded '
      + '(-----BEGIN CERTIFICATE----- ...), not the whole chain or a bundle of authorities.');
    return { config, securityGroups };
  }
}

function validateProviderEndpoint(scope: Construct, endpoint: string): void {
  validateApiValue(scope, CODECONNECTIONS_API, 'Url', 'providerEndpoint', endpoint, 'Give the base URL of '
    + 'the provider\'s server, such as https://gitlab.example.com, without a path or query.');
  if (Token.isUnresolved(endpoint)) return;
  let url: URL | undefined;
  try {
    url = new URL(endpoint);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || !url.hostname) {
    throw new ValidationError('providerEndpoint must be the http(s) URL of the provider\'s server, such as '
      + `https://github.example.com, got '${endpoint}'`, scope);
  }
}
