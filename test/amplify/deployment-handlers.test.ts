import * as http from 'http';
import { AddressInfo } from 'net';
import { Readable } from 'stream';
import { AmplifyClient, CreateDeploymentCommand, JobStatus, JobSummary, ListJobsCommand, StartDeploymentCommand, StopJobCommand } from '@aws-sdk/client-amplify';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { jobSummary } from './support';
import { AMPLIFY_API } from '../../src/amplify/private/api-constraints';
import { onDeploymentEvent } from '../../src/amplify/private/custom-resources/deployment';
import { awsError, createEvent, deleteEvent, expectValidSdkInputs, handlerMocks, updateEvent } from '../kit';

// The BranchDeployment handler's physical id, upload retries and bounds, and the clean-up of a job that never started.
const [amplifyMock, s3Mock] = handlerMocks(AmplifyClient, S3Client);
const amplifyClient = new AmplifyClient({ region: 'us-east-1' });
const s3 = new S3Client({ region: 'us-east-1' });
const APP = 'd1a2b3c4d5e6f7';
const props = { AppId: APP, BranchName: 'main', AssetBucket: 'cdk-assets', AssetKey: 'v2.zip', Wait: true, TimeoutSeconds: 900 };
const oldProps = { ...props, AssetKey: 'v1.zip' };
const CONTENT: Record<string, Buffer> = { 'v1.zip': Buffer.from('PK site v1'), 'v2.zip': Buffer.from('PK site v2') };

