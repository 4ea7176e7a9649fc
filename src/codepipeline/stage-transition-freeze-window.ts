import { Aws, CfnResource, Duration, Fn, Stack, Token } from 'aws-cdk-lib';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct, IConstruct } from 'constructs';
import { FREEZE_WINDOW_FAMILY } from './private/custom-resources/contract';
import { freezeStatements } from './private/freeze-permissions';
import { FreezeWindowFunction } from './private/functions/freeze-window-function';
import { checkFreezeTarget, checkTransitionFreeze } from './private/same-environment';
import { catchUpExpressions, ScheduleError } from './private/schedules';
import { isValidTimeZone } from './private/windows';
import { TransitionDirection } from './stage-transition-freeze';
import { KitResource } from '../core/custom-resource';
import { acceptNagFindings } from '../core/nag';
import { ValidationError } from '../core/validation';

/** Properties of a `StageTransitionFreezeWindow`. */
export interface StageTransitionFreezeWindowProps {
  /** The pipeline whose stage transition to disable during the window. */
  readonly pipeline: codepipeline.IPipeline;

  /** The stage's name, as in the pipeline (1 to 100 letters, digits and `.@-_`; case-sensitive). */
  readonly stageName: string;

  /**
   * Which transition of the stage to disable.
   * @default TransitionDirection.INBOUND
   */
  readonly direction?: TransitionDirection;

  /**
   * Why the transition is disabled, shown in the CodePipeline console: 1 to 300 letters, digits, spaces and `!@().*?-`.
   * @default 'Frozen by cdk-devtools'
   */
  readonly reason?: string;

  /**
   * When the window opens: the transition is disabled. A time of day, in its time zone: `ScheduleExpression.cron({ ... })`,
   * `ScheduleExpression.expression('cron(...)', timeZone)` or `ScheduleExpression.at(date, timeZone)` (a rate has no
   * time of day and is refused).
   */
  readonly start: scheduler.ScheduleExpression;

  /** When the window closes: the transition gets back what it was (a `cron()` or `at()` schedule, as `start`). */
  readonly end: scheduler.ScheduleExpression;
}

/**
 * Disables a stage's inbound or outbound transition during a window (a holiday freeze, a nightly change window) and
 * gives it back at the end. The window is open from each firing of `start` to the next firing of `end`.
 *
 * EventBridge Scheduler schedules fire at the window's times and invoke one small function of the stack, which applies
 * the state the window has at that moment: open, the window holds the transition disabled, as one of its holders
 * (like a `StageTransitionFreeze`, recorded in the pipeline's tags); closed, it releases it, and the transition stays
 * disabled while another freeze or window holds it. The window's custom resource does the same when it is deployed (a
 * window deployed while open disables the transition at once) and releases the transition when it is removed.
 *
 * Daylight saving: on the day the clocks jump forward, Scheduler skips a time that does not exist (02:30 in New
 * York); a time the window's schedules may skip counts as the moment the clocks jump (03:00), and the window adds a
 * schedule at that time on the same days, so the freeze (or its end) happens an hour late instead of a day. On the day
 * the clocks fall back, a repeated time fires once and counts at its first occurrence.
 *
 * @example
 * import { TimeZone } from 'aws-cdk-lib';
 * import { IPipeline } from 'aws-cdk-lib/aws-codepipeline';
 * import { ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
 * declare const pipeline: IPipeline;
 *
 * new codepipeline.StageTransitionFreezeWindow(this, 'NightlyFreeze', {
 *   pipeline,
 *   stageName: 'Prod',
 *   reason: 'No production changes at night',
 *   start: ScheduleExpression.expression('cron(0 20 ? * MON-FRI *)', TimeZone.EUROPE_BERLIN),
 *   end: ScheduleExpression.expression('cron(0 7 ? * MON-FRI *)', TimeZone.EUROPE_BERLIN),
 * });
 */
