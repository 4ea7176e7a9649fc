import { Duration, Lazy, Stack, TimeZone } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as actions from 'aws-cdk-lib/aws-codepipeline-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import {
  DeploymentWindowSchedule, StageRule, StageRuleOptions, VariableCheckOperator,
} from '../../src/codepipeline';
import { CODEPIPELINE_API } from '../../src/codepipeline/private/api-constraints';
import { windowCronProblems } from '../../src/codepipeline/private/window-cron';
import { checkShape } from '../../src/core/api-constraints';
import { ValidationError } from '../../src/core/validation';
import { testApp, testStack } from '../kit';

const OTHER_REGION_ALARM = 'arn:aws:cloudwatch:eu-west-1:123456789012:alarm:errors';
const OTHER_ACCOUNT_FUNCTION = 'arn:aws:lambda:us-east-1:210987654321:function:decider';

let stack: Stack;
let source: codepipeline.Artifact;
let bucket: s3.IBucket;
let alarm: cloudwatch.Alarm;
let fn: lambda.Function;

beforeEach(() => {
  stack = testStack();
  source = new codepipeline.Artifact('Source');
  bucket = new s3.Bucket(stack, 'Bucket', { versioned: true, enforceSSL: true });
  alarm = new cloudwatch.Alarm(stack, 'Errors', {
    metric: new cloudwatch.Metric({ namespace: 'Acme', metricName: 'Errors' }), threshold: 1, evaluationPeriods: 1,
  });
  fn = new lambda.Function(stack, 'Check', {
    runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => {};'),
  });
});

/** A V2 pipeline whose second stage, 'Deploy', gets the given conditions. */
function pipeline(deploy: Partial<codepipeline.StageProps> = {}, props: Partial<codepipeline.PipelineProps> = {}): codepipeline.Pipeline {
  return new codepipeline.Pipeline(stack, 'Pipeline', {
    pipelineType: codepipeline.PipelineType.V2,
    ...props,
    stages: [
      { stageName: 'Source', actions: [new actions.S3SourceAction({ actionName: 'Fetch', bucket, bucketKey: 'app.zip', output: source, variablesNamespace: 'SourceVariables' })] },
      { stageName: 'Deploy', actions: [new actions.S3DeployAction({ actionName: 'Copy', bucket, input: source })], ...deploy },
    ],
  });
}

/** A pipeline whose Deploy stage has the rules in one FAIL entry condition, each granted. */
function gated(...rules: StageRule[]): codepipeline.Pipeline {
  const p = pipeline({ beforeEntry: { conditions: [{ result: codepipeline.Result.FAIL, rules }] } });
  rules.forEach(r => r.grantTo(p));
  return p;
}

/** The Deploy stage as CloudFormation gets it. */
function deployStage(): any {
  const [resource] = Object.values<any>(Template.fromStack(stack).findResources('AWS::CodePipeline::Pipeline'));
  return resource.Properties.Stages.find((s: any) => s.Name === 'Deploy');
}

function entryRules(): any[] {
  return deployStage().BeforeEntry.Conditions[0].Rules;
}

/** The statements of the pipeline role's default policy. */
function pipelineStatements(): any[] {
  const policies = Template.fromStack(stack).findResources('AWS::IAM::Policy');
  return Object.entries<any>(policies).filter(([id]) => id.startsWith('PipelineRoleDefaultPolicy')).flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
}

/** CloudFormation's PascalCase property names to the API's camelCase member names, recursively. */
function toApiInput(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toApiInput);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k[0].toLowerCase() + k.slice(1), toApiInput(v)]));
  }
  return value;
}

const ruleTypeId = (provider: string) => ({ Category: 'Rule', Owner: 'AWS', Provider: provider, Version: '1' });
const alarmRef = () => ({ Ref: stack.getLogicalId(alarm.node.defaultChild as cloudwatch.CfnAlarm) });
const fnRef = () => ({ Ref: stack.getLogicalId(fn.node.defaultChild as lambda.CfnFunction) });

