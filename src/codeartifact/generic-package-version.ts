import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3_assets from 'aws-cdk-lib/aws-s3-assets';
import { Construct } from 'constructs';
import { PackageFormat } from './package-format';
import { CODEARTIFACT_API } from './private/api-constraints';
import { PACKAGE_VERSION_FAMILY } from './private/custom-resources/contract';
import { COORDINATE_FIX, validatePackage } from './private/validation';
import { IRepository } from './repository';
import { validateApiValue } from '../core/api-constraints';
import { KitResource } from '../core/custom-resource';

/** Where a published asset's content is. */
export interface PackageAssetConfig {
  /** The asset's S3 bucket. */
  readonly bucketName: string;
  /** The asset's S3 object key. */
  readonly objectKey: string;
}

/**
 * The file a generic package version publishes: a local path (uploaded as a CDK asset) or an existing asset.
 */
export abstract class PackageAsset {
  /**
   * A local file (a directory is zipped), uploaded as a CDK asset when the stack deploys.
   * @param path the file or directory
   */
  public static fromPath(path: string): PackageAsset {
    return new PathAsset(path);
  }

  /** An asset defined elsewhere in the app. */
  public static fromAsset(asset: s3_assets.Asset): PackageAsset {
    return new ExistingAsset(asset);
  }

  /** Where the content is, for the version's handler. */
  public abstract bind(scope: Construct): PackageAssetConfig;
}

class PathAsset extends PackageAsset {
  private asset?: s3_assets.Asset;
  constructor(private readonly path: string) {
    super();
  }
  public bind(scope: Construct): PackageAssetConfig {
    this.asset ??= new s3_assets.Asset(scope, 'Asset', { path: this.path });
    return { bucketName: this.asset.s3BucketName, objectKey: this.asset.s3ObjectKey };
  }
}

class ExistingAsset extends PackageAsset {
  constructor(private readonly asset: s3_assets.Asset) {
    super();
  }
  public bind(): PackageAssetConfig {
    return { bucketName: this.asset.s3BucketName, objectKey: this.asset.s3ObjectKey };
  }
}

/** What happens to a published version when it leaves the stack (or is replaced by a new version). */
export enum PackageVersionRemovalPolicy {
  /** The version stays published. */
  RETAIN = 'retain',
  /** The version's assets are deleted and its status becomes Disposed; the version number cannot be published again. */
  DISPOSE = 'dispose',
  /** The version is deleted; the same version number can be published again. */
  DELETE = 'delete',
}

/** Properties of a generic package version. */
export interface GenericPackageVersionProps {
  /** The repository to publish to. */
  readonly repository: IRepository;
  /** The package's namespace (generic packages always have one). */
  readonly namespace: string;
  /** The package's name. */
  readonly packageName: string;
  /** The version. A new version replaces the resource; the old one is then removed according to `removalPolicy`. */
  readonly version: string;
  /** The file to publish. Publishing different content under the same version fails: versions are immutable. */
  readonly asset: PackageAsset;
  /** The name of the asset in the version, e.g. `tool-linux-x64.tar.gz`. */
  readonly assetName: string;

  /**
   * Leave the version Unfinished, so that more assets can be added to it (by other GenericPackageVersion
   * resources of the same version); set it to false on the last one to publish the version.
   * @default false
   */
  readonly unfinished?: boolean;

  /**
   * What happens to the version when the resource is removed or replaced.
   * @default PackageVersionRemovalPolicy.RETAIN
   */
  readonly removalPolicy?: PackageVersionRemovalPolicy;
}

/**
 * Publishes a file as a version of a generic package (CloudFormation has no resource for it).
 *
 * The handler reads the asset (up to 100 MB) into memory once, computing its SHA-256 as it arrives, and calls
 * PublishPackageVersion. It is idempotent: the same content in the same version is left alone; different
 * content in a version that exists fails with a clear error, since versions are immutable. A version that
 * CodeArtifact refuses to move from Unfinished to Published (another process archived or disposed it) fails
 * the deployment with CodeArtifact's error code.
 *
 * @example
 * declare const repository: codeartifact.IRepository;
 * new codeartifact.GenericPackageVersion(this, 'Cli', {
 *   repository,
 *   namespace: 'tools',
 *   packageName: 'deploy-cli',
 *   version: '1.4.0',
 *   asset: codeartifact.PackageAsset.fromPath(path.join(__dirname, 'dist', 'deploy-cli.tar.gz')),
 *   assetName: 'deploy-cli.tar.gz',
 * });
 */
export class GenericPackageVersion extends Construct {
  /** The ARN of the package. */
  public readonly packageArn: string;
  /**
   * The SHA-256 of the published asset (hex).
   * @attribute
   */
  public readonly packageVersionAssetSha256: string;
  /**
   * The version's status after deployment: Published or Unfinished.
   * @attribute
   */
  public readonly packageVersionStatus: string;

  constructor(scope: Construct, id: string, props: GenericPackageVersionProps) {
    super(scope, id);
    validatePackage(this, PackageFormat.GENERIC, props.namespace, props.packageName);
    validateApiValue(this, CODEARTIFACT_API, 'PackageVersion', 'version', props.version,
      `${COORDINATE_FIX}: a version such as 1.4.0 or 2024.06.01-rc1 (no leading v/ or build path).`);
    validateApiValue(this, CODEARTIFACT_API, 'AssetName', 'assetName', props.assetName,
      'Use the file name clients download, e.g. deploy-cli-linux-x64.tar.gz: no line breaks or other control characters, and a '
      + 'name rather than a path.');

    const removal = props.removalPolicy ?? PackageVersionRemovalPolicy.RETAIN;
    const location = props.asset.bind(this);
    this.packageArn = props.repository.packageArn({ format: PackageFormat.GENERIC, namespace: props.namespace, packageName: props.packageName });
    const actions = ['codeartifact:PublishPackageVersion', 'codeartifact:DescribePackageVersion', 'codeartifact:ListPackageVersionAssets',
      'codeartifact:UpdatePackageVersionsStatus'];
    if (removal === PackageVersionRemovalPolicy.DELETE) actions.push('codeartifact:DeletePackageVersions');
    if (removal === PackageVersionRemovalPolicy.DISPOSE) actions.push('codeartifact:DisposePackageVersions');

    const resource = new KitResource(this, 'Resource', {
      family: PACKAGE_VERSION_FAMILY,
      properties: {
        Domain: props.repository.repositoryDomainName,
        DomainOwner: props.repository.repositoryDomainOwner,
        Repository: props.repository.repositoryName,
        Namespace: props.namespace,
        Package: props.packageName,
        Version: props.version,
        AssetName: props.assetName,
        AssetBucket: location.bucketName,
        AssetKey: location.objectKey,
        Unfinished: props.unfinished ?? false,
        RemovalPolicy: removal,
      },
      statements: [
        new iam.PolicyStatement({ actions, resources: [this.packageArn] }),
        new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [`arn:${Aws.PARTITION}:s3:::${location.bucketName}/${location.objectKey}`] }),
      ],
    });
    resource.node.addDependency(props.repository);
    this.packageVersionAssetSha256 = resource.attr('AssetSha256');
    this.packageVersionStatus = resource.attr('Status');
  }
}
