import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { IBranch } from './branch';
import { AMPLIFY_API } from './private/api-constraints';
import { validateApiValue } from '../core/api-constraints';
import { KitResource, resolveWait } from '../core/custom-resource';
import { WaitOptions } from '../wait';
import { BUILD_FAMILY } from './private/custom-resources/contract';
import { branchJobsAcceptance } from './private/jobs-policy';

/**
 * Options of a build started at deploy time, for `branch.startBuild(id, options)`. `timeout` and `pollInterval`
 * (from `WaitOptions`) apply with `waitForSuccess` only.
 */
export interface BuildOptions extends WaitOptions {
  /**
   * Any change of this value starts a new build, e.g. a hash of the build spec and environment you deploy.
   * @default - a build only when the resource is created
   */
  readonly trigger?: string;

  /**
   * Why the build runs, shown in the Amplify console.
   * @default - none
   */
  readonly reason?: string;

  /**
   * Whether the deployment waits for the build to succeed. A failed or cancelled build then fails the deployment.
   * The wait lasts at most `timeout` (45 minutes by default), reading the job's status every `pollInterval`
   * (30 seconds by default); when the timeout runs out, the build is stopped and the deployment fails.
   * @default false
   */
  readonly waitForSuccess?: boolean;
}

/** Properties of a build. */
export interface BuildProps extends BuildOptions {
  /** The branch to build; its app must be connected to a repository. */
  readonly branch: IBranch;
}

/**
 * Starts a build (an Amplify RELEASE job) of a repository-connected branch when the stack deploys, and again
 * whenever `trigger` changes; optionally waits for it to succeed. CloudFormation has no resource for this:
 * creating a branch does not build it. When the resource is created while a build of the branch is running,
 * that build is waited for (or, without waiting, reported in the handler's log) instead of overlapped by another.
 * When `trigger` changes while a build is running (e.g. a webhook build), that build is reported and a new one
 * starts, which Amplify runs after it: the new trigger is always built. A rollback to the previous trigger
 * starts no build. Deleting the resource leaves the job history alone.
 *
 * @example
 * const build = main.startBuild('Build', { waitForSuccess: true, timeout: Duration.minutes(30) });
 */
export class Build extends Construct {
  /**
   * The id of the job this deployment started or waited for.
   * @attribute
   */
  public readonly jobId: string;

  /**
   * The ARN of the job (empty when the build trigger did not change).
   * @attribute
   */
  public readonly jobArn: string;

  constructor(scope: Construct, id: string, props: BuildProps) {
    super(scope, id);
    validateApiValue(this, AMPLIFY_API, 'JobReason', 'reason', props.reason,
      'The reason only labels the job in the Amplify console: give a ticket or commit id rather than a changelog');
    const wait = resolveWait(this, props, { prop: 'waitForSuccess', enabled: props.waitForSuccess });
    const branch = props.branch;
    const jobs = `${branch.branchArn}/jobs/*`;
    const resource = new KitResource(this, 'Build', {
      family: BUILD_FAMILY,
      properties: {
        AppId: branch.app.appId,
        BranchName: branch.branchName,
        Trigger: props.trigger ?? 'created',
        JobReason: props.reason,
        Wait: String(props.waitForSuccess ?? false),
      },
      // IAM authorizes ListJobs on the branch, and StartJob, GetJob and StopJob on a job (resource type `jobs`);
      // one statement over both keeps the per-build template small and grants nothing more.
      statements: [new iam.PolicyStatement({
        actions: ['amplify:ListJobs', 'amplify:StartJob', 'amplify:GetJob', 'amplify:StopJob'],
        resources: [branch.branchArn, jobs],
      })],
      wait,
      nagAcceptances: [branchJobsAcceptance('build')],
    });
    this.jobId = resource.attr('JobId');
    this.jobArn = resource.attr('JobArn');
  }
}
