import { createHash } from 'crypto';
import { DEFAULT_POLL_INTERVAL, queryIntervalOf, SERVICE_TIMEOUT } from '../../../src/core/custom-resource';
import { QUERY_INTERVAL_VARIABLE } from '../../../src/core/runtime/properties';
import type { IsCompleteRequest, IsCompleteResponse, OnEventRequest, OnEventResponse } from '../../../src/core/runtime/types';
import { asCloudFormationProperties } from '../events';
import { FakeIam } from './fakes/iam';
import { FakeService, Policy, VirtualClock } from './world';
import { handler as routeIsComplete } from '../../../src/provider/is-complete.lambda';
import { handler as routeOnEvent } from '../../../src/provider/on-event.lambda';

/**
 * Plays what CloudFormation and the custom-resource provider framework really send a handler family
 * (see the CloudFormation User Guide's custom-resource request pages and aws-cdk-lib's provider-framework runtime):
 * onEvent, then isComplete at the waiter's interval until complete or CloudFormation's `ServiceTimeout` runs out;
 * the physical id CloudFormation holds; replacement clean-up; update rollback; the framework's marker id after a
 * failed create.
 */

/** Custom-resource properties as a construct renders them (the driver turns them into strings). */
export type Props = Record<string, unknown>;

/** The provider framework's marker physical id for a Create whose onEvent failed (aws-cdk-lib cfn-response.ts). */
export const CREATE_FAILED_MARKER = 'AWSCDK::CustomResourceProviderFramework::CREATE_FAILED';

/** How CloudFormation fails a custom resource whose answer did not come within its `ServiceTimeout`. */
export const NO_RESPONSE = /did not receive a response/;

/** Virtual time between two ticks of the fakes (a job's step, a person's action): the services' clock, whatever the waiter's. */
const SERVICE_TICK_MS = 5000;

/** The functions of a handler family, called as the provider framework calls them. */
export interface FamilyHandlers {
  readonly resourceType: string;
  readonly onEvent: (event: OnEventRequest) => Promise<OnEventResponse>;
  readonly isComplete?: (event: IsCompleteRequest) => Promise<IsCompleteResponse>;
}

/** What the stack's template and CloudFormation hold for the resource after a stack operation. */
export interface TemplateView<P extends Props> {
  /** The properties in the template; undefined when the resource is not (or no longer) in the stack. */
  readonly props?: P;
  /** The physical id CloudFormation holds. */
  readonly physicalId?: string;
  /** The attributes (`Fn::GetAtt`) CloudFormation holds. */
  readonly attributes: Record<string, unknown>;
  /** Every set of properties this stack ever sent in a Create or Update, oldest first. */
  readonly history: readonly P[];
}

/** A handler family in a fresh world of fakes. */
export interface LifecycleWorld<P extends Props> {
  readonly handlers: FamilyHandlers;
  readonly clock: VirtualClock;
  readonly fakes: readonly FakeService[];
  /**
   * What the construct's kit role grants for these properties (a mirror of its statements). The driver names
   * the role in the properties (`RoleArn`) and keeps it while a template that names it is deployed, as
   * CloudFormation does with a role the custom resource depends on: created before, deleted after it.
   */
  readonly policy: (props: P) => Policy;
  /** Lists where the fakes' state differs from what the template says (empty: consistent). */
  readonly invariant: (view: TemplateView<P>) => string[];
  /** SDK inputs that break the module's constraint table (the kit's `sdkInputProblems` over the mocks). */
  readonly inputProblems: () => string[];
}

/** The result of one stack operation. */
export interface StackOutcome {
  /** Whether the stack operation ended as wanted (CREATE_COMPLETE, UPDATE_COMPLETE, DELETE_COMPLETE). */
  readonly ok: boolean;
  /** The handler's error that failed it. */
  readonly error?: string;
  /** Errors of clean-up Deletes, which CloudFormation ignores (the old resource is left behind). */
  readonly cleanupErrors: string[];
  /** Errors during a rollback (UPDATE_ROLLBACK_FAILED). */
  readonly rollbackErrors: string[];
}

