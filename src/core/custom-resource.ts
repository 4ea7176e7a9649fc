import * as crypto from 'crypto';
import { CfnResource, CustomResource, Duration, Lazy, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct, IConstruct } from 'constructs';
import { compactIntrinsics, compactReference, renderedOncePrepared } from './compact';
import { AttributeOf, Family, PropertiesOf } from './family';
import { acceptNagFindings, acceptNagFindingsInStack, NagAcceptance } from './nag';
import { POLL_INTERVAL_PROPERTY, QUERY_INTERVAL_VARIABLE, ROLE_ARN_PROPERTY, TIMEOUT_PROPERTY } from './runtime/properties';
import { ValidationError } from './validation';
import { IsCompleteFunction } from '../provider/is-complete-function';
import { OnEventFunction } from '../provider/on-event-function';
import { WaitOptions } from '../wait';

/**
 * How long CloudFormation waits for a custom resource's answer (`ServiceTimeout`), written on every kit resource that
 * waits. CloudFormation allows 1 to 3600 seconds, 3600 by default; past it the resource fails ("did not receive a
 * response") whatever the provider does afterwards, and the rollback's Delete of a Create carries an id CloudFormation
 * invented. Every bound below exists so that a wait's own explanation arrives first.
 */
export const SERVICE_TIMEOUT = Duration.hours(1);

/** The routing isComplete function's timeout: one status read, or at the deadline a read and the clean-up it explains. */
export const IS_COMPLETE_TIMEOUT = Duration.minutes(2);

/**
 * What the provider framework adds around a wait: its own functions' and the routers' invocations (cold starts
 * included) and the response it uploads to CloudFormation.
 */
export const FRAMEWORK_HAND_OFF = Duration.minutes(1);

/** Time left free before CloudFormation's limit, for what the estimates above miss. */
export const WAIT_MARGIN = Duration.minutes(5);

/** The range a construct's `pollInterval` may take. */
export const MIN_POLL_INTERVAL = Duration.seconds(5);
export const MAX_POLL_INTERVAL = Duration.minutes(5);
/** A wait's poll interval when its construct sets none; also the waiter's interval in a stack without waits. */
export const DEFAULT_POLL_INTERVAL = Duration.seconds(30);

/**
 * What a wait needs after its deadline, at worst: the waiter asks again at most one poll interval after the end of
 * the call before the deadline (MAX_POLL_INTERVAL + IS_COMPLETE_TIMEOUT), that call stops what the wait started and
 * explains (IS_COMPLETE_TIMEOUT), then the framework hands the answer to CloudFormation (FRAMEWORK_HAND_OFF); and a
 * margin. 300 + 120 + 120 + 60 + 300 = 900 seconds.
 */
export const AFTER_DEADLINE = MAX_POLL_INTERVAL.plus(IS_COMPLETE_TIMEOUT).plus(IS_COMPLETE_TIMEOUT).plus(FRAMEWORK_HAND_OFF).plus(WAIT_MARGIN);

/**
 * The longest wait a construct accepts: CloudFormation's hour less what a wait needs after its deadline
 * (3600 - 900 = 2700 seconds, 45 minutes). A wait's deadline counts from the arrival of CloudFormation's request
 * (`anchorWait`), so the time onEvent takes to start the work is inside it.
 */
export const MAX_WAIT = SERVICE_TIMEOUT.minus(AFTER_DEADLINE);

/**
 * The provider framework's backstop (`totalTimeout`): after the longest wait's answer at its latest, and before
 * CloudFormation's limit. It fires only if a handler never answers.
 */
export const FRAMEWORK_TIMEOUT = SERVICE_TIMEOUT.minus(WAIT_MARGIN);

