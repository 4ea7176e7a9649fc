import {
  CodeStarConnectionsClient, CreateConnectionCommand, DeleteConnectionCommand, GetConnectionCommand, TagResourceCommand,
} from '@aws-sdk/client-codestar-connections';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsStub } from 'aws-sdk-client-mock';
import {
  allows, awsError, CREATE_FAILED_MARKER, FakeCodeConnections, FakeService, FamilyHandlers, handlerMocks, LifecycleDriver, lifecycleSuite,
  LifecycleWorld, Props, NO_RESPONSE, route, SDK_MAX_ATTEMPTS, synthesizedPolicy, TemplateView, VirtualClock, WorldControls,
} from '.';
import { testFamily } from './family';
import { KitResource } from '../../src/core/custom-resource';
import type { IsCompleteRequest, IsCompleteResponse, OnEventRequest } from '../../src/core/runtime/types';

// The lifecycle harness itself: IAM matching, the SDK retry model, and the provider framework's rules.
const [mock] = handlerMocks(CodeStarConnectionsClient);
const client = new CodeStarConnectionsClient({ region: 'us-east-1' });

describe('permissions', () => {
  test('a statement matches actions and resources with wildcards', () => {
    const policy = [{ actions: ['amplify:Get*'], resources: ['arn:aws:amplify:us-east-1:123456789012:apps/a/branches/main/jobs/*'] }];
    expect(allows(policy, 'amplify:GetJob', 'arn:aws:amplify:us-east-1:123456789012:apps/a/branches/main/jobs/7')).toBe(true);
    expect(allows(policy, 'amplify:StopJob', 'arn:aws:amplify:us-east-1:123456789012:apps/a/branches/main/jobs/7')).toBe(false);
    expect(allows(policy, 'amplify:GetJob', 'arn:aws:amplify:us-east-1:123456789012:apps/b/branches/main/jobs/7')).toBe(false);
  });

  test('a statement limited to tag keys allows a request whose every tag key matches, and one that names none', () => {
    const policy = [{ actions: ['codepipeline:TagResource'], resources: ['arn:aws:codepipeline:us-east-1:123456789012:p'], tagKeys: ['cdk-devtools/*'] }];
    const arn = 'arn:aws:codepipeline:us-east-1:123456789012:p';
    expect(allows(policy, 'codepipeline:TagResource', arn, ['cdk-devtools/a', 'cdk-devtools/b'])).toBe(true);
    expect(allows(policy, 'codepipeline:TagResource', arn, ['cdk-devtools/a', 'team'])).toBe(false);
    expect(allows(policy, 'codepipeline:TagResource', arn)).toBe(true);
  });

  test('a fake answers a denied call with the service\'s access-denied error', async () => {
    const fake = new FakeCodeConnections(new VirtualClock()).wire(mock);
    const arn = fake.addConnection('github');
    fake.policy = [];
    await expect(client.send(new GetConnectionCommand({ ConnectionArn: arn }))).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });
});

describe('the SDK retry model', () => {
  test('throttling within the SDK\'s attempts is absorbed, beyond them it reaches the handler', async () => {
    const fake = new FakeCodeConnections(new VirtualClock()).wire(mock);
    const arn = fake.addConnection('github');
    fake.throttleNext(SDK_MAX_ATTEMPTS - 1);
    await expect(client.send(new GetConnectionCommand({ ConnectionArn: arn }))).resolves.toMatchObject({ Connection: { ConnectionArn: arn } });
    fake.throttleNext(SDK_MAX_ATTEMPTS);
    await expect(client.send(new GetConnectionCommand({ ConnectionArn: arn }))).rejects.toMatchObject({ name: 'ThrottlingException' });
    expect(fake.requests.filter(r => r.error === 'ThrottlingException')).toHaveLength(2 * SDK_MAX_ATTEMPTS - 1);
  });

  test('an input outside the constraint table is refused like the service would', async () => {
    new FakeCodeConnections(new VirtualClock()).wire(mock);
    await expect(client.send(new GetConnectionCommand({ ConnectionArn: 'not-an-arn' }))).rejects.toMatchObject({ name: 'ValidationException' });
  });
});

