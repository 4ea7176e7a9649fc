import { CloudFormationClient, DescribeStacksCommand, StackStatus } from '@aws-sdk/client-cloudformation';
import { CodeCatalystClient } from '@aws-sdk/client-codecatalyst';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { STSClient } from '@aws-sdk/client-sts';
import { base, standardMocks, cc } from './fixtures';
import { CODECATALYST_API } from '../../src/codecatalyst/private/api-constraints';
import { onBranchEvent } from '../../src/codecatalyst/private/custom-resources/branch';
import { BRANCH_FAMILY, PROJECT_FAMILY, SOURCE_REPOSITORY_FAMILY } from '../../src/codecatalyst/private/custom-resources/contract';
import { onProjectEvent, projectOf } from '../../src/codecatalyst/private/custom-resources/project';
import { backoff } from '../../src/codecatalyst/private/custom-resources/session';
import { onSourceRepositoryEvent } from '../../src/codecatalyst/private/custom-resources/source-repository';
import { awsError, createEvent, deleteEvent, expectValidSdkInputs, handlerMocks, updateEvent, sdkInputProblems } from '../kit';

const {
  CreateProjectCommand, CreateSourceRepositoryBranchCommand, CreateSourceRepositoryCommand, DeleteProjectCommand,
  DeleteSourceRepositoryCommand, GetProjectCommand, GetSourceRepositoryCloneUrlsCommand, GetSourceRepositoryCommand,
  ListProjectsCommand, ListSourceRepositoryBranchesCommand, UpdateProjectCommand,
} = cc;

const [catalyst, secrets, sts, cloudformation] = handlerMocks(CodeCatalystClient, SecretsManagerClient, STSClient, CloudFormationClient);
// Every CodeCatalyst input any test sends is within the API's documented constraints (Secrets Manager's are not in the table).
afterEach(() => expect(sdkInputProblems(catalyst, CODECATALYST_API)).toEqual([]));
const MARKER = 'AWSCDK::CustomResourceProviderFramework::CREATE_FAILED';
beforeEach(() => { standardMocks(catalyst, secrets, sts); });

/** An error as the SDK throws it after `attempts` attempts: the earlier ones failed with errors it retries (a lost response among them). */
const afterAttempts = (err: Error, attempts: number) => Object.assign(err, { $metadata: { ...(err as { $metadata?: object }).$metadata, attempts } });
/** What the SDK throws when no attempt's response arrived (the socket timed out each time). */
const timedOut = () => afterAttempts(Object.assign(new Error('socket timed out'), { name: 'TimeoutError' }), 5);

