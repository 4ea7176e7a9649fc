import { createHash } from 'crypto';
import {
  AlarmHistoryItem, CloudWatchClient, DescribeAlarmHistoryCommand, DescribeAlarmHistoryCommandOutput, DescribeAlarmsCommand,
  DescribeAlarmsCommandOutput,
} from '@aws-sdk/client-cloudwatch';
import { CodePipelineClient, GetPipelineStateCommand, PutApprovalResultCommand } from '@aws-sdk/client-codepipeline';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { errorName } from '../../../core/runtime/handler';
import { isOpen, nextOpening, WindowSpec } from '../windows';

/**
 * What a gate was configured with. The evaluator and the state machine serve every gate of a stack: the gate's rule
 * starts the state machine with it (`GateExecutionInput`), which passes it to every step.
 */
export interface GateConfig {
  readonly pipelineName: string;
  readonly stageName: string;
  readonly actionName: string;
  /** Names of the alarms that must stay OK (empty: no alarm rule). */
  readonly alarmNames: string[];
  /** How long after the approval started the alarms must have stayed OK. */
  readonly bakeTimeSeconds: number;
  /** The deployment windows (empty: no window rule). */
  readonly windows: WindowSpec[];
  /** What happens outside every window. */
  readonly outsideWindow: 'WAIT' | 'LEAVE_TO_PERSON';
  /** The ARN of the user's decider function (empty: no decider rule). */
  readonly deciderArn?: string;
  /** How long after the approval started the gate gives up and leaves the decision to a person. */
  readonly timeoutSeconds: number;
  /** How often alarms are checked during the bake time, and when a decider that answered WAIT is asked again. */
  readonly checkIntervalSeconds: number;
}

/** What a gate's EventBridge rule starts the shared state machine with, when its approval starts. */
export interface GateExecutionInput {
  readonly gate: GateConfig;
  /** The pipeline execution whose approval started (the event's `execution-id`). */
  readonly pipelineExecutionId: string;
  /** When the approval started (the event's `time`, ISO 8601). */
  readonly startedAt: string;
}

/** A step of the gate's state machine. */
export interface EvaluateRequest {
  readonly step: 'evaluate';
  readonly gate: GateConfig;
  /** The pipeline execution whose approval started (the event's `execution-id`). */
  readonly pipelineExecutionId: string;
  /** When the approval started (the event's `time`, ISO 8601). */
  readonly startedAt: string;
  /**
   * The approval this run decides, pinned at its first look at an approval in progress (see `approvalIdOf`); empty
   * until then. A retried stage runs a new approval, which its own run decides.
   */
  readonly approvalId?: string;
}

/** The step that records an approval or a rejection. */
export interface DecideRequest {
  readonly step: 'decide';
  readonly gate: GateConfig;
  readonly pipelineExecutionId: string;
  /** The approval the evaluation pinned: only its token is used. */
  readonly approvalId: string;
  readonly decision: 'APPROVE' | 'REJECT';
  readonly summary: string;
}

export type GateRequest = EvaluateRequest | DecideRequest;

/** The outcome of one evaluation, on which the state machine's Choice branches. */
export interface Evaluation {
  /** SUPERSEDED: a newer execution (or a person) has moved on; nothing is decided. */
  readonly decision: 'APPROVE' | 'REJECT' | 'WAIT' | 'LEAVE_TO_PERSON' | 'SUPERSEDED';
  /** Each rule's outcome, at most 512 characters (the ApprovalResult summary limit). */
  readonly summary: string;
  /** When to evaluate again (ISO 8601): the Wait state's timestamp; `now` unless the decision is WAIT. */
  readonly nextCheckAt: string;
  /** The approval this run decides (empty until the pipeline state shows it), passed back to the next step. */
  readonly approvalId: string;
}

/** The outcome of the decide step. */
export interface DecideResult {
  /** ALREADY_DECIDED: a person approved or rejected first, which is fine. */
  readonly outcome: 'DECIDED' | 'SUPERSEDED' | 'ALREADY_DECIDED';
  readonly detail: string;
}

/** The SDK clients the gate uses. */
export interface GateClients {
  readonly codepipeline: CodePipelineClient;
  readonly cloudwatch: CloudWatchClient;
  readonly lambda: LambdaClient;
}