describe('the driver plays the provider framework', () => {
  function recording(onEvent: (event: OnEventRequest) => Promise<{ PhysicalResourceId?: string }>) {
    const seen: OnEventRequest[] = [];
    const clock = new VirtualClock();
    const handlers: FamilyHandlers = { resourceType: 'Custom::Test', onEvent: async e => { seen.push(e); return onEvent(e); } };
    const world: LifecycleWorld<Props> = { handlers, clock, fakes: [], policy: () => [], invariant: () => [], inputProblems: () => [] };
    return { seen, driver: new LifecycleDriver(world) };
  }

  test('a Create without a physical id gets the request id; properties arrive as strings', async () => {
    const { seen, driver } = recording(async () => ({}));
    await driver.deploy({ Count: 3, Wait: true });
    expect(driver.view.physicalId).toBe(seen[0].RequestId);
    expect(seen[0].ResourceProperties).toMatchObject({ Count: '3', Wait: 'true' });
  });

  test('a failed Create is deleted with the marker, which the framework answers itself', async () => {
    const { seen, driver } = recording(async () => { throw new Error('boom'); });
    const outcome = await driver.deploy({ A: 'a' });
    expect(outcome).toMatchObject({ ok: false, error: 'Error: boom' });
    expect(driver.trace).toEqual(['Create (new)', `Delete ${CREATE_FAILED_MARKER}`]);
    expect(seen.map(e => e.RequestType)).toEqual(['Create']);
  });

  test('a new physical id on Update is a replacement: the old id is deleted with the old properties', async () => {
    const { seen, driver } = recording(async e => ({ PhysicalResourceId: String(e.ResourceProperties.Name) }));
    await driver.deploy({ Name: 'one' });
    await driver.deploy({ Name: 'two' });
    expect(seen.map(e => `${e.RequestType} ${e.PhysicalResourceId ?? ''} ${e.ResourceProperties.Name}`))
      .toEqual(['Create  one', 'Update one two', 'Delete one one']);
  });

  test('a rollback after an in-place update is an Update back to the old properties', async () => {
    const { seen, driver } = recording(async () => ({ PhysicalResourceId: 'same' }));
    await driver.deploy({ Name: 'one' });
    await driver.deployThenRollback({ Name: 'two' });
    expect(seen.map(e => `${e.RequestType} ${e.ResourceProperties.Name} ${e.OldResourceProperties?.Name ?? ''}`))
      .toEqual(['Create one ', 'Update two one', 'Update one two']);
    expect(driver.view.props).toEqual({ Name: 'one' });
  });
});

