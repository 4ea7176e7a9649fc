import { App, RemovalPolicy, Stack, Tags } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import { NagSuppressions } from 'cdk-nag';
import { Domain, ExternalConnection, PackageFormat, Repository } from '../../src/codeartifact';
import { WARNINGS } from '../../src/core/warnings';
import { expectNagClean, testApp, testStack } from '../kit';

const DOMAIN_ARN = { 'Fn::GetAtt': ['Domain66AC69E0', 'Arn'] };
const DOMAIN_NAME = { 'Fn::GetAtt': ['Domain66AC69E0', 'Name'] };
const DOMAIN_OWNER = { 'Fn::GetAtt': ['Domain66AC69E0', 'Owner'] };
const BEARER = {
  Action: 'sts:GetServiceBearerToken',
  Effect: 'Allow',
  Resource: '*',
  Condition: { StringEquals: { 'sts:AWSServiceName': 'codeartifact.amazonaws.com' } },
};
/** Read-only actions on the repository ARN (the service authorization reference's `repository` resource type). */
const READ = ['codeartifact:DescribeRepository', 'codeartifact:GetRepositoryEndpoint', 'codeartifact:ListPackages', 'codeartifact:ReadFromRepository'];
/** Read-only actions on package ARNs (the `package` resource type). */
const PACKAGE_READ = [
  'codeartifact:DescribePackage', 'codeartifact:DescribePackageVersion', 'codeartifact:GetPackageVersionReadme',
  'codeartifact:ListPackageVersionAssets', 'codeartifact:ListPackageVersionDependencies', 'codeartifact:ListPackageVersions',
];
const PUBLISH = ['codeartifact:PublishPackageVersion', 'codeartifact:PutPackageMetadata'];

function packageArn(repoLogicalId: string, suffix: string) {
  return {
    'Fn::Join': ['', [
      'arn:aws:codeartifact:us-east-1:', DOMAIN_OWNER, ':package/', DOMAIN_NAME, '/',
      { 'Fn::GetAtt': [repoLogicalId, 'Name'] }, suffix,
    ]],
  };
}

