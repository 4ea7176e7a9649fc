import * as http from 'http';
import { AddressInfo } from 'net';
import * as path from 'path';
import { Readable } from 'stream';
import { AmplifyClient, CreateDeploymentCommand, GetJobCommand, ListJobsCommand, StartDeploymentCommand } from '@aws-sdk/client-amplify';
import { GetObjectCommand, GetObjectCommandOutput, S3Client } from '@aws-sdk/client-s3';
import { Duration, SecretValue } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as assets from 'aws-cdk-lib/aws-s3-assets';
import { amplifyStack, expectOneProvider, jobSummary } from './support';
import * as amplify from '../../src/amplify';
import { AMPLIFY_API } from '../../src/amplify/private/api-constraints';
import { DEPLOYMENT_FAMILY } from '../../src/amplify/private/custom-resources/contract';
import { onDeploymentEvent } from '../../src/amplify/private/custom-resources/deployment';
import { isJobComplete } from '../../src/amplify/private/custom-resources/jobs';
import { ValidationError } from '../../src/core/validation';
import {
  awsError, createEvent, deleteEvent, expectNagClean, expectValidSdkInputs, handlerMocks, isCompleteEvent, kitRolesOf, kitStatementsOf, updateEvent,
  waitBoundError,
} from '../kit';

