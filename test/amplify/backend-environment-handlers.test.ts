import {
  AmplifyClient, BackendEnvironment, CreateBackendEnvironmentCommand, DeleteBackendEnvironmentCommand, GetBackendEnvironmentCommand,
} from '@aws-sdk/client-amplify';
import { AMPLIFY_API } from '../../src/amplify/private/api-constraints';
import { onBackendEnvironmentEvent } from '../../src/amplify/private/custom-resources/backend-environment';
import {
  awsError, createEvent, deleteEvent, expectValidSdkInputs, handlerMocks, updateEvent,
} from '../kit';

const [mock] = handlerMocks(AmplifyClient);
const client = new AmplifyClient({ region: 'us-east-1' });
const APP = 'd1a2b3c4d5e6f7';
const ARN = (name: string) => `arn:aws:amplify:us-east-1:123456789012:apps/${APP}/backendenvironments/${name}`;
const T1 = new Date('2026-11-01T10:00:00Z');
const T2 = new Date('2026-11-02T10:00:00Z');
const env = (name: string, createTime: Date): { backendEnvironment: BackendEnvironment } => ({
  backendEnvironment: { backendEnvironmentArn: ARN(name), environmentName: name, createTime, updateTime: createTime },
});
const props = { AppId: APP, EnvironmentName: 'staging', StackName: 'amplify-site-staging', DeploymentArtifacts: 'amplify-site-staging-deployment' };
/** The environment as GetBackendEnvironment returns it, with the stack name and artifacts of `props`. */
const withStack = (createTime: Date) => ({
  backendEnvironment: { ...env('staging', createTime).backendEnvironment, stackName: 'amplify-site-staging', deploymentArtifacts: 'amplify-site-staging-deployment' },
});
const ID1 = `${APP}/staging/${T1.getTime()}`;
const ID2 = `${APP}/staging/${T2.getTime()}`;