/** The presigned upload URL's stand-in: each PUT takes the next planned answer (an HTTP status, or 'hang'), then 200. */
const planned: Array<number | 'hang'> = [];
/** The bodies of the PUTs that were accepted. */
const received: Buffer[] = [];
let uploadUrl = '';
const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const answer = planned.shift() ?? 200;
    if (answer === 'hang') return;
    if (answer >= 200 && answer <= 299) received.push(Buffer.concat(chunks));
    res.statusCode = answer;
    res.end();
  });
});
beforeAll(async () => {
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  uploadUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/upload?X-Amz-Signature=abc`;
});
afterAll(() => {
  server.closeAllConnections();
  return new Promise<void>(resolve => server.close(() => resolve()));
});

let nextJob = 3;
beforeEach(() => {
  planned.length = 0;
  received.length = 0;
  nextJob = 3;
  amplifyMock.on(ListJobsCommand).resolves({ jobSummaries: [jobSummary({ jobId: '2', status: 'SUCCEED', jobType: 'MANUAL' })] });
  s3Mock.on(GetObjectCommand)
    .callsFake(async ({ Key }: { Key: string }) => ({ Body: Readable.from([CONTENT[Key]]), ContentLength: CONTENT[Key].length }));
  amplifyMock.on(CreateDeploymentCommand).callsFake(async () => ({ jobId: String(nextJob++), zipUploadUrl: uploadUrl, fileUploadUrls: {} }));
  amplifyMock.on(StartDeploymentCommand)
    .callsFake(async ({ jobId }: { jobId: string }) => ({ jobSummary: { jobId, jobArn: `arn:job/${jobId}`, status: 'PENDING' } }));
  amplifyMock.on(StopJobCommand).callsFake(async ({ jobId }: { jobId: string }) => ({ jobSummary: { jobId, status: 'CANCELLING' } }));
});

describe('the physical id names the branch, so a rollback deploys the old content again', () => {
  test('new content is an in-place update, and the rollback Update back deploys the old asset under the same id', async () => {
    const created = await onDeploymentEvent(amplifyClient, s3, createEvent(oldProps));
    expect(created).toMatchObject({ PhysicalResourceId: `${APP}/main/deployment`, Data: { JobId: '3' } });
    const updated = await onDeploymentEvent(amplifyClient, s3, updateEvent(created.PhysicalResourceId!, props, oldProps));
    expect(updated).toMatchObject({ PhysicalResourceId: created.PhysicalResourceId, Data: { JobId: '4', Watch: 'true' } });
    // A later resource fails: CloudFormation sends an Update back, with the old asset as the properties.
    const rolledBack = await onDeploymentEvent(amplifyClient, s3, updateEvent(updated.PhysicalResourceId!, oldProps, props));
    expect(rolledBack).toMatchObject({ PhysicalResourceId: created.PhysicalResourceId, Data: { JobId: '5', Watch: 'true' } });
    expect(received.map(String)).toEqual(['PK site v1', 'PK site v2', 'PK site v1']);
    expectValidSdkInputs(amplifyMock, AMPLIFY_API);
  });

  test('a change of branch or app is a replacement; an id of an earlier version is kept while the branch is the same', async () => {
    const other = await onDeploymentEvent(amplifyClient, s3, updateEvent(`${APP}/main/deployment`, { ...props, BranchName: 'dev' }, props));
    expect(other.PhysicalResourceId).toBe(`${APP}/dev/deployment`);
    const app = await onDeploymentEvent(amplifyClient, s3, updateEvent(`${APP}/main/deployment`, { ...props, AppId: 'd9other' }, props));
    expect(app.PhysicalResourceId).toBe('d9other/main/deployment');
    const legacy = await onDeploymentEvent(amplifyClient, s3, updateEvent(`${APP}/main/jobs/2`, props, oldProps));
    expect(legacy.PhysicalResourceId).toBe(`${APP}/main/jobs/2`);
  });

  test('an update that deploys nothing reports the newest manual job of the branch and writes nothing', async () => {
    amplifyMock.on(ListJobsCommand).resolves({ jobSummaries: [jobSummary({ jobId: '8', status: 'RUNNING', jobType: 'WEB_HOOK' }), jobSummary({ jobId: '6', status: 'SUCCEED', jobType: 'MANUAL' })] });
    const same = await onDeploymentEvent(amplifyClient, s3, updateEvent(`${APP}/main/deployment`, props, { ...props, Wait: false }));
    expect(same).toEqual({
      PhysicalResourceId: `${APP}/main/deployment`,
      Data: { AppId: APP, BranchName: 'main', JobId: '6', JobArn: '', Status: 'UNCHANGED', Watch: 'false', WaitStartedAt: expect.stringMatching(/^\d+$/) },
    });
    expect(amplifyMock).not.toHaveReceivedCommand(CreateDeploymentCommand);
    expect(s3Mock.calls()).toHaveLength(0);
    expectValidSdkInputs(amplifyMock, AMPLIFY_API);
  });
});

describe('a job that never started is stopped, so nothing blocks the branch', () => {
  test('a refused upload (HTTP 403) stops the CREATED job and says so', async () => {
    planned.push(403);
    await expect(onDeploymentEvent(amplifyClient, s3, createEvent(props), { retryDelayMs: 1 })).rejects.toThrow(
      /uploading the zip failed: Error: the upload URL answered HTTP 403; job 3 of the deployment it was stopped \(StopJob\) so that it does not block the branch/);
    expect(amplifyMock).toHaveReceivedCommandWith(StopJobCommand, { appId: APP, branchName: 'main', jobId: '3' });
    expect(amplifyMock).not.toHaveReceivedCommand(StartDeploymentCommand);
    expect(s3Mock.calls()).toHaveLength(1); // a 4xx is not attempted again
    expectValidSdkInputs(amplifyMock, AMPLIFY_API);
  });

  test('a failed StartDeployment stops the job too; a failed StopJob says how to stop it', async () => {
    amplifyMock.on(StartDeploymentCommand).rejects(awsError('BadRequestException', 'job 3 has no upload'));
    amplifyMock.on(StopJobCommand).rejects(awsError('LimitExceededException'));
    await expect(onDeploymentEvent(amplifyClient, s3, createEvent(props))).rejects.toThrow(
      /StartDeployment failed: .*job 3 of the deployment stopping it failed \(LimitExceededException.*aws amplify stop-job --app-id d1a2b3c4d5e6f7 --branch-name main --job-id 3/);
  });

  test('a failure before CreateDeployment stops nothing', async () => {
    s3Mock.on(GetObjectCommand).rejects(awsError('AccessDenied'));
    await expect(onDeploymentEvent(amplifyClient, s3, createEvent(props))).rejects.toThrow(/reading the asset/);
    expect(amplifyMock).not.toHaveReceivedCommand(StopJobCommand);
  });
});

describe('the upload is retried on transient failures and bounded by the remaining time', () => {
  test.each([500, 503])('HTTP %d is attempted again, with the asset read again', async status => {
    planned.push(status, status);
    const result = await onDeploymentEvent(amplifyClient, s3, createEvent(props), { retryDelayMs: 1 });
    expect(result.Data).toMatchObject({ JobId: '3', Status: 'PENDING' });
    expect(received.map(String)).toEqual(['PK site v2']);
    expect(s3Mock.calls()).toHaveLength(3);
    expect(amplifyMock).not.toHaveReceivedCommand(StopJobCommand);
  });

  test('the attempts are bounded: three 5xx fail (and stop the job)', async () => {
    planned.push(502, 502, 502, 200);
    await expect(onDeploymentEvent(amplifyClient, s3, createEvent(props), { retryDelayMs: 1 })).rejects.toThrow(
      /the upload URL answered HTTP 502 \(attempt 3 of 3\); job 3 of the deployment it was stopped/);
    expect(amplifyMock).toHaveReceivedCommandTimes(StopJobCommand, 1);
  });

  test('a network error is attempted again', async () => {
    const realUrl = uploadUrl;
    let calls = 0;
    amplifyMock.on(CreateDeploymentCommand).callsFake(async () => ({ jobId: '3', zipUploadUrl: realUrl, fileUploadUrls: {} }));
    // The first connection is reset by the server.
    const reset = (req: http.IncomingMessage) => {
      if (calls++ === 0) req.socket.destroy();
    };
    server.prependListener('request', reset);
    try {
      const result = await onDeploymentEvent(amplifyClient, s3, createEvent(props), { retryDelayMs: 1 });
      expect(result.Data).toMatchObject({ JobId: '3' });
    } finally {
      server.removeListener('request', reset);
    }
    expect(calls).toBe(2);
  });

  test('an upload that outlasts the invocation fails with its size and what to do, and stops the job', async () => {
    planned.push('hang');
    const remaining = 20_300; // the handler keeps 20 s for itself: 300 ms for the upload
    const started = Date.now();
    await expect(onDeploymentEvent(amplifyClient, s3, createEvent(props), { remainingTimeMs: () => remaining - (Date.now() - started) }))
      .rejects.toThrow(/uploading the zip \(0\.0 MB\) did not finish in the 0 seconds the handler had left; job 3 of the deployment it was stopped .*Retry the deployment.*make the site smaller/);
    expect(amplifyMock).toHaveReceivedCommandWith(StopJobCommand, { appId: APP, branchName: 'main', jobId: '3' });
  });
});

describe('what a cancelled or retried request started is stopped', () => {
  const manual = (jobId: string, status: JobStatus) => jobSummary({ jobId, status, jobType: 'MANUAL' });
  /** ListJobs answers in turn (an Error is thrown), the last one from then on. */
  const listJobsAnswers = (...answers: Array<JobSummary[] | Error>) => amplifyMock.on(ListJobsCommand).callsFake(async () => {
    const answer = answers.length > 1 ? answers.shift()! : answers[0];
    if (answer instanceof Error) throw answer;
    return { jobSummaries: answer };
  });

  test('the Delete of an id CloudFormation invented (a cancelled Create) stops the manual job still active on the branch', async () => {
    amplifyMock.on(ListJobsCommand).resolves({ jobSummaries: [manual('4', 'RUNNING'), manual('3', 'CANCELLING'), manual('2', 'SUCCEED')] });
    const invented = 'TestStack-Deployment-1A2B3C4D5E6F';
    await expect(onDeploymentEvent(amplifyClient, s3, deleteEvent(invented, props))).resolves.toEqual({ PhysicalResourceId: invented });
    expect(amplifyMock.commandCalls(StopJobCommand).map(c => c.args[0].input)).toEqual([{ appId: APP, branchName: 'main', jobId: '4' }]);
    // A branch or app already gone has nothing to stop; another error fails the Delete with the next step.
    listJobsAnswers(awsError('NotFoundException'), awsError('UnauthorizedException'));
    await expect(onDeploymentEvent(amplifyClient, s3, deleteEvent(invented, props))).resolves.toEqual({ PhysicalResourceId: invented });
    await expect(onDeploymentEvent(amplifyClient, s3, deleteEvent(invented, props))).rejects.toThrow(
      /Stopping the deployment CloudFormation cancelled failed for branch main.*amplify:ListJobs on the branch/);
    expectValidSdkInputs(amplifyMock, AMPLIFY_API);
  });

  test('an update of the branch supersedes a manual job still running; a create still refuses to overlap it', async () => {
    amplifyMock.on(ListJobsCommand).resolves({ jobSummaries: [manual('2', 'RUNNING')] });
    const updated = await onDeploymentEvent(amplifyClient, s3, updateEvent(`${APP}/main/deployment`, oldProps, props));
    expect(updated).toMatchObject({ Data: { JobId: '3', Watch: 'true' } });
    expect(amplifyMock.commandCalls(StopJobCommand).map(c => c.args[0].input)).toEqual([{ appId: APP, branchName: 'main', jobId: '2' }]);
    await expect(onDeploymentEvent(amplifyClient, s3, createEvent(props))).rejects.toThrow(/job 2 \(MANUAL\) is still RUNNING, and Amplify runs one job per branch/);
    expectValidSdkInputs(amplifyMock, AMPLIFY_API);
  });

  test('the rollback from another branch stops the job the cancelled move started there, or says it runs on', async () => {
    amplifyMock.on(ListJobsCommand, { appId: APP, branchName: 'dev' }).resolves({ jobSummaries: [manual('7', 'RUNNING')] });
    const devProps = { ...props, BranchName: 'dev' };
    const rolledBack = await onDeploymentEvent(amplifyClient, s3, updateEvent(`${APP}/main/deployment`, oldProps, devProps));
    expect(rolledBack).toMatchObject({ PhysicalResourceId: `${APP}/main/deployment`, Data: { JobId: '3' } });
    expect(amplifyMock.commandCalls(StopJobCommand).map(c => c.args[0].input)).toEqual([{ appId: APP, branchName: 'dev', jobId: '7' }]);
    // A forward move stops nothing on the branch it leaves.
    amplifyMock.on(ListJobsCommand, { appId: APP, branchName: 'dev' }).resolves({ jobSummaries: [] });
    await onDeploymentEvent(amplifyClient, s3, updateEvent(`${APP}/main/deployment`, devProps, oldProps));
    expect(amplifyMock).toHaveReceivedCommandTimes(StopJobCommand, 1);
    // The role of one branch may not read another: the rollback still succeeds.
    amplifyMock.on(ListJobsCommand, { appId: APP, branchName: 'dev' }).rejects(awsError('UnauthorizedException'));
    const logs = jest.spyOn(console, 'log');
    await expect(onDeploymentEvent(amplifyClient, s3, updateEvent(`${APP}/main/deployment`, oldProps, devProps))).resolves.toMatchObject({ Data: { JobId: '5' } });
    expect(JSON.stringify(logs.mock.calls)).toContain('the deployment to branch dev runs to its end');
    logs.mockRestore();
  });

  test('an update of a branch or app deleted outside the stack deploys nothing and succeeds; a create fails', async () => {
    amplifyMock.on(ListJobsCommand).rejects(awsError('NotFoundException', 'app not found'));
    const gone = await onDeploymentEvent(amplifyClient, s3, updateEvent(`${APP}/main/deployment`, oldProps, props));
    expect(gone).toMatchObject({ PhysicalResourceId: `${APP}/main/deployment`, Data: { Status: 'NOT_FOUND', Watch: 'false' } });
    await expect(onDeploymentEvent(amplifyClient, s3, createEvent(props))).rejects.toThrow(/ListJobs failed: NotFoundException/);
    await expect(onDeploymentEvent(amplifyClient, s3, updateEvent(`${APP}/main/deployment`, { ...props, BranchName: 'dev' }, props))).rejects.toThrow(/NotFoundException/);
    expect(amplifyMock).not.toHaveReceivedCommand(CreateDeploymentCommand);
  });

  test('a CREATED job a lost CreateDeployment response left is stopped; a failure to look is only logged', async () => {
    // Job 2 was the newest before; the retried CreateDeployment returned job 4, so job 3 is the lost attempt.
    nextJob = 4;
    listJobsAnswers([manual('2', 'SUCCEED')], [manual('4', 'CREATED'), manual('3', 'CREATED'), manual('2', 'SUCCEED')]);
    await expect(onDeploymentEvent(amplifyClient, s3, createEvent(props))).resolves.toMatchObject({ Data: { JobId: '4' } });
    expect(amplifyMock.commandCalls(StopJobCommand).map(c => c.args[0].input)).toEqual([{ appId: APP, branchName: 'main', jobId: '3' }]);
    nextJob = 6;
    listJobsAnswers([manual('4', 'SUCCEED')], awsError('LimitExceededException'));
    await expect(onDeploymentEvent(amplifyClient, s3, createEvent(props))).resolves.toMatchObject({ Data: { JobId: '6' } });
    expect(amplifyMock).toHaveReceivedCommandTimes(StopJobCommand, 1);
    expectValidSdkInputs(amplifyMock, AMPLIFY_API);
  });
});
