import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CodeCatalystClient } from '@aws-sdk/client-codecatalyst';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SSOOIDCClient } from '@aws-sdk/client-sso-oidc';
import { CfnResource, Duration, Size } from 'aws-cdk-lib';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { DEV_ENVIRONMENT } from './fixtures';
import {
  AccessToken, DevEnvironment, DevEnvironmentInstanceType, DevEnvironmentState, Ide, ISpace, Project, SourceRepository, SourceRepositoryBranch, Space,
  SpaceCheck, Workflow, WorkflowRun,
} from '../../src/codecatalyst';
import { CODECATALYST_API } from '../../src/codecatalyst/private/api-constraints';
import {
  BRANCH_FAMILY, DEV_ENVIRONMENT_FAMILY, PROJECT_FAMILY, SOURCE_REPOSITORY_FAMILY, SPACE_FAMILY,
  WORKFLOW_RUN_FAMILY,
} from '../../src/codecatalyst/private/custom-resources/contract';
import { backoff } from '../../src/codecatalyst/private/custom-resources/session';
import { runIdOf } from '../../src/codecatalyst/private/custom-resources/workflow-run';
import { MAX_WAIT } from '../../src/core/custom-resource';
import {
  DeployedResource, expectConsistent, FakeCloudFormation, FakeCodeCatalyst, FakeSecretsManager, FakeSsoOidc, handlerMocks, LifecycleDriver,
  LifecycleSpec, lifecycleSuite, LifecycleWorld, Policy, routedHandlers, sdkInputProblems, synthesizedPolicy, TemplateView, VirtualClock,
  WorldControls,
} from '../kit';

// The CloudFormation lifecycle of the CodeCatalyst families, against stateful fakes of CodeCatalyst (authorised by
// the bearer token), Secrets Manager (authorised by the kit role, which may only read the token's secret, and write
// an SSO session's back) and SSO OIDC (which refreshes an SSO session's access token). Every family's sequences run
// with both kinds of token: a bearer token (AccessToken.fromSecret) and an SSO session (AccessToken.fromSsoSession).
const [catalyst, secrets, oidc, cfn] = handlerMocks(CodeCatalystClient, SecretsManagerClient, SSOOIDCClient, CloudFormationClient);
const inputProblems = () => sdkInputProblems(catalyst, CODECATALYST_API);

type Props = Record<string, unknown>;
const SECRET = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:codecatalyst-token-AbCdEf';
/** The same token, as the JSON field `token` of another secret (a rotation to another secret changes nothing). */
const SECRET_JSON = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:codecatalyst-json-GhIjKl';
const TOKEN = 'ccpat-lifecycle-0123456789abcdef';
const HEAD = 'f00dfeed'.repeat(5);
const WORKFLOW_ID = '11111111-2222-4333-8444-555555555555';
const base = { SpaceName: 'acme', TokenSecretArn: SECRET };
const otherSecret = { TokenSecretArn: SECRET_JSON, TokenJsonField: 'token' };
/** Alice's SSO session (`aws sso login --sso-session codecatalyst`), and another sign-in of hers in another secret. */
const SSO_SECRET = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:codecatalyst-sso-MnOpQr';
const SSO_SECRET_OTHER = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:codecatalyst-sso-other-StUvWx';

/**
 * The same properties with the token held as an SSO session: the bearer token's secret becomes the session's, the
 * JSON-field secret another secret with a session (a rotation to another secret changes nothing either way).
 */
function withSsoSession(p: Props): Props {
  if (p.TokenSecretArn === undefined) return p;
  const { TokenJsonField: _field, ...rest } = p;
  return { ...rest, TokenSecretArn: p.TokenSecretArn === SECRET ? SSO_SECRET : SSO_SECRET_OTHER, TokenSsoSession: 'codecatalyst' };
}

/** What the seed world holds before the stack: these are never the stack's. */
const SEEDED_PROJECTS = ['acme/web', 'acme/mobile'];
const SEEDED_REPOSITORIES = ['web/web-app', 'web/docs', 'mobile/app'];

/**
 * The space the properties name, checked with their token (a `SpaceCheck` of `Space.fromSpaceName`), and its check
 * resource deployed: the resources of a space name it by the check's `Name` attribute.
 */
function spaceOf(scope: Construct, p: Props): { space: ISpace; deployed: DeployedResource[] } {
  const secret = Secret.fromSecretCompleteArn(scope, 'Token', String(p.TokenSecretArn));
  const token = p.TokenSsoSession === undefined
    ? AccessToken.fromSecret(secret, { jsonField: p.TokenJsonField as string | undefined })
    : AccessToken.fromSsoSession(secret, { sessionName: String(p.TokenSsoSession) });
  const space = new SpaceCheck(scope, 'SpaceCheck', { space: Space.fromSpaceName(scope, 'Space', String(p.SpaceName), token) });
  const check = space.node.findAll().find(c => CfnResource.isCfnResource(c) && c.cfnResourceType === SPACE_FAMILY.resourceType)!;
  return { space, deployed: [{ resource: check, attributes: { Name: String(p.SpaceName) } }] };
}

const projectOf = (scope: Construct, space: ISpace, p: Props) => Project.fromProjectAttributes(scope, 'Project', { space, projectName: String(p.ProjectName) });
const seconds = (value: unknown) => (value === undefined ? undefined : Duration.seconds(Number(value)));

