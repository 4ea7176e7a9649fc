import { onBranchEvent } from './branch';
import {
  BRANCH_RESOURCE_TYPE, DEV_ENVIRONMENT_RESOURCE_TYPE, PROJECT_RESOURCE_TYPE, SOURCE_REPOSITORY_RESOURCE_TYPE, SPACE_RESOURCE_TYPE,
  WORKFLOW_RUN_RESOURCE_TYPE,
} from './contract';
import { isDevEnvironmentComplete, onDevEnvironmentEvent } from './dev-environment';
import { onProjectEvent } from './project';
import { onSourceRepositoryEvent } from './source-repository';
import { onSpaceEvent } from './space';
import { isWorkflowRunComplete, onWorkflowRunEvent } from './workflow-run';
import type { HandlerEntry } from '../../../core/runtime/types';

/** The CodeCatalyst custom resources' handlers; each builds its clients from the request (the token is read per request). */
export const CODECATALYST_HANDLERS: HandlerEntry[] = [
  { resourceType: SPACE_RESOURCE_TYPE, onEvent: onSpaceEvent },
  { resourceType: PROJECT_RESOURCE_TYPE, onEvent: onProjectEvent },
  { resourceType: SOURCE_REPOSITORY_RESOURCE_TYPE, onEvent: onSourceRepositoryEvent },
  { resourceType: BRANCH_RESOURCE_TYPE, onEvent: onBranchEvent },
  { resourceType: DEV_ENVIRONMENT_RESOURCE_TYPE, onEvent: onDevEnvironmentEvent, isComplete: isDevEnvironmentComplete },
  { resourceType: WORKFLOW_RUN_RESOURCE_TYPE, onEvent: onWorkflowRunEvent, isComplete: isWorkflowRunComplete },
];
