import { CfnOutput, IResource, Lazy, Names, Resource } from 'aws-cdk-lib';
import { CfnConnection } from 'aws-cdk-lib/aws-codeconnections';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { IHost } from './host';
import { CODECONNECTIONS_API } from './private/api-constraints';
import { arnForms, bothPrefixes, idFromArn, importProps, setupUrl } from './private/arn';
import { lookupConnection, waitForAvailable } from './private/deploy-time';
import { notePending } from './private/pending';
import { checkProviderType } from './private/provider-type';
import { ProviderType } from './provider-type';
import { validateApiValue } from '../core/api-constraints';
import { resolveWait } from '../core/custom-resource';
import { ValidationError } from '../core/validation';
import { WaitOptions } from '../wait';

/** What a pipeline, CodeBuild project or Git sync needs to use a connection. */
const USE_ACTIONS = ['UseConnection', 'GetConnection', 'GetConnectionToken'];

/**
 * A CodeConnections connection to a source provider, defined in this app or imported.
 */
export interface IConnection extends IResource {
  /**
   * The ARN of the connection, under whichever prefix it was created (`codeconnections` or `codestar-connections`).
   * @attribute
   */
  readonly connectionArn: string;

  /**
   * The id at the end of the ARN.
   * @attribute
   */
  readonly connectionId: string;

  /**
   * Grants what using the connection takes (UseConnection, GetConnection, GetConnectionToken), under both IAM
   * prefixes and on both ARN forms, so it works whichever name a service uses.
   */
  grantUse(grantee: iam.IGrantable): iam.Grant;

  /**
   * Grants the given actions on this connection under both IAM prefixes and on both ARN forms.
   * @param actions action names, with or without a prefix (`UseConnection` or `codestar-connections:UseConnection`)
   */
  grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant;
}

/**
 * A connection imported by name (`Connection.fromConnectionName`): besides its ARN, what the lookup reads of it.
 *
 * Every attribute is a deploy-time value (a token), read when the lookup last ran: at creation, and again only when
 * the lookup's inputs (name, provider type or host filter) change. Use them in other resources' properties or
 * outputs, not in synth-time decisions.
 */
export interface ILookedUpConnection extends IConnection {
  /**
   * The connection's provider type, e.g. `GitHub` or `AzureDevOps`.
   * @attribute
   */
  readonly connectionProviderType: string;

  /**
   * The connection's status when the lookup ran: `PENDING`, `AVAILABLE` or `ERROR` (`UNKNOWN` when CodeConnections
   * reports none; `DELETED` after a rollback that found it deleted outside the stack). It is not refreshed while the
   * lookup's inputs stay the same.
   * @attribute
   */
  readonly connectionStatus: string;

  /**
   * The provider-side account of the connection (for Bitbucket, the repository owner's account).
   * @attribute
   */
  readonly connectionOwnerAccountId: string;
}

abstract class ConnectionBase extends Resource implements IConnection {
  public abstract readonly connectionArn: string;

  public get connectionId(): string {
    return idFromArn(this.connectionArn);
  }

  public grantUse(grantee: iam.IGrantable): iam.Grant {
    return this.grant(grantee, ...USE_ACTIONS);
  }

  public grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions: bothPrefixes(actions), resourceArns: arnForms(this.connectionArn) });
  }
}

/** Narrows a lookup by name. */
export interface ConnectionLookupOptions {
  /**
   * Only connections to this provider.
   * @default - any provider
   */
  readonly providerType?: ProviderType;

  /**
   * Only connections through this host.
   * @default - any host, or none
   */
  readonly host?: IHost;
}

/**
 * Options of a connection, whatever it connects to.
 */
export interface ConnectionOptions extends WaitOptions {
  /**
   * The connection's name, unique in the account (1 to 32 characters). Changing it replaces the connection,
   * which then needs a new handshake.
   * @default - a unique name generated from the construct path
   */
  readonly connectionName?: string;

  /**
   * Hold the deployment until someone completes the handshake in the console and the connection is AVAILABLE.
   * Resources that use `connectionArn` then wait too. The deployment fails after `timeout`, or at once when the
   * connection is in ERROR, with the console URL in the message. The wait reads the status every `pollInterval`.
   * @default false
   */
  readonly waitForAvailability?: boolean;

  /**
   * Also emit a stack output, `HandshakeUrl`: the console URL where a person completes the connection's
   * handshake (the same value as `handshakeUrl`).
   * @default false
   */
  readonly createOutputs?: boolean;
}

/**
 * Properties of a connection.
 */
export interface ConnectionProps extends ConnectionOptions {
  /**
   * The cloud provider to connect to. Give exactly one of `providerType` and `host`.
   * @default - the host's provider (required when `host` is not given)
   */
  readonly providerType?: ProviderType;

  /**
   * The host of an installed provider (GitHub Enterprise Server, GitLab self-managed) to connect through.
   * @default - no host (a cloud provider given by `providerType`)
   */
  readonly host?: IHost;
}

/**
 * Defines a connection to a source provider (`AWS::CodeConnections::Connection`).
 *
 * A new connection is PENDING until a person completes the provider handshake in the console at
 * `handshakeUrl`; pipelines that use it fail until then. Set `waitForAvailability` to hold the deployment
 * (and everything that uses the connection) until it is AVAILABLE.
 */
