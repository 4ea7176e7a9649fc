/**
 * Who holds a stage transition disabled, and what it was before: the owner records of the transition freezes
 * (`StageTransitionFreeze`, `StageTransitionFreezeWindow`), kept as tags of the pipeline.
 *
 * A transition can be held by several freezes (of several stacks, or a freeze whose construct moved: the new resource
 * is created before the old one is deleted). It stays disabled until the last of them leaves, and then gets back
 * the state it had before the first: enabled, or disabled with a person's reason. CodePipeline keeps no owner of a
 * transition and shows the state of inbound transitions only (GetPipelineState), so the freezes record themselves:
 * each owner has its own tags on the pipeline, which one TagResource or UntagResource writes whole, and which no
 * other owner writes. The transition's disable reason cannot hold them: an outbound transition's reason cannot be
 * read at all, and a reason is at most 300 characters of a small alphabet.
 *
 * Two owners of one transition may join or leave at the same moment (two stacks deploying). The order of the steps
 * makes sure a transition is never left enabled while an owner holds it: an owner records itself before it disables,
 * and the last one to leave removes its record, restores the state before, and then looks again: an owner that
 * recorded itself in between is applied again (its own disable follows its record in any case). An owner joining
 * reads the state before it looks for the records, so it never takes another freeze's reason for a person's.
 */
import { createHash } from 'crypto';
import {
  CodePipelineClient, DisableStageTransitionCommand, EnableStageTransitionCommand, GetPipelineStateCommand, ListTagsForResourceCommand, Tag,
  TagResourceCommand, UntagResourceCommand,
} from '@aws-sdk/client-codepipeline';
import { OWNER_TAG_PREFIX, TransitionType } from './contract';
import { ActionableError, errorName, isRetryable, messageOf } from '../../../core/runtime/handler';
import type { OnEventRequest } from '../../../core/runtime/types';

/** A stage transition of a pipeline. */
export interface Transition {
  readonly pipelineName: string;
  /** The pipeline's ARN, which its tags are written on. */
  readonly pipelineArn: string;
  readonly stageName: string;
  readonly transitionType: TransitionType;
}

/** What a transition was before the first freeze held it. An outbound transition's state cannot be read: `unknown`. */
export type Before = { readonly state: 'enabled' } | { readonly state: 'disabled'; readonly reason: string } | { readonly state: 'unknown' };

/** The reason CodePipeline shows when a restored transition had none. */
const NO_REASON = 'Disabled';
/** AWS's tag values are at most 256 characters. */
const TAG_VALUE_MAX = 256;
/** The characters of a disable reason that tags do not allow, and the tag characters that reasons never use, pairwise. */
const REASON_ONLY = '!()*?';
const TAG_ONLY = '_:/+=';

/** The owner id of a custom resource: its stack and logical id, which a CloudFormation resource keeps for life. */
export function ownerId(stackId: string, logicalResourceId: string): string {
  return `${stackId}/${logicalResourceId}`;
}

/**
 * The ARN of a pipeline of the stack's account and region (the freezes act in their own stack's environment),
 * from the stack's ARN: `arn:<partition>:cloudformation:<region>:<account>:stack/...`.
 */
export function pipelineArnOf(stackId: string, pipelineName: string): string {
  const [, partition, , region, account] = stackId.split(':');
  return `arn:${partition}:codepipeline:${region}:${account}:${pipelineName}`;
}

function digest(text: string, length: number): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}

/** The key prefix of every record of a transition: `cdk-devtools/freeze/<transition digest>:`. */
function transitionPrefix(t: Transition): string {
  return `${OWNER_TAG_PREFIX}${digest(`${t.stageName}/${t.transitionType}`, 12)}/`;
}

/** A disable reason in the characters a tag value allows (a one-to-one mapping), and back. */
export function encodeReason(reason: string): string {
  return [...reason].map(c => (REASON_ONLY.includes(c) ? TAG_ONLY[REASON_ONLY.indexOf(c)] : c)).join('');
}
export function decodeReason(value: string): string {
  return [...value].map(c => (TAG_ONLY.includes(c) ? REASON_ONLY[TAG_ONLY.indexOf(c)] : c)).join('');
}

function encodeBefore(before: Before): string {
  return before.state === 'disabled' ? `disabled ${encodeReason(before.reason)}` : before.state;
}
function decodeBefore(value: string | undefined): Before | undefined {
  if (value === 'enabled' || value === 'unknown') return { state: value };
  if (value?.startsWith('disabled ')) return { state: 'disabled', reason: decodeReason(value.slice('disabled '.length)) };
  return undefined;
}

