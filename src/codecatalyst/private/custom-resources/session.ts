/**
 * How the CodeCatalyst handlers call the API: as the user whose bearer token the stack's secret holds, or whose SSO
 * session it holds (see `token.ts`). The token is read at each request (so a rotated or refreshed secret is used at
 * once), handed to the client and nowhere else: never into a property, Data, a log line or an error message.
 */
import { CodeCatalystClient, VerifySessionCommand } from '@aws-sdk/client-codecatalyst';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { TokenSource } from './contract';
import { backoff, readToken, ssoAccessToken, tokenAdvice, TokenReadError } from './token';
import { clientConfig } from '../../../core/runtime/credentials';
import { ActionableError, errorName, isRetryable, isThrottling, messageOf, waitExpired } from '../../../core/runtime/handler';
import type { IsCompleteRequest } from '../../../core/runtime/types';

export { backoff, readToken, tokenAdvice, TokenReadError } from './token';

/** A client that calls CodeCatalyst as the token's user. */
export interface CodeCatalystSession {
  readonly client: CodeCatalystClient;
  /** The token's user as VerifySession names it ('' when not verified), for messages. */
  readonly identity: string;
  /** The secret the token came from, for messages. */
  readonly secretArn: string;
  /** The JSON field of the secret that holds the token, if any, for messages. */
  readonly jsonField?: string;
  /** The SSO session whose sign-in the secret holds, if it holds one, for messages. */
  readonly ssoSession?: string;
}

/**
 * Opens a session for a request: reads the token from `source` (the request's, as its family's `parse` read it) with
 * the kit role `props` name, and with `verify` checks it (VerifySession), so an expired or wrong token fails at once
 * with what to do instead of as a puzzling 403 on the first real call.
 */
export async function openSession(props: Record<string, any>, source: TokenSource, verify: boolean): Promise<CodeCatalystSession> {
  const secrets = new SecretsManagerClient(clientConfig(props));
  const token = source.ssoSession ? await ssoAccessToken(secrets, source) : await readToken(secrets, source);
  // The token goes into the client only; the SDK sends it as the Authorization header and never logs it.
  const client = new CodeCatalystClient({ token: { token }, maxAttempts: 5 });
  const about = { secretArn: source.secretArn, jsonField: source.jsonField, ssoSession: source.ssoSession };
  if (!verify) return { client, identity: '', ...about };
  try {
    const { identity } = await client.send(new VerifySessionCommand({}));
    return { client, identity: identity ?? '', ...about };
  } catch (err) {
    if (isRetryable(err)) {
      throw new ActionableError('Checking the CodeCatalyst token', `secret ${source.secretArn}`, messageOf(err),
        'CodeCatalyst is throttling or briefly unavailable (the SDK already retried); retry the deployment later');
    }
    throw new ActionableError('Checking the CodeCatalyst token', `secret ${source.secretArn}`, `CodeCatalyst refused it (${messageOf(err)})`, tokenAdvice(source));
  }
}

/**
 * Opens a session for a poll of a wait: undefined when reading the token failed with an error that goes away
 * (throttling) before the wait's deadline, so that the poll simply polls again.
 */
export async function openPollSession(event: IsCompleteRequest, source: TokenSource, subject: string): Promise<CodeCatalystSession | undefined> {
  try {
    return await openSession(event.ResourceProperties, source, false);
  } catch (err) {
    if (err instanceof TokenReadError && err.transient && !waitExpired(event)) {
      console.log(`transient error reading the token for ${subject}, polling again: ${err.message}`);
      return undefined;
    }
    throw err;
  }
}

/**
 * Runs a call, retrying a conflict (409: "reload and try again") with backoff: 2, 4, 8 and 16 seconds. The SDK
 * already retries throttling (429) and server errors with its own backoff.
 */
export async function withConflictRetry<T>(send: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1, delay = 2000; ; attempt++, delay *= 2) {
    try {
      return await send();
    } catch (err) {
      if (errorName(err) !== 'ConflictException' || attempt >= attempts) throw err;
      console.log(`CodeCatalyst reported a conflict, trying again in ${delay / 1000} s: ${messageOf(err)}`);
      await backoff.sleep(delay);
    }
  }
}

/** Where a failed call happened, for its message. */
export interface CallContext {
  /** e.g. 'Creating the project'. */
  readonly what: string;
  /** e.g. `project 'web' in space 'acme'`. */
  readonly subject: string;
  readonly session: CodeCatalystSession;
  /** What to do when CodeCatalyst says the thing (or its parent) does not exist. */
  readonly notFound?: string;
  /** What to do when CodeCatalyst refuses the input (400). @default - fix the input named in the message */
  readonly invalid?: string;
  /** What to do about a conflict that outlasted the retries. @default - retry the deployment */
  readonly conflict?: string;
}

/**
 * An error a user can act on for each error the API reference documents: 403 is the token user's missing role,
 * 402 the space tier's limit, 409 a conflict that outlasted the retries, 429 throttling that outlasted the SDK's.
 */
export function callFailed(err: unknown, context: CallContext): ActionableError {
  const user = context.session.identity ? `the token's user (${context.session.identity})` : 'the token\'s user';
  let next: string;
  switch (errorName(err)) {
    case 'AccessDeniedException':
      next = `${user} has no role that allows this: give them a role in the space or project that does (Space administrator, `
        + 'Project administrator or Contributor, as the CodeCatalyst documentation lists per action), or store the token of a user who has '
        + `one in secret ${context.session.secretArn}; then retry the deployment`;
      break;
    case 'UnauthorizedException':
      // Not in the API reference (it documents 403 only): what a token refused outright (expired, revoked) would be.
      next = tokenAdvice({ secretArn: context.session.secretArn, jsonField: context.session.jsonField, ssoSession: context.session.ssoSession });
      break;
    case 'ServiceQuotaExceededException':
      next = 'The space reached a limit of its billing tier (projects, dev environments, storage or compute minutes); upgrade the '
        + 'space\'s tier or free capacity (delete unused dev environments or projects), then retry the deployment';
      break;
    case 'ConflictException':
      next = context.conflict ?? 'Another change to the same resource was in progress and outlasted five attempts; retry the deployment in a minute';
      break;
    case 'ResourceNotFoundException':
      next = context.notFound ?? 'It does not exist, or the token\'s user cannot see it; check the names, then retry the deployment';
      break;
    case 'ValidationException':
      next = context.invalid ?? 'CodeCatalyst refused the input; fix the value the message names, then redeploy';
      break;
    default:
      next = isThrottling(err) || isRetryable(err)
        ? 'CodeCatalyst is throttling or briefly unavailable (the SDK already retried); retry the deployment later'
        : 'Check the error above, then retry the deployment';
  }
  return new ActionableError(context.what, context.subject, messageOf(err), next);
}

/** Runs one call with the conflict retry, turning a failure into `callFailed`'s message. */
export async function call<T>(context: CallContext, send: () => Promise<T>): Promise<T> {
  try {
    return await withConflictRetry(send);
  } catch (err) {
    throw callFailed(err, context);
  }
}

/** Whether a call failed because the thing is gone (404). */
export function isGone(err: unknown): boolean {
  return errorName(err) === 'ResourceNotFoundException';
}
