import { ArnFormat, IResource, RemovalPolicy, Resource, Stack, Token } from 'aws-cdk-lib';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import { CfnCustomActionType } from 'aws-cdk-lib/aws-codepipeline';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { CustomAction, CustomActionOptions } from './custom-action';
import { CODEPIPELINE_API } from './private/api-constraints';
import { ACTION_TYPE_ARN_FORMAT, parseActionTypeArn } from './private/arn';
import { validateApiValue } from '../core/api-constraints';
import { requireArnEnvironment } from '../core/arn';
import { ValidationError } from '../core/validation';

/** What a job worker calls that can be scoped to its action type. */
const POLL_ACTIONS = ['codepipeline:PollForJobs'];

/**
 * What a job worker calls on a job. None of these has resource-level permissions (the IAM reference lists
 * no resource type for them), so they are granted on `*`.
 */
const JOB_ACTIONS = [
  'codepipeline:AcknowledgeJob',
  'codepipeline:GetJobDetails',
  'codepipeline:PutJobSuccessResult',
  'codepipeline:PutJobFailureResult',
];

/** The categories CreateCustomActionType lists but reserves: a custom action of them does not work. */
const RESERVED_CATEGORIES: readonly string[] = [codepipeline.ActionCategory.SOURCE, codepipeline.ActionCategory.APPROVAL];

/** The type of a configuration property's value, as the console shows it. */
export enum ConfigurationPropertyType {
  /** A string. */
  STRING = 'String',
  /** A number. */
  NUMBER = 'Number',
  /** `true` or `false`. */
  BOOLEAN = 'Boolean',
}

/**
 * A configuration property of a custom action type: a setting that each action of the type gives in the
 * pipeline, and that its job worker reads from the job.
 */
export interface ConfigurationProperty {
  /**
   * The property's name (1 to 50 characters), unique within the type. Actions give it as a key of
   * `configuration` (or of `secretConfiguration` when the property is secret), and URL templates name it
   * as `{Config:<name>}`.
   */
  readonly name: string;

  /**
   * Whether every action of the type must give the property.
   * @default false
   */
  readonly required?: boolean;

  /**
   * Whether the property is a key (part of what identifies the external resource the action works on).
   * @default false
   */
  readonly key?: boolean;

  /**
   * Whether the value is secret. CodePipeline hides a secret value from every call except the job worker's
   * (PollForJobs, GetJobDetails); actions give it as a `SecretValue` from Secrets Manager in
   * `secretConfiguration`, which the pipeline template carries as a dynamic reference, never as text.
   * @default false
   */
  readonly secret?: boolean;

  /**
   * Whether job workers poll for jobs by this property's value (PollForJobs `queryParam`): one worker per
   * value, for example per environment. A type has at most one, and it must be required and not secret.
   * In a pipeline its value is at most 20 letters, digits, underscores and hyphens.
   * @default false
   */
  readonly queryable?: boolean;

  /**
   * What the property is for, shown in the console (1 to 160 characters).
   * @default - no description
   */
  readonly description?: string;

  /**
   * The type of the value.
   * @default - none declared (the console treats the value as a string)
   */
  readonly type?: ConfigurationPropertyType;
}

/**
 * A CodePipeline custom action type (owner `Custom`), defined in this app or imported.
 */
export interface ICustomActionType extends IResource {
  /**
   * The ARN of the action type: `arn:<partition>:codepipeline:<region>:<account>:actiontype:Custom/<category>/<provider>/<version>`.
   * @attribute
   */
  readonly customActionTypeArn: string;

  /**
   * The category of the action type (with the provider and version, what identifies it).
   * @attribute
   */
  readonly actionCategory: codepipeline.ActionCategory;

  /**
   * The provider of the action type.
   * @attribute
   */
  readonly actionProvider: string;

  /**
   * The version of the action type.
   * @attribute
   */
  readonly actionVersion: string;

  /**
   * The configuration properties of the type, when known: actions of the type are checked against them.
   * @default - unknown (an import that was not given them): actions' configuration is passed on unchecked
   */
  readonly configurationProperties?: ConfigurationProperty[];

  /**
   * How many input and output artifacts an action of the type takes, when known.
   * @default - unknown (an import that was not given them): 0 to 5 of each
   */
  readonly artifactBounds?: codepipeline.ActionArtifactBounds;

  /**
   * An action of this type, to add to a pipeline stage (`pipeline.addStage({ stageName, actions: [...] })`).
   * Its configuration is checked against the type's properties at synth.
   */
  action(options: CustomActionOptions): CustomAction;

