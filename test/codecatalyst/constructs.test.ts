import { CfnResource, Duration, RemovalPolicy, Size, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { checkedSpace, everyConstruct, expectTwoKitRoles } from './every-construct';
import {
  AccessToken, DevEnvironment, DevEnvironmentInstanceType, DevEnvironmentState, Ide, ISpace, Project, ProjectProps, SourceRepository,
  SourceRepositoryBranch, SourceRepositoryBranchProps, SourceRepositoryProps, Space, SpaceCheck, Workflow, WorkflowRun,
} from '../../src/codecatalyst';
import {
  BRANCH_FAMILY, DEV_ENVIRONMENT_FAMILY, PROJECT_FAMILY, SOURCE_REPOSITORY_FAMILY, SPACE_FAMILY,
  WORKFLOW_RUN_FAMILY,
} from '../../src/codecatalyst/private/custom-resources/contract';
import { ValidationError } from '../../src/core/validation';
import { expectNagClean, kitRolesOf, testStack, waitBoundError } from '../kit';

const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:codecatalyst/token-AbCdEf';
const SPACE = { 'Fn::GetAtt': [Match.stringLikeRegexp('^SpaceCheck'), 'Name'] };
const PROJECT = { 'Fn::GetAtt': [Match.stringLikeRegexp('^Project'), 'Name'] };
const WORKFLOW_ID = '0a1b2c3d-1111-2222-3333-444455556666';

let stack: Stack;
let space: ISpace;
beforeEach(() => {
  stack = testStack();
  space = checkedSpace(stack, 'Space', 'acme-corp', AccessToken.fromSecret(secretsmanager.Secret.fromSecretCompleteArn(stack, 'Token', SECRET_ARN)));
});

function project(): Project {
  return new Project(stack, 'Project', { space, displayName: 'Storefront Web' });
}

describe('AccessToken and Space', () => {
  test('the space check sends the secret ARN and the space, never a token; its role may read that secret and its stack\'s status only', () => {
    new Project(stack, 'Project', { space, displayName: 'Storefront' });
    const template = Template.fromStack(stack);
    template.hasResourceProperties(SPACE_FAMILY.resourceType, { SpaceName: 'acme-corp', TokenSecretArn: SECRET_ARN, TokenJsonField: Match.absent() });
    template.hasResourceProperties(PROJECT_FAMILY.resourceType, { SpaceName: SPACE, TokenSecretArn: SECRET_ARN });
    expect(kitRolesOf(template, PROJECT_FAMILY.resourceType).map(r => r.statements)).toEqual([[{ Action: 'secretsmanager:GetSecretValue', Effect: 'Allow', Resource: SECRET_ARN }]]);
    // The space check also tells a rollback from a change (a space deleted since fails the one, not the other).
    expect(kitRolesOf(template, SPACE_FAMILY.resourceType).map(r => r.statements)).toEqual([[
      { Action: 'secretsmanager:GetSecretValue', Effect: 'Allow', Resource: SECRET_ARN },
      { Action: 'cloudformation:DescribeStacks', Effect: 'Allow', Resource: { Ref: 'AWS::StackId' } },
    ]]);
    // No IAM action of CodeCatalyst anywhere: it authorizes by the token.
    expect(JSON.stringify(template.toJSON())).not.toMatch(/codecatalyst:/);
  });

  test('a secret by name is granted with the six-character suffix; a JSON field is sent; a key-encrypted secret may be decrypted through Secrets Manager', () => {
    const key = new kms.Key(stack, 'Key');
    const secret = new secretsmanager.Secret(stack, 'Own', { encryptionKey: key });
    const byName = secretsmanager.Secret.fromSecretNameV2(stack, 'ByName', 'codecatalyst/other');
    checkedSpace(stack, 'OwnSpace', 'acme', AccessToken.fromSecret(secret, { jsonField: 'token' }));
    checkedSpace(stack, 'Named', 'acme', AccessToken.fromSecret(byName));
    const template = Template.fromStack(stack);
    template.hasResourceProperties(SPACE_FAMILY.resourceType, { TokenSecretArn: { Ref: Match.stringLikeRegexp('^Own') }, TokenJsonField: 'token' });
    const statements = kitRolesOf(template, SPACE_FAMILY.resourceType).map(r => r.statements);
    expect(statements).toContainEqual([
      { Action: 'secretsmanager:GetSecretValue', Effect: 'Allow', Resource: { Ref: expect.stringMatching(/^Own/) } },
      {
        Action: 'kms:Decrypt',
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^Key/), 'Arn'] },
        Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.us-east-1.amazonaws.com' } },
      },
      { Action: 'cloudformation:DescribeStacks', Effect: 'Allow', Resource: { Ref: 'AWS::StackId' } },
    ]);
    expect(JSON.stringify(statements)).toContain('secret:codecatalyst/other-??????');
  });

  test('Space.fromSpaceName adds nothing to the stack; what is created in it names the space as given', () => {
    const plain = Stack.of(space).node.tryFindChild('Space') as ISpace;
    new Project(stack, 'Unchecked', { space: plain, displayName: 'Storefront' });
    const template = Template.fromStack(stack);
    // The one space check is the SpaceCheck's: the import made none.
    expect(Object.keys(template.findResources(SPACE_FAMILY.resourceType))).toEqual([expect.stringMatching(/^SpaceCheck/)]);
    expect(plain.node.findAll().filter(c => CfnResource.isCfnResource(c))).toEqual([]);
    template.hasResourceProperties(PROJECT_FAMILY.resourceType, { DisplayName: 'Storefront', SpaceName: 'acme-corp' });
  });

  test('a SpaceCheck is the space, read through the check: its name and Region are the check\'s attributes, its token the space\'s', () => {
    const check = space as SpaceCheck;
    expect(stack.resolve(check.spaceName)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^SpaceCheck/), 'Name'] });
    expect(stack.resolve(check.spaceRegionName)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^SpaceCheck/), 'RegionName'] });
    expect(check.accessToken).toBe((Stack.of(space).node.findChild('Space') as ISpace).accessToken);
  });

  test('bad names and an empty JSON field fail at synth', () => {
    const token = AccessToken.fromSecret(secretsmanager.Secret.fromSecretCompleteArn(stack, 'T2', SECRET_ARN));
    expect(() => Space.fromSpaceName(stack, 'Bad', 'a', token)).toThrow(/invalid spaceName: 'a' has 1 character; CodeCatalyst allows 3 to 63 characters.*URL/);
    expect(() => Space.fromSpaceName(stack, 'Bad2', 'acme corp', token)).toThrow(/invalid spaceName: 'acme corp' does not match the pattern/);
    expect(() => AccessToken.fromSecret(secretsmanager.Secret.fromSecretCompleteArn(stack, 'T3', SECRET_ARN), { jsonField: ' ' }))
      .toThrow(/^TestStack\/T3: AccessToken.fromSecret: jsonField is ' ', an empty name; give the name of the JSON field that holds the token, e.g. \{ jsonField: 'token' \}/);
  });
});

