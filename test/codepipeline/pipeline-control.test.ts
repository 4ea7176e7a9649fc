import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as actions from 'aws-cdk-lib/aws-codepipeline-actions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { PipelineExecution, StageTransitionFreeze, StageTransitionFreezeWindow, TransitionDirection } from '../../src/codepipeline';
import { EXECUTION_FAMILY, TRANSITION_FREEZE_FAMILY } from '../../src/codepipeline/private/custom-resources/contract';
import { ValidationError } from '../../src/core/validation';
import { expectNagClean, footprintOf, kitRolesOf, testApp, testStack, waitBoundError } from '../kit';

const ARN = 'arn:aws:codepipeline:us-east-1:123456789012:release';
const OTHER_ARN = 'arn:aws:codepipeline:us-east-1:123456789012:hotfix';
// Sorted, as aws-cdk-lib writes them under a new app's `@aws-cdk/aws-iam:minimizePolicies`.
const EXECUTION_ACTIONS = [
  'codepipeline:GetPipelineExecution', 'codepipeline:GetPipelineState', 'codepipeline:ListActionExecutions',
  'codepipeline:ListPipelineExecutions', 'codepipeline:StartPipelineExecution', 'codepipeline:StopPipelineExecution',
];

/** What a freeze may do: the transitions of its stage; the state and the record tags (only `cdk-devtools/freeze/*`) of its pipeline. */
const FREEZE_STATEMENTS = (stageName: string) => [
  { Action: ['codepipeline:DisableStageTransition', 'codepipeline:EnableStageTransition'], Effect: 'Allow', Resource: [ARN, `${ARN}/${stageName}`] },
  { Action: ['codepipeline:GetPipelineState', 'codepipeline:ListTagsForResource'], Effect: 'Allow', Resource: ARN },
  {
    Action: ['codepipeline:TagResource', 'codepipeline:UntagResource'],
    Condition: { 'ForAllValues:StringLike': { 'aws:TagKeys': ['cdk-devtools/freeze/*'] } },
    Effect: 'Allow',
    Resource: ARN,
  },
];

let stack: Stack;
let pipeline: codepipeline.IPipeline;
beforeEach(() => {
  stack = testStack();
  pipeline = codepipeline.Pipeline.fromPipelineArn(stack, 'Release', ARN);
});

/** A pipeline defined in the stack (its name and ARN are tokens). */
function definedPipeline(): codepipeline.Pipeline {
  const bucket = new s3.Bucket(stack, 'Sources');
  const source = new codepipeline.Artifact('Source');
  return new codepipeline.Pipeline(stack, 'Pipeline', {
    pipelineType: codepipeline.PipelineType.V2,
    variables: [new codepipeline.Variable({ variableName: 'ENV', defaultValue: 'dev' })],
    stages: [
      { stageName: 'Source', actions: [new actions.S3SourceAction({ actionName: 'Source', bucket, bucketKey: 'src.zip', output: source })] },
      { stageName: 'Approve', actions: [new actions.ManualApprovalAction({ actionName: 'Approve' })] },
    ],
  });
}

