import { CodeCatalystClient, type DevEnvironmentStatus, type GetDevEnvironmentResponse } from '@aws-sdk/client-codecatalyst';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { STSClient } from '@aws-sdk/client-sts';
import { base, DEV_ENVIRONMENT, ENV_ID, ENV_ID2, standardMocks, cc, failure } from './fixtures';
import { CODECATALYST_API } from '../../src/codecatalyst/private/api-constraints';
import { DEV_ENVIRONMENT_FAMILY } from '../../src/codecatalyst/private/custom-resources/contract';
import { isDevEnvironmentComplete, onDevEnvironmentEvent } from '../../src/codecatalyst/private/custom-resources/dev-environment';
import { WAIT_STARTED_KEY } from '../../src/core/runtime/handler';
import { TIMEOUT_PROPERTY } from '../../src/core/runtime/properties';
import type { OnEventRequest } from '../../src/core/runtime/types';
import { awsError, createEvent, deleteEvent, expectValidSdkInputs, handlerMocks, isCompleteEvent, updateEvent, sdkInputProblems } from '../kit';

const {
  CreateDevEnvironmentCommand, DeleteDevEnvironmentCommand, GetDevEnvironmentCommand, ListDevEnvironmentsCommand, StartDevEnvironmentCommand,
  StopDevEnvironmentCommand, UpdateDevEnvironmentCommand, VerifySessionCommand,
} = cc;

const [catalyst, secrets, sts] = handlerMocks(CodeCatalystClient, SecretsManagerClient, STSClient);
// Every CodeCatalyst input any test sends is within the API's documented constraints (Secrets Manager's are not in the table).
afterEach(() => expect(sdkInputProblems(catalyst, CODECATALYST_API)).toEqual([]));
const options = { resourceType: DEV_ENVIRONMENT_FAMILY.resourceType };
const MARKER = 'AWSCDK::CustomResourceProviderFramework::CREATE_FAILED';
const props = {
  ...base,
  ...DEV_ENVIRONMENT,
  [TIMEOUT_PROPERTY]: 600,
};
const key = { spaceName: 'acme', projectName: 'web', id: ENV_ID };
beforeEach(() => {
  standardMocks(catalyst, secrets, sts);
  // An Update first looks for what a cancelled request created: nothing.
  catalyst.on(ListDevEnvironmentsCommand).resolves({ items: [] });
});

/** An environment as GetDevEnvironment describes one made from `props`. */
function described(status: string, extra: Partial<GetDevEnvironmentResponse> = {}): Partial<GetDevEnvironmentResponse> {
  return {
    ...key,
    status: status as DevEnvironmentStatus,
    alias: 'alice-dev',
    instanceType: 'dev.standard1.small',
    inactivityTimeoutMinutes: 15,
    ides: [{ name: 'VSCode' }],
    persistentStorage: { sizeInGiB: 16 },
    repositories: [{ repositoryName: 'web-app', branchName: 'main' }],
    ...extra,
  };
}

/** The alias an environment this resource (the events' stack and logical id) creates has until its wait ends. */
const CREATING = /^cdk-devtools-creating-[0-9a-f]{24}$/;
/** The creating alias the handler gave the environment of the first CreateDevEnvironment call. */
const creatingAlias = (): string => catalyst.commandCalls(CreateDevEnvironmentCommand)[0].args[0].input.alias;
/** The id CloudFormation invents for the Delete of a Create it stopped waiting for. */
const INVENTED = 'TestStack-Resource-1A2B3C4D5E6F';

