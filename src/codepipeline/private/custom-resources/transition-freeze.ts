import { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import { TRANSITION_FREEZE_FAMILY, TransitionFreezeProperties } from './contract';
import { hold, HolderEventOptions, ownerId, pipelineArnOf, release, releaseAbandonedHold, Transition } from './freeze-owners';
import type { DataOf } from '../../../core/family';
import { logEvent } from '../../../core/runtime/handler';
import type { OnEventRequest, OnEventResponse } from '../../../core/runtime/types';

/** The physical id of a freeze: the transition it holds disabled. */
export function freezePhysicalId(p: TransitionFreezeProperties): string {
  return `${p.PipelineName}/${p.StageName}/${p.TransitionType}`;
}

/** The transition a freeze's properties name, on a pipeline of the stack's account and region. */
export function transitionOf(p: TransitionFreezeProperties, stackId: string): Transition {
  return {
    pipelineName: p.PipelineName, pipelineArn: pipelineArnOf(stackId, p.PipelineName), stageName: p.StageName, transitionType: p.TransitionType,
  };
}

/**
 * Holds a stage's inbound or outbound transition disabled on Create and Update, as one of its holders (see
 * `freeze-owners.ts`): an Update with a new reason holds it again with that reason, in place; another pipeline, stage
 * or direction is a new physical id, so CloudFormation's clean-up Delete releases the old transition with the old
 * properties' role. Delete releases it: the transition stays disabled while another freeze holds it, and otherwise
 * gets back what it was before the first freeze (a person's disable stays). A Delete of an id this handler never
 * returned (the failed-create marker, or an id CloudFormation made up for a cancelled Create) releases what the
 * Create may have recorded; one of a freeze created by an earlier release, which recorded nothing, enables the
 * transition as that release did. A stage or pipeline that is gone leaves nothing to release, and nothing to hold
 * again on an Update of the id CloudFormation holds (the pipeline deleted outside the stack). An Update back to the id
 * CloudFormation holds from another transition (the rollback of a cancelled Update) releases that other transition.
 */
export async function onTransitionFreezeEvent(
  client: CodePipelineClient, event: OnEventRequest, options: HolderEventOptions = {},
): Promise<OnEventResponse> {
  logEvent('codepipeline transition freeze', event);
  const props = TRANSITION_FREEZE_FAMILY.parse(event.ResourceProperties);
  const physicalId = freezePhysicalId(props);
  const transition = transitionOf(props, event.StackId);
  const owner = { id: ownerId(event.StackId, event.LogicalResourceId), reason: props.Reason };
  if (event.RequestType === 'Delete') {
    await release(client, transition, owner.id, { ...options, legacy: event.PhysicalResourceId === physicalId });
    return { PhysicalResourceId: event.PhysicalResourceId };
  }
  const old = event.RequestType === 'Update' && event.OldResourceProperties ? TRANSITION_FREEZE_FAMILY.parse(event.OldResourceProperties) : undefined;
  if (old && event.PhysicalResourceId === physicalId && old.Reason === props.Reason && freezePhysicalId(old) === physicalId) {
    // Only the kit role (a new release's statements) or nothing of ours changed: the transition stays as it is.
    console.log(`the ${props.TransitionType.toLowerCase()} transition of stage ${props.StageName} stays held: nothing of the freeze changed`);
    return { PhysicalResourceId: physicalId, Data: freezeData(props) };
  }
  // An Update of the transition this resource already holds, without a record, is a freeze of an earlier release.
  const alreadyHeld = event.RequestType === 'Update' && event.PhysicalResourceId === physicalId;
  await hold(client, transition, owner, { ...options, adopt: alreadyHeld, alreadyHeld });
  await releaseAbandonedHold(client, event, { physicalId, transition },
    old && { physicalId: freezePhysicalId(old), transition: transitionOf(old, event.StackId) }, options);
  return { PhysicalResourceId: physicalId, Data: freezeData(props) };
}

function freezeData(props: TransitionFreezeProperties): DataOf<typeof TRANSITION_FREEZE_FAMILY> {
  return { PipelineName: props.PipelineName, StageName: props.StageName, TransitionType: props.TransitionType };
}
