import { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import { EXECUTION_RESOURCE_TYPE, TRANSITION_FREEZE_RESOURCE_TYPE } from './contract';
import { isExecutionComplete, onExecutionEvent } from './execution';
import { onTransitionFreezeEvent } from './transition-freeze';
import { clientConfig } from '../../../core/handlers/credentials';
import type { HandlerEntry } from '../../../core/handlers/types';

const codepipeline = (props: Record<string, any>) => new CodePipelineClient(clientConfig(props));

/** The CodePipeline custom resources' handlers. */
export const CODEPIPELINE_HANDLERS: HandlerEntry[] = [
  {
    resourceType: EXECUTION_RESOURCE_TYPE,
    onEvent: event => onExecutionEvent(codepipeline(event.ResourceProperties), event),
    isComplete: event => isExecutionComplete(codepipeline(event.ResourceProperties), event),
  },
  {
    resourceType: TRANSITION_FREEZE_RESOURCE_TYPE,
    onEvent: event => onTransitionFreezeEvent(codepipeline(event.ResourceProperties), event),
  },
];
