import { CodeCatalystClient, type WorkflowSummary } from '@aws-sdk/client-codecatalyst';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { STSClient } from '@aws-sdk/client-sts';
import { base, RUN_ID, RUN_ID2, standardMocks, WORKFLOW_ID, cc, failure } from './fixtures';
import { CODECATALYST_API } from '../../src/codecatalyst/private/api-constraints';
import { WORKFLOW_RUN_FAMILY } from '../../src/codecatalyst/private/custom-resources/contract';
import { isWorkflowRunComplete, onWorkflowRunEvent, runIdOf } from '../../src/codecatalyst/private/custom-resources/workflow-run';
import { WAIT_STARTED_KEY } from '../../src/core/runtime/handler';
import { TIMEOUT_PROPERTY } from '../../src/core/runtime/properties';
import type { OnEventRequest } from '../../src/core/runtime/types';
import { awsError, createEvent, deleteEvent, expectValidSdkInputs, handlerMocks, isCompleteEvent, updateEvent, sdkInputProblems } from '../kit';

const { GetWorkflowRunCommand, ListWorkflowsCommand, StartWorkflowRunCommand, VerifySessionCommand } = cc;

const [catalyst, secrets, sts] = handlerMocks(CodeCatalystClient, SecretsManagerClient, STSClient);
// Every CodeCatalyst input any test sends is within the API's documented constraints (Secrets Manager's are not in the table).
afterEach(() => expect(sdkInputProblems(catalyst, CODECATALYST_API)).toEqual([]));
const options = { resourceType: WORKFLOW_RUN_FAMILY.resourceType };
const props = { ...base, ProjectName: 'web', WorkflowName: 'build', RepositoryName: 'web-app', BranchName: 'main', Trigger: 'v1', Wait: true, [TIMEOUT_PROPERTY]: 600 };
const byId = { ...base, ProjectName: 'web', WorkflowId: WORKFLOW_ID, Trigger: 'v1', Wait: true, [TIMEOUT_PROPERTY]: 600 };
const workflow = (name: string, extra: Partial<WorkflowSummary> = {}): WorkflowSummary => ({
  id: WORKFLOW_ID,
  name,
  sourceRepositoryName: 'web-app',
  sourceBranchName: 'main',
  status: 'ACTIVE',
  definition: { path: `.codecatalyst/workflows/${name}.yaml` },
  runMode: 'QUEUED',
  createdTime: new Date(0),
  lastUpdatedTime: new Date(0),
  ...extra,
});
beforeEach(() => {
  standardMocks(catalyst, secrets, sts);
  catalyst.on(StartWorkflowRunCommand).resolves({ spaceName: 'acme', projectName: 'web', id: RUN_ID, workflowId: WORKFLOW_ID });
});

/** The physical id a Create of these properties returns. */
async function created(p: Record<string, unknown> = props): Promise<string> {
  catalyst.on(ListWorkflowsCommand).resolves({ items: [workflow('build')] });
  return (await onWorkflowRunEvent(createEvent(p, options))).PhysicalResourceId!;
}

