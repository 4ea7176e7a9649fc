import {
  GetSecretValueCommand, GetSecretValueCommandInput, GetSecretValueCommandOutput, PutSecretValueCommand, PutSecretValueCommandInput,
  UpdateSecretVersionStageCommand, UpdateSecretVersionStageCommandInput,
} from '@aws-sdk/client-secrets-manager';
import { AwsStub } from 'aws-sdk-client-mock';
import { awsError } from '../../sdk';
import { FakeService, route, VirtualClock } from '../world';

/** One version of a secret: its value and the staging labels attached to it (none: a deprecated version). */
export interface FakeSecretVersion {
  readonly id: string;
  /** The SecretString (undefined: a binary secret or one without a value). */
  readonly value: string | undefined;
  readonly stages: Set<string>;
}

/**
 * Secrets Manager as a token-reading (and SSO-session-refreshing) handler sees it: GetSecretValue of a secret's
 * AWSCURRENT version (or of a version or stage), PutSecretValue of a new version, and UpdateSecretVersionStage, which
 * moves a staging label only from the version `RemoveFromVersionId` names (so it is a compare-and-swap of
 * AWSCURRENT). Each is authorised on the secret's ARN (`secretsmanager:<Operation>`). A label is on one version at a
 * time; moving AWSCURRENT moves AWSPREVIOUS to the version it left. Errors as the API reference names them:
 * AccessDeniedException, ResourceNotFoundException, ThrottlingException, InvalidRequestException (a secret scheduled
 * for deletion), InvalidParameterException (a label that is not on `RemoveFromVersionId`), ResourceExistsException
 * (a ClientRequestToken reused with another value).
 */
export class FakeSecretsManager extends FakeService {
  /** Each secret's versions, by ARN, oldest first. */
  public readonly versions = new Map<string, FakeSecretVersion[]>();
  /** ARNs of secrets scheduled for deletion (GetSecretValue: InvalidRequestException). */
  public readonly deleting = new Set<string>();
  private nextVersion = 1;

  constructor(clock: VirtualClock) {
    super('Secrets Manager', clock, {
      throttling: 'ThrottlingException', accessDenied: 'AccessDeniedException', validation: 'InvalidRequestException', notFound: 'ResourceNotFoundException',
    }, undefined);
  }

  /** Creates a secret, or stores a new value in it as a person would (`put-secret-value`: the new version is AWSCURRENT). */
  public put(arn: string, secretString: string | undefined): FakeSecretVersion {
    return this.addVersion(arn, secretString, ['AWSCURRENT']);
  }

  /** The AWSCURRENT version of a secret. */
  public current(arn: string): FakeSecretVersion | undefined {
    return this.versions.get(arn)?.find(v => v.stages.has('AWSCURRENT'));
  }

  public snapshot(): unknown {
    // Never the values: only which secrets exist, and how many versions each has.
    return [...this.versions.entries()].map(([arn, versions]) => ({ arn, versions: versions.length }));
  }

  /** The ARN a SecretId names: the ARN itself, or a secret's name (the ARN's name part before the random suffix). */
  private arnOf(secretId: string): string {
    if (secretId.startsWith('arn:')) return secretId;
    return [...this.versions.keys()].find(arn => arn.split(':secret:')[1]?.replace(/-[A-Za-z0-9]{6}$/, '') === secretId)
      ?? `arn:aws:secretsmanager:us-east-1:123456789012:secret:${secretId}`;
  }

  private secret(arn: string): FakeSecretVersion[] {
    const versions = this.versions.get(arn);
    if (!versions) throw awsError('ResourceNotFoundException', 'Secrets Manager can\'t find the specified secret.');
    if (this.deleting.has(arn)) {
      throw awsError('InvalidRequestException', 'You can\'t perform this operation on the secret because it was marked for deletion.');
    }
    return versions;
  }

  private addVersion(arn: string, value: string | undefined, stages: readonly string[], id?: string): FakeSecretVersion {
    const versions = this.versions.get(arn) ?? [];
    this.versions.set(arn, versions);
    const version: FakeSecretVersion = { id: id ?? `00000000-0000-4000-8000-${String(this.nextVersion++).padStart(12, '0')}`, value, stages: new Set() };
    versions.push(version);
    stages.forEach(stage => this.attach(versions, stage, version));
    return version;
  }

