import { CodeartifactClient } from '@aws-sdk/client-codeartifact';
import { S3Client } from '@aws-sdk/client-s3';
import { onPackageVersionEvent } from './package-version';
import type { OnEventRequest, OnEventResponse } from '../../../core/handlers/types';

const client = new CodeartifactClient({ maxAttempts: 5 });
const s3 = new S3Client({ maxAttempts: 5 });

export async function handler(event: OnEventRequest): Promise<OnEventResponse> {
  return onPackageVersionEvent(client, s3, event);
}