/** The ApprovalResult summary limit of the CodePipeline API. */
export const MAX_SUMMARY = 512;
/** How long after the approval's start the pipeline state may still lag behind the event. */
export const STATE_GRACE_SECONDS = 120;
/** How soon to read a lagging pipeline state again. */
const STATE_RECHECK_SECONDS = 15;
/** DescribeAlarms takes up to 100 names per call. */
const ALARM_NAMES_PER_CALL = 100;
/** DescribeAlarmHistory returns up to 100 items per call. */
const HISTORY_ITEMS_PER_CALL = 100;
/** How long after a state change its StateUpdate may still be missing from the alarm's history. */
const HISTORY_GRACE_SECONDS = 120;

type Verdict = 'PASS' | 'REJECT' | 'WAIT' | 'LEAVE';
interface RuleOutcome {
  readonly rule: string;
  readonly verdict: Verdict;
  readonly text: string;
  readonly nextCheck?: Date;
}

/** Routes a state machine step. */
export async function handleGate(clients: GateClients, request: GateRequest, now: Date = new Date()): Promise<Evaluation | DecideResult> {
  if (request.step === 'evaluate') return evaluate(clients, request, now);
  if (request.step === 'decide') return decide(clients.codepipeline, request);
  throw new Error(`unknown step ${JSON.stringify((request as { step?: unknown }).step)}: expected 'evaluate' or 'decide'`);
}

/**
 * The approval token of the pipeline execution, or why there is none to use: the stage now runs another
 * execution, the approval is no longer waiting, or it is another approval than the pinned one (a person rejected and
 * retried the stage). The execution id is on the stage's latest execution (the action's carries none), so both must
 * agree before the action's token is used.
 */
export async function currentToken(
  codepipeline: CodePipelineClient, gate: GateConfig, pipelineExecutionId: string, pinned?: string,
): Promise<{ token?: string; approvalId?: string; reason: string }> {
  const state = await codepipeline.send(new GetPipelineStateCommand({ name: gate.pipelineName }));
  const stage = state.stageStates?.find(s => s.stageName === gate.stageName);
  const action = stage?.actionStates?.find(a => a.actionName === gate.actionName);
  if (!stage || !action) {
    throw new Error(`pipeline '${gate.pipelineName}' has no action '${gate.actionName}' in stage '${gate.stageName}': `
      + 'give the ApprovalGate the stage and action names of the ManualApprovalAction');
  }
  const stageExecution = stage.latestExecution;
  if (stageExecution?.pipelineExecutionId !== pipelineExecutionId) {
    return { reason: `stage '${gate.stageName}' now runs execution ${stageExecution?.pipelineExecutionId ?? '(none)'}, not ${pipelineExecutionId}` };
  }
  const execution = action.latestExecution;
  if (execution?.status !== 'InProgress' || !execution.token) {
    return { reason: `the approval of execution ${pipelineExecutionId} is ${execution?.status ?? 'not running'}` };
  }
  const approvalId = approvalIdOf(execution.actionExecutionId, execution.token);
  if (pinned && approvalId !== pinned) {
    return { reason: `the approval ${pinned} has ended, and stage '${gate.stageName}' now waits on approval ${approvalId} (a retry), which a run of its own decides` };
  }
  return { token: execution.token, approvalId, reason: 'waiting' };
}

/**
 * What identifies one approval: its action execution id, which a retried stage renews (as it does the token). Without
 * one, a digest of the token, which is secret-free (the token itself may approve, so it never reaches a log).
 */
export function approvalIdOf(actionExecutionId: string | undefined, token: string): string {
  return actionExecutionId || `token-${createHash('sha256').update(token).digest('hex').slice(0, 16)}`;
}

