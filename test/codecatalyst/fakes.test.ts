import { CodeCatalystClient } from '@aws-sdk/client-codecatalyst';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { cc } from './fixtures';
import { FakeCodeCatalyst, FakeSecretsManager, handlerMocks, VirtualClock } from '../kit';

// The fakes the CodeCatalyst lifecycle runs on, checked on their own: what they refuse, and how they progress.
const [catalyst, secrets] = handlerMocks(CodeCatalystClient, SecretsManagerClient);
const {
  CreateDevEnvironmentCommand, CreateProjectCommand, GetSpaceCommand, ListDevEnvironmentsCommand, ListProjectsCommand, StartWorkflowRunCommand,
  VerifySessionCommand,
} = cc;
const SECRET = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:codecatalyst-token-AbCdEf';
const client = (token: string) => new CodeCatalystClient({ token: { token }, region: 'us-west-2' });

function world() {
  const clock = new VirtualClock().install();
  const codecatalyst = new FakeCodeCatalyst(clock).wire(catalyst);
  codecatalyst.addSpace('acme');
  codecatalyst.addProject('acme', 'web');
  codecatalyst.addUser('good', 'alice');
  codecatalyst.grant('alice', 'acme', 'web');
  return { clock, codecatalyst };
}

describe('FakeCodeCatalyst', () => {
  test('authorises by the bearer token the client holds: unknown or expired tokens are refused everywhere', async () => {
    const { codecatalyst } = world();
    await expect(client('good').send(new VerifySessionCommand({}))).resolves.toEqual({ identity: 'user-id-of-alice' });
    await expect(client('nobody').send(new VerifySessionCommand({}))).rejects.toMatchObject({ name: 'UnauthorizedException' });
    codecatalyst.tokens.get('good')!.expired = true;
    await expect(client('good').send(new GetSpaceCommand({ name: 'acme' }))).rejects.toMatchObject({ name: 'UnauthorizedException' });
    expect(codecatalyst.tokensSeen).toEqual(['good', 'nobody', 'good']);
  });

  test('a user needs a role: a project role sees the space but cannot create projects', async () => {
    const { codecatalyst } = world();
    await expect(client('good').send(new GetSpaceCommand({ name: 'acme' }))).resolves.toMatchObject({ name: 'acme' });
    await expect(client('good').send(new CreateProjectCommand({ spaceName: 'acme', displayName: 'Shop' }))).rejects.toMatchObject({ name: 'AccessDeniedException' });
    codecatalyst.grant('alice', 'acme');
    await expect(client('good').send(new CreateProjectCommand({ spaceName: 'acme', displayName: 'Shop Front' }))).resolves.toMatchObject({ name: 'shop-front' });
    codecatalyst.revoke('alice');
    await expect(client('good').send(new GetSpaceCommand({ name: 'acme' }))).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });

  test('inputs outside CODECATALYST_API are refused with ValidationException', async () => {
    world();
    await expect(client('good').send(new GetSpaceCommand({ name: 'a' }))).rejects.toMatchObject({ name: 'ValidationException' });
  });

  test('throttling within the SDK\'s attempts is absorbed, beyond them it reaches the caller', async () => {
    const { codecatalyst } = world();
    codecatalyst.throttleNext(4);
    await expect(client('good').send(new VerifySessionCommand({}))).resolves.toBeDefined();
    codecatalyst.throttleNext(5);
    await expect(client('good').send(new VerifySessionCommand({}))).rejects.toMatchObject({ name: 'ThrottlingException' });
  });

  test('dev environments progress at each tick, are idempotent per client token, and count against the tier', async () => {
    const { codecatalyst } = world();
    const input = { spaceName: 'acme', projectName: 'web', instanceType: 'dev.standard1.small', persistentStorage: { sizeInGiB: 16 }, clientToken: 'abc' };
    const { id } = await client('good').send(new CreateDevEnvironmentCommand(input)) as { id: string };
    await expect(client('good').send(new CreateDevEnvironmentCommand(input))).resolves.toMatchObject({ id });
    const env = codecatalyst.spaces.get('acme')!.projects.get('web')!.devEnvironments.get(id)!;
    const seen = [env.status];
    for (let i = 0; i < 2; i++) {
      codecatalyst.tick();
      seen.push(env.status);
    }
    expect(seen).toEqual(['PENDING', 'STARTING', 'RUNNING']);
    expect(env.creator).toBe('alice');
    codecatalyst.tierLimit = { devEnvironments: 1 };
    await expect(client('good').send(new CreateDevEnvironmentCommand({ ...input, clientToken: 'other' }))).rejects.toMatchObject({ name: 'ServiceQuotaExceededException' });
  });

  test('runs go VALIDATING, PROVISIONING, IN_PROGRESS, then the plan; a client token starts one run', async () => {
    const { codecatalyst } = world();
    codecatalyst.addRepository('acme', 'web', 'web-app');
    const workflow = codecatalyst.addWorkflow('acme', 'web', 'build', 'web-app', 'main');
    const input = { spaceName: 'acme', projectName: 'web', workflowId: workflow.id, clientToken: 'run-1' };
    const first = await client('good').send(new StartWorkflowRunCommand(input)) as { id: string };
    await expect(client('good').send(new StartWorkflowRunCommand(input))).resolves.toMatchObject({ id: first.id });
    const run = codecatalyst.spaces.get('acme')!.projects.get('web')!.runs[0];
    const seen = [run.status];
    for (let i = 0; i < 3; i++) {
      codecatalyst.tick();
      seen.push(run.status);
    }
    expect(seen).toEqual(['VALIDATING', 'PROVISIONING', 'IN_PROGRESS', 'SUCCEEDED']);
  });

  test('a lost response: the request is carried out, the SDK retries the TimeoutError, and the last error counts the attempts', async () => {
    const { codecatalyst } = world();
    codecatalyst.grant('alice', 'acme');
    codecatalyst.loseResponse('CreateProject');
    const failed = await client('good').send(new CreateProjectCommand({ spaceName: 'acme', displayName: 'Shop' })).catch((err: unknown) => err);
    expect(failed).toMatchObject({ name: 'ConflictException', $metadata: { attempts: 2 } });
    expect(codecatalyst.spaces.get('acme')!.projects.has('shop')).toBe(true);
    expect(codecatalyst.requests.filter(r => r.operation === 'CreateProject').map(r => r.error)).toEqual([undefined, 'ConflictException']);
    codecatalyst.loseResponse('CreateProject', 5);
    await expect(client('good').send(new CreateProjectCommand({ spaceName: 'acme', displayName: 'Shop Two' })))
      .rejects.toMatchObject({ name: 'ConflictException', $metadata: { attempts: 2 } });
    codecatalyst.loseResponse('VerifySession', 5);
    await expect(client('good').send(new VerifySessionCommand({}))).rejects.toMatchObject({ name: 'TimeoutError', $metadata: { attempts: 5 } });
  });

  test('lists the projects of a space and the dev environments of a project, a page at a time', async () => {
    const { codecatalyst } = world();
    codecatalyst.addProject('acme', 'Mobile App', 'The app');
    await expect(client('good').send(new ListProjectsCommand({ spaceName: 'acme', maxResults: 1 }))).resolves.toEqual({
      items: [{ name: 'web', displayName: 'web', description: '' }], nextToken: '1',
    });
    await expect(client('good').send(new ListProjectsCommand({ spaceName: 'acme', nextToken: '1' }))).resolves.toEqual({
      items: [{ name: 'mobile-app', displayName: 'Mobile App', description: 'The app' }],
    });
    const input = { spaceName: 'acme', projectName: 'web', instanceType: 'dev.standard1.small', persistentStorage: { sizeInGiB: 16 }, alias: 'mine' };
    const { id } = await client('good').send(new CreateDevEnvironmentCommand(input)) as { id: string };
    await expect(client('good').send(new ListDevEnvironmentsCommand({ spaceName: 'acme', projectName: 'web' }))).resolves.toMatchObject({
      items: [{ id, alias: 'mine', status: 'PENDING', creatorId: 'user-id-of-alice', persistentStorage: { sizeInGiB: 16 } }],
    });
  });

  test('conflicts can be injected', async () => {
    const { codecatalyst } = world();
    codecatalyst.conflictNext('VerifySession');
    await expect(client('good').send(new VerifySessionCommand({}))).rejects.toMatchObject({ name: 'ConflictException' });
    await expect(client('good').send(new VerifySessionCommand({}))).resolves.toBeDefined();
  });
});

