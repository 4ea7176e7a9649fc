import {
  AmplifyClient, CreateBackendEnvironmentCommand, DeleteBackendEnvironmentCommand, GetBackendEnvironmentCommand,
} from '@aws-sdk/client-amplify';
import { AMPLIFY_API } from '../../src/amplify/private/api-constraints';
import { onBackendEnvironmentEvent } from '../../src/amplify/private/handlers/backend-environment';
import {
  awsError, createEvent, deleteEvent, expectValidSdkInputs, resetStrict, strictMock, updateEvent,
} from '../kit';

const mock = strictMock(AmplifyClient);
const client = new AmplifyClient({ region: 'us-east-1' });
const APP = 'd1a2b3c4d5e6f7';
const ARN = (name: string) => `arn:aws:amplify:us-east-1:123456789012:apps/${APP}/backendenvironments/${name}`;
const props = { AppId: APP, EnvironmentName: 'staging', StackName: 'amplify-site-staging', DeploymentArtifacts: 'amplify-site-staging-deployment' };

beforeEach(() => {
  resetStrict(mock);
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
});
afterEach(() => jest.restoreAllMocks());

describe('backend environment handler', () => {
  test('create creates the environment and returns its ARN', async () => {
    mock.on(CreateBackendEnvironmentCommand).resolves({});
    mock.on(GetBackendEnvironmentCommand, { appId: APP, environmentName: 'staging' })
      .resolves({ backendEnvironment: { backendEnvironmentArn: ARN('staging'), environmentName: 'staging' } as any });
    await expect(onBackendEnvironmentEvent(client, createEvent(props) as any)).resolves.toEqual({
      PhysicalResourceId: `${APP}/staging`, Data: { BackendEnvironmentArn: ARN('staging'), EnvironmentName: 'staging' },
    });
    expect(mock).toHaveReceivedCommandWith(CreateBackendEnvironmentCommand, {
      appId: APP, environmentName: 'staging', stackName: 'amplify-site-staging', deploymentArtifacts: 'amplify-site-staging-deployment',
    });
    expectValidSdkInputs(mock, AMPLIFY_API);
  });

  test('an update is a replacement: the new environment is created under a new physical id, the old one left to CloudFormation', async () => {
    mock.on(CreateBackendEnvironmentCommand).resolves({});
    mock.on(GetBackendEnvironmentCommand).resolves({ backendEnvironment: { backendEnvironmentArn: ARN('prod'), environmentName: 'prod' } as any });
    const next = { ...props, EnvironmentName: 'prod', StackName: 'amplify-site-prod' };
    await expect(onBackendEnvironmentEvent(client, updateEvent(`${APP}/staging`, next, props) as any)).resolves.toEqual({
      PhysicalResourceId: `${APP}/prod`, Data: { BackendEnvironmentArn: ARN('prod'), EnvironmentName: 'prod' },
    });
    expect(mock).toHaveReceivedCommandWith(CreateBackendEnvironmentCommand, { appId: APP, environmentName: 'prod', stackName: 'amplify-site-prod' });
    expect(mock).not.toHaveReceivedCommand(DeleteBackendEnvironmentCommand);
    expectValidSdkInputs(mock, AMPLIFY_API);
  });

  test('changing the stack name without the environment name fails with the next step', async () => {
    await expect(onBackendEnvironmentEvent(client, updateEvent(`${APP}/staging`, { ...props, StackName: 'other' }, props) as any))
      .rejects.toThrow(/cannot be updated\. Change the environment name too/);
    expect(mock.calls()).toHaveLength(0);
  });

  test('a no-op update creates nothing and keeps the physical id', async () => {
    mock.on(GetBackendEnvironmentCommand).resolves({ backendEnvironment: { backendEnvironmentArn: ARN('staging'), environmentName: 'staging' } as any });
    await expect(onBackendEnvironmentEvent(client, updateEvent(`${APP}/staging`, props, props) as any)).resolves.toEqual({
      PhysicalResourceId: `${APP}/staging`, Data: { BackendEnvironmentArn: ARN('staging'), EnvironmentName: 'staging' },
    });
    expect(mock).not.toHaveReceivedCommand(CreateBackendEnvironmentCommand);
    expectValidSdkInputs(mock, AMPLIFY_API);
  });

  test('delete deletes the environment, and succeeds when it is already gone', async () => {
    mock.on(DeleteBackendEnvironmentCommand).resolvesOnce({}).rejects(awsError('NotFoundException'));
    await expect(onBackendEnvironmentEvent(client, deleteEvent(`${APP}/staging`, props) as any)).resolves.toEqual({ PhysicalResourceId: `${APP}/staging` });
    await expect(onBackendEnvironmentEvent(client, deleteEvent(`${APP}/staging`, props) as any)).resolves.toEqual({ PhysicalResourceId: `${APP}/staging` });
    expect(mock).toHaveReceivedCommandTimes(DeleteBackendEnvironmentCommand, 2);
    expect(mock).toHaveReceivedCommandWith(DeleteBackendEnvironmentCommand, { appId: APP, environmentName: 'staging' });
    expectValidSdkInputs(mock, AMPLIFY_API);
  });

  test('delete of a failed create (no environment in the physical id) calls nothing', async () => {
    await expect(onBackendEnvironmentEvent(client, deleteEvent('failed-create', props) as any)).resolves.toEqual({ PhysicalResourceId: 'failed-create' });
    expect(mock.calls()).toHaveLength(0);
  });

  test('LimitExceeded is reported as retryable; a missing app, a delete failure and other errors give the next step', async () => {
    mock.on(CreateBackendEnvironmentCommand).rejectsOnce(awsError('LimitExceededException', 'too many'))
      .rejectsOnce(awsError('NotFoundException', 'no app')).rejects(awsError('BadRequestException', 'bad name'));
    await expect(onBackendEnvironmentEvent(client, createEvent(props) as any)).rejects.toThrow(/LimitExceededException\); retry the deployment later/);
    await expect(onBackendEnvironmentEvent(client, createEvent(props) as any)).rejects.toThrow(/backend environments are for Gen 1 apps only/);
    await expect(onBackendEnvironmentEvent(client, createEvent(props) as any)).rejects.toThrow(/amplify:CreateBackendEnvironment .*BadRequestException/);
    mock.on(DeleteBackendEnvironmentCommand).rejects(awsError('DependentServiceFailureException', 'stack busy'));
    await expect(onBackendEnvironmentEvent(client, deleteEvent(`${APP}/staging`, props) as any)).rejects.toThrow(/Deleting the Amplify backend environment failed .*DeleteBackendEnvironment/);
    expectValidSdkInputs(mock, AMPLIFY_API);
  });

  test('throttling on GetBackendEnvironment after create is retryable', async () => {
    mock.on(CreateBackendEnvironmentCommand).resolves({});
    mock.on(GetBackendEnvironmentCommand).rejects(awsError('LimitExceededException'));
    await expect(onBackendEnvironmentEvent(client, createEvent(props) as any)).rejects.toThrow(/Reading the Amplify backend environment failed .*retry the deployment later/);
    expectValidSdkInputs(mock, AMPLIFY_API);
  });
});
