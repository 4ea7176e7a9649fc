import { CodeCatalystClient } from '@aws-sdk/client-codecatalyst';
import {
  GetSecretValueCommand, PutSecretValueCommand, SecretsManagerClient, UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { CreateTokenCommand, SSOOIDCClient } from '@aws-sdk/client-sso-oidc';
import { STSClient } from '@aws-sdk/client-sts';
import { base, DEV_ENVIRONMENT, ENV_ID, RUN_ID, SECRET, SSO, ssoDocument, standardMocks, TOKEN, WORKFLOW_ID, cc } from './fixtures';
import { CODECATALYST_API } from '../../src/codecatalyst/private/api-constraints';
import {
  BRANCH_FAMILY, DEV_ENVIRONMENT_FAMILY, PROJECT_FAMILY, SOURCE_REPOSITORY_FAMILY, SPACE_FAMILY,
  WORKFLOW_RUN_FAMILY,
} from '../../src/codecatalyst/private/custom-resources/contract';
import { WAIT_STARTED_KEY } from '../../src/core/runtime/handler';
import { TIMEOUT_PROPERTY } from '../../src/core/runtime/properties';
import type { IsCompleteRequest, OnEventRequest } from '../../src/core/runtime/types';
import { handler as routeIsComplete } from '../../src/provider/is-complete.lambda';
import { handler as routeOnEvent } from '../../src/provider/on-event.lambda';
import { awsError, createEvent, deleteEvent, expectValidSdkInputs, handlerMocks, isCompleteEvent, updateEvent, sdkInputProblems } from '../kit';

const {
  CreateDevEnvironmentCommand, CreateProjectCommand, CreateSourceRepositoryBranchCommand, CreateSourceRepositoryCommand,
  DeleteDevEnvironmentCommand, DeleteProjectCommand, DeleteSourceRepositoryCommand, GetDevEnvironmentCommand, GetProjectCommand,
  GetSourceRepositoryCloneUrlsCommand, GetSourceRepositoryCommand, GetSpaceCommand, GetWorkflowRunCommand, ListProjectsCommand,
  ListSourceRepositoryBranchesCommand, ListWorkflowsCommand,
  StartDevEnvironmentCommand, StartWorkflowRunCommand, UpdateProjectCommand, VerifySessionCommand,
} = cc;

// The token goes into the CodeCatalyst client and nowhere else: no log line, no error message, no response. For an
// SSO session, neither do its access tokens (old and refreshed), its refresh tokens (old and rotated) or its client
// secret, on every path of the refresh and the write-back.
const [catalyst, secrets, sts, oidc] = handlerMocks(CodeCatalystClient, SecretsManagerClient, STSClient, SSOOIDCClient);
// Every CodeCatalyst input any test sends is within the API's documented constraints (Secrets Manager's are not in the table).
afterEach(() => expect(sdkInputProblems(catalyst, CODECATALYST_API)).toEqual([]));

const project = { ...base, DisplayName: 'Storefront App', Description: 'The storefront' };
const repository = { ...base, ProjectName: 'web', RepositoryName: 'infra' };
const branch = { ...base, ProjectName: 'web', RepositoryName: 'web-app', BranchName: 'release' };
const env = { ...base, ...DEV_ENVIRONMENT, [TIMEOUT_PROPERTY]: 600 };
const run = { ...base, ProjectName: 'web', WorkflowId: WORKFLOW_ID, Trigger: 'v1', Wait: true, [TIMEOUT_PROPERTY]: 600 };

/** Every request of every family, through the routing entry points, as the provider framework sends them. */
function requests(): Array<{ onEvent?: OnEventRequest; isComplete?: IsCompleteRequest }> {
  const wait = (event: OnEventRequest, id: string, data: Record<string, string>) =>
    ({ isComplete: isCompleteEvent(event, { PhysicalResourceId: id, Data: { [WAIT_STARTED_KEY]: String(Date.now()), ...data } }) });
  const envCreate = createEvent(env, { resourceType: DEV_ENVIRONMENT_FAMILY.resourceType });
  const runCreate = createEvent(run, { resourceType: WORKFLOW_RUN_FAMILY.resourceType });
  return [
    { onEvent: createEvent(base, { resourceType: SPACE_FAMILY.resourceType }) },
    { onEvent: createEvent(project, { resourceType: PROJECT_FAMILY.resourceType }) },
    { onEvent: updateEvent('acme/storefront-app', { ...project, Description: 'New' }, project, { resourceType: PROJECT_FAMILY.resourceType }) },
    { onEvent: deleteEvent('acme/storefront-app', project, { resourceType: PROJECT_FAMILY.resourceType }) },
    { onEvent: createEvent(repository, { resourceType: SOURCE_REPOSITORY_FAMILY.resourceType }) },
    { onEvent: deleteEvent('acme/web/infra', repository, { resourceType: SOURCE_REPOSITORY_FAMILY.resourceType }) },
    { onEvent: createEvent(branch, { resourceType: BRANCH_FAMILY.resourceType }) },
    { onEvent: envCreate },
    wait(envCreate, ENV_ID, { AwaitedState: 'RUNNING' }),
    { onEvent: deleteEvent(ENV_ID, env, { resourceType: DEV_ENVIRONMENT_FAMILY.resourceType }) },
    { onEvent: runCreate },
    wait(runCreate, `acme/web/${WORKFLOW_ID}/run-0123456789abcdef/runs/${RUN_ID}`, { RunId: RUN_ID, WorkflowId: WORKFLOW_ID, Watch: 'true' }),
  ];
}

/** A request with `extra` properties (another way to hold the token) in its event. */
function withProperties(extra: Record<string, unknown>) {
  return (r: { onEvent?: OnEventRequest; isComplete?: IsCompleteRequest }) => (r.onEvent
    ? { onEvent: { ...r.onEvent, ResourceProperties: { ...r.onEvent.ResourceProperties, ...extra } } }
    : { isComplete: { ...r.isComplete!, ResourceProperties: { ...r.isComplete!.ResourceProperties, ...extra } } });
}

/** Runs every request, collecting every console argument, thrown message and stack, and every response. */
async function playAll(extra: Record<string, unknown> = {}): Promise<{ said: string[]; failures: number }> {
  const said: string[] = [];
  const capture = (...args: unknown[]) => { said.push(args.map(a => (typeof a === 'string' ? a : JSON.stringify(a) ?? String(a))).join(' ')); };
  jest.spyOn(console, 'log').mockImplementation(capture);
  jest.spyOn(console, 'error').mockImplementation(capture);
  jest.spyOn(console, 'warn').mockImplementation(capture);
  jest.spyOn(console, 'info').mockImplementation(capture);
  let failures = 0;
  for (const r of requests().map(withProperties(extra))) {
    try {
      const response = r.onEvent ? await routeOnEvent(r.onEvent) : await routeIsComplete(r.isComplete!);
      said.push(JSON.stringify(response));
    } catch (err) {
      failures++;
      said.push(String((err as Error).message), String((err as Error).stack), JSON.stringify(err));
    }
  }
  return { said, failures };
}

/** Every CodeCatalyst command answered successfully. */
function succeed(): void {
  catalyst.on(GetSpaceCommand).resolves({ name: 'acme', regionName: 'us-west-2' });
  // A create first looks for what it would create: there is none yet.
  catalyst.on(ListProjectsCommand).resolves({ items: [] });
  catalyst.on(GetSourceRepositoryCommand).rejects(awsError('ResourceNotFoundException'));
  catalyst.on(CreateProjectCommand).resolves({ name: 'storefront-app' });
  catalyst.on(GetProjectCommand).resolves({ name: 'storefront-app', displayName: 'Storefront App', description: 'The storefront' });
  catalyst.on(UpdateProjectCommand).resolves({});
  catalyst.on(DeleteProjectCommand).resolves({});
  catalyst.on(CreateSourceRepositoryCommand).resolves({ name: 'infra' });
  catalyst.on(GetSourceRepositoryCloneUrlsCommand).resolves({ https: 'https://git.us-west-2.codecatalyst.aws/v1/acme/web/infra' });
  catalyst.on(DeleteSourceRepositoryCommand).resolves({});
  catalyst.on(CreateSourceRepositoryBranchCommand).resolves({ name: 'release', ref: 'refs/heads/release' });
  catalyst.on(ListSourceRepositoryBranchesCommand).resolves({ items: [] });
  catalyst.on(CreateDevEnvironmentCommand).resolves({ id: ENV_ID });
  catalyst.on(GetDevEnvironmentCommand).resolves({ id: ENV_ID, status: 'STOPPED' });
  catalyst.on(StartDevEnvironmentCommand).resolves({ id: ENV_ID });
  catalyst.on(DeleteDevEnvironmentCommand).resolves({ id: ENV_ID });
  catalyst.on(ListWorkflowsCommand).resolves({ items: [] });
  catalyst.on(StartWorkflowRunCommand).resolves({ id: RUN_ID, workflowId: WORKFLOW_ID });
  catalyst.on(GetWorkflowRunCommand).resolves({ id: RUN_ID, status: 'IN_PROGRESS' });
}

/** Every CodeCatalyst command (but VerifySession) fails with `name`. */
function fail(name: string): void {
  for (const command of [GetSpaceCommand, ListProjectsCommand, CreateProjectCommand, GetProjectCommand, UpdateProjectCommand, DeleteProjectCommand,
    GetSourceRepositoryCommand,
    CreateSourceRepositoryCommand, GetSourceRepositoryCloneUrlsCommand, DeleteSourceRepositoryCommand, CreateSourceRepositoryBranchCommand,
    ListSourceRepositoryBranchesCommand,
    CreateDevEnvironmentCommand, GetDevEnvironmentCommand, StartDevEnvironmentCommand, DeleteDevEnvironmentCommand, ListWorkflowsCommand,
    StartWorkflowRunCommand, GetWorkflowRunCommand]) {
    catalyst.on(command).rejects(awsError(name));
  }
}

beforeEach(() => { standardMocks(catalyst, secrets, sts); });

test('on the success paths the token reaches no log line and no response', async () => {
  succeed();
  const { said, failures } = await playAll();
  expect(failures).toBe(0);
  expect(said.length).toBeGreaterThan(20);
  expect(said.filter(s => s.includes(TOKEN))).toEqual([]);
  expectValidSdkInputs(catalyst, CODECATALYST_API);
});

test.each(['AccessDeniedException', 'ServiceQuotaExceededException', 'ConflictException', 'ResourceNotFoundException', 'ValidationException', 'ThrottlingException'])(
  'when every call fails with %s the token reaches no log line and no error', async name => {
    fail(name);
    const { said, failures } = await playAll();
    expect(failures).toBeGreaterThan(5);
    expect(said.filter(s => s.includes(TOKEN))).toEqual([]);
  });

test('an expired token, refused by VerifySession, reaches no log line and no error', async () => {
  succeed();
  catalyst.on(VerifySessionCommand).rejects(awsError('UnauthorizedException', 'The token has expired'));
  const { said, failures } = await playAll();
  expect(failures).toBeGreaterThan(5);
  expect(said.filter(s => s.includes(TOKEN))).toEqual([]);
});

test.each<[string, string, string | undefined]>([
  ['a JSON secret with the field', JSON.stringify({ token: TOKEN }), 'token'],
  ['a JSON secret without the field', JSON.stringify({ pat: TOKEN }), 'token'],
  ['a secret that is not JSON, with a field', `{"token": "${TOKEN}"`, 'token'],
  ['a secret that is not JSON', `token=${TOKEN}`, 'token'],
  ['a JSON secret whose field is not a string', JSON.stringify({ token: [TOKEN] }), 'token'],
])('%s: the token reaches no log line, error or response', async (_title, secretString, field) => {
  succeed();
  secrets.on(GetSecretValueCommand).resolves({ SecretString: secretString });
  const { said } = await playAll(field ? { TokenJsonField: field } : {});
  expect(said.filter(s => s.includes(TOKEN))).toEqual([]);
});

describe('an SSO session (AccessToken.fromSsoSession) whose access token is refreshed at every request', () => {
  const SESSION = { TokenSsoSession: 'codecatalyst' };
  const VALUES = [SSO.accessToken, SSO.refreshToken, SSO.clientId, SSO.clientSecret, SSO.newAccessToken, SSO.newRefreshToken];
  const leaks = (said: string[]) => said.filter(s => VALUES.some(v => s.includes(v)));
  /**
   * A service error whose message and members quote the values of its request body, as AWS validation messages can
   * (CodeCatalyst gets the token in a header, which no message quotes).
   */
  const echoing = (name: string, sent: readonly string[]) => Object.assign(awsError(name, `saw ${sent.join(' ')}`), { error_description: sent.join(' ') });
  /** What each service gets in its request body: SSO OIDC the grant, Secrets Manager the refreshed session. */
  const TO_SSO_OIDC = [SSO.clientId, SSO.clientSecret, SSO.refreshToken];
  const TO_SECRETS_MANAGER = [SSO.newAccessToken, SSO.newRefreshToken, SSO.clientId, SSO.clientSecret];

  beforeEach(() => {
    // Expired a minute ago: every request refreshes, writes back, then calls CodeCatalyst with the new token.
    secrets.on(GetSecretValueCommand).resolves({ ARN: SECRET, VersionId: 'version-1', SecretString: JSON.stringify(ssoDocument(-60_000)) });
    secrets.on(PutSecretValueCommand).resolves({ ARN: SECRET, VersionId: 'version-2' });
    secrets.on(UpdateSecretVersionStageCommand).resolves({ ARN: SECRET });
    oidc.on(CreateTokenCommand).resolves({ accessToken: SSO.newAccessToken, tokenType: 'Bearer', expiresIn: 3600, refreshToken: SSO.newRefreshToken });
  });

  test('on the success paths no value reaches a log line or a response', async () => {
    succeed();
    const { said, failures } = await playAll(SESSION);
    expect(failures).toBe(0);
    expect(said.length).toBeGreaterThan(20);
    // Every request refreshed and wrote back: the whole refresh path ran each time.
    expect(oidc.commandCalls(CreateTokenCommand)).toHaveLength(requests().length);
    expect(secrets.commandCalls(UpdateSecretVersionStageCommand)).toHaveLength(requests().length);
    expect(leaks(said)).toEqual([]);
  });

  test.each(['AccessDeniedException', 'UnauthorizedException', 'ConflictException', 'ResourceNotFoundException', 'ThrottlingException'])(
    'when every CodeCatalyst call after the refresh fails with %s no value reaches a log line or an error', async name => {
      fail(name);
      const { said, failures } = await playAll(SESSION);
      expect(failures).toBeGreaterThan(5);
      expect(leaks(said)).toEqual([]);
    });

  test('VerifySession refusing the refreshed token: no value reaches a log line or an error', async () => {
    succeed();
    catalyst.on(VerifySessionCommand).rejects(awsError('UnauthorizedException', 'The token has expired'));
    const { said, failures } = await playAll(SESSION);
    expect(failures).toBeGreaterThan(5);
    expect(leaks(said)).toEqual([]);
  });

  test.each(['InvalidGrantException', 'ExpiredTokenException', 'InvalidClientException', 'SlowDownException', 'InternalServerException'])(
    'SSO OIDC failing the refresh with %s, its words quoting the grant: no value reaches a log line or an error', async name => {
      succeed();
      oidc.on(CreateTokenCommand).rejects(echoing(name, TO_SSO_OIDC));
      const { said, failures } = await playAll(SESSION);
      expect(failures).toBeGreaterThan(5);
      expect(leaks(said)).toEqual([]);
    });

  test.each([PutSecretValueCommand, UpdateSecretVersionStageCommand])('the write-back failing (%p), its words quoting the new session: no value reaches a log line or an error',
    async command => {
      succeed();
      secrets.on(command as typeof PutSecretValueCommand).rejects(echoing('AccessDeniedException', TO_SECRETS_MANAGER));
      const { said, failures } = await playAll(SESSION);
      expect(failures).toBeGreaterThan(5);
      expect(leaks(said)).toEqual([]);
    });

  test('the write-back losing the swap to another handler: no value reaches the log line that says so', async () => {
    succeed();
    secrets.on(GetSecretValueCommand).resolvesOnce({ ARN: SECRET, VersionId: 'version-1', SecretString: JSON.stringify(ssoDocument(-60_000)) })
      .resolves({ ARN: SECRET, VersionId: 'version-other', SecretString: JSON.stringify(ssoDocument(-60_000)) });
    secrets.on(UpdateSecretVersionStageCommand).rejects(echoing('InvalidParameterException', TO_SECRETS_MANAGER));
    const { said } = await playAll(SESSION);
    expect(said.filter(s => s.includes('another resource refreshed the SSO session'))).not.toEqual([]);
    expect(leaks(said)).toEqual([]);
  });

  test.each<[string, Record<string, unknown>]>([
    ['its client registration expired', { registrationExpiresAt: '2025-01-01T00:00:00Z' }],
    ['it lacks the refresh token', { refreshToken: undefined }],
    ['its expiry is no date', { expiresAt: `at ${SSO.accessToken}` }],
  ])('a session that cannot be refreshed (%s): no value reaches a log line or an error', async (_title, overrides) => {
    succeed();
    secrets.on(GetSecretValueCommand).resolves({ ARN: SECRET, VersionId: 'version-1', SecretString: JSON.stringify(ssoDocument(-60_000, overrides)) });
    const { said, failures } = await playAll(SESSION);
    expect(failures).toBeGreaterThan(5);
    expect(leaks(said)).toEqual([]);
  });

  test('a secret that holds a session imported as a bearer token: no value reaches a log line or an error', async () => {
    succeed();
    const { said, failures } = await playAll();
    expect(failures).toBeGreaterThan(5);
    expect(leaks(said)).toEqual([]);
  });
});
