import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as actions from 'aws-cdk-lib/aws-codepipeline-actions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { ApprovalGate, ApprovalGateProps, DayOfWeek, OutsideWindow, DaysOfWeek } from '../../src/codepipeline';
import { ValidationError } from '../../src/core/validation';
import { expectNagClean, testStack } from '../kit';

const PIPELINE_ARN = 'arn:aws:codepipeline:us-east-1:123456789012:release';
const ALARM_ARN = 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:errors';

let stack: Stack;
let pipeline: codepipeline.IPipeline;
let alarm: cloudwatch.IAlarm;
let decider: lambda.IFunction;

beforeEach(() => {
  stack = testStack();
  pipeline = codepipeline.Pipeline.fromPipelineArn(stack, 'Pipeline', PIPELINE_ARN);
  alarm = cloudwatch.Alarm.fromAlarmArn(stack, 'Errors', ALARM_ARN);
  decider = lambda.Function.fromFunctionArn(stack, 'Decider', 'arn:aws:lambda:us-east-1:123456789012:function:release-decider');
});

function gate(props: Partial<ApprovalGateProps> = {}): ApprovalGate {
  return new ApprovalGate(stack, 'Gate', { pipeline, stageName: 'Prod', actionName: 'Approve', alarms: [alarm], ...props });
}

/** A string of the template, with its tokens (`Fn::Join` parts) written as `{Ref:Id}`. */
function joined(value: any): string {
  const parts: any[] = typeof value === 'string' ? [value] : value['Fn::Join'][1];
  return parts.map(p => (typeof p === 'string' ? p : JSON.stringify(p).replace(/"/g, ''))).join('');
}

/** The shared state machine's definition, with the tokens of its DefinitionString joined into plain JSON. */
function definition(): any {
  const [sm] = Object.values<any>(Template.fromStack(stack).findResources('AWS::StepFunctions::StateMachine'));
  return JSON.parse(joined(sm.Properties.DefinitionString));
}

/** What the rule of the gate `id` starts the state machine with: its event fields as `'<name>'`. */
function gateInput(id = 'Gate'): any {
  const rules = Template.fromStack(stack).findResources('AWS::Events::Rule');
  const [rule] = Object.entries<any>(rules).filter(([logicalId]) => logicalId.startsWith(`${id}Rule`)).map(([, r]) => r);
  return JSON.parse(joined(rule.Properties.Targets[0].InputTransformer.InputTemplate).replace(/<([\w-]+)>/g, '"<$1>"'));
}

/** The statements of the evaluator's role (the evaluator every gate of the stack shares). */
function policyStatements(): any[] {
  const policies = Template.fromStack(stack).findResources('AWS::IAM::Policy', {
    Properties: { Roles: [{ Ref: Match.stringLikeRegexp('ApprovalGatesEvaluatorServiceRole') }] },
  });
  return Object.values<any>(policies).flatMap(p => p.Properties.PolicyDocument.Statement);
}

describe('the EventBridge rule', () => {
  test('starts the state machine when this approval action starts, with the gate, the execution id and the time', () => {
    gate();
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        'source': ['aws.codepipeline'],
        'detail-type': ['CodePipeline Action Execution State Change'],
        'resources': [PIPELINE_ARN],
        'detail': { stage: ['Prod'], action: ['Approve'], state: ['STARTED'], type: { category: ['Approval'] } },
      },
      Targets: [Match.objectLike({
        Arn: { Ref: Match.stringLikeRegexp('ApprovalGatesStateMachine') },
        InputTransformer: {
          InputPathsMap: { 'detail-execution-id': '$.detail.execution-id', 'time': '$.time' },
          InputTemplate: Match.stringLikeRegexp('^\\{"gate":\\{.*\\},"pipelineExecutionId":<detail-execution-id>,"startedAt":<time>\\}$'),
        },
      })],
    });
    expect(gateInput()).toMatchObject({ pipelineExecutionId: '<detail-execution-id>', startedAt: '<time>' });
  });
});

