import { ArnFormat, IResource, Lazy, Resource, Stack, Token } from 'aws-cdk-lib';
import { CfnApp } from 'aws-cdk-lib/aws-amplify';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { AccessLogExporter, AccessLogExporterOptions } from './access-log-exporter';
import { BackendEnvironment, BackendEnvironmentOptions } from './backend-environment';
import { BasicAuth } from './basic-auth';
import { Branch, BranchOptions, Stage } from './branch';
import { Domain, DomainOptions } from './domain';
import { AMPLIFY_API } from './private/api-constraints';
import { isServerSide, registerAppSettings } from './private/app-settings';
import { APP_ARN, parseAmplifyArn } from './private/arn';
import { FIX } from './private/fixes';
import {
  EnvironmentVariables, MONOREPO_APP_ROOT_VARIABLE, renderBuildSpec, renderSecret, validateAppRoot,
} from './private/render';
import { ISourceCodeProvider } from './source-code-provider';
import { Webhook, WebhookOptions } from './webhook';
import { validateApiValue } from '../core/api-constraints';
import { ValidationError } from '../core/validation';

/** Where an Amplify app runs. */
export enum Platform {
  /** Static files only. */
  WEB = 'WEB',
  /** Server-side rendering and static files (Next.js 12 and later, Nuxt and other SSR frameworks). */
  WEB_COMPUTE = 'WEB_COMPUTE',
  /** Amplify Hosting's original SSR support (Next.js 11 and earlier). */
  WEB_DYNAMIC = 'WEB_DYNAMIC',
}

/** How Amplify caches the app's content. */
export enum CacheConfigType {
  /** An optimized cache configuration chosen from the platform and rules. */
  AMPLIFY_MANAGED = 'AMPLIFY_MANAGED',
  /** The same, with cookies left out of the cache key. */
  AMPLIFY_MANAGED_NO_COOKIES = 'AMPLIFY_MANAGED_NO_COOKIES',
}

/** The size of the build instance. */
export enum BuildComputeType {
  /** 4 vCPU, 8 GiB memory, 128 GB disk (Amplify's default). */
  STANDARD_8GB = 'STANDARD_8GB',
  /** 8 vCPU, 16 GiB memory, 128 GB disk. */
  LARGE_16GB = 'LARGE_16GB',
  /** 36 vCPU, 72 GiB memory, 256 GB disk. */
  XLARGE_72GB = 'XLARGE_72GB',
}

/** The status code of a rewrite or redirect rule. */
export enum RedirectStatus {
  /** Serve the target's content at the source URL (200). */
  REWRITE = '200',
  /** Permanent redirect (301). */
  PERMANENT_REDIRECT = '301',
  /** Temporary redirect (302). */
  TEMPORARY_REDIRECT = '302',
  /** Answer 404 (404). */
  NOT_FOUND = '404',
  /** Serve the target's content with status 404 (404-200). */
  NOT_FOUND_REWRITE = '404-200',
}

/** A rewrite or redirect rule. */
export interface CustomRuleOptions {
  /** The source address or pattern, e.g. `/docs/<*>`. */
  readonly source: string;

  /** The target address or pattern, e.g. `/guide/<*>`. */
  readonly target: string;

  /**
   * The status code.
   * @default RedirectStatus.PERMANENT_REDIRECT
   */
  readonly status?: RedirectStatus;

  /**
   * The country the rule is limited to (the `condition` of Amplify): a two-letter ISO 3166-1 country code in angle
   * brackets, e.g. `'<US>'`. A rule takes one country: for several, add one rule per country with the same source and
   * target (rules apply in order, and the first that matches wins). A token is passed to Amplify unchecked.
   * @default - every country
   * @see https://docs.aws.amazon.com/amplify/latest/userguide/redirect-rewrite-examples.html
   */
  readonly condition?: string;
}

/**
 * What is wrong with a rule, found when it was made and reported by the app it is added to (a rule has no construct
 * path of its own to name).
 */
