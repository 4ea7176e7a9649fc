import * as path from 'path';
import { App, Lazy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as s3_assets from 'aws-cdk-lib/aws-s3-assets';
import {
  Domain, GenericPackageVersion, PackageAsset, PackageFormat, PackageOriginControl, PackageOriginMode, PackagePromotion, PackagePromotionProps,
  PackageVersionRemovalPolicy, Repository,
} from '../../src/codeartifact';
import { expectNagClean, footprintOf, kitRolesOf, testApp, testStack } from '../kit';

const FILE = path.join(__dirname, 'fixtures', 'deploy-cli.sh');
const DOMAIN_NAME = { 'Fn::GetAtt': ['Domain66AC69E0', 'Name'] };
const DOMAIN_OWNER = { 'Fn::GetAtt': ['Domain66AC69E0', 'Owner'] };
const REPO_NAME = { 'Fn::GetAtt': ['DomainTeamDA1CBDCB', 'Name'] };

const ORIGIN_CONTROL = 'Custom::CdkDevtoolsCodeArtifactPackageOriginControl';
const PACKAGE_VERSION = 'Custom::CdkDevtoolsCodeArtifactGenericPackageVersion';
const PROMOTION = 'Custom::CdkDevtoolsCodeArtifactPackagePromotion';
const ORIGIN_CONTROL_ACTIONS = ['codeartifact:DescribePackage', 'codeartifact:PutPackageOriginConfiguration'];
// Sorted, as aws-cdk-lib writes them under a new app's `@aws-cdk/aws-iam:minimizePolicies`.
const VERSION_ACTIONS = ['codeartifact:DescribePackageVersion', 'codeartifact:ListPackageVersionAssets', 'codeartifact:PublishPackageVersion',
  'codeartifact:UpdatePackageVersionsStatus'];
/** The one provider of the stack: two routing handlers, the provider framework's three functions and its waiter. */
const ONE_PROVIDER = { functions: 5, stateMachines: 1 };

/**
 * The statements of an origin control's role: the two actions on the one package and listing this stack's resources, in
 * one statement (each action applies to its own service's ARN only).
 */
const originControlStatements = (suffix: string) => [
  { Action: ['cloudformation:ListStackResources', ...ORIGIN_CONTROL_ACTIONS], Effect: 'Allow', Resource: [kitPackageArn(suffix), { Ref: 'AWS::StackId' }] },
];

/** The asset object's ARN as a version's role grants it (kit roles write it as one `Fn::Sub`). */
const ASSET_OBJECT = (extension: string) => ({
  'Fn::Sub': expect.stringMatching(new RegExp(`^arn:\\$\\{AWS::Partition\\}:s3:::cdk-hnb659fds-assets-123456789012-us-east-1/[0-9a-f]{64}\\.${extension}$`)),
});

/** No IAM policy of the stack grants a CodeArtifact or S3-object action: those are in the kit roles' inline policies only. */
function expectPermissionsInKitRolesOnly(template: Template) {
  expect(JSON.stringify(template.findResources('AWS::IAM::Policy'))).not.toMatch(/codeartifact:|s3:GetObject"/);
}

function packageArn(suffix: string) {
  return { 'Fn::Join': ['', ['arn:aws:codeartifact:us-east-1:', DOMAIN_OWNER, ':package/', DOMAIN_NAME, '/', REPO_NAME, suffix]] };
}

/** The same ARN as a kit role's statement writes it: one `Fn::Sub`. */
function kitPackageArn(suffix: string) {
  return { 'Fn::Sub': `arn:aws:codeartifact:us-east-1:\${Domain66AC69E0.Owner}:package/\${Domain66AC69E0.Name}/\${DomainTeamDA1CBDCB.Name}${suffix}` };
}

describe('custom resources', () => {
  let app: App;
  let stack: Stack;
  let repository: Repository;
  beforeEach(() => {
    app = testApp();
    stack = testStack(app);
    repository = new Domain(stack, 'Domain', { domainName: 'acme' }).addRepository('Team', { repositoryName: 'team' });
  });

  describe('PackageOriginControl', () => {
    test('renders the package and modes, acting with a role for that package only', () => {
      const control = new PackageOriginControl(stack, 'Ui', {
        repository, format: PackageFormat.NPM, namespace: 'acme', packageName: 'ui', upstream: PackageOriginMode.BLOCK,
      });
      const template = Template.fromStack(stack);
      template.hasResource('Custom::CdkDevtoolsCodeArtifactPackageOriginControl', {
        Properties: {
          Domain: DOMAIN_NAME, DomainOwner: DOMAIN_OWNER, Repository: REPO_NAME, Format: 'npm', Namespace: 'acme', Package: 'ui', Publish: 'ALLOW', Upstream: 'BLOCK',
        },
        DependsOn: ['DomainTeamDA1CBDCB'],
      });
      const [role] = kitRolesOf(template, ORIGIN_CONTROL);
      expect(role.statements).toEqual(originControlStatements('/npm/acme/ui'));
      expectPermissionsInKitRolesOnly(template);
      expect(stack.resolve(control.packageArn)).toEqual(packageArn('/npm/acme/ui'));
      expect(footprintOf(template)).toEqual(ONE_PROVIDER);
      expectNagClean(stack);
    });

    test('defaults to ALLOW/ALLOW, no namespace for PyPI, one role per package and one provider for many controls', () => {
      new PackageOriginControl(stack, 'A', { repository, format: PackageFormat.PYPI, packageName: 'acme-tools' });
      new PackageOriginControl(stack, 'B', { repository, format: PackageFormat.PYPI, packageName: 'acme-cli', publish: PackageOriginMode.BLOCK });
      // The same package with other modes (e.g. in another construct of the app): its role's statements are the same.
      new PackageOriginControl(stack, 'C', { repository, format: PackageFormat.PYPI, packageName: 'acme-tools', upstream: PackageOriginMode.BLOCK });
      const template = Template.fromStack(stack);
      template.hasResourceProperties(ORIGIN_CONTROL, {
        Format: 'pypi', Namespace: Match.absent(), Package: 'acme-tools', Publish: 'ALLOW', Upstream: 'ALLOW',
      });
      const [a, b, c] = kitRolesOf(template, ORIGIN_CONTROL);
      expect(a.statements).toEqual(originControlStatements('/pypi//acme-tools'));
      expect(b.statements).toEqual(originControlStatements('/pypi//acme-cli'));
      // The statements depend on the package only, not on the modes: the same package shares one role.
      expect(c.roleLogicalId).toBe(a.roleLogicalId);
      expect(b.roleLogicalId).not.toBe(a.roleLogicalId);
      expect(footprintOf(template)).toEqual(ONE_PROVIDER);
      template.resourceCountIs(ORIGIN_CONTROL, 3);
      expectNagClean(stack);
    });

    test.each([
      [{ format: PackageFormat.NPM, namespace: '@acme', packageName: 'ui' }, /TestStack\/[A-Za-z]+: invalid namespace '@acme': CodeArtifact writes an npm scope without its '@' \(the package @acme\/ui has the namespace 'acme'\)\. Drop the '@': 'acme'$/],
      [{ format: PackageFormat.MAVEN, packageName: 'core' }, /maven packages have a namespace \(got none\); set `namespace` to the group ID/],
      [{ format: PackageFormat.PYPI, namespace: 'acme', packageName: 'x' }, /pypi packages have no namespace \(got 'acme'\); remove `namespace`/],
      [{ format: PackageFormat.NPM, packageName: 'a/b' },
        /invalid packageName: 'a\/b' does not match .*\. Drop #, \/ and white space: .*put the scope or group in `namespace`: for @acme\/ui, packageName 'ui' and namespace 'acme'\./],
      [{ format: PackageFormat.NPM, packageName: '' }, /invalid packageName: '' has 0 characters/],
      [{ format: PackageFormat.NPM, namespace: 'a b', packageName: 'x' },
        /invalid namespace: 'a b' does not match .*\. Drop #, \/ and white space: .*: the npm scope without @ \(acme\), the Maven group ID/],
    ])('fails %j', (props, error) => {
      expect(() => new PackageOriginControl(stack, 'Bad', { repository, ...props })).toThrow(error);
    });

    test('works on an imported repository', () => {
      const imported = Repository.fromRepositoryArn(stack, 'Imported', 'arn:aws:codeartifact:us-east-1:123456789012:repository/shared/team');
      new PackageOriginControl(stack, 'Ui', { repository: imported, format: PackageFormat.NPM, namespace: 'acme', packageName: 'ui' });
      Template.fromStack(stack).hasResourceProperties('Custom::CdkDevtoolsCodeArtifactPackageOriginControl', {
        Domain: 'shared', DomainOwner: '123456789012', Repository: 'team',
      });
    });
  });

  describe('GenericPackageVersion', () => {
    test('publishes a local file: asset location, a role for the package and the object only', () => {
      const version = new GenericPackageVersion(stack, 'Cli', {
        repository, namespace: 'tools', packageName: 'deploy-cli', version: '1.4.0', asset: PackageAsset.fromPath(FILE), assetName: 'deploy-cli.sh',
      });
      const template = Template.fromStack(stack);
      template.hasResource('Custom::CdkDevtoolsCodeArtifactGenericPackageVersion', {
        Properties: {
          Domain: DOMAIN_NAME,
          DomainOwner: DOMAIN_OWNER,
          Repository: REPO_NAME,
          Namespace: 'tools',
          Package: 'deploy-cli',
          Version: '1.4.0',
          AssetName: 'deploy-cli.sh',
          AssetBucket: 'cdk-hnb659fds-assets-123456789012-us-east-1',
          AssetKey: Match.stringLikeRegexp('^[0-9a-f]{64}\\.sh$'),
          Unfinished: false,
          RemovalPolicy: 'retain',
        },
        DependsOn: Match.arrayWith(['DomainTeamDA1CBDCB']),
      });
      // RETAIN removes nothing: no Delete or Dispose permission.
      const [role] = kitRolesOf(template, PACKAGE_VERSION);
      expect(role.statements).toEqual([
        { Action: VERSION_ACTIONS, Effect: 'Allow', Resource: kitPackageArn('/generic/tools/deploy-cli') },
        { Action: 's3:GetObject', Effect: 'Allow', Resource: ASSET_OBJECT('sh') },
      ]);
      expectPermissionsInKitRolesOnly(template);
      expect(footprintOf(template)).toEqual(ONE_PROVIDER);
      expect(stack.resolve(version.packageVersionAssetSha256)).toEqual({ 'Fn::GetAtt': ['Cli25FD75BF', 'AssetSha256'] });
      expect(stack.resolve(version.packageVersionStatus)).toEqual({ 'Fn::GetAtt': ['Cli25FD75BF', 'Status'] });
      expectNagClean(stack);
    });

    test.each([
      [PackageVersionRemovalPolicy.DELETE, 'delete', 'codeartifact:DeletePackageVersions'],
      [PackageVersionRemovalPolicy.DISPOSE, 'dispose', 'codeartifact:DisposePackageVersions'],
    ])('removal policy %s adds only its permission', (removalPolicy, value, action) => {
      const asset = new s3_assets.Asset(stack, 'Existing', { path: FILE });
      new GenericPackageVersion(stack, 'Cli', {
        repository,
        namespace: 'tools',
        packageName: 'deploy-cli',
        version: '1.4.0',
        asset: PackageAsset.fromAsset(asset),
        assetName: 'deploy-cli.sh',
        unfinished: true,
        removalPolicy,
      });
      const template = Template.fromStack(stack);
      template.hasResourceProperties(PACKAGE_VERSION, { Unfinished: true, RemovalPolicy: value });
      const [role] = kitRolesOf(template, PACKAGE_VERSION);
      expect(role.statements).toEqual([
        { Action: [...VERSION_ACTIONS, action].sort(), Effect: 'Allow', Resource: kitPackageArn('/generic/tools/deploy-cli') },
        { Action: 's3:GetObject', Effect: 'Allow', Resource: ASSET_OBJECT('sh') },
      ]);
      const other = action === 'codeartifact:DeletePackageVersions' ? 'codeartifact:DisposePackageVersions' : 'codeartifact:DeletePackageVersions';
      expect(JSON.stringify(template.toJSON())).not.toContain(other);
      expectNagClean(stack);
    });

    test.each([
      [{ version: '1.0 beta' }, /invalid version: '1.0 beta' does not match .*\. Drop #, \/ and white space: .*: a version such as 1.4.0 or 2024.06.01-rc1/],
      [{ version: '' }, /invalid version: '' has 0 characters/],
      [{ assetName: 'a\tb' }, /invalid assetName: .*does not match .*\. Use the file name clients download, e.g. deploy-cli-linux-x64.tar.gz/],
      [{ namespace: 'a/b' }, /invalid namespace: 'a\/b' does not match/],
      [{ packageName: 'x'.repeat(256) }, /invalid packageName: .* has 256 characters/],
    ])('fails %j', (props, error) => {
      expect(() => new GenericPackageVersion(stack, 'Bad', {
        repository, namespace: 'tools', packageName: 'deploy-cli', version: '1.4.0', asset: PackageAsset.fromPath(FILE), assetName: 'deploy-cli.sh', ...props,
      })).toThrow(error);
    });

    test('versions share one provider, and one role when they touch the same package and object with the same removal policy', () => {
      const asset = new s3_assets.Asset(stack, 'Existing', { path: FILE });
      for (let i = 0; i < 3; i++) {
        new GenericPackageVersion(stack, `V${i}`, {
          repository, namespace: 'tools', packageName: 'deploy-cli', version: `1.${i}.0`, asset: PackageAsset.fromAsset(asset), assetName: 'deploy-cli.sh',
        });
      }
      // Another removal policy, another package: each its own role.
      new GenericPackageVersion(stack, 'Disposed', {
        repository,
        namespace: 'tools',
        packageName: 'deploy-cli',
        version: '2.0.0',
        asset: PackageAsset.fromAsset(asset),
        assetName: 'deploy-cli.sh',
        removalPolicy: PackageVersionRemovalPolicy.DISPOSE,
      });
      new GenericPackageVersion(stack, 'Other', {
        repository, namespace: 'tools', packageName: 'other-cli', version: '1.0.0', asset: PackageAsset.fromAsset(asset), assetName: 'other-cli.sh',
      });
      const template = Template.fromStack(stack);
      const [v0, v1, v2, disposed, other] = kitRolesOf(template, PACKAGE_VERSION);
      expect(new Set([v0, v1, v2].map(r => r.roleLogicalId)).size).toBe(1);
      expect(new Set([v0, disposed, other].map(r => r.roleLogicalId)).size).toBe(3);
      expect(other.statements[0]).toEqual({ Action: VERSION_ACTIONS, Effect: 'Allow', Resource: kitPackageArn('/generic/tools/other-cli') });
      // The machinery does not grow with the resources: the template grows by each resource and each distinct role.
      expect(footprintOf(template)).toEqual(ONE_PROVIDER);
      template.resourceCountIs(PACKAGE_VERSION, 5);
      expectPermissionsInKitRolesOnly(template);
      expectNagClean(stack);
    });

    test('origin controls and package versions share the stack\'s one provider, each with its own roles', () => {
      new PackageOriginControl(stack, 'Ui', { repository, format: PackageFormat.GENERIC, namespace: 'tools', packageName: 'deploy-cli' });
      new GenericPackageVersion(stack, 'Cli', {
        repository, namespace: 'tools', packageName: 'deploy-cli', version: '1.4.0', asset: PackageAsset.fromPath(FILE), assetName: 'deploy-cli.sh',
      });
      const template = Template.fromStack(stack);
      expect(footprintOf(template)).toEqual(ONE_PROVIDER);
      const [control] = kitRolesOf(template, ORIGIN_CONTROL);
      const [version] = kitRolesOf(template, PACKAGE_VERSION);
      expect(control.roleLogicalId).not.toBe(version.roleLogicalId);
      expect(control.statements).toEqual(originControlStatements('/generic/tools/deploy-cli'));
    });
  });
  describe('PackagePromotion', () => {
    let staging: Repository;
    let release: Repository;
    beforeEach(() => {
      staging = repository.domain instanceof Domain ? repository.domain.addRepository('Staging', { repositoryName: 'staging' }) : undefined!;
      release = (repository.domain as Domain).addRepository('Release', { repositoryName: 'release' });
    });
    const ui = (props: Partial<PackagePromotionProps> = {}): PackagePromotionProps => ({
      source: staging, destination: release, format: PackageFormat.NPM, namespace: 'acme', packageName: 'ui', versions: ['2.3.0'], ...props,
    });
    const inRepository = (repositoryLogicalId: string, suffix: string) => ({
      'Fn::Sub': `arn:aws:codeartifact:us-east-1:\${Domain66AC69E0.Owner}:package/\${Domain66AC69E0.Name}/\${${repositoryLogicalId}.Name}${suffix}`,
    });

    test('copies the versions, acting with a role that reads the source and copies into the destination\'s package only', () => {
      const promotion = new PackagePromotion(stack, 'Ui', ui({ versions: ['2.3.0', '2.3.1'] }));
      const template = Template.fromStack(stack);
      template.hasResource(PROMOTION, {
        Properties: {
          Domain: DOMAIN_NAME,
          DomainOwner: DOMAIN_OWNER,
          SourceRepository: { 'Fn::GetAtt': ['DomainStaging84D74116', 'Name'] },
          DestinationRepository: { 'Fn::GetAtt': ['DomainRelease25AD0249', 'Name'] },
          Format: 'npm',
          Namespace: 'acme',
          Package: 'ui',
          Versions: ['2.3.0', '2.3.1'],
          VersionRevisions: Match.absent(),
          AllowOverwrite: false,
          IncludeFromUpstream: false,
        },
        DependsOn: ['DomainRelease25AD0249', 'DomainStaging84D74116'],
      });
      const [role] = kitRolesOf(template, PROMOTION);
      expect(role.statements).toEqual([
        { Action: 'codeartifact:ReadFromRepository', Effect: 'Allow', Resource: { 'Fn::GetAtt': ['DomainStaging84D74116', 'Arn'] } },
        {
          Action: 'codeartifact:CopyPackageVersions',
          Effect: 'Allow',
          Resource: [{ 'Fn::GetAtt': ['DomainRelease25AD0249', 'Arn'] }, inRepository('DomainRelease25AD0249', '/npm/acme/ui')],
        },
        {
          Action: 'codeartifact:DescribePackageVersion',
          Effect: 'Allow',
          Resource: [inRepository('DomainRelease25AD0249', '/npm/acme/ui'), inRepository('DomainStaging84D74116', '/npm/acme/ui')],
        },
      ]);
      expectPermissionsInKitRolesOnly(template);
      expect(stack.resolve(promotion.promotedRevisions)).toEqual({ 'Fn::GetAtt': ['Ui568657C5', 'PromotedRevisions'] });
      expect(stack.resolve(promotion.packageArn)).toEqual({
        'Fn::Join': ['', ['arn:aws:codeartifact:us-east-1:', DOMAIN_OWNER, ':package/', DOMAIN_NAME, '/', { 'Fn::GetAtt': ['DomainRelease25AD0249', 'Name'] }, '/npm/acme/ui']],
      });
      expect(footprintOf(template)).toEqual(ONE_PROVIDER);
      expectNagClean(stack);
    });

    test('pinned revisions, overwrite and upstreams; no namespace for PyPI; promotions of one package share a role', () => {
      new PackagePromotion(stack, 'Tools', ui({
        format: PackageFormat.PYPI,
        namespace: undefined,
        packageName: 'acme-tools',
        versions: undefined,
        versionRevisions: { '1.0.0': 'Ab+c/9=' },
        allowOverwrite: true,
        includeFromUpstream: true,
      }));
      new PackagePromotion(stack, 'ToolsAgain', ui({ format: PackageFormat.PYPI, namespace: undefined, packageName: 'acme-tools', versions: ['1.0.1'] }));
      const template = Template.fromStack(stack);
      template.hasResourceProperties(PROMOTION, {
        Format: 'pypi',
        Namespace: Match.absent(),
        Package: 'acme-tools',
        Versions: Match.absent(),
        VersionRevisions: { '1.0.0': 'Ab+c/9=' },
        AllowOverwrite: true,
        IncludeFromUpstream: true,
      });
      const [a, b] = kitRolesOf(template, PROMOTION);
      expect(a.statements[1].Resource[1]).toEqual(inRepository('DomainRelease25AD0249', '/pypi//acme-tools'));
      expect(b.roleLogicalId).toBe(a.roleLogicalId);
      expectNagClean(stack);
    });

    test('works between imported repositories of one domain, and with versions known at deploy time', () => {
      const imported = (id: string, name: string) => Repository.fromRepositoryArn(stack, id, `arn:aws:codeartifact:us-east-1:123456789012:repository/shared/${name}`);
      new PackagePromotion(stack, 'Ui', ui({ source: imported('S', 'staging'), destination: imported('R', 'release'), versions: Lazy.list({ produce: () => ['2.3.0'] }) }));
      Template.fromStack(stack).hasResourceProperties(PROMOTION, {
        Domain: 'shared', DomainOwner: '123456789012', SourceRepository: 'staging', DestinationRepository: 'release', Versions: ['2.3.0'],
      });
    });

    test('refuses repositories of different domains, and the same repository twice', () => {
      const other = new Domain(stack, 'Other', { domainName: 'other' }).addRepository('Release', { repositoryName: 'release' });
      expect(() => new PackagePromotion(stack, 'Cross', ui({ destination: other }))).toThrow(
        'TestStack/Cross: the source repository TestStack/Domain/Staging is in the domain \'acme\' (TestStack/Domain) and the destination '
        + 'TestStack/Other/Release in the domain \'other\' (TestStack/Other); CodeArtifact copies package versions only within one domain. '
        + 'Promote into a repository of the source\'s domain (domain.addRepository(...)), or publish the package to the other domain from a build.');
      const arn = 'arn:aws:codeartifact:us-east-1:123456789012:repository/acme/staging';
      expect(() => new PackagePromotion(stack, 'Same', ui({ destination: staging }))).toThrow(
        /^TestStack\/Same: the source and the destination are the same repository \('\$\{Token\[.*\]\}', TestStack\/Domain\/Staging\); .*set `destination`/);
      expect(() => new PackagePromotion(stack, 'SameImported', ui({
        source: Repository.fromRepositoryArn(stack, 'A', arn), destination: Repository.fromRepositoryArn(stack, 'B', arn),
      }))).toThrow(/^TestStack\/SameImported: the source and the destination are the same repository \('staging', TestStack\/A\)/);
    });

    test.each([
      [{ versions: undefined }, /^TestStack\/Bad: neither `versions` and `versionRevisions` given; CopyPackageVersions takes exactly one: `versions: \['2\.3\.0'\]` for any revision/],
      [{ versionRevisions: { '2.3.0': 'r' } }, /^TestStack\/Bad: both `versions` and `versionRevisions` given/],
      [{ versions: [] }, /^TestStack\/Bad: invalid versions: no versions; a promotion copies at least one\. List the versions to promote, e\.g\. \['2\.3\.0'\]\.$/],
      [{ versions: undefined, versionRevisions: {} }, /invalid versionRevisions: no versions; .* e\.g\. \{ '2\.3\.0': '<revision>' \}\.$/],
      [{ versions: Array.from({ length: 101 }, (_, i) => `1.0.${i}`) },
        /^TestStack\/Bad: invalid versions: 101 versions; one CopyPackageVersions call takes at most 100\. Split them over several PackagePromotions/],
      [{ versions: ['2.3.0', '2.3.1', '2.3.0'] }, /^TestStack\/Bad: invalid versions: '2\.3\.0' is listed twice; list each version once\.$/],
      [{ versions: ['v 2'] }, /^TestStack\/Bad: invalid versions\[0\]: 'v 2' does not match .*\. Drop #, \/ and white space: .*; a version such as 2\.3\.0 or 1\.0\.0-rc\.1\.$/],
      [{ versions: undefined, versionRevisions: { '2.3.0': 'a b' } }, /invalid versionRevisions\['2\.3\.0'\]: 'a b' does not match .*\. Copy the revision aws codeartifact describe-package-version shows/],
      [{ format: PackageFormat.MAVEN, namespace: undefined }, /maven packages have a namespace \(got none\); set `namespace` to the group ID/],
      [{ format: PackageFormat.CARGO, namespace: 'acme' }, /cargo packages have no namespace \(got 'acme'\); remove `namespace`/],
    ])('fails %j', (props, error) => {
      expect(() => new PackagePromotion(stack, 'Bad', ui(props as Partial<PackagePromotionProps>))).toThrow(error);
    });
  });
});