interface Held<P extends Props> {
  readonly physicalId: string;
  readonly props: P;
  readonly attributes: Record<string, unknown>;
}

/** A failure of one request, with the physical id the provider framework reports with it. */
class RequestFailed extends Error {
  constructor(public readonly cause: unknown, public readonly physicalId: string) {
    super(cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause));
  }
}

/** Options of one stack operation. */
export interface OperationOptions {
  /** Called before each isComplete call with its number (1, 2, ...) and the wait's start: inject faults here. */
  readonly beforePoll?: (poll: number, waitStartedAt: number) => void;
}

/** Options of a rollback. */
export interface RollbackOptions {
  /**
   * After a replacement, CloudFormation goes back to the old physical id; whether it also sends that resource
   * an Update (old properties, `OldResourceProperties` the new ones) is not documented, so a handler must be
   * correct either way. With this option the driver sends it, before the rollback clean-up.
   */
  readonly updateOldAfterReplacement?: boolean;
}

/** Options of a cancelled stack operation (`deployCancelled`). */
export interface CancelOptions {
  /**
   * The isComplete calls the request gets before another resource fails and CloudFormation stops waiting for it.
   * A request whose waiter ended sooner (a family that does not wait) is cancelled before CloudFormation received
   * its answer. @default 1
   */
  readonly pollsBeforeCancel?: number;
  /** Called when CloudFormation cancels the request, before the rollback's first request. */
  readonly onCancel?: () => void;
}

/** A request whose onEvent answered, and its waiter, which polls isComplete until it ends. */
interface InFlight {
  /** The physical id the provider framework reports for it. */
  readonly physicalId: string;
  /** What the waiter sends isComplete; undefined when the family has none. */
  readonly request?: IsCompleteRequest;
  readonly startedAt: number;
  attributes: Record<string, unknown>;
  ended: boolean;
  error?: RequestFailed;
}

/** The suffix of the physical ids CloudFormation invents (`<stack>-<logicalId>-<SUFFIX>`); any 12 or 13 of A-Z0-9. */
export const INVENTED_ID_SUFFIX = '1A2B3C4D5E6F7';

/** The stack every driver plays (the StackId of its events). */
export const LIFECYCLE_STACK_ID = 'arn:aws:cloudformation:us-east-1:123456789012:stack/TestStack/00000000-0000-0000-0000-000000000000';

const BASE = {
  ResourceType: 'Custom::Test',
  LogicalResourceId: 'Resource',
  StackId: LIFECYCLE_STACK_ID,
};

/** A resource of the stack as CloudFormation's ListStackResources lists it. */
export interface StackResource {
  readonly LogicalResourceId: string;
  readonly PhysicalResourceId?: string;
  readonly ResourceType: string;
  readonly ResourceStatus: string;
}

/** The drivers of one stack: those of one world (its copies share the clock). */
const STACKS = new WeakMap<VirtualClock, Array<LifecycleDriver<any>>>();

/** The resources of the stack the drivers of a world play, as CloudFormation lists them. */
export function stackResources(clock: VirtualClock): StackResource[] {
  return (STACKS.get(clock) ?? []).flatMap(d => d.stackResource ? [d.stackResource] : []);
}

/** The stack's status as DescribeStacks reports it: that of the operation a driver of the world runs, else the last one's. */
export function stackStatus(clock: VirtualClock): string {
  const drivers = STACKS.get(clock) ?? [];
  return drivers.find(d => d.stackStatus.endsWith('_IN_PROGRESS'))?.stackStatus ?? drivers[drivers.length - 1]?.stackStatus ?? 'CREATE_COMPLETE';
}

/** Options of a driver. */
export interface DriverOptions {
  /**
   * The resource's logical id; drivers of one world with different ids are different resources of one stack
   * (a construct moved to a new path is a new logical id). @default 'Resource'
   */
  readonly logicalId?: string;
}

