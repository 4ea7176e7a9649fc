/**
 * The CodePipeline custom-resource families (`defineFamily`): what each construct sends, how its handlers read it,
 * and the attributes they return. Resource type names, property and attribute names are part of deployed stacks:
 * never rename them.
 */
import { defineFamily } from '../../../core/family';
import { optionalString, parseBoolean, requireOneOf, requireString } from '../../../core/runtime/handler';

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

/**
 * `PipelineExecution`'s run of a pipeline. Its attributes are the execution it started, where to read it, and
 * whether isComplete waits for it (`Watch`: 'true' with `waitForSuccess`).
 */
export const EXECUTION_FAMILY = defineFamily<ExecutionProperties>()({
  resourceType: 'Custom::CdkDevtoolsCodePipelineExecution',
  parse: (props): ExecutionRequest => {
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
  },
  attributes: ['PipelineName', 'PipelineExecutionId', 'Status', 'ConsoleUrl', 'Watch'],
  waits: true,
});

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

/**
 * `StageTransitionFreeze`'s hold of a transition. Its attributes name the transition it holds (the physical id says
 * the same).
 */
export const TRANSITION_FREEZE_FAMILY = defineFamily<TransitionFreezeProperties>()({
  resourceType: 'Custom::CdkDevtoolsCodePipelineTransitionFreeze',
  parse: (props): TransitionFreezeProperties => {
    const type = requireOneOf(props, 'TransitionType', TRANSITION_TYPES);
    return {
      PipelineName: requireString(props, 'PipelineName'),
      StageName: requireString(props, 'StageName'),
      TransitionType: type as TransitionType,
      Reason: optionalString(props, 'Reason') ?? 'Frozen by cdk-devtools',
    };
  },
  attributes: ['PipelineName', 'StageName', 'TransitionType'],
});

/** The prefix of the pipeline tags that record a transition's freezes (the kit roles may write no other tags). */
export const OWNER_TAG_PREFIX = 'cdk-devtools/freeze/';

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

/** `StageTransitionFreezeWindow`'s custom resource: the owner its schedules hold the transition as. */
export const FREEZE_WINDOW_FAMILY = defineFamily<FreezeWindowProperties>()({
  resourceType: 'Custom::CdkDevtoolsCodePipelineFreezeWindow',
  parse: (props): FreezeWindowProperties => ({
    ...TRANSITION_FREEZE_FAMILY.parse(props),
    Start: requireString(props, 'Start'),
    StartTimeZone: optionalString(props, 'StartTimeZone'),
    End: requireString(props, 'End'),
    EndTimeZone: optionalString(props, 'EndTimeZone'),
  }),
});

/** The module's families, which the routers serve from its bundle. */
export const CODEPIPELINE_FAMILIES = [EXECUTION_FAMILY, TRANSITION_FREEZE_FAMILY, FREEZE_WINDOW_FAMILY];
