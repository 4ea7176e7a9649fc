import { CloudFormationClient, ListStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import {
  CodeartifactClient, DescribePackageCommand, PackageFormat, PutPackageOriginConfigurationCommand,
} from '@aws-sdk/client-codeartifact';
import { isOriginMode, ORIGIN_CONTROL_FAMILY, OriginControl, OriginMode } from './contract';
import { codeArtifactFailure } from './errors';
import { errorName, isNotFound, logEvent } from '../../../core/runtime/handler';
import type { OnEventRequest, OnEventResponse } from '../../../core/runtime/types';

interface Restrictions {
  readonly publish: OriginMode;
  readonly upstream: OriginMode;
}

/** One package in one repository: a different package is a different resource (replacement). */
function packageKey(c: OriginControl): string {
  return [c.domainOwner, c.domain, c.repository, c.format, c.namespace ?? '', c.package].join('/');
}

/** What the physical id records of the package before the resource configured it. */
const NO_PACKAGE = 'none';

/**
 * The physical id: the package, then `#` and what the package had before the resource configured it
 * (`PUBLISH/UPSTREAM`, or `none` when the package did not exist). `#` appears in no CodeArtifact name, so it
 * separates them. Ids from before this record (the package alone) are kept as they are.
 */
function physicalId(c: OriginControl, before: Restrictions | undefined): string {
  return `${packageKey(c)}#${before ? `${before.publish}/${before.upstream}` : NO_PACKAGE}`;
}

/**
 * What the package should get back when the resource goes: what the physical id recorded, or undefined when the
 * id is not this resource's (the provider framework's failed-create marker, another package).
 */
function restoreTarget(c: OriginControl, id: string): Restrictions | undefined {
  const key = packageKey(c);
  // Recorded nothing (an id from before the record): CodeArtifact's default for a package published directly,
  // the kind of package the construct guards, which keeps upstream ingestion blocked.
  if (id === key) return { publish: 'ALLOW', upstream: 'BLOCK' };
  if (!id.startsWith(`${key}#`)) return undefined;
  const recorded = id.slice(key.length + 1);
  // The resource created the package (without versions): as for a package nobody configured.
  if (recorded === NO_PACKAGE) return { publish: 'ALLOW', upstream: 'ALLOW' };
  const [publish, upstream] = recorded.split('/');
  return isOriginMode(publish) && isOriginMode(upstream) ? { publish, upstream } : undefined;
}

const target = (c: OriginControl) => ({
  domain: c.domain,
  domainOwner: c.domainOwner,
  repository: c.repository,
  format: c.format as PackageFormat,
  namespace: c.namespace,
  package: c.package,
});

/**
 * The physical id of another origin control of this stack that controls the same package (the same construct at
 * a new path: CloudFormation creates it before it deletes this one), or undefined. Reading the stack may fail
 * (throttling, or a resource of an earlier release whose role cannot): then nothing is known, as before.
 */
async function otherControlOf(cfn: CloudFormationClient, event: OnEventRequest, c: OriginControl): Promise<string | undefined> {
  const prefix = `${packageKey(c)}#`;
  try {
    let nextToken: string | undefined;
    do {
      const page = await cfn.send(new ListStackResourcesCommand({ StackName: event.StackId, NextToken: nextToken }));
      const other = page.StackResourceSummaries?.find(r => r.ResourceType === ORIGIN_CONTROL_FAMILY.resourceType
        && r.LogicalResourceId !== event.LogicalResourceId && r.PhysicalResourceId?.startsWith(prefix)
        && !r.ResourceStatus?.startsWith('DELETE'));
      if (other) return other.PhysicalResourceId;
      nextToken = page.NextToken;
    } while (nextToken);
  } catch (err) {
    console.log(`Reading the stack's other origin controls failed (${errorName(err)}); going on without them`);
  }
  return undefined;
}

/** The package's restrictions, or undefined when the package (or its repository) does not exist. */
async function current(client: CodeartifactClient, c: OriginControl): Promise<Restrictions | undefined> {
  try {
    const described = await client.send(new DescribePackageCommand(target(c)));
    const restrictions = described.package?.originConfiguration?.restrictions;
    return { publish: restrictions?.publish ?? 'ALLOW', upstream: restrictions?.upstream ?? 'ALLOW' };
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

async function put(client: CodeartifactClient, c: OriginControl, r: Restrictions): Promise<void> {
  await client.send(new PutPackageOriginConfigurationCommand({
    ...target(c),
    restrictions: { publish: r.publish, upstream: r.upstream },
  }));
}

/**
 * Sets the origin restrictions of one package (the package need not exist yet: CodeArtifact creates it
 * empty), after recording in the physical id what the package had. An update changes them in place; a
 * different package replaces the resource. An Update whose physical id already names the properties' package
 * keeps that id and its record, whatever the old properties name: after a replacement rolls back,
 * CloudFormation may send the old resource an Update with its own properties and `OldResourceProperties` the
 * new ones, and the package the new ones name is restored by the rollback's Delete (with its own role), not here.
 * Every request acts on the package of `ResourceProperties` only, with the role those properties name.
 * CodeArtifact has no way to remove a package's origin configuration short of deleting the package and every
 * version, so Delete puts back what was recorded, and only when the package still has this resource's
 * restrictions: otherwise someone else set them since (a resource that took the package over, e.g. the same
 * construct at a new path, or a person), and they stay. An Update whose repository or domain is gone (deleted outside
 * the stack) configures nothing and succeeds, as its rollback then does.
 *
 * The record lives only in the physical id: when CloudFormation cancels a Create, or an Update to another package,
 * before it received the answer (another resource failed), its Delete carries an id it invented and its rollback the
 * old id, so the package that request configured keeps its restrictions (the module README says so).
 */
export async function onOriginControlEvent(client: CodeartifactClient, cfn: CloudFormationClient, event: OnEventRequest): Promise<OnEventResponse> {
  logEvent('package origin control', event);
  const control = ORIGIN_CONTROL_FAMILY.parse(event.ResourceProperties);
  const subject = `package ${packageKey(control)}`;
  switch (event.RequestType) {
    case 'Create':
    case 'Update': {
      let id: string | undefined;
      if (event.RequestType === 'Update' && event.PhysicalResourceId && restoreTarget(control, event.PhysicalResourceId)) {
        // The id names this package already (an update of the modes, or the rollback of a replacement): the record
        // of what the package had before stays, and the modes are put (again) unless nothing changed.
        id = event.PhysicalResourceId;
        const old = ORIGIN_CONTROL_FAMILY.parse(event.OldResourceProperties ?? {});
        if (packageKey(old) === packageKey(control) && old.publish === control.publish && old.upstream === control.upstream) {
          return { PhysicalResourceId: id };
        }
      }
      try {
        if (!id) {
          // Another resource of the stack already controls the package (a move to a new path): what the package had
          // before the stack is what that resource recorded, not the modes it set.
          // Its id holds that record, so this resource takes the same id.
          const other = event.RequestType === 'Create' ? await otherControlOf(cfn, event, control) : undefined;
          id = other && restoreTarget(control, other) ? other : physicalId(control, await current(client, control));
        }
        await put(client, control, control);
      } catch (err) {
        // An Update after the repository (or its domain) was deleted outside the stack: there is no package to restrict,
        // and the repository is not this resource's to make again. The Update succeeds so that its rollback (which has
        // the same shape) succeeds too; a Create still fails, naming the repository.
        if (event.RequestType === 'Update' && id && isNotFound(err)) {
          console.log(`${subject} cannot be configured: its repository or domain no longer exists (${errorName(err)}); nothing to restrict`);
          return { PhysicalResourceId: id };
        }
        throw codeArtifactFailure('Setting the package origin configuration', subject, err);
      }
      return { PhysicalResourceId: id };
    }
    case 'Delete': {
      const restore = restoreTarget(control, event.PhysicalResourceId ?? '');
      // Not an id this resource returned (a failed create): nothing was configured.
      if (!restore) return { PhysicalResourceId: event.PhysicalResourceId };
      const what = `Restoring the package origin configuration to ${restore.publish}/${restore.upstream}`;
      // Another resource of the stack controls the package now (this one moved to a new path): its modes stay.
      if (await otherControlOf(cfn, event, control)) return { PhysicalResourceId: event.PhysicalResourceId };
      try {
        let now: Restrictions | undefined = control;
        try {
          now = await current(client, control);
        } catch (err) {
          // A resource of an earlier release (its id records nothing) may still run under its earlier policy, which
          // granted only PutPackageOriginConfiguration (removed together with an upgrade): restore without the check.
          if (!(event.PhysicalResourceId === packageKey(control) && errorName(err) === 'AccessDeniedException')) throw err;
        }
        // Gone with its repository, or no longer what this resource set: leave it.
        if (!now || now.publish !== control.publish || now.upstream !== control.upstream) return { PhysicalResourceId: event.PhysicalResourceId };
        await put(client, control, restore);
      } catch (err) {
        if (isNotFound(err)) return { PhysicalResourceId: event.PhysicalResourceId }; // the repository or domain is gone
        throw codeArtifactFailure(what, subject, err);
      }
      return { PhysicalResourceId: event.PhysicalResourceId };
    }
  }
}
