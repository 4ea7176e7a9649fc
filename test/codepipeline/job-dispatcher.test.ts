import {
  AcknowledgeJobCommand, CodePipelineClient, Job, PollForJobsCommand, PutJobFailureResultCommand, PutJobSuccessResultCommand,
} from '@aws-sdk/client-codepipeline';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { CODEPIPELINE_API } from '../../src/codepipeline/private/api-constraints';
import {
  checkAnswer, dispatch, DispatcherSettings, settingsFromEnv, toWorkerJob,
} from '../../src/codepipeline/private/handlers/job-dispatcher';
import { handler } from '../../src/codepipeline/private/handlers/job-dispatcher.lambda';
import { awsError, expectValidSdkInputs, handlerMocks } from '../kit';

const [codepipeline, lambda] = handlerMocks(CodePipelineClient, LambdaClient);

const JOB_ID = '11111111-2222-3333-4444-555555555555';
const OTHER_JOB_ID = '66666666-7777-8888-9999-000000000000';
const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:acme-worker';
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
};

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
  return JSON.parse((console.log as jest.Mock).mock.calls.map(args => args[0]).find((l: string) => l.includes('CloudWatchMetrics')));
}

beforeEach(() => {
  codepipeline.on(AcknowledgeJobCommand).resolves({ status: 'InProgress' });
  codepipeline.on(PutJobSuccessResultCommand).resolves({});
  codepipeline.on(PutJobFailureResultCommand).resolves({});
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
    await expect(dispatch(new CodePipelineClient({}), new LambdaClient({}), SETTINGS)).resolves.toEqual(['SUCCEEDED']);

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
    await expect(dispatch(new CodePipelineClient({}), new LambdaClient({}), SETTINGS)).resolves.toEqual(['FAILED']);
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
    await expect(dispatch(new CodePipelineClient({}), new LambdaClient({}), SETTINGS)).resolves.toEqual(['IN_PROGRESS']);
    expect(codepipeline).toHaveReceivedNthCommandWith(3, PutJobSuccessResultCommand, {
      jobId: JOB_ID, continuationToken: 'step-2', executionDetails: { summary: 'rolling out', externalExecutionId: undefined, percentComplete: 40 },
    });
    expect(invokedJob(0).continuationToken).toBeUndefined();

    await expect(dispatch(new CodePipelineClient({}), new LambdaClient({}), SETTINGS)).resolves.toEqual(['SUCCEEDED']);
    expect(invokedJob(1).continuationToken).toBe('step-2');
    expect(codepipeline.commandCalls(PutJobSuccessResultCommand)[1].args[0].input).toEqual({
      jobId: JOB_ID, executionDetails: { summary: 'rolled out' },
    });
    expectValidSdkInputs(codepipeline, CODEPIPELINE_API);
  });

  test('a queryable type polls with the worker\'s query parameter', async () => {
    codepipeline.on(PollForJobsCommand).resolves({ jobs: [] });
    await dispatch(new CodePipelineClient({}), new LambdaClient({}), { ...SETTINGS, queryParam: { Environment: 'prod' }, maxBatchSize: 3 });
    expect(codepipeline).toHaveReceivedCommandWith(PollForJobsCommand, { queryParam: { Environment: 'prod' }, maxBatchSize: 3 });
    expectValidSdkInputs(codepipeline, CODEPIPELINE_API);
  });

  test('no jobs: nothing is acknowledged or invoked, and the metrics say so', async () => {
    codepipeline.on(PollForJobsCommand).resolves({ jobs: [] });
    await expect(dispatch(new CodePipelineClient({}), new LambdaClient({}), SETTINGS)).resolves.toEqual([]);
    expect(codepipeline).not.toHaveReceivedCommand(AcknowledgeJobCommand);
    expect(lambda).not.toHaveReceivedCommand(InvokeCommand);
    expect(metricsLine()).toMatchObject({ JobsSucceeded: 0, JobsFailed: 0, JobErrors: 0, PollsThrottled: 0 });
    expectValidSdkInputs(codepipeline, CODEPIPELINE_API);
  });

  test('a function that throws fails the job with its error, without its secrets', async () => {
    codepipeline.on(PollForJobsCommand).resolves({ jobs: [job()] });
    lambda.on(InvokeCommand).resolves({
      StatusCode: 200,
      FunctionError: 'Unhandled',
      Payload: payload(JSON.stringify({ errorType: 'Error', errorMessage: `could not log in with ${CREDENTIALS.secretAccessKey}`, trace: [] })),
    });
    await expect(dispatch(new CodePipelineClient({}), new LambdaClient({}), SETTINGS)).resolves.toEqual(['FAILED']);
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
    await dispatch(new CodePipelineClient({}), new LambdaClient({}), SETTINGS);
    expect(codepipeline).toHaveReceivedCommandWith(PutJobFailureResultCommand, {
      failureDetails: { type: 'JobFailed', message: `the function ${FUNCTION_ARN} failed: Sandbox.Timedout: RequestId: 1234 Error: Task timed out after 300.00 seconds` },
    });
    expectValidSdkInputs(codepipeline, CODEPIPELINE_API);
  });

  test('a function that cannot be invoked fails the job with the reason', async () => {
    codepipeline.on(PollForJobsCommand).resolves({ jobs: [job()] });
    lambda.on(InvokeCommand).rejects(awsError('AccessDeniedException', 'not authorized to perform lambda:InvokeFunction'));
    await expect(dispatch(new CodePipelineClient({}), new LambdaClient({}), SETTINGS)).resolves.toEqual(['FAILED']);
    expect(codepipeline).toHaveReceivedCommandWith(PutJobFailureResultCommand, {
      failureDetails: {
        type: 'JobFailed',
        message: `the job worker could not invoke its function ${FUNCTION_ARN}: AccessDeniedException: not authorized to perform lambda:InvokeFunction`,
      },
    });
  });

  test('InvalidNonce: another worker took the job, which is skipped while the others run', async () => {
    codepipeline.on(PollForJobsCommand).resolves({ jobs: [job(), job(OTHER_JOB_ID)] });
    codepipeline.on(AcknowledgeJobCommand, { jobId: JOB_ID }).rejects(awsError('InvalidNonceException'));
    lambda.on(InvokeCommand).resolves(answer({ status: 'SUCCEEDED' }));
    await expect(dispatch(new CodePipelineClient({}), new LambdaClient({}), SETTINGS)).resolves.toEqual(['SKIPPED', 'SUCCEEDED']);
    expect(lambda).toHaveReceivedCommandTimes(InvokeCommand, 1);
    expect(invokedJob().jobId).toBe(OTHER_JOB_ID);
    expect(codepipeline).toHaveReceivedCommandWith(PutJobSuccessResultCommand, { jobId: OTHER_JOB_ID });
    expect(logged()).toContain('skipped: another worker took the job');
    expectValidSdkInputs(codepipeline, CODEPIPELINE_API);
  });

  test('InvalidJobState on acknowledging: the finished job is dropped', async () => {
    codepipeline.on(PollForJobsCommand).resolves({ jobs: [job()] });
    codepipeline.on(AcknowledgeJobCommand).rejects(awsError('InvalidJobStateException'));
    await expect(dispatch(new CodePipelineClient({}), new LambdaClient({}), SETTINGS)).resolves.toEqual(['SKIPPED']);
    expect(lambda).not.toHaveReceivedCommand(InvokeCommand);
    expect(logged()).toContain('dropped: the job is no longer waiting for a worker');
  });

  test('InvalidJobState on reporting: the job ended meanwhile and is dropped', async () => {
    codepipeline.on(PollForJobsCommand).resolves({ jobs: [job()] });
    lambda.on(InvokeCommand).resolves(answer({ status: 'SUCCEEDED' }));
    codepipeline.on(PutJobSuccessResultCommand).rejects(awsError('InvalidJobStateException'));
    await expect(dispatch(new CodePipelineClient({}), new LambdaClient({}), SETTINGS)).resolves.toEqual(['SKIPPED']);
    expect(logged()).toContain('dropped: the job ended before its result was reported');
  });

  test('ActionTypeNotFound fails loudly', async () => {
    codepipeline.on(PollForJobsCommand).rejects(awsError('ActionTypeNotFoundException', 'The action type was not found'));
    await expect(dispatch(new CodePipelineClient({}), new LambdaClient({}), SETTINGS)).rejects.toThrow(
      'the custom action type Custom/Deploy/AcmeDeployer/1 does not exist in this account and region (PollForJobs: The action type was not found). '
      + 'Deploy the CustomActionType before the JobWorker, or give the JobWorker the type\'s exact category, provider and version '
      + '(`aws codepipeline list-action-types --action-owner-filter Custom`).');
  });

  test('PollForJobs throttling (after the SDK\'s retries) waits for the next poll and counts it', async () => {
    codepipeline.on(PollForJobsCommand).rejects(awsError('ThrottlingException', 'Rate exceeded'));
    await expect(dispatch(new CodePipelineClient({}), new LambdaClient({}), SETTINGS)).resolves.toEqual([]);
    expect(metricsLine()).toMatchObject({ PollsThrottled: 1 });
    expect(logged()).toContain('PollForJobs is throttled');
  });

  test('any other PollForJobs error fails the invocation', async () => {
    codepipeline.on(PollForJobsCommand).rejects(awsError('AccessDeniedException', 'not authorized'));
    await expect(dispatch(new CodePipelineClient({}), new LambdaClient({}), SETTINGS)).rejects.toThrow('not authorized');
  });

  test('a job that cannot be reported fails the invocation after the others are done, without secrets in the log', async () => {
    codepipeline.on(PollForJobsCommand).resolves({ jobs: [job(), job(OTHER_JOB_ID)] });
    lambda.on(InvokeCommand).resolves(answer({ status: 'SUCCEEDED' }));
    codepipeline.on(PutJobSuccessResultCommand, { jobId: JOB_ID }).rejects(awsError('AccessDeniedException', `denied for ${SECRET}`));
    await expect(dispatch(new CodePipelineClient({}), new LambdaClient({}), SETTINGS)).rejects.toThrow(
      '1 of 2 job(s) of Custom/Deploy/AcmeDeployer/1 could not be run or reported; see the log lines above');
    expect(codepipeline).toHaveReceivedCommandWith(PutJobSuccessResultCommand, { jobId: OTHER_JOB_ID });
    expect(metricsLine()).toMatchObject({ JobErrors: 1, JobsSucceeded: 1 });
    expect(logged()).toContain('denied for ***');
    expectNoSecretsLogged();
  });

  test('an answer that breaks the contract fails the job and says what is expected', async () => {
    codepipeline.on(PollForJobsCommand).resolves({ jobs: [job()] });
    lambda.on(InvokeCommand).resolves(answer({ status: 'DONE' }));
    await dispatch(new CodePipelineClient({}), new LambdaClient({}), SETTINGS);
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
    await dispatch(new CodePipelineClient({}), new LambdaClient({}), { ...SETTINGS, secretProperties: '*' });
    expect(codepipeline).toHaveReceivedCommandWith(PutJobFailureResultCommand, { failureDetails: { type: 'JobFailed', message: '*** rejected the token' } });
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
    await dispatch(new CodePipelineClient({}), new LambdaClient({}), SETTINGS);
    expect(codepipeline).toHaveReceivedCommandWith(PutJobFailureResultCommand, {
      failureDetails: { type: 'JobFailed', message: expect.stringContaining('the job worker function\'s answer is invalid: it is not JSON') },
    });
  });
});