/** The kit roles of each construct built from the properties: each reads its token's secret (an SSO session's also writes it back). */
const policies: Record<string, (p: Props) => Policy> = {
  space: synthesizedPolicy<Props>(SPACE_FAMILY.resourceType, (scope, p) => spaceOf(scope, p).deployed),
  project: synthesizedPolicy<Props>(PROJECT_FAMILY.resourceType, (scope, p) => {
    const { space, deployed } = spaceOf(scope, p);
    new Project(scope, 'New', { space, displayName: String(p.DisplayName), description: p.Description as string | undefined });
    return deployed;
  }),
  repository: synthesizedPolicy<Props>(SOURCE_REPOSITORY_FAMILY.resourceType, (scope, p) => {
    const { space, deployed } = spaceOf(scope, p);
    new SourceRepository(scope, 'New', {
      project: projectOf(scope, space, p), sourceRepositoryName: String(p.RepositoryName), description: p.Description as string | undefined,
    });
    return deployed;
  }),
  branch: synthesizedPolicy<Props>(BRANCH_FAMILY.resourceType, (scope, p) => {
    const { space, deployed } = spaceOf(scope, p);
    new SourceRepositoryBranch(scope, 'New', {
      repository: SourceRepository.fromSourceRepositoryAttributes(scope, 'Repository', { project: projectOf(scope, space, p), sourceRepositoryName: String(p.RepositoryName) }),
      branchName: String(p.BranchName),
      headCommitId: p.HeadCommitId as string | undefined,
    });
    return deployed;
  }),
  devEnvironment: synthesizedPolicy<Props>(DEV_ENVIRONMENT_FAMILY.resourceType, (scope, p) => {
    const { space, deployed } = spaceOf(scope, p);
    const project = projectOf(scope, space, p);
    new DevEnvironment(scope, 'New', {
      project,
      instanceType: DevEnvironmentInstanceType.of(String(p.InstanceType)),
      persistentStorage: Size.gibibytes(Number(p.StorageGiB)),
      ide: Ide.of(String(p.IdeName), p.IdeRuntime as string | undefined),
      inactivityTimeout: Duration.minutes(Number(p.InactivityTimeoutMinutes)),
      alias: p.Alias as string | undefined,
      repositories: (p.Repositories as Props[] | undefined)?.map((r, i) => ({
        repository: SourceRepository.fromSourceRepositoryAttributes(scope, `Repository${i}`, { project, sourceRepositoryName: String(r.RepositoryName) }),
        branchName: r.BranchName as string | undefined,
      })),
      desiredState: p.DesiredState as DevEnvironmentState,
      timeout: seconds(p.TimeoutSeconds),
      pollInterval: seconds(p.PollIntervalSeconds),
    });
    return deployed;
  }),
  workflowRun: synthesizedPolicy<Props>(WORKFLOW_RUN_FAMILY.resourceType, (scope, p) => {
    const { space, deployed } = spaceOf(scope, p);
    const project = projectOf(scope, space, p);
    new WorkflowRun(scope, 'New', {
      project,
      workflow: p.WorkflowId !== undefined ? Workflow.fromId(String(p.WorkflowId)) : Workflow.fromName(
        SourceRepository.fromSourceRepositoryAttributes(scope, 'Repository', { project, sourceRepositoryName: String(p.RepositoryName) }),
        String(p.WorkflowName), p.BranchName as string | undefined),
      trigger: p.Trigger as string | undefined,
      waitForSuccess: p.Wait === true,
      timeout: seconds(p.TimeoutSeconds),
      pollInterval: seconds(p.PollIntervalSeconds),
    });
    return deployed;
  }),
};

function fakes() {
  const clock = new VirtualClock().install();
  // The backoff (of conflicts, of refreshes) takes no real or virtual time; it lets other requests in flight go on.
  jest.spyOn(backoff, 'sleep').mockImplementation(() => new Promise(resolve => setImmediate(resolve)));
  const codecatalyst = new FakeCodeCatalyst(clock).wire(catalyst);
  const secretsmanager = new FakeSecretsManager(clock).wire(secrets);
  secretsmanager.put(SECRET, TOKEN);
  secretsmanager.put(SECRET_JSON, JSON.stringify({ token: TOKEN, user: 'alice' }));
  // Alice signed in with `aws sso login` just before the first deployment and seeded both secrets with her sessions.
  const ssooidc = new FakeSsoOidc(clock, (token, user, expiresAt) => { codecatalyst.addUser(token, user).expiresAt = expiresAt; }).wire(oidc);
  const registration = ssooidc.registerClient();
  secretsmanager.put(SSO_SECRET, JSON.stringify(ssooidc.signIn(registration, 'alice')));
  secretsmanager.put(SSO_SECRET_OTHER, JSON.stringify(ssooidc.signIn(registration, 'alice')));
  codecatalyst.addSpace('acme');
  codecatalyst.addSpace('beta');
  codecatalyst.addUser(TOKEN, 'alice');
  codecatalyst.grant('alice', 'acme');
  codecatalyst.grant('alice', 'beta');
  codecatalyst.addProject('acme', 'web');
  codecatalyst.addProject('acme', 'mobile');
  const webApp = codecatalyst.addRepository('acme', 'web', 'web-app');
  webApp.commits.push(HEAD);
  codecatalyst.addRepository('acme', 'web', 'docs');
  codecatalyst.addRepository('acme', 'mobile', 'app');
  codecatalyst.addWorkflow('acme', 'web', 'build', 'web-app', 'main', WORKFLOW_ID);
  codecatalyst.addWorkflow('acme', 'web', 'release', 'web-app', 'main');
  // The stack's status, which the repository and the space read to tell a rollback from a change.
  const cloudformation = new FakeCloudFormation(clock).wire(cfn);
  return { clock, codecatalyst, secretsmanager, ssooidc, cloudformation, registration };
}

type Fakes = ReturnType<typeof fakes>;

function common(w: Fakes, family: keyof typeof policies) {
  return { clock: w.clock, fakes: [w.codecatalyst, w.secretsmanager, w.ssooidc, w.cloudformation], policy: policies[family], inputProblems };
}

/** The SSO session a secret holds now. */
function sessionIn(w: Fakes, arn: string): Record<string, string> {
  return JSON.parse(w.secretsmanager.current(arn)!.value!);
}

/**
 * A family's standard sequences with each kind of token: as given (a bearer token), then with every set of
 * properties holding an SSO session, plus a sequence that needs a refresh: an update an hour after the sign-in,
 * once the access token expired, refreshes it and writes it back with the rotated refresh token.
 */
function inBothTokenModes(spec: Omit<LifecycleSpec<Props>, 'world'> & { world: () => LifecycleWorld<Props> & WorldControls<Props> & { w: Fakes } }): void {
  lifecycleSuite(spec);
  const sso = {
    ...spec, family: `${spec.family} (SSO session)`, props: withSsoSession(spec.props), updates: spec.updates.map(u => ({ ...u, props: withSsoSession(u.props) })),
  };
  lifecycleSuite(sso);
  const update = sso.updates.find(u => u.kind !== 'no-op') ?? sso.updates[0];
  test(`${sso.family}: an update (${update.name}) after the access token expired refreshes it and writes the session back`, async () => {
    const world = sso.world();
    const driver = new LifecycleDriver(world);
    const created = await driver.deploy(sso.props);
    const signedIn = sessionIn(world.w, SSO_SECRET);
    world.clock.advance(61 * 60_000);
    const updated = await driver.deploy(update.props);
    expectConsistent(driver, [created, updated]);
    const refreshed = sessionIn(world.w, SSO_SECRET);
    expect(world.w.ssooidc.requests.map(r => `${r.operation} ${r.error ?? 'ok'}`)).toEqual(['CreateToken ok']);
    expect(refreshed.accessToken).not.toBe(signedIn.accessToken);
    // The rotated refresh token is the one SSO OIDC honours now, and it is in the secret.
    expect(world.w.ssooidc.sessions.get(refreshed.refreshToken)).toBeDefined();
    expect(world.w.codecatalyst.tokensSeen).toContain(refreshed.accessToken);
  });
}