describe('the CloudFormation of each rule', () => {
  test('CloudWatchAlarm: the alarm by name, the states and the wait in minutes', () => {
    gated(StageRule.cloudWatchAlarm({ ruleName: 'ProdHealthy', alarm, waitTime: Duration.minutes(10) }));
    expect(entryRules()).toEqual([{
      Name: 'ProdHealthy',
      RuleTypeId: ruleTypeId('CloudWatchAlarm'),
      Configuration: { AlarmName: alarmRef(), AlarmStates: 'ALARM', WaitTime: '10' },
    }]);
  });

  test('CloudWatchAlarm: several states comma-separated, each once; no WaitTime without a wait; the provider as default name', () => {
    const { ALARM, INSUFFICIENT_DATA } = cloudwatch.AlarmState;
    gated(StageRule.cloudWatchAlarm({ alarm, states: [ALARM, INSUFFICIENT_DATA, ALARM], waitTime: Duration.hours(2) }),
      StageRule.cloudWatchAlarm({ ruleName: 'NoWait', alarm }));
    expect(entryRules()).toEqual([
      { Name: 'CloudWatchAlarm', RuleTypeId: ruleTypeId('CloudWatchAlarm'), Configuration: { AlarmName: alarmRef(), AlarmStates: 'ALARM,INSUFFICIENT_DATA', WaitTime: '120' } },
      { Name: 'NoWait', RuleTypeId: ruleTypeId('CloudWatchAlarm'), Configuration: { AlarmName: alarmRef(), AlarmStates: 'ALARM' } },
    ]);
  });

  test('DeploymentWindow: the cron of the rule reference (seconds first) and the time zone', () => {
    gated(
      StageRule.deploymentWindow({ ruleName: 'OfficeHours', schedule: DeploymentWindowSchedule.cron({ hour: '9-16', weekDay: 'MON-FRI' }), timeZone: TimeZone.EUROPE_BERLIN }),
      StageRule.deploymentWindow({ ruleName: 'FirstOfMonth', schedule: DeploymentWindowSchedule.cron({ minute: '0-29', hour: '6', day: '1' }) }),
      StageRule.deploymentWindow({ ruleName: 'AsDocumented', schedule: DeploymentWindowSchedule.expression('0 0 9-17 ? * MON-FRI *'), timeZone: TimeZone.of('PST') }),
    );
    expect(entryRules()).toEqual([
      { Name: 'OfficeHours', RuleTypeId: ruleTypeId('DeploymentWindow'), Configuration: { Cron: '* * 9-16 ? * MON-FRI *', TimeZone: 'Europe/Berlin' } },
      { Name: 'FirstOfMonth', RuleTypeId: ruleTypeId('DeploymentWindow'), Configuration: { Cron: '* 0-29 6 1 * ? *' } },
      { Name: 'AsDocumented', RuleTypeId: ruleTypeId('DeploymentWindow'), Configuration: { Cron: '0 0 9-17 ? * MON-FRI *', TimeZone: 'PST' } },
    ]);
  });

  test('LambdaInvoke: the function by name, its parameters and input artifacts', () => {
    gated(StageRule.lambdaInvoke({ ruleName: 'TicketApproved', function: fn, userParameters: '{"ticket":"CHG-1234"}', inputs: [source] }));
    expect(entryRules()).toEqual([{
      Name: 'TicketApproved',
      RuleTypeId: ruleTypeId('LambdaInvoke'),
      Configuration: { FunctionName: fnRef(), UserParameters: '{"ticket":"CHG-1234"}' },
      InputArtifacts: [{ Name: 'Source' }],
    }]);
  });

  test('VariableCheck: variable, operator and value', () => {
    gated(StageRule.variableCheck({ ruleName: 'MainOnly', variable: '#{SourceVariables.VersionId}', operator: VariableCheckOperator.NOT_EQUALS, value: 'none' }));
    expect(entryRules()).toEqual([{
      Name: 'MainOnly',
      RuleTypeId: ruleTypeId('VariableCheck'),
      Configuration: { Variable: '#{SourceVariables.VersionId}', Operator: 'NE', Value: 'none' },
    }]);
  });

  test('Commands: the commands and input artifacts, no configuration', () => {
    gated(StageRule.commands({ ruleName: 'SmokeTest', commands: ['npm ci', 'npm test'], inputs: [source] }));
    expect(entryRules()).toEqual([{
      Name: 'SmokeTest',
      RuleTypeId: ruleTypeId('Commands'),
      Commands: ['npm ci', 'npm test'],
      InputArtifacts: [{ Name: 'Source' }],
    }]);
  });

  test('an input artifact named by the pipeline (no name given) is named as the action outputs it', () => {
    const unnamed = new codepipeline.Artifact();
    const rule = StageRule.commands({ commands: ['ls'], inputs: [unnamed] });
    const p = new codepipeline.Pipeline(stack, 'Pipeline', {
      pipelineType: codepipeline.PipelineType.V2,
      stages: [
        { stageName: 'Source', actions: [new actions.S3SourceAction({ actionName: 'Fetch', bucket, bucketKey: 'app.zip', output: unnamed })] },
        { stageName: 'Deploy', actions: [new actions.S3DeployAction({ actionName: 'Copy', bucket, input: unnamed })], onSuccess: { conditions: [{ result: codepipeline.Result.FAIL, rules: [rule] }] } },
      ],
    });
    rule.grantTo(p);
    expect(deployStage().OnSuccess.Conditions[0].Rules[0].InputArtifacts).toEqual([{ Name: 'Artifact_Source_Fetch' }]);
  });

  test('on success and on failure, with their results', () => {
    const rollback = StageRule.cloudWatchAlarm({ ruleName: 'RollBackOnAlarm', alarm });
    const window = StageRule.deploymentWindow({ ruleName: 'Window', schedule: DeploymentWindowSchedule.cron({ hour: '9-16' }) });
    const p = pipeline({
      onSuccess: { conditions: [{ result: codepipeline.Result.FAIL, rules: [window] }] },
      onFailure: { result: codepipeline.Result.ROLLBACK, conditions: [{ result: codepipeline.Result.ROLLBACK, rules: [rollback] }] },
    });
    rollback.grantTo(p);
    const deploy = deployStage();
    expect(deploy.OnSuccess).toEqual({ Conditions: [{ Result: 'FAIL', Rules: [{ Name: 'Window', RuleTypeId: ruleTypeId('DeploymentWindow'), Configuration: { Cron: '* * 9-16 * * ? *' } }] }] });
    expect(deploy.OnFailure).toEqual({
      Result: 'ROLLBACK',
      Conditions: [{ Result: 'ROLLBACK', Rules: [{ Name: 'RollBackOnAlarm', RuleTypeId: ruleTypeId('CloudWatchAlarm'), Configuration: { AlarmName: alarmRef(), AlarmStates: 'ALARM' } }] }],
    });
  });

  test('every rule is a RuleDeclaration within the API\'s bounds', () => {
    gated(
      StageRule.cloudWatchAlarm({ ruleName: 'a'.repeat(100), alarm, waitTime: Duration.days(60) }),
      StageRule.deploymentWindow({ schedule: DeploymentWindowSchedule.expression('* * 9-16 ? * MON-FRI 2026-2030') }),
      StageRule.lambdaInvoke({ function: fn, userParameters: 'p'.repeat(10000), inputs: [source] }),
      StageRule.variableCheck({ variable: '#{variables.RELEASE}', operator: VariableCheckOperator.MATCHES, value: '^v[0-9]+$' }),
      StageRule.commands({ commands: Array.from({ length: 50 }, () => 'c'.repeat(1000)) }),
    );
    const rules = stack.resolve(entryRules()).map((r: any) => toApiInput(JSON.parse(JSON.stringify(r, (_k, v) => (v?.Ref ? 'ref' : v)))));
    expect(checkShape(CODEPIPELINE_API, 'RuleDeclarationList', rules, 'rules')).toEqual([]);
  });
});