/** A field as tags: `key` with the first 256 characters, `key/2` with the next, and so on. */
function fieldTags(key: string, value: string): Tag[] {
  const tags: Tag[] = [];
  for (let i = 0; i === 0 || i * TAG_VALUE_MAX < value.length; i++) {
    tags.push({ key: i === 0 ? key : `${key}/${i + 1}`, value: value.slice(i * TAG_VALUE_MAX, (i + 1) * TAG_VALUE_MAX) });
  }
  return tags;
}
function fieldOf(tags: Map<string, string>, key: string): string | undefined {
  if (!tags.has(key)) return undefined;
  let value = tags.get(key)!;
  for (let i = 2; tags.has(`${key}/${i}`); i++) value += tags.get(`${key}/${i}`);
  return value;
}

/** One owner's record of a transition. */
interface OwnerRecord {
  readonly reason: string;
  readonly before?: Before;
  /** Every tag key of the record. */
  readonly keys: string[];
}

/** How the owner protocol waits between attempts of a tag write CodePipeline refused as concurrent. */
export interface OwnerOptions {
  /** @default a real sleep */
  readonly sleep?: (ms: number) => Promise<void>;
}

const realSleep = (ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms));

/** The owner records of a transition, by owner digest, in digest order. */
async function recordsOf(client: CodePipelineClient, t: Transition): Promise<Map<string, OwnerRecord>> {
  const prefix = transitionPrefix(t);
  const tags = new Map<string, string>();
  let nextToken: string | undefined;
  do {
    const out = await client.send(new ListTagsForResourceCommand({ resourceArn: t.pipelineArn, nextToken }));
    for (const tag of out.tags ?? []) {
      if (tag.key?.startsWith(prefix)) tags.set(tag.key, tag.value ?? '');
    }
    nextToken = out.nextToken;
  } while (nextToken);
  const owners = [...new Set([...tags.keys()].map(k => k.slice(prefix.length).split('/')[0]))].sort();
  return new Map(owners.map(owner => {
    const base = `${prefix}${owner}/`;
    return [owner, {
      reason: decodeReason(fieldOf(tags, `${base}reason`) ?? ''),
      before: decodeBefore(fieldOf(tags, `${base}before`)),
      keys: [...tags.keys()].filter(k => k.startsWith(base)),
    }];
  }));
}

/** Runs a tag write, again when CodePipeline refuses it as concurrent with another (another owner's write). */
async function tagWrite(send: () => Promise<unknown>, options: OwnerOptions): Promise<void> {
  const sleep = options.sleep ?? realSleep;
  for (let attempt = 1; ; attempt++) {
    try {
      await send();
      return;
    } catch (err) {
      if (errorName(err) !== 'ConcurrentModificationException' || attempt >= 5) throw err;
      await sleep(200 * 2 ** attempt);
    }
  }
}

/** What the transition is now: the inbound state from GetPipelineState; an outbound transition's cannot be read. */
async function currentState(client: CodePipelineClient, t: Transition): Promise<Before> {
  if (t.transitionType === 'Outbound') return { state: 'unknown' };
  const { stageStates } = await client.send(new GetPipelineStateCommand({ name: t.pipelineName }));
  const state = stageStates?.find(s => s.stageName === t.stageName)?.inboundTransitionState;
  if (!state) return { state: 'unknown' };
  return state.enabled === false ? { state: 'disabled', reason: state.disabledReason || NO_REASON } : { state: 'enabled' };
}

/** A transition in words, for messages: `the inbound transition of stage Prod of pipeline release`. */
export function transitionText(t: Transition): string {
  return `the ${t.transitionType.toLowerCase()} transition of stage ${t.stageName} of pipeline ${t.pipelineName}`;
}

async function disable(client: CodePipelineClient, t: Transition, reason: string): Promise<void> {
  await client.send(new DisableStageTransitionCommand({
    pipelineName: t.pipelineName, stageName: t.stageName, transitionType: t.transitionType, reason,
  }));
  console.log(`disabled ${transitionText(t)}: ${reason}`);
}