describe('onEvent', () => {
  test('Create creates the environment with an idempotency token and waits for the desired state', async () => {
    catalyst.on(CreateDevEnvironmentCommand).resolves({ ...key });
    const result = await onDevEnvironmentEvent(createEvent(props, options));
    expect(result).toEqual({
      PhysicalResourceId: ENV_ID,
      Data: { Id: ENV_ID, Status: 'PENDING', AwaitedState: 'RUNNING', [WAIT_STARTED_KEY]: expect.any(String) },
    });
    expect(catalyst.commandCalls(CreateDevEnvironmentCommand)[0].args[0].input).toEqual({
      spaceName: 'acme',
      projectName: 'web',
      clientToken: expect.stringMatching(/^[0-9a-f]{48}$/),
      instanceType: 'dev.standard1.small',
      persistentStorage: { sizeInGiB: 16 },
      ides: [{ name: 'VSCode' }],
      inactivityTimeoutMinutes: 15,
      alias: expect.stringMatching(CREATING),
      repositories: [{ repositoryName: 'web-app', branchName: 'main' }],
    });
    expectValidSdkInputs(catalyst, CODECATALYST_API);
  });

  test('the creating alias is the stack\'s and the logical id\'s: another request of the resource has it, another resource another', async () => {
    catalyst.on(CreateDevEnvironmentCommand).resolves({ ...key });
    await onDevEnvironmentEvent(createEvent(props, options));
    await onDevEnvironmentEvent({ ...createEvent(props, options), RequestId: 'another' } as OnEventRequest);
    await onDevEnvironmentEvent({ ...createEvent(props, options), LogicalResourceId: 'Other' } as OnEventRequest);
    await onDevEnvironmentEvent({ ...createEvent(props, options), StackId: createEvent(props).StackId.replace('TestStack', 'Other') } as OnEventRequest);
    const aliases = catalyst.commandCalls(CreateDevEnvironmentCommand).map(c => c.args[0].input.alias);
    expect(aliases[1]).toBe(aliases[0]);
    expect(new Set(aliases).size).toBe(3);
  });

  test('a retried Create sends the same client token; another request another', async () => {
    catalyst.on(CreateDevEnvironmentCommand).resolves({ ...key });
    await onDevEnvironmentEvent(createEvent(props, options));
    await onDevEnvironmentEvent(createEvent(props, options));
    await onDevEnvironmentEvent({ ...createEvent(props, options), RequestId: 'another' } as OnEventRequest);
    const tokens = catalyst.commandCalls(CreateDevEnvironmentCommand).map(c => c.args[0].input.clientToken);
    expect(tokens[0]).toBe(tokens[1]);
    expect(tokens[2]).not.toBe(tokens[0]);
  });

  test('without an alias or repositories none are sent; an IDE runtime is', async () => {
    catalyst.on(CreateDevEnvironmentCommand).resolves({ ...key });
    const { Alias: _a, Repositories: _r, ...bare } = props;
    await onDevEnvironmentEvent(createEvent({ ...bare, IdeName: 'IntelliJ', IdeRuntime: 'public.ecr.aws/jetbrains/ij', VpcConnectionName: 'vpc-conn', DesiredState: 'STOPPED' }, options));
    const input = catalyst.commandCalls(CreateDevEnvironmentCommand)[0].args[0].input;
    expect(input).toMatchObject({ ides: [{ name: 'IntelliJ', runtime: 'public.ecr.aws/jetbrains/ij' }], vpcConnectionName: 'vpc-conn' });
    expect(input.alias).toMatch(CREATING);
    expect(input.repositories).toBeUndefined();
    expectValidSdkInputs(catalyst, CODECATALYST_API);
  });

  test('a CreateDevEnvironment without an id fails', async () => {
    catalyst.on(CreateDevEnvironmentCommand).resolves({});
    await expect(onDevEnvironmentEvent(createEvent(props, options))).rejects.toThrow(/CreateDevEnvironment returned no id/);
  });

  test.each<[string, RegExp]>([
    ['ServiceQuotaExceededException', /Creating the dev environment failed .*ServiceQuotaExceededException.*billing tier/],
    ['AccessDeniedException', /has no role that allows this/],
    ['ResourceNotFoundException', /The project, a repository or the VPC connection does not exist/],
    ['ValidationException', /fix the value the message names/],
    ['ThrottlingException', /throttling or briefly unavailable/],
  ])('a CreateDevEnvironment failing with %s says what to do', async (name, next) => {
    catalyst.on(CreateDevEnvironmentCommand).rejects(awsError(name));
    await expect(onDevEnvironmentEvent(createEvent(props, options))).rejects.toThrow(next);
  });

  test('an Update of what can change in place sends only the changes and keeps the id', async () => {
    catalyst.on(GetDevEnvironmentCommand).resolves(described('RUNNING'));
    catalyst.on(UpdateDevEnvironmentCommand).resolves({ ...key });
    const next = { ...props, Alias: undefined, InstanceType: 'dev.standard1.large', InactivityTimeoutMinutes: 60, IdeName: 'PyCharm', IdeRuntime: 'rt' };
    const result = await onDevEnvironmentEvent(updateEvent(ENV_ID, next, props, options));
    expect(result).toEqual({ PhysicalResourceId: ENV_ID, Data: expect.objectContaining({ Status: 'UPDATED', AwaitedState: '' }) });
    expect(catalyst.commandCalls(UpdateDevEnvironmentCommand)[0].args[0].input).toEqual({
      ...key, alias: '', instanceType: 'dev.standard1.large', inactivityTimeoutMinutes: 60, ides: [{ name: 'PyCharm', runtime: 'rt' }],
    });
    expectValidSdkInputs(catalyst, CODECATALYST_API);
  });

  test('an Update that only changes the desired state sends no update, stops the running environment itself and waits for the state', async () => {
    catalyst.on(GetDevEnvironmentCommand).resolves(described('RUNNING'));
    catalyst.on(StopDevEnvironmentCommand).resolves({ ...key, status: 'STOPPING' });
    const result = await onDevEnvironmentEvent(updateEvent(ENV_ID, { ...props, DesiredState: 'STOPPED' }, props, options));
    // Driven: its waiter only waits (a cancelled Update's waiter must not stop what the rollback's Update starts).
    expect(result.Data).toMatchObject({ AwaitedState: 'STOPPED', Driven: 'true' });
    expect(catalyst.commandCalls(StopDevEnvironmentCommand)[0].args[0].input).toEqual(key);
    expect(catalyst).not.toHaveReceivedCommand(UpdateDevEnvironmentCommand);
    expectValidSdkInputs(catalyst, CODECATALYST_API);
  });

  test.each<[string, () => void]>([
    ['it is still STARTING', () => catalyst.on(GetDevEnvironmentCommand).resolves(described('STARTING'))],
    ['the stop meets a conflict', () => {
      catalyst.on(GetDevEnvironmentCommand).resolves(described('RUNNING'));
      catalyst.on(StopDevEnvironmentCommand).rejects(awsError('ConflictException'));
    }],
  ])('an Update to STOPPED leaves the stop to its waiter when %s', async (_name, arrange) => {
    arrange();
    const result = await onDevEnvironmentEvent(updateEvent(ENV_ID, { ...props, DesiredState: 'STOPPED' }, props, options));
    expect(result.Data).toMatchObject({ AwaitedState: 'STOPPED' });
    expect(result.Data).not.toHaveProperty('Driven');
  });

  test.each<[string, Record<string, unknown>]>([
    ['only the wait\'s timeout changes', { ...props, [TIMEOUT_PROPERTY]: 1200 }],
    ['the alias changes', { ...props, Alias: 'x1' }],
  ])('an Update of an environment deleted outside the stack creates a new one (another id: CloudFormation deletes the old) when %s', async (_name, next) => {
    catalyst.on(GetDevEnvironmentCommand).rejects(awsError('ResourceNotFoundException'));
    catalyst.on(CreateDevEnvironmentCommand).resolves({ ...key, id: ENV_ID2 });
    const result = await onDevEnvironmentEvent(updateEvent(ENV_ID, next, props, options));
    expect(result).toEqual({ PhysicalResourceId: ENV_ID2, Data: expect.objectContaining({ Status: 'PENDING', AwaitedState: 'RUNNING' }) });
    expect(catalyst).not.toHaveReceivedCommand(UpdateDevEnvironmentCommand);
    expect(console.log).toHaveBeenCalledWith(expect.stringMatching(/was deleted outside the stack: creating a new one/));
  });

  test.each(['DELETING', 'DELETED'])('an Update of an environment %s (deleted by its owner) creates a new one', async s => {
    catalyst.on(GetDevEnvironmentCommand).resolves(described(s));
    catalyst.on(CreateDevEnvironmentCommand).resolves({ ...key, id: ENV_ID2 });
    await expect(onDevEnvironmentEvent(updateEvent(ENV_ID, props, props, options))).resolves.toMatchObject({ PhysicalResourceId: ENV_ID2 });
  });

  test('an Update whose read of the environment is refused fails, and creates nothing', async () => {
    catalyst.on(GetDevEnvironmentCommand).rejects(awsError('AccessDeniedException'));
    await expect(onDevEnvironmentEvent(updateEvent(ENV_ID, { ...props, Alias: 'x1' }, props, options))).rejects.toThrow(/Reading the dev environment failed .*has no role/);
    expect(catalyst).not.toHaveReceivedCommand(CreateDevEnvironmentCommand);
  });

  test('another storage size is another environment (a replacement)', async () => {
    catalyst.on(GetDevEnvironmentCommand).resolves(described('RUNNING'));
    catalyst.on(CreateDevEnvironmentCommand).resolves({ ...key, id: ENV_ID2 });
    const result = await onDevEnvironmentEvent(updateEvent(ENV_ID, { ...props, StorageGiB: 32 }, props, options));
    expect(result.PhysicalResourceId).toBe(ENV_ID2);
    expect(catalyst.commandCalls(CreateDevEnvironmentCommand)[0].args[0].input.persistentStorage).toEqual({ sizeInGiB: 32 });
    expectValidSdkInputs(catalyst, CODECATALYST_API);
  });

  test('an Update of the old id from a replacement\'s properties (a rollback) updates the old environment and creates none', async () => {
    catalyst.on(GetDevEnvironmentCommand).resolves(described('RUNNING', { alias: 'renamed' }));
    catalyst.on(UpdateDevEnvironmentCommand).resolves({ ...key });
    const result = await onDevEnvironmentEvent(updateEvent(ENV_ID, props, { ...props, StorageGiB: 32 }, options));
    expect(result.PhysicalResourceId).toBe(ENV_ID);
    expect(result.Data).toMatchObject({ AwaitedState: 'RUNNING' });
    expect(catalyst.commandCalls(UpdateDevEnvironmentCommand)[0].args[0].input).toEqual({ ...key, alias: 'alice-dev' });
    expect(catalyst).not.toHaveReceivedCommand(CreateDevEnvironmentCommand);
  });

  test('a replacement whose old environment cannot be read creates a new one', async () => {
    catalyst.on(GetDevEnvironmentCommand).rejects(awsError('ResourceNotFoundException'));
    catalyst.on(CreateDevEnvironmentCommand).resolves({ ...key, id: ENV_ID2 });
    const result = await onDevEnvironmentEvent(updateEvent(ENV_ID, { ...props, Repositories: [{ RepositoryName: 'docs' }] }, props, options));
    expect(result.PhysicalResourceId).toBe(ENV_ID2);
  });

  test('Delete deletes the environment and waits until it is gone; one already gone completes at once', async () => {
    catalyst.on(DeleteDevEnvironmentCommand).resolves({ ...key });
    await expect(onDevEnvironmentEvent(deleteEvent(ENV_ID, props, options))).resolves.toEqual({
      PhysicalResourceId: ENV_ID, Data: expect.objectContaining({ Status: 'DELETING', AwaitedState: 'DELETED' }),
    });
    expect(catalyst.commandCalls(DeleteDevEnvironmentCommand)[0].args[0].input).toEqual(key);
    catalyst.on(DeleteDevEnvironmentCommand).rejects(awsError('ResourceNotFoundException'));
    await expect(onDevEnvironmentEvent(deleteEvent(ENV_ID, props, options))).resolves.toEqual({
      PhysicalResourceId: ENV_ID, Data: expect.objectContaining({ Status: 'DELETED', AwaitedState: '' }),
    });
    expectValidSdkInputs(catalyst, CODECATALYST_API);
  });

  test('a conflicting Delete is retried; a refused one says what to do', async () => {
    catalyst.on(DeleteDevEnvironmentCommand).rejectsOnce(awsError('ConflictException')).resolves({ ...key });
    await onDevEnvironmentEvent(deleteEvent(ENV_ID, props, options));
    expect(catalyst.commandCalls(DeleteDevEnvironmentCommand)).toHaveLength(2);
    catalyst.on(DeleteDevEnvironmentCommand).rejects(awsError('AccessDeniedException'));
    await expect(onDevEnvironmentEvent(deleteEvent(ENV_ID, props, options))).rejects.toThrow(/Deleting the dev environment failed .*has no role/);
  });

  describe('what a cancelled Create or Update started (it has the creating alias until its wait ends)', () => {
    /** The environments of the project as ListDevEnvironments lists them: `alias` and `status` of each, after `key`. */
    const listed = (...envs: Array<{ id: string; alias?: string; status: string }>) => catalyst.on(ListDevEnvironmentsCommand).resolves({
      items: envs.map(e => ({ ...described(e.status, { id: e.id, alias: e.alias }), creatorId: 'alice-id', lastUpdatedTime: new Date(0) })),
    });
    let alias: string;
    beforeEach(async () => {
      catalyst.on(CreateDevEnvironmentCommand).resolves({ ...key });
      await onDevEnvironmentEvent(createEvent(props, options));
      alias = creatingAlias();
      catalyst.resetHistory();
    });

    test('a Delete with an invented id deletes the environment with this resource\'s creating alias, and waits until it is gone', async () => {
      const other = '5e5e5e5e-1111-2222-3333-444455556666';
      listed({ id: ENV_ID, alias, status: 'STARTING' }, { id: ENV_ID2, alias: 'alice-dev', status: 'RUNNING' },
        { id: other, alias: alias.replace(/.$/, c => (c === '0' ? '1' : '0')), status: 'PENDING' });
      catalyst.on(DeleteDevEnvironmentCommand).resolves({ ...key });
      await expect(onDevEnvironmentEvent(deleteEvent(INVENTED, props, options))).resolves.toEqual({
        PhysicalResourceId: INVENTED, Data: expect.objectContaining({ Id: ENV_ID, Status: 'DELETING', AwaitedState: 'DELETED' }),
      });
      expect(catalyst.commandCalls(DeleteDevEnvironmentCommand).map(c => c.args[0].input)).toEqual([key]);
      expect(catalyst.commandCalls(ListDevEnvironmentsCommand)[0].args[0].input).toEqual({ spaceName: 'acme', projectName: 'web', maxResults: 50 });
      expect(console.log).toHaveBeenCalledWith(expect.stringMatching(/CloudFormation stopped waiting for its Create.*deleting dev environment 0a1b2c3d/));
      expectValidSdkInputs(catalyst, CODECATALYST_API);
    });

    test('a Delete with an invented id that finds nothing, or only environments being deleted, deletes nothing and completes', async () => {
      listed({ id: ENV_ID2, alias: 'alice-dev', status: 'RUNNING' }, { id: ENV_ID, alias, status: 'DELETING' });
      await expect(onDevEnvironmentEvent(deleteEvent(INVENTED, props, options))).resolves.toEqual({
        PhysicalResourceId: INVENTED, Data: expect.objectContaining({ AwaitedState: '' }),
      });
      expect(catalyst).not.toHaveReceivedCommand(DeleteDevEnvironmentCommand);
    });

    test('the lookup reads every page', async () => {
      catalyst.on(ListDevEnvironmentsCommand)
        .resolvesOnce({ items: [{ ...described('RUNNING', { id: ENV_ID2 }), creatorId: 'alice-id', lastUpdatedTime: new Date(0) }], nextToken: 'p2' })
        .resolves({ items: [{ ...described('RUNNING', { alias }), creatorId: 'alice-id', lastUpdatedTime: new Date(0) }] });
      catalyst.on(DeleteDevEnvironmentCommand).resolves({ ...key });
      await onDevEnvironmentEvent(deleteEvent(INVENTED, props, options));
      expect(catalyst.commandCalls(ListDevEnvironmentsCommand).map(c => c.args[0].input.nextToken)).toEqual([undefined, 'p2']);
      expect(catalyst.commandCalls(DeleteDevEnvironmentCommand).map(c => c.args[0].input)).toEqual([key]);
    });

    test('an Update (the rollback of a cancelled replacement) deletes the new environment, in the old properties\' project, and updates its own', async () => {
      const cancelled = { ...props, ProjectName: 'mobile', Repositories: undefined };
      catalyst.on(GetDevEnvironmentCommand).resolves(described('RUNNING'));
      listed({ id: ENV_ID2, alias, status: 'STARTING' });
      catalyst.on(DeleteDevEnvironmentCommand).resolves({ ...key, id: ENV_ID2 });
      const result = await onDevEnvironmentEvent(updateEvent(ENV_ID, props, cancelled, options));
      expect(result.PhysicalResourceId).toBe(ENV_ID);
      expect(catalyst.commandCalls(ListDevEnvironmentsCommand)[0].args[0].input).toMatchObject({ spaceName: 'acme', projectName: 'mobile' });
      expect(catalyst.commandCalls(DeleteDevEnvironmentCommand).map(c => c.args[0].input)).toEqual([{ spaceName: 'acme', projectName: 'mobile', id: ENV_ID2 }]);
      expect(catalyst).not.toHaveReceivedCommand(CreateDevEnvironmentCommand);
    });

    test('an Update never deletes the environment its own id names', async () => {
      catalyst.on(GetDevEnvironmentCommand).resolves(described('RUNNING', { alias }));
      listed({ id: ENV_ID, alias, status: 'RUNNING' });
      catalyst.on(UpdateDevEnvironmentCommand).resolves({ ...key });
      await onDevEnvironmentEvent(updateEvent(ENV_ID, props, { ...props, StorageGiB: 32 }, options));
      expect(catalyst).not.toHaveReceivedCommand(DeleteDevEnvironmentCommand);
    });

    test('a lookup that fails fails the request, saying what to do; a project that is gone has nothing running', async () => {
      catalyst.on(ListDevEnvironmentsCommand).rejects(awsError('AccessDeniedException'));
      await expect(onDevEnvironmentEvent(deleteEvent(INVENTED, props, options))).rejects.toThrow(/Looking for the dev environment a cancelled request created failed .*has no role/);
      catalyst.on(ListDevEnvironmentsCommand).rejects(awsError('ResourceNotFoundException'));
      await expect(onDevEnvironmentEvent(deleteEvent(INVENTED, props, options))).resolves.toMatchObject({ Data: expect.objectContaining({ AwaitedState: '' }) });
      expect(catalyst).not.toHaveReceivedCommand(DeleteDevEnvironmentCommand);
    });
  });

  test('the failed-create marker deletes nothing and reads no token', async () => {
    await expect(onDevEnvironmentEvent(deleteEvent(MARKER, props, options))).resolves.toEqual({ PhysicalResourceId: MARKER });
    expect(catalyst.calls()).toHaveLength(0);
    expect(secrets.calls()).toHaveLength(0);
  });

  test.each<[Record<string, unknown>, RegExp]>([
    [{ DesiredState: 'PAUSED' }, /property DesiredState should be one of RUNNING, STOPPED, got 'PAUSED'/],
    [{ Repositories: 'web-app' }, /property Repositories should be a list/],
  ])('properties a construct never sends fail as internal errors: %j', async (bad, message) => {
    await expect(onDevEnvironmentEvent(createEvent({ ...props, ...bad }, options))).rejects.toThrow(message);
  });
});

