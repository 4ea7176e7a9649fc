import { ArnFormat, Duration, IResolvable, IResolveContext, IResource, Lazy, Resource, Stack, TimeZone, Token, Tokenization } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { CODEPIPELINE_API } from './private/api-constraints';
import { elsewhereThanPipeline, registerGrantedRule } from './private/stage-rule-checks';
import { windowCronProblems } from './private/window-cron';
import { isValidTimeZone } from './private/windows';
import { describeValue, validateApiValueOf } from '../core/api-constraints';
import { UnscopedValidationError, ValidationError } from '../core/validation';
import { addWarning, WARNINGS } from '../core/warnings';

/** What the pipeline's role may do for a CloudWatchAlarm rule: read the alarm's state and its history. */
const ALARM_RULE_ACTIONS = ['cloudwatch:DescribeAlarms', 'cloudwatch:DescribeAlarmHistory'];
/** What the pipeline's role may do for a LambdaInvoke rule. */
const LAMBDA_RULE_ACTIONS = ['lambda:InvokeFunction'];
/** What the pipeline's role may do for a Commands rule: write its output to the pipeline's log group (rule reference). */
const COMMANDS_RULE_ACTIONS = ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'];
/** The longest a rule may run (the API's RuleTimeout, in minutes), which bounds how long it can wait. */
const MAX_WAIT = Duration.minutes(86400);

/** Options every stage rule takes. */
export interface StageRuleOptions {
  /**
   * The rule's name, which the console and `ListRuleExecutions` show.
   *
   * 1 to 100 letters, digits and `.@-_`. Give each rule of a pipeline a name of its own.
   *
   * @default - the rule's provider, e.g. 'CloudWatchAlarm'
   */
  readonly ruleName?: string;
}

/** Properties of a CloudWatchAlarm rule. */
export interface CloudWatchAlarmRuleProps extends StageRuleOptions {
  /**
   * The alarm the rule checks, metric or composite.
   *
   * The rule names the alarm by its name, so it must be in the pipeline's account and region (checked by
   * `grantTo`). For several alarms, give a composite alarm or one rule per alarm (a condition takes up to 5 rules).
   */
  readonly alarm: cloudwatch.IAlarm;

  /**
   * The alarm states the rule watches for.
   *
   * Several states are given to CodePipeline comma-separated.
   *
   * @default [AlarmState.ALARM]
   */
  readonly states?: cloudwatch.AlarmState[];

  /**
   * How long the rule gives the alarm to change state before the condition's result applies.
   *
   * In an entry condition, this is how long CodePipeline waits when the alarm is in ALARM at the first check; an
   * alarm in OK passes at once. Whole minutes, from 1 minute to 60 days (86,400 minutes, the longest a rule runs).
   *
   * @default - no wait: the alarm's state at the check decides
   */
  readonly waitTime?: Duration;
}

/** When a DeploymentWindow rule lets a pipeline execution through: a cron expression of the rule reference. */
export class DeploymentWindowSchedule {
  /**
   * A schedule from cron fields: the fields you leave out match any value.
   *
   * `{ hour: '9-16', weekDay: 'MON-FRI' }` is open from 09:00 to 16:59 on weekdays. The seconds field is `*`.
   */
  public static cron(options: events.CronOptions): DeploymentWindowSchedule {
    const eventBridge = events.Schedule.cron(options).expressionString; // cron(<minutes> ... <year>), day/weekDay as EventBridge and Quartz need
    return new DeploymentWindowSchedule(`* ${eventBridge.slice('cron('.length, -1)}`);
  }

  /**
   * A cron expression as the DeploymentWindow rule takes it: seconds, minutes, hours, day-of-month, month,
   * day-of-week and optionally year, e.g. `'* * 9-16 ? * MON-FRI *'`.
   *
   * One of day-of-month and day-of-week must be `?`; the seconds field must be `*`.
   */
  public static expression(expression: string): DeploymentWindowSchedule {
    return new DeploymentWindowSchedule(expression);
  }

  /**
   * @param expressionString the expression, as CodePipeline receives it in the rule's `Cron`
   */
  private constructor(public readonly expressionString: string) {}
}