describe('the driver plays cancelled requests', () => {
  /** A family whose waits take `polls` isComplete calls, recording every event it is sent. */
  function waiting(polls: number) {
    const events: Array<{ kind: 'onEvent' | 'isComplete'; type: string; id?: string; props: Record<string, unknown>; old?: Record<string, unknown>; at: number }> = [];
    const clock = new VirtualClock();
    const record = (kind: 'onEvent' | 'isComplete', e: OnEventRequest) => events.push({
      kind, type: e.RequestType, id: e.PhysicalResourceId, props: e.ResourceProperties, old: e.OldResourceProperties, at: clock.now(),
    });
    const calls = new Map<string, number>();
    const handlers: FamilyHandlers = {
      resourceType: 'Custom::Test',
      onEvent: async e => {
        record('onEvent', e);
        return e.RequestType === 'Delete' ? {} : { PhysicalResourceId: `thing-${String(e.ResourceProperties.Name)}` };
      },
      isComplete: async (e: IsCompleteRequest): Promise<IsCompleteResponse> => {
        record('isComplete', e);
        const n = (calls.get(e.RequestId) ?? 0) + 1;
        calls.set(e.RequestId, n);
        return { IsComplete: e.RequestType === 'Delete' || n >= polls };
      },
    };
    const world: LifecycleWorld<Props> = { handlers, clock, fakes: [], policy: () => [], invariant: () => [], inputProblems: () => [] };
    return { events, clock, driver: new LifecycleDriver(world) };
  }
  const shape = (e: { kind: string; type: string; id?: string; props: Record<string, unknown>; old?: Record<string, unknown> }) =>
    `${e.kind} ${e.type} ${e.id ?? '(new)'} ${String(e.props.Name)}${e.old ? ` (old ${String(e.old.Name)})` : ''}`;

  test('a cancelled Create is deleted under an id CloudFormation invents, with its properties; its waiter polls on', async () => {
    const { events, driver } = waiting(4);
    const outcome = await driver.deployCancelled({ Name: 'a' });
    expect(outcome).toMatchObject({ ok: false, error: 'Resource creation cancelled', rollbackErrors: [] });
    expect(driver.inventedPhysicalId).toBe('TestStack-Resource-1A2B3C4D5E6F7');
    expect(driver.view.physicalId).toBeUndefined();
    await driver.drainCancelled();
    expect(events.map(shape)).toEqual([
      'onEvent Create (new) a',
      'isComplete Create thing-a a',
      'onEvent Delete TestStack-Resource-1A2B3C4D5E6F7 a',
      // Side by side, every query interval: the cancelled waiter, then the rollback's.
      'isComplete Create thing-a a',
      'isComplete Delete TestStack-Resource-1A2B3C4D5E6F7 a',
      'isComplete Create thing-a a',
      'isComplete Create thing-a a',
    ]);
    const polls = events.filter(e => e.kind === 'isComplete' && e.type === 'Create').map(e => e.at);
    expect(polls.slice(1).map((at, i) => at - polls[i])).toEqual([30_000, 30_000, 30_000]);
  });

  test('a cancelled Update is rolled back with an Update of the old id, old and new properties swapped', async () => {
    const { events, driver } = waiting(2);
    await driver.deploy({ Name: 'a' });
    const mark = events.length;
    const outcome = await driver.deployCancelled({ Name: 'b' });
    expect(outcome).toMatchObject({ ok: false, error: 'Resource update cancelled', rollbackErrors: [] });
    expect(driver.view).toMatchObject({ physicalId: 'thing-a', props: { Name: 'a' } });
    await driver.drainCancelled();
    expect(events.slice(mark).map(shape)).toEqual([
      'onEvent Update thing-a b (old a)',
      'isComplete Update thing-b b (old a)',
      'onEvent Update thing-a a (old b)',
      'isComplete Update thing-b b (old a)',
      'isComplete Update thing-a a (old b)',
      'isComplete Update thing-a a (old b)',
    ]);
  });

  test('a family that does not wait is cancelled after onEvent, before CloudFormation has its answer', async () => {
    const { events, driver } = waiting(1);
    await driver.deployCancelled({ Name: 'a' });
    await driver.drainCancelled();
    expect(events.map(shape)).toEqual([
      'onEvent Create (new) a', 'isComplete Create thing-a a', 'onEvent Delete TestStack-Resource-1A2B3C4D5E6F7 a', 'isComplete Delete TestStack-Resource-1A2B3C4D5E6F7 a',
    ]);
  });
});

// A tiny family on a fake "widget" service (routed through CodeStarConnections commands): a widget per name, which
// becomes READY some polls after its creation, with a size. The correct handler finds everything from the properties
// (the name), so it survives CloudFormation's invented ids, lost responses and widgets deleted outside the stack; each
// flaw below breaks one of the new sequences, which must then fail (known defects run as `test.failing`).
const sts = new STSClient({ region: 'us-east-1' });

/** A client with the credentials of the kit role a request's properties name, as the library's handlers make theirs. */
async function widgetClient(props: Record<string, unknown>): Promise<CodeStarConnectionsClient> {
  const { Credentials: c } = await sts.send(new AssumeRoleCommand({ RoleArn: String(props.RoleArn), RoleSessionName: 'widget' }));
  return new CodeStarConnectionsClient({
    region: 'us-east-1', credentials: { accessKeyId: c!.AccessKeyId!, secretAccessKey: c!.SecretAccessKey!, sessionToken: c!.SessionToken },
  });
}

interface Widget { readonly name: string; size: string; readyAfterTicks: number }

class FakeWidgets extends FakeService {
  public readonly widgets = new Map<string, Widget>();
  /** Widgets created while held never become READY. */
  public held = false;

  constructor(clock: VirtualClock) {
    super('Widgets', clock, { throttling: 'ThrottlingException', accessDenied: 'AccessDeniedException', validation: 'ValidationException', notFound: 'ResourceNotFoundException' }, undefined);
  }

  public override tick(): void {
    this.widgets.forEach(w => { w.readyAfterTicks--; });
  }

  public snapshot(): unknown {
    return [...this.widgets.values()];
  }

