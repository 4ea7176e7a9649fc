import { AmplifyClient } from '@aws-sdk/client-amplify';
import { S3Client } from '@aws-sdk/client-s3';
import { onBackendEnvironmentEvent } from './backend-environment';
import { onBranchSettingsEvent } from './branch-settings';
import { onBuildEvent } from './build';
import {
  BACKEND_ENVIRONMENT_RESOURCE_TYPE, BRANCH_SETTINGS_RESOURCE_TYPE, BUILD_RESOURCE_TYPE, DEPLOYMENT_RESOURCE_TYPE,
  DOMAIN_READINESS_RESOURCE_TYPE,
} from './contract';
import { onDeploymentEvent } from './deployment';
import { isDomainReady, onDomainEvent } from './domain';
import { isJobComplete } from './jobs';
import { clientConfig } from '../../../core/runtime/credentials';
import type { HandlerEntry } from '../../../core/runtime/types';

const amplify = (props: Record<string, any>) => new AmplifyClient(clientConfig(props));

/** The Amplify custom resources' handlers. */
export const AMPLIFY_HANDLERS: HandlerEntry[] = [
  {
    resourceType: BRANCH_SETTINGS_RESOURCE_TYPE,
    onEvent: event => onBranchSettingsEvent(amplify(event.ResourceProperties), event),
  },
  {
    resourceType: BACKEND_ENVIRONMENT_RESOURCE_TYPE,
    onEvent: event => onBackendEnvironmentEvent(amplify(event.ResourceProperties), event),
  },
  {
    resourceType: BUILD_RESOURCE_TYPE,
    onEvent: event => onBuildEvent(amplify(event.ResourceProperties), event),
    isComplete: event => isJobComplete(amplify(event.ResourceProperties), event, 'Waiting for the Amplify build to succeed'),
  },
  {
    resourceType: DEPLOYMENT_RESOURCE_TYPE,
    onEvent: (event, context) => onDeploymentEvent(amplify(event.ResourceProperties), new S3Client(clientConfig(event.ResourceProperties)), event,
      { remainingTimeMs: context ? () => context.getRemainingTimeInMillis() : undefined }),
    isComplete: event => isJobComplete(amplify(event.ResourceProperties), event, 'Waiting for the Amplify deployment to succeed'),
  },
  {
    resourceType: DOMAIN_READINESS_RESOURCE_TYPE,
    onEvent: event => onDomainEvent(event),
    isComplete: event => isDomainReady(amplify(event.ResourceProperties), event),
  },
];