describe('the state machine', () => {
  test('evaluates, then approves or rejects, waits until the next check and evaluates again, or ends', () => {
    gate();
    const states = definition().States;
    expect(definition().StartAt).toBe('Begin');
    // No approval is pinned before the first look; each evaluation passes on the one it pinned.
    expect(states.Begin).toMatchObject({ Type: 'Pass', Result: { approvalId: '' }, ResultPath: '$.evaluation', Next: 'Evaluate' });
    expect(states.Evaluate).toMatchObject({ Type: 'Task', ResultPath: '$.evaluation', Next: 'Decision' });
    expect(states.Evaluate.Parameters.Payload['approvalId.$']).toBe('$.evaluation.approvalId');
    expect(states.Evaluate.ResultSelector).toEqual({
      'decision.$': '$.Payload.decision',
      'summary.$': '$.Payload.summary',
      'nextCheckAt.$': '$.Payload.nextCheckAt',
      'approvalId.$': '$.Payload.approvalId',
    });
    expect(states.Decision.Type).toBe('Choice');
    expect(states.Decision.Choices).toEqual([
      { Or: [{ Variable: '$.evaluation.decision', StringEquals: 'APPROVE' }, { Variable: '$.evaluation.decision', StringEquals: 'REJECT' }], Next: 'Decide' },
      { Variable: '$.evaluation.decision', StringEquals: 'WAIT', Next: 'WaitForNextCheck' },
      { Variable: '$.evaluation.decision', StringEquals: 'SUPERSEDED', Next: 'Superseded' },
    ]);
    expect(states.Decision.Default).toBe('LeaveToPerson');
    expect(states.WaitForNextCheck).toMatchObject({ Type: 'Wait', TimestampPath: '$.evaluation.nextCheckAt', Next: 'Evaluate' });
    expect(states.Decide).toMatchObject({ Type: 'Task', End: true });
    expect(states.Decide.Parameters.Payload).toMatchObject({
      'step': 'decide',
      'pipelineExecutionId.$': '$.pipelineExecutionId',
      'approvalId.$': '$.evaluation.approvalId',
      'decision.$': '$.evaluation.decision',
      'summary.$': '$.evaluation.summary',
    });
    for (const task of [states.Evaluate, states.Decide]) {
      expect(task.Retry).toContainEqual({ ErrorEquals: ['States.TaskFailed'], IntervalSeconds: 10, MaxAttempts: 3, BackoffRate: 2 });
    }
    expect(states.LeaveToPerson.Type).toBe('Succeed');
    expect(states.Superseded.Type).toBe('Succeed');
  });

  test('passes the gate from the execution\'s input to the evaluator: names, alarms, bake time, timeout and the check interval', () => {
    gate({ bakeTime: Duration.minutes(30), timeout: Duration.hours(12) });
    expect(definition().States.Evaluate.Parameters.Payload).toEqual({
      'step': 'evaluate',
      'gate.$': '$.gate',
      'pipelineExecutionId.$': '$.pipelineExecutionId',
      'startedAt.$': '$.startedAt',
      'approvalId.$': '$.evaluation.approvalId',
    });
    expect(definition().States.Decide.Parameters.Payload['gate.$']).toBe('$.gate');
    expect(gateInput()).toMatchObject({
      gate: {
        pipelineName: 'release',
        stageName: 'Prod',
        actionName: 'Approve',
        alarmNames: ['errors'],
        bakeTimeSeconds: 1800,
        windows: [],
        outsideWindow: 'WAIT',
        deciderArn: '',
        timeoutSeconds: 43200,
        checkIntervalSeconds: 60,
      },
    });
  });

  test('checks less often for a long timeout, so an execution stays far below 25,000 history events', () => {
    gate({ timeout: Duration.days(7) });
    expect(gateInput().gate.checkIntervalSeconds).toBe(Math.ceil(7 * 86400 / 1500));
  });

  test('defaults: a one-day timeout and no bake time; the state machine stops a run an hour after the longest timeout', () => {
    gate();
    expect(gateInput().gate).toMatchObject({ timeoutSeconds: 86400, bakeTimeSeconds: 0 });
    expect(definition().TimeoutSeconds).toBe(7 * 86400 + 3600);
  });

  test('passes the windows as days (0 is Sunday), minutes of the day and the time zone', () => {
    gate({
      alarms: undefined,
      windows: [
        { days: DaysOfWeek.WEEKDAYS, startTime: '09:00', endTime: '17:30', timeZone: 'Europe/Berlin' },
        { days: [DayOfWeek.SUNDAY, DayOfWeek.SATURDAY], startTime: '00:00', endTime: '24:00' },
      ],
      outsideWindow: OutsideWindow.LEAVE_TO_PERSON,
    });
    expect(gateInput().gate).toMatchObject({
      alarmNames: [],
      windows: [
        { days: [1, 2, 3, 4, 5], startMinute: 540, endMinute: 1050, timeZone: 'Europe/Berlin' },
        { days: [0, 6], startMinute: 0, endMinute: 1440, timeZone: 'UTC' },
      ],
      outsideWindow: 'LEAVE_TO_PERSON',
    });
  });

  test('passes the decider\'s ARN', () => {
    gate({ alarms: undefined, decider });
    expect(gateInput().gate.deciderArn).toBe('arn:aws:lambda:us-east-1:123456789012:function:release-decider');
  });

  test('logs every step with the execution data to a log group kept for a year; X-Ray is off', () => {
    gate();
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      LoggingConfiguration: {
        Level: 'ALL',
        IncludeExecutionData: true,
        Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('ApprovalGatesLogs'), 'Arn'] } } }],
      },
      TracingConfiguration: Match.absent(),
    });
    template.hasResource('AWS::Logs::LogGroup', { Properties: { RetentionInDays: 365 }, DeletionPolicy: 'Retain' });
  });

  test('traces the state machine and the evaluator when tracingEnabled, and logs to a given log group', () => {
    const logGroup = new logs.LogGroup(stack, 'Mine', { retention: logs.RetentionDays.ONE_WEEK });
    gate({ tracingEnabled: true, logGroup });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: { Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('Mine'), 'Arn'] } } }] },
    });
    template.hasResourceProperties('AWS::Lambda::Function', { TracingConfig: { Mode: 'Active' } });
    // The given group, and the evaluator function's own (a new app's `@aws-cdk/aws-lambda:useCdkManagedLogGroup`).
    expect(Object.values(template.findResources('AWS::Logs::LogGroup')).map(g => g.Properties?.LogGroupName ?? 'given')).toEqual([
      'given', { 'Fn::Join': ['', ['/aws/lambda/', { Ref: expect.stringMatching(/Evaluator/) }]] },
    ]);
  });
});

