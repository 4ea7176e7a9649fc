import { CREATE_FAILED_MARKER, LifecycleDriver, LifecycleWorld, Props, StackOutcome } from './driver';

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
  /** For families that wait: keeps the awaited thing from ever being ready (for the timeout sequences). */
  readonly hold?: (props: P) => void;
  /** A message pattern the handler's timeout error must match. @default /after \d+ seconds/ */
  readonly timeoutMessage?: RegExp;
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
] as const;

/** Fails with the trace, the outcome and the invariant's problems when a sequence went wrong. */
export function expectConsistent(driver: LifecycleDriver<any>, outcomes: StackOutcome[], expectOk = true): void {
  const problems = driver.settleAndCheck();
  const failedOps = expectOk ? outcomes.filter(o => !o.ok).map(o => `stack operation failed: ${o.error}`) : [];
  const ignored = outcomes.flatMap(o => [...o.cleanupErrors.map(e => `clean-up Delete failed (CloudFormation ignores it): ${e}`),
    ...o.rollbackErrors.map(e => `rollback failed: ${e}`)]);
  expect({ trace: driver.trace, problems: [...failedOps, ...ignored, ...problems] }).toEqual({ trace: driver.trace, problems: [] });
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
  });

  test(`${spec.family}: every known defect names a sequence`, () => {
    expect(Object.keys(defects).filter(name => !names.includes(name))).toEqual([]);
  });
}
