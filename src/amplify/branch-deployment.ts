import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import { Construct } from 'constructs';
import type { IBranch } from './branch';
import { WaitOptions } from '../wait';
import { appSettings } from './private/app-settings';
import { KitResource, resolveWait } from '../core/custom-resource';
import { DEPLOYMENT_FAMILY } from './private/custom-resources/contract';
import { branchJobsAcceptance } from './private/jobs-policy';
import { ValidationError } from '../core/validation';

/** Properties of a manual deployment. `timeout` and `pollInterval` (from `WaitOptions`) apply with `waitForSuccess` only. */
export interface BranchDeploymentProps extends WaitOptions {
  /**
   * The branch to deploy to; its app must not be connected to a repository (Amplify refuses manual deployments to
   * one). This is checked at synth for an app defined here; for an imported app the deployment fails instead, with
   * a message saying so.
   */
  readonly branch: IBranch;

  /**
   * The built site: a local directory (zipped by the CDK) or a `.zip` file. Its content is the site's root.
   * Give exactly one of `path` and `asset`.
   * @default - none; `asset` is required then
   */
  readonly path?: string;

  /**
   * The built site as an existing asset, of a directory or a `.zip` file (e.g. one shared with other constructs).
   * The handler is granted read access to this asset's object only. Give exactly one of `path` and `asset`.
   * @default - none; `path` is required then
   */
  readonly asset?: s3assets.Asset;

  /**
   * Whether the deployment waits for Amplify's job to succeed. A failed or cancelled job then fails the deployment.
   * The wait lasts at most `timeout` (15 minutes by default), reading the job's status every `pollInterval`
   * (15 seconds by default: a deployment usually takes under a minute); when the timeout runs out, the job is stopped
   * and the deployment fails.
   * @default true
   */
  readonly waitForSuccess?: boolean;
}

/**
 * Deploys a built site from a local directory, a zip or an existing asset to a branch of an app without a repository
 * (Amplify's manual deployment: CreateDeployment, upload, StartDeployment), and waits for it.
 * A new deployment runs whenever the content changes. The resource stays the same while its branch does (a
 * different app or branch replaces it), so new content is an update in place and, when the stack rolls back,
 * the rollback deploys the previous content again. An upload that fails on a network error or a server error
 * (HTTP 5xx) is attempted again, up to three times within the handler's run; an upload that cannot finish in
 * that time fails with the zip's size and what to do. A deployment that fails before Amplify starts it stops its
 * job, which would otherwise block the branch for hours. Unlike the alpha module's asset deployment, the wait
 * is bounded by your timeout (up to 2 hours), and the permissions cover only this branch and this asset.
 *
 * @example
 * new amplify.BranchDeployment(this, 'Site', { branch: main, path: path.join(__dirname, 'site') });
 */
export class BranchDeployment extends Construct {
  /**
   * The id of the Amplify job of the latest deployment.
   * @attribute
   */
  public readonly jobId: string;

  constructor(scope: Construct, id: string, props: BranchDeploymentProps) {
    super(scope, id);
    const waitForSuccess = props.waitForSuccess ?? true;
    // A manual deployment usually ends within a minute: it reads twice as often as the kit's default.
    const wait = resolveWait(this, props, {
      prop: 'waitForSuccess', enabled: waitForSuccess, defaultTimeout: Duration.minutes(15), defaultPollInterval: Duration.seconds(15),
    });
    const branch = props.branch;
    const app = appSettings(branch.app);
    if (app?.hasRepository) {
      throw new ValidationError(`branch ${branch.node.path} belongs to an app connected to a repository (sourceCodeProvider), and Amplify `
        + 'only accepts manual deployments for apps without one. Deploy to a branch of an amplify.App without sourceCodeProvider, or let the '
        + 'repository build this branch with branch.startBuild(id)', this);
    }
    const asset = this.content(props);
    const jobs = `${branch.branchArn}/jobs/*`;
    const resource = new KitResource(this, 'Deployment', {
      family: DEPLOYMENT_FAMILY,
      properties: {
        AppId: branch.app.appId,
        BranchName: branch.branchName,
        AssetBucket: asset.s3BucketName,
        AssetKey: asset.s3ObjectKey,
        Wait: String(waitForSuccess),
      },
      // IAM authorizes ListJobs, CreateDeployment and StartDeployment on the branch, GetJob and StopJob on a job.
      statements: [
        new iam.PolicyStatement({
          actions: ['amplify:ListJobs', 'amplify:CreateDeployment', 'amplify:StartDeployment'],
          resources: [branch.branchArn],
        }),
        new iam.PolicyStatement({ actions: ['amplify:GetJob', 'amplify:StopJob'], resources: [jobs] }),
        new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [asset.bucket.arnForObjects(asset.s3ObjectKey)] }),
      ],
      wait,
      nagAcceptances: [branchJobsAcceptance('deployment')],
    });
    this.jobId = resource.attr('JobId');
  }

  /** The zip to deploy: the given asset, or a new one of `path`. */
  private content(props: BranchDeploymentProps): s3assets.Asset {
    if ((props.path === undefined) === (props.asset === undefined)) {
      throw new ValidationError(`${props.path === undefined ? 'neither path nor asset is set' : 'both path and asset are set'}; `
        + 'give exactly one: path for a directory or .zip file of the built site, or asset for an aws_s3_assets.Asset of one', this);
    }
    if (props.asset) {
      if (!props.asset.isZipArchive) {
        throw new ValidationError(`asset ${props.asset.node.path} is a single file that is not a .zip, and Amplify deploys a zip of the `
          + 'site. Create the asset from the directory of the built site (the CDK zips it) or from a .zip of it', this);
      }
      return props.asset;
    }
    const asset = new s3assets.Asset(this, 'Content', { path: props.path! });
    if (!asset.isZipArchive) {
      throw new ValidationError(`path ${props.path} is neither a directory nor a .zip file; pass the directory of the built site or a zip of it`, this);
    }
    return asset;
  }
}
