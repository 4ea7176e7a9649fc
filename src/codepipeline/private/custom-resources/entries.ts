import { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import { EXECUTION_RESOURCE_TYPE, FREEZE_WINDOW_RESOURCE_TYPE, TRANSITION_FREEZE_RESOURCE_TYPE } from './contract';
import { executionSessionName, isExecutionComplete, onExecutionEvent } from './execution';
import { onFreezeWindowEvent } from './freeze-window';
import { onTransitionFreezeEvent } from './transition-freeze';
import { clientConfig } from '../../../core/runtime/credentials';
import type { HandlerEntry } from '../../../core/runtime/types';

const codepipeline = (props: Record<string, any>, sessionName?: string) => new CodePipelineClient(clientConfig(props, sessionName));

/** The CodePipeline custom resources' handlers. */
export const CODEPIPELINE_HANDLERS: HandlerEntry[] = [
  {
    resourceType: EXECUTION_RESOURCE_TYPE,
    // A run is started in a session of its own, which CodePipeline records as the execution's trigger detail.
    onEvent: event => onExecutionEvent(codepipeline(event.ResourceProperties, executionSessionName(event)), event, props => codepipeline(props)),
    isComplete: event => isExecutionComplete(codepipeline(event.ResourceProperties), event),
  },
  {
    resourceType: TRANSITION_FREEZE_RESOURCE_TYPE,
    // A rollback releases what a cancelled Update held with the role of that Update's properties.
    onEvent: event => onTransitionFreezeEvent(codepipeline(event.ResourceProperties), event, { clientFor: props => codepipeline(props) }),
  },
  {
    resourceType: FREEZE_WINDOW_RESOURCE_TYPE,
    onEvent: event => onFreezeWindowEvent(codepipeline(event.ResourceProperties), event, { clientFor: props => codepipeline(props) }),
  },
];