describe('isComplete', () => {
  /** An isComplete request after onEvent started a wait for `awaited` at `startedAt`. */
  function poll(awaited: string, startedAt = Date.now(), type: 'Create' | 'Delete' = 'Create') {
    const event = type === 'Create' ? createEvent(props, options) : deleteEvent(ENV_ID, props, options);
    return isCompleteEvent(event, { PhysicalResourceId: ENV_ID, Data: { [WAIT_STARTED_KEY]: String(startedAt), AwaitedState: awaited } });
  }
  const expired = () => Date.now() - 601_000;
  const status = (s: string, reason?: string) => catalyst.on(GetDevEnvironmentCommand).resolves(described(s, reason ? { statusReason: reason } : {}));

  test('nothing awaited: complete at once, without a call', async () => {
    await expect(isDevEnvironmentComplete(poll(''))).resolves.toEqual({ IsComplete: true });
    expect(catalyst.calls()).toHaveLength(0);
    expect(secrets.calls()).toHaveLength(0);
  });

  test('the poll reads the environment without VerifySession', async () => {
    status('RUNNING');
    await isDevEnvironmentComplete(poll('RUNNING'));
    expect(catalyst).not.toHaveReceivedCommand(VerifySessionCommand);
    expect(catalyst.commandCalls(GetDevEnvironmentCommand)[0].args[0].input).toEqual(key);
    expectValidSdkInputs(catalyst, CODECATALYST_API);
  });

  describe('waiting for RUNNING', () => {
    test.each(['PENDING', 'STARTING', 'STOPPING'])('%s: still waiting, nothing started', async s => {
      status(s);
      await expect(isDevEnvironmentComplete(poll('RUNNING'))).resolves.toEqual({ IsComplete: false });
      expect(catalyst).not.toHaveReceivedCommand(StartDevEnvironmentCommand);
      expect(catalyst).not.toHaveReceivedCommand(StopDevEnvironmentCommand);
    });

    test('RUNNING: complete, with the status', async () => {
      status('RUNNING');
      await expect(isDevEnvironmentComplete(poll('RUNNING'))).resolves.toEqual({ IsComplete: true, Data: { Status: 'RUNNING' } });
      expect(catalyst).not.toHaveReceivedCommand(UpdateDevEnvironmentCommand);
    });

    test('RUNNING with the creating alias: given the template\'s alias (none: cleared), then complete', async () => {
      catalyst.on(CreateDevEnvironmentCommand).resolves({ ...key });
      await onDevEnvironmentEvent(createEvent(props, options));
      catalyst.on(GetDevEnvironmentCommand).resolves(described('RUNNING', { alias: creatingAlias() }));
      catalyst.on(UpdateDevEnvironmentCommand).resolves({ ...key });
      await expect(isDevEnvironmentComplete(poll('RUNNING'))).resolves.toEqual({ IsComplete: true, Data: { Status: 'RUNNING' } });
      const { Alias: _a, ...bare } = props;
      const noAlias = isCompleteEvent(createEvent(bare, options), { PhysicalResourceId: ENV_ID, Data: { [WAIT_STARTED_KEY]: String(Date.now()), AwaitedState: 'RUNNING' } });
      await isDevEnvironmentComplete(noAlias);
      expect(catalyst.commandCalls(UpdateDevEnvironmentCommand).map(c => c.args[0].input)).toEqual([{ ...key, alias: 'alice-dev' }, { ...key, alias: '' }]);
      expectValidSdkInputs(catalyst, CODECATALYST_API);
    });

    test('a throttled renaming polls again; a refused one says what to do', async () => {
      catalyst.on(CreateDevEnvironmentCommand).resolves({ ...key });
      await onDevEnvironmentEvent(createEvent(props, options));
      catalyst.on(GetDevEnvironmentCommand).resolves(described('RUNNING', { alias: creatingAlias() }));
      catalyst.on(UpdateDevEnvironmentCommand).rejects(awsError('ThrottlingException'));
      await expect(isDevEnvironmentComplete(poll('RUNNING'))).resolves.toEqual({ IsComplete: false });
      catalyst.on(UpdateDevEnvironmentCommand).rejects(awsError('AccessDeniedException'));
      await expect(isDevEnvironmentComplete(poll('RUNNING'))).rejects.toThrow(/Giving the dev environment its alias failed .*has no role/);
    });

    test('STOPPED: started, still waiting', async () => {
      status('STOPPED');
      catalyst.on(StartDevEnvironmentCommand).resolves({ ...key, status: 'STARTING' });
      await expect(isDevEnvironmentComplete(poll('RUNNING'))).resolves.toEqual({ IsComplete: false });
      expect(catalyst.commandCalls(StartDevEnvironmentCommand)[0].args[0].input).toEqual(key);
      expectValidSdkInputs(catalyst, CODECATALYST_API);
    });

    test('FAILED: fails with the status reason', async () => {
      status('FAILED', 'Image pull failed');
      await expect(isDevEnvironmentComplete(poll('RUNNING'))).rejects.toThrow(/Waiting for the dev environment failed for dev environment 0a1b2c3d.*: it FAILED: Image pull failed\. Fix the cause/);
    });

    test.each(['DELETING', 'DELETED'])('%s: someone deleted it outside the stack', async s => {
      status(s);
      await expect(isDevEnvironmentComplete(poll('RUNNING'))).rejects.toThrow(new RegExp(`it is ${s}: someone deleted it outside the stack.*Deploy again`));
    });

    test('a conflicting or throttled Start waits for the next poll', async () => {
      status('STOPPED');
      catalyst.on(StartDevEnvironmentCommand).rejects(awsError('ConflictException'));
      await expect(isDevEnvironmentComplete(poll('RUNNING'))).resolves.toEqual({ IsComplete: false });
      catalyst.on(StartDevEnvironmentCommand).rejects(awsError('ThrottlingException'));
      await expect(isDevEnvironmentComplete(poll('RUNNING'))).resolves.toEqual({ IsComplete: false });
    });

    test('a refused Start says what to do', async () => {
      status('STOPPED');
      catalyst.on(StartDevEnvironmentCommand).rejects(awsError('ServiceQuotaExceededException'));
      await expect(isDevEnvironmentComplete(poll('RUNNING'))).rejects.toThrow(/Starting the dev environment failed .*billing tier/);
    });

    test('at the deadline: fails with the status it is stuck in', async () => {
      status('STARTING', 'Provisioning');
      await expect(isDevEnvironmentComplete(poll('RUNNING', expired()))).rejects.toThrow(/it is still STARTING: Provisioning after 600 seconds \(waiting for RUNNING\)/);
    });
  });

  describe('waiting for STOPPED', () => {
    test('RUNNING after its onEvent stopped it (the rollback\'s Update started it since): not stopped again, still waiting', async () => {
      status('RUNNING');
      const event = poll('STOPPED');
      const driven = { ...event, Data: { ...event.Data, Driven: 'true' } };
      await expect(isDevEnvironmentComplete(driven)).resolves.toEqual({ IsComplete: false });
      expect(catalyst).not.toHaveReceivedCommand(StopDevEnvironmentCommand);
    });

    test('RUNNING: stopped, still waiting', async () => {
      status('RUNNING');
      catalyst.on(StopDevEnvironmentCommand).resolves({ ...key, status: 'STOPPING' });
      await expect(isDevEnvironmentComplete(poll('STOPPED'))).resolves.toEqual({ IsComplete: false });
      expect(catalyst.commandCalls(StopDevEnvironmentCommand)[0].args[0].input).toEqual(key);
      expectValidSdkInputs(catalyst, CODECATALYST_API);
    });

    test('STOPPED: complete', async () => {
      status('STOPPED');
      await expect(isDevEnvironmentComplete(poll('STOPPED'))).resolves.toEqual({ IsComplete: true, Data: { Status: 'STOPPED' } });
    });

    test.each(['PENDING', 'STARTING', 'STOPPING'])('%s: still waiting', async s => {
      status(s);
      await expect(isDevEnvironmentComplete(poll('STOPPED'))).resolves.toEqual({ IsComplete: false });
      expect(catalyst).not.toHaveReceivedCommand(StopDevEnvironmentCommand);
    });

    test('FAILED fails', async () => {
      status('FAILED');
      await expect(isDevEnvironmentComplete(poll('STOPPED'))).rejects.toThrow(/it FAILED\. Fix the cause/);
    });

    test('a refused Stop says what to do', async () => {
      status('RUNNING');
      catalyst.on(StopDevEnvironmentCommand).rejects(awsError('AccessDeniedException'));
      await expect(isDevEnvironmentComplete(poll('STOPPED'))).rejects.toThrow(/Stopping the dev environment failed .*has no role/);
    });
  });

  describe('waiting for the environment to be gone (Delete)', () => {
    test.each(['PENDING', 'STARTING', 'RUNNING', 'STOPPING', 'STOPPED', 'FAILED', 'DELETING'])('%s: still waiting, nothing started or stopped', async s => {
      status(s);
      await expect(isDevEnvironmentComplete(poll('DELETED', Date.now(), 'Delete'))).resolves.toEqual({ IsComplete: false });
      expect(catalyst).not.toHaveReceivedCommand(StartDevEnvironmentCommand);
      expect(catalyst).not.toHaveReceivedCommand(StopDevEnvironmentCommand);
    });

    test('the Delete of an invented id waits for the environment it found (its Data names it)', async () => {
      status('DELETING');
      const event = isCompleteEvent(deleteEvent(INVENTED, props, options), {
        PhysicalResourceId: INVENTED, Data: { [WAIT_STARTED_KEY]: String(Date.now()), Id: ENV_ID, AwaitedState: 'DELETED' },
      });
      await expect(isDevEnvironmentComplete(event)).resolves.toEqual({ IsComplete: false });
      expect(catalyst.commandCalls(GetDevEnvironmentCommand)[0].args[0].input).toEqual(key);
    });

    test('DELETED, or not found: complete', async () => {
      status('DELETED');
      await expect(isDevEnvironmentComplete(poll('DELETED', Date.now(), 'Delete'))).resolves.toMatchObject({ IsComplete: true });
      catalyst.on(GetDevEnvironmentCommand).rejects(awsError('ResourceNotFoundException'));
      await expect(isDevEnvironmentComplete(poll('DELETED', Date.now(), 'Delete'))).resolves.toEqual({ IsComplete: true });
    });

    test('still DELETING at the deadline fails', async () => {
      status('DELETING');
      await expect(isDevEnvironmentComplete(poll('DELETED', expired(), 'Delete'))).rejects.toThrow(/it is still DELETING after 600 seconds \(waiting for DELETED\)/);
    });
  });

  describe('failed reads', () => {
    test('not found while waiting for RUNNING: deleted outside the stack', async () => {
      catalyst.on(GetDevEnvironmentCommand).rejects(awsError('ResourceNotFoundException'));
      await expect(isDevEnvironmentComplete(poll('RUNNING'))).rejects.toThrow(/reading its status failed: ResourceNotFoundException.*deleted outside the stack; deploy again/);
    });

    test('throttling before the deadline polls again; at the deadline it says throttling, not permissions', async () => {
      catalyst.on(GetDevEnvironmentCommand).rejects(awsError('ThrottlingException'));
      await expect(isDevEnvironmentComplete(poll('RUNNING'))).resolves.toEqual({ IsComplete: false });
      const error = await failure(isDevEnvironmentComplete(poll('RUNNING', expired())));
      expect(error.message).toMatch(/CodeCatalyst was throttling the status reads at the wait's deadline/);
      expect(error.message).not.toMatch(/permission/i);
    });

    test('a throttled read of the token\'s secret polls again before the deadline, and says throttling at it', async () => {
      secrets.on(GetSecretValueCommand).rejects(awsError('ThrottlingException'));
      await expect(isDevEnvironmentComplete(poll('RUNNING'))).resolves.toEqual({ IsComplete: false });
      const error = await failure(isDevEnvironmentComplete(poll('RUNNING', expired())));
      expect(error.message).toMatch(/Reading the CodeCatalyst token failed .*ThrottlingException.*Secrets Manager is throttling/);
      expect(catalyst.calls()).toHaveLength(0);
    });

    test('a denied read of the token\'s secret fails at once', async () => {
      secrets.on(GetSecretValueCommand).rejects(awsError('AccessDeniedException'));
      await expect(isDevEnvironmentComplete(poll('RUNNING'))).rejects.toThrow(/Reading the CodeCatalyst token failed .*kit role may read the secret/);
    });

    test('a refused call (403) at a poll names the token user\'s role, not an IAM policy', async () => {
      catalyst.on(GetDevEnvironmentCommand).rejects(awsError('AccessDeniedException'));
      const error = await failure(isDevEnvironmentComplete(poll('RUNNING')));
      expect(error.message).toMatch(/Waiting for the dev environment failed .*AccessDeniedException.*has no role that allows this.*codecatalyst-token-AbCdEf/);
      expect(error.message).not.toMatch(/policy/);
    });

    test('a token that expired during the wait says to rotate the secret', async () => {
      catalyst.on(GetDevEnvironmentCommand).rejects(awsError('UnauthorizedException', 'The token has expired'));
      await expect(isDevEnvironmentComplete(poll('RUNNING'))).rejects.toThrow(
        /UnauthorizedException: The token has expired\. Store a current token in secret arn:.*\(its whole SecretString\): a personal access token.*rotate the secret/);
    });
  });
});
