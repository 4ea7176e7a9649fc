import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CodeStarConnectionsClient } from '@aws-sdk/client-codestar-connections';
import { Duration } from 'aws-cdk-lib';
import { Connection, Host, ProviderType, StackGitSync } from '../../src/codeconnections';
import { CODECONNECTIONS_API } from '../../src/codeconnections/private/api-constraints';
import { AVAILABILITY_FAMILY, FIRST_SYNC_FAMILY, LOOKUP_FAMILY } from '../../src/codeconnections/private/custom-resources/contract';
import {
  FakeCloudFormation, FakeCodeConnections, handlerMocks, LifecycleDriver, lifecycleSuite, Props, routedHandlers, sdkInputProblems, synthesizedPolicy,
  UpdateCase, VirtualClock,
} from '../kit';

// The CloudFormation lifecycle of the CodeConnections handler families, against a stateful fake service.
const [mock, cfn] = handlerMocks(CodeStarConnectionsClient, CloudFormationClient);

/** The kit role of a connection imported by name, from the lookup's properties. */
const lookupPolicy = synthesizedPolicy<Props>(LOOKUP_FAMILY.resourceType, (scope, p) => {
  Connection.fromConnectionName(scope, 'Connection', String(p.ConnectionName), {
    providerType: p.ProviderTypeFilter === undefined ? undefined : ProviderType.of(String(p.ProviderTypeFilter)),
  });
});

/**
 * The kit role of the availability wait of a connection or host of the stack (`waitForAvailability`), built from the
 * wait's properties: the ARN is the deployed connection's or host's.
 */
const availabilityPolicy = synthesizedPolicy<Props>(AVAILABILITY_FAMILY.resourceType, (scope, p) => {
  const wait = {
    waitForAvailability: true,
    timeout: Duration.seconds(Number(p.TimeoutSeconds)),
    pollInterval: Duration.seconds(Number(p.PollIntervalSeconds)),
  };
  if (p.Kind === 'host') {
    const host = new Host(scope, 'Host', { providerType: ProviderType.GITHUB_ENTERPRISE_SERVER, providerEndpoint: 'https://git.example.com', ...wait });
    return [{ resource: host, attributes: { HostArn: String(p.ResourceArn) } }];
  }
  const connection = new Connection(scope, 'Connection', { providerType: ProviderType.GITHUB, ...wait });
  return [{ resource: connection, attributes: { ConnectionArn: String(p.ResourceArn) } }];
});

function world() {
  const clock = new VirtualClock().install();
  const fake = new FakeCodeConnections(clock).wire(mock);
  // More connections than one ListConnections page (100), so the lookup must page.
  for (let i = 0; i < 120; i++) fake.addConnection(`other-${i}`);
  const github = fake.addConnection('github', { id: 'aaaaaaaa-1111' });
  const gitlab = fake.addConnection('gitlab', { id: 'bbbbbbbb-2222', providerType: 'GitLab' });
  const pending = fake.addConnection('pending', { id: 'cccccccc-3333', status: 'PENDING', readyAfterTicks: 3 });
  const host = fake.addHost('ghes', 'PENDING', 4);
  // The stack's status, which the lookup reads to tell a rollback from a change.
  const cloudformation = new FakeCloudFormation(clock).wire(cfn);
  return { clock, fake, github, gitlab, pending, host, cloudformation };
}

const inputProblems = () => sdkInputProblems(mock, CODECONNECTIONS_API);

describe('connection lookup', () => {
  const props = { ConnectionName: 'github' };
  lifecycleSuite({
    family: 'codeconnections connection lookup',
    props,
    updates: [
      { name: 'provider filter that still finds it', kind: 'in-place', props: { ConnectionName: 'github', ProviderTypeFilter: 'GitHub' } },
      { name: 'another connection', kind: 'replacement', props: { ConnectionName: 'gitlab' } },
    ],
    world: () => {
      const w = world();
      return {
        handlers: routedHandlers(LOOKUP_FAMILY.resourceType),
        clock: w.clock,
        fakes: [w.fake, w.cloudformation],
        policy: lookupPolicy,
        invariant: view => {
          const problems: string[] = [];
          if (view.props) {
            const named = [...w.fake.connections.values()].filter(c => c.connection.ConnectionName === view.props!.ConnectionName);
            const arn = named[0]?.connection.ConnectionArn;
            if (view.physicalId !== arn) problems.push(`the physical id is ${view.physicalId}, the connection named ${view.props.ConnectionName} is ${arn}`);
            if (view.attributes.ConnectionArn !== arn) problems.push(`the ConnectionArn attribute is ${String(view.attributes.ConnectionArn)}, expected ${arn}`);
          }
          return problems;
        },
        inputProblems,
        removeOutOfBand: () => { w.fake.connections.delete(w.github); },
        outOfBand: 'not recreated' as const,
      };
    },
  });
});

