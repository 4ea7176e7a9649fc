import { CodeCatalystClient } from '@aws-sdk/client-codecatalyst';
import {
  GetSecretValueCommand, PutSecretValueCommand, SecretsManagerClient, UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { CreateTokenCommand, SSOOIDCClient } from '@aws-sdk/client-sso-oidc';
import { cc } from './fixtures';
import { FakeCodeCatalyst, FakeSecretsManager, FakeSsoOidc, handlerMocks, VirtualClock } from '../kit';

// The fakes the CodeCatalyst lifecycle runs on, checked on their own: what they refuse, and how they progress.
const [catalyst, secrets, oidc] = handlerMocks(CodeCatalystClient, SecretsManagerClient, SSOOIDCClient);
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
    expect(fake.snapshot()).toEqual([{ arn: SECRET, versions: 1 }]);
  });

  test('a new version with its own label leaves AWSCURRENT; the label moves only from the version RemoveFromVersionId names', async () => {
    const fake = new FakeSecretsManager(new VirtualClock()).wire(secrets);
    const first = fake.put(SECRET, 'v1');
    const sm = new SecretsManagerClient({ region: 'us-east-1' });
    const { VersionId: staged } = await sm.send(new PutSecretValueCommand({ SecretId: SECRET, SecretString: 'v2', VersionStages: ['MINE'] }));
    await expect(sm.send(new GetSecretValueCommand({ SecretId: SECRET }))).resolves.toMatchObject({ SecretString: 'v1', VersionId: first.id });
    await expect(sm.send(new GetSecretValueCommand({ SecretId: SECRET, VersionStage: 'MINE' }))).resolves.toMatchObject({ SecretString: 'v2' });
    // Someone else stores a value meanwhile: AWSCURRENT is no longer on the version the swap names.
    const other = fake.put(SECRET, 'v3');
    await expect(sm.send(new UpdateSecretVersionStageCommand({ SecretId: SECRET, VersionStage: 'AWSCURRENT', MoveToVersionId: staged, RemoveFromVersionId: first.id })))
      .rejects.toMatchObject({ name: 'InvalidParameterException' });
    expect(fake.current(SECRET)!.value).toBe('v3');
    await sm.send(new UpdateSecretVersionStageCommand({ SecretId: SECRET, VersionStage: 'AWSCURRENT', MoveToVersionId: staged, RemoveFromVersionId: other.id }));
    await expect(sm.send(new GetSecretValueCommand({ SecretId: SECRET }))).resolves.toMatchObject({ SecretString: 'v2', VersionStages: ['MINE', 'AWSCURRENT'] });
    await expect(sm.send(new GetSecretValueCommand({ SecretId: SECRET, VersionStage: 'AWSPREVIOUS' }))).resolves.toMatchObject({ SecretString: 'v3' });
    expect([...first.stages]).toEqual([]);
  });

  test('PutSecretValue without stages makes the version current; a ClientRequestToken is idempotent, and refused with another value', async () => {
    const fake = new FakeSecretsManager(new VirtualClock()).wire(secrets);
    fake.put(SECRET, 'v1');
    const sm = new SecretsManagerClient({ region: 'us-east-1' });
    const token = '11111111-2222-4333-8444-555555555555';
    await sm.send(new PutSecretValueCommand({ SecretId: SECRET, SecretString: 'v2', ClientRequestToken: token }));
    await expect(sm.send(new PutSecretValueCommand({ SecretId: SECRET, SecretString: 'v2', ClientRequestToken: token }))).resolves.toMatchObject({ VersionId: token });
    await expect(sm.send(new PutSecretValueCommand({ SecretId: SECRET, SecretString: 'v3', ClientRequestToken: token }))).rejects.toMatchObject({ name: 'ResourceExistsException' });
    expect(fake.current(SECRET)).toMatchObject({ id: token, value: 'v2' });
    expect(fake.versions.get(SECRET)).toHaveLength(2);
  });

  test('each operation needs its own action on the secret', async () => {
    const fake = new FakeSecretsManager(new VirtualClock()).wire(secrets);
    const first = fake.put(SECRET, 'v1');
    fake.policy = [{ actions: ['secretsmanager:GetSecretValue'], resources: [SECRET] }];
    const sm = new SecretsManagerClient({ region: 'us-east-1' });
    await expect(sm.send(new PutSecretValueCommand({ SecretId: SECRET, SecretString: 'v2' }))).rejects.toMatchObject({ name: 'AccessDeniedException' });
    await expect(sm.send(new UpdateSecretVersionStageCommand({ SecretId: SECRET, VersionStage: 'AWSCURRENT', MoveToVersionId: first.id })))
      .rejects.toMatchObject({ name: 'AccessDeniedException' });
    expect(fake.versions.get(SECRET)).toHaveLength(1);
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

describe('FakeSsoOidc', () => {
  const sso = () => new SSOOIDCClient({ region: 'us-east-1' });
  function ssoWorld() {
    const clock = new VirtualClock().install();
    const codecatalyst = new FakeCodeCatalyst(clock).wire(catalyst);
    const fake = new FakeSsoOidc(clock, (token, user, expiresAt) => { codecatalyst.addUser(token, user).expiresAt = expiresAt; }).wire(oidc);
    const registration = fake.registerClient();
    const doc = fake.signIn(registration, 'alice', 24);
    return { clock, codecatalyst, fake, registration, doc };
  }
  const grant = (doc: { clientId: string; clientSecret: string; refreshToken: string }) =>
    new CreateTokenCommand({ clientId: doc.clientId, clientSecret: doc.clientSecret, grantType: 'refresh_token', refreshToken: doc.refreshToken });

  test('signIn returns the document `aws sso login` caches, whose access token CodeCatalyst accepts until it expires', async () => {
    const { clock, doc } = ssoWorld();
    expect(Object.keys(doc).sort()).toEqual(['accessToken', 'clientId', 'clientSecret', 'expiresAt', 'refreshToken', 'region', 'registrationExpiresAt', 'startUrl']);
    expect(doc).toMatchObject({ region: 'us-east-1', startUrl: 'https://view.awsapps.com/start', expiresAt: '2026-01-01T01:00:00Z', registrationExpiresAt: '2026-04-01T00:00:00Z' });
    await expect(client(doc.accessToken).send(new VerifySessionCommand({}))).resolves.toEqual({ identity: 'user-id-of-alice' });
    clock.advance(3600_000);
    await expect(client(doc.accessToken).send(new VerifySessionCommand({}))).rejects.toMatchObject({ name: 'UnauthorizedException' });
  });

  test('the refresh-token grant issues a new access token and rotates the refresh token: the old one is refused from then on', async () => {
    const { clock, doc, fake } = ssoWorld();
    clock.advance(3600_000);
    const out = await sso().send(grant(doc));
    expect(out).toMatchObject({ tokenType: 'Bearer', expiresIn: 3600 });
    expect(out.refreshToken).not.toBe(doc.refreshToken);
    await expect(client(out.accessToken!).send(new VerifySessionCommand({}))).resolves.toEqual({ identity: 'user-id-of-alice' });
    await expect(sso().send(grant(doc))).rejects.toMatchObject({ name: 'InvalidGrantException' });
    await expect(sso().send(grant({ ...doc, refreshToken: out.refreshToken! }))).resolves.toMatchObject({ expiresIn: 3600 });
    expect(fake.issued).toHaveLength(3);
  });

  test('an expired registration, a wrong client secret, an ended or signed-out session are refused', async () => {
    const { clock, doc, fake, registration: registered } = ssoWorld();
    await expect(sso().send(grant({ ...doc, clientSecret: 'wrong' }))).rejects.toMatchObject({ name: 'InvalidClientException' });
    fake.signOut('alice');
    await expect(sso().send(grant(doc))).rejects.toMatchObject({ name: 'ExpiredTokenException' });
    const second = fake.signIn(registered, 'alice', 24);
    clock.advance(24 * 3600_000);
    await expect(sso().send(grant(second))).rejects.toMatchObject({ name: 'ExpiredTokenException' });
    const third = fake.signIn(registered, 'alice', 90 * 24);
    clock.advance(90 * 86_400_000);
    await expect(sso().send(grant(third))).rejects.toMatchObject({ name: 'InvalidClientException', message: 'Client registration has expired' });
    expect(fake.snapshot()).toEqual({ clients: ['fake-client-1'], sessions: [{ user: 'alice', ended: true }, { user: 'alice', ended: true }, { user: 'alice', ended: true }] });
  });

  test('other grants and missing members are refused; throttling (SlowDown) reaches the caller at once', async () => {
    const { doc, fake } = ssoWorld();
    await expect(sso().send(new CreateTokenCommand({ clientId: doc.clientId, clientSecret: doc.clientSecret, grantType: 'urn:ietf:params:oauth:grant-type:device_code' })))
      .rejects.toMatchObject({ name: 'UnsupportedGrantTypeException' });
    await expect(sso().send(new CreateTokenCommand({ clientId: doc.clientId, clientSecret: doc.clientSecret, grantType: 'refresh_token' })))
      .rejects.toMatchObject({ name: 'InvalidRequestException' });
    fake.throttleNext(1);
    await expect(sso().send(grant(doc))).rejects.toMatchObject({ name: 'SlowDownException' });
    await expect(sso().send(grant(doc))).resolves.toMatchObject({ expiresIn: 3600 });
    expect(fake.requests.map(r => r.error ?? 'ok')).toEqual(['UnsupportedGrantTypeException', 'InvalidRequestException', 'SlowDownException', 'ok']);
  });
});
