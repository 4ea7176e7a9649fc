import { AmplifyClient, Branch, GetBranchCommand, UpdateBranchCommand } from '@aws-sdk/client-amplify';
import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { amplifyStack, CANARY_SECRETS, expectOneProvider, sdkBranch } from './support';
import * as amplify from '../../src/amplify';
import { AMPLIFY_API } from '../../src/amplify/private/api-constraints';
import { onBranchSettingsEvent } from '../../src/amplify/private/custom-resources/branch-settings';
import { BRANCH_SETTINGS_FAMILY } from '../../src/amplify/private/custom-resources/contract';
import {
  awsError, createEvent, deleteEvent, expectNagClean, expectValidSdkInputs, kitRolesOf, resetStrict, strictMock, updateEvent,
} from '../kit';

const mock = strictMock(AmplifyClient);
const client = new AmplifyClient({ region: 'us-east-1' });
const APP = 'd1a2b3c4d5e6f7';
const props = { AppId: APP, BranchName: 'main', DisplayName: 'Production', Ttl: '300', EnableNotification: true };
/** What GetBranch and UpdateBranch return besides the managed settings: credentials that must never reach a log. */
const SECRET_CREDENTIALS = Buffer.from(`admin:${CANARY_SECRETS.password}`).toString('base64');
const branch = (over: Partial<Branch> = {}): Branch => sdkBranch({
  branchName: 'main',
  displayName: 'main',
  ttl: '5',
  enableNotification: false,
  enableBasicAuth: true,
  basicAuthCredentials: SECRET_CREDENTIALS,
  environmentVariables: { API_TOKEN: CANARY_SECRETS.gitHubToken },
  ...over,
});

let logs: jest.SpyInstance;
beforeEach(() => {
  resetStrict(mock);
  logs = jest.spyOn(console, 'log').mockImplementation(() => undefined);
});
afterEach(() => jest.restoreAllMocks());

/** The physical id that records a branch's original settings (as branch() has them). */
function idOf(branchName = 'main', originals: object = { d: 'main', t: '5', n: false, b: null }): string {
  return `${APP}/${branchName}#${Buffer.from(JSON.stringify(originals)).toString('base64url')}`;
}
const ID = idOf();

function logged(): string {
  return JSON.stringify(logs.mock.calls);
}

