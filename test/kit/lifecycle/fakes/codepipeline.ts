import {
  ActionExecutionDetail, DisableStageTransitionCommand, DisableStageTransitionInput, EnableStageTransitionCommand, EnableStageTransitionInput,
  GetPipelineExecutionCommand, GetPipelineExecutionInput, GetPipelineExecutionOutput, GetPipelineStateCommand, GetPipelineStateInput,
  GetPipelineStateOutput, ListActionExecutionsCommand, ListActionExecutionsInput, ListActionExecutionsOutput, PipelineExecutionStatus,
  StartPipelineExecutionCommand, StartPipelineExecutionInput, StartPipelineExecutionOutput, StopPipelineExecutionCommand,
  StopPipelineExecutionInput, StopPipelineExecutionOutput,
} from '@aws-sdk/client-codepipeline';
import { AwsStub } from 'aws-sdk-client-mock';
import { CODEPIPELINE_API } from '../../../../src/codepipeline/private/api-constraints';
import { awsError } from '../../sdk';
import { FakeService, route, VirtualClock } from '../world';

const ACCOUNT = '123456789012';

/** How the executions StartPipelineExecution starts end: after `EXECUTION_TICKS` polls, or never (HANG). */
export type ExecutionPlan = 'Succeeded' | 'Failed' | 'HANG';
/** Polls an execution runs before it ends (one stage a poll). */
export const EXECUTION_TICKS = 3;

export interface FakeExecution {
  readonly pipelineExecutionId: string;
  status: PipelineExecutionStatus;
  readonly plan: ExecutionPlan;
  /** Polls left until the plan's end. */
  ticksLeft: number;
  readonly variables: Record<string, string>;
  readonly startedAt: number;
  stopReason?: string;
}

export interface FakeTransition {
  enabled: boolean;
  reason?: string;
}

export interface FakePipeline {
  readonly name: string;
  readonly stages: string[];
  /** The variables a V2 pipeline declares; StartPipelineExecution refuses others. */
  readonly variables: string[];
  readonly executions: FakeExecution[];
  /** By `<stage>/<Inbound|Outbound>`. */
  readonly transitions: Map<string, FakeTransition>;
  /** Client request tokens to the execution they started (StartPipelineExecution is idempotent per token). */
  readonly tokens: Map<string, string>;
}

/**
 * CodePipeline as the pipeline-control handlers see it: pipelines whose executions progress on each poll (`tick`)
 * and end as `executionPlan` says (a newer start supersedes a running one, as in SUPERSEDED mode), stop on
 * StopPipelineExecution (Stopping, then Stopped at the next poll), and transitions with their enabled state and
 * reason. IAM is checked on the pipeline ARN, and the transition actions on the stage (`<pipeline ARN>/<stage>`).
 */
export class FakeCodePipeline extends FakeService {
  public static pipelineArn(name: string): string {
    return `arn:aws:codepipeline:us-east-1:${ACCOUNT}:${name}`;
  }

  public readonly pipelines = new Map<string, FakePipeline>();
  public executionPlan: ExecutionPlan = 'Succeeded';
  private nextId = 1;

  constructor(clock: VirtualClock) {
    super('CodePipeline', clock, {
      throttling: 'ThrottlingException', accessDenied: 'AccessDeniedException', validation: 'ValidationException', notFound: 'PipelineNotFoundException',
    }, CODEPIPELINE_API);
  }

  public addPipeline(name: string, stages: string[], variables: string[] = []): FakePipeline {
    const transitions = new Map<string, FakeTransition>();
    for (const stage of stages) {
      transitions.set(`${stage}/Inbound`, { enabled: true });
      transitions.set(`${stage}/Outbound`, { enabled: true });
    }
    const pipeline: FakePipeline = { name, stages, variables, executions: [], transitions, tokens: new Map() };
    this.pipelines.set(name, pipeline);
    return pipeline;
  }

  /** Executions that have not ended. */
  public running(name: string): FakeExecution[] {
    return (this.pipelines.get(name)?.executions ?? []).filter(e => e.status === 'InProgress' || e.status === 'Stopping');
  }