const RULE_PROBLEMS = new WeakMap<CustomRule, string>();

/**
 * A rewrite or redirect rule of an app, applied in the order rules are added.
 *
 * @see https://docs.aws.amazon.com/amplify/latest/userguide/redirects.html
 */
export class CustomRule {
  /**
   * Serves `/index.html` for every path without a file extension, as single-page apps with client-side routing need.
   */
  public static readonly SINGLE_PAGE_APPLICATION_REDIRECT = new CustomRule({
    source: '</^[^.]+$/>',
    target: '/index.html',
    status: RedirectStatus.REWRITE,
  });

  /**
   * Serves a custom not-found page, with status 404, for every path that matches no file.
   *
   * @param page the page to serve
   * @default '/404.html'
   */
  public static notFoundPage(page: string = '/404.html'): CustomRule {
    return new CustomRule({ source: '/<*>', target: page, status: RedirectStatus.NOT_FOUND_REWRITE });
  }

  /**
   * Redirects one host to another, keeping the path: `redirectHost('https://example.com', 'https://www.example.com')`.
   *
   * @param from the host to leave, with its scheme
   * @param to the host to go to, with its scheme
   * @param status the status code
   * @default RedirectStatus.PERMANENT_REDIRECT
   */
  public static redirectHost(from: string, to: string, status: RedirectStatus = RedirectStatus.PERMANENT_REDIRECT): CustomRule {
    const rule = new CustomRule({ source: `${from}/<*>`, target: `${to}/<*>`, status });
    for (const [name, value] of [['from', from], ['to', to]]) {
      if (!Token.isUnresolved(value) && !/^https?:\/\/[^/\s]+$/.test(value)) {
        const host = value.replace(/^(https?:\/\/)?([^/\s]*).*$/, (_, scheme, rest) => `${scheme ?? 'https://'}${rest}`);
        RULE_PROBLEMS.set(rule, `CustomRule.redirectHost() got the ${name} host '${value}', which is not a scheme and a host alone. `
          + `Give it as the browser shows it, without a path, e.g. '${host}'`);
        break;
      }
    }
    return rule;
  }

  /** The source pattern. */
  public readonly source: string;
  /** The target pattern. */
  public readonly target: string;
  /** The status code. */
  public readonly status: RedirectStatus;
  /**
   * The country the rule is limited to, e.g. `<US>`.
   * @default - every country
   */
  public readonly condition?: string;

  constructor(options: CustomRuleOptions) {
    const problem = countryConditionProblem(options.condition);
    if (problem) RULE_PROBLEMS.set(this, problem);
    this.source = options.source;
    this.target = options.target;
    this.status = options.status ?? RedirectStatus.PERMANENT_REDIRECT;
    this.condition = options.condition;
  }
}

/** What is wrong with a literal rule condition that is not one country code in angle brackets, the only form Amplify documents. */
function countryConditionProblem(condition: string | undefined): string | undefined {
  if (condition === undefined || condition === '' || Token.isUnresolved(condition) || /^<[A-Z]{2}>$/.test(condition)) return undefined;
  const codes = condition.split(/[\s,;<>]+/).filter(Boolean);
  const bracketed = (code: string) => `'<${code.toUpperCase()}>'`;
  let fix: string;
  if (codes.some(code => code.includes('*'))) {
    fix = 'Amplify has no wildcard country; leave condition out to match every country';
  } else if (codes.length === 1 && /^[A-Za-z]{2}$/.test(codes[0])) {
    fix = `Amplify expects the country code in angle brackets: write condition: ${bracketed(codes[0])}`;
  } else if (codes.length > 1 && codes.every(code => /^[A-Za-z]{2}$/.test(code))) {
    fix = `a rule takes one country: add one rule per country, with condition: ${codes.map(bracketed).join(', ')} `
      + '(rules apply in order, and the first that matches wins)';
  } else {
    fix = 'Amplify expects a two-letter ISO 3166-1 country code in angle brackets, like \'<US>\'';
  }
  return `the CustomRule got the condition '${condition}': ${fix}`;
}