/**
 * What a cancelled Create or Update of a project or repository leaves, as the README says: nothing proves the stack
 * made a thing of that name, so nothing deletes it.
 */
const NO_CREATOR = {
  readme: 'src/codecatalyst/README.md',
  says: 'Left in the space. The API records no creator, tag or client token, so nothing proves that a project or repository of that name is the stack\'s',
};

/** The wait's bounds as the kit renders them for a waiting resource. */
const WAIT = { TimeoutSeconds: 900, PollIntervalSeconds: 30 };

describe('space', () => {
  const props = { ...base };
  function world() {
    const w = fakes();
    return {
      w,
      ...common(w, 'space'),
      handlers: routedHandlers(SPACE_FAMILY.resourceType),
      // The space is only looked up: nothing is ever written, and the attributes name the template's space.
      invariant: (view: TemplateView<Props>) => [
        ...w.codecatalyst.requests.filter(r => r.write).map(r => `the space check wrote: ${r.operation}`),
        ...(view.props && view.attributes.Name !== view.props.SpaceName ? [`attribute Name is ${view.attributes.Name}, the template says ${view.props.SpaceName}`] : []),
        ...(view.props && view.attributes.RegionName !== 'us-west-2' ? [`attribute RegionName is ${view.attributes.RegionName}`] : []),
      ],
      removeOutOfBand: () => { w.codecatalyst.spaces.delete('acme'); },
      outOfBand: 'not recreated' as const,
    };
  }

  inBothTokenModes({
    family: 'codecatalyst space',
    knownDefects: {
    },
    props,
    updates: [
      { name: 'token secret', kind: 'no-op', props: { ...props, ...otherSecret } },
      { name: 'other space', kind: 'replacement', props: { ...props, SpaceName: 'beta' } },
    ],
    world,
  });

  test('a space the token\'s user cannot see fails the deployment saying this library never creates spaces', async () => {
    const spec = world();
    // A member of a space that was deleted since.
    spec.w.codecatalyst.grant('alice', 'nowhere');
    const outcome = await new LifecycleDriver(spec).deploy({ ...props, SpaceName: 'nowhere' });
    expect(outcome).toMatchObject({ ok: false, error: expect.stringMatching(/No space 'nowhere' is visible.*never creates spaces/) });
  });
});