describe('PipelineExecution', () => {
  test('renders the pipeline, trigger, variables and the wait; the kit role may act on the pipeline only', () => {
    const execution = new PipelineExecution(stack, 'Run', {
      pipeline, trigger: 'v1', variables: { ENV: 'prod' }, waitForSuccess: true, timeout: Duration.minutes(30), pollInterval: Duration.seconds(10),
    });
    new PipelineExecution(stack, 'Other', { pipeline: codepipeline.Pipeline.fromPipelineArn(stack, 'Hotfix', OTHER_ARN) });
    const template = Template.fromStack(stack);
    template.hasResourceProperties(EXECUTION_FAMILY.resourceType, {
      PipelineName: 'release',
      Trigger: 'v1',
      Variables: { ENV: 'prod' },
      Wait: 'true',
      TimeoutSeconds: 1800,
      PollIntervalSeconds: 10,
      ServiceTimeout: '3600',
    });
    template.hasResourceProperties(EXECUTION_FAMILY.resourceType, {
      PipelineName: 'hotfix', Trigger: 'created', Variables: Match.absent(), Wait: 'false', TimeoutSeconds: Match.absent(), PollIntervalSeconds: Match.absent(),
    });
    const roles = kitRolesOf(template, EXECUTION_FAMILY.resourceType);
    expect(roles.map(r => r.statements)).toEqual([
      [{ Action: EXECUTION_ACTIONS, Effect: 'Allow', Resource: ARN }],
      [{ Action: EXECUTION_ACTIONS, Effect: 'Allow', Resource: OTHER_ARN }],
    ]);
    expect(stack.resolve(execution.pipelineExecutionId)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^RunExecution/), 'PipelineExecutionId'] });
    expect(stack.resolve(execution.consoleUrl)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^RunExecution/), 'ConsoleUrl'] });
    expect(footprintOf(template)).toEqual({ functions: 5, stateMachines: 1 });
    expectNagClean(stack);
  });

  test('waits 45 minutes by default (the longest wait under CloudFormation\'s hour), polling every 30 seconds', () => {
    new PipelineExecution(stack, 'Run', { pipeline, waitForSuccess: true });
    Template.fromStack(stack).hasResourceProperties(EXECUTION_FAMILY.resourceType, { Wait: 'true', TimeoutSeconds: 2700, PollIntervalSeconds: 30, ServiceTimeout: '3600' });
  });

  test('executions of one pipeline share one kit role', () => {
    new PipelineExecution(stack, 'A', { pipeline, trigger: 'a' });
    new PipelineExecution(stack, 'B', { pipeline, trigger: 'b', waitForSuccess: true });
    const roles = kitRolesOf(Template.fromStack(stack), EXECUTION_FAMILY.resourceType);
    expect(new Set(roles.map(r => r.roleLogicalId)).size).toBe(1);
  });

  test('a pipeline of the stack is named and scoped by reference', () => {
    const defined = definedPipeline();
    new PipelineExecution(stack, 'Run', { pipeline: defined, variables: { ENV: 'prod' } });
    const template = Template.fromStack(stack);
    template.hasResourceProperties(EXECUTION_FAMILY.resourceType, { PipelineName: { Ref: Match.stringLikeRegexp('^Pipeline') } });
    const [role] = kitRolesOf(template, EXECUTION_FAMILY.resourceType);
    // The pipeline's ARN, with its name by reference (`${Pipeline...}` in the kit role's Fn::Sub).
    expect(role.statements[0].Resource).toEqual({ 'Fn::Sub': expect.stringMatching(/^arn:aws:codepipeline:us-east-1:123456789012:\$\{Pipeline[A-F0-9]+\}$/) });
    expect(footprintOf(template)).toEqual({ functions: 5, stateMachines: 1 });
  });

  test.each<[string, Partial<ConstructorParameters<typeof PipelineExecution>[2]>, string | RegExp]>([
    ['a timeout without the wait', { timeout: Duration.minutes(5) }, /TestStack\/Run: timeout only applies with waitForSuccess: true; set it or remove timeout/],
    ['a poll interval without the wait', { pollInterval: Duration.seconds(10) }, /TestStack\/Run: pollInterval only applies with waitForSuccess: true; set it or remove pollInterval/],
    ['a timeout and a poll interval without the wait', { timeout: Duration.minutes(5), pollInterval: Duration.seconds(10) },
      'TestStack/Run: timeout and pollInterval only apply with waitForSuccess: true; set it or remove timeout and pollInterval'],
    ['a timeout over 45 minutes', { waitForSuccess: true, timeout: Duration.hours(1) }, waitBoundError('TestStack/Run', 'timeout', '1 hour')],
    ['a timeout under a minute', { waitForSuccess: true, timeout: Duration.seconds(30) }, waitBoundError('TestStack/Run', 'timeout', '30 seconds')],
    ['a poll interval under 5 seconds', { waitForSuccess: true, pollInterval: Duration.seconds(2) }, /pollInterval must be a whole number of seconds between 5 seconds and 5 minutes, got 2 seconds; .*Duration.seconds\(30\)/],
    ['a poll interval over 5 minutes', { waitForSuccess: true, pollInterval: Duration.minutes(10) }, /pollInterval must be a whole number of seconds between 5 seconds and 5 minutes, got 10 minutes/],
    ['a variable name with a space', { variables: { 'MY VAR': 'x' } }, /TestStack\/Run: invalid variables \(a name\): 'MY VAR' does not match the pattern .* Use the name the pipeline declares for the variable, e.g. DEPLOY_ENV/],
    ['an empty variable value', { variables: { ENV: '' } }, /TestStack\/Run: invalid variables\['ENV'\]: '' has 0 characters; CodePipeline allows 1 to 1000 characters. Leave the variable out to use the pipeline's default/],
    ['a value over 1000 characters', { variables: { ENV: 'x'.repeat(1001) } }, /invalid variables\['ENV'\]: 'x+\.\.\. has 1001 characters/],
    ['51 variables', { variables: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`V${i}`, 'x'])) }, /TestStack\/Run: invalid variables: .* has 51 items; CodePipeline allows 1 to 50 items. Pass only the variables that differ/],
  ])('refuses %s', (_, extra, message) => {
    expect(() => new PipelineExecution(stack, 'Run', { pipeline, ...extra })).toThrow(message);
  });

  test('accepts the bounds: 50 variables, 128-character names, 1000-character values, a 45-minute wait polled every 5 minutes', () => {
    const variables = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`${'N'.repeat(125)}${String(i).padStart(3, '0')}`, 'v'.repeat(1000)]));
    expect(() => new PipelineExecution(stack, 'Run', {
      pipeline, variables, waitForSuccess: true, timeout: Duration.minutes(45), pollInterval: Duration.minutes(5),
    })).not.toThrow();
  });
});