/** Properties of a DeploymentWindow rule. */
export interface DeploymentWindowRuleProps extends StageRuleOptions {
  /** When the window is open. */
  readonly schedule: DeploymentWindowSchedule;

  /**
   * The time zone the schedule is in: a Region/City name (e.g. `TimeZone.EUROPE_BERLIN`), `UTC` or `UTC+05:30`, or a
   * 3 to 5 letter abbreviation (`TimeZone.of('PST')`, ambiguous for some, such as CST).
   *
   * @default - UTC
   */
  readonly timeZone?: TimeZone;
}

/** Properties of a LambdaInvoke rule. */
export interface LambdaInvokeRuleProps extends StageRuleOptions {
  /**
   * The function the rule invokes; it decides the rule by its outcome (an error fails the rule).
   *
   * The rule names the function by its name, so it must be in the pipeline's account and region (checked by
   * `grantTo`). A version or an alias is invoked as such.
   */
  readonly function: lambda.IFunction;

  /**
   * The text the function receives as the rule's `UserParameters`, e.g. a JSON document.
   *
   * @default - none
   */
  readonly userParameters?: string;

  /**
   * Artifacts the rule passes to the function.
   *
   * @default - none
   */
  readonly inputs?: codepipeline.Artifact[];
}

/** How a VariableCheck rule compares the variable with the value. */
export enum VariableCheckOperator {
  /** The variable is the value. */
  EQUALS = 'EQ',
  /** The variable is not the value. */
  NOT_EQUALS = 'NE',
  /** The variable contains the value. */
  CONTAINS = 'CONTAINS',
  /** The variable matches the value, a regular expression in Java's syntax. */
  MATCHES = 'MATCHES',
}

/** Properties of a VariableCheck rule. */
export interface VariableCheckRuleProps extends StageRuleOptions {
  /**
   * The variable to check, as one reference `#{namespace.name}`: an action's output variable (e.g.
   * `sourceAction.variables.branchName`), a pipeline variable (`variable.reference()`, `#{variables.NAME}`) or
   * `#{codepipeline.PipelineExecutionId}`.
   */
  readonly variable: string;

  /** How the variable is compared with the value. */
  readonly operator: VariableCheckOperator;

  /** The value to compare with (for `MATCHES`, a regular expression in Java's syntax). */
  readonly value: string;
}

/** Properties of a Commands rule. */
export interface CommandsRuleProps extends StageRuleOptions {
  /**
   * The shell commands, one line each (1 to 50 commands of up to 1000 characters).
   *
   * They run in a CodeBuild environment that CodePipeline provides (Linux, small; billed by CodeBuild) and pass
   * when every command succeeds. Their output goes to the log group `/aws/codepipeline/<pipeline name>`.
   */
  readonly commands: string[];

  /**
   * Artifacts the commands run on.
   *
   * @default - none
   */
  readonly inputs?: codepipeline.Artifact[];
}

/** A resource a rule names, which must be in the pipeline's account and region. */
interface NamedResource {
  readonly prop: string;
  readonly resource: IResource;
  readonly arn: string;
}

/** What a factory decided about a rule. */
interface RuleSpec {
  readonly provider: string;
  readonly ruleName?: string;
  readonly configuration?: Record<string, string>;
  readonly commands?: string[];
  readonly inputs?: codepipeline.Artifact[];
  /** The resources the rule names; each must be in the pipeline's account and region. */
  readonly named?: NamedResource[];
  /** What the pipeline's role needs for the rule; undefined for a rule that needs nothing. */
  readonly statements?: (pipeline: codepipeline.Pipeline) => iam.PolicyStatement[];
  /** Whether the statements name the pipeline (so they cannot be in a policy the pipeline depends on). */
  readonly namesPipeline?: boolean;
}

/**
 * The configuration of a rule that needs permissions: when the pipeline is synthesized, it fails unless the rule was
 * granted to a pipeline of that stack, so that a forgotten `grantTo` is a synth error rather than a failed rule.
 */
class GrantedConfiguration implements IResolvable {
  public readonly creationStack: string[] = [];