describe('what the pipeline\'s role is granted', () => {
  test('CloudWatchAlarm: DescribeAlarms and DescribeAlarmHistory on the alarm only', () => {
    gated(StageRule.cloudWatchAlarm({ alarm }));
    expect(pipelineStatements()).toContainEqual({
      Effect: 'Allow',
      Action: ['cloudwatch:DescribeAlarmHistory', 'cloudwatch:DescribeAlarms'],
      Resource: { 'Fn::GetAtt': [stack.getLogicalId(alarm.node.defaultChild as cloudwatch.CfnAlarm), 'Arn'] },
    });
  });

  test('LambdaInvoke: InvokeFunction on the function only, not its versions', () => {
    gated(StageRule.lambdaInvoke({ function: fn }));
    expect(pipelineStatements()).toContainEqual({
      Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: { 'Fn::GetAtt': [stack.getLogicalId(fn.node.defaultChild as lambda.CfnFunction), 'Arn'] },
    });
  });

  test('Commands: the log statements on the pipeline\'s own log group, in a policy of their own for a generated pipeline name', () => {
    const p = gated(StageRule.commands({ commands: ['ls'] }), StageRule.commands({ ruleName: 'Other', commands: ['pwd'] }));
    const template = Template.fromStack(stack);
    const pipelineRef = { Ref: stack.getLogicalId(p.node.defaultChild as codepipeline.CfnPipeline) };
    const logGroup = { 'Fn::Join': ['', ['arn:aws:logs:us-east-1:123456789012:log-group:/aws/codepipeline/', pipelineRef]] };
    const logStreams = { 'Fn::Join': ['', ['arn:aws:logs:us-east-1:123456789012:log-group:/aws/codepipeline/', pipelineRef, ':*']] };
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^PipelineRole') }],
      PolicyDocument: { Statement: [{ Effect: 'Allow', Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'], Resource: [logStreams, logGroup] }] },
    });
    expect(Object.keys(template.findResources('AWS::IAM::Policy', { Properties: { PolicyName: Match.stringLikeRegexp('StageRulePolicy') } }))).toHaveLength(1);
    // The pipeline may depend on its role's default policy, which therefore never names it.
    expect(JSON.stringify(pipelineStatements())).not.toContain('logs:');
  });

  test('Commands: in the role\'s default policy for a pipeline named in the app', () => {
    gated(StageRule.commands({ commands: ['ls'] }));
    stack = testStack();
    bucket = new s3.Bucket(stack, 'Bucket', { versioned: true, enforceSSL: true });
    const rule = StageRule.commands({ commands: ['ls'] });
    rule.grantTo(pipeline({ beforeEntry: { conditions: [{ result: codepipeline.Result.FAIL, rules: [rule] }] } }, { pipelineName: 'release' }));
    expect(pipelineStatements()).toContainEqual({
      Effect: 'Allow',
      Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: [
        'arn:aws:logs:us-east-1:123456789012:log-group:/aws/codepipeline/release',
        'arn:aws:logs:us-east-1:123456789012:log-group:/aws/codepipeline/release:*',
      ],
    });
  });

  test('DeploymentWindow and VariableCheck: nothing; no rule adds a statement on *', () => {
    pipeline();
    const before = pipelineStatements();
    stack = testStack();
    bucket = new s3.Bucket(stack, 'Bucket', { versioned: true, enforceSSL: true });
    gated(
      StageRule.deploymentWindow({ schedule: DeploymentWindowSchedule.cron({ hour: '9-16' }) }),
      StageRule.variableCheck({ variable: '#{SourceVariables.VersionId}', operator: VariableCheckOperator.EQUALS, value: 'v1' }),
    );
    expect(pipelineStatements()).toEqual(before);
    expect(before.filter(s => s.Resource === '*')).toEqual([]);
  });

  test('Commands on an unnamed pipeline with an imported role: a warning with what to grant', () => {
    const role = iam.Role.fromRoleArn(stack, 'Role', 'arn:aws:iam::123456789012:role/pipeline');
    const rule = StageRule.commands({ ruleName: 'Smoke', commands: ['ls'] });
    rule.grantTo(pipeline({ beforeEntry: { conditions: [{ result: codepipeline.Result.FAIL, rules: [rule] }] } }, { role }));
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('stageRuleNotGranted'));
    expect(warnings.map(w => `${w.id}: ${w.entry.data}`)).toEqual(['/TestStack/Pipeline: stage rule \'Smoke\' (Commands) needs logs:CreateLogGroup, '
      + 'logs:CreateLogStream, logs:PutLogEvents on the pipeline\'s log group, which is named after the pipeline, and the pipeline has an imported '
      + 'role and a name CloudFormation generates. Give the pipeline a pipelineName, or grant the role these actions on /aws/codepipeline/<pipeline name> '
      + 'where the role is defined [ack: cdk-devtools:codepipeline:stageRuleNotGranted]']);
    expect(Template.fromStack(stack).findResources('AWS::IAM::Policy', { Properties: { PolicyName: Match.stringLikeRegexp('StageRulePolicy') } })).toEqual({});
  });
});

