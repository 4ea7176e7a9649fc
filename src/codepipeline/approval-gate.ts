import { Duration, Names, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct, IConstruct } from 'constructs';
import { CODEPIPELINE_API } from './private/api-constraints';
import { validateApiValue } from '../core/api-constraints';
import { acceptNagFindings } from '../core/nag';
import { ValidationError } from '../core/validation';
import type { DecideRequest, EvaluateRequest, GateConfig, GateExecutionInput } from './private/functions/approval-gate';
import { ApprovalGateFunction } from './private/functions/approval-gate-function';
import { checkAlarmsEnvironment, checkSameEnvironment } from './private/same-environment';
import { SharedStatements } from './private/statements';
import { isValidTimeZone, parseClock, WindowSpec } from './private/windows';

/** A day of the week, for deployment windows. */
export enum DayOfWeek {
  /** Monday */
  MONDAY = 'MONDAY',
  /** Tuesday */
  TUESDAY = 'TUESDAY',
  /** Wednesday */
  WEDNESDAY = 'WEDNESDAY',
  /** Thursday */
  THURSDAY = 'THURSDAY',
  /** Friday */
  FRIDAY = 'FRIDAY',
  /** Saturday */
  SATURDAY = 'SATURDAY',
  /** Sunday */
  SUNDAY = 'SUNDAY',
}

const DAY_NUMBERS: Record<DayOfWeek, number> = {
  [DayOfWeek.SUNDAY]: 0,
  [DayOfWeek.MONDAY]: 1,
  [DayOfWeek.TUESDAY]: 2,
  [DayOfWeek.WEDNESDAY]: 3,
  [DayOfWeek.THURSDAY]: 4,
  [DayOfWeek.FRIDAY]: 5,
  [DayOfWeek.SATURDAY]: 6,
};

/** Common sets of days for deployment windows. */
export class DaysOfWeek {
  /** Monday to Friday. */
  public static readonly WEEKDAYS: DayOfWeek[] = [DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY, DayOfWeek.THURSDAY, DayOfWeek.FRIDAY];
  /** Saturday and Sunday. */
  public static readonly WEEKEND: DayOfWeek[] = [DayOfWeek.SATURDAY, DayOfWeek.SUNDAY];
  /** Every day of the week. */
  public static readonly EVERY_DAY: DayOfWeek[] = [...DaysOfWeek.WEEKDAYS, ...DaysOfWeek.WEEKEND];

  private constructor() {}
}

/** What an ApprovalGate does when every other rule passes but no deployment window is open. */
export enum OutsideWindow {
  /** Wait for the next window to open (and decide then), unless it opens after the gate's timeout. */
  WAIT = 'WAIT',
  /** Stop and leave the decision to a person. */
  LEAVE_TO_PERSON = 'LEAVE_TO_PERSON',
}

/**
 * A time of the week when deployments may go ahead: some days, from a start time to an end time on each,
 * on the wall clocks of a time zone (daylight saving time included).
 */
export interface DeploymentWindow {
  /** The days the window opens on. `DaysOfWeek.WEEKDAYS` is Monday to Friday. */
  readonly days: DayOfWeek[];

  /** When the window opens on each of its days, `HH:MM` on a 24-hour clock, e.g. `09:00`. */
  readonly startTime: string;

  /**
   * When the window closes on the same day, `HH:MM` after `startTime`; `24:00` is midnight at the end of the
   * day. For a window across midnight, give two windows (one to `24:00`, one from `00:00` on the next days).
   */
  readonly endTime: string;

  /**
   * The IANA time zone of `startTime` and `endTime`, e.g. `Europe/Berlin` or `America/New_York`.
   * @default 'UTC'
   */
  readonly timeZone?: string;
}

/** Properties of an ApprovalGate. */
export interface ApprovalGateProps {
  /** The pipeline whose manual approval the gate decides. */
  readonly pipeline: codepipeline.IPipeline;

  /** The name of the stage that holds the approval action. */
  readonly stageName: string;