/** Gives the transition back the state it had before the first freeze (an unknown one is enabled, as CodePipeline's default). */
async function restore(client: CodePipelineClient, t: Transition, before: Before): Promise<void> {
  if (before.state === 'disabled') {
    await disable(client, t, before.reason);
    console.log(`${transitionText(t)} was disabled before the first freeze: left disabled with that reason`);
    return;
  }
  await client.send(new EnableStageTransitionCommand({ pipelineName: t.pipelineName, stageName: t.stageName, transitionType: t.transitionType }));
  console.log(`enabled ${transitionText(t)}${before.state === 'unknown' ? ' (its state before the freezes cannot be read: enabled, CodePipeline\'s default)' : ''}`);
}

/** Options of `hold`. */
export interface HoldOptions extends OwnerOptions {
  /**
   * The owner held the transition before owners were recorded (a freeze of an earlier release, which enabled the
   * transition when it left): without a record, the state before is taken as enabled, not read.
   */
  readonly adopt?: boolean;
  /**
   * The transition is the one the physical id CloudFormation holds already names (an Update of the freeze, or its
   * rollback): when its pipeline or stage is gone (deleted outside the stack), there is nothing left to hold, and the
   * hold succeeds instead of failing the update and its rollback (UPDATE_ROLLBACK_FAILED).
   */
  readonly alreadyHeld?: boolean;
}

/** The errors of a transition whose pipeline or stage no longer exists: nothing is held any more. */
const GONE = ['PipelineNotFoundException', 'StageNotFoundException', 'ResourceNotFoundException'];

/**
 * Records the owner as a holder of the transition (with its reason, and the state before the first holder), then
 * disables the transition with its reason. Holding again updates the reason and keeps the state before.
 */
export async function hold(
  client: CodePipelineClient, t: Transition, owner: { id: string; reason: string }, options: HoldOptions = {},
): Promise<void> {
  let recorded: string[] | undefined;
  try {
    // Read before the records: an owner recorded after this read disables after it too (see the module's comment).
    const now = options.adopt ? { state: 'enabled' as const } : await currentState(client, t);
    const records = await recordsOf(client, t);
    const key = `${transitionPrefix(t)}${digest(owner.id, 16)}/`;
    const mine = records.get(digest(owner.id, 16));
    const before = mine?.before ?? [...records.values()].find(r => r.before)?.before ?? now;
    const tags = [...fieldTags(`${key}reason`, encodeReason(owner.reason)), ...fieldTags(`${key}before`, encodeBefore(before))];
    await tagWrite(() => client.send(new TagResourceCommand({ resourceArn: t.pipelineArn, tags })), options);
    if (!mine) recorded = tags.map(tag => tag.key!);
    const stale = (mine?.keys ?? []).filter(k => !tags.some(tag => tag.key === k));
    if (stale.length > 0) await tagWrite(() => client.send(new UntagResourceCommand({ resourceArn: t.pipelineArn, tagKeys: stale })), options);
    console.log(`recorded the freeze as a holder of ${transitionText(t)} (${records.size - (mine ? 1 : 0)} other holders; `
      + `before the freezes it was ${before.state})`);
    await disable(client, t, owner.reason);
  } catch (err) {
    // A new record of a hold that failed is removed: the provider framework deletes a failed Create without asking the handler.
    if (recorded) {
      const keys = recorded;
      await tagWrite(() => client.send(new UntagResourceCommand({ resourceArn: t.pipelineArn, tagKeys: keys })), options)
        .catch(e => console.log(`could not remove the record of the failed hold (${messageOf(e)}): remove the tags ${keys.join(', ')} of the pipeline`));
    }
    if (options.alreadyHeld && GONE.includes(errorName(err))) {
      console.log(`${transitionText(t)} is gone with its stage or pipeline (deleted outside the stack): nothing to hold (${messageOf(err)})`);
      return;
    }
    throw new ActionableError('Disabling a stage transition', transitionText(t), messageOf(err), holdNextStep(err));
  }
}

function holdNextStep(err: unknown): string {
  switch (errorName(err)) {
    case 'PipelineNotFoundException':
    case 'ResourceNotFoundException':
      return 'The pipeline does not exist in this account and region; check that it is defined (or imported by its exact name) before the freeze';
    case 'StageNotFoundException':
      return 'The pipeline has no stage of that name; use the name of one of its stages (names are case-sensitive)';
    case 'TooManyTagsException':
      return 'Each freeze records itself in two tags of the pipeline, and a pipeline has at most 50 tags; remove tags the pipeline does not need';
    default:
      if (isRetryable(err)) return 'CodePipeline is throttling or briefly unavailable (the SDK already retried); retry the deployment later';
      return 'Check the role\'s permissions on the pipeline (codepipeline:GetPipelineState, ListTagsForResource, TagResource and UntagResource '
        + 'of cdk-devtools/freeze/* tags) and on the stage (DisableStageTransition, EnableStageTransition), then retry';
  }
}