describe('Repository', () => {
  let app: App;
  let stack: Stack;
  let domain: Domain;
  let role: iam.Role;
  beforeEach(() => {
    app = testApp();
    stack = testStack(app);
    domain = new Domain(stack, 'Domain', { domainName: 'acme' });
    role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('codebuild.amazonaws.com') });
  });

  test('defaults: generated name, the domain by reference, RETAIN, no upstreams or connection', () => {
    const repository = new Repository(stack, 'Repo', { domain });
    Template.fromStack(stack).hasResource('AWS::CodeArtifact::Repository', {
      Properties: {
        RepositoryName: Match.stringLikeRegexp('^[A-Za-z0-9][A-Za-z0-9._-]{1,99}$'),
        DomainName: DOMAIN_NAME,
        DomainOwner: DOMAIN_OWNER,
        Description: Match.absent(),
        Upstreams: Match.absent(),
        ExternalConnections: Match.absent(),
        PermissionsPolicyDocument: Match.absent(),
      },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    expect(stack.resolve(repository.repositoryArn)).toEqual({ 'Fn::GetAtt': ['Repo02AC86CF', 'Arn'] });
    expect(stack.resolve(repository.repositoryName)).toEqual({ 'Fn::GetAtt': ['Repo02AC86CF', 'Name'] });
    expect(stack.resolve(repository.repositoryDomainName)).toEqual(DOMAIN_NAME);
    expect(stack.resolve(repository.repositoryDomainOwner)).toEqual(DOMAIN_OWNER);
    expect(repository.upstreams).toEqual([]);
    expectNagClean(stack);
  });

  test('name, description, external connection, removal policy and tags', () => {
    const repository = new Repository(stack, 'Repo', {
      domain,
      repositoryName: 'npm-store',
      description: 'npmjs proxy',
      externalConnection: ExternalConnection.NPMJS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Tags.of(repository).add('team', 'platform');
    Template.fromStack(stack).hasResource('AWS::CodeArtifact::Repository', {
      Properties: {
        RepositoryName: 'npm-store', Description: 'npmjs proxy', ExternalConnections: ['public:npmjs'], Tags: [{ Key: 'team', Value: 'platform' }],
      },
      DeletionPolicy: 'Delete',
    });
    expect(repository.externalConnection).toBe(ExternalConnection.NPMJS);
  });

  test('every listed external connection, and of()', () => {
    expect([
      ExternalConnection.NPMJS, ExternalConnection.NUGET_ORG, ExternalConnection.PYPI, ExternalConnection.MAVEN_CENTRAL,
      ExternalConnection.MAVEN_GOOGLE_ANDROID, ExternalConnection.MAVEN_GRADLE_PLUGINS, ExternalConnection.MAVEN_COMMONSWARE,
      ExternalConnection.MAVEN_CLOJARS, ExternalConnection.RUBY_GEMS_ORG, ExternalConnection.CRATES_IO,
    ].map(c => `${c.name} ${c.format.name}`)).toEqual([
      'public:npmjs npm', 'public:nuget-org nuget', 'public:pypi pypi', 'public:maven-central maven', 'public:maven-googleandroid maven',
      'public:maven-gradleplugins maven', 'public:maven-commonsware maven', 'public:maven-clojars maven', 'public:ruby-gems-org ruby',
      'public:crates-io cargo',
    ]);
    expect(ExternalConnection.of('public:new-registry', PackageFormat.of('newformat')).name).toBe('public:new-registry');
    expect(() => ExternalConnection.of('npmjs', PackageFormat.NPM)).toThrow(/start with 'public:'/);
    expect(() => ExternalConnection.of('public:bad name', PackageFormat.NPM)).toThrow(/does not match the pattern.*e.g. public:npmjs/);
    expect(() => PackageFormat.of('NPM')).toThrow(/invalid package format 'NPM'.*npm, pypi, maven, nuget, generic, ruby, swift, cargo/);
  });

  test.each([
    ['repositoryName', { repositoryName: 'x' }, /invalid repositoryName: 'x' has 1 character; CodeArtifact allows 2 to 100 characters; and it does not match the pattern .* that CodeArtifact requires\. Replace slashes, @ and spaces with hyphens .*e\.g\. npm-store/],
    ['repositoryName', { repositoryName: '-team' }, /invalid repositoryName: '-team' does not match/],
    ['repositoryName', { repositoryName: 'team/a' }, /invalid repositoryName: 'team\/a' does not match/],
    ['description', { description: 'x'.repeat(1001) }, /invalid description: .* has 1001 characters; CodeArtifact allows 0 to 1000 characters\. Keep it on one line/],
    ['description', { description: 'line\u0007bell' }, /invalid description: .*does not match.*\. Keep it on one line \(CodeArtifact refuses line breaks/],
  ])('fails an invalid %s', (_prop, props, error) => {
    expect(() => new Repository(stack, 'Repo', { domain, ...props })).toThrow(error);
  });

  test('fails a repositoryName already used in the domain, also by a repository defined elsewhere in the tree', () => {
    domain.addRepository('Team', { repositoryName: 'team' });
    expect(() => new Repository(stack, 'Again', { domain, repositoryName: 'team' })).toThrow(
      "TestStack/Again: repositoryName 'team' is already the name of TestStack/Domain/Team in the domain 'acme' (TestStack/Domain); "
      + 'CodeArtifact names repositories uniquely within a domain. Give this repository another name (e.g. \'team-2\'), or use '
      + 'TestStack/Domain/Team where you need it');
    expect(() => new Repository(stack, 'OtherDomain', { domain: new Domain(stack, 'Other'), repositoryName: 'team' })).not.toThrow();
  });

  describe('upstreams', () => {
    test('keeps the order of props then addUpstream()', () => {
      const a = domain.addRepository('A', { repositoryName: 'up-a' });
      const b = domain.addRepository('B', { repositoryName: 'up-b' });
      const c = domain.addRepository('C', { repositoryName: 'up-c' });
      const team = domain.addRepository('Team', { repositoryName: 'team', upstreams: [b, a] });
      team.addUpstream(c);
      Template.fromStack(stack).hasResourceProperties('AWS::CodeArtifact::Repository', {
        RepositoryName: 'team',
        Upstreams: [{ 'Fn::GetAtt': ['DomainBF8B096E2', 'Name'] }, { 'Fn::GetAtt': ['DomainA3AAEF9B6', 'Name'] }, { 'Fn::GetAtt': ['DomainC104B45FD', 'Name'] }],
      });
      expect(team.upstreams).toEqual([b, a, c]);
    });

    test('an imported repository can be an upstream', () => {
      const shared = Repository.fromRepositoryAttributes(stack, 'Shared', { domain, repositoryName: 'shared' });
      domain.addRepository('Team', { repositoryName: 'team', upstreams: [shared] });
      Template.fromStack(stack).hasResourceProperties('AWS::CodeArtifact::Repository', { Upstreams: ['shared'] });
    });

    test('fails an eleventh upstream', () => {
      const ups = Array.from({ length: 10 }, (_, i) => domain.addRepository(`U${i}`, { repositoryName: `u${i}` }));
      const team = domain.addRepository('Team', { repositoryName: 'team', upstreams: ups });
      const extra = domain.addRepository('Extra', { repositoryName: 'extra' });
      expect(() => team.addUpstream(extra)).toThrow(/TestStack\/Domain\/Team: cannot add upstream TestStack\/Domain\/Extra: CodeArtifact allows at most 10 upstream repositories \(got 11\)/);
    });

    test('fails itself, a duplicate and another domain', () => {
      const a = domain.addRepository('A', { repositoryName: 'up-a' });
      const team = domain.addRepository('Team', { repositoryName: 'team', upstreams: [a] });
      expect(() => team.addUpstream(team)).toThrow(/cannot be its own upstream/);
      expect(() => team.addUpstream(a)).toThrow(/TestStack\/Domain\/A is already an upstream/);
      const other = Domain.fromDomainAttributes(stack, 'Other', { domainName: 'other' });
      const mine = Repository.fromRepositoryAttributes(stack, 'Mine', { domain: Domain.fromDomainAttributes(stack, 'Mine2', { domainName: 'mine' }), repositoryName: 'x' });
      const foreign = Repository.fromRepositoryAttributes(stack, 'Foreign', { domain: other, repositoryName: 'y' });
      const importedTeam = new Repository(stack, 'Literal', { domain: Domain.fromDomainAttributes(stack, 'Mine3', { domainName: 'mine' }), upstreams: [mine] });
      expect(() => importedTeam.addUpstream(foreign)).toThrow(/is in the domain 'other' \(TestStack\/Other\), but this repository is in the domain 'mine' \(TestStack\/Mine3\); CodeArtifact links upstream repositories only within one domain/);
    });
    test('fails an upstream in another domain of the app, though both domain names are deploy-time values', () => {
      const team = domain.addRepository('Team', { repositoryName: 'team' });
      const other = new Domain(stack, 'Other');
      const foreign = other.addRepository('Foreign', { repositoryName: 'foreign' });
      expect(() => team.addUpstream(foreign)).toThrow(
        'TestStack/Domain/Team: upstream TestStack/Other/Foreign is in the domain TestStack/Other, but this repository is in '
        + "the domain 'acme' (TestStack/Domain); CodeArtifact links upstream repositories only within one domain. "
        + "Define the upstream in this repository's domain (TestStack/Domain.addRepository('Foreign', {...})), or this repository "
        + 'in the domain TestStack/Other');
      expect(() => new Repository(stack, 'Props', { domain: other, upstreams: [team] })).toThrow(/TestStack\/Props: upstream TestStack\/Domain\/Team is in the domain 'acme'/);
    });

    test('fails an upstream whose imported domain has another literal name than the defined domain', () => {
      const team = domain.addRepository('Team', { repositoryName: 'team' });
      const foreign = Repository.fromRepositoryArn(stack, 'Foreign', 'arn:aws:codeartifact:us-east-1:123456789012:repository/other/x');
      expect(() => team.addUpstream(foreign)).toThrow(/upstream TestStack\/Foreign is in the domain 'other' \(TestStack\/Foreign\/Domain\), but this repository is in the domain 'acme'/);
      const same = Repository.fromRepositoryArn(stack, 'Same', 'arn:aws:codeartifact:us-east-1:123456789012:repository/acme/x');
      expect(() => team.addUpstream(same)).not.toThrow();
    });
  });

  describe('grants', () => {
    // open-constructs' "grantRead gives read actions" test: what `aws codeartifact list-packages` and
    // `describe-package-version` need, each on the resource type the service authorization reference gives it.
    test('grantRead: bearer token, domain token, repository read and browse, package browse', () => {
      const repository = domain.addRepository('Team', { repositoryName: 'team' });
      repository.grantRead(role);
      Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: {
          Statement: [
            BEARER,
            { Action: 'codeartifact:GetAuthorizationToken', Effect: 'Allow', Resource: DOMAIN_ARN },
            { Action: READ, Effect: 'Allow', Resource: { 'Fn::GetAtt': ['DomainTeamDA1CBDCB', 'Arn'] } },
            { Action: PACKAGE_READ, Effect: 'Allow', Resource: packageArn('DomainTeamDA1CBDCB', '/*') },
          ],
        },
      });
      Template.fromStack(stack).hasResourceProperties('AWS::CodeArtifact::Repository', { PermissionsPolicyDocument: Match.absent() });
      NagSuppressions.addResourceSuppressions(role, [{
        id: 'AwsSolutions-IAM5', reason: 'sts:GetServiceBearerToken has no resource-level permissions', appliesTo: ['Resource::*'],
      }, {
        id: 'AwsSolutions-IAM5',
        reason: 'browsing a repository covers all its packages, and package actions authorize on package ARNs only',
        appliesTo: [{ regex: '/^Resource::arn:aws:codeartifact:.*:package\\/.*\\/\\*$/' }],
      }], true);
      expectNagClean(stack);
    });

    test('grantPublish with a format: publish on that format\'s package ARNs plus read', () => {
      const repository = domain.addRepository('Team', { repositoryName: 'team' });
      repository.grantPublish(role, PackageFormat.NPM);
      Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: {
          Statement: [
            BEARER,
            { Action: 'codeartifact:GetAuthorizationToken', Effect: 'Allow', Resource: DOMAIN_ARN },
            { Action: READ, Effect: 'Allow', Resource: { 'Fn::GetAtt': ['DomainTeamDA1CBDCB', 'Arn'] } },
            { Action: PACKAGE_READ, Effect: 'Allow', Resource: packageArn('DomainTeamDA1CBDCB', '/*') },
            { Action: PUBLISH, Effect: 'Allow', Resource: packageArn('DomainTeamDA1CBDCB', '/npm/*') },
          ],
        },
      });
    });

    test('grantReadWrite: publish on every format', () => {
      const repository = domain.addRepository('Team', { repositoryName: 'team' });
      repository.grantReadWrite(role);
      Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: {
          // One statement with reading's package actions: a new app's `@aws-cdk/aws-iam:minimizePolicies` merges them.
          Statement: Match.arrayWith([{ Action: Match.arrayWith([...PUBLISH].sort()), Effect: 'Allow', Resource: packageArn('DomainTeamDA1CBDCB', '/*') }]),
        },
      });
    });

    test('a grantee in another account gets the statements in the domain and repository policies too', () => {
      const repository = domain.addRepository('Team', { repositoryName: 'team' });
      const other = iam.Role.fromRoleArn(stack, 'Other', 'arn:aws:iam::999999999999:role/builder');
      repository.grantPublish(other, PackageFormat.PYPI);
      const principal = { AWS: 'arn:aws:iam::999999999999:role/builder' };
      Template.fromStack(stack).hasResourceProperties('AWS::CodeArtifact::Domain', {
        PermissionsPolicyDocument: { Statement: [{ Action: 'codeartifact:GetAuthorizationToken', Effect: 'Allow', Principal: principal, Resource: '*' }] },
      });
      Template.fromStack(stack).hasResourceProperties('AWS::CodeArtifact::Repository', {
        PermissionsPolicyDocument: {
          Statement: [
            { Action: READ, Effect: 'Allow', Principal: principal, Resource: '*' },
            { Action: PACKAGE_READ, Effect: 'Allow', Principal: principal, Resource: '*' },
            { Action: PUBLISH, Effect: 'Allow', Principal: principal, Resource: '*' },
          ],
        },
      });
    });

    test('an imported repository: grants on the principal, ARNs from the import', () => {
      const repository = Repository.fromRepositoryArn(stack, 'Imported', 'arn:aws:codeartifact:us-east-1:123456789012:repository/shared/team');
      repository.grantPublish(role, PackageFormat.MAVEN);
      Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: {
          Statement: [
            BEARER,
            { Action: 'codeartifact:GetAuthorizationToken', Effect: 'Allow', Resource: 'arn:aws:codeartifact:us-east-1:123456789012:domain/shared' },
            { Action: READ, Effect: 'Allow', Resource: 'arn:aws:codeartifact:us-east-1:123456789012:repository/shared/team' },
            {
              Action: PACKAGE_READ,
              Effect: 'Allow',
              Resource: 'arn:aws:codeartifact:us-east-1:123456789012:package/shared/team/*',
            },
            {
              Action: PUBLISH,
              Effect: 'Allow',
              Resource: 'arn:aws:codeartifact:us-east-1:123456789012:package/shared/team/maven/*',
            },
          ],
        },
      });
    });

    test('an ARN whose account is not 12 digits is refused', () => {
      const arn = 'arn:aws:codeartifact:us-east-1:12345:repository/shared/team';
      expect(() => Repository.fromRepositoryArn(stack, 'Imported', arn)).toThrow(
        `TestStack/Imported: invalid CodeArtifact repository ARN: '${arn}' has the account '12345', but an AWS account id is 12 digits `
        + '(e.g. 123456789012); it must be arn:<partition>:codeartifact:<region>:<account>:repository/<domain>/<repository>. Copy the ARN from');
    });

    test('an imported repository in another account warns that its policy cannot be changed', () => {
      const repository = Repository.fromRepositoryArn(stack, 'Imported', 'arn:aws:codeartifact:us-east-1:222222222222:repository/shared/team');
      const grant = repository.grantRead(role);
      expect(grant.success).toBe(true);
      const result = repository.addToResourcePolicy(new iam.PolicyStatement({ actions: READ, resources: ['*'], principals: [new iam.AccountRootPrincipal()] }));
      expect(result.statementAdded).toBe(false);
      Annotations.fromStack(stack).hasWarning('/TestStack/Imported', Match.stringLikeRegexp('policy of the imported repository'));
      Annotations.fromStack(stack).hasWarning('/TestStack/Imported',
        Match.stringLikeRegexp(`\\[ack: ${WARNINGS.codeartifactImportedRepositoryPolicy}\\]`));
      expect(WARNINGS.codeartifactImportedRepositoryPolicy).toBe('cdk-devtools:codeartifact:importedRepositoryPolicy');
    });

    test('grant() with custom actions', () => {
      const repository = domain.addRepository('Team', { repositoryName: 'team' });
      repository.grant(role, 'codeartifact:ListPackages');
      Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: { Statement: [{ Action: 'codeartifact:ListPackages', Effect: 'Allow', Resource: { 'Fn::GetAtt': ['DomainTeamDA1CBDCB', 'Arn'] } }] },
      });
    });
  });

  test('addToResourcePolicy renders the repository policy', () => {
    const repository = domain.addRepository('Team', { repositoryName: 'team' });
    expect(repository.addToResourcePolicy(new iam.PolicyStatement({
      actions: READ, resources: ['*'], principals: [new iam.AccountPrincipal('999999999999')],
    })).statementAdded).toBe(true);
    Template.fromStack(stack).hasResourceProperties('AWS::CodeArtifact::Repository', {
      PermissionsPolicyDocument: { Statement: [{ Action: READ, Effect: 'Allow', Resource: '*', Principal: Match.anyValue() }] },
    });
  });

  describe('a policy statement that names the repository itself', () => {
    // The scenario of open-constructs' and Terraform's repository policy examples: the statement's resource is the
    // repository's own ARN, or its packages. It used to read the repository's own attributes and fail synth with a
    // circular dependency; only '*' worked.
    const repositoryArnOf = (domainPart: unknown, name: string) => ({
      'Fn::Join': ['', ['arn:aws:codeartifact:us-east-1:123456789012:repository/', domainPart, `/${name}`]],
    });

    test('its own ARN: rendered from the names and pseudo parameters, and the template passes the strict validator', () => {
      const repository = domain.addRepository('Team', { repositoryName: 'team' });
      repository.addToResourcePolicy(new iam.PolicyStatement({
        actions: ['codeartifact:ReadFromRepository'], resources: [repository.repositoryArn], principals: [new iam.AccountPrincipal('999999999999')],
      }));
      expect(() => app.synth()).not.toThrow();
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::CodeArtifact::Repository', {
        PermissionsPolicyDocument: { Statement: [Match.objectLike({ Resource: repositoryArnOf(DOMAIN_NAME, 'team') })] },
      });
      const resource = template.findResources('AWS::CodeArtifact::Repository').DomainTeamDA1CBDCB;
      expect(JSON.stringify(resource.Properties.PermissionsPolicyDocument)).not.toContain('DomainTeamDA1CBDCB');
    });

    test('its package ARNs, with a generated repository name', () => {
      const repository = new Repository(stack, 'Repo', { domain });
      repository.addToResourcePolicy(new iam.PolicyStatement({
        actions: ['codeartifact:PublishPackageVersion'],
        resources: [repository.packageArn({ format: PackageFormat.NPM, namespace: 'acme' })],
        principals: [new iam.AccountPrincipal('999999999999')],
      }));
      expect(() => app.synth()).not.toThrow();
      const resource = Template.fromStack(stack).findResources('AWS::CodeArtifact::Repository').Repo02AC86CF;
      const name = resource.Properties.RepositoryName as string;
      expect(resource.Properties.PermissionsPolicyDocument.Statement[0].Resource).toEqual({
        'Fn::Join': ['', ['arn:aws:codeartifact:us-east-1:', DOMAIN_OWNER, ':package/', DOMAIN_NAME, `/${name}/npm/acme/*`]],
      });
    });

    test('a grant to another account next to a statement on its own ARN', () => {
      const repository = domain.addRepository('Team', { repositoryName: 'team' });
      repository.grantRead(new iam.AccountPrincipal('999999999999'));
      repository.addToResourcePolicy(new iam.PolicyStatement({
        actions: ['codeartifact:DescribeRepository'], resources: [repository.repositoryArn], principals: [new iam.AccountPrincipal('888888888888')],
      }));
      expect(() => app.synth()).not.toThrow();
      Template.fromStack(stack).hasResourceProperties('AWS::CodeArtifact::Repository', {
        PermissionsPolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Action: READ, Resource: '*' }),
            Match.objectLike({ Action: 'codeartifact:DescribeRepository', Resource: repositoryArnOf(DOMAIN_NAME, 'team') }),
          ]),
        },
      });
    });
  });

  describe('package ARNs', () => {
    test.each([
      [{}, '/*'],
      [{ format: PackageFormat.NPM }, '/npm/*'],
      [{ format: PackageFormat.NPM, namespace: 'acme' }, '/npm/acme/*'],
      [{ format: PackageFormat.PYPI, packageName: 'requests' }, '/pypi//requests'],
      [{ format: PackageFormat.GENERIC, namespace: 'tools', packageName: 'cli' }, '/generic/tools/cli'],
    ])('%j', (options, suffix) => {
      const repository = Repository.fromRepositoryArn(stack, 'Imported', 'arn:aws:codeartifact:us-east-1:123456789012:repository/shared/team');
      expect(stack.resolve(repository.packageArn(options))).toEqual(`arn:aws:codeartifact:us-east-1:123456789012:package/shared/team${suffix}`);
    });

    test('fails a namespace without a format', () => {
      const repository = domain.addRepository('Team', { repositoryName: 'team' });
      expect(() => repository.packageArn({ namespace: 'acme' })).toThrow(/needs a format/);
    });
  });

  describe('imports', () => {
    test('fromRepositoryArn reads the domain, name and environment', () => {
      const repository = Repository.fromRepositoryArn(stack, 'Imported', 'arn:aws:codeartifact:eu-west-1:222222222222:repository/shared/team');
      expect(repository.repositoryName).toBe('team');
      expect(repository.repositoryDomainName).toBe('shared');
      expect(repository.repositoryDomainOwner).toBe('222222222222');
      expect(repository.domain.domainArn).toBe('arn:aws:codeartifact:eu-west-1:222222222222:domain/shared');
      expect(repository.env).toEqual(expect.objectContaining({ account: '222222222222', region: 'eu-west-1' }));
    });

    test('two imports in one scope do not collide', () => {
      Repository.fromRepositoryArn(stack, 'A', 'arn:aws:codeartifact:us-east-1:123456789012:repository/shared/a');
      expect(() => Repository.fromRepositoryArn(stack, 'B', 'arn:aws:codeartifact:us-east-1:123456789012:repository/shared/b')).not.toThrow();
    });

    test.each([
      'arn:aws:codeartifact:us-east-1:123456789012:repository/team',
      'arn:aws:codeartifact:us-east-1:123456789012:domain/shared',
      'arn:aws:codeartifact:us-east-1:123456789012:repository/shared/team/extra',
    ])('fromRepositoryArn fails %s', (arn) => {
      expect(() => Repository.fromRepositoryArn(stack, 'Imported', arn)).toThrow(/is not a CodeArtifact repository ARN; expected .*repository\/<domain>\/<repository>/);
    });

    // open-constructs' "throws for an ARN without an account"; this exact ARN used to import with an empty domain
    // owner, and an endpoint like https://my-domain-.d.codeartifact.us-west-2.amazonaws.com.
    test('fromRepositoryArn fails an ARN without an account, saying what to do', () => {
      const arn = 'arn:aws:codeartifact:us-west-2::repository/my-domain/my-repo';
      expect(() => Repository.fromRepositoryArn(stack, 'Imported', arn)).toThrow(
        `TestStack/Imported: invalid CodeArtifact repository ARN: '${arn}' has an empty account; an import takes its account and region `
        + 'from the ARN, so it must be arn:<partition>:codeartifact:<region>:<account>:repository/<domain>/<repository>. Copy the ARN from '
        + '`aws codeartifact describe-repository --domain <domain> --domain-owner <account> --repository <name> --query repository.arn`, '
        + 'or use Repository.fromRepositoryAttributes() with a domain imported with its owner.');
    });

    test('fromRepositoryArn fails an ARN without a region', () => {
      expect(() => Repository.fromRepositoryArn(stack, 'Imported', 'arn:aws:codeartifact::222222222222:repository/my-domain/my-repo'))
        .toThrow(/has an empty region; an import takes its account and region from the ARN/);
    });

    test('fromRepositoryAttributes takes its account and region from the domain', () => {
      const shared = Domain.fromDomainArn(stack, 'Shared', 'arn:aws:codeartifact:eu-west-1:222222222222:domain/shared');
      const repository = Repository.fromRepositoryAttributes(stack, 'Imported', { domain: shared, repositoryName: 'team' });
      expect(repository.env).toEqual({ account: '222222222222', region: 'eu-west-1' });
      expect(stack.resolve(repository.repositoryArn)).toEqual('arn:aws:codeartifact:eu-west-1:222222222222:repository/shared/team');
    });

    test('fromRepositoryAttributes on a domain of this stack: same account, so grants stay on the principal, without a warning', () => {
      const repository = Repository.fromRepositoryAttributes(stack, 'Imported', { domain, repositoryName: 'team' });
      expect(repository.env).toEqual({ account: '123456789012', region: 'us-east-1' });
      repository.grantRead(role);
      Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
    });

    test('fromRepositoryArn fails a token', () => {
      expect(() => Repository.fromRepositoryArn(stack, 'Imported', domain.domainArn)).toThrow(/needs a literal ARN.*fromRepositoryAttributes/);
    });

    test('fromRepositoryAttributes builds the ARN from the domain', () => {
      const shared = Domain.fromDomainAttributes(stack, 'Shared', { domainName: 'shared', domainOwner: '222222222222' });
      const repository = Repository.fromRepositoryAttributes(stack, 'Imported', { domain: shared, repositoryName: 'team' });
      expect(stack.resolve(repository.repositoryArn)).toEqual('arn:aws:codeartifact:us-east-1:222222222222:repository/shared/team');
      expect(repository.domain).toBe(shared);
    });
  });

  describe('endpoints', () => {
    test.each(['npm', 'pypi', 'maven', 'nuget', 'generic', 'ruby', 'swift', 'cargo'])('%s', (format) => {
      const repository = Repository.fromRepositoryArn(stack, 'Imported', 'arn:aws:codeartifact:eu-west-1:222222222222:repository/shared/team');
      expect(stack.resolve(repository.repositoryEndpoint(PackageFormat.of(format)))).toEqual({
        'Fn::Join': ['', ['https://shared-222222222222.d.codeartifact.eu-west-1.', { Ref: 'AWS::URLSuffix' }, `/${format}/team/`]],
      });
    });
  });

  describe('events', () => {
    test('onPackageVersionStateChange matches the repository and the detail type, with a target', () => {
      const repository = domain.addRepository('Team', { repositoryName: 'team' });
      const topic = new sns.Topic(stack, 'Topic', { enforceSSL: true });
      repository.onPackageVersionStateChange('Published', { target: new targets.SnsTopic(topic), description: 'new versions' });
      Template.fromStack(stack).hasResourceProperties('AWS::Events::Rule', {
        Description: 'new versions',
        EventPattern: {
          'source': ['aws.codeartifact'],
          'detail-type': ['CodeArtifact Package Version State Change'],
          'detail': { domainName: [DOMAIN_NAME], domainOwner: [DOMAIN_OWNER], repositoryName: [{ 'Fn::GetAtt': ['DomainTeamDA1CBDCB', 'Name'] }] },
        },
        Targets: [Match.objectLike({ Arn: { Ref: 'TopicBFC7AF6E' } })],
      });
    });

    test('onEvent matches every event of the repository and merges a pattern', () => {
      const repository = domain.addRepository('Team', { repositoryName: 'team' });
      const rule = repository.onEvent('Any', { eventPattern: { detail: { packageFormat: ['npm'] } } });
      expect(rule).toBeInstanceOf(events.Rule);
      Template.fromStack(stack).hasResourceProperties('AWS::Events::Rule', {
        EventPattern: {
          'source': ['aws.codeartifact'],
          'detail-type': Match.absent(),
          'detail': Match.objectLike({ packageFormat: ['npm'], repositoryName: [{ 'Fn::GetAtt': ['DomainTeamDA1CBDCB', 'Name'] }] }),
        },
      });
    });
  });
});
