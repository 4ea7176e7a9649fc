import { createHash } from 'crypto';
import { AmplifyClient, StartJobCommand } from '@aws-sdk/client-amplify';
import { BUILD_FAMILY, BuildRequest } from './contract';
import { buildPhysicalId, findActiveJob, isBuildOf, jobData, jobIdOf, stopActiveJobs } from './jobs';
import { ActionableError, errorName, FAILED_CREATE_ID, isRetryable, logEvent, messageOf } from '../../../core/runtime/handler';
import type { OnEventRequest, OnEventResponse } from '../../../core/runtime/types';

/** Whether two builds build the same thing: a change of app, branch or trigger starts a new build; other changes (wait, timeout) do not. */
function sameBuild(a: BuildRequest, b: BuildRequest): boolean {
  return a.appId === b.appId && a.branchName === b.branchName && a.trigger === b.trigger;
}

/**
 * Starts a RELEASE job of a repository-connected branch on create and whenever the trigger changes.
 * On create, a job of the branch that is already running is watched instead of overlapped by a second one.
 * On an update with a new trigger, a running job (a webhook build, an older build) is never taken for the build
 * of the new trigger: it is reported and a new RELEASE job starts, which Amplify runs after it.
 * Each job it starts carries a marker of the resource and its trigger in its commit message (`buildMarker`): the
 * Delete of an id CloudFormation invented (a cancelled Create), and the rollback Update of a cancelled change of
 * trigger, stop the job that request started. Delete otherwise leaves the job history alone. Each started job is a new physical id, which also carries a hash of the
 * trigger its job builds: an Update that arrives at an id whose job already built the trigger (CloudFormation
 * going back to the old id in a rollback) starts nothing.
 */
export async function onBuildEvent(client: AmplifyClient, event: OnEventRequest): Promise<OnEventResponse> {
  logEvent('amplify build', event);
  const props = event.ResourceProperties;
  if (event.RequestType === 'Delete') {
    const physicalId = event.PhysicalResourceId;
    if (physicalId !== FAILED_CREATE_ID && jobIdOf(physicalId) === undefined) {
      // An id this handler never returned: CloudFormation cancelled the Create and invented it. The job the Create
      // started carries this resource's marker in its commit message.
      console.log(`${physicalId} is not an id this resource returned: CloudFormation cancelled the Create`);
      await stopMarked(client, event, BUILD_FAMILY.parse(props), true);
    }
    return { PhysicalResourceId: physicalId };
  }
  const build = BUILD_FAMILY.parse(props);
  const { appId, branchName, trigger, wait } = build;
  const old = event.RequestType === 'Update' && event.OldResourceProperties ? BUILD_FAMILY.parse(event.OldResourceProperties) : undefined;
  const data = (jobId: string, jobArn: string, status: string, watch: boolean) => jobData(appId, branchName, { jobId, jobArn, status, watch });

  const previousJob = jobIdOf(event.PhysicalResourceId);
  if (event.RequestType === 'Update' && previousJob !== undefined
    && (isBuildOf(event.PhysicalResourceId, appId, branchName, trigger) || (old !== undefined && sameBuild(build, old)))) {
    if (old !== undefined && !sameBuild(build, old)) {
      // Back at the id of a build of this trigger from another one: the rollback of an update CloudFormation cancelled
      // (it never got the new id, so no Delete reaches it). The job that update started is stopped.
      await stopMarked(client, event, old, false);
    }
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
      appId, branchName, jobType: 'RELEASE', jobReason: build.jobReason, commitMessage: commitMessage(event, build),
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

/**
 * What marks the jobs this resource starts for a trigger: a hash of the stack, the logical id, the branch and the
 * trigger, which every request of the resource knows (also the Delete of an id CloudFormation invented). ListJobs
 * returns a job's commit message, not its jobReason, so the marker goes there.
 */
export function buildMarker(event: Pick<OnEventRequest, 'StackId' | 'LogicalResourceId'>, build: BuildRequest): string {
  const hash = createHash('sha256').update(JSON.stringify([event.StackId, event.LogicalResourceId, build.appId, build.branchName, build.trigger]));
  return `[cdk-devtools build ${hash.digest('hex').slice(0, 20)}]`;
}

/** The commit message of a job the resource starts: the reason, if any, and the marker. */
function commitMessage(event: OnEventRequest, build: BuildRequest): string {
  return `${build.jobReason ? `${build.jobReason} ` : ''}${buildMarker(event, build)}`;
}

/**
 * Stops the jobs still active that carry the marker of `build` (a cancelled request's). `required`: a failure fails
 * the request (a Delete, retried by CloudFormation); otherwise it is logged (a rollback, which must not fail, with a
 * role that may not reach another branch).
 */
async function stopMarked(client: AmplifyClient, event: OnEventRequest, build: BuildRequest, required: boolean): Promise<void> {
  const { appId, branchName } = build;
  const subject = `branch ${branchName} of Amplify app ${appId}`;
  const marker = buildMarker(event, build);
  try {
    const stopped = await stopActiveJobs(client, appId, branchName, job => (job.commitMessage ?? '').includes(marker));
    console.log(`the build of ${subject} was cancelled: ${stopped.length > 0 ? stopped.join('; ') : 'no job of it is still active'}`);
  } catch (err) {
    const way = `stop its job (commit message ending ${marker}) in the Amplify console, or with aws amplify stop-job`;
    if (!required) {
      console.log(`looking for the cancelled build's job of ${subject} failed (${messageOf(err)}): ${way}`);
      return;
    }
    throw new ActionableError('Stopping the build CloudFormation cancelled', subject, messageOf(err),
      isRetryable(err) ? 'Amplify is throttling; retry the deletion' : `Check the handler's permissions (amplify:ListJobs and amplify:StopJob on the branch), or ${way}`);
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