/** Plays stack operations against one custom resource of a family and tracks what CloudFormation holds. */
export class LifecycleDriver<P extends Props> {
  /** Every request sent to the handler, as `RequestType physicalId` lines, for failure messages. */
  public readonly trace: string[] = [];
  private held: Held<P> | undefined;
  private readonly roles = new WeakMap<P, string>();
  private readonly policies = new Map<string, Policy>();
  private readonly history: P[] = [];
  private requestCount = 0;

  /** The stack's kit roles and STS. */
  public readonly iam: FakeIam;

  private readonly logicalId: string;
  private deleting = false;
  /** The waiters of cancelled requests that have not ended. */
  private readonly cancelledWaiters: InFlight[] = [];
  /** The properties of the request in progress: the template being deployed names them. */
  private inFlight: P | undefined;
  /** Seconds from each request to its answer reaching CloudFormation, as `RequestType seconds` lines. */
  public readonly answers: string[] = [];
  /**
   * Whether the last `deployThenRollback`'s Update was answered with a new physical id: CloudFormation then treats
   * it as a replacement whatever changed, and its rollback goes back to the old id without a request to it.
   */
  public replacedByLastUpdate = false;
  /** The stack's status as DescribeStacks reports it while this driver's operation runs. */
  public stackStatus = 'CREATE_COMPLETE';

  constructor(public readonly world: LifecycleWorld<P>, options: DriverOptions = {}) {
    this.iam = FakeIam.of(world);
    this.logicalId = options.logicalId ?? 'Resource';
    STACKS.set(world.clock, [...(STACKS.get(world.clock) ?? []), this]);
  }

  /** The resource as ListStackResources shows it now, or undefined when the stack does not hold it. */
  public get stackResource(): StackResource | undefined {
    if (!this.held) return undefined;
    return {
      LogicalResourceId: this.logicalId,
      PhysicalResourceId: this.held.physicalId,
      ResourceType: this.world.handlers.resourceType,
      ResourceStatus: this.deleting ? 'DELETE_IN_PROGRESS' : 'CREATE_COMPLETE',
    };
  }

  /** What CloudFormation holds now. */
  public get view(): TemplateView<P> {
    return { props: this.held?.props, physicalId: this.held?.physicalId, attributes: this.held?.attributes ?? {}, history: [...this.history] };
  }

  /**
   * Creates the resource, or updates it when it exists (phase 1), then runs the clean-up phase (a Delete of
   * the old physical id when the update replaced it). A failed Create is rolled back with a Delete; a failed
   * Update with an Update back to the old properties.
   */
  public async deploy(props: P, options: OperationOptions = {}): Promise<StackOutcome> {
    this.stackStatus = this.held ? 'UPDATE_IN_PROGRESS' : 'CREATE_IN_PROGRESS';
    const cleanupErrors: string[] = [];
    const rollbackErrors: string[] = [];
    if (!this.held) {
      this.history.push(props);
      try {
        const done = await this.send('Create', props, undefined, undefined, options);
        this.held = { physicalId: done.physicalId, props, attributes: done.attributes };
        return this.finish({ ok: true, cleanupErrors, rollbackErrors });
      } catch (err) {
        const failed = err as RequestFailed;
        // ROLLBACK_IN_PROGRESS: the resource whose Create failed gets a Delete with the id the framework reported.
        this.stackStatus = 'ROLLBACK_IN_PROGRESS';
        try {
          await this.send('Delete', props, undefined, failed.physicalId);
        } catch (rollbackErr) {
          rollbackErrors.push((rollbackErr as Error).message);
        }
        return this.finish({ ok: false, error: failed.message, cleanupErrors, rollbackErrors });
      }
    }
    const old = this.held;
    this.history.push(props);
    let done: { physicalId: string; attributes: Record<string, unknown> };
    try {
      done = await this.send('Update', props, old.props, old.physicalId, options);
    } catch (err) {
      // UPDATE_ROLLBACK_IN_PROGRESS: the resource whose Update failed gets an Update back to its old properties.
      this.stackStatus = 'UPDATE_ROLLBACK_IN_PROGRESS';
      try {
        const back = await this.send('Update', old.props, props, old.physicalId);
        this.held = { physicalId: back.physicalId, props: old.props, attributes: back.attributes };
      } catch (rollbackErr) {
        rollbackErrors.push((rollbackErr as Error).message);
      }
      return this.finish({ ok: false, error: (err as Error).message, cleanupErrors, rollbackErrors });
    }
    this.held = { physicalId: done.physicalId, props, attributes: done.attributes };
    if (done.physicalId !== old.physicalId) {
      // UPDATE_COMPLETE_CLEANUP_IN_PROGRESS: the old id is deleted with its old properties (and so its old role,
      // deleted after it); a failed Delete here does not fail the update.
      try {
        await this.send('Delete', old.props, undefined, old.physicalId);
      } catch (err) {
        cleanupErrors.push((err as Error).message);
      }
    }
    return this.finish({ ok: true, cleanupErrors, rollbackErrors });
  }