  /** The `actionName` of the approval action (a `ManualApprovalAction` of aws-cdk-lib). */
  readonly actionName: string;

  /**
   * CloudWatch alarms (metric or composite) that must stay OK for `bakeTime` after the approval starts. One
   * in ALARM at any moment from the approval's start until the gate decides rejects, also between two checks: the
   * gate reads each alarm's state changes since the start from its history (`DescribeAlarmHistory`). One missing,
   * or not OK once the bake time is over, leaves the decision to a person.
   * @default - no alarm rule
   */
  readonly alarms?: cloudwatch.IAlarm[];

  /**
   * How long the alarms must stay OK, from the approval's start. The gate checks them about every minute meanwhile
   * (less often for a long `timeout`: see `timeout`), reading what happened since the start each time, so a check
   * only decides how soon an ALARM rejects, not whether it is seen.
   * @default - no bake: the alarms only have to stay OK from the approval's start until the gate first looks
   */
  readonly bakeTime?: Duration;

  /**
   * When approvals may go ahead. The gate approves only while one of the windows is open.
   * @default - no window rule: any time
   */
  readonly windows?: DeploymentWindow[];

  /**
   * What happens when the other rules pass outside every window.
   * @default OutsideWindow.WAIT
   */
  readonly outsideWindow?: OutsideWindow;

  /**
   * Your own rule: a Lambda function the gate invokes with `{ pipelineName, stageName, actionName,
   * pipelineExecutionId, startedAt }`, which answers `{ "decision": "APPROVE" | "REJECT" | "WAIT", "reason": "..." }`.
   * WAIT asks again at the next check. It is asked only while no other rule has rejected or given up. An error
   * or another answer leaves the decision to a person.
   * @default - no decider rule
   */
  readonly decider?: lambda.IFunction;

  /**
   * How long after the approval starts the gate keeps deciding; then a person decides. CodePipeline expires an
   * approval after 7 days. The gate checks at least every `timeout / 1500` (and at most every minute), which keeps
   * a state machine execution far below the Step Functions limit of 25,000 history events.
   * @default Duration.days(1)
   */
  readonly timeout?: Duration;

  /**
   * Trace the state machine and the evaluator function with AWS X-Ray.
   * @default false
   */
  readonly tracingEnabled?: boolean;

  /**
   * Where the state machine logs every step.
   * @default - a new log group that keeps logs for a year and is retained when the stack is deleted
   */
  readonly logGroup?: logs.ILogGroup;
}

/** CodePipeline expires a manual approval after seven days. */
const APPROVAL_LIFETIME = Duration.days(7);
const MIN_TIMEOUT = Duration.minutes(1);
/** Bounds the number of checks per execution (each adds about ten Step Functions history events). */
const MAX_CHECKS = 1500;
/**
 * The evaluator ends each run at its gate's timeout (the first check past it leaves the decision to a person); the
 * shared state machine stops any run that the longest timeout (the approval's lifetime) and a margin did not end.
 */
const EXECUTION_MARGIN = Duration.hours(1);
/** EventBridge's bound on a target's input template, which carries a gate's rules to the shared state machine. */
const MAX_INPUT_TEMPLATE = 8192;
/** The longest a value can be once deployed (CodePipeline's pipeline names, CloudWatch's alarm names, a qualified function ARN). */
const MAX_PIPELINE_NAME = 100;
const MAX_ALARM_NAME = 255;
const MAX_FUNCTION_ARN = 200;
/** What the gate's evaluator may call on the pipeline, kept together for reviews. */
const PIPELINE_ACTIONS = ['codepipeline:GetPipelineState'];
const APPROVAL_ACTIONS = ['codepipeline:PutApprovalResult'];
/** The alarms' current states, and their state changes since the approval started (which checks may fall between). */
const ALARM_ACTIONS = ['cloudwatch:DescribeAlarms', 'cloudwatch:DescribeAlarmHistory'];
const DECIDER_ACTIONS = ['lambda:InvokeFunction'];

