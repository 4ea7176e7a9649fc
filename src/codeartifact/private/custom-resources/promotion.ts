import {
  CodeartifactClient, CopyPackageVersionsCommand, DescribePackageVersionCommand, PackageFormat, PackageVersionError,
} from '@aws-sdk/client-codeartifact';
import { Promotion, PROMOTION_FAMILY } from './contract';
import { codeArtifactFailure } from './errors';
import type { DataOf } from '../../../core/family';
import { ActionableError, isNotFound, logEvent } from '../../../core/runtime/handler';
import type { OnEventRequest, OnEventResponse } from '../../../core/runtime/types';

/** One package from one repository to another: the versions change in place; another package or repository is a new resource. */
function physicalId(p: Promotion): string {
  return [p.domainOwner, p.domain, `${p.source}..${p.destination}`, p.format, p.namespace ?? '', p.package].join('/');
}

/** The package in one of the two repositories, as the package-version calls name it. */
function packageIn(p: Promotion, repository: string) {
  return { domain: p.domain, domainOwner: p.domainOwner, repository, format: p.format as PackageFormat, namespace: p.namespace, package: p.package };
}

/** What to do about each per-version error CodeArtifact answers with (`PackageVersionErrorCode`). */
const FAILURE_ADVICE: Record<string, string> = {
  ALREADY_EXISTS: 'the destination holds another revision of a version: promote a new version, or set `allowOverwrite` to replace it',
  MISMATCHED_REVISION: 'the source holds another revision than `versionRevisions` names: check it with aws codeartifact describe-package-version '
    + 'and fix the revision, or promote a new version',
  MISMATCHED_STATUS: 'a version\'s status in the source does not allow a copy (e.g. Unfinished, Archived or Disposed): publish it, or promote another version',
  NOT_ALLOWED: 'the package\'s origin controls or package group in the destination refuse the copy: allow it for the destination '
    + '(PackageOriginControl, PackageGroup) or promote into another repository',
  NOT_FOUND: 'a version is not in the source repository: publish it there first, or set `includeFromUpstream` if it comes from an upstream',
  SKIPPED: 'CodeArtifact skipped versions because others failed: fix those and redeploy',
};

/**
 * The revision the destination holds of a version the copy reported ALREADY_EXISTS for, when it is the revision
 * the promotion wants (the pinned one, or the source's): the version was promoted before (by an earlier
 * deployment whose answer was lost, a rollback back to it, or a script), and is in place.
 */
async function promotedBefore(client: CodeartifactClient, p: Promotion, version: string): Promise<string | undefined> {
  const revisionIn = async (repository: string) => {
    try {
      const described = await client.send(new DescribePackageVersionCommand({ ...packageIn(p, repository), packageVersion: version }));
      return described.packageVersion?.revision;
    } catch (err) {
      // A version only in an upstream of the source (includeFromUpstream) is not described in the source.
      if (isNotFound(err)) return undefined;
      throw err;
    }
  };
  const present = await revisionIn(p.destination);
  const wanted = p.revisions?.[version] ?? await revisionIn(p.source);
  return present !== undefined && present === wanted ? present : undefined;
}

/**
 * Copies the versions and checks each one's answer: a copy succeeds as a call and fails per version. A version
 * already in the destination with the revision wanted counts as promoted, so a repeat (a redeploy, a rollback, a
 * lost response) succeeds; any other per-version failure fails the request with each version's reason.
 */
async function promote(client: CodeartifactClient, p: Promotion): Promise<OnEventResponse> {
  const id = physicalId(p);
  const promoted = new Map<string, string>();
  const failed = new Map<string, PackageVersionError>();
  try {
    const result = await client.send(new CopyPackageVersionsCommand({
      domain: p.domain,
      domainOwner: p.domainOwner,
      sourceRepository: p.source,
      destinationRepository: p.destination,
      format: p.format as PackageFormat,
      namespace: p.namespace,
      package: p.package,
      ...p.revisions ? { versionRevisions: { ...p.revisions } } : { versions: [...p.versions] },
      allowOverwrite: p.allowOverwrite,
      includeFromUpstream: p.includeFromUpstream,
    }));
    for (const [version, info] of Object.entries(result.successfulVersions ?? {})) promoted.set(version, info.revision ?? '');
    for (const [version, error] of Object.entries(result.failedVersions ?? {})) {
      const revision = error.errorCode === 'ALREADY_EXISTS' ? await promotedBefore(client, p, version) : undefined;
      if (revision !== undefined) promoted.set(version, revision);
      else failed.set(version, error);
    }
  } catch (err) {
    throw codeArtifactFailure('Promoting package versions', id, err);
  }
  for (const version of p.versions) {
    if (!promoted.has(version) && !failed.has(version)) failed.set(version, { errorCode: undefined, errorMessage: 'CodeArtifact did not report it' });
  }
  console.log(JSON.stringify({ promoted: Object.fromEntries(promoted), failed: Object.fromEntries(failed) }));
  if (failed.size > 0) {
    const reasons = [...failed].map(([version, e]) => `${version}: ${e.errorCode ?? 'UNKNOWN'} (${e.errorMessage ?? 'no message'})`);
    const copied = p.versions.filter(v => promoted.has(v));
    const one = copied.length === 1;
    const codes = [...new Set([...failed.values()].map(e => e.errorCode ?? ''))];
    throw new ActionableError('Promoting package versions', id,
      `${failed.size} of ${p.versions.length} versions were not copied to ${p.destination}: ${reasons.join('; ')}`
      + (copied.length > 0 ? `; ${copied.join(', ')} ${one ? 'is' : 'are'} in ${p.destination} and ${one ? 'stays' : 'stay'} there (copies are never undone)` : ''),
      codes.map(code => FAILURE_ADVICE[code] ?? 'check the version in the source repository').join('; '));
  }
  const data: DataOf<typeof PROMOTION_FAMILY> = { PromotedRevisions: p.versions.map(v => `${v}=${promoted.get(v)}`).join(',') };
  return { PhysicalResourceId: id, Data: data };
}

/**
 * The onEvent handler of `PackagePromotion`. Create and Update copy the versions the properties list (a version
 * already promoted is left alone; an Update that changes no property of the promotion calls nothing); Delete does nothing: copies are not undone, since other builds may already
 * depend on a released version.
 */
export async function onPromotionEvent(client: CodeartifactClient, event: OnEventRequest): Promise<OnEventResponse> {
  logEvent('package promotion', event);
  const promotion = PROMOTION_FAMILY.parse(event.ResourceProperties);
  switch (event.RequestType) {
    case 'Create':
      return promote(client, promotion);
    case 'Update': {
      // Only the role changed (a new release's statements): the versions were promoted by the request before.
      const old = PROMOTION_FAMILY.parse(event.OldResourceProperties ?? {});
      if (JSON.stringify(old) === JSON.stringify(promotion) && event.PhysicalResourceId === physicalId(promotion)) {
        return { PhysicalResourceId: event.PhysicalResourceId };
      }
      return promote(client, promotion);
    }
    case 'Delete':
      return { PhysicalResourceId: event.PhysicalResourceId };
  }
}