const [amplifyMock, s3Mock] = handlerMocks(AmplifyClient, S3Client);
const amplifyClient = new AmplifyClient({ region: 'us-east-1' });
const s3 = new S3Client({ region: 'us-east-1' });
const APP = 'd1a2b3c4d5e6f7';
/** A local stand-in for the presigned upload URL: it records what arrives and answers with `uploadStatus`. */
let uploadUrl: string;
let uploadStatus = 200;
const uploads: Array<{ method?: string; headers: http.IncomingHttpHeaders; body: Buffer }> = [];
const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', c => chunks.push(c));
  req.on('end', () => {
    uploads.push({ method: req.method, headers: req.headers, body: Buffer.concat(chunks) });
    res.statusCode = uploadStatus;
    res.end();
  });
});
beforeAll(async () => {
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  uploadUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/upload?X-Amz-Signature=abc`;
});
afterAll(() => new Promise<void>(resolve => server.close(() => resolve())));
const props = { AppId: APP, BranchName: 'main', AssetBucket: 'cdk-assets', AssetKey: 'abc.zip', Wait: true, TimeoutSeconds: 900 };
const ZIP = Buffer.from([80, 75, 3, 4, 20, 0, 0, 0]);
/** What GetObject returns in Lambda: a stream (in two chunks here) and its length. */
const asset = (): Pick<GetObjectCommandOutput, 'Body' | 'ContentLength'> => ({ Body: sdkStream(Readable.from([ZIP.subarray(0, 3), ZIP.subarray(3)])), ContentLength: ZIP.length });

/** A stream as the SDK types GetObject's Body: the stream with the SDK's transform methods, which the handler never calls. */
function sdkStream(body: Readable): NonNullable<GetObjectCommandOutput['Body']> {
  const unused = () => Promise.reject(new Error('the handler streams the body; it does not transform it'));
  return Object.assign(body, { transformToByteArray: unused, transformToString: unused, transformToWebStream: () => { throw new Error('not used'); } });
}

beforeEach(() => {
  uploads.length = 0;
  uploadStatus = 200;
});

function happyPath(): void {
  amplifyMock.on(ListJobsCommand).resolves({ jobSummaries: [jobSummary({ jobId: '2', status: 'SUCCEED' })] });
  s3Mock.on(GetObjectCommand, { Bucket: 'cdk-assets', Key: 'abc.zip' }).callsFake(async () => asset());
  amplifyMock.on(CreateDeploymentCommand, { appId: APP, branchName: 'main' }).callsFake(async () => ({ jobId: '3', zipUploadUrl: uploadUrl, fileUploadUrls: {} }));
  amplifyMock.on(StartDeploymentCommand, { appId: APP, branchName: 'main', jobId: '3' }).resolves({ jobSummary: jobSummary({ jobId: '3', jobArn: 'arn:job/3', status: 'PENDING' }) });
}

describe('deployment handler', () => {
  test('create uploads the asset zip and starts the deployment, then waits for SUCCEED', async () => {
    happyPath();
    const result = await onDeploymentEvent(amplifyClient, s3, createEvent(props));
    expect(result.PhysicalResourceId).toBe(`${APP}/main/deployment`);
    expect(result.Data).toMatchObject({ JobId: '3', Watch: 'true', Status: 'PENDING' });
    expect(uploads).toHaveLength(1);
    expect(uploads[0]).toMatchObject({ method: 'PUT', body: ZIP });
    // A fixed length, never chunked: presigned S3 uploads refuse chunked transfer encoding.
    expect(uploads[0].headers).toMatchObject({ 'content-type': 'application/zip', 'content-length': String(ZIP.length) });
    expect(uploads[0].headers['transfer-encoding']).toBeUndefined();
    amplifyMock.on(GetJobCommand).resolvesOnce({ job: { summary: jobSummary({ jobId: '3', status: 'RUNNING' }), steps: [] } })
      .resolves({ job: { summary: jobSummary({ jobId: '3', jobArn: 'arn:job/3', status: 'SUCCEED' }), steps: [] } });
    const event = isCompleteEvent(createEvent(props), result);
    await expect(isJobComplete(amplifyClient, event, 'w')).resolves.toEqual({ IsComplete: false });
    await expect(isJobComplete(amplifyClient, event, 'w')).resolves.toEqual({ IsComplete: true, Data: { JobId: '3', JobArn: 'arn:job/3', Status: 'SUCCEED' } });
    expectValidSdkInputs(amplifyMock, AMPLIFY_API);
  });

  test('new content deploys again under the same physical id; an update of the wait alone does not', async () => {
    happyPath();
    const again = await onDeploymentEvent(amplifyClient, s3, updateEvent(`${APP}/main/deployment`, props, { ...props, AssetKey: 'old.zip' }));
    expect(again).toMatchObject({ PhysicalResourceId: `${APP}/main/deployment`, Data: { JobId: '3' } });
    amplifyMock.resetHistory();
    amplifyMock.on(ListJobsCommand).resolves({ jobSummaries: [jobSummary({ jobId: '3', status: 'SUCCEED', jobType: 'MANUAL' })] });
    const same = await onDeploymentEvent(amplifyClient, s3, updateEvent(`${APP}/main/deployment`, props, { ...props, Wait: false }));
    expect(same).toMatchObject({ PhysicalResourceId: `${APP}/main/deployment`, Data: { Watch: 'false', JobId: '3' } });
    expect(amplifyMock).not.toHaveReceivedCommand(CreateDeploymentCommand);
  });

  test('a running job is reported with its id, never overlapped', async () => {
    amplifyMock.on(ListJobsCommand).resolves({ jobSummaries: [jobSummary({ jobId: '9', status: 'RUNNING', jobType: 'MANUAL' })] });
    await expect(onDeploymentEvent(amplifyClient, s3, createEvent(props))).rejects.toThrow(
      /job 9 \(MANUAL\) is still RUNNING, and Amplify runs one job per branch. Wait for it to end .*--job-id 9/);
    expect(amplifyMock).not.toHaveReceivedCommand(CreateDeploymentCommand);
    expectValidSdkInputs(amplifyMock, AMPLIFY_API);
  });

  test('a failed upload, a repository app and throttling fail with the step and the next step', async () => {
    happyPath();
    uploadStatus = 403;
    await expect(onDeploymentEvent(amplifyClient, s3, createEvent(props))).rejects.toThrow(/uploading the zip failed: Error: the upload URL answered HTTP 403/);
    uploadStatus = 200;
    const open = uploadUrl;
    uploadUrl = 'http://127.0.0.1:1/closed';
    await expect(onDeploymentEvent(amplifyClient, s3, createEvent(props), { retryDelayMs: 1 })).rejects.toThrow(/uploading the zip failed: Error: connect ECONNREFUSED/);
    uploadUrl = open;
    amplifyMock.on(CreateDeploymentCommand, { appId: APP, branchName: 'main' }).rejects(awsError('BadRequestException'));
    await expect(onDeploymentEvent(amplifyClient, s3, createEvent(props))).rejects.toThrow(
      /CreateDeployment failed: .*Amplify refuses manual deployments to an app connected to a repository, which this app most likely is .*Deploy to a branch of an app without a repository .*branch\.startBuild\(id\)/);
    happyPath();
    amplifyMock.on(StartDeploymentCommand).rejects(awsError('BadRequestException'));
    await expect(onDeploymentEvent(amplifyClient, s3, createEvent(props))).rejects.toThrow(
      /StartDeployment failed: .*Amplify refused the request; check that the app has no repository \(manual deployments need an app without one\)/);
    amplifyMock.on(ListJobsCommand).rejects(awsError('LimitExceededException'));
    await expect(onDeploymentEvent(amplifyClient, s3, createEvent(props))).rejects.toThrow(/ListJobs failed.*retry the deployment later/);
    expectValidSdkInputs(amplifyMock, AMPLIFY_API);
  });

  test('an asset S3 returns without a stream or a length creates no deployment job', async () => {
    happyPath();
    s3Mock.on(GetObjectCommand).resolves({ Body: undefined });
    await expect(onDeploymentEvent(amplifyClient, s3, createEvent(props))).rejects.toThrow(/reading the asset \(s3:GetObject\) failed: Error: S3 returned no content stream/);
    expect(amplifyMock).not.toHaveReceivedCommand(CreateDeploymentCommand);
  });

  test('delete leaves the content and the job history alone, also when the app is gone', async () => {
    await expect(onDeploymentEvent(amplifyClient, s3, deleteEvent(`${APP}/main/jobs/3`, props))).resolves.toEqual({ PhysicalResourceId: `${APP}/main/jobs/3` });
    await expect(onDeploymentEvent(amplifyClient, s3, deleteEvent('d9/x/jobs/1', { ...props, AppId: 'd9', BranchName: 'x' })))
      .resolves.toEqual({ PhysicalResourceId: 'd9/x/jobs/1' });
    await expect(onDeploymentEvent(amplifyClient, s3, deleteEvent(`${APP}/main/deployment`, props))).resolves.toEqual({ PhysicalResourceId: `${APP}/main/deployment` });
    // The provider framework's id of a failed Create names nothing it started (its job was stopped when it failed).
    const failed = 'AWSCDK::CustomResourceProviderFramework::CREATE_FAILED';
    await expect(onDeploymentEvent(amplifyClient, s3, deleteEvent(failed, props))).resolves.toEqual({ PhysicalResourceId: failed });
    expect(amplifyMock.calls()).toHaveLength(0);
    expect(s3Mock.calls()).toHaveLength(0);
  });
});

describe('BranchDeployment', () => {
  test('one provider for many branches; permissions scoped to the branch, its jobs and the asset object', () => {
    const stack = amplifyStack();
    const app = new amplify.App(stack, 'Site');
    const site = path.join(__dirname, 'fixtures', 'site');
    new amplify.BranchDeployment(stack, 'Main', { branch: app.addBranch('main'), path: site, timeout: Duration.minutes(5) });
    new amplify.BranchDeployment(stack, 'Dev', { branch: app.addBranch('dev'), path: site, waitForSuccess: false });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 1);
    template.hasResourceProperties('Custom::CdkDevtoolsAmplifyDeployment', {
      BranchName: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Sitemain'), 'BranchName'] }, AssetKey: Match.stringLikeRegexp('\\.zip$'), Wait: 'true', TimeoutSeconds: 300,
    });
    template.hasResourceProperties('Custom::CdkDevtoolsAmplifyDeployment', { Wait: 'false', TimeoutSeconds: Match.absent() });
    // One role per branch: the branch, its jobs and the asset object, nothing more.
    const roles = kitRolesOf(template, DEPLOYMENT_FAMILY.resourceType);
    const branches = Object.values(template.findResources(DEPLOYMENT_FAMILY.resourceType)).map(r => r.Properties.BranchName['Fn::GetAtt'][0] as string);
    expect(new Set(roles.map(r => r.roleLogicalId)).size).toBe(2);
    roles.forEach((role, i) => expect(role.statements).toEqual([{
      Action: ['amplify:CreateDeployment', 'amplify:ListJobs', 'amplify:StartDeployment'],
      Effect: 'Allow',
      Resource: { 'Fn::GetAtt': [branches[i], 'Arn'] },
    }, {
      Action: ['amplify:GetJob', 'amplify:StopJob'],
      Effect: 'Allow',
      Resource: { 'Fn::Sub': `\${${branches[i]}.Arn}/jobs/*` },
    }, {
      Action: 's3:GetObject',
      Effect: 'Allow',
      Resource: expect.stringMatching(/^arn:aws:s3:::cdk-[a-z0-9]+-assets-123456789012-us-east-1\/[0-9a-f]{64}\.zip$/),
    }]));
    expectOneProvider(template);
    expectNagClean(stack);
  });

  test('rejects a timeout without a wait, a wait CloudFormation would not wait for, and a file that is not a zip', () => {
    const stack = amplifyStack();
    const app = new amplify.App(stack, 'Site');
    const branch = app.addBranch('main');
    expect(() => new amplify.BranchDeployment(stack, 'A', { branch, path: path.join(__dirname, 'fixtures', 'site'), waitForSuccess: false, timeout: Duration.minutes(2) }))
      .toThrow(/A: timeout only applies with waitForSuccess: true; set it or remove timeout/);
    expect(() => new amplify.BranchDeployment(stack, 'Long', { branch, path: path.join(__dirname, 'fixtures', 'site'), timeout: Duration.minutes(50) }))
      .toThrow(waitBoundError('TestStack/Long', 'timeout', '50 minutes'));
    expect(() => new amplify.BranchDeployment(stack, 'B', { branch, path: path.join(__dirname, 'fixtures', 'site', 'index.html') }))
      .toThrow(/is neither a directory nor a .zip file/);
    expect(() => new amplify.BranchDeployment(stack, 'C', { branch, path: path.join(__dirname, 'fixtures', 'site'), waitForSuccess: false, pollInterval: Duration.seconds(10) }))
      .toThrow('TestStack/C: pollInterval only applies with waitForSuccess: true; set it or remove pollInterval');
    expect(() => new amplify.BranchDeployment(stack, 'D', { branch, path: path.join(__dirname, 'fixtures', 'site'), pollInterval: Duration.minutes(6) }))
      .toThrow(/TestStack\/D: pollInterval must be a whole number of seconds between 5 seconds and 5 minutes, got 6 minutes/);
  });

  test('the wait reads every 15 seconds unless pollInterval says otherwise', () => {
    const stack = amplifyStack();
    const app = new amplify.App(stack, 'Site');
    const site = path.join(__dirname, 'fixtures', 'site');
    new amplify.BranchDeployment(stack, 'Main', { branch: app.addBranch('main'), path: site });
    new amplify.BranchDeployment(stack, 'Dev', { branch: app.addBranch('dev'), path: site, pollInterval: Duration.minutes(1) });
    const template = Template.fromStack(stack);
    template.hasResourceProperties(DEPLOYMENT_FAMILY.resourceType, { BranchName: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Sitemain'), 'BranchName'] }, PollIntervalSeconds: 15 });
    template.hasResourceProperties(DEPLOYMENT_FAMILY.resourceType, { BranchName: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Sitedev'), 'BranchName'] }, PollIntervalSeconds: 60 });
  });

  // The alpha's README: "const asset = new assets.Asset(this, 'SampleAsset', {}); const amplifyApp = new amplify.App(this, 'MyApp', {});
  // const branch = amplifyApp.addBranch('dev', { asset: asset });" - with the asset given to a BranchDeployment here.
  test('an existing asset deploys to a branch of an app without a repository, reading that asset\'s object only', () => {
    const stack = amplifyStack();
    const sampleAsset = new assets.Asset(stack, 'SampleAsset', { path: path.join(__dirname, 'fixtures', 'site') });
    const amplifyApp = new amplify.App(stack, 'MyApp', {});
    new amplify.BranchDeployment(stack, 'Deploy', { branch: amplifyApp.addBranch('dev'), asset: sampleAsset });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('Custom::CdkDevtoolsAmplifyDeployment', {
      AssetBucket: stack.resolve(sampleAsset.s3BucketName), AssetKey: sampleAsset.s3ObjectKey,
    });
    expect(kitStatementsOf(template, DEPLOYMENT_FAMILY.resourceType)).toContainEqual({
      Action: 's3:GetObject',
      Effect: 'Allow',
      Resource: stack.resolve(sampleAsset.bucket.arnForObjects(sampleAsset.s3ObjectKey)),
    });
    // No second asset: the deployment uses the one it was given.
    expect(Object.keys(template.toJSON().Parameters ?? {}).filter(p => p.includes('AssetParameters'))).toEqual([]);
    expect(stack.node.tryFindChild('Deploy')!.node.tryFindChild('Content')).toBeUndefined();
    expectNagClean(stack);
  });

  // The alpha's docs: "The Amplify app must not have a sourceCodeProvider configured as this resource uses Amplify's
  // startDeployment API"; the alpha accepts it anyway and the deployment fails. Here it is refused at synth.
  test('a branch of an app connected to a repository is refused at synth, path or asset', () => {
    const stack = amplifyStack();
    const sampleAsset = new assets.Asset(stack, 'SampleAsset', { path: path.join(__dirname, 'fixtures', 'site') });
    const amplifyApp = new amplify.App(stack, 'MyApp', {
      sourceCodeProvider: amplify.SourceCodeProvider.gitHub({ owner: 'aws', repository: 'aws-cdk', accessToken: SecretValue.secretsManager('my-github-token') }),
    });
    const branch = amplifyApp.addBranch('dev');
    const expected = 'TestStack/Deploy: branch TestStack/MyApp/dev belongs to an app connected to a repository (sourceCodeProvider), and Amplify '
      + 'only accepts manual deployments for apps without one. Deploy to a branch of an amplify.App without sourceCodeProvider, or let the '
      + 'repository build this branch with branch.startBuild(id)';
    expect(() => new amplify.BranchDeployment(stack, 'Deploy', { branch, asset: sampleAsset })).toThrow(expected);
    expect(() => new amplify.BranchDeployment(stack, 'Deploy2', { branch, path: path.join(__dirname, 'fixtures', 'site') }))
      .toThrow(/TestStack\/Deploy2: branch TestStack\/MyApp\/dev belongs to an app connected to a repository/);
    expect(() => new amplify.BranchDeployment(stack, 'Deploy3', { branch, asset: sampleAsset })).toThrow(ValidationError);
  });

  test('an imported app cannot be checked: the deployment is accepted, and the handler says why it fails', () => {
    const stack = amplifyStack();
    const branch = amplify.Branch.fromBranchAttributes(stack, 'Dev', { app: amplify.App.fromAppId(stack, 'MyApp', 'd1a2b3c4d5e6f7'), branchName: 'dev' });
    new amplify.BranchDeployment(stack, 'Deploy', { branch, path: path.join(__dirname, 'fixtures', 'site') });
    Template.fromStack(stack).resourceCountIs('Custom::CdkDevtoolsAmplifyDeployment', 1);
  });

  test('exactly one of path and asset, and an asset that is a zip', () => {
    const stack = amplifyStack();
    const branch = new amplify.App(stack, 'MyApp').addBranch('dev');
    const site = path.join(__dirname, 'fixtures', 'site');
    expect(() => new amplify.BranchDeployment(stack, 'None', { branch }))
      .toThrow('TestStack/None: neither path nor asset is set; give exactly one: path for a directory or .zip file of the built site, '
        + 'or asset for an aws_s3_assets.Asset of one');
    const sampleAsset = new assets.Asset(stack, 'SampleAsset', { path: site });
    expect(() => new amplify.BranchDeployment(stack, 'Both', { branch, path: site, asset: sampleAsset }))
      .toThrow(/TestStack\/Both: both path and asset are set; give exactly one/);
    const page = new assets.Asset(stack, 'Page', { path: path.join(site, 'index.html') });
    expect(() => new amplify.BranchDeployment(stack, 'File', { branch, asset: page }))
      .toThrow('TestStack/File: asset TestStack/Page is a single file that is not a .zip, and Amplify deploys a zip of the site. '
        + 'Create the asset from the directory of the built site (the CDK zips it) or from a .zip of it');
  });
});
