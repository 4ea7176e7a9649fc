import { AmplifyClient } from '@aws-sdk/client-amplify';
import { S3Client } from '@aws-sdk/client-s3';
import { onDeploymentEvent } from './deployment';
import type { OnEventRequest, OnEventResponse } from '../../../core/handlers/types';

const amplify = new AmplifyClient({ maxAttempts: 5 });
const s3 = new S3Client({ maxAttempts: 5 });

export async function handler(event: OnEventRequest, context?: { getRemainingTimeInMillis(): number }): Promise<OnEventResponse> {
  return onDeploymentEvent(amplify, s3, event, { remainingTimeMs: context ? () => context.getRemainingTimeInMillis() : undefined });
}