describe('branch settings handler', () => {
  test('create sends only the changed managed settings, and logs no credentials', async () => {
    mock.on(GetBranchCommand, { appId: APP, branchName: 'main' }).resolves({ branch: branch() });
    mock.on(UpdateBranchCommand).resolves({ branch: branch({ displayName: 'Production', ttl: '300', enableNotification: true }) });
    const event = createEvent({ ...props, BasicAuthCredentials: SECRET_CREDENTIALS });
    // The physical id records what the branch had, to restore it.
    await expect(onBranchSettingsEvent(client, event)).resolves.toEqual({ PhysicalResourceId: ID });
    const update = mock.commandCalls(UpdateBranchCommand)[0].args[0].input;
    expect(update).toEqual({ appId: APP, branchName: 'main', displayName: 'Production', ttl: '300', enableNotification: true });
    expect(logged()).toContain('Production');
    expect(logged()).not.toContain(SECRET_CREDENTIALS);
    expect(logged()).not.toContain(CANARY_SECRETS.password);
    expect(logged()).not.toContain(CANARY_SECRETS.gitHubToken);
    expectValidSdkInputs(mock, AMPLIFY_API);
  });

  test('update sends only what differs; a no-op update sends nothing', async () => {
    mock.on(GetBranchCommand).resolvesOnce({ branch: branch({ displayName: 'Production', ttl: '300' }) })
      .resolves({ branch: branch({ displayName: 'Production', ttl: '300', enableNotification: true }) });
    mock.on(UpdateBranchCommand).resolves({ branch: branch() });
    await onBranchSettingsEvent(client, updateEvent(ID, props, { ...props, EnableNotification: false }));
    expect(mock).toHaveReceivedCommandWith(UpdateBranchCommand, { appId: APP, branchName: 'main', enableNotification: true });
    expect(mock.commandCalls(UpdateBranchCommand)[0].args[0].input).not.toHaveProperty('displayName');
    await expect(onBranchSettingsEvent(client, updateEvent(ID, props, props))).resolves.toEqual({ PhysicalResourceId: ID });
    expect(mock).toHaveReceivedCommandTimes(UpdateBranchCommand, 1);
    expect(logged()).not.toContain(SECRET_CREDENTIALS);
    expectValidSdkInputs(mock, AMPLIFY_API);
  });

  test('a backend environment ARN is applied, and left alone once the branch has it', async () => {
    const arn = `arn:aws:amplify:us-east-1:123456789012:apps/${APP}/backendenvironments/staging`;
    const withBackend = { AppId: APP, BranchName: 'main', BackendEnvironmentArn: arn };
    mock.on(GetBranchCommand).resolvesOnce({ branch: branch() }).resolves({ branch: branch({ backendEnvironmentArn: arn }) });
    mock.on(UpdateBranchCommand).resolves({ branch: branch({ backendEnvironmentArn: arn }) });
    await onBranchSettingsEvent(client, createEvent(withBackend));
    expect(mock.commandCalls(UpdateBranchCommand)[0].args[0].input).toEqual({ appId: APP, branchName: 'main', backendEnvironmentArn: arn });
    await onBranchSettingsEvent(client, updateEvent(ID, withBackend, withBackend));
    expect(mock).toHaveReceivedCommandTimes(UpdateBranchCommand, 1);
    expectValidSdkInputs(mock, AMPLIFY_API);
  });

  test('another branch is a new physical id recording that branch\'s originals', async () => {
    mock.on(GetBranchCommand).resolves({ branch: branch({ branchName: 'dev', displayName: 'dev', ttl: '10' }) });
    mock.on(UpdateBranchCommand).resolves({ branch: branch() });
    const result = await onBranchSettingsEvent(client, updateEvent(ID, { ...props, BranchName: 'dev' }, props));
    expect(result.PhysicalResourceId).toBe(idOf('dev', { d: 'dev', t: '10', n: false, b: null }));
    // Nothing is restored on main here: the clean-up Delete of the old id does it.
    expect(mock.commandCalls(UpdateBranchCommand).map(c => c.args[0].input.branchName)).toEqual(['dev']);
    expectValidSdkInputs(mock, AMPLIFY_API);
  });

  test('an update that drops settings restores what the branch had before (also a rollback Update back to the old properties)', async () => {
    mock.on(GetBranchCommand).resolves({ branch: branch({ displayName: 'Production', ttl: '300', enableNotification: true }) });
    mock.on(UpdateBranchCommand).resolves({ branch: branch() });
    const dropped = { AppId: APP, BranchName: 'main', Ttl: '300' };
    await expect(onBranchSettingsEvent(client, updateEvent(ID, dropped, props))).resolves.toEqual({ PhysicalResourceId: ID });
    expect(mock.commandCalls(UpdateBranchCommand)[0].args[0].input).toEqual({ appId: APP, branchName: 'main', displayName: 'main', enableNotification: false });
    expectValidSdkInputs(mock, AMPLIFY_API);
  });

  test('a dropped backend environment is detached when the branch had none', async () => {
    const arn = `arn:aws:amplify:us-east-1:123456789012:apps/${APP}/backendenvironments/staging`;
    mock.on(GetBranchCommand).resolves({ branch: branch({ backendEnvironmentArn: arn }) });
    mock.on(UpdateBranchCommand).resolves({ branch: branch() });
    await onBranchSettingsEvent(client, updateEvent(ID, { AppId: APP, BranchName: 'main' }, { AppId: APP, BranchName: 'main', BackendEnvironmentArn: arn }));
    expect(mock.commandCalls(UpdateBranchCommand)[0].args[0].input).toEqual({ appId: APP, branchName: 'main', backendEnvironmentArn: '' });
    expectValidSdkInputs(mock, AMPLIFY_API);
  });

  test('delete restores the original settings it managed; a branch already gone or an id recording nothing is fine', async () => {
    mock.on(GetBranchCommand, { appId: APP, branchName: 'main' }).resolves({ branch: branch({ displayName: 'Production', ttl: '300', enableNotification: true }) });
    mock.on(GetBranchCommand, { appId: 'd9', branchName: 'gone' }).rejects(awsError('NotFoundException'));
    mock.on(UpdateBranchCommand).resolves({ branch: branch() });
    await expect(onBranchSettingsEvent(client, deleteEvent(ID, props))).resolves.toEqual({ PhysicalResourceId: ID });
    expect(mock.commandCalls(UpdateBranchCommand)[0].args[0].input).toEqual({
      appId: APP, branchName: 'main', displayName: 'main', ttl: '5', enableNotification: false,
    });
    const gone = `d9/gone#${Buffer.from('{"t":"5"}').toString('base64url')}`;
    await expect(onBranchSettingsEvent(client, deleteEvent(gone, { ...props, AppId: 'd9' }))).resolves.toEqual({ PhysicalResourceId: gone });
    // An id of an earlier version records nothing: the branch is left as it is.
    await expect(onBranchSettingsEvent(client, deleteEvent(`${APP}/main`, props))).resolves.toEqual({ PhysicalResourceId: `${APP}/main` });
    expect(mock).toHaveReceivedCommandTimes(UpdateBranchCommand, 1);
    expectValidSdkInputs(mock, AMPLIFY_API);
  });

  test('an id of an earlier version takes the new form, recording the originals it still can', async () => {
    mock.on(GetBranchCommand).resolves({ branch: branch({ ttl: '300', enableNotification: true }) });
    mock.on(UpdateBranchCommand).resolves({ branch: branch() });
    const old = { AppId: APP, BranchName: 'main', Ttl: '300', EnableNotification: 'true' };
    const result = await onBranchSettingsEvent(client, updateEvent(`${APP}/main`, props, old));
    expect(result.PhysicalResourceId).toBe(idOf('main', { d: 'main', b: null }));
    expect(mock.commandCalls(UpdateBranchCommand)[0].args[0].input).toEqual({ appId: APP, branchName: 'main', displayName: 'Production' });
    expectValidSdkInputs(mock, AMPLIFY_API);
  });

  test('an update of its branch deleted outside the stack changes nothing and succeeds; one moving to a missing branch fails', async () => {
    mock.on(GetBranchCommand).rejects(awsError('NotFoundException'));
    // The update and its rollback (an Update back to the old properties) both succeed: no UPDATE_ROLLBACK_FAILED.
    await expect(onBranchSettingsEvent(client, updateEvent(ID, { ...props, Ttl: '600' }, props))).resolves.toEqual({ PhysicalResourceId: ID });
    await expect(onBranchSettingsEvent(client, updateEvent(ID, props, { ...props, Ttl: '600' }))).resolves.toEqual({ PhysicalResourceId: ID });
    expect(logged()).toContain('deleted outside this stack');
    await expect(onBranchSettingsEvent(client, updateEvent(ID, { ...props, BranchName: 'dev' }, props))).rejects.toThrow(/The branch does not exist/);
    expect(mock).toHaveReceivedCommandTimes(UpdateBranchCommand, 0);
  });

  test('a missing branch, throttling and other errors fail with the next step', async () => {
    mock.on(GetBranchCommand).rejectsOnce(awsError('NotFoundException')).rejectsOnce(awsError('LimitExceededException'))
      .rejects(awsError('BadRequestException', 'bad ttl'));
    await expect(onBranchSettingsEvent(client, createEvent(props))).rejects.toThrow(/The branch does not exist; define it in the stack/);
    await expect(onBranchSettingsEvent(client, createEvent(props))).rejects.toThrow(/throttling \(LimitExceededException\); retry/);
    await expect(onBranchSettingsEvent(client, createEvent(props))).rejects.toThrow(/amplify:UpdateBranch on the branch\) and the values \(BadRequestException\)/);
    expectValidSdkInputs(mock, AMPLIFY_API);
  });
});

