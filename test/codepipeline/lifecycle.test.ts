import { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import { Duration, TimeZone } from 'aws-cdk-lib';
import * as cp from 'aws-cdk-lib/aws-codepipeline';
import { ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';
import { FakePipelineControl, recordSessions, restoreSessions } from './fake-pipeline-control';
import { PipelineExecution, StageTransitionFreeze, StageTransitionFreezeWindow, TransitionDirection } from '../../src/codepipeline';
import { CODEPIPELINE_API } from '../../src/codepipeline/private/api-constraints';
import { EXECUTION_FAMILY, FREEZE_WINDOW_FAMILY, TRANSITION_FREEZE_FAMILY } from '../../src/codepipeline/private/custom-resources/contract';
import { executionIdOf } from '../../src/codepipeline/private/custom-resources/execution';
import {
  expectConsistent, FakeCodePipeline, handlerMocks, LifecycleDriver, lifecycleSuite, routedHandlers, sdkInputProblems, synthesizedPolicy,
  TemplateView, VirtualClock,
} from '../kit';

// The CloudFormation lifecycle of the CodePipeline control families, against a stateful fake of CodePipeline.
const [mock] = handlerMocks(CodePipelineClient);
const inputProblems = () => sdkInputProblems(mock, CODEPIPELINE_API);
const STAGES = ['Source', 'Build', 'Deploy'];
beforeAll(recordSessions);
afterAll(restoreSessions);

type P = Record<string, unknown>;
/** The pipeline the properties name, imported. */
const pipelineOf = (scope: Construct, p: P) => cp.Pipeline.fromPipelineArn(scope, 'Pipeline', FakeCodePipeline.pipelineArn(String(p.PipelineName)));
const seconds = (value: unknown) => (value === undefined ? undefined : Duration.seconds(Number(value)));

/** The kit role of a PipelineExecution built from the properties. */
const executionPolicy = synthesizedPolicy<P>(EXECUTION_FAMILY.resourceType, (scope, p) => {
  new PipelineExecution(scope, 'Execution', {
    pipeline: pipelineOf(scope, p),
    trigger: p.Trigger as string | undefined,
    variables: p.Variables as Record<string, string> | undefined,
    waitForSuccess: p.Wait === true,
    timeout: seconds(p.TimeoutSeconds),
    pollInterval: seconds(p.PollIntervalSeconds),
  });
});

/** The kit role of a StageTransitionFreeze built from the properties. */
const freezePolicy = synthesizedPolicy<P>(TRANSITION_FREEZE_FAMILY.resourceType, (scope, p) => {
  new StageTransitionFreeze(scope, 'Freeze', {
    pipeline: pipelineOf(scope, p),
    stageName: String(p.StageName),
    direction: p.TransitionType as TransitionDirection,
    reason: String(p.Reason),
  });
});

/** The kit role of a StageTransitionFreezeWindow built from the properties. */
const windowPolicy = synthesizedPolicy<P>(FREEZE_WINDOW_FAMILY.resourceType, (scope, p) => {
  const at = (expression: unknown, timeZone: unknown) =>
    ScheduleExpression.expression(String(expression), timeZone === undefined ? undefined : TimeZone.of(String(timeZone)));
  new StageTransitionFreezeWindow(scope, 'Window', {
    pipeline: pipelineOf(scope, p),
    stageName: String(p.StageName),
    direction: p.TransitionType as TransitionDirection,
    reason: String(p.Reason),
    start: at(p.Start, p.StartTimeZone),
    end: at(p.End, p.EndTimeZone),
  });
});

function fakes() {
  const clock = new VirtualClock().install();
  const codepipeline = new FakePipelineControl(clock).wire(mock);
  codepipeline.addPipeline('release', STAGES, ['ENV']);
  codepipeline.addPipeline('hotfix', STAGES);
  return { clock, codepipeline };
}

describe('pipeline execution', () => {
  const props = { PipelineName: 'release', Trigger: 'v1', Wait: true, TimeoutSeconds: 900, PollIntervalSeconds: 30 };
  function world() {
    const w = fakes();
    return {
      w,
      handlers: routedHandlers(EXECUTION_FAMILY.resourceType),
      clock: w.clock,
      fakes: [w.codepipeline],
      policy: executionPolicy,
      // Nothing is left running (a rolled-back or timed-out execution is stopped), and the execution the physical id
      // names succeeded.
      invariant: (view: TemplateView<P>) => {
        const problems = ['release', 'hotfix'].flatMap(name => w.codepipeline.running(name)
          .map(e => `execution ${e.pipelineExecutionId} of ${name} is left ${e.status}`));
        if (view.props && w.codepipeline.pipelines.has(String(view.props.PipelineName))) {
          const id = executionIdOf(view.physicalId);
          const e = w.codepipeline.pipelines.get(String(view.props.PipelineName))!.executions.find(x => x.pipelineExecutionId === id);
          if (e?.status !== 'Succeeded') problems.push(`the physical id ${view.physicalId} names execution ${id}, which is ${e?.status ?? 'missing'}`);
        }
        return problems;
      },
      inputProblems,
      removeOutOfBand: () => { w.codepipeline.pipelines.delete('release'); },
      outOfBand: 'not recreated' as const,
      hold: () => {
        w.codepipeline.executionPlan = 'HANG';
        return () => { w.codepipeline.executionPlan = 'Succeeded'; };
      },
    };
  }

  lifecycleSuite({
    family: 'codepipeline execution',
    props,
    waits: true,
    updates: [
      { name: 'timeout', kind: 'no-op', props: { ...props, TimeoutSeconds: 1800 } },
      // A new trigger, new variables or another pipeline is a new run: a new execution, so a new physical id.
      { name: 'trigger', kind: 'replacement', props: { ...props, Trigger: 'v2' } },
      { name: 'variables', kind: 'replacement', props: { ...props, Variables: { ENV: 'prod' } } },
      { name: 'other pipeline', kind: 'replacement', props: { ...props, PipelineName: 'hotfix' } },
    ],
    world,
  });

  test('a failed execution fails the deployment with the failed stage and action, and the console link', async () => {
    const spec = world();
    const driver = new LifecycleDriver(spec);
    spec.w.codepipeline.executionPlan = 'Failed';
    const failed = await driver.deploy(props);
    expect(failed).toMatchObject({
      ok: false,
      error: expect.stringMatching(/the execution failed in stage \w+, action \w+Action: JobFailed: .*failed \(simulated\).*Read it at https:\/\/us-east-1\.console\.aws\.amazon\.com\/codesuite\/codepipeline\/pipelines\/release\/executions\/[0-9a-f-]+\/timeline/),
    });
    spec.w.codepipeline.executionPlan = 'Succeeded';
    expectConsistent(driver, [await driver.deploy(props)]);
  });

  test('an execution superseded by another start fails saying so', async () => {
    const spec = world();
    const driver = new LifecycleDriver(spec);
    spec.w.codepipeline.executionPlan = 'HANG';
    spec.w.codepipeline.beforeNext('GetPipelineExecution', () => {
      spec.w.codepipeline.executionPlan = 'Succeeded';
      spec.w.codepipeline.startPipelineExecution({ name: 'release' }); // a push to the source
    });
    const failed = await driver.deploy(props);
    expect(failed).toMatchObject({ ok: false, error: expect.stringMatching(/superseded by a newer execution/) });
  });

  test('without a wait, a rollback stops the execution the deployment started', async () => {
    const spec = world();
    const driver = new LifecycleDriver(spec);
    const noWait = { PipelineName: 'release', Trigger: 'v1', Wait: false };
    expectConsistent(driver, [await driver.deploy(noWait)]);
    spec.w.codepipeline.executionPlan = 'HANG';
    const rolledBack = await driver.deployThenRollback({ ...noWait, Trigger: 'v2' });
    expect(spec.w.codepipeline.pipelines.get('release')!.executions.map(e => e.status)).toEqual(['Succeeded', 'Stopped']);
    expect(spec.w.codepipeline.pipelines.get('release')!.executions[1].stopReason).toMatch(/rolled back/);
    expect(rolledBack.rollbackErrors).toEqual([]);
  });

  test('a cancelled Create stops the run it started, saying the deployment rolled back', async () => {
    const spec = world();
    const driver = new LifecycleDriver(spec);
    spec.w.codepipeline.executionPlan = 'HANG';
    const cancelled = await driver.deployCancelled(props, { pollsBeforeCancel: 3 });
    expect(cancelled.rollbackErrors).toEqual([]);
    const executions = spec.w.codepipeline.pipelines.get('release')!.executions;
    expect(executions.map(e => e.status)).toEqual(['Stopped']);
    expect(executions[0].stopReason).toMatch(/rolled back/);
  });

  test('the Delete of an id CloudFormation invented, for a Create that started nothing, stops no one else\'s run', async () => {
    const spec = world();
    const driver = new LifecycleDriver(spec);
    spec.w.codepipeline.executionPlan = 'HANG';
    spec.w.codepipeline.startPipelineExecution({ name: 'release' }); // a push to the source
    await driver.deleteDirectly(driver.inventedPhysicalId, props);
    expect(spec.w.codepipeline.running('release')).toHaveLength(1);
    expect(inputProblems()).toEqual([]);
  });
});

/** Exactly the transition the template names is disabled, with its reason; every other one is enabled; no record is left behind. */
function onlyTheTemplatesTransitionDisabled(w: ReturnType<typeof fakes>, view: TemplateView<P>): string[] {
  return [...w.codepipeline.pipelines.values()].flatMap(pipeline => [
    ...[...pipeline.transitions.entries()].flatMap(([key, t]) => {
      const ours = view.props !== undefined && pipeline.name === view.props.PipelineName && key === `${String(view.props.StageName)}/${String(view.props.TransitionType)}`;
      if (ours && (t.enabled || t.reason !== view.props!.Reason)) return [`${pipeline.name} ${key} is ${t.enabled ? 'enabled' : `disabled (${t.reason})`}, the template disables it: ${String(view.props!.Reason)}`];
      if (!ours && !t.enabled) return [`${pipeline.name} ${key} is left disabled (${t.reason})`];
      return [];
    }),
    ...(view.props === undefined || view.props.PipelineName !== pipeline.name) && (w.codepipeline.tags.get(pipeline.name)?.size ?? 0) > 0
      ? [`${pipeline.name} has freeze records left: ${[...w.codepipeline.tags.get(pipeline.name)!.keys()].join(', ')}`] : [],
  ]);
}

/** A world for a family that holds transitions (the freeze, the window), against the fake CodePipeline. */
function holderWorld(resourceType: string, policy: (p: P) => ReturnType<typeof freezePolicy>, w = fakes()) {
  return {
    w,
    handlers: routedHandlers(resourceType),
    clock: w.clock,
    fakes: [w.codepipeline],
    policy,
    invariant: (view: TemplateView<P>) => onlyTheTemplatesTransitionDisabled(w, view),
    inputProblems,
    // The pipeline is not the stack's to make again: an update may fail saying it is gone, never its rollback or the Delete.
    removeOutOfBand: () => { w.codepipeline.pipelines.delete('release'); },
    outOfBand: 'not recreated' as const,
  };
}

/** The updates of a holder: a new reason holds in place; another direction, stage or pipeline replaces it. */
function holderUpdates(props: P): Array<{ name: string; kind: 'in-place' | 'replacement'; props: P }> {
  return [
    { name: 'reason', kind: 'in-place', props: { ...props, Reason: 'Audit (CHG-2)' } },
    { name: 'direction', kind: 'replacement', props: { ...props, TransitionType: 'Inbound' } },
    { name: 'stage', kind: 'replacement', props: { ...props, StageName: 'Deploy' } },
    { name: 'other pipeline', kind: 'replacement', props: { ...props, PipelineName: 'hotfix' } },
  ];
}

describe('stage transition freeze', () => {
  const props = { PipelineName: 'release', StageName: 'Build', TransitionType: 'Outbound', Reason: 'Holiday freeze (CHG-1)' };
  const world = () => holderWorld(TRANSITION_FREEZE_FAMILY.resourceType, freezePolicy);

  lifecycleSuite({
    family: 'codepipeline stage transition freeze',
    props,
    updates: holderUpdates(props),
    world,
  });

  const transition = (w: ReturnType<typeof fakes>, key: string) => w.codepipeline.pipelines.get('release')!.transitions.get(key);

  test('an outbound transition someone disabled by hand is taken over, and enabled when the freeze goes (CodePipeline shows no outbound state)', async () => {
    const spec = world();
    const driver = new LifecycleDriver(spec);
    spec.w.codepipeline.disableStageTransition({ pipelineName: 'release', stageName: 'Build', transitionType: 'Outbound', reason: 'by hand' });
    const created = await driver.deploy(props);
    expect(transition(spec.w, 'Build/Outbound')).toEqual({ enabled: false, reason: 'Holiday freeze (CHG-1)' });
    expectConsistent(driver, [created, await driver.destroy()]);
  });

  test('a freeze created by an update that fails gives the inbound transition back as a person had disabled it', async () => {
    const spec = world();
    const driver = new LifecycleDriver(spec);
    const inbound = { ...props, TransitionType: 'Inbound' };
    spec.w.codepipeline.disableStageTransition({ pipelineName: 'release', stageName: 'Build', transitionType: 'Inbound', reason: 'Waiting for QA' });
    // The update creates the freeze, then another resource fails: the rollback deletes it.
    expect(await driver.deploy(inbound)).toMatchObject({ ok: true });
    expect(transition(spec.w, 'Build/Inbound')).toEqual({ enabled: false, reason: 'Holiday freeze (CHG-1)' });
    expect(await driver.destroy()).toMatchObject({ ok: true });
    expect(transition(spec.w, 'Build/Inbound')).toEqual({ enabled: false, reason: 'Waiting for QA' });
    expect(spec.w.codepipeline.tags.get('release')).toEqual(new Map());
    expect(inputProblems()).toEqual([]);
  });

  test('two freezes of one transition (e.g. of two stacks): it stays disabled until the last leaves', async () => {
    const spec = world();
    const holiday = new LifecycleDriver(spec, { logicalId: 'Holiday' });
    const audit = new LifecycleDriver(spec, { logicalId: 'Audit' });
    expect(await holiday.deploy(props)).toMatchObject({ ok: true });
    expect(await audit.deploy({ ...props, Reason: 'Audit (CHG-2)' })).toMatchObject({ ok: true });
    expect(await holiday.destroy()).toMatchObject({ ok: true });
    expect(transition(spec.w, 'Build/Outbound')).toEqual({ enabled: false, reason: 'Audit (CHG-2)' });
    expect(await audit.destroy()).toMatchObject({ ok: true });
    expect(transition(spec.w, 'Build/Outbound')).toEqual({ enabled: true, reason: undefined });
    expect(inputProblems()).toEqual([]);
  });

  test('a freeze moved to a new path (a new logical id): the old one\'s Delete leaves the transition to the new one', async () => {
    const spec = world();
    const before = new LifecycleDriver(spec, { logicalId: 'Freeze' });
    const after = new LifecycleDriver(spec, { logicalId: 'Holidays/Freeze' });
    expectConsistent(before, [await before.deploy(props)]);
    // CloudFormation creates the new resource, then deletes the old one in its clean-up.
    expect(await after.deploy(props)).toMatchObject({ ok: true });
    expect(await before.destroy()).toMatchObject({ ok: true });
    expectConsistent(after, []);
  });

  test('a stage removed from the pipeline before the freeze is deleted does not block the deletion', async () => {
    const spec = world();
    const driver = new LifecycleDriver(spec);
    const created = await driver.deploy(props);
    const pipeline = spec.w.codepipeline.pipelines.get('release')!;
    pipeline.transitions.delete('Build/Inbound');
    pipeline.transitions.delete('Build/Outbound');
    expectConsistent(driver, [created, await driver.destroy()]);
  });
});

describe('stage transition freeze window', () => {
  // Open from 2020 to 2099: the driver's clock starts in 2026.
  const props = {
    PipelineName: 'release',
    StageName: 'Build',
    TransitionType: 'Outbound',
    Reason: 'Holiday freeze (CHG-1)',
    Start: 'at(2020-01-01T00:00:00)',
    StartTimeZone: 'Europe/Berlin',
    End: 'at(2099-01-01T00:00:00)',
    EndTimeZone: 'Europe/Berlin',
  };
  const world = () => holderWorld(FREEZE_WINDOW_FAMILY.resourceType, windowPolicy);

  lifecycleSuite({
    family: 'codepipeline stage transition freeze window',
    props,
    updates: holderUpdates(props),
    world,
  });

  test('a window deployed while closed changes nothing, and opening it later (an update of its times) holds the transition', async () => {
    const spec = world();
    const driver = new LifecycleDriver(spec);
    const closed = { ...props, Start: 'at(2030-01-01T00:00:00)' };
    expect(await driver.deploy(closed)).toMatchObject({ ok: true });
    expect(spec.w.codepipeline.pipelines.get('release')!.transitions.get('Build/Outbound')).toEqual({ enabled: true });
    expect(spec.w.codepipeline.tags.get('release')?.size ?? 0).toBe(0);
    expectConsistent(driver, [await driver.deploy(props), await driver.destroy()]);
  });

  test('a window and a freeze on one transition: the window leaving leaves it to the freeze', async () => {
    const spec = world();
    const window = new LifecycleDriver(spec, { logicalId: 'Window' });
    // Another resource of the same stack: a freeze of the same transition.
    const freeze = new LifecycleDriver(holderWorld(TRANSITION_FREEZE_FAMILY.resourceType, freezePolicy, spec.w), { logicalId: 'Freeze' });
    const freezeProps = { PipelineName: 'release', StageName: 'Build', TransitionType: 'Outbound', Reason: 'Release freeze' };
    expect(await window.deploy(props)).toMatchObject({ ok: true });
    expect(await freeze.deploy(freezeProps)).toMatchObject({ ok: true });
    expect(await window.destroy()).toMatchObject({ ok: true });
    expect(spec.w.codepipeline.pipelines.get('release')!.transitions.get('Build/Outbound')).toEqual({ enabled: false, reason: 'Release freeze' });
    expect(await freeze.destroy()).toMatchObject({ ok: true });
    expect(spec.w.codepipeline.pipelines.get('release')!.transitions.get('Build/Outbound')).toEqual({ enabled: true, reason: undefined });
    expect(inputProblems()).toEqual([]);
  });
});