  /**
   * Grants the given actions on this action type.
   * @param actions IAM actions with their prefix, e.g. `codepipeline:PollForJobs`
   */
  grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant;

  /**
   * Grants what a job worker of this type needs: PollForJobs on this type, and AcknowledgeJob, GetJobDetails,
   * PutJobSuccessResult and PutJobFailureResult, which have no resource-level permissions and so are granted
   * on `*`. The job's artifacts are read and written with the credentials the job itself carries, so no S3 or
   * KMS grant is needed.
   *
   * cdk-nag reports AwsSolutions-IAM5 (`Resource::*`) on the grantee's policy for that statement. The grantee is
   * yours, so the library accepts nothing on it: accept the finding yourself where you run cdk-nag, e.g.
   * `NagSuppressions.addResourceSuppressions(role, [{ id: 'AwsSolutions-IAM5', reason: 'CodePipeline job actions have no
   * resource-level permissions', appliesTo: ['Resource::*'] }], true)`. cdk-nag cannot tell that statement from another
   * `*` statement in the same policy, so keep other wildcard grants of a worker role in a policy of their own.
   * (`JobWorker` accepts the finding on its own dispatcher's role.)
   */
  grantJobWorker(grantee: iam.IGrantable): iam.Grant;

  /**
   * An EventBridge rule for the "CodePipeline Action Execution State Change" events of actions of this type,
   * in every pipeline of the account and region (started, succeeded, failed, canceled).
   * @param id the rule's construct id
   */
  onActionExecutionStateChange(id: string, options?: events.OnEventOptions): events.Rule;
}

abstract class CustomActionTypeBase extends Resource implements ICustomActionType {
  public abstract readonly actionCategory: codepipeline.ActionCategory;
  public abstract readonly actionProvider: string;
  public abstract readonly actionVersion: string;
  public abstract readonly configurationProperties?: ConfigurationProperty[];
  public abstract readonly artifactBounds?: codepipeline.ActionArtifactBounds;

  public get customActionTypeArn(): string {
    return Stack.of(this).formatArn({
      service: 'codepipeline',
      resource: 'actiontype',
      resourceName: `Custom/${this.actionCategory}/${this.actionProvider}/${this.actionVersion}`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      account: this.env.account,
      region: this.env.region,
    });
  }

  public action(options: CustomActionOptions): CustomAction {
    return new CustomAction({ ...options, actionType: this });
  }

  public grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions, resourceArns: [this.customActionTypeArn] });
  }

  public grantJobWorker(grantee: iam.IGrantable): iam.Grant {
    const poll = this.grant(grantee, ...POLL_ACTIONS);
    const jobs = iam.Grant.addToPrincipal({ grantee, actions: JOB_ACTIONS, resourceArns: ['*'] });
    // No cdk-nag acceptance here: the grantee's policy is the user's, and an acceptance on it would hide the user's
    // own `*` statements too. The docs say what to accept.
    return poll.combine(jobs);
  }

  public onActionExecutionStateChange(id: string, options: events.OnEventOptions = {}): events.Rule {
    const rule = new events.Rule(this, id, {
      description: options.description,
      ruleName: options.ruleName,
      crossStackScope: options.crossStackScope,
      eventPattern: options.eventPattern,
    });
    if (options.target) rule.addTarget(options.target);
    rule.addEventPattern({
      source: ['aws.codepipeline'],
      detailType: ['CodePipeline Action Execution State Change'],
      detail: {
        type: {
          owner: ['Custom'],
          category: [this.actionCategory],
          provider: [this.actionProvider],
          version: [this.actionVersion],
        },
      },
    });
    return rule;
  }
}

/** How to import a custom action type defined elsewhere (another stack, app or the CLI). */
export interface CustomActionTypeAttributes {
  /** The category of the action type. */
  readonly category: codepipeline.ActionCategory;

  /** The provider of the action type, exactly as it was created. */
  readonly provider: string;

  /** The version of the action type, exactly as it was created. */
  readonly version: string;

  /**
   * The type's configuration properties, as it was created with them (`aws codepipeline list-action-types
   * --action-owner-filter Custom` shows them). Give them to have actions of the import checked as strictly
   * as actions of a type defined here.
   * @default - unknown: actions of the import pass their configuration on unchecked
   */
  readonly configurationProperties?: ConfigurationProperty[];

