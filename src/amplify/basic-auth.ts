import { SecretValue, Token } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { renderSecret } from './private/render';
import { acceptNagFindings } from '../core/nag';
import { ValidationError } from '../core/validation';

/** The rendered form of basic auth, in CloudFormation's shape. */
export interface BasicAuthConfig {
  /** Always true: basic auth is off when no `BasicAuth` is given. */
  readonly enableBasicAuth: boolean;
  /** The user name. */
  readonly username: string;
  /** The password, as a dynamic reference. */
  readonly password: string;
}

/**
 * Password protection for an app or a branch (HTTP basic auth).
 *
 * The password never reaches the template in plain text: it is either a `SecretValue` you keep in
 * Secrets Manager, or generated into a new Secrets Manager secret.
 */
export class BasicAuth {
  /**
   * A user name and a password you keep as a secret.
   *
   * @param username the user name (not secret)
   * @param password the password, for example `SecretValue.secretsManager('preview-password')`
   */
  public static fromCredentials(username: string, password: SecretValue): BasicAuth {
    return new BasicAuth('fromCredentials', username, password, undefined);
  }

  /**
   * A user name and a password generated into a new Secrets Manager secret (JSON fields `username` and `password`).
   *
   * @param username the user name (not secret)
   * @param encryptionKey the key that encrypts the secret
   * @default - the AWS managed key of Secrets Manager
   */
  public static fromGeneratedPassword(username: string, encryptionKey?: kms.IKey): BasicAuth {
    return new BasicAuth('fromGeneratedPassword', username, undefined, encryptionKey);
  }

  private constructor(
    /** The factory that made it, for messages. */
    private readonly factory: string,
    /** The user name. */
    public readonly username: string,
    private readonly password: SecretValue | undefined,
    private readonly encryptionKey: kms.IKey | undefined,
  ) {}

  /**
   * Renders the configuration, creating the secret of a generated password under `scope`.
   *
   * @param scope the app or branch
   * @param id the construct id of the generated secret
   */
  public bind(scope: Construct, id: string): BasicAuthConfig {
    // Checked here rather than in the factory, so that a mistake is reported against the app or branch that uses it.
    if (!Token.isUnresolved(this.username) && (this.username.length === 0 || this.username.includes(':'))) {
      throw new ValidationError(`BasicAuth.${this.factory}() got the user name '${this.username}'; Amplify joins the user name to `
        + 'the password with \':\', so the name must be non-empty and without \':\'. Give a plain name, e.g. \'preview\'', scope);
    }
    if (this.password) {
      return { enableBasicAuth: true, username: this.username, password: renderSecret(scope, 'basicAuth password', this.password) };
    }
    const secret = new secretsmanager.Secret(scope, id, {
      description: `Basic auth password of ${scope.node.path}`,
      encryptionKey: this.encryptionKey,
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ username: this.username }),
        generateStringKey: 'password',
        excludeCharacters: ':',
      },
    });
    acceptNagFindings(secret, [{
      id: 'AwsSolutions-SMG4',
      reason: 'Amplify reads the basic auth password only when the stack deploys; a rotated value would not reach Amplify until the next deployment',
    }]);
    return {
      enableBasicAuth: true,
      username: this.username,
      password: renderSecret(scope, 'basicAuth password', secret.secretValueFromJson('password')),
    };
  }
}