describe('backend environment handler', () => {
  test('create creates the environment and keys the resource on its name and creation time', async () => {
    mock.on(CreateBackendEnvironmentCommand).resolves(env('staging', T1));
    await expect(onBackendEnvironmentEvent(client, createEvent(props))).resolves.toEqual({
      PhysicalResourceId: ID1, Data: { BackendEnvironmentArn: ARN('staging'), EnvironmentName: 'staging' },
    });
    expect(mock).toHaveReceivedCommandWith(CreateBackendEnvironmentCommand, {
      appId: APP, environmentName: 'staging', stackName: 'amplify-site-staging', deploymentArtifacts: 'amplify-site-staging-deployment',
    });
    expect(mock).not.toHaveReceivedCommand(GetBackendEnvironmentCommand);
    expectValidSdkInputs(mock, AMPLIFY_API);
  });

  test('a create response without the environment is completed by a read', async () => {
    mock.on(CreateBackendEnvironmentCommand).resolves({ backendEnvironment: undefined });
    mock.on(GetBackendEnvironmentCommand, { appId: APP, environmentName: 'staging' }).resolves(env('staging', T1));
    await expect(onBackendEnvironmentEvent(client, createEvent({ AppId: APP, EnvironmentName: 'staging' })))
      .resolves.toMatchObject({ PhysicalResourceId: ID1 });
    expect(mock).toHaveReceivedCommandWith(CreateBackendEnvironmentCommand, { appId: APP, environmentName: 'staging', stackName: undefined });
    expectValidSdkInputs(mock, AMPLIFY_API);
  });

  test('renaming is a replacement: the new environment gets a new physical id, the old one is left to CloudFormation', async () => {
    mock.on(CreateBackendEnvironmentCommand).resolves(env('prod', T2));
    const next = { ...props, EnvironmentName: 'prod', StackName: 'amplify-site-prod' };
    await expect(onBackendEnvironmentEvent(client, updateEvent(ID1, next, props))).resolves.toEqual({
      PhysicalResourceId: `${APP}/prod/${T2.getTime()}`, Data: { BackendEnvironmentArn: ARN('prod'), EnvironmentName: 'prod' },
    });
    expect(mock).toHaveReceivedCommandWith(CreateBackendEnvironmentCommand, { appId: APP, environmentName: 'prod', stackName: 'amplify-site-prod' });
    expect(mock).not.toHaveReceivedCommand(DeleteBackendEnvironmentCommand);
    expectValidSdkInputs(mock, AMPLIFY_API);
  });

  test.each([
    ['the stack name', { StackName: 'amplify-site-staging-2' }],
    ['the deployment artifacts', { DeploymentArtifacts: 'other' }],
    ['a value dropped from the properties', { DeploymentArtifacts: undefined }],
  ])('changing %s of an existing environment fails with the way out, deleting and creating nothing', async (_what, change) => {
    mock.on(GetBackendEnvironmentCommand).resolves(withStack(T1));
    await expect(onBackendEnvironmentEvent(client, updateEvent(ID1, { ...props, ...change }, props))).rejects.toThrow(
      /Updating the Amplify backend environment failed .*Amplify cannot change the (stackName|deploymentArtifacts) from .* of an existing environment.*Nothing was changed\. .*new backendEnvironmentName/);
    expect(mock).not.toHaveReceivedCommand(DeleteBackendEnvironmentCommand);
    expect(mock).not.toHaveReceivedCommand(CreateBackendEnvironmentCommand);
    expectValidSdkInputs(mock, AMPLIFY_API);
  });

  test('the rollback Update back to the old properties, or of the old id after a rename, keeps the environment and its id', async () => {
    mock.on(GetBackendEnvironmentCommand).resolves(withStack(T1));
    const data = { BackendEnvironmentArn: ARN('staging'), EnvironmentName: 'staging' };
    await expect(onBackendEnvironmentEvent(client, updateEvent(ID1, props, { ...props, StackName: 'amplify-site-staging-2' })))
      .resolves.toEqual({ PhysicalResourceId: ID1, Data: data });
    await expect(onBackendEnvironmentEvent(client, updateEvent(ID1, props, { ...props, EnvironmentName: 'prod' })))
      .resolves.toEqual({ PhysicalResourceId: ID1, Data: data });
    expect(mock).not.toHaveReceivedCommand(DeleteBackendEnvironmentCommand);
    expect(mock).not.toHaveReceivedCommand(CreateBackendEnvironmentCommand);
    expectValidSdkInputs(mock, AMPLIFY_API);
  });

  test('an update finding the environment gone creates it again; one created again outside the stack is adopted', async () => {
    mock.on(GetBackendEnvironmentCommand).rejectsOnce(awsError('NotFoundException')).resolves(withStack(T2));
    mock.on(CreateBackendEnvironmentCommand).resolves(env('staging', T2));
    await expect(onBackendEnvironmentEvent(client, updateEvent(ID1, props, props))).resolves.toMatchObject({ PhysicalResourceId: ID2 });
    expect(mock).toHaveReceivedCommandTimes(CreateBackendEnvironmentCommand, 1);
    await expect(onBackendEnvironmentEvent(client, updateEvent(ID1, props, props))).resolves.toMatchObject({ PhysicalResourceId: ID2 });
    expect(mock).toHaveReceivedCommandTimes(CreateBackendEnvironmentCommand, 1);
    expect(mock).not.toHaveReceivedCommand(DeleteBackendEnvironmentCommand);
    expectValidSdkInputs(mock, AMPLIFY_API);
  });

  test('the delete of an old physical id leaves a newer environment of the same name alone', async () => {
    mock.on(GetBackendEnvironmentCommand, { appId: APP, environmentName: 'staging' }).resolves(env('staging', T2));
    await expect(onBackendEnvironmentEvent(client, deleteEvent(ID1, props))).resolves.toEqual({ PhysicalResourceId: ID1 });
    expect(mock).not.toHaveReceivedCommand(DeleteBackendEnvironmentCommand);
    expectValidSdkInputs(mock, AMPLIFY_API);
  });

  test('a no-op update creates nothing and keeps the physical id', async () => {
    mock.on(GetBackendEnvironmentCommand).resolves(withStack(T1));
    await expect(onBackendEnvironmentEvent(client, updateEvent(ID1, props, props))).resolves.toEqual({
      PhysicalResourceId: ID1, Data: { BackendEnvironmentArn: ARN('staging'), EnvironmentName: 'staging' },
    });
    expect(mock).not.toHaveReceivedCommand(CreateBackendEnvironmentCommand);
    expect(mock).not.toHaveReceivedCommand(DeleteBackendEnvironmentCommand);
    expectValidSdkInputs(mock, AMPLIFY_API);
  });

  test('delete deletes the environment it created', async () => {
    mock.on(GetBackendEnvironmentCommand).resolves(env('staging', T1));
    mock.on(DeleteBackendEnvironmentCommand).resolves(env('staging', T1));
    await expect(onBackendEnvironmentEvent(client, deleteEvent(ID1, props))).resolves.toEqual({ PhysicalResourceId: ID1 });
    expect(mock).toHaveReceivedCommandWith(DeleteBackendEnvironmentCommand, { appId: APP, environmentName: 'staging' });
    expectValidSdkInputs(mock, AMPLIFY_API);
  });

  test('delete succeeds when the environment is already gone (read or delete says NotFound)', async () => {
    mock.on(GetBackendEnvironmentCommand).rejectsOnce(awsError('NotFoundException')).resolves(env('staging', T1));
    mock.on(DeleteBackendEnvironmentCommand).rejects(awsError('NotFoundException'));
    await expect(onBackendEnvironmentEvent(client, deleteEvent(ID1, props))).resolves.toEqual({ PhysicalResourceId: ID1 });
    expect(mock).not.toHaveReceivedCommand(DeleteBackendEnvironmentCommand);
    await expect(onBackendEnvironmentEvent(client, deleteEvent(ID1, props))).resolves.toEqual({ PhysicalResourceId: ID1 });
    expect(mock).toHaveReceivedCommandTimes(DeleteBackendEnvironmentCommand, 1);
    expectValidSdkInputs(mock, AMPLIFY_API);
  });

  test('an environment name with a slash round-trips through the physical id', async () => {
    mock.on(GetBackendEnvironmentCommand, { appId: APP, environmentName: 'team/a' }).resolves(env('team/a', T1));
    mock.on(DeleteBackendEnvironmentCommand).resolves({ backendEnvironment: undefined });
    await onBackendEnvironmentEvent(client, deleteEvent(`${APP}/team/a/${T1.getTime()}`, props));
    expect(mock).toHaveReceivedCommandWith(DeleteBackendEnvironmentCommand, { appId: APP, environmentName: 'team/a' });
  });

  test('delete of a failed create (no environment in the physical id) calls nothing', async () => {
    const failed = 'AWSCDK::CustomResourceProviderFramework::CREATE_FAILED';
    await expect(onBackendEnvironmentEvent(client, deleteEvent(failed, props))).resolves.toEqual({ PhysicalResourceId: failed });
    await expect(onBackendEnvironmentEvent(client, deleteEvent(`${APP}/staging`, props))).resolves.toEqual({ PhysicalResourceId: `${APP}/staging` });
    expect(mock.calls()).toHaveLength(0);
  });

  test('LimitExceeded is reported as retryable; a missing app, a delete failure and other errors give the next step', async () => {
    mock.on(CreateBackendEnvironmentCommand).rejectsOnce(awsError('LimitExceededException', 'too many'))
      .rejectsOnce(awsError('NotFoundException', 'no app')).rejects(awsError('BadRequestException', 'bad name'));
    await expect(onBackendEnvironmentEvent(client, createEvent(props))).rejects.toThrow(/LimitExceededException\); retry the deployment later/);
    await expect(onBackendEnvironmentEvent(client, createEvent(props))).rejects.toThrow(/backend environments are for Gen 1 apps only/);
    await expect(onBackendEnvironmentEvent(client, createEvent(props))).rejects.toThrow(/amplify:CreateBackendEnvironment on the app.*BadRequestException/);
    mock.on(GetBackendEnvironmentCommand).resolves(env('staging', T1));
    mock.on(DeleteBackendEnvironmentCommand).rejects(awsError('DependentServiceFailureException', 'stack busy'));
    await expect(onBackendEnvironmentEvent(client, deleteEvent(ID1, props))).rejects.toThrow(/Deleting the Amplify backend environment failed .*DeleteBackendEnvironment/);
    expectValidSdkInputs(mock, AMPLIFY_API);
  });

  test('throttling on the read of a no-op update or a delete fails with the next step', async () => {
    mock.on(GetBackendEnvironmentCommand).rejects(awsError('LimitExceededException'));
    await expect(onBackendEnvironmentEvent(client, updateEvent(ID1, props, props))).rejects.toThrow(/Reading the Amplify backend environment failed .*retry the deployment later/);
    await expect(onBackendEnvironmentEvent(client, deleteEvent(ID1, props))).rejects.toThrow(/retry the deployment later/);
    expectValidSdkInputs(mock, AMPLIFY_API);
  });
});