  /**
   * How many input and output artifacts an action of the type takes.
   * @default - unknown: the pipeline accepts 0 to 5 of each
   */
  readonly artifactBounds?: codepipeline.ActionArtifactBounds;
}

/** Properties of a custom action type. */
export interface CustomActionTypeProps {
  /**
   * The category of the action type: Build, Test, Deploy, Invoke or Compute. CodePipeline lists Source and
   * Approval too, but reserves them: a custom action of those categories does not work.
   */
  readonly category: codepipeline.ActionCategory;

  /**
   * The provider's name (1 to 35 letters, digits, underscores and hyphens), shown in the console, e.g.
   * `AcmeDeployer`.
   */
  readonly provider: string;

  /**
   * The version (1 to 9 letters, digits, underscores and hyphens), e.g. `1`.
   *
   * **A version is single-use.** CodePipeline never lets a category/provider/version that was deleted be
   * created again, and CloudFormation cannot replace the type under the same version. So give a new version
   * whenever you change anything but tags, and after deleting a stack whose type was destroyed. There is no
   * default, so that the value is always a deliberate choice.
   */
  readonly version: string;

  /**
   * How many input and output artifacts (0 to 5 each) an action of the type takes. Pipelines check their
   * actions against these bounds.
   */
  readonly artifactBounds: codepipeline.ActionArtifactBounds;

  /**
   * The settings that actions of the type give (at most 10). Names are unique; at most one is queryable,
   * and it is required and not secret.
   * @default - none
   */
  readonly configurationProperties?: ConfigurationProperty[];

  /**
   * The console link of the external resource an action works on (an http or https URL of up to 2048 characters), e.g.
   * `https://deploy.example.com/apps/{Config:Application}`. `{Config:<name>}` names a required, non-secret
   * configuration property.
   * @default - no link
   */
  readonly entityUrlTemplate?: string;

  /**
   * The console link of one run of an action (an http or https URL of up to 2048 characters), e.g.
   * `https://deploy.example.com/runs/{ExternalExecutionId}`. `{ExternalExecutionId}` is the id the job
   * worker reports; `{Config:<name>}` names a required, non-secret configuration property.
   * @default - no link
   */
  readonly executionUrlTemplate?: string;

  /**
   * The console link of the page where an action's external configuration is changed (an http or https URL
   * of up to 2048 characters). `{Config:<name>}` names a required, non-secret configuration property.
   * @default - no link
   */
  readonly revisionUrlTemplate?: string;

  /**
   * The sign-up page of the external service (an http or https URL of up to 2048 characters).
   * @default - no link
   */
  readonly thirdPartyConfigurationUrl?: string;

  /**
   * What happens to the action type when it leaves the stack (the stack is deleted, or the resource is
   * removed or replaced).
   *
   * The default keeps it: deleting a custom action type burns its version for good (it can never be
   * created again), and pipelines that still use it stop working. A kept type still exists, so a stack
   * deployed again must either import it (`CustomActionType.fromCustomActionTypeAttributes`) or define a
   * new version. Delete an unused version with `aws codepipeline delete-custom-action-type`.
   * With `RemovalPolicy.DESTROY` the type is deleted with the stack, and a redeployment needs a new version.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * Defines a CodePipeline custom action type (`AWS::CodePipeline::CustomActionType`): an action that
 * pipelines run through a job worker of your own, which polls CodePipeline for its jobs.
 *
 * **Versions are single-use.** A category/provider/version that was deleted can never be created again,
 * and every property except tags is fixed at creation: change the version together with anything else, or
 * the update fails (CloudFormation cannot replace a resource under the same name). The type is kept when it
 * leaves the stack (`removalPolicy`, default RETAIN). Tags work through `Tags.of()`.
 *
 * A custom action type exists per account and region: define it in each environment whose pipelines use it.
 *
 * @example
 * const deployer = new CustomActionType(this, 'AcmeDeployer', {
 *   category: ActionCategory.DEPLOY,
 *   provider: 'AcmeDeployer',
 *   version: '1', // a new one with every change
 *   artifactBounds: { minInputs: 1, maxInputs: 1, minOutputs: 0, maxOutputs: 0 },
 *   configurationProperties: [
 *     { name: 'Environment', required: true, queryable: true },
 *     { name: 'ApiToken', required: true, secret: true },
 *   ],
 * });
 * // An action of the type, for pipeline.addStage({ stageName: 'Deploy', actions: [deploy] }).
 * const deploy = deployer.action({
 *   actionName: 'Deploy',
 *   inputs: [sourceOutput],
 *   configuration: { Environment: 'prod' },
 *   secretConfiguration: { ApiToken: SecretValue.secretsManager('acme/api-token') },
 * });
 */
export class CustomActionType extends CustomActionTypeBase {
  /**
   * Imports a custom action type by its category, provider and version, in the stack's account and region.
   */
  public static fromCustomActionTypeAttributes(scope: Construct, id: string, attrs: CustomActionTypeAttributes): ICustomActionType {
    validateIdentity(scope, attrs.category, attrs.provider, attrs.version, 'import');
    if (attrs.configurationProperties) validateProperties(scope, attrs.configurationProperties);
    if (attrs.artifactBounds) validateBounds(scope, attrs.artifactBounds);
    class Import extends CustomActionTypeBase {
      public readonly actionCategory = attrs.category;
      public readonly actionProvider = attrs.provider;
      public readonly actionVersion = attrs.version;
      public readonly configurationProperties = attrs.configurationProperties;
      public readonly artifactBounds = attrs.artifactBounds;
    }
    return new Import(scope, id);
  }

