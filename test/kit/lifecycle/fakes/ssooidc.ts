import { CreateTokenCommand, CreateTokenCommandInput, CreateTokenCommandOutput } from '@aws-sdk/client-sso-oidc';
import { AwsStub } from 'aws-sdk-client-mock';
import { awsError } from '../../sdk';
import { FakeService, route, VirtualClock } from '../world';

/** A client registration (RegisterClient), as `aws sso login` makes one and caches it. */
export interface FakeSsoClient {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly scopes: readonly string[];
  /** When the registration expires, on the fake's clock: from then on CreateToken refuses the client. */
  expiresAt: number;
}

/** A user's sign-in session: it lives until `endsAt` (the identity source's session duration) or a sign-out. */
export interface FakeSsoSession {
  readonly user: string;
  readonly clientId: string;
  /** The one refresh token that works now: each refresh-token grant rotates it. */
  refreshToken: string;
  endsAt: number;
  signedOut?: boolean;
}

/** The document `aws sso login --sso-session <name>` writes to `~/.aws/sso/cache/<sha1 of the name>.json`. */
export interface SsoCacheDocument {
  readonly startUrl: string;
  readonly region: string;
  readonly accessToken: string;
  readonly expiresAt: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly registrationExpiresAt: string;
  readonly refreshToken: string;
}

/** What the fake does with each access token it issues (the CodeCatalyst fake accepts it until it expires). */
export type AccessTokenSink = (accessToken: string, user: string, expiresAt: number) => void;

