import { Duration, IResource, Lazy, Resource, Token, Tokenization } from 'aws-cdk-lib';
import { CfnBranch } from 'aws-cdk-lib/aws-amplify';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { App, IApp } from './app';
import type { IBackendEnvironment } from './backend-environment';
import { BasicAuth } from './basic-auth';
import { Build, BuildOptions } from './build';
import { AMPLIFY_API } from './private/api-constraints';
import { appSettings, isServerSide } from './private/app-settings';
import { BRANCH_ARN, childImportProps, isSameApp, parseAmplifyArn } from './private/arn';
import { FIX } from './private/fixes';
import { validateApiValue } from '../core/api-constraints';
import { BRANCH_SETTINGS_FAMILY } from './private/custom-resources/contract';
import { EnvironmentVariables, renderBuildSpec } from './private/render';
import { KitResource } from '../core/custom-resource';
import { ValidationError } from '../core/validation';

/** The stage of a branch, which Amplify shows and uses for framework defaults. */
export enum Stage {
  /** Production. */
  PRODUCTION = 'PRODUCTION',
  /** Beta. */
  BETA = 'BETA',
  /** Development. */
  DEVELOPMENT = 'DEVELOPMENT',
  /** Experimental. */
  EXPERIMENTAL = 'EXPERIMENTAL',
  /** A pull-request preview. */
  PULL_REQUEST = 'PULL_REQUEST',
}

/**
 * A branch of an Amplify app, defined in this app or imported.
 */
export interface IBranch extends IResource {
  /** The app the branch belongs to. */
  readonly app: IApp;

  /**
   * The branch's name.
   * @attribute
   */
  readonly branchName: string;

  /**
   * The branch's ARN.
   * @attribute
   */
  readonly branchArn: string;

  /**
   * Where Amplify serves the branch: `https://<branch>.<default domain>` (slashes in the name become hyphens).
   * @attribute
   */
  readonly branchUrl: string;

  /**
   * Starts a build of this branch when the stack deploys (and whenever `options.trigger` changes);
   * only for apps connected to a repository.
   *
   * @param id the construct id of the build, under the branch; it names the build's logical ids, so keep it
   * stable (e.g. `'Build'`, or `'NightlyBuild'` for a second one)
   * @param options the build's options
   */
  startBuild(id: string, options?: BuildOptions): Build;
}

/** Attributes of an existing branch. */
export interface BranchAttributes {
  /** The app the branch belongs to. */
  readonly app: IApp;

  /** The branch's name. */
  readonly branchName: string;
}

/** Options of a branch, for `app.addBranch()`. */
export interface BranchOptions {
  /**
   * The Git branch.
   * @default - the construct id
   */
  readonly branchName?: string;

  /**
   * A description.
   * @default - none
   */
  readonly description?: string;

  /**
   * The stage.
   * @default - none
   */
  readonly stage?: Stage;

  /**
   * The framework, e.g. `React`, `Next.js - SSR`; set it when Amplify does not detect an SSR framework.
   * @default - detected by Amplify
   */
  readonly framework?: string;

  /**
   * Whether pushes to the branch start a build.
   * @default true
   */
  readonly autoBuild?: boolean;

  /**
   * Whether pull requests against the branch get previews.
   * @default false
   */
  readonly pullRequestPreview?: boolean;

  /**
   * The backend environment pull-request previews use (Gen 1 apps).
   *
   * Amplify accepts it with `pullRequestPreview` off and keeps it with the branch: it takes effect once previews
   * are turned on (for example in the console), as it does in `autoBranchCreation`.
   * @default - a new one per preview
   */
  readonly pullRequestEnvironmentName?: string;

  /**
   * Environment variables of this branch, over the app's (more with `addEnvironment()`). They are plain text
   * in the template: do not put secrets here.
   * @default - none
   */
  readonly environmentVariables?: Record<string, string>;