describe('least privilege', () => {
  test('the evaluator reads the pipeline state, approves only this action and reads only the given alarms and their history', () => {
    gate();
    const statements = policyStatements();
    expect(statements).toEqual(expect.arrayContaining([
      { Action: 'codepipeline:GetPipelineState', Effect: 'Allow', Resource: PIPELINE_ARN },
      { Action: 'codepipeline:PutApprovalResult', Effect: 'Allow', Resource: `${PIPELINE_ARN}/Prod/Approve` },
      { Action: ['cloudwatch:DescribeAlarmHistory', 'cloudwatch:DescribeAlarms'], Effect: 'Allow', Resource: ALARM_ARN },
    ]));
    expect(statements.filter(s => s.Resource === '*' || [s.Action].flat().some((a: string) => a.endsWith('*')))).toEqual([]);
  });

  test('no alarm statement without alarms; the decider can be invoked', () => {
    gate({ alarms: undefined, decider });
    const statements = policyStatements();
    expect(statements.some(s => JSON.stringify(s.Action).includes('cloudwatch:'))).toBe(false);
    expect(statements).toEqual(expect.arrayContaining([{
      Action: 'lambda:InvokeFunction',
      Effect: 'Allow',
      Resource: 'arn:aws:lambda:us-east-1:123456789012:function:release-decider',
    }]));
  });

  test('is cdk-nag clean, with and without tracing', () => {
    gate({ decider, windows: [{ days: DaysOfWeek.WEEKDAYS, startTime: '09:00', endTime: '17:00' }] });
    new ApprovalGate(stack, 'Traced', { pipeline, stageName: 'Prod', actionName: 'Approve', decider, tracingEnabled: true });
    expectNagClean(stack);
  });
});