  public wire(widgetMock: AwsStub<any, any, any>): this {
    route(widgetMock, CreateConnectionCommand, input => this.op('CreateWidget', input, true, () => {
      const name = input.ConnectionName!;
      if (this.widgets.has(name)) throw awsError('ConflictException', `widget ${name} exists already`);
      this.widgets.set(name, { name, size: input.Tags?.[0]?.Value ?? '1', readyAfterTicks: this.held ? Infinity : 2 });
      return { ConnectionArn: name };
    }));
    route(widgetMock, GetConnectionCommand, input => this.op('GetWidget', input, false, () => {
      const w = this.widget(input.ConnectionArn);
      return { Connection: { ConnectionName: w.name, ConnectionStatus: w.readyAfterTicks <= 0 ? 'AVAILABLE' : 'PENDING' } };
    }));
    route(widgetMock, TagResourceCommand, input => this.op('ResizeWidget', input, true, () => {
      this.widget(input.ResourceArn).size = input.Tags![0].Value!;
      return {};
    }));
    route(widgetMock, DeleteConnectionCommand, input => this.op('DeleteWidget', input, true, () => {
      this.widgets.delete(this.widget(input.ConnectionArn).name);
      return {};
    }));
    return this;
  }

  /** One request: admitted (throttling, the caller's role), then the operation; a failure is recorded on the request. */
  private op<O>(operation: string, input: object, write: boolean, body: () => O): O {
    this.admit(operation, input, `widgets:${operation}`, '*', write);
    try {
      return body();
    } catch (err) {
      this.requests[this.requests.length - 1] = { ...this.requests[this.requests.length - 1], error: (err as Error).name };
      throw err;
    }
  }

  private widget(name: string | undefined): Widget {
    const w = this.widgets.get(name ?? '');
    if (!w) throw this.notFound(`widget ${name}`);
    return w;
  }
}

/** The flaws a widget handler can have, each of which one of the new sequences must catch. */
type WidgetFlaw =
  /** Deletes only the widget a physical id it returned names (misses CloudFormation's invented id). */
  | 'deletes by physical id'
  /** A rollback to the old id leaves the widget a cancelled replacement made. */
  | 'no clean-up of a cancelled replacement'
  /** Never checks that the widget still exists (an Update of one deleted outside the stack fails or does nothing). */
  | 'no recreation'
  /** Fails when the create meets its own widget (a lost response retried). */
  | 'no adoption';

function widgetHandlers(flaw?: WidgetFlaw): FamilyHandlers {
  const gone = (err: unknown) => (err as Error).name === 'ResourceNotFoundException';
  const resize = (widgets: CodeStarConnectionsClient, name: string, size: string) =>
    widgets.send(new TagResourceCommand({ ResourceArn: name, Tags: [{ Key: 'size', Value: size }] }));
  const create = async (widgets: CodeStarConnectionsClient, name: string, size: string) => {
    try {
      await widgets.send(new CreateConnectionCommand({ ConnectionName: name, ProviderType: 'GitHub', Tags: [{ Key: 'size', Value: size }] }));
    } catch (err) {
      // The name is the properties': a widget of that name is this resource's (made by a request whose response was lost).
      if (flaw === 'no adoption' || (err as Error).name !== 'ConflictException') throw err;
      await resize(widgets, name, size);
    }
  };
  const remove = async (widgets: CodeStarConnectionsClient, name: string) => {
    try {
      await widgets.send(new DeleteConnectionCommand({ ConnectionArn: name }));
    } catch (err) {
      if (!gone(err)) throw err;
    }
  };
  const exists = async (widgets: CodeStarConnectionsClient, name: string) => {
    try {
      await widgets.send(new GetConnectionCommand({ ConnectionArn: name }));
      return true;
    } catch (err) {
      if (gone(err)) return false;
      throw err;
    }
  };
  return {
    resourceType: 'Custom::Widget',
    onEvent: async event => {
      const widgets = await widgetClient(event.ResourceProperties);
      const name = String(event.ResourceProperties.Name);
      const size = String(event.ResourceProperties.Size);
      const started = { StartedAt: String(Date.now()) };
      if (event.RequestType === 'Delete') {
        if (flaw !== 'deletes by physical id' || event.PhysicalResourceId === name) await remove(widgets, name);
        return { PhysicalResourceId: event.PhysicalResourceId };
      }
      if (event.RequestType === 'Update' && event.PhysicalResourceId === name) {
        const old = event.OldResourceProperties!;
        // Back at the old id from other properties (a rollback): what those made under their own name goes.
        if (old.Name !== name && flaw !== 'no clean-up of a cancelled replacement') await remove(widgets, String(old.Name));
        if (flaw === 'no recreation' || await exists(widgets, name)) {
          if (old.Name !== name || old.Size !== size) await resize(widgets, name, size);
          return { PhysicalResourceId: name, Data: started };
        }
      }
      await create(widgets, name, size);
      return { PhysicalResourceId: name, Data: started };
    },
    isComplete: async event => {
      if (event.RequestType === 'Delete') return { IsComplete: true };
      const widgets = await widgetClient(event.ResourceProperties);
      const name = String(event.ResourceProperties.Name);
      const seconds = Number(event.ResourceProperties.TimeoutSeconds);
      const expired = Date.now() - Number(event.Data?.StartedAt) >= seconds * 1000;
      let status: string | undefined;
      try {
        status = (await widgets.send(new GetConnectionCommand({ ConnectionArn: name }))).Connection?.ConnectionStatus;
      } catch (err) {
        if ((err as Error).name !== 'ThrottlingException') throw err;
        if (expired) throw new Error(`widget ${name}: still throttled after ${seconds} seconds; retry the deployment`);
        return { IsComplete: false };
      }
      if (status === 'AVAILABLE') return { IsComplete: true, Data: { Status: status } };
      if (expired) {
        await remove(widgets, name);
        throw new Error(`widget ${name} is still ${status} after ${seconds} seconds`);
      }
      return { IsComplete: false };
    },
  };
}

