import * as path from 'path';
import { App, Stack, StackProps } from 'aws-cdk-lib';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import {
  Domain, ExternalConnection, GenericPackageVersion, OriginRestriction, PackageAsset, PackageFormat, PackageGroup, PackageManager,
  PackageOriginControl, PackageOriginMode, PackagePromotion, Repository,
} from '../../src/codeartifact';

/**
 * The organisation's package repositories: one encrypted domain, a "store" repository per public registry
 * upstream of the team repository, dependency-confusion defences for the internal scopes, a bootstrap
 * script published as a generic package and promoted to the release repository, and the CI build that reads and
 * publishes.
 */
export class PackageRepositoriesStack extends Stack {
  public readonly domain: Domain;
  public readonly team: Repository;
  public readonly release: Repository;

  constructor(scope: Construct, id: string, props: StackProps) {
    super(scope, id, props);
    const key = new kms.Key(this, 'PackagesKey', { enableKeyRotation: true, description: 'CodeArtifact domain assets' });
    this.domain = new Domain(this, 'Domain', { domainName: 'acme', encryptionKey: key });
    const stores = [ExternalConnection.NPMJS, ExternalConnection.PYPI, ExternalConnection.MAVEN_CENTRAL].map(connection =>
      this.domain.addRepository(`${connection.format.name}Store`, { repositoryName: `${connection.format.name}-store`, externalConnection: connection }));
    this.team = this.domain.addRepository('Team', { repositoryName: 'team', description: 'packages the teams publish', upstreams: stores });
    // What developers install from: only versions promoted from the team repository, so no upstreams.
    this.release = this.domain.addRepository('Release', { repositoryName: 'release', description: 'released packages, promoted from team' });

    // Internal names never come from a public registry, and only CI publishes them.
    new PackageGroup(this, 'InternalNpm', {
      domain: this.domain,
      pattern: '/npm/acme/*',
      description: 'the internal npm scope',
      contactInfo: 'platform@acme.example',
      externalUpstream: OriginRestriction.BLOCK,
      publish: OriginRestriction.allowSpecificRepositories([this.team]),
    });
    new PackageGroup(this, 'InternalPython', {
      domain: this.domain, pattern: '/pypi//acme-~', externalUpstream: OriginRestriction.BLOCK, internalUpstream: OriginRestriction.INHERIT,
    });
    // An unscoped internal npm name, blocked before anyone can publish it upstream.
    new PackageOriginControl(this, 'BuildToolsOrigin', {
      repository: this.team, format: PackageFormat.NPM, packageName: 'acme-build-tools', upstream: PackageOriginMode.BLOCK,
    });

    const loginScript = new GenericPackageVersion(this, 'LoginScript', {
      repository: this.team,
      namespace: 'developer-tools',
      packageName: 'codeartifact-login',
      version: '1.0.0',
      asset: PackageAsset.fromPath(path.join(__dirname, 'assets', 'codeartifact-login.sh')),
      assetName: 'codeartifact-login.sh',
    });
    // The version published above is released as is: copied, not rebuilt.
    const releaseLoginScript = new PackagePromotion(this, 'ReleaseLoginScript', {
      source: this.team,
      destination: this.release,
      format: PackageFormat.GENERIC,
      namespace: 'developer-tools',
      packageName: 'codeartifact-login',
      versions: ['1.0.0'],
    });
    releaseLoginScript.node.addDependency(loginScript);

    const npm = this.team.loginSettings(PackageManager.NPM);
    const pip = this.team.loginSettings(PackageManager.PIP);
    const build = new codebuild.Project(this, 'PublishBuild', {
      encryptionKey: key,
      environment: { buildImage: codebuild.LinuxBuildImage.STANDARD_7_0 },
      environmentVariables: npm.environmentVariables, // pip's login uses the same domain and repository variables
      buildSpec: codebuild.BuildSpec.fromObject({
        version: '0.2',
        phases: { install: { commands: [...npm.commands, ...pip.commands] }, build: { commands: ['npm ci', 'npm test', 'npm publish'] } },
      }),
    });
    this.team.grantPublish(build, PackageFormat.NPM);
    NagSuppressions.addResourceSuppressions(build, [
      { id: 'AwsSolutions-IAM5', reason: 'sts:GetServiceBearerToken has no resource-level permissions; publishing covers the npm packages of one repository' },
      { id: 'AwsSolutions-IAM5', reason: 'CodeBuild creates its log streams and report groups under generated names and uses its artifact key' },
    ], true);

    const topic = new sns.Topic(this, 'PackageEvents', { enforceSSL: true, masterKey: key });
    this.team.onPackageVersionStateChange('VersionChanged', { target: new targets.SnsTopic(topic) });
    key.grantEncryptDecrypt(new iam.ServicePrincipal('events.amazonaws.com'));
  }
}

/** Adds the CodeArtifact part of the platform. */
export function addPackageRepositories(app: App, env: { account: string; region: string }): Stack[] {
  return [new PackageRepositoriesStack(app, 'PackageRepositories', { env })];
}