/** The availability wait of a connection or a host: the same handlers, watching the one or the other. */
function availabilitySuite(kind: 'connection' | 'host', resourceArn: string, updates: UpdateCase<Props>[]): void {
  const props = { ResourceArn: resourceArn, Kind: kind, TimeoutSeconds: 600, PollIntervalSeconds: 30 };
  lifecycleSuite({
    family: `codeconnections availability wait${kind === 'host' ? ' (host)' : ''}`,
    props,
    waits: true,
    updates: updates.map(u => ({ ...u, props: { ...props, ...u.props } })),
    world: () => {
      const w = world();
      const states = kind === 'host' ? w.fake.hosts : w.fake.connections;
      const watched = kind === 'host' ? w.host : w.pending;
      return {
        handlers: routedHandlers(AVAILABILITY_FAMILY.resourceType),
        clock: w.clock,
        fakes: [w.fake],
        policy: availabilityPolicy,
        invariant: view => {
          const problems: string[] = [];
          if (view.props) {
            const state = states.get(String(view.props.ResourceArn));
            if (view.physicalId !== view.props.ResourceArn) problems.push(`the physical id is ${view.physicalId}, expected ${String(view.props.ResourceArn)}`);
            if (state && state.status !== 'AVAILABLE') problems.push(`the deployment went on while ${String(view.props.ResourceArn)} is ${state.status}`);
            if (view.attributes.Status !== 'AVAILABLE') problems.push(`the Status attribute is ${String(view.attributes.Status)}`);
          }
          return problems;
        },
        inputProblems,
        removeOutOfBand: () => { states.delete(watched); },
        outOfBand: 'not recreated' as const,
        hold: () => { states.get(watched)!.readyAfterTicks = undefined; },
      };
    },
  });
}

describe('availability wait', () => {
  availabilitySuite('connection', 'arn:aws:codeconnections:us-east-1:123456789012:connection/cccccccc-3333', [
    { name: 'longer timeout', kind: 'no-op', props: { TimeoutSeconds: 1200 } },
    { name: 'another connection', kind: 'replacement', props: { ResourceArn: 'arn:aws:codeconnections:us-east-1:123456789012:connection/aaaaaaaa-1111' } },
  ]);
});

describe('availability wait of a host', () => {
  availabilitySuite('host', 'arn:aws:codeconnections:us-east-1:123456789012:host/ghes-0', [
    { name: 'longer timeout', kind: 'no-op', props: { TimeoutSeconds: 1200 } },
  ]);
});

