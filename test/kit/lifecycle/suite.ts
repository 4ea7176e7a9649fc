import * as fs from 'fs';
import { Duration } from 'aws-cdk-lib';
import { CREATE_FAILED_MARKER, LifecycleDriver, LifecycleWorld, NO_RESPONSE, Props, StackOutcome } from './driver';
import { AFTER_DEADLINE, MAX_POLL_INTERVAL, MAX_WAIT, SERVICE_TIMEOUT } from '../../../src/core/custom-resource';

/**
 * The standard sequences, after the CloudFormation CLI's resource contract tests, generated for one
 * handler family. Each sequence ends with the invariant check: the fakes' state is what the template now
 * says (nothing orphaned, nothing left blocking, a rollback restores the old state).
 */

/** How an update is meant to reach the service. */
export type UpdateKind =
  /** Nothing changes in the service (a wait's timeout, a removal policy); the physical id stays. */
  | 'no-op'
  /** The same thing changes; the physical id stays, so a rollback arrives as an Update back. */
  | 'in-place'
  /** Another thing: a new physical id, and CloudFormation deletes the old one in the clean-up phase. */
  | 'replacement';

export interface UpdateCase<P extends Props> {
  /** Names the sequences `update: <name>` and `rollback: <name>`. */
  readonly name: string;
  readonly kind: UpdateKind;
  readonly props: P;
}

/** A family's lifecycle contract. */
export interface LifecycleSpec<P extends Props> {
  /** The describe block's title, e.g. `amplify backend environment`. */
  readonly family: string;
  /** The properties the resource is created with. */
  readonly props: P;
  readonly updates: readonly UpdateCase<P>[];
  /** Whether the family waits (has isComplete with a deadline): adds the timeout sequences. */
  readonly waits?: boolean;
  /**
   * The longest poll interval the family's construct accepts (the `service timeout` sequence reads at it), when the
   * construct fixes its own. @default MAX_POLL_INTERVAL
   */
  readonly longestPollInterval?: Duration;
  /** A fresh world (fakes wired into the test file's mocks, virtual clock installed), made in each test. */
  readonly world: () => LifecycleWorld<P> & WorldControls<P>;
  /**
   * Sequences today's handler fails, by sequence name, with the defect. They run as `test.failing`, so the
   * suite stays green and flips to red (remove the entry) once the handler is fixed.
   */
  readonly knownDefects?: Readonly<Record<string, string>>;
}

/** What the standard sequences need to steer a family's world. */
export interface WorldControls<P extends Props> {
  /** Removes what the resource manages behind CloudFormation's back (for "delete when already gone"). */
  readonly removeOutOfBand: (props: P) => void;
  /**
   * For families that wait: keeps the awaited thing from ever being ready (for the timeout sequences), and returns
   * what lets later things progress again (the cancelled sequences hold the cancelled request's thing only: a real
   * one runs for minutes, a fake's a few polls). @default - nothing to release
   */
  readonly hold?: (props: P) => void | (() => void);
  /** A message pattern the handler's timeout error must match. @default /after \d+ seconds/ */
  readonly timeoutMessage?: RegExp;
  /**
   * What the family does once `removeOutOfBand` took its thing away, as its README says: `recreates` (an update
   * makes it again or adopts it, and succeeds) or `not recreated` (what it acts on is not the stack's to make, or
   * cannot be made again: an update may fail saying so, but never its rollback, and the resource still deletes).
   * @default 'recreates'
   */
  readonly outOfBand?: OutOfBand;
  /** What a cancelled Create or Update leaves behind by design, as the module README states. @default - nothing */
  readonly leftBehind?: LeftBehind;
  /**
   * The message of the way out when a Create whose response was lost fails and every redeploy fails too (the
   * orphan cannot be adopted), as the module README gives it. @default - a redeploy must succeed
   */
  readonly lostResponseWayOut?: RegExp;
}

/** What a family does when its thing was deleted outside the stack (see `WorldControls.outOfBand`). */
export type OutOfBand = 'recreates' | 'not recreated';