describe('PipelineExecution variables of a pipeline the app defines', () => {
  test('are refused for a V1 pipeline', () => {
    const bucket = new s3.Bucket(stack, 'Sources');
    const v1 = new codepipeline.Pipeline(stack, 'V1', {
      pipelineType: codepipeline.PipelineType.V1,
      stages: [
        { stageName: 'Source', actions: [new actions.S3SourceAction({ actionName: 'Source', bucket, bucketKey: 'src.zip', output: new codepipeline.Artifact('S') })] },
        { stageName: 'Approve', actions: [new actions.ManualApprovalAction({ actionName: 'Approve' })] },
      ],
    });
    new PipelineExecution(stack, 'Run', { pipeline: v1, variables: { ENV: 'prod' } });
    expect(() => Template.fromStack(stack)).toThrow(/\[TestStack\/Run\] variables \(ENV\) are given, but pipeline TestStack\/V1 is of type V1 \(CloudFormation's default\), and only V2 pipelines take variables\. Set pipelineType: PipelineType\.V2 and declare the variables on the pipeline, e\.g\. variables: \[new Variable\(\{ variableName: 'ENV', defaultValue: 'dev' \}\)\], or remove variables/);
  });

  test('are refused when the V2 pipeline does not declare them, and accepted once it does', () => {
    const defined = definedPipeline();
    new PipelineExecution(stack, 'Run', { pipeline: defined, variables: { ENV: 'prod', REGION: 'eu' } });
    expect(() => Template.fromStack(stack)).toThrow(/\[TestStack\/Run\] variables 'REGION' is not declared by pipeline TestStack\/Pipeline \(it declares 'ENV'\), and an execution may only set declared variables\. Declare it on the pipeline, e\.g\. pipeline\.addVariable\(new Variable\(\{ variableName: 'REGION', defaultValue: 'dev' \}\)\), or fix the name/);
  });

  test('declared variables pass, also when added after the execution', () => {
    const defined = definedPipeline();
    new PipelineExecution(stack, 'Run', { pipeline: defined, variables: { ENV: 'prod', REGION: 'eu' } });
    defined.addVariable(new codepipeline.Variable({ variableName: 'REGION', defaultValue: 'us' }));
    Template.fromStack(stack).hasResourceProperties(EXECUTION_FAMILY.resourceType, { Variables: { ENV: 'prod', REGION: 'eu' } });
  });
});

describe('StageTransitionFreeze', () => {
  test('renders the stage, direction and reason; the kit role may change the stage\'s transitions only', () => {
    new StageTransitionFreeze(stack, 'Freeze', { pipeline, stageName: 'Staging', direction: TransitionDirection.OUTBOUND, reason: 'Holiday freeze (CHG-1234)' });
    const template = Template.fromStack(stack);
    template.hasResourceProperties(TRANSITION_FREEZE_FAMILY.resourceType, {
      PipelineName: 'release',
      StageName: 'Staging',
      TransitionType: 'Outbound',
      Reason: 'Holiday freeze (CHG-1234)',
      TimeoutSeconds: Match.absent(),
    });
    expect(kitRolesOf(template, TRANSITION_FREEZE_FAMILY.resourceType)[0].statements).toEqual(FREEZE_STATEMENTS('Staging'));
    expect(footprintOf(template)).toEqual({ functions: 5, stateMachines: 1 });
    expectNagClean(stack);
  });

  test('defaults to the inbound transition and a generic reason', () => {
    new StageTransitionFreeze(stack, 'Freeze', { pipeline, stageName: 'Prod' });
    Template.fromStack(stack).hasResourceProperties(TRANSITION_FREEZE_FAMILY.resourceType, { TransitionType: 'Inbound', Reason: 'Frozen by cdk-devtools' });
  });

  test('a freeze of a pipeline of the stack and an execution share the stack\'s one provider', () => {
    const defined = definedPipeline();
    new StageTransitionFreeze(stack, 'Freeze', { pipeline: defined, stageName: 'Approve', direction: TransitionDirection.OUTBOUND });
    new PipelineExecution(stack, 'Run', { pipeline: defined, waitForSuccess: true });
    const template = Template.fromStack(stack);
    template.hasResourceProperties(TRANSITION_FREEZE_FAMILY.resourceType, { PipelineName: { Ref: Match.stringLikeRegexp('^Pipeline') } });
    expect(footprintOf(template)).toEqual({ functions: 5, stateMachines: 1 });
  });

  test.each<[string, Partial<ConstructorParameters<typeof StageTransitionFreeze>[2]>, RegExp]>([
    ['a comma in the reason', { reason: 'freeze, holidays' }, /TestStack\/Freeze: invalid reason: 'freeze, holidays'.*Write the reason with letters, digits, spaces and !@\(\)\.\*\?- only, e.g. 'Holiday freeze \(CHG-1234\)'/],
    ['a colon in the reason', { reason: 'CHG: 1' }, /invalid reason: 'CHG: 1'/],
    ['an underscore in the reason', { reason: 'code_freeze' }, /invalid reason: 'code_freeze'/],
    ['an apostrophe in the reason', { reason: 'New Year\'s' }, /invalid reason/],
    ['an empty reason', { reason: '' }, /invalid reason: ''/],
    ['a reason over 300 characters', { reason: 'x'.repeat(301) }, /invalid reason.*300/],
    ['a stage name with a space', { stageName: 'My Stage' }, /TestStack\/Freeze: invalid stageName: 'My Stage'.*Use the name of one of the pipeline's stages/],
    ['an empty stage name', { stageName: '' }, /invalid stageName: ''/],
  ])('refuses %s', (_, extra, message) => {
    expect(() => new StageTransitionFreeze(stack, 'Freeze', { pipeline, stageName: 'Staging', ...extra })).toThrow(message);
  });

  test('refuses a stage the pipeline of this app does not have, once the pipeline is complete', () => {
    const defined = definedPipeline();
    new StageTransitionFreeze(stack, 'Freeze', { pipeline: defined, stageName: 'Staging' });
    new StageTransitionFreeze(stack, 'Later', { pipeline: defined, stageName: 'Deploy' });
    defined.addStage({ stageName: 'Deploy', actions: [new actions.ManualApprovalAction({ actionName: 'Go' })] });
    expect(() => Template.fromStack(stack)).toThrow(/\[TestStack\/Freeze\] stageName 'Staging' is not a stage of pipeline TestStack\/Pipeline \(it has 'Source', 'Approve', 'Deploy'\)\. Give the name of one of its stages, e\.g\. 'Deploy', or add the stage to the pipeline/);
    expect(() => Template.fromStack(stack)).not.toThrow(/TestStack\/Later\]/);
  });

  test('refuses a second freeze of the same transition in the app, also a window, and names the first', () => {
    const app = testApp();
    const a = testStack(app, 'A');
    const b = testStack(app, 'B');
    new StageTransitionFreeze(a, 'Freeze', { pipeline: codepipeline.Pipeline.fromPipelineArn(a, 'P', ARN), stageName: 'Prod' });
    new StageTransitionFreezeWindow(b, 'Nightly', {
      pipeline: codepipeline.Pipeline.fromPipelineArn(b, 'P', ARN),
      stageName: 'Prod',
      start: scheduler.ScheduleExpression.cron({ hour: '20' }),
      end: scheduler.ScheduleExpression.cron({ hour: '7' }),
    });
    new StageTransitionFreeze(b, 'Outbound', { pipeline: codepipeline.Pipeline.fromPipelineArn(b, 'P2', ARN), stageName: 'Prod', direction: TransitionDirection.OUTBOUND });
    new StageTransitionFreeze(b, 'OtherPipeline', { pipeline: codepipeline.Pipeline.fromPipelineArn(b, 'P3', OTHER_ARN), stageName: 'Prod' });
    expect(() => app.synth()).toThrow(/\[A\/Freeze\] the inbound transition of stage 'Prod' of pipeline A\/P is also frozen by B\/Nightly; it stays disabled until both are removed, so removing either would not lift the freeze\. Keep one StageTransitionFreeze per transition and no window beside it/);
    expect(() => app.synth()).not.toThrow(/Outbound\]|OtherPipeline\]/);
  });

  test('refuses an inbound freeze of a stage whose transitionToEnabled is false', () => {
    const defined = definedPipeline();
    defined.addStage({ stageName: 'Prod', transitionToEnabled: false, transitionDisabledReason: 'manual', actions: [new actions.ManualApprovalAction({ actionName: 'Go' })] });
    new StageTransitionFreeze(stack, 'Freeze', { pipeline: defined, stageName: 'Prod' });
    new StageTransitionFreeze(stack, 'Out', { pipeline: defined, stageName: 'Prod', direction: TransitionDirection.OUTBOUND });
    expect(() => Template.fromStack(stack)).toThrow(/\[TestStack\/Freeze\] the inbound transition of stage 'Prod' of pipeline TestStack\/Pipeline is already disabled by the pipeline \(transitionToEnabled: false\)/);
    expect(() => Template.fromStack(stack)).not.toThrow(/TestStack\/Out\]/);
  });

  test('accepts a 300-character reason with every allowed sign', () => {
    const reason = `Freeze!@ ().*?-${'x'.repeat(285)}`;
    expect(reason).toHaveLength(300);
    expect(() => new StageTransitionFreeze(stack, 'Freeze', { pipeline, stageName: 'a.b@c-d_e', reason })).not.toThrow();
  });
});