  /**
   * Imports a custom action type by its ARN
   * (`arn:<partition>:codepipeline:<region>:<account>:actiontype:Custom/<category>/<provider>/<version>`).
   *
   * The import's account and region are the ARN's. The ARN must be literal: its category, provider and
   * version are what an action of the type renders. For a type whose ARN is only known at deploy time, use
   * `fromCustomActionTypeAttributes`.
   */
  public static fromCustomActionTypeArn(scope: Construct, id: string, customActionTypeArn: string): ICustomActionType {
    const fix = 'Copy it from `aws codepipeline list-action-types --action-owner-filter Custom` (the ARN is built from the '
      + 'type\'s id), or import the type with fromCustomActionTypeAttributes.';
    if (Token.isUnresolved(customActionTypeArn)) {
      throw new ValidationError('a custom action type ARN must be literal, got a token: its category, provider and version are '
        + 'rendered in every action of the type. Import the type with fromCustomActionTypeAttributes({ category, provider, version }).', scope, id);
    }
    requireArnEnvironment(scope, id, customActionTypeArn, { what: 'custom action type', format: ACTION_TYPE_ARN_FORMAT, fix });
    const parsed = parseActionTypeArn(customActionTypeArn);
    if (!parsed) {
      throw new ValidationError(`'${customActionTypeArn}' is not a custom action type ARN; expected ${ACTION_TYPE_ARN_FORMAT}. ${fix}`, scope, id);
    }
    validateIdentity(scope, parsed.category as codepipeline.ActionCategory, parsed.provider, parsed.version, 'import');
    class Import extends CustomActionTypeBase {
      public readonly actionCategory = parsed!.category as codepipeline.ActionCategory;
      public readonly actionProvider = parsed!.provider;
      public readonly actionVersion = parsed!.version;
      public readonly configurationProperties = undefined;
      public readonly artifactBounds = undefined;
      // The ARN as given, partition included.
      public get customActionTypeArn(): string {
        return customActionTypeArn;
      }
    }
    return new Import(scope, id, { environmentFromArn: customActionTypeArn });
  }

  public readonly actionCategory: codepipeline.ActionCategory;
  public readonly actionProvider: string;
  public readonly actionVersion: string;
  public readonly configurationProperties?: ConfigurationProperty[];
  public readonly artifactBounds?: codepipeline.ActionArtifactBounds;

  /**
   * The id CloudFormation returns for the action type.
   * @attribute
   */
  public readonly customActionTypeId: string;

