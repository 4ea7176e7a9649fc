import { CodeartifactClient } from '@aws-sdk/client-codeartifact';
import { S3Client } from '@aws-sdk/client-s3';
import { ORIGIN_CONTROL_RESOURCE_TYPE, PACKAGE_VERSION_RESOURCE_TYPE } from './contract';
import { onOriginControlEvent } from './origin-control';
import { onPackageVersionEvent } from './package-version';
import { clientConfig } from '../../../core/handlers/credentials';
import type { HandlerEntry } from '../../../core/handlers/types';

const codeartifact = (props: Record<string, any>) => new CodeartifactClient(clientConfig(props));

/** The CodeArtifact custom resources' handlers. */
export const CODEARTIFACT_HANDLERS: HandlerEntry[] = [
  {
    resourceType: ORIGIN_CONTROL_RESOURCE_TYPE,
    onEvent: event => onOriginControlEvent(codeartifact(event.ResourceProperties), event),
  },
  {
    resourceType: PACKAGE_VERSION_RESOURCE_TYPE,
    onEvent: event => onPackageVersionEvent(codeartifact(event.ResourceProperties), new S3Client(clientConfig(event.ResourceProperties)), event),
  },
];
