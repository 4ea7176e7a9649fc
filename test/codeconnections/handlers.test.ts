import { CloudFormationClient, DescribeStacksCommand, StackStatus } from '@aws-sdk/client-cloudformation';
import {
  CodeStarConnectionsClient, GetConnectionCommand, GetHostCommand, ListConnectionsCommand,
} from '@aws-sdk/client-codestar-connections';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { CODECONNECTIONS_API } from '../../src/codeconnections/private/api-constraints';
import { isAvailabilityComplete, onAvailabilityEvent } from '../../src/codeconnections/private/custom-resources/availability';
import { AVAILABILITY_FAMILY, LOOKUP_FAMILY } from '../../src/codeconnections/private/custom-resources/contract';
import { onLookupEvent } from '../../src/codeconnections/private/custom-resources/lookup';
import {
  awsError, createEvent, deleteEvent, expectValidSdkInputs, handlerMocks, isCompleteEvent, updateEvent,
} from '../kit';

const [mock, cloudformation, sts] = handlerMocks(CodeStarConnectionsClient, CloudFormationClient, STSClient);
const client = new CodeStarConnectionsClient({ region: 'us-east-1' });
const ARN = 'arn:aws:codeconnections:us-east-1:123456789012:connection/0a1b2c3d-1111-2222-3333-444455556666';
const OTHER_ARN = 'arn:aws:codeconnections:eu-west-1:123456789012:connection/99999999-1111-2222-3333-444455556666';
const HOST_ARN = 'arn:aws:codeconnections:us-east-1:123456789012:host/gitlab-0123456789';


