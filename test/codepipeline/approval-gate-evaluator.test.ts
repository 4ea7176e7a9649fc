import {
  AlarmHistoryItem, CloudWatchClient, DescribeAlarmHistoryCommand, DescribeAlarmsCommand, DescribeAlarmsCommandOutput,
} from '@aws-sdk/client-cloudwatch';
import { CodePipelineClient, GetPipelineStateCommand, GetPipelineStateCommandOutput, PutApprovalResultCommand } from '@aws-sdk/client-codepipeline';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { CODEPIPELINE_API } from '../../src/codepipeline/private/api-constraints';
import {
  decide, DecideRequest, EvaluateRequest, Evaluation, GateConfig, handleGate, MAX_SUMMARY, truncate,
} from '../../src/codepipeline/private/functions/approval-gate';
import { handler } from '../../src/codepipeline/private/functions/approval-gate.lambda';
import { awsError, expectValidSdkInputs, handlerMocks } from '../kit';

const [pipelineMock, cloudwatchMock, lambdaMock] = handlerMocks(CodePipelineClient, CloudWatchClient, LambdaClient);
const clients = { codepipeline: new CodePipelineClient({}), cloudwatch: new CloudWatchClient({}), lambda: new LambdaClient({}) };

const EXECUTION = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
const NEWER = 'ffffffff-bbbb-4ccc-8ddd-eeeeeeeeeeee';
const TOKEN = '11111111-2222-4333-8444-555555555555';
/** The action execution id of the approval, which a run pins at its first look. */
const APPROVAL = '22222222-3333-4444-8555-666666666666';
const STARTED = '2026-03-02T10:00:00.000Z'; // a Monday
const DECIDER = 'arn:aws:lambda:us-east-1:123456789012:function:release-decider';

const GATE: GateConfig = {
  pipelineName: 'release',
  stageName: 'Prod',
  actionName: 'Approve',
  alarmNames: ['errors', 'latency'],
  bakeTimeSeconds: 1800,
  windows: [],
  outsideWindow: 'WAIT',
  deciderArn: '',
  timeoutSeconds: 86400,
  checkIntervalSeconds: 60,
};
const BERLIN_OFFICE = { days: [1, 2, 3, 4, 5], startMinute: 9 * 60, endMinute: 17 * 60, timeZone: 'Europe/Berlin' };

function at(minutesAfterStart: number): Date {
  return new Date(new Date(STARTED).getTime() + minutesAfterStart * 60_000);
}

/** An evaluation of the run started at STARTED, which has pinned `approvalId` ('' before its first look). */
function request(gate: Partial<GateConfig> = {}, approvalId = ''): EvaluateRequest {
  return { step: 'evaluate', gate: { ...GATE, ...gate }, pipelineExecutionId: EXECUTION, startedAt: STARTED, approvalId };
}

async function evaluateAt(minutesAfterStart: number, gate: Partial<GateConfig> = {}, approvalId = ''): Promise<Evaluation> {
  return await handleGate(clients, request(gate, approvalId), at(minutesAfterStart)) as Evaluation;
}

/**
 * The pipeline's state: the stage runs `stageExecution`, whose approval action is `status` with `token` and the action
 * execution id `approval`. `token: null` is an approval without a token.
 */
function pipelineState(stageExecution = EXECUTION, status = 'InProgress', token: string | null = TOKEN, approval: string | null = APPROVAL): GetPipelineStateCommandOutput {
  return {
    pipelineName: 'release',
    stageStates: [
      { stageName: 'Source', latestExecution: { pipelineExecutionId: NEWER, status: 'Succeeded' }, actionStates: [{ actionName: 'Fetch' }] },
      {
        stageName: 'Prod',
        latestExecution: { pipelineExecutionId: stageExecution, status: 'InProgress' },
        actionStates: [{ actionName: 'Approve', latestExecution: { status, token: token ?? undefined, actionExecutionId: approval ?? undefined } }],
      },
    ],
  } as GetPipelineStateCommandOutput;
}

/** A day before the approval started: the state of an alarm that has not changed since. */
const LONG_AGO = at(-24 * 60);

/** The alarms' current states; each last changed state at `transitioned[name]`, or a day before the approval. */
function alarms(
  states: Record<string, string>, composite: Record<string, string> = {}, transitioned: Record<string, Date> = {},
): DescribeAlarmsCommandOutput {
  const alarm = ([AlarmName, StateValue]: [string, string]) =>
    ({ AlarmName, StateValue, StateTransitionedTimestamp: transitioned[AlarmName] ?? LONG_AGO });
  return {
    MetricAlarms: Object.entries(states).map(alarm),
    CompositeAlarms: Object.entries(composite).map(alarm),
  } as DescribeAlarmsCommandOutput;
}

