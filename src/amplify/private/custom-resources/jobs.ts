import { createHash } from 'crypto';
import { AmplifyClient, GetJobCommand, JobSummary, ListJobsCommand, Step, StopJobCommand } from '@aws-sdk/client-amplify';
import type { BUILD_FAMILY } from './contract';
import type { DataOf } from '../../../core/family';
import { ActionableError, isNotFound, isRetryable, messageOf, pollAgainAfter, pollFailureAdvice, startWait, waitExpired } from '../../../core/runtime/handler';
import { TIMEOUT_PROPERTY } from '../../../core/runtime/properties';
import type { IsCompleteRequest, IsCompleteResponse } from '../../../core/runtime/types';

/** Job states from which a job can still end SUCCEED; unknown states count as active too. */
export const ACTIVE_JOB_STATES = ['CREATED', 'PENDING', 'PROVISIONING', 'RUNNING', 'CANCELLING'];
const FAILED_JOB_STATES = ['FAILED', 'CANCELLED'];

/** Where a person reads a job's logs. */
export function logsHint(appId: string, branchName: string, jobId: string): string {
  return `Read its logs in the Amplify console (app ${appId}, branch ${branchName}, job ${jobId}), `
    + `or run: aws amplify get-job --app-id ${appId} --branch-name ${branchName} --job-id ${jobId} (each step has a logUrl)`;
}

/** The branch's newest job that has not ended, if any (ListJobs returns the newest first). */
export async function findActiveJob(client: AmplifyClient, appId: string, branchName: string): Promise<JobSummary | undefined> {
  const { jobSummaries } = await client.send(new ListJobsCommand({ appId, branchName, maxResults: 10 }));
  return (jobSummaries ?? []).find(isActive);
}

/**
 * Stops the branch's jobs (among its latest 50) that have not ended, are not already being cancelled, and are `mine`;
 * returns what happened to each, for the log. A branch or app that is gone has nothing to stop.
 */
export async function stopActiveJobs(
  client: AmplifyClient, appId: string, branchName: string, mine: (job: JobSummary) => boolean,
): Promise<string[]> {
  let jobSummaries: JobSummary[] | undefined;
  try {
    ({ jobSummaries } = await client.send(new ListJobsCommand({ appId, branchName, maxResults: 50 })));
  } catch (err) {
    if (isNotFound(err)) return [];
    throw err;
  }
  const active = (jobSummaries ?? []).filter(job => job.jobId && job.status !== 'CANCELLING' && isActive(job) && mine(job));
  const results: string[] = [];
  for (const job of active) results.push(`job ${job.jobId} (${job.status}) ${await stopJob(client, appId, branchName, job.jobId!)}`);
  return results;
}

/** Whether a job has not ended (unknown states count as active). */
export function isActive(job: JobSummary): boolean {
  return job.status !== undefined && !FAILED_JOB_STATES.includes(job.status) && job.status !== 'SUCCEED';
}

/** The physical id of a resource that watches one job. */
export function jobPhysicalId(appId: string, branchName: string, jobId: string): string {
  return `${appId}/${branchName}/jobs/${jobId}`;
}

/**
 * The physical id of a build: the job it started (or waited for), and a hash of the trigger that job builds, so
 * an Update that arrives at that id with the same trigger (e.g. CloudFormation going back to it in a rollback)
 * is recognised as already built.
 */
export function buildPhysicalId(appId: string, branchName: string, trigger: string, jobId: string): string {
  return `${appId}/${branchName}/${triggerTag(trigger)}/jobs/${jobId}`;
}

/** Whether a physical id made by `buildPhysicalId` names a job of this branch that builds this trigger. */
export function isBuildOf(physicalId: string | undefined, appId: string, branchName: string, trigger: string): boolean {
  const prefix = `${appId}/${branchName}/${triggerTag(trigger)}/jobs/`;
  return physicalId !== undefined && physicalId.startsWith(prefix) && /^\d+$/.test(physicalId.slice(prefix.length));
}

function triggerTag(trigger: string): string {
  return `trigger-${createHash('sha256').update(trigger).digest('hex').slice(0, 16)}`;
}

/** The newest job of a type among the branch's latest jobs (ListJobs returns the newest first). */
export async function latestJobOfType(client: AmplifyClient, appId: string, branchName: string, jobType: string): Promise<JobSummary | undefined> {
  const { jobSummaries } = await client.send(new ListJobsCommand({ appId, branchName, maxResults: 50 }));
  return (jobSummaries ?? []).find(job => job.jobType === jobType);
}

/** The job id at the end of a physical id made by `jobPhysicalId` or `buildPhysicalId`. */
export function jobIdOf(physicalId: string | undefined): string | undefined {
  const match = /\/jobs\/(\d+)$/.exec(physicalId ?? '');
  return match?.[1];
}