  /**
   * Updates the resource (phase 1 succeeds), then another resource of the stack fails, so CloudFormation rolls
   * the update back: an Update back to the old properties when the physical id was kept, or, after a
   * replacement, a Delete of the new id in the rollback clean-up (CloudFormation returns to the old id, which
   * was never deleted). The old role was never deleted either, and the new one goes after the new resource.
   */
  public async deployThenRollback(props: P, options: RollbackOptions = {}): Promise<StackOutcome> {
    const old = this.held;
    if (!old) throw new Error('deployThenRollback needs a created resource');
    this.stackStatus = 'UPDATE_IN_PROGRESS';
    const rollbackErrors: string[] = [];
    this.history.push(props);
    let done: { physicalId: string; attributes: Record<string, unknown> };
    try {
      done = await this.send('Update', props, old.props, old.physicalId);
    } catch (err) {
      // The Update itself failed: CloudFormation rolls it back as after any failed Update.
      return this.rollBackFailed(props, old, err as RequestFailed);
    }
    this.replacedByLastUpdate = done.physicalId !== old.physicalId;
    this.stackStatus = 'UPDATE_ROLLBACK_IN_PROGRESS';
    try {
      if (done.physicalId === old.physicalId) {
        const back = await this.send('Update', old.props, props, old.physicalId);
        this.held = { physicalId: back.physicalId, props: old.props, attributes: back.attributes };
        if (back.physicalId !== old.physicalId) {
          // The rollback Update itself replaced the resource: the superseded id is deleted in the rollback clean-up.
          await this.send('Delete', props, undefined, old.physicalId);
        }
      } else {
        this.held = old;
        if (options.updateOldAfterReplacement) {
          const back = await this.send('Update', old.props, props, old.physicalId);
          this.held = { physicalId: back.physicalId, props: old.props, attributes: back.attributes };
          if (back.physicalId !== old.physicalId) {
            // The old resource was never deleted: answering its Update with another id means the handler replaced it.
            rollbackErrors.push(`the Update of the old resource returned a new physical id (${old.physicalId} -> ${back.physicalId})`);
          }
        }
        await this.send('Delete', props, undefined, done.physicalId);
      }
    } catch (err) {
      rollbackErrors.push((err as Error).message);
    }
    return this.finish({ ok: true, cleanupErrors: [], rollbackErrors });
  }

  /** Deletes the resource (removed from the template, or the stack deleted). */
  public async destroy(): Promise<StackOutcome> {
    const held = this.held;
    if (!held) throw new Error('destroy needs a created resource');
    this.deleting = true;
    try {
      await this.send('Delete', held.props, undefined, held.physicalId);
    } catch (err) {
      return this.finish({ ok: false, error: (err as Error).message, cleanupErrors: [], rollbackErrors: [] });
    } finally {
      this.deleting = false;
    }
    this.held = undefined;
    return this.finish({ ok: true, cleanupErrors: [], rollbackErrors: [] });
  }

  /**
   * Sends one Delete straight to the handler's onEvent, bypassing the provider framework (which itself
   * answers a Delete of `CREATE_FAILED_MARKER` without calling the handler).
   */
  public async deleteDirectly(physicalId: string, props: P): Promise<void> {
    await this.world.handlers.onEvent(this.event('Delete', props, undefined, physicalId));
  }

