import {
  CodePipelineClient, DisableStageTransitionCommand, EnableStageTransitionCommand, GetPipelineStateCommand,
  TagResourceCommand,
} from '@aws-sdk/client-codepipeline';
import { Duration, Stack, TimeZone } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { FakePipelineControl, mockPipelineTags } from './fake-pipeline-control';
import { StageTransitionFreeze, StageTransitionFreezeWindow, TransitionDirection } from '../../src/codepipeline';
import { CODEPIPELINE_API } from '../../src/codepipeline/private/api-constraints';
import { FREEZE_WINDOW_FAMILY } from '../../src/codepipeline/private/custom-resources/contract';
import { onFreezeWindowEvent, reconcileWindow, windowOfFiring } from '../../src/codepipeline/private/custom-resources/freeze-window';
import { handler as windowFunction } from '../../src/codepipeline/private/functions/freeze-window.lambda';
import {
  catchUpExpressions, gapsOf, instantOf, isWindowOpen, lastFiring, parseSchedule, ScheduleSpec,
} from '../../src/codepipeline/private/schedules';
import { ValidationError } from '../../src/core/validation';
import {
  awsError, createEvent, deleteEvent, evaluateIntrinsics, expectNagClean, expectValidSdkInputs, footprintOf, handlerMocks, kitRolesOf, testApp,
  testStack, updateEvent, VirtualClock,
} from '../kit';

const [mock] = handlerMocks(CodePipelineClient);
const NY = 'America/New_York';
const ARN = 'arn:aws:codepipeline:us-east-1:123456789012:release';
const at = (iso: string) => Date.parse(iso);