/** Options of a holder's custom resource handler (the freeze, the window). */
export interface HolderEventOptions extends OwnerOptions {
  /**
   * A client acting as the role other properties name (the transition a cancelled Update held may be on another
   * pipeline). @default the request's client
   */
  readonly clientFor?: (props: Record<string, unknown>) => CodePipelineClient;
}

/** Options of `release`. */
export interface ReleaseOptions extends OwnerOptions {
  /**
   * The owner may hold the transition without a record (a freeze of an earlier release): when no holder is recorded
   * at all, the transition is enabled, as that release did.
   */
  readonly legacy?: boolean;
}

/**
 * Removes the owner's record. When other holders remain, the transition stays disabled (with a remaining holder's
 * reason); when it was the last, the transition gets back the state it had before the first holder. An owner without
 * a record holds nothing, and nothing changes. A pipeline or stage that is gone leaves nothing to do.
 */
export async function release(client: CodePipelineClient, t: Transition, id: string, options: ReleaseOptions = {}): Promise<void> {
  try {
    const records = await recordsOf(client, t);
    const mine = records.get(digest(id, 16));
    if (!mine) {
      if (options.legacy && records.size === 0) {
        console.log(`no holder of ${transitionText(t)} is recorded: a freeze of an earlier release, which enables the transition when it leaves`);
        await restore(client, t, { state: 'enabled' });
      } else {
        console.log(`the freeze holds ${transitionText(t)} no more (no record of it): nothing to do`);
      }
      return;
    }
    await tagWrite(() => client.send(new UntagResourceCommand({ resourceArn: t.pipelineArn, tagKeys: mine.keys })), options);
    const rest = await recordsOf(client, t);
    if (rest.size > 0) {
      console.log(`${rest.size} other freeze(s) still hold ${transitionText(t)}: it stays disabled`);
      await disable(client, t, [...rest.values()][0].reason || NO_REASON);
      return;
    }
    await restore(client, t, mine.before ?? { state: 'unknown' });
    // A holder that recorded itself while this one restored is applied again (its own disable may have come first).
    const late = await recordsOf(client, t);
    if (late.size > 0) await disable(client, t, [...late.values()][0].reason || NO_REASON);
  } catch (err) {
    if (GONE.includes(errorName(err))) {
      console.log(`${transitionText(t)} is gone with its stage or pipeline: nothing to release (${messageOf(err)})`);
      return;
    }
    throw new ActionableError('Releasing a stage transition freeze', transitionText(t), messageOf(err), holdNextStep(err));
  }
}

/** A holder's transition and the physical id its custom resource returns for it. */
export interface HeldTransition {
  readonly physicalId: string;
  readonly transition: Transition;
}

/**
 * On an Update that comes back to the id CloudFormation holds (`current`, the new properties' transition) from old
 * properties of another transition, releases that other transition: the Update is the rollback of an Update to it that
 * CloudFormation stopped waiting for (another resource failed), so CloudFormation never learnt the id of that hold and
 * no Delete will release it; or the Update of the old id after a replacement, whose Delete then finds nothing to
 * release. It acts as the role of the old properties (`clientFor`; the transition may be on another pipeline). Never
 * throws: a rollback that fails here would be stuck, and the log says what to release by hand.
 */
export async function releaseAbandonedHold(
  client: CodePipelineClient, event: OnEventRequest, current: HeldTransition, previous: HeldTransition | undefined,
  options: HolderEventOptions = {},
): Promise<void> {
  if (event.RequestType !== 'Update' || !previous || previous.physicalId === current.physicalId || event.PhysicalResourceId !== current.physicalId) return;
  const what = transitionText(previous.transition);
  const owner = ownerId(event.StackId, event.LogicalResourceId);
  console.log(`back at ${current.physicalId} from ${previous.physicalId} (a cancelled or rolled-back update): releasing ${what}`);
  try {
    await release(options.clientFor?.(event.OldResourceProperties!) ?? client, previous.transition, owner, options);
  } catch (err) {
    console.log(`could not release ${what} (${messageOf(err)}); if it stays disabled, remove the pipeline's `
      + `tags ${transitionPrefix(previous.transition)}${digest(owner, 16)}/* and enable it in the console`);
  }
}