  constructor(private readonly rule: string, private readonly configuration: Record<string, string> | undefined,
    private readonly grantedIn: (stack: Stack) => boolean) {}

  public resolve(context: IResolveContext): Record<string, string> | undefined {
    const stack = Stack.of(context.scope);
    if (!this.grantedIn(stack)) {
      throw new ValidationError(`${this.rule} is in a stage condition of a pipeline of this stack, but the pipeline's role `
        + 'was never granted what the rule needs, so the rule would fail when it runs. Call rule.grantTo(pipeline) for the pipeline '
        + 'whose stage uses it', stack);
    }
    return this.configuration;
  }

  public toString(): string {
    return Token.asString(this);
  }
}

/**
 * A typed rule of a CodePipeline stage condition (V2 pipelines), checked at synth against CodePipeline's rule
 * reference, to pass in a stage's `beforeEntry`, `onSuccess` or `onFailure` conditions.
 *
 * It is aws-cdk-lib's `codepipeline.Rule`, so it goes where that goes. A rule that needs permissions (CloudWatchAlarm,
 * LambdaInvoke, Commands) must then be granted to the pipeline with `grantTo(pipeline)`, which also checks that the
 * resources it names are in the pipeline's account and region; the synth fails if you forget.
 *
 * @exampleMetadata fixture=stage-rule
 * @example
 * declare const pipeline: pipelines.Pipeline;
 * declare const errors: cloudwatch.IAlarm;
 * declare const deployAction: pipelines.IAction;
 *
 * const healthy = StageRule.cloudWatchAlarm({ ruleName: 'ProdHealthy', alarm: errors, waitTime: Duration.minutes(10) });
 * const officeHours = StageRule.deploymentWindow({
 *   ruleName: 'OfficeHours',
 *   schedule: DeploymentWindowSchedule.cron({ hour: '9-16', weekDay: 'MON-FRI' }),
 *   timeZone: TimeZone.EUROPE_BERLIN,
 * });
 * pipeline.addStage({
 *   stageName: 'Prod',
 *   actions: [deployAction],
 *   beforeEntry: { conditions: [{ result: pipelines.Result.FAIL, rules: [healthy, officeHours] }] },
 * });
 * healthy.grantTo(pipeline); // read access to the alarm; the window needs nothing
 */
export class StageRule extends codepipeline.Rule {
  /**
   * A rule on a CloudWatch alarm (provider `CloudWatchAlarm`).
   *
   * `grantTo` grants `cloudwatch:DescribeAlarms` and `cloudwatch:DescribeAlarmHistory` on the alarm.
   */
  public static cloudWatchAlarm(props: CloudWatchAlarmRuleProps): StageRule {
    const where = label('CloudWatchAlarm', props.ruleName);
    const states = props.states ?? [cloudwatch.AlarmState.ALARM];
    if (states.length === 0) {
      throw new UnscopedValidationError(`${where}: states is empty; CodePipeline needs the alarm states the rule watches for. Give e.g. `
        + 'states: [AlarmState.ALARM], or leave states out for that default');
    }
    states.forEach((state, i) => validateApiValueOf(where, CODEPIPELINE_API, 'RuleAlarmState', `states[${i}]`, state,
      'Use a cloudwatch.AlarmState, e.g. AlarmState.ALARM.'));
    const configuration: Record<string, string> = { AlarmName: props.alarm.alarmName, AlarmStates: [...new Set(states)].join(',') };
    if (props.waitTime !== undefined) {
      configuration.WaitTime = Tokenization.stringifyNumber(waitMinutes(where, props.waitTime));
    }
    return new StageRule({
      provider: 'CloudWatchAlarm',
      ruleName: props.ruleName,
      configuration,
      named: [{ prop: 'alarm', resource: props.alarm, arn: props.alarm.alarmArn }],
      statements: () => [new iam.PolicyStatement({ actions: ALARM_RULE_ACTIONS, resources: [props.alarm.alarmArn] })],
    });
  }