describe('schedule expressions', () => {
  test.each<[string, RegExp]>([
    ['rate(1 day)', /is a rate: it counts from when the schedule was created and has no time of day/],
    ['cron(0 20 * * *)', /has 5 fields; a cron expression has six/],
    ['cron(0 20 * * MON *)', /must have \? in exactly one of day-of-month and day-of-week/],
    ['cron(0 20 ? * ? *)', /must have \? in exactly one/],
    ['cron(60 20 ? * * *)', /minutes '60' is not 0 to 59/],
    ['cron(0 24 ? * * *)', /hours '24' is not 0 to 23/],
    ['cron(0 20 ? * FRI-MON *)', /day-of-week 'FRI-MON' runs backwards/],
    ['cron(0 20 ? FOO * *)', /month 'FOO' is not 1 to 12 or JAN-DEC/],
    ['cron(0/0 20 ? * * *)', /minutes '0\/0' has a bad step/],
    ['at(2027-02-30T10:00:00)', /is not a date and time/],
    ['every day at 8', /is neither cron\(\.\.\.\) nor at\(\.\.\.\)/],
  ])('refuses %s', (expression, message) => {
    expect(() => parseSchedule(expression)).toThrow(message);
  });

  test.each<[string, string, string | undefined]>([
    // [expression, now, the last firing before it]
    ['cron(0 20 ? * * *)', '2027-01-05T21:00:00Z', '2027-01-05T20:00:00.000Z'],
    ['cron(0 20 ? * * *)', '2027-01-05T19:59:00Z', '2027-01-04T20:00:00.000Z'],
    ['cron(0 20 ? * MON-FRI *)', '2027-01-10T12:00:00Z', '2027-01-08T20:00:00.000Z'], // a Sunday: Friday's
    ['cron(0/15 9-17 ? * * *)', '2027-01-05T12:40:00Z', '2027-01-05T12:30:00.000Z'],
    ['cron(10,50 8 ? * * *)', '2027-01-05T08:49:00Z', '2027-01-05T08:10:00.000Z'],
    ['cron(0 6 L * ? *)', '2027-03-15T00:00:00Z', '2027-02-28T06:00:00.000Z'],
    ['cron(0 6 15W * ? *)', '2027-05-31T00:00:00Z', '2027-05-14T06:00:00.000Z'], // the 15th is a Saturday: Friday the 14th
    ['cron(0 6 1W * ? *)', '2027-05-31T00:00:00Z', '2027-05-03T06:00:00.000Z'], // the 1st is a Saturday: Monday the 3rd
    ['cron(0 6 LW * ? *)', '2027-03-15T00:00:00Z', '2027-02-26T06:00:00.000Z'], // the 28th is a Sunday: Friday the 26th
    ['cron(0 6 ? * MON#2 *)', '2027-01-31T00:00:00Z', '2027-01-11T06:00:00.000Z'],
    ['cron(0 6 ? * 6L *)', '2027-01-31T00:00:00Z', '2027-01-29T06:00:00.000Z'], // the last Friday
    ['cron(0 18 24 DEC ? 2026)', '2029-01-01T00:00:00Z', '2026-12-24T18:00:00.000Z'],
    ['cron(0 18 24 12 ? 2030)', '2029-01-01T00:00:00Z', undefined],
    ['cron(0 0 29 2 ? *)', '2027-03-01T00:00:00Z', '2024-02-29T00:00:00.000Z'],
    ['at(2026-12-23T17:00:00)', '2026-12-24T00:00:00Z', '2026-12-23T17:00:00.000Z'],
    ['at(2026-12-23T17:00:00)', '2026-12-23T16:59:00Z', undefined],
  ])('%s last fired before %s at %s (UTC)', (expression, now, expected) => {
    const firing = lastFiring({ expression }, at(now));
    expect(firing === undefined ? undefined : new Date(firing.instant).toISOString()).toBe(expected);
  });

  test('a wall time the clocks skip happens when they jump; a repeated one at its first occurrence', () => {
    // New York: 02:00 EST became 03:00 EDT on 14 March 2027 (07:00 UTC); 02:00 EDT became 01:00 EST on 7 November (06:00 UTC).
    expect(new Date(instantOf(Date.UTC(2027, 2, 14, 2, 30), NY)).toISOString()).toBe('2027-03-14T07:00:00.000Z');
    expect(new Date(instantOf(Date.UTC(2027, 2, 14, 3, 0), NY)).toISOString()).toBe('2027-03-14T07:00:00.000Z');
    expect(new Date(instantOf(Date.UTC(2027, 2, 14, 1, 59), NY)).toISOString()).toBe('2027-03-14T06:59:00.000Z');
    expect(new Date(instantOf(Date.UTC(2027, 10, 7, 1, 30), NY)).toISOString()).toBe('2027-11-07T05:30:00.000Z');
    expect(new Date(instantOf(Date.UTC(2027, 10, 7, 2, 0), NY)).toISOString()).toBe('2027-11-07T07:00:00.000Z');
  });

  test('the gaps of real zones: an hour at 02:00 in New York and Berlin, at midnight in Santiago, half an hour in Lord Howe; none in Tokyo', () => {
    expect(gapsOf(NY)).toEqual([{ from: 120, to: 180 }]);
    expect(gapsOf('Europe/Berlin')).toEqual([{ from: 120, to: 180 }]);
    expect(gapsOf('America/Santiago')).toEqual([{ from: 0, to: 60 }]);
    expect(gapsOf('Australia/Lord_Howe')).toEqual([{ from: 120, to: 150 }]);
    expect(gapsOf('Asia/Tokyo')).toEqual([]);
    expect(gapsOf('UTC')).toEqual([]);
  });

  test.each<[ScheduleSpec, string[]]>([
    [{ expression: 'cron(30 2 ? * MON-FRI *)', timeZone: NY }, ['cron(0 3 ? * MON-FRI *)']],
    [{ expression: 'cron(0/15 * ? * * *)', timeZone: NY }, ['cron(0 3 ? * * *)']],
    [{ expression: 'cron(15 2 1 * ? 2027-2030)', timeZone: 'Australia/Lord_Howe' }, ['cron(30 2 1 * ? 2027-2030)']],
    [{ expression: 'cron(0 20 ? * MON-FRI *)', timeZone: 'Europe/Berlin' }, []],
    [{ expression: 'cron(30 2 ? * * *)' }, []],
    [{ expression: 'at(2027-03-14T02:30:00)', timeZone: NY }, ['at(2027-03-14T03:00:00)']],
    [{ expression: 'at(2027-03-15T02:30:00)', timeZone: NY }, []],
  ])('catch-ups of %j: %j', (spec, expected) => {
    expect(catchUpExpressions(spec)).toEqual(expected);
  });

  describe('a New York window from 02:30 to 06:30 on the day the clocks jump forward (14 March 2027)', () => {
    const start = { expression: 'cron(30 2 ? * * *)', timeZone: NY };
    const end = { expression: 'cron(30 6 ? * * *)', timeZone: NY };
    test.each<[string, boolean]>([
      ['2027-03-14T06:59:00Z', false], // 01:59 EST
      ['2027-03-14T07:00:00Z', true], // 03:00 EDT: 02:30 was skipped, so the window opens as the clocks jump
      ['2027-03-14T10:29:00Z', true], // 06:29 EDT
      ['2027-03-14T10:30:00Z', false], // 06:30 EDT
      ['2027-03-13T08:00:00Z', true], // 03:00 EST the day before: open since 02:30
    ])('at %s it is %s', (now, open) => {
      expect(isWindowOpen(start, end, at(now))).toBe(open);
    });
  });

  describe('New York windows on the day the clocks fall back (7 November 2027: 01:00 to 02:00 comes twice)', () => {
    test.each<[string, string, string, boolean]>([
      ['cron(30 1 ? * * *)', 'cron(0 6 ? * * *)', '2027-11-07T05:29:00Z', false], // 01:29 EDT
      ['cron(30 1 ? * * *)', 'cron(0 6 ? * * *)', '2027-11-07T05:30:00Z', true], // 01:30 EDT, the first
      ['cron(30 1 ? * * *)', 'cron(0 6 ? * * *)', '2027-11-07T06:30:00Z', true], // 01:30 EST, the second: still open
      ['cron(30 1 ? * * *)', 'cron(0 6 ? * * *)', '2027-11-07T11:00:00Z', false], // 06:00 EST
      // Ends in the repeated hour: closed at the first 01:30 and not opened again by the second 01:00 to 01:30.
      ['cron(0 0 ? * * *)', 'cron(30 1 ? * * *)', '2027-11-07T05:00:00Z', true], // 01:00 EDT
      ['cron(0 0 ? * * *)', 'cron(30 1 ? * * *)', '2027-11-07T05:31:00Z', false], // 01:31 EDT
      ['cron(0 0 ? * * *)', 'cron(30 1 ? * * *)', '2027-11-07T06:15:00Z', false], // 01:15 EST
    ])('from %s to %s, at %s it is open: %s', (start, end, now, open) => {
      expect(isWindowOpen({ expression: start, timeZone: NY }, { expression: end, timeZone: NY }, at(now))).toBe(open);
    });
  });

  test('a window whose start and end the clocks both skip stays closed; one that never started is closed, one never ended open', () => {
    expect(isWindowOpen({ expression: 'cron(10 2 ? * * *)', timeZone: NY }, { expression: 'cron(50 2 ? * * *)', timeZone: NY }, at('2027-03-14T07:05:00Z'))).toBe(false);
    expect(isWindowOpen({ expression: 'at(2030-01-01T00:00:00)' }, { expression: 'at(2030-01-02T00:00:00)' }, at('2027-01-01T00:00:00Z'))).toBe(false);
    expect(isWindowOpen({ expression: 'at(2026-01-01T00:00:00)' }, { expression: 'at(2030-01-02T00:00:00)' }, at('2027-01-01T00:00:00Z'))).toBe(true);
  });
});