describe('Project', () => {
  test('renders the display name and description, is retained by default (but by the rollback of its creation), and exposes the service-derived name', () => {
    const p = new Project(stack, 'Project', { space, displayName: 'Storefront Web', description: 'The web shop: front end, v2' });
    new Project(stack, 'Scratch', { space, displayName: 'Scratch', removalPolicy: RemovalPolicy.DESTROY });
    const template = Template.fromStack(stack);
    template.hasResource(PROJECT_FAMILY.resourceType, {
      Properties: { DisplayName: 'Storefront Web', Description: 'The web shop: front end, v2', SpaceName: SPACE },
      DeletionPolicy: 'RetainExceptOnCreate',
      UpdateReplacePolicy: 'Retain',
    });
    template.hasResource(PROJECT_FAMILY.resourceType, { Properties: { DisplayName: 'Scratch', Description: Match.absent() }, DeletionPolicy: 'Delete' });
    expect(stack.resolve(p.projectName)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Project/), 'Name'] });
    expect(p.projectDisplayName).toBe('Storefront Web');
    expect(p.space).toBe(space);
  });

  test.each<[string, Omit<ProjectProps, 'space'>, RegExp]>([
    ['displayName', { displayName: 'ab' }, /invalid displayName: 'ab' has 2 characters; CodeCatalyst allows 3 to 63/],
    ['displayName', { displayName: ' Web' }, /invalid displayName: ' Web' does not match the pattern/],
    ['displayName', { displayName: 'x'.repeat(64) }, /allows 3 to 63 characters/],
    ['description', { displayName: 'Web', description: '-starts with a dash' }, /^TestStack\/P: invalid description: "-starts with a dash" starts with "-"; a project description starts with a letter or digit, and continues with letters, digits, spaces, tabs, line breaks and -_\.,;:\/\+=\?&\$% only\. Leave the description out, or write it as e\.g\. 'The web shop: front end, v2'$/],
    ['description', { displayName: 'Web', description: 'Shop (new)\nSee #1' }, /invalid description: "Shop \(new\)\\nSee #1" has "\(", "\)", "#"; a project description starts with a letter or digit/],
    ['description', { displayName: 'Web', description: 'a'.repeat(201) }, /has 201 characters; CodeCatalyst allows 0 to 200/],
  ])('a bad %s fails at synth', (_prop, props, message) => {
    expect(() => new Project(stack, 'P', { space, ...props })).toThrow(message);
  });

  test('fromProjectAttributes imports by name and checks it', () => {
    const imported = Project.fromProjectAttributes(stack, 'Imported', { space, projectName: 'storefront-web' });
    expect(imported.projectName).toBe('storefront-web');
    expect(imported.space).toBe(space);
    expect(() => Project.fromProjectAttributes(stack, 'Bad', { space, projectName: 'Storefront Web' })).toThrow(/invalid projectName: 'Storefront Web' does not match.*not its display name/);
  });
});

