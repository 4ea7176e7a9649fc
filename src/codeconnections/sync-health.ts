import { Duration, Names, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { CODECONNECTIONS_API } from './private/api-constraints';
import { SyncHealthWatcherFunction } from './private/functions/sync-health-watcher-function';
import {
  MAX_WATCHED_STACKS, SYNC_HEALTH_ENV, SYNC_HEALTH_METRIC_NAMESPACE, SYNC_HEALTH_METRICS,
} from './private/sync-health-contract';
import type { StackGitSync } from './stack-git-sync';
import type { SyncConfiguration } from './sync-configuration';
import { validateApiValue } from '../core/api-constraints';
import { acceptNagFindings } from '../core/nag';
import { ValidationError } from '../core/validation';

/**
 * The Git sync status and blocker reads. The service authorization reference lists no resource type for them (a
 * sync configuration has no ARN), so they are granted on `*`. Both prefixes: the SDK's client signs as
 * `codestar-connections`, the renamed service evaluates `codeconnections`.
 */
const READ_ACTIONS = ['GetSyncBlockerSummary', 'GetResourceSyncStatus'];
/** Resolving a blocker: what `grantResolveBlockers` gives a person or a tool (also without a resource type). */
const RESOLVE_ACTIONS = ['GetSyncBlockerSummary', 'UpdateSyncBlocker'];

function bothPrefixes(actions: string[]): string[] {
  return ['codeconnections', 'codestar-connections'].flatMap(prefix => actions.map(action => `${prefix}:${action}`));
}

/** Properties of a Git sync health watch. Give at least one stack, through any of the three lists. */
export interface SyncHealthProps {
  /**
   * Sync configurations to watch (each one's stack).
   * @default - none
   */
  readonly syncConfigurations?: SyncConfiguration[];

  /**
   * Git-synced stacks to watch.
   * @default - none
   */
  readonly stackGitSyncs?: StackGitSync[];

  /**
   * Names of Git-synced stacks whose sync configuration is defined elsewhere (another app, the console).
   * @default - none
   */
  readonly stackNames?: string[];

  /**
   * How often the watcher reads the stacks' sync state: whole minutes from 1 minute to 1 hour. Each run reads two
   * APIs per stack; alarms see a blocker at most this long after Git sync raises it.
   * @default Duration.minutes(5)
   */
  readonly interval?: Duration;

  /**
   * A topic told when a watched stack is blocked or its latest sync failed, and when that clears: the construct
   * adds the `Blocked` and `SyncFailed` alarms, with this topic as their alarm and OK action. Alarms added with
   * `addBlockedAlarm`/`addFailedSyncAlarm` notify it too.
   * @default - no alarm is created; add them with `addBlockedAlarm` and `addFailedSyncAlarm`
   */
  readonly notificationTopic?: sns.ITopic;

  /**
   * How long the watcher's log (each run's state, each active blocker with the command that resolves it) is kept.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
}

/** Options of an alarm on a watch's metric. */
export interface SyncHealthAlarmOptions {
  /**
   * The stack the alarm watches.
   * @default - every watched stack: the alarm fires when any of them is
   */
  readonly stackName?: string;

  /**
   * The alarm's name.
   * @default - a name CloudFormation generates
   */
  readonly alarmName?: string;

  /**
   * How many consecutive periods (of the watcher's interval) must breach before the alarm fires.
   * @default 1
   */
  readonly evaluationPeriods?: number;

  /**
   * What a period without data means: the watcher emits nothing for a stack it could not read (see
   * `metricReadErrors`).
   * @default cloudwatch.TreatMissingData.MISSING
   */
  readonly treatMissingData?: cloudwatch.TreatMissingData;
}

/**
 * Watches CloudFormation Git sync: each watched stack's active sync blockers and its latest sync's outcome, as
 * CloudWatch metrics, with alarms that can notify a topic.
 *
 * When a sync fails repeatedly, Git sync raises a sync blocker and stops syncing the stack until someone resolves it:
 * the stack silently stops following its branch. An EventBridge rule runs a Lambda function every `interval`; each run
 * calls `GetSyncBlockerSummary` and `GetResourceSyncStatus` for each stack and emits, in the namespace
 * `cdk-devtools/CodeConnections`, `SyncBlockers` (its ACTIVE blockers) and `LatestSyncFailed` (1 when its latest sync
 * FAILED) with the dimensions `Watch` (this watch's name, `watchName`) and `ResourceName` (the stack), and again with
 * `Watch` alone; and `SyncStatusReadErrors` (stacks it could not read) with `Watch`. The function's log has, for each
 * active blocker, its id, reason and the `aws codeconnections update-sync-blocker` command that resolves it once its
 * cause is fixed. The watch never resolves a blocker itself.
 *
 * Footprint: 7 resources, a Lambda function (Node.js, 256 MiB, 2 minutes at most) with its role, policy, log group
 * and asynchronous-invocation setting, and a rule with its invoke permission, plus 2 alarms with `notificationTopic`;
 * one run per interval (288 a day with the default 5 minutes), 2 API calls per stack per run.
 *
 * @exampleMetadata fixture=sync-health
 * @example
 * const health = new SyncHealth(this, 'SyncHealth', { stackGitSyncs: [sync], notificationTopic: topic });
 * health.grantResolveBlockers(operators);
 */
export class SyncHealth extends Construct {
  /** The function that reads the stacks' sync state. */
  public readonly handler: lambda.IFunction;

  /** The rule that runs the function every interval. */
  public readonly schedule: events.IRule;

  /** The function's log group: each run's state, and each active blocker with the command that resolves it. */
  public readonly logGroup: logs.ILogGroup;

  /** The value of the metrics' `Watch` dimension. */
  public readonly watchName: string;

  /** The watched stacks' names. */
  public readonly stackNames: string[];

  /**
   * The alarm on any watched stack having an active blocker.
   * @default - none without `notificationTopic`
   */
  public readonly blockedAlarm?: cloudwatch.IAlarm;

  /**
   * The alarm on any watched stack's latest sync having failed.
   * @default - none without `notificationTopic`
   */
  public readonly failedSyncAlarm?: cloudwatch.IAlarm;

  private readonly interval: Duration;
  private readonly notificationTopic?: sns.ITopic;

  constructor(scope: Construct, id: string, props: SyncHealthProps) {
    super(scope, id);
    this.interval = validateInterval(this, props.interval ?? Duration.minutes(5));
    this.notificationTopic = props.notificationTopic;
    this.stackNames = watchedStacks(this, props);
    this.watchName = Names.uniqueResourceName(this, { maxLength: 255 });

    const logGroup = new logs.LogGroup(this, 'Logs', { retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH });
    this.logGroup = logGroup;
    // The role writes to its own log group only, so it needs no managed policy.
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Reads the Git sync state of the stacks a SyncHealth watches',
    });
    logGroup.grantWrite(role);
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: bothPrefixes(READ_ACTIONS), resources: ['*'] }));
    const policy = role.node.tryFindChild('DefaultPolicy');
    if (policy) {
      acceptNagFindings(policy, [{
        id: 'AwsSolutions-IAM5',
        reason: 'GetSyncBlockerSummary and GetResourceSyncStatus have no resource type (a sync configuration has no ARN); both only read',
        appliesTo: ['Resource::*'],
      }]);
    }

    const handler = new SyncHealthWatcherFunction(this, 'Function', {
      description: `Reads the Git sync state of ${this.stackNames.length} stack(s) every ${this.interval.toHumanString()}`,
      role,
      logGroup,
      memorySize: 256,
      timeout: Duration.minutes(2),
      // A failed run is not retried: the next run reads every stack again.
      retryAttempts: 0,
      environment: {
        [SYNC_HEALTH_ENV.stackNames]: this.stackNames.join(','),
        [SYNC_HEALTH_ENV.watchName]: this.watchName,
      },
    });
    handler.node.addDependency(logGroup);
    this.handler = handler;

    this.schedule = new events.Rule(this, 'Schedule', {
      description: 'Reads the Git sync state of the stacks a SyncHealth watches',
      schedule: events.Schedule.rate(this.interval),
      targets: [new targets.LambdaFunction(handler, { retryAttempts: 2, maxEventAge: this.interval })],
    });

    if (props.notificationTopic) {
      this.blockedAlarm = this.addBlockedAlarm('Blocked');
      this.failedSyncAlarm = this.addFailedSyncAlarm('SyncFailed');
    }
  }

  /**
   * The active sync blockers: of every watched stack (Maximum: the most any stack has), or of `stackName`. Maximum
   * over the watcher's interval by default; at least 1 means Git sync has stopped syncing the stack.
   */
  public metricSyncBlockers(stackName?: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.watchMetric(SYNC_HEALTH_METRICS.blockers, stackName, { statistic: cloudwatch.Stats.MAXIMUM, ...props });
  }

  /**
   * Whether the latest sync failed (1) or not (0): of any watched stack (Maximum), or of `stackName`. Maximum over the
   * watcher's interval by default. A sync that failed and was retried successfully reads 0 again.
   */
  public metricLatestSyncFailed(stackName?: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.watchMetric(SYNC_HEALTH_METRICS.latestSyncFailed, stackName, { statistic: cloudwatch.Stats.MAXIMUM, ...props });
  }

  /**
   * The stacks whose sync state a run could not read (a throttled or refused call; the function's log says which).
   * Sum over the watcher's interval by default; above 0, the other metrics miss those stacks' values.
   */
  public metricReadErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.watchMetric(SYNC_HEALTH_METRICS.readErrors, undefined, { statistic: cloudwatch.Stats.SUM, ...props });
  }

  /** Adds an alarm that fires while a watched stack (or `options.stackName`) has an active sync blocker. */
  public addBlockedAlarm(id: string, options: SyncHealthAlarmOptions = {}): cloudwatch.Alarm {
    return this.addAlarm(id, this.metricSyncBlockers(options.stackName), options,
      `Git sync is blocked for ${options.stackName ?? 'a watched stack'}: resolve the blocker once its cause is fixed`);
  }

  /** Adds an alarm that fires while the latest sync of a watched stack (or `options.stackName`) has failed. */
  public addFailedSyncAlarm(id: string, options: SyncHealthAlarmOptions = {}): cloudwatch.Alarm {
    return this.addAlarm(id, this.metricLatestSyncFailed(options.stackName), options,
      `The latest Git sync of ${options.stackName ?? 'a watched stack'} failed`);
  }

  /**
   * Lets a person or a tool resolve sync blockers: read them (`GetSyncBlockerSummary`) and resolve one
   * (`UpdateSyncBlocker`, which takes the blocker's id, the sync type `CFN_STACK_SYNC`, the stack's name and a
   * resolved reason). Neither action has a resource type, so the grant covers every synced stack of the account.
   * Resolve a blocker only once its cause is fixed: Git sync then retries the latest commit.
   */
  public grantResolveBlockers(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions: bothPrefixes(RESOLVE_ACTIONS), resourceArns: ['*'] });
  }

  private addAlarm(id: string, metric: cloudwatch.Metric, options: SyncHealthAlarmOptions, description: string): cloudwatch.Alarm {
    const evaluationPeriods = options.evaluationPeriods ?? 1;
    if (!Token.isUnresolved(evaluationPeriods) && (!Number.isInteger(evaluationPeriods) || evaluationPeriods < 1)) {
      throw new ValidationError(`invalid evaluationPeriods for alarm ${id}: ${evaluationPeriods}; give a whole number `
        + `of at least 1, the runs (one every ${this.interval.toHumanString()}) that must breach in a row, e.g. 1`, this);
    }
    const alarm = metric.createAlarm(this, id, {
      alarmName: options.alarmName,
      alarmDescription: description,
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods,
      treatMissingData: options.treatMissingData ?? cloudwatch.TreatMissingData.MISSING,
    });
    if (this.notificationTopic) {
      const action = new cloudwatchActions.SnsAction(this.notificationTopic);
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
    }
    return alarm;
  }

  private watchMetric(metricName: string, stackName: string | undefined, props: cloudwatch.MetricOptions): cloudwatch.Metric {
    if (stackName !== undefined && !Token.isUnresolved(stackName) && !this.stackNames.includes(stackName)) {
      throw new ValidationError(`'${stackName}' is not a stack this SyncHealth watches; give one of `
        + `${this.stackNames.map(name => `'${name}'`).join(', ')}, or add it to the watch (stackNames)`, this);
    }
    return new cloudwatch.Metric({
      namespace: SYNC_HEALTH_METRIC_NAMESPACE,
      metricName,
      dimensionsMap: stackName === undefined ? { Watch: this.watchName } : { Watch: this.watchName, ResourceName: stackName },
      period: this.interval,
      ...props,
    }).attachTo(this);
  }
}