/**
 * Decides a manual approval action automatically, by rules: CloudWatch alarms that stay OK for a bake time,
 * deployment windows, and your own Lambda function.
 *
 * When the approval starts, an EventBridge rule starts a Step Functions state machine that evaluates the rules,
 * waits (in a Wait state, not in a sleeping Lambda) until the next check when a rule is still undecided, and
 * then approves or rejects with a summary of every rule's outcome. All rules must pass to approve; anything
 * the rules cannot settle (a failed decider, a missing alarm, the timeout) is left to a person: the gate never
 * approves by default. Each run decides the one approval that started it: at its first look it pins that
 * approval (its action execution id, from `GetPipelineState`) and only ever uses its token, so an old execution's
 * gate cannot approve a newer execution, and after a person rejects and retries the stage, the retried approval
 * gets a run of its own, with its own bake time, while the old run stops. When a person decides first, the gate
 * stops.
 *
 * The gates of a stack share one evaluator function and one state machine (one each per `tracingEnabled` and
 * `logGroup` setting): each gate's rule starts it with that gate's rules, and the evaluator's role holds the
 * statements of every gate (each on its own pipeline, approval action, alarms and decider).
 *
 * @exampleMetadata fixture=approval-gate
 * @example
 * declare const pipeline: pipelines.Pipeline; // with a ManualApprovalAction named 'Approve' in stage 'Prod'
 * declare const errors: cloudwatch.IAlarm;
 * new ApprovalGate(this, 'ProdGate', {
 *   pipeline,
 *   stageName: 'Prod',
 *   actionName: 'Approve',
 *   alarms: [errors],
 *   bakeTime: Duration.minutes(30),
 *   windows: [{ days: DaysOfWeek.WEEKDAYS, startTime: '09:00', endTime: '16:00', timeZone: 'Europe/Berlin' }],
 * });
 */
export class ApprovalGate extends Construct {
  /**
   * The state machine that decides each approval, shared by the gates of the stack with the same `tracingEnabled`
   * and `logGroup`.
   */
  public readonly stateMachine: sfn.IStateMachine;

  /** The EventBridge rule that starts the state machine, with this gate's rules, when the approval starts. */
  public readonly rule: events.IRule;

  /**
   * The function that evaluates the rules and records the decision, shared by the gates of the stack with the same
   * `tracingEnabled` and `logGroup`.
   */
  public readonly evaluator: lambda.IFunction;

  constructor(scope: Construct, id: string, props: ApprovalGateProps) {
    super(scope, id);
    const gate = this.gateConfig(props);
    const runner = ApprovalGateRunner.of(this, props.tracingEnabled ?? false, props.logGroup);
    runner.allow(props, gate);
    this.evaluator = runner.evaluator;
    this.stateMachine = runner.stateMachine;
    this.rule = this.startRule(props, runner.stateMachine, gate);
    const pipeline = props.pipeline;
    if (pipeline instanceof codepipeline.Pipeline) {
      // Only once the tree is complete: stages and actions are often added after the gate.
      this.node.addValidation({ validate: () => this.checkApprovalAction(pipeline, props.stageName, props.actionName) });
    }
  }

