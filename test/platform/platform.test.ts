import { Match, Template } from 'aws-cdk-lib/assertions';
import { CODECATALYST_SPACE_CONTEXT } from './codecatalyst';
import { buildPlatform } from './platform';
import { expectNagClean, testApp } from '../kit';

describe('example platform', () => {
  test('every stack passes CloudFormation validation and cdk-nag', () => {
    const stacks = buildPlatform(testApp());
    expect(stacks.map(s => s.stackName)).toContain('DeliveryFoundation');
    for (const stack of stacks) {
      Template.fromStack(stack);
      expectNagClean(stack);
    }
  });

  test('synthesizes without a warning', () => {
    const app = testApp();
    buildPlatform(app);
    const warnings = app.synth().stacks.flatMap(a => a.messages).filter(m => m.level !== 'info').map(m => `${m.id}: ${m.entry.data}`);
    expect(warnings).toEqual([]);
  });

  test('the artifact bucket is versioned, encrypted and logged', () => {
    const [foundation] = buildPlatform(testApp());
    Template.fromStack(foundation).hasResourceProperties('AWS::S3::Bucket', {
      VersioningConfiguration: { Status: 'Enabled' },
      LoggingConfiguration: { LogFilePrefix: 'artifacts/' },
    });
  });

  test('access logs arrive under a bucket policy, not the deprecated ACL', () => {
    const [foundation] = buildPlatform(testApp());
    const template = Template.fromStack(foundation);
    for (const bucket of Object.values<any>(template.findResources('AWS::S3::Bucket'))) {
      expect(bucket.Properties.AccessControl).toBeUndefined();
    }
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'logging.s3.amazonaws.com' } })]) },
    });
  });
});

describe('source connections', () => {
  test('waits for the GitHub connection and Git-syncs the network stack', () => {
    const stacks = buildPlatform(testApp());
    const source = stacks.find(s => s.stackName === 'SourceConnections')!;
    const template = Template.fromStack(source);
    template.hasResourceProperties('AWS::CodeConnections::Connection', { ConnectionName: 'org-github', ProviderType: 'GitHub' });
    template.resourceCountIs('Custom::CdkDevtoolsConnectionAvailability', 1);
    template.hasResourceProperties('AWS::CodeStarConnections::SyncConfiguration', { ResourceName: 'network', Branch: 'main' });
  });

  test('the network stack\'s Git sync is watched: one function on a schedule, blocker and failed-sync alarms to a topic', () => {
    const source = buildPlatform(testApp()).find(s => s.stackName === 'SourceConnections')!;
    const template = Template.fromStack(source);
    // The watch's, and the stack's one cdk-devtools provider's (the connection wait).
    const watchers = template.findResources('AWS::Lambda::Function', { Properties: { Environment: { Variables: Match.objectLike({ WATCH_NAME: Match.anyValue() }) } } });
    expect(Object.keys(watchers)).toHaveLength(1);
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(5 minutes)' });
    const topic = Object.keys(template.findResources('AWS::SNS::Topic'))[0];
    for (const metricName of ['SyncBlockers', 'LatestSyncFailed']) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'cdk-devtools/CodeConnections', MetricName: metricName, AlarmActions: [{ Ref: topic }], OKActions: [{ Ref: topic }],
      });
    }
  });
});

