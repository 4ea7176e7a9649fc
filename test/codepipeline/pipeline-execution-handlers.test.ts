import {
  CodePipelineClient, GetPipelineExecutionCommand, GetPipelineStateCommand, ListActionExecutionsCommand, ListPipelineExecutionsCommand,
  PipelineExecutionStatus, PipelineExecutionSummary, StartPipelineExecutionCommand, StopPipelineExecutionCommand,
} from '@aws-sdk/client-codepipeline';
import { CODEPIPELINE_API } from '../../src/codepipeline/private/api-constraints';
import { EXECUTION_FAMILY } from '../../src/codepipeline/private/custom-resources/contract';
import {
  consoleUrl, executionIdOf, executionPhysicalId, executionSessionName, isExecutionComplete, onExecutionEvent, runSessionName, STOP_REASON,
} from '../../src/codepipeline/private/custom-resources/execution';
import { WAIT_STARTED_KEY } from '../../src/core/runtime/handler';
import { TIMEOUT_PROPERTY } from '../../src/core/runtime/properties';
import { awsError, createEvent, deleteEvent, expectValidSdkInputs, handlerMocks, isCompleteEvent, updateEvent } from '../kit';

const [mock] = handlerMocks(CodePipelineClient);
const client = () => new CodePipelineClient({ region: 'eu-west-1' });
const options = { resourceType: EXECUTION_FAMILY.resourceType };
const EXEC = '0a1b2c3d-1111-2222-3333-444455556666';
const EXEC2 = '9f8e7d6c-1111-2222-3333-444455556666';
const props = { PipelineName: 'release', Trigger: 'v1', Wait: true, [TIMEOUT_PROPERTY]: 600 };
const run = { pipelineName: 'release', trigger: 'v1', variables: {}, wait: true };
const URL = `https://eu-west-1.console.aws.amazon.com/codesuite/codepipeline/pipelines/release/executions/${EXEC}/timeline`;