describe('configuration errors, refused at synth', () => {
  test.each<[string, () => unknown, string]>([
    ['a wait of seconds', () => StageRule.cloudWatchAlarm({ alarm, waitTime: Duration.seconds(90) }),
      'StageRule.cloudWatchAlarm \'CloudWatchAlarm\': invalid waitTime 1 minute 30 seconds: the CloudWatchAlarm rule waits whole minutes, from 1 minute to 60 days (86400 minutes, the longest a rule runs). Give e.g. Duration.minutes(30)'],
    ['a wait under a minute', () => StageRule.cloudWatchAlarm({ alarm, waitTime: Duration.seconds(0) }), 'invalid waitTime 0 seconds'],
    ['a wait over 60 days', () => StageRule.cloudWatchAlarm({ alarm, waitTime: Duration.days(61) }), 'invalid waitTime 61 days'],
    ['no states', () => StageRule.cloudWatchAlarm({ ruleName: 'Gate', alarm, states: [] }),
      'StageRule.cloudWatchAlarm \'Gate\': states is empty; CodePipeline needs the alarm states the rule watches for. Give e.g. states: [AlarmState.ALARM]'],
    ['a state CloudWatch does not have', () => StageRule.cloudWatchAlarm({ alarm, states: ['BROKEN' as cloudwatch.AlarmState] }),
      'invalid states[0]: \'BROKEN\' is not one of ALARM, OK, INSUFFICIENT_DATA. Use a cloudwatch.AlarmState'],
  ])('CloudWatchAlarm: %s', (_name, make, message) => {
    expect(make).toThrow(message);
    // A rule belongs to no construct until a pipeline takes it: the error names the rule instead.
    expect(make).toThrow(expect.objectContaining({ name: 'UnscopedValidationError' }));
  });

  test.each<[string, string]>([
    ['* * 9-16 ? * MON-FRI * *', 'has 8 fields; it takes 6 or 7: seconds, minutes, hours'],
    ['* 9-16 ? * MON-FRI', 'has 5 fields'],
    ['cron(* 9-16 ? * MON-FRI *)', 'is an EventBridge schedule expression; the DeploymentWindow rule takes the bare fields, without cron( )'],
    ['5 * 9-16 ? * MON-FRI *', 'seconds \'5\' must be *'],
    ['* 60 9-16 ? * MON-FRI *', 'minutes \'60\' is out of range (allowed: 0-59 with , - * /, e.g. 0, 0-29 or */15)'],
    ['* * 9-24 ? * MON-FRI *', 'hours \'9-24\' is out of range'],
    ['* * ? ? * MON-FRI *', 'hours \'?\' is only allowed in day-of-month and day-of-week'],
    ['* * 9 * * MON-FRI *', 'day-of-month \'*\' and day-of-week \'MON-FRI\': exactly one of them must be ?'],
    ['* * 9 ? * ? *', 'exactly one of them must be ?'],
    ['* * 9 32 * ? *', 'day-of-month \'32\' is out of range (allowed: 1-31 with , - * / ? L W'],
    ['* * 9 L-31 * ? *', 'day-of-month \'L-31\' is not an offset of 1 to 30 days from the last'],
    ['* * 9 ? FOO MON *', 'month \'FOO\' is out of range (allowed: 1-12 or JAN-DEC'],
    ['* * 9 ? L MON *', 'month \'L\' is out of range'],
    ['* * 9 ? * 6#6 *', 'day-of-week \'6#6\' asks for a week of the month other than 1 to 5 after #'],
    ['* * 9 ? * FUNDAY *', 'day-of-week \'FUNDAY\' is out of range'],
    ['* */0 9 ? * MON *', 'minutes \'*/0\' has an increment other than 1 to 59 after /'],
    ['* 1/2/3 9 ? * MON *', 'minutes \'1/2/3\' has more than one /'],
    ['* 0, 9 ? * MON *', 'minutes \'0,\' has an empty item or a ? in a list'],
    ['* * 9 ? * MON 1969', 'year \'1969\' is out of range (allowed: 1970-2199'],
  ])('DeploymentWindow: %s', (expression, problem) => {
    expect(() => StageRule.deploymentWindow({ ruleName: 'Window', schedule: DeploymentWindowSchedule.expression(expression) }))
      .toThrow(`StageRule.deploymentWindow 'Window': invalid schedule '${expression}': `);
    expect(windowCronProblems(expression).join('; ')).toContain(problem);
  });

  test('DeploymentWindow: the error gives a valid schedule', () => {
    expect(() => StageRule.deploymentWindow({ schedule: DeploymentWindowSchedule.expression('* * 25 ? * MON *') }))
      .toThrow('Give e.g. DeploymentWindowSchedule.cron({ hour: \'9-16\', weekDay: \'MON-FRI\' }), or the expression \'* * 9-16 ? * MON-FRI *\'.');
  });

  test.each([
    '0 0 9-17 ? * MON-FRI *', '* * 9-16 ? * MON-FRI', '* 0/15 22-2 ? * SAT,SUN *', '* * * L * ? *', '* * * LW * ? *', '* * * L-3 * ? *',
    '* * * 15W JAN-JUN ? 2026-2030/2', '* * * ? * 6L *', '* * * ? * 6#3 *', '* * * ? * L *', '* * 9 ? * mon-fri *', '* * 9 1,15 * ? *',
  ])('DeploymentWindow: %s is valid', expression => {
    expect(windowCronProblems(expression)).toEqual([]);
  });

  test.each(['Mars/Olympus_Mons', 'UTC+25:00', 'utc', 'Berlin', 'ABCDEF'])('DeploymentWindow: time zone %s', timeZone => {
    expect(() => StageRule.deploymentWindow({ schedule: DeploymentWindowSchedule.cron({ hour: '9' }), timeZone: TimeZone.of(timeZone) }))
      .toThrow(`StageRule.deploymentWindow 'DeploymentWindow': invalid timeZone '${timeZone}': the DeploymentWindow rule takes a Region/City name, `
        + 'UTC with an optional offset (UTC+05:30) or a 3 to 5 letter abbreviation. Give e.g. TimeZone.EUROPE_BERLIN');
  });

  test.each(['UTC', 'UTC+05:30', 'UTC-03:00', 'EST', 'America/New_York', 'America/Argentina/Buenos_Aires'])('DeploymentWindow: time zone %s is valid', timeZone => {
    expect(() => StageRule.deploymentWindow({ schedule: DeploymentWindowSchedule.cron({ hour: '9' }), timeZone: TimeZone.of(timeZone) })).not.toThrow();
  });

  test('DeploymentWindow: day and weekDay together are refused by the cron builder', () => {
    expect(() => DeploymentWindowSchedule.cron({ day: '1', weekDay: 'MON' })).toThrow(/day.*weekDay|weekDay.*day/);
  });

  test.each<[string, () => unknown, string]>([
    ['parameters over 10000 characters', () => StageRule.lambdaInvoke({ ruleName: 'Ticket', function: fn, userParameters: 'p'.repeat(10001) }),
      'StageRule.lambdaInvoke \'Ticket\': invalid userParameters: \'pppp'],
    ['empty parameters', () => StageRule.lambdaInvoke({ function: fn, userParameters: '' }), 'has 0 characters; CodePipeline allows 1 to 10000 characters. Pass less in the parameters'],
  ])('LambdaInvoke: %s', (_name, make, message) => {
    expect(make).toThrow(message);
  });

  test.each<[string, Partial<{ variable: string; operator: VariableCheckOperator; value: string }>, string]>([
    ['no #{ }', { variable: 'SourceVariables.BranchName' },
      'StageRule.variableCheck \'Branch\': invalid variable \'SourceVariables.BranchName\': the VariableCheck rule checks one variable, written #{namespace.name}. Give e.g. sourceAction.variables.branchName'],
    ['two references', { variable: '#{A.b}-#{C.d}' }, 'invalid variable \'#{A.b}-#{C.d}\''],
    ['no namespace', { variable: '#{BranchName}' }, 'invalid variable \'#{BranchName}\''],
    ['a namespace CodePipeline refuses', { variable: '#{Source Vars.BranchName}' },
      'invalid variable namespace: \'Source Vars\' does not match the pattern ^[A-Za-z0-9@\\-_]+$ that CodePipeline requires. Use the variablesNamespace of the action'],
    ['an operator CodePipeline does not have', { operator: 'GT' as VariableCheckOperator },
      'invalid operator: \'GT\' is not one of EQ, CONTAINS, MATCHES, NE. Use a VariableCheckOperator'],
    ['a variable name CodePipeline refuses', { variable: '#{SourceVariables.Branch Name}' },
      'invalid variable name: \'Branch Name\' does not match the pattern ^[A-Za-z0-9@\\-_]+$ that CodePipeline requires. Use the name the action outputs'],
    ['an empty value', { value: '' }, 'invalid value: \'\' has 0 characters; CodePipeline allows 1 to 10000 characters. Give the value to compare with'],
  ])('VariableCheck: %s', (_name, props, message) => {
    expect(() => StageRule.variableCheck({ ruleName: 'Branch', variable: '#{SourceVariables.BranchName}', operator: VariableCheckOperator.EQUALS, value: 'main', ...props }))
      .toThrow(message);
  });

  test.each<[string, string[], string]>([
    ['no commands', [], 'StageRule.commands \'Smoke\': invalid commands: [] has 0 items; CodePipeline allows 1 to 50 items. Give 1 to 50 commands'],
    ['51 commands', Array.from({ length: 51 }, () => 'ls'), 'has 51 items; CodePipeline allows 1 to 50 items'],
    ['a command over 1000 characters', ['x'.repeat(1001)], 'invalid commands[0]: \'xxx'],
    ['a command of two lines', ['npm ci', 'npm test\nnpm run lint'],
      'StageRule.commands \'Smoke\': invalid commands[1] "npm test\\nnpm run lint": the Commands rule takes one line per command. Give each line as a command of its own'],
  ])('Commands: %s', (_name, commands, message) => {
    expect(() => StageRule.commands({ ruleName: 'Smoke', commands })).toThrow(message);
  });

  test.each<[string, StageRuleOptions['ruleName'], string]>([
    ['a space', 'prod gate', 'StageRule.deploymentWindow \'prod gate\': invalid ruleName: \'prod gate\' does not match the pattern ^[A-Za-z0-9.@\\-_]+$ that CodePipeline requires. Give a name of letters'],
    ['101 characters', 'n'.repeat(101), 'has 101 characters; CodePipeline allows 1 to 100 characters'],
  ])('any rule: a name with %s', (_name, ruleName, message) => {
    expect(() => StageRule.deploymentWindow({ ruleName, schedule: DeploymentWindowSchedule.cron({ hour: '9' }) })).toThrow(message);
  });

  test('CloudWatchAlarm: an alarm of another region is refused when granted', () => {
    const elsewhere = cloudwatch.Alarm.fromAlarmArn(stack, 'Elsewhere', OTHER_REGION_ALARM);
    const rule = StageRule.cloudWatchAlarm({ ruleName: 'Healthy', alarm: elsewhere });
    const p = pipeline({ beforeEntry: { conditions: [{ result: codepipeline.Result.FAIL, rules: [rule] }] } });
    expect(() => rule.grantTo(p)).toThrow('TestStack/Pipeline: stage rule \'Healthy\' (CloudWatchAlarm): the alarm is in account 123456789012, '
      + 'region eu-west-1, but the pipeline is in account 123456789012, region us-east-1. The rule names its alarm by name, so CodePipeline '
      + 'looks for it in the pipeline\'s account and region: use one defined or imported there.');
    expect(() => rule.grantTo(p)).toThrow(ValidationError);
  });

  test('LambdaInvoke: a function of another account is refused when granted', () => {
    const elsewhere = lambda.Function.fromFunctionArn(stack, 'Elsewhere', OTHER_ACCOUNT_FUNCTION);
    const rule = StageRule.lambdaInvoke({ function: elsewhere });
    const p = pipeline({ beforeEntry: { conditions: [{ result: codepipeline.Result.FAIL, rules: [rule] }] } });
    expect(() => rule.grantTo(p)).toThrow('the function is in account 210987654321, region us-east-1, but the pipeline is in account 123456789012');
  });

  test('an alarm of another stack of the same environment passes', () => {
    const other = testStack(stack.node.root as any, 'Monitoring');
    const shared = new cloudwatch.Alarm(other, 'Shared', { metric: new cloudwatch.Metric({ namespace: 'Acme', metricName: 'Errors' }), threshold: 1, evaluationPeriods: 1 });
    expect(() => gated(StageRule.cloudWatchAlarm({ alarm: shared }))).not.toThrow();
  });
});

