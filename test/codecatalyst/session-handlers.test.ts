import { CloudFormationClient, DescribeStacksCommand, StackStatus } from '@aws-sdk/client-cloudformation';
import { CodeCatalystClient } from '@aws-sdk/client-codecatalyst';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { STSClient } from '@aws-sdk/client-sts';
import { base, SECRET, standardMocks, TOKEN, cc, failure } from './fixtures';
import { CODECATALYST_API } from '../../src/codecatalyst/private/api-constraints';
import { PROJECT_FAMILY, SPACE_FAMILY } from '../../src/codecatalyst/private/custom-resources/contract';
import { onProjectEvent } from '../../src/codecatalyst/private/custom-resources/project';
import { backoff, callFailed, CodeCatalystSession, tokenAdvice, withConflictRetry } from '../../src/codecatalyst/private/custom-resources/session';
import { onSpaceEvent } from '../../src/codecatalyst/private/custom-resources/space';
import { awsError, createEvent, deleteEvent, expectValidSdkInputs, handlerMocks, sdkInputProblems, updateEvent } from '../kit';

const { CreateProjectCommand, GetSpaceCommand, ListProjectsCommand, VerifySessionCommand } = cc;

// The token: where it comes from, what CodeCatalyst says about it, and the errors every handler shares.
const [catalyst, secrets, sts, cloudformation] = handlerMocks(CodeCatalystClient, SecretsManagerClient, STSClient, CloudFormationClient);
// Every CodeCatalyst input any test sends is within the API's documented constraints (Secrets Manager's are not in the table).
afterEach(() => expect(sdkInputProblems(catalyst, CODECATALYST_API)).toEqual([]));
const space = { resourceType: SPACE_FAMILY.resourceType };
const project = { ...base, DisplayName: 'Storefront App' };
let tokens: string[];
beforeEach(() => {
  tokens = standardMocks(catalyst, secrets, sts);
  catalyst.on(GetSpaceCommand).resolves({ name: 'acme', regionName: 'us-west-2' });
  // A project create first looks for one of its display name: there is none.
  catalyst.on(ListProjectsCommand).resolves({ items: [] });
});

describe('reading the token', () => {
  test('the whole SecretString (trimmed) is the token, read from the secret the properties name, and handed to the client', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: `  ${TOKEN}\n` });
    await expect(onSpaceEvent(createEvent(base, space))).resolves.toEqual({
      PhysicalResourceId: 'acme', Data: { Name: 'acme', RegionName: 'us-west-2' },
    });
    expect(secrets.commandCalls(GetSecretValueCommand).map(c => c.args[0].input)).toEqual([{ SecretId: SECRET }]);
    expect(tokens).toEqual([TOKEN]);
    expect(catalyst.commandCalls(GetSpaceCommand)[0].args[0].input).toEqual({ name: 'acme' });
    expectValidSdkInputs(catalyst, CODECATALYST_API);
  });

  test('with a JSON field, the token is that field of the JSON', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ user: 'alice', token: TOKEN }) });
    await onSpaceEvent(createEvent({ ...base, TokenJsonField: 'token' }, space));
    expect(tokens).toEqual([TOKEN]);
    expectValidSdkInputs(catalyst, CODECATALYST_API);
  });

  test('a JSON without the field fails naming the field and the secret, never the secret\'s text', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ pat: TOKEN }) });
    const error = await failure(onSpaceEvent(createEvent({ ...base, TokenJsonField: 'token' }, space)));
    expect(error.message).toMatch(/Reading the CodeCatalyst token failed for secret arn:.*codecatalyst-token-AbCdEf: its JSON has no non-empty string field 'token'/);
    expect(error.message).toMatch(/the JSON field 'token' of secret/);
    expect(error.message).not.toContain(TOKEN);
    expect(catalyst.calls()).toHaveLength(0);
  });

  test('an empty or non-string field fails the same way', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ token: 42 }) });
    await expect(onSpaceEvent(createEvent({ ...base, TokenJsonField: 'token' }, space))).rejects.toThrow(/no non-empty string field 'token'/);
    secrets.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ token: '  ' }) });
    await expect(onSpaceEvent(createEvent({ ...base, TokenJsonField: 'token' }, space))).rejects.toThrow(/no non-empty string field 'token'/);
  });

  test('a SecretString that is not JSON, with a JSON field, fails without quoting the text (the parser\'s message would)', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: `{"token": "${TOKEN}"` });
    const error = await failure(onSpaceEvent(createEvent({ ...base, TokenJsonField: 'token' }, space)));
    expect(error.message).toMatch(/its SecretString is not JSON, yet a JSON field was given\. Store the token as JSON \({"token": "<token>"}\)/);
    expect(error.message).not.toContain(TOKEN);
    expect(error.message).not.toMatch(/Unexpected|position/);
  });

  test('a binary secret (no SecretString) fails saying so', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretBinary: new Uint8Array([1, 2]) });
    await expect(onSpaceEvent(createEvent(base, space))).rejects.toThrow(/it has no SecretString \(a binary secret, or no value yet\).*Store a current token in secret arn:.*\(its whole SecretString\)/);
  });

  test.each<[string, RegExp]>([
    ['AccessDeniedException', /kit role may read the secret.*unless a resource policy or key policy denies it/],
    ['ResourceNotFoundException', /The secret does not exist \(or is scheduled for deletion\)/],
    ['ThrottlingException', /Secrets Manager is throttling or briefly unavailable.*retry the deployment later/],
    ['InvalidRequestException', /check the secret in the Secrets Manager console/],
  ])('a failed read (%s) says what to do', async (name, next) => {
    secrets.on(GetSecretValueCommand).rejects(awsError(name));
    const error = await failure(onSpaceEvent(createEvent(base, space)));
    expect(error.message).toMatch(new RegExp(`Reading the CodeCatalyst token failed for secret ${SECRET}: ${name}`));
    expect(error.message).toMatch(next);
    expect(catalyst.calls()).toHaveLength(0);
  });
});