/** What a family leaves behind when CloudFormation cancels its Create or Update, by design. */
export interface LeftBehind {
  /** The module README (from the repository root) that says so. */
  readonly readme: string;
  /** The words of the README that say what stays (the suite checks they are there). */
  readonly says: string;
  /** The invariant's problems that the README's statement accounts for, accepted in the cancelled sequences only. */
  readonly problems: RegExp;
}

/** The sequence names a spec can list in `knownDefects` (plus `update: <name>` and `rollback: <name>`). */
export const SEQUENCES = [
  'create',
  'delete',
  'delete when already gone',
  'delete after a failed create',
  'failed-create marker reaching the handler',
  'throttling burst',
  'wait times out',
  'throttling at the wait deadline',
  'service timeout',
  'cancelled create',
  'lost create response',
] as const;

/**
 * The sequence names each update case adds (in-place and replacement cases only for the cancelled and
 * out-of-band ones): `update:`, `rollback:`, `rollback with an Update of the old id:` (replacements),
 * `cancelled update:`, `deleted outside the stack: update:` and `deleted outside the stack: rollback:`.
 */
export const UPDATE_SEQUENCES = [
  'update', 'rollback', 'rollback with an Update of the old id', 'cancelled update', 'deleted outside the stack: update',
  'deleted outside the stack: rollback',
] as const;

/** Fails with the trace, the outcome and the invariant's problems when a sequence went wrong. */
export function expectConsistent(driver: LifecycleDriver<any>, outcomes: StackOutcome[], expectOk = true): void {
  const problems = driver.settleAndCheck();
  expect({ trace: driver.trace, problems: [...outcomeProblems(outcomes, expectOk), ...problems] }).toEqual({ trace: driver.trace, problems: [] });
}

/** The failed stack operations (when they should have succeeded) and every clean-up and rollback error. */
function outcomeProblems(outcomes: StackOutcome[], expectOk: boolean): string[] {
  const failedOps = expectOk ? outcomes.filter(o => !o.ok).map(o => `stack operation failed: ${o.error}`) : [];
  const ignored = outcomes.flatMap(o => [...o.cleanupErrors.map(e => `clean-up Delete failed (CloudFormation ignores it): ${e}`),
    ...o.rollbackErrors.map(e => `rollback failed: ${e}`)]);
  return [...failedOps, ...ignored];
}

/**
 * `expectConsistent` after a cancelled operation: the invariant holds once CloudFormation's rollback completed
 * (three intervals later, the cancelled waiter polling on) and again once that waiter ended, except for what the
 * world's README says is left behind.
 */
async function expectConsistentAfterCancel(
  driver: LifecycleDriver<any>, outcomes: StackOutcome[], leftBehind: LeftBehind | undefined,
): Promise<void> {
  const unexplained = (problem: string) => !leftBehind?.problems.test(problem);
  const atRollbackEnd = (await driver.settleCancelled()).filter(unexplained).map(p => `when the rollback completed: ${p}`);
  await driver.drainCancelled();
  const afterWaiter = driver.settleAndCheck().filter(unexplained).map(p => `once the cancelled waiter ended: ${p}`);
  expect({ trace: driver.trace, problems: [...outcomeProblems(outcomes, false), ...atRollbackEnd, ...afterWaiter] })
    .toEqual({ trace: driver.trace, problems: [] });
}

/** An outcome whose failure a sequence allows: only its clean-up and rollback errors still count. */
function failureAllowed(outcome: StackOutcome): StackOutcome {
  return { ...outcome, ok: true };
}

/** The words of a README, whitespace folded, so that a statement may wrap anywhere. */
function readmeSays(leftBehind: LeftBehind): boolean {
  const fold = (text: string) => text.replace(/\s+/g, ' ');
  return fold(fs.readFileSync(leftBehind.readme, 'utf8')).includes(fold(leftBehind.says));
}

/**
 * After `removeOutOfBand` and a stack operation: a family that `recreates` ends consistent with the template; one
 * whose thing is `not recreated` may fail the update, but neither its rollback nor the resource's Delete may fail,
 * and the stack ends consistent once the resource is gone.
 */
async function expectRecovered<P extends Props>(
  driver: LifecycleDriver<P>, outOfBand: OutOfBand | undefined, created: StackOutcome, outcome: StackOutcome,
): Promise<void> {
  if (outOfBand !== 'not recreated') return expectConsistent(driver, [created, outcome]);
  const deleted = await driver.destroy();
  expectConsistent(driver, [created, failureAllowed(outcome), deleted]);
}