describe('the gates of a stack', () => {
  const OTHER_ARN = 'arn:aws:codepipeline:us-east-1:123456789012:hotfix';
  const LATENCY_ARN = 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:latency';

  function twoGates(): void {
    gate({ bakeTime: Duration.minutes(30) });
    new ApprovalGate(stack, 'Hotfix', {
      pipeline: codepipeline.Pipeline.fromPipelineArn(stack, 'HotfixPipeline', OTHER_ARN),
      stageName: 'Deploy',
      actionName: 'Release',
      alarms: [cloudwatch.Alarm.fromAlarmArn(stack, 'Latency', LATENCY_ARN)],
      decider,
      timeout: Duration.hours(2),
    });
  }

  test('share one evaluator and one state machine, each rule starting it with its own gate', () => {
    twoGates();
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Lambda::Function', 1);
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 1);
    template.resourceCountIs('AWS::Events::Rule', 2);
    expect(gateInput('Gate').gate).toMatchObject({
      pipelineName: 'release', stageName: 'Prod', actionName: 'Approve', alarmNames: ['errors'], bakeTimeSeconds: 1800, deciderArn: '', timeoutSeconds: 86400,
    });
    expect(gateInput('Hotfix').gate).toMatchObject({
      pipelineName: 'hotfix',
      stageName: 'Deploy',
      actionName: 'Release',
      alarmNames: ['latency'],
      bakeTimeSeconds: 0,
      deciderArn: 'arn:aws:lambda:us-east-1:123456789012:function:release-decider',
      timeoutSeconds: 7200,
    });
    const first = stack.node.findChild('Gate') as ApprovalGate;
    const second = stack.node.findChild('Hotfix') as ApprovalGate;
    expect(second.evaluator).toBe(first.evaluator);
    expect(second.stateMachine).toBe(first.stateMachine);
  });

  test('give the shared evaluator each gate\'s pipeline, approval action, alarms and decider, nothing else', () => {
    twoGates();
    expect(policyStatements()).toEqual([
      { Action: 'codepipeline:GetPipelineState', Effect: 'Allow', Resource: [OTHER_ARN, PIPELINE_ARN] },
      { Action: 'codepipeline:PutApprovalResult', Effect: 'Allow', Resource: [`${OTHER_ARN}/Deploy/Release`, `${PIPELINE_ARN}/Prod/Approve`] },
      { Action: ['cloudwatch:DescribeAlarmHistory', 'cloudwatch:DescribeAlarms'], Effect: 'Allow', Resource: [ALARM_ARN, LATENCY_ARN] },
      { Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:release-decider' },
    ]);
  });

  test('a gate with another tracing setting or log group gets an evaluator and a state machine of its own', () => {
    gate();
    new ApprovalGate(stack, 'Traced', { pipeline, stageName: 'Staging', actionName: 'Approve', alarms: [alarm], tracingEnabled: true });
    const logGroup = new logs.LogGroup(stack, 'Mine');
    new ApprovalGate(stack, 'Logged', { pipeline, stageName: 'Test', actionName: 'Approve', alarms: [alarm], logGroup });
    new ApprovalGate(stack, 'LoggedToo', { pipeline, stageName: 'Demo', actionName: 'Approve', alarms: [alarm], logGroup });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Lambda::Function', 3);
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 3);
    // The untraced and the traced state machines' default groups, the given one, and each evaluator's own.
    template.resourceCountIs('AWS::Logs::LogGroup', 2 + 1 + 3);
  });

  test('30 gates of 30 pipelines, with an alarm each, keep the evaluator\'s policy under IAM\'s 10,240 characters', () => {
    for (let i = 0; i < 30; i++) {
      const name = `release-${'x'.repeat(30)}-${i}`;
      new ApprovalGate(stack, `G${i}`, {
        pipeline: codepipeline.Pipeline.fromPipelineArn(stack, `P${i}`, `arn:aws:codepipeline:us-east-1:123456789012:${name}`),
        stageName: 'Production',
        actionName: 'ApproveRelease',
        alarms: [cloudwatch.Alarm.fromAlarmArn(stack, `A${i}`, `arn:aws:cloudwatch:us-east-1:123456789012:alarm:${name}-errors`)],
      });
    }
    const policies = Template.fromStack(stack).findResources('AWS::IAM::Policy', {
      Properties: { Roles: [{ Ref: Match.stringLikeRegexp('ApprovalGatesEvaluatorServiceRole') }] },
    });
    expect(Object.keys(policies)).toHaveLength(1);
    // IAM counts the policy's characters without white space: the template's JSON of the literal ARNs.
    const size = JSON.stringify(Object.values<any>(policies)[0].Properties.PolicyDocument).length;
    expect(size).toBeLessThan(10_240);
  });
});