describe('SourceRepository and SourceRepositoryBranch', () => {
  test('a repository renders its project, name and description, is retained by default (but by the rollback of its creation), and exposes its clone URL', () => {
    const repo = new SourceRepository(stack, 'Repo', { project: project(), sourceRepositoryName: 'storefront-web', description: 'The code' });
    const template = Template.fromStack(stack);
    template.hasResource(SOURCE_REPOSITORY_FAMILY.resourceType, {
      Properties: { ProjectName: PROJECT, RepositoryName: 'storefront-web', Description: 'The code', SpaceName: SPACE },
      DeletionPolicy: 'RetainExceptOnCreate',
      UpdateReplacePolicy: 'Retain',
    });
    expect(stack.resolve(repo.sourceRepositoryCloneUrlHttps)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Repo/), 'CloneUrlHttps'] });
    expect(stack.resolve(repo.sourceRepositoryName)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Repo/), 'Name'] });
  });

  test.each<[Omit<SourceRepositoryProps, 'project'>, RegExp]>([
    [{ sourceRepositoryName: 'web.git' }, /invalid sourceRepositoryName: 'web.git' does not match.*do not end the name in \.git/],
    [{ sourceRepositoryName: '' }, /has 0 characters; CodeCatalyst allows 1 to 100/],
    [{ sourceRepositoryName: 'my repo' }, /does not match the pattern/],
    [{ sourceRepositoryName: 'web', description: '' }, /invalid description: '' has 0 characters; CodeCatalyst allows 1 to 255/],
  ])('a bad repository prop fails at synth: %j', (props, message) => {
    expect(() => new SourceRepository(stack, 'R', { project: project(), ...props })).toThrow(message);
  });

  test('a branch renders its repository, name and head commit; it has no removal policy of its own', () => {
    const p = project();
    const repo = SourceRepository.fromSourceRepositoryAttributes(stack, 'Linked', { project: p, sourceRepositoryName: 'storefront-web' });
    const branch = new SourceRepositoryBranch(stack, 'Release', { repository: repo, branchName: 'release/1.x', headCommitId: 'a'.repeat(40) });
    new SourceRepositoryBranch(stack, 'Feature', { repository: repo, branchName: 'feature' });
    const template = Template.fromStack(stack);
    template.hasResourceProperties(BRANCH_FAMILY.resourceType, {
      ProjectName: PROJECT, RepositoryName: 'storefront-web', BranchName: 'release/1.x', HeadCommitId: 'a'.repeat(40), SpaceName: SPACE,
    });
    template.hasResourceProperties(BRANCH_FAMILY.resourceType, { BranchName: 'feature', HeadCommitId: Match.absent() });
    expect(stack.resolve(branch.branchRef)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Release/), 'GitRef'] });
    expect(stack.resolve(branch.branchHeadCommitId)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Release/), 'HeadCommitId'] });
  });

  test.each<[Omit<SourceRepositoryBranchProps, 'repository'>, RegExp]>([
    [{ branchName: '' }, /invalid branchName: '' has 0 characters/],
    [{ branchName: 'b'.repeat(101) }, /has 101 characters; CodeCatalyst allows 1 to 100/],
    [{ branchName: 'my branch' }, /not a valid Git branch name/],
    [{ branchName: 'release..1' }, /not a valid Git branch name/],
    [{ branchName: 'main', headCommitId: 'abc' }, /invalid headCommitId: 'abc' is not a full Git commit id/],
  ])('a bad branch prop fails at synth: %j', (props, message) => {
    const repo = SourceRepository.fromSourceRepositoryAttributes(stack, 'R', { project: project(), sourceRepositoryName: 'web' });
    expect(() => new SourceRepositoryBranch(stack, 'B', { repository: repo, ...props })).toThrow(message);
  });
});

