/**
 * Where the CodeCatalyst handlers' bearer token comes from: a secret that holds the token itself
 * (`AccessToken.fromSecret`), or one that holds the SSO session `aws sso login` caches (`AccessToken.fromSsoSession`),
 * whose access token the handlers refresh through SSO OIDC and write back. No part of a secret's value reaches a
 * message, a log line, a property or a response: messages name the secret's ARN, the JSON field, the session's
 * name and the document's fields, never their values.
 */
import { createHash } from 'crypto';
import {
  GetSecretValueCommand, PutSecretValueCommand, SecretsManagerClient, UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { CreateTokenCommand, SSOOIDCClient } from '@aws-sdk/client-sso-oidc';
import { TokenSource } from './contract';
import { ActionableError, errorName, isAccessDenied, isRetryable, isThrottling } from '../../../core/runtime/handler';

/** Waits between attempts; tests replace `sleep` so that backoff takes no real time. */
export const backoff = {
  sleep: (ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms)),
};

/**
 * How long an SSO access token must stay valid for a request to use it: the onEvent function runs for up to 10
 * minutes, plus 5 minutes for clocks that disagree (the AWS SDKs refresh 5 minutes ahead too). A token that expires
 * sooner is refreshed first.
 */
export const REQUEST_MARGIN_MS = 15 * 60_000;

/**
 * The staging label of a refreshed session while it waits to become AWSCURRENT. The label moves to each new
 * version, so a secret carries it once, whatever the number of refreshes.
 */
export const REFRESHED_STAGE = 'CDKDEVTOOLS_REFRESHED';

/** Errors of SSO OIDC's CreateToken that refuse the refresh token or the client registration: sign in again. */
const REFUSED = ['InvalidGrantException', 'ExpiredTokenException', 'InvalidClientException', 'UnauthorizedClientException',
  'AccessDeniedException', 'InvalidRequestException', 'InvalidScopeException', 'UnsupportedGrantTypeException'];

/** A failure that goes away when the same request is made again later: throttling (SSO OIDC's SlowDown) or a 5xx. */
function isTransient(err: unknown): boolean {
  return isRetryable(err) || isThrottling(err) || errorName(err) === 'SlowDownException';
}

/** Where `aws sso login --sso-session <name>` caches the session (the CLI expands `~` in a `file://` argument). */
export function ssoCacheFile(sessionName: string): string {
  return `~/.aws/sso/cache/${createHash('sha1').update(sessionName).digest('hex')}.json`;
}

/** The two commands that seed an SSO session's secret again, for every message that asks for a new sign-in. */
function seedAdvice(source: TokenSource): string {
  const session = source.ssoSession!;
  return `Sign in again and store the new session in the secret: run \`aws sso login --sso-session ${session}\` (the sso-session of `
    + 'your AWS config with sso_registration_scopes = codecatalyst:read_write, as the codecatalyst README shows), then '
    + `\`aws secretsmanager put-secret-value --secret-id ${source.secretArn} --secret-string file://${ssoCacheFile(session)}\`; `
    + 'then retry the deployment (or continue the rollback)';
}

/** What to do about a token CodeCatalyst refuses, or a secret that holds none: the same advice wherever it is needed. */
export function tokenAdvice(source: TokenSource): string {
  if (source.ssoSession) {
    return `The secret holds an SSO session as the AWS CLI caches it (AccessToken.fromSsoSession). ${seedAdvice(source)}`;
  }
  const where = source.jsonField ? `the JSON field '${source.jsonField}' of secret ${source.secretArn}` : `secret ${source.secretArn} (its whole SecretString)`;
  return `Store a current token in ${where}: a personal access token of a member of the space (CodeCatalyst console, My settings, `
    + 'Personal access tokens; or `aws codecatalyst create-access-token`). Tokens expire (one year by default): rotate the secret before '
    + 'then. The secret is read as a bearer token you keep current (AccessToken.fromSecret); CodeCatalyst documents personal access '
    + 'tokens for Git and IDEs, and an SSO session for its API: if it refuses a current token, use AccessToken.fromSsoSession with a '
    + 'secret seeded by an AWS CLI sign-in (the codecatalyst README shows the two commands). Then retry the deployment (or continue the rollback)';
}

