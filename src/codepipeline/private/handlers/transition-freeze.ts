import { CodePipelineClient, DisableStageTransitionCommand, EnableStageTransitionCommand } from '@aws-sdk/client-codepipeline';
import { parseTransitionFreezeProperties, TRANSITION_FREEZE_ATTRIBUTES, TransitionFreezeProperties } from './contract';
import { ActionableError, errorName, isRetryable, logEvent, messageOf } from '../../../core/handlers/runtime';
import type { OnEventRequest, OnEventResponse } from '../../../core/handlers/types';

/** The physical id of a freeze: the transition it holds disabled. */
export function freezePhysicalId(p: TransitionFreezeProperties): string {
  return `${p.PipelineName}/${p.StageName}/${p.TransitionType}`;
}

/**
 * Disables a stage's inbound or outbound transition on Create and Update (an Update with a new reason disables it
 * again with that reason, in place; another pipeline, stage or direction is a new physical id, so CloudFormation's
 * clean-up Delete re-enables the old transition with the old properties' role), and re-enables it on Delete. A
 * transition that is already disabled is taken over (its reason becomes ours); enabling one that is already enabled,
 * or whose stage or pipeline is gone, is nothing to do.
 */
export async function onTransitionFreezeEvent(client: CodePipelineClient, event: OnEventRequest): Promise<OnEventResponse> {
  logEvent('codepipeline transition freeze', event);
  const props = parseTransitionFreezeProperties(event.ResourceProperties);
  const physicalId = freezePhysicalId(props);
  const transition = `the ${props.TransitionType.toLowerCase()} transition of stage ${props.StageName} of pipeline ${props.PipelineName}`;
  const input = { pipelineName: props.PipelineName, stageName: props.StageName, transitionType: props.TransitionType };
  if (event.RequestType === 'Delete') {
    // Only the id this freeze created: the provider framework's marker (a Create that failed) disabled nothing.
    if (event.PhysicalResourceId !== physicalId) {
      console.log(`physical id ${event.PhysicalResourceId} is not ${physicalId}: nothing was disabled`);
      return { PhysicalResourceId: event.PhysicalResourceId };
    }
    try {
      await client.send(new EnableStageTransitionCommand(input));
      console.log(`enabled ${transition}`);
    } catch (err) {
      if (!['PipelineNotFoundException', 'StageNotFoundException'].includes(errorName(err))) {
        throw new ActionableError('Enabling a stage transition', transition, messageOf(err), nextStep(err, 'codepipeline:EnableStageTransition'));
      }
      console.log(`${transition} is gone with its stage or pipeline: nothing to enable (${messageOf(err)})`);
    }
    return { PhysicalResourceId: event.PhysicalResourceId };
  }
  const old = event.RequestType === 'Update' && event.OldResourceProperties ? parseTransitionFreezeProperties(event.OldResourceProperties) : undefined;
  if (old && event.PhysicalResourceId === physicalId && old.Reason === props.Reason && freezePhysicalId(old) === physicalId) {
    // Only the kit role (a new release's statements) or nothing of ours changed: the transition stays as it is.
    console.log(`${transition} stays disabled: nothing of the freeze changed`);
    return { PhysicalResourceId: physicalId, Data: freezeData(props) };
  }
  try {
    await client.send(new DisableStageTransitionCommand({ ...input, reason: props.Reason }));
    console.log(`disabled ${transition}: ${props.Reason}`);
  } catch (err) {
    throw new ActionableError('Disabling a stage transition', transition, messageOf(err), nextStep(err, 'codepipeline:DisableStageTransition'));
  }
  return { PhysicalResourceId: physicalId, Data: freezeData(props) };
}

function freezeData(props: TransitionFreezeProperties): Record<string, string> {
  return {
    [TRANSITION_FREEZE_ATTRIBUTES.pipelineName]: props.PipelineName,
    [TRANSITION_FREEZE_ATTRIBUTES.stageName]: props.StageName,
    [TRANSITION_FREEZE_ATTRIBUTES.transitionType]: props.TransitionType,
  };
}

function nextStep(err: unknown, action: string): string {
  switch (errorName(err)) {
    case 'PipelineNotFoundException':
      return 'The pipeline does not exist in this account and region; check that it is defined (or imported by its exact name) before the freeze';
    case 'StageNotFoundException':
      return 'The pipeline has no stage of that name; use the name of one of its stages (names are case-sensitive)';
    default:
      if (isRetryable(err)) return 'CodePipeline is throttling or briefly unavailable (the SDK already retried); retry the deployment later';
      return `Check the kit role's permissions (${action} on the stage), then retry the deployment`;
  }
}
