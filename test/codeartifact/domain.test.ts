import { App, RemovalPolicy, Stack, Tags } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Domain } from '../../src/codeartifact';
import { WARNINGS } from '../../src/core/warnings';
import { expectNagClean, testApp, testStack } from '../kit';

const BEARER = {
  Action: 'sts:GetServiceBearerToken',
  Effect: 'Allow',
  Resource: '*',
  Condition: { StringEquals: { 'sts:AWSServiceName': 'codeartifact.amazonaws.com' } },
};

describe('Domain', () => {
  let app: App;
  let stack: Stack;
  beforeEach(() => {
    app = testApp();
    stack = testStack(app);
  });

  test('defaults: a generated valid name, AWS managed key, RETAIN, no policy', () => {
    const domain = new Domain(stack, 'Domain');
    const template = Template.fromStack(stack);
    template.hasResource('AWS::CodeArtifact::Domain', {
      Properties: { DomainName: Match.stringLikeRegexp('^[a-z][a-z0-9-]{0,48}[a-z0-9]$'), EncryptionKey: Match.absent(), PermissionsPolicyDocument: Match.absent() },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    expect(stack.resolve(domain.domainArn)).toEqual({ 'Fn::GetAtt': ['Domain66AC69E0', 'Arn'] });
    expect(stack.resolve(domain.domainName)).toEqual({ 'Fn::GetAtt': ['Domain66AC69E0', 'Name'] });
    expect(stack.resolve(domain.domainOwner)).toEqual({ 'Fn::GetAtt': ['Domain66AC69E0', 'Owner'] });
    expect(stack.resolve(domain.domainEncryptionKey)).toEqual({ 'Fn::GetAtt': ['Domain66AC69E0', 'EncryptionKey'] });
    expect(domain.encryptionKey).toBeUndefined();
    expectNagClean(stack);
  });

  test('a generated name stays within 50 characters for a long construct path', () => {
    const deep = testStack(testApp(), 'x'.repeat(60));
    new Domain(deep, '9Domain');
    const name = Template.fromStack(deep).findResources('AWS::CodeArtifact::Domain');
    const value = Object.values(name)[0].Properties.DomainName as string;
    expect(value).toMatch(/^[a-z][a-z0-9-]{0,48}[a-z0-9]$/);
  });

  test('name, KMS key, removal policy and tags', () => {
    const key = new kms.Key(stack, 'Key');
    const domain = new Domain(stack, 'Domain', { domainName: 'acme-packages', encryptionKey: key, removalPolicy: RemovalPolicy.DESTROY });
    Tags.of(domain).add('team', 'platform');
    Template.fromStack(stack).hasResource('AWS::CodeArtifact::Domain', {
      Properties: {
        DomainName: 'acme-packages',
        EncryptionKey: { 'Fn::GetAtt': ['Key961B73FD', 'Arn'] },
        Tags: [{ Key: 'team', Value: 'platform' }],
      },
      DeletionPolicy: 'Delete',
    });
    expect(domain.encryptionKey).toBe(key);
  });

  test.each([
    ['A', 'has 1 character;'],
    ['Acme', 'does not match the pattern'],
    ['acme-', 'does not match the pattern'],
    ['1acme', 'does not match the pattern'],
    ['a'.repeat(51), 'allows 2 to 50 characters'],
  ])('fails an invalid name %s', (domainName, problem) => {
    expect(() => new Domain(stack, 'Domain', { domainName })).toThrow(new RegExp(`TestStack/Domain: invalid domainName: .*${problem}.*\\. `
      + 'Write it in lower case, replace dots and underscores with hyphens and start with a letter, e.g. acme-packages'));
  });

  test('addToResourcePolicy renders the domain policy', () => {
    const domain = new Domain(stack, 'Domain', { domainName: 'acme' });
    const result = domain.addToResourcePolicy(new iam.PolicyStatement({
      actions: ['codeartifact:GetAuthorizationToken'], resources: ['*'], principals: [new iam.OrganizationPrincipal('o-1234567890')],
    }));
    expect(result.statementAdded).toBe(true);
    Template.fromStack(stack).hasResourceProperties('AWS::CodeArtifact::Domain', {
      PermissionsPolicyDocument: {
        Statement: [{
          Action: 'codeartifact:GetAuthorizationToken',
          Effect: 'Allow',
          Resource: '*',
          Principal: { AWS: '*' },
          Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-1234567890' } },
        }],
      },
    });
  });

  describe('a policy statement that names the domain itself', () => {
    // open-constructs' and Terraform's domain policy examples name the domain's own ARN as the resource. The policy is
    // part of the domain, so reading the domain's ARN (a GetAtt on itself) made the template undeployable.
    test('renders the ARN from the name and pseudo parameters, and the strict validator accepts the template', () => {
      const domain = new Domain(stack, 'Domain', { domainName: 'acme' });
      domain.addToResourcePolicy(new iam.PolicyStatement({
        actions: ['codeartifact:GetAuthorizationToken', 'codeartifact:DescribeDomain'],
        resources: [domain.domainArn],
        principals: [new iam.AccountPrincipal('999999999999')],
      }));
      expect(() => app.synth()).not.toThrow();
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::CodeArtifact::Domain', {
        PermissionsPolicyDocument: {
          Statement: [Match.objectLike({
            Resource: 'arn:aws:codeartifact:us-east-1:123456789012:domain/acme',
          })],
        },
      });
      const domainResource = Object.values(template.findResources('AWS::CodeArtifact::Domain'))[0];
      expect(JSON.stringify(domainResource)).not.toContain('Domain66AC69E0');
    });

    test('a generated name and the owner attribute are rendered too', () => {
      const domain = new Domain(stack, 'Domain');
      domain.addToResourcePolicy(new iam.PolicyStatement({
        actions: ['codeartifact:GetAuthorizationToken'],
        resources: [domain.domainArn],
        principals: [new iam.AccountPrincipal('999999999999')],
        conditions: { StringEquals: { 'aws:ResourceAccount': domain.domainOwner, 'aws:ResourceTag/name': domain.domainName } },
      }));
      expect(() => app.synth()).not.toThrow();
      const domainResource = Object.values(Template.fromStack(stack).findResources('AWS::CodeArtifact::Domain'))[0];
      const name = domainResource.Properties.DomainName as string;
      const [statement] = domainResource.Properties.PermissionsPolicyDocument.Statement;
      expect(statement.Resource).toEqual(`arn:aws:codeartifact:us-east-1:123456789012:domain/${name}`);
      expect(statement.Condition).toEqual({ StringEquals: { 'aws:ResourceAccount': '123456789012', 'aws:ResourceTag/name': name } });
    });

    test('in an environment-agnostic stack the ARN uses the region and account pseudo parameters', () => {
      const agnostic = new Stack(testApp(), 'Agnostic');
      const domain = new Domain(agnostic, 'Domain', { domainName: 'acme' });
      domain.addToResourcePolicy(new iam.PolicyStatement({
        actions: ['codeartifact:GetAuthorizationToken'], resources: [domain.domainArn], principals: [new iam.AccountPrincipal('999999999999')],
      }));
      Template.fromStack(agnostic).hasResourceProperties('AWS::CodeArtifact::Domain', {
        PermissionsPolicyDocument: {
          Statement: [Match.objectLike({
            Resource: {
              'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':codeartifact:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':domain/acme']],
            },
          })],
        },
      });
    });
  });

  test('fails a resource policy statement without a principal', () => {
    const domain = new Domain(stack, 'Domain', { domainName: 'acme' });
    domain.addToResourcePolicy(new iam.PolicyStatement({ actions: ['codeartifact:GetAuthorizationToken'], resources: ['*'] }));
    expect(() => app.synth()).toThrow(/A PolicyStatement used in a resource-based policy must specify at least one IAM principal/);
  });

  test('grantLogin: authorization token on the domain and the bearer token with its service condition', () => {
    const domain = new Domain(stack, 'Domain', { domainName: 'acme' });
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('codebuild.amazonaws.com') });
    domain.grantLogin(role);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          BEARER,
          { Action: 'codeartifact:GetAuthorizationToken', Effect: 'Allow', Resource: { 'Fn::GetAtt': ['Domain66AC69E0', 'Arn'] } },
        ],
      },
    });
    Template.fromStack(stack).hasResourceProperties('AWS::CodeArtifact::Domain', { PermissionsPolicyDocument: Match.absent() });
  });

  test('grantLogin to another account also writes the domain policy', () => {
    const domain = new Domain(stack, 'Domain', { domainName: 'acme' });
    domain.grantLogin(new iam.AccountPrincipal('999999999999'));
    Template.fromStack(stack).hasResourceProperties('AWS::CodeArtifact::Domain', {
      PermissionsPolicyDocument: {
        Statement: [{
          Action: 'codeartifact:GetAuthorizationToken',
          Effect: 'Allow',
          Resource: '*',
          Principal: { AWS: 'arn:aws:iam::999999999999:root' },
        }],
      },
    });
  });

  describe('fromDomainArn', () => {
    test('reads name, owner and environment from the ARN', () => {
      const domain = Domain.fromDomainArn(stack, 'Imported', 'arn:aws:codeartifact:eu-west-1:222222222222:domain/shared');
      expect(domain.domainName).toBe('shared');
      expect(domain.domainOwner).toBe('222222222222');
      expect(domain.domainArn).toBe('arn:aws:codeartifact:eu-west-1:222222222222:domain/shared');
      expect(domain.env).toEqual(expect.objectContaining({ account: '222222222222', region: 'eu-west-1' }));
    });

    test.each([
      'arn:aws:codeartifact:eu-west-1:222222222222:repository/shared/repo',
      'arn:aws:s3:eu-west-1:222222222222:domain/shared',
      'arn:aws:codeartifact:eu-west-1:222222222222:domain/a/b',
    ])('fails %s', (arn) => {
      expect(() => Domain.fromDomainArn(stack, 'Imported', arn)).toThrow(/is not a CodeArtifact domain ARN; expected arn:<partition>:codeartifact/);
    });

    test('fails a token ARN', () => {
      const arn = new kms.Key(stack, 'K').keyArn;
      expect(() => Domain.fromDomainArn(stack, 'Imported', arn)).toThrow(/needs a literal ARN.*fromDomainAttributes/);
    });

    // open-constructs states it as "throws for an ARN without an account"; Terraform's aws_codeartifact_domain
    // import refuses the same ARN. Without the check the owner was '' and endpoints read https://my-domain-.d.codeartifact...
    test.each([
      ['an empty account', 'arn:aws:codeartifact:us-west-2::domain/my-domain', 'an empty account'],
      ['an empty region', 'arn:aws:codeartifact::222222222222:domain/my-domain', 'an empty region'],
      ['neither', 'arn:aws:codeartifact:::domain/my-domain', 'an empty account and an empty region'],
    ])('fails an ARN with %s, saying what is missing and how to get a complete ARN', (_, arn, missing) => {
      expect(() => Domain.fromDomainArn(stack, 'Imported', arn)).toThrow(
        `TestStack/Imported: invalid CodeArtifact domain ARN: '${arn}' has ${missing}; an import takes its account and region from `
        + 'the ARN, so it must be arn:<partition>:codeartifact:<region>:<account>:domain/<name>. Copy the ARN from '
        + '`aws codeartifact describe-domain --domain <name> --domain-owner <account> --query domain.arn`, or use '
        + 'Domain.fromDomainAttributes() with domainOwner.');
    });

    test('fails an ARN whose account is not 12 digits', () => {
      const arn = 'arn:aws:codeartifact:us-west-2:12345:domain/my-domain';
      expect(() => Domain.fromDomainArn(stack, 'Imported', arn)).toThrow(
        `TestStack/Imported: invalid CodeArtifact domain ARN: '${arn}' has the account '12345', but an AWS account id is 12 digits `
        + '(e.g. 123456789012); it must be arn:<partition>:codeartifact:<region>:<account>:domain/<name>. Copy the ARN from '
        + '`aws codeartifact describe-domain');
    });

    test('an imported domain adds no policy statement and warns', () => {
      const domain = Domain.fromDomainArn(stack, 'Imported', 'arn:aws:codeartifact:us-east-1:123456789012:domain/shared');
      const result = domain.addToResourcePolicy(new iam.PolicyStatement({
        actions: ['codeartifact:GetAuthorizationToken'], resources: ['*'], principals: [new iam.AccountRootPrincipal()],
      }));
      expect(result.statementAdded).toBe(false);
      new Domain(stack, 'Owned'); // a stack must define something to synthesize
      Annotations.fromStack(stack).hasWarning('/TestStack/Imported', Match.stringLikeRegexp('policy of the imported domain'));
      Annotations.fromStack(stack).hasWarning('/TestStack/Imported',
        Match.stringLikeRegexp(`\\[ack: ${WARNINGS.codeartifactImportedDomainPolicy}\\]`));
      expect(WARNINGS.codeartifactImportedDomainPolicy).toBe('cdk-devtools:codeartifact:importedDomainPolicy');
    });
  });

  test('fromDomainAttributes takes its account from the owner', () => {
    const domain = Domain.fromDomainAttributes(stack, 'Imported', { domainName: 'shared', domainOwner: '222222222222' });
    expect(domain.env).toEqual({ account: '222222222222', region: 'us-east-1' });
  });

  test('fromDomainAttributes defaults the owner to the stack account and keeps the key', () => {
    const key = kms.Key.fromKeyArn(stack, 'Key', 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    const domain = Domain.fromDomainAttributes(stack, 'Imported', { domainName: 'shared', encryptionKey: key });
    expect(domain.domainOwner).toBe('123456789012');
    expect(stack.resolve(domain.domainArn)).toEqual('arn:aws:codeartifact:us-east-1:123456789012:domain/shared');
    expect(domain.encryptionKey).toBe(key);
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('codebuild.amazonaws.com') });
    domain.grantLogin(role);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [BEARER, { Action: 'codeartifact:GetAuthorizationToken', Effect: 'Allow', Resource: stack.resolve(domain.domainArn) }] },
    });
  });

  test('addRepository defines a repository in the domain', () => {
    const domain = new Domain(stack, 'Domain', { domainName: 'acme' });
    const repository = domain.addRepository('Team', { repositoryName: 'team' });
    expect(repository.domain).toBe(domain);
    expect(repository.node.path).toBe('TestStack/Domain/Team');
    Template.fromStack(stack).hasResourceProperties('AWS::CodeArtifact::Repository', {
      RepositoryName: 'team', DomainName: { 'Fn::GetAtt': ['Domain66AC69E0', 'Name'] }, DomainOwner: { 'Fn::GetAtt': ['Domain66AC69E0', 'Owner'] },
    });
  });
});
