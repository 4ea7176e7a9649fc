import { AwsStub } from 'aws-sdk-client-mock';
import { ApiConstraints, checkOperationInput } from '../../../src/core/api-constraints';
import { awsError } from '../sdk';

/**
 * The world a lifecycle sequence runs in: virtual time, the permissions the handler holds at each moment,
 * and stateful fakes of the services, wired into aws-sdk-client-mock so that handlers run unmodified.
 */

/** Virtual time: waits, deadlines and creation times follow it, so a two-hour wait takes no real time. */
export class VirtualClock {
  private current: number;

  constructor(start: number = Date.UTC(2026, 0, 1)) {
    this.current = start;
  }

  public now(): number {
    return this.current;
  }

  public date(): Date {
    return new Date(this.current);
  }

  public advance(ms: number): void {
    this.current += ms;
  }

  /**
   * Makes `Date.now()` read this clock (the handlers' `startWait` and `waitExpired` use it). The spy is
   * restored by `jest.restoreAllMocks()`, which `handlerMocks` runs after each test.
   */
  public install(): this {
    jest.spyOn(Date, 'now').mockImplementation(() => this.current);
    return this;
  }
}

/** One statement of an IAM policy: `*` matches any run of characters in an action or a resource, `?` any one character. */
export interface PolicyStatement {
  readonly actions: readonly string[];
  readonly resources: readonly string[];
  /**
   * The statement's `ForAllValues:StringLike` condition on `aws:TagKeys`: every tag key the request names must match
   * one of the patterns (a request that names none passes, as in IAM). @default - no condition
   */
  readonly tagKeys?: readonly string[];
}

/** The statements a handler holds; `undefined` means the fakes authorise everything. */
export type Policy = readonly PolicyStatement[];