  /** Attaches a label to a version, taking it off the version that had it (AWSCURRENT leaves AWSPREVIOUS behind). */
  private attach(versions: FakeSecretVersion[], stage: string, to: FakeSecretVersion): void {
    const from = versions.find(v => v.stages.has(stage));
    if (from === to) return;
    from?.stages.delete(stage);
    to.stages.add(stage);
    if (stage === 'AWSCURRENT' && from) {
      versions.forEach(v => v.stages.delete('AWSPREVIOUS'));
      from.stages.add('AWSPREVIOUS');
    }
  }

  public getSecretValue(input: GetSecretValueCommandInput): Partial<GetSecretValueCommandOutput> {
    return this.operate('GetSecretValue', input, false, arn => this.readVersion(arn, input));
  }

  private readVersion(arn: string, input: GetSecretValueCommandInput): Partial<GetSecretValueCommandOutput> {
    const versions = this.secret(arn);
    const stage = input.VersionStage ?? (input.VersionId ? undefined : 'AWSCURRENT');
    const version = versions.find(v => (input.VersionId === undefined || v.id === input.VersionId) && (stage === undefined || v.stages.has(stage)));
    if (!version) throw awsError('ResourceNotFoundException', 'Secrets Manager can\'t find the specified secret value for staging label or version.');
    return {
      ARN: arn,
      Name: arn.split(':secret:')[1],
      VersionId: version.id,
      VersionStages: [...version.stages],
      ...(version.value !== undefined ? { SecretString: version.value } : {}),
    };
  }

  public putSecretValue(input: PutSecretValueCommandInput) {
    return this.operate('PutSecretValue', input, true, arn => this.putVersion(arn, input));
  }

  private putVersion(arn: string, input: PutSecretValueCommandInput) {
    const versions = this.secret(arn);
    if (input.SecretString === undefined) throw awsError('InvalidParameterException', 'You must provide either SecretString or SecretBinary.');
    const known = input.ClientRequestToken ? versions.find(v => v.id === input.ClientRequestToken) : undefined;
    if (known) {
      if (known.value !== input.SecretString) throw awsError('ResourceExistsException', 'A resource with the ID you requested already exists.');
      return { ARN: arn, Name: arn.split(':secret:')[1], VersionId: known.id, VersionStages: [...known.stages] };
    }
    const version = this.addVersion(arn, input.SecretString, input.VersionStages ?? ['AWSCURRENT'], input.ClientRequestToken);
    return { ARN: arn, Name: arn.split(':secret:')[1], VersionId: version.id, VersionStages: [...version.stages] };
  }

  public updateSecretVersionStage(input: UpdateSecretVersionStageCommandInput) {
    return this.operate('UpdateSecretVersionStage', input, true, arn => this.moveStage(arn, input));
  }

  private moveStage(arn: string, input: UpdateSecretVersionStageCommandInput) {
    const versions = this.secret(arn);
    const stage = input.VersionStage ?? '';
    const holder = versions.find(v => v.stages.has(stage));
    const to = input.MoveToVersionId === undefined ? undefined : versions.find(v => v.id === input.MoveToVersionId);
    if (input.MoveToVersionId !== undefined && !to) throw awsError('ResourceNotFoundException', `Secrets Manager can't find version ${input.MoveToVersionId}.`);
    if (holder && holder !== to && holder.id !== input.RemoveFromVersionId) {
      throw awsError('InvalidParameterException', `The staging label ${stage} is currently attached to version ${holder.id}, so you must explicitly `
        + 'reference that version in RemoveFromVersionId.');
    }
    if (to) this.attach(versions, stage, to);
    else holder?.stages.delete(stage);
    return { ARN: arn, Name: arn.split(':secret:')[1] };
  }

  /**
   * One request on the secret `input.SecretId` names: admitted (throttling, `secretsmanager:<operation>` on its ARN),
   * then run, its error recorded on its request (a failed write is no write).
   */
  private operate<O>(operation: string, input: { SecretId?: string }, write: boolean, body: (arn: string) => O): O {
    const arn = this.arnOf(input.SecretId ?? '');
    this.admit(operation, input, `secretsmanager:${operation}`, arn, write);
    try {
      return body(arn);
    } catch (err) {
      const last = this.requests[this.requests.length - 1];
      this.requests[this.requests.length - 1] = { ...last, error: (err as Error).name };
      throw err;
    }
  }

  public wire(mock: AwsStub<any, any, any>): this {
    route(mock, GetSecretValueCommand, input => this.getSecretValue(input));
    route(mock, PutSecretValueCommand, input => this.putSecretValue(input));
    route(mock, UpdateSecretVersionStageCommand, input => this.updateSecretVersionStage(input));
    return this;
  }
}