  /**
   * The physical id CloudFormation invents for a resource whose Create it cancelled, as aws-cdk-lib's custom-resources
   * README ("During Delete") describes it: `<stack name>-<logical id>-<suffix>`. A handler cannot tell it from
   * another resource's id, only that it names nothing it returned.
   */
  public get inventedPhysicalId(): string {
    return `${BASE.StackId.split('/')[1]}-${this.logicalId}-${INVENTED_ID_SUFFIX}`;
  }

  /**
   * Creates or updates the resource as `deploy` does, but another resource of the stack fails while this request
   * is in progress (after onEvent answered and `pollsBeforeCancel` isComplete calls), so CloudFormation stops
   * waiting and rolls back:
   * - a Create is deleted with an id CloudFormation invents (`inventedPhysicalId`) and the same properties, since
   *   CloudFormation never received the real one;
   * - an Update is rolled back with an Update of the id CloudFormation holds (the old one), the old properties as
   *   `ResourceProperties` and the new ones as `OldResourceProperties`.
   *
   * The provider framework's waiter of the cancelled request is not stopped: it keeps calling isComplete (beside
   * the rollback's requests, every query interval) until it ends, and its answer is ignored. It outlives the
   * stack operation (`settleCancelled`, `drainCancelled` let it poll on), so a role only the cancelled request
   * named is gone for its later calls.
   */
  public async deployCancelled(props: P, options: CancelOptions = {}): Promise<StackOutcome> {
    const old = this.held;
    this.stackStatus = old ? 'UPDATE_IN_PROGRESS' : 'CREATE_IN_PROGRESS';
    this.history.push(props);
    const cancelled = await this.begin(old ? 'Update' : 'Create', props, old?.props, old?.physicalId);
    if (cancelled.error) {
      // onEvent itself failed: CloudFormation had the answer before anything was cancelled, a plain failed request.
      return this.rollBackFailed(props, old, cancelled.error);
    }
    for (let poll = 0; poll < (options.pollsBeforeCancel ?? 1) && !cancelled.ended; poll++) {
      this.passTime(this.queryIntervalSeconds * 1000);
      await this.poll(cancelled);
    }
    options.onCancel?.();
    this.stackStatus = old ? 'UPDATE_ROLLBACK_IN_PROGRESS' : 'ROLLBACK_IN_PROGRESS';
    const rollbackErrors: string[] = [];
    const rollback = old
      ? await this.begin('Update', old.props, props, old.physicalId)
      : await this.begin('Delete', props, undefined, this.inventedPhysicalId);
    await this.waitFor(rollback, [cancelled, rollback]);
    if (rollback.error) {
      rollbackErrors.push(rollback.error.message);
    } else if (old) {
      this.held = { physicalId: rollback.physicalId, props: old.props, attributes: rollback.attributes };
      if (rollback.physicalId !== old.physicalId) {
        // The rollback Update replaced the resource: the superseded id is deleted in the rollback clean-up.
        const superseded = await this.begin('Delete', old.props, undefined, old.physicalId);
        await this.waitFor(superseded, [cancelled, superseded]);
        if (superseded.error) rollbackErrors.push(superseded.error.message);
      }
    }
    if (!cancelled.ended) this.cancelledWaiters.push(cancelled);
    return this.finish({ ok: false, error: old ? 'Resource update cancelled' : 'Resource creation cancelled', cleanupErrors: [], rollbackErrors });
  }

  /**
   * Lets three query intervals pass after a cancelled operation, the cancelled requests' waiters polling on, and
   * lists the invariant's problems then: what the stack left as CloudFormation reports the rollback complete.
   */
  public async settleCancelled(): Promise<string[]> {
    for (let i = 0; i < 3; i++) {
      this.passTime(this.queryIntervalSeconds * 1000);
      for (const waiter of this.cancelledWaiters.filter(w => !w.ended)) await this.poll(waiter);
    }
    return this.world.invariant(this.view);
  }