/** Response headers Amplify adds to the paths that match a pattern. */
export interface CustomHeader {
  /** The path pattern, e.g. `**` or `*.js`. */
  readonly pattern: string;

  /** The headers, by name. */
  readonly headers: Record<string, string>;
}

/** How branches pushed to the repository get their own Amplify branch without a deployment. */
export interface AutoBranchCreation {
  /**
   * The branch name patterns (globs) that create a branch.
   * @default - every branch
   */
  readonly patterns?: string[];

  /**
   * Password protection of the created branches.
   * @default - none
   */
  readonly basicAuth?: BasicAuth;

  /**
   * The build spec of the created branches.
   * @default - the app's
   */
  readonly buildSpec?: codebuild.BuildSpec;

  /**
   * Whether pushes build the created branches.
   * @default true
   */
  readonly autoBuild?: boolean;

  /**
   * Whether pull requests against the created branches get previews.
   * @default false
   */
  readonly pullRequestPreview?: boolean;

  /**
   * The backend environment of pull-request previews (Gen 1 apps).
   *
   * Accepted with `pullRequestPreview` off, as Amplify does: the created branches keep it, and it takes effect
   * once previews are turned on for them.
   * @default - a new one per preview
   */
  readonly pullRequestEnvironmentName?: string;

  /**
   * Environment variables of the created branches (more with `addAutoBranchEnvironment()`). They are plain
   * text in the template: do not put secrets here.
   * @default - none
   */
  readonly environmentVariables?: Record<string, string>;

  /**
   * The framework of the created branches, e.g. `Next.js - SSR`.
   * @default - detected by Amplify
   */
  readonly framework?: string;

  /**
   * The stage of the created branches.
   * @default - none
   */
  readonly stage?: Stage;

  /**
   * Whether the created branches use performance mode (longer edge caching; changes take up to 10 minutes to show).
   * @default false
   */
  readonly performanceMode?: boolean;
}

/**
 * An Amplify Hosting app, defined in this app or imported.
 */
export interface IApp extends IResource {
  /**
   * The app's id, e.g. `d1a2b3c4d5e6f7`.
   * @attribute
   */
  readonly appId: string;

  /**
   * The app's ARN.
   * @attribute
   */
  readonly appArn: string;

  /**
   * The default domain of the app, `<app id>.amplifyapp.com`; branch `main` is served at `https://main.<default domain>`.
   * @attribute
   */
  readonly defaultDomain: string;

  /** Defines a branch of this app. */
  addBranch(id: string, options?: BranchOptions): Branch;

  /** Defines a custom domain of this app. */
  addDomain(id: string, options?: DomainOptions): Domain;

  /** Defines an incoming webhook that starts a build of one branch of this app. */
  addWebhook(id: string, options: WebhookOptions): Webhook;

  /** Defines a backend environment of this app (Gen 1 apps only). */
  addBackendEnvironment(id: string, options: BackendEnvironmentOptions): BackendEnvironment;

  /**
   * Copies the access logs of one of this app's domains into an S3 bucket, one object per period (see
   * `AccessLogExporter`).
   */
  exportAccessLogs(id: string, options: AccessLogExporterOptions): AccessLogExporter;

