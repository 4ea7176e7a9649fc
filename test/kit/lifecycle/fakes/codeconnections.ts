import {
  Connection, ConnectionStatus, GetConnectionCommand, GetConnectionInput, GetConnectionOutput, GetHostCommand, GetHostInput, GetHostOutput,
  ListConnectionsCommand, ListConnectionsInput, ListConnectionsOutput, ProviderType,
} from '@aws-sdk/client-codestar-connections';
import { AwsStub } from 'aws-sdk-client-mock';
import { CODECONNECTIONS_API } from '../../../../src/codeconnections/private/api-constraints';
import { FakeService, route, VirtualClock } from '../world';

const ACCOUNT = '123456789012';

export interface AddConnectionOptions {
  /** The id in the ARN. @default - from the name */
  readonly id?: string;
  /** @default 'AVAILABLE' */
  readonly status?: ConnectionStatus;
  /** @default 'GitHub' */
  readonly providerType?: ProviderType;
  /** For a PENDING connection: the polls until a person completes the handshake. @default - never */
  readonly readyAfterTicks?: number;
}

interface HostState {
  readonly name: string;
  readonly arn: string;
  readonly providerType: ProviderType;
  status: string;
  /** Polls until a person completes the set-up; undefined: never (held). */
  readyAfterTicks?: number;
}

interface ConnectionState {
  readonly connection: Connection;
  status: ConnectionStatus;
  /** Polls until a person completes the handshake; undefined: never (held). */
  readyAfterTicks?: number;
}

/**
 * CodeStarConnections (the SDK client the handlers use; IAM prefix `codestar-connections`): connections and
 * hosts that a person makes AVAILABLE in the console some polls after they were created. ListConnections
 * pages like the service (MaxResults, NextToken); GetConnection and GetHost answer ResourceNotFoundException
 * for a missing ARN. Nothing is written through the API the handlers call.
 */
export class FakeCodeConnections extends FakeService {
  public readonly connections = new Map<string, ConnectionState>();
  public readonly hosts = new Map<string, HostState>();

  constructor(clock: VirtualClock) {
    super('CodeConnections', clock, {
      throttling: 'ThrottlingException', accessDenied: 'AccessDeniedException', validation: 'ValidationException', notFound: 'ResourceNotFoundException',
    }, CODECONNECTIONS_API);
  }

  /** Adds a connection; PENDING ones become AVAILABLE after `readyAfterTicks` polls (never when undefined). */
  public addConnection(name: string, options: AddConnectionOptions = {}): string {
    const id = options.id ?? `${name.replace(/[^a-z0-9]/gi, '').toLowerCase()}-${this.connections.size}`.padEnd(8, '0');
    const arn = `arn:aws:codeconnections:us-east-1:${ACCOUNT}:connection/${id}`;
    const status = options.status ?? 'AVAILABLE';
    this.connections.set(arn, {
      connection: { ConnectionName: name, ConnectionArn: arn, ProviderType: options.providerType ?? 'GitHub', OwnerAccountId: ACCOUNT },
      status,
      readyAfterTicks: status === 'PENDING' ? options.readyAfterTicks : undefined,
    });
    return arn;
  }

  /** Adds a host; a PENDING one becomes AVAILABLE after `readyAfterTicks` polls (never when undefined). */
  public addHost(name: string, status = 'PENDING', readyAfterTicks?: number): string {
    const arn = `arn:aws:codeconnections:us-east-1:${ACCOUNT}:host/${name}-${this.hosts.size}`;
    this.hosts.set(arn, { name, arn, providerType: 'GitHubEnterpriseServer', status, readyAfterTicks });
    return arn;
  }

  public override tick(): void {
    for (const c of [...this.connections.values(), ...this.hosts.values()]) {
      if (c.status === 'PENDING' && c.readyAfterTicks !== undefined) {
        c.readyAfterTicks--;
        if (c.readyAfterTicks <= 0) c.status = 'AVAILABLE';
      }
    }
  }

  public snapshot(): unknown {
    return {
      connections: [...this.connections.values()].map(c => ({ ...c.connection, ConnectionStatus: c.status })),
      hosts: [...this.hosts.values()],
    };
  }

  public listConnections(input: ListConnectionsInput): ListConnectionsOutput {
    this.admit('ListConnections', input, 'codestar-connections:ListConnections', '*', false);
    const all = [...this.connections.values()]
      .filter(c => !input.ProviderTypeFilter || c.connection.ProviderType === input.ProviderTypeFilter)
      .filter(c => !input.HostArnFilter || c.connection.HostArn === input.HostArnFilter);
    const start = input.NextToken ? Number(input.NextToken.replace('page-', '')) : 0;
    const size = input.MaxResults ?? 100;
    const page = all.slice(start, start + size).map(c => ({ ...c.connection, ConnectionStatus: c.status }));
    return { Connections: page, NextToken: start + size < all.length ? `page-${start + size}` : undefined };
  }

  public getConnection(input: GetConnectionInput): GetConnectionOutput {
    this.admit('GetConnection', input, 'codestar-connections:GetConnection', input.ConnectionArn ?? '', false);
    const found = this.connections.get(input.ConnectionArn ?? '');
    if (!found) throw this.notFound(`Connection ${input.ConnectionArn}`);
    return { Connection: { ...found.connection, ConnectionStatus: found.status } };
  }

  public getHost(input: GetHostInput): GetHostOutput {
    this.admit('GetHost', input, 'codestar-connections:GetHost', input.HostArn ?? '', false);
    const found = this.hosts.get(input.HostArn ?? '');
    if (!found) throw this.notFound(`Host ${input.HostArn}`);
    return { Name: found.name, Status: found.status, ProviderType: found.providerType, ProviderEndpoint: 'https://git.example.com' };
  }

  /** Routes the CodeStarConnections commands of a mock to this fake. */
  public wire(mock: AwsStub<any, any, any>): this {
    route(mock, ListConnectionsCommand, input => this.listConnections(input));
    route(mock, GetConnectionCommand, input => this.getConnection(input));
    route(mock, GetHostCommand, input => this.getHost(input));
    return this;
  }
}
