import { Duration, Fn, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import {
  Connection, IConnection, ProviderType, RepositoryLink, StackGitSync, SyncConfiguration, TriggerResourceUpdateOn,
} from '../../src/codeconnections';
import { expectNagClean, nagErrors, testStack } from '../kit';

let stack: Stack;
let connection: IConnection;
beforeEach(() => {
  stack = testStack();
  connection = new Connection(stack, 'GitHub', { connectionName: 'github', providerType: ProviderType.GITHUB });
});

describe('RepositoryLink', () => {
  test('links a repository through a connection, with an optional key', () => {
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    const link = new RepositoryLink(stack, 'Link', { connection, owner: 'my-org', repositoryName: 'infra', encryptionKey: key });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::CodeStarConnections::RepositoryLink', {
      ConnectionArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^GitHub'), 'ConnectionArn'] },
      OwnerId: 'my-org',
      RepositoryName: 'infra',
      EncryptionKeyArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] },
    });
    const id = Object.keys(template.findResources('AWS::CodeStarConnections::RepositoryLink'))[0];
    expect(stack.resolve(link.repositoryLinkId)).toEqual({ 'Fn::GetAtt': [id, 'RepositoryLinkId'] });
    expect(stack.resolve(link.repositoryLinkArn)).toEqual({ 'Fn::GetAtt': [id, 'RepositoryLinkArn'] });
    expect(stack.resolve(link.repositoryLinkProviderType)).toEqual({ 'Fn::GetAtt': [id, 'ProviderType'] });
  });

  test.each([
    ['an owner too long', { owner: 'o'.repeat(256), repositoryName: 'r' }, /invalid owner: 'o+\.\.\. has 256 characters; CodeConnections allows 1 to 255 characters\. Give the user or organisation exactly as it appears in the repository URL, e.g. my-org/],
    ['an empty repository name', { owner: 'o', repositoryName: '' }, /invalid repositoryName: '' has 0 characters; .*\. Give the repository name as it appears in its URL, e.g. app for https:\/\/github.com\/my-org\/app/],
    ['an owner/name pair as name', { owner: 'o', repositoryName: 'my-org/infra' }, /repositoryName is the name alone, got 'my-org\/infra'; pass the part before '\/' as owner/],
  ])('fails with %s', (_, props: any, message) => {
    expect(() => new RepositoryLink(stack, 'Link', { connection, ...props })).toThrow(message);
  });

  test('imports by ARN', () => {
    const link = RepositoryLink.fromRepositoryLinkArn(stack, 'L',
      'arn:aws:codestar-connections:us-east-1:123456789012:repository-link/6053346f-8a33-4edb-9397-10394decae22');
    expect(link.repositoryLinkId).toBe('6053346f-8a33-4edb-9397-10394decae22');
    expect(() => RepositoryLink.fromRepositoryLinkArn(stack, 'Bad', 'arn:aws:codestar-connections:us-east-1:123456789012:connection/x'))
      .toThrow(/is not a repository link ARN/);
  });
});