describe('one project', () => {
  test('a DevEnvironment refuses a repository of another project', () => {
    const p = project();
    const other = new Project(stack, 'Other', { space, displayName: 'Docs' });
    const repo = new SourceRepository(stack, 'Repo', { project: other, sourceRepositoryName: 'docs' });
    expect(() => new DevEnvironment(stack, 'E', { project: p, instanceType: DevEnvironmentInstanceType.STANDARD1_SMALL, repositories: [{ repository: repo }] }))
      .toThrow(/^TestStack\/E: invalid repositories\[0\]: repository TestStack\/Repo belongs to project TestStack\/Other, but the environment is in project TestStack\/Project; a dev environment clones repositories of its own project only\. Pass a repository of that project, e\.g\. SourceRepository\.fromSourceRepositoryAttributes\(this, 'Web', \{ project, sourceRepositoryName: 'web' \}\), or create the environment in the repository's project$/);
    const imported = SourceRepository.fromSourceRepositoryAttributes(stack, 'Imported', { project: Project.fromProjectAttributes(stack, 'Wiki', { space, projectName: 'wiki' }), sourceRepositoryName: 'pages' });
    expect(() => new DevEnvironment(stack, 'E2', {
      project: Project.fromProjectAttributes(stack, 'Shop', { space, projectName: 'shop' }), instanceType: DevEnvironmentInstanceType.STANDARD1_SMALL, repositories: [{ repository: imported }],
    })).toThrow(/repository TestStack\/Imported belongs to project 'wiki' \(TestStack\/Wiki\), but the environment is in project 'shop' \(TestStack\/Shop\)/);
  });

  test('a DevEnvironment takes a repository of its project, also through another import of the same name', () => {
    const shop = Project.fromProjectAttributes(stack, 'Shop', { space, projectName: 'shop' });
    const repo = SourceRepository.fromSourceRepositoryAttributes(stack, 'Web', { project: Project.fromProjectAttributes(stack, 'ShopAgain', { space, projectName: 'shop' }), sourceRepositoryName: 'web' });
    new DevEnvironment(stack, 'E', { project: shop, instanceType: DevEnvironmentInstanceType.STANDARD1_SMALL, repositories: [{ repository: repo }] });
    Template.fromStack(stack).resourceCountIs(DEV_ENVIRONMENT_FAMILY.resourceType, 1);
  });

  test('two SourceRepositories of one name in one project fail at synth, naming each other', () => {
    const p = project();
    new SourceRepository(stack, 'Web', { project: p, sourceRepositoryName: 'web' });
    new SourceRepository(stack, 'WebAgain', { project: p, sourceRepositoryName: 'web' });
    new SourceRepository(stack, 'Docs', { project: p, sourceRepositoryName: 'docs' });
    new SourceRepository(stack, 'OtherWeb', { project: new Project(stack, 'Other', { space, displayName: 'Other' }), sourceRepositoryName: 'web' });
    expect(() => Template.fromStack(stack)).toThrow(/\[TestStack\/Web\] sourceRepositoryName 'web' is also the name of TestStack\/WebAgain in the same project TestStack\/Project; CodeCatalyst keeps one repository per name in a project\. Give each a name of its own, e\.g\. 'web-2', or define the repository once and pass that construct where it is used/);
    expect(() => Template.fromStack(stack)).not.toThrow(/OtherWeb\]|Docs\]/);
  });
});