describe('unresolved values are not checked', () => {
  test('a token schedule, variable, command and name', () => {
    const token = (value: string) => Lazy.string({ produce: () => value });
    expect(() => StageRule.deploymentWindow({ ruleName: token('late name'), schedule: DeploymentWindowSchedule.expression(token('not a cron')), timeZone: TimeZone.of(token('Nowhere')) })).not.toThrow();
    expect(() => StageRule.variableCheck({ variable: token('plain'), operator: VariableCheckOperator.EQUALS, value: 'x' })).not.toThrow();
    expect(() => StageRule.commands({ commands: [token('a\nb')] })).not.toThrow();
  });

  test('a token wait', () => {
    gated(StageRule.cloudWatchAlarm({ alarm, waitTime: Duration.minutes(Lazy.number({ produce: () => 15 })) }));
    expect(entryRules()[0].Configuration.WaitTime).toBe('15');
  });

  test('an env-agnostic pipeline and an alarm of an unknown region', () => {
    const agnostic = new Stack(testApp(), 'Agnostic');
    stack = agnostic;
    bucket = new s3.Bucket(stack, 'Bucket', { versioned: true, enforceSSL: true });
    const imported = cloudwatch.Alarm.fromAlarmArn(stack, 'Imported', OTHER_REGION_ALARM);
    expect(() => gated(StageRule.cloudWatchAlarm({ alarm: imported }))).not.toThrow();
  });

  test('a variable of an action whose namespace the pipeline generates', () => {
    const fetch = new actions.S3SourceAction({ actionName: 'Fetch2', bucket, bucketKey: 'b.zip', output: new codepipeline.Artifact('B') });
    expect(() => StageRule.variableCheck({ variable: fetch.variables.versionId, operator: VariableCheckOperator.EQUALS, value: 'x' })).not.toThrow();
  });
});