  public override tick(): void {
    for (const pipeline of this.pipelines.values()) {
      for (const e of pipeline.executions) {
        if (e.status === 'Stopping') {
          e.status = 'Stopped';
        } else if (e.status === 'InProgress' && e.plan !== 'HANG') {
          e.ticksLeft--;
          if (e.ticksLeft <= 0) e.status = e.plan;
        }
      }
    }
  }

  public snapshot(): unknown {
    return [...this.pipelines.values()].map(p => ({
      name: p.name,
      executions: p.executions.map(e => ({ id: e.pipelineExecutionId, status: e.status, plan: e.plan })),
      disabled: [...p.transitions.entries()].filter(([, t]) => !t.enabled).map(([k, t]) => `${k}: ${t.reason}`),
    }));
  }

  public startPipelineExecution(input: StartPipelineExecutionInput): StartPipelineExecutionOutput {
    this.admit('StartPipelineExecution', input, 'codepipeline:StartPipelineExecution', FakeCodePipeline.pipelineArn(input.name ?? ''), true);
    const pipeline = this.pipeline(input.name);
    const known = input.clientRequestToken ? pipeline.tokens.get(input.clientRequestToken) : undefined;
    if (known) return { pipelineExecutionId: known };
    const undeclared = (input.variables ?? []).filter(v => !pipeline.variables.includes(v.name ?? ''));
    if (undeclared.length > 0) throw awsError('ValidationException', `Variables ${undeclared.map(v => v.name).join(', ')} are not declared by the pipeline`);
    // SUPERSEDED mode: a newer execution takes over from one still running.
    pipeline.executions.filter(e => e.status === 'InProgress').forEach(e => { e.status = 'Superseded'; });
    const id = `00000000-0000-4000-8000-${String(this.nextId++).padStart(12, '0')}`;
    pipeline.executions.push({
      pipelineExecutionId: id,
      status: 'InProgress',
      plan: this.executionPlan,
      ticksLeft: EXECUTION_TICKS,
      startedAt: this.clock.now(),
      variables: Object.fromEntries((input.variables ?? []).map(v => [v.name!, v.value!])),
    });
    if (input.clientRequestToken) pipeline.tokens.set(input.clientRequestToken, id);
    return { pipelineExecutionId: id };
  }

  public getPipelineExecution(input: GetPipelineExecutionInput): GetPipelineExecutionOutput {
    this.admit('GetPipelineExecution', input, 'codepipeline:GetPipelineExecution', FakeCodePipeline.pipelineArn(input.pipelineName ?? ''), false);
    const pipeline = this.pipeline(input.pipelineName);
    const e = this.execution(pipeline, input.pipelineExecutionId);
    return {
      pipelineExecution: { pipelineName: pipeline.name, pipelineExecutionId: e.pipelineExecutionId, status: e.status, statusSummary: e.stopReason },
    };
  }

  public stopPipelineExecution(input: StopPipelineExecutionInput): StopPipelineExecutionOutput {
    this.admit('StopPipelineExecution', input, 'codepipeline:StopPipelineExecution', FakeCodePipeline.pipelineArn(input.pipelineName ?? ''), true);
    const e = this.execution(this.pipeline(input.pipelineName), input.pipelineExecutionId);
    if (e.status === 'Stopping') throw awsError('DuplicatedStopRequestException', 'The execution is already being stopped');
    if (e.status !== 'InProgress') throw awsError('PipelineExecutionNotStoppableException', `Execution is ${e.status}`);
    e.status = input.abandon ? 'Stopped' : 'Stopping';
    e.stopReason = input.reason;
    return { pipelineExecutionId: e.pipelineExecutionId };
  }

  public listActionExecutions(input: ListActionExecutionsInput): ListActionExecutionsOutput {
    this.admit('ListActionExecutions', input, 'codepipeline:ListActionExecutions', FakeCodePipeline.pipelineArn(input.pipelineName ?? ''), false);
    const pipeline = this.pipeline(input.pipelineName);
    const details: ActionExecutionDetail[] = pipeline.executions
      .filter(e => !input.filter?.pipelineExecutionId || e.pipelineExecutionId === input.filter.pipelineExecutionId)
      .flatMap(e => this.actions(pipeline, e));
    return { actionExecutionDetails: details.slice(0, input.maxResults ?? 100) };
  }