describe('what a cancelled or retried request created', () => {
  const NOW = new Date('2026-11-03T10:00:00Z');
  const recent = new Date(NOW.getTime() - 60_000);
  beforeEach(() => jest.spyOn(Date, 'now').mockReturnValue(NOW.getTime()));
  afterEach(() => jest.restoreAllMocks());
  const exists = awsError('BadRequestException', 'backend environment staging already exists');

  test('a create whose response was lost adopts the environment created since it was sent, as the properties say', async () => {
    mock.on(CreateBackendEnvironmentCommand).rejects(exists);
    mock.on(GetBackendEnvironmentCommand).resolves(withStack(NOW));
    await expect(onBackendEnvironmentEvent(client, createEvent(props))).resolves.toMatchObject({ PhysicalResourceId: `${APP}/staging/${NOW.getTime()}` });
    // One that existed before, or with another stack, fails with the way out.
    mock.on(GetBackendEnvironmentCommand).resolves(withStack(T1));
    await expect(onBackendEnvironmentEvent(client, createEvent(props))).rejects.toThrow(/already exists.*choose another environment name/);
    mock.on(GetBackendEnvironmentCommand).resolves(env('staging', NOW));
    await expect(onBackendEnvironmentEvent(client, createEvent(props))).rejects.toThrow(/already exists/);
    expectValidSdkInputs(mock, AMPLIFY_API);
  });

  test('the Delete of an id CloudFormation invented deletes the environment the cancelled Create made, and only that', async () => {
    const invented = 'TestStack-Environment-1A2B3C4D5E6F';
    mock.on(GetBackendEnvironmentCommand).resolves(withStack(recent));
    mock.on(DeleteBackendEnvironmentCommand).resolves(env('staging', recent));
    await expect(onBackendEnvironmentEvent(client, deleteEvent(invented, props))).resolves.toEqual({ PhysicalResourceId: invented });
    expect(mock).toHaveReceivedCommandWith(DeleteBackendEnvironmentCommand, { appId: APP, environmentName: 'staging' });
    // Older than CloudFormation's wait, not as the properties say, gone, or the failed-create marker: nothing deleted.
    mock.on(GetBackendEnvironmentCommand).resolvesOnce(withStack(T1)).resolvesOnce(env('staging', recent)).rejects(awsError('NotFoundException'));
    for (let i = 0; i < 3; i++) await onBackendEnvironmentEvent(client, deleteEvent(invented, props));
    await onBackendEnvironmentEvent(client, deleteEvent('AWSCDK::CustomResourceProviderFramework::CREATE_FAILED', props));
    expect(mock).toHaveReceivedCommandTimes(DeleteBackendEnvironmentCommand, 1);
  });

  test('the rollback from another name deletes the environment the cancelled replacement created; a refusal is only logged', async () => {
    const qa = { ...props, EnvironmentName: 'qa' };
    mock.on(GetBackendEnvironmentCommand, { appId: APP, environmentName: 'qa' })
      .resolves({ backendEnvironment: { ...withStack(recent).backendEnvironment, environmentName: 'qa' } });
    mock.on(GetBackendEnvironmentCommand, { appId: APP, environmentName: 'staging' }).resolves(withStack(T1));
    mock.on(DeleteBackendEnvironmentCommand).resolves({});
    await expect(onBackendEnvironmentEvent(client, updateEvent(ID1, props, qa))).resolves.toMatchObject({ PhysicalResourceId: ID1 });
    expect(mock.commandCalls(DeleteBackendEnvironmentCommand).map(c => c.args[0].input)).toEqual([{ appId: APP, environmentName: 'qa' }]);
    // The role of one app may not reach another: the rollback still succeeds, and the log says how to delete it.
    const other = { ...props, AppId: 'd9other' };
    mock.on(GetBackendEnvironmentCommand, { appId: 'd9other', environmentName: 'staging' }).rejects(awsError('UnauthorizedException'));
    const logs = jest.spyOn(console, 'log');
    await expect(onBackendEnvironmentEvent(client, updateEvent(ID1, props, other))).resolves.toMatchObject({ PhysicalResourceId: ID1 });
    expect(JSON.stringify(logs.mock.calls)).toContain('aws amplify delete-backend-environment --app-id d9other --environment-name staging');
    // A forward update to another name deletes nothing (CloudFormation's clean-up deletes the old one).
    mock.on(CreateBackendEnvironmentCommand).resolves({ backendEnvironment: { ...withStack(NOW).backendEnvironment, environmentName: 'qa' } });
    await onBackendEnvironmentEvent(client, updateEvent(ID1, qa, props));
    expect(mock).toHaveReceivedCommandTimes(DeleteBackendEnvironmentCommand, 1);
  });
});