describe('SyncConfiguration', () => {
  test('creates a least-privilege Git sync role and is deleted before its link', () => {
    const link = new RepositoryLink(stack, 'Link', { connection, owner: 'my-org', repositoryName: 'infra' });
    const sync = new SyncConfiguration(stack, 'Sync', {
      repositoryLink: link,
      branch: 'main',
      configFile: 'deploy/network.yaml',
      stackName: 'network',
      publishDeploymentStatus: true,
      triggerResourceUpdateOn: TriggerResourceUpdateOn.FILE_CHANGE,
    });
    const template = Template.fromStack(stack);
    const linkId = Object.keys(template.findResources('AWS::CodeStarConnections::RepositoryLink'))[0];
    template.hasResourceProperties('AWS::CodeStarConnections::SyncConfiguration', {
      RepositoryLinkId: { 'Fn::GetAtt': [linkId, 'RepositoryLinkId'] },
      Branch: 'main',
      ConfigFile: 'deploy/network.yaml',
      ResourceName: 'network',
      SyncType: 'CFN_STACK_SYNC',
      PublishDeploymentStatus: 'ENABLED',
      TriggerResourceUpdateOn: 'FILE_CHANGE',
      RoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SyncRole'), 'Arn'] },
    });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [{ Principal: { Service: 'cloudformation.sync.codeconnections.amazonaws.com' } }] },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          {
            Action: Match.arrayWith(['cloudformation:CreateChangeSet', 'cloudformation:ExecuteChangeSet']),
            Resource: 'arn:aws:cloudformation:us-east-1:123456789012:stack/network/*',
          },
          { Action: ['cloudformation:ListStacks', 'cloudformation:ValidateTemplate'], Resource: '*' },
          {
            Action: ['events:PutRule', 'events:PutTargets'],
            Condition: { StringEquals: { 'events:ManagedBy': 'cloudformation.sync.codeconnections.amazonaws.com' } },
            Resource: 'arn:aws:events:us-east-1:123456789012:rule/*',
          },
          { Action: 'events:DescribeRule' },
        ],
      },
    });
    // The sync configuration waits for its role's policy.
    const [, syncResource] = Object.entries<any>(template.findResources('AWS::CodeStarConnections::SyncConfiguration'))[0];
    expect(syncResource.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^SyncGitSyncPolicy/), expect.stringMatching(/^SyncRole/)]));
    expect(sync.syncConfigurationStackName).toBe('network');
    expectNagClean(stack);
  });

  test('accepts exactly its own wildcard findings: a wildcard the user adds to the role is reported by cdk-nag', () => {
    const link = new RepositoryLink(stack, 'Link', { connection, owner: 'my-org', repositoryName: 'infra' });
    const sync = new SyncConfiguration(stack, 'Sync', { repositoryLink: link, branch: 'main', configFile: 'd.yaml', stackName: 'network' });
    // What the synced template's resources need, as the role's docs invite: here far too much.
    sync.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['ec2:*'], resources: ['*'] }));
    const template = Template.fromStack(stack);
    const [, policy] = Object.entries<any>(template.findResources('AWS::IAM::Policy', { Metadata: Match.objectLike({ cdk_nag: Match.anyValue() }) }))[0];
    expect(policy.Metadata.cdk_nag.rules_to_suppress).toEqual([{
      id: 'AwsSolutions-IAM5',
      reason: expect.stringMatching(/^Git sync creates change sets/),
      applies_to: ['Resource::arn:aws:cloudformation:us-east-1:123456789012:stack/network/*', 'Resource::*',
        'Resource::arn:aws:events:us-east-1:123456789012:rule/*'],
    }]);
    template.hasResource('AWS::IAM::Role', { Metadata: Match.absent() });
    expect(nagErrors(stack)).toEqual([
      expect.stringMatching(/^\/TestStack\/Sync\/Role\/DefaultPolicy\/Resource: AwsSolutions-IAM5\[Action::ec2:\*\]/),
      expect.stringMatching(/^\/TestStack\/Sync\/Role\/DefaultPolicy\/Resource: AwsSolutions-IAM5\[Resource::\*\]/),
    ]);
  });

  test('uses a supplied role and publishes no status by default', () => {
    const link = RepositoryLink.fromRepositoryLinkArn(stack, 'L', 'arn:aws:codestar-connections:us-east-1:123456789012:repository-link/6053346f-8a33-4edb-9397-10394decae22');
    const role = iam.Role.fromRoleArn(stack, 'Role', 'arn:aws:iam::123456789012:role/git-sync');
    new SyncConfiguration(stack, 'Sync', { repositoryLink: link, branch: 'main', configFile: 'd.yaml', stackName: 'app', role });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::CodeStarConnections::SyncConfiguration', {
      RoleArn: 'arn:aws:iam::123456789012:role/git-sync',
      RepositoryLinkId: '6053346f-8a33-4edb-9397-10394decae22',
      PublishDeploymentStatus: Match.absent(),
    });
    template.resourceCountIs('AWS::IAM::Role', 0);
  });

  test.each([
    ['a stack name with an underscore first', { stackName: '_app' }, /Sync: invalid stackName: '_app' is not a name CloudFormation gives a stack; a stack name has letters, digits and hyphens only and starts with a letter\. Use hyphens between words and start with a letter, e\.g\. 'app'$/],
    ['a stack name with an underscore', { stackName: 'network_prod' }, /invalid stackName: 'network_prod' is not a name CloudFormation gives a stack; .* e\.g\. 'network-prod'$/],
    ['a stack name with a digit first', { stackName: '1network' }, /invalid stackName: '1network' is not a name CloudFormation gives a stack; .* e\.g\. 'network'$/],
    ['a branch name Git refuses', { branch: 'feature branch' }, /Sync: invalid branch: 'feature branch' is not a valid Git branch name \(no spaces, .*\)\. Give the branch name alone, as `git branch` shows it, e\.g\. main/],
    ['a stack name too long', { stackName: 'a'.repeat(101) }, /has 101 characters; CodeConnections allows 1 to 100/],
    ['an empty branch', { branch: '' }, /invalid branch: '' has 0 characters; .*\. Give the branch name alone, as `git branch` shows it, e.g. main, without refs\/heads\//],
    ['an absolute config file', { configFile: '/deploy.yaml' }, /configFile is a path relative to the repository root, such as 'deployment-file.yaml', got '\/deploy.yaml'/],
  ])('fails with %s', (_, override: any, message) => {
    const link = new RepositoryLink(stack, 'Link', { connection, owner: 'o', repositoryName: 'r' });
    expect(() => new SyncConfiguration(stack, 'Sync', { repositoryLink: link, branch: 'main', configFile: 'd.yaml', stackName: 'app', ...override }))
      .toThrow(message);
  });
});

