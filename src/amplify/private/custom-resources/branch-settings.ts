import { AmplifyClient, Branch, GetBranchCommand, UpdateBranchCommand, UpdateBranchCommandInput } from '@aws-sdk/client-amplify';
import { BRANCH_SETTINGS_FAMILY, BranchSettingsRequest } from './contract';
import { ActionableError, errorName, isNotFound, isRetryable, logEvent, messageOf } from '../../../core/runtime/handler';
import type { OnEventRequest, OnEventResponse } from '../../../core/runtime/types';

/** The settings this resource manages; every other branch property stays CloudFormation's. */
type Managed = Pick<UpdateBranchCommandInput, 'displayName' | 'ttl' | 'enableNotification' | 'backendEnvironmentArn'>;
type Key = keyof Managed;
const KEYS: readonly Key[] = ['displayName', 'ttl', 'enableNotification', 'backendEnvironmentArn'];

/** The short names of the managed settings in the physical id. */
const SHORT: Record<Key, string> = { displayName: 'd', ttl: 't', enableNotification: 'n', backendEnvironmentArn: 'b' };

/** A physical id may not exceed 1 KB. */
const MAX_PHYSICAL_ID = 1024;

/**
 * What the branch had before this resource managed it, per setting: a value, `null` for "none" (a branch
 * without a backend environment), absent when not known (a value too long to record, or a resource created
 * by an earlier version).
 */
type Originals = Partial<Record<Key, string | boolean | null>>;

/** The settings a request manages. */
function keysOf(request: BranchSettingsRequest | undefined): Key[] {
  if (!request) return [];
  return KEYS.filter(key => request.managed[key] !== undefined);
}

/** Only the managed members of a branch: GetBranch and UpdateBranch also return basic-auth credentials, never logged. */
function pickManaged(branch: Branch | undefined): Managed {
  return {
    displayName: branch?.displayName,
    ttl: branch?.ttl,
    enableNotification: branch?.enableNotification,
    backendEnvironmentArn: branch?.backendEnvironmentArn,
  };
}

/** The identity a physical id names, and the original settings it records. */
interface SettingsId {
  readonly appId: string;
  readonly branchName: string;
  /** Undefined for an id of an earlier version (`<appId>/<branchName>`), which records nothing. */
  readonly originals?: Originals;
}

/** `<appId>/<branchName>#<originals as base64url JSON>`: the originals must survive until the Delete, and only the id does. */
function formatId(appId: string, branchName: string, originals: Originals): string {
  const recorded: Originals = { ...originals };
  const format = () => `${appId}/${branchName}#${Buffer.from(JSON.stringify(Object.fromEntries(
    KEYS.filter(key => key in recorded).map(key => [SHORT[key], recorded[key]])))).toString('base64url')}`;
  // A display name of 255 characters or a long ARN can exceed the limit: such a value is not recorded (left on removal).
  for (const key of ['backendEnvironmentArn', 'displayName'] as const) {
    if (Buffer.byteLength(format()) <= MAX_PHYSICAL_ID) break;
    console.log(`the original ${key} is too long to record in the physical id: removing the setting will leave the branch's value`);
    delete recorded[key];
  }
  return format();
}

function parseId(physicalId: string | undefined): SettingsId | undefined {
  if (!physicalId) return undefined;
  const slash = physicalId.indexOf('/');
  if (slash <= 0) return undefined;
  const appId = physicalId.slice(0, slash);
  const rest = physicalId.slice(slash + 1);
  const hash = rest.lastIndexOf('#');
  if (hash >= 0) {
    try {
      const short = JSON.parse(Buffer.from(rest.slice(hash + 1), 'base64url').toString('utf8'));
      if (short && typeof short === 'object' && !Array.isArray(short)) {
        const originals: Originals = Object.fromEntries(KEYS.filter(key => SHORT[key] in short).map(key => [key, short[SHORT[key]]]));
        return { appId, branchName: rest.slice(0, hash), originals };
      }
    } catch {
      // a branch name with '#' in an id of an earlier version
    }
  }
  return { appId, branchName: rest };
}

/** The UpdateBranch members that restore the originals of `keys` (those recorded), and the keys whose original is unknown. */
function restoring(originals: Originals | undefined, keys: Key[], branchName: string): { values: Managed; unknown: Key[] } {
  const values: Record<string, unknown> = {};
  const unknown: Key[] = [];
  for (const key of keys) {
    if (!originals || !(key in originals)) {
      unknown.push(key);
      continue;
    }
    const original = originals[key];
    // Amplify always has a display name (the branch name unless set); "no backend environment" is an empty ARN (unverified).
    values[key] = original ?? (key === 'displayName' ? branchName : key === 'backendEnvironmentArn' ? '' : undefined);
  }
  return { values: values as Managed, unknown };
}

function changesFrom(current: Managed, wanted: Managed): Managed {
  return Object.fromEntries(Object.entries(wanted)
    .filter(([key, value]) => value !== undefined && value !== (current[key as Key] ?? (key === 'backendEnvironmentArn' ? '' : undefined))));
}