function widgetSuite(
  family: string, flaw: WidgetFlaw | undefined, knownDefects: Record<string, string>, controls: Partial<WorldControls<Props>> = {},
): void {
  const props = { Name: 'alpha', Size: '1', TimeoutSeconds: 600 };
  lifecycleSuite({
    family,
    props,
    waits: true,
    updates: [
      { name: 'size', kind: 'in-place', props: { ...props, Size: '2' } },
      { name: 'timeout', kind: 'no-op', props: { ...props, TimeoutSeconds: 900 } },
      { name: 'name', kind: 'replacement', props: { ...props, Name: 'beta' } },
    ],
    knownDefects,
    world: () => {
      const clock = new VirtualClock().install();
      const fake = new FakeWidgets(clock).wire(mock);
      return {
        handlers: widgetHandlers(flaw),
        clock,
        fakes: [fake],
        policy: () => [{ actions: ['widgets:*'], resources: ['*'] }],
        // Exactly the template's widget exists, with its size and READY; no other.
        invariant: (view: TemplateView<Props>) => {
          const problems = [...fake.widgets.values()].filter(w => w.name !== view.props?.Name).map(w => `widget ${w.name} is left behind`);
          const mine = view.props ? fake.widgets.get(String(view.props.Name)) : undefined;
          if (view.props && !mine) problems.push(`the template's widget ${String(view.props.Name)} does not exist`);
          if (view.props && mine && (mine.size !== String(view.props.Size) || mine.readyAfterTicks > 0)) {
            problems.push(`widget ${mine.name} has size ${mine.size} and is ${mine.readyAfterTicks > 0 ? 'not ' : ''}ready; the template says ${String(view.props.Size)}`);
          }
          return problems;
        },
        inputProblems: () => [],
        removeOutOfBand: (p: Props) => { fake.widgets.delete(String(p.Name)); },
        hold: () => {
          fake.held = true;
          return () => { fake.held = false; };
        },
        ...controls,
      };
    },
  });
}

describe('the new sequences against a tiny family', () => {
  widgetSuite('a correct widget family', undefined, {});
  widgetSuite('a widget family that deletes by physical id only', 'deletes by physical id', { 'cancelled create': 'misses the invented id' });
  widgetSuite('a widget family that leaves a cancelled replacement', 'no clean-up of a cancelled replacement', {
    'cancelled update: name': 'keeps the widget the cancelled Update made',
  });
  widgetSuite('a widget family that never recreates', 'no recreation', {
    'deleted outside the stack: update: size': 'resizes a missing widget',
    'deleted outside the stack: rollback: size': 'resizes a missing widget',
    'deleted outside the stack: update: timeout': 'leaves the widget missing',
    'deleted outside the stack: rollback: timeout': 'leaves the widget missing',
  });
  widgetSuite('a widget family that never adopts', 'no adoption', { 'lost create response': 'fails on its own widget' });
  // What a README says a cancelled create leaves behind is accepted there, and only when the README says it.
  const leftBehind = { readme: 'test/kit/lifecycle/README.md', says: 'A family\'s README may say what a cancelled request leaves behind', problems: /^widget alpha is left behind$/ };
  widgetSuite('a widget family whose README says a cancelled create leaves the widget', 'deletes by physical id', {}, { leftBehind });
  widgetSuite('a widget family whose README does not say so', 'deletes by physical id', { 'cancelled create': 'the README does not say it' }, {
    leftBehind: { ...leftBehind, says: 'A cancelled create leaves the widget' },
  });
  // The way out a README gives for a create whose response was lost: both the create and the redeploy must give it.
  widgetSuite('a widget family that never adopts, and says what to do', 'no adoption', {}, { lostResponseWayOut: /widget alpha exists already/ });
});

