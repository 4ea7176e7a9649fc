import { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import { Duration } from 'aws-cdk-lib';
import * as cp from 'aws-cdk-lib/aws-codepipeline';
import { Construct } from 'constructs';
import { PipelineExecution, StageTransitionFreeze, TransitionDirection } from '../../src/codepipeline';
import { CODEPIPELINE_API } from '../../src/codepipeline/private/api-constraints';
import { EXECUTION_RESOURCE_TYPE, TRANSITION_FREEZE_RESOURCE_TYPE } from '../../src/codepipeline/private/handlers/contract';
import { executionIdOf } from '../../src/codepipeline/private/handlers/execution';
import {
  expectConsistent, FakeCodePipeline, handlerMocks, LifecycleDriver, lifecycleSuite, routedHandlers, sdkInputProblems, synthesizedPolicy,
  TemplateView, VirtualClock,
} from '../kit';

// The CloudFormation lifecycle of the CodePipeline control families, against a stateful fake of CodePipeline.
const [mock] = handlerMocks(CodePipelineClient);
const inputProblems = () => sdkInputProblems(mock, CODEPIPELINE_API);
const STAGES = ['Source', 'Build', 'Deploy'];

type P = Record<string, unknown>;
/** The pipeline the properties name, imported. */
const pipelineOf = (scope: Construct, p: P) => cp.Pipeline.fromPipelineArn(scope, 'Pipeline', FakeCodePipeline.pipelineArn(String(p.PipelineName)));
const seconds = (value: unknown) => (value === undefined ? undefined : Duration.seconds(Number(value)));

/** The kit role of a PipelineExecution built from the properties. */
const executionPolicy = synthesizedPolicy<P>(EXECUTION_RESOURCE_TYPE, (scope, p) => {
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
const freezePolicy = synthesizedPolicy<P>(TRANSITION_FREEZE_RESOURCE_TYPE, (scope, p) => {
  new StageTransitionFreeze(scope, 'Freeze', {
    pipeline: pipelineOf(scope, p),
    stageName: String(p.StageName),
    direction: p.TransitionType as TransitionDirection,
    reason: String(p.Reason),
  });
});

function fakes() {
  const clock = new VirtualClock().install();
  const codepipeline = new FakeCodePipeline(clock).wire(mock);
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
      handlers: routedHandlers(EXECUTION_RESOURCE_TYPE),
      clock: w.clock,
      fakes: [w.codepipeline],
      policy: executionPolicy,
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
      outOfBand: 'not recreated' as const,
      hold: () => {
        w.codepipeline.executionPlan = 'HANG';
        return () => { w.codepipeline.executionPlan = 'Succeeded'; };
      },
    };
  }

  lifecycleSuite({
    family: 'codepipeline execution',
    knownDefects: {
      'cancelled create':
        'Delete stops only the execution an id it returned names; CloudFormation\'s invented id names none, so the execution the cancelled Create started keeps running',
      'cancelled update: trigger':
        'the rollback Update to the old id answers "unchanged" and nothing stops the execution the cancelled Update started (its waiter stops it only at its own timeout)',
      'cancelled update: variables':
        'the rollback Update to the old id answers "unchanged" and nothing stops the execution the cancelled Update started (its waiter stops it only at its own timeout)',
      'cancelled update: other pipeline':
        'the rollback Update answers "unchanged", and the execution the cancelled Update started on the other pipeline keeps running (its waiter lost its role with the rollback)',
    },
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
});

describe('stage transition freeze', () => {
  const props = { PipelineName: 'release', StageName: 'Build', TransitionType: 'Outbound', Reason: 'Holiday freeze (CHG-1)' };
  function world() {
    const w = fakes();
    return {
      w,
      handlers: routedHandlers(TRANSITION_FREEZE_RESOURCE_TYPE),
      clock: w.clock,
      fakes: [w.codepipeline],
      policy: freezePolicy,
      // Exactly the transition the template names is disabled, with its reason; every other one is enabled.
      invariant: (view: TemplateView<Record<string, unknown>>) => [...w.codepipeline.pipelines.values()].flatMap(pipeline =>
        [...pipeline.transitions.entries()].flatMap(([key, t]) => {
          const ours = view.props !== undefined && pipeline.name === view.props.PipelineName && key === `${String(view.props.StageName)}/${String(view.props.TransitionType)}`;
          if (ours && (t.enabled || t.reason !== view.props!.Reason)) return [`${pipeline.name} ${key} is ${t.enabled ? 'enabled' : `disabled (${t.reason})`}, the template disables it: ${String(view.props!.Reason)}`];
          if (!ours && !t.enabled) return [`${pipeline.name} ${key} is left disabled (${t.reason})`];
          return [];
        })),
      inputProblems,
      removeOutOfBand: () => { w.codepipeline.pipelines.delete('release'); },
      outOfBand: 'not recreated' as const,
    };
  }

  lifecycleSuite({
    family: 'codepipeline stage transition freeze',
    knownDefects: {
      'cancelled create': 'Delete enables the transition only for its own id (freezePhysicalId); CloudFormation\'s invented id leaves it disabled',
      'cancelled update: direction':
        'the rollback Update disables the old transition again and nothing enables the one the cancelled Update disabled',
      'cancelled update: stage': 'the rollback Update disables the old transition again and nothing enables the one the cancelled Update disabled',
      'cancelled update: other pipeline':
        'the rollback Update disables the old transition again and nothing enables the one the cancelled Update disabled',
      'deleted outside the stack: update: reason':
        'with the pipeline gone, the rollback Update disables the old transition again and fails (PipelineNotFoundException): UPDATE_ROLLBACK_FAILED',
      'deleted outside the stack: update: direction':
        'with the pipeline gone, the rollback Update disables the old transition again and fails (PipelineNotFoundException): UPDATE_ROLLBACK_FAILED',
      'deleted outside the stack: update: stage':
        'with the pipeline gone, the rollback Update disables the old transition again and fails (PipelineNotFoundException): UPDATE_ROLLBACK_FAILED',
      'deleted outside the stack: rollback: reason':
        'with the pipeline gone, the rollback Update disables the old transition again and fails (PipelineNotFoundException): UPDATE_ROLLBACK_FAILED',
      'deleted outside the stack: rollback: direction':
        'with the pipeline gone, the rollback Update disables the old transition again and fails (PipelineNotFoundException): UPDATE_ROLLBACK_FAILED',
      'deleted outside the stack: rollback: stage':
        'with the pipeline gone, the rollback Update disables the old transition again and fails (PipelineNotFoundException): UPDATE_ROLLBACK_FAILED',
    },
    props,
    updates: [
      { name: 'reason', kind: 'in-place', props: { ...props, Reason: 'Audit (CHG-2)' } },
      { name: 'direction', kind: 'replacement', props: { ...props, TransitionType: 'Inbound' } },
      { name: 'stage', kind: 'replacement', props: { ...props, StageName: 'Deploy' } },
      { name: 'other pipeline', kind: 'replacement', props: { ...props, PipelineName: 'hotfix' } },
    ],
    world,
  });

  test('a transition someone disabled by hand is taken over, and enabled when the freeze goes', async () => {
    const spec = world();
    const driver = new LifecycleDriver(spec);
    spec.w.codepipeline.disableStageTransition({ pipelineName: 'release', stageName: 'Build', transitionType: 'Outbound', reason: 'by hand' });
    const created = await driver.deploy(props);
    expect(spec.w.codepipeline.pipelines.get('release')!.transitions.get('Build/Outbound')).toEqual({ enabled: false, reason: 'Holiday freeze (CHG-1)' });
    expectConsistent(driver, [created, await driver.destroy()]);
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
