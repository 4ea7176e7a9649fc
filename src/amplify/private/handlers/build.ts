import { AmplifyClient, StartJobCommand } from '@aws-sdk/client-amplify';
import { BuildProperties } from './contract';
import { buildPhysicalId, findActiveJob, isBuildOf, jobData, jobIdOf } from './jobs';
import {
  ActionableError, errorName, isRetryable, logEvent, messageOf, optionalString, parseBoolean, requireString,
} from '../../../core/handlers/runtime';
import type { OnEventRequest, OnEventResponse } from '../../../core/handlers/types';

/** A build's properties (`BuildProperties`) as the handler uses them. */
export interface BuildRequest {
  readonly appId: string;
  readonly branchName: string;
  readonly trigger: string;
  readonly jobReason?: string;
  readonly wait: boolean;
}

/** Reads a build's properties (`BuildProperties`, as CloudFormation delivers them); fails on a missing app or branch. */
export function parseBuild(props: Record<string, any>): BuildRequest {
  const typed = props as Partial<BuildProperties>;
  return {
    appId: requireString(props, 'AppId'),
    branchName: requireString(props, 'BranchName'),
    trigger: String(typed.Trigger ?? ''),
    jobReason: optionalString(props, 'JobReason'),
    wait: parseBoolean(props, 'Wait', false),
  };
}

/** Whether two builds build the same thing: a change of app, branch or trigger starts a new build; other changes (wait, timeout) do not. */
function sameBuild(a: BuildRequest, b: BuildRequest): boolean {
  return a.appId === b.appId && a.branchName === b.branchName && a.trigger === b.trigger;
}

/**
 * Starts a RELEASE job of a repository-connected branch on create and whenever the trigger changes.
 * On create, a job of the branch that is already running is watched instead of overlapped by a second one.
 * On an update with a new trigger, a running job (a webhook build, an older build) is never taken for the build
 * of the new trigger: it is reported and a new RELEASE job starts, which Amplify runs after it.
 * Delete leaves the job history alone. Each started job is a new physical id, which also carries a hash of the
 * trigger its job builds: an Update that arrives at an id whose job already built the trigger (CloudFormation
 * going back to the old id in a rollback) starts nothing.
 */
export async function onBuildEvent(client: AmplifyClient, event: OnEventRequest): Promise<OnEventResponse> {
  logEvent('amplify build', event);
  const props = event.ResourceProperties;
  if (event.RequestType === 'Delete') {
    return { PhysicalResourceId: event.PhysicalResourceId };
  }
  const build = parseBuild(props);
  const { appId, branchName, trigger, wait } = build;
  const old = event.RequestType === 'Update' && event.OldResourceProperties ? parseBuild(event.OldResourceProperties) : undefined;
  const data = (jobId: string, jobArn: string, status: string, watch: boolean) => jobData(appId, branchName, { jobId, jobArn, status, watch });

  const previousJob = jobIdOf(event.PhysicalResourceId);
  if (event.RequestType === 'Update' && previousJob !== undefined
    && (isBuildOf(event.PhysicalResourceId, appId, branchName, trigger) || (old !== undefined && sameBuild(build, old)))) {
    console.log(`the build trigger is unchanged or already built by job ${previousJob}: no new build (it stays the current one)`);
    return { PhysicalResourceId: event.PhysicalResourceId, Data: data(previousJob, '', 'UNCHANGED', false) };
  }

  const subject = `branch ${branchName} of Amplify app ${appId}`;
  try {
    const active = await findActiveJob(client, appId, branchName);
    if (active?.jobId && old !== undefined && trigger !== old.trigger) {
      // It builds an older trigger (or a commit a webhook saw): the new trigger needs a build of its own.
      console.log(`job ${active.jobId} (${active.jobType}) of ${subject} is ${active.status}, but it does not build the new trigger: `
        + 'starting a new build, which Amplify runs after it');
    } else if (active?.jobId) {
      console.log(`job ${active.jobId} (${active.jobType}) of ${subject} is already ${active.status}: `
        + `${wait ? 'waiting for it' : 'reporting it'} instead of starting an overlapping build`);
      return {
        PhysicalResourceId: buildPhysicalId(appId, branchName, trigger, active.jobId),
        Data: data(active.jobId, active.jobArn ?? '', active.status ?? '', wait),
      };
    }
    const { jobSummary } = await client.send(new StartJobCommand({
      appId, branchName, jobType: 'RELEASE', jobReason: build.jobReason,
    }));
    const jobId = jobSummary?.jobId;
    if (!jobId) throw new Error('StartJob returned no job id');
    console.log(`started job ${jobId} of ${subject}`);
    return {
      PhysicalResourceId: buildPhysicalId(appId, branchName, trigger, jobId),
      Data: data(jobId, jobSummary?.jobArn ?? '', jobSummary?.status ?? '', wait),
    };
  } catch (err) {
    throw new ActionableError('Starting an Amplify build', subject, messageOf(err), nextStep(err));
  }
}

function nextStep(err: unknown): string {
  if (errorName(err) === 'NotFoundException') return 'The app or branch does not exist; check that the branch is defined before the build';
  if (errorName(err) === 'BadRequestException') {
    return 'StartJob (RELEASE) only works for apps connected to a repository; deploy a manual-deploy app with BranchDeployment instead';
  }
  if (isRetryable(err)) return 'Amplify is throttling or at a quota (LimitExceededException); retry the deployment later';
  return 'Check the handler\'s permissions (amplify:StartJob and amplify:ListJobs on the branch), then retry the deployment';
}