describe('losing a response', () => {
  const widgets = new CodeStarConnectionsClient({ region: 'us-east-1' });
  // Without a caller directory (no driver), a fake authorises every request.

  test('the fake commits, the client sees a dropped connection, and the SDK\'s retry meets what the first attempt made', async () => {
    const fake = new FakeWidgets(new VirtualClock()).wire(mock);
    fake.loseNextResponse('CreateWidget');
    await expect(widgets.send(new CreateConnectionCommand({ ConnectionName: 'alpha', ProviderType: 'GitHub' })))
      .rejects.toMatchObject({ name: 'ConflictException' });
    expect(fake.lostResponses).toEqual(['CreateWidget']);
    expect(fake.requests.map(r => `${r.operation} ${r.error ?? 'ok'}`)).toEqual(['CreateWidget ok', 'CreateWidget ConflictException']);
    expect([...fake.widgets.keys()]).toEqual(['alpha']);
  });

  test('by default the next write that succeeds loses its response; a failed one, or a read, does not', async () => {
    const fake = new FakeWidgets(new VirtualClock()).wire(mock);
    fake.loseNextResponse();
    await expect(widgets.send(new GetConnectionCommand({ ConnectionArn: 'alpha' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(widgets.send(new DeleteConnectionCommand({ ConnectionArn: 'alpha' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    expect(fake.lostResponses).toEqual([]);
    await widgets.send(new CreateConnectionCommand({ ConnectionName: 'beta', ProviderType: 'GitHub' })).catch(() => undefined);
    expect(fake.lostResponses).toEqual(['CreateWidget']);
    fake.loseNextResponse();
    fake.keepResponses();
    await widgets.send(new DeleteConnectionCommand({ ConnectionArn: 'beta' }));
    expect(fake.lostResponses).toEqual(['CreateWidget']);
  });
});

describe('permissions from the synthesized construct', () => {
  const probe = (p: Props) => ({ Name: p.Name, Wait: String(p.Wait) });
  const policy = synthesizedPolicy<Props>('Custom::Probe', (scope, p) => {
    const bucket = new s3.Bucket(scope, 'Bucket', { bucketName: 'probe-bucket' });
    const kit = new KitResource(scope, 'Probe', {
      family: testFamily('Custom::Probe'),
      properties: probe(p),
      statements: [
        new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [bucket.arnForObjects(String(p.Name))] }),
        new iam.PolicyStatement({ actions: ['kms:Decrypt'], resources: ['*'], conditions: { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } } }),
        new iam.PolicyStatement({ actions: ['s3:PutBucketTagging'], resources: [bucket.bucketArn], conditions: { 'ForAllValues:StringLike': { 'aws:TagKeys': ['probe/*'] } } }),
      ],
    });
    kit.role.grantPrincipal.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [`arn:aws:sqs:us-east-1:123456789012:${String(p.Name)}`] }));
    return [{ resource: bucket, attributes: { Arn: 'arn:aws:s3:::probe-bucket' } }];
  });

  test('the kit role the custom resource names: its statements and its grants, intrinsics evaluated, conditioned ones left out but for tag keys', () => {
    expect(policy({ Name: 'a', Wait: false })).toEqual([
      { actions: ['s3:GetObject'], resources: ['arn:aws:s3:::probe-bucket/a'] },
      { actions: ['s3:PutBucketTagging'], resources: ['arn:aws:s3:::probe-bucket'], tagKeys: ['probe/*'] },
      { actions: ['sqs:SendMessage'], resources: ['arn:aws:sqs:us-east-1:123456789012:a'] },
    ]);
  });

  test('properties the construct does not render are refused, naming the difference', () => {
    const strict = synthesizedPolicy<Props>('Custom::Probe', (scope, p) => {
      new KitResource(scope, 'Probe', { family: testFamily('Custom::Probe'), properties: { Name: p.Name }, statements: [] });
    });
    expect(() => strict({ Name: 'a', Size: 3 })).toThrow(/no Custom::Probe the construct built renders the world's properties; it renders Size undefined \(the world: "3"\)/);
  });

  test('a statement the harness cannot model fails', () => {
    const deny = synthesizedPolicy<Props>('Custom::Probe', (scope, p) => {
      new KitResource(scope, 'Probe', {
        family: testFamily('Custom::Probe'), properties: { Name: p.Name }, statements: [new iam.PolicyStatement({ effect: iam.Effect.DENY, actions: ['s3:*'], resources: ['*'] })],
      });
    });
    expect(() => deny({ Name: 'a' })).toThrow(/a kit role's statement the lifecycle harness cannot model/);
  });
});

describe('the driver keeps CloudFormation\'s clock', () => {
  /** A world whose handler waits until `ready()` says so, recording when isComplete was called and what it was told. */
  function waiting(ready: () => boolean, clock = new VirtualClock()) {
    const calls: Array<{ at: number; told?: string }> = [];
    const handlers: FamilyHandlers = {
      resourceType: 'Custom::Test',
      onEvent: async () => ({ PhysicalResourceId: 'thing-1' }),
      isComplete: async () => {
        calls.push({ at: clock.now(), told: process.env.QUERY_INTERVAL_SECONDS });
        return { IsComplete: ready() };
      },
    };
    const world: LifecycleWorld<Props> = { handlers, clock, fakes: [], policy: () => [], invariant: () => [], inputProblems: () => [] };
    return { calls, world };
  }

  test('no answer within ServiceTimeout fails the stack operation as CloudFormation does; a Create\'s rollback Delete gets an invented id', async () => {
    const { world } = waiting(() => false);
    const driver = new LifecycleDriver(world);
    const outcome = await driver.deploy({ TimeoutSeconds: 900, PollIntervalSeconds: 30, ServiceTimeout: '600' });
    expect(outcome).toMatchObject({ ok: false, error: expect.stringMatching(NO_RESPONSE) });
    expect(outcome.error).toContain('within its ServiceTimeout (600 seconds)');
    expect(driver.trace).toEqual(['Create (new)', expect.stringMatching(/^Delete TestStack-Resource-[0-9A-F]{12}$/)]);
    expect(driver.answers[0]).toBe('Create 600');
    // Without the property, CloudFormation's default: one hour.
    const hour = new LifecycleDriver(waiting(() => false).world);
    expect(await hour.deploy({ TimeoutSeconds: 900 })).toMatchObject({ ok: false, error: expect.stringMatching(/ServiceTimeout \(3600 seconds\)/) });
  });

  test('an Update that never answers keeps its physical id, and the rollback is an Update back', async () => {
    let ready = true;
    const { world } = waiting(() => ready);
    const driver = new LifecycleDriver(world);
    await driver.deploy({ V: 1, TimeoutSeconds: 60 });
    ready = false;
    const outcome = await driver.deploy({ V: 2, TimeoutSeconds: 60, ServiceTimeout: '120' });
    expect(outcome.error).toMatch(NO_RESPONSE);
    expect(driver.trace).toEqual(['Create (new)', 'Update thing-1', 'Update thing-1']);
  });

  test('isComplete is called at the shortest poll interval of the stack\'s waits, and the function is told that interval', async () => {
    const clock = new VirtualClock();
    const fast = new LifecycleDriver(waiting(() => true, clock).world, { logicalId: 'Fast' });
    await fast.deploy({ TimeoutSeconds: 600, PollIntervalSeconds: 10 });
    let polls = 0;
    const slow = waiting(() => ++polls === 4, clock);
    const driver = new LifecycleDriver(slow.world, { logicalId: 'Slow' });
    const start = clock.now();
    await driver.deploy({ TimeoutSeconds: 600, PollIntervalSeconds: 60 });
    expect(slow.calls.map(c => [(c.at - start) / 1000, c.told])).toEqual([[10, '10'], [20, '10'], [30, '10'], [40, '10']]);
    // A stack without waits: the default interval.
    const alone = waiting(() => ++polls === 6);
    await new LifecycleDriver(alone.world).deploy({ Name: 'x' });
    expect(alone.calls.map(c => c.told)).toEqual(['30', '30']);
  });
});