  /**
   * A rule that passes while a deployment window is open (provider `DeploymentWindow`). It needs no permission.
   */
  public static deploymentWindow(props: DeploymentWindowRuleProps): StageRule {
    const where = label('DeploymentWindow', props.ruleName);
    const cron = props.schedule.expressionString;
    if (!Token.isUnresolved(cron)) {
      const problems = windowCronProblems(cron);
      if (problems.length > 0) {
        throw new UnscopedValidationError(`${where}: invalid schedule ${describeValue(cron)}: ${problems.join('; ')}. `
          + 'Give e.g. DeploymentWindowSchedule.cron({ hour: \'9-16\', weekDay: \'MON-FRI\' }), or the expression \'* * 9-16 ? * MON-FRI *\'.');
      }
    }
    const configuration: Record<string, string> = { Cron: cron };
    const timeZone = props.timeZone?.timezoneName;
    if (timeZone !== undefined) {
      if (!Token.isUnresolved(timeZone) && !isRuleTimeZone(timeZone)) {
        throw new UnscopedValidationError(`${where}: invalid timeZone '${timeZone}': the DeploymentWindow rule takes a Region/City name, UTC with an `
          + 'optional offset (UTC+05:30) or a 3 to 5 letter abbreviation. Give e.g. TimeZone.EUROPE_BERLIN, TimeZone.of(\'UTC-03:00\') or TimeZone.of(\'PST\').');
      }
      configuration.TimeZone = timeZone;
    }
    return new StageRule({ provider: 'DeploymentWindow', ruleName: props.ruleName, configuration });
  }

  /**
   * A rule decided by a Lambda function (provider `LambdaInvoke`).
   *
   * `grantTo` grants `lambda:InvokeFunction` on the function (the exact function, version or alias given).
   */
  public static lambdaInvoke(props: LambdaInvokeRuleProps): StageRule {
    const where = label('LambdaInvoke', props.ruleName);
    validateApiValueOf(where, CODEPIPELINE_API, 'RuleConfigurationValue', 'userParameters', props.userParameters,
      'Pass less in the parameters, e.g. an id the function looks the rest up by.');
    const configuration: Record<string, string> = { FunctionName: props.function.functionName };
    if (props.userParameters !== undefined) configuration.UserParameters = props.userParameters;
    return new StageRule({
      provider: 'LambdaInvoke',
      ruleName: props.ruleName,
      configuration,
      inputs: props.inputs,
      named: [{ prop: 'function', resource: props.function, arn: props.function.functionArn }],
      statements: () => [new iam.PolicyStatement({ actions: LAMBDA_RULE_ACTIONS, resources: [props.function.functionArn] })],
    });
  }

  /**
   * A rule that compares a pipeline variable with a value (provider `VariableCheck`). It needs no permission.
   */
  public static variableCheck(props: VariableCheckRuleProps): StageRule {
    const where = label('VariableCheck', props.ruleName);
    validateApiValueOf(where, CODEPIPELINE_API, 'RuleVariableCheckOperator', 'operator', props.operator,
      'Use a VariableCheckOperator, e.g. VariableCheckOperator.EQUALS.');
    if (!Token.isUnresolved(props.variable)) {
      const reference = /^#\{([^.}]+)\.([^}]+)\}$/.exec(props.variable);
      if (!reference) {
        throw new UnscopedValidationError(`${where}: invalid variable ${describeValue(props.variable)}: the VariableCheck rule checks one variable, written `
          + '#{namespace.name}. Give e.g. sourceAction.variables.branchName, pipelineVariable.reference() or \'#{SourceVariables.BranchName}\'.');
      }
      validateApiValueOf(where, CODEPIPELINE_API, 'ActionNamespace', 'variable namespace', reference[1],
        'Use the variablesNamespace of the action that outputs the variable, \'variables\' for a pipeline variable or \'codepipeline\'.');
      validateApiValueOf(where, CODEPIPELINE_API, 'PipelineVariableName', 'variable name', reference[2],
        'Use the name the action outputs the variable by, e.g. \'BranchName\'.');
    }
    validateApiValueOf(where, CODEPIPELINE_API, 'RuleConfigurationValue', 'value', props.value,
      'Give the value to compare with, e.g. \'main\'.');
    return new StageRule({
      provider: 'VariableCheck',
      ruleName: props.ruleName,
      configuration: { Variable: props.variable, Operator: props.operator, Value: props.value },
    });
  }