  /** Lets the waiters of cancelled requests poll until they end (their answers go nowhere). */
  public async drainCancelled(): Promise<void> {
    for (const waiter of this.cancelledWaiters.splice(0)) await this.waitFor(waiter, [waiter]);
  }

  /** Lets time pass (three ticks of the services) so that the services settle, then lists the invariant's problems. */
  public settleAndCheck(): string[] {
    this.passTime(3 * SERVICE_TICK_MS);
    return [...this.world.invariant(this.view), ...this.world.inputProblems().map(p => `SDK input outside the API's constraints: ${p}`)];
  }

  /** Advances the clock, letting each fake `tick()` at every service tick it passes. */
  private passTime(ms: number): void {
    const clock = this.world.clock;
    const end = clock.now() + ms;
    while (clock.now() < end) {
      const next = Math.min(end, (Math.floor(clock.now() / SERVICE_TICK_MS) + 1) * SERVICE_TICK_MS);
      clock.advance(next - clock.now());
      if (next % SERVICE_TICK_MS === 0) this.world.fakes.forEach(f => f.tick());
    }
  }

  /**
   * The waiter's interval in seconds, as the kit provider sets it: the shortest poll interval of the stack's waits
   * (a wait renders `PollIntervalSeconds` beside `TimeoutSeconds`, 30 by default), over what the template being
   * deployed names: the request in progress and what the stack's other resources hold.
   */
  public get queryIntervalSeconds(): number {
    const named = (STACKS.get(this.world.clock) ?? []).flatMap(d => [d.inFlight ?? d.held?.props]);
    return queryIntervalOf(named.filter((p): p is Props => p?.TimeoutSeconds !== undefined)
      .map(p => Number(p.PollIntervalSeconds ?? DEFAULT_POLL_INTERVAL.toSeconds())));
  }

  /**
   * The role a set of properties names: the role of their statements when the template with them was
   * synthesized (first seen), kept with them afterwards, as a deployed template keeps its `RoleArn`.
   */
  private roleOf(props: P): string {
    let arn = this.roles.get(props);
    if (!arn) {
      arn = FakeIam.roleArnOf(this.world.policy(props));
      this.roles.set(props, arn);
      this.policies.set(arn, this.world.policy(props));
    }
    return arn;
  }

  /** The properties as the construct renders them: with the ARN of their role, which exists while they are in play. */
  private withRole(props: P): Record<string, unknown> {
    const arn = this.roleOf(props);
    this.iam.put(this.policies.get(arn)!);
    return { ...props, RoleArn: arn };
  }

  /** The end of a stack operation: roles that no deployed template names any more are deleted. */
  private finish(outcome: StackOutcome): StackOutcome {
    this.iam.retain(this, this.held ? [this.roleOf(this.held.props)] : []);
    const rolledBack = this.stackStatus.includes('ROLLBACK_IN_PROGRESS');
    this.stackStatus = rolledBack ? this.stackStatus.replace('_IN_PROGRESS', '_COMPLETE') : this.held ? 'UPDATE_COMPLETE' : 'DELETE_COMPLETE';
    return outcome;
  }

  /** The rollback of a request whose onEvent failed: a Create deleted with the id the framework reported, an Update back. */
  private async rollBackFailed(props: P, old: Held<P> | undefined, failed: RequestFailed): Promise<StackOutcome> {
    const rollbackErrors: string[] = [];
    this.stackStatus = old ? 'UPDATE_ROLLBACK_IN_PROGRESS' : 'ROLLBACK_IN_PROGRESS';
    try {
      if (old) {
        const back = await this.send('Update', old.props, props, old.physicalId);
        this.held = { physicalId: back.physicalId, props: old.props, attributes: back.attributes };
      } else {
        await this.send('Delete', props, undefined, failed.physicalId);
      }
    } catch (err) {
      rollbackErrors.push((err as Error).message);
    }
    return this.finish({ ok: false, error: failed.message, cleanupErrors: [], rollbackErrors });
  }

