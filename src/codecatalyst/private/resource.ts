import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { KitResource, Wait } from '../../core/custom-resource';
import { Family, PropertiesOf } from '../../core/family';
import { AccessToken } from '../access-token';
import { TokenProperties } from './custom-resources/contract';

/** How a CodeCatalyst custom resource of family `F` is defined. */
export interface CatalystResourceOptions<F extends Family> {
  readonly family: F;
  /** The space (its name) and the token the resource is managed with. */
  readonly space: { readonly spaceName: string; readonly accessToken: AccessToken };
  /** Its properties beside the token's and the space's. */
  readonly properties: Omit<PropertiesOf<F>, keyof TokenProperties>;
  /**
   * Its wait, as `resolveWait` checked it.
   * @default - it does not wait
   */
  readonly wait?: Wait;
  /**
   * What becomes of it when it leaves the stack or is replaced.
   * @default - deleted
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Whether its handler reads its stack's status (to tell a rollback from a change): its role may then
   * `cloudformation:DescribeStacks` its own stack, so it does not share the role of the other CodeCatalyst resources.
   * @default false
   */
  readonly readsStackStatus?: boolean;
}

/** The ARN a policy must name for a secret: the full ARN, or the partial one with Secrets Manager's six-character suffix. */
function secretPolicyArn(token: AccessToken): string {
  return token.secret.secretFullArn ?? `${token.secret.secretArn}-??????`;
}

/** What the kit role does with a bearer token's secret: read it. */
const TOKEN_SECRET_ACTIONS = ['secretsmanager:GetSecretValue'];
/**
 * What it does with an SSO session's secret: read it, and write a refreshed session back as a new version, which
 * becomes AWSCURRENT only if the version it was refreshed from still is (UpdateSecretVersionStage).
 */
const SSO_SESSION_SECRET_ACTIONS = ['secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue', 'secretsmanager:UpdateSecretVersionStage'];

/**
 * A CodeCatalyst custom resource: its properties name the token's secret (never its value), and its kit role may
 * read that secret and decrypt it (and, for an SSO session, write it back and encrypt it), nothing else but what
 * `readsStackStatus` adds, so every CodeCatalyst resource of a stack with one token shares one role (those that read
 * the stack's status another). SSO OIDC's CreateToken, which refreshes a session, is not signed: it needs no statement.
 */
export function catalystResource<F extends Family>(scope: Construct, id: string, options: CatalystResourceOptions<F>): KitResource<F> {
  const token = options.space.accessToken;
  const sso = token.ssoSessionName !== undefined;
  const statements = [new iam.PolicyStatement({
    actions: sso ? SSO_SESSION_SECRET_ACTIONS : TOKEN_SECRET_ACTIONS,
    resources: [secretPolicyArn(token)],
  })];
  if (token.secret.encryptionKey) {
    statements.push(new iam.PolicyStatement({
      actions: sso ? ['kms:Decrypt', 'kms:GenerateDataKey'] : ['kms:Decrypt'],
      resources: [token.secret.encryptionKey.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${Stack.of(scope).region}.amazonaws.com` } },
    }));
  }
  if (options.readsStackStatus) {
    statements.push(new iam.PolicyStatement({ actions: ['cloudformation:DescribeStacks'], resources: [Stack.of(scope).stackId] }));
  }
  const tokenProperties: TokenProperties = {
    TokenSecretArn: token.secret.secretArn,
    TokenJsonField: token.jsonField,
    TokenSsoSession: token.ssoSessionName,
    SpaceName: options.space.spaceName,
  };
  return new KitResource(scope, id, {
    family: options.family,
    properties: { ...tokenProperties, ...options.properties } as PropertiesOf<F>,
    statements,
    wait: options.wait,
    removalPolicy: options.removalPolicy,
  });
}