/** Fails unless a poll interval is a whole number of seconds between `min` and `max` (a token passes unchecked). */
export function checkPollInterval(scope: IConstruct, prop: string, interval: Duration, min: Duration, max: Duration): Duration {
  const millis = interval.toMilliseconds();
  if (Token.isUnresolved(millis)) return interval;
  if (millis % 1000 !== 0 || millis < min.toMilliseconds() || millis > max.toMilliseconds()) {
    throw new ValidationError(`${prop} must be a whole number of seconds between ${min.toHumanString()} and `
      + `${max.toHumanString()}, got ${interval.toHumanString()}; choose an interval in that range, e.g. Duration.seconds(30)`, scope);
  }
  return interval;
}

/** Fails unless a wait's timeout is between 1 minute and `MAX_WAIT` (a token passes unchecked). */
export function checkWaitTimeout(scope: IConstruct, prop: string, timeout: Duration): Duration {
  const seconds = timeout.toSeconds();
  if (!Token.isUnresolved(seconds) && (seconds < 60 || seconds > MAX_WAIT.toSeconds())) {
    throw new ValidationError(`${prop} must be between 1 minute and ${MAX_WAIT.toHumanString()}, got ${timeout.toHumanString()}: `
      + `CloudFormation waits at most ${SERVICE_TIMEOUT.toHumanString()} for a custom resource's answer (ServiceTimeout), and a wait needs up to `
      + `${AFTER_DEADLINE.toHumanString()} after its timeout to read once more, stop what it started and say why. `
      + `Choose a timeout in that range, e.g. ${prop}: Duration.minutes(30), and follow longer work outside the deployment`, scope);
  }
  return timeout;
}

/** A checked wait: the longest it holds the deployment and how often it reads, within the bounds above. */
export interface Wait {
  readonly timeout: Duration;
  readonly pollInterval: Duration;
}

/** How a construct's props turn its wait on. */
export interface WaitSwitch {
  /** The `waitFor…` prop, for messages. @default - the construct always waits */
  readonly prop?: string;
  /** The prop's value. */
  readonly enabled?: boolean;
  /** The construct's timeout when its props give none. @default MAX_WAIT */
  readonly defaultTimeout?: Duration;
  /** The construct's poll interval when its props give none. @default DEFAULT_POLL_INTERVAL */
  readonly defaultPollInterval?: Duration;
}

/**
 * The one way a construct resolves its `WaitOptions`: the checked wait, or undefined when its `waitFor…` prop is
 * off (a timeout or poll interval given then is an error). Pass the result to `KitResource` as `wait`.
 */
export function resolveWait(scope: IConstruct, options: WaitOptions, on: WaitSwitch = {}): Wait | undefined {
  if (on.prop && !on.enabled) {
    const given = (['timeout', 'pollInterval'] as const).filter(name => options[name] !== undefined);
    if (given.length > 0) {
      const names = given.join(' and ');
      throw new ValidationError(`${names} only ${given.length > 1 ? 'apply' : 'applies'} with ${on.prop}: true; set it or remove ${names}`, scope);
    }
    return undefined;
  }
  return {
    timeout: checkWaitTimeout(scope, 'timeout', options.timeout ?? on.defaultTimeout ?? MAX_WAIT),
    pollInterval: checkPollInterval(scope, 'pollInterval', options.pollInterval ?? on.defaultPollInterval ?? DEFAULT_POLL_INTERVAL, MIN_POLL_INTERVAL, MAX_POLL_INTERVAL),
  };
}

/**
 * How often the provider's waiter calls isComplete, in seconds: the shortest poll interval of the stack's waits, so
 * that the wait that polls most often reads at every call and the others at their own interval (`pollDue`), with no
 * call that reads nothing for every wait. A stack without waits takes `DEFAULT_POLL_INTERVAL` (each request is then
 * complete at the first call, which follows onEvent at once); a poll interval that is a token takes the shortest one
 * allowed, at which every wait still reads on time.
 */
export function queryIntervalOf(pollIntervalSeconds: readonly number[]): number {
  if (pollIntervalSeconds.some(seconds => Token.isUnresolved(seconds))) return MIN_POLL_INTERVAL.toSeconds();
  return pollIntervalSeconds.length > 0 ? Math.min(...pollIntervalSeconds) : DEFAULT_POLL_INTERVAL.toSeconds();
}

