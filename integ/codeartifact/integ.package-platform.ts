/**
 * A package platform: a KMS-encrypted domain, an npm proxy ("store") repository upstream of a team
 * repository, a package group that blocks public npm packages for the internal scope, an origin control,
 * a generic package published from a local file and promoted to a release repository, and a CodeBuild project
 * that reads and publishes.
 */
import * as path from 'path';
import { ExpectedResult } from '@aws-cdk/integ-tests-alpha';
import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as kms from 'aws-cdk-lib/aws-kms';
import { NagSuppressions } from 'cdk-nag';
import {
  Domain, ExternalConnection, GenericPackageVersion, OriginRestriction, PackageAsset, PackageFormat, PackageGroup, PackageManager,
  PackageOriginControl, PackageOriginMode, PackagePromotion, PackageVersionRemovalPolicy,
} from '../../src/codeartifact';
import { integApp, integTest } from '../support';

const app = integApp();
const stack = new Stack(app, 'CodeArtifactPackagePlatform');

const key = new kms.Key(stack, 'Key', { enableKeyRotation: true, removalPolicy: RemovalPolicy.DESTROY });
const domain = new Domain(stack, 'Domain', { domainName: 'integ-packages', encryptionKey: key, removalPolicy: RemovalPolicy.DESTROY });
const npmStore = domain.addRepository('NpmStore', {
  repositoryName: 'npm-store', externalConnection: ExternalConnection.NPMJS, removalPolicy: RemovalPolicy.DESTROY,
});
const team = domain.addRepository('Team', {
  repositoryName: 'team', description: 'team packages', upstreams: [npmStore], removalPolicy: RemovalPolicy.DESTROY,
});

// Dependency-confusion defence: nothing in the internal scope comes from npmjs.com.
const internal = new PackageGroup(stack, 'Internal', {
  domain,
  pattern: '/npm/acme/*',
  description: 'internal npm scope',
  contactInfo: 'platform@example.com',
  externalUpstream: OriginRestriction.BLOCK,
  publish: OriginRestriction.allowSpecificRepositories([team]),
});
new PackageOriginControl(stack, 'UiOrigin', {
  repository: team, format: PackageFormat.NPM, namespace: 'acme', packageName: 'ui', upstream: PackageOriginMode.BLOCK,
});
const cli = new GenericPackageVersion(stack, 'DeployCli', {
  repository: team,
  namespace: 'tools',
  packageName: 'deploy-cli',
  version: '1.0.0',
  asset: PackageAsset.fromPath(path.join(__dirname, 'fixtures', 'deploy-cli.sh')),
  assetName: 'deploy-cli.sh',
  removalPolicy: PackageVersionRemovalPolicy.DELETE,
});
// The version tested from `team` is released: copied to `release` once it is published.
const release = domain.addRepository('Release', { repositoryName: 'release', removalPolicy: RemovalPolicy.DESTROY });
new PackagePromotion(stack, 'ReleaseDeployCli', {
  source: team,
  destination: release,
  format: PackageFormat.GENERIC,
  namespace: 'tools',
  packageName: 'deploy-cli',
  versions: ['1.0.0'],
}).node.addDependency(cli);

const npm = team.loginSettings(PackageManager.NPM);
const project = new codebuild.Project(stack, 'Build', {
  encryptionKey: key,
  environmentVariables: npm.environmentVariables,
  buildSpec: codebuild.BuildSpec.fromObject({
    version: '0.2',
    phases: { install: { commands: npm.commands }, build: { commands: ['npm view @acme/ui || true', 'npm publish'] } },
  }),
});
team.grantPublish(project, PackageFormat.NPM);
NagSuppressions.addResourceSuppressions(project, [{
  id: 'AwsSolutions-IAM5',
  reason: 'sts:GetServiceBearerToken has no resource-level permissions; browsing covers the packages of one repository and '
    + 'publishing its npm packages, and package actions authorize on package ARNs only',
  appliesTo: ['Resource::*', { regex: '/^Resource::arn:<AWS::Partition>:codeartifact:.*:package/.*/(npm/)?\\*$/g' }],
}, {
  id: 'AwsSolutions-IAM5',
  reason: 'CodeBuild\'s own grants: its log group and report group by project-name wildcards, and its artifact key',
  appliesTo: [{ regex: '/^Resource::arn:<AWS::Partition>:(logs|codebuild):.*$/g' }, 'Action::kms:ReEncrypt*', 'Action::kms:GenerateDataKey*'],
}], true);

const test = integTest(app, 'PackagePlatform', [stack]);
test.assertions.awsApiCall('CodeArtifact', 'describeDomain', { domain: 'integ-packages' })
  .expect(ExpectedResult.objectLike({ domain: { name: 'integ-packages', encryptionKey: key.keyArn, status: 'Active' } }));
test.assertions.awsApiCall('CodeArtifact', 'describeRepository', { domain: 'integ-packages', repository: 'team' })
  .expect(ExpectedResult.objectLike({ repository: { name: 'team', upstreams: [{ repositoryName: 'npm-store' }] } }));
test.assertions.awsApiCall('CodeArtifact', 'describeRepository', { domain: 'integ-packages', repository: 'npm-store' })
  .expect(ExpectedResult.objectLike({ repository: { externalConnections: [{ externalConnectionName: 'public:npmjs', packageFormat: 'npm' }] } }));
test.assertions.awsApiCall('CodeArtifact', 'describePackageGroup', { domain: 'integ-packages', packageGroup: internal.packageGroupPattern })
  .expect(ExpectedResult.objectLike({
    packageGroup: { originConfiguration: { restrictions: { EXTERNAL_UPSTREAM: { mode: 'BLOCK' }, PUBLISH: { mode: 'ALLOW_SPECIFIC_REPOSITORIES' } } } },
  }));
test.assertions.awsApiCall('CodeArtifact', 'describePackage', {
  domain: 'integ-packages', repository: 'team', format: 'npm', namespace: 'acme', package: 'ui',
}).expect(ExpectedResult.objectLike({ package: { originConfiguration: { restrictions: { publish: 'ALLOW', upstream: 'BLOCK' } } } }));
test.assertions.awsApiCall('CodeArtifact', 'listPackageVersionAssets', {
  domain: 'integ-packages', repository: 'team', format: 'generic', namespace: 'tools', package: 'deploy-cli', packageVersion: '1.0.0',
}).expect(ExpectedResult.objectLike({ assets: [{ name: 'deploy-cli.sh', hashes: { 'SHA-256': cli.packageVersionAssetSha256 } }] }));
test.assertions.awsApiCall('CodeArtifact', 'listPackageVersionAssets', {
  domain: 'integ-packages', repository: 'release', format: 'generic', namespace: 'tools', package: 'deploy-cli', packageVersion: '1.0.0',
}).expect(ExpectedResult.objectLike({ assets: [{ name: 'deploy-cli.sh', hashes: { 'SHA-256': cli.packageVersionAssetSha256 } }] }));
app.synth();