describe('the window\'s handlers', () => {
  const props = {
    PipelineName: 'release',
    StageName: 'Prod',
    TransitionType: 'Inbound',
    Reason: 'Nightly freeze',
    Start: 'cron(0 20 ? * * *)',
    StartTimeZone: 'Europe/Berlin',
    End: 'cron(0 7 ? * * *)',
    EndTimeZone: 'Europe/Berlin',
  };
  const options = { resourceType: FREEZE_WINDOW_FAMILY.resourceType };
  const ID = 'window/release/Prod/Inbound';
  let tags: Map<string, string>;
  beforeEach(() => {
    tags = new Map();
    mockPipelineTags(mock, tags);
    mock.on(GetPipelineStateCommand).resolves({ stageStates: [{ stageName: 'Prod', inboundTransitionState: { enabled: true } }] });
    mock.on(DisableStageTransitionCommand).resolves({});
    mock.on(EnableStageTransitionCommand).resolves({});
  });
  const client = () => new CodePipelineClient({ region: 'us-east-1' });

  test('deployed while the window is open, it holds the transition at once', async () => {
    new VirtualClock(at('2027-01-05T22:00:00Z')).install(); // 23:00 in Berlin
    expect(await onFreezeWindowEvent(client(), createEvent(props, options))).toEqual({ PhysicalResourceId: ID });
    expect(mock).toHaveReceivedCommandWith(DisableStageTransitionCommand, { pipelineName: 'release', stageName: 'Prod', transitionType: 'Inbound', reason: 'Nightly freeze' });
    expect(tags.size).toBe(2);
    expectValidSdkInputs(mock, CODEPIPELINE_API);
  });

  test('deployed while it is closed, it changes nothing; removed while open, it gives the transition back', async () => {
    const clock = new VirtualClock(at('2027-01-05T12:00:00Z')).install();
    expect(await onFreezeWindowEvent(client(), createEvent(props, options))).toEqual({ PhysicalResourceId: ID });
    expect(mock).not.toHaveReceivedCommand(DisableStageTransitionCommand);
    expect(mock).not.toHaveReceivedCommand(EnableStageTransitionCommand);
    clock.advance(10 * 3600_000);
    await onFreezeWindowEvent(client(), updateEvent(ID, { ...props, Reason: 'Nightly freeze (CHG-9)' }, props, options));
    expect(mock).toHaveReceivedCommandWith(DisableStageTransitionCommand, { reason: 'Nightly freeze (CHG-9)' });
    expect(await onFreezeWindowEvent(client(), deleteEvent(ID, props, options))).toEqual({ PhysicalResourceId: ID });
    expect(mock).toHaveReceivedCommandWith(EnableStageTransitionCommand, { pipelineName: 'release', stageName: 'Prod', transitionType: 'Inbound' });
    expect(tags.size).toBe(0);
  });

  test('an Update of its kit role only calls nothing (the schedules keep applying the window)', async () => {
    const result = await onFreezeWindowEvent(client(), updateEvent(ID, { ...props, RoleArn: 'new' }, { ...props, RoleArn: 'old' }, options));
    expect(result).toEqual({ PhysicalResourceId: ID });
    expect(mock.calls()).toHaveLength(0);
  });

  test('a window moved to another stage is a new physical id; the clean-up releases the old stage', async () => {
    new VirtualClock(at('2027-01-05T22:00:00Z')).install();
    await onFreezeWindowEvent(client(), createEvent(props, options));
    const moved = await onFreezeWindowEvent(client(), updateEvent(ID, { ...props, StageName: 'Staging' }, props, options));
    expect(moved.PhysicalResourceId).toBe('window/release/Staging/Inbound');
    await onFreezeWindowEvent(client(), deleteEvent(ID, props, options));
    expect(mock).toHaveReceivedCommandWith(EnableStageTransitionCommand, { stageName: 'Prod' });
    expect(tags.size).toBe(2);
  });

  test('an Update of an open window whose pipeline is gone (deleted outside the stack) holds nothing and succeeds', async () => {
    new VirtualClock(at('2027-01-05T22:00:00Z')).install();
    mock.on(GetPipelineStateCommand).rejects(awsError('PipelineNotFoundException'));
    await expect(onFreezeWindowEvent(client(), updateEvent(ID, { ...props, Reason: 'Nightly freeze (CHG-9)' }, props, options)))
      .resolves.toEqual({ PhysicalResourceId: ID });
    await expect(onFreezeWindowEvent(client(), createEvent(props, options))).rejects.toThrow(/does not exist in this account and region/);
  });

  test('the rollback of a cancelled move to another stage releases the stage the cancelled Update held', async () => {
    new VirtualClock(at('2027-01-05T22:00:00Z')).install();
    await onFreezeWindowEvent(client(), createEvent(props, options));
    const staging = { ...props, StageName: 'Staging' };
    await onFreezeWindowEvent(client(), updateEvent(ID, staging, props, options));
    expect(tags.size).toBe(4);
    const clientFor = jest.fn(() => client());
    expect(await onFreezeWindowEvent(client(), updateEvent(ID, props, staging, options), { clientFor })).toEqual({ PhysicalResourceId: ID });
    expect(clientFor).toHaveBeenCalledWith(expect.objectContaining({ StageName: 'Staging' }));
    expect(mock).toHaveReceivedCommandWith(EnableStageTransitionCommand, { stageName: 'Staging' });
    expect(tags.size).toBe(2);
  });

  test('a start the handler cannot read fails saying so', async () => {
    await expect(onFreezeWindowEvent(client(), createEvent({ ...props, Start: 'rate(1 day)' }, options)))
      .rejects.toThrow(/Applying a freeze window failed for the inbound transition of stage Prod of pipeline release: 'rate\(1 day\)' is a rate.*check them, then redeploy/);
  });

  test('a hold that fails says what to do', async () => {
    new VirtualClock(at('2027-01-05T22:00:00Z')).install();
    mock.on(DisableStageTransitionCommand).rejects(awsError('StageNotFoundException'));
    await expect(onFreezeWindowEvent(client(), createEvent(props, options))).rejects.toThrow(/has no stage of that name/);
  });

  const firing = {
    owner: 'arn:aws:cloudformation:us-east-1:123456789012:stack/TestStack/0000/NightlyWindow1234',
    pipelineName: 'release',
    pipelineArn: ARN,
    stageName: 'Prod',
    transitionType: 'Inbound',
    reason: 'Nightly freeze',
    start: 'cron(0 20 ? * * *)',
    startTimeZone: 'Europe/Berlin',
    end: 'cron(0 7 ? * * *)',
    endTimeZone: 'Europe/Berlin',
  };

  test('the window function applies the state the window has when a schedule fires', async () => {
    const clock = new VirtualClock(at('2027-01-05T19:00:01Z')).install(); // 20:00:01 in Berlin
    expect(await windowFunction(firing)).toEqual({ open: true });
    expect(mock).toHaveReceivedCommandWith(TagResourceCommand, { resourceArn: ARN });
    expect(mock).toHaveReceivedCommandWith(DisableStageTransitionCommand, { reason: 'Nightly freeze' });
    // A second firing (Scheduler's retry, or a catch-up) changes nothing.
    expect(await windowFunction(firing)).toEqual({ open: true });
    expect(tags.size).toBe(2);
    clock.advance(11 * 3600_000); // 07:00:01 in Berlin
    expect(await windowFunction(firing)).toEqual({ open: false });
    expect(mock).toHaveReceivedCommandWith(EnableStageTransitionCommand, { stageName: 'Prod' });
    expect(tags.size).toBe(0);
    expectValidSdkInputs(mock, CODEPIPELINE_API);
  });

  test('an input no window sends is an internal error', async () => {
    expect(() => windowOfFiring({ ...firing, owner: undefined } as never)).toThrow(/internal error: a freeze window's schedule sent .*missing owner/);
    expect(() => windowOfFiring({ ...firing, transitionType: 'Sideways' })).toThrow(/missing a transition type/);
  });

  test('a closed window releases only its own hold: another freeze keeps the transition', async () => {
    new VirtualClock(at('2027-01-05T22:00:00Z')).install();
    await onFreezeWindowEvent(client(), { ...createEvent(props, options), LogicalResourceId: 'Holidays' });
    await reconcileWindow(client(), windowOfFiring({ ...firing, owner: 'nightly' }), at('2027-01-05T22:00:00Z'));
    mock.resetHistory();
    await reconcileWindow(client(), windowOfFiring({ ...firing, owner: 'nightly' }), at('2027-01-06T07:00:00Z'));
    expect(mock).not.toHaveReceivedCommand(EnableStageTransitionCommand);
    expect(mock).toHaveReceivedCommandWith(DisableStageTransitionCommand, { reason: 'Nightly freeze' });
  });
});

describe('StageTransitionFreezeWindow', () => {
  let stack: Stack;
  let pipeline: codepipeline.IPipeline;
  beforeEach(() => {
    stack = testStack();
    pipeline = codepipeline.Pipeline.fromPipelineArn(stack, 'Release', ARN);
  });
  const STATEMENTS = [
    { Action: ['codepipeline:DisableStageTransition', 'codepipeline:EnableStageTransition'], Effect: 'Allow', Resource: [ARN, `${ARN}/Prod`] },
    { Action: ['codepipeline:GetPipelineState', 'codepipeline:ListTagsForResource'], Effect: 'Allow', Resource: ARN },
    {
      Action: ['codepipeline:TagResource', 'codepipeline:UntagResource'],
      Condition: { 'ForAllValues:StringLike': { 'aws:TagKeys': ['cdk-devtools/freeze/*'] } },
      Effect: 'Allow',
      Resource: ARN,
    },
  ];

  test('a custom resource holds the transition while the window is open; its schedules invoke the stack\'s window function', () => {
    new StageTransitionFreezeWindow(stack, 'Window', {
      pipeline,
      stageName: 'Prod',
      direction: TransitionDirection.OUTBOUND,
      reason: 'Holiday freeze (CHG-1)',
      start: scheduler.ScheduleExpression.expression('cron(0 18 24 12 ? 2026)', TimeZone.EUROPE_BERLIN),
      end: scheduler.ScheduleExpression.expression('cron(0 8 2 1 ? 2027)', TimeZone.EUROPE_BERLIN),
    });
    const template = Template.fromStack(stack);
    const [logicalId] = Object.keys(template.findResources(FREEZE_WINDOW_FAMILY.resourceType));
    template.hasResourceProperties(FREEZE_WINDOW_FAMILY.resourceType, {
      PipelineName: 'release',
      StageName: 'Prod',
      TransitionType: 'Outbound',
      Reason: 'Holiday freeze (CHG-1)',
      Start: 'cron(0 18 24 12 ? 2026)',
      StartTimeZone: 'Europe/Berlin',
      End: 'cron(0 8 2 1 ? 2027)',
      EndTimeZone: 'Europe/Berlin',
    });
    expect(kitRolesOf(template, FREEZE_WINDOW_FAMILY.resourceType)[0].statements).toEqual(STATEMENTS);
    // Berlin's clocks jump at 02:00, which neither time is near: two schedules.
    const schedules = Object.values<any>(template.findResources('AWS::Scheduler::Schedule'));
    expect(schedules.map(s => s.Properties.ScheduleExpression)).toEqual(['cron(0 18 24 12 ? 2026)', 'cron(0 8 2 1 ? 2027)']);
    const [fn] = Object.keys(template.findResources('AWS::Lambda::Function', { Properties: { Description: Match.stringLikeRegexp('freeze windows') } }));
    for (const s of schedules) {
      expect(s.Properties.Target.Arn).toEqual({ 'Fn::GetAtt': [fn, 'Arn'] });
      expect(s.DependsOn).toContain(logicalId);
      const input = JSON.parse(evaluateIntrinsics(s.Properties.Target.Input, id => id, {
        'AWS::StackId': 'arn:aws:cloudformation:us-east-1:123456789012:stack/TestStack/0000',
      }) as string);
      expect(input).toEqual({
        owner: `arn:aws:cloudformation:us-east-1:123456789012:stack/TestStack/0000/${logicalId}`,
        pipelineName: 'release',
        pipelineArn: ARN,
        stageName: 'Prod',
        transitionType: 'Outbound',
        reason: 'Holiday freeze (CHG-1)',
        start: 'cron(0 18 24 12 ? 2026)',
        startTimeZone: 'Europe/Berlin',
        end: 'cron(0 8 2 1 ? 2027)',
        endTimeZone: 'Europe/Berlin',
      });
    }
    const [role] = Object.values<any>(template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: Match.stringLikeRegexp('^CdkDevtoolsFreezeWindowsRole') }] } }));
    expect(role.Properties.PolicyDocument.Statement).toEqual(expect.arrayContaining(STATEMENTS));
    expect(JSON.stringify(role.Properties.PolicyDocument.Statement)).not.toMatch(/"Resource":"\*"/);
    expect(footprintOf(template)).toEqual({ functions: 6, stateMachines: 1 });
    expectNagClean(stack);
  });

  test('defaults to the inbound transition and a generic reason; windows of a stack share one function', () => {
    const options = {
      pipeline, stageName: 'Prod', start: scheduler.ScheduleExpression.expression('cron(0 20 * * ? *)'), end: scheduler.ScheduleExpression.expression('cron(0 7 * * ? *)'),
    };
    new StageTransitionFreezeWindow(stack, 'Nightly', options);
    new StageTransitionFreezeWindow(stack, 'Weekend', { ...options, start: scheduler.ScheduleExpression.expression('cron(0 18 ? * FRI *)') });
    const template = Template.fromStack(stack);
    template.hasResourceProperties(FREEZE_WINDOW_FAMILY.resourceType, { TransitionType: 'Inbound', Reason: 'Frozen by cdk-devtools', StartTimeZone: 'Etc/UTC' });
    expect(footprintOf(template)).toEqual({ functions: 6, stateMachines: 1 });
  });

  test('a window whose times New York\'s clocks may skip also fires when they jump, on the same days', () => {
    new StageTransitionFreezeWindow(stack, 'Window', {
      pipeline,
      stageName: 'Prod',
      start: scheduler.ScheduleExpression.cron({ minute: '30', hour: '2', weekDay: 'MON-FRI', timeZone: TimeZone.AMERICA_NEW_YORK }),
      end: scheduler.ScheduleExpression.cron({ minute: '0', hour: '6', weekDay: 'MON-FRI', timeZone: TimeZone.AMERICA_NEW_YORK }),
    });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Scheduler::Schedule', 3);
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 3 ? * MON-FRI *)', ScheduleExpressionTimezone: NY, Description: Match.stringLikeRegexp('^Opens the window when the clocks jumped over its start'),
    });
  });

  test.each<[string, scheduler.ScheduleExpression, RegExp]>([
    ['a rate', scheduler.ScheduleExpression.rate(Duration.days(1)),
      /TestStack\/Window: invalid start: 'rate\(1 day\)' is a rate: .*no time of day.*use ScheduleExpression\.cron\(\{ hour: '20', minute: '0', timeZone \}\) or ScheduleExpression\.at\(date, timeZone\)/],
    ['a cron of five fields', scheduler.ScheduleExpression.expression('cron(0 20 * * *)'), /invalid start: 'cron\(0 20 \* \* \*\)' has 5 fields/],
    ['a time zone Node.js does not know', scheduler.ScheduleExpression.expression('cron(0 20 ? * * *)', TimeZone.of('Mars/Olympus')),
      /TestStack\/Window: start has the time zone 'Mars\/Olympus', which this Node.js does not know; use an IANA time zone/],
  ])('refuses %s', (_, start, message) => {
    let error: unknown;
    try {
      new StageTransitionFreezeWindow(stack, 'Window', { pipeline, stageName: 'Prod', start, end: scheduler.ScheduleExpression.expression('cron(0 7 ? * * *)') });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toMatch(message);
  });

  test('several windows of one transition are accepted; a window beside a freeze of it is refused', () => {
    const app = testApp();
    const a = testStack(app, 'A');
    const p = codepipeline.Pipeline.fromPipelineArn(a, 'P', ARN);
    const times = { start: scheduler.ScheduleExpression.expression('cron(0 20 ? * * *)'), end: scheduler.ScheduleExpression.expression('cron(0 7 ? * * *)') };
    new StageTransitionFreezeWindow(a, 'Nightly', { pipeline: p, stageName: 'Prod', ...times });
    new StageTransitionFreezeWindow(a, 'Holidays', { pipeline: p, stageName: 'Prod', ...times });
    expect(() => app.synth()).not.toThrow();
    const b = testStack(testApp(), 'B');
    const q = codepipeline.Pipeline.fromPipelineArn(b, 'P', ARN);
    new StageTransitionFreezeWindow(b, 'Nightly', { pipeline: q, stageName: 'Prod', ...times });
    new StageTransitionFreeze(b, 'Freeze', { pipeline: q, stageName: 'Prod' });
    expect(() => Template.fromStack(b)).toThrow(/\[B\/Nightly\] the inbound transition of stage 'Prod' of pipeline B\/P is also frozen by B\/Freeze; .*use StageTransitionFreezeWindows only \(several windows of one transition are fine\)/);
  });
});

