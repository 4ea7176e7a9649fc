import {
  Connection, ConnectionStatus, GetConnectionCommand, GetConnectionInput, GetConnectionOutput, GetHostCommand, GetHostInput, GetHostOutput,
  GetResourceSyncStatusCommand, GetResourceSyncStatusInput, GetResourceSyncStatusOutput, GetSyncBlockerSummaryCommand,
  GetSyncBlockerSummaryInput, GetSyncBlockerSummaryOutput, ListConnectionsCommand, ListConnectionsInput, ListConnectionsOutput, ProviderType,
  SyncBlocker,
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

/** A Git-synced stack's state: its latest sync, which moves on each poll, and its blockers. */
export interface SyncState {
  /** The latest sync's status; NONE before the first. */
  status: 'NONE' | 'INITIATED' | 'IN_PROGRESS' | 'SUCCEEDED' | 'FAILED';
  /** Polls until the running sync ends; undefined: it never does (held). */
  endsAfterTicks?: number;
  /** How the running sync ends. */
  endsAs: 'SUCCEEDED' | 'FAILED';
  readonly events: Array<{ Event: string; Time: Date; Type: string }>;
  readonly blockers: SyncBlocker[];
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
  /** Git-synced stacks by name. */
  public readonly syncs = new Map<string, SyncState>();

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

  /**
   * Configures Git sync of a stack: its first sync starts at once and ends as `endsAs` after `endsAfterTicks` polls
   * (never when undefined).
   */
  public addSync(stackName: string, options: { endsAfterTicks?: number; endsAs?: 'SUCCEEDED' | 'FAILED' } = {}): SyncState {
    const state: SyncState = {
      status: 'IN_PROGRESS', endsAfterTicks: options.endsAfterTicks, endsAs: options.endsAs ?? 'SUCCEEDED', events: [], blockers: [],
    };
    state.events.push({ Event: `Started syncing stack ${stackName}`, Time: new Date(this.clock.now()), Type: 'SYNC_STARTED' });
    this.syncs.set(stackName, state);
    return state;
  }

  public override tick(): void {
    for (const [name, sync] of this.syncs) {
      if (sync.status === 'IN_PROGRESS' && sync.endsAfterTicks !== undefined && --sync.endsAfterTicks <= 0) {
        sync.status = sync.endsAs;
        sync.events.push({ Event: `Stack ${name} ${sync.endsAs === 'SUCCEEDED' ? 'CREATE_COMPLETE' : 'CREATE_FAILED'}`, Time: new Date(this.clock.now()), Type: sync.endsAs });
      }
    }
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
      syncs: [...this.syncs.entries()],
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

  public getResourceSyncStatus(input: GetResourceSyncStatusInput): GetResourceSyncStatusOutput {
    // No resource type: the action is authorised on `*`.
    this.admit('GetResourceSyncStatus', input, 'codestar-connections:GetResourceSyncStatus', '*', false);
    const sync = this.syncs.get(input.ResourceName ?? '');
    if (!sync || sync.status === 'NONE') throw this.notFound(`Sync status of ${input.ResourceName}`);
    return { LatestSync: { Status: sync.status, StartedAt: sync.events[0]?.Time, Events: sync.events.map(e => ({ ...e })) } as any };
  }

  public getSyncBlockerSummary(input: GetSyncBlockerSummaryInput): GetSyncBlockerSummaryOutput {
    this.admit('GetSyncBlockerSummary', input, 'codestar-connections:GetSyncBlockerSummary', '*', false);
    const sync = this.syncs.get(input.ResourceName ?? '');
    if (!sync) throw this.notFound(`Sync blockers of ${input.ResourceName}`);
    return { SyncBlockerSummary: { ResourceName: input.ResourceName!, LatestBlockers: sync.blockers.map(b => ({ ...b })) } };
  }

  /** Routes the CodeStarConnections commands of a mock to this fake. */
  public wire(mock: AwsStub<any, any, any>): this {
    route(mock, ListConnectionsCommand, input => this.listConnections(input));
    route(mock, GetConnectionCommand, input => this.getConnection(input));
    route(mock, GetHostCommand, input => this.getHost(input));
    route(mock, GetResourceSyncStatusCommand, input => this.getResourceSyncStatus(input));
    route(mock, GetSyncBlockerSummaryCommand, input => this.getSyncBlockerSummary(input));
    return this;
  }
}