/** A StateUpdate of an alarm's history, as DescribeAlarmHistory returns it. */
function stateUpdate(AlarmName: string, from: string, to: string, when: Date): AlarmHistoryItem {
  return {
    AlarmName,
    AlarmType: 'MetricAlarm',
    Timestamp: when,
    HistoryItemType: 'StateUpdate',
    HistorySummary: `Alarm updated from ${from} to ${to}`,
    HistoryData: JSON.stringify({ version: '1.0', oldState: { stateValue: from, stateReason: 'r' }, newState: { stateValue: to, stateReason: 'r' } }),
  };
}

function deciderAnswers(answer: unknown, functionError?: string): void {
  lambdaMock.on(InvokeCommand).resolves({
    StatusCode: 200,
    FunctionError: functionError,
    Payload: new TextEncoder().encode(typeof answer === 'string' ? answer : JSON.stringify(answer)) as any,
  });
}

beforeEach(() => {
  pipelineMock.on(GetPipelineStateCommand, { name: 'release' }).resolves(pipelineState());
  cloudwatchMock.on(DescribeAlarmsCommand).resolves(alarms({ errors: 'OK', latency: 'OK' }));
  cloudwatchMock.on(DescribeAlarmHistoryCommand).resolves({ AlarmHistoryItems: [] });
});

describe('alarms with a bake time', () => {
  test('all OK after the bake time: approves, and the decision uses this execution\'s token', async () => {
    pipelineMock.on(PutApprovalResultCommand).resolves({ approvedAt: new Date() });
    const evaluation = await evaluateAt(31);
    expect(evaluation).toEqual({
      decision: 'APPROVE',
      summary: 'Approved by the approval gate. alarms: 2 OK for 30 min',
      nextCheckAt: at(31).toISOString(),
      approvalId: APPROVAL,
    });
    expect(cloudwatchMock).toHaveReceivedCommandWith(DescribeAlarmsCommand, { AlarmNames: ['errors', 'latency'], AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] });

    const decided = await handleGate(clients, {
      step: 'decide', gate: GATE, pipelineExecutionId: EXECUTION, approvalId: APPROVAL, decision: 'APPROVE', summary: evaluation.summary,
    });
    expect(decided).toEqual({ outcome: 'DECIDED', detail: 'APPROVE' });
    expect(pipelineMock).toHaveReceivedCommandWith(PutApprovalResultCommand, {
      pipelineName: 'release',
      stageName: 'Prod',
      actionName: 'Approve',
      token: TOKEN,
      result: { status: 'Approved', summary: 'Approved by the approval gate. alarms: 2 OK for 30 min' },
    });
    expectValidSdkInputs(pipelineMock, CODEPIPELINE_API);
  });

  test('an alarm goes into ALARM during the bake time: rejects at once', async () => {
    cloudwatchMock.on(DescribeAlarmsCommand).resolves(alarms({ errors: 'OK' }, { latency: 'ALARM' }));
    expect(await evaluateAt(5)).toEqual({
      decision: 'REJECT',
      summary: 'Rejected by the approval gate. alarms: latency in ALARM',
      nextCheckAt: at(5).toISOString(),
      approvalId: APPROVAL,
    });
    expectValidSdkInputs(pipelineMock, CODEPIPELINE_API);
  });

  test('the bake time is not over: waits for the next check, a minute later', async () => {
    expect(await evaluateAt(5)).toEqual({
      decision: 'WAIT',
      summary: `Waiting until ${at(6).toISOString()}. alarms: 2 OK, baking until ${at(30).toISOString()}`,
      nextCheckAt: at(6).toISOString(),
      approvalId: APPROVAL,
    });
  });

  test('the last check before the bake time ends is at its end', async () => {
    const evaluation = await evaluateAt(29.5);
    expect(evaluation.decision).toBe('WAIT');
    expect(evaluation.nextCheckAt).toBe(at(30).toISOString());
  });

  test('reads alarms as often as the check interval says', async () => {
    expect((await evaluateAt(5, { checkIntervalSeconds: 600 })).nextCheckAt).toBe(at(15).toISOString());
  });

  test('no bake time: approves when the alarms are OK at the first look', async () => {
    expect((await evaluateAt(0, { bakeTimeSeconds: 0 })).decision).toBe('APPROVE');
  });

  test('an alarm without data waits during the bake time and leaves it to a person after it', async () => {
    cloudwatchMock.on(DescribeAlarmsCommand).resolves(alarms({ errors: 'OK', latency: 'INSUFFICIENT_DATA' }));
    const during = await evaluateAt(5);
    expect(during.decision).toBe('WAIT');
    expect(during.summary).toContain('alarms: latency not OK yet, baking until');
    expect(await evaluateAt(31)).toMatchObject({
      decision: 'LEAVE_TO_PERSON',
      summary: 'Left to a person. alarms: latency (INSUFFICIENT_DATA) not OK after the bake time',
    });
  });

  test('an alarm that does not exist leaves it to a person', async () => {
    cloudwatchMock.on(DescribeAlarmsCommand).resolves(alarms({ errors: 'OK' }));
    expect(await evaluateAt(31)).toMatchObject({ decision: 'LEAVE_TO_PERSON', summary: 'Left to a person. alarms: latency not found' });
  });

  test('follows DescribeAlarms pages and asks for at most 100 names at a time', async () => {
    const names = Array.from({ length: 150 }, (_, i) => `alarm-${i}`);
    const ok = (from: number, to: number) => alarms(Object.fromEntries(names.slice(from, to).map(n => [n, 'OK'])));
    cloudwatchMock.on(DescribeAlarmsCommand, { AlarmNames: names.slice(0, 100), NextToken: undefined }).resolves({ ...ok(0, 50), NextToken: 'page-2' });
    cloudwatchMock.on(DescribeAlarmsCommand, { AlarmNames: names.slice(0, 100), NextToken: 'page-2' }).resolves(ok(50, 100));
    cloudwatchMock.on(DescribeAlarmsCommand, { AlarmNames: names.slice(100) }).resolves(ok(100, 150));
    expect(await evaluateAt(31, { alarmNames: names })).toMatchObject({ decision: 'APPROVE', summary: 'Approved by the approval gate. alarms: 150 OK for 30 min' });
    expect(cloudwatchMock).toHaveReceivedCommandTimes(DescribeAlarmsCommand, 3);
  });

  test('names at most three alarms in the summary', async () => {
    const names = ['a1', 'a2', 'a3', 'a4', 'a5'];
    cloudwatchMock.on(DescribeAlarmsCommand).resolves(alarms(Object.fromEntries(names.map(n => [n, 'ALARM']))));
    expect((await evaluateAt(1, { alarmNames: names })).summary).toBe('Rejected by the approval gate. alarms: a1, a2, a3 and 2 more in ALARM');
  });
});

