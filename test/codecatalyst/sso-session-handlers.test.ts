import { CodeCatalystClient } from '@aws-sdk/client-codecatalyst';
import {
  GetSecretValueCommand, PutSecretValueCommand, SecretsManagerClient, UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { CreateTokenCommand, SSOOIDCClient } from '@aws-sdk/client-sso-oidc';
import { STSClient } from '@aws-sdk/client-sts';
import { base, cc, DEV_ENVIRONMENT, ENV_ID, failure, SECRET, SSO, SSO_CACHE_FILE, ssoBase, ssoDocument, standardMocks } from './fixtures';
import { CODECATALYST_API } from '../../src/codecatalyst/private/api-constraints';
import { DEV_ENVIRONMENT_FAMILY, SPACE_FAMILY } from '../../src/codecatalyst/private/custom-resources/contract';
import { isDevEnvironmentComplete } from '../../src/codecatalyst/private/custom-resources/dev-environment';
import { backoff, callFailed, CodeCatalystSession } from '../../src/codecatalyst/private/custom-resources/session';
import { onSpaceEvent } from '../../src/codecatalyst/private/custom-resources/space';
import { REFRESHED_STAGE, REQUEST_MARGIN_MS, ssoCacheFile } from '../../src/codecatalyst/private/custom-resources/token';
import { WAIT_STARTED_KEY } from '../../src/core/runtime/handler';
import { TIMEOUT_PROPERTY } from '../../src/core/runtime/properties';
import { awsError, createEvent, expectValidSdkInputs, handlerMocks, isCompleteEvent, sdkInputProblems } from '../kit';

const { GetDevEnvironmentCommand, GetSpaceCommand, VerifySessionCommand } = cc;

// The SSO session as the token source (AccessToken.fromSsoSession): the access token while it stays valid for the
// request, a refresh through SSO OIDC when it does not, the write-back that another handler's refresh cannot undo,
// and a failure with the two seeding commands when the session cannot be refreshed.
const [catalyst, secrets, sts, oidc] = handlerMocks(CodeCatalystClient, SecretsManagerClient, STSClient, SSOOIDCClient);
afterEach(() => expect(sdkInputProblems(catalyst, CODECATALYST_API)).toEqual([]));
const space = { resourceType: SPACE_FAMILY.resourceType };
const MINUTE = 60_000;
let tokens: string[];

/** The secret's current version holds `doc`. */
function seed(doc: Record<string, unknown>, versionId = 'version-1') {
  return { ARN: SECRET, VersionId: versionId, SecretString: JSON.stringify(doc) };
}
const refreshed = { accessToken: SSO.newAccessToken, tokenType: 'Bearer', expiresIn: 3600, refreshToken: SSO.newRefreshToken };
const writes = () => [...secrets.commandCalls(PutSecretValueCommand), ...secrets.commandCalls(UpdateSecretVersionStageCommand)];
/** The seeding commands every "sign in again" message carries, exactly. */
const SEED = new RegExp(`run \`aws sso login --sso-session codecatalyst\` .*then \`aws secretsmanager put-secret-value --secret-id ${SECRET} `
  + `--secret-string file://${SSO_CACHE_FILE.replace(/[.]/g, '\\.')}\`; then retry the deployment \\(or continue the rollback\\)`);

beforeEach(() => {
  tokens = standardMocks(catalyst, secrets, sts);
  catalyst.on(GetSpaceCommand).resolves({ name: 'acme', regionName: 'us-west-2' });
  secrets.on(PutSecretValueCommand).resolves({ ARN: SECRET, VersionId: 'version-2' });
  secrets.on(UpdateSecretVersionStageCommand).resolves({ ARN: SECRET });
});

describe('an access token valid for the whole request', () => {
  test('is used as it is: no refresh, no write', async () => {
    secrets.on(GetSecretValueCommand).resolves(seed(ssoDocument(REQUEST_MARGIN_MS + MINUTE)));
    await expect(onSpaceEvent(createEvent(ssoBase, space))).resolves.toMatchObject({ PhysicalResourceId: 'acme' });
    expect(tokens).toEqual([SSO.accessToken]);
    expect(secrets.commandCalls(GetSecretValueCommand).map(c => c.args[0].input)).toEqual([{ SecretId: SECRET }]);
    expect(oidc.calls()).toHaveLength(0);
    expect(writes()).toHaveLength(0);
    expectValidSdkInputs(catalyst, CODECATALYST_API);
  });

  test('the cache file the messages name is the sha1 of the session name, as the AWS CLI names it', () => {
    expect(ssoCacheFile('codecatalyst')).toBe(SSO_CACHE_FILE);
  });
});

describe('an access token that expires within the request is refreshed and written back', () => {
  test('CreateToken with the refresh-token grant, in the session\'s region; the new version becomes current only from the one read', async () => {
    const doc = ssoDocument(REQUEST_MARGIN_MS - MINUTE, { extra: 'kept' });
    secrets.on(GetSecretValueCommand).resolves(seed(doc));
    oidc.on(CreateTokenCommand).resolves(refreshed);
    await onSpaceEvent(createEvent(ssoBase, space));
    expect(tokens).toEqual([SSO.newAccessToken]);
    expect(oidc.commandCalls(CreateTokenCommand).map(c => c.args[0].input)).toEqual([{
      clientId: SSO.clientId, clientSecret: SSO.clientSecret, grantType: 'refresh_token', refreshToken: SSO.refreshToken,
    }]);
    await expect((oidc.calls()[0].thisValue as SSOOIDCClient).config.region()).resolves.toBe('us-east-1');
    const put = secrets.commandCalls(PutSecretValueCommand)[0].args[0].input;
    expect(put).toMatchObject({ SecretId: SECRET, VersionStages: [REFRESHED_STAGE] });
    const written = JSON.parse(put.SecretString!);
    expect(written).toEqual({
      ...doc, accessToken: SSO.newAccessToken, refreshToken: SSO.newRefreshToken, expiresAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
    });
    expect(Date.parse(written.expiresAt) - Date.now()).toBeGreaterThan(3590_000);
    expect(secrets.commandCalls(UpdateSecretVersionStageCommand).map(c => c.args[0].input)).toEqual([{
      SecretId: SECRET, VersionStage: 'AWSCURRENT', MoveToVersionId: 'version-2', RemoveFromVersionId: 'version-1',
    }]);
  });

  test('an expired access token is refreshed the same way', async () => {
    secrets.on(GetSecretValueCommand).resolves(seed(ssoDocument(-5 * MINUTE)));
    oidc.on(CreateTokenCommand).resolves(refreshed);
    await onSpaceEvent(createEvent(ssoBase, space));
    expect(tokens).toEqual([SSO.newAccessToken]);
  });

  test('an answer without a new refresh token keeps the old one', async () => {
    secrets.on(GetSecretValueCommand).resolves(seed(ssoDocument(-MINUTE)));
    oidc.on(CreateTokenCommand).resolves({ ...refreshed, refreshToken: undefined });
    await onSpaceEvent(createEvent(ssoBase, space));
    expect(JSON.parse(secrets.commandCalls(PutSecretValueCommand)[0].args[0].input.SecretString!).refreshToken).toBe(SSO.refreshToken);
  });

  test('throttling (SlowDown) is tried again after 1 and 2 seconds', async () => {
    secrets.on(GetSecretValueCommand).resolves(seed(ssoDocument(-MINUTE)));
    oidc.on(CreateTokenCommand).rejectsOnce(awsError('SlowDownException')).rejectsOnce(awsError('InternalServerException', 'x', 'server')).resolves(refreshed);
    await onSpaceEvent(createEvent(ssoBase, space));
    expect(jest.mocked(backoff.sleep).mock.calls).toEqual([[1000], [2000]]);
    expect(tokens).toEqual([SSO.newAccessToken]);
  });

  test('throttling that outlasts five attempts fails saying to retry later, and writes nothing', async () => {
    secrets.on(GetSecretValueCommand).resolves(seed(ssoDocument(-MINUTE)));
    oidc.on(CreateTokenCommand).rejects(awsError('SlowDownException', 'Rate exceeded'));
    const error = await failure(onSpaceEvent(createEvent(ssoBase, space)));
    expect(error.message).toMatch(/^Refreshing the CodeCatalyst SSO session failed for secret arn:.*: SlowDownException: Rate exceeded\. SSO OIDC is throttling or briefly unavailable; retry the deployment later$/);
    expect(oidc.commandCalls(CreateTokenCommand)).toHaveLength(5);
    expect(writes()).toHaveLength(0);
  });

  test('an unexpected failure says to retry, then to seed the secret again', async () => {
    secrets.on(GetSecretValueCommand).resolves(seed(ssoDocument(-MINUTE)));
    oidc.on(CreateTokenCommand).rejects(new Error('socket hang up'));
    await expect(onSpaceEvent(createEvent(ssoBase, space))).rejects.toThrow(/Error: socket hang up\. Retry the deployment; if it persists, seed the secret again$/);
  });

  test('an answer without an access token fails', async () => {
    secrets.on(GetSecretValueCommand).resolves(seed(ssoDocument(-MINUTE)));
    oidc.on(CreateTokenCommand).resolves({ tokenType: 'Bearer' });
    await expect(onSpaceEvent(createEvent(ssoBase, space))).rejects.toThrow(/SSO OIDC answered without an access token or its lifetime/);
    expect(writes()).toHaveLength(0);
  });
});

describe('several handlers refreshing at once', () => {
  test('the write-back lost the swap (another handler\'s version became current): its version stays, this request uses its own token', async () => {
    secrets.on(GetSecretValueCommand).resolvesOnce(seed(ssoDocument(-MINUTE))).resolves(seed(ssoDocument(55 * MINUTE), 'version-other'));
    oidc.on(CreateTokenCommand).resolves(refreshed);
    secrets.on(UpdateSecretVersionStageCommand).rejects(awsError('InvalidParameterException', 'The staging label AWSCURRENT is attached to version-other'));
    const said: string[] = [];
    jest.mocked(console.log).mockImplementation((...args: unknown[]) => { said.push(args.join(' ')); });
    await onSpaceEvent(createEvent(ssoBase, space));
    expect(tokens).toEqual([SSO.newAccessToken]);
    expect(said).toContain(`another resource refreshed the SSO session of secret ${SECRET} first; its version stays current`);
  });

  test('a refresh token another handler has just rotated: the version it wrote is read and used', async () => {
    secrets.on(GetSecretValueCommand)
      .resolvesOnce(seed(ssoDocument(-MINUTE)))
      .resolvesOnce(seed(ssoDocument(-MINUTE)))
      .resolves(seed(ssoDocument(55 * MINUTE, { accessToken: 'aoa-THEIRS-SECRETVALUE' }), 'version-theirs'));
    oidc.on(CreateTokenCommand).rejects(awsError('InvalidGrantException', 'Invalid refresh token provided'));
    await onSpaceEvent(createEvent(ssoBase, space));
    expect(tokens).toEqual(['aoa-THEIRS-SECRETVALUE']);
    expect(jest.mocked(backoff.sleep).mock.calls).toEqual([[1000]]);
    expect(writes()).toHaveLength(0);
  });

  test('a newer version whose token also needs a refresh is refreshed with its own refresh token', async () => {
    secrets.on(GetSecretValueCommand)
      .resolvesOnce(seed(ssoDocument(-MINUTE)))
      .resolves(seed(ssoDocument(-MINUTE, { refreshToken: 'aor-THEIRS-SECRETVALUE' }), 'version-theirs'));
    oidc.on(CreateTokenCommand).rejectsOnce(awsError('InvalidGrantException')).resolves(refreshed);
    await onSpaceEvent(createEvent(ssoBase, space));
    expect(oidc.commandCalls(CreateTokenCommand).map(c => c.args[0].input.refreshToken)).toEqual([SSO.refreshToken, 'aor-THEIRS-SECRETVALUE']);
    expect(secrets.commandCalls(UpdateSecretVersionStageCommand)[0].args[0].input.RemoveFromVersionId).toBe('version-theirs');
  });
});

describe('a session that cannot be refreshed fails at once with the commands that seed the secret again', () => {
  test.each(['InvalidGrantException', 'ExpiredTokenException', 'InvalidClientException', 'UnauthorizedClientException', 'AccessDeniedException'])(
    'SSO OIDC refuses the refresh (%s) and no newer version appears within 7 seconds', async name => {
      secrets.on(GetSecretValueCommand).resolves(seed(ssoDocument(-MINUTE)));
      oidc.on(CreateTokenCommand).rejects(awsError(name, `echoing ${SSO.refreshToken} and ${SSO.clientSecret}`));
      const error = await failure(onSpaceEvent(createEvent(ssoBase, space)));
      expect(error.message).toMatch(new RegExp(`^Refreshing the CodeCatalyst SSO session failed for secret ${SECRET}: SSO OIDC refused to refresh its access token `
        + `\\(${name}: echoing <redacted> and <redacted>\\): the sign-in session ended or was signed out, or its client registration expired\\. `
        + 'The secret holds an SSO session as the AWS CLI caches it \\(AccessToken.fromSsoSession\\)\\. Sign in again'));
      expect(error.message).toMatch(SEED);
      expect(jest.mocked(backoff.sleep).mock.calls).toEqual([[1000], [2000], [4000]]);
      expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(5);
      expect(catalyst.calls()).toHaveLength(0);
      expect(writes()).toHaveLength(0);
    });

  test('an expired client registration fails without calling SSO OIDC', async () => {
    secrets.on(GetSecretValueCommand).resolves(seed(ssoDocument(-MINUTE, { registrationExpiresAt: '2025-01-01T00:00:00Z' })));
    const error = await failure(onSpaceEvent(createEvent(ssoBase, space)));
    expect(error.message).toMatch(/its client registration expired at 2025-01-01T00:00:00Z, so its access token \(expiring at .*\) cannot be refreshed/);
    expect(error.message).toMatch(SEED);
    expect(oidc.calls()).toHaveLength(0);
  });

  test('a document without what a refresh needs (a legacy profile\'s cache) names the missing fields', async () => {
    secrets.on(GetSecretValueCommand).resolves(seed(ssoDocument(-MINUTE, { refreshToken: undefined, clientSecret: '' })));
    const error = await failure(onSpaceEvent(createEvent(ssoBase, space)));
    expect(error.message).toMatch(/it has no refreshToken, clientSecret to refresh it with \(the cache of a profile with sso_start_url cannot be refreshed/);
    expect(error.message).toMatch(SEED);
    expect(oidc.calls()).toHaveLength(0);
  });
});

describe('writing the refreshed session back fails', () => {
  test.each<[string, string, RegExp]>([
    ['PutSecretValue', 'AccessDeniedException', /The kit role may put the secret's value and move its AWSCURRENT label .*check them\. Sign in again/],
    ['UpdateSecretVersionStage', 'AccessDeniedException', /The kit role may put the secret's value .*check them\. Sign in again/],
    ['PutSecretValue', 'ThrottlingException', /; SSO OIDC rotated the refresh token, so the one in the secret may no longer work\. Sign in again/],
  ])('%s refused (%s): the refresh token in the secret may be spent, so the message says how to seed it again', async (operation, name, next) => {
    secrets.on(GetSecretValueCommand).resolves(seed(ssoDocument(-MINUTE)));
    oidc.on(CreateTokenCommand).resolves(refreshed);
    if (operation === 'PutSecretValue') secrets.on(PutSecretValueCommand).rejects(awsError(name, `about ${SSO.newRefreshToken}`));
    else secrets.on(UpdateSecretVersionStageCommand).rejects(awsError(name, `about ${SSO.newRefreshToken}`));
    const error = await failure(onSpaceEvent(createEvent(ssoBase, space)));
    expect(error.message).toMatch(new RegExp(`^Writing the refreshed CodeCatalyst SSO session back failed for secret ${SECRET}: ${name}: about <redacted>;`));
    expect(error.message).toMatch(next);
    expect(error.message).toMatch(SEED);
    expect(catalyst.calls()).toHaveLength(0);
  });
});

describe('a secret that does not hold the document `aws sso login` caches', () => {
  test.each<[string, string, string]>([
    ['not JSON', `accessToken=${SSO.accessToken}`, 'its SecretString is not JSON'],
    ['a JSON list', JSON.stringify([SSO.accessToken]), 'its SecretString is not a JSON object'],
    ['without an access token', JSON.stringify({ token: SSO.accessToken }), 'its JSON has no accessToken and expiresAt'],
    ['with an expiry that is no date', JSON.stringify({ accessToken: SSO.accessToken, expiresAt: 'soon' }), 'its expiresAt is not a date'],
  ])('%s: fails naming what is wrong, never the text', async (_title, text, why) => {
    secrets.on(GetSecretValueCommand).resolves({ ARN: SECRET, VersionId: 'v', SecretString: text });
    const error = await failure(onSpaceEvent(createEvent(ssoBase, space)));
    expect(error.message).toContain(`Reading the CodeCatalyst token failed for secret ${SECRET}: ${why}, so it is not an SSO session as the AWS CLI caches it. `);
    expect(error.message).toMatch(SEED);
    expect(error.message).not.toContain(SSO.accessToken);
  });

  test('a binary secret says to seed it', async () => {
    secrets.on(GetSecretValueCommand).resolves({ ARN: SECRET, VersionId: 'v', SecretBinary: new Uint8Array([1]) });
    await expect(onSpaceEvent(createEvent(ssoBase, space))).rejects.toThrow(SEED);
  });

  test('the document imported with fromSecret (as a bearer token) says to use fromSsoSession', async () => {
    secrets.on(GetSecretValueCommand).resolves(seed(ssoDocument(30 * MINUTE)));
    const error = await failure(onSpaceEvent(createEvent(base, space)));
    expect(error.message).toMatch(/it holds an SSO session as the AWS CLI caches it, not a bearer token\. Import the secret with codecatalyst\.AccessToken\.fromSsoSession\(secret\)/);
    expect(error.message).not.toContain(SSO.accessToken);
    expect(catalyst.calls()).toHaveLength(0);
  });
});

describe('what CodeCatalyst says about an SSO access token', () => {
  test('VerifySession refusing it names the kind of token and how to seed the secret again', async () => {
    secrets.on(GetSecretValueCommand).resolves(seed(ssoDocument(30 * MINUTE)));
    catalyst.on(VerifySessionCommand).rejects(awsError('UnauthorizedException', 'The token has expired'));
    const error = await failure(onSpaceEvent(createEvent(ssoBase, space)));
    expect(error.message).toMatch(/^Checking the CodeCatalyst token failed for secret .*: CodeCatalyst refused it \(UnauthorizedException: The token has expired\)\. /);
    expect(error.message).toMatch(/The secret holds an SSO session as the AWS CLI caches it \(AccessToken\.fromSsoSession\)\./);
    expect(error.message).toMatch(SEED);
  });

  test('a refused call (401) says the same', () => {
    const session = { client: {} as CodeCatalystClient, identity: 'alice-id', secretArn: SECRET, ssoSession: 'codecatalyst' } as CodeCatalystSession;
    expect(callFailed(awsError('UnauthorizedException'), { what: 'Creating the project', subject: 'project', session }).message).toMatch(SEED);
  });

  test('a bearer token refused by VerifySession names fromSsoSession as what to use instead', async () => {
    catalyst.on(VerifySessionCommand).rejects(awsError('UnauthorizedException', 'Invalid token'));
    const error = await failure(onSpaceEvent(createEvent(base, space)));
    expect(error.message).toMatch(/The secret is read as a bearer token you keep current \(AccessToken\.fromSecret\); CodeCatalyst documents personal access /);
    expect(error.message).toMatch(/tokens for Git and IDEs, and an SSO session for its API: if it refuses a current token, use AccessToken\.fromSsoSession/);
  });
});

describe('during a wait', () => {
  const props = { ...ssoBase, ...DEV_ENVIRONMENT, [TIMEOUT_PROPERTY]: 600 };
  const poll = (startedAt = Date.now()) => isCompleteEvent(createEvent(props, { resourceType: DEV_ENVIRONMENT_FAMILY.resourceType }),
    { PhysicalResourceId: ENV_ID, Data: { [WAIT_STARTED_KEY]: String(startedAt), AwaitedState: 'RUNNING' } });

  test('a poll whose token expires within the request refreshes it and reads on', async () => {
    secrets.on(GetSecretValueCommand).resolves(seed(ssoDocument(5 * MINUTE)));
    oidc.on(CreateTokenCommand).resolves(refreshed);
    type TokenClient = () => { config: { token: () => Promise<{ token: string }> } };
    catalyst.on(GetDevEnvironmentCommand).callsFake(async (_input: unknown, getClient: TokenClient) => {
      tokens.push((await getClient().config.token()).token);
      return { id: ENV_ID, status: 'RUNNING' };
    });
    await expect(isDevEnvironmentComplete(poll())).resolves.toMatchObject({ IsComplete: true });
    expect(tokens).toEqual([SSO.newAccessToken]);
    expect(secrets.commandCalls(UpdateSecretVersionStageCommand)).toHaveLength(1);
  });

  test('throttled refreshes poll again before the deadline, and fail saying so at it', async () => {
    secrets.on(GetSecretValueCommand).resolves(seed(ssoDocument(-MINUTE)));
    oidc.on(CreateTokenCommand).rejects(awsError('SlowDownException'));
    await expect(isDevEnvironmentComplete(poll())).resolves.toEqual({ IsComplete: false });
    await expect(isDevEnvironmentComplete(poll(Date.now() - 601_000))).rejects.toThrow(/SlowDownException.*SSO OIDC is throttling or briefly unavailable; retry the deployment later/);
    expect(catalyst.calls()).toHaveLength(0);
  });

  test('a refused refresh fails the poll at once', async () => {
    secrets.on(GetSecretValueCommand).resolves(seed(ssoDocument(-MINUTE)));
    oidc.on(CreateTokenCommand).rejects(awsError('ExpiredTokenException'));
    await expect(isDevEnvironmentComplete(poll())).rejects.toThrow(SEED);
  });
});