function glob(pattern: string, value: string): boolean {
  const escaped = pattern.split('*').map(part => part.split('?').map(p => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.')).join('.*');
  return new RegExp(`^${escaped}$`, 'i').test(value);
}

/** Says which policy the credentials of a request carry: the fake IAM of the driver that runs the sequence. */
export interface CallerDirectory {
  /** The policy of the role whose session the access key belongs to; an unknown key holds nothing. */
  policyOf(accessKeyId: string | undefined): Policy;
}

let directory: CallerDirectory | undefined;
/** The policy of the request `route` is handing to a fake right now (read synchronously by `admit`). */
let callerPolicy: Policy | undefined;

/**
 * Makes the fakes authorise each request by the credentials of the client that sent it (`undefined`: every
 * request is allowed, for tests without roles). `handlerMocks` clears it after each test.
 */
export function useCallerDirectory(next: CallerDirectory | undefined): void {
  directory = next;
}

/**
 * Whether a policy allows an action on a resource, for a request that names the tag keys `tagKeys` (IAM action names
 * are case-insensitive; resources are not, but tests never rely on that).
 */
export function allows(policy: Policy, action: string, resource: string, tagKeys: readonly string[] = []): boolean {
  return policy.some(s => s.actions.some(a => glob(a, action)) && s.resources.some(r => glob(r, resource))
    && (s.tagKeys === undefined || tagKeys.every(k => s.tagKeys!.some(p => glob(p, k)))));
}

/** The tag keys a request names (`aws:TagKeys`): the keys of its `tags`/`Tags`, or its `tagKeys`/`TagKeys`. */
function requestTagKeys(input: object): string[] {
  const i = input as Record<string, unknown>;
  const tags = i.tags ?? i.Tags;
  const keys = Array.isArray(tags) ? tags.map(t => String((t as Record<string, unknown>).key ?? (t as Record<string, unknown>).Key))
    : tags && typeof tags === 'object' ? Object.keys(tags) : [];
  const removed = i.tagKeys ?? i.TagKeys;
  return [...keys, ...(Array.isArray(removed) ? removed.map(String) : [])];
}

/**
 * The error codes the AWS SDK's standard retry strategy retries (throttling and transient errors), as in
 * `@smithy/service-error-classification`. The handler entries create their clients with `maxAttempts: 5`.
 */
const SDK_RETRIED = [
  'ThrottlingException', 'Throttling', 'TooManyRequestsException', 'LimitExceededException', 'RequestLimitExceeded',
  'RequestThrottled', 'RequestThrottledException', 'SlowDown', 'ProvisionedThroughputExceededException',
  'InternalFailure', 'InternalServerException', 'ServiceUnavailable', 'ServiceUnavailableException',
];
export const SDK_MAX_ATTEMPTS = 5;

/** The Node.js error codes of a dropped connection, which the SDK retries (`NODEJS_TIMEOUT_ERROR_CODES`). */
const DROPPED_CONNECTION = ['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT'];

/** Whether an error is a dropped connection, which the SDK's standard retry strategy attempts again. */
export function droppedConnection(err: unknown): boolean {
  return DROPPED_CONNECTION.includes((err as { code?: string } | undefined)?.code ?? '');
}

/** What the client sees when the connection drops after the service committed the request (`socket hang up`). */
export function lostResponseError(): Error {
  return Object.assign(new Error('socket hang up'), { code: 'ECONNRESET', $metadata: {} });
}

/** Set by `admit` while the request whose response a fake is to lose runs: records the loss. */
let pendingLoss: (() => void) | undefined;

/** Takes the loss `admit` set for the request that just ran, if any. */
function takePendingLoss(): (() => void) | undefined {
  const loss = pendingLoss;
  pendingLoss = undefined;
  return loss;
}

/**
 * One attempt of a request at a fake: the operation runs (and commits); when its fake was told to lose this
 * response (`FakeService.loseNextResponse`), the client sees a dropped connection instead of the answer.
 */
export async function attemptRequest<O>(operation: () => O | Promise<O>): Promise<O> {
  takePendingLoss();
  let running: O | Promise<O>;
  let lose: (() => void) | undefined;
  try {
    running = operation();
  } finally {
    // `admit`, the operation's first statement, runs synchronously: this is its request.
    lose = takePendingLoss();
  }
  const answer = await running;
  if (lose) {
    lose();
    throw lostResponseError();
  }
  return answer;
}

/** How a fake service names its errors (each API reference documents its own). */
export interface ServiceErrors {
  /** The throttling error, e.g. `ThrottlingException` (CodeArtifact) or `LimitExceededException` (Amplify). */
  readonly throttling: string;
  /** The error IAM denials surface as, e.g. `AccessDeniedException`. */
  readonly accessDenied: string;
  /** The error of an input the API refuses, e.g. `ValidationException` or `BadRequestException`. */
  readonly validation: string;
  /** The error of a missing resource, e.g. `ResourceNotFoundException` or `NotFoundException`. */
  readonly notFound: string;
}

/** What a fake records of each request it received. */
export interface FakeRequest {
  readonly operation: string;
  readonly write: boolean;
  readonly at: number;
  /** The error it answered with, if any. */
  readonly error?: string;
}

/**
 * The base of every stateful fake: one place that throttles, authorises and validates a request before the
 * operation touches the state, in the order the service does (throttling, then IAM, then validation).
 */
export abstract class FakeService {
  /**
   * Permissions that override the caller's for every request (tests of the fakes themselves); by default a
   * request has the permissions of the role whose credentials its client used.
   */
  public policy: Policy | undefined;
  /** Every request received, in order. */
  public readonly requests: FakeRequest[] = [];
  /** The operations whose response was lost after they committed (`loseNextResponse`), in order. */
  public readonly lostResponses: string[] = [];
  private throttled = 0;
  private losing: { readonly operation?: string } | undefined;
  private readonly hooks = new Map<string, Array<() => void>>();

  protected constructor(
    public readonly service: string,
    public readonly clock: VirtualClock,
    protected readonly errors: ServiceErrors,
    private readonly api: ApiConstraints | undefined,
  ) {}

  /** The next `count` requests (attempts, counting the SDK's retries) fail with the service's throttling error. */
  public throttleNext(count: number): void {
    this.throttled = count;
  }

  /**
   * The next request of `operation` (by default the next write) that succeeds commits, then its response is lost:
   * the client sees a dropped connection, which the SDK retries, so the service receives the request again.
   */
  public loseNextResponse(operation?: string): void {
    this.losing = { operation };
  }

  /** Cancels a `loseNextResponse` that has not happened yet. */
  public keepResponses(): void {
    this.losing = undefined;
  }

  /** Runs `change` just before the next request of `operation`: another actor changing the state concurrently. */
  public beforeNext(operation: string, change: () => void): void {
    this.hooks.set(operation, [...(this.hooks.get(operation) ?? []), change]);
  }

  /** The number of write requests that succeeded after `mark` (a length of `requests` taken earlier). */
  public writesSince(mark: number): number {
    return this.requests.slice(mark).filter(r => r.write && !r.error).length;
  }

  /** Lets time pass for the service's own asynchronous work (a job running, a certificate being issued). */
  public tick(): void {
    // Services without asynchronous work have nothing to do.
  }

  /** A plain copy of the whole state, for diffs in failure messages. */
  public abstract snapshot(): unknown;

  /**
   * Admits a request: throttles, checks the IAM action on the resource ARN and the input against the
   * constraint table, then records it. Operations call it first.
   */
  /**
   * @param also further permissions the operation needs, each an action and the resource it is checked on (an
   *   operation authorised on two resources, such as a copy from one repository to another)
   */
  protected admit(operation: string, input: object, action: string, resource: string, write: boolean,
    also: ReadonlyArray<readonly [string, string]> = []): void {
    const hooks = this.hooks.get(operation);
    if (hooks) {
      this.hooks.delete(operation);
      hooks.forEach(h => h());
    }
    const fail = (error: Error): never => {
      this.requests.push({ operation, write, at: this.clock.now(), error: error.name });
      throw error;
    };
    if (this.throttled > 0) {
      this.throttled--;
      fail(awsError(this.errors.throttling, 'Rate exceeded'));
    }
    const policy = this.policy ?? callerPolicy;
    const tagKeys = requestTagKeys(input);
    const denied = policy && [[action, resource] as const, ...also].find(([a, r]) => !allows(policy, a, r, tagKeys));
    if (denied) {
      fail(awsError(this.errors.accessDenied,
        `User: arn:aws:sts::123456789012:assumed-role/handler/fn is not authorized to perform: ${denied[0]} on resource: ${denied[1]}`));
    }
    if (this.api?.operations[operation]) {
      const problems = checkOperationInput(this.api, operation, input as Record<string, unknown>);
      if (problems.length > 0) fail(awsError(this.errors.validation, problems.join('; ')));
    }
    this.requests.push({ operation, write, at: this.clock.now() });
    const losing = this.losing;
    if (losing && (losing.operation === undefined ? write : losing.operation === operation)) {
      pendingLoss = () => {
        this.losing = undefined;
        this.lostResponses.push(operation);
      };
    }
  }

  protected notFound(what: string): Error {
    return awsError(this.errors.notFound, `${what} not found`);
  }

  protected conflict(name: string, message: string): Error {
    return awsError(name, message);
  }
}

/** An SDK command class, as `mock.on()` takes it. */
type CommandClass<I> = new (input: I) => { readonly input: I };

/** Options of `route`. */
export interface RouteOptions {
  /**
   * Whether the SDK signs the operation. An unsigned one (no auth scheme, like SSO OIDC's CreateToken) resolves no
   * credentials, so it works from a client without any, and no IAM policy applies to it.
   * @default true
   */
  readonly signed?: boolean;
}

/**
 * Routes a command of a mock to a fake operation, as the role whose credentials the client holds, with the SDK's
 * retries: a throttling or transient error, or a dropped connection, is attempted again up to `SDK_MAX_ATTEMPTS`
 * times (each attempt reaches the fake) before it reaches the handler, as with the clients the handler entries create.
 */
export function route<I extends object, O>(
  mock: AwsStub<any, any, any>, command: CommandClass<I>, operation: (input: I) => O | Promise<O>, options: RouteOptions = {},
): void {
  mock.on(command as any).callsFake(async (input: I, getClient: () => { config: { credentials?: () => Promise<{ accessKeyId?: string }> } }) => {
    const signed = options.signed ?? true;
    const policy = directory && signed ? directory.policyOf((await getClient().config.credentials?.())?.accessKeyId) : undefined;
    for (let attempt = 1; ; attempt++) {
      try {
        // Set just before the fake runs: its first statement, `admit`, reads it synchronously.
        callerPolicy = policy;
        return await attemptRequest(() => operation(input));
      } catch (err) {
        const name = (err as { name?: string }).name ?? '';
        if (attempt >= SDK_MAX_ATTEMPTS || !(SDK_RETRIED.includes(name) || droppedConnection(err))) throw err;
      }
    }
  });
}