function failedStep(steps: Step[] | undefined): string {
  const step = (steps ?? []).find(s => s.status !== undefined && FAILED_JOB_STATES.includes(s.status));
  if (!step) return '';
  return ` (step ${step.stepName} ${step.status}${step.statusReason ? `: ${step.statusReason}` : ''})`;
}

/**
 * Polls the job onEvent started (Data.JobId) until it ends. SUCCEED completes; FAILED or CANCELLED fail
 * with the job id and where to read its logs; every other state, known or not, keeps waiting until the
 * resource's timeout, which stops the job and fails. Throttling on reads polls again.
 */
export async function isJobComplete(client: AmplifyClient, event: IsCompleteRequest, what: string): Promise<IsCompleteResponse> {
  const handedOff = event.Data as Partial<JobData> | undefined;
  if (event.RequestType === 'Delete' || handedOff?.Watch !== 'true') {
    return { IsComplete: true };
  }
  const appId = String(handedOff.AppId);
  const branchName = String(handedOff.BranchName);
  const jobId = String(handedOff.JobId);
  const subject = `job ${jobId} of branch ${branchName} of Amplify app ${appId}`;
  let summary: JobSummary | undefined;
  let steps: Step[] | undefined;
  try {
    const { job } = await client.send(new GetJobCommand({ appId, branchName, jobId }));
    summary = job?.summary;
    steps = job?.steps;
  } catch (err) {
    if (pollAgainAfter(err, event, subject)) return { IsComplete: false };
    if (isRetryable(err)) {
      // Throttled (or a transient service error) up to the deadline: the job's state is unknown, so it is
      // stopped as on any timeout; nothing here points at permissions.
      const seconds = event.ResourceProperties[TIMEOUT_PROPERTY];
      throw new ActionableError(what, subject, `Amplify was still throttling (or failing transiently) when the ${seconds}-second wait ran out, `
        + `so the job's status is unknown (${messageOf(err)}); ${await stopJob(client, appId, branchName, jobId)}`,
      `This is transient: retry the deployment later. ${logsHint(appId, branchName, jobId)}.`);
    }
    throw new ActionableError(what, subject, `reading its status failed: ${messageOf(err)}`, pollFailureAdvice(err, {
      service: 'Amplify',
      notFound: 'The job, branch or app no longer exists: it was deleted outside this stack. Redeploy to start a new job.',
      permissions: 'amplify:GetJob on the job',
    }));
  }
  const status = summary?.status ?? 'UNKNOWN';
  console.log(`${subject} is ${status}`);
  if (status === 'SUCCEED') {
    return { IsComplete: true, Data: { JobId: jobId, JobArn: summary?.jobArn ?? '', Status: status } satisfies Partial<JobData> };
  }
  if (FAILED_JOB_STATES.includes(status)) {
    throw new ActionableError(what, subject, `the job ended ${status}${failedStep(steps)}`,
      `${logsHint(appId, branchName, jobId)}. Fix the cause, then redeploy.`);
  }
  if (waitExpired(event)) {
    const seconds = event.ResourceProperties[TIMEOUT_PROPERTY];
    const stopped = await stopJob(client, appId, branchName, jobId);
    throw new ActionableError(what, subject, `it is still ${status} after ${seconds} seconds; ${stopped}`,
      `${logsHint(appId, branchName, jobId)}. Raise the timeout if the job needs longer, then redeploy.`);
  }
  return { IsComplete: false };
}

/**
 * Stops a job (StopJob, which also ends a manual deployment's job that is still CREATED) and says how that went,
 * for an error message.
 */
export async function stopJob(client: AmplifyClient, appId: string, branchName: string, jobId: string): Promise<string> {
  try {
    await client.send(new StopJobCommand({ appId, branchName, jobId }));
    return 'it was stopped (StopJob)';
  } catch (err) {
    return `stopping it failed (${messageOf(err)}); stop it in the Amplify console, or run: `
      + `aws amplify stop-job --app-id ${appId} --branch-name ${branchName} --job-id ${jobId}`;
  }
}

/** The attributes of the job families (build and deployment have the same). */
type JobData = DataOf<typeof BUILD_FAMILY>;

/** What the job custom resources (build, deployment) return in `Data`, and what their wait reads back. */
export function jobData(
  appId: string, branchName: string, job: { jobId: string; jobArn: string; status: string; watch: boolean },
): Record<string, string> {
  const data: JobData = { AppId: appId, BranchName: branchName, JobId: job.jobId, JobArn: job.jobArn, Status: job.status, Watch: String(job.watch) };
  return { ...startWait(), ...data };
}