describe('alarms judged by their history since the approval started', () => {
  test('an alarm that went into ALARM and back to OK between two checks rejects', async () => {
    cloudwatchMock.on(DescribeAlarmsCommand).resolves(alarms({ errors: 'OK', latency: 'OK' }, {}, { errors: at(20) }));
    cloudwatchMock.on(DescribeAlarmHistoryCommand, { AlarmName: 'errors' }).resolves({
      AlarmHistoryItems: [stateUpdate('errors', 'ALARM', 'OK', at(20)), stateUpdate('errors', 'OK', 'ALARM', at(12))],
    });
    expect(await evaluateAt(31, {}, APPROVAL)).toMatchObject({
      decision: 'REJECT',
      summary: `Rejected by the approval gate. alarms: errors in ALARM until ${at(20).toISOString()}`,
    });
    expect(cloudwatchMock).toHaveReceivedCommandWith(DescribeAlarmHistoryCommand, {
      AlarmName: 'errors',
      AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
      HistoryItemType: 'StateUpdate',
      StartDate: new Date(STARTED),
      EndDate: at(31),
      MaxRecords: 100,
    });
    // latency has not changed state since before the approval: it has no state update to read.
    expect(cloudwatchMock).toHaveReceivedCommandTimes(DescribeAlarmHistoryCommand, 1);
  });

  test('in ALARM when the approval started and OK since: rejects', async () => {
    cloudwatchMock.on(DescribeAlarmsCommand).resolves(alarms({ errors: 'OK', latency: 'OK' }, {}, { errors: at(3) }));
    cloudwatchMock.on(DescribeAlarmHistoryCommand, { AlarmName: 'errors' }).resolves({ AlarmHistoryItems: [stateUpdate('errors', 'ALARM', 'OK', at(3))] });
    expect(await evaluateAt(5)).toMatchObject({
      decision: 'REJECT',
      summary: `Rejected by the approval gate. alarms: errors in ALARM until ${at(3).toISOString()}`,
    });
  });

  test('follows the history\'s pages until it finds an ALARM', async () => {
    cloudwatchMock.on(DescribeAlarmsCommand).resolves(alarms({ errors: 'OK', latency: 'OK' }, {}, { errors: at(25) }));
    cloudwatchMock.on(DescribeAlarmHistoryCommand, { AlarmName: 'errors', NextToken: undefined }).resolves({
      AlarmHistoryItems: [stateUpdate('errors', 'INSUFFICIENT_DATA', 'OK', at(25)), stateUpdate('errors', 'OK', 'INSUFFICIENT_DATA', at(24))],
      NextToken: 'page-2',
    });
    cloudwatchMock.on(DescribeAlarmHistoryCommand, { AlarmName: 'errors', NextToken: 'page-2' }).resolves({
      AlarmHistoryItems: [stateUpdate('errors', 'ALARM', 'OK', at(10)), stateUpdate('errors', 'OK', 'ALARM', at(9))],
      NextToken: 'page-3',
    });
    expect(await evaluateAt(31)).toMatchObject({ decision: 'REJECT', summary: `Rejected by the approval gate. alarms: errors in ALARM until ${at(10).toISOString()}` });
    expect(cloudwatchMock).toHaveReceivedCommandTimes(DescribeAlarmHistoryCommand, 2);
  });

  test('a composite alarm that flipped rejects like a metric alarm', async () => {
    cloudwatchMock.on(DescribeAlarmsCommand).resolves(alarms({ errors: 'OK' }, { latency: 'OK' }, { latency: at(8) }));
    cloudwatchMock.on(DescribeAlarmHistoryCommand, { AlarmName: 'latency' }).resolves({
      AlarmHistoryItems: [{ ...stateUpdate('latency', 'ALARM', 'OK', at(8)), AlarmType: 'CompositeAlarm' }, { ...stateUpdate('latency', 'OK', 'ALARM', at(7)), AlarmType: 'CompositeAlarm' }],
    });
    expect((await evaluateAt(10)).decision).toBe('REJECT');
  });

  test('flips between OK and INSUFFICIENT_DATA only: approves once the bake time is over and the alarms are OK', async () => {
    cloudwatchMock.on(DescribeAlarmsCommand).resolves(alarms({ errors: 'OK', latency: 'OK' }, {}, { errors: at(10) }));
    cloudwatchMock.on(DescribeAlarmHistoryCommand, { AlarmName: 'errors' }).resolves({
      AlarmHistoryItems: [stateUpdate('errors', 'INSUFFICIENT_DATA', 'OK', at(10)), stateUpdate('errors', 'OK', 'INSUFFICIENT_DATA', at(8))],
    });
    expect(await evaluateAt(31)).toMatchObject({ decision: 'APPROVE', summary: 'Approved by the approval gate. alarms: 2 OK for 30 min' });
  });

  test('a history that does not show the latest state change yet is read again, then judged as it is', async () => {
    cloudwatchMock.on(DescribeAlarmsCommand).resolves(alarms({ errors: 'OK', latency: 'OK' }, {}, { errors: at(30.5) }));
    cloudwatchMock.on(DescribeAlarmHistoryCommand, { AlarmName: 'errors' }).resolves({ AlarmHistoryItems: [stateUpdate('errors', 'OK', 'INSUFFICIENT_DATA', at(20))] });
    expect(await evaluateAt(31)).toEqual({
      decision: 'WAIT',
      summary: `Waiting until ${at(32).toISOString()}. alarms: the history of errors does not show its change to OK at ${at(30.5).toISOString()} yet`,
      nextCheckAt: at(32).toISOString(),
      approvalId: APPROVAL,
    });
    // Two minutes after the change, the history is taken as complete.
    expect((await evaluateAt(32.5)).decision).toBe('APPROVE');
  });

  test('a history that lags behind the state but shows an ALARM already rejects', async () => {
    cloudwatchMock.on(DescribeAlarmsCommand).resolves(alarms({ errors: 'OK', latency: 'OK' }, {}, { errors: at(30.5) }));
    cloudwatchMock.on(DescribeAlarmHistoryCommand, { AlarmName: 'errors' }).resolves({ AlarmHistoryItems: [stateUpdate('errors', 'OK', 'ALARM', at(29))] });
    expect((await evaluateAt(31)).summary).toBe(`Rejected by the approval gate. alarms: errors in ALARM from ${at(29).toISOString()}`);
  });

  test('a state update the gate cannot read leaves it to a person', async () => {
    cloudwatchMock.on(DescribeAlarmsCommand).resolves(alarms({ errors: 'OK', latency: 'OK' }, {}, { errors: at(10) }));
    cloudwatchMock.on(DescribeAlarmHistoryCommand, { AlarmName: 'errors' }).resolves({
      AlarmHistoryItems: [{ AlarmName: 'errors', Timestamp: at(10), HistoryItemType: 'StateUpdate', HistoryData: 'not json', HistorySummary: 'Alarm state changed' }],
    });
    expect(await evaluateAt(31)).toMatchObject({
      decision: 'LEAVE_TO_PERSON',
      summary: 'Left to a person. alarms: the history of errors has a state update the gate cannot read',
    });
  });

  test('the summary of a history without HistoryData is read instead', async () => {
    cloudwatchMock.on(DescribeAlarmsCommand).resolves(alarms({ errors: 'OK', latency: 'OK' }, {}, { errors: at(10) }));
    cloudwatchMock.on(DescribeAlarmHistoryCommand, { AlarmName: 'errors' }).resolves({
      AlarmHistoryItems: [{ ...stateUpdate('errors', 'ALARM', 'OK', at(10)), HistoryData: undefined }],
    });
    expect((await evaluateAt(31)).summary).toBe(`Rejected by the approval gate. alarms: errors in ALARM until ${at(10).toISOString()}`);
  });
});

