import { CodeStarConnectionsClient, GetConnectionCommand } from '@aws-sdk/client-codestar-connections';
import {
  allows, CREATE_FAILED_MARKER, FakeCodeConnections, FamilyHandlers, handlerMocks, LifecycleDriver, LifecycleWorld, Props, SDK_MAX_ATTEMPTS,
  VirtualClock,
} from '.';
import type { OnEventRequest } from '../../src/core/handlers/types';

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