describe('project', () => {
  const props = { ...base, DisplayName: 'Storefront App', Description: 'The storefront' };
  function world() {
    const w = fakes();
    return {
      w,
      ...common(w, 'project'),
      handlers: routedHandlers(PROJECT_FAMILY.resourceType),
      // Exactly the template's project exists (besides the seeded ones), named by the physical id, with the template's
      // display name and description (a description removed from the template stays: the API cannot clear it).
      invariant: (view: TemplateView<Props>) => {
        const ours = [...w.codecatalyst.spaces.values()].flatMap(s => [...s.projects.values()].map(p => ({ space: s.name, p })))
          .filter(x => !SEEDED_PROJECTS.includes(`${x.space}/${x.p.name}`));
        if (!view.props) return ours.map(x => `project ${x.space}/${x.p.name} is left behind`);
        const problems = ours.filter(x => `${x.space}/${x.p.name}` !== view.physicalId || x.space !== view.props!.SpaceName)
          .map(x => `project ${x.space}/${x.p.name} is not the template's (${view.physicalId})`);
        const mine = ours.find(x => `${x.space}/${x.p.name}` === view.physicalId && x.space === view.props!.SpaceName);
        if (!mine) return [...problems, `the template's project ${view.physicalId} does not exist`];
        if (mine.p.displayName !== view.props.DisplayName) problems.push(`display name ${mine.p.displayName}, template ${view.props.DisplayName}`);
        if (view.props.Description !== undefined && mine.p.description !== view.props.Description) {
          problems.push(`description '${mine.p.description}', template '${view.props.Description}'`);
        }
        if (view.attributes.Name !== mine.p.name) problems.push(`attribute Name ${view.attributes.Name}`);
        return problems;
      },
      removeOutOfBand: (p: Props) => {
        const space = w.codecatalyst.spaces.get(String(p.SpaceName))!;
        space.projects.delete(FakeCodeCatalyst.projectNameOf(String(p.DisplayName)));
      },
      leftBehind: { ...NO_CREATOR, problems: /^project \S+ (is left behind|is not the template's)/ },
    };
  }

  inBothTokenModes({
    family: 'codecatalyst project',
    props,
    updates: [
      { name: 'description', kind: 'in-place', props: { ...props, Description: 'The new storefront' } },
      { name: 'description removed', kind: 'in-place', props: { ...base, DisplayName: 'Storefront App' } },
      { name: 'token secret', kind: 'no-op', props: { ...props, ...otherSecret } },
      { name: 'display name', kind: 'replacement', props: { ...props, DisplayName: 'Shop' } },
      { name: 'other space', kind: 'replacement', props: { ...props, SpaceName: 'beta' } },
    ],
    world,
  });

  test('the space tier\'s project limit fails the create with the 402 advice, and nothing is left', async () => {
    const spec = world();
    spec.w.codecatalyst.tierLimit = { projects: 2 };
    const driver = new LifecycleDriver(spec);
    const outcome = await driver.deploy(props);
    expect(outcome).toMatchObject({ ok: false, error: expect.stringMatching(/ServiceQuotaExceededException.*upgrade the space's tier/) });
    expectConsistent(driver, [outcome], false);
  });

  test('a token user without a role in the space fails the create naming the user and the secret', async () => {
    const spec = world();
    spec.w.codecatalyst.revoke('alice');
    spec.w.codecatalyst.grant('alice', 'acme', 'web');
    const outcome = await new LifecycleDriver(spec).deploy(props);
    expect(outcome).toMatchObject({ ok: false, error: expect.stringMatching(/AccessDeniedException.*user-id-of-alice.*has no role.*codecatalyst-token-AbCdEf/) });
  });

  test('an expired token fails at once with how to rotate the secret; after the rotation the deployment succeeds', async () => {
    const spec = world();
    spec.w.codecatalyst.tokens.get(TOKEN)!.expired = true;
    const driver = new LifecycleDriver(spec);
    const failed = await driver.deploy(props);
    expect(failed).toMatchObject({ ok: false, error: expect.stringMatching(/Checking the CodeCatalyst token failed for secret .*codecatalyst-token-AbCdEf.*personal access token.*rotate the secret/) });
    expect(failed.error).not.toContain(TOKEN);
    spec.w.codecatalyst.addUser('ccpat-rotated', 'alice');
    spec.w.secretsmanager.put(SECRET, 'ccpat-rotated');
    expectConsistent(driver, [await driver.deploy(props)]);
    expect(spec.w.codecatalyst.tokensSeen.slice(-1)).toEqual(['ccpat-rotated']);
  });

  test('a create whose response is lost after it committed adopts the project, which the stack then deletes', async () => {
    const spec = world();
    spec.w.codecatalyst.loseResponse('CreateProject');
    const driver = new LifecycleDriver(spec);
    expectConsistent(driver, [await driver.deploy(props)]);
    expect(spec.w.codecatalyst.requests.filter(r => r.operation === 'CreateProject').map(r => r.error)).toEqual([undefined, 'ConflictException']);
    expectConsistent(driver, [await driver.destroy()]);
  });

  test('a replacement whose create response is lost adopts the new project', async () => {
    const spec = world();
    const driver = new LifecycleDriver(spec);
    expectConsistent(driver, [await driver.deploy(props)]);
    spec.w.codecatalyst.loseResponse('CreateProject');
    expectConsistent(driver, [await driver.deploy({ ...props, DisplayName: 'Shop' })]);
  });

  test('a project someone else creates while the create runs is not adopted, and the error says how to delete or use it', async () => {
    const spec = world();
    spec.w.codecatalyst.beforeNext('CreateProject', () => { spec.w.codecatalyst.addProject('acme', 'Storefront App', 'The storefront'); });
    const outcome = await new LifecycleDriver(spec).deploy(props);
    expect(outcome).toMatchObject({ ok: false, error: expect.stringMatching(/exists already, and this stack did not create it.*delete-project --space-name acme --name storefront-app/) });
    expect(spec.w.codecatalyst.spaces.get('acme')!.projects.has('storefront-app')).toBe(true);
    expect(spec.w.codecatalyst.requests.map(r => r.operation)).not.toContain('DeleteProject');
  });

  test('a project that exists before the stack fails the create at once, without trying to create it', async () => {
    const spec = world();
    spec.w.codecatalyst.addProject('acme', 'Storefront App', 'Made by hand');
    const outcome = await new LifecycleDriver(spec).deploy(props);
    expect(outcome).toMatchObject({ ok: false, error: expect.stringMatching(/exists already.*Project.fromProjectAttributes\(this, 'Project', \{ space, projectName: 'storefront-app' \}\)/) });
    expect(spec.w.codecatalyst.requests.map(r => r.operation)).not.toContain('CreateProject');
  });

  test('a conflict is retried with backoff', async () => {
    const spec = world();
    spec.w.codecatalyst.conflictNext('CreateProject', 2);
    const driver = new LifecycleDriver(spec);
    expectConsistent(driver, [await driver.deploy(props)]);
    expect(backoff.sleep).toHaveBeenCalledTimes(2);
  });
});

describe('source repository', () => {
  const props = { ...base, ProjectName: 'web', RepositoryName: 'infra', Description: 'Infrastructure code' };
  function world() {
    const w = fakes();
    return {
      w,
      ...common(w, 'repository'),
      handlers: routedHandlers(SOURCE_REPOSITORY_FAMILY.resourceType),
      // Exactly the template's repository exists (besides the seeded ones; a replaced one is deleted), with its description.
      invariant: (view: TemplateView<Props>) => {
        const ours = [...w.codecatalyst.spaces.get('acme')!.projects.values()]
          .flatMap(p => [...p.repositories.values()].map(r => ({ key: `${p.name}/${r.name}`, r })))
          .filter(x => !SEEDED_REPOSITORIES.includes(x.key));
        if (!view.props) return ours.map(x => `repository ${x.key} is left behind`);
        const key = `${view.props.ProjectName}/${view.props.RepositoryName}`;
        const problems = ours.filter(x => x.key !== key).map(x => `repository ${x.key} is left behind (the template has ${key})`);
        const mine = ours.find(x => x.key === key);
        if (!mine) return [...problems, `the template's repository ${key} does not exist`];
        if (mine.r.description !== view.props.Description) problems.push(`description '${mine.r.description}', template '${view.props.Description}'`);
        if (!String(view.attributes.CloneUrlHttps).endsWith(`/acme/${key}`)) problems.push(`attribute CloneUrlHttps ${view.attributes.CloneUrlHttps}`);
        if (view.physicalId !== `acme/${key}`) problems.push(`physical id ${view.physicalId}`);
        return problems;
      },
      removeOutOfBand: (p: Props) => {
        w.codecatalyst.spaces.get('acme')!.projects.get(String(p.ProjectName))!.repositories.delete(String(p.RepositoryName));
      },
      leftBehind: { ...NO_CREATOR, problems: /^repository \S+ is left behind/ },
    };
  }

  inBothTokenModes({
    family: 'codecatalyst source repository',
    props,
    updates: [
      { name: 'token secret', kind: 'no-op', props: { ...props, ...otherSecret } },
      { name: 'name', kind: 'replacement', props: { ...props, RepositoryName: 'platform' } },
      { name: 'other project', kind: 'replacement', props: { ...props, ProjectName: 'mobile' } },
    ],
    world,
  });

  test('a new description fails (no replacement of the code) until the console has it, then succeeds', async () => {
    const spec = world();
    const driver = new LifecycleDriver(spec);
    expectConsistent(driver, [await driver.deploy(props)]);
    const described = { ...props, Description: 'Platform code' };
    const failed = await driver.deploy(described);
    expect(failed).toMatchObject({ ok: false, error: expect.stringMatching(/cannot update a source repository.*Change the description in the CodeCatalyst console/) });
    expect(spec.w.codecatalyst.spaces.get('acme')!.projects.get('web')!.repositories.get('infra')!.description).toBe('Infrastructure code');
    spec.w.codecatalyst.spaces.get('acme')!.projects.get('web')!.repositories.get('infra')!.description = 'Platform code';
    expectConsistent(driver, [await driver.deploy(described)]);
  });

  test('a create whose response is lost after it committed adopts the repository, which the stack then deletes', async () => {
    const spec = world();
    spec.w.codecatalyst.loseResponse('CreateSourceRepository');
    const driver = new LifecycleDriver(spec);
    expectConsistent(driver, [await driver.deploy(props)]);
    expect(spec.w.codecatalyst.requests.filter(r => r.operation === 'CreateSourceRepository').map(r => r.error)).toEqual([undefined, 'ConflictException']);
    expectConsistent(driver, [await driver.destroy()]);
  });

  test('a repository someone else creates while the create runs is not adopted', async () => {
    const spec = world();
    spec.w.codecatalyst.beforeNext('CreateSourceRepository', () => { spec.w.codecatalyst.addRepository('acme', 'web', 'infra', 'Infrastructure code'); });
    const outcome = await new LifecycleDriver(spec).deploy(props);
    expect(outcome).toMatchObject({ ok: false, error: expect.stringMatching(/exists already, and this stack did not create it.*delete-source-repository/) });
    expect(spec.w.codecatalyst.spaces.get('acme')!.projects.get('web')!.repositories.has('infra')).toBe(true);
  });

  test('a name that exists already fails the create pointing at fromSourceRepositoryAttributes, and the existing one is kept', async () => {
    const spec = world();
    const driver = new LifecycleDriver(spec);
    const outcome = await driver.deploy({ ...props, RepositoryName: 'docs' });
    expect(outcome).toMatchObject({ ok: false, error: expect.stringMatching(/exists already.*fromSourceRepositoryAttributes\(this, 'Repository', \{ project, sourceRepositoryName: '[^']+' \}\)/) });
    expect(spec.w.codecatalyst.spaces.get('acme')!.projects.get('web')!.repositories.has('docs')).toBe(true);
    expectConsistent(driver, [outcome], false);
  });
});

describe('branch', () => {
  const props = { ...base, ProjectName: 'web', RepositoryName: 'web-app', BranchName: 'release' };
  function world() {
    const w = fakes();
    const removed = new Set<string>();
    const created = new Set<string>();
    const branchKey = (p: Props) => `${p.RepositoryName}:${p.BranchName}`;
    const create = w.codecatalyst.createSourceRepositoryBranch.bind(w.codecatalyst);
    w.codecatalyst.createSourceRepositoryBranch = input => {
      const out = create(input);
      created.add(`${input.sourceRepositoryName}:${input.name}`);
      return out;
    };
    return {
      w,
      ...common(w, 'branch'),
      handlers: routedHandlers(BRANCH_FAMILY.resourceType),
      // The template's branch exists; no branch the stack ever had is deleted (there is no API for it), unless someone
      // removed it by hand.
      invariant: (view: TemplateView<Props>) => {
        const repos = w.codecatalyst.spaces.get('acme')!.projects.get('web')!.repositories;
        const problems = [...created].filter(key => !removed.has(key) && !repos.get(key.split(':')[0])?.branches.has(key.split(':')[1]))
          .map(key => `branch ${key} is gone`);
        if (view.props) {
          if (!repos.get(String(view.props.RepositoryName))?.branches.has(String(view.props.BranchName))) problems.push(`the template's branch ${branchKey(view.props)} does not exist`);
          if (view.attributes.GitRef !== `refs/heads/${view.props.BranchName}`) problems.push(`attribute GitRef ${view.attributes.GitRef}`);
        }
        return problems;
      },
      removeOutOfBand: (p: Props) => {
        removed.add(branchKey(p));
        w.codecatalyst.spaces.get('acme')!.projects.get('web')!.repositories.get(String(p.RepositoryName))!.branches.delete(String(p.BranchName));
      },
    };
  }

  inBothTokenModes({
    family: 'codecatalyst branch',
    props,
    updates: [
      // The head commit is only where the branch starts: a new one changes nothing.
      { name: 'head commit', kind: 'no-op', props: { ...props, HeadCommitId: HEAD } },
      { name: 'token secret', kind: 'no-op', props: { ...props, ...otherSecret } },
      { name: 'name', kind: 'replacement', props: { ...props, BranchName: 'hotfix' } },
      { name: 'other repository', kind: 'replacement', props: { ...props, RepositoryName: 'docs' } },
    ],
    world,
  });

  test('a branch created at a head commit starts there and reports it', async () => {
    const spec = world();
    const driver = new LifecycleDriver(spec);
    expectConsistent(driver, [await driver.deploy({ ...props, HeadCommitId: HEAD })]);
    expect(driver.view.attributes.HeadCommitId).toBe(HEAD);
    expect(spec.w.codecatalyst.spaces.get('acme')!.projects.get('web')!.repositories.get('web-app')!.branches.get('release')!.headCommitId).toBe(HEAD);
  });

  test('a branch that exists already is taken as it is', async () => {
    const spec = world();
    const driver = new LifecycleDriver(spec);
    expectConsistent(driver, [await driver.deploy({ ...props, BranchName: 'main' })]);
    expect(driver.view.attributes).toMatchObject({ Name: 'main', GitRef: 'refs/heads/main' });
  });

  test('a branch deleted by hand is created again by the next update', async () => {
    const spec = world();
    const driver = new LifecycleDriver(spec);
    expectConsistent(driver, [await driver.deploy(props)]);
    spec.w.codecatalyst.spaces.get('acme')!.projects.get('web')!.repositories.get('web-app')!.branches.delete('release');
    expectConsistent(driver, [await driver.deploy({ ...props, ...otherSecret })]);
  });
});

describe('dev environment', () => {
  const props = {
    ...base,
    ...DEV_ENVIRONMENT,
    ...WAIT,
  };
  function world() {
    const w = fakes();
    return {
      w,
      ...common(w, 'devEnvironment'),
      handlers: routedHandlers(DEV_ENVIRONMENT_FAMILY.resourceType),
      // Exactly the environment the physical id names is alive, in the desired state, with the template's settings.
      invariant: (view: TemplateView<Props>) => {
        const live = ['web', 'mobile'].flatMap(p => w.codecatalyst.liveEnvironments('acme', p));
        if (!view.props) return live.map(e => `dev environment ${e.id} is left ${e.status}`);
        const p = view.props;
        const problems = live.filter(e => e.id !== view.physicalId).map(e => `dev environment ${e.id} is left ${e.status} (the stack's is ${view.physicalId})`);
        const mine = w.codecatalyst.liveEnvironments('acme', String(p.ProjectName)).find(e => e.id === view.physicalId);
        if (!mine) return [...problems, `the stack's dev environment ${view.physicalId} does not exist`];
        const expected = {
          status: p.DesiredState,
          instanceType: p.InstanceType,
          alias: p.Alias,
          storage: p.StorageGiB,
          timeout: p.InactivityTimeoutMinutes,
          ide: p.IdeName,
          repositories: (p.Repositories as Props[] | undefined ?? []).map(r => r.RepositoryName),
        };
        const actual = {
          status: mine.status,
          instanceType: mine.instanceType,
          alias: mine.alias,
          storage: mine.storageGiB,
          timeout: mine.inactivityTimeoutMinutes,
          ide: mine.ides[0]?.name,
          repositories: mine.repositories.map(r => r.repositoryName),
        };
        if (JSON.stringify(expected) !== JSON.stringify(actual)) problems.push(`dev environment ${mine.id} is ${JSON.stringify(actual)}, the template says ${JSON.stringify(expected)}`);
        if (mine.creator !== 'alice') problems.push(`dev environment ${mine.id} belongs to ${mine.creator}`);
        return problems;
      },
      removeOutOfBand: (p: Props) => {
        const envs = w.codecatalyst.spaces.get('acme')!.projects.get(String(p.ProjectName))!.devEnvironments;
        envs.clear();
      },
      hold: () => {
        w.codecatalyst.holdStatus = 'STARTING';
        return () => { w.codecatalyst.holdStatus = undefined; };
      },
    };
  }

  inBothTokenModes({
    family: 'codecatalyst dev environment',
    props,
    waits: true,
    updates: [
      { name: 'alias', kind: 'in-place', props: { ...props, Alias: 'alice-web' } },
      { name: 'alias removed', kind: 'in-place', props: { ...props, Alias: undefined } },
      { name: 'instance type', kind: 'in-place', props: { ...props, InstanceType: 'dev.standard1.large' } },
      { name: 'IDE', kind: 'in-place', props: { ...props, IdeName: 'IntelliJ', IdeRuntime: 'public.ecr.aws/jetbrains/iu:release' } },
      { name: 'inactivity timeout', kind: 'in-place', props: { ...props, InactivityTimeoutMinutes: 60 } },
      { name: 'stopped', kind: 'in-place', props: { ...props, DesiredState: 'STOPPED' } },
      { name: 'wait timeout', kind: 'no-op', props: { ...props, TimeoutSeconds: 1800 } },
      { name: 'token secret', kind: 'no-op', props: { ...props, ...otherSecret } },
      { name: 'storage', kind: 'replacement', props: { ...props, StorageGiB: 32 } },
      { name: 'repositories', kind: 'replacement', props: { ...props, Repositories: [{ RepositoryName: 'docs' }] } },
      { name: 'other project', kind: 'replacement', props: { ...props, ProjectName: 'mobile', Repositories: undefined } },
    ],
    world,
  });

  test('an environment its owner deleted is created again by the next update, even a token-only one; the old id\'s Delete succeeds', async () => {
    const spec = world();
    const driver = new LifecycleDriver(spec);
    const created = await driver.deploy(props);
    const before = driver.view.physicalId;
    spec.removeOutOfBand(props);
    const updated = await driver.deploy({ ...props, ...otherSecret });
    expect(driver.view.physicalId).not.toBe(before);
    expectConsistent(driver, [created, updated]);
  });

  test('an environment its owner deleted: an update that is rolled back succeeds, and so does its rollback; the next deployment recreates it', async () => {
    const spec = world();
    const driver = new LifecycleDriver(spec);
    const created = await driver.deploy(props);
    spec.removeOutOfBand(props);
    const rolledBack = await driver.deployThenRollback({ ...props, Alias: 'alice-web' });
    expect(rolledBack).toEqual({ ok: true, cleanupErrors: [], rollbackErrors: [] });
    expectConsistent(driver, [created, await driver.deploy(props)]);
  });

  test('an environment created STOPPED is started, then stopped, and the deployment completes when it is STOPPED', async () => {
    const spec = world();
    const driver = new LifecycleDriver(spec);
    expectConsistent(driver, [await driver.deploy({ ...props, DesiredState: 'STOPPED' })]);
    expect(spec.w.codecatalyst.requests.map(r => r.operation)).toContain('StopDevEnvironment');
  });

  test('an environment stopped by its inactivity timeout is started again by the next deployment that asks for RUNNING', async () => {
    const spec = world();
    const driver = new LifecycleDriver(spec);
    expectConsistent(driver, [await driver.deploy({ ...props, DesiredState: 'STOPPED' })]);
    expectConsistent(driver, [await driver.deploy(props)]);
    expect(spec.w.codecatalyst.requests.map(r => r.operation)).toContain('StartDevEnvironment');
  });

  test('an environment that FAILED fails the deployment with its reason; the rollback deletes it', async () => {
    const spec = world();
    spec.w.codecatalyst.failStarts = 'The instance could not be provisioned';
    const driver = new LifecycleDriver(spec);
    const outcome = await driver.deploy(props);
    expect(outcome).toMatchObject({ ok: false, error: expect.stringMatching(/it FAILED: The instance could not be provisioned/) });
    expectConsistent(driver, [outcome], false);
  });

  test('the tier\'s dev environment limit fails the create with the 402 advice', async () => {
    const spec = world();
    spec.w.codecatalyst.tierLimit = { devEnvironments: 0 };
    const driver = new LifecycleDriver(spec);
    const outcome = await driver.deploy(props);
    expect(outcome).toMatchObject({ ok: false, error: expect.stringMatching(/ServiceQuotaExceededException.*billing tier/) });
    expectConsistent(driver, [outcome], false);
  });

  test('an environment deleted by hand during the wait fails the deployment saying so', async () => {
    const spec = world();
    const driver = new LifecycleDriver(spec);
    const outcome = await driver.deploy(props, {
      beforePoll: poll => {
        if (poll !== 1) return;
        // Someone deletes it in the console; the deletion takes a while.
        spec.w.codecatalyst.liveEnvironments('acme', 'web').forEach(e => { e.status = 'DELETING'; });
        spec.w.codecatalyst.holdStatus = 'DELETING';
      },
    });
    expect(outcome).toMatchObject({ ok: false, error: expect.stringMatching(/it is DELETING: someone deleted it outside the stack/) });
  });

  test('an environment deleted by hand and gone before the poll fails the deployment saying to deploy again', async () => {
    const spec = world();
    const driver = new LifecycleDriver(spec);
    const outcome = await driver.deploy(props, { beforePoll: poll => { if (poll === 1) spec.w.codecatalyst.spaces.get('acme')!.projects.get('web')!.devEnvironments.clear(); } });
    expect(outcome).toMatchObject({ ok: false, error: expect.stringMatching(/deleted outside the stack; deploy again to create a new one/) });
    expectConsistent(driver, [outcome], false);
  });
});

describe('workflow run', () => {
  const props = {
    ...base,
    ProjectName: 'web',
    WorkflowName: 'build',
    RepositoryName: 'web-app',
    BranchName: 'main',
    Trigger: 'v1',
    Wait: true,
    ...WAIT,
  };
  function world() {
    const w = fakes();
    return {
      w,
      ...common(w, 'workflowRun'),
      handlers: routedHandlers(WORKFLOW_RUN_FAMILY.resourceType),
      // The run the physical id names exists, ran the template's workflow and, when the template waits, SUCCEEDED.
      invariant: (view: TemplateView<Props>) => {
        if (!view.props) return [];
        const runs = w.codecatalyst.spaces.get('acme')!.projects.get(String(view.props.ProjectName))!.runs;
        const run = runs.find(r => r.id === runIdOf(view.physicalId));
        if (!run) return [`the physical id ${view.physicalId} names no run`];
        const workflow = w.codecatalyst.spaces.get('acme')!.projects.get(String(view.props.ProjectName))!.workflows.find(x => x.id === run.workflowId);
        const problems: string[] = [];
        const expected = view.props.WorkflowId ?? view.props.WorkflowName;
        if (workflow?.id !== expected && workflow?.name !== expected) problems.push(`run ${run.id} ran workflow ${workflow?.name}, the template says ${expected}`);
        if (view.props.Wait === true && run.status !== 'SUCCEEDED') problems.push(`run ${run.id} is ${run.status}`);
        if (view.attributes.RunId !== run.id) problems.push(`attribute RunId ${view.attributes.RunId}`);
        return problems;
      },
      removeOutOfBand: () => { w.codecatalyst.spaces.get('acme')!.projects.get('web')!.runs.length = 0; },
      outOfBand: 'not recreated' as const,
      hold: () => {
        w.codecatalyst.runPlan = 'HANG';
        return () => { w.codecatalyst.runPlan = 'SUCCEEDED'; };
      },
    };
  }

  inBothTokenModes({
    family: 'codecatalyst workflow run',
    props,
    waits: true,
    updates: [
      { name: 'wait timeout', kind: 'no-op', props: { ...props, TimeoutSeconds: 1800 } },
      // Without the wait, the construct renders no wait's settings.
      { name: 'no wait', kind: 'no-op', props: { ...props, Wait: false, TimeoutSeconds: undefined, PollIntervalSeconds: undefined } },
      { name: 'token secret', kind: 'no-op', props: { ...props, ...otherSecret } },
      { name: 'trigger', kind: 'replacement', props: { ...props, Trigger: 'v2' } },
      { name: 'other workflow', kind: 'replacement', props: { ...props, WorkflowName: 'release' } },
      {
        name: 'workflow by id',
        kind: 'replacement',
        props: { ...base, ProjectName: 'web', WorkflowId: WORKFLOW_ID, Trigger: 'v1', Wait: true, ...WAIT },
      },
    ],
    world,
  });

  test('a failed run fails the deployment with its status', async () => {
    const spec = world();
    spec.w.codecatalyst.runPlan = 'FAILED';
    const outcome = await new LifecycleDriver(spec).deploy(props);
    expect(outcome).toMatchObject({ ok: false, error: expect.stringMatching(/the run ended FAILED/) });
  });

  test('a workflow that is not on the branch fails naming the workflows there are', async () => {
    const spec = world();
    const outcome = await new LifecycleDriver(spec).deploy({ ...props, WorkflowName: 'deploy' });
    expect(outcome).toMatchObject({ ok: false, error: expect.stringMatching(/no such workflow; the repository has 'build' on main, 'release' on main/) });
  });
});

describe('SSO session: refreshes across a deployment', () => {
  // The longest wait a construct accepts (45 minutes): the access token expires in its middle.
  const LONG_WAIT = { ...WAIT, TimeoutSeconds: MAX_WAIT.toSeconds() };
  const sso = withSsoSession(base);
  const families: Record<string, keyof typeof policies> = {
    [DEV_ENVIRONMENT_FAMILY.resourceType]: 'devEnvironment', [WORKFLOW_RUN_FAMILY.resourceType]: 'workflowRun', [PROJECT_FAMILY.resourceType]: 'project',
  };
  function world(resourceType: string) {
    const w = fakes();
    return { w, ...common(w, families[resourceType]), handlers: routedHandlers(resourceType), invariant: () => [] };
  }
  /** What SSO OIDC answered, in order. */
  const grants = (w: Fakes) => w.ssooidc.requests.map(r => `${r.operation} ${r.error ?? 'ok'}`);
  /** The seeding commands, exactly as a person copies them. */
  const SEED = 'run `aws sso login --sso-session codecatalyst` (the sso-session of your AWS config with sso_registration_scopes = '
    + 'codecatalyst:read_write, as the codecatalyst README shows), then `aws secretsmanager put-secret-value --secret-id ' + `${SSO_SECRET} `
    + '--secret-string file://~/.aws/sso/cache/80af6f394d022e711b1b139544a1598b8c36fd60.json`';

  test('an access token that expires in the middle of a dev environment\'s wait is refreshed by a poll, and the wait goes on', async () => {
    const spec = world(DEV_ENVIRONMENT_FAMILY.resourceType);
    // 20 minutes of the access token are left: enough for the onEvent, not for the 30-minute start that follows.
    spec.clock.advance(40 * 60_000);
    spec.w.codecatalyst.holdStatus = 'STARTING';
    const first = sessionIn(spec.w, SSO_SECRET).accessToken;
    const outcome = await new LifecycleDriver(spec).deploy({ ...sso, ...DEV_ENVIRONMENT, ...LONG_WAIT }, {
      beforePoll: (_poll, startedAt) => { if (spec.clock.now() - startedAt >= 30 * 60_000) spec.w.codecatalyst.holdStatus = undefined; },
    });
    expect(outcome).toMatchObject({ ok: true });
    const refreshed = sessionIn(spec.w, SSO_SECRET).accessToken;
    expect(refreshed).not.toBe(first);
    // One refresh, written back and read by every later poll; CodeCatalyst never saw an expired token.
    expect(grants(spec.w)).toEqual(['CreateToken ok']);
    expect(spec.w.codecatalyst.requests.filter(r => r.error)).toEqual([]);
    expect(spec.w.codecatalyst.tokensSeen[0]).toBe(first);
    expect(spec.w.codecatalyst.tokensSeen.slice(-1)).toEqual([refreshed]);
    expect(spec.w.codecatalyst.tokens.get(first)!.expiresAt).toBeLessThan(spec.clock.now());
  });

  test('an access token that expires in the middle of a workflow run\'s wait is refreshed by a poll, and the wait goes on', async () => {
    const spec = world(WORKFLOW_RUN_FAMILY.resourceType);
    spec.clock.advance(40 * 60_000);
    spec.w.codecatalyst.runPlan = 'HANG';
    const first = sessionIn(spec.w, SSO_SECRET).accessToken;
    const props = { ...sso, ProjectName: 'web', WorkflowId: WORKFLOW_ID, Trigger: 'v1', Wait: true, ...LONG_WAIT };
    const outcome = await new LifecycleDriver(spec).deploy(props, {
      beforePoll: (_poll, startedAt) => {
        if (spec.clock.now() - startedAt >= 30 * 60_000) spec.w.codecatalyst.spaces.get('acme')!.projects.get('web')!.runs.forEach(r => { r.status = 'SUCCEEDED'; });
      },
    });
    expect(outcome).toMatchObject({ ok: true });
    expect(grants(spec.w)).toEqual(['CreateToken ok']);
    expect(spec.w.codecatalyst.requests.filter(r => r.error)).toEqual([]);
    expect(spec.w.codecatalyst.tokensSeen.slice(-1)).toEqual([sessionIn(spec.w, SSO_SECRET).accessToken]);
    expect(spec.w.codecatalyst.tokensSeen[0]).toBe(first);
  });

  test('two resources of one deployment refreshing at once keep the rotated refresh token', async () => {
    const spec = world(PROJECT_FAMILY.resourceType);
    const shop = new LifecycleDriver(spec, { logicalId: 'Shop' });
    const blog = new LifecycleDriver(spec, { logicalId: 'Blog' });
    spec.clock.advance(61 * 60_000);
    const outcomes = await Promise.all([shop.deploy({ ...sso, DisplayName: 'Shop' }), blog.deploy({ ...sso, DisplayName: 'Blog' })]);
    expect(outcomes.map(o => o.ok)).toEqual([true, true]);
    // Both found the access token expired and asked SSO OIDC; the second asked with the refresh token the first had
    // just rotated, was refused, and used the session the first wrote back.
    expect(grants(spec.w)).toEqual(['CreateToken ok', 'CreateToken InvalidGrantException']);
    const session = sessionIn(spec.w, SSO_SECRET);
    expect(spec.w.ssooidc.sessions.get(session.refreshToken)).toBeDefined();
    expect([...spec.w.codecatalyst.spaces.get('acme')!.projects.keys()]).toEqual(['web', 'mobile', 'shop', 'blog']);
    // An hour later the secret's refresh token still works.
    spec.clock.advance(61 * 60_000);
    expect(await shop.deploy({ ...sso, DisplayName: 'Shop', Description: 'The shop' })).toMatchObject({ ok: true });
    expect(grants(spec.w)).toEqual(['CreateToken ok', 'CreateToken InvalidGrantException', 'CreateToken ok']);
  });

  test('a person seeding the secret while a refresh writes back keeps their session: the swap refuses to go over it', async () => {
    const spec = world(PROJECT_FAMILY.resourceType);
    const driver = new LifecycleDriver(spec);
    spec.clock.advance(61 * 60_000);
    let seeded = '';
    spec.w.secretsmanager.beforeNext('UpdateSecretVersionStage', () => {
      seeded = JSON.stringify(spec.w.ssooidc.signIn(spec.w.registration, 'alice'));
      spec.w.secretsmanager.put(SSO_SECRET, seeded);
    });
    expectConsistent(driver, [await driver.deploy({ ...sso, DisplayName: 'Shop' })], true);
    expect(spec.w.secretsmanager.requests.map(r => `${r.operation} ${r.error ?? 'ok'}`)).toContain('UpdateSecretVersionStage InvalidParameterException');
    expect(spec.w.secretsmanager.current(SSO_SECRET)!.value).toBe(seeded);
  });

  test('a signed-out session fails the deployment at once with the two seeding commands; following them, it succeeds', async () => {
    const spec = world(PROJECT_FAMILY.resourceType);
    const driver = new LifecycleDriver(spec);
    const props = { ...sso, DisplayName: 'Shop' };
    expectConsistent(driver, [await driver.deploy(props)]);
    spec.w.ssooidc.signOut('alice');
    spec.clock.advance(61 * 60_000);
    const failed = await driver.deploy({ ...props, Description: 'The shop' });
    expect(failed.ok).toBe(false);
    expect(failed.error).toContain('SSO OIDC refused to refresh its access token (ExpiredTokenException: Refresh token has expired)');
    expect(failed.error).toContain(SEED);
    // `aws sso login --sso-session codecatalyst`, then `aws secretsmanager put-secret-value ...` with its cache file.
    spec.w.secretsmanager.put(SSO_SECRET, JSON.stringify(spec.w.ssooidc.signIn(spec.w.registration, 'alice')));
    expectConsistent(driver, [await driver.deploy({ ...props, Description: 'The shop' })]);
  });

  test('an expired client registration fails at once, without a refresh; a new sign-in (with a new registration) fixes it', async () => {
    const spec = world(PROJECT_FAMILY.resourceType);
    const driver = new LifecycleDriver(spec);
    const props = { ...sso, DisplayName: 'Shop' };
    expectConsistent(driver, [await driver.deploy(props)]);
    spec.clock.advance(91 * 86_400_000);
    const failed = await driver.deploy({ ...props, Description: 'The shop' });
    expect(failed.error).toMatch(/its client registration expired at 2026-04-01T00:00:00Z, so its access token .* cannot be refreshed/);
    expect(failed.error).toContain(SEED);
    expect(grants(spec.w)).toEqual([]);
    spec.w.secretsmanager.put(SSO_SECRET, JSON.stringify(spec.w.ssooidc.signIn(spec.w.ssooidc.registerClient(), 'alice')));
    expectConsistent(driver, [await driver.deploy({ ...props, Description: 'The shop' })]);
  });

  test('SSO OIDC throttling a refresh (SlowDown, which the SDK does not retry) is tried again with backoff', async () => {
    const spec = world(PROJECT_FAMILY.resourceType);
    const driver = new LifecycleDriver(spec);
    spec.clock.advance(61 * 60_000);
    spec.w.ssooidc.throttleNext(4);
    expectConsistent(driver, [await driver.deploy({ ...sso, DisplayName: 'Shop' })]);
    expect(grants(spec.w)).toEqual([...Array(4).fill('CreateToken SlowDownException'), 'CreateToken ok']);
  });
});