describe('deployment windows', () => {
  const windowOnly = { alarmNames: [], bakeTimeSeconds: 0, windows: [BERLIN_OFFICE] };

  test('open (Monday 11:00 in Berlin): approves', async () => {
    expect(await evaluateAt(0, windowOnly)).toMatchObject({ decision: 'APPROVE', summary: 'Approved by the approval gate. window: open' });
  });

  test('closed (Monday 18:00 in Berlin): waits until the window opens on Tuesday at 09:00 in Berlin', async () => {
    expect(await evaluateAt(7 * 60, windowOnly)).toEqual({
      decision: 'WAIT',
      summary: 'Waiting until 2026-03-03T08:00:00.000Z. window: closed until 2026-03-03T08:00:00.000Z',
      nextCheckAt: '2026-03-03T08:00:00.000Z',
      approvalId: APPROVAL,
    });
  });

  test('closed on Friday evening: waits over the weekend when the timeout allows it', async () => {
    const friday = (4 * 24 + 8) * 60; // Friday 6 March, 18:00Z = 19:00 in Berlin
    const evaluation = await evaluateAt(friday, { ...windowOnly, timeoutSeconds: 7 * 86400 });
    expect(evaluation).toMatchObject({ decision: 'WAIT', nextCheckAt: '2026-03-09T08:00:00.000Z' });
  });

  test('closed, and the next window opens after the timeout: leaves it to a person', async () => {
    expect(await evaluateAt(7 * 60, { ...windowOnly, timeoutSeconds: 12 * 3600 })).toMatchObject({
      decision: 'LEAVE_TO_PERSON',
      summary: 'Left to a person. window: closed, and opens only after the gate\'s timeout (2026-03-02T22:00:00.000Z)',
    });
  });

  test('closed with outsideWindow LEAVE_TO_PERSON: leaves it to a person', async () => {
    expect(await evaluateAt(7 * 60, { ...windowOnly, outsideWindow: 'LEAVE_TO_PERSON' })).toMatchObject({
      decision: 'LEAVE_TO_PERSON',
      summary: 'Left to a person. window: closed',
    });
  });

  test('the bake time ends outside the window: waits for the window, then approves', async () => {
    const gate = { windows: [{ ...BERLIN_OFFICE, endMinute: 11 * 60 + 15 }] }; // closes at 11:15 in Berlin (10:15Z)
    expect(await evaluateAt(31, gate)).toMatchObject({ decision: 'WAIT', nextCheckAt: '2026-03-03T08:00:00.000Z' });
    expect((await evaluateAt(22 * 60, gate)).decision).toBe('APPROVE'); // Tuesday 08:00Z = 09:00 in Berlin
  });

  test('during the bake time inside a window: waits for the earlier of the two (the next alarm check)', async () => {
    expect((await evaluateAt(5, { windows: [BERLIN_OFFICE] })).nextCheckAt).toBe(at(6).toISOString());
  });
});