  constructor(scope: Construct, id: string, props: CustomActionTypeProps) {
    super(scope, id);
    validateIdentity(this, props.category, props.provider, props.version, 'define');
    const properties = props.configurationProperties ?? [];
    validateProperties(this, properties);
    validateBounds(this, props.artifactBounds);
    const urls: Array<[string, string | undefined, 'UrlTemplate' | 'Url']> = [
      ['entityUrlTemplate', props.entityUrlTemplate, 'UrlTemplate'],
      ['executionUrlTemplate', props.executionUrlTemplate, 'UrlTemplate'],
      ['revisionUrlTemplate', props.revisionUrlTemplate, 'UrlTemplate'],
      ['thirdPartyConfigurationUrl', props.thirdPartyConfigurationUrl, 'Url'],
    ];
    for (const [prop, url, shape] of urls) {
      validateApiValue(this, CODEPIPELINE_API, shape, prop, url,
        'Shorten the URL, for example by linking a page that takes the id in its path rather than a long query string.');
      validateUrlPlaceholders(this, prop, url, properties);
      validateUrlScheme(this, prop, url);
    }

    this.actionCategory = props.category;
    this.actionProvider = props.provider;
    this.actionVersion = props.version;
    this.configurationProperties = properties;
    this.artifactBounds = props.artifactBounds;

    const hasSettings = urls.some(([, url]) => url !== undefined);
    const resource = new CfnCustomActionType(this, 'Resource', {
      category: props.category,
      provider: props.provider,
      version: props.version,
      inputArtifactDetails: { minimumCount: props.artifactBounds.minInputs, maximumCount: props.artifactBounds.maxInputs },
      outputArtifactDetails: { minimumCount: props.artifactBounds.minOutputs, maximumCount: props.artifactBounds.maxOutputs },
      // CloudFormation requires Required, Key and Secret on every property; their API default is false.
      configurationProperties: properties.length > 0 ? properties.map(p => ({
        name: p.name,
        required: p.required ?? false,
        key: p.key ?? false,
        secret: p.secret ?? false,
        queryable: p.queryable,
        description: p.description,
        type: p.type,
      })) : undefined,
      settings: hasSettings ? {
        entityUrlTemplate: props.entityUrlTemplate,
        executionUrlTemplate: props.executionUrlTemplate,
        revisionUrlTemplate: props.revisionUrlTemplate,
        thirdPartyConfigurationUrl: props.thirdPartyConfigurationUrl,
      } : undefined,
    });
    resource.applyRemovalPolicy(props.removalPolicy ?? RemovalPolicy.RETAIN);
    this.customActionTypeId = resource.attrId;
  }
}

function validateIdentity(scope: IConstruct, category: codepipeline.ActionCategory, provider: string, version: string, verb: 'define' | 'import'): void {
  validateApiValue(scope, CODEPIPELINE_API, 'ActionCategory', 'category', category,
    'Use an ActionCategory constant such as ActionCategory.BUILD or ActionCategory.DEPLOY.');
  if (verb === 'define' && RESERVED_CATEGORIES.includes(category)) {
    throw new ValidationError(`invalid category: '${category}' is reserved by CodePipeline for custom actions (a custom action of `
      + 'category Source or Approval does not run); custom action types take Build, Test, Deploy, Invoke or Compute. '
      + 'Choose the category that describes what the job worker does, e.g. ActionCategory.DEPLOY; for a manual approval use '
      + 'aws-cdk-lib\'s ManualApprovalAction.', scope);
  }
  validateApiValue(scope, CODEPIPELINE_API, 'ActionProvider', 'provider', provider,
    verb === 'define'
      ? 'Name the service or tool the job worker drives in letters, digits, underscores and hyphens, e.g. \'AcmeDeployer\'.'
      : 'Give the provider exactly as `aws codepipeline list-action-types --action-owner-filter Custom` shows it.');
  validateApiValue(scope, CODEPIPELINE_API, 'Version', 'version', version,
    verb === 'define'
      ? 'Use a short version such as \'1\' or \'2024-06\' (no dots), and a new one whenever the type changes.'
      : 'Give the version exactly as `aws codepipeline list-action-types --action-owner-filter Custom` shows it.');
}

function validateBounds(scope: IConstruct, bounds: codepipeline.ActionArtifactBounds): void {
  const fix = 'Give each count from 0 to 5, with the minimum at most the maximum, e.g. { minInputs: 1, maxInputs: 1, minOutputs: 0, maxOutputs: 1 }.';
  validateApiValue(scope, CODEPIPELINE_API, 'MinimumArtifactCount', 'artifactBounds.minInputs', bounds.minInputs, fix);
  validateApiValue(scope, CODEPIPELINE_API, 'MaximumArtifactCount', 'artifactBounds.maxInputs', bounds.maxInputs, fix);
  validateApiValue(scope, CODEPIPELINE_API, 'MinimumArtifactCount', 'artifactBounds.minOutputs', bounds.minOutputs, fix);
  validateApiValue(scope, CODEPIPELINE_API, 'MaximumArtifactCount', 'artifactBounds.maxOutputs', bounds.maxOutputs, fix);
  for (const kind of ['Inputs', 'Outputs'] as const) {
    const min = bounds[`min${kind}`];
    const max = bounds[`max${kind}`];
    if (!Token.isUnresolved(min) && !Token.isUnresolved(max) && min > max) {
      throw new ValidationError(`invalid artifactBounds: min${kind} ${min} is more than max${kind} ${max}. `
        + `Raise max${kind} to at least ${min}, or lower min${kind}.`, scope);
    }
  }
}

function validateProperties(scope: IConstruct, properties: ConfigurationProperty[]): void {
  if (properties.length > 10) {
    throw new ValidationError(`invalid configurationProperties: ${properties.length} properties, CodePipeline allows at most 10 per `
      + `action type (${properties.map(p => p.name).join(', ')}). Combine related settings into one property (for example a `
      + 'JSON document the job worker parses), or split the action into two types.', scope);
  }
  const seen = new Set<string>();
  properties.forEach((p, i) => {
    const at = `configurationProperties[${i}]`;
    validateApiValue(scope, CODEPIPELINE_API, 'ActionConfigurationKey', `${at}.name`, p.name,
      'Use a short name such as \'Environment\'; the description can say more.');
    validateApiValue(scope, CODEPIPELINE_API, 'Description', `${at}.description`, p.description,
      'Shorten the description to a line; link longer documentation from entityUrlTemplate instead.');
    if (Token.isUnresolved(p.name)) return;
    if (seen.has(p.name)) {
      throw new ValidationError(`invalid ${at}.name: '${p.name}' is declared twice; each configuration property needs its own name. `
        + `Rename one of them, e.g. '${p.name}2', or drop the duplicate.`, scope);
    }
    seen.add(p.name);
  });
  const queryable = properties.filter(p => p.queryable);
  if (queryable.length > 1) {
    throw new ValidationError(`invalid configurationProperties: ${queryable.length} properties are queryable (${queryable.map(p => p.name).join(', ')}); `
      + 'CodePipeline allows one per action type, because a job worker polls with a single query parameter. Keep queryable on '
      + 'the property workers are split by (for example the environment) and remove it from the others.', scope);
  }
  for (const p of queryable) {
    if (!p.required || p.secret) {
      const got = [p.required ? undefined : 'not required', p.secret ? 'secret' : undefined].filter(Boolean).join(' and ');
      throw new ValidationError(`invalid configuration property '${p.name}': it is queryable but ${got}; a queryable property must `
        + 'be required and not secret, because job workers poll by its value in plain text. Set required: true'
        + `${p.secret ? ' and secret: false' : ''} on it, or remove queryable.`, scope);
    }
  }
}

const PLACEHOLDER = /\{Config:([^}]*)\}/g;

