import { CustomResource, Duration, Reference, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct, IConstruct } from 'constructs';
import { POLL_INTERVAL_PROPERTY, QUERY_INTERVAL_PROPERTY, TIMEOUT_PROPERTY } from './handlers/runtime';
import { acceptNagFindings, NagAcceptance } from './nag';

/** Creates one of a family's handler functions (a projen-generated `*Function` class fits). */
export type HandlerFactory = (scope: Construct, id: string, props: lambda.FunctionOptions) => lambda.Function;

/** What defines a handler family: its functions and how the provider polls them. */
export interface HandlerFamilyOptions {
  /** A name unique in the library, e.g. `CodeConnectionsAvailability`. Never rename it after a release. */
  readonly family: string;
  /** The onEvent handler. */
  readonly onEvent: HandlerFactory;
  /** The isComplete handler, for families that wait. @default - no waiting */
  readonly isComplete?: HandlerFactory;
  /**
   * How often the provider calls isComplete: the shortest poll interval a resource of the family may
   * ask for (`KitResourceProps.pollInterval`). It must divide 2 hours (the provider's total timeout).
   * @default Duration.seconds(30)
   */
  readonly queryInterval?: Duration;
  /**
   * The interval the provider's construct id names (`cdk-devtools.<family>-<N>s`), when it differs from
   * `queryInterval`. The id decides the ServiceToken, which CloudFormation cannot change on an existing
   * custom resource, so it is frozen: a family whose query interval changes keeps the id of its release.
   * @default queryInterval
   */
  readonly idInterval?: Duration;
  /**
   * Whether onEvent calls AWS. When it does not (it only starts a wait), per-resource permissions go to the
   * isComplete handler alone.
   * @default true
   */
  readonly onEventCallsAws?: boolean;
  /** How long one handler invocation may run. @default Duration.minutes(2) */
  readonly handlerTimeout?: Duration;
}

/** The most a wait can last: the provider framework's limit. */
export const MAX_WAIT = Duration.hours(2);

/** Fails unless a poll interval is a whole number of seconds between `min` and `max` (a token passes unchecked). */
export function checkPollInterval(scope: IConstruct, prop: string, interval: Duration, min: Duration, max: Duration): Duration {
  const millis = interval.toMilliseconds();
  if (Token.isUnresolved(millis)) return interval;
  if (millis % 1000 !== 0 || millis < min.toMilliseconds() || millis > max.toMilliseconds()) {
    throw new Error(`${scope.node.path}: ${prop} must be a whole number of seconds between ${min.toHumanString()} and `
      + `${max.toHumanString()}, got ${interval.toHumanString()}; choose an interval in that range, e.g. Duration.seconds(30)`);
  }
  return interval;
}

/** Fails unless a wait's timeout is between 1 minute and `MAX_WAIT` (a token passes unchecked). */
export function checkWaitTimeout(scope: IConstruct, prop: string, timeout: Duration): Duration {
  const seconds = timeout.toSeconds();
  if (!Token.isUnresolved(seconds) && (seconds < 60 || seconds > MAX_WAIT.toSeconds())) {
    throw new Error(`${scope.node.path}: ${prop} must be between 1 minute and 2 hours (the provider framework's limit), got ${timeout.toHumanString()}`);
  }
  return timeout;
}

/** An optional wait as a construct's props express it. */
export interface WaitOption {
  /** Whether the construct waits. */
  readonly enabled: boolean;
  /** The name of the prop that turns the wait on, for messages. */
  readonly waitProp: string;
  /** The timeout the user gave. */
  readonly timeout?: Duration;
  /** The name of the timeout prop, for messages. */
  readonly timeoutProp: string;
  /** The timeout when none is given. */
  readonly fallback: Duration;
}

/** The checked timeout of an optional wait, or undefined when it is off (a timeout given then is an error). */
export function resolveWaitTimeout(scope: IConstruct, wait: WaitOption): Duration | undefined {
  if (!wait.enabled) {
    if (wait.timeout) {
      throw new Error(`${scope.node.path}: ${wait.timeoutProp} only applies with ${wait.waitProp}: true; set it or remove ${wait.timeoutProp}`);
    }
    return undefined;
  }
  return checkWaitTimeout(scope, wait.timeoutProp, wait.timeout ?? wait.fallback);
}

/**
 * The provider (and its handler functions) of one handler family in one stack.
 *
 * The construct tree is the registry: the first resource of a family in a stack creates it at stack
 * level, and every later one finds it there, so N resources share one set of functions.
 */
export class HandlerFamily extends Construct {
  /** Finds or creates the family's provider in the stack of `scope`. */
  public static of(scope: IConstruct, options: HandlerFamilyOptions): HandlerFamily {
    const stack = Stack.of(scope);
    const id = HandlerFamily.idOf(options);
    return (stack.node.tryFindChild(id) as HandlerFamily | undefined) ?? new HandlerFamily(stack, id, options);
  }

  /**
   * The construct id of a family's provider. It depends on the family alone, never on a resource's
   * settings: the id decides the ServiceToken, which CloudFormation refuses to change.
   */
  public static idOf(options: HandlerFamilyOptions): string {
    const interval = options.isComplete ? `-${(options.idInterval ?? options.queryInterval ?? Duration.seconds(30)).toSeconds()}s` : '';
    return `cdk-devtools.${options.family}${interval}`;
  }

  public readonly serviceToken: string;
  /** How often the provider calls isComplete; undefined for a family that does not wait. */
  public readonly queryInterval?: Duration;
  /** The roles of the family's handlers: per-resource permissions are attached to them. */
  public readonly roles: iam.IRole[];