describe('project', () => {
  const options = { resourceType: PROJECT_FAMILY.resourceType };
  // No project of the display name exists before a create.
  beforeEach(() => { catalyst.on(ListProjectsCommand).resolves({ items: [] }); });
  const props = { ...base, DisplayName: 'Storefront App', Description: 'The storefront' };
  const ID = 'acme/storefront-app';
  const created = () => catalyst.on(CreateProjectCommand).resolves({ spaceName: 'acme', name: 'storefront-app', displayName: 'Storefront App' });
  const current = (description?: string, displayName = 'Storefront App') =>
    catalyst.on(GetProjectCommand).resolves({ spaceName: 'acme', name: 'storefront-app', displayName, description });

  test('Create creates the project and returns <space>/<name> with the name CodeCatalyst derived', async () => {
    created();
    await expect(onProjectEvent(createEvent(props, options))).resolves.toEqual({ PhysicalResourceId: ID, Data: { Name: 'storefront-app' } });
    expect(catalyst.commandCalls(CreateProjectCommand)[0].args[0].input).toEqual({ spaceName: 'acme', displayName: 'Storefront App', description: 'The storefront' });
    expectValidSdkInputs(catalyst, CODECATALYST_API);
  });

  test('Create without a description sends none', async () => {
    created();
    await onProjectEvent(createEvent({ ...base, DisplayName: 'Storefront App' }, options));
    expect(catalyst.commandCalls(CreateProjectCommand)[0].args[0].input).toEqual({ spaceName: 'acme', displayName: 'Storefront App' });
  });

  describe('a create (CreateProject takes no idempotency token)', () => {
    const theProject = { name: 'storefront-app', displayName: 'Storefront App', description: 'The storefront' };
    beforeEach(() => { catalyst.on(ListProjectsCommand).resolves({ items: [] }); });

    test('a project of the display name that exists before it fails at once, with the commands to delete or use it', async () => {
      catalyst.on(ListProjectsCommand).resolvesOnce({ items: [{ name: 'web', displayName: 'web' }], nextToken: 'p2' }).resolves({ items: [theProject] });
      await expect(onProjectEvent(createEvent(props, options))).rejects.toThrow(
        /Creating the project failed for project 'Storefront App' in space 'acme': project 'storefront-app' exists already, and this stack did not create it.*aws codecatalyst delete-project --space-name acme --name storefront-app.*Project\.fromProjectAttributes\(this, 'Project', \{ space, projectName: 'storefront-app' \}\)/);
      expect(catalyst).not.toHaveReceivedCommand(CreateProjectCommand);
      expect(catalyst.commandCalls(ListProjectsCommand).map(c => c.args[0].input)).toEqual([
        { spaceName: 'acme', maxResults: 100 }, { spaceName: 'acme', maxResults: 100, nextToken: 'p2' },
      ]);
      expectValidSdkInputs(catalyst, CODECATALYST_API);
    });

    test('a lost response (the retry meets the project its first attempt made) adopts the project', async () => {
      catalyst.on(ListProjectsCommand).resolvesOnce({ items: [] }).resolves({ items: [theProject] });
      catalyst.on(CreateProjectCommand).rejects(afterAttempts(awsError('ConflictException'), 2));
      await expect(onProjectEvent(createEvent(props, options))).resolves.toEqual({ PhysicalResourceId: ID, Data: { Name: 'storefront-app' } });
      expect(catalyst.commandCalls(CreateProjectCommand)).toHaveLength(1);
      expect(console.log).toHaveBeenCalledWith(expect.stringMatching(/project 'storefront-app' did not exist when this request began.*response was lost; taking it/));
    });

    test('a create whose every attempt timed out adopts the project when it exists as asked', async () => {
      catalyst.on(ListProjectsCommand).resolvesOnce({ items: [] }).resolves({ items: [theProject] });
      catalyst.on(CreateProjectCommand).rejects(timedOut());
      await expect(onProjectEvent(createEvent(props, options))).resolves.toEqual({ PhysicalResourceId: ID, Data: { Name: 'storefront-app' } });
    });

    test('a create whose every attempt timed out, with no project, fails saying to retry the deployment', async () => {
      catalyst.on(CreateProjectCommand).rejects(timedOut());
      await expect(onProjectEvent(createEvent(props, options))).rejects.toThrow(/Creating the project failed .*socket timed out.*retry the deployment/);
    });

    test.each<[string, Error, object]>([
      ['a conflict at the first attempt (another creator)', afterAttempts(awsError('ConflictException'), 1), theProject],
      ['a lost response, but the project is not what was asked', afterAttempts(awsError('ConflictException'), 2), { ...theProject, description: 'Theirs' }],
    ])('%s: the project is not adopted, and the error says how to delete or use it', async (_name, err, found) => {
      catalyst.on(ListProjectsCommand).resolvesOnce({ items: [] }).resolves({ items: [found] });
      catalyst.on(CreateProjectCommand).rejects(err);
      await expect(onProjectEvent(createEvent(props, options))).rejects.toThrow(/project 'storefront-app' exists already, and this stack did not create it.*delete-project/);
      expect(catalyst.commandCalls(CreateProjectCommand)).toHaveLength(1);
    });

    test('a conflict while no such project exists is retried with backoff', async () => {
      catalyst.on(CreateProjectCommand).rejectsOnce(afterAttempts(awsError('ConflictException'), 1)).resolves({ spaceName: 'acme', name: 'storefront-app' });
      await expect(onProjectEvent(createEvent(props, options))).resolves.toEqual({ PhysicalResourceId: ID, Data: { Name: 'storefront-app' } });
      expect(backoff.sleep).toHaveBeenCalledTimes(1);
    });
  });

  test('a CreateProject without a name fails', async () => {
    catalyst.on(CreateProjectCommand).resolves({});
    await expect(onProjectEvent(createEvent(props, options))).rejects.toThrow(/CreateProject returned no name for project 'Storefront App'/);
  });

  test.each<[string, RegExp]>([
    ['AccessDeniedException', /has no role that allows this/],
    ['ServiceQuotaExceededException', /upgrade the space's tier/],
    ['ResourceNotFoundException', /The space 'acme' is not visible to the token's user; check Space.fromSpaceName/],
    ['ValidationException', /fix the value the message names/],
    ['ThrottlingException', /throttling or briefly unavailable/],
  ])('a CreateProject failing with %s says what to do', async (name, next) => {
    catalyst.on(CreateProjectCommand).rejects(awsError(name));
    await expect(onProjectEvent(createEvent(props, options))).rejects.toThrow(next);
  });

  test('an Update of the description updates it in place', async () => {
    current('The storefront');
    catalyst.on(UpdateProjectCommand).resolves({});
    const result = await onProjectEvent(updateEvent(ID, { ...props, Description: 'New' }, props, options));
    expect(result).toEqual({ PhysicalResourceId: ID, Data: { Name: 'storefront-app' } });
    expect(catalyst.commandCalls(UpdateProjectCommand)[0].args[0].input).toEqual({ spaceName: 'acme', name: 'storefront-app', description: 'New' });
    expect(catalyst).not.toHaveReceivedCommand(CreateProjectCommand);
    expectValidSdkInputs(catalyst, CODECATALYST_API);
  });

  test('an Update that changes nothing of the project writes nothing', async () => {
    current('The storefront');
    await expect(onProjectEvent(updateEvent(ID, props, { ...props, RoleArn: 'arn:aws:iam::123456789012:role/old' }, options))).resolves.toEqual({ PhysicalResourceId: ID, Data: { Name: 'storefront-app' } });
    expect(catalyst).not.toHaveReceivedCommand(UpdateProjectCommand);
  });

  test('a description removed from the template stays (the API cannot clear it), and says so', async () => {
    current('The storefront');
    await onProjectEvent(updateEvent(ID, { ...base, DisplayName: 'Storefront App' }, props, options));
    expect(catalyst).not.toHaveReceivedCommand(UpdateProjectCommand);
    expect(console.log).toHaveBeenCalledWith(expect.stringMatching(/was removed from the template; the API cannot clear a description, so it stays/));
  });

  test('an Update of the old id from the replacement\'s properties (a rollback) updates the old project, creates nothing', async () => {
    current('The storefront');
    const result = await onProjectEvent(updateEvent(ID, props, { ...props, DisplayName: 'Shop' }, options));
    expect(result.PhysicalResourceId).toBe(ID);
    expect(catalyst).not.toHaveReceivedCommand(CreateProjectCommand);
  });

  test('a new display name creates another project (a replacement)', async () => {
    current('The storefront');
    catalyst.on(CreateProjectCommand).resolves({ spaceName: 'acme', name: 'shop' });
    const result = await onProjectEvent(updateEvent(ID, { ...props, DisplayName: 'Shop' }, props, options));
    expect(result.PhysicalResourceId).toBe('acme/shop');
  });

  test('another space creates another project without reading the old one', async () => {
    catalyst.on(CreateProjectCommand).resolves({ spaceName: 'beta', name: 'storefront-app' });
    const result = await onProjectEvent(updateEvent(ID, { ...props, SpaceName: 'beta' }, props, options));
    expect(result.PhysicalResourceId).toBe('beta/storefront-app');
    expect(catalyst).not.toHaveReceivedCommand(GetProjectCommand);
  });

  test('a project deleted outside the stack is created again by an Update', async () => {
    catalyst.on(GetProjectCommand).rejects(awsError('ResourceNotFoundException'));
    created();
    await expect(onProjectEvent(updateEvent(ID, props, props, options))).resolves.toMatchObject({ PhysicalResourceId: ID });
    expect(catalyst).toHaveReceivedCommand(CreateProjectCommand);
  });

  test('a failed read of the project on Update says what to do', async () => {
    catalyst.on(GetProjectCommand).rejects(awsError('AccessDeniedException'));
    await expect(onProjectEvent(updateEvent(ID, props, props, options))).rejects.toThrow(/Reading the project failed .*has no role/);
  });

  test('Delete deletes the project its id names; one already gone is deleted', async () => {
    catalyst.on(DeleteProjectCommand).resolves({});
    await expect(onProjectEvent(deleteEvent(ID, props, options))).resolves.toEqual({ PhysicalResourceId: ID });
    expect(catalyst.commandCalls(DeleteProjectCommand)[0].args[0].input).toEqual({ spaceName: 'acme', name: 'storefront-app' });
    catalyst.on(DeleteProjectCommand).rejects(awsError('ResourceNotFoundException'));
    await expect(onProjectEvent(deleteEvent(ID, props, options))).resolves.toEqual({ PhysicalResourceId: ID });
    expectValidSdkInputs(catalyst, CODECATALYST_API);
  });

  test('a Delete refused says what to do', async () => {
    catalyst.on(DeleteProjectCommand).rejects(awsError('AccessDeniedException'));
    await expect(onProjectEvent(deleteEvent(ID, props, options))).rejects.toThrow(/Deleting the project failed for project 'storefront-app' in space 'acme'.*has no role/);
  });

  test('the failed-create marker, or any id this handler did not make, deletes nothing and reads no token', async () => {
    await expect(onProjectEvent(deleteEvent(MARKER, props, options))).resolves.toEqual({ PhysicalResourceId: MARKER });
    await onProjectEvent(deleteEvent('storefront-app', props, options));
    expect(catalyst.calls()).toHaveLength(0);
    expect(secrets.calls()).toHaveLength(0);
  });

  test('projectOf reads only ids of the form <space>/<name>', () => {
    expect(projectOf('acme/web')).toEqual({ spaceName: 'acme', name: 'web' });
    expect(projectOf(MARKER)).toBeUndefined();
    expect(projectOf('acme/web/x')).toBeUndefined();
    expect(projectOf(undefined)).toBeUndefined();
  });
});

describe('source repository', () => {
  const options = { resourceType: SOURCE_REPOSITORY_FAMILY.resourceType };
  const props = { ...base, ProjectName: 'web', RepositoryName: 'infra', Description: 'Infrastructure code' };
  const ID = 'acme/web/infra';
  const URL = 'https://git.us-west-2.codecatalyst.aws/v1/acme/web/infra';
  beforeEach(() => {
    catalyst.on(GetSourceRepositoryCloneUrlsCommand).resolves({ https: URL });
    // No repository of the name exists before a create.
    catalyst.on(GetSourceRepositoryCommand).rejects(awsError('ResourceNotFoundException'));
  });

  test('Create creates the repository and returns its clone URL', async () => {
    catalyst.on(CreateSourceRepositoryCommand).resolves({ name: 'infra' });
    await expect(onSourceRepositoryEvent(createEvent(props, options))).resolves.toEqual({ PhysicalResourceId: ID, Data: { Name: 'infra', CloneUrlHttps: URL } });
    expect(catalyst.commandCalls(CreateSourceRepositoryCommand)[0].args[0].input).toEqual({
      spaceName: 'acme', projectName: 'web', name: 'infra', description: 'Infrastructure code',
    });
    expect(catalyst.commandCalls(GetSourceRepositoryCloneUrlsCommand)[0].args[0].input).toEqual({ spaceName: 'acme', projectName: 'web', sourceRepositoryName: 'infra' });
    expectValidSdkInputs(catalyst, CODECATALYST_API);
  });

  describe('a create (CreateSourceRepository takes no idempotency token)', () => {
    const theRepository = { spaceName: 'acme', projectName: 'web', name: 'infra', description: 'Infrastructure code' };

    test('a repository of the name that exists before it fails at once, with the commands to delete or use it', async () => {
      catalyst.on(GetSourceRepositoryCommand).resolves(theRepository);
      await expect(onSourceRepositoryEvent(createEvent(props, options))).rejects.toThrow(
        /Creating the source repository failed for source repository 'infra' of project 'web' in space 'acme': source repository 'infra' exists already, and this stack did not create it.*aws codecatalyst delete-source-repository --space-name acme --project-name web --name infra.*SourceRepository\.fromSourceRepositoryAttributes\(this, 'Repository', \{ project, sourceRepositoryName: 'infra' \}\)/);
      expect(catalyst).not.toHaveReceivedCommand(CreateSourceRepositoryCommand);
    });

    test('a lost response (the retry meets the repository its first attempt made) adopts the repository', async () => {
      catalyst.on(GetSourceRepositoryCommand).rejectsOnce(awsError('ResourceNotFoundException')).resolves(theRepository);
      catalyst.on(CreateSourceRepositoryCommand).rejects(afterAttempts(awsError('ConflictException'), 2));
      await expect(onSourceRepositoryEvent(createEvent(props, options))).resolves.toEqual({ PhysicalResourceId: ID, Data: { Name: 'infra', CloneUrlHttps: URL } });
      expect(console.log).toHaveBeenCalledWith(expect.stringMatching(/source repository 'infra' did not exist when this request began.*response was lost; taking it/));
      expectValidSdkInputs(catalyst, CODECATALYST_API);
    });

    test('a repository that appeared with another description is not adopted', async () => {
      catalyst.on(GetSourceRepositoryCommand).rejectsOnce(awsError('ResourceNotFoundException')).resolves({ ...theRepository, description: 'Theirs' });
      catalyst.on(CreateSourceRepositoryCommand).rejects(afterAttempts(awsError('ConflictException'), 2));
      await expect(onSourceRepositoryEvent(createEvent(props, options))).rejects.toThrow(/exists already, and this stack did not create it.*delete-source-repository/);
    });
  });

  test.each<[string, RegExp]>([
    ['ConflictException', /exists already: choose another name, or use the existing repository with SourceRepository.fromSourceRepositoryAttributes/],
    ['ResourceNotFoundException', /The project 'web' does not exist in space 'acme'/],
    ['AccessDeniedException', /has no role/],
    ['ServiceQuotaExceededException', /billing tier/],
  ])('a CreateSourceRepository failing with %s says what to do', async (name, next) => {
    catalyst.on(CreateSourceRepositoryCommand).rejects(awsError(name));
    await expect(onSourceRepositoryEvent(createEvent(props, options))).rejects.toThrow(next);
  });

  test('an Update of the id that keeps the description only reads the clone URL', async () => {
    await expect(onSourceRepositoryEvent(updateEvent(ID, props, props, options))).resolves.toEqual({ PhysicalResourceId: ID, Data: { Name: 'infra', CloneUrlHttps: URL } });
    expect(catalyst).not.toHaveReceivedCommand(CreateSourceRepositoryCommand);
    expect(catalyst).not.toHaveReceivedCommand(GetSourceRepositoryCommand);
  });

  test('a new description fails unless the repository has it already (set in the console)', async () => {
    catalyst.on(GetSourceRepositoryCommand).resolves({ name: 'infra', description: 'Infrastructure code' });
    const next = { ...props, Description: 'Platform code' };
    await expect(onSourceRepositoryEvent(updateEvent(ID, next, props, options))).rejects.toThrow(
      /Changing the description failed .*cannot update a source repository.*it has 'Infrastructure code', the template now says 'Platform code'.*put back 'Infrastructure code'/);
    catalyst.on(GetSourceRepositoryCommand).resolves({ name: 'infra', description: 'Platform code' });
    await expect(onSourceRepositoryEvent(updateEvent(ID, next, props, options))).resolves.toMatchObject({ PhysicalResourceId: ID });
    expectValidSdkInputs(catalyst, CODECATALYST_API);
  });

  describe('an Update that changes the description (the API cannot)', () => {
    const next = { ...props, Description: 'Platform code' };
    const stackIs = (status: StackStatus) => cloudformation.on(DescribeStacksCommand).resolves({
      Stacks: [{ StackName: 'TestStack', StackStatus: status, CreationTime: new Date(0) }],
    });

    test('a rollback of a change the console had made (the repository has what the rollback leaves) succeeds, and says the description stays', async () => {
      catalyst.on(GetSourceRepositoryCommand).resolves({ name: 'infra', description: 'Platform code' });
      stackIs('UPDATE_ROLLBACK_IN_PROGRESS');
      await expect(onSourceRepositoryEvent(updateEvent(ID, props, next, options))).resolves.toEqual({ PhysicalResourceId: ID, Data: { Name: 'infra', CloneUrlHttps: URL } });
      expect(cloudformation.commandCalls(DescribeStacksCommand)[0].args[0].input).toEqual({ StackName: createEvent(props).StackId });
      expect(console.log).toHaveBeenCalledWith(expect.stringMatching(/stack is rolling back.*keeps 'Platform code'.*the API cannot change it/));
      expect(catalyst).not.toHaveReceivedCommand(CreateSourceRepositoryCommand);
    });

    test.each<[string, () => void]>([
      ['CloudFormation says the stack is updating (a change, not a rollback)', () => stackIs('UPDATE_IN_PROGRESS')],
      ['CloudFormation cannot be asked', () => cloudformation.on(DescribeStacksCommand).rejects(awsError('AccessDenied'))],
    ])('a change the console does not have yet is refused when %s', async (_name, answer) => {
      catalyst.on(GetSourceRepositoryCommand).resolves({ name: 'infra', description: 'Infrastructure code' });
      answer();
      await expect(onSourceRepositoryEvent(updateEvent(ID, next, props, options))).rejects.toThrow(/cannot update a source repository/);
    });

    test('CloudFormation is asked only when the request could be a rollback (the repository has the old properties\' description)', async () => {
      catalyst.on(GetSourceRepositoryCommand).resolves({ name: 'infra', description: 'Something else' });
      await expect(onSourceRepositoryEvent(updateEvent(ID, next, props, options))).rejects.toThrow(/cannot update a source repository/);
      expect(cloudformation.calls()).toHaveLength(0);
    });
  });

  test('an Update of a repository deleted outside the stack creates it again, even when only the token changed', async () => {
    catalyst.on(GetSourceRepositoryCloneUrlsCommand).rejectsOnce(awsError('ResourceNotFoundException')).resolves({ https: URL });
    catalyst.on(CreateSourceRepositoryCommand).resolves({ name: 'infra' });
    await expect(onSourceRepositoryEvent(updateEvent(ID, props, { ...props, TokenJsonField: 'token' }, options)))
      .resolves.toEqual({ PhysicalResourceId: ID, Data: { Name: 'infra', CloneUrlHttps: URL } });
    expect(catalyst.commandCalls(CreateSourceRepositoryCommand)[0].args[0].input).toMatchObject({ name: 'infra', description: 'Infrastructure code' });
    expect(console.log).toHaveBeenCalledWith(expect.stringMatching(/was deleted outside the stack: creating it again/));
  });

  test('an Update with a new description of a repository deleted outside the stack creates it with that description', async () => {
    catalyst.on(CreateSourceRepositoryCommand).resolves({ name: 'infra' });
    catalyst.on(GetSourceRepositoryCloneUrlsCommand).resolves({ https: URL });
    await expect(onSourceRepositoryEvent(updateEvent(ID, { ...props, Description: 'Platform code' }, props, options))).resolves.toMatchObject({ PhysicalResourceId: ID });
    expect(catalyst.commandCalls(CreateSourceRepositoryCommand)[0].args[0].input).toMatchObject({ description: 'Platform code' });
  });

  test('another name or project creates another repository (a replacement)', async () => {
    catalyst.on(CreateSourceRepositoryCommand).resolves({ name: 'platform' });
    const result = await onSourceRepositoryEvent(updateEvent(ID, { ...props, RepositoryName: 'platform' }, props, options));
    expect(result.PhysicalResourceId).toBe('acme/web/platform');
  });

  test('Delete deletes the repository its id names; one already gone is deleted', async () => {
    catalyst.on(DeleteSourceRepositoryCommand).resolves({});
    await expect(onSourceRepositoryEvent(deleteEvent(ID, props, options))).resolves.toEqual({ PhysicalResourceId: ID });
    expect(catalyst.commandCalls(DeleteSourceRepositoryCommand)[0].args[0].input).toEqual({ spaceName: 'acme', projectName: 'web', name: 'infra' });
    catalyst.on(DeleteSourceRepositoryCommand).rejects(awsError('ResourceNotFoundException'));
    await expect(onSourceRepositoryEvent(deleteEvent(ID, props, options))).resolves.toEqual({ PhysicalResourceId: ID });
    expectValidSdkInputs(catalyst, CODECATALYST_API);
  });

  test('a linked repository cannot be deleted: the 400 says to unlink it or retain it', async () => {
    catalyst.on(DeleteSourceRepositoryCommand).rejects(awsError('ValidationException'));
    await expect(onSourceRepositoryEvent(deleteEvent(ID, props, options))).rejects.toThrow(/A linked repository .*cannot be deleted through the API.*RemovalPolicy.RETAIN/);
  });

  test('a conflicting Delete is retried', async () => {
    catalyst.on(DeleteSourceRepositoryCommand).rejectsOnce(awsError('ConflictException')).resolves({});
    await onSourceRepositoryEvent(deleteEvent(ID, props, options));
    expect(catalyst.commandCalls(DeleteSourceRepositoryCommand)).toHaveLength(2);
  });

  test('a Delete of an id that is not these properties\' repository (the marker) deletes nothing', async () => {
    await expect(onSourceRepositoryEvent(deleteEvent(MARKER, props, options))).resolves.toEqual({ PhysicalResourceId: MARKER });
    expect(catalyst.calls()).toHaveLength(0);
  });
});

describe('branch', () => {
  const options = { resourceType: BRANCH_FAMILY.resourceType };
  const props = { ...base, ProjectName: 'web', RepositoryName: 'web-app', BranchName: 'release' };
  const ID = 'acme/web/web-app/release';
  const HEAD = 'a'.repeat(40);
  const listed = (...pages: Array<Array<{ name: string; ref?: string; headCommitId?: string }>>) => {
    const stub = catalyst.on(ListSourceRepositoryBranchesCommand);
    pages.forEach((items, i) => stub.resolvesOnce({ items, ...(i < pages.length - 1 ? { nextToken: `page${i + 1}` } : {}) }));
  };

  test('Create creates the branch (at the head commit given) and returns its ref and head', async () => {
    catalyst.on(CreateSourceRepositoryBranchCommand).resolves({ name: 'release', ref: 'refs/heads/release', headCommitId: HEAD });
    await expect(onBranchEvent(createEvent({ ...props, HeadCommitId: HEAD }, options))).resolves.toEqual({
      PhysicalResourceId: ID, Data: { Name: 'release', GitRef: 'refs/heads/release', HeadCommitId: HEAD },
    });
    expect(catalyst.commandCalls(CreateSourceRepositoryBranchCommand)[0].args[0].input).toEqual({
      spaceName: 'acme', projectName: 'web', sourceRepositoryName: 'web-app', name: 'release', headCommitId: HEAD,
    });
    expectValidSdkInputs(catalyst, CODECATALYST_API);
  });

  test('a branch that exists already (409) is found on a later page and taken as it is', async () => {
    catalyst.on(CreateSourceRepositoryBranchCommand).rejects(awsError('ConflictException'));
    listed([{ name: 'main', ref: 'refs/heads/main' }], [{ name: 'x', ref: 'refs/heads/release', headCommitId: HEAD }]);
    await expect(onBranchEvent(createEvent(props, options))).resolves.toEqual({ PhysicalResourceId: ID, Data: { Name: 'release', GitRef: 'refs/heads/release', HeadCommitId: HEAD } });
    expect(catalyst.commandCalls(ListSourceRepositoryBranchesCommand).map(c => c.args[0].input.nextToken)).toEqual([undefined, 'page1']);
    expect(catalyst.commandCalls(ListSourceRepositoryBranchesCommand)[0].args[0].input.maxResults).toBe(50);
    expectValidSdkInputs(catalyst, CODECATALYST_API);
  });

  test('a conflict with no such branch is retried, then fails', async () => {
    catalyst.on(CreateSourceRepositoryBranchCommand).rejects(awsError('ConflictException'));
    catalyst.on(ListSourceRepositoryBranchesCommand).resolves({ items: [] });
    await expect(onBranchEvent(createEvent(props, options))).rejects.toThrow(/Creating the branch failed .*ConflictException/);
    expect(catalyst.commandCalls(CreateSourceRepositoryBranchCommand)).toHaveLength(5);
  });

  test.each<[string, RegExp]>([
    ['ResourceNotFoundException', /The repository or the head commit does not exist \(branches can be created only in CodeCatalyst-hosted repositories/],
    ['AccessDeniedException', /has no role/],
  ])('a CreateSourceRepositoryBranch failing with %s says what to do', async (name, next) => {
    catalyst.on(CreateSourceRepositoryBranchCommand).rejects(awsError(name));
    await expect(onBranchEvent(createEvent(props, options))).rejects.toThrow(next);
  });

  test('an Update of the same branch only looks it up (the head commit is where it started, nothing more)', async () => {
    listed([{ name: 'release', ref: 'refs/heads/release', headCommitId: HEAD }]);
    await expect(onBranchEvent(updateEvent(ID, { ...props, HeadCommitId: 'b'.repeat(40) }, props, options))).resolves.toMatchObject({ PhysicalResourceId: ID });
    expect(catalyst).not.toHaveReceivedCommand(CreateSourceRepositoryBranchCommand);
  });

  test('an Update of a branch deleted by hand creates it again', async () => {
    listed([{ name: 'main' }]);
    catalyst.on(CreateSourceRepositoryBranchCommand).resolves({ name: 'release', ref: 'refs/heads/release', headCommitId: HEAD });
    await expect(onBranchEvent(updateEvent(ID, props, props, options))).resolves.toMatchObject({ PhysicalResourceId: ID });
    expect(catalyst).toHaveReceivedCommand(CreateSourceRepositoryBranchCommand);
  });

  test('another name is another branch; the old one stays', async () => {
    catalyst.on(CreateSourceRepositoryBranchCommand).resolves({ name: 'hotfix', ref: 'refs/heads/hotfix' });
    const result = await onBranchEvent(updateEvent(ID, { ...props, BranchName: 'hotfix' }, props, options));
    expect(result).toEqual({ PhysicalResourceId: 'acme/web/web-app/hotfix', Data: { Name: 'hotfix', GitRef: 'refs/heads/hotfix', HeadCommitId: '' } });
  });

  test('Delete leaves the branch (there is no API to delete one), says so, and reads no token', async () => {
    await expect(onBranchEvent(deleteEvent(ID, props, options))).resolves.toEqual({ PhysicalResourceId: ID });
    expect(console.log).toHaveBeenCalledWith(expect.stringMatching(/cannot delete branches: acme\/web\/web-app\/release stays/));
    expect(catalyst.calls()).toHaveLength(0);
    expect(secrets.calls()).toHaveLength(0);
  });
});