export class Connection extends ConnectionBase {
  /**
   * Imports a connection by ARN, in either form (`arn:…:codeconnections:…` or `arn:…:codestar-connections:…`).
   *
   * The import's account and region are the ARN's; an ARN without them is refused. A token ARN (for example
   * a parameter or another stack's output) is accepted unchecked: the import's account and region, like
   * `connectionId`, are then the ARN's fields read at deploy time (`Fn::Select` on the ARN), not the stack's.
   */
  public static fromConnectionArn(scope: Construct, id: string, connectionArn: string): IConnection {
    const props = importProps(scope, id, connectionArn, 'connection');
    class Import extends ConnectionBase {
      public readonly connectionArn = connectionArn;
    }
    return new Import(scope, id, props);
  }

  /**
   * Imports a connection by name. Its ARN is looked up at deploy time (ListConnections); the deployment fails
   * with a clear message when no connection, or more than one, has the name. The lookup runs again only when
   * its inputs change. The import also exposes the provider type, status and owner account the lookup read, as
   * deploy-time values. It is a custom resource of the stack's one cdk-devtools provider, acting through a role
   * that may only list connections.
   */
  public static fromConnectionName(scope: Construct, id: string, connectionName: string, options: ConnectionLookupOptions = {}): ILookedUpConnection {
    class Import extends ConnectionBase implements ILookedUpConnection {
      public readonly connectionArn: string;
      public readonly connectionProviderType: string;
      public readonly connectionStatus: string;
      public readonly connectionOwnerAccountId: string;
      constructor() {
        super(scope, id);
        // Checked once the import exists, so a message names it rather than the stack it is in.
        validateApiValue(this, CODECONNECTIONS_API, 'ConnectionName', 'connectionName', connectionName,
          'Give the name exactly as the console (Developer Tools > Settings > Connections) or `aws codeconnections list-connections` '
          + 'shows it, or import the connection with fromConnectionArn.');
        checkProviderType(this, 'providerType', options.providerType);
        const lookup = lookupConnection(this, 'Lookup', {
          ConnectionName: connectionName,
          ProviderTypeFilter: options.providerType?.value,
          HostArnFilter: options.host?.hostArn,
        });
        this.connectionArn = lookup.attr('ConnectionArn');
        this.connectionProviderType = lookup.attr('ProviderType');
        this.connectionStatus = lookup.attr('ConnectionStatus');
        this.connectionOwnerAccountId = lookup.attr('OwnerAccountId');
      }
    }
    return new Import();
  }

  public readonly connectionArn: string;

  /**
   * The connection's name.
   * @attribute
   */
  public readonly connectionName: string;

  /**
   * The connection's status when CloudFormation last read it: PENDING after creation, or AVAILABLE when the
   * deployment waited for it (DELETED when an update found it deleted outside the stack).
   * @attribute
   */
  public readonly connectionStatus: string;

  /**
   * The provider-side account of the connection (for Bitbucket, the repository owner's account).
   * @attribute
   */
  public readonly connectionOwnerAccountId: string;

  private readonly cfnArn: string;

  constructor(scope: Construct, id: string, props: ConnectionProps = {}) {
    super(scope, id, {
      physicalName: props.connectionName ?? Lazy.string({
        produce: () => Names.uniqueResourceName(this, { maxLength: 32, separator: '-' }),
      }),
    });
    validateApiValue(this, CODECONNECTIONS_API, 'ConnectionName', 'connectionName', props.connectionName,
      'Shorten it (for example drop the provider or environment from the name), or omit connectionName to have a unique one '
      + 'generated from the construct path.');
    if ((props.providerType === undefined) === (props.host === undefined)) {
      throw new ValidationError('give exactly one of providerType (a cloud provider) and host (an installed provider), '
        + `got ${props.providerType ? `providerType ${props.providerType.value} and a host` : 'neither'}`, this);
    }
    if (props.providerType?.installed) {
      throw new ValidationError(`providerType ${props.providerType.value} is an installed provider; connections to it go `
        + 'through a host: define a Host and pass it as `host` (or call host.addConnection())', this);
    }
    // Not checked against the API model's enum: CodeConnections accepts providers (AzureDevOps) before the model lists them.
    checkProviderType(this, 'providerType', props.providerType);
    const wait = resolveWait(this, props, { prop: 'waitForAvailability', enabled: props.waitForAvailability });

    const resource = new CfnConnection(this, 'Resource', {
      connectionName: this.physicalName,
      providerType: props.providerType?.value,
      hostArn: props.host?.hostArn,
    });
    this.connectionName = this.physicalName;
    this.connectionOwnerAccountId = resource.attrOwnerAccountId;
    this.cfnArn = resource.attrConnectionArn;

    if (wait) {
      const waiter = waitForAvailable(this, 'Availability', 'connection', resource.attrConnectionArn, wait);
      // Reading the ARN through the wait makes every consumer of the connection depend on it.
      this.connectionArn = waiter.attr('ResourceArn');
      this.connectionStatus = waiter.attr('Status');
    } else {
      this.connectionArn = resource.attrConnectionArn;
      this.connectionStatus = resource.attrConnectionStatus;
      notePending(this, 'connection');
    }
    if (props.createOutputs) {
      new CfnOutput(this, 'HandshakeUrl', {
        value: this.handshakeUrl,
        description: `Complete the handshake of connection ${this.node.path} here`,
      });
    }
  }

  /**
   * The console URL where a person completes the handshake of this connection.
   */
  public get handshakeUrl(): string {
    // Built on first use: the URL takes several intrinsic functions, which cost synth time when unused.
    return setupUrl(this.cfnArn, 'connections');
  }
}