  private constructor(scope: Construct, id: string, options: HandlerFamilyOptions) {
    super(scope, id);
    const queryInterval = options.isComplete ? options.queryInterval ?? Duration.seconds(30) : undefined;
    const querySeconds = queryInterval?.toSeconds();
    if (querySeconds !== undefined && (querySeconds <= 0 || MAX_WAIT.toSeconds() % querySeconds !== 0)) {
      throw new Error(`internal error: the query interval of handler family ${options.family} (${queryInterval!.toHumanString()}) `
        + `must divide ${MAX_WAIT.toHumanString()}; report this to cdk-devtools`);
    }
    this.queryInterval = queryInterval;
    const logGroup = new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.ONE_MONTH });
    const functionOptions: lambda.FunctionOptions = {
      description: `cdk-devtools ${options.family} custom resource handler`,
      timeout: options.handlerTimeout ?? Duration.minutes(2),
      memorySize: 256,
      logGroup,
    };
    const onEvent = options.onEvent(this, 'OnEvent', functionOptions);
    const isComplete = options.isComplete?.(this, 'IsComplete', functionOptions);
    const provider = new cr.Provider(this, 'Provider', {
      onEventHandler: onEvent,
      isCompleteHandler: isComplete,
      queryInterval,
      // Each resource bounds its own wait (TimeoutSeconds); this is only the framework's backstop.
      totalTimeout: isComplete ? MAX_WAIT : undefined,
      logGroup,
      waiterStateMachineLogOptions: isComplete ? { destination: logGroup, level: sfn.LogLevel.ALL } : undefined,
      disableWaiterStateMachineLogging: isComplete ? false : undefined,
    });
    this.serviceToken = provider.serviceToken;
    this.roles = [
      ...(options.onEventCallsAws === false && isComplete ? [] : [onEvent.role!]),
      ...(isComplete ? [isComplete.role!] : []),
    ];

    acceptNagFindings(this, [
      { id: 'AwsSolutions-IAM4', reason: 'Lambda functions of the provider framework use the AWS managed basic execution role for their logs', appliesTo: ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'] },
      { id: 'AwsSolutions-IAM5', reason: 'the provider framework may invoke every version of its own handler functions (function ARN with :* suffix) and write its own log streams' },
      { id: 'AwsSolutions-L1', reason: 'the provider framework functions use the runtime aws-cdk-lib chooses; our handlers pin a supported Node.js runtime' },
      { id: 'AwsSolutions-SF2', reason: 'the waiter state machine only polls a handler; X-Ray tracing would add cost without insight' },
    ]);
  }
}

/** Where a custom resource of the kit is defined. */
export interface KitResourceProps {
  /** The handler family that serves it. */
  readonly family: HandlerFamilyOptions;
  /** `Custom::…`; never rename it after a release. */
  readonly resourceType: string;
  /** The typed properties contract shared with the handler. Never put a secret value here: pass a secret ARN. */
  readonly properties: Record<string, unknown>;
  /** The least-privilege statements this one resource's handlers need. */
  readonly statements: iam.PolicyStatement[];
  /** Bounds a wait; sent as `TimeoutSeconds`. @default - the family does not wait */
  readonly timeout?: Duration;
  /**
   * How often this resource's wait reads the status; sent as `PollIntervalSeconds` with the provider's
   * `QueryIntervalSeconds`, and honoured by isComplete (`pollDue`). Never part of the provider's identity.
   * @default - every call of isComplete reads (the family's query interval)
   */
  readonly pollInterval?: Duration;
  /** Findings on this resource's policy that are acceptable, e.g. an action without resource-level permissions. */
  readonly nagAcceptances?: NagAcceptance[];
}

/**
 * A custom resource served by a per-stack handler family, with its own least-privilege policy.
 *
 * The policy is a separate `iam.Policy` that the custom resource depends on: CloudFormation creates it
 * first and deletes it last, so the handler holds its permissions for Create, Update and Delete.
 */
export class KitResource extends Construct {
  public readonly resource: CustomResource;

  constructor(scope: Construct, id: string, props: KitResourceProps) {
    super(scope, id);
    if (props.timeout && !Token.isUnresolved(props.timeout.toSeconds()) && props.timeout.toSeconds() > MAX_WAIT.toSeconds()) {
      throw new Error(`${this.node.path}: a wait of ${props.timeout.toHumanString()} is longer than the ${MAX_WAIT.toHumanString()} `
        + 'the custom-resource provider framework allows; choose a shorter timeout');
    }
    const family = HandlerFamily.of(this, props.family);
    const policy = new iam.Policy(this, 'Policy', { statements: props.statements, roles: family.roles });
    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: family.serviceToken,
      resourceType: props.resourceType,
      properties: {
        ...props.properties,
        ...(props.timeout ? { [TIMEOUT_PROPERTY]: props.timeout.toSeconds() } : {}),
        ...(props.pollInterval && family.queryInterval ? {
          [POLL_INTERVAL_PROPERTY]: props.pollInterval.toSeconds(),
          [QUERY_INTERVAL_PROPERTY]: family.queryInterval.toSeconds(),
        } : {}),
      },
    });
    this.resource.node.addDependency(policy);
    if (props.nagAcceptances) acceptNagFindings(policy, props.nagAcceptances);
  }

  /** A string attribute the handler returned in `Data`. */
  public getAttString(name: string): string {
    return this.resource.getAttString(name);
  }

  /** An attribute the handler returned in `Data`. */
  public getAtt(name: string): Reference {
    return this.resource.getAtt(name);
  }
}