  /**
   * Sends a request's onEvent as the provider framework does (the physical id defaulted: the request id on Create,
   * the old id otherwise; a Delete cannot change it) and returns it in flight, its waiter not yet started.
   */
  private async begin(type: OnEventRequest['RequestType'], props: P, oldProps: P | undefined, physicalId: string | undefined): Promise<InFlight> {
    const event = this.event(type, props, oldProps, physicalId);
    const startedAt = this.world.clock.now();
    const failed = (cause: unknown, id: string): InFlight => ({
      physicalId: id, startedAt, attributes: {}, ended: true, error: new RequestFailed(cause, id),
    });
    let response: OnEventResponse;
    try {
      response = await this.world.handlers.onEvent(event);
    } catch (err) {
      return failed(err, physicalId ?? CREATE_FAILED_MARKER);
    }
    const newId = response?.PhysicalResourceId ?? (type === 'Create' ? event.RequestId : physicalId!);
    if (type === 'Delete' && newId !== physicalId) {
      return failed(new Error(`DELETE: cannot change the physical resource ID from "${physicalId}" to "${newId}" during deletion`), physicalId!);
    }
    const request: IsCompleteRequest | undefined = this.world.handlers.isComplete ? { ...event, ...response, PhysicalResourceId: newId } : undefined;
    return { physicalId: newId, request, startedAt, attributes: { ...response?.Data }, ended: request === undefined };
  }

  /** One isComplete call of a waiter, with the provider framework's rules (its two-hour backstop, no Data while incomplete). */
  private async poll(flight: InFlight): Promise<void> {
    const end = (error?: unknown) => {
      flight.ended = true;
      if (error) flight.error = new RequestFailed(error, flight.physicalId);
    };
    if (this.world.clock.now() - flight.startedAt > 2 * 3600 * 1000) return end(new Error('Operation timed out (the provider framework\'s total timeout)'));
    let result: IsCompleteResponse;
    try {
      process.env[QUERY_INTERVAL_VARIABLE] = String(this.queryIntervalSeconds);
      result = await this.world.handlers.isComplete!(flight.request!);
    } catch (err) {
      return end(err);
    } finally {
      delete process.env[QUERY_INTERVAL_VARIABLE];
    }
    if (result.IsComplete) {
      flight.attributes = { ...flight.attributes, ...result.Data };
      return end();
    }
    if (result.Data && Object.keys(result.Data).length > 0) end(new Error('"Data" is not allowed if "IsComplete" is "False"'));
  }

  /** Lets the waiters of several requests poll side by side, every query interval, until `target` ends. */
  private async waitFor(target: InFlight, flights: InFlight[]): Promise<void> {
    while (!target.ended) {
      this.passTime(this.queryIntervalSeconds * 1000);
      for (const flight of flights) {
        if (!flight.ended) await this.poll(flight);
      }
    }
  }

  /**
   * The physical id CloudFormation gives a Create that never answered, `<stack>-<logicalId>-<suffix>` (aws-cdk-lib's
   * custom-resources README, "During Delete"): the handler never returned it, so it names nothing it made.
   */
  private inventedId(event: OnEventRequest): string {
    return `TestStack-${this.logicalId}-${createHash('sha256').update(event.RequestId).digest('hex').slice(0, 12).toUpperCase()}`;
  }