describe('the pipeline\'s environment', () => {
  const env = { account: '123456789012', region: 'eu-west-1' };
  test.each([
    ['PipelineExecution', (scope: Stack, p: codepipeline.IPipeline) => new PipelineExecution(scope, 'Run', { pipeline: p })],
    ['StageTransitionFreeze', (scope: Stack, p: codepipeline.IPipeline) => new StageTransitionFreeze(scope, 'Run', { pipeline: p, stageName: 'Prod' })],
  ])('a %s refuses a pipeline of another region or account, and accepts one of its own', (name, make) => {
    const regional = testStack(testApp(), 'Regional', { env });
    const elsewhere = codepipeline.Pipeline.fromPipelineArn(regional, 'Elsewhere', ARN);
    expect(() => make(regional, elsewhere)).toThrow(new RegExp('Regional/Run: the pipeline release is in account 123456789012, region us-east-1, but this stack '
      + `deploys to account 123456789012, region eu-west-1; a ${name} acts in its own stack's account and region\\. Define it in a stack of the `
      + 'pipeline\'s account and region \\(env: \\{ account: \'123456789012\', region: \'us-east-1\' \\}\\)'));
    const local = testStack(testApp(), 'Local', { env });
    expect(() => make(local, codepipeline.Pipeline.fromPipelineArn(local, 'Here', 'arn:aws:codepipeline:eu-west-1:123456789012:release'))).not.toThrow();
    const again = testStack(testApp(), 'Again', { env });
    expect(() => make(again, codepipeline.Pipeline.fromPipelineArn(again, 'Elsewhere', ARN))).toThrow(ValidationError);
    const otherAccount = testStack(testApp(), 'OtherAccount', { env });
    expect(() => make(otherAccount, codepipeline.Pipeline.fromPipelineArn(otherAccount, 'There', 'arn:aws:codepipeline:eu-west-1:210987654321:release')))
      .toThrow(/is in account 210987654321, region eu-west-1/);
  });
});

describe('StageTransitionFreezeWindow (more in freeze-window.test.ts)', () => {
  test.each<[string, string, string | undefined, RegExp]>([
    ['a comma in the reason', 'Prod', 'freeze, holidays', /TestStack\/Window: invalid reason: 'freeze, holidays'.*e.g. 'Holiday freeze \(CHG-1234\)'/],
    ['a stage name with a space', 'My Stage', undefined, /TestStack\/Window: invalid stageName: 'My Stage'/],
  ])('refuses %s', (_, stageName, reason, message) => {
    expect(() => new StageTransitionFreezeWindow(stack, 'Window', {
      pipeline, stageName, reason, start: scheduler.ScheduleExpression.expression('cron(0 20 * * ? *)'), end: scheduler.ScheduleExpression.expression('cron(0 7 * * ? *)'),
    })).toThrow(message);
  });
});
