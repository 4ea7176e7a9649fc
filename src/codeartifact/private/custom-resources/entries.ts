import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CodeartifactClient } from '@aws-sdk/client-codeartifact';
import { S3Client } from '@aws-sdk/client-s3';
import { ORIGIN_CONTROL_FAMILY, PACKAGE_VERSION_FAMILY, PROMOTION_FAMILY } from './contract';
import { onOriginControlEvent } from './origin-control';
import { onPackageVersionEvent } from './package-version';
import { onPromotionEvent } from './promotion';
import { clientConfig } from '../../../core/runtime/credentials';
import type { HandlerEntry } from '../../../core/runtime/types';

/**
 * The CodeArtifact custom resources' handlers. Each request acts on what its `ResourceProperties` name, so its
 * clients act as the role those properties name: an origin control's old package is restored by the clean-up or
 * rollback Delete, an old package version removed by its Delete, each with its own role, and a promotion's Delete
 * does nothing. The one Update that acts on what `OldResourceProperties` name, a package version's return to its
 * physical id's version (a rollback after a replacement), removes the other version with a client of the role those
 * properties name.
 */
export const CODEARTIFACT_HANDLERS: HandlerEntry[] = [
  {
    family: ORIGIN_CONTROL_FAMILY,
    onEvent: event => {
      const config = clientConfig(event.ResourceProperties);
      return onOriginControlEvent(new CodeartifactClient(config), new CloudFormationClient(config), event);
    },
  },
  {
    family: PACKAGE_VERSION_FAMILY,
    onEvent: event => {
      // One configuration for both clients: the role is assumed once per request.
      const config = clientConfig(event.ResourceProperties);
      return onPackageVersionEvent(new CodeartifactClient(config), new S3Client(config), event,
        () => new CodeartifactClient(clientConfig(event.OldResourceProperties ?? event.ResourceProperties)));
    },
  },
  {
    family: PROMOTION_FAMILY,
    onEvent: event => onPromotionEvent(new CodeartifactClient(clientConfig(event.ResourceProperties)), event),
  },
];
