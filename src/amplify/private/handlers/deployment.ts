import { Readable } from 'stream';
import { AmplifyClient, CreateDeploymentCommand, StartDeploymentCommand } from '@aws-sdk/client-amplify';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DeploymentProperties } from './contract';
import { findActiveJob, jobData, jobIdOf, latestJobOfType, logsHint, stopJob } from './jobs';
import { isTransientUploadFailure, putStream, UploadTimeoutError } from './upload';
import {
  ActionableError, errorName, isRetryable, logEvent, messageOf, parseBoolean, requireString,
} from '../../../core/handlers/runtime';
import type { OnEventRequest, OnEventResponse } from '../../../core/handlers/types';

/** A deployment's properties (`DeploymentProperties`) as the handler uses them. */
export interface DeploymentRequest {
  readonly appId: string;
  readonly branchName: string;
  readonly assetBucket: string;
  readonly assetKey: string;
  readonly wait: boolean;
}

/** Reads a deployment's properties (`DeploymentProperties`, as CloudFormation delivers them); fails on a missing one. */
export function parseDeployment(props: Record<string, any>): DeploymentRequest {
  const key = (name: keyof DeploymentProperties) => requireString(props, name);
  return {
    appId: key('AppId'),
    branchName: key('BranchName'),
    assetBucket: key('AssetBucket'),
    assetKey: key('AssetKey'),
    wait: parseBoolean(props, 'Wait', true),
  };
}

/** Whether two deployments deploy the same content to the same branch; other changes (wait, timeout) deploy nothing. */
function sameContent(a: DeploymentRequest, b: DeploymentRequest): boolean {
  return a.appId === b.appId && a.branchName === b.branchName && a.assetBucket === b.assetBucket && a.assetKey === b.assetKey;
}

/** How often an upload that failed transiently (a network error, HTTP 5xx) is attempted in all. */
export const UPLOAD_ATTEMPTS = 3;
/** The time the handler keeps for itself after an upload: stopping the job and answering CloudFormation. */
export const UPLOAD_RESERVE_MS = 20_000;

/** What the Lambda entry knows about its invocation. */
export interface DeploymentRuntime {
  /** The milliseconds left before Lambda ends the invocation (`context.getRemainingTimeInMillis`); unbounded without. */
  readonly remainingTimeMs?: () => number;
  /** The delay before the second upload attempt, doubled before each further one. @default 1000 */
  readonly retryDelayMs?: number;
}

/** The physical id of the deployment to a branch: one per branch, so new content is an in-place update. */
export function deploymentPhysicalId(appId: string, branchName: string): string {
  return `${appId}/${branchName}/deployment`;
}

/** Whether a physical id names the deployment to this branch (also the job-per-deploy ids of earlier versions). */
function namesBranch(physicalId: string | undefined, appId: string, branchName: string): boolean {
  if (physicalId === undefined) return false;
  if (physicalId === deploymentPhysicalId(appId, branchName)) return true;
  const legacy = `${appId}/${branchName}/jobs/`;
  return physicalId.startsWith(legacy) && /^\d+$/.test(physicalId.slice(legacy.length));
}

/**
 * Deploys a zip (a CDK asset) to a branch of an app without a repository: CreateDeployment, PUT the zip to
 * the returned upload URL, StartDeployment. Amplify runs one job per branch at a time, so a job that is
 * already running is reported (with its id) rather than overlapped. The physical id stays the same while
 * the branch does (a change of app or branch is a new one), so new content is an in-place Update, and a
 * rollback arrives as an Update back to the old asset, which deploys it again. A failed upload is attempted
 * again on network errors and HTTP 5xx, within the invocation's remaining time; any failure between
 * CreateDeployment and StartDeployment stops the job, which would otherwise block the branch for 8 hours.
 * Delete leaves the deployed content and the job history alone.
 */
