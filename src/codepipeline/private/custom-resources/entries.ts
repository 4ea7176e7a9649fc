import { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import { EXECUTION_FAMILY, FREEZE_WINDOW_FAMILY, TRANSITION_FREEZE_FAMILY } from './contract';
import { executionSessionName, isExecutionComplete, onExecutionEvent } from './execution';
import { onFreezeWindowEvent } from './freeze-window';
import { onTransitionFreezeEvent } from './transition-freeze';
import { clientConfig } from '../../../core/runtime/credentials';
import type { HandlerEntry } from '../../../core/runtime/types';

const codepipeline = (props: Record<string, any>, sessionName?: string) => new CodePipelineClient(clientConfig(props, sessionName));

/** The CodePipeline custom resources' handlers. */
export const CODEPIPELINE_HANDLERS: HandlerEntry[] = [
  {
    family: EXECUTION_FAMILY,
    // A run is started in a session of its own, which CodePipeline records as the execution's trigger detail.
    onEvent: event => onExecutionEvent(codepipeline(event.ResourceProperties, executionSessionName(event)), event, props => codepipeline(props)),
    isComplete: event => isExecutionComplete(codepipeline(event.ResourceProperties), event),
  },
  {
    family: TRANSITION_FREEZE_FAMILY,
    // A rollback releases what a cancelled Update held with the role of that Update's properties.
    onEvent: event => onTransitionFreezeEvent(codepipeline(event.ResourceProperties), event, { clientFor: props => codepipeline(props) }),
  },
  {
    family: FREEZE_WINDOW_FAMILY,
    onEvent: event => onFreezeWindowEvent(codepipeline(event.ResourceProperties), event, { clientFor: props => codepipeline(props) }),
  },
];
