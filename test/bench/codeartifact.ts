import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import { CfnDomain, CfnPackageGroup, CfnRepository } from 'aws-cdk-lib/aws-codeartifact';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3_assets from 'aws-cdk-lib/aws-s3-assets';
import * as cr from 'aws-cdk-lib/custom-resources';
import { BenchFamily } from './families';
import { rawCustomResource } from './raw';
import {
  Domain, ExternalConnection, IRepository, GenericPackageVersion, OriginRestriction, PackageAsset, PackageFormat, PackageGroup, PackageOriginControl,
  PackageOriginMode, PackagePromotion, Repository,
} from '../../src/codeartifact';

const ASSET = path.join(__dirname, '..', 'codeartifact', 'fixtures', 'deploy-cli.sh');
const REPO_ARN = 'arn:aws:codeartifact:us-east-1:123456789012:repository/acme/team';

/** An app imports a repository once and uses it everywhere. */
function importedRepository(stack: Stack): IRepository {
  return (stack.node.tryFindChild('Team') as IRepository | undefined) ?? Repository.fromRepositoryArn(stack, 'Team', REPO_ARN);
}

/** The release repository of the team repository's domain, imported once. */
function importedRelease(stack: Stack): IRepository {
  return (stack.node.tryFindChild('Release') as IRepository | undefined)
    ?? Repository.fromRepositoryArn(stack, 'Release', 'arn:aws:codeartifact:us-east-1:123456789012:repository/acme/release');
}

/**
 * The CodeArtifact families: a domain with a store and a team repository, a package group, and the three
 * custom resources. Raw sides are the same L1s; for the origin control and the promotion, the AwsCustomResource
 * users write by hand; for a package version, the uploaded asset and a hand-written custom resource that publishes it.
 */