describe('connection lookup', () => {
  const props = { ConnectionName: 'my-github', ProviderTypeFilter: 'GitHub' };

  test('finds the connection by name across pages', async () => {
    mock.on(ListConnectionsCommand, { ProviderTypeFilter: 'GitHub', MaxResults: 100, NextToken: undefined }).resolves({
      Connections: [{ ConnectionName: 'other', ConnectionArn: OTHER_ARN }], NextToken: 'page-2',
    });
    mock.on(ListConnectionsCommand, { NextToken: 'page-2' }).resolves({
      Connections: [{ ConnectionName: 'my-github', ConnectionArn: ARN, ConnectionStatus: 'AVAILABLE', ProviderType: 'GitHub', OwnerAccountId: '111122223333' }],
    });
    const result = await onLookupEvent(client, createEvent(props));
    expect(result).toEqual({
      PhysicalResourceId: ARN,
      Data: { ConnectionArn: ARN, ConnectionStatus: 'AVAILABLE', ProviderType: 'GitHub', OwnerAccountId: '111122223333' },
    });
    expect(mock).toHaveReceivedCommandTimes(ListConnectionsCommand, 2);
    // The attributes are those the construct reads (getAttString) by the contract's names.
    expect(Object.keys(result.Data!).sort()).toEqual([...LOOKUP_FAMILY.attributes].sort());
    expectValidSdkInputs(mock, CODECONNECTIONS_API);
  });

  test('returns only the four short attributes, whatever else the connection carries (responses are capped at 4 KB)', async () => {
    const longArn = `arn:aws:codeconnections:us-east-1:123456789012:connection/${'a'.repeat(256 - 59)}`;
    mock.on(ListConnectionsCommand).resolves({
      Connections: [{
        ConnectionName: 'my-github',
        ConnectionArn: longArn,
        ConnectionStatus: 'PENDING',
        ProviderType: 'AzureDevOps' as any,
        OwnerAccountId: 'o'.repeat(255),
        HostArn: HOST_ARN,
      }],
    });
    const result = await onLookupEvent(client, createEvent({ ConnectionName: 'my-github' }));
    expect(result.Data).toEqual({ ConnectionArn: longArn, ConnectionStatus: 'PENDING', ProviderType: 'AzureDevOps', OwnerAccountId: 'o'.repeat(255) });
    expect(JSON.stringify(result).length).toBeLessThan(1024);
  });

  test('looks up again on update, filtered by host', async () => {
    mock.on(ListConnectionsCommand, { HostArnFilter: HOST_ARN }).resolves({ Connections: [{ ConnectionName: 'ghes', ConnectionArn: ARN }] });
    const result = await onLookupEvent(client, updateEvent(OTHER_ARN, { ConnectionName: 'ghes', HostArnFilter: HOST_ARN }, { ConnectionName: 'old' }));
    expect(result.PhysicalResourceId).toBe(ARN);
    expect(result.Data).toMatchObject({ ConnectionStatus: 'UNKNOWN', ProviderType: '', OwnerAccountId: '' });
    expectValidSdkInputs(mock, CODECONNECTIONS_API);
  });

  test('fails clearly when no connection has the name, listing some that exist', async () => {
    mock.on(ListConnectionsCommand).resolves({ Connections: [{ ConnectionName: 'a', ConnectionArn: ARN }, { ConnectionName: 'b', ConnectionArn: OTHER_ARN }] });
    await expect(onLookupEvent(client, createEvent(props))).rejects.toThrow(
      "Looking up a CodeConnections connection failed for connection name 'my-github' (provider GitHub): no connection has that name "
      + '(2 listed: a, b). Fix the name, create the connection first, or import it with Connection.fromConnectionArn().');
    expectValidSdkInputs(mock, CODECONNECTIONS_API);
  });

  describe('a connection deleted since the stack was deployed', () => {
    const stackIs = (status: StackStatus) => cloudformation.on(DescribeStacksCommand).resolves({
      Stacks: [{ StackName: 'TestStack', StackStatus: status, CreationTime: new Date(0) }],
    });
    // CloudFormation is asked as the kit role the properties name.
    const withRole = { ...props, RoleArn: 'arn:aws:iam::123456789012:role/kit-lookup' };
    beforeEach(() => {
      mock.on(ListConnectionsCommand).resolves({ Connections: [] });
      sts.on(AssumeRoleCommand).resolves({ Credentials: { AccessKeyId: 'ASIA', SecretAccessKey: 's', SessionToken: 't', Expiration: new Date(0) } });
    });

    test('does not fail the rollback: it keeps the ARN it had, DELETED', async () => {
      stackIs('UPDATE_ROLLBACK_IN_PROGRESS');
      const result = await onLookupEvent(client, updateEvent(ARN, withRole, { ...withRole, ProviderTypeFilter: undefined }));
      expect(result).toEqual({
        PhysicalResourceId: ARN,
        Data: { ConnectionArn: ARN, ConnectionStatus: 'DELETED', ProviderType: 'GitHub', OwnerAccountId: '123456789012' },
      });
      expect(cloudformation.commandCalls(DescribeStacksCommand)[0].args[0].input).toEqual({ StackName: createEvent(props).StackId });
    });

    test.each<[string, () => void]>([
      ['the stack updates (a change, not a rollback)', () => stackIs('UPDATE_IN_PROGRESS')],
      ['CloudFormation cannot be asked', () => cloudformation.on(DescribeStacksCommand).rejects(awsError('AccessDenied'))],
    ])('fails an update when %s', async (_name, answer) => {
      answer();
      await expect(onLookupEvent(client, updateEvent(ARN, withRole, { ...withRole, ProviderTypeFilter: undefined }))).rejects.toThrow(/no connection has that name/);
    });

    test('fails a create without asking CloudFormation', async () => {
      await expect(onLookupEvent(client, createEvent(withRole))).rejects.toThrow(/no connection has that name/);
      expect(cloudformation.commandCalls(DescribeStacksCommand)).toHaveLength(0);
    });
  });

  test('fails clearly when several connections have the name', async () => {
    mock.on(ListConnectionsCommand).resolves({
      Connections: [{ ConnectionName: 'my-github', ConnectionArn: ARN }, { ConnectionName: 'my-github', ConnectionArn: OTHER_ARN }],
    });
    await expect(onLookupEvent(client, createEvent(props))).rejects.toThrow(
      new RegExp(`2 connections have that name: ${ARN}, ${OTHER_ARN}. Narrow the lookup with providerType or host`));
  });

  test('reports throttling that outlasted the SDK retries as retryable', async () => {
    mock.on(ListConnectionsCommand).rejects(awsError('ThrottlingException', 'Rate exceeded'));
    await expect(onLookupEvent(client, createEvent(props))).rejects.toThrow(
      /ListConnections failed: ThrottlingException: Rate exceeded. The service is throttling or briefly unavailable; retry the deployment/);
  });

  test('reports a permission problem with the action to grant', async () => {
    mock.on(ListConnectionsCommand).rejects(awsError('AccessDeniedException', 'not authorized'));
    await expect(onLookupEvent(client, createEvent(props))).rejects.toThrow(/may call codestar-connections:ListConnections/);
  });

  test('delete does nothing and keeps the physical id, whatever the properties say', async () => {
    await expect(onLookupEvent(client, deleteEvent(ARN, props))).resolves.toEqual({ PhysicalResourceId: ARN });
    await expect(onLookupEvent(client, deleteEvent(ARN, {}))).resolves.toEqual({ PhysicalResourceId: ARN });
    expect(mock.calls()).toHaveLength(0);
  });

  test('fails on a missing name (a construct/handler mismatch)', async () => {
    await expect(onLookupEvent(client, createEvent({}))).rejects.toThrow(/property ConnectionName is missing/);
  });
});