  /** The gate's rules as the evaluator reads them, from props checked at synth. */
  private gateConfig(props: ApprovalGateProps): GateConfig {
    validateApiValue(this, CODEPIPELINE_API, 'StageName', 'stageName', props.stageName,
      'Give the name of the stage that holds the ManualApprovalAction, e.g. \'Prod\'.');
    validateApiValue(this, CODEPIPELINE_API, 'ActionName', 'actionName', props.actionName,
      'Give the actionName of the ManualApprovalAction, e.g. \'Approve\'.');

    const alarms = props.alarms ?? [];
    const windows = (props.windows ?? []).map((w, i) => this.windowSpec(w, i));
    if (alarms.length === 0 && windows.length === 0 && !props.decider) {
      throw new ValidationError('an ApprovalGate needs at least one rule, got no alarms, windows or decider. '
        + 'Add alarms (e.g. alarms: [errorAlarm], bakeTime: Duration.minutes(30)), windows (e.g. windows: [{ days: DaysOfWeek.WEEKDAYS, '
        + 'startTime: \'09:00\', endTime: \'17:00\', timeZone: \'Europe/Berlin\' }]) or decider: yourFunction.', this);
    }
    if (props.bakeTime && alarms.length === 0) {
      throw new ValidationError(`bakeTime (${props.bakeTime.toHumanString()}) is the time alarms must stay OK, but the gate has no alarms. `
        + 'Add the alarms to watch, e.g. alarms: [errorAlarm].', this);
    }
    if (props.outsideWindow && windows.length === 0) {
      throw new ValidationError(`outsideWindow (${props.outsideWindow}) says what happens outside the deployment windows, but the gate has none. `
        + 'Add windows, e.g. windows: [{ days: DaysOfWeek.WEEKDAYS, startTime: \'09:00\', endTime: \'17:00\' }].', this);
    }
    const timeout = props.timeout ?? Duration.days(1);
    const timeoutSeconds = timeout.toSeconds();
    if (timeoutSeconds < MIN_TIMEOUT.toSeconds() || timeoutSeconds > APPROVAL_LIFETIME.toSeconds()) {
      throw new ValidationError('timeout must be from 1 minute to 7 days (CodePipeline expires an approval after 7 days), '
        + `got ${timeout.toHumanString()}. Give e.g. timeout: Duration.hours(12).`, this);
    }
    const bakeTimeSeconds = props.bakeTime?.toSeconds() ?? 0;
    if (bakeTimeSeconds >= timeoutSeconds) {
      throw new ValidationError(`bakeTime (${props.bakeTime!.toHumanString()}) must end before the timeout (${timeout.toHumanString()}), `
        + 'or the gate could never approve. Give a longer timeout, e.g. timeout: Duration.days(2).', this);
    }
    // The rule sees the events of its own account and region, and the evaluator reads alarms there only.
    checkSameEnvironment(this, 'ApprovalGate', props.pipeline);
    checkAlarmsEnvironment(this, 'ApprovalGate', alarms);

    const gate: GateConfig = {
      pipelineName: props.pipeline.pipelineName,
      stageName: props.stageName,
      actionName: props.actionName,
      alarmNames: alarms.map(a => a.alarmName),
      bakeTimeSeconds,
      windows,
      outsideWindow: props.outsideWindow ?? OutsideWindow.WAIT,
      deciderArn: props.decider?.functionArn ?? '',
      timeoutSeconds,
      checkIntervalSeconds: Math.max(60, Math.ceil(timeoutSeconds / MAX_CHECKS)),
    };
    this.checkInputSize(gate);
    return gate;
  }

  /** The rule's input carries the gate's rules: a value not known before deployment counts at the longest it can be. */
  private checkInputSize(gate: GateConfig): void {
    const longest = (value: string, max: number) => (Token.isUnresolved(value) ? 'x'.repeat(max) : value);
    const input: GateExecutionInput = {
      gate: {
        ...gate,
        pipelineName: longest(gate.pipelineName, MAX_PIPELINE_NAME),
        alarmNames: gate.alarmNames.map(name => longest(name, MAX_ALARM_NAME)),
        deciderArn: longest(gate.deciderArn ?? '', MAX_FUNCTION_ARN),
      },
      pipelineExecutionId: '<detail-execution-id>',
      startedAt: '<time>',
    };
    const size = JSON.stringify(input).length;
    if (size > MAX_INPUT_TEMPLATE) {
      throw new ValidationError(`the gate's rules (${gate.alarmNames.length} alarms, ${gate.windows.length} windows) take up to ${size} characters `
        + `in its EventBridge rule's input, which holds at most ${MAX_INPUT_TEMPLATE}. Watch fewer alarms: combine them in one `
        + 'cloudwatch.CompositeAlarm (alarmRule: AlarmRule.anyOf(...)) and give the gate that one.', this);
    }
  }

