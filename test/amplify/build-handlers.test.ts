import { AmplifyClient, GetJobCommand, JobStatus, ListJobsCommand, StartJobCommand, StopJobCommand } from '@aws-sdk/client-amplify';
import { AMPLIFY_API } from '../../src/amplify/private/api-constraints';
import { buildMarker, onBuildEvent } from '../../src/amplify/private/custom-resources/build';
import { BUILD_FAMILY } from '../../src/amplify/private/custom-resources/contract';
import { isJobComplete } from '../../src/amplify/private/custom-resources/jobs';
import {
  awsError, createEvent, deleteEvent, expectValidSdkInputs, handlerMocks, isCompleteEvent, updateEvent,
} from '../kit';
import { jobStep, jobSummary } from './support';

/** A state a newer Amplify may return: the SDK's type lists the known ones only, so this one is typed as one of them. */
const NEW_STATE = 'SOME_NEW_STATE' as JobStatus;

const [mock] = handlerMocks(AmplifyClient);
const client = new AmplifyClient({ region: 'us-east-1' });
const APP = 'd1a2b3c4d5e6f7';
const JOB_ARN = `arn:aws:amplify:us-east-1:123456789012:apps/${APP}/branches/main/jobs/0000000007`;
const props = { AppId: APP, BranchName: 'main', Trigger: 'abc', Wait: true, TimeoutSeconds: 600 };
const WHAT = 'Waiting for the Amplify build to succeed';
/** A build's physical id: the branch, a hash of the trigger its job builds, and the job. */
const buildId = (jobId: string) => new RegExp(`^${APP}/main/trigger-[0-9a-f]{16}/jobs/${jobId}$`);


function started(jobId = '7', status = 'PENDING') {
  return {
    PhysicalResourceId: `${APP}/main/jobs/${jobId}`,
    Data: { AppId: APP, BranchName: 'main', JobId: jobId, JobArn: JOB_ARN, Status: status, Watch: 'true', WaitStartedAt: String(Date.now()) },
  };
}