describe('the pipeline\'s stage conditions, checked once it is complete', () => {
  test('a rule that needs permissions and was never granted fails the synth', () => {
    pipeline({ beforeEntry: { conditions: [{ result: codepipeline.Result.FAIL, rules: [StageRule.cloudWatchAlarm({ ruleName: 'Healthy', alarm })] }] } });
    expect(() => Template.fromStack(stack)).toThrow('TestStack: stage rule \'Healthy\' (CloudWatchAlarm) is in a stage condition of a pipeline of this stack, '
      + 'but the pipeline\'s role was never granted what the rule needs, so the rule would fail when it runs. Call rule.grantTo(pipeline) for the pipeline whose stage uses it');
  });

  test('an input artifact no action outputs', () => {
    const nobodys = new codepipeline.Artifact();
    gated(StageRule.commands({ ruleName: 'Smoke', commands: ['ls'], inputs: [source, nobodys] }));
    expect(() => Template.fromStack(stack)).toThrow('StageRule.commands \'Smoke\': inputs[1] has no name, because no action of the pipeline outputs it. '
      + 'Give an artifact that an action of an earlier stage outputs.');
  });

  test('rules that need nothing synthesize without grantTo', () => {
    pipeline({ beforeEntry: { conditions: [{ result: codepipeline.Result.FAIL, rules: [StageRule.deploymentWindow({ schedule: DeploymentWindowSchedule.cron({ hour: '9' }) })] }] } });
    expect(() => Template.fromStack(stack)).not.toThrow();
  });

  test('a rule granted to a pipeline that does not use it', () => {
    const unused = StageRule.lambdaInvoke({ ruleName: 'Unused', function: fn });
    unused.grantTo(pipeline());
    expect(() => Template.fromStack(stack)).toThrow('[TestStack/Pipeline] stage rule \'Unused\' (LambdaInvoke) was granted to this pipeline\'s role (grantTo), '
      + 'but no stage condition of the pipeline has it. Add it to a stage\'s beforeEntry, onSuccess or onFailure conditions, or drop the grantTo call');
  });

  test('conditions in a V1 pipeline', () => {
    const rule = StageRule.cloudWatchAlarm({ alarm });
    const onFailure = { conditions: [{ result: codepipeline.Result.ROLLBACK, rules: [rule] }] };
    const v1 = pipeline({ onFailure }, { pipelineType: codepipeline.PipelineType.V1 });
    rule.grantTo(v1);
    expect(() => Template.fromStack(stack)).toThrow('the pipeline is V1 and has stage conditions (stage \'Deploy\' onFailure), which CodePipeline runs in '
      + 'V2 pipelines only. Set pipelineType: PipelineType.V2; for a V1 pipeline, gate a ManualApprovalAction with an ApprovalGate instead');
  });

  test('a SKIP entry condition with a rule other than LambdaInvoke and VariableCheck', () => {
    const rule = StageRule.cloudWatchAlarm({ ruleName: 'Healthy', alarm });
    const check = StageRule.variableCheck({ variable: '#{SourceVariables.VersionId}', operator: VariableCheckOperator.EQUALS, value: 'v' });
    rule.grantTo(pipeline({ beforeEntry: { conditions: [{ result: codepipeline.Result.SKIP, rules: [check, rule] }] } }));
    expect(() => Template.fromStack(stack)).toThrow('stage \'Deploy\' beforeEntry skips the stage (Result.SKIP) on rule \'Healthy\' (CloudWatchAlarm), '
      + 'and a SKIP entry condition takes only LambdaInvoke and VariableCheck rules. Use Result.FAIL for it, in a condition of its own kind');
  });

  test('six rules in a condition, and two conditions of one kind', () => {
    const rules = Array.from({ length: 6 }, (_, i) => StageRule.cloudWatchAlarm({ ruleName: `Alarm${i}`, alarm }));
    const p = pipeline({
      beforeEntry: { conditions: [{ result: codepipeline.Result.FAIL, rules }] },
      onSuccess: { conditions: [{ result: codepipeline.Result.FAIL, rules: [rules[0]] }, { result: codepipeline.Result.FAIL, rules: [rules[1]] }] },
    });
    rules.forEach(r => r.grantTo(p));
    expect(() => Template.fromStack(stack)).toThrow('stage \'Deploy\' beforeEntry has a condition with 6 rules; a condition takes 1 to 5. '
      + 'Split the checks over the stage\'s other kinds, or combine alarms in a composite alarm');
    expect(() => Template.fromStack(stack)).toThrow('stage \'Deploy\' onSuccess has 2 conditions, and CodePipeline takes one per kind.');
  });

  test('grantTo twice adds one statement and one check', () => {
    const rule = StageRule.cloudWatchAlarm({ alarm });
    const p = gated(rule);
    rule.grantTo(p);
    expect(pipelineStatements().filter(s => JSON.stringify(s.Action).includes('cloudwatch'))).toHaveLength(1);
    expect(() => Template.fromStack(stack)).not.toThrow();
  });
});