describe('validation', () => {
  test('fails with a ValidationError naming the gate', () => {
    let error: unknown;
    try {
      gate({ alarms: [] });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).constructPath).toBe('TestStack/Gate');
  });

  test('needs at least one rule', () => {
    expect(() => gate({ alarms: [] })).toThrow(
      'TestStack/Gate: an ApprovalGate needs at least one rule, got no alarms, windows or decider. Add alarms (e.g. alarms: [errorAlarm], '
      + 'bakeTime: Duration.minutes(30)), windows (e.g. windows: [{ days: DaysOfWeek.WEEKDAYS, startTime: \'09:00\', endTime: \'17:00\', '
      + 'timeZone: \'Europe/Berlin\' }]) or decider: yourFunction.');
  });

  test('refuses a stage or action name CodePipeline would refuse', () => {
    expect(() => gate({ stageName: 'Prod stage' })).toThrow(/^TestStack\/Gate: invalid stageName: 'Prod stage' .*e\.g\. 'Prod'\.$/);
    expect(() => new ApprovalGate(stack, 'G2', { pipeline, stageName: 'Prod', actionName: 'a'.repeat(101), alarms: [alarm] }))
      .toThrow(/^TestStack\/G2: invalid actionName: .*100.*e\.g\. 'Approve'\.$/);
  });

  test('refuses a bake time without alarms, and one that does not end before the timeout', () => {
    expect(() => gate({ alarms: undefined, decider, bakeTime: Duration.minutes(5) })).toThrow(
      'TestStack/Gate: bakeTime (5 minutes) is the time alarms must stay OK, but the gate has no alarms. Add the alarms to watch, e.g. alarms: [errorAlarm].');
    expect(() => new ApprovalGate(stack, 'G2', { pipeline, stageName: 'Prod', actionName: 'Approve', alarms: [alarm], bakeTime: Duration.hours(2), timeout: Duration.hours(2) }))
      .toThrow('TestStack/G2: bakeTime (2 hours) must end before the timeout (2 hours), or the gate could never approve. Give a longer timeout, e.g. timeout: Duration.days(2).');
  });

  test.each([
    ['59 seconds', Duration.seconds(59)],
    ['8 days', Duration.days(8)],
  ])('refuses a timeout of %s', (human, timeout) => {
    expect(() => gate({ timeout })).toThrow(
      `TestStack/Gate: timeout must be from 1 minute to 7 days (CodePipeline expires an approval after 7 days), got ${human}. Give e.g. timeout: Duration.hours(12).`);
  });

  test('accepts a timeout of exactly 7 days', () => {
    expect(() => gate({ timeout: Duration.days(7) })).not.toThrow();
  });

  test('refuses outsideWindow without windows', () => {
    expect(() => gate({ outsideWindow: OutsideWindow.LEAVE_TO_PERSON })).toThrow(
      'TestStack/Gate: outsideWindow (LEAVE_TO_PERSON) says what happens outside the deployment windows, but the gate has none. '
      + 'Add windows, e.g. windows: [{ days: DaysOfWeek.WEEKDAYS, startTime: \'09:00\', endTime: \'17:00\' }].');
  });

  test('refuses a window without days', () => {
    expect(() => gate({ windows: [{ days: [], startTime: '09:00', endTime: '17:00' }] })).toThrow(
      'TestStack/Gate: windows[0] has no days, so it never opens. Give the days it opens on, e.g. { days: DaysOfWeek.WEEKDAYS, startTime: \'09:00\', '
      + 'endTime: \'17:00\', timeZone: \'Europe/Berlin\' }.');
  });

  test.each([
    ['startTime', '9:00', { startTime: '9:00', endTime: '17:00' }],
    ['startTime', '24:01', { startTime: '24:01', endTime: '24:00' }],
    ['endTime', '17:60', { startTime: '09:00', endTime: '17:60' }],
    ['endTime', '5pm', { startTime: '09:00', endTime: '5pm' }],
  ])('refuses a window %s of %s', (prop, value, times) => {
    expect(() => gate({ windows: [{ days: DaysOfWeek.WEEKDAYS, ...times }] })).toThrow(
      `TestStack/Gate: windows[0].${prop} must be HH:MM on a 24-hour clock (00:00 to 24:00), got '${value}'. Give e.g. '09:00' or '17:30'.`);
  });

  test('refuses a window that closes before it opens', () => {
    expect(() => gate({ windows: [{ days: DaysOfWeek.WEEKDAYS, startTime: '09:00', endTime: '09:00' }, { days: DaysOfWeek.WEEKDAYS, startTime: '22:00', endTime: '02:00' }] }))
      .toThrow('TestStack/Gate: windows[0] closes at 09:00, not after it opens at 09:00. For a window across midnight, give two windows: '
        + 'one until \'24:00\' and one from \'00:00\' on the following days.');
  });

  test('refuses a time zone Intl does not know', () => {
    expect(() => gate({ windows: [{ days: DaysOfWeek.WEEKDAYS, startTime: '09:00', endTime: '17:00', timeZone: 'Europe/Munich' }] })).toThrow(
      'TestStack/Gate: windows[0].timeZone \'Europe/Munich\' is not an IANA time zone. Give one from the tz database, e.g. \'Europe/Berlin\', '
      + '\'America/New_York\' or \'UTC\'.');
  });

  test('refuses an alarm of another account or region', () => {
    const other = cloudwatch.Alarm.fromAlarmArn(stack, 'Other', 'arn:aws:cloudwatch:eu-west-1:123456789012:alarm:errors');
    expect(() => gate({ alarms: [alarm, other] })).toThrow(
      'TestStack/Gate: alarms[1] is in account 123456789012, region eu-west-1, but this stack deploys to account 123456789012, region us-east-1; '
      + 'an ApprovalGate reads the alarms of its own stack\'s account and region only. Watch an alarm defined (or imported) in this environment');
  });

  test('refuses a pipeline of another account or region', () => {
    const other = codepipeline.Pipeline.fromPipelineArn(stack, 'Other', 'arn:aws:codepipeline:us-east-1:210987654321:release');
    expect(() => gate({ pipeline: other })).toThrow(
      'TestStack/Gate: the pipeline release is in account 210987654321, region us-east-1, but this stack deploys to account 123456789012, '
      + 'region us-east-1; an ApprovalGate acts in its own stack\'s account and region. Define it in a stack of the pipeline\'s account and region '
      + '(env: { account: \'210987654321\', region: \'us-east-1\' })');
  });

  test('refuses rules that could not fit in the rule\'s input (8,192 characters), counting unknown names at their longest', () => {
    const many = Array.from({ length: 40 }, (_, i) => cloudwatch.Alarm.fromAlarmArn(stack, `Long${i}`, `${ALARM_ARN}-${'x'.repeat(200)}-${i}`));
    expect(() => gate({ alarms: many })).toThrow(new RegExp('^TestStack/Gate: the gate\'s rules \\(40 alarms, 0 windows\\) take up to \\d+ characters in its '
      + 'EventBridge rule\'s input, which holds at most 8192\\. Watch fewer alarms: combine them in one cloudwatch\\.CompositeAlarm'));
    const metric = new cloudwatch.Metric({ namespace: 'App', metricName: 'Errors' });
    const owned = Array.from({ length: 32 }, (_, i) => new cloudwatch.Alarm(stack, `Owned${i}`, { metric, threshold: i, evaluationPeriods: 1 }));
    expect(() => new ApprovalGate(stack, 'Owned', { pipeline, stageName: 'Prod', actionName: 'Approve', alarms: owned })).toThrow(/\(32 alarms, 0 windows\)/);
    expect(() => new ApprovalGate(stack, 'Fits', { pipeline, stageName: 'Prod', actionName: 'Approve', alarms: owned.slice(0, 25) })).not.toThrow();
  });

  test('works with an alarm and a pipeline defined in the stack', () => {
    const metric = new cloudwatch.Metric({ namespace: 'App', metricName: 'Errors' });
    const own = new cloudwatch.Alarm(stack, 'Own', { metric, threshold: 1, evaluationPeriods: 1 });
    gate({ alarms: [own] });
    expect(gateInput().gate.alarmNames).toEqual(['{Ref:Own30425842}']);
  });
});