/**
 * EventBridge Scheduler over some hours, as its user guide describes daylight saving: a cron fires at each wall time
 * that matches; a wall time the clocks skip does not fire; a repeated one fires once (or, to show the window does not
 * depend on it, at both occurrences). Written minute by minute over UTC on its own, without the library's schedule code,
 * for crons of one minute and one hour on every day.
 */
function schedulerFirings(expression: string, timeZone: string, from: number, to: number, repeated: 'once' | 'twice'): number[] {
  const [minute, hour] = /^cron\((\d+) (\d+) \? \* \* \*\)$/.exec(expression)!.slice(1).map(Number);
  const format = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
  const fired = new Set<string>();
  const firings: number[] = [];
  for (let t = from; t < to; t += 60_000) {
    const parts = Object.fromEntries(format.formatToParts(new Date(t)).map(p => [p.type, p.value]));
    if (Number(parts.hour) !== hour || Number(parts.minute) !== minute) continue;
    const wall = `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
    if (repeated === 'once' && fired.has(wall)) continue;
    fired.add(wall);
    firings.push(t);
  }
  return firings;
}

/**
 * Plays the schedules of a window's synthesized template over some hours against a fake CodePipeline: each firing calls
 * what its target names (CodePipeline directly, or the window function at that moment). Returns whether the transition
 * is disabled at each of `checks`.
 */
async function playTemplate(stack: Stack, from: string, to: string, checks: string[], repeated: 'once' | 'twice' = 'once'): Promise<boolean[]> {
  const clock = new VirtualClock(at(from)).install();
  const fake = new FakePipelineControl(clock).wire(mock);
  fake.addPipeline('release', ['Source', 'Prod']);
  const template = Template.fromStack(stack);
  const firings = Object.values<any>(template.findResources('AWS::Scheduler::Schedule')).flatMap(s => {
    const input = JSON.parse(evaluateIntrinsics(s.Properties.Target.Input, id => id, { 'AWS::StackId': 'arn:aws:cloudformation:us-east-1:123456789012:stack/TestStack/0000' }) as string);
    return schedulerFirings(s.Properties.ScheduleExpression, s.Properties.ScheduleExpressionTimezone ?? 'UTC', at(from), at(to), repeated)
      .map(t => ({ t, arn: JSON.stringify(s.Properties.Target.Arn), input }));
  }).sort((x, y) => x.t - y.t);
  const disabled = () => !fake.pipelines.get('release')!.transitions.get('Prod/Inbound')!.enabled;
  const results: boolean[] = [];
  const pending = [...checks].map(at);
  for (const f of [...firings, { t: Infinity, arn: '', input: undefined }]) {
    while (pending.length > 0 && pending[0] < f.t) {
      pending.shift();
      results.push(disabled());
    }
    if (f.t === Infinity) break;
    clock.advance(f.t - clock.now());
    if (f.arn.includes('disableStageTransition')) fake.disableStageTransition(f.input);
    else if (f.arn.includes('enableStageTransition')) fake.enableStageTransition(f.input);
    else await windowFunction(f.input);
  }
  return results;
}

describe('a New York window on the days its clocks change, played from the template', () => {
  let stack: Stack;
  const window = (start: string, end: string) => {
    stack = testStack();
    new StageTransitionFreezeWindow(stack, 'Night', {
      pipeline: codepipeline.Pipeline.fromPipelineArn(stack, 'Release', ARN),
      stageName: 'Prod',
      reason: 'No deployments at night',
      start: scheduler.ScheduleExpression.expression(start, TimeZone.AMERICA_NEW_YORK),
      end: scheduler.ScheduleExpression.expression(end, TimeZone.AMERICA_NEW_YORK),
    });
  };

  test('14 March 2027: Scheduler skips 02:30; the window opens as the clocks jump to 03:00 and closes at 06:30', async () => {
    window('cron(30 2 ? * * *)', 'cron(30 6 ? * * *)');
    // From 00:00 EST on the 14th to noon EDT; checks at 02:59 EST, 03:01, 06:29 and 06:31 EDT.
    expect(await playTemplate(stack, '2027-03-14T05:00:00Z', '2027-03-14T16:00:00Z',
      ['2027-03-14T06:59:00Z', '2027-03-14T07:01:00Z', '2027-03-14T10:29:00Z', '2027-03-14T10:31:00Z'])).toEqual([false, true, true, false]);
  });

  test('7 November 2027: a window from 01:30 to 01:45 holds once, whether Scheduler fires the repeated times once or twice', async () => {
    window('cron(30 1 ? * * *)', 'cron(45 1 ? * * *)');
    // Checks at 01:40 EDT, 01:50 EDT, 01:40 EST and 01:50 EST.
    const checks = ['2027-11-07T05:40:00Z', '2027-11-07T05:50:00Z', '2027-11-07T06:40:00Z', '2027-11-07T06:50:00Z'];
    expect(await playTemplate(stack, '2027-11-07T04:00:00Z', '2027-11-07T12:00:00Z', checks, 'once')).toEqual([true, false, false, false]);
    expect(await playTemplate(stack, '2027-11-07T04:00:00Z', '2027-11-07T12:00:00Z', checks, 'twice')).toEqual([true, false, false, false]);
  });
});