describe('example platform: web hosting (amplify)', () => {
  test('the marketing site, the monorepo portal and the handbook deployed from a directory', () => {
    const stack = buildPlatform(testApp()).find(s => s.stackName === 'WebHosting')!;
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Amplify::App', 3);
    template.resourceCountIs('AWS::Amplify::Branch', 4);
    template.resourceCountIs('Custom::CdkDevtoolsAmplifyBuild', 1);
    template.resourceCountIs('Custom::CdkDevtoolsAmplifyDeployment', 1);
    template.hasResourceProperties('Custom::CdkDevtoolsAmplifyBackendEnvironment', { EnvironmentName: 'staging' });
    template.hasResourceProperties('Custom::CdkDevtoolsAmplifyBranchSettings', {
      DisplayName: 'Staging', BackendEnvironmentArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('StagingBackend'), 'BackendEnvironmentArn'] },
    });
    template.resourceCountIs('AWS::Amplify::Domain', 1);
    template.resourceCountIs('AWS::Amplify::Webhook', 1);
    template.hasResourceProperties('AWS::Amplify::App', {
      Name: 'CustomerPortal',
      EnvironmentVariables: [{ Name: 'AMPLIFY_MONOREPO_APP_ROOT', Value: 'apps/portal' }],
      AccessToken: '{{resolve:secretsmanager:platform/github-access-token:SecretString:::}}',
    });
  });
});

describe('package repositories', () => {
  test('an encrypted domain, stores upstream of the team repository, and dependency-confusion defences', () => {
    const stacks = buildPlatform(testApp());
    const packages = stacks.find(s => s.stackName === 'PackageRepositories')!;
    const template = Template.fromStack(packages);
    template.hasResourceProperties('AWS::CodeArtifact::Domain', { DomainName: 'acme', EncryptionKey: Match.anyValue() });
    const team = Object.values<any>(template.findResources('AWS::CodeArtifact::Repository', { Properties: { RepositoryName: 'team' } }))[0];
    expect(team.Properties.Upstreams).toHaveLength(3);
    template.resourceCountIs('AWS::CodeArtifact::Repository', 5);
    template.hasResourceProperties('AWS::CodeArtifact::PackageGroup', {
      Pattern: '/npm/acme/*', OriginConfiguration: { Restrictions: Match.objectLike({ ExternalUpstream: { RestrictionMode: 'BLOCK' } }) },
    });
    template.resourceCountIs('Custom::CdkDevtoolsCodeArtifactPackageOriginControl', 1);
    template.resourceCountIs('Custom::CdkDevtoolsCodeArtifactGenericPackageVersion', 1);
  });

  test('the login script is promoted from team to release once it is published', () => {
    const packages = buildPlatform(testApp()).find(s => s.stackName === 'PackageRepositories')!;
    const template = Template.fromStack(packages);
    const release = Object.values<any>(template.findResources('AWS::CodeArtifact::Repository', { Properties: { RepositoryName: 'release' } }))[0];
    expect(release.Properties.Upstreams).toBeUndefined();
    const published = Object.keys(template.findResources('Custom::CdkDevtoolsCodeArtifactGenericPackageVersion'))[0];
    template.hasResource('Custom::CdkDevtoolsCodeArtifactPackagePromotion', {
      Properties: Match.objectLike({ Format: 'generic', Namespace: 'developer-tools', Package: 'codeartifact-login' }),
      DependsOn: Match.arrayWith([published]),
    });
  });
});