describe('with a pipeline defined in the app', () => {
  function releasePipeline(): codepipeline.Pipeline {
    const source = new codepipeline.Artifact('Source');
    const bucket = new s3.Bucket(stack, 'Sources', { enforceSSL: true });
    return new codepipeline.Pipeline(stack, 'Release', {
      pipelineType: codepipeline.PipelineType.V2,
      stages: [{ stageName: 'Source', actions: [new actions.S3SourceAction({ actionName: 'Fetch', bucket, bucketKey: 'app.zip', output: source })] }],
    });
  }

  test('accepts a ManualApprovalAction added after the gate, and scopes PutApprovalResult to it', () => {
    const release = releasePipeline();
    new ApprovalGate(stack, 'Gate', { pipeline: release, stageName: 'Prod', actionName: 'Approve', alarms: [alarm] });
    release.addStage({ stageName: 'Prod', actions: [new actions.ManualApprovalAction({ actionName: 'Approve' })] });
    const approve = policyStatements().find(st => st.Action === 'codepipeline:PutApprovalResult');
    expect(approve.Resource).toEqual({
      'Fn::Join': ['', ['arn:aws:codepipeline:us-east-1:123456789012:', { Ref: 'Release6218179A' }, '/Prod/Approve']],
    });
  });

  test('fails synthesis when the stage is not in the pipeline', () => {
    const release = releasePipeline();
    new ApprovalGate(stack, 'Gate', { pipeline: release, stageName: 'Prod', actionName: 'Approve', alarms: [alarm] });
    expect(() => Template.fromStack(stack)).toThrow(
      '[TestStack/Gate] pipeline \'TestStack/Release\' has no stage \'Prod\' (it has \'Source\'). Give the name of the stage that holds the ManualApprovalAction.');
  });

  test('fails synthesis when the action is not in the stage', () => {
    const release = releasePipeline();
    release.addStage({ stageName: 'Prod', actions: [new actions.ManualApprovalAction({ actionName: 'Approval' })] });
    new ApprovalGate(stack, 'Gate', { pipeline: release, stageName: 'Prod', actionName: 'Approve', alarms: [alarm] });
    expect(() => Template.fromStack(stack)).toThrow(
      '[TestStack/Gate] stage \'Prod\' has no action \'Approve\' (it has \'Approval\'). Give the actionName of its ManualApprovalAction, '
      + 'or add one: new ManualApprovalAction({ actionName: \'Approve\' }).');
  });

  test('fails synthesis when the action is not an approval', () => {
    const release = releasePipeline();
    new ApprovalGate(stack, 'Gate', { pipeline: release, stageName: 'Source', actionName: 'Fetch', alarms: [alarm] });
    expect(() => Template.fromStack(stack)).toThrow(
      '[TestStack/Gate] action \'Fetch\' of stage \'Source\' is a Source action, not an approval. Give the actionName of a ManualApprovalAction in that stage.');
  });
});