/** One pass over the rules: approve, reject, wait until a time, or leave the decision to a person. */
export async function evaluate(clients: GateClients, request: EvaluateRequest, now: Date): Promise<Evaluation> {
  const { gate } = request;
  const started = new Date(request.startedAt);
  if (Number.isNaN(started.getTime())) throw new Error(`startedAt is not a time: ${JSON.stringify(request.startedAt)}`);
  const deadline = new Date(started.getTime() + gate.timeoutSeconds * 1000);

  const pinned = request.approvalId || undefined;
  const current = await currentToken(clients.codepipeline, gate, request.pipelineExecutionId, pinned);
  const result = (decision: Evaluation['decision'], summary: string, next: Date): Evaluation =>
    ({ decision, summary: truncate(summary), nextCheckAt: next.toISOString(), approvalId: current.approvalId ?? pinned ?? '' });
  if (!current.token) {
    // GetPipelineState is eventually consistent: right after the event it may still show the stage's previous run
    // (until the run has seen its approval once).
    if (!pinned && now.getTime() - started.getTime() < STATE_GRACE_SECONDS * 1000) {
      const next = new Date(now.getTime() + STATE_RECHECK_SECONDS * 1000);
      return result('WAIT', `Waiting for the pipeline state to show the approval: ${current.reason}.`, next);
    }
    return result('SUPERSEDED', `Not decided: ${current.reason}.`, now);
  }
  if (now.getTime() >= deadline.getTime()) {
    return result('LEAVE_TO_PERSON', `Left to a person: no decision within ${formatSeconds(gate.timeoutSeconds)} of the approval's start.`, now);
  }

  const outcomes: RuleOutcome[] = [];
  if (gate.alarmNames.length > 0) outcomes.push(await alarmRule(clients.cloudwatch, gate, started, now));
  if (gate.windows.length > 0) outcomes.push(windowRule(gate, now, deadline));
  if (gate.deciderArn) {
    outcomes.push(outcomes.some(o => o.verdict === 'REJECT' || o.verdict === 'LEAVE')
      ? { rule: 'decider', verdict: 'PASS', text: 'not asked' }
      : await deciderRule(clients.lambda, gate.deciderArn, request, now));
  }
  if (outcomes.length === 0) return result('LEAVE_TO_PERSON', 'Left to a person: the gate has no rules.', now);

  const details = outcomes.map(o => `${o.rule}: ${o.text}`).join('; ');
  if (outcomes.some(o => o.verdict === 'REJECT')) return result('REJECT', `Rejected by the approval gate. ${details}`, now);
  if (outcomes.some(o => o.verdict === 'LEAVE')) return result('LEAVE_TO_PERSON', `Left to a person. ${details}`, now);
  const waits = outcomes.filter(o => o.verdict === 'WAIT').map(o => o.nextCheck!.getTime());
  if (waits.length > 0) {
    const next = new Date(Math.min(Math.min(...waits), deadline.getTime()));
    return result('WAIT', `Waiting until ${next.toISOString()}. ${details}`, next);
  }
  return result('APPROVE', `Approved by the approval gate. ${details}`, now);
}

/**
 * The alarms must stay OK from the approval's start: one in ALARM at any moment since then rejects, also between two
 * checks, which the alarm's history shows (its StateUpdate items since the start, with the state before each).
 */
async function alarmRule(cloudwatch: CloudWatchClient, gate: GateConfig, started: Date, now: Date): Promise<RuleOutcome> {
  const states = await alarmStates(cloudwatch, gate.alarmNames);
  const inAlarm = gate.alarmNames.filter(n => states.get(n)?.state === 'ALARM');
  if (inAlarm.length > 0) return { rule: 'alarms', verdict: 'REJECT', text: `${list(inAlarm)} in ALARM` };
  const missing = gate.alarmNames.filter(n => !states.has(n));
  if (missing.length > 0) return { rule: 'alarms', verdict: 'LEAVE', text: `${list(missing)} not found` };

  const flipped: string[] = [];
  const unreadable: string[] = [];
  const lagging: string[] = [];
  for (const name of gate.alarmNames) {
    const { state, changedAt } = states.get(name)!;
    // An alarm whose state last changed before the approval started has no state update since: nothing to read.
    if (changedAt && changedAt.getTime() < started.getTime()) continue;
    const history = await stateHistory(cloudwatch, name, started, now);
    if (history.alarm) {
      flipped.push(`${name} in ALARM ${history.alarm.to === 'ALARM' ? 'from' : 'until'} ${history.alarm.at.toISOString()}`);
    } else if (history.unreadable) {
      unreadable.push(name);
    } else if (changedAt && history.latest?.to !== state && now.getTime() - changedAt.getTime() < HISTORY_GRACE_SECONDS * 1000) {
      // The history may lag behind the state for a moment: read it again before judging by it.
      lagging.push(`${name} does not show its change to ${state} at ${changedAt.toISOString()}`);
    }
  }
  if (flipped.length > 0) return { rule: 'alarms', verdict: 'REJECT', text: list(flipped) };
  if (unreadable.length > 0) return { rule: 'alarms', verdict: 'LEAVE', text: `the history of ${list(unreadable)} has a state update the gate cannot read` };
  const nextCheck = new Date(now.getTime() + gate.checkIntervalSeconds * 1000);
  if (lagging.length > 0) return { rule: 'alarms', verdict: 'WAIT', text: `the history of ${list(lagging)} yet`, nextCheck };

  const bakeEnd = new Date(started.getTime() + gate.bakeTimeSeconds * 1000);
  const notOk = gate.alarmNames.filter(n => states.get(n)!.state !== 'OK');
  if (now.getTime() < bakeEnd.getTime()) {
    const next = new Date(Math.min(bakeEnd.getTime(), nextCheck.getTime()));
    const so = notOk.length > 0 ? `${list(notOk)} not OK yet` : `${gate.alarmNames.length} OK`;
    return { rule: 'alarms', verdict: 'WAIT', text: `${so}, baking until ${bakeEnd.toISOString()}`, nextCheck: next };
  }
  if (notOk.length > 0) return { rule: 'alarms', verdict: 'LEAVE', text: `${list(notOk.map(n => `${n} (${states.get(n)!.state})`))} not OK after the bake time` };
  return { rule: 'alarms', verdict: 'PASS', text: `${gate.alarmNames.length} OK for ${formatSeconds(gate.bakeTimeSeconds)}` };
}