describe('branch settings construct', () => {
  test('sends the settings CloudFormation lacks, one provider for all branches, one role per branch scoped to that branch', () => {
    const stack = amplifyStack();
    const app = new amplify.App(stack, 'Site');
    app.addBranch('main', { displayName: 'Production', ttl: Duration.minutes(5), notifications: true });
    app.addBranch('dev', { notifications: false });
    app.addBranch('plain');
    const template = Template.fromStack(stack);
    template.resourceCountIs(BRANCH_SETTINGS_FAMILY.resourceType, 2);
    template.hasResourceProperties(BRANCH_SETTINGS_FAMILY.resourceType, {
      AppId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Site'), 'AppId'] }, DisplayName: 'Production', Ttl: '300', EnableNotification: 'true',
    });
    const settings = Object.values(template.findResources(BRANCH_SETTINGS_FAMILY.resourceType));
    const roles = kitRolesOf(template, BRANCH_SETTINGS_FAMILY.resourceType);
    expect(new Set(roles.map(r => r.roleLogicalId)).size).toBe(2);
    roles.forEach((role, i) => {
      const branchId = settings[i].Properties.BranchName['Fn::GetAtt'][0] as string;
      // The branch itself, not the app's branches: the clean-up Delete after a move to another branch acts with the
      // role of the old properties, so a role never needs another branch.
      expect(role.statements).toEqual([{
        Action: ['amplify:GetBranch', 'amplify:UpdateBranch'], Effect: 'Allow', Resource: { 'Fn::GetAtt': [branchId, 'Arn'] },
      }]);
    });
    expectOneProvider(template);
    expectNagClean(stack);
  });

  test('rejects a long display name and a fractional ttl', () => {
    const stack = amplifyStack();
    const app = new amplify.App(stack, 'Site');
    expect(() => app.addBranch('a', { displayName: 'x'.repeat(256) })).toThrow(/displayName/);
    expect(() => app.addBranch('b', { ttl: Duration.millis(1500) })).toThrow(/Site\/b: ttl must be a whole number of seconds/);
  });
});