function validateInterval(scope: Construct, interval: Duration): Duration {
  if (interval.isUnresolved()) {
    throw new ValidationError('the interval is a token; give a Duration, e.g. Duration.minutes(5): the schedule is built from it at synth', scope);
  }
  const seconds = interval.toSeconds({ integral: false });
  if (seconds < 60 || seconds > 3600 || seconds % 60 !== 0) {
    throw new ValidationError(`invalid interval: ${interval.toHumanString()}; the watcher runs every whole number of `
      + 'minutes from 1 minute to 1 hour. Give e.g. Duration.minutes(5)', scope);
  }
  return interval;
}

/** The watched stacks' names, in the order given, each once; at least one and at most MAX_WATCHED_STACKS. */
function watchedStacks(scope: Construct, props: SyncHealthProps): string[] {
  const names = [
    ...(props.syncConfigurations ?? []).map(sync => sync.syncConfigurationStackName),
    ...(props.stackGitSyncs ?? []).map(sync => sync.syncConfiguration.syncConfigurationStackName),
    ...(props.stackNames ?? []),
  ];
  for (const name of props.stackNames ?? []) {
    validateApiValue(scope, CODECONNECTIONS_API, 'ResourceName', 'stackNames', name,
      'Give the name of the stack Git sync creates, the stackName of its sync configuration, e.g. network-prod.');
  }
  const unique = names.filter((name, i) => Token.isUnresolved(name) || names.indexOf(name) === i);
  if (unique.length === 0 || unique.length > MAX_WATCHED_STACKS) {
    throw new ValidationError(`a SyncHealth watches 1 to ${MAX_WATCHED_STACKS} stacks, got ${unique.length}. `
      + (unique.length === 0
        ? 'Give the syncs to watch in syncConfigurations, stackGitSyncs or stackNames, e.g. stackGitSyncs: [sync]'
        : `Split the stacks between several SyncHealth constructs, e.g. one per team or per ${MAX_WATCHED_STACKS} stacks`), scope);
  }
  return unique;
}
