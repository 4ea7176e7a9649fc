import { AmplifyClient, GetJobCommand, JobSummary, ListJobsCommand, Step, StopJobCommand } from '@aws-sdk/client-amplify';
import {
  ActionableError, isRetryable, messageOf, pollFailureAdvice, TIMEOUT_PROPERTY, waitExpired,
} from '../../../core/handlers/runtime';
import type { IsCompleteRequest, IsCompleteResponse } from '../../../core/handlers/types';

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
  return (jobSummaries ?? []).find(job => job.status !== undefined && !FAILED_JOB_STATES.includes(job.status) && job.status !== 'SUCCEED');
}

/** The physical id of a resource that watches one job. */
export function jobPhysicalId(appId: string, branchName: string, jobId: string): string {
  return `${appId}/${branchName}/jobs/${jobId}`;
}

/** The job id at the end of a physical id made by `jobPhysicalId`. */
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
  if (event.RequestType === 'Delete' || event.Data?.Watch !== 'true') {
    return { IsComplete: true };
  }
  const appId = String(event.Data.AppId);
  const branchName = String(event.Data.BranchName);
  const jobId = String(event.Data.JobId);
  const subject = `job ${jobId} of branch ${branchName} of Amplify app ${appId}`;
  let summary: JobSummary | undefined;
  let steps: Step[] | undefined;
  try {
    const { job } = await client.send(new GetJobCommand({ appId, branchName, jobId }));
    summary = job?.summary;
    steps = job?.steps;
  } catch (err) {
    if (isRetryable(err) && !waitExpired(event)) {
      console.log(`transient error reading ${subject}, polling again: ${messageOf(err)}`);
      return { IsComplete: false };
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
    return { IsComplete: true, Data: { JobId: jobId, JobArn: summary?.jobArn ?? '', Status: status } };
  }
  if (FAILED_JOB_STATES.includes(status)) {
    throw new ActionableError(what, subject, `the job ended ${status}${failedStep(steps)}`,
      `${logsHint(appId, branchName, jobId)}. Fix the cause, then redeploy.`);
  }
  if (waitExpired(event)) {
    const seconds = event.ResourceProperties[TIMEOUT_PROPERTY];
    let stopped = 'it was stopped (StopJob)';
    try {
      await client.send(new StopJobCommand({ appId, branchName, jobId }));
    } catch (err) {
      stopped = `stopping it failed (${messageOf(err)}); stop it in the Amplify console`;
    }
    throw new ActionableError(what, subject, `it is still ${status} after ${seconds} seconds; ${stopped}`,
      `${logsHint(appId, branchName, jobId)}. Raise the timeout if the job needs longer, then redeploy.`);
  }
  return { IsComplete: false };
}
