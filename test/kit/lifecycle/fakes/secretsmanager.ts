import { GetSecretValueCommand, GetSecretValueCommandInput, GetSecretValueCommandOutput } from '@aws-sdk/client-secrets-manager';
import { AwsStub } from 'aws-sdk-client-mock';
import { awsError } from '../../sdk';
import { FakeService, route, VirtualClock } from '../world';

/**
 * Secrets Manager as a token-reading handler sees it: GetSecretValue of a secret by ARN (or name), authorised on
 * the secret's ARN (`secretsmanager:GetSecretValue`). Errors as the API reference names them: AccessDeniedException,
 * ResourceNotFoundException, ThrottlingException, InvalidRequestException (a secret scheduled for deletion).
 */
export class FakeSecretsManager extends FakeService {
  /** By ARN: the SecretString (undefined: a binary secret or one without a value). */
  public readonly secrets = new Map<string, string | undefined>();
  /** ARNs of secrets scheduled for deletion (GetSecretValue: InvalidRequestException). */
  public readonly deleting = new Set<string>();

  constructor(clock: VirtualClock) {
    super('Secrets Manager', clock, {
      throttling: 'ThrottlingException', accessDenied: 'AccessDeniedException', validation: 'InvalidRequestException', notFound: 'ResourceNotFoundException',
    }, undefined);
  }

  /** Creates or rotates a secret. */
  public put(arn: string, secretString: string | undefined): void {
    this.secrets.set(arn, secretString);
  }

  public snapshot(): unknown {
    // Never the values: only which secrets exist.
    return [...this.secrets.keys()];
  }

  /** The ARN a SecretId names: the ARN itself, or a secret's name (the ARN's name part before the random suffix). */
  private arnOf(secretId: string): string {
    if (secretId.startsWith('arn:')) return secretId;
    return [...this.secrets.keys()].find(arn => arn.split(':secret:')[1]?.replace(/-[A-Za-z0-9]{6}$/, '') === secretId)
      ?? `arn:aws:secretsmanager:us-east-1:123456789012:secret:${secretId}`;
  }

  public getSecretValue(input: GetSecretValueCommandInput): Partial<GetSecretValueCommandOutput> {
    const arn = this.arnOf(input.SecretId ?? '');
    this.admit('GetSecretValue', input, 'secretsmanager:GetSecretValue', arn, false);
    if (!this.secrets.has(arn)) throw awsError('ResourceNotFoundException', 'Secrets Manager can\'t find the specified secret.');
    if (this.deleting.has(arn)) {
      throw awsError('InvalidRequestException', 'You can\'t perform this operation on the secret because it was marked for deletion.');
    }
    const value = this.secrets.get(arn);
    return { ARN: arn, Name: arn.split(':secret:')[1], VersionId: '00000000-0000-4000-8000-000000000001', ...(value !== undefined ? { SecretString: value } : {}) };
  }

  public wire(mock: AwsStub<any, any, any>): this {
    route(mock, GetSecretValueCommand, input => this.getSecretValue(input));
    return this;
  }
}