describe('toWorkerJob and settingsFromEnv', () => {
  test('a job without optional parts', () => {
    expect(toWorkerJob({ id: JOB_ID, nonce: 'n', data: {} })).toEqual({
      jobId: JOB_ID, actionTypeId: {}, pipelineContext: {}, configuration: {}, inputArtifacts: [], outputArtifacts: [],
    });
    expect(toWorkerJob(job(JOB_ID, { encryptionKey: { id: 'alias/artifacts', type: 'KMS' } })).encryptionKey).toEqual({ id: 'alias/artifacts', type: 'KMS' });
  });

  test('reads what the construct writes', () => {
    expect(settingsFromEnv({
      ACTION_CATEGORY: 'Deploy',
      ACTION_PROVIDER: 'AcmeDeployer',
      ACTION_VERSION: '1',
      QUERY_PARAM: '{"Environment":"prod"}',
      MAX_BATCH_SIZE: '5',
      WORKER_FUNCTION: FUNCTION_ARN,
      SECRET_PROPERTIES: '["ApiToken"]',
      METRIC_ACTION_TYPE: 'Deploy/AcmeDeployer/1/prod',
    })).toEqual({ ...SETTINGS, queryParam: { Environment: 'prod' }, maxBatchSize: 5, metricDimension: 'Deploy/AcmeDeployer/1/prod' });
    expect(settingsFromEnv({ ACTION_CATEGORY: 'Deploy', ACTION_PROVIDER: 'AcmeDeployer', ACTION_VERSION: '1', WORKER_FUNCTION: FUNCTION_ARN }))
      .toEqual({ ...SETTINGS, secretProperties: '*', queryParam: undefined });
    expect(() => settingsFromEnv({})).toThrow("the job dispatcher's environment has no ACTION_CATEGORY; redeploy the JobWorker");
  });
});

describe('the Lambda entry', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  test('polls with the settings the construct wrote to its environment', async () => {
    Object.assign(process.env, {
      ACTION_CATEGORY: 'Deploy',
      ACTION_PROVIDER: 'AcmeDeployer',
      ACTION_VERSION: '1',
      QUERY_PARAM: '{"Environment":"prod"}',
      MAX_BATCH_SIZE: '4',
      WORKER_FUNCTION: FUNCTION_ARN,
      SECRET_PROPERTIES: '["ApiToken"]',
      METRIC_ACTION_TYPE: 'Deploy/AcmeDeployer/1/prod',
    });
    codepipeline.on(PollForJobsCommand).resolves({ jobs: [] });
    await handler();
    expect(codepipeline).toHaveReceivedCommandWith(PollForJobsCommand, {
      actionTypeId: { category: 'Deploy', owner: 'Custom', provider: 'AcmeDeployer', version: '1' },
      maxBatchSize: 4,
      queryParam: { Environment: 'prod' },
    });
    expectValidSdkInputs(codepipeline, CODEPIPELINE_API);
  });
});
