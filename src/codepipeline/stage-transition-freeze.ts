import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import { Construct } from 'constructs';
import { freezeStatements } from './private/freeze-permissions';
import { checkFreezeTarget, checkTransitionFreeze } from './private/same-environment';
import { KitResource } from '../core/custom-resource';
import { TRANSITION_FREEZE_FAMILY } from './private/custom-resources/contract';

/** Which transition of a stage a freeze disables. */
export enum TransitionDirection {
  /** Into the stage: executions wait before it (what a stage's `transitionToEnabled: false` does too). */
  INBOUND = 'Inbound',
  /** Out of the stage: executions finish the stage, then wait before the next one. CloudFormation cannot express it. */
  OUTBOUND = 'Outbound',
}

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
 * Disables a stage's inbound or outbound transition while it is in the stack; when it is removed, the transition gets
 * back what it was before. CloudFormation can only disable inbound transitions (a stage's `transitionToEnabled`), and
 * only of pipelines it defines.
 *
 * Each freeze records itself as a holder of the transition in tags of the pipeline (`cdk-devtools/freeze/…`), with
 * what the transition was before the first holder. A transition held by several freezes (of other stacks, or
 * windows that are open) stays disabled until the last one leaves; then it is enabled, or, if a person had disabled
 * an inbound transition before, disabled again with that person's reason. (CodePipeline does not show the state of
 * outbound transitions, so an outbound one is enabled.) Moving the freeze to another stage, direction or pipeline
 * releases the old transition (in CloudFormation's clean-up) after holding the new one; changing the reason disables
 * the transition again with the new reason. Synth refuses a second freeze (or a freeze window) of the same
 * transition in the app, an inbound freeze of a stage whose `transitionToEnabled` is false, and, for a pipeline this
 * app defines, a stage it does not have.
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
    new KitResource(this, 'Freeze', {
      family: TRANSITION_FREEZE_FAMILY,
      properties: {
        PipelineName: props.pipeline.pipelineName,
        StageName: props.stageName,
        TransitionType: props.direction ?? TransitionDirection.INBOUND,
        Reason: props.reason ?? 'Frozen by cdk-devtools',
      },
      statements: freezeStatements(props.pipeline, props.stageName),
    });
  }
}