describe('a space deleted since the stack was deployed', () => {
  // An update of the check alone (say, its kit role changed): the same properties.
  const stackIs = (status: StackStatus) => cloudformation.on(DescribeStacksCommand).resolves({
    Stacks: [{ StackName: 'TestStack', StackStatus: status, CreationTime: new Date(0) }],
  });
  beforeEach(() => catalyst.on(GetSpaceCommand).rejects(awsError('ResourceNotFoundException')));

  test('fails an update, saying the library never creates spaces', async () => {
    stackIs('UPDATE_IN_PROGRESS');
    await expect(onSpaceEvent(updateEvent('acme', base, base, space))).rejects.toThrow(/No space 'acme' is visible.*never creates spaces/);
  });

  test('does not fail the rollback: it keeps the check\'s id, with no Region to give', async () => {
    stackIs('UPDATE_ROLLBACK_IN_PROGRESS');
    await expect(onSpaceEvent(updateEvent('acme', base, base, space))).resolves.toEqual({
      PhysicalResourceId: 'acme', Data: { Name: 'acme', RegionName: '' },
    });
    expect(cloudformation.commandCalls(DescribeStacksCommand)[0].args[0].input).toEqual({ StackName: createEvent(base).StackId });
    expect(console.log).toHaveBeenCalledWith(expect.stringMatching(/rolling back and space 'acme' is gone/));
  });

  test('fails the rollback of a move to another space that is gone (its id is the old space\'s)', async () => {
    stackIs('UPDATE_ROLLBACK_IN_PROGRESS');
    await expect(onSpaceEvent(updateEvent('beta', base, { ...base, SpaceName: 'beta' }, space))).rejects.toThrow(/No space 'acme' is visible/);
  });

  test('fails when CloudFormation cannot say whether the stack rolls back', async () => {
    cloudformation.on(DescribeStacksCommand).rejects(awsError('AccessDenied'));
    await expect(onSpaceEvent(updateEvent('acme', base, base, space))).rejects.toThrow(/No space 'acme' is visible/);
  });
});