describe('release pipeline (codepipeline)', () => {
  test('a change-ticket custom action in the release pipeline, its worker and failure alerts', () => {
    const stack = buildPlatform(testApp()).find(s => s.stackName === 'ReleasePipeline')!;
    const template = Template.fromStack(stack);
    template.hasResource('AWS::CodePipeline::CustomActionType', {
      Properties: { Category: 'Deploy', Provider: 'AcmeChangeTicket', Version: '1' },
      DeletionPolicy: 'Retain',
    });
    template.hasResourceProperties('AWS::CodePipeline::Pipeline', {
      Stages: Match.arrayWith([Match.objectLike({
        Name: 'Production',
        Actions: [Match.objectLike({
          ActionTypeId: { Category: 'Deploy', Owner: 'Custom', Provider: 'AcmeChangeTicket', Version: '1' },
          Configuration: { Environment: 'prod', Service: 'checkout', ApiToken: '{{resolve:secretsmanager:platform/change-api-token:SecretString:::}}' },
        })],
      })]),
    });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { detail: { state: ['FAILED'], type: { owner: ['Custom'], provider: ['AcmeChangeTicket'] } } },
    });
  });

  test('a run enters production only while production is out of alarm (a native entry condition, granted to the pipeline role)', () => {
    const stack = buildPlatform(testApp()).find(s => s.stackName === 'ReleasePipeline')!;
    const template = Template.fromStack(stack);
    const alarm = Object.keys(template.findResources('AWS::CloudWatch::Alarm', { Properties: { Dimensions: [{ Name: 'Environment', Value: 'prod' }] } }))[0];
    template.hasResourceProperties('AWS::CodePipeline::Pipeline', {
      Stages: Match.arrayWith([Match.objectLike({
        Name: 'Production',
        BeforeEntry: {
          Conditions: [{
            Result: 'FAIL',
            Rules: [Match.objectLike({
              Name: 'ProductionHealthy',
              RuleTypeId: Match.objectLike({ Category: 'Rule', Owner: 'AWS', Provider: 'CloudWatchAlarm' }),
              Configuration: { AlarmName: { Ref: alarm }, AlarmStates: 'ALARM', WaitTime: '20' },
            })],
          }],
        },
      })]),
    });
    const pipelineRole = Object.keys(template.findResources('AWS::IAM::Role', {
      Properties: { AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'codepipeline.amazonaws.com' } })] } },
    }));
    expect(pipelineRole).toHaveLength(1);
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: pipelineRole[0] }],
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Action: ['cloudwatch:DescribeAlarmHistory', 'cloudwatch:DescribeAlarms'], Resource: { 'Fn::GetAtt': [alarm, 'Arn'] },
        })]),
      },
    });
  });

  test('the promotion is decided by an approval gate (one state machine started when the approval starts); a scheduled year-end freeze', () => {
    const stack = buildPlatform(testApp()).find(s => s.stackName === 'ReleasePipeline')!;
    const template = Template.fromStack(stack);
    // The gate's, and the provider's waiter (the freeze window is a custom resource too).
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 2);
    template.resourceCountIs('AWS::Scheduler::Schedule', 2);
    template.resourceCountIs('Custom::CdkDevtoolsCodePipelineFreezeWindow', 1);
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.objectLike({ detail: Match.objectLike({ stage: ['Promote'], action: ['ApproveProduction'], state: ['STARTED'] }) }),
    });
  });
});

describe('example platform: developer workspace (codecatalyst)', () => {
  test('is left out unless the context names a space', () => {
    expect(buildPlatform(testApp()).map(s => s.stackName)).not.toContain('DeveloperWorkspace');
  });

  test('with a space: the project, repository, release branch, a stopped dev environment and an awaited Build run, nag clean and warning free', () => {
    const app = testApp({ context: { [CODECATALYST_SPACE_CONTEXT]: 'acme-corp' } });
    const stack = buildPlatform(app).find(s => s.stackName === 'DeveloperWorkspace')!;
    const template = Template.fromStack(stack);
    template.hasResourceProperties('Custom::CdkDevtoolsCodeCatalystSpace', { SpaceName: 'acme-corp', TokenSsoSession: 'codecatalyst', TokenJsonField: Match.absent() });
    template.resourceCountIs('Custom::CdkDevtoolsCodeCatalystProject', 1);
    template.hasResourceProperties('Custom::CdkDevtoolsCodeCatalystBranch', { BranchName: 'release/2026' });
    template.hasResourceProperties('Custom::CdkDevtoolsCodeCatalystDevEnvironment', { DesiredState: 'STOPPED', StorageGiB: 32 });
    template.hasResourceProperties('Custom::CdkDevtoolsCodeCatalystWorkflowRun', { WorkflowName: 'Build', Wait: 'true' });
    expectNagClean(stack);
    const warnings = app.synth().stacks.flatMap(a => a.messages).filter(m => m.level !== 'info');
    expect(warnings).toEqual([]);
  });
});