/**
 * Sets the waiter's interval and attempts at synth. aws-cdk-lib fixes both when the Provider is constructed, before
 * the stack's resources exist, and renders them into the state machine's definition (`"IntervalSeconds":…` and
 * `"MaxAttempts":…` of its one Retry); this replaces the two numbers it rendered, keeping the rest of its definition,
 * and fails the synth if that rendering changed rather than leave the waiter at a wrong interval.
 */
function retimeWaiter(provider: cr.Provider, rendered: { interval: Duration; total: Duration }, interval: () => number): void {
  const machine = provider.node.findChild('waiter-state-machine').node.defaultChild as sfn.CfnStateMachine;
  const original = machine.definitionString;
  const total = rendered.total.toSeconds();
  const replacements = (seconds: number): Array<[string, string]> => [
    [`"IntervalSeconds":${rendered.interval.toSeconds()},`, `"IntervalSeconds":${seconds},`],
    // At least the backstop's time in calls, however long each call takes.
    [`"MaxAttempts":${total / rendered.interval.toSeconds()},`, `"MaxAttempts":${Math.ceil(total / seconds)},`],
  ];
  machine.definitionString = Token.asString(Lazy.uncachedAny({
    produce: context => {
      let definition = JSON.stringify(context.resolve(original));
      for (const [from, to] of replacements(interval())) {
        // The definition's text, inside the resolved value's JSON: each quote escaped once more.
        const [escapedFrom, escapedTo] = [from, to].map(text => JSON.stringify(text).slice(1, -1));
        if (definition.split(escapedFrom).length !== 2) {
          throw new Error(`internal error: the provider framework's waiter definition has no single ${from} to set; `
            + 'this version of aws-cdk-lib renders it differently: report it to cdk-devtools');
        }
        definition = definition.replace(escapedFrom, escapedTo);
      }
      return JSON.parse(definition);
    },
  }));
}

/** The IAM path of the kit roles; the handlers may assume roles under it only. */
export const KIT_ROLE_PATH = '/cdk-devtools/';

/**
 * The one custom-resource provider of a stack, for every custom resource of the library: two handler
 * functions that route by resource type, the provider framework's three functions and one waiter state
 * machine, however many families and resources the stack has.
 *
 * The handler functions hold no service permissions. Each resource's permissions live in a kit role (see
 * `KitResource`), which the handlers assume for that resource's requests.
 */
export class KitProvider extends Construct {
  /** Finds or creates the provider in the stack of `scope`; the construct tree is the registry. */
  public static of(scope: IConstruct): KitProvider {
    const stack = Stack.of(scope);
    return (stack.node.tryFindChild(KitProvider.ID) as KitProvider | undefined) ?? new KitProvider(stack, KitProvider.ID);
  }

  /** Never change it: the id decides the ServiceToken, which CloudFormation refuses to change. */
  private static readonly ID = 'cdk-devtools.Provider';

  /** The provider's ServiceToken, written as one line (`compactReference`): every resource repeats it. */
  public readonly serviceToken: string;
  /** The role both handler functions run as. */
  public readonly handlerRole: iam.IRole;
  /** The handler role's ARN as every kit role's trust policy writes it (`compactReference`). */
  private readonly handlerRoleArn: string;
  /** The poll intervals of the stack's waits, in seconds (`addWait`). */
  private readonly pollIntervals: number[] = [];
  /** Role ids by the statements' JSON with tokens unresolved (`roleFor`). */
  private readonly roleIds = new Map<string, string>();