export class StageTransitionFreezeWindow extends Construct {
  constructor(scope: Construct, id: string, props: StageTransitionFreezeWindowProps) {
    super(scope, id);
    checkTransitionFreeze(this, 'StageTransitionFreezeWindow', props.pipeline, props.stageName, props.reason);
    const direction = props.direction ?? TransitionDirection.INBOUND;
    checkFreezeTarget(this, props.pipeline, props.stageName, direction, 'window');
    const start = windowTime(this, 'start', props.start);
    const end = windowTime(this, 'end', props.end);
    const reason = props.reason ?? 'Frozen by cdk-devtools';
    const statements = freezeStatements(props.pipeline, props.stageName);

    const resource = new KitResource(this, 'Window', {
      family: FREEZE_WINDOW_FAMILY,
      properties: {
        PipelineName: props.pipeline.pipelineName,
        StageName: props.stageName,
        TransitionType: direction,
        Reason: reason,
        Start: start.expression,
        StartTimeZone: start.timeZone,
        End: end.expression,
        EndTimeZone: end.timeZone,
      },
      statements,
    });

    const { fn, invoker } = windowFunction(this);
    statements.forEach(s => fn.addToRolePolicy(s));
    // The schedules hold the transition as the window's custom resource: the same owner id as its handler's.
    const owner = Fn.join('/', [Aws.STACK_ID, Stack.of(this).getLogicalId(resource.resource.node.defaultChild as CfnResource)]);
    const target = new targets.LambdaInvoke(fn, {
      input: scheduler.ScheduleTargetInput.fromObject({
        owner,
        pipelineName: props.pipeline.pipelineName,
        pipelineArn: props.pipeline.pipelineArn,
        stageName: props.stageName,
        transitionType: direction,
        reason,
        start: start.expression,
        startTimeZone: start.timeZone,
        end: end.expression,
        endTimeZone: end.timeZone,
      }),
      role: invoker,
      // Each firing applies the window's state as of its own moment: a late retry is worse than the next firing.
      maxEventAge: Duration.hours(1),
      retryAttempts: 5,
    });
    const what = `the ${direction.toLowerCase()} transition of stage ${props.stageName} (cdk-devtools freeze window)`;
    const schedules = [
      new scheduler.Schedule(this, 'Start', { schedule: props.start, description: `Opens the window: disables ${what}`, target }),
      new scheduler.Schedule(this, 'End', { schedule: props.end, description: `Closes the window: gives back ${what}`, target }),
      ...start.catchUps.map((expression, i) => new scheduler.Schedule(this, `StartAfterClockChange${i > 0 ? i + 1 : ''}`, {
        schedule: scheduler.ScheduleExpression.expression(expression, props.start.timeZone),
        description: `Opens the window when the clocks jumped over its start: disables ${what}`,
        target,
      })),
      ...end.catchUps.map((expression, i) => new scheduler.Schedule(this, `EndAfterClockChange${i > 0 ? i + 1 : ''}`, {
        schedule: scheduler.ScheduleExpression.expression(expression, props.end.timeZone),
        description: `Closes the window when the clocks jumped over its end: gives back ${what}`,
        target,
      })),
    ];
    // Created after the window's resource and deleted before it, so no firing holds the transition after it left.
    schedules.forEach(s => s.node.addDependency(resource));
    // The invoke grant (made as the first schedule binds its target) names the function and its versions.
    acceptNagFindings(invoker, [{
      id: 'AwsSolutions-IAM5',
      reason: 'Scheduler may invoke the window function; aws-cdk-lib grants it on the function\'s versions and aliases (function:name:*) too',
      appliesTo: [{ regex: '/^Resource::<CdkDevtoolsFreezeWindowsFunction[A-F0-9]+\\.Arn>:\\*$/' }],
    }]);
  }
}

/** A window's start or end: its expression and time zone as the handlers read them, and the catch-ups it needs. */
interface WindowTime {
  readonly expression: string;
  readonly timeZone?: string;
  readonly catchUps: string[];
}

function windowTime(scope: IConstruct, prop: 'start' | 'end', schedule: scheduler.ScheduleExpression): WindowTime {
  const expression = schedule.expressionString;
  const timeZone = schedule.timeZone?.timezoneName;
  if (Token.isUnresolved(expression) || (timeZone !== undefined && Token.isUnresolved(timeZone))) {
    return { expression, timeZone, catchUps: [] };
  }
  if (timeZone !== undefined && !isValidTimeZone(timeZone)) {
    throw new ValidationError(`${prop} has the time zone '${timeZone}', which this Node.js does not know; use an IANA time zone, `
      + 'e.g. TimeZone.EUROPE_BERLIN', scope);
  }
  try {
    return { expression, timeZone, catchUps: catchUpExpressions({ expression, timeZone }) };
  } catch (err) {
    if (!(err instanceof ScheduleError)) throw err;
    throw new ValidationError(`invalid ${prop}: ${err.message}. A window opens and closes at times of day: use `
      + 'ScheduleExpression.cron({ hour: \'20\', minute: \'0\', timeZone }) or ScheduleExpression.at(date, timeZone)', scope);
  }
}

/** The id of the stack's window function, shared by its windows. */
const FUNCTION_ID = 'CdkDevtoolsFreezeWindows';

/** The stack's window function (one for all its windows), with a role that writes its own log group, and the role Scheduler invokes it with. */
function windowFunction(scope: IConstruct): { fn: FreezeWindowFunction; invoker: iam.Role } {
  const stack = Stack.of(scope);
  const existing = stack.node.tryFindChild(FUNCTION_ID);
  if (existing) return { fn: existing.node.findChild('Function') as FreezeWindowFunction, invoker: existing.node.findChild('SchedulerRole') as iam.Role };
  const group = new Construct(stack, FUNCTION_ID);
  const logGroup = new logs.LogGroup(group, 'Logs', { retention: logs.RetentionDays.ONE_YEAR });
  const role = new iam.Role(group, 'Role', {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description: 'cdk-devtools freeze windows: applies a window\'s state when one of its schedules fires',
  });
  logGroup.grantWrite(role);
  const fn = new FreezeWindowFunction(group, 'Function', {
    description: 'cdk-devtools freeze windows: applies a window\'s state when one of its schedules fires',
    role,
    logGroup,
    timeout: Duration.minutes(1),
  });
  fn.node.addDependency(logGroup);
  const invoker = new iam.Role(group, 'SchedulerRole', {
    assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': stack.account } } }),
    description: 'cdk-devtools freeze windows: the schedules invoke the window function',
  });
  return { fn, invoker };
}
