import { createHash } from 'crypto';
import {
  AcknowledgeJobCommand, CodePipelineClient, GetJobDetailsCommand, Job, PollForJobsCommand, PutJobFailureResultCommand, PutJobSuccessResultCommand,
} from '@aws-sdk/client-codepipeline';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { CreateScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import {
  ChangeMessageVisibilityCommand, DeleteMessageCommand, Message, ReceiveMessageCommand, SendMessageCommand, SQSClient,
} from '@aws-sdk/client-sqs';
import { CODEPIPELINE_API } from '../../src/codepipeline/private/api-constraints';
import {
  checkAnswer, dispatch, DispatcherSettings, settingsFrom, toWorkerJob,
} from '../../src/codepipeline/private/functions/job-dispatcher';
import { handler } from '../../src/codepipeline/private/functions/job-dispatcher.lambda';
import { awsError, expectValidSdkInputs, handlerMocks } from '../kit';

const [codepipeline, lambda, sqs, scheduler] = handlerMocks(CodePipelineClient, LambdaClient, SQSClient, SchedulerClient);
const CLIENTS = {
  codepipeline: new CodePipelineClient({}), lambda: new LambdaClient({}), sqs: new SQSClient({}), scheduler: new SchedulerClient({}),
};

const JOB_ID = '11111111-2222-3333-4444-555555555555';
const OTHER_JOB_ID = '66666666-7777-8888-9999-000000000000';
const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:acme-worker';
const PENDING_URL = 'https://sqs.us-east-1.amazonaws.com/123456789012/acme-worker-pending';
const DISPATCHER_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:acme-worker-dispatcher';
const FOLLOW_UP_ROLE = 'arn:aws:iam::123456789012:role/acme-worker-follow-up';
/** The invocation of the dispatcher: by a rule (no follow-up). */
const INVOCATION = { functionArn: DISPATCHER_ARN };
const NOW = new Date('2026-03-02T10:00:20.000Z');
const SECRET = 'sup3r-s3cret-t0ken';
const CREDENTIALS = { accessKeyId: 'ASIAEXAMPLEKEYID0001', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', sessionToken: 'FwoGZXIvYXdzEXAMPLESESSIONTOKEN' };

const SETTINGS: DispatcherSettings = {
  category: 'Deploy',
  provider: 'AcmeDeployer',
  version: '1',
  maxBatchSize: 10,
  functionName: FUNCTION_ARN,
  secretProperties: ['ApiToken'],
  metricDimension: 'Deploy/AcmeDeployer/1',
  pendingQueueUrl: PENDING_URL,
  followUpGroup: 'acme-worker-follow-ups',
  followUpRoleArn: FOLLOW_UP_ROLE,
};

/** The worker of SETTINGS, as its rules invoke the shared dispatcher with it. */
const { followUpGroup: _group, followUpRoleArn: _role, ...WORKER } = SETTINGS;
/** What a rule of the worker of SETTINGS (with a query) invokes the dispatcher with. */
const INPUT = { worker: { ...WORKER, queryParam: { Environment: 'prod' }, maxBatchSize: 4, metricDimension: 'Deploy/AcmeDeployer/1/prod' } };
/** The dispatcher's own environment: its follow-up schedules, shared by every worker it serves. */
const ENVIRONMENT = { FOLLOW_UP_GROUP: 'acme-worker-follow-ups', FOLLOW_UP_ROLE: FOLLOW_UP_ROLE };
/** The follow-up schedules of a worker are named after its pending queue (and their minute): the group is shared. */
const WORKER_KEY = createHash('sha256').update(PENDING_URL).digest('hex').slice(0, 16);

function job(id = JOB_ID, extra: Partial<NonNullable<Job['data']>> = {}): Job {
  return {
    id,
    nonce: `nonce-${id.slice(0, 8)}`,
    accountId: '123456789012',
    data: {
      actionTypeId: { category: 'Deploy', owner: 'Custom', provider: 'AcmeDeployer', version: '1' },
      actionConfiguration: { configuration: { Environment: 'prod', ApiToken: SECRET } },
      pipelineContext: {
        pipelineName: 'release',
        pipelineArn: 'arn:aws:codepipeline:us-east-1:123456789012:release',
        pipelineExecutionId: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
        stage: { name: 'Deploy' },
        action: { name: 'AcmeDeploy', actionExecutionId: 'ffffffff-0000-1111-2222-333333333333' },
      },
      inputArtifacts: [{ name: 'Source', revision: 'abc123', location: { type: 'S3', s3Location: { bucketName: 'artifacts', objectKey: 'release/Source/abc.zip' } } }],
      outputArtifacts: [],
      artifactCredentials: CREDENTIALS,
      ...extra,
    },
  };
}

/** A response Payload (the SDK types it as its blob adapter; the dispatcher reads it as bytes). */
function payload(text: string): any {
  return new TextEncoder().encode(text);
}

function answer(value: unknown) {
  return { StatusCode: 200, Payload: payload(JSON.stringify(value)) };
}

function invokedJob(i = 0): any {
  const input = lambda.commandCalls(InvokeCommand)[i].args[0].input;
  return JSON.parse(new TextDecoder().decode(input.Payload as Uint8Array));
}

/** Everything the dispatcher wrote to its log. */
function logged(): string {
  return (console.log as jest.Mock).mock.calls.map(args => args.join(' ')).join('\n');
}

function expectNoSecretsLogged(): void {
  const text = logged();
  for (const secret of [SECRET, ...Object.values(CREDENTIALS)]) expect(text).not.toContain(secret);
}

function metricsLine(): any {
  const line = (console.log as jest.Mock).mock.calls.map(args => args[0]).find((l: string) => l.includes('CloudWatchMetrics'));
  return line === undefined ? undefined : JSON.parse(line);
}

/** The follow-up polls the dispatcher scheduled: when, and with which input. */
/** The follow-up schedules created, each with its follow-up count (every input also names the worker: checked once). */
function followUps(): Array<{ at: string; input: unknown }> {
  return scheduler.commandCalls(CreateScheduleCommand).map(call => {
    const { worker, ...input } = JSON.parse(call.args[0].input.Target!.Input!);
    expect(worker).toEqual(WORKER);
    return { at: call.args[0].input.ScheduleExpression!, input };
  });
}

/** A message of the pending queue, received for the `receiveCount`th time. */
function pendingMessage(body: unknown, receiveCount = 1, id = 'm-1'): Message {
  return { MessageId: id, ReceiptHandle: `receipt-${id}`, Body: JSON.stringify(body), Attributes: { ApproximateReceiveCount: String(receiveCount) } };
}

/** The items the dispatcher kept in the pending queue. */
function keptItems(): any[] {
  return sqs.commandCalls(SendMessageCommand).map(call => JSON.parse(call.args[0].input.MessageBody!));
}

beforeEach(() => {
  codepipeline.on(AcknowledgeJobCommand).resolves({ status: 'InProgress' });
  codepipeline.on(PutJobSuccessResultCommand).resolves({});
  codepipeline.on(PutJobFailureResultCommand).resolves({});
  sqs.on(ReceiveMessageCommand).resolves({});
  sqs.on(SendMessageCommand).resolves({ MessageId: 'm-new' });
  sqs.on(DeleteMessageCommand).resolves({});
  sqs.on(ChangeMessageVisibilityCommand).resolves({});
  scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn:aws:scheduler:us-east-1:123456789012:schedule/acme-worker-follow-ups/x' });
});

describe('dispatch', () => {
  // Whatever the branch, the secret property's value and the artifact credentials never reach the log.
  afterEach(() => expectNoSecretsLogged());

  test('a succeeded job: polled, acknowledged with its nonce, the function gets the documented job, the result is reported', async () => {
    codepipeline.on(PollForJobsCommand).resolves({ jobs: [job()] });
    lambda.on(InvokeCommand).resolves(answer({
      status: 'SUCCEEDED',
      summary: 'deployed abc123',
      externalExecutionId: 'run-42',
      percentComplete: 100,
      currentRevision: { revision: 'abc123', changeIdentifier: 'deploy-42', created: '2026-01-01T00:00:00Z', revisionSummary: 'v1.2.3' },
      outputVariables: { Url: 'https://prod.example.com' },
    }));
    await expect(dispatch(CLIENTS, SETTINGS, INVOCATION, NOW)).resolves.toEqual(['SUCCEEDED']);

    expect(codepipeline).toHaveReceivedCommandWith(PollForJobsCommand, {
      actionTypeId: { category: 'Deploy', owner: 'Custom', provider: 'AcmeDeployer', version: '1' }, maxBatchSize: 10,
    });
    expect(codepipeline.commandCalls(PollForJobsCommand)[0].args[0].input.queryParam).toBeUndefined();
    expect(codepipeline).toHaveReceivedCommandWith(AcknowledgeJobCommand, { jobId: JOB_ID, nonce: 'nonce-11111111' });
    expect(lambda).toHaveReceivedCommandWith(InvokeCommand, { FunctionName: FUNCTION_ARN, InvocationType: 'RequestResponse' });
    expect(invokedJob()).toEqual({
      jobId: JOB_ID,
      accountId: '123456789012',
      actionTypeId: { category: 'Deploy', owner: 'Custom', provider: 'AcmeDeployer', version: '1' },
      pipelineContext: {
        pipelineName: 'release',
        pipelineArn: 'arn:aws:codepipeline:us-east-1:123456789012:release',
        pipelineExecutionId: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
        stageName: 'Deploy',
        actionName: 'AcmeDeploy',
        actionExecutionId: 'ffffffff-0000-1111-2222-333333333333',
      },
      configuration: { Environment: 'prod', ApiToken: SECRET },
      inputArtifacts: [{ name: 'Source', revision: 'abc123', s3: { bucketName: 'artifacts', objectKey: 'release/Source/abc.zip' } }],
      outputArtifacts: [],
      artifactCredentials: CREDENTIALS,
    });
    expect(codepipeline).toHaveReceivedCommandWith(PutJobSuccessResultCommand, {
      jobId: JOB_ID,
      executionDetails: { summary: 'deployed abc123', externalExecutionId: 'run-42', percentComplete: 100 },
      currentRevision: { revision: 'abc123', changeIdentifier: 'deploy-42', created: new Date('2026-01-01T00:00:00Z'), revisionSummary: 'v1.2.3' },
      outputVariables: { Url: 'https://prod.example.com' },
    });
    expect(codepipeline.commandCalls(PutJobSuccessResultCommand)[0].args[0].input.continuationToken).toBeUndefined();
    expect(codepipeline).not.toHaveReceivedCommand(PutJobFailureResultCommand);
    expectValidSdkInputs(codepipeline, CODEPIPELINE_API);
    expectNoSecretsLogged();
    expect(metricsLine()).toMatchObject({
      _aws: { CloudWatchMetrics: [{ Namespace: 'cdk-devtools/CodePipeline', Dimensions: [['ActionType']] }] },
      ActionType: 'Deploy/AcmeDeployer/1',
      JobsSucceeded: 1,
      JobsFailed: 0,
      JobErrors: 0,
    });
  });

  test('a failed job: the failure type and message are reported, with secrets the function echoed replaced', async () => {
    codepipeline.on(PollForJobsCommand).resolves({ jobs: [job()] });
    lambda.on(InvokeCommand).resolves(answer({
      status: 'FAILED', failureType: 'ConfigurationError', message: `token ${SECRET} was refused`, externalExecutionId: 'run-43',
    }));
    await expect(dispatch(CLIENTS, SETTINGS, INVOCATION, NOW)).resolves.toEqual(['FAILED']);
    expect(codepipeline).toHaveReceivedCommandWith(PutJobFailureResultCommand, {
      jobId: JOB_ID,
      failureDetails: { type: 'ConfigurationError', message: 'token *** was refused', externalExecutionId: 'run-43' },
    });
    expect(codepipeline).not.toHaveReceivedCommand(PutJobSuccessResultCommand);
    expectValidSdkInputs(codepipeline, CODEPIPELINE_API);
    expectNoSecretsLogged();
    expect(metricsLine()).toMatchObject({ JobsFailed: 1, JobsSucceeded: 0 });
  });

  test('IN_PROGRESS with a continuation token reports success with the token, and the continuation job carries it back', async () => {
    codepipeline.on(PollForJobsCommand).resolvesOnce({ jobs: [job()] }).resolvesOnce({ jobs: [job(JOB_ID, { continuationToken: 'step-2' })] });
    lambda.on(InvokeCommand)
      .resolvesOnce(answer({ status: 'IN_PROGRESS', continuationToken: 'step-2', percentComplete: 40.4, summary: 'rolling out' }))
      .resolvesOnce(answer({ status: 'SUCCEEDED', summary: 'rolled out' }));
    await expect(dispatch(CLIENTS, SETTINGS, INVOCATION, NOW)).resolves.toEqual(['IN_PROGRESS']);
    expect(codepipeline).toHaveReceivedNthCommandWith(3, PutJobSuccessResultCommand, {
      jobId: JOB_ID, continuationToken: 'step-2', executionDetails: { summary: 'rolling out', externalExecutionId: undefined, percentComplete: 40 },
    });
    expect(invokedJob(0).continuationToken).toBeUndefined();

    await expect(dispatch(CLIENTS, SETTINGS, INVOCATION, NOW)).resolves.toEqual(['SUCCEEDED']);
    expect(invokedJob(1).continuationToken).toBe('step-2');
    expect(codepipeline.commandCalls(PutJobSuccessResultCommand)[1].args[0].input).toEqual({
      jobId: JOB_ID, executionDetails: { summary: 'rolled out' },
    });
    expectValidSdkInputs(codepipeline, CODEPIPELINE_API);
  });

  test('a queryable type polls with the worker\'s query parameter', async () => {
    codepipeline.on(PollForJobsCommand).resolves({ jobs: [] });
    await dispatch(CLIENTS, { ...SETTINGS, queryParam: { Environment: 'prod' }, maxBatchSize: 3 }, INVOCATION, NOW);
    expect(codepipeline).toHaveReceivedCommandWith(PollForJobsCommand, { queryParam: { Environment: 'prod' }, maxBatchSize: 3 });
    expectValidSdkInputs(codepipeline, CODEPIPELINE_API);
  });

  test('no jobs: nothing is acknowledged, invoked, scheduled or published, and one line is logged at most', async () => {
    codepipeline.on(PollForJobsCommand).resolves({ jobs: [] });
    await expect(dispatch(CLIENTS, SETTINGS, INVOCATION, NOW)).resolves.toEqual([]);
    expect(codepipeline).not.toHaveReceivedCommand(AcknowledgeJobCommand);
    expect(lambda).not.toHaveReceivedCommand(InvokeCommand);
    expect(scheduler).not.toHaveReceivedCommand(CreateScheduleCommand);
    // Zeros published every poll would keep every custom metric billed around the clock.
    expect(metricsLine()).toBeUndefined();
    expect(console.log).not.toHaveBeenCalled();
    expectValidSdkInputs(codepipeline, CODEPIPELINE_API);
  });

  test('a function that throws fails the job with its error, without its secrets', async () => {
    codepipeline.on(PollForJobsCommand).resolves({ jobs: [job()] });
    lambda.on(InvokeCommand).resolves({
      StatusCode: 200,
      FunctionError: 'Unhandled',
      Payload: payload(JSON.stringify({ errorType: 'Error', errorMessage: `could not log in with ${CREDENTIALS.secretAccessKey}`, trace: [] })),
    });
    await expect(dispatch(CLIENTS, SETTINGS, INVOCATION, NOW)).resolves.toEqual(['FAILED']);
    expect(codepipeline).toHaveReceivedCommandWith(PutJobFailureResultCommand, {
      jobId: JOB_ID,
      failureDetails: { type: 'JobFailed', message: `the function ${FUNCTION_ARN} failed: Error: could not log in with ***` },
    });
    expectValidSdkInputs(codepipeline, CODEPIPELINE_API);
    expectNoSecretsLogged();
  });

  test('a function that times out fails the job with Lambda\'s time-out message', async () => {
    codepipeline.on(PollForJobsCommand).resolves({ jobs: [job()] });
    lambda.on(InvokeCommand).resolves({
      StatusCode: 200,
      FunctionError: 'Unhandled',
      Payload: payload(JSON.stringify({ errorType: 'Sandbox.Timedout', errorMessage: 'RequestId: 1234 Error: Task timed out after 300.00 seconds' })),
    });
    await dispatch(CLIENTS, SETTINGS, INVOCATION, NOW);
    expect(codepipeline).toHaveReceivedCommandWith(PutJobFailureResultCommand, {
      failureDetails: { type: 'JobFailed', message: `the function ${FUNCTION_ARN} failed: Sandbox.Timedout: RequestId: 1234 Error: Task timed out after 300.00 seconds` },
    });
    expectValidSdkInputs(codepipeline, CODEPIPELINE_API);
  });

  test('a function that cannot be invoked fails the job with the reason', async () => {
    codepipeline.on(PollForJobsCommand).resolves({ jobs: [job()] });
    lambda.on(InvokeCommand).rejects(awsError('AccessDeniedException', 'not authorized to perform lambda:InvokeFunction'));
    await expect(dispatch(CLIENTS, SETTINGS, INVOCATION, NOW)).resolves.toEqual(['FAILED']);
    expect(codepipeline).toHaveReceivedCommandWith(PutJobFailureResultCommand, {
      failureDetails: {
        type: 'JobFailed',
        message: `the job worker could not invoke its function ${FUNCTION_ARN}: AccessDeniedException: not authorized to perform lambda:InvokeFunction`,
      },
    });
  });

  test('a job whose function Lambda throttles is left for later: kept as its id only, neither failed nor run', async () => {
    codepipeline.on(PollForJobsCommand).resolves({ jobs: [job(), job(OTHER_JOB_ID)] });
    lambda.on(InvokeCommand, { FunctionName: FUNCTION_ARN }).callsFake(input => {
      const { jobId } = JSON.parse(new TextDecoder().decode(input.Payload));
      if (jobId === JOB_ID) throw awsError('TooManyRequestsException', 'Rate Exceeded.');
      return answer({ status: 'SUCCEEDED' });
    });
    await expect(dispatch(CLIENTS, SETTINGS, INVOCATION, NOW)).resolves.toEqual(['THROTTLED', 'SUCCEEDED']);
    expect(keptItems()).toEqual([{ kind: 'start', jobId: JOB_ID, pipelineName: 'release' }]);
    expect(codepipeline).not.toHaveReceivedCommand(PutJobFailureResultCommand);
    expect(codepipeline).toHaveReceivedCommandTimes(PutJobSuccessResultCommand, 1);
    expect(metricsLine()).toMatchObject({ JobsThrottled: 1, JobsSucceeded: 1, JobsFailed: 0 });
    expect(logged()).toContain('left for a later invocation: Lambda throttled the function (TooManyRequestsException: Rate Exceeded.)');
  });

  test('a throttled job that cannot be left for later fails, with the reason', async () => {
    codepipeline.on(PollForJobsCommand).resolves({ jobs: [job()] });
    lambda.on(InvokeCommand).rejects(awsError('TooManyRequestsException', 'Rate Exceeded.'));
    sqs.on(SendMessageCommand).rejects(awsError('AccessDenied', 'not authorized to perform sqs:SendMessage'));
    await expect(dispatch(CLIENTS, SETTINGS, INVOCATION, NOW)).resolves.toEqual(['FAILED']);
    expect(codepipeline).toHaveReceivedCommandWith(PutJobFailureResultCommand, {
      failureDetails: {
        type: 'JobFailed',
        message: `the job worker could not invoke its function ${FUNCTION_ARN}: TooManyRequestsException: Rate Exceeded.`,
      },
    });
    expect(logged()).toContain('could not be left for later (AccessDenied: not authorized to perform sqs:SendMessage)');
  });

  test('InvalidNonce: another worker took the job, which is skipped while the others run', async () => {
    codepipeline.on(PollForJobsCommand).resolves({ jobs: [job(), job(OTHER_JOB_ID)] });
    codepipeline.on(AcknowledgeJobCommand, { jobId: JOB_ID }).rejects(awsError('InvalidNonceException'));
    lambda.on(InvokeCommand).resolves(answer({ status: 'SUCCEEDED' }));
    await expect(dispatch(CLIENTS, SETTINGS, INVOCATION, NOW)).resolves.toEqual(['SKIPPED', 'SUCCEEDED']);
    expect(lambda).toHaveReceivedCommandTimes(InvokeCommand, 1);
    expect(invokedJob().jobId).toBe(OTHER_JOB_ID);
    expect(codepipeline).toHaveReceivedCommandWith(PutJobSuccessResultCommand, { jobId: OTHER_JOB_ID });
    expect(logged()).toContain('skipped: another worker took the job');
    expectValidSdkInputs(codepipeline, CODEPIPELINE_API);
  });

  test('InvalidJobState on acknowledging: the finished job is dropped', async () => {
    codepipeline.on(PollForJobsCommand).resolves({ jobs: [job()] });
    codepipeline.on(AcknowledgeJobCommand).rejects(awsError('InvalidJobStateException'));
    await expect(dispatch(CLIENTS, SETTINGS, INVOCATION, NOW)).resolves.toEqual(['SKIPPED']);
    expect(lambda).not.toHaveReceivedCommand(InvokeCommand);
    expect(logged()).toContain('dropped: the job is no longer waiting for a worker');
  });

  test('InvalidJobState on reporting: the job ended meanwhile and is dropped', async () => {
    codepipeline.on(PollForJobsCommand).resolves({ jobs: [job()] });
    lambda.on(InvokeCommand).resolves(answer({ status: 'SUCCEEDED' }));
    codepipeline.on(PutJobSuccessResultCommand).rejects(awsError('InvalidJobStateException'));
    await expect(dispatch(CLIENTS, SETTINGS, INVOCATION, NOW)).resolves.toEqual(['SKIPPED']);
    expect(logged()).toContain('dropped: the job ended before its result was reported');
  });

  test('ActionTypeNotFound fails loudly', async () => {
    codepipeline.on(PollForJobsCommand).rejects(awsError('ActionTypeNotFoundException', 'The action type was not found'));
    await expect(dispatch(CLIENTS, SETTINGS, INVOCATION, NOW)).rejects.toThrow(
      'the custom action type Custom/Deploy/AcmeDeployer/1 does not exist in this account and region (PollForJobs: The action type was not found). '
      + 'Deploy the CustomActionType before the JobWorker, or give the JobWorker the type\'s exact category, provider and version '
      + '(`aws codepipeline list-action-types --action-owner-filter Custom`).');
  });

  test('PollForJobs throttling (after the SDK\'s retries) waits for the next poll and counts it', async () => {
    codepipeline.on(PollForJobsCommand).rejects(awsError('ThrottlingException', 'Rate exceeded'));
    await expect(dispatch(CLIENTS, SETTINGS, INVOCATION, NOW)).resolves.toEqual([]);
    expect(metricsLine()).toMatchObject({ PollsThrottled: 1 });
    expect(logged()).toContain('PollForJobs is throttled');
  });

  test('any other PollForJobs error fails the invocation', async () => {
    codepipeline.on(PollForJobsCommand).rejects(awsError('AccessDeniedException', 'not authorized'));
    await expect(dispatch(CLIENTS, SETTINGS, INVOCATION, NOW)).rejects.toThrow('not authorized');
  });

  test('a result that cannot be reported is kept in the pending queue, without the job\'s secrets, while the others are reported', async () => {
    codepipeline.on(PollForJobsCommand).resolves({ jobs: [job(), job(OTHER_JOB_ID)] });
    lambda.on(InvokeCommand).resolves(answer({ status: 'SUCCEEDED', summary: `deployed with ${SECRET}`, outputVariables: { Url: 'https://prod.example.com' } }));
    codepipeline.on(PutJobSuccessResultCommand, { jobId: JOB_ID }).rejects(awsError('InternalServerException', `failed for ${SECRET}`, 'server'));
    await expect(dispatch(CLIENTS, SETTINGS, INVOCATION, NOW)).resolves.toEqual(['KEPT', 'SUCCEEDED']);
    expect(codepipeline).toHaveReceivedCommandWith(PutJobSuccessResultCommand, { jobId: OTHER_JOB_ID });
    expect(sqs).toHaveReceivedCommandWith(SendMessageCommand, { QueueUrl: PENDING_URL });
    expect(keptItems()).toEqual([{
      kind: 'report',
      jobId: JOB_ID,
      pipelineName: 'release',
      answer: { status: 'SUCCEEDED', summary: 'deployed with ***', outputVariables: { Url: 'https://prod.example.com' } },
    }]);
    expect(metricsLine()).toMatchObject({ ReportsKept: 1, JobsSucceeded: 1, JobErrors: 0 });
    expect(logged()).toContain('kept the SUCCEEDED result to report it again (InternalServerException: failed for ***)');
    expectNoSecretsLogged();
  });

  test('a result that can be neither reported nor kept fails the invocation after the others are done', async () => {
    codepipeline.on(PollForJobsCommand).resolves({ jobs: [job(), job(OTHER_JOB_ID)] });
    lambda.on(InvokeCommand).resolves(answer({ status: 'SUCCEEDED' }));
    codepipeline.on(PutJobSuccessResultCommand, { jobId: JOB_ID }).rejects(awsError('AccessDeniedException', `denied for ${SECRET}`));
    sqs.on(SendMessageCommand).rejects(awsError('AccessDenied', 'not authorized to perform sqs:SendMessage'));
    await expect(dispatch(CLIENTS, SETTINGS, INVOCATION, NOW)).rejects.toThrow(
      '1 of 2 job(s) of Custom/Deploy/AcmeDeployer/1 could not be run or reported; see the log lines above');
    expect(codepipeline).toHaveReceivedCommandWith(PutJobSuccessResultCommand, { jobId: OTHER_JOB_ID });
    expect(metricsLine()).toMatchObject({ JobErrors: 1, JobsSucceeded: 1 });
    expect(logged()).toContain('denied for ***');
    expect(logged()).toContain('the result could be neither reported nor kept (AccessDenied: not authorized to perform sqs:SendMessage)');
    expectNoSecretsLogged();
  });

  test('an answer that breaks the contract fails the job and says what is expected', async () => {
    codepipeline.on(PollForJobsCommand).resolves({ jobs: [job()] });
    lambda.on(InvokeCommand).resolves(answer({ status: 'DONE' }));
    await dispatch(CLIENTS, SETTINGS, INVOCATION, NOW);
    expect(codepipeline).toHaveReceivedCommandWith(PutJobFailureResultCommand, {
      failureDetails: {
        type: 'JobFailed',
        message: 'the job worker function\'s answer is invalid: status is "DONE". It must be a JSON object { status: \'SUCCEEDED\' | '
          + '\'FAILED\' | \'IN_PROGRESS\', summary?, externalExecutionId?, percentComplete?, continuationToken?, currentRevision?, '
          + 'outputVariables?, failureType?, message? } (see the JobWorker documentation)',
      },
    });
    expectValidSdkInputs(codepipeline, CODEPIPELINE_API);
  });

  test('an imported type without known properties redacts every configuration value', async () => {
    codepipeline.on(PollForJobsCommand).resolves({ jobs: [job()] });
    lambda.on(InvokeCommand).resolves(answer({ status: 'FAILED', message: 'prod rejected the token' }));
    await dispatch(CLIENTS, { ...SETTINGS, secretProperties: '*' }, INVOCATION, NOW);
    expect(codepipeline).toHaveReceivedCommandWith(PutJobFailureResultCommand, { failureDetails: { type: 'JobFailed', message: '*** rejected the token' } });
  });
});

describe('results kept for a later report', () => {
  const KEPT = { kind: 'report', jobId: JOB_ID, pipelineName: 'release', answer: { status: 'SUCCEEDED', summary: 'deployed abc123' } };

  beforeEach(() => codepipeline.on(PollForJobsCommand).resolves({ jobs: [] }));

  test('the next invocation reports a kept result first, then deletes it', async () => {
    sqs.on(ReceiveMessageCommand).resolves({ Messages: [pendingMessage(KEPT)] });
    await expect(dispatch(CLIENTS, SETTINGS, INVOCATION, NOW)).resolves.toEqual(['SUCCEEDED']);
    expect(sqs).toHaveReceivedCommandWith(ReceiveMessageCommand, {
      QueueUrl: PENDING_URL, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, MessageSystemAttributeNames: ['ApproximateReceiveCount'],
    });
    expect(codepipeline).toHaveReceivedCommandWith(PutJobSuccessResultCommand, { jobId: JOB_ID, executionDetails: { summary: 'deployed abc123' } });
    expect(sqs).toHaveReceivedCommandWith(DeleteMessageCommand, { QueueUrl: PENDING_URL, ReceiptHandle: 'receipt-m-1' });
    expect(codepipeline).toHaveReceivedCommand(PollForJobsCommand);
    expect(logged()).toContain('reported a kept SUCCEEDED result');
    expectValidSdkInputs(codepipeline, CODEPIPELINE_API);
  });

  test('a kept failure is reported with its failure details, and a kept revision with its date', async () => {
    const failure = { kind: 'report', jobId: JOB_ID, answer: { status: 'FAILED', failureType: 'ConfigurationError', message: 'no such environment' } };
    const revision = {
      kind: 'report',
      jobId: OTHER_JOB_ID,
      answer: { status: 'SUCCEEDED', currentRevision: { revision: 'abc', changeIdentifier: 'c-1', created: '2026-01-01T00:00:00.000Z' } },
    };
    sqs.on(ReceiveMessageCommand).resolves({ Messages: [pendingMessage(failure), pendingMessage(revision, 1, 'm-2')] });
    await expect(dispatch(CLIENTS, SETTINGS, INVOCATION, NOW)).resolves.toEqual(['FAILED', 'SUCCEEDED']);
    expect(codepipeline).toHaveReceivedCommandWith(PutJobFailureResultCommand, {
      jobId: JOB_ID, failureDetails: { type: 'ConfigurationError', message: 'no such environment' },
    });
    expect(codepipeline).toHaveReceivedCommandWith(PutJobSuccessResultCommand, {
      jobId: OTHER_JOB_ID, currentRevision: { revision: 'abc', changeIdentifier: 'c-1', created: new Date('2026-01-01T00:00:00.000Z') },
    });
    expect(sqs).toHaveReceivedCommandTimes(DeleteMessageCommand, 2);
    expectValidSdkInputs(codepipeline, CODEPIPELINE_API);
  });

  test('a kept result whose job ended meanwhile is dropped', async () => {
    sqs.on(ReceiveMessageCommand).resolves({ Messages: [pendingMessage(KEPT, 4)] });
    codepipeline.on(PutJobSuccessResultCommand).rejects(awsError('InvalidJobStateException'));
    await expect(dispatch(CLIENTS, SETTINGS, INVOCATION, NOW)).resolves.toEqual(['SKIPPED']);
    expect(sqs).toHaveReceivedCommandWith(DeleteMessageCommand, { ReceiptHandle: 'receipt-m-1' });
  });

  test.each([
    [1, 60],
    [3, 240],
    [8, 600],
  ])('a kept result that still cannot be reported (received %i times) is tried again %i s later', async (receiveCount, seconds) => {
    sqs.on(ReceiveMessageCommand).resolves({ Messages: [pendingMessage(KEPT, receiveCount)] });
    codepipeline.on(PutJobSuccessResultCommand).rejects(awsError('ThrottlingException', 'Rate exceeded'));
    await expect(dispatch(CLIENTS, SETTINGS, INVOCATION, NOW)).resolves.toEqual(['KEPT']);
    expect(sqs).toHaveReceivedCommandWith(ChangeMessageVisibilityCommand, { QueueUrl: PENDING_URL, ReceiptHandle: 'receipt-m-1', VisibilityTimeout: seconds });
    expect(sqs).not.toHaveReceivedCommand(DeleteMessageCommand);
    expect(sqs).not.toHaveReceivedCommand(SendMessageCommand);
    expect(logged()).toContain(`still could not report the kept SUCCEEDED result (ThrottlingException: Rate exceeded); trying again in ${seconds} s`);
  });

  test('a job left for later is started with its details read again, reported, and deleted', async () => {
    sqs.on(ReceiveMessageCommand).resolves({ Messages: [pendingMessage({ kind: 'start', jobId: JOB_ID, pipelineName: 'release' }, 2)] });
    codepipeline.on(GetJobDetailsCommand).resolves({ jobDetails: { id: JOB_ID, accountId: '123456789012', data: job().data } });
    lambda.on(InvokeCommand).resolves(answer({ status: 'SUCCEEDED', summary: 'deployed' }));
    await expect(dispatch(CLIENTS, SETTINGS, INVOCATION, NOW)).resolves.toEqual(['SUCCEEDED']);
    expect(codepipeline).toHaveReceivedCommandWith(GetJobDetailsCommand, { jobId: JOB_ID });
    expect(codepipeline).not.toHaveReceivedCommand(AcknowledgeJobCommand);
    expect(invokedJob()).toMatchObject({ jobId: JOB_ID, configuration: { ApiToken: SECRET }, artifactCredentials: CREDENTIALS });
    expect(codepipeline).toHaveReceivedCommandWith(PutJobSuccessResultCommand, { jobId: JOB_ID, executionDetails: { summary: 'deployed' } });
    expect(sqs).toHaveReceivedCommandWith(DeleteMessageCommand, { ReceiptHandle: 'receipt-m-1' });
    expectValidSdkInputs(codepipeline, CODEPIPELINE_API);
    expectNoSecretsLogged();
  });

  test('a job left for later runs while the new jobs are polled and run, so that both fit in the dispatcher\'s timeout', async () => {
    sqs.on(ReceiveMessageCommand).resolves({ Messages: [pendingMessage({ kind: 'start', jobId: OTHER_JOB_ID })] });
    codepipeline.on(GetJobDetailsCommand).resolves({ jobDetails: { id: OTHER_JOB_ID, data: job(OTHER_JOB_ID).data } });
    codepipeline.on(PollForJobsCommand).resolves({ jobs: [job()] });
    const pollsWhenLeftJobRan: number[] = [];
    lambda.on(InvokeCommand).callsFake(input => {
      const { jobId } = JSON.parse(new TextDecoder().decode(input.Payload));
      if (jobId === OTHER_JOB_ID) pollsWhenLeftJobRan.push(codepipeline.commandCalls(PollForJobsCommand).length);
      return answer({ status: 'SUCCEEDED' });
    });
    await expect(dispatch(CLIENTS, SETTINGS, INVOCATION, NOW)).resolves.toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect(pollsWhenLeftJobRan).toEqual([1]);
  });

  test('a job left for later that is throttled again waits longer', async () => {
    sqs.on(ReceiveMessageCommand).resolves({ Messages: [pendingMessage({ kind: 'start', jobId: JOB_ID }, 2)] });
    codepipeline.on(GetJobDetailsCommand).resolves({ jobDetails: { id: JOB_ID, data: job().data } });
    lambda.on(InvokeCommand).rejects(awsError('TooManyRequestsException', 'Rate Exceeded.'));
    await expect(dispatch(CLIENTS, SETTINGS, INVOCATION, NOW)).resolves.toEqual(['THROTTLED']);
    expect(sqs).toHaveReceivedCommandWith(ChangeMessageVisibilityCommand, { ReceiptHandle: 'receipt-m-1', VisibilityTimeout: 120 });
    expect(sqs).not.toHaveReceivedCommand(SendMessageCommand);
    expect(sqs).not.toHaveReceivedCommand(DeleteMessageCommand);
    expect(codepipeline).not.toHaveReceivedCommand(PutJobFailureResultCommand);
  });

  test('a job left for later that no longer exists is dropped', async () => {
    sqs.on(ReceiveMessageCommand).resolves({ Messages: [pendingMessage({ kind: 'start', jobId: JOB_ID })] });
    codepipeline.on(GetJobDetailsCommand).rejects(awsError('JobNotFoundException'));
    await expect(dispatch(CLIENTS, SETTINGS, INVOCATION, NOW)).resolves.toEqual(['SKIPPED']);
    expect(lambda).not.toHaveReceivedCommand(InvokeCommand);
    expect(sqs).toHaveReceivedCommandWith(DeleteMessageCommand, { ReceiptHandle: 'receipt-m-1' });
  });

  test('a job left for later whose details cannot be read stays in the queue, and the invocation fails', async () => {
    sqs.on(ReceiveMessageCommand).resolves({ Messages: [pendingMessage({ kind: 'start', jobId: JOB_ID })] });
    codepipeline.on(GetJobDetailsCommand).rejects(awsError('ThrottlingException', 'Rate exceeded'));
    await expect(dispatch(CLIENTS, SETTINGS, INVOCATION, NOW)).rejects.toThrow('1 kept job(s) of Custom/Deploy/AcmeDeployer/1 could not be handled');
    expect(lambda).not.toHaveReceivedCommand(InvokeCommand);
    expect(sqs).not.toHaveReceivedCommand(DeleteMessageCommand);
  });

  test('a job left for later whose result cannot be reported is kept as a result, so that it does not run again', async () => {
    sqs.on(ReceiveMessageCommand).resolves({ Messages: [pendingMessage({ kind: 'start', jobId: JOB_ID, pipelineName: 'release' })] });
    codepipeline.on(GetJobDetailsCommand).resolves({ jobDetails: { id: JOB_ID, data: job().data } });
    lambda.on(InvokeCommand).resolves(answer({ status: 'FAILED', message: 'prod is down' }));
    codepipeline.on(PutJobFailureResultCommand).rejects(awsError('InternalServerException', 'oops', 'server'));
    await expect(dispatch(CLIENTS, SETTINGS, INVOCATION, NOW)).resolves.toEqual(['KEPT']);
    expect(keptItems()).toEqual([{ kind: 'report', jobId: JOB_ID, pipelineName: 'release', answer: { status: 'FAILED', failureType: 'JobFailed', message: 'prod is down' } }]);
    expect(sqs).toHaveReceivedCommandWith(DeleteMessageCommand, { ReceiptHandle: 'receipt-m-1' });
  });

  test('a message that is not a kept result is left to the dead-letter queue, and the invocation fails', async () => {
    sqs.on(ReceiveMessageCommand).resolves({ Messages: [pendingMessage({ hello: 'world' })] });
    await expect(dispatch(CLIENTS, SETTINGS, INVOCATION, NOW)).rejects.toThrow('1 kept job(s) of Custom/Deploy/AcmeDeployer/1 could not be handled; see the log lines above');
    expect(sqs).not.toHaveReceivedCommand(DeleteMessageCommand);
    expect(logged()).toContain('not an item the job worker keeps');
    expect(codepipeline).toHaveReceivedCommand(PollForJobsCommand);
  });

  test('a pending queue that cannot be read fails the invocation, after the new jobs are run', async () => {
    sqs.on(ReceiveMessageCommand).rejects(awsError('AccessDenied', 'not authorized to perform sqs:ReceiveMessage'));
    codepipeline.on(PollForJobsCommand).resolves({ jobs: [job()] });
    lambda.on(InvokeCommand).resolves(answer({ status: 'SUCCEEDED' }));
    await expect(dispatch(CLIENTS, SETTINGS, INVOCATION, NOW)).rejects.toThrow('1 kept job(s) of Custom/Deploy/AcmeDeployer/1 could not be handled; see the log lines above');
    expect(codepipeline).toHaveReceivedCommandWith(PutJobSuccessResultCommand, { jobId: JOB_ID });
    expect(logged()).toContain('the pending queue could not be read (AccessDenied: not authorized to perform sqs:ReceiveMessage)');
  });
});

describe('follow-up polls while work is in flight', () => {
  /** `at(...)` of the whole minute `minutes` after NOW's minute (NOW is 20 s past 10:00). */
  const minuteAfter = (minutes: number) => `at(2026-03-02T10:${String(minutes).padStart(2, '0')}:00)`;

  test('an IN_PROGRESS answer: a one-time schedule in the worker\'s group invokes the dispatcher at the next whole minute '
    + 'a minute away, and deletes itself', async () => {
    codepipeline.on(PollForJobsCommand).resolves({ jobs: [job()] });
    lambda.on(InvokeCommand).resolves(answer({ status: 'IN_PROGRESS', continuationToken: 'step-2' }));
    await dispatch(CLIENTS, SETTINGS, INVOCATION, NOW);
    expect(scheduler).toHaveReceivedCommandWith(CreateScheduleCommand, {
      Name: `poll-${WORKER_KEY}-${Date.parse('2026-03-02T10:02:00Z') / 60_000}`,
      GroupName: 'acme-worker-follow-ups',
      ScheduleExpression: minuteAfter(2),
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      Target: {
        Arn: DISPATCHER_ARN,
        RoleArn: FOLLOW_UP_ROLE,
        Input: JSON.stringify({ worker: WORKER, followUp: 1 }),
        RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 300 },
      },
    });
    expect(scheduler).toHaveReceivedCommandTimes(CreateScheduleCommand, 1);
  });

  test('the follow-ups of two workers of one dispatcher in the same minute are two schedules, each naming its worker', async () => {
    codepipeline.on(PollForJobsCommand).resolves({ jobs: [job()] });
    lambda.on(InvokeCommand).resolves(answer({ status: 'IN_PROGRESS', continuationToken: 'step-2' }));
    const other = { ...SETTINGS, functionName: `${FUNCTION_ARN}-2`, pendingQueueUrl: `${PENDING_URL}-2` };
    await dispatch(CLIENTS, SETTINGS, INVOCATION, NOW);
    await dispatch(CLIENTS, other, INVOCATION, NOW);
    const created = scheduler.commandCalls(CreateScheduleCommand).map(call => call.args[0].input);
    expect(new Set(created.map(c => c.Name)).size).toBe(2);
    expect(created.map(c => JSON.parse(c.Target!.Input!).worker.pendingQueueUrl)).toEqual([PENDING_URL, `${PENDING_URL}-2`]);
    expect(created.every(c => c.GroupName === 'acme-worker-follow-ups')).toBe(true);
  });

  test('a job left for later, a kept result and a throttled poll each get a follow-up; one schedule a minute serves them all', async () => {
    codepipeline.on(PollForJobsCommand).resolves({ jobs: [job(), job(OTHER_JOB_ID)] });
    lambda.on(InvokeCommand).rejects(awsError('TooManyRequestsException', 'Rate Exceeded.'));
    await dispatch(CLIENTS, SETTINGS, INVOCATION, NOW);
    expect(followUps()).toEqual([{ at: minuteAfter(2), input: { followUp: 1 } }]);

    scheduler.resetHistory();
    codepipeline.on(PollForJobsCommand).rejects(awsError('ThrottlingException', 'Rate exceeded'));
    await dispatch(CLIENTS, SETTINGS, INVOCATION, NOW);
    expect(followUps()).toEqual([{ at: minuteAfter(2), input: { followUp: 1 } }]);
  });

  test('an item put off for 4 minutes gets a follow-up when it is due', async () => {
    codepipeline.on(PollForJobsCommand).resolves({ jobs: [] });
    sqs.on(ReceiveMessageCommand).resolves({ Messages: [pendingMessage({ kind: 'report', jobId: JOB_ID, answer: { status: 'SUCCEEDED' } }, 3)] });
    codepipeline.on(PutJobSuccessResultCommand).rejects(awsError('ThrottlingException', 'Rate exceeded'));
    await dispatch(CLIENTS, SETTINGS, INVOCATION, NOW);
    expect(followUps()).toEqual([{ at: minuteAfter(5), input: { followUp: 1 } }]);
  });

  test('a full batch of kept items: a follow-up takes the rest', async () => {
    codepipeline.on(PollForJobsCommand).resolves({ jobs: [] });
    const kept = Array.from({ length: 10 }, (_, i) => pendingMessage({ kind: 'report', jobId: JOB_ID, answer: { status: 'SUCCEEDED' } }, 1, `m-${i}`));
    sqs.on(ReceiveMessageCommand).resolves({ Messages: kept });
    await dispatch(CLIENTS, SETTINGS, INVOCATION, NOW);
    expect(followUps()).toEqual([{ at: minuteAfter(2), input: { followUp: 1 } }]);
  });

  test('a follow-up that finds nothing (the continuation job is not there yet) looks once more 2 minutes later, then stops', async () => {
    codepipeline.on(PollForJobsCommand).resolves({ jobs: [] });
    await dispatch(CLIENTS, SETTINGS, { ...INVOCATION, followUp: 1 }, NOW);
    expect(followUps()).toEqual([{ at: minuteAfter(3), input: { followUp: 2 } }]);
    scheduler.resetHistory();
    await dispatch(CLIENTS, SETTINGS, { ...INVOCATION, followUp: 2 }, NOW);
    expect(scheduler).not.toHaveReceivedCommand(CreateScheduleCommand);
  });

  test('a follow-up that finds work starts over', async () => {
    codepipeline.on(PollForJobsCommand).resolves({ jobs: [job()] });
    lambda.on(InvokeCommand).resolves(answer({ status: 'IN_PROGRESS', continuationToken: 'step-3' }));
    await dispatch(CLIENTS, SETTINGS, { ...INVOCATION, followUp: 2 }, NOW);
    expect(followUps()).toEqual([{ at: minuteAfter(2), input: { followUp: 1 } }]);
  });

  test('a follow-up scheduled already for that minute (ConflictException) is fine', async () => {
    codepipeline.on(PollForJobsCommand).resolves({ jobs: [job()] });
    lambda.on(InvokeCommand).resolves(answer({ status: 'IN_PROGRESS', continuationToken: 'step-2' }));
    scheduler.on(CreateScheduleCommand).rejects(awsError('ConflictException', 'Schedule poll-1 already exists.'));
    await expect(dispatch(CLIENTS, SETTINGS, INVOCATION, NOW)).resolves.toEqual(['IN_PROGRESS']);
    expect(metricsLine()).toMatchObject({ FollowUpsFailed: 0 });
  });

  test('a follow-up that cannot be scheduled is logged and counted, and the invocation succeeds: the safety poll takes over', async () => {
    codepipeline.on(PollForJobsCommand).resolves({ jobs: [job()] });
    lambda.on(InvokeCommand).resolves(answer({ status: 'IN_PROGRESS', continuationToken: 'step-2' }));
    scheduler.on(CreateScheduleCommand).rejects(awsError('AccessDeniedException', 'not authorized to perform iam:PassRole'));
    await expect(dispatch(CLIENTS, SETTINGS, INVOCATION, NOW)).resolves.toEqual(['IN_PROGRESS']);
    expect(metricsLine()).toMatchObject({ FollowUpsFailed: 1, JobsInProgress: 1 });
    expect(logged()).toContain('the follow-up poll could not be scheduled (AccessDeniedException: not authorized to perform iam:PassRole); '
      + 'the next scheduled poll takes over');
  });

  test('a qualified ARN of the dispatcher (an alias or version) is reduced to the function\'s', async () => {
    codepipeline.on(PollForJobsCommand).resolves({ jobs: [job()] });
    lambda.on(InvokeCommand).resolves(answer({ status: 'IN_PROGRESS', continuationToken: 'step-2' }));
    await dispatch(CLIENTS, SETTINGS, { functionArn: `${DISPATCHER_ARN}:live` }, NOW);
    expect(scheduler.commandCalls(CreateScheduleCommand)[0].args[0].input.Target?.Arn).toBe(DISPATCHER_ARN);
  });
});

describe('checkAnswer', () => {
  test('texts are shortened to the API\'s bounds', () => {
    const summary = checkAnswer({ status: 'SUCCEEDED', summary: 's'.repeat(3000) }).summary!;
    expect(summary).toHaveLength(2048);
    expect(summary.endsWith(' [truncated]')).toBe(true);
    expect(checkAnswer({ status: 'FAILED', message: 'm'.repeat(6000) }).message).toHaveLength(5000);
    expect(checkAnswer({ status: 'SUCCEEDED', currentRevision: { revision: 'r', changeIdentifier: 'c', revisionSummary: 'x'.repeat(3000) } })
      .currentRevision!.revisionSummary).toHaveLength(2048);
  });

  test('FAILED defaults to JobFailed with a message', () => {
    expect(checkAnswer({ status: 'FAILED' })).toEqual({
      status: 'FAILED', failureType: 'JobFailed', message: 'the job worker function reported a failure without a message', externalExecutionId: undefined,
    });
  });

  test('percentComplete is rounded and kept within 0 to 100', () => {
    expect(checkAnswer({ status: 'IN_PROGRESS', continuationToken: 't', percentComplete: 150 }).percentComplete).toBe(100);
    expect(checkAnswer({ status: 'IN_PROGRESS', continuationToken: 't', percentComplete: -3 }).percentComplete).toBe(0);
  });

  test.each([
    [null, 'got null'],
    [[1], 'got [1]'],
    [{ status: 'IN_PROGRESS' }, 'status IN_PROGRESS needs a continuationToken'],
    [{ status: 'SUCCEEDED', continuationToken: 't' }, 'status SUCCEEDED takes no continuationToken'],
    [{ status: 'IN_PROGRESS', continuationToken: 't'.repeat(2049) }, 'continuationToken has 2049 characters, at most 2048 are allowed'],
    [{ status: 'SUCCEEDED', externalExecutionId: 'e'.repeat(1501) }, 'externalExecutionId has 1501 characters, at most 1500 are allowed'],
    [{ status: 'FAILED', failureType: 'Oops' }, "failureType is 'Oops', expected one of ConfigurationError, JobFailed, PermissionError"],
    [{ status: 'SUCCEEDED', percentComplete: 'half' }, 'percentComplete is "half", expected a number from 0 to 100'],
    [{ status: 'SUCCEEDED', currentRevision: { revision: 'r' } }, 'currentRevision needs revision and changeIdentifier strings'],
    [{ status: 'SUCCEEDED', currentRevision: { revision: 'r', changeIdentifier: 'c'.repeat(101) } }, 'currentRevision.revision has at most 1500 characters and changeIdentifier at most 100'],
    [{ status: 'SUCCEEDED', currentRevision: { revision: 'r', changeIdentifier: 'c', created: 'yesterday' } }, 'currentRevision.created is "yesterday"'],
    [{ status: 'IN_PROGRESS', continuationToken: 't', outputVariables: { A: 'b' } }, 'outputVariables are reported with the final SUCCEEDED answer'],
    [{ status: 'SUCCEEDED', outputVariables: { 'a b': 'c' } }, "outputVariables key 'a b' may only have"],
  ])('%j is refused: %s', (raw, why) => {
    const checked = checkAnswer(raw);
    expect(checked.status).toBe('FAILED');
    expect(checked.failureType).toBe('JobFailed');
    expect(checked.message).toContain(`the job worker function's answer is invalid: ${why}`);
  });

  test('a non-JSON answer fails the job', async () => {
    codepipeline.on(PollForJobsCommand).resolves({ jobs: [job()] });
    lambda.on(InvokeCommand).resolves({ StatusCode: 200, Payload: payload('ok') });
    await dispatch(CLIENTS, SETTINGS, INVOCATION, NOW);
    expect(codepipeline).toHaveReceivedCommandWith(PutJobFailureResultCommand, {
      failureDetails: { type: 'JobFailed', message: expect.stringContaining('the job worker function\'s answer is invalid: it is not JSON') },
    });
  });
});

describe('toWorkerJob and settingsFrom', () => {
  test('a job without optional parts', () => {
    expect(toWorkerJob({ id: JOB_ID, nonce: 'n', data: {} })).toEqual({
      jobId: JOB_ID, actionTypeId: {}, pipelineContext: {}, configuration: {}, inputArtifacts: [], outputArtifacts: [],
    });
    expect(toWorkerJob(job(JOB_ID, { encryptionKey: { id: 'alias/artifacts', type: 'KMS' } })).encryptionKey).toEqual({ id: 'alias/artifacts', type: 'KMS' });
  });

  test('reads the worker from the input and the follow-up schedules from the environment', () => {
    expect(settingsFrom(INPUT, ENVIRONMENT)).toEqual({ ...SETTINGS, queryParam: { Environment: 'prod' }, maxBatchSize: 4, metricDimension: 'Deploy/AcmeDeployer/1/prod' });
    const minimal = { worker: { category: 'Deploy', provider: 'AcmeDeployer', version: '1', functionName: FUNCTION_ARN, metricDimension: 'Deploy/AcmeDeployer/1', pendingQueueUrl: PENDING_URL } };
    expect(settingsFrom(minimal, ENVIRONMENT)).toEqual({ ...SETTINGS, secretProperties: '*', queryParam: undefined });
    expect(() => settingsFrom({ 'detail-type': 'Scheduled Event' }, ENVIRONMENT)).toThrow(
      'the job dispatcher was invoked without the worker\'s category; only a JobWorker\'s rules and follow-up polls invoke it (redeploy the JobWorker)');
    expect(() => settingsFrom({ worker: { ...minimal.worker, pendingQueueUrl: '' } }, ENVIRONMENT)).toThrow(/without the worker's pendingQueueUrl;/);
    expect(() => settingsFrom(minimal, { FOLLOW_UP_GROUP: 'g' })).toThrow("the job dispatcher's environment has no FOLLOW_UP_ROLE; redeploy the JobWorker");
  });
});

describe('the Lambda entry', () => {
  const CONTEXT = { invokedFunctionArn: DISPATCHER_ARN };
  const saved = { ...process.env };
  beforeEach(() => Object.assign(process.env, ENVIRONMENT));
  afterEach(() => {
    process.env = { ...saved };
  });

  test('polls for the worker its input names', async () => {
    codepipeline.on(PollForJobsCommand).resolves({ jobs: [] });
    await handler(INPUT, CONTEXT);
    expect(codepipeline).toHaveReceivedCommandWith(PollForJobsCommand, {
      actionTypeId: { category: 'Deploy', owner: 'Custom', provider: 'AcmeDeployer', version: '1' },
      maxBatchSize: 4,
      queryParam: { Environment: 'prod' },
    });
    expectValidSdkInputs(codepipeline, CODEPIPELINE_API);
  });

  test('a schedule\'s follow-up input reaches the dispatcher; a rule\'s input is not one', async () => {
    codepipeline.on(PollForJobsCommand).resolves({ jobs: [] });
    await handler(INPUT, CONTEXT);
    expect(scheduler).not.toHaveReceivedCommand(CreateScheduleCommand);
    await handler({ ...INPUT, followUp: 1 }, CONTEXT);
    const [schedule] = scheduler.commandCalls(CreateScheduleCommand).map(call => call.args[0].input);
    expect(schedule.Target!.Arn).toBe(DISPATCHER_ARN);
    expect(JSON.parse(schedule.Target!.Input!)).toEqual({ ...INPUT, followUp: 2 });
  });

  test('a job the function could not start (Lambda throttled it) is left for later, and a later invocation starts it', async () => {
    codepipeline.on(PollForJobsCommand).resolvesOnce({ jobs: [job()] }).resolves({ jobs: [] });
    lambda.on(InvokeCommand)
      .rejectsOnce(awsError('TooManyRequestsException', 'Rate Exceeded.'))
      .resolves(answer({ status: 'SUCCEEDED', summary: 'deployed abc123' }));
    await handler(INPUT, CONTEXT);
    expect(codepipeline).not.toHaveReceivedCommand(PutJobFailureResultCommand);
    expect(codepipeline).not.toHaveReceivedCommand(PutJobSuccessResultCommand);
    const [left] = sqs.commandCalls(SendMessageCommand);
    expect(left.args[0].input.QueueUrl).toBe(PENDING_URL);

    // CodePipeline does not hand out an acknowledged job again: a later invocation reads it again and starts it.
    sqs.on(ReceiveMessageCommand).resolves({ Messages: [{ ...pendingMessage(undefined), Body: left.args[0].input.MessageBody }] });
    codepipeline.on(GetJobDetailsCommand).resolves({ jobDetails: { id: JOB_ID, accountId: '123456789012', data: job().data } });
    await handler(INPUT, CONTEXT);
    expect(invokedJob(1)).toEqual(invokedJob(0));
    expect(codepipeline).toHaveReceivedCommandWith(PutJobSuccessResultCommand, { jobId: JOB_ID, executionDetails: { summary: 'deployed abc123' } });
    expect(codepipeline).not.toHaveReceivedCommand(PutJobFailureResultCommand);
    expect(codepipeline).toHaveReceivedCommandTimes(AcknowledgeJobCommand, 1);
    expect(sqs).toHaveReceivedCommandWith(DeleteMessageCommand, { QueueUrl: PENDING_URL, ReceiptHandle: 'receipt-m-1' });
  });

  test('a result the dispatcher could not report (after the SDK\'s retries) is kept, and the next invocation reports it', async () => {
    codepipeline.on(PollForJobsCommand).resolvesOnce({ jobs: [job()] }).resolves({ jobs: [] });
    lambda.on(InvokeCommand).resolves(answer({ status: 'SUCCEEDED', summary: 'deployed abc123' }));
    codepipeline.on(PutJobSuccessResultCommand).rejectsOnce(awsError('ServiceUnavailableException', 'try again', 'server')).resolves({});
    await handler(INPUT, CONTEXT); // the work is done, the result could not be reported: the invocation succeeds with the result kept
    expect(lambda).toHaveReceivedCommandTimes(InvokeCommand, 1);
    const [kept] = sqs.commandCalls(SendMessageCommand);
    expect(kept.args[0].input.QueueUrl).toBe(PENDING_URL);

    // The next invocation (the schedule, or the next event) finds it in the queue and reports it, without running the job again.
    sqs.on(ReceiveMessageCommand).resolves({ Messages: [{ ...pendingMessage(undefined), Body: kept.args[0].input.MessageBody }] });
    await handler(INPUT, CONTEXT);
    expect(codepipeline).toHaveReceivedCommandTimes(PutJobSuccessResultCommand, 2);
    expect(codepipeline).toHaveReceivedNthSpecificCommandWith(2, PutJobSuccessResultCommand, { jobId: JOB_ID, executionDetails: { summary: 'deployed abc123' } });
    expect(sqs).toHaveReceivedCommandWith(DeleteMessageCommand, { QueueUrl: PENDING_URL, ReceiptHandle: 'receipt-m-1' });
    expect(lambda).toHaveReceivedCommandTimes(InvokeCommand, 1);
  });
});