  private event(type: OnEventRequest['RequestType'], props: P, oldProps: P | undefined, physicalId: string | undefined): OnEventRequest {
    this.requestCount++;
    this.trace.push(`${type} ${physicalId ?? '(new)'}`);
    return {
      ...BASE,
      LogicalResourceId: this.logicalId,
      ResourceType: this.world.handlers.resourceType,
      RequestType: type,
      RequestId: `request-${this.requestCount}`,
      ...(physicalId !== undefined ? { PhysicalResourceId: physicalId } : {}),
      ResourceProperties: { ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:framework-onEvent', ...asCloudFormationProperties(this.withRole(props)) },
      ...(oldProps ? { OldResourceProperties: { ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:framework-onEvent', ...asCloudFormationProperties(this.withRole(oldProps)) } } : {}),
    };
  }

  /**
   * One request as the provider framework handles it: the marker Delete answered without the handler,
   * onEvent, the physical id defaulted (RequestId on Create, the old id otherwise), then isComplete at the
   * waiter's interval until complete. Throws `RequestFailed` with the id the framework reports, or, when no answer
   * came within `ServiceTimeout` of the request, as CloudFormation fails it: with the old id, or for a Create an id
   * CloudFormation invents, which the rollback's Delete then carries.
   */
  private async send(
    type: OnEventRequest['RequestType'], props: P, oldProps: P | undefined, physicalId: string | undefined, options: OperationOptions = {},
  ): Promise<{ physicalId: string; attributes: Record<string, unknown> }> {
    const event = this.event(type, props, oldProps, physicalId);
    if (type === 'Delete' && physicalId === CREATE_FAILED_MARKER) {
      return { physicalId, attributes: {} };
    }
    const requestedAt = this.world.clock.now();
    this.inFlight = type === 'Delete' ? undefined : props;
    try {
      const done = await this.provide(type, event, physicalId, requestedAt, options);
      this.answers.push(`${type} ${(this.world.clock.now() - requestedAt) / 1000}`);
      return done;
    } catch (err) {
      if (err instanceof RequestFailed) this.answers.push(`${type} ${(this.world.clock.now() - requestedAt) / 1000}`);
      throw err;
    } finally {
      this.inFlight = undefined;
    }
  }

  private async provide(
    type: OnEventRequest['RequestType'], event: OnEventRequest, physicalId: string | undefined, requestedAt: number, options: OperationOptions,
  ): Promise<{ physicalId: string; attributes: Record<string, unknown> }> {
    let response: OnEventResponse;
    try {
      response = await this.world.handlers.onEvent(event);
    } catch (err) {
      throw new RequestFailed(err, physicalId ?? CREATE_FAILED_MARKER);
    }
    const newId = response?.PhysicalResourceId ?? (type === 'Create' ? event.RequestId : physicalId!);
    if (type === 'Delete' && newId !== physicalId) {
      throw new RequestFailed(new Error(`DELETE: cannot change the physical resource ID from "${physicalId}" to "${newId}" during deletion`), physicalId!);
    }
    let attributes: Record<string, unknown> = { ...response?.Data };
    const isComplete = this.world.handlers.isComplete;
    if (!isComplete) return { physicalId: newId, attributes };
    const request: IsCompleteRequest = { ...event, ...response, PhysicalResourceId: newId };
    const startedAt = this.world.clock.now();
    const limitMs = Number(event.ResourceProperties.ServiceTimeout ?? SERVICE_TIMEOUT.toSeconds()) * 1000;
    for (let poll = 1; ; poll++) {
      const interval = this.queryIntervalSeconds;
      if (this.world.clock.now() + interval * 1000 - requestedAt > limitMs) {
        this.passTime(requestedAt + limitMs - this.world.clock.now());
        throw new RequestFailed(new Error('CloudFormation did not receive a response from the custom resource within its ServiceTimeout '
          + `(${limitMs / 1000} seconds)`), type === 'Create' ? this.inventedId(event) : physicalId!);
      }
      this.passTime(interval * 1000);
      options.beforePoll?.(poll, startedAt);
      let result: IsCompleteResponse;
      try {
        process.env[QUERY_INTERVAL_VARIABLE] = String(interval);
        result = await isComplete(request);
      } catch (err) {
        throw new RequestFailed(err, newId);
      } finally {
        delete process.env[QUERY_INTERVAL_VARIABLE];
      }
      if (result.IsComplete) {
        attributes = { ...attributes, ...result.Data };
        return { physicalId: newId, attributes };
      }
      if (result.Data && Object.keys(result.Data).length > 0) {
        throw new RequestFailed(new Error('"Data" is not allowed if "IsComplete" is "False"'), newId);
      }
    }
  }
}

/** A resource type's handlers as they deploy: behind the library's routing onEvent and isComplete. */
export function routedHandlers(resourceType: string): FamilyHandlers {
  return { resourceType, onEvent: event => routeOnEvent(event), isComplete: event => routeIsComplete(event) };
}