  /**
   * A metric Amplify Hosting publishes for this app: `metricName` in the `AWS/AmplifyHosting` namespace, with the
   * app's id as its `App` dimension. Average over 5 minutes unless `props` say otherwise.
   *
   * Use it for a metric without its own method; the names are case-sensitive.
   * @see https://docs.aws.amazon.com/amplify/latest/userguide/monitoring-with-cloudwatch.html
   */
  metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /** The viewer requests the app received (all HTTP methods). Sum over 5 minutes. */
  metricRequests(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /** The bytes viewers downloaded from the app with GET, HEAD and OPTIONS requests. Sum over 5 minutes. */
  metricBytesDownloaded(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /** The bytes viewers uploaded to the app with POST and PUT requests. Sum over 5 minutes. */
  metricBytesUploaded(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /** The requests answered with an HTTP status from 400 to 499. Sum over 5 minutes. */
  metric4xxErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /** The requests answered with an HTTP status from 500 to 599. Sum over 5 minutes. */
  metric5xxErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /**
   * The time to first byte, in seconds: from Amplify Hosting receiving a request to it returning the response,
   * without the network time to the viewer. Average over 5 minutes (`props.statistic`, e.g. `'p90'`, for a
   * percentile).
   */
  metricLatency(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
}

/** Attributes of an existing app. */
export interface AppAttributes {
  /** The app's id. */
  readonly appId: string;

  /**
   * The app's ARN; the import's account and region are the ARN's.
   * @default - built from the id, in the importing stack's account and region
   */
  readonly appArn?: string;

  /**
   * The app's default domain.
   * @default `<app id>.amplifyapp.com`
   */
  readonly defaultDomain?: string;
}

/** The namespace of the metrics Amplify Hosting publishes per app. */
const HOSTING_NAMESPACE = 'AWS/AmplifyHosting';

/**
 * The metric names of Amplify Hosting's user guide. CloudWatch names are case-sensitive: older copies of the guide,
 * and tools built from them, spell the error metrics `4XXErrors` and `5XXErrors`.
 */
const HOSTING_METRICS = {
  requests: 'Requests',
  bytesDownloaded: 'BytesDownloaded',
  bytesUploaded: 'BytesUploaded',
  errors4xx: '4xxErrors',
  errors5xx: '5xxErrors',
  latency: 'Latency',
} as const;

abstract class AppBase extends Resource implements IApp {
  public abstract readonly appId: string;
  public abstract readonly appArn: string;
  public abstract readonly defaultDomain: string;

  public exportAccessLogs(id: string, options: AccessLogExporterOptions): AccessLogExporter {
    return new AccessLogExporter(this, id, { ...options, app: this });
  }

  public metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: HOSTING_NAMESPACE,
      metricName,
      dimensionsMap: { App: this.appId },
      ...this.metricEnvironment(),
      ...props,
    }).attachTo(this);
  }

  public metricRequests(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(HOSTING_METRICS.requests, { statistic: cloudwatch.Stats.SUM, ...props });
  }

  public metricBytesDownloaded(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(HOSTING_METRICS.bytesDownloaded, { statistic: cloudwatch.Stats.SUM, ...props });
  }

  public metricBytesUploaded(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(HOSTING_METRICS.bytesUploaded, { statistic: cloudwatch.Stats.SUM, ...props });
  }

  public metric4xxErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(HOSTING_METRICS.errors4xx, { statistic: cloudwatch.Stats.SUM, ...props });
  }

  public metric5xxErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(HOSTING_METRICS.errors5xx, { statistic: cloudwatch.Stats.SUM, ...props });
  }

  public metricLatency(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(HOSTING_METRICS.latency, { statistic: cloudwatch.Stats.AVERAGE, ...props });
  }

  /**
   * The app's account and region where an import names others (`fromAppArn`), so that a dashboard reads the metrics
   * of that app's environment (an alarm cannot watch another region's metric: aws-cdk-lib refuses it).
   */
  private metricEnvironment(): { account?: string; region?: string } {
    const stack = Stack.of(this);
    const differs = (mine: string, stacks: string) => !Token.isUnresolved(mine) && mine !== stacks;
    return {
      ...(differs(this.env.account, stack.account) ? { account: this.env.account } : {}),
      ...(differs(this.env.region, stack.region) ? { region: this.env.region } : {}),
    };
  }

  public addBranch(id: string, options: BranchOptions = {}): Branch {
    return new Branch(this, id, { ...options, app: this });
  }

  public addDomain(id: string, options: DomainOptions = {}): Domain {
    return new Domain(this, id, { ...options, app: this });
  }

  public addWebhook(id: string, options: WebhookOptions): Webhook {
    return new Webhook(this, id, { ...options, app: this });
  }

  public addBackendEnvironment(id: string, options: BackendEnvironmentOptions): BackendEnvironment {
    return new BackendEnvironment(this, id, { ...options, app: this });
  }
}