/**
 * A failed read (or refresh) of the token. `reason` is the service's error (its name says whether a later attempt
 * may succeed: a wait polls again through throttling); the message never holds any part of the secret's value.
 */
export class TokenReadError extends ActionableError {
  /** Whether the same request may succeed later (throttling, a service briefly unavailable). */
  public readonly transient: boolean;
  /** Not enumerable: a service error's members (SSO OIDC's `error_description`) stay out of a serialized error. */
  public declare readonly reason?: unknown;

  constructor(why: string, next: string, source: TokenSource, reason?: unknown, what = 'Reading the CodeCatalyst token') {
    super(what, `secret ${source.secretArn}`, why, next);
    Object.defineProperty(this, 'reason', { value: reason, enumerable: false });
    this.transient = reason !== undefined && isTransient(reason);
  }
}

/**
 * A service's words about a failure (`Name: message`), without any of `secrets`: SSO OIDC and Secrets Manager get the
 * session's values in their request bodies, and AWS validation messages can quote a value they refuse.
 */
function serviceWords(err: unknown, secrets: readonly unknown[] = []): string {
  let text = `${errorName(err)}: ${(err as Error)?.message ?? String(err)}`;
  for (const value of secrets) {
    if (typeof value === 'string' && value.length >= 4) text = text.split(value).join('<redacted>');
  }
  return text;
}

/** Reads the secret's current version. Only its ARN appears in messages. */
async function readSecret(secrets: SecretsManagerClient, source: TokenSource): Promise<{ text: string; versionId: string }> {
  let out;
  try {
    out = await secrets.send(new GetSecretValueCommand({ SecretId: source.secretArn }));
  } catch (err) {
    const next = isAccessDenied(err)
      ? 'The handler\'s kit role may read the secret (and decrypt it with its KMS key) unless a resource policy or key policy denies it; '
        + 'check them, then retry the deployment'
      : errorName(err) === 'ResourceNotFoundException' ? 'The secret does not exist (or is scheduled for deletion); restore it or pass another secret'
        : isTransient(err) ? 'Secrets Manager is throttling or briefly unavailable (the SDK already retried); retry the deployment later'
          : 'Retry the deployment; if it persists, check the secret in the Secrets Manager console';
    throw new TokenReadError(serviceWords(err), next, source, err);
  }
  if (!out.SecretString) {
    throw new TokenReadError('it has no SecretString (a binary secret, or no value yet)', tokenAdvice(source), source);
  }
  return { text: out.SecretString, versionId: out.VersionId ?? '' };
}

/** Whether a text is the document `aws sso login` caches (so the secret was imported as the wrong kind). */
function isSsoDocument(text: string): boolean {
  try {
    const doc = JSON.parse(text) as Record<string, unknown>;
    return typeof doc === 'object' && doc !== null && typeof doc.accessToken === 'string' && typeof doc.expiresAt === 'string';
  } catch {
    return false;
  }
}

/** Reads a bearer token the secret holds as it is (`AccessToken.fromSecret`). */
export async function readToken(secrets: SecretsManagerClient, source: TokenSource): Promise<string> {
  const { text } = await readSecret(secrets, source);
  if (!source.jsonField) {
    if (isSsoDocument(text)) {
      throw new TokenReadError('it holds an SSO session as the AWS CLI caches it, not a bearer token',
        'Import the secret with codecatalyst.AccessToken.fromSsoSession(secret), which refreshes the session\'s access token, then redeploy', source);
    }
    return text.trim();
  }
  let field: unknown;
  try {
    field = (JSON.parse(text) as Record<string, unknown>)[source.jsonField];
  } catch {
    // The parser's message quotes the text: never pass it on.
    throw new TokenReadError('its SecretString is not JSON, yet a JSON field was given',
      `Store the token as JSON ({"${source.jsonField}": "<token>"}), or pass the secret without a JSON field`, source);
  }
  if (typeof field !== 'string' || field.trim() === '') {
    throw new TokenReadError(`its JSON has no non-empty string field '${source.jsonField}'`, tokenAdvice(source), source);
  }
  return field.trim();
}

/** The document `aws sso login --sso-session <name>` caches, as the secret holds it (other fields are kept as they are). */
interface SsoSessionDocument extends Record<string, unknown> {
  readonly accessToken: string;
  readonly expiresAt: string;
  readonly refreshToken?: string;
  readonly clientId?: string;
  readonly clientSecret?: string;
  readonly registrationExpiresAt?: string;
  readonly region?: string;
  readonly startUrl?: string;
}