/** Each alarm's current state and when its state last changed (metric and composite alarms, 100 names a call). */
async function alarmStates(cloudwatch: CloudWatchClient, names: string[]): Promise<Map<string, { state: string; changedAt?: Date }>> {
  const states = new Map<string, { state: string; changedAt?: Date }>();
  for (let i = 0; i < names.length; i += ALARM_NAMES_PER_CALL) {
    let nextToken: string | undefined;
    do {
      const page: DescribeAlarmsCommandOutput = await cloudwatch.send(new DescribeAlarmsCommand({
        AlarmNames: names.slice(i, i + ALARM_NAMES_PER_CALL),
        AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
        NextToken: nextToken,
      }));
      for (const alarm of [...page.MetricAlarms ?? [], ...page.CompositeAlarms ?? []]) {
        if (alarm.AlarmName) states.set(alarm.AlarmName, { state: String(alarm.StateValue), changedAt: alarm.StateTransitionedTimestamp });
      }
      nextToken = page.NextToken;
    } while (nextToken);
  }
  return states;
}

interface StateChange {
  readonly from: string;
  readonly to: string;
  readonly at: Date;
}

/**
 * An alarm's state changes from `start` to `end` (newest first): the first that was or became ALARM, the latest
 * change, and whether an item could not be read. Pages are read until an ALARM shows.
 */
async function stateHistory(
  cloudwatch: CloudWatchClient, alarmName: string, start: Date, end: Date,
): Promise<{ alarm?: StateChange; latest?: StateChange; unreadable: boolean }> {
  let latest: StateChange | undefined;
  let unreadable = false;
  let nextToken: string | undefined;
  do {
    const page: DescribeAlarmHistoryCommandOutput = await cloudwatch.send(new DescribeAlarmHistoryCommand({
      AlarmName: alarmName,
      AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
      HistoryItemType: 'StateUpdate',
      StartDate: start,
      EndDate: end,
      ScanBy: 'TimestampDescending',
      MaxRecords: HISTORY_ITEMS_PER_CALL,
      NextToken: nextToken,
    }));
    for (const item of page.AlarmHistoryItems ?? []) {
      const change = stateChange(item);
      if (!change) {
        unreadable = true;
        continue;
      }
      latest ??= change;
      if (change.from === 'ALARM' || change.to === 'ALARM') return { alarm: change, latest, unreadable };
    }
    nextToken = page.NextToken;
  } while (nextToken);
  return { latest, unreadable };
}

/** The states before and after a StateUpdate: from its HistoryData (JSON), else its summary ("... from OK to ALARM"). */
function stateChange(item: AlarmHistoryItem): StateChange | undefined {
  const at = item.Timestamp;
  if (!at) return undefined;
  try {
    const data = JSON.parse(item.HistoryData ?? '');
    const from = data?.oldState?.stateValue;
    const to = data?.newState?.stateValue;
    if (typeof from === 'string' && typeof to === 'string') return { from, to, at };
  } catch { /* not JSON: read the summary */ }
  const match = /from (OK|ALARM|INSUFFICIENT_DATA) to (OK|ALARM|INSUFFICIENT_DATA)\b/.exec(item.HistorySummary ?? '');
  return match ? { from: match[1], to: match[2], at } : undefined;
}

