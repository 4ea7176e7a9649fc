import { App, Duration, Stack, StackProps } from 'aws-cdk-lib';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { Connection, ProviderType, StackGitSync, SyncHealth } from '../../src/codeconnections';

/**
 * Source connections of the organisation: one GitHub connection that deployments wait for, the network stack
 * kept in step with its template by CloudFormation Git sync, and a watch that tells the platform team when that
 * sync is blocked or failing.
 */
export class SourceConnectionsStack extends Stack {
  public readonly github: Connection;

  constructor(scope: Construct, id: string, props: StackProps) {
    super(scope, id, props);
    this.github = new Connection(this, 'GitHub', {
      connectionName: 'org-github',
      providerType: ProviderType.GITHUB,
      waitForAvailability: true,
      timeout: Duration.minutes(45),
      createOutputs: true,
    });
    const sync = new StackGitSync(this, 'NetworkSync', {
      connection: this.github,
      owner: 'example-org',
      repositoryName: 'network',
      branch: 'main',
      stackName: 'network',
      templatePath: 'cloudformation/network.yaml',
      parameters: { Environment: 'prod' },
      tags: { team: 'platform' },
    });
    // Git sync deploys the template's resources with its role: this template only defines VPC resources.
    sync.syncConfiguration.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['ec2:*'], resources: ['*'] }));
    NagSuppressions.addResourceSuppressions(sync.syncConfiguration.role, [
      { id: 'AwsSolutions-IAM5', reason: 'the Git-synced network stack manages VPC resources whose ids are only known when created' },
    ], true);

    // A blocked sync stops the network stack following its branch without a word: alarm on blockers and failed syncs.
    const syncAlerts = new sns.Topic(this, 'SyncAlerts', { enforceSSL: true });
    new SyncHealth(this, 'SyncHealth', { stackGitSyncs: [sync], notificationTopic: syncAlerts });

    // A build that clones through the connection.
    const build = new codebuild.Project(this, 'Lint', {
      source: codebuild.Source.gitHub({ owner: 'example-org', repo: 'network' }),
      buildSpec: codebuild.BuildSpec.fromObject({ version: '0.2', phases: { build: { commands: ['make lint'] } } }),
      environment: { buildImage: codebuild.LinuxBuildImage.STANDARD_7_0 },
    });
    this.github.grantUse(build);
    NagSuppressions.addResourceSuppressions(build, [
      { id: 'AwsSolutions-CB4', reason: 'the lint build produces no artifacts worth a customer managed key' },
      { id: 'AwsSolutions-IAM5', reason: 'CodeBuild creates its log streams and report groups under generated names' },
    ], true);
  }
}

/** Adds the CodeConnections part of the platform. */
export function addSourceConnections(app: App, env: { account: string; region: string }): Stack[] {
  return [new SourceConnectionsStack(app, 'SourceConnections', { env })];
}
