import * as codecatalyst from '@aws-sdk/client-codecatalyst';
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { AwsStub } from 'aws-sdk-client-mock';
import { backoff } from '../../src/codecatalyst/private/custom-resources/session';

/**
 * The CodeCatalyst SDK's commands, typed loosely: the client is pinned to an older release whose smithy types differ
 * from the ones aws-sdk-client-mock (and its jest matchers) are typed against, though they work alike at run time.
 */
export const cc: Record<string, any> = codecatalyst;
const { VerifySessionCommand } = cc;

/** The error a promise rejects with (fails when it resolves). */
export async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a failure, but it succeeded');
}

/** What the CodeCatalyst handler tests share: the token's secret, the kit role, the token itself. */
export const SECRET = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:codecatalyst-token-AbCdEf';
export const TOKEN = 'ccpat-0123456789abcdefSECRETVALUE';
export const ROLE = 'arn:aws:iam::123456789012:role/cdk-devtools/kit-codecatalyst';
export const base = { SpaceName: 'acme', TokenSecretArn: SECRET, RoleArn: ROLE };
/** A dev environment's own properties as the construct renders them (add the token's, the space's and a wait). */
export const DEV_ENVIRONMENT = {
  ProjectName: 'web',
  InstanceType: 'dev.standard1.small',
  StorageGiB: 16,
  IdeName: 'VSCode',
  InactivityTimeoutMinutes: 15,
  Alias: 'alice-dev',
  Repositories: [{ RepositoryName: 'web-app', BranchName: 'main' }],
  DesiredState: 'RUNNING',
};
export const ENV_ID = '0a1b2c3d-1111-2222-3333-444455556666';
export const ENV_ID2 = '9f8e7d6c-1111-2222-3333-444455556666';
export const WORKFLOW_ID = '11111111-2222-4333-8444-555555555555';
export const RUN_ID = '22222222-3333-4444-8555-666666666666';
export const RUN_ID2 = '33333333-4444-4555-8666-777777777777';

/**
 * The usual answers: the secret holds the token, STS hands out the kit role's credentials, VerifySession knows the
 * user, and the conflict retry's backoff takes no time. Returns the tokens the CodeCatalyst client was given.
 */
export function standardMocks(catalyst: AwsStub<any, any, any>, secrets: AwsStub<any, any, any>, sts: AwsStub<any, any, any>): string[] {
  const tokens: string[] = [];
  secrets.on(GetSecretValueCommand).resolves({ ARN: SECRET, SecretString: TOKEN });
  sts.on(AssumeRoleCommand).resolves({ Credentials: { AccessKeyId: 'ASIA', SecretAccessKey: 's', SessionToken: 't', Expiration: new Date(0) } });
  catalyst.on(VerifySessionCommand).callsFake(async (_input: unknown, getClient: () => { config: { token: () => Promise<{ token: string }> } }) => {
    tokens.push((await getClient().config.token()).token);
    return { identity: 'alice-id' };
  });
  jest.spyOn(backoff, 'sleep').mockResolvedValue();
  return tokens;
}

/** The values of an SSO session the secret holds: none may ever reach a message, a log line or a response. */
export const SSO = {
  accessToken: 'aoa-ACCESS-0123456789SECRETVALUE',
  refreshToken: 'aor-REFRESH-0123456789SECRETVALUE',
  clientId: 'client-ID-0123456789',
  clientSecret: 'eyJ-CLIENTSECRET-0123456789SECRETVALUE',
  newAccessToken: 'aoa-NEWACCESS-0123456789SECRETVALUE',
  newRefreshToken: 'aor-NEWREFRESH-0123456789SECRETVALUE',
} as const;

/** A resource's properties with its secret holding the SSO session `codecatalyst`. */
export const ssoBase = { ...base, TokenSsoSession: 'codecatalyst' };

/** `aws sso login --sso-session codecatalyst`'s cache file, whose hash the messages name (sha1 of the session name). */
export const SSO_CACHE_FILE = '~/.aws/sso/cache/80af6f394d022e711b1b139544a1598b8c36fd60.json';

/** The document `aws sso login` caches, its access token expiring `expiresInMs` from now. */
export function ssoDocument(expiresInMs: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return {
    startUrl: 'https://view.awsapps.com/start',
    region: 'us-east-1',
    accessToken: SSO.accessToken,
    expiresAt: iso(Date.now() + expiresInMs),
    clientId: SSO.clientId,
    clientSecret: SSO.clientSecret,
    registrationExpiresAt: iso(Date.now() + 60 * 86_400_000),
    refreshToken: SSO.refreshToken,
    ...overrides,
  };
}