describe('StackGitSync', () => {
  test('creates the link, the sync configuration and the role, and renders the deployment file', () => {
    const sync = new StackGitSync(stack, 'Network', {
      connection,
      owner: 'my-org',
      repositoryName: 'infra',
      branch: 'main',
      stackName: 'network',
      templatePath: 'network/template.yaml',
      parameters: { Env: 'prod', Cidr: '10.0.0.0/16', Flag: 'true' },
      tags: { team: 'platform' },
    });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::CodeStarConnections::RepositoryLink', 1);
    template.hasResourceProperties('AWS::CodeStarConnections::SyncConfiguration', { ConfigFile: 'deployment-file.yaml', ResourceName: 'network' });
    expect(sync.deploymentFilePath).toBe('deployment-file.yaml');
    expect(sync.deploymentFile).toBe([
      'template-file-path: network/template.yaml',
      'parameters:',
      '  Cidr: 10.0.0.0/16',
      '  Env: prod',
      '  Flag: "true"',
      'tags:',
      '  team: platform',
      '',
    ].join('\n'));
    expectNagClean(stack);
  });

  test.each([
    ['an absolute template path', { templatePath: '/infra/template.yaml' }, /S: invalid templatePath: '\/infra\/template\.yaml' is not a path in the repository; Git sync reads the template relative to the repository root\. Give the path as `git ls-files` shows it, e\.g\. 'infra\/template\.yaml'$/],
    ['a home-relative template path', { templatePath: '~/template.yaml' }, /invalid templatePath: '~\/template\.yaml' is not a path in the repository/],
    ['a CloudFormation-refused stack name', { stackName: 'network_prod' }, /S\/SyncConfiguration: invalid stackName: 'network_prod' is not a name CloudFormation gives a stack/],
    ['a branch name Git refuses', { branch: 'feature branch' }, /S\/SyncConfiguration: invalid branch: 'feature branch' is not a valid Git branch name/],
  ])('fails with %s', (_, override: any, message) => {
    expect(() => new StackGitSync(stack, 'S', {
      connection, owner: 'o', repositoryName: 'r', branch: 'main', stackName: 'app', templatePath: 't.yaml', ...override,
    })).toThrow(message);
  });

  test('fails with a connection of another region than the stack', () => {
    const elsewhere = Connection.fromConnectionArn(stack, 'Elsewhere',
      'arn:aws:codeconnections:eu-west-1:123456789012:connection/6053346f-8a33-4edb-9397-10394decae22');
    expect(() => new StackGitSync(stack, 'S', {
      connection: elsewhere, owner: 'o', repositoryName: 'r', branch: 'main', stackName: 'app', templatePath: 't.yaml',
    })).toThrow(/^TestStack\/S\/RepositoryLink: the connection TestStack\/Elsewhere is in region eu-west-1, but this stack deploys to us-east-1; a repository link \(and a Git sync\) uses a connection of its own region\. Define the link in a stack of eu-west-1 \(env: \{ region: 'eu-west-1' \}\), or create a connection in us-east-1 and use that one$/);
  });

  test('accepts a connection of the stack\'s region, or one whose region is a token', () => {
    const same = Connection.fromConnectionArn(stack, 'Same',
      'arn:aws:codeconnections:us-east-1:123456789012:connection/6053346f-8a33-4edb-9397-10394decae22');
    new StackGitSync(stack, 'S1', { connection: same, owner: 'o', repositoryName: 'r', branch: 'main', stackName: 'app1', templatePath: 't.yaml' });
    const fromToken = Connection.fromConnectionArn(stack, 'Token', Fn.importValue('SharedConnectionArn'));
    new StackGitSync(stack, 'S2', { connection: fromToken, owner: 'o', repositoryName: 'r', branch: 'main', stackName: 'app2', templatePath: 't.yaml' });
    Template.fromStack(stack).resourceCountIs('AWS::CodeStarConnections::SyncConfiguration', 2);
  });

  test('fails when the deployment file would hold a token', () => {
    expect(() => new StackGitSync(stack, 'S', {
      connection,
      owner: 'o',
      repositoryName: 'r',
      branch: 'main',
      stackName: 'app',
      templatePath: 't.yaml',
      parameters: { Bucket: stack.account === '123456789012' ? stack.urlSuffix : 'x' },
    })).toThrow(/the deployment file is committed to the repository, so parameters.Bucket must be a literal, not a token/);
  });
});