/** A time as the AWS CLI writes it in the SSO cache (seconds, UTC). */
export function ssoCacheTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * SSO OIDC (the IAM Identity Center OIDC service, also AWS Builder ID's) as a session-refreshing handler sees it:
 * CreateToken with the refresh-token grant. `registerClient` and `signIn` play what `aws sso login` does with
 * RegisterClient and the device authorization a person approves in the browser, and return the cache document it
 * writes. Each grant issues an access token (handed to `sink`, so CodeCatalyst accepts it until it expires) and
 * rotates the refresh token: the old one is refused from then on, as OAuth refresh-token rotation does.
 *
 * CreateToken is not signed (the AWS SDK sends it with no auth scheme; the client's id and secret and the refresh
 * token authenticate it), so no IAM policy applies. Errors as the API reference names them: InvalidClientException
 * (unknown client, wrong secret, expired registration), InvalidGrantException (a refresh token that is not the
 * session's current one: rotated away, or never issued), ExpiredTokenException (the session ended or was signed
 * out), UnsupportedGrantTypeException, InvalidRequestException (a required member missing), SlowDownException
 * (throttling, which the SDK does not retry).
 */
export class FakeSsoOidc extends FakeService {
  /** How long an access token lives (SSO access tokens last about an hour). */
  public accessTokenSeconds = 3600;
  public readonly clients = new Map<string, FakeSsoClient>();
  /** Sessions by their current refresh token. */
  public readonly sessions = new Map<string, FakeSsoSession>();
  /** Every access token issued, in order. */
  public readonly issued: string[] = [];
  private next = 1;

  constructor(clock: VirtualClock, private readonly sink: AccessTokenSink, public readonly region = 'us-east-1',
    public readonly startUrl = 'https://view.awsapps.com/start') {
    super('SSO OIDC', clock, {
      throttling: 'SlowDownException', accessDenied: 'AccessDeniedException', validation: 'InvalidRequestException', notFound: 'InvalidRequestException',
    }, undefined);
    // Not signed: no IAM policy applies (`route` resolves no credentials for it either).
    this.policy = [{ actions: ['*'], resources: ['*'] }];
  }

  /** RegisterClient: a client registration, valid for `days` (about 90 for the AWS CLI's). */
  public registerClient(scopes: readonly string[] = ['codecatalyst:read_write'], days = 90): FakeSsoClient {
    const n = this.next++;
    const client: FakeSsoClient = {
      clientId: `fake-client-${n}`, clientSecret: `fake-client-secret-${n}-SECRETVALUE`, scopes, expiresAt: this.clock.now() + days * 86_400_000,
    };
    this.clients.set(client.clientId, client);
    return client;
  }

  /**
   * A person signs in through `client` (the device authorization they approve): a session of `sessionHours`, its
   * first access token and refresh token, as the cache document the AWS CLI writes.
   */
  public signIn(client: FakeSsoClient, user: string, sessionHours = 90 * 24): SsoCacheDocument {
    const session: FakeSsoSession = {
      user, clientId: client.clientId, refreshToken: this.refreshToken(), endsAt: this.clock.now() + sessionHours * 3_600_000,
    };
    this.sessions.set(session.refreshToken, session);
    const { accessToken, expiresAt } = this.accessToken(user);
    return {
      startUrl: this.startUrl,
      region: this.region,
      accessToken,
      expiresAt: ssoCacheTime(expiresAt),
      clientId: client.clientId,
      clientSecret: client.clientSecret,
      registrationExpiresAt: ssoCacheTime(client.expiresAt),
      refreshToken: session.refreshToken,
    };
  }

  /** `aws sso logout`: the user's sessions end at once. */
  public signOut(user: string): void {
    [...this.sessions.values()].filter(s => s.user === user).forEach(s => { s.signedOut = true; });
  }

  public snapshot(): unknown {
    // Never the tokens: the clients and who has a session.
    const sessions = [...this.sessions.values()].map(s => ({ user: s.user, ended: s.signedOut === true || s.endsAt <= this.clock.now() }));
    return { clients: [...this.clients.keys()], sessions };
  }

  public createToken(input: CreateTokenCommandInput): Partial<CreateTokenCommandOutput> {
    this.admit('CreateToken', input, 'sso-oauth:CreateToken', '*', true);
    try {
      const missing = (['clientId', 'clientSecret', 'grantType'] as const).filter(k => !input[k]);
      if (missing.length > 0) throw awsError('InvalidRequestException', `Missing required parameters: ${missing.join(', ')}`);
      if (input.grantType !== 'refresh_token') throw awsError('UnsupportedGrantTypeException', `Unsupported grant type: ${input.grantType}`);
      if (!input.refreshToken) throw awsError('InvalidRequestException', 'Missing required parameter: refreshToken');
      const client = this.clients.get(input.clientId!);
      if (!client || client.clientSecret !== input.clientSecret) throw awsError('InvalidClientException', 'Invalid client provided');
      if (client.expiresAt <= this.clock.now()) throw awsError('InvalidClientException', 'Client registration has expired');
      const session = this.sessions.get(input.refreshToken);
      if (!session || session.clientId !== client.clientId) throw awsError('InvalidGrantException', 'Invalid refresh token provided');
      if (session.signedOut || session.endsAt <= this.clock.now()) throw awsError('ExpiredTokenException', 'Refresh token has expired');
      this.sessions.delete(session.refreshToken);
      session.refreshToken = this.refreshToken();
      this.sessions.set(session.refreshToken, session);
      const { accessToken } = this.accessToken(session.user);
      return { accessToken, tokenType: 'Bearer', expiresIn: this.accessTokenSeconds, refreshToken: session.refreshToken };
    } catch (err) {
      const last = this.requests[this.requests.length - 1];
      this.requests[this.requests.length - 1] = { ...last, error: (err as Error).name };
      throw err;
    }
  }

  /** Answers the handlers' SSO OIDC calls from this fake. */
  public wire(mock: AwsStub<any, any, any>): this {
    route(mock, CreateTokenCommand, input => this.createToken(input), { signed: false });
    return this;
  }

  private accessToken(user: string): { accessToken: string; expiresAt: number } {
    const accessToken = `fake-access-token-${this.next++}-SECRETVALUE`;
    const expiresAt = this.clock.now() + this.accessTokenSeconds * 1000;
    this.issued.push(accessToken);
    this.sink(accessToken, user, expiresAt);
    return { accessToken, expiresAt };
  }

  private refreshToken(): string {
    return `fake-refresh-token-${this.next++}-SECRETVALUE`;
  }
}
