import { onBranchEvent } from './branch';
import {
  BRANCH_FAMILY, DEV_ENVIRONMENT_FAMILY, PROJECT_FAMILY, SOURCE_REPOSITORY_FAMILY, SPACE_FAMILY, WORKFLOW_RUN_FAMILY,
} from './contract';
import { isDevEnvironmentComplete, onDevEnvironmentEvent } from './dev-environment';
import { onProjectEvent } from './project';
import { onSourceRepositoryEvent } from './source-repository';
import { onSpaceEvent } from './space';
import { isWorkflowRunComplete, onWorkflowRunEvent } from './workflow-run';
import type { HandlerEntry } from '../../../core/runtime/types';

/** The CodeCatalyst custom resources' handlers; each builds its clients from the request (the token is read per request). */
export const CODECATALYST_HANDLERS: HandlerEntry[] = [
  { family: SPACE_FAMILY, onEvent: onSpaceEvent },
  { family: PROJECT_FAMILY, onEvent: onProjectEvent },
  { family: SOURCE_REPOSITORY_FAMILY, onEvent: onSourceRepositoryEvent },
  { family: BRANCH_FAMILY, onEvent: onBranchEvent },
  { family: DEV_ENVIRONMENT_FAMILY, onEvent: onDevEnvironmentEvent, isComplete: isDevEnvironmentComplete },
  { family: WORKFLOW_RUN_FAMILY, onEvent: onWorkflowRunEvent, isComplete: isWorkflowRunComplete },
];
