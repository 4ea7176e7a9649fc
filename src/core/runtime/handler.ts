/**
 * Helpers every handler shares: property parsing (CloudFormation delivers every property as a
 * string), error classification, bounded waits and messages a user can act on.
 */
import { POLL_INTERVAL_PROPERTY, QUERY_INTERVAL_VARIABLE, TIMEOUT_PROPERTY } from './properties';
import type { IsCompleteRequest } from './types';

/** A property the construct always sets; a missing one means a construct/handler mismatch. */
export function requireString(props: Record<string, any>, key: string): string {
  const value = props[key];
  if (typeof value !== 'string' || value === '') {
    throw new Error(`internal error: property ${key} is missing from the custom resource; upgrade cdk-devtools and redeploy`);
  }
  return value;
}

/** A property the construct sets to one of `values`; anything else means a construct/handler mismatch. */
export function requireOneOf<T extends string>(props: Record<string, any>, key: string, values: readonly T[]): T {
  const value = requireString(props, key);
  if (!(values as readonly string[]).includes(value)) {
    throw new Error(`internal error: property ${key} should be one of ${values.join(', ')}, got '${value}'; upgrade cdk-devtools and redeploy`);
  }
  return value as T;
}

/** The failure of a type no handler serves: the template and the handler bundle come from different versions. */
export function noHandlerFor(resourceType: string): Error {
  return new Error(`internal error: no cdk-devtools handler serves ${resourceType}; the stack's handler bundle is older or newer `
    + 'than its constructs: synthesize and deploy again with one version of cdk-devtools');
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

/** Throttling errors: the service asks the caller to slow down (Amplify uses LimitExceededException for it). */
export function isThrottling(err: unknown): boolean {
  return ['ThrottlingException', 'Throttling', 'TooManyRequestsException', 'LimitExceededException', 'RequestLimitExceeded',
    'SlowDown'].includes(errorName(err))
    || (err as { $retryable?: { throttling?: boolean } })?.$retryable?.throttling === true;
}

/** Errors that mean the caller lacks a permission. */
export function isAccessDenied(err: unknown): boolean {
  return ['AccessDeniedException', 'AccessDenied', 'UnauthorizedException', 'UnauthorizedOperation', 'NotAuthorized']
    .includes(errorName(err));
}

/** Errors that mean the thing already exists or another operation holds it. */
export function isConflict(err: unknown): boolean {
  const name = errorName(err);
  return ['ConflictException', 'ResourceConflictException', 'ResourceAlreadyExistsException', 'AlreadyExistsException',
    'ResourceInUseException'].includes(name)
    || (name === 'BadRequestException' && /already exists/i.test((err as { message?: string })?.message ?? ''));
}

/** Errors that mean an account quota is reached. */
export function isQuotaExceeded(err: unknown): boolean {
  return ['ServiceQuotaExceededException', 'QuotaExceededException'].includes(errorName(err));
}

/** The kind of a failed AWS call, for advice on what to do next. */
export type ErrorKind = 'throttled' | 'unavailable' | 'not-found' | 'access-denied' | 'conflict' | 'quota' | 'other';

/** Classifies a failed AWS call. Throttling is checked before anything else: it is never a permissions problem. */
export function classifyError(err: unknown): ErrorKind {
  if (isThrottling(err)) return 'throttled';
  if (isRetryable(err)) return 'unavailable';
  if (isNotFound(err)) return 'not-found';
  if (isAccessDenied(err)) return 'access-denied';
  if (isConflict(err)) return 'conflict';
  if (isQuotaExceeded(err)) return 'quota';
  return 'other';
}

/** What to do about a failed read of a wait, per kind of error. */
export interface PollFailureAdvice {
  /** The service, e.g. `Amplify`. */
  readonly service: string;
  /** When the thing is gone. */
  readonly notFound: string;
  /** The permissions the read needs, e.g. `amplify:GetJob on the job`. */
  readonly permissions: string;
  /** Appended to every advice, e.g. a console URL. @default - nothing */
  readonly suffix?: string;
}

/**
 * The next step after the last read of a wait failed (a retryable error before the deadline polls again
 * instead). A throttled or unavailable service at the deadline is reported as such, never as a
 * permissions problem.
 */
export function pollFailureAdvice(err: unknown, advice: PollFailureAdvice): string {
  const suffix = advice.suffix ? ` ${advice.suffix}` : '';
  switch (classifyError(err)) {
    case 'throttled':
      return `${advice.service} was throttling the status reads at the wait's deadline (the SDK already retried). `
        + `Retry the deployment, or raise the wait's timeout if the account's request rate is busy.${suffix}`;
    case 'unavailable':
      return `${advice.service} was briefly unavailable at the wait's deadline (the SDK already retried). `
        + `Retry the deployment, or raise the wait's timeout.${suffix}`;
    case 'not-found':
      return `${advice.notFound}${suffix}`;
    case 'access-denied':
      return `The handler lacks a permission (${advice.permissions}); check the handler's policy, then retry the deployment.${suffix}`;
    default:
      return `Check the handler's permissions (${advice.permissions}) and the error above, then retry the deployment.${suffix}`;
  }
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

/**
 * The physical id the provider framework reports for a Create whose onEvent failed: nothing was created. Its Delete
 * is answered by the framework, but a handler that meets it treats it as "nothing to undo".
 */
export const FAILED_CREATE_ID = 'AWSCDK::CustomResourceProviderFramework::CREATE_FAILED';

/** The Data key onEvent sets when a wait starts (epoch milliseconds). */
export const WAIT_STARTED_KEY = 'WaitStartedAt';

/** How often the stack's waiter calls isComplete, in seconds, as the provider sets it on the function (0: unknown). */
export function queryIntervalSeconds(): number {
  const seconds = Number(process.env[QUERY_INTERVAL_VARIABLE]);
  return Number.isInteger(seconds) && seconds > 0 ? seconds : 0;
}

/**
 * Whether this isComplete call should read the resource's status. One provider serves every resource of
 * a stack (its ServiceToken cannot change), calling isComplete every `query` seconds: the shortest poll interval
 * of the stack's waits (`QUERY_INTERVAL_SECONDS` on the function). A resource reads at its own `PollIntervalSeconds`:
 * the first call, then the first call after each multiple of the interval since the wait started (a call reads when
 * a multiple fell within the query interval before it), and every call at or after the deadline. The other calls
 * answer "not complete" without calling AWS. As the waiter's calls drift a little later each time, a multiple now
 * and then falls between two windows and that read waits for the next multiple. Without a poll interval, without a
 * known query interval, or with a poll interval no longer than the query interval, every call reads.
 */
export function pollDue(event: IsCompleteRequest, now: number = Date.now(), query: number = queryIntervalSeconds()): boolean {
  const props = event.ResourceProperties;
  const interval = parseInteger(props, POLL_INTERVAL_PROPERTY, 0) * 1000;
  const queryMs = query * 1000;
  if (interval <= 0 || queryMs <= 0 || interval <= queryMs) return true;
  const started = Number(event.Data?.[WAIT_STARTED_KEY]);
  if (!Number.isFinite(started)) return true;
  if (props[TIMEOUT_PROPERTY] !== undefined && waitExpired(event, now)) return true;
  const elapsed = Math.max(0, now - started);
  if (elapsed < queryMs) return true;
  return Math.floor(elapsed / interval) * interval > elapsed - queryMs;
}

/**
 * Whether a failed read of a waited-on status should simply be tried again at the next poll: a transient
 * error (throttling, a 5xx) before the wait's deadline. It logs why; at the deadline the caller says so.
 */
export function pollAgainAfter(err: unknown, event: IsCompleteRequest, subject: string): boolean {
  if (!isRetryable(err) || waitExpired(event)) return false;
  console.log(`transient error reading ${subject}, polling again: ${messageOf(err)}`);
  return true;
}

/** Data for onEvent to return when it starts a wait. */
export function startWait(now: number = Date.now()): Record<string, string> {
  return { [WAIT_STARTED_KEY]: String(now) };
}

/**
 * Starts a wait's clock when CloudFormation's request arrived, not when onEvent returned: CloudFormation's own
 * limit (`ServiceTimeout`) counts from the request, so the time onEvent took to start the work (an upload, an
 * API's retries) must count against the wait's timeout too, or a long onEvent could push the wait's explanation
 * past CloudFormation's limit. The routers call it with every onEvent's response.
 */
export function anchorWait<R extends { Data?: Record<string, unknown> }>(response: R, arrivedAt: number): R {
  if (response?.Data?.[WAIT_STARTED_KEY] === undefined) return response;
  return { ...response, Data: { ...response.Data, [WAIT_STARTED_KEY]: String(arrivedAt) } };
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