describe('build onEvent', () => {
  test('create starts a RELEASE job and keys the resource on it', async () => {
    mock.on(ListJobsCommand, { appId: APP, branchName: 'main' }).resolves({ jobSummaries: [jobSummary({ jobId: '6', status: 'SUCCEED' })] });
    mock.on(StartJobCommand).resolves({ jobSummary: jobSummary({ jobId: '7', jobArn: JOB_ARN, status: 'PENDING' }) });
    const result = await onBuildEvent(client, createEvent({ ...props, JobReason: 'first deploy' }));
    expect(result).toEqual({
      PhysicalResourceId: expect.stringMatching(buildId('7')),
      Data: { AppId: APP, BranchName: 'main', JobId: '7', JobArn: JOB_ARN, Status: 'PENDING', Watch: 'true', WaitStartedAt: expect.stringMatching(/^\d+$/) },
    });
    // The commit message carries the marker the Delete of a cancelled Create finds the job by.
    expect(mock).toHaveReceivedCommandWith(StartJobCommand, {
      appId: APP, branchName: 'main', jobType: 'RELEASE', jobReason: 'first deploy', commitMessage: expect.stringMatching(/^first deploy \[cdk-devtools build [0-9a-f]{20}\]$/),
    });
    expectValidSdkInputs(mock, AMPLIFY_API);
  });

  test('an update that changes the trigger starts a new job (a new physical id)', async () => {
    mock.on(ListJobsCommand).resolves({ jobSummaries: [] });
    mock.on(StartJobCommand).resolves({ jobSummary: jobSummary({ jobId: '8', jobArn: JOB_ARN, status: 'PENDING' }) });
    const result = await onBuildEvent(client, updateEvent(`${APP}/main/jobs/7`, props, { ...props, Trigger: 'old' }));
    expect(result.PhysicalResourceId).toMatch(buildId('8'));
    expectValidSdkInputs(mock, AMPLIFY_API);
  });

  test('an update with a new trigger does not adopt a running job: it reports it and starts a new RELEASE job', async () => {
    mock.on(ListJobsCommand).resolves({ jobSummaries: [jobSummary({ jobId: '9', jobArn: JOB_ARN, status: 'RUNNING', jobType: 'WEB_HOOK' })] });
    mock.on(StartJobCommand).resolves({ jobSummary: jobSummary({ jobId: '10', jobArn: JOB_ARN, status: 'PENDING' }) });
    const result = await onBuildEvent(client, updateEvent(`${APP}/main/jobs/7`, props, { ...props, Trigger: 'old' }));
    expect(result.PhysicalResourceId).toMatch(buildId('10'));
    expect(result.Data).toMatchObject({ JobId: '10', Watch: 'true', Status: 'PENDING' });
    expect(mock).toHaveReceivedCommandWith(StartJobCommand, { appId: APP, branchName: 'main', jobType: 'RELEASE' });
    expect(console.log).toHaveBeenCalledWith(expect.stringContaining('job 9 (WEB_HOOK) of branch main'));
    expectValidSdkInputs(mock, AMPLIFY_API);
  });

  test('an Update back to an id whose job already built the trigger (a replacement rollback) starts nothing, and stops the new trigger\'s job', async () => {
    mock.on(ListJobsCommand).resolves({ jobSummaries: [] });
    mock.on(StartJobCommand).resolves({ jobSummary: jobSummary({ jobId: '7', jobArn: JOB_ARN, status: 'PENDING' }) });
    const created = await onBuildEvent(client, createEvent(props));
    const v2 = { ...props, Trigger: 'v2' };
    const v2Message = buildMarker(createEvent(v2), BUILD_FAMILY.parse(v2));
    mock.on(ListJobsCommand).resolves({
      jobSummaries: [jobSummary({ jobId: '9', status: 'RUNNING', commitMessage: 'a webhook build' }), jobSummary({ jobId: '8', status: 'RUNNING', commitMessage: v2Message })],
    });
    mock.on(StopJobCommand).resolves({ jobSummary: jobSummary({ jobId: '8', status: 'CANCELLING' }) });
    mock.resetHistory();
    // CloudFormation goes back to the old id: the old properties are the new ones now, the new ones the old.
    const back = await onBuildEvent(client, updateEvent(created.PhysicalResourceId!, props, v2));
    expect(back).toMatchObject({ PhysicalResourceId: created.PhysicalResourceId, Data: { JobId: '7', Status: 'UNCHANGED', Watch: 'false' } });
    expect(mock.commandCalls(StopJobCommand).map(c => c.args[0].input)).toEqual([{ appId: APP, branchName: 'main', jobId: '8' }]);
    expect(mock).not.toHaveReceivedCommand(StartJobCommand);
    // A rollback never fails for it: a refused look is only logged.
    mock.on(ListJobsCommand).rejects(awsError('UnauthorizedException'));
    await expect(onBuildEvent(client, updateEvent(created.PhysicalResourceId!, props, v2))).resolves.toMatchObject({ Data: { Status: 'UNCHANGED' } });
    expect(console.log).toHaveBeenCalledWith(expect.stringContaining('looking for the cancelled build\'s job of branch main'));
    expectValidSdkInputs(mock, AMPLIFY_API);
  });

  test('the Delete of an id CloudFormation invented stops the job the cancelled Create started, found by its marker', async () => {
    const marker = buildMarker(createEvent(props), BUILD_FAMILY.parse(props));
    mock.on(ListJobsCommand).resolves({
      jobSummaries: [jobSummary({ jobId: '8', status: 'RUNNING', commitMessage: marker }), jobSummary({ jobId: '7', status: 'SUCCEED', commitMessage: marker })],
    });
    mock.on(StopJobCommand).resolves({ jobSummary: jobSummary({ jobId: '8', status: 'CANCELLING' }) });
    const invented = 'TestStack-Build-1A2B3C4D5E6F';
    await expect(onBuildEvent(client, deleteEvent(invented, props))).resolves.toEqual({ PhysicalResourceId: invented });
    expect(mock.commandCalls(StopJobCommand).map(c => c.args[0].input)).toEqual([{ appId: APP, branchName: 'main', jobId: '8' }]);
    // Another resource's marker (another logical id) is not this one's.
    expect(buildMarker({ StackId: createEvent(props).StackId, LogicalResourceId: 'Other' }, BUILD_FAMILY.parse(props))).not.toBe(marker);
    // A failed look fails the Delete (CloudFormation retries it) with the way out; the failed-create marker calls nothing.
    mock.on(ListJobsCommand).rejects(awsError('UnauthorizedException'));
    await expect(onBuildEvent(client, deleteEvent(invented, props))).rejects.toThrow(/Stopping the build CloudFormation cancelled failed.*amplify:ListJobs and amplify:StopJob on the branch/);
    mock.resetHistory();
    await onBuildEvent(client, deleteEvent('AWSCDK::CustomResourceProviderFramework::CREATE_FAILED', props));
    expect(mock.calls()).toHaveLength(0);
  });

  test('an update that changes only the wait starts nothing and does not wait', async () => {
    const result = await onBuildEvent(client, updateEvent(`${APP}/main/jobs/7`, props, { ...props, Wait: false, TimeoutSeconds: 60 }));
    expect(result.PhysicalResourceId).toBe(`${APP}/main/jobs/7`);
    expect(result.Data).toMatchObject({ JobId: '7', Watch: 'false', Status: 'UNCHANGED' });
    expect(mock.calls()).toHaveLength(0);
    await expect(isJobComplete(client, isCompleteEvent(updateEvent(`${APP}/main/jobs/7`, props, props), result), WHAT))
      .resolves.toEqual({ IsComplete: true });
  });

  test.each<JobStatus>(['PENDING', 'PROVISIONING', 'RUNNING', NEW_STATE])('a job already %s is waited for, never overlapped', async status => {
    mock.on(ListJobsCommand).resolves({ jobSummaries: [jobSummary({ jobId: '5', jobArn: JOB_ARN, status, jobType: 'WEB_HOOK' }), jobSummary({ jobId: '4', status: 'SUCCEED' })] });
    const result = await onBuildEvent(client, createEvent(props));
    expect(result.PhysicalResourceId).toMatch(buildId('5'));
    expect(result.Data).toMatchObject({ JobId: '5', Watch: 'true', Status: status });
    expect(mock).not.toHaveReceivedCommand(StartJobCommand);
    expect(console.log).toHaveBeenCalledWith(expect.stringContaining(`job 5 (WEB_HOOK) of branch main of Amplify app ${APP} is already ${status}: waiting for it`));
    expectValidSdkInputs(mock, AMPLIFY_API);
  });

  test('without a wait, a running job is reported and not watched', async () => {
    mock.on(ListJobsCommand).resolves({ jobSummaries: [jobSummary({ jobId: '5', status: 'RUNNING', jobType: 'RELEASE' })] });
    const result = await onBuildEvent(client, createEvent({ ...props, Wait: false }));
    expect(result.Data).toMatchObject({ JobId: '5', Watch: 'false' });
    expect(console.log).toHaveBeenCalledWith(expect.stringContaining('reporting it instead of starting an overlapping build'));
    expectValidSdkInputs(mock, AMPLIFY_API);
  });

  test('delete leaves the job history alone', async () => {
    await expect(onBuildEvent(client, deleteEvent(`${APP}/main/jobs/7`, props))).resolves.toEqual({ PhysicalResourceId: `${APP}/main/jobs/7` });
    expect(mock.calls()).toHaveLength(0);
  });

  test('delete when the app is already gone still succeeds without calls', async () => {
    await expect(onBuildEvent(client, deleteEvent('d9/gone/jobs/1', { ...props, AppId: 'd9' }))).resolves.toEqual({ PhysicalResourceId: 'd9/gone/jobs/1' });
    expect(mock.calls()).toHaveLength(0);
  });

  test('a manual-deploy app (BadRequestException) fails with what to use instead', async () => {
    mock.on(ListJobsCommand).resolves({});
    mock.on(StartJobCommand).rejects(awsError('BadRequestException', 'no repository'));
    await expect(onBuildEvent(client, createEvent(props))).rejects.toThrow(
      `Starting an Amplify build failed for branch main of Amplify app ${APP}: BadRequestException: no repository. `
      + 'StartJob (RELEASE) only works for apps connected to a repository; deploy a manual-deploy app with BranchDeployment instead');
  });

  test('a missing branch and throttling on ListJobs fail with the next step', async () => {
    mock.on(ListJobsCommand).rejectsOnce(awsError('LimitExceededException')).rejects(awsError('NotFoundException'));
    await expect(onBuildEvent(client, createEvent(props))).rejects.toThrow(/LimitExceededException.*retry the deployment later/);
    await expect(onBuildEvent(client, createEvent(props))).rejects.toThrow(/The app or branch does not exist/);
  });

  test('a missing app id is a construct/handler mismatch', async () => {
    await expect(onBuildEvent(client, createEvent({ BranchName: 'main' }))).rejects.toThrow(/property AppId is missing/);
  });
});