  public getPipelineState(input: GetPipelineStateInput): GetPipelineStateOutput {
    this.admit('GetPipelineState', input, 'codepipeline:GetPipelineState', FakeCodePipeline.pipelineArn(input.name ?? ''), false);
    const pipeline = this.pipeline(input.name);
    const latest = pipeline.executions[pipeline.executions.length - 1];
    return {
      pipelineName: pipeline.name,
      stageStates: pipeline.stages.map(stageName => {
        const inbound = pipeline.transitions.get(`${stageName}/Inbound`)!;
        const action = latest ? this.actions(pipeline, latest).find(a => a.stageName === stageName) : undefined;
        return {
          stageName,
          inboundTransitionState: { enabled: inbound.enabled, disabledReason: inbound.reason },
          latestExecution: action && latest ? { pipelineExecutionId: latest.pipelineExecutionId, status: action.status === 'Failed' ? 'Failed' : 'Succeeded' } : undefined,
          actionStates: action ? [{
            actionName: action.actionName,
            latestExecution: { status: action.status, errorDetails: action.output?.executionResult?.errorDetails },
          }] : [],
        };
      }),
    };
  }

  public disableStageTransition(input: DisableStageTransitionInput): void {
    const transition = this.transition('DisableStageTransition', input, 'codepipeline:DisableStageTransition');
    transition.enabled = false;
    transition.reason = input.reason;
  }

  public enableStageTransition(input: EnableStageTransitionInput): void {
    const transition = this.transition('EnableStageTransition', input, 'codepipeline:EnableStageTransition');
    transition.enabled = true;
    transition.reason = undefined;
  }

  /** Routes the CodePipeline commands of a mock to this fake. */
  public wire(mock: AwsStub<any, any, any>): this {
    route(mock, StartPipelineExecutionCommand, input => this.startPipelineExecution(input));
    route(mock, GetPipelineExecutionCommand, input => this.getPipelineExecution(input));
    route(mock, StopPipelineExecutionCommand, input => this.stopPipelineExecution(input));
    route(mock, ListActionExecutionsCommand, input => this.listActionExecutions(input));
    route(mock, GetPipelineStateCommand, input => this.getPipelineState(input));
    route(mock, DisableStageTransitionCommand, input => { this.disableStageTransition(input); return {}; });
    route(mock, EnableStageTransitionCommand, input => { this.enableStageTransition(input); return {}; });
    return this;
  }

  private transition(operation: string, input: EnableStageTransitionInput, action: string): FakeTransition {
    this.admit(operation, input, action, `${FakeCodePipeline.pipelineArn(input.pipelineName ?? '')}/${input.stageName}`, true);
    const transition = this.pipeline(input.pipelineName).transitions.get(`${input.stageName}/${input.transitionType}`);
    if (!transition) throw awsError('StageNotFoundException', `Stage ${input.stageName} not found`);
    return transition;
  }

  /** One action per stage the execution reached: the last one Failed for a failed execution. */
  private actions(pipeline: FakePipeline, e: FakeExecution): ActionExecutionDetail[] {
    const reached = Math.min(pipeline.stages.length, EXECUTION_TICKS - e.ticksLeft + 1);
    return pipeline.stages.slice(0, reached).map((stageName, i) => {
      const failed = e.status === 'Failed' && i === reached - 1;
      return {
        pipelineExecutionId: e.pipelineExecutionId,
        stageName,
        actionName: `${stageName}Action`,
        status: failed ? 'Failed' : (i < reached - 1 || e.status === 'Succeeded' ? 'Succeeded' : 'InProgress'),
        output: failed ? { executionResult: { errorDetails: { code: 'JobFailed', message: `${stageName} failed (simulated)` } } } : undefined,
      };
    });
  }

  private pipeline(name: string | undefined): FakePipeline {
    const pipeline = this.pipelines.get(name ?? '');
    if (!pipeline) throw this.notFound(`Pipeline ${name}`);
    return pipeline;
  }

  private execution(pipeline: FakePipeline, id: string | undefined): FakeExecution {
    const e = pipeline.executions.find(x => x.pipelineExecutionId === id);
    if (!e) throw awsError('PipelineExecutionNotFoundException', `Execution ${id} not found`);
    return e;
  }
}