  private constructor(scope: Construct, id: string) {
    super(scope, id);
    const stack = Stack.of(this);
    const logGroup = new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.ONE_MONTH });
    const role = new iam.Role(this, 'HandlerRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSLambdaBasicExecutionRole')],
    });
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['sts:AssumeRole'],
      resources: [stack.formatArn({ service: 'iam', region: '', resource: 'role', resourceName: `${KIT_ROLE_PATH.slice(1)}*` })],
    }));
    this.handlerRole = role;
    this.handlerRoleArn = compactReference(role.roleArn);
    const functionOptions: lambda.FunctionOptions = {
      description: 'cdk-devtools custom resource handler (routes by resource type)',
      memorySize: 256,
      logGroup,
      role,
    };
    // onEvent publishes packages and uploads sites, the longest calls any handler makes.
    const onEvent = new OnEventFunction(this, 'OnEvent', { ...functionOptions, timeout: Duration.minutes(10) });
    const queryInterval = () => queryIntervalOf(this.pollIntervals);
    const isComplete = new IsCompleteFunction(this, 'IsComplete', {
      ...functionOptions,
      timeout: IS_COMPLETE_TIMEOUT,
      // For pollDue: the interval the waiter calls at, so that each wait reads once per its own poll interval.
      environment: { [QUERY_INTERVAL_VARIABLE]: Lazy.uncachedString({ produce: () => String(queryInterval()) }) },
    });
    const rendered = { interval: DEFAULT_POLL_INTERVAL, total: FRAMEWORK_TIMEOUT };
    const provider = new cr.Provider(this, 'Provider', {
      onEventHandler: onEvent,
      isCompleteHandler: isComplete,
      // Set at synth from the stack's waits (retimeWaiter): the constructs that wait are not defined yet.
      queryInterval: rendered.interval,
      // Each resource bounds its own wait (TimeoutSeconds); this is only the framework's backstop.
      totalTimeout: rendered.total,
      logGroup,
      // Failed executions only. At ERROR, every round of a wait would be logged as an error: the framework's
      // isComplete says "not yet" by failing the task, which the Retry catches.
      waiterStateMachineLogOptions: { destination: logGroup, level: sfn.LogLevel.FATAL },
      disableWaiterStateMachineLogging: false,
    });
    retimeWaiter(provider, rendered, queryInterval);
    this.serviceToken = compactReference(provider.serviceToken);
    this.node.addValidation({ validate: () => this.checkResourceCount() });

    this.acceptOwnFindings();
  }

  /**
   * Accepts the provider's cdk-nag findings once per stack: each on the one resource that has it, for exactly the
   * finding (appliesTo), rather than every acceptance on every resource of the provider. The metadata is written
   * into the template, so it costs bytes of every stack (about 13 KB before).
   */
  private acceptOwnFindings(): void {
    const ownFunctionVersions = { regex: '/^Resource::<cdkdevtoolsProvider[A-Za-z0-9]+\\.Arn>:\\*$/' };
    for (const child of this.node.findAll()) {
      if (!CfnResource.isCfnResource(child)) continue;
      const path = child.node.path.slice(this.node.path.length + 1);
      const type = child.cfnResourceType;
      if (type === 'AWS::IAM::Role' && ((Stack.of(this).resolve((child as iam.CfnRole).managedPolicyArns) ?? []) as unknown[]).length > 0) {
        acceptNagFindings(child, [{
          id: 'AwsSolutions-IAM4',
          reason: 'the provider\'s functions log with the AWS managed basic execution role',
          appliesTo: ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'],
        }]);
      } else if (type === 'AWS::IAM::Policy' && path.startsWith('HandlerRole/')) {
        acceptNagFindings(child, [{
          id: 'AwsSolutions-IAM5',
          reason: 'the handlers may assume the kit roles of the stack (path /cdk-devtools/), each trusting only this handler role',
          appliesTo: [{ regex: '/^Resource::arn:(<AWS::Partition>|aws[-a-z]*):iam::(\\d{12}|<AWS::AccountId>):role\\/cdk-devtools\\/\\*$/' }],
        }]);
      } else if (type === 'AWS::IAM::Policy') {
        acceptNagFindings(child, [{
          id: 'AwsSolutions-IAM5',
          reason: 'the provider framework invokes every version of its own functions; its state machine delivers its own logs',
          appliesTo: path.includes('waiter-state-machine') ? [ownFunctionVersions, 'Resource::*'] : [ownFunctionVersions],
        }]);
      } else if (type === 'AWS::Lambda::Function' && path.startsWith('Provider/')) {
        acceptNagFindings(child, [{ id: 'AwsSolutions-L1', reason: 'the provider framework functions use the runtime aws-cdk-lib chooses' }]);
      } else if (type === 'AWS::StepFunctions::StateMachine') {
        acceptNagFindings(child, [
          { id: 'AwsSolutions-SF1', reason: 'the waiter retries one task per round of a wait; it logs failed executions, the handlers log each read' },
          { id: 'AwsSolutions-SF2', reason: 'the waiter state machine only polls a handler; X-Ray would add cost, not insight' },
        ]);
      }
    }
  }

  /**
   * CloudFormation refuses a stack of more than 500 resources. aws-cdk-lib says so at synth with the count by
   * type; this says it first, with what the library added and what to do, since its constructs are what
   * usually fill a stack of this kind (a domain with DNS records and a wait is four resources or more).
   */
  private checkResourceCount(): string[] {
    const stack = Stack.of(this);
    const limit = Number(stack.node.tryGetContext('@aws-cdk/core:stackResourceLimit') ?? 500);
    const resources = stack.node.findAll().filter(c => CfnResource.isCfnResource(c) && Stack.of(c) === stack) as CfnResource[];
    if (limit <= 0 || resources.length <= limit) return [];
    const ours = new Map<string, number>();
    for (const r of resources) {
      if (r.cfnResourceType.startsWith('Custom::CdkDevtools')) ours.set(r.cfnResourceType, (ours.get(r.cfnResourceType) ?? 0) + 1);
    }
    const machinery = this.node.findAll().filter(c => CfnResource.isCfnResource(c)).length;
    const kinds = [...ours.entries()].sort((a, b) => b[1] - a[1]).map(([type, n]) => `${n} ${type}`).join(', ');
    return [`stack ${stack.node.path} has ${resources.length} resources, and CloudFormation allows ${limit} in one stack. `
      + `cdk-devtools custom resources in it: ${kinds || 'none'}; with their kit roles and the provider, cdk-devtools accounts for `
      + `${machinery + [...ours.values()].reduce((a, b) => a + b, 0)} of them. Put some of the constructs into another stack or a `
      + 'NestedStack (each stack gets its own provider of about 20 resources)'];
  }

  /**
   * Registers a wait of the stack: the waiter calls isComplete at the shortest poll interval of them all
   * (`queryIntervalOf`), resolved at synth.
   */
  public addWait(pollInterval: Duration): void {
    this.pollIntervals.push(pollInterval.toSeconds());
  }

  /**
   * The kit role that holds exactly these statements, created on first use. Its id is a digest of the
   * statements as they will deploy, so resources that need the same permissions share one role, and a
   * resource whose permissions change moves to a new role while the old one stays until CloudFormation's
   * clean-up, after the Delete of the resource that used it (which depends on it).
   *
   * The acceptances are written once per stack (see `KitResourceProps.nagAcceptances`).
   */
  public roleFor(statements: iam.PolicyStatement[], nagAcceptances: NagAcceptance[] = []): KitRole {
    const json = statements.map(s => s.toStatementJson());
    // Resolving is most of the cost, and resources of a family often repeat the same statements: the same text with
    // its tokens unresolved (each token is a unique name in it) resolves to the same statements, so to the same id.
    const unresolved = plainJson(json);
    let id = unresolved === undefined ? undefined : this.roleIds.get(unresolved);
    if (id === undefined) {
      const rendered = JSON.stringify(Stack.of(this).resolve(json));
      id = `Role${crypto.createHash('sha256').update(rendered).digest('hex').slice(0, 16)}`;
      if (unresolved !== undefined) this.roleIds.set(unresolved, id);
    }
    const role = (this.node.tryFindChild(id) as KitRole | undefined) ?? new KitRole(this, id, this.handlerRoleArn, statements);
    if (nagAcceptances.length > 0) acceptNagFindingsInStack(Stack.of(this), nagAcceptances);
    return role;
  }
}

