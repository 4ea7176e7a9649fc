import { Readable } from 'stream';
import { AmplifyClient, CreateDeploymentCommand, StartDeploymentCommand } from '@aws-sdk/client-amplify';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { findActiveJob, jobIdOf, jobPhysicalId, logsHint } from './jobs';
import { putStream } from './upload';
import {
  ActionableError, errorName, isRetryable, logEvent, messageOf, parseBoolean, requireString, startWait,
} from '../../../core/handlers/runtime';
import type { OnEventRequest, OnEventResponse } from '../../../core/handlers/types';

/** A change of any of these deploys again; other changes (wait, timeout) do not. */
const DEPLOY_KEYS = ['AppId', 'BranchName', 'AssetBucket', 'AssetKey'];

/**
 * Deploys a zip (a CDK asset) to a branch of an app without a repository: CreateDeployment, PUT the zip to
 * the returned upload URL, StartDeployment. Amplify runs one job per branch at a time, so a job that is
 * already running is reported (with its id) rather than overlapped. Delete leaves the deployed content
 * and the job history alone. Each deployment is a new physical id.
 */
export async function onDeploymentEvent(amplify: AmplifyClient, s3: S3Client, event: OnEventRequest): Promise<OnEventResponse> {
  logEvent('amplify deployment', event);
  const props = event.ResourceProperties;
  if (event.RequestType === 'Delete') {
    return { PhysicalResourceId: event.PhysicalResourceId };
  }
  const appId = requireString(props, 'AppId');
  const branchName = requireString(props, 'BranchName');
  const bucket = requireString(props, 'AssetBucket');
  const key = requireString(props, 'AssetKey');
  const wait = parseBoolean(props, 'Wait', true);
  const base = { AppId: appId, BranchName: branchName };
  const previousJob = jobIdOf(event.PhysicalResourceId);
  if (event.RequestType === 'Update' && previousJob !== undefined
    && DEPLOY_KEYS.every(k => props[k] === event.OldResourceProperties?.[k])) {
    console.log(`the content is unchanged: no new deployment (job ${previousJob} stays the current one)`);
    return { PhysicalResourceId: event.PhysicalResourceId, Data: { ...base, ...startWait(), JobId: previousJob, JobArn: '', Status: 'UNCHANGED', Watch: 'false' } };
  }

  const subject = `branch ${branchName} of Amplify app ${appId}`;
  let step = 'ListJobs';
  try {
    const active = await findActiveJob(amplify, appId, branchName);
    if (active?.jobId) {
      throw new ActionableError('Deploying to an Amplify branch', subject, `job ${active.jobId} (${active.jobType}) is still ${active.status}, `
        + 'and Amplify runs one job per branch', `Wait for it to end (${logsHint(appId, branchName, active.jobId)}), then retry the deployment`);
    }
    // The asset is opened first, so a missing or unreadable asset creates no deployment job.
    step = 'reading the asset (s3:GetObject)';
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    if (!(object.Body instanceof Readable) || object.ContentLength === undefined) throw new Error('S3 returned no content stream or length');
    step = 'CreateDeployment';
    const { jobId, zipUploadUrl } = await amplify.send(new CreateDeploymentCommand({ appId, branchName }));
    if (!jobId || !zipUploadUrl) throw new Error('CreateDeployment returned no job id or upload URL');
    step = 'uploading the zip';
    const status = await putStream(zipUploadUrl, object.Body, object.ContentLength, 'application/zip');
    if (status < 200 || status > 299) throw new Error(`the upload URL answered HTTP ${status}`);
    step = 'StartDeployment';
    const { jobSummary } = await amplify.send(new StartDeploymentCommand({ appId, branchName, jobId }));
    console.log(`deployed s3://${bucket}/${key} (${object.ContentLength} bytes) to ${subject}: job ${jobId}`);
    return {
      PhysicalResourceId: jobPhysicalId(appId, branchName, jobId),
      Data: { ...base, ...startWait(), JobId: jobId, JobArn: jobSummary?.jobArn ?? '', Status: jobSummary?.status ?? '', Watch: String(wait) },
    };
  } catch (err) {
    if (err instanceof ActionableError) throw err;
    throw new ActionableError('Deploying to an Amplify branch', subject, `${step} failed: ${messageOf(err)}`, nextStep(err, step));
  }
}

function nextStep(err: unknown, step: string): string {
  if (errorName(err) === 'BadRequestException' && step === 'CreateDeployment') {
    return 'Amplify refuses manual deployments to an app connected to a repository, which this app most likely is (the app was '
      + 'imported, so this could not be checked at synth). Deploy to a branch of an app without a repository (an amplify.App without '
      + 'sourceCodeProvider), or let the repository build this one with branch.startBuild(id)';
  }
  if (errorName(err) === 'BadRequestException') {
    return 'Amplify refused the request; check that the app has no repository (manual deployments need an app without one) and retry';
  }
  if (errorName(err) === 'NotFoundException') return 'The app or branch does not exist; define the branch before its deployment';
  if (isRetryable(err)) return 'Amplify is throttling or at a quota (LimitExceededException); retry the deployment later';
  return 'Check the handler\'s permissions (amplify:CreateDeployment, amplify:StartDeployment and amplify:ListJobs on the branch, '
    + 's3:GetObject on the asset), then retry the deployment';
}