describe('the decider', () => {
  const deciderOnly = { alarmNames: [], bakeTimeSeconds: 0, deciderArn: DECIDER, checkIntervalSeconds: 300 };

  test('is invoked with the pipeline, stage, action, execution and start time; APPROVE approves', async () => {
    deciderAnswers({ decision: 'APPROVE', reason: 'change ticket CHG-42 approved' });
    expect(await evaluateAt(0, deciderOnly)).toMatchObject({
      decision: 'APPROVE',
      summary: 'Approved by the approval gate. decider: approves (change ticket CHG-42 approved)',
    });
    const [call] = lambdaMock.commandCalls(InvokeCommand);
    expect(call.args[0].input.FunctionName).toBe(DECIDER);
    expect(JSON.parse(new TextDecoder().decode(call.args[0].input.Payload as Uint8Array))).toEqual({
      pipelineName: 'release', stageName: 'Prod', actionName: 'Approve', pipelineExecutionId: EXECUTION, startedAt: STARTED,
    });
  });

  test('REJECT rejects', async () => {
    deciderAnswers({ decision: 'REJECT', reason: 'release freeze' });
    expect(await evaluateAt(0, deciderOnly)).toMatchObject({ decision: 'REJECT', summary: 'Rejected by the approval gate. decider: rejects (release freeze)' });
  });

  test('WAIT asks again after the check interval', async () => {
    deciderAnswers({ decision: 'WAIT' });
    expect(await evaluateAt(0, deciderOnly)).toEqual({
      decision: 'WAIT',
      summary: `Waiting until ${at(5).toISOString()}. decider: waits (no reason given)`,
      nextCheckAt: at(5).toISOString(),
      approvalId: APPROVAL,
    });
  });

  test('a decider that throws leaves it to a person, with its error', async () => {
    deciderAnswers({ errorType: 'Error', errorMessage: 'ticket system down' }, 'Unhandled');
    expect(await evaluateAt(0, deciderOnly)).toMatchObject({ decision: 'LEAVE_TO_PERSON', summary: 'Left to a person. decider: failed (ticket system down)' });
  });

  test('a decider that cannot be invoked leaves it to a person', async () => {
    lambdaMock.on(InvokeCommand).rejects(awsError('AccessDeniedException', 'not authorized to perform lambda:InvokeFunction'));
    expect(await evaluateAt(0, deciderOnly)).toMatchObject({
      decision: 'LEAVE_TO_PERSON',
      summary: 'Left to a person. decider: could not be asked (not authorized to perform lambda:InvokeFunction)',
    });
  });

  test.each([
    [{ decision: 'approve' }, 'answered "approve", not APPROVE, REJECT or WAIT'],
    [{ reason: 'forgot the decision' }, 'answered null, not APPROVE, REJECT or WAIT'],
    ['null', 'answered null, not APPROVE, REJECT or WAIT'],
    ['not json', 'could not be asked (Unexpected token \'o\', "not json" is not valid JSON)'],
  ])('an answer like %j leaves it to a person', async (answer, text) => {
    deciderAnswers(answer);
    expect(await evaluateAt(0, deciderOnly)).toMatchObject({ decision: 'LEAVE_TO_PERSON', summary: `Left to a person. decider: ${text}` });
  });

  test('is not asked once another rule rejected', async () => {
    cloudwatchMock.on(DescribeAlarmsCommand).resolves(alarms({ errors: 'ALARM', latency: 'OK' }));
    expect(await evaluateAt(5, { deciderArn: DECIDER })).toMatchObject({
      decision: 'REJECT',
      summary: 'Rejected by the approval gate. alarms: errors in ALARM; decider: not asked',
    });
    expect(lambdaMock).not.toHaveReceivedCommand(InvokeCommand);
  });

  test('all rules must pass: the decider approves but the bake time runs, so it waits', async () => {
    deciderAnswers({ decision: 'APPROVE', reason: 'ok' });
    expect(await evaluateAt(5, { deciderArn: DECIDER })).toMatchObject({
      decision: 'WAIT',
      summary: `Waiting until ${at(6).toISOString()}. alarms: 2 OK, baking until ${at(30).toISOString()}; decider: approves (ok)`,
    });
  });

  test('a long reason is cut so that the summary fits the API\'s 512 characters', async () => {
    deciderAnswers({ decision: 'REJECT', reason: 'x'.repeat(2000) });
    const evaluation = await evaluateAt(0, deciderOnly);
    expect(evaluation.summary).toHaveLength(MAX_SUMMARY);
    expect(evaluation.summary.endsWith('x…')).toBe(true);
  });
});

