import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { checkFreezeTarget, checkTransitionFreeze } from './private/same-environment';
import { KitResource } from '../core/custom-resource';
import { TRANSITION_FREEZE_RESOURCE_TYPE, TransitionFreezeProperties } from './private/handlers/contract';

/** Which transition of a stage a freeze disables. */
export enum TransitionDirection {
  /** Into the stage: executions wait before it (what a stage's `transitionToEnabled: false` does too). */
  INBOUND = 'Inbound',
  /** Out of the stage: executions finish the stage, then wait before the next one. CloudFormation cannot express it. */
  OUTBOUND = 'Outbound',
}

/** What `StageTransitionFreeze`'s kit role may do on the pipeline's stage. */
const STAGE_TRANSITION_ACTIONS = ['codepipeline:DisableStageTransition', 'codepipeline:EnableStageTransition'];

/** Properties of a `StageTransitionFreeze`. */
export interface StageTransitionFreezeProps {
  /** The pipeline whose stage transition to disable. */
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
}

/**
 * Disables a stage's inbound or outbound transition while it is in the stack, and enables it again when it is removed.
 * CloudFormation can only disable inbound transitions (a stage's `transitionToEnabled`), and only of pipelines it defines.
 *
 * Moving the freeze to another stage, direction or pipeline enables the old transition (in CloudFormation's clean-up)
 * after disabling the new one; changing the reason disables the transition again with the new reason. A transition
 * that is already disabled (by a person) is taken over: removing this freeze enables it. So synth refuses a second
 * freeze (or freeze window) of the same transition in the app, an inbound freeze of a stage whose
 * `transitionToEnabled` is false, and, for a pipeline this app defines, a stage it does not have.
 *
 * @example
 * import { IPipeline } from 'aws-cdk-lib/aws-codepipeline';
 * declare const pipeline: IPipeline;
 *
 * new codepipeline.StageTransitionFreeze(this, 'HolidayFreeze', {
 *   pipeline,
 *   stageName: 'Staging',
 *   direction: codepipeline.TransitionDirection.OUTBOUND,
 *   reason: 'Holiday freeze (CHG-1234)',
 * });
 */
export class StageTransitionFreeze extends Construct {
  constructor(scope: Construct, id: string, props: StageTransitionFreezeProps) {
    super(scope, id);
    checkTransitionFreeze(this, 'StageTransitionFreeze', props.pipeline, props.stageName, props.reason);
    checkFreezeTarget(this, props.pipeline, props.stageName, props.direction ?? TransitionDirection.INBOUND);
    const properties: TransitionFreezeProperties = {
      PipelineName: props.pipeline.pipelineName,
      StageName: props.stageName,
      TransitionType: props.direction ?? TransitionDirection.INBOUND,
      Reason: props.reason ?? 'Frozen by cdk-devtools',
    };
    new KitResource(this, 'Freeze', {
      resourceType: TRANSITION_FREEZE_RESOURCE_TYPE,
      properties: { ...properties },
      // IAM authorizes the transition actions on the stage (`<pipeline ARN>/<stage>`); the pipeline ARN is listed too
      // so the statement holds whichever resource type a partition evaluates. Nothing reaches another pipeline.
      statements: [new iam.PolicyStatement({
        actions: STAGE_TRANSITION_ACTIONS,
        resources: [props.pipeline.pipelineArn, `${props.pipeline.pipelineArn}/${props.stageName}`],
      })],
    });
  }
}