describe('DevEnvironment', () => {
  test('defaults: 16 GiB, VS Code, 15 minutes, running, retained, a 20-minute wait polled every 15 seconds', () => {
    const env = new DevEnvironment(stack, 'Env', { project: project(), instanceType: DevEnvironmentInstanceType.STANDARD1_SMALL });
    const template = Template.fromStack(stack);
    template.hasResource(DEV_ENVIRONMENT_FAMILY.resourceType, {
      Properties: {
        ProjectName: PROJECT,
        InstanceType: 'dev.standard1.small',
        StorageGiB: 16,
        IdeName: 'VSCode',
        IdeRuntime: Match.absent(),
        InactivityTimeoutMinutes: 15,
        Alias: Match.absent(),
        Repositories: Match.absent(),
        VpcConnectionName: Match.absent(),
        DesiredState: 'RUNNING',
        TimeoutSeconds: 1200,
        PollIntervalSeconds: 15,
        ServiceTimeout: '3600',
      },
      // Kept when it leaves the stack or is replaced, but deleted by the rollback of the deployment that created it.
      DeletionPolicy: 'RetainExceptOnCreate',
      UpdateReplacePolicy: 'Retain',
    });
    expect(stack.resolve(env.devEnvironmentId)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Env/), 'Id'] });
  });

  test('renders every prop', () => {
    const p = project();
    const repo = new SourceRepository(stack, 'Repo', { project: p, sourceRepositoryName: 'web' });
    new DevEnvironment(stack, 'Env', {
      project: p,
      instanceType: DevEnvironmentInstanceType.STANDARD1_XLARGE,
      persistentStorage: Size.gibibytes(64),
      ide: Ide.intelliJ('public.ecr.aws/jetbrains/iu:release'),
      inactivityTimeout: Duration.hours(20),
      alias: 'alice-web',
      repositories: [{ repository: repo, branchName: 'develop' }, { repository: SourceRepository.fromSourceRepositoryAttributes(stack, 'Docs', { project: p, sourceRepositoryName: 'docs' }) }],
      vpcConnectionName: 'build-vpc',
      desiredState: DevEnvironmentState.STOPPED,
      timeout: Duration.minutes(45),
      pollInterval: Duration.seconds(30),
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Template.fromStack(stack).hasResource(DEV_ENVIRONMENT_FAMILY.resourceType, {
      Properties: {
        InstanceType: 'dev.standard1.xlarge',
        StorageGiB: 64,
        IdeName: 'IntelliJ',
        IdeRuntime: 'public.ecr.aws/jetbrains/iu:release',
        InactivityTimeoutMinutes: 1200,
        Alias: 'alice-web',
        VpcConnectionName: 'build-vpc',
        DesiredState: 'STOPPED',
        Repositories: [
          { RepositoryName: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Repo'), 'Name'] }, BranchName: 'develop' },
          { RepositoryName: 'docs' },
        ],
        TimeoutSeconds: 2700,
        PollIntervalSeconds: 30,
      },
      DeletionPolicy: 'Delete',
    });
  });

  test.each([
    ['instance type', { instanceType: DevEnvironmentInstanceType.of('dev.gpu1.small') }, /invalid instanceType: 'dev.gpu1.small' is not one of dev.standard1.small/],
    ['storage', { persistentStorage: Size.gibibytes(20) }, /invalid persistentStorage: 20 GiB; CodeCatalyst allows 16, 32 or 64 GiB/],
    ['storage in MiB', { persistentStorage: Size.mebibytes(100) }, /invalid persistentStorage: 0.09765625 GiB/],
    ['IDE', { ide: Ide.of('Emacs') }, /invalid ide: 'Emacs' is not one of Cloud9, IntelliJ, PyCharm, GoLand, VSCode/],
    ['IDE runtime', { ide: Ide.pyCharm('') }, /invalid ide runtime: '' has 0 characters/],
    ['inactivity', { inactivityTimeout: Duration.minutes(1201) }, /invalid inactivityTimeout \(minutes\): 1201 is out of range; CodeCatalyst allows 0 to 1200/],
    ['inactivity fraction', { inactivityTimeout: Duration.seconds(90) }, /inactivityTimeout: 1 minute 30 seconds is not a whole number of minutes/],
    ['alias', { alias: 'alice web' }, /invalid alias: 'alice web' does not match/],
    ['alias length', { alias: 'a'.repeat(129) }, /has 129 characters; CodeCatalyst allows 1 to 128/],
    ['VPC connection', { vpcConnectionName: 'v' }, /invalid vpcConnectionName: 'v' has 1 character/],
    ['timeout', { timeout: Duration.minutes(46) }, waitBoundError('TestStack/E', 'timeout', '46 minutes')],
    ['poll interval', { pollInterval: Duration.seconds(2) }, /pollInterval must be a whole number of seconds between 5 seconds and 5 minutes/],
  ])('a bad %s fails at synth', (_name, props, message) => {
    expect(() => new DevEnvironment(stack, 'E', { project: project(), instanceType: DevEnvironmentInstanceType.STANDARD1_SMALL, ...props })).toThrow(message);
  });

  test('a bad repository branch fails at synth; fromDevEnvironmentAttributes imports and checks the id', () => {
    const p = project();
    const repo = SourceRepository.fromSourceRepositoryAttributes(stack, 'R', { project: p, sourceRepositoryName: 'web' });
    expect(() => new DevEnvironment(stack, 'E', { project: p, instanceType: DevEnvironmentInstanceType.STANDARD1_SMALL, repositories: [{ repository: repo, branchName: '' }] }))
      .toThrow(/invalid repositories\[0\].branchName: '' has 0 characters/);
    expect(() => new DevEnvironment(stack, 'E2', { project: p, instanceType: DevEnvironmentInstanceType.STANDARD1_SMALL, repositories: [{ repository: repo, branchName: 'feature/' }] }))
      .toThrow(/invalid repositories\[0\].branchName: 'feature\/' is not a valid Git branch name/);
    expect(DevEnvironment.fromDevEnvironmentAttributes(stack, 'I', { project: p, devEnvironmentId: WORKFLOW_ID }).devEnvironmentId).toBe(WORKFLOW_ID);
    expect(() => DevEnvironment.fromDevEnvironmentAttributes(stack, 'I2', { project: p, devEnvironmentId: 'env-1' })).toThrow(/invalid devEnvironmentId: 'env-1' does not match/);
  });
});

describe('WorkflowRun', () => {
  test('by name: the repository, branch (main by default) and trigger, and a bounded wait', () => {
    const p = project();
    const repo = new SourceRepository(stack, 'Repo', { project: p, sourceRepositoryName: 'web' });
    const run = new WorkflowRun(stack, 'Deploy', { project: p, workflow: Workflow.fromName(repo, 'Deploy'), trigger: 'v1.2.0', waitForSuccess: true });
    new WorkflowRun(stack, 'Nightly', { project: p, workflow: Workflow.fromId(WORKFLOW_ID) });
    new WorkflowRun(stack, 'Release', { project: p, workflow: Workflow.fromName(repo, 'Release', 'release/1.x') });
    const template = Template.fromStack(stack);
    template.hasResourceProperties(WORKFLOW_RUN_FAMILY.resourceType, {
      ProjectName: PROJECT,
      WorkflowName: 'Deploy',
      RepositoryName: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Repo'), 'Name'] },
      BranchName: 'main',
      WorkflowId: Match.absent(),
      Trigger: 'v1.2.0',
      Wait: 'true',
      TimeoutSeconds: 2700,
      PollIntervalSeconds: 30,
      ServiceTimeout: '3600',
    });
    template.hasResourceProperties(WORKFLOW_RUN_FAMILY.resourceType, {
      WorkflowId: WORKFLOW_ID,
      WorkflowName: Match.absent(),
      RepositoryName: Match.absent(),
      BranchName: Match.absent(),
      Trigger: 'created',
      Wait: 'false',
      TimeoutSeconds: Match.absent(),
    });
    template.hasResourceProperties(WORKFLOW_RUN_FAMILY.resourceType, { WorkflowName: 'Release', BranchName: 'release/1.x', WorkflowId: Match.absent() });
    expect(stack.resolve(run.workflowRunId)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^DeployRun/), 'RunId'] });
    expect(stack.resolve(run.workflowId)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^DeployRun/), 'WorkflowId'] });
  });

  test.each([
    ['bad id', { workflow: Workflow.fromId('wf-1') }, /invalid workflowId: 'wf-1' does not match.*Workflow\.fromId/],
    ['timeout without wait', { timeout: Duration.minutes(5) }, /timeout only applies with waitForSuccess: true/],
    ['poll without wait', { pollInterval: Duration.seconds(10) }, /pollInterval only applies with waitForSuccess: true/],
    ['long wait', { waitForSuccess: true, timeout: Duration.hours(1) }, waitBoundError('TestStack/W', 'timeout', '1 hour')],
  ])('%s fails at synth', (_name, props, message) => {
    expect(() => new WorkflowRun(stack, 'W', { project: project(), workflow: Workflow.fromId(WORKFLOW_ID), ...props })).toThrow(message);
  });

  test('a workflow of a repository of another project fails at synth, naming both projects; of the same project (imported twice) it passes', () => {
    const shop = Project.fromProjectAttributes(stack, 'Shop', { space, projectName: 'shop' });
    const pages = SourceRepository.fromSourceRepositoryAttributes(stack, 'Pages', {
      project: Project.fromProjectAttributes(stack, 'Wiki', { space, projectName: 'wiki' }), sourceRepositoryName: 'pages',
    });
    expect(() => new WorkflowRun(stack, 'W', { project: shop, workflow: Workflow.fromName(pages, 'Build') }))
      .toThrow(/^TestStack\/W: invalid workflow: repository TestStack\/Pages belongs to project 'wiki' \(TestStack\/Wiki\), but the run is in project 'shop' \(TestStack\/Shop\); a run starts a workflow of its own project\./);
    const web = SourceRepository.fromSourceRepositoryAttributes(stack, 'Web', {
      project: Project.fromProjectAttributes(stack, 'ShopAgain', { space, projectName: 'shop' }), sourceRepositoryName: 'web',
    });
    new WorkflowRun(stack, 'W2', { project: shop, workflow: Workflow.fromName(web, 'Build') });
    Template.fromStack(stack).resourceCountIs(WORKFLOW_RUN_FAMILY.resourceType, 1);
  });

  test('a bad workflow name or branch fails at synth', () => {
    const p = project();
    const repo = SourceRepository.fromSourceRepositoryAttributes(stack, 'R', { project: p, sourceRepositoryName: 'web' });
    expect(() => new WorkflowRun(stack, 'W', { project: p, workflow: Workflow.fromName(repo, '') })).toThrow(/invalid workflowName: '' has 0 characters/);
    expect(() => new WorkflowRun(stack, 'W2', { project: p, workflow: Workflow.fromName(repo, 'D', 'b'.repeat(101)) })).toThrow(/invalid branchName/);
    expect(() => new WorkflowRun(stack, 'W3', { project: p, workflow: Workflow.fromName(repo, 'D', 'release..1') }))
      .toThrow(/invalid branchName: 'release..1' is not a valid Git branch name.*leave it out for main/);
  });
});