/**
 * A sequence today's handler fails because of `defect`: a `test.failing`, so the suite stays green and turns
 * red once the handler is fixed (then make it a plain `test`). With `LIFECYCLE_SHOW_DEFECTS=1` it runs as a
 * plain test, to read why it fails.
 */
export function knownDefect(name: string, defect: string, body: () => Promise<void>): void {
  const title = `${name} [known defect: ${defect}]`;
  if (process.env.LIFECYCLE_SHOW_DEFECTS === '1') test(title, body);
  else test.failing(title, body);
}

/** Generates the standard sequences of a spec as jest tests. */
export function lifecycleSuite<P extends Props>(spec: LifecycleSpec<P>): void {
  const defects = spec.knownDefects ?? {};
  const names: string[] = [];
  const sequence = (name: string, body: () => Promise<void>) => {
    names.push(name);
    const defect = defects[name];
    if (defect) knownDefect(name, defect, body);
    else test(name, body);
  };

  describe(`${spec.family} lifecycle`, () => {
    sequence('create', async () => {
      const driver = new LifecycleDriver(spec.world());
      expectConsistent(driver, [await driver.deploy(spec.props)]);
    });

    for (const update of spec.updates) {
      sequence(`update: ${update.name}`, async () => {
        const world = spec.world();
        const driver = new LifecycleDriver(world);
        const created = await driver.deploy(spec.props);
        const before = driver.view.physicalId;
        const marks = world.fakes.map(f => f.requests.length);
        const updated = await driver.deploy(update.props);
        const kept = driver.view.physicalId === before;
        const writes = world.fakes.reduce((n, f, i) => n + f.writesSince(marks[i]), 0);
        expect({ kind: update.kind, physicalIdKept: kept, ...(update.kind === 'no-op' ? { writes } : {}) })
          .toEqual({ kind: update.kind, physicalIdKept: update.kind !== 'replacement', ...(update.kind === 'no-op' ? { writes: 0 } : {}) });
        expectConsistent(driver, [created, updated]);
      });

      sequence(`rollback: ${update.name}`, async () => {
        const driver = new LifecycleDriver(spec.world());
        const created = await driver.deploy(spec.props);
        const rolledBack = await driver.deployThenRollback(update.props);
        expect(driver.view.props).toBe(spec.props);
        expectConsistent(driver, [created, rolledBack]);
      });

      if (update.kind !== 'no-op') {
        sequence(`cancelled update: ${update.name}`, async () => {
          // Another resource fails while the Update is in progress: CloudFormation rolls back with an Update of the id
          // it holds to the old properties, while the cancelled Update's waiter polls on. The state is the old one.
          const world = spec.world();
          const driver = new LifecycleDriver(world);
          const created = await driver.deploy(spec.props);
          expect(created.ok).toBe(true);
          const release = world.hold?.(update.props);
          const cancelled = await driver.deployCancelled(update.props, { onCancel: () => release?.() });
          expect({ error: cancelled.error, props: driver.view.props }).toEqual({ error: 'Resource update cancelled', props: spec.props });
          await expectConsistentAfterCancel(driver, [created, cancelled], world.leftBehind);
        });
      }

      sequence(`deleted outside the stack: update: ${update.name}`, async () => {
        const world = spec.world();
        const driver = new LifecycleDriver(world);
        const created = await driver.deploy(spec.props);
        world.removeOutOfBand(spec.props);
        await expectRecovered(driver, world.outOfBand, created, await driver.deploy(update.props));
      });

      sequence(`deleted outside the stack: rollback: ${update.name}`, async () => {
        const world = spec.world();
        const driver = new LifecycleDriver(world);
        const created = await driver.deploy(spec.props);
        world.removeOutOfBand(spec.props);
        const rolledBack = await driver.deployThenRollback(update.props);
        expect(driver.view.props).toBe(spec.props);
        // After a replacement (also an in-place change the handler answered with a new id, as when it made the thing
        // again), CloudFormation goes back to the old id without a request to it: nothing could have made the old
        // thing again, so the stack need only get out cleanly; the next deployment makes it again.
        const replaced = update.kind === 'replacement' || driver.replacedByLastUpdate;
        await expectRecovered(driver, replaced ? 'not recreated' : world.outOfBand, created, rolledBack);
      });
    }

    sequence('update: permissions only', async () => {
      // A new release of the construct changes its statements and nothing else: the template names another
      // kit role and CloudFormation sends an Update whose only change is RoleArn. It must change nothing.
      const world = spec.world();
      let widened = false;
      const driver = new LifecycleDriver({
        ...world,
        policy: p => [...world.policy(p), ...(widened ? [{ actions: ['sts:GetCallerIdentity'], resources: ['*'] }] : [])],
      });
      const created = await driver.deploy(spec.props);
      const before = driver.view.physicalId;
      const marks = world.fakes.map(f => f.requests.length);
      widened = true;
      const updated = await driver.deploy({ ...spec.props });
      const writes = world.fakes.reduce((n, f, i) => n + f.writesSince(marks[i]), 0);
      expect({ physicalIdKept: driver.view.physicalId === before, writes }).toEqual({ physicalIdKept: true, writes: 0 });
      expectConsistent(driver, [created, updated]);
    });

    for (const update of spec.updates.filter(u => u.kind === 'replacement')) {
      sequence(`rollback with an Update of the old id: ${update.name}`, async () => {
        const driver = new LifecycleDriver(spec.world());
        const created = await driver.deploy(spec.props);
        const rolledBack = await driver.deployThenRollback(update.props, { updateOldAfterReplacement: true });
        expect(driver.view.props).toBe(spec.props);
        expectConsistent(driver, [created, rolledBack]);
      });
    }

    sequence('delete', async () => {
      const driver = new LifecycleDriver(spec.world());
      const created = await driver.deploy(spec.props);
      expectConsistent(driver, [created, await driver.destroy()]);
    });

    sequence('delete when already gone', async () => {
      const world = spec.world();
      const driver = new LifecycleDriver(world);
      const created = await driver.deploy(spec.props);
      world.removeOutOfBand(spec.props);
      expectConsistent(driver, [created, await driver.destroy()]);
    });

    sequence('delete after a failed create', async () => {
      // The new policy is not in force yet (IAM is eventually consistent): the Create fails with access denied
      // and CloudFormation deletes the resource with whatever id the provider framework reported.
      const world = spec.world();
      const driver = new LifecycleDriver({ ...world, policy: () => [] });
      const outcome = await driver.deploy(spec.props);
      expect(outcome.ok).toBe(false);
      expect(driver.view.physicalId).toBeUndefined();
      expectConsistent(driver, [outcome], false);
    });

    sequence('cancelled create', async () => {
      // Another resource fails while the Create is in progress: CloudFormation stops waiting and deletes the resource
      // under an id it invents, with the same properties, while the Create's waiter polls on. Nothing it started stays.
      const world = spec.world();
      if (world.leftBehind) {
        expect({ readme: world.leftBehind.readme, says: readmeSays(world.leftBehind) }).toEqual({ readme: world.leftBehind.readme, says: true });
      }
      const driver = new LifecycleDriver(world);
      const release = world.hold?.(spec.props);
      const outcome = await driver.deployCancelled(spec.props, { onCancel: () => release?.() });
      expect({ error: outcome.error, physicalId: driver.view.physicalId }).toEqual({ error: 'Resource creation cancelled', physicalId: undefined });
      expect(driver.trace).toContain(`Delete ${driver.inventedPhysicalId}`);
      await expectConsistentAfterCancel(driver, [outcome], world.leftBehind);
    });

    sequence('lost create response', async () => {
      // The service commits the Create's first write, then the connection drops: the SDK sends it again. The Create
      // adopts what it made, or fails; then a redeploy must succeed, or both must give the README's way out.
      const world = spec.world();
      const driver = new LifecycleDriver(world);
      world.fakes.forEach(f => f.loseNextResponse());
      const first = await driver.deploy(spec.props);
      world.fakes.forEach(f => f.keepResponses());
      if (first.ok) return expectConsistent(driver, [first]);
      const second = await driver.deploy(spec.props);
      const wayOut = (o: StackOutcome) => world.lostResponseWayOut?.test(o.error ?? '') === true;
      if (!second.ok && wayOut(first) && wayOut(second)) return;
      expectConsistent(driver, [failureAllowed(first), second]);
    });

    sequence('failed-create marker reaching the handler', async () => {
      // The provider framework answers this Delete itself; a handler must still treat it as "nothing was created".
      const world = spec.world();
      const driver = new LifecycleDriver(world);
      await driver.deleteDirectly(CREATE_FAILED_MARKER, spec.props);
      expect(world.fakes.reduce((n, f) => n + f.writesSince(0), 0)).toBe(0);
      expectConsistent(driver, []);
    });

    sequence('throttling burst', async () => {
      // Four throttles at once fit in one call's SDK retries; during a wait, twelve more outlast them, so the
      // handler itself sees throttling on two polls.
      const world = spec.world();
      const driver = new LifecycleDriver(world);
      world.fakes.forEach(f => f.throttleNext(4));
      const outcome = await driver.deploy(spec.props, { beforePoll: poll => { if (poll === 1) world.fakes.forEach(f => f.throttleNext(12)); } });
      expectConsistent(driver, [outcome]);
    });

    if (!spec.waits) return;
    sequence('wait times out', async () => {
      const world = spec.world();
      if (!world.hold) throw new Error(`${spec.family} waits: its world needs hold()`);
      const driver = new LifecycleDriver(world);
      world.hold(spec.props);
      const outcome = await driver.deploy(spec.props);
      expect(outcome.ok).toBe(false);
      expect(outcome.error).toMatch(world.timeoutMessage ?? /after \d+ seconds/);
      expectConsistent(driver, [outcome], false);
    });

    sequence('throttling at the wait deadline', async () => {
      const world = spec.world();
      if (!world.hold) throw new Error(`${spec.family} waits: its world needs hold()`);
      const driver = new LifecycleDriver(world);
      world.hold(spec.props);
      const timeoutMs = Number(spec.props.TimeoutSeconds) * 1000;
      const outcome = await driver.deploy(spec.props, {
        beforePoll: (_poll, startedAt) => {
          if (world.clock.now() - startedAt >= timeoutMs) world.fakes.forEach(f => f.throttleNext(1000));
        },
      });
      expect(outcome.ok).toBe(false);
      // Throttling is no permissions problem: the message must say to retry, not to check permissions.
      expect(outcome.error).toMatch(/throttl|rate exceeded|retry/i);
      expect(outcome.error).not.toMatch(/permission/i);
    });

    sequence('service timeout', async () => {
      // The longest wait a construct accepts, read at the longest poll interval: the family's own explanation (and
      // its clean-up) must reach CloudFormation before its ServiceTimeout, not CloudFormation's "no response".
      // Answered by the deadline plus one poll, the answer leaves free what the kit reserves for the calls' own
      // time, the framework's hand-off and the margin (AFTER_DEADLINE beyond the poll).
      const world = spec.world();
      const poll = spec.longestPollInterval ?? MAX_POLL_INTERVAL;
      if (!world.hold) throw new Error(`${spec.family} waits: its world needs hold()`);
      const driver = new LifecycleDriver(world);
      world.hold(spec.props);
      const outcome = await driver.deploy({
        ...spec.props,
        TimeoutSeconds: MAX_WAIT.toSeconds(),
        PollIntervalSeconds: poll.toSeconds(),
        ServiceTimeout: String(SERVICE_TIMEOUT.toSeconds()),
      });
      expect(outcome.ok).toBe(false);
      expect(outcome.error).not.toMatch(NO_RESPONSE);
      expect(outcome.error).toMatch(world.timeoutMessage ?? /after \d+ seconds/);
      const answeredAfter = Number(driver.answers[0].split(' ')[1]);
      expect(answeredAfter).toBeLessThanOrEqual(SERVICE_TIMEOUT.minus(AFTER_DEADLINE).plus(poll).toSeconds());
      expectConsistent(driver, [outcome], false);
    });
  });

  test(`${spec.family}: every known defect names a sequence`, () => {
    expect(Object.keys(defects).filter(name => !names.includes(name))).toEqual([]);
  });
}