/** Properties of an Amplify app. */
export interface AppProps {
  /**
   * The app's name.
   * @default - the construct id
   */
  readonly appName?: string;

  /**
   * A description.
   * @default - none
   */
  readonly description?: string;

  /**
   * The repository the app builds from.
   * @default - none: the app is deployed manually
   */
  readonly sourceCodeProvider?: ISourceCodeProvider;

  /**
   * Where the app runs.
   * @default Platform.WEB
   */
  readonly platform?: Platform;

  /**
   * The build spec. With `appRoot`, a single-app spec is written under `applications:` for that root.
   * @default - the amplify.yml in the repository
   */
  readonly buildSpec?: codebuild.BuildSpec;

  /**
   * The folder of this app inside a monorepo, e.g. `apps/web`. Sets `AMPLIFY_MONOREPO_APP_ROOT` and writes the
   * build spec and custom headers under `applications:` for this root.
   * @default - not a monorepo app
   */
  readonly appRoot?: string;

  /**
   * Environment variables of every branch (more with `addEnvironment()`). They are plain text in the template:
   * do not put secrets here.
   * @default - none
   */
  readonly environmentVariables?: Record<string, string>;

  /**
   * Rewrite and redirect rules, in order (more with `addCustomRule()`).
   * @default - none
   */
  readonly customRules?: CustomRule[];

  /**
   * Custom response headers (more with `addCustomHeader()`).
   * @default - none
   */
  readonly customHeaders?: CustomHeader[];

  /**
   * Password protection of every branch.
   * @default - none
   */
  readonly basicAuth?: BasicAuth;

  /**
   * Create Amplify branches for Git branches that match patterns.
   * @default - branches are only those defined here
   */
  readonly autoBranchCreation?: AutoBranchCreation;

  /**
   * Delete auto-created branches when their Git branch is deleted.
   * @default false
   */
  readonly autoBranchDeletion?: boolean;

  /**
   * How Amplify caches content.
   * @default - Amplify's default
   */
  readonly cacheConfigType?: CacheConfigType;

  /**
   * The build instance size.
   * @default - Amplify's default, BuildComputeType.STANDARD_8GB
   */
  readonly buildComputeType?: BuildComputeType;

  /**
   * The service role Amplify assumes to build and deploy (and to pull from CodeCommit).
   * @default - a new role
   */
  readonly role?: iam.IRole;

  /**
   * The role the app's server-side code runs with; only for `WEB_COMPUTE` and `WEB_DYNAMIC`.
   * @default - a new role without permissions on SSR platforms, none on `WEB`
   */
  readonly computeRole?: iam.IRole;
}

/**
 * Defines an Amplify Hosting app.
 *
 * @example
 * const app = new amplify.App(this, 'Site', {
 *   sourceCodeProvider: amplify.SourceCodeProvider.gitHub({
 *     owner: 'acme', repository: 'site', accessToken: SecretValue.secretsManager('github-access-token'),
 *   }),
 *   customRules: [amplify.CustomRule.SINGLE_PAGE_APPLICATION_REDIRECT],
 * });
 * app.addBranch('main', { stage: amplify.Stage.PRODUCTION });
 */
export class App extends AppBase implements iam.IGrantable {
  /** Imports an app of the importing stack's account and region from its id. */
  public static fromAppId(scope: Construct, id: string, appId: string): IApp {
    return App.fromAppAttributes(scope, id, { appId });
  }