  /**
   * A rule that runs shell commands (provider `Commands`); it passes when they all succeed.
   *
   * `grantTo` grants `logs:CreateLogGroup`, `logs:CreateLogStream` and `logs:PutLogEvents` on the pipeline's log
   * group `/aws/codepipeline/<pipeline name>`, where CodePipeline writes their output. When CloudFormation generates
   * the pipeline's name, the statement is in a policy of its own (`StageRulePolicy`, under the pipeline), because the
   * pipeline depends on its role's default policy.
   */
  public static commands(props: CommandsRuleProps): StageRule {
    const where = label('Commands', props.ruleName);
    validateApiValueOf(where, CODEPIPELINE_API, 'CommandList', 'commands', props.commands,
      'Give 1 to 50 commands, e.g. [\'npm ci\', \'npm test\']; run a longer script from an input artifact.');
    props.commands.forEach((command, i) => {
      if (!Token.isUnresolved(command) && /[\r\n]/.test(command)) {
        throw new UnscopedValidationError(`${where}: invalid commands[${i}] ${JSON.stringify(command)}: the Commands rule takes one line per command. `
          + 'Give each line as a command of its own, or join them with && on one line.');
      }
    });
    return new StageRule({
      provider: 'Commands',
      ruleName: props.ruleName,
      commands: props.commands,
      inputs: props.inputs,
      namesPipeline: true,
      statements: pipeline => {
        const logGroup = Stack.of(pipeline).formatArn({
          service: 'logs',
          resource: 'log-group',
          resourceName: `/aws/codepipeline/${literalPipelineName(pipeline) ?? pipeline.pipelineName}`,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        });
        return [new iam.PolicyStatement({ actions: COMMANDS_RULE_ACTIONS, resources: [logGroup, `${logGroup}:*`] })];
      },
    });
  }

  /** The rule's provider, e.g. 'CloudWatchAlarm'. */
  public readonly ruleProvider: string;

  private readonly spec: RuleSpec;
  private readonly pipelines: Set<codepipeline.Pipeline>;

  private constructor(spec: RuleSpec) {
    const ruleName = spec.ruleName ?? spec.provider;
    validateApiValueOf(label(spec.provider, spec.ruleName), CODEPIPELINE_API, 'RuleName', 'ruleName', ruleName,
      'Give a name of letters, digits and .@-_ only, e.g. \'ProdAlarmGate\'.');
    const pipelines = new Set<codepipeline.Pipeline>();
    const grantedIn = (stack: Stack) => [...pipelines].some(p => Stack.of(p) === stack);
    super({
      name: ruleName,
      provider: spec.provider,
      version: '1',
      configuration: spec.statements
        ? new GrantedConfiguration(`stage rule '${ruleName}' (${spec.provider})`, spec.configuration, grantedIn)
        : spec.configuration,
      commands: spec.commands,
      // Uncached, so that the producer gets the resolving scope (the pipeline) to raise its error against.
      inputArtifacts: spec.inputs?.map((artifact, i) => Lazy.uncachedString({
        produce: context => {
          if (artifact.artifactName === undefined) {
            throw new ValidationError(`${label(spec.provider, ruleName)}: inputs[${i}] has no name, because no action of the pipeline outputs it. `
              + 'Give an artifact that an action of an earlier stage outputs.', context.scope);
          }
          return artifact.artifactName;
        },
      })),
    });
    this.ruleProvider = spec.provider;
    this.spec = spec;
    this.pipelines = pipelines;
  }

