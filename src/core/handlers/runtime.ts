/**
 * Helpers every handler shares: property parsing (CloudFormation delivers every property as a
 * string), error classification, bounded waits and messages a user can act on.
 */
import type { IsCompleteRequest } from './types';

/** A property the construct always sets; a missing one means a construct/handler mismatch. */
export function requireString(props: Record<string, any>, key: string): string {
  const value = props[key];
  if (typeof value !== 'string' || value === '') {
    throw new Error(`internal error: property ${key} is missing from the custom resource; upgrade cdk-devtools and redeploy`);
  }
  return value;
}

export function optionalString(props: Record<string, any>, key: string): string | undefined {
  const value = props[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** CloudFormation turns booleans into 'true'/'false'. */
export function parseBoolean(props: Record<string, any>, key: string, fallback: boolean): boolean {
  const value = props[key];
  if (value === undefined || value === '') return fallback;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new Error(`internal error: property ${key} should be 'true' or 'false', got '${value}'`);
}

/** CloudFormation turns numbers into strings. */
export function parseInteger(props: Record<string, any>, key: string, fallback?: number): number {
  const value = props[key];
  if (value === undefined || value === '') {
    if (fallback === undefined) throw new Error(`internal error: property ${key} is missing from the custom resource`);
    return fallback;
  }
  const n = Number(value);
  if (!Number.isInteger(n)) throw new Error(`internal error: property ${key} should be an integer, got '${value}'`);
  return n;
}

/** The error name the SDK gives a service exception. */
export function errorName(err: unknown): string {
  return (err as { name?: string })?.name ?? 'Error';
}

export function isNotFound(err: unknown): boolean {
  return ['ResourceNotFoundException', 'NotFoundException', 'NoSuchEntity', 'NoSuchKey'].includes(errorName(err));
}

/** Errors that go away when retried later. */
export function isRetryable(err: unknown): boolean {
  return ['ThrottlingException', 'TooManyRequestsException', 'LimitExceededException', 'ServiceUnavailable', 'ServiceUnavailableException',
    'InternalFailure', 'InternalServerException', 'InternalServiceException', 'RequestLimitExceeded'].includes(errorName(err))
    || (err as { $retryable?: unknown })?.$retryable !== undefined;
}

/** The message of any thrown value. */
export function messageOf(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

/**
 * An error whose message says what failed, on which resource, why, and what to do next.
 */
export class ActionableError extends Error {
  constructor(what: string, resource: string, why: string, next: string) {
    super(`${what} failed for ${resource}: ${why}. ${next}`);
    this.name = 'ActionableError';
  }
}

/** The property a construct sets to bound a wait, in seconds. */
export const TIMEOUT_PROPERTY = 'TimeoutSeconds';
/** The Data key onEvent sets when a wait starts (epoch milliseconds). */
export const WAIT_STARTED_KEY = 'WaitStartedAt';

/** Data for onEvent to return when it starts a wait. */
export function startWait(now: number = Date.now()): Record<string, string> {
  return { [WAIT_STARTED_KEY]: String(now) };
}

/**
 * Whether the wait this isComplete call belongs to has run out of time. The deadline is per
 * resource, so resources with different timeouts share one provider.
 */
export function waitExpired(event: IsCompleteRequest, now: number = Date.now()): boolean {
  const started = Number(event.Data?.[WAIT_STARTED_KEY]);
  const timeoutSeconds = parseInteger(event.ResourceProperties, TIMEOUT_PROPERTY);
  if (!Number.isFinite(started)) {
    throw new Error(`internal error: isComplete received no ${WAIT_STARTED_KEY}; onEvent must return startWait() data`);
  }
  return now - started >= timeoutSeconds * 1000;
}

const SECRET_KEY = /token|password|secret|credential|basicauth/i;

/** A copy of a value with every secret-looking member replaced, safe to log. */
export function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET_KEY.test(k) ? '<redacted>' : redact(v)]));
  }
  return value;
}

/** Logs a request without secrets (CloudWatch keeps what handlers print). */
interface LoggableEvent {
  readonly RequestType: string;
  readonly ResourceType: string;
  readonly LogicalResourceId: string;
  readonly ResourceProperties: unknown;
}

export function logEvent(label: string, event: LoggableEvent): void {
  console.log(JSON.stringify({
    label,
    requestType: event.RequestType,
    resourceType: event.ResourceType,
    logicalResourceId: event.LogicalResourceId,
    properties: redact(event.ResourceProperties),
  }));
}