describe('availability wait', () => {
  const props = { ResourceArn: ARN, Kind: 'connection', TimeoutSeconds: 600 };
  const setupUrl = 'https://console.aws.amazon.com/codesuite/settings/123456789012/us-east-1/connections/0a1b2c3d-1111-2222-3333-444455556666?region=us-east-1';
  const hostProps = { ...props, ResourceArn: HOST_ARN, Kind: 'host' };

  test('onEvent starts the wait and keys the resource on the ARN', async () => {
    const result = await onAvailabilityEvent(createEvent(props));
    expect(result.PhysicalResourceId).toBe(ARN);
    expect(result.Data).toEqual({ ResourceArn: ARN, WaitStartedAt: expect.stringMatching(/^\d+$/) });
    const updated = await onAvailabilityEvent(updateEvent(OTHER_ARN, props, { ...props, ResourceArn: OTHER_ARN }));
    expect(updated.PhysicalResourceId).toBe(ARN);
    await expect(onAvailabilityEvent(deleteEvent(ARN, props))).resolves.toEqual({ PhysicalResourceId: ARN });
  });

  test('waits while PENDING, then completes when AVAILABLE', async () => {
    mock.on(GetConnectionCommand, { ConnectionArn: ARN })
      .resolvesOnce({ Connection: { ConnectionArn: ARN, ConnectionStatus: 'PENDING' } })
      .resolves({ Connection: { ConnectionArn: ARN, ConnectionStatus: 'AVAILABLE' } });
    const started = await onAvailabilityEvent(createEvent(props));
    const event = isCompleteEvent(createEvent(props), started);
    await expect(isAvailabilityComplete(client, event)).resolves.toEqual({ IsComplete: false });
    const done = await isAvailabilityComplete(client, event);
    expect(done).toEqual({ IsComplete: true, Data: { ResourceArn: ARN, Status: 'AVAILABLE' } });
    // The attributes are those the constructs read (getAttString) by the contract's names.
    expect(Object.keys(done.Data!).sort()).toEqual([...AVAILABILITY_FAMILY.attributes].sort());
    expectValidSdkInputs(mock, CODECONNECTIONS_API);
  });

  test('a Delete reads no property, so a construct/handler mismatch cannot block it', async () => {
    await expect(onAvailabilityEvent(deleteEvent(ARN, {}))).resolves.toEqual({ PhysicalResourceId: ARN });
    await expect(isAvailabilityComplete(client, isCompleteEvent(deleteEvent(ARN, {})))).resolves.toEqual({ IsComplete: true });
    expect(mock.calls()).toHaveLength(0);
  });

  test.each([
    ['no ARN', { Kind: 'connection', TimeoutSeconds: 600 }, /property ResourceArn is missing/],
    ['no kind', { ResourceArn: ARN, TimeoutSeconds: 600 }, /property Kind is missing/],
    ['an unknown kind', { ResourceArn: ARN, Kind: 'repository-link', TimeoutSeconds: 600 }, /property Kind should be one of connection, host, got 'repository-link'/],
  ])('onEvent and isComplete both refuse properties with %s (one parser for every path)', async (_, bad, message) => {
    await expect(onAvailabilityEvent(createEvent(bad))).rejects.toThrow(message);
    const started = isCompleteEvent(createEvent(bad), { Data: { WaitStartedAt: String(Date.now()) } });
    await expect(isAvailabilityComplete(client, started)).rejects.toThrow(message);
    expect(mock.calls()).toHaveLength(0);
  });

  test('fails with the set-up URL when still PENDING after the timeout, and how to keep a connection the deployment created', async () => {
    mock.on(GetConnectionCommand).resolves({ Connection: { ConnectionStatus: 'PENDING' } });
    const event = isCompleteEvent(createEvent(props), { PhysicalResourceId: ARN, Data: { WaitStartedAt: String(Date.now() - 601_000) } });
    await expect(isAvailabilityComplete(client, event)).rejects.toThrow(
      `Waiting for the connection to become AVAILABLE failed for connection ${ARN}: it is still PENDING after 600 seconds. `
      + `A person must complete the set-up at ${setupUrl}. The rollback deletes a connection this deployment created, and the set-up `
      + 'with it, unless the deployment keeps what it created (`cdk deploy --no-rollback`): then complete the set-up and run the same '
      + '`cdk deploy --no-rollback` again, which resumes the wait (or raise the wait\'s timeout).');
    expectValidSdkInputs(mock, CODECONNECTIONS_API);
  });

  test('a wait that times out in an update (its connection exists already) says to retry after the set-up', async () => {
    mock.on(GetConnectionCommand).resolves({ Connection: { ConnectionStatus: 'PENDING' } });
    const update = { ...createEvent(props), RequestType: 'Update' as const, PhysicalResourceId: ARN, OldResourceProperties: props };
    const event = isCompleteEvent(update, { Data: { WaitStartedAt: String(Date.now() - 601_000) } });
    await expect(isAvailabilityComplete(client, event)).rejects.toThrow(
      `it is still PENDING after 600 seconds. A person must complete the set-up at ${setupUrl}; do that, then retry the deployment `
      + '(or raise the wait\'s timeout).');
  });

  test('fails at once on ERROR', async () => {
    mock.on(GetConnectionCommand).resolves({ Connection: { ConnectionStatus: 'ERROR' } });
    const event = isCompleteEvent(createEvent(props), { Data: { WaitStartedAt: String(Date.now()) } });
    await expect(isAvailabilityComplete(client, event)).rejects.toThrow(`its status is ERROR. Open ${setupUrl} to see what went wrong`);
  });

  test('keeps polling through throttling, until the timeout', async () => {
    mock.on(GetConnectionCommand).rejects(awsError('ThrottlingException'));
    const fresh = isCompleteEvent(createEvent(props), { Data: { WaitStartedAt: String(Date.now()) } });
    await expect(isAvailabilityComplete(client, fresh)).resolves.toEqual({ IsComplete: false });
    const expired = isCompleteEvent(createEvent(props), { Data: { WaitStartedAt: String(Date.now() - 700_000) } });
    await expect(isAvailabilityComplete(client, expired)).rejects.toThrow(/reading its status failed: ThrottlingException/);
  });

  test('fails clearly when the connection was deleted outside the stack', async () => {
    mock.on(GetConnectionCommand).rejects(awsError('ResourceNotFoundException', 'Connection not found'));
    const event = isCompleteEvent(createEvent(props), { Data: { WaitStartedAt: String(Date.now()) } });
    await expect(isAvailabilityComplete(client, event)).rejects.toThrow(/It no longer exists: it was deleted outside this stack/);
  });

  // An Update of a wait that watched the same ARN, after the connection or host was deleted outside the stack: the
  // forward Update and its rollback (the same shape) both end the wait, with Status DELETED.
  test.each([
    ['connection', props, () => mock.on(GetConnectionCommand).rejects(awsError('ResourceNotFoundException', 'Connection not found'))],
    ['host', hostProps, () => mock.on(GetHostCommand).rejects(awsError('ResourceNotFoundException', 'Host not found'))],
  ])('an update of a wait whose %s was deleted outside the stack ends with Status DELETED', async (_kind, p, arrange) => {
    arrange();
    const event = isCompleteEvent(updateEvent(p.ResourceArn, { ...p, TimeoutSeconds: 1200 }, p), { Data: { WaitStartedAt: String(Date.now()) } });
    await expect(isAvailabilityComplete(client, event)).resolves.toEqual({ IsComplete: true, Data: { ResourceArn: p.ResourceArn, Status: 'DELETED' } });
    expectValidSdkInputs(mock, CODECONNECTIONS_API);
  });

  test('an update to watch another ARN that does not exist fails as a create does', async () => {
    mock.on(GetConnectionCommand).rejects(awsError('ResourceNotFoundException', 'Connection not found'));
    const event = isCompleteEvent(updateEvent(HOST_ARN, props, hostProps), { Data: { WaitStartedAt: String(Date.now()) } });
    await expect(isAvailabilityComplete(client, event)).rejects.toThrow(/It no longer exists: it was deleted outside this stack/);
  });

  test.each([
    ['VPC_CONFIG_INITIALIZING', { IsComplete: false }],
    ['PENDING', { IsComplete: false }],
    ['SOME_NEW_STATE', { IsComplete: false }],
    ['AVAILABLE', { IsComplete: true, Data: { ResourceArn: HOST_ARN, Status: 'AVAILABLE' } }],
  ])('a host in %s', async (status, expected) => {
    mock.on(GetHostCommand, { HostArn: HOST_ARN }).resolves({ Status: status });
    const event = isCompleteEvent(createEvent(hostProps), { Data: { WaitStartedAt: String(Date.now()) } });
    await expect(isAvailabilityComplete(client, event)).resolves.toEqual(expected);
    expectValidSdkInputs(mock, CODECONNECTIONS_API);
  });

  test('a host whose VPC set-up failed fails the deployment', async () => {
    mock.on(GetHostCommand).resolves({ Status: 'VPC_CONFIG_FAILED_INITIALIZATION' });
    const event = isCompleteEvent(createEvent(hostProps), { Data: { WaitStartedAt: String(Date.now()) } });
    await expect(isAvailabilityComplete(client, event)).rejects.toThrow(/for host .*: its status is VPC_CONFIG_FAILED_INITIALIZATION/);
  });

  test('delete completes without reading anything', async () => {
    await expect(isAvailabilityComplete(client, isCompleteEvent(deleteEvent(ARN, props)))).resolves.toEqual({ IsComplete: true });
    expect(mock.calls()).toHaveLength(0);
  });

  test('fails when onEvent did not start the wait', async () => {
    mock.on(GetConnectionCommand).resolves({ Connection: { ConnectionStatus: 'PENDING' } });
    await expect(isAvailabilityComplete(client, isCompleteEvent(createEvent(props)))).rejects.toThrow(/isComplete received no WaitStartedAt/);
  });
});