  /**
   * Grants the pipeline's role what the rule needs, and checks the rule against the pipeline: call it for each
   * pipeline whose stage conditions use the rule.
   *
   * A CloudWatchAlarm rule gets read access to its alarm, a LambdaInvoke rule may invoke its function and a Commands
   * rule may write to the pipeline's log group; a DeploymentWindow or VariableCheck rule needs nothing. The alarm or
   * function must be in the pipeline's account and region, since the rule names it by its name. Once the pipeline is
   * complete, the synth also checks its stage conditions: a V2 pipeline, 1 to 5 rules in each condition, a SKIP entry
   * condition of LambdaInvoke and VariableCheck rules only, and this rule in one of them.
   */
  public grantTo(pipeline: codepipeline.Pipeline): void {
    for (const { prop, resource, arn } of this.spec.named ?? []) {
      const elsewhere = elsewhereThanPipeline(resource, arn, pipeline);
      if (elsewhere) {
        throw new ValidationError(`stage rule '${this.ruleName}' (${this.ruleProvider}): the ${prop} ${elsewhere}. `
          + `The rule names its ${prop} by name, so CodePipeline looks for it in the pipeline's account and region: use one defined or imported there.`, pipeline);
      }
    }
    const statements = this.spec.statements?.(pipeline) ?? [];
    if (!this.spec.namesPipeline || literalPipelineName(pipeline) !== undefined) {
      statements.forEach(statement => pipeline.role.addToPrincipalPolicy(statement));
    } else if (Resource.isOwnedResource(pipeline.role)) {
      // The pipeline depends on its role's default policy, so a statement naming a pipeline whose name CloudFormation
      // generates goes in a policy of its own, created once the pipeline exists.
      const id = 'StageRulePolicy';
      const policy = pipeline.node.tryFindChild(id) as iam.Policy | undefined ?? new iam.Policy(pipeline, id, { roles: [pipeline.role] });
      policy.addStatements(...statements);
    } else {
      addWarning(pipeline, WARNINGS.codepipelineStageRuleNotGranted, `stage rule '${this.ruleName}' (${this.ruleProvider}) needs `
        + `${statements.flatMap(st => st.actions).join(', ')} on the pipeline's log group, which is named after the pipeline, and the pipeline `
        + 'has an imported role and a name CloudFormation generates. Give the pipeline a pipelineName, or grant the role these actions on '
        + '/aws/codepipeline/<pipeline name> where the role is defined');
    }
    this.pipelines.add(pipeline);
    registerGrantedRule(pipeline, this as { ruleName: string; ruleProvider: string });
  }
}

/**
 * The name the app gives a pipeline, or undefined when CloudFormation generates it. `pipelineName` is a reference to
 * the pipeline even then, which a policy the pipeline depends on cannot hold.
 */
function literalPipelineName(pipeline: codepipeline.Pipeline): string | undefined {
  const name = (pipeline.node.defaultChild as codepipeline.CfnPipeline).name;
  return name !== undefined && !Token.isUnresolved(name) ? name : undefined;
}

/** How a factory's errors name the rule before it belongs to a pipeline. */
function label(provider: string, ruleName: string | undefined): string {
  return `StageRule.${provider[0].toLowerCase()}${provider.slice(1)} '${ruleName ?? provider}'`;
}

/** A wait in whole minutes, within what a rule may run. */
function waitMinutes(where: string, waitTime: Duration): number {
  if (waitTime.isUnresolved()) return waitTime.toMinutes();
  const seconds = waitTime.toSeconds();
  if (seconds % 60 !== 0 || seconds < 60 || seconds > MAX_WAIT.toSeconds()) {
    throw new UnscopedValidationError(`${where}: invalid waitTime ${waitTime.toHumanString()}: the CloudWatchAlarm rule waits whole minutes, from 1 minute to `
      + `${MAX_WAIT.toDays()} days (${MAX_WAIT.toMinutes()} minutes, the longest a rule runs). Give e.g. Duration.minutes(30), or leave waitTime out not to wait.`);
  }
  return seconds / 60;
}

/** The time zone formats the DeploymentWindow rule documents. */
function isRuleTimeZone(timeZone: string): boolean {
  if (/^UTC([+-](0\d|1[0-8]):[0-5]\d)?$/.test(timeZone)) return true;
  if (/^[A-Z]{3,5}$/.test(timeZone)) return true;
  return timeZone.includes('/') && isValidTimeZone(timeZone);
}