describe('only this execution\'s approval is decided', () => {
  test('the stage runs a newer execution: the evaluation stops without reading any rule', async () => {
    pipelineMock.on(GetPipelineStateCommand).resolves(pipelineState(NEWER));
    expect(await evaluateAt(31)).toEqual({
      decision: 'SUPERSEDED',
      summary: `Not decided: stage 'Prod' now runs execution ${NEWER}, not ${EXECUTION}.`,
      nextCheckAt: at(31).toISOString(),
      approvalId: '',
    });
    expect(cloudwatchMock).not.toHaveReceivedCommand(DescribeAlarmsCommand);
    expectValidSdkInputs(pipelineMock, CODEPIPELINE_API);
  });

  test('right after the approval started, a pipeline state that still shows the previous run is read again 15 s later', async () => {
    pipelineMock.on(GetPipelineStateCommand).resolves(pipelineState(NEWER));
    expect(await evaluateAt(1)).toEqual({
      decision: 'WAIT',
      summary: `Waiting for the pipeline state to show the approval: stage 'Prod' now runs execution ${NEWER}, not ${EXECUTION}.`,
      nextCheckAt: new Date(at(1).getTime() + 15_000).toISOString(),
      approvalId: '',
    });
    expect(cloudwatchMock).not.toHaveReceivedCommand(DescribeAlarmsCommand);
    expect((await evaluateAt(2)).decision).toBe('SUPERSEDED');
  });

  test('a person decided while the gate waited: the approval is no longer in progress', async () => {
    pipelineMock.on(GetPipelineStateCommand).resolves(pipelineState(EXECUTION, 'Succeeded'));
    expect(await evaluateAt(31)).toMatchObject({ decision: 'SUPERSEDED', summary: `Not decided: the approval of execution ${EXECUTION} is Succeeded.` });
  });

  test('the stage has moved on between the evaluation and the decision: nothing is put', async () => {
    pipelineMock.on(GetPipelineStateCommand).resolves(pipelineState(NEWER));
    const decided = await decide(clients.codepipeline, decideRequest('APPROVE'));
    expect(decided).toEqual({ outcome: 'SUPERSEDED', detail: `stage 'Prod' now runs execution ${NEWER}, not ${EXECUTION}` });
    expect(pipelineMock).not.toHaveReceivedCommand(PutApprovalResultCommand);
    expectValidSdkInputs(pipelineMock, CODEPIPELINE_API);
  });

  test('the approval has no token (it has not started yet): nothing is put', async () => {
    pipelineMock.on(GetPipelineStateCommand).resolves(pipelineState(EXECUTION, 'InProgress', null));
    expect((await decide(clients.codepipeline, decideRequest('APPROVE'))).outcome).toBe('SUPERSEDED');
    expect(pipelineMock).not.toHaveReceivedCommand(PutApprovalResultCommand);
  });

  test('the stage or action is not in the pipeline: fails with the names to fix', async () => {
    await expect(evaluateAt(31, { actionName: 'Aprove' })).rejects.toThrow(
      'pipeline \'release\' has no action \'Aprove\' in stage \'Prod\': give the ApprovalGate the stage and action names of the ManualApprovalAction');
  });
});

