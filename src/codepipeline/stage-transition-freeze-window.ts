import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';
import { checkFreezeTarget, checkTransitionFreeze } from './private/same-environment';
import { TransitionDirection } from './stage-transition-freeze';

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

  /** When the window opens: the transition is disabled, e.g. `ScheduleExpression.cron({ ... })` or `ScheduleExpression.at(date)`. */
  readonly start: scheduler.ScheduleExpression;

  /** When the window closes: the transition is enabled again. */
  readonly end: scheduler.ScheduleExpression;
}

/**
 * Disables a stage's inbound or outbound transition on a schedule and enables it again at the end of the window (a
 * holiday freeze, a nightly change window), with two EventBridge Scheduler schedules that call CodePipeline directly
 * (universal targets: no Lambda function). The schedules' role may change the transitions of this stage only.
 *
 * The window acts only when its schedules fire: deploying it in the middle of a window does not disable the transition
 * until the next start, and removing it during a window leaves the transition disabled (enable it in the console, or
 * with `aws codepipeline enable-stage-transition`). For a freeze that holds exactly while it is deployed, use
 * `StageTransitionFreeze`.
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
    checkFreezeTarget(this, props.pipeline, props.stageName, props.direction ?? TransitionDirection.INBOUND);
    // The universal target's input is the API request, with the API's member names.
    const transition = {
      pipelineName: props.pipeline.pipelineName,
      stageName: props.stageName,
      transitionType: props.direction ?? TransitionDirection.INBOUND,
    };
    const stage = `${props.pipeline.pipelineArn}/${props.stageName}`;
    const call = (action: 'disableStageTransition' | 'enableStageTransition', input: object) => new targets.Universal({
      service: 'codepipeline',
      action,
      input: scheduler.ScheduleTargetInput.fromObject(input),
      // IAM authorizes the transition actions on the stage; the pipeline ARN is listed too, as for StageTransitionFreeze.
      policyStatements: [new iam.PolicyStatement({
        actions: [`codepipeline:${action[0].toUpperCase()}${action.slice(1)}`],
        resources: [props.pipeline.pipelineArn, stage],
      })],
    });
    new scheduler.Schedule(this, 'Start', {
      schedule: props.start,
      description: `Disables the ${transition.transitionType.toLowerCase()} transition of stage ${props.stageName} (cdk-devtools freeze window)`,
      target: call('disableStageTransition', { ...transition, reason: props.reason ?? 'Frozen by cdk-devtools' }),
    });
    new scheduler.Schedule(this, 'End', {
      schedule: props.end,
      description: `Enables the ${transition.transitionType.toLowerCase()} transition of stage ${props.stageName} (cdk-devtools freeze window)`,
      target: call('enableStageTransition', transition),
    });
  }
}