/**
 * The console renders these as links as they are: without a scheme a link is relative to the console's own page and
 * leads nowhere. A template may start with a placeholder whose value holds the scheme.
 */
function validateUrlScheme(scope: IConstruct, prop: string, url: string | undefined): void {
  if (url === undefined || url === '' || Token.isUnresolved(url) || /^https?:\/\//i.test(url) || url.startsWith('{')) return;
  const example = /^[a-z][a-z0-9+.-]*:/i.test(url) ? 'https://deploy.example.com/apps/{Config:Application}' : `https://${url.replace(/^\/+/, '')}`;
  throw new ValidationError(`invalid ${prop}: '${url}' has no http:// or https:// scheme; the CodePipeline console shows it as a `
    + `link as it is, and a link without a scheme leads nowhere. Write the full URL, e.g. '${example}'`, scope);
}

function validateUrlPlaceholders(scope: IConstruct, prop: string, url: string | undefined, properties: ConfigurationProperty[]): void {
  if (url === undefined || Token.isUnresolved(url)) return;
  for (const match of url.matchAll(PLACEHOLDER)) {
    const name = match[1];
    const property = properties.find(p => p.name === name);
    const usable = properties.filter(p => p.required && !p.secret).map(p => `{Config:${p.name}}`);
    const choices = usable.length > 0 ? `the template can use ${usable.join(', ')}` : 'the type has no required, non-secret property to use';
    if (!property) {
      throw new ValidationError(`invalid ${prop}: '${url}' uses {Config:${name}}, but the type declares no configuration `
        + `property '${name}'; ${choices}. Declare the property in configurationProperties (required, not secret), or fix the name.`, scope);
    }
    if (!property.required || property.secret) {
      const got = [property.required ? undefined : 'not required', property.secret ? 'secret' : undefined].filter(Boolean).join(' and ');
      throw new ValidationError(`invalid ${prop}: '${url}' uses {Config:${name}}, but that property is ${got}; a URL template `
        + `shows a property only when every action gives it and it is not secret (${choices}). Make '${name}' required`
        + `${property.secret ? ' and not secret' : ''}, or take it out of the template.`, scope);
    }
  }
}
