/**
 * The permissions a handler acts with. The handler functions' own role may only assume the stack's
 * kit roles; each custom resource names, in its properties, the role that holds its permissions, and
 * the handler calls AWS as that role. A Delete therefore acts with the role of the properties it
 * deletes, which outlives the resource (see `KitResource`).
 */
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { errorName, isAccessDenied, requireString } from './handler';
import { ROLE_ARN_PROPERTY } from './properties';

/** Credentials as the AWS SDK's clients take them. */
export interface RoleCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly expiration?: Date;
}

/** Options of `assumeRole`. */
export interface AssumeRoleOptions {
  /** How long a role that was just created may take to become assumable (IAM is eventually consistent). @default 60 000 */
  readonly propagationMs?: number;
  /** Waits between attempts; tests pass one that does not sleep. */
  readonly sleep?: (ms: number) => Promise<void>;
  /**
   * The role session's name (2 to 64 of `[\w+=,.@-]`), which services record as the caller (CloudTrail, and e.g.
   * CodePipeline's trigger detail of an execution it started). @default 'cdk-devtools-handler'
   */
  readonly sessionName?: string;
}

/** The session name of a handler's role when its family needs none of its own. */
export const DEFAULT_SESSION_NAME = 'cdk-devtools-handler';

const sts = new STSClient({ maxAttempts: 5 });

/** Whether a role of this invocation had to wait for IAM to propagate it (so its policy may lag too). */
let propagating = false;
const realSleep = (ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms));

/**
 * Assumes a kit role. A role CloudFormation created a moment ago can be refused for a few seconds while IAM
 * propagates it, so a refusal is retried for `propagationMs` before it fails with what to check.
 */
export async function assumeRole(roleArn: string, options: AssumeRoleOptions = {}): Promise<RoleCredentials> {
  const deadline = Date.now() + (options.propagationMs ?? 60_000);
  const sleep = options.sleep ?? realSleep;
  for (let delay = 1000; ; delay = Math.min(delay * 2, 8000)) {
    try {
      const out = await sts.send(new AssumeRoleCommand({
        RoleArn: roleArn, RoleSessionName: options.sessionName ?? DEFAULT_SESSION_NAME, DurationSeconds: 3600,
      }));
      const c = out.Credentials;
      if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error(`STS returned no credentials for ${roleArn}`);
      return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration };
    } catch (err) {
      if (errorName(err) === 'AccessDenied') propagating = true;
      if (errorName(err) !== 'AccessDenied' || Date.now() + delay > deadline) {
        if (errorName(err) === 'AccessDenied') {
          propagating = false; // the allowance is spent: a second run would wait for nothing
          throw new Error(`the handler could not assume its role ${roleArn}: ${(err as Error).message}. The role and its trust policy `
            + 'are part of the stack; check that nothing removed them or denies sts:AssumeRole (a permissions boundary or SCP), then retry');
        }
        throw err;
      }
      await sleep(delay);
    }
  }
}

/**
 * A client configuration that acts as the role the properties name, in a session of `sessionName` (by default
 * `DEFAULT_SESSION_NAME`). Credentials are fetched on the first call the client makes, once per client.
 */
export function clientConfig(props: Record<string, any>, sessionName?: string): { maxAttempts: number; credentials: () => Promise<RoleCredentials> } {
  const roleArn = requireString(props, ROLE_ARN_PROPERTY);
  let credentials: Promise<RoleCredentials> | undefined;
  return {
    maxAttempts: 5,
    credentials: () => {
      credentials ??= assumeRole(roleArn, { sessionName });
      return credentials;
    },
  };
}

/**
 * Runs one handler call; when it fails for lack of a permission right after a role became assumable (IAM had
 * not propagated the new role, so its policy may not be in force yet either), runs it once more after
 * `delayMs`. Handlers are idempotent, so a second run of the same request is safe.
 */
export async function withPropagationRetry<T>(
  call: () => Promise<T>, delayMs = 10_000, sleep: (ms: number) => Promise<void> = realSleep,
): Promise<T> {
  propagating = false;
  try {
    return await call();
  } catch (err) {
    // Handlers wrap service errors in messages that say what to do; the service's words stay in them.
    const denied = isAccessDenied(err) || /AccessDenied|not authorized to perform/i.test((err as Error)?.message ?? '');
    if (!propagating || !denied) throw err;
    propagating = false;
    await sleep(delayMs);
    return call();
  }
}