describe('onEvent', () => {
  test('Create finds the workflow by name, repository and branch (all pages), starts a run with a client token', async () => {
    catalyst.on(ListWorkflowsCommand)
      .resolvesOnce({ items: [workflow('build', { id: '00000000-0000-4000-8000-000000000001', sourceBranchName: 'dev' })], nextToken: 'p2' })
      .resolvesOnce({ items: [workflow('build')] });
    const result = await onWorkflowRunEvent(createEvent(props, options));
    expect(result.PhysicalResourceId).toMatch(new RegExp(`^acme/web/${WORKFLOW_ID}/run-[0-9a-f]{16}/runs/${RUN_ID}$`));
    expect(result.Data).toEqual({ RunId: RUN_ID, WorkflowId: WORKFLOW_ID, Status: 'VALIDATING', Watch: 'true', [WAIT_STARTED_KEY]: expect.any(String) });
    expect(catalyst.commandCalls(ListWorkflowsCommand).map(c => c.args[0].input)).toEqual([
      { spaceName: 'acme', projectName: 'web', maxResults: 100 }, { spaceName: 'acme', projectName: 'web', maxResults: 100, nextToken: 'p2' },
    ]);
    expect(catalyst.commandCalls(StartWorkflowRunCommand)[0].args[0].input).toEqual({
      spaceName: 'acme', projectName: 'web', workflowId: WORKFLOW_ID, clientToken: expect.stringMatching(/^cdkdevtools-[0-9a-f]{48}$/),
    });
    expect(runIdOf(result.PhysicalResourceId)).toBe(RUN_ID);
    expectValidSdkInputs(catalyst, CODECATALYST_API);
  });

  test('Create with a workflow id starts it without looking it up; without a wait, Watch is false', async () => {
    const result = await onWorkflowRunEvent(createEvent({ ...byId, Wait: false }, options));
    expect(catalyst).not.toHaveReceivedCommand(ListWorkflowsCommand);
    expect(result.Data).toMatchObject({ Watch: 'false' });
    expectValidSdkInputs(catalyst, CODECATALYST_API);
  });

  test('a retried Create sends the same client token (one run); another request or trigger another', async () => {
    await created();
    await created();
    catalyst.on(ListWorkflowsCommand).resolves({ items: [workflow('build')] });
    await onWorkflowRunEvent({ ...createEvent(props, options), RequestId: 'another' } as OnEventRequest);
    await created({ ...props, Trigger: 'v2' });
    const tokens = catalyst.commandCalls(StartWorkflowRunCommand).map(c => c.args[0].input.clientToken);
    expect(tokens[0]).toBe(tokens[1]);
    expect(new Set(tokens).size).toBe(3);
  });

  test('a workflow not on the branch fails naming the workflows the repository has', async () => {
    catalyst.on(ListWorkflowsCommand).resolves({ items: [workflow('test'), workflow('build', { sourceBranchName: 'dev' }), workflow('x', { sourceRepositoryName: 'other' })] });
    await expect(onWorkflowRunEvent(createEvent(props, options))).rejects.toThrow(
      /Finding the workflow failed for workflow 'build' \(repository 'web-app', branch 'main'\).*no such workflow; the repository has 'test' on main, 'build' on dev\. Commit the workflow's YAML/);
    expect(catalyst).not.toHaveReceivedCommand(StartWorkflowRunCommand);
  });

  test('a repository without workflows says none', async () => {
    catalyst.on(ListWorkflowsCommand).resolves({ items: [] });
    await expect(onWorkflowRunEvent(createEvent(props, options))).rejects.toThrow(/the repository has none/);
  });

  test('an INVALID workflow fails naming its YAML', async () => {
    catalyst.on(ListWorkflowsCommand).resolves({ items: [workflow('build', { status: 'INVALID' })] });
    await expect(onWorkflowRunEvent(createEvent(props, options))).rejects.toThrow(/its definition is INVALID.*Fix the YAML \(.codecatalyst\/workflows\/build.yaml\)/);
  });

  test('a failed ListWorkflows says what to do', async () => {
    catalyst.on(ListWorkflowsCommand).rejects(awsError('ResourceNotFoundException'));
    await expect(onWorkflowRunEvent(createEvent(props, options))).rejects.toThrow(/The project 'web' does not exist in space 'acme'/);
  });

  test.each<[string, RegExp]>([
    ['ResourceNotFoundException', /The workflow does not exist in the project/],
    ['ValidationException', /check that its definition is valid in the console/],
    ['AccessDeniedException', /has no role/],
    ['ServiceQuotaExceededException', /billing tier/],
  ])('a StartWorkflowRun failing with %s says what to do', async (name, next) => {
    catalyst.on(StartWorkflowRunCommand).rejects(awsError(name));
    await expect(onWorkflowRunEvent(createEvent(byId, options))).rejects.toThrow(next);
  });

  test('a StartWorkflowRun without a run id fails', async () => {
    catalyst.on(StartWorkflowRunCommand).resolves({});
    await expect(onWorkflowRunEvent(createEvent(byId, options))).rejects.toThrow(/StartWorkflowRun returned no run id/);
  });

  test('an Update of only the wait or timeout starts nothing, reads no token, and keeps the id', async () => {
    const id = await created();
    catalyst.resetHistory();
    secrets.resetHistory();
    const result = await onWorkflowRunEvent(updateEvent(id, { ...props, Wait: false, [TIMEOUT_PROPERTY]: 1200 }, props, options));
    expect(result).toEqual({ PhysicalResourceId: id, Data: expect.objectContaining({ RunId: RUN_ID, WorkflowId: WORKFLOW_ID, Status: 'UNCHANGED', Watch: 'false' }) });
    expect(catalyst.calls()).toHaveLength(0);
    expect(secrets.calls()).toHaveLength(0);
  });

  test('a new trigger starts a new run: a new physical id', async () => {
    const id = await created();
    catalyst.on(StartWorkflowRunCommand).resolves({ id: RUN_ID2, workflowId: WORKFLOW_ID });
    const result = await onWorkflowRunEvent(updateEvent(id, { ...props, Trigger: 'v2' }, props, options));
    expect(runIdOf(result.PhysicalResourceId)).toBe(RUN_ID2);
    expect(result.PhysicalResourceId).not.toBe(id);
  });

  test('an Update that arrives at an id whose run already ran these properties (a rollback) starts nothing', async () => {
    const id = await created();
    catalyst.resetHistory();
    await expect(onWorkflowRunEvent(updateEvent(id, props, { ...props, Trigger: 'v2' }, options))).resolves.toMatchObject({ PhysicalResourceId: id });
    expect(catalyst).not.toHaveReceivedCommand(StartWorkflowRunCommand);
    // The run the rolled-back Update started (trigger v2) cannot be stopped: the log says it goes on.
    expect(console.log).toHaveBeenCalledWith(expect.stringMatching(/a run the Update being rolled back started \(trigger 'v2'\) goes on.*cannot stop/));
  });

  test('a Delete of an id CloudFormation made up (it stopped waiting for the Create) says a run the Create started goes on', async () => {
    await expect(onWorkflowRunEvent(deleteEvent('TestStack-Resource-1A2B3C4D5E6F', props, options))).resolves.toEqual({ PhysicalResourceId: 'TestStack-Resource-1A2B3C4D5E6F' });
    expect(console.log).toHaveBeenCalledWith(expect.stringMatching(/a run the Create started \(trigger 'v1'\) goes on.*cannot stop/));
    expect(catalyst.calls()).toHaveLength(0);
  });

  test('Delete leaves the run (the API cannot stop one)', async () => {
    const id = await created();
    catalyst.resetHistory();
    secrets.resetHistory();
    await expect(onWorkflowRunEvent(deleteEvent(id, props, options))).resolves.toEqual({ PhysicalResourceId: id });
    expect(console.log).toHaveBeenCalledWith(expect.stringMatching(/cannot stop a run/));
    expect(catalyst.calls()).toHaveLength(0);
    expect(secrets.calls()).toHaveLength(0);
    await expect(onWorkflowRunEvent(deleteEvent('AWSCDK::CustomResourceProviderFramework::CREATE_FAILED', props, options))).resolves.toMatchObject({});
  });

  test('runIdOf reads only ids this handler made', () => {
    expect(runIdOf(`acme/web/${WORKFLOW_ID}/run-0123456789abcdef/runs/${RUN_ID}`)).toBe(RUN_ID);
    expect(runIdOf('AWSCDK::CustomResourceProviderFramework::CREATE_FAILED')).toBeUndefined();
    expect(runIdOf(undefined)).toBeUndefined();
  });
});

describe('isComplete', () => {
  function poll(startedAt = Date.now(), watch = 'true', type: 'Create' | 'Delete' = 'Create') {
    const id = `acme/web/${WORKFLOW_ID}/run-0123456789abcdef/runs/${RUN_ID}`;
    const event = type === 'Create' ? createEvent(props, options) : deleteEvent(id, props, options);
    const data = { [WAIT_STARTED_KEY]: String(startedAt), RunId: RUN_ID, WorkflowId: WORKFLOW_ID, Watch: watch };
    return isCompleteEvent(event, { PhysicalResourceId: id, Data: data });
  }
  const expired = () => Date.now() - 601_000;
  const status = (s: string, statusReasons: object[] = []) =>
    catalyst.on(GetWorkflowRunCommand).resolves({ id: RUN_ID, workflowId: WORKFLOW_ID, status: s, statusReasons });

  test('without a wait, or on Delete: complete at once, without a call', async () => {
    await expect(isWorkflowRunComplete(poll(Date.now(), 'false'))).resolves.toEqual({ IsComplete: true });
    await expect(isWorkflowRunComplete(poll(Date.now(), 'true', 'Delete'))).resolves.toEqual({ IsComplete: true });
    expect(catalyst.calls()).toHaveLength(0);
  });

  test('SUCCEEDED completes, reading the run without VerifySession', async () => {
    status('SUCCEEDED');
    await expect(isWorkflowRunComplete(poll())).resolves.toEqual({ IsComplete: true, Data: { Status: 'SUCCEEDED' } });
    expect(catalyst.commandCalls(GetWorkflowRunCommand)[0].args[0].input).toEqual({ spaceName: 'acme', projectName: 'web', id: RUN_ID });
    expect(catalyst).not.toHaveReceivedCommand(VerifySessionCommand);
    expectValidSdkInputs(catalyst, CODECATALYST_API);
  });

  test.each(['FAILED', 'STOPPED', 'SUPERSEDED', 'CANCELLED', 'NOT_RUN', 'ABANDONED'])('%s fails the deployment with the status', async s => {
    status(s, [{}]);
    await expect(isWorkflowRunComplete(poll())).rejects.toThrow(new RegExp(`Waiting for the workflow run to succeed failed for run ${RUN_ID} of workflow 'build'.*: the run ended ${s} \\(status reasons: \\[\\{\\}\\]\\)\\. Read the run in the CodeCatalyst console`));
  });

  test.each(['VALIDATING', 'PROVISIONING', 'IN_PROGRESS', 'STOPPING'])('%s: still waiting', async s => {
    status(s);
    await expect(isWorkflowRunComplete(poll())).resolves.toEqual({ IsComplete: false });
  });

  test('an unknown status is waited for like a running one, and says so', async () => {
    status('QUEUED');
    await expect(isWorkflowRunComplete(poll())).resolves.toEqual({ IsComplete: false });
    expect(console.log).toHaveBeenCalledWith(expect.stringMatching(/unknown status QUEUED/));
  });

  test.each(['VALIDATING', 'PROVISIONING', 'IN_PROGRESS', 'STOPPING'])('%s at the deadline fails saying the run goes on', async s => {
    status(s);
    await expect(isWorkflowRunComplete(poll(expired()))).rejects.toThrow(new RegExp(`it is still ${s} after 600 seconds\\. The CodeCatalyst API cannot stop a run, so it goes on`));
  });

  test('throttling before the deadline polls again; at the deadline it says throttling, not permissions', async () => {
    catalyst.on(GetWorkflowRunCommand).rejects(awsError('ThrottlingException'));
    await expect(isWorkflowRunComplete(poll())).resolves.toEqual({ IsComplete: false });
    const error = await failure(isWorkflowRunComplete(poll(expired())));
    expect(error.message).toMatch(/CodeCatalyst was throttling the status reads/);
    expect(error.message).not.toMatch(/permission/i);
  });

  test('a throttled read of the token\'s secret polls again', async () => {
    secrets.on(GetSecretValueCommand).rejects(awsError('ThrottlingException'));
    await expect(isWorkflowRunComplete(poll())).resolves.toEqual({ IsComplete: false });
  });

  test('a token that expired during the wait says to rotate the secret (naming its JSON field)', async () => {
    catalyst.on(GetWorkflowRunCommand).rejects(awsError('UnauthorizedException', 'The token has expired'));
    const event = poll();
    const withField = { ...event, ResourceProperties: { ...event.ResourceProperties, TokenJsonField: 'pat' } };
    secrets.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ pat: 'ccpat-x' }) });
    await expect(isWorkflowRunComplete(withField)).rejects.toThrow(/Store a current token in the JSON field 'pat' of secret arn:.*rotate the secret/);
  });

  test('a refused read (403) at a poll names the token user\'s role', async () => {
    catalyst.on(GetWorkflowRunCommand).rejects(awsError('AccessDeniedException'));
    await expect(isWorkflowRunComplete(poll())).rejects.toThrow(/has no role that allows this/);
  });

  test('a run that is gone fails saying to redeploy', async () => {
    catalyst.on(GetWorkflowRunCommand).rejects(awsError('ResourceNotFoundException'));
    await expect(isWorkflowRunComplete(poll())).rejects.toThrow(/The run or its project no longer exists; redeploy to start a new run/);
  });
});