describe('availability wait cadence', () => {
  // As deployed: the provider calls the routing isComplete at the shortest poll interval of the stack's waits, and
  // each wait reads the status only at its own PollIntervalSeconds.
  async function cadence(interval: number, others: (w: ReturnType<typeof world>) => Props[]) {
    const w = world();
    const slow = w.fake.addConnection('slow', { id: 'dddddddd-4444', status: 'PENDING', readyAfterTicks: 48 }); // a person takes 4 minutes
    const handlers = routedHandlers(AVAILABILITY_FAMILY.resourceType);
    const worldOf = () => ({ handlers, clock: w.clock, fakes: [w.fake], policy: availabilityPolicy, invariant: () => [], inputProblems });
    // Other waits of the stack, deployed first (each watches a connection that is AVAILABLE already).
    for (const [i, props] of others(w).entries()) {
      expect(await new LifecycleDriver(worldOf(), { logicalId: `Other${i}` }).deploy(props)).toMatchObject({ ok: true });
    }
    const driver = new LifecycleDriver(worldOf());
    const start = w.clock.now();
    const mark = w.fake.requests.length;
    const outcome = await driver.deploy({ ResourceArn: slow, Kind: 'connection', TimeoutSeconds: 600, PollIntervalSeconds: interval });
    expect(outcome).toMatchObject({ ok: true });
    expect(driver.view.attributes).toMatchObject({ ResourceArn: slow, Status: 'AVAILABLE' });
    return { driver, reads: w.fake.requests.slice(mark).filter(r => r.operation === 'GetConnection').map(r => (r.at - start) / 1000) };
  }

  test.each([30, 60])('alone, a %i s wait sets the provider\'s interval: each call reads, none is idle', async interval => {
    const { driver, reads } = await cadence(interval, () => []);
    expect(driver.queryIntervalSeconds).toBe(interval);
    // Ready after 240 s: one read per interval until one finds it AVAILABLE.
    expect(reads).toEqual(Array.from({ length: 240 / interval }, (_, i) => (i + 1) * interval));
  });

  test.each([30, 60])('beside a 10 s wait, a %i s wait reads once per its own interval; the calls in between read nothing', async interval => {
    const { driver, reads } = await cadence(interval, w => [{ ResourceArn: w.github, Kind: 'connection', TimeoutSeconds: 600, PollIntervalSeconds: 10 }]);
    expect(driver.queryIntervalSeconds).toBe(10);
    expect(reads).toEqual(Array.from({ length: 240 / interval }, (_, i) => (i + 1) * interval));
  });
});

/** The kit role of a StackGitSync's wait for its first sync, built from the wait's properties. */
const firstSyncPolicy = synthesizedPolicy<Props>(FIRST_SYNC_FAMILY.resourceType, (scope, p) => {
  const connection = new Connection(scope, 'Connection', { providerType: ProviderType.GITHUB });
  new StackGitSync(scope, 'Sync', {
    connection,
    owner: 'my-org',
    repositoryName: 'infra',
    branch: String(p.Branch),
    stackName: String(p.StackName),
    templatePath: 'template.yaml',
    deploymentFilePath: String(p.ConfigFile),
    waitForFirstSync: true,
    timeout: Duration.seconds(Number(p.TimeoutSeconds)),
    pollInterval: Duration.seconds(Number(p.PollIntervalSeconds)),
  });
});

describe('first sync wait', () => {
  const props = { StackName: 'network', Branch: 'main', ConfigFile: 'deployment-file.yaml', TimeoutSeconds: 600, PollIntervalSeconds: 30, ServiceTimeout: 3600 };
  lifecycleSuite({
    family: 'codeconnections first sync wait',
    props,
    waits: true,
    updates: [
      { name: 'longer timeout', kind: 'no-op', props: { ...props, TimeoutSeconds: 1200 } },
      { name: 'another stack', kind: 'replacement', props: { ...props, StackName: 'network-v2' } },
    ],
    world: () => {
      const clock = new VirtualClock().install();
      const fake = new FakeCodeConnections(clock).wire(mock);
      // Git sync starts each stack's first sync once its configuration exists: a few polls later it succeeded.
      for (const name of ['network', 'network-v2']) fake.addSync(name, { endsAfterTicks: 6 });
      return {
        handlers: routedHandlers(FIRST_SYNC_FAMILY.resourceType),
        clock,
        fakes: [fake],
        policy: firstSyncPolicy,
        invariant: view => {
          const problems: string[] = [];
          if (view.props) {
            if (view.physicalId !== view.props.StackName) problems.push(`the physical id is ${view.physicalId}, expected ${String(view.props.StackName)}`);
            const sync = fake.syncs.get(String(view.props.StackName));
            if (sync && sync.status !== 'SUCCEEDED') problems.push(`the deployment went on while the sync of ${String(view.props.StackName)} is ${sync.status}`);
          }
          return problems;
        },
        inputProblems,
        // The sync configuration deleted outside the stack: its status and blockers are gone.
        removeOutOfBand: p => { fake.syncs.delete(String(p.StackName)); },
        outOfBand: 'not recreated' as const,
        hold: p => {
          const sync = fake.syncs.get(String(p.StackName))!;
          const before = sync.endsAfterTicks;
          sync.endsAfterTicks = undefined;
          return () => { sync.endsAfterTicks = before ?? 1; };
        },
        timeoutMessage: /no sync succeeded after \d+ seconds/,
      };
    },
  });
});