describe('job isComplete', () => {
  const event = () => isCompleteEvent(createEvent(props), started());

  test.each<JobStatus>(['CREATED', 'PENDING', 'PROVISIONING', 'RUNNING', 'CANCELLING', NEW_STATE])('keeps waiting while %s', async status => {
    mock.on(GetJobCommand, { appId: APP, branchName: 'main', jobId: '7' }).resolves({ job: { summary: jobSummary({ jobId: '7', status }), steps: [] } });
    await expect(isJobComplete(client, event(), WHAT)).resolves.toEqual({ IsComplete: false });
    expectValidSdkInputs(mock, AMPLIFY_API);
  });

  test('completes on SUCCEED with the job attributes', async () => {
    mock.on(GetJobCommand).resolves({ job: { summary: jobSummary({ jobId: '7', jobArn: JOB_ARN, status: 'SUCCEED' }), steps: [] } });
    await expect(isJobComplete(client, event(), WHAT)).resolves.toEqual({ IsComplete: true, Data: { JobId: '7', JobArn: JOB_ARN, Status: 'SUCCEED' } });
    expectValidSdkInputs(mock, AMPLIFY_API);
  });

  test.each<JobStatus>(['FAILED', 'CANCELLED'])('fails on %s with the job id, the failed step and where to read logs', async status => {
    mock.on(GetJobCommand).resolves({
      job: { summary: jobSummary({ jobId: '7', status }), steps: [jobStep({ stepName: 'BUILD', status, statusReason: 'npm ci exited 1' })] },
    });
    await expect(isJobComplete(client, event(), WHAT)).rejects.toThrow(
      `${WHAT} failed for job 7 of branch main of Amplify app ${APP}: the job ended ${status} (step BUILD ${status}: npm ci exited 1). `
      + `Read its logs in the Amplify console (app ${APP}, branch main, job 7), or run: aws amplify get-job --app-id ${APP} `
      + '--branch-name main --job-id 7 (each step has a logUrl). Fix the cause, then redeploy.');
    expectValidSdkInputs(mock, AMPLIFY_API);
  });

  test('a timeout stops the job and fails', async () => {
    mock.on(GetJobCommand).resolves({ job: { summary: jobSummary({ jobId: '7', status: 'RUNNING' }), steps: [] } });
    mock.on(StopJobCommand).resolves({});
    const expired = isCompleteEvent(createEvent(props), { ...started(), Data: { ...started().Data, WaitStartedAt: String(Date.now() - 601_000) } });
    await expect(isJobComplete(client, expired, WHAT)).rejects.toThrow(
      /it is still RUNNING after 600 seconds; it was stopped \(StopJob\)\. Read its logs .* Raise the timeout if the job needs longer/);
    expect(mock).toHaveReceivedCommandWith(StopJobCommand, { appId: APP, branchName: 'main', jobId: '7' });
    expectValidSdkInputs(mock, AMPLIFY_API);
  });

  test('a timeout whose StopJob fails says so', async () => {
    mock.on(GetJobCommand).resolves({ job: { summary: jobSummary({ jobId: '7', status: 'PENDING' }), steps: [] } });
    mock.on(StopJobCommand).rejects(awsError('LimitExceededException'));
    const expired = isCompleteEvent(createEvent(props), { ...started(), Data: { ...started().Data, WaitStartedAt: String(Date.now() - 601_000) } });
    await expect(isJobComplete(client, expired, WHAT)).rejects.toThrow(/stopping it failed \(LimitExceededException.*stop it in the Amplify console/);
  });

  test('throttling (LimitExceededException) on GetJob polls again until the timeout', async () => {
    mock.on(GetJobCommand).rejects(awsError('LimitExceededException'));
    mock.on(StopJobCommand).resolves({});
    await expect(isJobComplete(client, event(), WHAT)).resolves.toEqual({ IsComplete: false });
    const expired = isCompleteEvent(createEvent(props), { ...started(), Data: { ...started().Data, WaitStartedAt: String(Date.now() - 601_000) } });
    await expect(isJobComplete(client, expired, WHAT)).rejects.toThrow(/still throttling .*LimitExceededException/);
    expectValidSdkInputs(mock, AMPLIFY_API);
  });

  test('throttling at the deadline is reported as throttling, never as a permissions problem, and stops the job', async () => {
    mock.on(GetJobCommand).rejects(awsError('LimitExceededException'));
    mock.on(StopJobCommand).resolves({});
    const expired = isCompleteEvent(createEvent(props), { ...started(), Data: { ...started().Data, WaitStartedAt: String(Date.now() - 601_000) } });
    const error = await isJobComplete(client, expired, WHAT).then(() => undefined, (err: Error) => err.message);
    expect(error).toMatch(/Amplify was still throttling .* when the 600-second wait ran out.*it was stopped \(StopJob\).*retry the deployment later/);
    expect(error).not.toMatch(/permission/i);
    expect(mock).toHaveReceivedCommandWith(StopJobCommand, { appId: APP, branchName: 'main', jobId: '7' });
  });

  test('a job deleted outside the stack fails clearly', async () => {
    mock.on(GetJobCommand).rejects(awsError('NotFoundException'));
    await expect(isJobComplete(client, event(), WHAT)).rejects.toThrow(/no longer exists: it was deleted outside this stack/);
  });

  test('delete and unwatched jobs complete at once', async () => {
    await expect(isJobComplete(client, isCompleteEvent(deleteEvent(`${APP}/main/jobs/7`, props)), WHAT)).resolves.toEqual({ IsComplete: true });
    const unwatched = isCompleteEvent(createEvent(props), { ...started(), Data: { ...started().Data, Watch: 'false' } });
    await expect(isJobComplete(client, unwatched, WHAT)).resolves.toEqual({ IsComplete: true });
    expect(mock.calls()).toHaveLength(0);
  });
});
