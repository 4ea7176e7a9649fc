import { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import { FREEZE_WINDOW_FAMILY, FreezeWindowProperties, TRANSITION_TYPES, TransitionType } from './contract';
import { hold, HoldOptions, HolderEventOptions, ownerId, release, releaseAbandonedHold, Transition, transitionText } from './freeze-owners';
import { isWindowOpen, ScheduleSpec } from '../schedules';
import { transitionOf } from './transition-freeze';
import { ActionableError, logEvent, messageOf } from '../../../core/runtime/handler';
import type { OnEventRequest, OnEventResponse } from '../../../core/runtime/types';

/** A freeze window: the transition, who holds it while the window is open (the window's custom resource), why, and when. */
export interface FreezeWindow {
  readonly owner: string;
  readonly transition: Transition;
  readonly reason: string;
  readonly start: ScheduleSpec;
  readonly end: ScheduleSpec;
}

/**
 * What each of a window's schedules sends the window function: the window itself, so that any firing (the start, the
 * end, or the catch-up after a skipped time) applies the state the window has at that moment.
 */
export interface WindowFiring {
  readonly owner: string;
  readonly pipelineName: string;
  readonly pipelineArn: string;
  readonly stageName: string;
  readonly transitionType: string;
  readonly reason: string;
  readonly start: string;
  readonly startTimeZone?: string;
  readonly end: string;
  readonly endTimeZone?: string;
}

/** The window a schedule's input describes; fails on an input no window of this library sends. */
export function windowOfFiring(input: WindowFiring): FreezeWindow {
  const missing = (['owner', 'pipelineName', 'pipelineArn', 'stageName', 'reason', 'start', 'end'] as const).filter(k => typeof input?.[k] !== 'string');
  if (missing.length > 0 || !(TRANSITION_TYPES as readonly string[]).includes(input.transitionType)) {
    throw new Error(`internal error: a freeze window's schedule sent ${JSON.stringify(input)} (missing ${missing.join(', ') || 'a transition type'}); `
      + 'redeploy the stack with this release of cdk-devtools');
  }
  return {
    owner: input.owner,
    transition: {
      pipelineName: input.pipelineName,
      pipelineArn: input.pipelineArn,
      stageName: input.stageName,
      transitionType: input.transitionType as TransitionType,
    },
    reason: input.reason,
    start: { expression: input.start, timeZone: input.startTimeZone },
    end: { expression: input.end, timeZone: input.endTimeZone },
  };
}

/**
 * Applies the state the window has at `now`: open, the window holds the transition (see `freeze-owners.ts`); closed,
 * it releases it. Idempotent, so a schedule that fires twice, late, or for a time the clocks skipped does no harm.
 */
export async function reconcileWindow(client: CodePipelineClient, window: FreezeWindow, now: number, options: HoldOptions = {}): Promise<boolean> {
  const open = isWindowOpen(window.start, window.end, now);
  console.log(`the window is ${open ? 'open' : 'closed'} at ${new Date(now).toISOString()}: ${open ? 'holding' : 'releasing'} ${transitionText(window.transition)}`);
  if (open) await hold(client, window.transition, { id: window.owner, reason: window.reason }, options);
  else await release(client, window.transition, window.owner, options);
  return open;
}

function sameWindow(a: FreezeWindowProperties, b: FreezeWindowProperties): boolean {
  const keys: Array<keyof FreezeWindowProperties> = ['PipelineName', 'StageName', 'TransitionType', 'Reason', 'Start', 'StartTimeZone', 'End', 'EndTimeZone'];
  return keys.every(k => a[k] === b[k]);
}

/** The physical id of a window's resource: the transition it holds while open. */
export function windowPhysicalId(window: FreezeWindow): string {
  const t = window.transition;
  return `window/${t.pipelineName}/${t.stageName}/${t.transitionType}`;
}

/** The window a custom resource's properties describe, held as that resource. */
function windowOf(props: FreezeWindowProperties, event: OnEventRequest): FreezeWindow {
  return {
    owner: ownerId(event.StackId, event.LogicalResourceId),
    transition: transitionOf(props, event.StackId),
    reason: props.Reason,
    start: { expression: props.Start, timeZone: props.StartTimeZone },
    end: { expression: props.End, timeZone: props.EndTimeZone },
  };
}

/**
 * The custom resource of a `StageTransitionFreezeWindow`, the owner its schedules hold the transition as. Create and
 * Update apply the window's state at once (deployed in an open window, it holds the transition now; another
 * transition is a new physical id, whose clean-up Delete releases the old one); Delete releases it, so a window
 * removed while open gives the transition back. As for a freeze, an Update of the id CloudFormation holds whose
 * pipeline or stage is gone holds nothing and succeeds, and an Update back to that id from another transition (the
 * rollback of a cancelled Update) releases the other transition.
 */
export async function onFreezeWindowEvent(
  client: CodePipelineClient, event: OnEventRequest, options: HolderEventOptions = {},
): Promise<OnEventResponse> {
  logEvent('codepipeline freeze window', event);
  const props = FREEZE_WINDOW_FAMILY.parse(event.ResourceProperties);
  const window = windowOf(props, event);
  if (event.RequestType === 'Delete') {
    await release(client, window.transition, window.owner, options);
    return { PhysicalResourceId: event.PhysicalResourceId };
  }
  if (event.RequestType === 'Update' && event.PhysicalResourceId === windowPhysicalId(window) && event.OldResourceProperties
    && sameWindow(FREEZE_WINDOW_FAMILY.parse(event.OldResourceProperties), props)) {
    // Only the kit role (a new release's statements) changed: the schedules keep applying the window.
    console.log(`nothing of the window changed: ${transitionText(window.transition)} stays as it is`);
    return { PhysicalResourceId: event.PhysicalResourceId };
  }
  const physicalId = windowPhysicalId(window);
  try {
    await reconcileWindow(client, window, Date.now(), { ...options, alreadyHeld: event.RequestType === 'Update' && event.PhysicalResourceId === physicalId });
  } catch (err) {
    if (err instanceof ActionableError) throw err;
    throw new ActionableError('Applying a freeze window', transitionText(window.transition), err instanceof Error ? err.message : messageOf(err),
      'The window\'s start or end is not a schedule this release can read; check them, then redeploy');
  }
  const old = event.RequestType === 'Update' && event.OldResourceProperties ? windowOf(FREEZE_WINDOW_FAMILY.parse(event.OldResourceProperties), event) : undefined;
  await releaseAbandonedHold(client, event, { physicalId, transition: window.transition },
    old && { physicalId: windowPhysicalId(old), transition: old.transition }, options);
  return { PhysicalResourceId: physicalId };
}