describe('FakeSecretsManager', () => {
  test('answers GetSecretValue by ARN or name; a missing secret is ResourceNotFoundException, one being deleted InvalidRequestException', async () => {
    const fake = new FakeSecretsManager(new VirtualClock()).wire(secrets);
    fake.put(SECRET, 'value');
    const sm = new SecretsManagerClient({ region: 'us-east-1' });
    await expect(sm.send(new GetSecretValueCommand({ SecretId: SECRET }))).resolves.toMatchObject({ SecretString: 'value', ARN: SECRET });
    await expect(sm.send(new GetSecretValueCommand({ SecretId: 'codecatalyst-token' }))).resolves.toMatchObject({ SecretString: 'value' });
    await expect(sm.send(new GetSecretValueCommand({ SecretId: 'other' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    fake.deleting.add(SECRET);
    await expect(sm.send(new GetSecretValueCommand({ SecretId: SECRET }))).rejects.toMatchObject({ name: 'InvalidRequestException' });
    expect(fake.snapshot()).toEqual([SECRET]);
  });

  test('checks secretsmanager:GetSecretValue on the secret\'s ARN', async () => {
    const fake = new FakeSecretsManager(new VirtualClock()).wire(secrets);
    fake.put(SECRET, 'value');
    fake.policy = [{ actions: ['secretsmanager:GetSecretValue'], resources: ['arn:aws:secretsmanager:us-east-1:123456789012:secret:other-*'] }];
    const sm = new SecretsManagerClient({ region: 'us-east-1' });
    await expect(sm.send(new GetSecretValueCommand({ SecretId: SECRET }))).rejects.toMatchObject({ name: 'AccessDeniedException' });
    fake.policy = [{ actions: ['secretsmanager:GetSecretValue'], resources: [SECRET] }];
    await expect(sm.send(new GetSecretValueCommand({ SecretId: SECRET }))).resolves.toMatchObject({ SecretString: 'value' });
  });
});