function windowRule(gate: GateConfig, now: Date, deadline: Date): RuleOutcome {
  if (gate.windows.some(w => isOpen(w, now))) return { rule: 'window', verdict: 'PASS', text: 'open' };
  if (gate.outsideWindow === 'LEAVE_TO_PERSON') return { rule: 'window', verdict: 'LEAVE', text: 'closed' };
  const next = nextOpening(gate.windows, now);
  if (!next || next.getTime() >= deadline.getTime()) {
    return { rule: 'window', verdict: 'LEAVE', text: `closed, and opens only after the gate's timeout (${deadline.toISOString()})` };
  }
  return { rule: 'window', verdict: 'WAIT', text: `closed until ${next.toISOString()}`, nextCheck: next };
}

async function deciderRule(lambda: LambdaClient, deciderArn: string, request: EvaluateRequest, now: Date): Promise<RuleOutcome> {
  const { gate } = request;
  const payload = {
    pipelineName: gate.pipelineName,
    stageName: gate.stageName,
    actionName: gate.actionName,
    pipelineExecutionId: request.pipelineExecutionId,
    startedAt: request.startedAt,
  };
  let answer: { decision?: unknown; reason?: unknown };
  try {
    const response = await lambda.send(new InvokeCommand({ FunctionName: deciderArn, Payload: new TextEncoder().encode(JSON.stringify(payload)) }));
    const body = response.Payload ? new TextDecoder().decode(response.Payload) : '';
    if (response.FunctionError) {
      let message = body;
      try { message = String(JSON.parse(body).errorMessage ?? body); } catch { /* not JSON: keep the text */ }
      return { rule: 'decider', verdict: 'LEAVE', text: `failed (${message})` };
    }
    answer = JSON.parse(body);
  } catch (error) {
    return { rule: 'decider', verdict: 'LEAVE', text: `could not be asked (${(error as Error).message})` };
  }
  const reason = typeof answer?.reason === 'string' && answer.reason ? answer.reason : 'no reason given';
  switch (answer?.decision) {
    case 'APPROVE': return { rule: 'decider', verdict: 'PASS', text: `approves (${reason})` };
    case 'REJECT': return { rule: 'decider', verdict: 'REJECT', text: `rejects (${reason})` };
    case 'WAIT': return { rule: 'decider', verdict: 'WAIT', text: `waits (${reason})`, nextCheck: new Date(now.getTime() + gate.checkIntervalSeconds * 1000) };
    default: return { rule: 'decider', verdict: 'LEAVE', text: `answered ${JSON.stringify(answer?.decision ?? null)}, not APPROVE, REJECT or WAIT` };
  }
}

/** Records the decision, with the token of this execution's approval only. */
export async function decide(codepipeline: CodePipelineClient, request: DecideRequest): Promise<DecideResult> {
  const { gate } = request;
  if (!request.approvalId) throw new Error('the decide step needs the approvalId its evaluation pinned');
  const current = await currentToken(codepipeline, gate, request.pipelineExecutionId, request.approvalId);
  if (!current.token) return { outcome: 'SUPERSEDED', detail: current.reason };
  try {
    await codepipeline.send(new PutApprovalResultCommand({
      pipelineName: gate.pipelineName,
      stageName: gate.stageName,
      actionName: gate.actionName,
      token: current.token,
      result: { status: request.decision === 'APPROVE' ? 'Approved' : 'Rejected', summary: truncate(request.summary) },
    }));
  } catch (error) {
    const name = errorName(error);
    if (name === 'ApprovalAlreadyCompletedException') return { outcome: 'ALREADY_DECIDED', detail: 'a person decided first' };
    if (name === 'InvalidApprovalTokenException') return { outcome: 'SUPERSEDED', detail: 'the approval token is no longer valid' };
    throw error;
  }
  return { outcome: 'DECIDED', detail: request.decision };
}

/** Cuts a summary to the API's 512 characters, marking the cut. */
export function truncate(summary: string): string {
  return summary.length <= MAX_SUMMARY ? summary : `${summary.slice(0, MAX_SUMMARY - 1)}…`;
}

function list(names: string[]): string {
  return names.length <= 3 ? names.join(', ') : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`;
}

function formatSeconds(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}
