/**
 * The properties and attributes shared by the CodePipeline custom resources and their handlers: the constructs
 * build the properties as these interfaces and read the attributes by these names; the handlers read the
 * properties only through the `parse…Properties` functions and return the attributes by the same names.
 * Resource type names, property and attribute names are part of deployed stacks: never rename them.
 */
import { optionalString, parseBoolean, requireString } from '../../../core/runtime/handler';

export const EXECUTION_RESOURCE_TYPE = 'Custom::CdkDevtoolsCodePipelineExecution';

/** What `PipelineExecution` sends its handlers (the wait's bounds are the kit's properties). */
export interface ExecutionProperties {
  readonly PipelineName: string;
  /** Any change starts a new execution. */
  readonly Trigger: string;
  /** Pipeline-level variables for the execution, by name. */
  readonly Variables?: Record<string, string>;
  /** 'true' or 'false' (CloudFormation sends booleans as strings). */
  readonly Wait: string;
}

/** An execution's properties as its handlers use them. */
export interface ExecutionRequest {
  readonly pipelineName: string;
  readonly trigger: string;
  readonly variables: Record<string, string>;
  readonly wait: boolean;
}

/** The execution's properties as its handlers receive them; fails on a missing pipeline name. */
export function parseExecutionProperties(props: Record<string, unknown>): ExecutionRequest {
  const raw = props.Variables;
  const variables: Record<string, string> = {};
  if (raw !== undefined && raw !== '') {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      throw new Error('internal error: property Variables should be a map of names to values; upgrade cdk-devtools and redeploy');
    }
    for (const [name, value] of Object.entries(raw)) variables[name] = String(value);
  }
  return {
    pipelineName: requireString(props, 'PipelineName'),
    trigger: String(props.Trigger ?? ''),
    variables,
    wait: parseBoolean(props, 'Wait', false),
  };
}

/** The attributes (`Data`) an execution returns, by the names the construct and its wait read them with. */
export const EXECUTION_ATTRIBUTES = {
  pipelineName: 'PipelineName',
  executionId: 'PipelineExecutionId',
  status: 'Status',
  consoleUrl: 'ConsoleUrl',
  /** 'true' when isComplete waits for the execution. */
  watch: 'Watch',
} as const;

export const TRANSITION_FREEZE_RESOURCE_TYPE = 'Custom::CdkDevtoolsCodePipelineTransitionFreeze';

/** The two transitions of a stage, as the API names them. */
export const TRANSITION_TYPES = ['Inbound', 'Outbound'] as const;
export type TransitionType = typeof TRANSITION_TYPES[number];

/** What `StageTransitionFreeze` sends its handler. */
export interface TransitionFreezeProperties {
  readonly PipelineName: string;
  readonly StageName: string;
  readonly TransitionType: TransitionType;
  readonly Reason: string;
}

/** The freeze's properties as its handler receives them. */
export function parseTransitionFreezeProperties(props: Record<string, unknown>): TransitionFreezeProperties {
  const type = requireString(props, 'TransitionType');
  if (!(TRANSITION_TYPES as readonly string[]).includes(type)) {
    throw new Error(`internal error: property TransitionType should be one of ${TRANSITION_TYPES.join(', ')}, got '${type}'; upgrade cdk-devtools and redeploy`);
  }
  return {
    PipelineName: requireString(props, 'PipelineName'),
    StageName: requireString(props, 'StageName'),
    TransitionType: type as TransitionType,
    Reason: optionalString(props, 'Reason') ?? 'Frozen by cdk-devtools',
  };
}

/** The prefix of the pipeline tags that record a transition's freezes (the kit roles may write no other tags). */
export const OWNER_TAG_PREFIX = 'cdk-devtools/freeze/';

/** The attributes (`Data`) a freeze returns. */
export const TRANSITION_FREEZE_ATTRIBUTES = {
  pipelineName: 'PipelineName',
  stageName: 'StageName',
  transitionType: 'TransitionType',
} as const;

export const FREEZE_WINDOW_RESOURCE_TYPE = 'Custom::CdkDevtoolsCodePipelineFreezeWindow';

/** What `StageTransitionFreezeWindow` sends its custom resource's handler: the transition, the reason and the window. */
export interface FreezeWindowProperties extends TransitionFreezeProperties {
  /** When the window opens: a `cron()` or `at()` expression. */
  readonly Start: string;
  /** The time zone `Start` is in. @default UTC */
  readonly StartTimeZone?: string;
  /** When the window closes. */
  readonly End: string;
  /** The time zone `End` is in. @default UTC */
  readonly EndTimeZone?: string;
}

/** The window's properties as its handler receives them. */
export function parseFreezeWindowProperties(props: Record<string, unknown>): FreezeWindowProperties {
  return {
    ...parseTransitionFreezeProperties(props),
    Start: requireString(props, 'Start'),
    StartTimeZone: optionalString(props, 'StartTimeZone'),
    End: requireString(props, 'End'),
    EndTimeZone: optionalString(props, 'EndTimeZone'),
  };
}

// Placeholder until this module's families are defined with defineFamily (issue 21 work in progress).
export const CODEPIPELINE_FAMILIES: readonly import('../../../core/family').Family[] = [];