  /**
   * Imports an app from its ARN, `arn:<partition>:amplify:<region>:<account>:apps/<app id>`. The import's
   * account and region (`env`) are the ARN's; a literal ARN without them, or whose account is
   * not 12 digits, is refused.
   *
   * A token ARN (e.g. a parameter or another stack's output) is not checked: the app id is then the deploy-time
   * second `/`-separated part of the ARN, and `env.account` and `env.region` are deploy-time parts of it too.
   */
  public static fromAppArn(scope: Construct, id: string, appArn: string): IApp {
    const parts = parseAmplifyArn(scope, id, APP_ARN, appArn);
    return App.fromAppAttributes(scope, id, { appId: parts.id, appArn });
  }

  /**
   * Imports an app from its attributes. With `appArn`, the import's account and region are the ARN's (see
   * `fromAppArn`); without it, the importing stack's.
   */
  public static fromAppAttributes(scope: Construct, id: string, attrs: AppAttributes): IApp {
    if (attrs.appArn !== undefined) {
      const parts = parseAmplifyArn(scope, id, APP_ARN, attrs.appArn);
      if (!Token.isUnresolved(parts.id) && !Token.isUnresolved(attrs.appId) && parts.id !== attrs.appId) {
        throw new ValidationError(`appId '${attrs.appId}' and appArn '${attrs.appArn}' of import '${id}' name different apps ('${parts.id}' in the ARN). `
          + 'Pass the ARN of that app, or only one of them (App.fromAppArn() reads the id from the ARN)', scope);
      }
    }
    const arn = attrs.appArn ?? Stack.of(scope).formatArn({
      service: 'amplify', resource: 'apps', resourceName: attrs.appId, arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
    class Import extends AppBase {
      public readonly appId = attrs.appId;
      public readonly appArn = arn;
      public readonly defaultDomain = attrs.defaultDomain ?? `${attrs.appId}.amplifyapp.com`;
    }
    const imported = new Import(scope, id, attrs.appArn !== undefined ? { environmentFromArn: attrs.appArn } : {});
    validateApiValue(imported, AMPLIFY_API, 'AppId', 'appId', attrs.appId,
      'Pass the id the Amplify console shows under App settings > General (or `aws amplify list-apps`), like d1a2b3c4d5e6f7');
    return imported;
  }

  public readonly appId: string;
  public readonly appArn: string;
  public readonly defaultDomain: string;
  /**
   * The app's name.
   * @attribute
   */
  public readonly appName: string;
  /** The app's service role. */
  public readonly role: iam.IRole;
  public readonly grantPrincipal: iam.IPrincipal;
  /** The role of the app's server-side code, on SSR platforms. */
  public readonly computeRole?: iam.IRole;
  /** The platform. */
  public readonly platform: Platform;
  /** The folder of this app inside a monorepo. */
  public readonly appRoot?: string;

  private readonly environment: EnvironmentVariables;
  private readonly autoBranchEnvironment: EnvironmentVariables;
  private readonly customRules: CustomRule[] = [];
  private readonly customHeaders: CustomHeader[] = [];

  constructor(scope: Construct, id: string, props: AppProps = {}) {
    super(scope, id);
    const appName = props.appName ?? id;
    validateApiValue(this, AMPLIFY_API, 'Name', 'appName', appName,
      'The name defaults to the construct id and only labels the app in the console: set appName to a short label, e.g. \'site\'');
    validateApiValue(this, AMPLIFY_API, 'Description', 'description', props.description, FIX.description);
    validateAppRoot(this, props.appRoot);
    this.appRoot = props.appRoot;
    this.platform = props.platform ?? Platform.WEB;

    this.role = props.role ?? new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('amplify.amazonaws.com'),
      description: `Service role of the Amplify app ${this.node.path}`,
    });
    this.grantPrincipal = this.role;

    if (props.computeRole && !isServerSide(this.platform)) {
      throw new ValidationError(`computeRole is set but the platform is ${this.platform}, which runs no server-side code. `
        + 'Use Platform.WEB_COMPUTE (or WEB_DYNAMIC) for an SSR app, or remove computeRole', this);
    }
    this.computeRole = props.computeRole ?? (isServerSide(this.platform) ? new iam.Role(this, 'ComputeRole', {
      assumedBy: new iam.ServicePrincipal('amplify.amazonaws.com'),
      description: `Role of the server-side code of the Amplify app ${this.node.path}`,
    }) : undefined);

    registerAppSettings(this, {
      platform: this.platform, appRoot: this.appRoot, serviceRole: this.role, hasRepository: props.sourceCodeProvider !== undefined,
    });

    this.environment = new EnvironmentVariables(this, 'environment variable');
    if (props.appRoot !== undefined) this.environment.add(MONOREPO_APP_ROOT_VARIABLE, props.appRoot);
    for (const [name, value] of Object.entries(props.environmentVariables ?? {})) {
      if (name === MONOREPO_APP_ROOT_VARIABLE && props.appRoot !== undefined) {
        throw new ValidationError(`${MONOREPO_APP_ROOT_VARIABLE} is set by appRoot ('${props.appRoot}'); remove it from environmentVariables`, this);
      }
      this.environment.add(name, value);
    }
    this.autoBranchEnvironment = new EnvironmentVariables(this, 'auto branch environment variable');
    for (const [name, value] of Object.entries(props.autoBranchCreation?.environmentVariables ?? {})) {
      this.autoBranchEnvironment.add(name, value);
    }
    (props.customRules ?? []).forEach(rule => this.addCustomRule(rule));
    (props.customHeaders ?? []).forEach(header => this.addCustomHeader(header));

    const source = props.sourceCodeProvider?.bind(this, this.role);
    validateApiValue(this, AMPLIFY_API, 'Repository', 'repository', source?.repository,
      'The URL is built from the source code provider\'s owner and repository (https://<host>/<owner>/<repository>): check those, '
      + 'or for CodeCommit pass the repository construct');

    const resource = new CfnApp(this, 'Resource', {
      name: appName,
      description: props.description,
      repository: source?.repository,
      accessToken: source?.accessToken && renderSecret(this, 'accessToken', source.accessToken),
      oauthToken: source?.oauthToken && renderSecret(this, 'oauthToken', source.oauthToken),
      platform: this.platform,
      iamServiceRole: this.role.roleArn,
      computeRoleArn: this.computeRole?.roleArn,
      buildSpec: renderBuildSpec(this, 'buildSpec', props.buildSpec, this.appRoot),
      environmentVariables: Lazy.any({ produce: () => this.environment.render() }),
      customRules: Lazy.any({ produce: () => this.renderCustomRules() }),
      customHeaders: Lazy.string({ produce: () => this.renderCustomHeaders() }),
      basicAuthConfig: props.basicAuth ? props.basicAuth.bind(this, 'BasicAuth') : { enableBasicAuth: false },
      autoBranchCreationConfig: props.autoBranchCreation && this.renderAutoBranchCreation(props.autoBranchCreation),
      enableBranchAutoDeletion: props.autoBranchDeletion,
      cacheConfig: props.cacheConfigType && { type: props.cacheConfigType },
      jobConfig: props.buildComputeType && { buildComputeType: props.buildComputeType },
    });

    this.appId = resource.attrAppId;
    this.appArn = resource.attrArn;
    this.appName = resource.attrAppName;
    this.defaultDomain = resource.attrDefaultDomain;
  }