/**
 * The JSON text of a value made only of strings, numbers, booleans, null, arrays and plain objects (tokens in strings
 * stay unresolved), or undefined when it holds anything else (an `IResolvable` object resolves to what only resolution
 * tells).
 */
function plainJson(value: unknown): string | undefined {
  return isPlain(value) ? JSON.stringify(value) : undefined;
}

function isPlain(value: unknown): boolean {
  if (value === null || value === undefined || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  // JSON writes an undefined element as null, which resolves differently.
  if (Array.isArray(value)) return value.every(v => v !== undefined && isPlain(v));
  return typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype && Object.values(value).every(isPlain);
}

/**
 * A kit role: trusted by the handler role only, under `KIT_ROLE_PATH`, with the statements as its one inline
 * policy. An L1 role (at the path an `iam.Role` would have, so its logical id is the same): one is defined per
 * set of statements, often one per resource, and the L2's machinery cost most of a resource's synth time.
 * Its policy is written with flat intrinsics (`compactIntrinsics`), since it repeats per instance, and rendered once
 * references are set (`renderedOncePrepared`): aws-cdk-lib resolves it several times per synth.
 */
export class KitRole extends Construct implements iam.IGrantable {
  /** @attribute */
  public readonly roleArn: string;
  private readonly resource: iam.CfnRole;
  private grants?: iam.PolicyDocument;
  private principal?: iam.IPrincipal;

  constructor(scope: Construct, id: string, trustedRoleArn: string, statements: iam.PolicyStatement[]) {
    super(scope, id);
    const permissions = new iam.PolicyDocument({ statements });
    this.resource = new iam.CfnRole(this, 'Resource', {
      assumeRolePolicyDocument: {
        Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { AWS: trustedRoleArn } }],
        Version: '2012-10-17',
      },
      path: KIT_ROLE_PATH,
      policies: [{
        policyName: 'Permissions',
        policyDocument: renderedOncePrepared(context => compactIntrinsics(context.resolve(permissions))),
      }],
    });
    this.roleArn = this.resource.attrArn;
  }

  /** Grants to the role add their statements to a policy of their own beside the role's (made on first use: few roles get grants). */
  public get grantPrincipal(): iam.IPrincipal {
    return this.principal ??= new KitRolePrincipal(this, () => this.grantsDocument());
  }

  /** The document of the policy that grants to this role add to, created with the policy on first use. */
  private grantsDocument(): { document: iam.PolicyDocument; policy: Construct } {
    if (!this.grants) {
      this.grants = new iam.PolicyDocument();
      new iam.CfnPolicy(this, 'Grants', { policyName: 'Grants', roles: [this.resource.ref], policyDocument: this.grants });
    }
    return { document: this.grants, policy: this.node.findChild('Grants') };
  }
}