  /** The rule that starts the shared state machine with this gate's rules when its approval starts. */
  private startRule(props: ApprovalGateProps, stateMachine: sfn.IStateMachine, gate: GateConfig): events.Rule {
    const input: GateExecutionInput = {
      gate,
      pipelineExecutionId: events.EventField.fromPath('$.detail.execution-id'),
      startedAt: events.EventField.time,
    };
    return new events.Rule(this, 'Rule', {
      description: `Starts the approval gate of ${props.stageName}/${props.actionName}`,
      eventPattern: {
        source: ['aws.codepipeline'],
        detailType: ['CodePipeline Action Execution State Change'],
        resources: [props.pipeline.pipelineArn],
        detail: {
          stage: [props.stageName],
          action: [props.actionName],
          state: ['STARTED'],
          type: { category: ['Approval'] },
        },
      },
      targets: [new targets.SfnStateMachine(stateMachine, { input: events.RuleTargetInput.fromObject(input) })],
    });
  }

  private checkApprovalAction(pipeline: codepipeline.Pipeline, stageName: string, actionName: string): string[] {
    if (Token.isUnresolved(stageName) || Token.isUnresolved(actionName)) return [];
    const stage = pipeline.stages.find(st => st.stageName === stageName);
    if (!stage) {
      return [`pipeline '${pipeline.node.path}' has no stage '${stageName}' (it has ${pipeline.stages.map(st => `'${st.stageName}'`).join(', ')}). `
        + 'Give the name of the stage that holds the ManualApprovalAction.'];
    }
    const action = stage.actions.find(a => a.actionProperties.actionName === actionName);
    if (!action) {
      return [`stage '${stageName}' has no action '${actionName}' (it has ${stage.actions.map(a => `'${a.actionProperties.actionName}'`).join(', ')}). `
        + 'Give the actionName of its ManualApprovalAction, or add one: new ManualApprovalAction({ actionName: \'Approve\' }).'];
    }
    if (action.actionProperties.category !== codepipeline.ActionCategory.APPROVAL) {
      return [`action '${actionName}' of stage '${stageName}' is a ${action.actionProperties.category} action, not an approval. `
        + 'Give the actionName of a ManualApprovalAction in that stage.'];
    }
    return [];
  }

  private windowSpec(window: DeploymentWindow, index: number): WindowSpec {
    const where = `windows[${index}]`;
    const example = 'e.g. { days: DaysOfWeek.WEEKDAYS, startTime: \'09:00\', endTime: \'17:00\', timeZone: \'Europe/Berlin\' }';
    if (window.days.length === 0) {
      throw new ValidationError(`${where} has no days, so it never opens. Give the days it opens on, ${example}.`, this);
    }
    const start = parseClock(window.startTime);
    const end = parseClock(window.endTime);
    for (const [prop, value, minutes] of [['startTime', window.startTime, start], ['endTime', window.endTime, end]] as const) {
      if (minutes === undefined) {
        throw new ValidationError(`${where}.${prop} must be HH:MM on a 24-hour clock (00:00 to 24:00), got '${value}'. `
          + 'Give e.g. \'09:00\' or \'17:30\'.', this);
      }
    }
    if (start! >= end!) {
      throw new ValidationError(`${where} closes at ${window.endTime}, not after it opens at ${window.startTime}. `
        + 'For a window across midnight, give two windows: one until \'24:00\' and one from \'00:00\' on the following days.', this);
    }
    const timeZone = window.timeZone ?? 'UTC';
    if (!Token.isUnresolved(timeZone) && !isValidTimeZone(timeZone)) {
      throw new ValidationError(`${where}.timeZone '${timeZone}' is not an IANA time zone. `
        + 'Give one from the tz database, e.g. \'Europe/Berlin\', \'America/New_York\' or \'UTC\'.', this);
    }
    return { days: [...new Set(window.days.map(d => DAY_NUMBERS[d]))].sort(), startMinute: start!, endMinute: end!, timeZone };
  }
}

/**
 * The evaluator function and the state machine that every ApprovalGate of a stack shares (one of each per tracing
 * setting and log group), found or created in the stack: the construct tree is the registry. Each gate's rule starts
 * the state machine with that gate's rules; the evaluator's role holds every gate's statements, each scoped to the
 * gate's own pipeline, approval action, alarms and decider.
 */