  /**
   * Adds an environment variable of every branch. It is plain text in the template: do not put secrets here.
   *
   * Fails when the variable is already set.
   */
  public addEnvironment(name: string, value: string): void {
    this.environment.add(name, value);
  }

  /** Adds an environment variable of auto-created branches. Fails when the variable is already set. */
  public addAutoBranchEnvironment(name: string, value: string): void {
    this.autoBranchEnvironment.add(name, value);
  }

  /** Adds a rewrite or redirect rule after the existing ones. */
  public addCustomRule(rule: CustomRule): void {
    const problem = RULE_PROBLEMS.get(rule);
    if (problem) throw new ValidationError(`customRules[${this.customRules.length}]: ${problem}`, this);
    const rendered = { source: rule.source, target: rule.target, status: rule.status, condition: rule.condition };
    validateApiValue(this, AMPLIFY_API, 'CustomRule', `customRules[${this.customRules.length}]`, rendered,
      'Match many paths with one wildcard (/docs/<*>) or regular expression (</^\\/(a|b)\\//>) instead of listing them');
    this.customRules.push(rule);
  }

  /** Adds custom response headers for a path pattern; written under `applications:` for a monorepo app. */
  public addCustomHeader(header: CustomHeader): void {
    if (!Token.isUnresolved(header.pattern) && header.pattern.length === 0) {
      throw new ValidationError('a custom header pattern cannot be empty; use \'**\' for every path', this);
    }
    if (Object.keys(header.headers).length === 0) {
      throw new ValidationError(`the custom headers for pattern '${header.pattern}' list no header; add at least one`, this);
    }
    this.customHeaders.push(header);
  }

