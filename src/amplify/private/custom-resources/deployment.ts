import { Readable } from 'stream';
import { AmplifyClient, CreateDeploymentCommand, JobSummary, ListJobsCommand, StartDeploymentCommand } from '@aws-sdk/client-amplify';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DEPLOYMENT_FAMILY, DeploymentRequest } from './contract';
import { isActive, jobData, jobIdOf, latestJobOfType, logsHint, stopActiveJobs, stopJob } from './jobs';
import { isTransientUploadFailure, putStream, UploadTimeoutError } from './upload';
import { ActionableError, errorName, FAILED_CREATE_ID, isNotFound, isRetryable, logEvent, messageOf } from '../../../core/runtime/handler';
import type { OnEventRequest, OnEventResponse } from '../../../core/runtime/types';

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
 * An Update of the branch supersedes (stops) a manual job still running on it; one that finds the app or branch
 * deleted outside the stack succeeds without deploying (Status `NOT_FOUND`), so its rollback does too. A rollback
 * from another branch stops the deployment the cancelled move started there. A CREATED job left by a lost
 * CreateDeployment response is stopped. Delete leaves the deployed content and the job history alone, except the
 * Delete of an id CloudFormation invented for a cancelled Create, which stops the job that Create started.
 */
export async function onDeploymentEvent(
  amplify: AmplifyClient, s3: S3Client, event: OnEventRequest, runtime: DeploymentRuntime = {},
): Promise<OnEventResponse> {
  logEvent('amplify deployment', event);
  const props = event.ResourceProperties;
  if (event.RequestType === 'Delete') {
    return deleteDeployment(amplify, event);
  }
  const deployment = DEPLOYMENT_FAMILY.parse(props);
  const { appId, branchName, assetBucket: bucket, assetKey: key, wait } = deployment;
  const data = (jobId: string, jobArn: string, status: string, watch: boolean) => jobData(appId, branchName, { jobId, jobArn, status, watch });
  /** An Update of this branch's deployment (new content, or a rollback to the old), not a move to another branch. */
  const inPlace = event.RequestType === 'Update' && namesBranch(event.PhysicalResourceId, appId, branchName);
  const physicalId = inPlace ? event.PhysicalResourceId! : deploymentPhysicalId(appId, branchName);
  const old = event.RequestType === 'Update' && event.OldResourceProperties ? DEPLOYMENT_FAMILY.parse(event.OldResourceProperties) : undefined;
  if (inPlace && old !== undefined && (old.appId !== appId || old.branchName !== branchName)) {
    // Back at this branch's id from another branch: the rollback of a move that CloudFormation cancelled (it never got
    // the other branch's id, so no Delete will reach it). Its deployment is stopped if this role may (a role covers one
    // branch); the rollback never fails for it.
    try {
      await stopAbandoned(amplify, old);
    } catch (err) {
      console.log(`${messageOf(err)}: the deployment to branch ${old.branchName} runs to its end`);
    }
  }
  if (event.RequestType === 'Update' && old !== undefined && sameContent(deployment, old)) {
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
    const { jobSummaries: before } = await amplify.send(new ListJobsCommand({ appId, branchName, maxResults: 10 }));
    const newestBefore = Math.max(0, ...(before ?? []).map(job => Number(job.jobId)).filter(Number.isFinite));
    const active = (before ?? []).find(isActive);
    if (active?.jobId && inPlace && active.jobType === 'MANUAL') {
      // This resource deploys the branch's content: a deployment still running (the one an Update CloudFormation cancelled
      // started, whose rollback this is, or one from the console) is superseded by the content the template says.
      console.log(`job ${active.jobId} (MANUAL) of ${subject} is still ${active.status}: `
        + `superseding it, ${await stopJob(amplify, appId, branchName, active.jobId)}`);
    } else if (active?.jobId) {
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
    if (Number(jobId) > newestBefore + 1) await stopLostAttempts(amplify, appId, branchName, newestBefore, jobId);
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
    if (inPlace && step === 'ListJobs' && isNotFound(err)) {
      // Deleted outside the stack: failing would fail the rollback (an Update back to the old content) too, and leave the
      // stack in UPDATE_ROLLBACK_FAILED.
      console.log(`${subject} is gone (deleted outside this stack): nothing to deploy to`);
      return { PhysicalResourceId: physicalId, Data: data('', '', GONE, false) };
    }
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

/** The `Status` of a deployment whose app or branch was deleted outside the stack (not one of Amplify's job states). */
export const GONE = 'NOT_FOUND';

/**
 * A Delete. An id this handler returned leaves the deployed content and the job history alone. Any other id (but the
 * provider framework's for a failed Create) is one CloudFormation invented when it cancelled the Create: the Create
 * refused to start beside another job, so a MANUAL job of the branch still active is the one it started (or one started
 * since), and it is stopped.
 */
async function deleteDeployment(amplify: AmplifyClient, event: OnEventRequest): Promise<OnEventResponse> {
  const physicalId = event.PhysicalResourceId;
  const { appId, branchName } = DEPLOYMENT_FAMILY.parse(event.ResourceProperties);
  if (physicalId === FAILED_CREATE_ID || namesBranch(physicalId, appId, branchName)) return { PhysicalResourceId: physicalId };
  console.log(`${physicalId} is not an id this resource returned: CloudFormation cancelled the Create`);
  await stopAbandoned(amplify, { appId, branchName });
  return { PhysicalResourceId: physicalId };
}

/** Stops the MANUAL jobs still active on a branch this resource left (a cancelled Create or move); says what it did. */
async function stopAbandoned(amplify: AmplifyClient, target: { appId: string; branchName: string }): Promise<void> {
  const { appId, branchName } = target;
  const subject = `branch ${branchName} of Amplify app ${appId}`;
  try {
    const stopped = await stopActiveJobs(amplify, appId, branchName, job => job.jobType === 'MANUAL');
    console.log(`the deployment to ${subject} was cancelled: ${stopped.length > 0 ? stopped.join('; ') : 'no job of it is still active'}`);
  } catch (err) {
    throw new ActionableError('Stopping the deployment CloudFormation cancelled', subject, messageOf(err), nextStep(err, 'ListJobs'));
  }
}

/**
 * CreateDeployment takes no idempotency token: when its response was lost, the SDK's retry made another job. The
 * CREATED manual jobs between the branch's newest job before the call and the one returned are those attempts (or a
 * CreateDeployment someone ran in the same instant): stopped, since a CREATED job counts against the branch.
 */
async function stopLostAttempts(amplify: AmplifyClient, appId: string, branchName: string, newestBefore: number, jobId: string): Promise<void> {
  const lost = (job: JobSummary) => job.jobType === 'MANUAL' && job.status === 'CREATED' && Number(job.jobId) > newestBefore && job.jobId !== jobId;
  try {
    const stopped = await stopActiveJobs(amplify, appId, branchName, lost);
    if (stopped.length > 0) console.log(`CreateDeployment made more than job ${jobId} (a lost response, retried): ${stopped.join('; ')}`);
  } catch (err) {
    console.log(`looking for jobs of a lost CreateDeployment response failed (${messageOf(err)}); `
      + `a CREATED manual job of branch ${branchName} older than job ${jobId} can be stopped with aws amplify stop-job`);
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
