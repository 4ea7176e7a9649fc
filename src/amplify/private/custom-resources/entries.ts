import { AmplifyClient } from '@aws-sdk/client-amplify';
import { S3Client } from '@aws-sdk/client-s3';
import { onBackendEnvironmentEvent } from './backend-environment';
import { onBranchSettingsEvent } from './branch-settings';
import { onBuildEvent } from './build';
import { BACKEND_ENVIRONMENT_FAMILY, BRANCH_SETTINGS_FAMILY, BUILD_FAMILY, DEPLOYMENT_FAMILY, DOMAIN_READINESS_FAMILY } from './contract';
import { onDeploymentEvent } from './deployment';
import { isDomainReady, onDomainEvent } from './domain';
import { isJobComplete } from './jobs';
import { clientConfig } from '../../../core/runtime/credentials';
import type { HandlerEntry } from '../../../core/runtime/types';

const amplify = (props: Record<string, any>) => new AmplifyClient(clientConfig(props));

/** The Amplify custom resources' handlers. */
export const AMPLIFY_HANDLERS: HandlerEntry[] = [
  {
    family: BRANCH_SETTINGS_FAMILY,
    onEvent: event => onBranchSettingsEvent(amplify(event.ResourceProperties), event),
  },
  {
    family: BACKEND_ENVIRONMENT_FAMILY,
    onEvent: event => onBackendEnvironmentEvent(amplify(event.ResourceProperties), event),
  },
  {
    family: BUILD_FAMILY,
    onEvent: event => onBuildEvent(amplify(event.ResourceProperties), event),
    isComplete: event => isJobComplete(amplify(event.ResourceProperties), event, 'Waiting for the Amplify build to succeed'),
  },
  {
    family: DEPLOYMENT_FAMILY,
    onEvent: (event, context) => onDeploymentEvent(amplify(event.ResourceProperties), new S3Client(clientConfig(event.ResourceProperties)), event,
      { remainingTimeMs: context ? () => context.getRemainingTimeInMillis() : undefined }),
    isComplete: event => isJobComplete(amplify(event.ResourceProperties), event, 'Waiting for the Amplify deployment to succeed'),
  },
  {
    family: DOMAIN_READINESS_FAMILY,
    onEvent: event => onDomainEvent(event),
    isComplete: event => isDomainReady(amplify(event.ResourceProperties), event),
  },
];