describe('onEvent', () => {
  test('Create starts an execution with an idempotency token and the variables, and returns its id and console link', async () => {
    mock.on(StartPipelineExecutionCommand).resolves({ pipelineExecutionId: EXEC });
    const result = await onExecutionEvent(client(), createEvent({ ...props, Variables: { ENV: 'prod', A_FIRST: 'x' } }, options));
    expect(result.PhysicalResourceId).toMatch(new RegExp(`^release/run-[0-9a-f]{16}/executions/${EXEC}$`));
    expect(result.Data).toMatchObject({ PipelineName: 'release', PipelineExecutionId: EXEC, Status: 'InProgress', ConsoleUrl: URL, Watch: 'true' });
    expect(result.Data?.[WAIT_STARTED_KEY]).toBeDefined();
    // The attributes are the family's, which the construct reads (attr) and the wait reads back.
    expect(Object.keys(result.Data!).filter(k => k !== WAIT_STARTED_KEY).sort()).toEqual([...EXECUTION_FAMILY.attributes].sort());
    const input = mock.commandCalls(StartPipelineExecutionCommand)[0].args[0].input;
    expect(input).toEqual({
      name: 'release',
      clientRequestToken: expect.stringMatching(/^cdk-devtools-[0-9a-f]{48}$/),
      variables: [{ name: 'A_FIRST', value: 'x' }, { name: 'ENV', value: 'prod' }],
    });
    expectValidSdkInputs(mock, CODEPIPELINE_API);
  });

  test('a retried Create sends the same token (one execution); another request or trigger sends another', async () => {
    mock.on(StartPipelineExecutionCommand).resolves({ pipelineExecutionId: EXEC });
    await onExecutionEvent(client(), createEvent(props, options));
    await onExecutionEvent(client(), createEvent(props, options));
    await onExecutionEvent(client(), { ...createEvent(props, options), RequestId: 'another-request' });
    await onExecutionEvent(client(), createEvent({ ...props, Trigger: 'v2' }, options));
    const tokens = mock.commandCalls(StartPipelineExecutionCommand).map(c => c.args[0].input.clientRequestToken);
    expect(tokens[0]).toBe(tokens[1]);
    expect(new Set(tokens).size).toBe(3);
    expectValidSdkInputs(mock, CODEPIPELINE_API);
  });

  test('without variables no variables are sent; without a wait Watch is false', async () => {
    mock.on(StartPipelineExecutionCommand).resolves({ pipelineExecutionId: EXEC });
    const result = await onExecutionEvent(client(), createEvent({ PipelineName: 'release', Trigger: 'created', Wait: false }, options));
    expect(mock.commandCalls(StartPipelineExecutionCommand)[0].args[0].input.variables).toBeUndefined();
    expect(result.Data?.Watch).toBe('false');
    expectValidSdkInputs(mock, CODEPIPELINE_API);
  });

  test('an Update with a new trigger starts a new execution (a new physical id)', async () => {
    mock.on(StartPipelineExecutionCommand).resolves({ pipelineExecutionId: EXEC2 });
    const old = executionPhysicalId(run, EXEC);
    const result = await onExecutionEvent(client(), updateEvent(old, { ...props, Trigger: 'v2' }, props, options));
    expect(result.PhysicalResourceId).not.toBe(old);
    expect(executionIdOf(result.PhysicalResourceId)).toBe(EXEC2);
    expectValidSdkInputs(mock, CODEPIPELINE_API);
  });

  test('an Update with new variables starts a new execution', async () => {
    mock.on(StartPipelineExecutionCommand).resolves({ pipelineExecutionId: EXEC2 });
    const old = executionPhysicalId(run, EXEC);
    const result = await onExecutionEvent(client(), updateEvent(old, { ...props, Variables: { ENV: 'prod' } }, props, options));
    expect(executionIdOf(result.PhysicalResourceId)).toBe(EXEC2);
  });

  test('an Update of the wait or timeout only starts nothing and keeps the id', async () => {
    const old = executionPhysicalId(run, EXEC);
    const result = await onExecutionEvent(client(), updateEvent(old, { ...props, [TIMEOUT_PROPERTY]: 1200, Wait: false }, props, options));
    expect(result).toEqual({ PhysicalResourceId: old, Data: expect.objectContaining({ PipelineExecutionId: EXEC, Status: 'Unchanged', Watch: 'false' }) });
    expect(mock.calls()).toHaveLength(0);
  });

  test('an Update back to the run an id already started (a rollback) starts nothing', async () => {
    mock.on(ListPipelineExecutionsCommand).resolves({ pipelineExecutionSummaries: [] });
    const old = executionPhysicalId(run, EXEC);
    const result = await onExecutionEvent(client(), updateEvent(old, props, { ...props, Trigger: 'v2' }, options));
    expect(result.PhysicalResourceId).toBe(old);
    expect(mock).not.toHaveReceivedCommand(StartPipelineExecutionCommand);
  });

  test.each([
    ['PipelineNotFoundException', /pipeline release: PipelineNotFoundException.*The pipeline does not exist in this account and region/],
    ['ConcurrentPipelineExecutionsLimitExceededException', /retry the deployment once one has ended/],
    ['ValidationException', /declare it in the pipeline's variables/],
    ['ConflictException', /The pipeline is being updated/],
    ['ThrottlingException', /throttling or briefly unavailable/],
    ['AccessDeniedException', /codepipeline:StartPipelineExecution on the pipeline/],
  ])('a start failing with %s says what to do', async (name, message) => {
    mock.on(StartPipelineExecutionCommand).rejects(awsError(name));
    await expect(onExecutionEvent(client(), createEvent(props, options))).rejects.toThrow(message);
  });

  test('a start without an execution id fails', async () => {
    mock.on(StartPipelineExecutionCommand).resolves({});
    await expect(onExecutionEvent(client(), createEvent(props, options))).rejects.toThrow(/returned no execution id/);
  });

  test('Delete stops a still-running execution it started, without abandoning running actions', async () => {
    mock.on(GetPipelineExecutionCommand).resolves({ pipelineExecution: { status: 'InProgress' } });
    mock.on(StopPipelineExecutionCommand).resolves({ pipelineExecutionId: EXEC });
    const id = executionPhysicalId(run, EXEC);
    expect(await onExecutionEvent(client(), deleteEvent(id, props, options))).toEqual({ PhysicalResourceId: id });
    expect(mock).toHaveReceivedCommandWith(StopPipelineExecutionCommand, { pipelineName: 'release', pipelineExecutionId: EXEC, abandon: false, reason: STOP_REASON });
    expectValidSdkInputs(mock, CODEPIPELINE_API);
  });

  test.each(['Succeeded', 'Failed', 'Stopped', 'Superseded', 'Stopping'])('Delete leaves a %s execution alone', async status => {
    mock.on(GetPipelineExecutionCommand).resolves({ pipelineExecution: { status: status as PipelineExecutionStatus } });
    await onExecutionEvent(client(), deleteEvent(executionPhysicalId(run, EXEC), props, options));
    expect(mock).not.toHaveReceivedCommand(StopPipelineExecutionCommand);
  });

  test.each(['PipelineNotFoundException', 'PipelineExecutionNotFoundException', 'AccessDeniedException'])(
    'Delete succeeds when reading the execution fails with %s (the pipeline is gone)', async name => {
      mock.on(GetPipelineExecutionCommand).rejects(awsError(name));
      const id = executionPhysicalId(run, EXEC);
      expect(await onExecutionEvent(client(), deleteEvent(id, props, options))).toEqual({ PhysicalResourceId: id });
    });

  test.each(['PipelineExecutionNotStoppableException', 'DuplicatedStopRequestException', 'PipelineNotFoundException'])(
    'Delete succeeds when the stop fails with %s', async name => {
      mock.on(GetPipelineExecutionCommand).resolves({ pipelineExecution: { status: 'InProgress' } });
      mock.on(StopPipelineExecutionCommand).rejects(awsError(name));
      await expect(onExecutionEvent(client(), deleteEvent(executionPhysicalId(run, EXEC), props, options))).resolves.toBeDefined();
    });

  test('Delete of the failed-create marker stops nothing when the failed Create started nothing', async () => {
    const marker = 'AWSCDK::CustomResourceProviderFramework::CREATE_FAILED';
    mock.on(ListPipelineExecutionsCommand).resolves({ pipelineExecutionSummaries: [] });
    expect(await onExecutionEvent(client(), deleteEvent(marker, props, options))).toEqual({ PhysicalResourceId: marker });
    expect(mock).not.toHaveReceivedCommand(StopPipelineExecutionCommand);
    expectValidSdkInputs(mock, CODEPIPELINE_API);
  });

  test('the console link names the region, pipeline and execution', () => {
    expect(consoleUrl('us-east-1', 'my pipe', EXEC)).toBe(`https://us-east-1.console.aws.amazon.com/codesuite/codepipeline/pipelines/my%20pipe/executions/${EXEC}/timeline`);
  });
});

describe('isComplete', () => {
  const started = (now = Date.now()) => ({
    PipelineName: 'release', PipelineExecutionId: EXEC, ConsoleUrl: URL, Watch: 'true', Status: 'InProgress', [WAIT_STARTED_KEY]: String(now),
  });
  const poll = (data = started()) => isExecutionComplete(client(), isCompleteEvent(createEvent(props, options), {
    PhysicalResourceId: executionPhysicalId(run, EXEC), Data: data,
  }));
  const expired = () => started(Date.now() - 601_000);

  test('Succeeded completes with the execution id, status and link', async () => {
    mock.on(GetPipelineExecutionCommand).resolves({ pipelineExecution: { status: 'Succeeded' } });
    expect(await poll()).toEqual({ IsComplete: true, Data: { PipelineExecutionId: EXEC, Status: 'Succeeded', ConsoleUrl: URL } });
    expectValidSdkInputs(mock, CODEPIPELINE_API);
  });

  test.each(['InProgress', 'Stopping', 'SomethingNew'])('%s keeps waiting', async status => {
    mock.on(GetPipelineExecutionCommand).resolves({ pipelineExecution: { status: status as PipelineExecutionStatus } });
    expect(await poll()).toEqual({ IsComplete: false });
  });

  test('without a wait (or on Delete) it completes without a call', async () => {
    expect(await poll({ ...started(), Watch: 'false' })).toEqual({ IsComplete: true });
    expect(await isExecutionComplete(client(), isCompleteEvent(deleteEvent('x', props, options)))).toEqual({ IsComplete: true });
    expect(mock.calls()).toHaveLength(0);
  });

  test('Failed fails with the failed stage, action and error details, and the console link', async () => {
    mock.on(GetPipelineExecutionCommand).resolves({ pipelineExecution: { status: 'Failed', statusSummary: 'Deploy failed' } });
    mock.on(ListActionExecutionsCommand).resolves({
      actionExecutionDetails: [
        { stageName: 'Source', actionName: 'Checkout', status: 'Succeeded' },
        { stageName: 'Deploy', actionName: 'CloudFormation', status: 'Failed', output: { executionResult: { errorDetails: { code: 'JobFailed', message: 'Stack rolled back' } } } },
      ],
    });
    await expect(poll()).rejects.toThrow(new RegExp(`the execution failed in stage Deploy, action CloudFormation: JobFailed: Stack rolled back \\(Deploy failed\\)\\. Read it at ${URL.replace(/[.?]/g, '\\$&')}`));
    expect(mock).toHaveReceivedCommandWith(ListActionExecutionsCommand, { pipelineName: 'release', filter: { pipelineExecutionId: EXEC } });
    expectValidSdkInputs(mock, CODEPIPELINE_API);
  });

  test('Failed without action details falls back to the pipeline state', async () => {
    mock.on(GetPipelineExecutionCommand).resolves({ pipelineExecution: { status: 'Failed' } });
    mock.on(ListActionExecutionsCommand).rejects(awsError('AccessDeniedException'));
    mock.on(GetPipelineStateCommand).resolves({
      stageStates: [
        {
          stageName: 'Build',
          latestExecution: { pipelineExecutionId: EXEC, status: 'Failed' },
          actionStates: [
            { actionName: 'Compile', latestExecution: { status: 'Failed', errorDetails: { code: 'JobFailed', message: 'exit 2' } } },
          ],
        },
        { stageName: 'Other', latestExecution: { pipelineExecutionId: EXEC2, status: 'Failed' }, actionStates: [{ actionName: 'X', latestExecution: { status: 'Failed' } }] },
      ],
    });
    await expect(poll()).rejects.toThrow(/failed in stage Build, action Compile: JobFailed: exit 2\. Read it at/);
    expectValidSdkInputs(mock, CODEPIPELINE_API);
  });

  test('Failed with no details at all still fails with the link', async () => {
    mock.on(GetPipelineExecutionCommand).resolves({ pipelineExecution: { status: 'Failed' } });
    mock.on(ListActionExecutionsCommand).resolves({ actionExecutionDetails: [] });
    mock.on(GetPipelineStateCommand).rejects(awsError('PipelineNotFoundException'));
    await expect(poll()).rejects.toThrow(/the execution failed\. Read it at https:/);
  });

  test('Superseded is reported as superseded', async () => {
    mock.on(GetPipelineExecutionCommand).resolves({ pipelineExecution: { status: 'Superseded' } });
    await expect(poll()).rejects.toThrow(/the execution was superseded by a newer execution of the pipeline, so it will not finish.*QUEUED or PARALLEL/);
  });

  test.each([['Stopped', 'stopped'], ['Cancelled', 'cancelled']])('%s is reported as such', async (status, word) => {
    mock.on(GetPipelineExecutionCommand).resolves({ pipelineExecution: { status: status as PipelineExecutionStatus } });
    await expect(poll()).rejects.toThrow(new RegExp(`the execution was ${word} before it succeeded.*redeploy to start a new execution`));
  });

  test('a timeout stops the execution and fails with the link', async () => {
    mock.on(GetPipelineExecutionCommand).resolves({ pipelineExecution: { status: 'InProgress' } });
    mock.on(StopPipelineExecutionCommand).resolves({});
    await expect(poll(expired())).rejects.toThrow(/it is still InProgress after 600 seconds; it was stopped \(StopPipelineExecution.*Raise the timeout/);
    expect(mock).toHaveReceivedCommandWith(StopPipelineExecutionCommand, { abandon: false, pipelineExecutionId: EXEC });
    expectValidSdkInputs(mock, CODEPIPELINE_API);
  });

  test('a timeout whose stop fails says how to stop it', async () => {
    mock.on(GetPipelineExecutionCommand).resolves({ pipelineExecution: { status: 'InProgress' } });
    mock.on(StopPipelineExecutionCommand).rejects(awsError('AccessDeniedException'));
    await expect(poll(expired())).rejects.toThrow(/stopping it failed .*aws codepipeline stop-pipeline-execution --pipeline-name release/);
  });

  test('throttling before the deadline polls again', async () => {
    mock.on(GetPipelineExecutionCommand).rejects(awsError('ThrottlingException'));
    expect(await poll()).toEqual({ IsComplete: false });
  });

  test('throttling at the deadline says throttling, not permissions, and stops the execution', async () => {
    mock.on(GetPipelineExecutionCommand).rejects(awsError('ThrottlingException'));
    mock.on(StopPipelineExecutionCommand).resolves({});
    const error = await poll(expired()).catch(e => e as Error);
    expect(String(error)).toMatch(/still throttling .*it was stopped.*This is transient/);
    expect(String(error)).not.toMatch(/permission/);
  });

  test('a pipeline gone during the wait fails saying so', async () => {
    mock.on(GetPipelineExecutionCommand).rejects(awsError('PipelineNotFoundException'));
    await expect(poll()).rejects.toThrow(/reading its status failed: PipelineNotFoundException.*no longer exists: it was deleted outside this stack/);
    mock.on(GetPipelineExecutionCommand).rejects(awsError('PipelineExecutionNotFoundException'));
    await expect(poll()).rejects.toThrow(/no longer exists/);
  });

  test('access denied on the read names the permission', async () => {
    mock.on(GetPipelineExecutionCommand).rejects(awsError('AccessDeniedException'));
    await expect(poll()).rejects.toThrow(/lacks a permission \(codepipeline:GetPipelineExecution on the pipeline\).*The execution: https:/);
  });
});

describe('what a cancelled request started', () => {
  const INVENTED = 'TestStack-Resource-1A2B3C4D5E6F7';
  const event = createEvent(props, options);
  const session = runSessionName(event.StackId, event.LogicalResourceId, run);
  const started = (id: string, status: PipelineExecutionStatus, detail: string, minutesAgo = 5): PipelineExecutionSummary => ({
    pipelineExecutionId: id,
    status,
    startTime: new Date(Date.now() - minutesAgo * 60_000),
    trigger: { triggerType: 'StartPipelineExecution', triggerDetail: `arn:aws:sts::123456789012:assumed-role/kit-role/${detail}` },
  });

  test('a run starts in a session of its stack, resource and run: a RoleSessionName STS accepts', () => {
    expect(executionSessionName(event)).toBe(session);
    expect(session).toMatch(/^[\w+=,.@-]{2,64}$/);
    const others = [
      runSessionName(event.StackId, 'Other', run),
      runSessionName('arn:aws:cloudformation:us-east-1:123456789012:stack/TestStack/11111111-0000-0000-0000-000000000000', event.LogicalResourceId, run),
      runSessionName(event.StackId, event.LogicalResourceId, { ...run, trigger: 'v2' }),
      runSessionName(event.StackId, event.LogicalResourceId, { ...run, variables: { ENV: 'prod' } }),
      runSessionName(event.StackId, event.LogicalResourceId, { ...run, wait: false }), // the wait is not the run
    ];
    expect(new Set([session, ...others]).size).toBe(5);
    expect(executionSessionName(createEvent({ Trigger: 'v1' }, options))).toBeUndefined();
  });

  test('the Delete of an invented id stops the run this resource\'s Create started, and nothing else', async () => {
    mock.on(ListPipelineExecutionsCommand).resolves({
      pipelineExecutionSummaries: [
        started(EXEC2, 'InProgress', 'someone'),
        started(EXEC, 'InProgress', session),
        started('11111111-1111-2222-3333-444455556666', 'Succeeded', session),
        { pipelineExecutionId: '22222222-1111-2222-3333-444455556666', status: 'InProgress', trigger: { triggerType: 'Webhook', triggerDetail: session } },
      ],
    });
    mock.on(StopPipelineExecutionCommand).resolves({});
    expect(await onExecutionEvent(client(), { ...deleteEvent(INVENTED, props, options), RequestId: 'the-rollback' })).toEqual({ PhysicalResourceId: INVENTED });
    expect(mock).toHaveReceivedCommandTimes(StopPipelineExecutionCommand, 1);
    expect(mock).toHaveReceivedCommandWith(StopPipelineExecutionCommand, { pipelineName: 'release', pipelineExecutionId: EXEC, abandon: false, reason: STOP_REASON });
    expect(mock).toHaveReceivedCommandWith(ListPipelineExecutionsCommand, { pipelineName: 'release', maxResults: 100 });
    expectValidSdkInputs(mock, CODEPIPELINE_API);
  });

  test('it reads further pages until the executions are older than a day', async () => {
    mock.on(ListPipelineExecutionsCommand)
      .resolvesOnce({ pipelineExecutionSummaries: [started(EXEC2, 'InProgress', 'someone', 30)], nextToken: 'page-2' })
      .resolvesOnce({ pipelineExecutionSummaries: [started(EXEC, 'InProgress', session, 50), started(EXEC2, 'Failed', 'someone', 25 * 60)], nextToken: 'page-3' });
    mock.on(StopPipelineExecutionCommand).resolves({});
    await onExecutionEvent(client(), deleteEvent(INVENTED, props, options));
    expect(mock).toHaveReceivedCommandTimes(ListPipelineExecutionsCommand, 2);
    expect(mock.commandCalls(ListPipelineExecutionsCommand)[1].args[0].input).toMatchObject({ nextToken: 'page-2' });
    expect(mock).toHaveReceivedCommandWith(StopPipelineExecutionCommand, { pipelineExecutionId: EXEC });
    expectValidSdkInputs(mock, CODEPIPELINE_API);
  });

  test.each(['AccessDeniedException', 'PipelineNotFoundException'])('the Delete of an invented id succeeds when the lookup fails with %s', async name => {
    mock.on(ListPipelineExecutionsCommand).rejects(awsError(name));
    await expect(onExecutionEvent(client(), deleteEvent(INVENTED, props, options))).resolves.toEqual({ PhysicalResourceId: INVENTED });
  });

  test('the Delete of an invented id succeeds when the run cannot be stopped', async () => {
    mock.on(ListPipelineExecutionsCommand).resolves({ pipelineExecutionSummaries: [started(EXEC, 'InProgress', session)] });
    mock.on(StopPipelineExecutionCommand).rejects(awsError('PipelineExecutionNotStoppableException'));
    await expect(onExecutionEvent(client(), deleteEvent(INVENTED, props, options))).resolves.toEqual({ PhysicalResourceId: INVENTED });
  });

  test('the rollback Update of a cancelled Update stops the new run, with a client of the new properties\' role, and keeps the old id', async () => {
    const next = { ...props, Trigger: 'v2', RoleArn: 'arn:aws:iam::123456789012:role/new' };
    const nextSession = runSessionName(event.StackId, event.LogicalResourceId, { ...run, trigger: 'v2' });
    mock.on(ListPipelineExecutionsCommand).resolves({ pipelineExecutionSummaries: [started(EXEC2, 'InProgress', nextSession), started(EXEC, 'Succeeded', session)] });
    mock.on(StopPipelineExecutionCommand).resolves({});
    const old = executionPhysicalId(run, EXEC);
    const roles: unknown[] = [];
    const result = await onExecutionEvent(client(), updateEvent(old, props, next, options), p => { roles.push(p.RoleArn); return client(); });
    expect(result).toEqual({ PhysicalResourceId: old, Data: expect.objectContaining({ PipelineExecutionId: EXEC, Status: 'Unchanged' }) });
    expect(roles).toEqual(['arn:aws:iam::123456789012:role/new']);
    expect(mock).toHaveReceivedCommandTimes(StopPipelineExecutionCommand, 1);
    expect(mock).toHaveReceivedCommandWith(StopPipelineExecutionCommand, { pipelineExecutionId: EXEC2 });
    expect(mock).not.toHaveReceivedCommand(StartPipelineExecutionCommand);
    expectValidSdkInputs(mock, CODEPIPELINE_API);
  });

  test('the rollback Update of an Update that started nothing (cancelled before the start) stops nothing', async () => {
    mock.on(ListPipelineExecutionsCommand).resolves({ pipelineExecutionSummaries: [started(EXEC, 'Succeeded', session)] });
    const old = executionPhysicalId(run, EXEC);
    await onExecutionEvent(client(), updateEvent(old, props, { ...props, Trigger: 'v2' }, options));
    expect(mock).not.toHaveReceivedCommand(StopPipelineExecutionCommand);
  });
});