/** A kit role as a principal: what a grant needs (its ARN, its account, a policy to add statements to). */
class KitRolePrincipal extends iam.ArnPrincipal {
  public readonly principalAccount: string | undefined;

  constructor(private readonly role: KitRole, private readonly grants: () => { document: iam.PolicyDocument; policy: Construct }) {
    super(role.roleArn);
    this.principalAccount = Stack.of(role).account;
  }

  public addToPrincipalPolicy(statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult {
    const { document, policy } = this.grants();
    document.addStatements(statement);
    return { statementAdded: true, policyDependable: policy };
  }

  public toString(): string {
    return `KitRole(${this.role.node.path})`;
  }
}

/** Where a custom resource of the kit is defined. */
export interface KitResourceProps<F extends Family> {
  /** The family's contract (`defineFamily`): its resource type selects the handlers. */
  readonly family: F;
  /** The family's properties. Never put a secret value here: pass a secret ARN. */
  readonly properties: PropertiesOf<F>;
  /**
   * The least-privilege statements this resource's handlers need. Keep them a function of what the resource
   * touches (its app or branch, repository, package or connection), never of its other settings: a change
   * of statements moves the resource to another role.
   */
  readonly statements: iam.PolicyStatement[];
  /**
   * The resource's wait, as `resolveWait` checked it: sent as `TimeoutSeconds` and `PollIntervalSeconds` (honoured
   * by the routing isComplete, `pollDue`), with CloudFormation's `ServiceTimeout` set to `SERVICE_TIMEOUT`, which the
   * wait's explanation beats. The stack's waiter calls at the shortest of its waits' intervals. Only for a family
   * that waits.
   * @default - the resource does not wait
   */
  readonly wait?: Wait;
  /**
   * What CloudFormation does with the resource when it leaves the stack or is replaced, for a resource that holds
   * data (a project, a repository, an environment).
   * @default - deleted, without a `DeletionPolicy` written
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Findings on this resource's role that are acceptable. They are written once per stack, in the template's own
   * cdk-nag metadata, not on each role: name each finding by the exact shape of the statement's ARN (a regex of
   * `Resource::arn:...`), since a stack-wide acceptance applies to every resource of the stack. A finding that only
   * a role shared by the whole stack has (e.g. `Resource::*`) is accepted on that role instead (`acceptNagFindings`).
   */
  readonly nagAcceptances?: NagAcceptance[];
}

/**
 * A custom resource of a family, served by the stack's one provider, acting through a kit role that holds its
 * permissions.
 *
 * The role is a separate resource the custom resource names (`RoleArn`), so CloudFormation creates it first
 * and deletes it last: every Create, Update and Delete, including the clean-up Delete after a replacement
 * and a rollback's, runs with the permissions of the properties it acts on. Roles are shared by resources
 * with the same statements, so the handlers' own policy stays one statement however many resources there
 * are, and no role's policy grows with the stack.
 */
export class KitResource<F extends Family = Family> extends Construct {
  public readonly resource: CustomResource;
  /** The role the handlers act as for this resource. */
  public readonly role: KitRole;