export async function onDeploymentEvent(
  amplify: AmplifyClient, s3: S3Client, event: OnEventRequest, runtime: DeploymentRuntime = {},
): Promise<OnEventResponse> {
  logEvent('amplify deployment', event);
  const props = event.ResourceProperties;
  if (event.RequestType === 'Delete') {
    return { PhysicalResourceId: event.PhysicalResourceId };
  }
  const deployment = parseDeployment(props);
  const { appId, branchName, assetBucket: bucket, assetKey: key, wait } = deployment;
  const data = (jobId: string, jobArn: string, status: string, watch: boolean) => jobData(appId, branchName, { jobId, jobArn, status, watch });
  const physicalId = event.RequestType === 'Update' && namesBranch(event.PhysicalResourceId, appId, branchName)
    ? event.PhysicalResourceId!
    : deploymentPhysicalId(appId, branchName);
  if (event.RequestType === 'Update' && event.OldResourceProperties && sameContent(deployment, parseDeployment(event.OldResourceProperties))) {
    const current = await currentJob(amplify, appId, branchName, event.PhysicalResourceId);
    console.log(`the content is unchanged: no new deployment (job ${current || '(unknown)'} stays the current one)`);
    return { PhysicalResourceId: physicalId, Data: data(current, '', 'UNCHANGED', false) };
  }

  const subject = `branch ${branchName} of Amplify app ${appId}`;
  let step = 'ListJobs';
  /** The job CreateDeployment made, until StartDeployment has started it. */
  let created: string | undefined;
  let size = 0;
  try {
    const active = await findActiveJob(amplify, appId, branchName);
    if (active?.jobId) {
      throw new ActionableError('Deploying to an Amplify branch', subject, `job ${active.jobId} (${active.jobType}) is still ${active.status}, `
        + 'and Amplify runs one job per branch', `Wait for it to end (${logsHint(appId, branchName, active.jobId)}), then retry the deployment`);
    }
    // The asset is opened first, so a missing or unreadable asset creates no deployment job.
    step = 'reading the asset (s3:GetObject)';
    const openAsset = async () => {
      const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      if (!(object.Body instanceof Readable) || object.ContentLength === undefined) throw new Error('S3 returned no content stream or length');
      return { body: object.Body, length: object.ContentLength };
    };
    const first = await openAsset();
    size = first.length;
    step = 'CreateDeployment';
    const { jobId, zipUploadUrl } = await amplify.send(new CreateDeploymentCommand({ appId, branchName }));
    if (!jobId) throw new Error('CreateDeployment returned no job id');
    created = jobId;
    if (!zipUploadUrl) throw new Error('CreateDeployment returned no upload URL');
    step = 'uploading the zip';
    await upload(zipUploadUrl, first, openAsset, runtime);
    step = 'StartDeployment';
    const { jobSummary } = await amplify.send(new StartDeploymentCommand({ appId, branchName, jobId }));
    created = undefined;
    console.log(`deployed s3://${bucket}/${key} (${size} bytes) to ${subject}: job ${jobId}`);
    return {
      PhysicalResourceId: physicalId,
      Data: data(jobId, jobSummary?.jobArn ?? '', jobSummary?.status ?? '', wait),
    };
  } catch (err) {
    if (err instanceof ActionableError) throw err;
    // A job CreateDeployment made and nothing started counts against the branch until it fails 8 hours later.
    const cleanup = created === undefined ? '' : `; job ${created} of the deployment ${await stopJob(amplify, appId, branchName, created)}`
      + ' so that it does not block the branch';
    if (err instanceof UploadTimeoutError) {
      throw new ActionableError('Deploying to an Amplify branch', subject, `uploading the zip (${megabytes(size)}) did not finish in the `
        + `${Math.round(err.timeoutMs / 1000)} seconds the handler had left${cleanup}`,
      'Retry the deployment: a slow upload is often transient. If it keeps timing out, make the site smaller (leave out source maps, '
        + 'serve large media from S3 or CloudFront)');
    }
    throw new ActionableError('Deploying to an Amplify branch', subject, `${step} failed: ${messageOf(err)}${cleanup}`, nextStep(err, step));
  }
}

/** The job the resource last deployed, for an update that deploys nothing: the branch's newest manual job. */
async function currentJob(amplify: AmplifyClient, appId: string, branchName: string, physicalId: string | undefined): Promise<string> {
  try {
    return (await latestJobOfType(amplify, appId, branchName, 'MANUAL'))?.jobId ?? jobIdOf(physicalId) ?? '';
  } catch (err) {
    console.log(`reading the branch's jobs failed (${messageOf(err)}); the job id is taken from the physical id`);
    return jobIdOf(physicalId) ?? '';
  }
}

interface Content {
  readonly body: Readable;
  readonly length: number;
}

/**
 * PUTs the zip to the upload URL; a network error or HTTP 5xx is attempted again (with the asset read again)
 * after a growing delay, up to UPLOAD_ATTEMPTS in all, each bounded by the invocation's remaining time.
 */
async function upload(url: string, first: Content, open: () => Promise<Content>, runtime: DeploymentRuntime): Promise<void> {
  let delay = runtime.retryDelayMs ?? 1000;
  const budget = () => (runtime.remainingTimeMs ? runtime.remainingTimeMs() - UPLOAD_RESERVE_MS : undefined);
  for (let attempt = 1; ; attempt++) {
    const content = attempt === 1 ? first : await open();
    const timeoutMs = budget();
    if (timeoutMs !== undefined && timeoutMs <= 0) {
      content.body.destroy();
      throw new UploadTimeoutError(0);
    }
    let failure: { status?: number; error?: unknown };
    try {
      const status = await putStream(url, content.body, content.length, 'application/zip', timeoutMs);
      if (status >= 200 && status <= 299) return;
      failure = { status };
    } catch (error) {
      failure = { error };
    }
    const reason = failure.status !== undefined ? new Error(`the upload URL answered HTTP ${failure.status}`) : failure.error;
    const left = budget();
    if (attempt >= UPLOAD_ATTEMPTS || !isTransientUploadFailure(failure) || (left !== undefined && left <= delay)) {
      if (attempt > 1 && reason instanceof Error) reason.message += ` (attempt ${attempt} of ${UPLOAD_ATTEMPTS})`;
      throw reason;
    }
    console.log(`upload attempt ${attempt} failed (${messageOf(reason)}); trying again in ${delay} ms`);
    await new Promise(resolve => setTimeout(resolve, delay));
    delay *= 2;
  }
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
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
  if (step === 'uploading the zip') {
    return 'The upload URL refused the zip or could not be reached; retry the deployment (a new deployment gets a new upload URL)';
  }
  return 'Check the handler\'s permissions (amplify:CreateDeployment, amplify:StartDeployment and amplify:ListJobs on the branch, '
    + 's3:GetObject on the asset), then retry the deployment';
}