  /**
   * Password protection of this branch.
   * @default - the app's
   */
  readonly basicAuth?: BasicAuth;

  /**
   * The build spec of this branch. Written under `applications:` for a monorepo app.
   * @default - the app's
   */
  readonly buildSpec?: codebuild.BuildSpec;

  /**
   * Performance mode: longer edge caching; changes take up to 10 minutes to show.
   * @default false
   */
  readonly performanceMode?: boolean;

  /**
   * Skew protection: clients keep getting the assets of the deployment they loaded.
   * @default false
   */
  readonly skewProtection?: boolean;

  /**
   * The role of this branch's server-side code, over the app's; only for apps on an SSR platform.
   * @default - the app's
   */
  readonly computeRole?: iam.IRole;

  /**
   * The ARN of the CloudFormation stack of this branch's Amplify Gen 2 backend.
   * @default - no backend
   */
  readonly backendStackArn?: string;

  /**
   * The name Amplify shows for the branch (CloudFormation lacks it; applied at deploy time with UpdateBranch).
   *
   * The deploy-time settings (`displayName`, `ttl`, `notifications`, `backendEnvironment`) are restored when they
   * are managed no more: the first deployment records what the branch had, and removing a setting from the props
   * (or a rollback of the deployment that added it) sets it back to that value; removing all of them, or the branch
   * construct, restores them all. A branch that had no backend environment gets it detached with an empty ARN.
   * Settings applied by a version of cdk-devtools before this behaviour are recorded at their next update,
   * except those already managed then, which are left on the branch when removed.
   * @default - the branch name
   */
  readonly displayName?: string;

  /**
   * How long the content is cached (CloudFormation lacks it; applied at deploy time with UpdateBranch).
   * @default - Amplify's default
   */
  readonly ttl?: Duration;

  /**
   * Whether Amplify sends build notifications for the branch (CloudFormation lacks it; applied at deploy
   * time with UpdateBranch).
   * @default - Amplify's default
   */
  readonly notifications?: boolean;

  /**
   * The Gen 1 backend environment the branch deploys with (CloudFormation lacks it; applied at deploy time
   * with UpdateBranch). For a Gen 2 backend use `backendStackArn`.
   * @default - none
   */
  readonly backendEnvironment?: IBackendEnvironment;
}

/** Properties of a branch. */
export interface BranchProps extends BranchOptions {
  /** The app. */
  readonly app: IApp;
}

abstract class BranchBase extends Resource implements IBranch {
  public abstract readonly app: IApp;
  public abstract readonly branchName: string;
  public abstract readonly branchArn: string;
  public abstract readonly branchUrl: string;

  public startBuild(id: string, options: BuildOptions = {}): Build {
    return new Build(this, id, { ...options, branch: this });
  }
}