describe('each run decides the approval it started for', () => {
  const RETRY = '33333333-4444-4555-8666-777777777777';
  const RETRY_TOKEN = '44444444-5555-4666-8777-888888888888';

  test('the first look pins the approval (its action execution id), which every later step passes back', async () => {
    expect((await evaluateAt(5)).approvalId).toBe(APPROVAL);
    expect((await evaluateAt(6, {}, APPROVAL)).approvalId).toBe(APPROVAL);
  });

  test('a person rejected and retried the stage: the old run stops without deciding the new approval', async () => {
    pipelineMock.on(GetPipelineStateCommand).resolves(pipelineState(EXECUTION, 'InProgress', RETRY_TOKEN, RETRY));
    pipelineMock.on(PutApprovalResultCommand).resolves({});
    expect(await evaluateAt(31, {}, APPROVAL)).toEqual({
      decision: 'SUPERSEDED',
      summary: `Not decided: the approval ${APPROVAL} has ended, and stage 'Prod' now waits on approval ${RETRY} (a retry), which a run of its own decides.`,
      nextCheckAt: at(31).toISOString(),
      approvalId: APPROVAL,
    });
    expect(cloudwatchMock).not.toHaveReceivedCommand(DescribeAlarmsCommand);
    expect(await decide(clients.codepipeline, decideRequest('APPROVE'))).toEqual({
      outcome: 'SUPERSEDED',
      detail: `the approval ${APPROVAL} has ended, and stage 'Prod' now waits on approval ${RETRY} (a retry), which a run of its own decides`,
    });
    expect(pipelineMock).not.toHaveReceivedCommand(PutApprovalResultCommand);
  });

  test('the retried approval\'s own run bakes on its own clock and decides with its own token', async () => {
    pipelineMock.on(GetPipelineStateCommand).resolves(pipelineState(EXECUTION, 'InProgress', RETRY_TOKEN, RETRY));
    pipelineMock.on(PutApprovalResultCommand).resolves({});
    // The retry's STARTED event (at minute 40) starts a run of its own.
    const retried = (minutes: number, approvalId: string) =>
      handleGate(clients, { ...request({}, approvalId), startedAt: at(40).toISOString() }, at(minutes)) as Promise<Evaluation>;
    expect(await retried(41, '')).toMatchObject({ decision: 'WAIT', approvalId: RETRY, summary: expect.stringContaining(`baking until ${at(70).toISOString()}`) });
    expect(await retried(71, RETRY)).toMatchObject({ decision: 'APPROVE', approvalId: RETRY });
    await decide(clients.codepipeline, { ...decideRequest('APPROVE'), approvalId: RETRY });
    expect(pipelineMock).toHaveReceivedCommandWith(PutApprovalResultCommand, { token: RETRY_TOKEN, result: expect.objectContaining({ status: 'Approved' }) });
  });

  test('an approval without an action execution id is keyed on a digest of its token, never the token', async () => {
    pipelineMock.on(GetPipelineStateCommand).resolves(pipelineState(EXECUTION, 'InProgress', TOKEN, null));
    const { approvalId } = await evaluateAt(5);
    expect(approvalId).toMatch(/^token-[0-9a-f]{16}$/);
    expect(approvalId).not.toContain(TOKEN);
    pipelineMock.on(GetPipelineStateCommand).resolves(pipelineState(EXECUTION, 'InProgress', RETRY_TOKEN, null));
    expect((await evaluateAt(6, {}, approvalId)).decision).toBe('SUPERSEDED');
  });

  test('a pinned approval that a person decided is not waited for', async () => {
    pipelineMock.on(GetPipelineStateCommand).resolves(pipelineState(EXECUTION, 'Failed'));
    expect(await evaluateAt(1, {}, APPROVAL)).toMatchObject({ decision: 'SUPERSEDED', summary: `Not decided: the approval of execution ${EXECUTION} is Failed.` });
  });
});