/** One version of the session's secret. */
interface SessionVersion {
  readonly doc: SsoSessionDocument;
  readonly versionId: string;
}

const REFRESH_FIELDS = ['refreshToken', 'clientId', 'clientSecret', 'region'] as const;

/** Reads and checks the session document; a problem names the fields, never their values. */
async function readSession(secrets: SecretsManagerClient, source: TokenSource): Promise<SessionVersion> {
  const { text, versionId } = await readSecret(secrets, source);
  const notSession = (why: string) => new TokenReadError(`${why}, so it is not an SSO session as the AWS CLI caches it`, tokenAdvice(source), source);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    // The parser's message quotes the text: never pass it on.
    throw notSession('its SecretString is not JSON');
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw notSession('its SecretString is not a JSON object');
  const fields = doc as Record<string, unknown>;
  const missing = ['accessToken', 'expiresAt'].filter(k => typeof fields[k] !== 'string' || fields[k] === '');
  if (missing.length > 0) throw notSession(`its JSON has no ${missing.join(' and ')}`);
  if (Number.isNaN(Date.parse(String(fields.expiresAt)))) throw notSession('its expiresAt is not a date');
  return { doc: fields as SsoSessionDocument, versionId };
}

/** Whether the session's access token stays valid for the whole request. */
function validForRequest(doc: SsoSessionDocument): boolean {
  return Date.parse(doc.expiresAt) - Date.now() >= REQUEST_MARGIN_MS;
}

/** A time as the AWS CLI writes it in the cache (seconds, UTC). */
function cacheTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

type Refreshed = { readonly accessToken: string; readonly expiresAt: string; readonly refreshToken?: string } | { readonly refused: unknown };

/**
 * Asks SSO OIDC for a new access token with the session's refresh token (the grant the AWS SDKs' SSO token provider
 * uses). CreateToken is not signed: the client's id and secret and the refresh token authenticate it, so IAM has no
 * say in it. SlowDown and server errors are tried again with backoff (1, 2, 4 and 8 seconds).
 */
async function createToken(doc: SsoSessionDocument, source: TokenSource): Promise<Refreshed> {
  const what = 'Refreshing the CodeCatalyst SSO session';
  const missing = REFRESH_FIELDS.filter(k => typeof doc[k] !== 'string' || doc[k] === '');
  if (missing.length > 0) {
    throw new TokenReadError(`its access token expires at ${doc.expiresAt} and it has no ${missing.join(', ')} to refresh it with (the cache `
      + 'of a profile with sso_start_url cannot be refreshed; the cache of an sso-session can)', tokenAdvice(source), source, undefined, what);
  }
  const registrationEnds = Date.parse(String(doc.registrationExpiresAt ?? ''));
  if (registrationEnds <= Date.now()) {
    throw new TokenReadError(`its client registration expired at ${doc.registrationExpiresAt}, so its access token (expiring at `
      + `${doc.expiresAt}) cannot be refreshed`, tokenAdvice(source), source, undefined, what);
  }
  const oidc = new SSOOIDCClient({ region: doc.region, maxAttempts: 5 });
  for (let attempt = 1, delay = 1000; ; attempt++, delay *= 2) {
    try {
      const out = await oidc.send(new CreateTokenCommand({
        clientId: doc.clientId, clientSecret: doc.clientSecret, grantType: 'refresh_token', refreshToken: doc.refreshToken,
      }));
      if (!out.accessToken || !out.expiresIn) {
        throw new TokenReadError('SSO OIDC answered without an access token or its lifetime', tokenAdvice(source), source, undefined, what);
      }
      return { accessToken: out.accessToken, expiresAt: cacheTime(Date.now() + out.expiresIn * 1000), refreshToken: out.refreshToken };
    } catch (err) {
      if (err instanceof TokenReadError) throw err;
      if (REFUSED.includes(errorName(err))) return { refused: err };
      if (!isTransient(err) || attempt >= 5) {
        const next = isTransient(err) ? 'SSO OIDC is throttling or briefly unavailable; retry the deployment later'
          : 'Retry the deployment; if it persists, seed the secret again';
        throw new TokenReadError(serviceWords(err, [doc.clientId, doc.clientSecret, doc.refreshToken, doc.accessToken]), next, source, err, what);
      }
      await backoff.sleep(delay);
    }
  }
}