describe('checking the token (VerifySession)', () => {
  test.each(['UnauthorizedException', 'AccessDeniedException'])('an expired token (%s) fails at once: rotate the secret, with a personal access token', async name => {
    catalyst.on(VerifySessionCommand).rejects(awsError(name, 'The token has expired'));
    const error = await failure(onSpaceEvent(createEvent(base, space)));
    expect(error.message).toMatch(new RegExp(`Checking the CodeCatalyst token failed for secret ${SECRET}: CodeCatalyst refused it \\(${name}: The token has expired\\)`));
    expect(error.message).toMatch(/Store a current token in secret .*: a personal access token of a member of the space .*Tokens expire \(one year by default\): rotate the secret/);
    expect(error.message).not.toContain(TOKEN);
    expect(catalyst).not.toHaveReceivedCommand(GetSpaceCommand);
  });

  test('throttling of the check (after the SDK\'s retries) says to retry later, not to rotate the token', async () => {
    catalyst.on(VerifySessionCommand).rejects(awsError('ThrottlingException'));
    await expect(onSpaceEvent(createEvent(base, space))).rejects.toThrow(/CodeCatalyst is throttling or briefly unavailable \(the SDK already retried\); retry the deployment later/);
  });

  test('the token user\'s identity names them in later messages', async () => {
    catalyst.on(GetSpaceCommand).rejects(awsError('AccessDeniedException'));
    await expect(onSpaceEvent(createEvent(base, space))).rejects.toThrow(/the token's user \(alice-id\) has no role/);
  });

  test('the space check does nothing on Delete, and needs no token', async () => {
    await expect(onSpaceEvent(deleteEvent('acme', base, space))).resolves.toEqual({ PhysicalResourceId: 'acme' });
    expect(secrets.calls()).toHaveLength(0);
    expect(catalyst.calls()).toHaveLength(0);
  });

  test('a space that is not visible fails saying this library never creates spaces', async () => {
    catalyst.on(GetSpaceCommand).rejects(awsError('ResourceNotFoundException'));
    await expect(onSpaceEvent(createEvent(base, space))).rejects.toThrow(/No space 'acme' is visible to the token's user.*never creates spaces/);
  });
});

describe('errors every call shares (callFailed)', () => {
  const session = { client: {} as CodeCatalystClient, identity: 'alice-id', secretArn: SECRET } as CodeCatalystSession;
  const context = { what: 'Creating the project', subject: 'project \'web\' in space \'acme\'', session };
  test.each<[string, RegExp]>([
    ['AccessDeniedException', /the token's user \(alice-id\) has no role that allows this: give them a role .*or store the token of a user who has one in secret arn:.*codecatalyst-token-AbCdEf/],
    ['UnauthorizedException', /Store a current token in secret arn:.*\(its whole SecretString\).*rotate the secret/],
    ['ServiceQuotaExceededException', /limit of its billing tier .*upgrade the space's tier or free capacity/],
    ['ConflictException', /outlasted five attempts; retry the deployment in a minute/],
    ['ResourceNotFoundException', /It does not exist, or the token's user cannot see it/],
    ['ValidationException', /CodeCatalyst refused the input; fix the value the message names/],
    ['ThrottlingException', /CodeCatalyst is throttling or briefly unavailable \(the SDK already retried\); retry the deployment later/],
    ['InternalServerException', /throttling or briefly unavailable/],
    ['SomethingElse', /Check the error above, then retry the deployment/],
  ])('%s', (name, next) => {
    const error = callFailed(awsError(name, 'detail'), context);
    expect(error.message).toMatch(new RegExp(`^Creating the project failed for project 'web' in space 'acme': ${name}: detail\\. `));
    expect(error.message).toMatch(next);
  });

  test('a context\'s own advice wins for 404, 400 and 409', () => {
    const own = { ...context, notFound: 'NF advice', invalid: 'BAD advice', conflict: 'CONFLICT advice' };
    expect(callFailed(awsError('ResourceNotFoundException'), own).message).toMatch(/NF advice$/);
    expect(callFailed(awsError('ValidationException'), own).message).toMatch(/BAD advice$/);
    expect(callFailed(awsError('ConflictException'), own).message).toMatch(/CONFLICT advice$/);
  });

  test('without a verified identity the message says "the token\'s user"', () => {
    expect(callFailed(awsError('AccessDeniedException'), { ...context, session: { ...session, identity: '' } }).message).toMatch(/ the token's user has no role/);
  });

  test('the token advice names the JSON field when there is one', () => {
    expect(tokenAdvice({ secretArn: SECRET, jsonField: 'pat' })).toMatch(/^Store a current token in the JSON field 'pat' of secret arn:/);
    expect(tokenAdvice({ secretArn: SECRET })).toMatch(/\(its whole SecretString\)/);
  });
});

describe('conflicts (409) are retried with backoff', () => {
  test('two conflicts, then success: waits 2 s and 4 s', async () => {
    catalyst.on(CreateProjectCommand).rejectsOnce(awsError('ConflictException')).rejectsOnce(awsError('ConflictException'))
      .resolves({ name: 'storefront-app', spaceName: 'acme', displayName: 'Storefront App' });
    await expect(onProjectEvent(createEvent(project, { resourceType: PROJECT_FAMILY.resourceType }))).resolves.toMatchObject({ PhysicalResourceId: 'acme/storefront-app' });
    expect(catalyst.commandCalls(CreateProjectCommand)).toHaveLength(3);
    expect(jest.mocked(backoff.sleep).mock.calls).toEqual([[2000], [4000]]);
    expectValidSdkInputs(catalyst, CODECATALYST_API);
  });

  test('five conflicts exhaust the retries (2, 4, 8, 16 s) and fail with the call\'s own conflict advice', async () => {
    catalyst.on(CreateProjectCommand).rejects(awsError('ConflictException'));
    await expect(onProjectEvent(createEvent(project, { resourceType: PROJECT_FAMILY.resourceType }))).rejects.toThrow(/ConflictException.*A project with this display name probably exists already/);
    expect(catalyst.commandCalls(CreateProjectCommand)).toHaveLength(5);
    expect(jest.mocked(backoff.sleep).mock.calls).toEqual([[2000], [4000], [8000], [16000]]);
  });

  test('withConflictRetry retries nothing else', async () => {
    const send = jest.fn().mockRejectedValue(awsError('ValidationException'));
    await expect(withConflictRetry(send)).rejects.toThrow('ValidationException');
    expect(send).toHaveBeenCalledTimes(1);
  });

  test('the real backoff waits', async () => {
    jest.mocked(backoff.sleep).mockRestore();
    jest.useFakeTimers();
    try {
      let done = false;
      const waiting = backoff.sleep(2000).then(() => { done = true; });
      await jest.advanceTimersByTimeAsync(1999);
      expect(done).toBe(false);
      await jest.advanceTimersByTimeAsync(1);
      await waiting;
      expect(done).toBe(true);
    } finally {
      jest.useRealTimers();
    }
  });
});