export const CODEARTIFACT_FAMILIES: BenchFamily[] = [
  {
    name: 'Domain + store and team Repository',
    customResource: false,
    ours: (stack, i) => {
      const domain = new Domain(stack, `D${i}`, { domainName: `d-${i}` });
      const store = domain.addRepository('Store', { repositoryName: 'npm-store', externalConnection: ExternalConnection.NPMJS });
      domain.addRepository('Team', { repositoryName: 'team', upstreams: [store] });
    },
    raw: (stack, i) => {
      const domain = new CfnDomain(stack, `D${i}`, { domainName: `d-${i}` });
      const store = new CfnRepository(stack, `S${i}`, {
        domainName: domain.attrName, domainOwner: domain.attrOwner, repositoryName: 'npm-store', externalConnections: ['public:npmjs'],
      });
      new CfnRepository(stack, `T${i}`, { domainName: domain.attrName, domainOwner: domain.attrOwner, repositoryName: 'team', upstreams: [store.attrName] });
    },
  },
  {
    name: 'PackageGroup',
    customResource: false,
    ours: (stack, i) => new PackageGroup(stack, `G${i}`, {
      domain: importedRepository(stack).domain,
      pattern: `/npm/scope${i}/*`,
      externalUpstream: OriginRestriction.BLOCK,
      publish: OriginRestriction.allowSpecificRepositories([importedRepository(stack)]),
    }),
    raw: (stack, i) => new CfnPackageGroup(stack, `G${i}`, {
      domainName: 'acme',
      domainOwner: '123456789012',
      pattern: `/npm/scope${i}/*`,
      originConfiguration: {
        restrictions: { externalUpstream: { restrictionMode: 'BLOCK' }, publish: { restrictionMode: 'ALLOW_SPECIFIC_REPOSITORIES', repositories: ['team'] } },
      },
    }),
  },
  {
    name: 'PackageOriginControl',
    customResource: true,
    ours: (stack, i) => new PackageOriginControl(stack, `O${i}`, {
      repository: importedRepository(stack),
      format: PackageFormat.NPM,
      namespace: 'acme',
      packageName: `p${i}`,
      upstream: PackageOriginMode.BLOCK,
    }),
    raw: (stack, i) => {
      const call = {
        service: 'CodeArtifact',
        action: 'putPackageOriginConfiguration',
        parameters: {
          domain: 'acme',
          domainOwner: '123456789012',
          repository: 'team',
          format: 'npm',
          namespace: 'acme',
          package: `p${i}`,
          restrictions: { publish: 'ALLOW', upstream: 'BLOCK' },
        },
        physicalResourceId: cr.PhysicalResourceId.of(`acme/team/npm/acme/p${i}`),
      };
      new cr.AwsCustomResource(stack, `O${i}`, {
        onCreate: call,
        onUpdate: call,
        policy: cr.AwsCustomResourcePolicy.fromSdkCalls({
          resources: [`arn:aws:codeartifact:us-east-1:123456789012:package/acme/team/npm/acme/p${i}`],
        }),
        installLatestAwsSdk: false,
      });
    },
  },
  {
    name: 'GenericPackageVersion',
    customResource: true,
    ours: (stack, i) => new GenericPackageVersion(stack, `V${i}`, {
      repository: importedRepository(stack),
      namespace: 'tools',
      packageName: 'deploy-cli',
      version: `1.${i}.0`,
      asset: PackageAsset.fromPath(ASSET),
      assetName: 'deploy-cli.sh',
    }),
    // The asset and a hand-written custom resource that publishes it, with its own policy.
    raw: (stack, i) => {
      const asset = new s3_assets.Asset(stack, `V${i}`, { path: ASSET });
      rawCustomResource(stack, i, ['codeartifact:PublishPackageVersion', 'codeartifact:DescribePackageVersion'],
        ['arn:aws:codeartifact:us-east-1:123456789012:package/acme/team/generic/tools/deploy-cli', `${asset.bucket.bucketArn}/${asset.s3ObjectKey}`],
        { Bucket: asset.s3BucketName, Key: asset.s3ObjectKey, Version: `1.${i}.0` });
    },
  },
  {
    name: 'PackagePromotion',
    customResource: true,
    // The resource names two repositories, and each package has a kit role of its own with three statements:
    // ReadFromRepository on the source, CopyPackageVersions on the destination and its package, DescribePackageVersion
    // on the package in both (to recognise a version promoted before).
    maxBytesPerInstance: 2304,
    ours: (stack, i) => new PackagePromotion(stack, `P${i}`, {
      source: importedRepository(stack),
      destination: importedRelease(stack),
      format: PackageFormat.NPM,
      namespace: 'acme',
      packageName: `p${i}`,
      versions: ['1.0.0'],
    }),
    // The call a script makes, without the check of each version's answer or what makes a repeat succeed.
    raw: (stack, i) => {
      const call = {
        service: 'CodeArtifact',
        action: 'copyPackageVersions',
        parameters: {
          domain: 'acme',
          domainOwner: '123456789012',
          sourceRepository: 'team',
          destinationRepository: 'release',
          format: 'npm',
          namespace: 'acme',
          package: `p${i}`,
          versions: ['1.0.0'],
        },
        physicalResourceId: cr.PhysicalResourceId.of(`acme/team..release/npm/acme/p${i}`),
      };
      new cr.AwsCustomResource(stack, `P${i}`, {
        onCreate: call,
        onUpdate: call,
        policy: cr.AwsCustomResourcePolicy.fromStatements([
          new iam.PolicyStatement({ actions: ['codeartifact:ReadFromRepository'], resources: [REPO_ARN] }),
          new iam.PolicyStatement({
            actions: ['codeartifact:CopyPackageVersions'],
            resources: [
              'arn:aws:codeartifact:us-east-1:123456789012:repository/acme/release',
              `arn:aws:codeartifact:us-east-1:123456789012:package/acme/release/npm/acme/p${i}`,
            ],
          }),
        ]),
        installLatestAwsSdk: false,
      });
    },
    rawIsEquivalent: false,
  },
];