test('a stack of every CodeCatalyst construct is cdk-nag clean and shares one kit role, but the space and source repositories, which may read the stack', () => {
  const template = everyConstruct(stack, space);
  expectTwoKitRoles(template);
  expect(kitRolesOf(template, SOURCE_REPOSITORY_FAMILY.resourceType).map(r => r.statements)).toEqual([[
    { Action: 'secretsmanager:GetSecretValue', Effect: 'Allow', Resource: SECRET_ARN },
    { Action: 'cloudformation:DescribeStacks', Effect: 'Allow', Resource: { Ref: 'AWS::StackId' } },
  ]]);
  expectNagClean(stack);
});

describe('synth errors are ValidationErrors raised against the construct or the factory\'s scope', () => {
  /** The error `build` throws. */
  function errorOf(build: () => unknown): unknown {
    try {
      build();
    } catch (err) {
      return err;
    }
    throw new Error('expected an error');
  }

  test.each<[string, () => unknown, string]>([
    ['a token\'s empty JSON field', () => AccessToken.fromSecret(secretsmanager.Secret.fromSecretCompleteArn(stack, 'T', SECRET_ARN), { jsonField: '' }), 'TestStack/T'],
    ['an SSO session name', () => AccessToken.fromSsoSession(secretsmanager.Secret.fromSecretCompleteArn(stack, 'S', SECRET_ARN), { sessionName: 'a b' }), 'TestStack/S'],
    ['a project description', () => new Project(stack, 'P', { space, displayName: 'Web', description: '-x' }), 'TestStack/P'],
    ['a head commit', () => new SourceRepositoryBranch(stack, 'B', {
      repository: new SourceRepository(stack, 'R', { project: project(), sourceRepositoryName: 'web' }), branchName: 'b', headCommitId: 'HEAD',
    }), 'TestStack/B'],
    ['a storage size', () => new DevEnvironment(stack, 'E', {
      project: project(), instanceType: DevEnvironmentInstanceType.STANDARD1_SMALL, persistentStorage: Size.gibibytes(20),
    }), 'TestStack/E'],
    ['an inactivity timeout', () => new DevEnvironment(stack, 'E', {
      project: project(), instanceType: DevEnvironmentInstanceType.STANDARD1_SMALL, inactivityTimeout: Duration.seconds(90),
    }), 'TestStack/E'],
    ['a workflow name', () => {
      const repository = new SourceRepository(stack, 'R', { project: project(), sourceRepositoryName: 'web' });
      return new WorkflowRun(stack, 'W', { project: repository.project, workflow: Workflow.fromName(repository, 'x'.repeat(101)) });
    }, 'TestStack/W'],
  ])('%s', (_name, build, path) => {
    const error = errorOf(build);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).constructPath).toBe(path);
    expect((error as Error).message.startsWith(`${path}: `)).toBe(true);
    expect((error as Error).message.slice(path.length + 2)).not.toContain(`${path}:`);
  });
});
