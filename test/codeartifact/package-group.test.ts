import { App, CfnParameter, Stack, Tags } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Domain, OriginRestriction, PackageGroup, Repository } from '../../src/codeartifact';
import { expectNagClean, testApp, testStack } from '../kit';

describe('PackageGroup', () => {
  let app: App;
  let stack: Stack;
  let domain: Domain;
  beforeEach(() => {
    app = testApp();
    stack = testStack(app);
    domain = new Domain(stack, 'Domain', { domainName: 'acme' });
  });

  test('minimal: pattern and domain, no origin configuration', () => {
    const group = new PackageGroup(stack, 'Group', { domain, pattern: '/npm/acme/*' });
    Tags.of(group).add('team', 'platform');
    Template.fromStack(stack).hasResourceProperties('AWS::CodeArtifact::PackageGroup', {
      Pattern: '/npm/acme/*',
      DomainName: { 'Fn::GetAtt': ['Domain66AC69E0', 'Name'] },
      DomainOwner: { 'Fn::GetAtt': ['Domain66AC69E0', 'Owner'] },
      Description: Match.absent(),
      ContactInfo: Match.absent(),
      OriginConfiguration: Match.absent(),
      Tags: [{ Key: 'team', Value: 'platform' }],
    });
    expect(stack.resolve(group.packageGroupArn)).toEqual({ 'Fn::GetAtt': ['GroupC77FDACD', 'Arn'] });
    expect(group.packageGroupPattern).toBe('/npm/acme/*');
    expectNagClean(stack);
  });

  test('every restriction mode, with allowed repositories', () => {
    const team = domain.addRepository('Team', { repositoryName: 'team' });
    const imported = Repository.fromRepositoryAttributes(stack, 'Release', { domain, repositoryName: 'release' });
    new PackageGroup(stack, 'Group', {
      domain,
      pattern: '/maven/com.acme~',
      description: 'internal Java packages',
      contactInfo: 'platform@acme.example',
      publish: OriginRestriction.allowSpecificRepositories([team, imported]),
      externalUpstream: OriginRestriction.BLOCK,
      internalUpstream: OriginRestriction.ALLOW,
    });
    new PackageGroup(stack, 'Child', { domain, pattern: '/maven/com.acme/tools$', publish: OriginRestriction.INHERIT });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::CodeArtifact::PackageGroup', {
      Pattern: '/maven/com.acme~',
      Description: 'internal Java packages',
      ContactInfo: 'platform@acme.example',
      OriginConfiguration: {
        Restrictions: {
          Publish: { RestrictionMode: 'ALLOW_SPECIFIC_REPOSITORIES', Repositories: [{ 'Fn::GetAtt': ['DomainTeamDA1CBDCB', 'Name'] }, 'release'] },
          ExternalUpstream: { RestrictionMode: 'BLOCK', Repositories: Match.absent() },
          InternalUpstream: { RestrictionMode: 'ALLOW', Repositories: Match.absent() },
        },
      },
    });
    template.hasResourceProperties('AWS::CodeArtifact::PackageGroup', {
      Pattern: '/maven/com.acme/tools$',
      OriginConfiguration: { Restrictions: { Publish: { RestrictionMode: 'INHERIT' }, ExternalUpstream: Match.absent(), InternalUpstream: Match.absent() } },
    });
  });

  test.each(['/*', '/npm/*', '/npm/acme/*', '/npm/acme~', '/npm//*', '/pypi//requests$', '/npm/acme/ui-~', '/maven/org.apache.logging.log4j/log4j-core$',
    '/cargo//serde~'])('accepts the pattern %s', (pattern) => {
    expect(() => new PackageGroup(stack, 'Group', { domain, pattern })).not.toThrow();
  });

  test.each(['npm/*', '/', '/npm', '/npm/acme', '/npm/acme/ui', '/npm/*/ui$', '/npm/acme/*/x', '/NPM/*', '/npm/acme/u*i$', '/npm/ac me/*'])(
    'fails the pattern %s', (pattern) => {
      expect(() => new PackageGroup(stack, 'Group', { domain, pattern }))
        .toThrow(/TestStack\/Group: invalid pattern: .*Write \/<format>\/<namespace>\/<name> in lower-case format names, ending with \$ \(exactly this package\), ~ .*: \/npm\/acme\/\* for every @acme package, \/pypi\/\/requests\$ for one PyPI package\./);
    });

  test('fails a pattern already used in the domain', () => {
    new PackageGroup(stack, 'Internal', { domain, pattern: '/npm/acme/*' });
    expect(() => new PackageGroup(stack, 'Again', { domain, pattern: '/npm/acme/*' })).toThrow(
      "TestStack/Again: the pattern '/npm/acme/*' is already the pattern of TestStack/Internal in the domain 'acme' (TestStack/Domain); "
      + 'the pattern identifies a package group within its domain. Merge the two groups\' settings into TestStack/Internal, or give this '
      + 'group another pattern: a narrower one such as /npm/acme/ui$ (one package) makes it a child of TestStack/Internal');
    expect(() => new PackageGroup(stack, 'OtherDomain', { domain: new Domain(stack, 'Other'), pattern: '/npm/acme/*' })).not.toThrow();
  });

  test.each([
    ['/npm/@acme/*', '/npm/acme/*'],
    ['/npm/@acme~', '/npm/acme~'],
    ['/npm/@acme/ui$', '/npm/acme/ui$'],
  ])('fails the npm scope with its @ in %s, saying to drop it', (pattern, fixed) => {
    expect(() => new PackageGroup(stack, 'Group', { domain, pattern })).toThrow(
      `TestStack/Group: invalid pattern '${pattern}': CodeArtifact writes an npm scope without its '@' (the package @acme/ui has the `
      + `namespace 'acme'), so no package has the namespace '@acme'. Drop the '@': '${fixed}'`);
  });

  test('fails a pattern longer than the API allows', () => {
    expect(() => new PackageGroup(stack, 'Group', { domain, pattern: `/npm/acme/${'x'.repeat(520)}$` })).toThrow(/has 531 characters; CodeArtifact allows 2 to 520/);
  });

  test('fails description and contact info the API rejects', () => {
    expect(() => new PackageGroup(stack, 'A', { domain, pattern: '/npm/*', description: 'x'.repeat(1001) })).toThrow(/invalid description: .*1001 characters/);
    expect(() => new PackageGroup(stack, 'B', { domain, pattern: '/npm/*', contactInfo: 'a\nb' }))
      .toThrow(/invalid contactInfo: [\s\S]*does not match.*\. Give one line, such as a team e-mail address or chat channel/);
  });

  test('fails an empty allow list and a repository of another domain', () => {
    expect(() => new PackageGroup(stack, 'Empty', { domain, pattern: '/npm/acme/*', externalUpstream: OriginRestriction.allowSpecificRepositories([]) }))
      .toThrow('TestStack/Empty: invalid externalUpstream: OriginRestriction.allowSpecificRepositories([]) allows no repository. List the '
        + 'repositories that may take packages of /npm/acme/* this way, e.g. allowSpecificRepositories([team]), or use OriginRestriction.BLOCK to allow none');
    const other = Repository.fromRepositoryArn(stack, 'Other', 'arn:aws:codeartifact:us-east-1:123456789012:repository/other/team');
    const literal = Domain.fromDomainAttributes(stack, 'Literal', { domainName: 'acme' });
    expect(() => new PackageGroup(stack, 'Group', {
      domain: literal, pattern: '/npm/*', publish: OriginRestriction.allowSpecificRepositories([other]),
    })).toThrow(/repository TestStack\/Other is in the domain 'other' \(TestStack\/Other\/Domain\), but the package group is in the domain 'acme' \(TestStack\/Literal\); a package group can only allow repositories of its own domain/);
  });

  test('fails a repository of another domain of the app, though both domain names are deploy-time values', () => {
    const foreign = new Domain(stack, 'Other').addRepository('Foreign', { repositoryName: 'foreign' });
    expect(() => new PackageGroup(stack, 'Group', { domain, pattern: '/npm/*', publish: OriginRestriction.allowSpecificRepositories([foreign]) }))
      .toThrow('TestStack/Group: repository TestStack/Other/Foreign is in the domain TestStack/Other, but the package group is in the domain '
        + "'acme' (TestStack/Domain); a package group can only allow repositories of its own domain. Allow a repository of TestStack/Domain "
        + 'instead, or define another package group in TestStack/Other for TestStack/Other/Foreign');
  });

  describe('fromPackageGroupArn', () => {
    test('imports a literal ARN with its environment', () => {
      const arn = 'arn:aws:codeartifact:eu-west-1:222222222222:package-group/acme/npm/acme/*';
      const group = PackageGroup.fromPackageGroupArn(stack, 'Imported', arn);
      expect(group.packageGroupArn).toBe(arn);
      expect(group.env).toEqual(expect.objectContaining({ account: '222222222222', region: 'eu-west-1' }));
    });

    test('accepts a token ARN', () => {
      const group = new PackageGroup(stack, 'Group', { domain, pattern: '/npm/*' });
      expect(PackageGroup.fromPackageGroupArn(stack, 'Imported', group.packageGroupArn).packageGroupArn).toBe(group.packageGroupArn);
    });

    test('a token ARN: account and region are read from the ARN at deploy time, unchecked', () => {
      const group = PackageGroup.fromPackageGroupArn(stack, 'Imported', new CfnParameter(stack, 'GroupArn').valueAsString);
      expect(stack.resolve(group.env)).toEqual({
        account: { 'Fn::Select': [4, { 'Fn::Split': [':', { Ref: 'GroupArn' }] }] },
        region: { 'Fn::Select': [3, { 'Fn::Split': [':', { Ref: 'GroupArn' }] }] },
      });
    });

    test('fails an ARN without an account', () => {
      const arn = 'arn:aws:codeartifact:us-west-2::package-group/my-domain/npm/acme/*';
      expect(() => PackageGroup.fromPackageGroupArn(stack, 'Imported', arn)).toThrow(
        `TestStack/Imported: invalid CodeArtifact package group ARN: '${arn}' has an empty account; an import takes its account and `
        + 'region from the ARN, so it must be arn:<partition>:codeartifact:<region>:<account>:package-group/<domain>/<encoded pattern>. '
        + 'Copy the ARN from `aws codeartifact describe-package-group --domain <domain> --domain-owner <account> --package-group <pattern> '
        + '--query packageGroup.arn`.');
    });

    test.each(['arn:aws:codeartifact:eu-west-1:222222222222:domain/acme', 'arn:aws:codeartifact:eu-west-1:222222222222:package-group/acme'])(
      'fails %s', (arn) => {
        expect(() => PackageGroup.fromPackageGroupArn(stack, 'Imported', arn)).toThrow(/is not a CodeArtifact package group ARN/);
      });
  });
});