describe('StackGitSync waitForFirstSync', () => {
  const base = { owner: 'my-org', repositoryName: 'infra', branch: 'main', stackName: 'network', templatePath: 'network/template.yaml' };

  test('a wait for the first sync, after the sync configuration, bounded under CloudFormation\'s hour, that may only read sync state', () => {
    const sync = new StackGitSync(stack, 'Sync', { connection, ...base, waitForFirstSync: true });
    const template = Template.fromStack(stack);
    const waits = template.findResources('Custom::CdkDevtoolsGitSyncFirstSync');
    expect(Object.values(waits)).toHaveLength(1);
    const [wait] = Object.values(waits) as any[];
    expect(wait.Properties).toMatchObject({
      StackName: 'network', Branch: 'main', ConfigFile: 'deployment-file.yaml', TimeoutSeconds: 2700, PollIntervalSeconds: 30, ServiceTimeout: '3600',
    });
    expect(wait.DependsOn).toEqual(expect.arrayContaining([stack.getLogicalId(sync.syncConfiguration.node.defaultChild as any)]));
    const role = template.findResources('AWS::IAM::Role', { Properties: { Path: '/cdk-devtools/' } });
    const roleId = Object.keys(role).find(id => JSON.stringify(wait.Properties.RoleArn).includes(id))!;
    const statements = [
      ...(role[roleId].Properties.Policies ?? []).flatMap((p: any) => p.PolicyDocument.Statement),
    ];
    expect(statements).toEqual([{
      Effect: 'Allow',
      Action: ['codeconnections:GetResourceSyncStatus', 'codeconnections:GetSyncBlockerSummary',
        'codestar-connections:GetResourceSyncStatus', 'codestar-connections:GetSyncBlockerSummary'],
      Resource: '*',
    }]);
    expectNagClean(stack);
  });

  test('the timeout and poll interval are the caller\'s', () => {
    new StackGitSync(stack, 'Sync', {
      connection, ...base, waitForFirstSync: true, timeout: Duration.minutes(20), pollInterval: Duration.minutes(1),
    });
    Template.fromStack(stack).hasResourceProperties('Custom::CdkDevtoolsGitSyncFirstSync', { TimeoutSeconds: 1200, PollIntervalSeconds: 60 });
  });

  test('without waitForFirstSync nothing waits', () => {
    new StackGitSync(stack, 'Sync', { connection, ...base });
    Template.fromStack(stack).resourceCountIs('Custom::CdkDevtoolsGitSyncFirstSync', 0);
  });

  test.each([
    ['a timeout without the wait', { timeout: Duration.minutes(5) }, 'TestStack/Sync: timeout only applies with waitForFirstSync: true; set it or remove timeout'],
    ['a poll interval without the wait', { pollInterval: Duration.minutes(1) }, /pollInterval only applies with waitForFirstSync: true/],
    ['a timeout past 45 minutes', { waitForFirstSync: true, timeout: Duration.hours(1) }, /TestStack\/Sync: timeout must be between 1 minute and 45 minutes, got 1 hour/],
    ['a poll interval under 5 seconds', { waitForFirstSync: true, pollInterval: Duration.seconds(1) }, /pollInterval must be a whole number of seconds between 5 seconds and 5 minutes/],
  ])('refuses %s', (_, extra: any, message) => {
    expect(() => new StackGitSync(stack, 'Sync', { connection, ...base, ...extra })).toThrow(message);
  });
});