/**
 * Writes a refreshed session back, safely against other handlers refreshing at the same time: the new version gets
 * a label of its own, then AWSCURRENT moves to it only from the version this refresh started from
 * (`RemoveFromVersionId` makes the move fail when another version became current meanwhile). When another handler
 * won, its version (with its refresh token) stays current, and this request uses its own access token.
 */
async function writeBack(secrets: SecretsManagerClient, source: TokenSource, base: SessionVersion, next: SsoSessionDocument): Promise<void> {
  const what = 'Writing the refreshed CodeCatalyst SSO session back';
  let versionId: string | undefined;
  try {
    versionId = (await secrets.send(new PutSecretValueCommand({
      SecretId: source.secretArn, SecretString: JSON.stringify(next), VersionStages: [REFRESHED_STAGE],
    }))).VersionId;
    await secrets.send(new UpdateSecretVersionStageCommand({
      SecretId: source.secretArn, VersionStage: 'AWSCURRENT', MoveToVersionId: versionId, RemoveFromVersionId: base.versionId,
    }));
  } catch (err) {
    if (versionId !== undefined) {
      const current = await readSecret(secrets, source);
      if (current.versionId !== base.versionId && current.versionId !== versionId) {
        console.log(`another resource refreshed the SSO session of secret ${source.secretArn} first; its version stays current`);
        return;
      }
    }
    const why = `${serviceWords(err, [next.accessToken, next.refreshToken, next.clientId, next.clientSecret])}; SSO OIDC rotated the refresh token, so the one `
      + 'in the secret may no longer work';
    const permissions = isAccessDenied(err) ? 'The kit role may put the secret\'s value and move its AWSCURRENT label (and encrypt with its '
      + 'KMS key) unless a resource policy or key policy denies it; check them. ' : '';
    throw new TokenReadError(why, `${permissions}${seedAdvice(source)}`, source, err, what);
  }
}

/**
 * A version of the secret newer than `versionId`, if one appears within about 7 seconds: another resource of the
 * deployment may have used the refresh token a moment ago (SSO OIDC rotates it on use) and be writing the new one.
 */
async function newerVersion(secrets: SecretsManagerClient, source: TokenSource, versionId: string): Promise<SessionVersion | undefined> {
  for (const delay of [0, 1000, 2000, 4000]) {
    if (delay > 0) await backoff.sleep(delay);
    const current = await readSession(secrets, source);
    if (current.versionId !== versionId) return current;
  }
  return undefined;
}

/**
 * The access token of the SSO session the secret holds, valid for the whole request: the cached one while it is,
 * otherwise a refreshed one, written back (with the rotated refresh token) so that the next request and the next
 * deployment start from it. When SSO OIDC refuses the refresh token because another handler has just rotated it,
 * the version that handler wrote is used instead. A session that cannot be refreshed (signed out, ended, its client
 * registration expired) fails at once with the commands that seed the secret again.
 */
export async function ssoAccessToken(secrets: SecretsManagerClient, source: TokenSource): Promise<string> {
  let current = await readSession(secrets, source);
  for (let round = 1; ; round++) {
    if (validForRequest(current.doc)) return current.doc.accessToken;
    const refreshed = await createToken(current.doc, source);
    if (!('refused' in refreshed)) {
      await writeBack(secrets, source, current, {
        ...current.doc,
        accessToken: refreshed.accessToken,
        expiresAt: refreshed.expiresAt,
        refreshToken: refreshed.refreshToken ?? current.doc.refreshToken,
      });
      return refreshed.accessToken;
    }
    const newer = round < 3 ? await newerVersion(secrets, source, current.versionId) : undefined;
    if (!newer) {
      const { clientId, clientSecret, refreshToken, accessToken } = current.doc;
      throw new TokenReadError(`SSO OIDC refused to refresh its access token (${serviceWords(refreshed.refused, [clientId, clientSecret, refreshToken, accessToken])}): `
        + 'the sign-in session ended or was signed out, or its client registration expired', tokenAdvice(source), source, refreshed.refused,
      'Refreshing the CodeCatalyst SSO session');
    }
    current = newer;
  }
}
