import { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import { FakePipelineControl, recordSessions, restoreSessions } from './fake-pipeline-control';
import { CODEPIPELINE_API } from '../../src/codepipeline/private/api-constraints';
import { EXECUTION_RESOURCE_TYPE, FREEZE_WINDOW_RESOURCE_TYPE, TRANSITION_FREEZE_RESOURCE_TYPE } from '../../src/codepipeline/private/handlers/contract';
import { executionIdOf } from '../../src/codepipeline/private/handlers/execution';
import type { OnEventRequest, OnEventResponse } from '../../src/core/handlers/types';
import {
  asCloudFormationProperties, expectConsistent, FakeCodePipeline, FakeIam, handlerMocks, isCompleteEvent, LifecycleDriver, LifecycleWorld,
  lifecycleSuite, Policy, routedHandlers, sdkInputProblems, TemplateView, VirtualClock,
} from '../kit';

// The CloudFormation lifecycle of the CodePipeline control families, against a stateful fake of CodePipeline.
const [mock] = handlerMocks(CodePipelineClient);
const inputProblems = () => sdkInputProblems(mock, CODEPIPELINE_API);
const STAGES = ['Source', 'Build', 'Deploy'];
beforeAll(recordSessions);
afterAll(restoreSessions);

function fakes() {
  const clock = new VirtualClock().install();
  const codepipeline = new FakePipelineControl(clock).wire(mock);
  codepipeline.addPipeline('release', STAGES, ['ENV']);
  codepipeline.addPipeline('hotfix', STAGES);
  return { clock, codepipeline };
}

/** The stack the driver plays (its StackId and the resource's logical id). */
const STACK_ID = 'arn:aws:cloudformation:us-east-1:123456789012:stack/TestStack/00000000-0000-0000-0000-000000000000';
let requests = 0;

/**
 * One request as CloudFormation sends it outside the driver's sequences (a request it gives up on), with the role the
 * properties name, which the world's IAM creates as the driver would.
 */
function request(
  world: LifecycleWorld<Record<string, unknown>>, type: OnEventRequest['RequestType'], props: Record<string, unknown>,
  options: { physicalId?: string; oldProps?: Record<string, unknown>; resourceType?: string; logicalId?: string } = {},
): OnEventRequest {
  const iam = FakeIam.of(world);
  const withRole = (p: Record<string, unknown>) => ({
    ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:framework-onEvent',
    ...asCloudFormationProperties({ ...p, RoleArn: iam.put(world.policy(p)) }),
  });
  return {
    ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:framework-onEvent',
    ResponseURL: 'https://cloudformation-custom-resource-response-useast1.s3.amazonaws.com/response',
    StackId: STACK_ID,
    LogicalResourceId: options.logicalId ?? 'Resource',
    ResourceType: options.resourceType ?? world.handlers.resourceType,
    RequestType: type,
    RequestId: `cancelled-request-${++requests}`,
    ...(options.physicalId ? { PhysicalResourceId: options.physicalId } : {}),
    ResourceProperties: withRole(props),
    ...(options.oldProps ? { OldResourceProperties: withRole(options.oldProps) } : {}),
  } as OnEventRequest;
}

/** The provider framework polling a request `count` times, as CloudFormation waits before it gives up on it. */
async function pollTimes(
  world: LifecycleWorld<Record<string, unknown>>, event: OnEventRequest, response: OnEventResponse, count: number,
): Promise<void> {
  for (let i = 0; i < count; i++) {
    world.clock.advance(30_000);
    world.fakes.forEach(f => f.tick());
    expect(await world.handlers.isComplete!(isCompleteEvent(event, response))).toEqual({ IsComplete: false });
  }
}

/** CloudFormation's invented physical id for a Create it cancelled (`<stack>-<logicalId>-<suffix>`). */
const INVENTED_ID = 'TestStack-Resource-1A2B3C4D5E6F7';

describe('pipeline execution', () => {
  const props = { PipelineName: 'release', Trigger: 'v1', Wait: true, TimeoutSeconds: 900, PollIntervalSeconds: 30 };
  function world() {
    const w = fakes();
    return {
      w,
      handlers: routedHandlers(EXECUTION_RESOURCE_TYPE),
      clock: w.clock,
      fakes: [w.codepipeline],
      // pipeline-execution.ts: the six actions on the pipeline's ARN.
      policy: (p: Record<string, unknown>): Policy => [{
        actions: ['codepipeline:StartPipelineExecution', 'codepipeline:GetPipelineExecution', 'codepipeline:GetPipelineState',
          'codepipeline:ListActionExecutions', 'codepipeline:ListPipelineExecutions', 'codepipeline:StopPipelineExecution'],
        resources: [FakeCodePipeline.pipelineArn(String(p.PipelineName))],
      }],
      // Nothing is left running (a rolled-back or timed-out execution is stopped), and the execution the physical id
      // names succeeded.
      invariant: (view: TemplateView<Record<string, unknown>>) => {
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
      hold: () => { w.codepipeline.executionPlan = 'HANG'; },
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

  test('a Create cancelled by another resource\'s failure: the Delete of the invented id stops the run it started', async () => {
    const spec = world();
    spec.w.codepipeline.executionPlan = 'HANG';
    spec.w.codepipeline.startPipelineExecution({ name: 'release' }); // someone else's run, which stays
    const create = request(spec, 'Create', props);
    const started = await spec.handlers.onEvent(create);
    await pollTimes(spec, create, started, 3);
    // Another resource failed: CloudFormation stops waiting and rolls back with a Delete of an id it made up.
    expect(await spec.handlers.onEvent(request(spec, 'Delete', props, { physicalId: INVENTED_ID }))).toEqual({ PhysicalResourceId: INVENTED_ID });
    spec.w.codepipeline.tick();
    const executions = spec.w.codepipeline.pipelines.get('release')!.executions;
    expect(executions.map(e => e.status)).toEqual(['Superseded', 'Stopped']);
    expect(executions[1].stopReason).toMatch(/rolled back/);
    expect(inputProblems()).toEqual([]);
  });

  test('a Create cancelled before it started anything stops nothing', async () => {
    const spec = world();
    spec.w.codepipeline.executionPlan = 'HANG';
    spec.w.codepipeline.startPipelineExecution({ name: 'release' });
    await spec.handlers.onEvent(request(spec, 'Delete', props, { physicalId: INVENTED_ID }));
    expect(spec.w.codepipeline.running('release')).toHaveLength(1);
  });

  test('an Update cancelled by another resource\'s failure: the rollback Update of the old id stops the new run', async () => {
    const spec = world();
    const driver = new LifecycleDriver(spec);
    expectConsistent(driver, [await driver.deploy(props)]);
    const oldId = driver.view.physicalId!;
    spec.w.codepipeline.executionPlan = 'HANG';
    const next = { ...props, Trigger: 'v2' };
    const update = request(spec, 'Update', next, { physicalId: oldId, oldProps: props });
    const started = await spec.handlers.onEvent(update);
    expect(started.PhysicalResourceId).not.toBe(oldId);
    await pollTimes(spec, update, started, 3);
    // CloudFormation never learnt the new id: the rollback is an Update of the old id back to the old properties.
    const back = await spec.handlers.onEvent(request(spec, 'Update', props, { physicalId: oldId, oldProps: next }));
    expect(back.PhysicalResourceId).toBe(oldId);
    spec.w.codepipeline.tick();
    expect(spec.w.codepipeline.pipelines.get('release')!.executions.map(e => e.status)).toEqual(['Succeeded', 'Stopped']);
    expect(spec.w.codepipeline.running('release')).toEqual([]);
    expect(inputProblems()).toEqual([]);
  });

  test('an Update to another pipeline, cancelled: the rollback stops the run on that pipeline, with the new properties\' role', async () => {
    const spec = world();
    const driver = new LifecycleDriver(spec);
    expectConsistent(driver, [await driver.deploy(props)]);
    const oldId = driver.view.physicalId!;
    spec.w.codepipeline.executionPlan = 'HANG';
    const next = { ...props, PipelineName: 'hotfix' };
    const update = request(spec, 'Update', next, { physicalId: oldId, oldProps: props });
    await pollTimes(spec, update, await spec.handlers.onEvent(update), 2);
    await spec.handlers.onEvent(request(spec, 'Update', props, { physicalId: oldId, oldProps: next }));
    spec.w.codepipeline.tick();
    expect(spec.w.codepipeline.running('hotfix')).toEqual([]);
    expect(spec.w.codepipeline.pipelines.get('hotfix')!.executions.map(e => e.status)).toEqual(['Stopped']);
  });
});

/** Exactly the transition the template names is disabled, with its reason; every other one is enabled; no record is left behind. */
function onlyTheTemplatesTransitionDisabled(w: ReturnType<typeof fakes>, view: TemplateView<Record<string, unknown>>): string[] {
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
function holderWorld(resourceType: string) {
  const w = fakes();
  return {
    w,
    handlers: routedHandlers(resourceType),
    clock: w.clock,
    fakes: [w.codepipeline],
    policy: freezePolicy,
    invariant: (view: TemplateView<Record<string, unknown>>) => onlyTheTemplatesTransitionDisabled(w, view),
    inputProblems,
    removeOutOfBand: () => { w.codepipeline.pipelines.delete('release'); },
  };
}

/** The updates of a holder: a new reason holds in place; another direction, stage or pipeline replaces it. */
function holderUpdates(props: Record<string, unknown>): Array<{ name: string; kind: 'in-place' | 'replacement'; props: Record<string, unknown> }> {
  return [
    { name: 'reason', kind: 'in-place', props: { ...props, Reason: 'Audit (CHG-2)' } },
    { name: 'direction', kind: 'replacement', props: { ...props, TransitionType: 'Inbound' } },
    { name: 'stage', kind: 'replacement', props: { ...props, StageName: 'Deploy' } },
    { name: 'other pipeline', kind: 'replacement', props: { ...props, PipelineName: 'hotfix' } },
  ];
}

/** private/freeze-permissions.ts: the transition actions on the pipeline and its stage, the state and the record tags on the pipeline. */
function freezePolicy(p: Record<string, unknown>): Policy {
  const arn = FakeCodePipeline.pipelineArn(String(p.PipelineName));
  return [
    { actions: ['codepipeline:DisableStageTransition', 'codepipeline:EnableStageTransition'], resources: [arn, `${arn}/${String(p.StageName)}`] },
    { actions: ['codepipeline:GetPipelineState', 'codepipeline:ListTagsForResource'], resources: [arn] },
    { actions: ['codepipeline:TagResource', 'codepipeline:UntagResource'], resources: [arn] },
  ];
}

describe('stage transition freeze', () => {
  const props = { PipelineName: 'release', StageName: 'Build', TransitionType: 'Outbound', Reason: 'Holiday freeze (CHG-1)' };
  const world = () => holderWorld(TRANSITION_FREEZE_RESOURCE_TYPE);

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
  const world = () => holderWorld(FREEZE_WINDOW_RESOURCE_TYPE);

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
    const freezeProps = { PipelineName: 'release', StageName: 'Build', TransitionType: 'Outbound', Reason: 'Release freeze' };
    const freeze = (type: 'Create' | 'Delete') => routedHandlers(TRANSITION_FREEZE_RESOURCE_TYPE).onEvent(request(spec, type, freezeProps, {
      resourceType: TRANSITION_FREEZE_RESOURCE_TYPE, logicalId: 'Freeze', physicalId: type === 'Delete' ? 'release/Build/Outbound' : undefined,
    }));
    expect(await window.deploy(props)).toMatchObject({ ok: true });
    await freeze('Create');
    expect(await window.destroy()).toMatchObject({ ok: true });
    expect(spec.w.codepipeline.pipelines.get('release')!.transitions.get('Build/Outbound')).toEqual({ enabled: false, reason: 'Release freeze' });
    await freeze('Delete');
    expect(spec.w.codepipeline.pipelines.get('release')!.transitions.get('Build/Outbound')).toEqual({ enabled: true, reason: undefined });
    expect(inputProblems()).toEqual([]);
  });
});