function decideRequest(decision: 'APPROVE' | 'REJECT', summary = 'Rejected by the approval gate. alarms: errors in ALARM'): DecideRequest {
  return { step: 'decide', gate: GATE, pipelineExecutionId: EXECUTION, approvalId: APPROVAL, decision, summary };
}

describe('recording the decision', () => {
  test('rejects with the summary', async () => {
    pipelineMock.on(PutApprovalResultCommand).resolves({});
    expect(await decide(clients.codepipeline, decideRequest('REJECT'))).toEqual({ outcome: 'DECIDED', detail: 'REJECT' });
    expect(pipelineMock).toHaveReceivedCommandWith(PutApprovalResultCommand, {
      token: TOKEN,
      result: { status: 'Rejected', summary: 'Rejected by the approval gate. alarms: errors in ALARM' },
    });
    expectValidSdkInputs(pipelineMock, CODEPIPELINE_API);
  });

  test('a person decided first (ApprovalAlreadyCompleted): success, nothing more to do', async () => {
    pipelineMock.on(PutApprovalResultCommand).rejects(awsError('ApprovalAlreadyCompletedException'));
    expect(await decide(clients.codepipeline, decideRequest('APPROVE'))).toEqual({ outcome: 'ALREADY_DECIDED', detail: 'a person decided first' });
    expectValidSdkInputs(pipelineMock, CODEPIPELINE_API);
  });

  test('the token is no longer valid (InvalidApprovalToken): stops without deciding', async () => {
    pipelineMock.on(PutApprovalResultCommand).rejects(awsError('InvalidApprovalTokenException'));
    expect(await decide(clients.codepipeline, decideRequest('APPROVE'))).toEqual({ outcome: 'SUPERSEDED', detail: 'the approval token is no longer valid' });
  });

  test('any other error fails the step', async () => {
    pipelineMock.on(PutApprovalResultCommand).rejects(awsError('ActionNotFoundException', 'action not found'));
    await expect(decide(clients.codepipeline, decideRequest('APPROVE'))).rejects.toThrow('action not found');
  });

  test('a summary longer than 512 characters is cut before it is put', async () => {
    pipelineMock.on(PutApprovalResultCommand).resolves({});
    await decide(clients.codepipeline, decideRequest('REJECT', 'y'.repeat(600)));
    expectValidSdkInputs(pipelineMock, CODEPIPELINE_API);
    expect(pipelineMock.commandCalls(PutApprovalResultCommand)[0].args[0].input.result?.summary).toHaveLength(512);
  });
});

describe('timeout and edge cases', () => {
  test('once the timeout has passed, the decision is left to a person', async () => {
    expect(await evaluateAt(24 * 60)).toMatchObject({
      decision: 'LEAVE_TO_PERSON',
      summary: 'Left to a person: no decision within 24 h of the approval\'s start.',
    });
    expect(cloudwatchMock).not.toHaveReceivedCommand(DescribeAlarmsCommand);
  });

  test('a wait never goes past the timeout', async () => {
    deciderAnswers({ decision: 'WAIT', reason: 'later' });
    const gate = { alarmNames: [], bakeTimeSeconds: 0, deciderArn: DECIDER, timeoutSeconds: 600, checkIntervalSeconds: 300 };
    const evaluation = await evaluateAt(9, gate);
    expect(evaluation).toMatchObject({ decision: 'WAIT', nextCheckAt: at(10).toISOString() });
  });

  test('a gate without rules never approves', async () => {
    expect(await evaluateAt(0, { alarmNames: [], bakeTimeSeconds: 0 })).toMatchObject({
      decision: 'LEAVE_TO_PERSON', summary: 'Left to a person: the gate has no rules.',
    });
  });

  test('refuses a start time that is not one, and an unknown step', async () => {
    await expect(handleGate(clients, { ...request(), startedAt: 'yesterday' })).rejects.toThrow('startedAt is not a time: "yesterday"');
    await expect(handleGate(clients, { step: 'sleep' } as any)).rejects.toThrow('unknown step "sleep": expected \'evaluate\' or \'decide\'');
  });

  test('truncate leaves a short summary alone and marks a cut', () => {
    expect(truncate('short')).toBe('short');
    expect(truncate('z'.repeat(513))).toBe(`${'z'.repeat(511)}…`);
  });
});

describe('the Lambda entry', () => {
  test('runs a step with its own clients and logs the step, the execution and the outcome', async () => {
    pipelineMock.on(GetPipelineStateCommand).resolves(pipelineState(NEWER));
    const outcome = await handler({ ...decideRequest('APPROVE') });
    expect(outcome).toEqual({ outcome: 'SUPERSEDED', detail: `stage 'Prod' now runs execution ${NEWER}, not ${EXECUTION}` });
    expect(console.log).toHaveBeenCalledWith(JSON.stringify({ step: 'decide', pipelineExecutionId: EXECUTION, approvalId: APPROVAL, outcome }));
    expectValidSdkInputs(pipelineMock, CODEPIPELINE_API);
  });
});