/**
 * Applies the branch settings CloudFormation lacks through UpdateBranch, sending only those members, so the
 * properties CloudFormation manages (build spec, environment, basic auth...) are left as they are.
 *
 * When it starts managing a branch (Create, or another branch), it records what the branch had (all four settings)
 * in the physical id, `<appId>/<branchName>#<originals>`. An Update that drops a setting from the properties
 * restores its original, so a rollback (an Update back to the old properties) reverts a setting the failed update
 * introduced. Delete restores the originals of the settings it managed (the branch's own Delete follows when the
 * branch goes too). Another branch is a new physical id: the clean-up Delete of the old one restores the old branch.
 * An id of an earlier version (`<appId>/<branchName>`) records nothing: its next Update records what it can and
 * takes the new form; a setting whose original is not known is left on the branch when removed. An Update of the
 * branch its id names that finds the branch deleted outside the stack succeeds and changes nothing (so does its
 * rollback); a Create, or an Update to another branch, fails.
 */
export async function onBranchSettingsEvent(client: AmplifyClient, event: OnEventRequest): Promise<OnEventResponse> {
  logEvent('amplify branch settings', event);
  const request = BRANCH_SETTINGS_FAMILY.parse(event.ResourceProperties);
  const previous = parseId(event.PhysicalResourceId);
  if (event.RequestType === 'Delete') {
    await restore(client, previous, keysOf(request));
    return { PhysicalResourceId: event.PhysicalResourceId };
  }
  const { appId, branchName, managed: wanted } = request;
  const subject = `branch ${branchName} of Amplify app ${appId}`;
  const same = event.RequestType === 'Update' && previous?.appId === appId && previous.branchName === branchName;
  const old = same && event.OldResourceProperties ? BRANCH_SETTINGS_FAMILY.parse(event.OldResourceProperties) : undefined;
  // The settings the old properties managed on this same branch, and no longer manage.
  const removed = keysOf(old).filter(key => wanted[key] === undefined);
  try {
    const { branch } = await client.send(new GetBranchCommand({ appId, branchName }));
    const current = pickManaged(branch);
    let physicalId: string;
    let originals: Originals;
    if (same && previous.originals) {
      physicalId = event.PhysicalResourceId!;
      originals = previous.originals;
    } else {
      // Starting to manage this branch: what it has now is the original, except what the old properties of an id of
      // an earlier version already set (not known any more).
      const managedBefore = keysOf(old);
      originals = Object.fromEntries(KEYS.filter(key => !managedBefore.includes(key)).map(key => [key, current[key] ?? null]));
      physicalId = formatId(appId, branchName, originals);
    }
    const back = restoring(originals, removed, branchName);
    if (back.unknown.length > 0) console.log(`${subject}: the original ${back.unknown.join(', ')} is not known: left as it is`);
    const changes = changesFrom(current, { ...back.values, ...Object.fromEntries(Object.entries(wanted).filter(([, v]) => v !== undefined)) });
    if (Object.keys(changes).length === 0) {
      console.log(`${subject} already has the settings: nothing to update`);
      return { PhysicalResourceId: physicalId };
    }
    console.log(`updating ${subject}: ${JSON.stringify({ from: current, to: changes })}`);
    const { branch: updated } = await client.send(new UpdateBranchCommand({ appId, branchName, ...changes }));
    console.log(`updated ${subject}: ${JSON.stringify(pickManaged(updated))}`);
    return { PhysicalResourceId: physicalId };
  } catch (err) {
    if (same && isNotFound(err)) {
      // The branch was deleted outside the stack: there is nothing to apply the settings to, and failing would fail the
      // rollback (an Update back to the old properties) too: UPDATE_ROLLBACK_FAILED.
      console.log(`${subject} is gone (deleted outside this stack): no settings to apply`);
      return { PhysicalResourceId: event.PhysicalResourceId! };
    }
    throw new ActionableError('Applying Amplify branch settings', subject, messageOf(err), isNotFound(err)
      ? 'The branch does not exist; define it in the stack before its settings, or fix the app id and branch name'
      : isRetryable(err) ? 'Amplify is throttling (LimitExceededException); retry the deployment'
        : `Check the handler's permissions (amplify:GetBranch and amplify:UpdateBranch on the branch) and the values (${errorName(err)}), then retry`);
  }
}

/** Restores the recorded originals of `keys` on the branch an id names; a branch already gone is fine. */
async function restore(client: AmplifyClient, id: SettingsId | undefined, keys: Key[]): Promise<void> {
  if (!id?.originals) {
    console.log('the physical id records no original settings (a failed create, or an earlier version): leaving the branch as it is');
    return;
  }
  const { appId, branchName } = id;
  const subject = `branch ${branchName} of Amplify app ${appId}`;
  const back = restoring(id.originals, keys, branchName);
  if (back.unknown.length > 0) console.log(`${subject}: the original ${back.unknown.join(', ')} is not known: left as it is`);
  try {
    const { branch } = await client.send(new GetBranchCommand({ appId, branchName }));
    const changes = changesFrom(pickManaged(branch), back.values);
    if (Object.keys(changes).length === 0) {
      console.log(`${subject} already has its original settings: nothing to restore`);
      return;
    }
    console.log(`restoring the original settings of ${subject}: ${JSON.stringify(changes)}`);
    await client.send(new UpdateBranchCommand({ appId, branchName, ...changes }));
  } catch (err) {
    if (isNotFound(err)) {
      console.log(`${subject} is gone: nothing to restore`);
      return;
    }
    throw new ActionableError('Restoring the original Amplify branch settings', subject, messageOf(err), isRetryable(err)
      ? 'Amplify is throttling (LimitExceededException); retry the deletion'
      : `Check the handler's permissions (amplify:GetBranch and amplify:UpdateBranch on the branch) (${errorName(err)}), then retry the deletion`);
  }
}
