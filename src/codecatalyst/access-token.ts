import { Token } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { ValidationError } from '../core/validation';

/** Where the secret keeps the token. */
export interface AccessTokenSecretOptions {
  /**
   * The field of the secret's JSON value that holds the token.
   * @default - the whole SecretString is the token
   */
  readonly jsonField?: string;
}

/** The SSO session a secret holds. */
export interface SsoSessionOptions {
  /**
   * The name of the `sso-session` section of your AWS config that signed in (`aws sso login --sso-session <name>`).
   *
   * It is only used in messages: when the session has ended, the deployment fails with the `aws sso login` and
   * `aws secretsmanager put-secret-value` commands that seed the secret again, and they name this session and
   * its cache file.
   * @default 'codecatalyst'
   */
  readonly sessionName?: string;
}

/** The characters a session name may have here: it appears, unquoted, in the commands the messages print. */
const SESSION_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/**
 * How every CodeCatalyst call of a stack authenticates: a bearer token, from a secret in Secrets Manager.
 *
 * CodeCatalyst authorizes by the token's user and that user's roles in the space and projects, not by IAM: the
 * stack's resources are created as that user, and a dev environment belongs to them. The handlers get only the
 * secret's ARN, read it at each request, and never write a token to a property, an attribute, a log or an error
 * message. IAM has no say in CodeCatalyst, so the handlers' role holds no CodeCatalyst permission.
 *
 * The recommended token is an SSO session (`fromSsoSession`): the way CodeCatalyst's API reference, the AWS CLI and
 * the AWS SDKs authenticate. `fromSecret` takes a bearer token you keep current yourself, such as a personal access
 * token, which CodeCatalyst documents for Git and IDEs; every deployment checks the token first, so one the API
 * refuses fails at once.
 */
export class AccessToken {
  /**
   * An SSO session kept in a secret: the document `aws sso login` caches.
   *
   * The secret holds what `aws sso login --sso-session <name>` writes to `~/.aws/sso/cache/` for a session with the
   * `codecatalyst:read_write` scope, signed in as an AWS Builder ID or IAM Identity Center user who is a member of the
   * space. The handlers use the session's access token while it stays valid for the whole request, refresh it through
   * SSO OIDC when it does not, and write the new access token and the rotated refresh token back to the secret, so
   * the stack keeps deploying for as long as the sign-in session lasts. Several resources refreshing at once never
   * lose a rotated refresh token. The handlers' role may read and write this one secret (and use its KMS key); SSO
   * OIDC's CreateToken is not signed (the session's client secret and refresh token authenticate it), so it needs
   * no IAM permission. When the session has ended, the deployment fails at once with the two commands that seed the
   * secret again.
   *
   * Create the secret before the first deployment (the module README shows the commands) and import it:
   * a `new Secret(...)` would hold a random value when the first deployment reads it.
   * @param secret the secret, for example `Secret.fromSecretNameV2(this, 'Session', 'codecatalyst/sso-session')`
   */
  public static fromSsoSession(secret: secretsmanager.ISecret, options: SsoSessionOptions = {}): AccessToken {
    const sessionName = options.sessionName ?? 'codecatalyst';
    if (!Token.isUnresolved(sessionName) && !SESSION_NAME.test(sessionName)) {
      throw new ValidationError(`AccessToken.fromSsoSession: sessionName is '${sessionName}'; a session name here is 1 to 64 `
        + 'letters, digits, \'.\', \'_\' or \'-\', starting with a letter or digit (it appears in the commands a failed deployment prints); '
        + 'give the name of the [sso-session <name>] section of your AWS config, e.g. { sessionName: \'codecatalyst\' }', secret);
    }
    return new AccessToken(secret, undefined, sessionName);
  }

  /**
   * A bearer token kept in a secret, used as it is.
   *
   * The token is the whole SecretString, or one field of a JSON secret. Use it for a token you keep current
   * yourself, such as a personal access token (CodeCatalyst console, My settings, Personal access tokens).
   * CodeCatalyst documents personal access tokens for Git clients and IDEs and an SSO session for its API, and
   * does not say whether its API accepts one: each deployment checks the token first (`VerifySession`), so a
   * refused token fails at once, naming `fromSsoSession` as what to use instead. A rotated value is used at the
   * next request, with no redeployment; a token that expired fails every deployment that touches these
   * resources, deletes and rollbacks included, until the secret holds a valid one.
   * @param secret the secret, for example `Secret.fromSecretNameV2(this, 'Token', 'codecatalyst/token')`
   */
  public static fromSecret(secret: secretsmanager.ISecret, options: AccessTokenSecretOptions = {}): AccessToken {
    if (options.jsonField !== undefined && options.jsonField.trim() === '') {
      throw new ValidationError(`AccessToken.fromSecret: jsonField is '${options.jsonField}', an empty name; give the name `
        + 'of the JSON field that holds the token, e.g. { jsonField: \'token\' } for {"token": "..."}, or leave it out when the whole '
        + 'SecretString is the token', secret);
    }
    return new AccessToken(secret, options.jsonField);
  }

  private constructor(
    /** The secret that holds the token or the SSO session. */
    public readonly secret: secretsmanager.ISecret,
    /** The JSON field that holds the token, if any (`fromSecret`). */
    public readonly jsonField?: string,
    /** The name of the SSO session the secret holds (`fromSsoSession`); undefined when it holds a bearer token. */
    public readonly ssoSessionName?: string,
  ) {}
}