  private renderCustomRules() {
    if (this.customRules.length === 0) return undefined;
    return this.customRules.map(r => ({ source: r.source, target: r.target, status: r.status, condition: r.condition }));
  }

  private renderCustomHeaders(): string | undefined {
    if (this.customHeaders.length === 0) return undefined;
    const indent = this.appRoot !== undefined ? '      ' : '  ';
    const lines = this.appRoot !== undefined ? ['applications:', `  - appRoot: ${this.appRoot}`, '    customHeaders:'] : ['customHeaders:'];
    for (const header of this.customHeaders) {
      lines.push(`${indent}- pattern: ${JSON.stringify(header.pattern)}`, `${indent}  headers:`);
      for (const [key, value] of Object.entries(header.headers)) {
        lines.push(`${indent}    - key: ${JSON.stringify(key)}`, `${indent}      value: ${JSON.stringify(value)}`);
      }
    }
    const yaml = `${lines.join('\n')}\n`;
    validateApiValue(this, AMPLIFY_API, 'CustomHeaders', 'customHeaders', yaml,
      'Merge patterns that share headers (one \'**\' for headers every path gets), or set the longest headers, like '
      + 'Content-Security-Policy, from your framework (e.g. Next.js headers()) instead');
    return yaml;
  }

  private renderAutoBranchCreation(auto: AutoBranchCreation): CfnApp.AutoBranchCreationConfigProperty {
    validateApiValue(this, AMPLIFY_API, 'AutoBranchCreationPatterns', 'autoBranchCreation.patterns', auto.patterns, FIX.branchPatterns);
    validateApiValue(this, AMPLIFY_API, 'PullRequestEnvironmentName', 'autoBranchCreation.pullRequestEnvironmentName',
      auto.pullRequestEnvironmentName, FIX.pullRequestEnvironmentName);
    validateApiValue(this, AMPLIFY_API, 'Framework', 'autoBranchCreation.framework', auto.framework, FIX.framework);
    validateApiValue(this, AMPLIFY_API, 'Stage', 'autoBranchCreation.stage', auto.stage, 'Use a member of amplify.Stage, e.g. amplify.Stage.BETA');
    return {
      enableAutoBranchCreation: true,
      autoBranchCreationPatterns: auto.patterns,
      basicAuthConfig: auto.basicAuth ? auto.basicAuth.bind(this, 'AutoBranchBasicAuth') : { enableBasicAuth: false },
      buildSpec: renderBuildSpec(this, 'autoBranchCreation.buildSpec', auto.buildSpec, this.appRoot),
      enableAutoBuild: auto.autoBuild ?? true,
      enablePullRequestPreview: auto.pullRequestPreview ?? false,
      pullRequestEnvironmentName: auto.pullRequestEnvironmentName,
      environmentVariables: Lazy.any({ produce: () => this.autoBranchEnvironment.render() }),
      framework: auto.framework,
      stage: auto.stage,
      enablePerformanceMode: auto.performanceMode,
    };
  }
}