  constructor(scope: Construct, id: string, props: KitResourceProps<F>) {
    super(scope, id);
    const { family, wait } = props;
    if (wait && !family.waits) {
      throw new Error(`internal error: ${family.resourceType} does not wait, but ${this.node.path} was given a wait`);
    }
    const provider = KitProvider.of(this);
    if (wait) provider.addWait(wait.pollInterval);
    this.role = provider.roleFor(props.statements, props.nagAcceptances);
    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: family.resourceType,
      // Only a wait can come near CloudFormation's limit: any other answer comes from onEvent, within its function's
      // ten minutes, so the default (the same hour) holds for it, and writing it would cost every instance bytes.
      serviceTimeout: wait ? SERVICE_TIMEOUT : undefined,
      properties: {
        ...props.properties,
        [ROLE_ARN_PROPERTY]: compactReference(this.role.roleArn),
        ...(wait ? { [TIMEOUT_PROPERTY]: wait.timeout.toSeconds(), [POLL_INTERVAL_PROPERTY]: wait.pollInterval.toSeconds() } : {}),
      },
    });
    // CloudFormation deletes a resource without a DeletionPolicy or UpdateReplacePolicy, as the explicit `Delete`s
    // CustomResource writes would say: leaving them out saves each instance two lines.
    const cfn = this.resource.node.defaultChild as CfnResource;
    cfn.cfnOptions.deletionPolicy = undefined;
    cfn.cfnOptions.updateReplacePolicy = undefined;
    if (props.removalPolicy) this.resource.applyRemovalPolicy(props.removalPolicy);
  }

  /** An attribute of the family the handler returned in `Data`, as a string. */
  public attr(name: AttributeOf<F>): string {
    return this.resource.getAttString(name);
  }
}
