import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';

/** Where the secret keeps the token. */
export interface AccessTokenSecretOptions {
  /**
   * The field of the secret's JSON value that holds the token.
   * @default - the whole SecretString is the token
   */
  readonly jsonField?: string;
}

/**
 * The bearer token every CodeCatalyst call of a stack runs with, kept in Secrets Manager.
 *
 * CodeCatalyst authorizes by the token's user and that user's roles in the space and projects, not by IAM: the
 * stack's resources are created as that user, and a dev environment belongs to them. Use a personal access token
 * of a space member with the roles the resources need (Space administrator to create projects). The handlers get
 * only the secret's ARN, read the value at each request (a rotated value is used at once, with no redeployment),
 * and never write it to a property, an attribute, a log or an error message. The handlers' role may read this
 * one secret (and decrypt it with its key) and nothing of CodeCatalyst: IAM has no say there.
 *
 * Tokens expire (one year by default). An expired token fails every deployment that touches these resources,
 * including deletes and rollbacks, with a message saying to rotate it: store a new token in the secret before
 * then, and retry (or continue the rollback) after a failure.
 */
export class AccessToken {
  /**
   * A token kept in a secret.
   * @param secret the secret, for example `Secret.fromSecretNameV2(this, 'Token', 'codecatalyst/token')`
   */
  public static fromSecret(secret: secretsmanager.ISecret, options: AccessTokenSecretOptions = {}): AccessToken {
    if (options.jsonField !== undefined && options.jsonField.trim() === '') {
      throw new Error(`AccessToken.fromSecret(${secret.node.path}): jsonField is '${options.jsonField}', an empty name; give the name `
        + 'of the JSON field that holds the token, e.g. { jsonField: \'token\' } for {"token": "..."}, or leave it out when the whole '
        + 'SecretString is the token');
    }
    return new AccessToken(secret, options.jsonField);
  }

  private constructor(
    /** The secret that holds the token. */
    public readonly secret: secretsmanager.ISecret,
    /** The JSON field that holds the token, if any. */
    public readonly jsonField?: string,
  ) {}
}