/** The default-domain prefix of a branch: Amplify writes slashes as hyphens. */
function branchUrl(app: IApp, branchName: string): string {
  const prefix = Token.isUnresolved(branchName) ? branchName : branchName.replace(/\//g, '-');
  return `https://${prefix}.${app.defaultDomain}`;
}

/**
 * Defines a branch of an Amplify app: the Git branch Amplify builds and serves.
 *
 * @example
 * const main = app.addBranch('main', { stage: amplify.Stage.PRODUCTION, performanceMode: true });
 */
export class Branch extends BranchBase {
  /**
   * Imports a branch from its app and name. Its ARN is `<app ARN>/branches/<name>`, and its account and region are
   * those of that ARN when the app's ARN is literal (an app imported with `App.fromAppArn()`), else the app's.
   */
  public static fromBranchAttributes(scope: Construct, id: string, attrs: BranchAttributes): IBranch {
    validateApiValue(scope, AMPLIFY_API, 'BranchName', 'branchName', attrs.branchName,
      'Pass the name of the Git branch as Amplify shows it in the app\'s Branches list (`aws amplify list-branches`)');
    const branchArn = `${attrs.app.appArn}/branches/${attrs.branchName}`;
    class Import extends BranchBase {
      public readonly app = attrs.app;
      public readonly branchName = attrs.branchName;
      public readonly branchArn = branchArn;
      public readonly branchUrl = branchUrl(attrs.app, attrs.branchName);
    }
    return new Import(scope, id, childImportProps(scope, id, attrs.app));
  }

  /**
   * Imports a branch from its ARN, `arn:<partition>:amplify:<region>:<account>:apps/<app id>/branches/<branch name>`.
   * The import's account and region (`env`) are the ARN's; a literal ARN without them is refused. Its `app` is an
   * import of the app in the ARN.
   *
   * A token ARN is not checked: the app id and branch name are then the deploy-time second and fourth
   * `/`-separated parts of the ARN (so a branch name with a `/` needs `fromBranchAttributes()`), and `env.account`
   * and `env.region` are deploy-time parts of it too.
   */
  public static fromBranchArn(scope: Construct, id: string, branchArn: string): IBranch {
    const parts = parseAmplifyArn(scope, id, BRANCH_ARN, branchArn);
    class Import extends BranchBase {
      public readonly app: IApp;
      public readonly branchName = parts.name;
      public readonly branchArn = branchArn;
      public readonly branchUrl: string;
      constructor() {
        super(scope, id, { environmentFromArn: branchArn });
        this.app = App.fromAppAttributes(this, 'App', { appId: parts.id, appArn: parts.appArn });
        this.branchUrl = branchUrl(this.app, parts.name);
      }
    }
    return new Import();
  }

  public readonly app: IApp;
  public readonly branchName: string;
  public readonly branchArn: string;
  public readonly branchUrl: string;

  private readonly environment: EnvironmentVariables;

  constructor(scope: Construct, id: string, props: BranchProps) {
    super(scope, checkBranchId(scope, id));
    this.app = props.app;
    const branchName = props.branchName ?? id;
    validateApiValue(this, AMPLIFY_API, 'BranchName', 'branchName', branchName,
      'The name defaults to the construct id: set branchName to the Git branch as `git branch --show-current` prints it (without refs/heads/)');
    validateApiValue(this, AMPLIFY_API, 'Description', 'description', props.description, FIX.description);
    validateApiValue(this, AMPLIFY_API, 'Framework', 'framework', props.framework, FIX.framework);
    validateApiValue(this, AMPLIFY_API, 'PullRequestEnvironmentName', 'pullRequestEnvironmentName', props.pullRequestEnvironmentName,
      FIX.pullRequestEnvironmentName);
    validateApiValue(this, AMPLIFY_API, 'StackArn', 'backendStackArn', props.backendStackArn,
      'pass the ARN of the backend stack, arn:aws:cloudformation:<region>:<account>:stack/<name>/<id> (Stack.stackId gives it)');

    const settings = appSettings(props.app);
    if (props.computeRole && settings && !isServerSide(settings.platform)) {
      throw new ValidationError(`computeRole is set but the app's platform is ${settings.platform}, which runs no server-side code. `
        + 'Use Platform.WEB_COMPUTE (or WEB_DYNAMIC) on the app, or remove computeRole', this);
    }

    this.environment = new EnvironmentVariables(this, 'environment variable');
    for (const [name, value] of Object.entries(props.environmentVariables ?? {})) this.environment.add(name, value);

    const resource = new CfnBranch(this, 'Resource', {
      appId: props.app.appId,
      branchName,
      description: props.description,
      stage: props.stage,
      framework: props.framework,
      enableAutoBuild: props.autoBuild ?? true,
      enablePullRequestPreview: props.pullRequestPreview ?? false,
      pullRequestEnvironmentName: props.pullRequestEnvironmentName,
      environmentVariables: Lazy.any({ produce: () => this.environment.render() }),
      basicAuthConfig: props.basicAuth?.bind(this, 'BasicAuth'),
      buildSpec: renderBuildSpec(this, 'buildSpec', props.buildSpec, settings?.appRoot),
      enablePerformanceMode: props.performanceMode,
      enableSkewProtection: props.skewProtection,
      computeRoleArn: props.computeRole?.roleArn,
      backend: props.backendStackArn !== undefined ? { stackArn: props.backendStackArn } : undefined,
    });

    this.branchArn = resource.attrArn;
    this.branchName = resource.attrBranchName;
    this.branchUrl = branchUrl(props.app, branchName);
    this.applySettings(props);
  }

  /** Applies the settings CloudFormation lacks with UpdateBranch, touching no property CloudFormation manages. */
  private applySettings(props: BranchProps): void {
    validateApiValue(this, AMPLIFY_API, 'DisplayName', 'displayName', props.displayName,
      'The display name only labels the branch in the Amplify console: use a short label such as the stage, e.g. \'Production\'');
    const ttl = props.ttl?.toSeconds({ integral: false });
    if (ttl !== undefined && !Token.isUnresolved(ttl) && (!Number.isInteger(ttl) || ttl < 0)) {
      throw new ValidationError(`ttl must be a whole number of seconds, got ${props.ttl!.toHumanString()}; use Duration.seconds()`, this);
    }
    const backend = props.backendEnvironment;
    if (backend && !isSameApp(backend.app, this.app)) {
      throw new ValidationError(`backendEnvironment ${backend.node.path} belongs to another app; `
        + 'a branch uses a backend environment of its own app (app.addBackendEnvironment())', this);
    }
    if (backend && props.backendStackArn !== undefined) {
      throw new ValidationError('backendEnvironment (Gen 1) and backendStackArn (Gen 2) are both set; an app is one or the other, '
        + 'so remove one of them', this);
    }
    if (props.displayName === undefined && ttl === undefined && props.notifications === undefined && !backend) return;
    new KitResource(this, 'Settings', {
      family: BRANCH_SETTINGS_FAMILY,
      properties: {
        AppId: this.app.appId,
        BranchName: this.branchName,
        DisplayName: props.displayName,
        Ttl: ttl === undefined ? undefined : Tokenization.stringifyNumber(ttl),
        EnableNotification: props.notifications === undefined ? undefined : String(props.notifications),
        BackendEnvironmentArn: backend?.backendEnvironmentArn,
      },
      // This branch only: when the settings move to another branch, the clean-up Delete of the old id restores the old
      // branch with the role of the old properties, which CloudFormation keeps until after that Delete.
      statements: [new iam.PolicyStatement({ actions: ['amplify:GetBranch', 'amplify:UpdateBranch'], resources: [this.branchArn] })],
    });
  }

  /**
   * Adds an environment variable of this branch. It is plain text in the template: do not put secrets here.
   *
   * Fails when the variable is already set.
   */
  public addEnvironment(name: string, value: string): void {
    this.environment.add(name, value);
  }
}

/**
 * Refuses an id that constructs would refuse with a message about construct ids alone: the id of a branch is often
 * its Git branch name, so the message says what a branch name is and how to pass one that is not a valid id.
 */
function checkBranchId(scope: Construct, id: string): string {
  if (Token.isUnresolved(id)) {
    throw new ValidationError(`a branch's construct id is a value known only at deploy time (${id}), and construct ids must be `
      + 'literals. Pass a literal id and the deploy-time name as branchName: addBranch(\'Preview\', { branchName: param.valueAsString })', scope);
  }
  if (id === '') {
    throw new ValidationError('a branch\'s construct id is \'\', but the id is the branch name unless branchName is set, and an '
      + 'Amplify branch name has 1 to 255 characters. Pass the Git branch as `git branch --show-current` prints it, e.g. addBranch(\'main\'), '
      + 'or a construct id and the name: addBranch(\'Main\', { branchName: \'main\' })', scope);
  }
  return id;
}
