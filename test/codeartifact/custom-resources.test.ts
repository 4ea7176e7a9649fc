import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as s3_assets from 'aws-cdk-lib/aws-s3-assets';
import {
  Domain, GenericPackageVersion, PackageAsset, PackageFormat, PackageOriginControl, PackageOriginMode, PackageVersionRemovalPolicy, Repository,
} from '../../src/codeartifact';
import { expectNagClean, testApp, testStack } from '../kit';

const FILE = path.join(__dirname, 'fixtures', 'deploy-cli.sh');
const DOMAIN_NAME = { 'Fn::GetAtt': ['Domain66AC69E0', 'Name'] };
const DOMAIN_OWNER = { 'Fn::GetAtt': ['Domain66AC69E0', 'Owner'] };
const REPO_NAME = { 'Fn::GetAtt': ['DomainTeamDA1CBDCB', 'Name'] };

function packageArn(suffix: string) {
  return { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':codeartifact:us-east-1:', DOMAIN_OWNER, ':package/', DOMAIN_NAME, '/', REPO_NAME, suffix]] };
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
    test('renders the package and modes, with a policy on that package only', () => {
      const control = new PackageOriginControl(stack, 'Ui', {
        repository, format: PackageFormat.NPM, namespace: 'acme', packageName: 'ui', upstream: PackageOriginMode.BLOCK,
      });
      const template = Template.fromStack(stack);
      template.hasResource('Custom::CdkDevtoolsCodeArtifactPackageOriginControl', {
        Properties: {
          Domain: DOMAIN_NAME, DomainOwner: DOMAIN_OWNER, Repository: REPO_NAME, Format: 'npm', Namespace: 'acme', Package: 'ui', Publish: 'ALLOW', Upstream: 'BLOCK',
        },
        DependsOn: ['DomainTeamDA1CBDCB', 'UiPolicyD4833A87'],
      });
      template.hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: { Statement: [{ Action: ['codeartifact:DescribePackage', 'codeartifact:PutPackageOriginConfiguration'], Effect: 'Allow', Resource: packageArn('/npm/acme/ui') }] },
      });
      expect(stack.resolve(control.packageArn)).toEqual(packageArn('/npm/acme/ui'));
      expectNagClean(stack);
    });

    test('defaults to ALLOW/ALLOW, no namespace for PyPI, one handler for many controls', () => {
      new PackageOriginControl(stack, 'A', { repository, format: PackageFormat.PYPI, packageName: 'acme-tools' });
      new PackageOriginControl(stack, 'B', { repository, format: PackageFormat.PYPI, packageName: 'acme-cli', publish: PackageOriginMode.BLOCK });
      const template = Template.fromStack(stack);
      template.hasResourceProperties('Custom::CdkDevtoolsCodeArtifactPackageOriginControl', {
        Format: 'pypi', Namespace: Match.absent(), Package: 'acme-tools', Publish: 'ALLOW', Upstream: 'ALLOW',
      });
      template.hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: { Statement: [{ Action: ['codeartifact:DescribePackage', 'codeartifact:PutPackageOriginConfiguration'], Effect: 'Allow', Resource: packageArn('/pypi//acme-tools') }] },
      });
      // One onEvent handler plus the provider framework's own function.
      template.resourceCountIs('AWS::Lambda::Function', 2);
      template.resourceCountIs('Custom::CdkDevtoolsCodeArtifactPackageOriginControl', 2);
    });

    test.each([
      [{ format: PackageFormat.NPM, namespace: '@acme', packageName: 'ui' }, /invalid namespace '@acme': CodeArtifact writes npm scopes without '@'; use 'acme'/],
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
    test('publishes a local file: asset location, policy on the package and the object', () => {
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
      template.hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: {
          Statement: [
            {
              Action: ['codeartifact:PublishPackageVersion', 'codeartifact:DescribePackageVersion', 'codeartifact:ListPackageVersionAssets',
                'codeartifact:UpdatePackageVersionsStatus'],
              Effect: 'Allow',
              Resource: packageArn('/generic/tools/deploy-cli'),
            },
            {
              Action: 's3:GetObject',
              Effect: 'Allow',
              Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, Match.stringLikeRegexp('^:s3:::cdk-hnb659fds-assets-123456789012-us-east-1/[0-9a-f]{64}\\.sh$')]] },
            },
          ],
        },
      });
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
      template.hasResourceProperties('Custom::CdkDevtoolsCodeArtifactGenericPackageVersion', { Unfinished: true, RemovalPolicy: value });
      template.hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: Match.arrayWith([action]) })]) },
      });
      const other = action === 'codeartifact:DeletePackageVersions' ? 'codeartifact:DisposePackageVersions' : 'codeartifact:DeletePackageVersions';
      expect(JSON.stringify(template.toJSON())).not.toContain(other);
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

    test('versions share one handler: the template grows by the resource and its policy only', () => {
      for (let i = 0; i < 3; i++) {
        new GenericPackageVersion(stack, `V${i}`, {
          repository, namespace: 'tools', packageName: 'deploy-cli', version: `1.${i}.0`, asset: PackageAsset.fromPath(FILE), assetName: 'deploy-cli.sh',
        });
      }
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::Lambda::Function', 2);
      template.resourceCountIs('Custom::CdkDevtoolsCodeArtifactGenericPackageVersion', 3);
    });
  });
});