class ApprovalGateRunner extends Construct {
  /** Finds or creates the runner of the stack of `scope` for a tracing setting and log group. */
  public static of(scope: IConstruct, tracingEnabled: boolean, logGroup?: logs.ILogGroup): ApprovalGateRunner {
    const stack = Stack.of(scope);
    const id = `cdk-devtools.ApprovalGates${tracingEnabled ? '.Traced' : ''}${logGroup ? `.${Names.nodeUniqueId(logGroup.node)}` : ''}`;
    return (stack.node.tryFindChild(id) as ApprovalGateRunner | undefined) ?? new ApprovalGateRunner(stack, id, tracingEnabled, logGroup);
  }

  public readonly evaluator: lambda.Function;
  public readonly stateMachine: sfn.StateMachine;
  /** One statement per kind of access, whose resources each gate extends. */
  private readonly statements: SharedStatements;

  private constructor(scope: Construct, id: string, tracingEnabled: boolean, logGroup?: logs.ILogGroup) {
    super(scope, id);
    this.evaluator = new ApprovalGateFunction(this, 'Evaluator', {
      description: 'cdk-devtools ApprovalGate: evaluates the rules of CodePipeline approvals and records the decisions',
      timeout: Duration.minutes(1),
      tracing: tracingEnabled ? lambda.Tracing.ACTIVE : undefined,
    });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      definitionBody: sfn.DefinitionBody.fromChainable(this.definition()),
      timeout: APPROVAL_LIFETIME.plus(EXECUTION_MARGIN),
      tracingEnabled: tracingEnabled || undefined,
      logs: {
        destination: logGroup ?? new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.ONE_YEAR }),
        level: sfn.LogLevel.ALL,
        includeExecutionData: true,
      },
    });
    // Every gate reads its pipeline's state: the statement (and so the role's policy) exists before the first gate is
    // allowed, so that the accepted cdk-nag findings reach the policy.
    this.statements = new SharedStatements(this.evaluator);
    this.statements.allow(PIPELINE_ACTIONS);
    this.acceptNagFindings(tracingEnabled);
  }

  /** Gives the evaluator what this gate needs: its pipeline's state, its approval action, its alarms and its decider. */
  public allow(props: ApprovalGateProps, gate: GateConfig): void {
    const pipelineArn = props.pipeline.pipelineArn;
    this.statements.allow(PIPELINE_ACTIONS, pipelineArn);
    this.statements.allow(APPROVAL_ACTIONS, `${pipelineArn}/${gate.stageName}/${gate.actionName}`);
    const alarms = props.alarms ?? [];
    if (alarms.length > 0) this.statements.allow(ALARM_ACTIONS, ...alarms.map(a => a.alarmArn));
    // Exactly the function (or the version or alias) given, which the evaluator invokes by that ARN: not its other versions.
    if (props.decider) this.statements.allow(DECIDER_ACTIONS, props.decider.functionArn);
  }

  /** Evaluate, then decide, wait and evaluate again, or end; every step reads its gate from the execution's input. */
  private definition(): sfn.IChainable {
    const begin = new sfn.Pass(this, 'Begin', {
      comment: 'No approval pinned yet: the first evaluation pins the one in progress, which this run decides',
      result: sfn.Result.fromObject({ approvalId: '' }),
      resultPath: '$.evaluation',
    });
    // What every step is given: the gate and the approval this run decides (pinned by the last evaluation).
    const run = {
      gate: sfn.JsonPath.objectAt('$.gate'),
      pipelineExecutionId: sfn.JsonPath.stringAt('$.pipelineExecutionId'),
      approvalId: sfn.JsonPath.stringAt('$.evaluation.approvalId'),
    };
    const evaluatePayload = {
      step: 'evaluate',
      ...run,
      startedAt: sfn.JsonPath.stringAt('$.startedAt'),
    } satisfies Record<keyof EvaluateRequest, unknown>;
    const evaluate = new tasks.LambdaInvoke(this, 'Evaluate', {
      comment: 'One pass over the rules: APPROVE, REJECT, WAIT, LEAVE_TO_PERSON or SUPERSEDED',
      lambdaFunction: this.evaluator,
      payload: sfn.TaskInput.fromObject(evaluatePayload),
      resultSelector: {
        'decision.$': '$.Payload.decision',
        'summary.$': '$.Payload.summary',
        'nextCheckAt.$': '$.Payload.nextCheckAt',
        'approvalId.$': '$.Payload.approvalId',
      },
      resultPath: '$.evaluation',
    });
    const decidePayload = {
      step: 'decide',
      ...run,
      decision: sfn.JsonPath.stringAt('$.evaluation.decision'),
      summary: sfn.JsonPath.stringAt('$.evaluation.summary'),
    } satisfies Record<keyof DecideRequest, unknown>;
    const decide = new tasks.LambdaInvoke(this, 'Decide', {
      comment: 'PutApprovalResult with the token of the approval this run pinned only',
      lambdaFunction: this.evaluator,
      payload: sfn.TaskInput.fromObject(decidePayload),
      resultSelector: { 'outcome.$': '$.Payload.outcome', 'detail.$': '$.Payload.detail' },
      resultPath: '$.decided',
    });
    // Beyond the service errors LambdaInvoke retries: a throttled or failed SDK call. Deciding twice is safe,
    // since a second PutApprovalResult is refused with ApprovalAlreadyCompleted, which the evaluator accepts.
    for (const task of [evaluate, decide]) {
      task.addRetry({ errors: ['States.TaskFailed'], interval: Duration.seconds(10), maxAttempts: 3, backoffRate: 2 });
    }
    const wait = new sfn.Wait(this, 'WaitForNextCheck', {
      comment: 'Until the bake time ends, the next window opens or the next check is due (never past the timeout)',
      time: sfn.WaitTime.timestampPath('$.evaluation.nextCheckAt'),
    });
    const decision = '$.evaluation.decision';
    const choice = new sfn.Choice(this, 'Decision')
      .when(sfn.Condition.or(sfn.Condition.stringEquals(decision, 'APPROVE'), sfn.Condition.stringEquals(decision, 'REJECT')), decide)
      .when(sfn.Condition.stringEquals(decision, 'WAIT'), wait.next(evaluate))
      .when(sfn.Condition.stringEquals(decision, 'SUPERSEDED'), new sfn.Succeed(this, 'Superseded', {
        comment: 'Another execution, a retry of the stage or a person has moved on: nothing to decide',
      }))
      .otherwise(new sfn.Succeed(this, 'LeaveToPerson', { comment: 'The rules did not settle it: a person decides' }));
    return begin.next(evaluate).next(choice);
  }

  private acceptNagFindings(tracingEnabled: boolean): void {
    acceptNagFindings(this.evaluator, [
      { id: 'AwsSolutions-IAM4', reason: 'AWSLambdaBasicExecutionRole only lets the evaluator write its own logs', appliesTo: ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'] },
      { id: 'AwsSolutions-IAM5', reason: 'X-Ray PutTraceSegments and PutTelemetryRecords have no resource-level permissions', appliesTo: ['Resource::*'] },
    ]);
    acceptNagFindings(this.stateMachine, [
      { id: 'AwsSolutions-IAM5', reason: 'Invoking the evaluator is granted on its versions and aliases (function:name:*), as aws-cdk-lib\'s LambdaInvoke does', appliesTo: [{ regex: '/^Resource::<.*\\.Arn>:\\*$/' }] },
      { id: 'AwsSolutions-IAM5', reason: 'Log delivery and X-Ray actions of Step Functions have no resource-level permissions', appliesTo: ['Resource::*'] },
      ...tracingEnabled ? [] : [{ id: 'AwsSolutions-SF2', reason: 'X-Ray is opt-in (tracingEnabled): the state machine logs every step to its log group' }],
    ]);
  }
}
