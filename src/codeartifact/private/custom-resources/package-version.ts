import { createHash } from 'crypto';
import {
  CodeartifactClient, DeletePackageVersionsCommand, DescribePackageVersionCommand, DisposePackageVersionsCommand, ListPackageVersionAssetsCommand,
  PackageVersionError, PublishPackageVersionCommand, UpdatePackageVersionsStatusCommand,
} from '@aws-sdk/client-codeartifact';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { PACKAGE_VERSION_FAMILY, PackageVersion } from './contract';
import { codeArtifactFailure } from './errors';
import type { DataOf } from '../../../core/family';
import { ActionableError, FAILED_CREATE_ID, isNotFound, logEvent, messageOf } from '../../../core/runtime/handler';
import type { OnEventRequest, OnEventResponse } from '../../../core/runtime/types';

/**
 * The largest asset the handler publishes. It holds the asset in memory once (one buffer of the object's length,
 * hashed as it arrives, sent to CodeArtifact without a copy), which fits the 256 MB function with room to spare;
 * larger generic assets belong in a build, not a deployment.
 */
export const MAX_ASSET_BYTES = 100 * 1024 * 1024;

/** One version of one package: a new version (or package, or repository) is a new resource. */
function physicalId(v: PackageVersion): string {
  return [v.domainOwner, v.domain, v.repository, 'generic', v.namespace, v.package, v.version].join('/');
}

/** The members every package-version call shares. */
function target(v: PackageVersion) {
  return { domain: v.domain, domainOwner: v.domainOwner, repository: v.repository, format: 'generic' as const, namespace: v.namespace, package: v.package };
}

/** An asset's content, read once, and its SHA-256 (hex). */
interface AssetContent {
  readonly content: Buffer;
  readonly sha256: string;
}

/**
 * Reads the object into a single buffer of the length S3 announces, hashing each chunk as it arrives: the asset
 * is in memory once (collecting the chunks and joining them, as `transformToByteArray` does, holds it twice).
 */
async function readAsset(s3: S3Client, v: PackageVersion): Promise<AssetContent> {
  const location = `s3://${v.assetBucket}/${v.assetKey}`;
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket: v.assetBucket, Key: v.assetKey }));
    const length = object.ContentLength;
    if (length === undefined) throw new Error('S3 did not report the object\'s length (ContentLength)');
    if (length > MAX_ASSET_BYTES) {
      throw new ActionableError('Reading the asset', location,
        `it has ${length} bytes, more than the ${MAX_ASSET_BYTES} bytes the handler publishes`,
        'Publish large generic packages from a build (aws codeartifact publish-package-version) instead.');
    }
    const content = Buffer.allocUnsafe(length);
    const hash = createHash('sha256');
    let offset = 0;
    for await (const chunk of object.Body as AsyncIterable<Uint8Array>) {
      if (offset + chunk.length > length) throw new Error(`the object has more than the ${length} bytes S3 announced`);
      content.set(chunk, offset);
      hash.update(chunk);
      offset += chunk.length;
    }
    if (offset !== length) throw new Error(`the object ended after ${offset} of the ${length} bytes S3 announced`);
    return { content, sha256: hash.digest('hex') };
  } catch (err) {
    if (err instanceof ActionableError) throw err;
    throw new ActionableError('Reading the asset', location, messageOf(err),
      'Check that the asset was uploaded (cdk deploy uploads it) and that nothing removed it from the assets bucket or denies the '
      + 'resource\'s role s3:GetObject on it.');
  }
}

/** The version's status and its assets' SHA-256 by name, or undefined when the version does not exist. */
async function existing(client: CodeartifactClient, v: PackageVersion): Promise<{ status: string; assets: Map<string, string> } | undefined> {
  let status: string;
  try {
    const described = await client.send(new DescribePackageVersionCommand({ ...target(v), packageVersion: v.version }));
    status = described.packageVersion?.status ?? 'Unknown';
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
  const assets = new Map<string, string>();
  let nextToken: string | undefined;
  do {
    const page = await client.send(new ListPackageVersionAssetsCommand({ ...target(v), packageVersion: v.version, maxResults: 1000, nextToken }));
    for (const a of page.assets ?? []) if (a.name) assets.set(a.name, a.hashes?.['SHA-256'] ?? '');
    nextToken = page.nextToken;
  } while (nextToken);
  return { status, assets };
}

/**
 * Publishes the asset into the version unless it is there already with the same content. Package versions
 * are immutable, so different content under the same version and asset name fails with advice.
 */
async function publish(client: CodeartifactClient, s3: S3Client, v: PackageVersion): Promise<OnEventResponse> {
  const id = physicalId(v);
  const { content, sha256 } = await readAsset(s3, v);
  let status: string;
  try {
    const found = await existing(client, v);
    const publishedSha = found?.assets.get(v.assetName);
    if (found && publishedSha !== undefined) {
      if (publishedSha !== sha256) {
        throw new ActionableError('Publishing a generic package version', id,
          `asset '${v.assetName}' of this version was published with SHA-256 ${publishedSha}, and the new content has ${sha256}; `
          + 'published package versions are immutable', 'Publish the new content as a new version (change `version`).');
      }
      status = found.status;
    } else {
      if (found && found.status !== 'Unfinished') {
        throw new ActionableError('Publishing a generic package version', id,
          `the version already exists with status ${found.status} and without asset '${v.assetName}'; only Unfinished versions take new assets`,
          'Publish the asset as a new version (change `version`).');
      }
      const result = await client.send(new PublishPackageVersionCommand({
        ...target(v),
        packageVersion: v.version,
        assetName: v.assetName,
        assetSHA256: sha256,
        assetContent: content,
        unfinished: v.unfinished,
      }));
      status = result.status ?? (v.unfinished ? 'Unfinished' : 'Published');
    }
    if (status === 'Unfinished' && !v.unfinished) {
      const updated = await client.send(new UpdatePackageVersionsStatusCommand({
        ...target(v), versions: [v.version], expectedStatus: 'Unfinished', targetStatus: 'Published',
      }));
      // The call succeeds as a whole and answers per version: a version that did not change is only in failedVersions.
      const failure = updated.failedVersions?.[v.version];
      if (failure) {
        throw new ActionableError('Publishing a generic package version', id,
          `changing its status from Unfinished to Published failed with ${failure.errorCode}: ${failure.errorMessage}`,
          'Check the version\'s status (aws codeartifact describe-package-version): if another process archived, unlisted or disposed it, '
          + 'publish the content as a new version (change `version`); if it is still Unfinished, redeploy.');
      }
      status = updated.successfulVersions?.[v.version]?.status ?? 'Published';
    } else if (status === 'Published' && v.unfinished) {
      throw new ActionableError('Publishing a generic package version', id, 'the version is Published and a Published version cannot become Unfinished',
        'Leave `unfinished` false for this version, or publish a new version.');
    }
  } catch (err) {
    if (err instanceof ActionableError) throw err;
    throw codeArtifactFailure('Publishing a generic package version', id, err);
  }
  const data: DataOf<typeof PACKAGE_VERSION_FAMILY> = { AssetSha256: sha256, Status: status };
  return { PhysicalResourceId: id, Data: data };
}

/** Disposes or deletes the version, as its removal policy says; a version that is gone already is fine. */
async function remove(client: CodeartifactClient, v: PackageVersion): Promise<void> {
  if (v.removalPolicy === 'retain') return;
  const input = { ...target(v), versions: [v.version] };
  let failed: Record<string, PackageVersionError> | undefined;
  try {
    failed = v.removalPolicy === 'delete'
      ? (await client.send(new DeletePackageVersionsCommand(input))).failedVersions
      : (await client.send(new DisposePackageVersionsCommand(input))).failedVersions;
  } catch (err) {
    if (isNotFound(err)) return;
    throw codeArtifactFailure(`Removing (${v.removalPolicy}) a generic package version`, physicalId(v), err);
  }
  const error = failed?.[v.version];
  if (error && error.errorCode !== 'NOT_FOUND') {
    throw new ActionableError(`Removing (${v.removalPolicy}) a generic package version`, physicalId(v), `${error.errorCode}: ${error.errorMessage}`,
      'Fix the version\'s state in CodeArtifact (or set the removal policy to RETAIN) and retry the deletion.');
  }
}

/**
 * Whether the version holds the asset the properties name, with the asset's content: what a Create of these
 * properties published (or found published with that content and adopted). A version that does not exist, lacks
 * the asset or has other content is not provably this resource's.
 */
async function holdsAsset(client: CodeartifactClient, s3: S3Client, v: PackageVersion): Promise<boolean> {
  const found = await existing(client, v);
  const publishedSha = found?.assets.get(v.assetName);
  if (publishedSha === undefined) return false;
  return publishedSha === (await readAsset(s3, v)).sha256;
}

/**
 * The Delete of an id this handler never returned. The provider framework's failed-create marker: nothing was
 * published. Any other id is the one CloudFormation invents when it cancels a Create (another resource failed before
 * it received the answer): the version the properties name is removed as its removal policy says when it holds the
 * properties' asset with the asset's content, which is what the cancelled Create published (or adopted, as a Delete
 * of the id it would have returned removes it too).
 */
async function removeCancelled(client: CodeartifactClient, s3: S3Client, event: OnEventRequest, v: PackageVersion): Promise<void> {
  if (event.PhysicalResourceId === FAILED_CREATE_ID || v.removalPolicy === 'retain') return;
  let ours: boolean;
  try {
    ours = await holdsAsset(client, s3, v);
  } catch (err) {
    if (err instanceof ActionableError) throw err;
    throw codeArtifactFailure('Reading the version a cancelled create published', physicalId(v), err);
  }
  if (!ours) {
    console.log(`${event.PhysicalResourceId} is no id this handler returned, and ${physicalId(v)} does not hold this resource's asset: removing nothing`);
    return;
  }
  console.log(`${event.PhysicalResourceId} is no id this handler returned (CloudFormation cancelled the Create): removing ${physicalId(v)}, which holds its asset`);
  await remove(client, v);
}

/**
 * The onEvent handler of `GenericPackageVersion`. `clientOfOld` makes a client as the role `OldResourceProperties`
 * name: the one use is an Update that returns to the version its physical id names from another version (a rollback
 * after a replacement, notably of an Update CloudFormation cancelled, whose new version no Delete ever removes), which
 * removes the other version as its own removal policy says, with its own role (the only one granted that removal).
 */
export async function onPackageVersionEvent(
  client: CodeartifactClient, s3: S3Client, event: OnEventRequest, clientOfOld: () => CodeartifactClient = () => client,
): Promise<OnEventResponse> {
  logEvent('generic package version', event);
  const version = PACKAGE_VERSION_FAMILY.parse(event.ResourceProperties);
  switch (event.RequestType) {
    case 'Create':
      return publish(client, s3, version);
    case 'Update': {
      const old = PACKAGE_VERSION_FAMILY.parse(event.OldResourceProperties ?? {});
      const unchanged = physicalId(old) === physicalId(version) && old.assetName === version.assetName && old.assetBucket === version.assetBucket
        && old.assetKey === version.assetKey && old.unfinished === version.unfinished;
      // Only the removal policy changed: nothing to do in CodeArtifact, unless the version was deleted outside the
      // stack (then it is published again). Otherwise a new version is a replacement (a new physical id; CloudFormation
      // then deletes the old one), and new content in the same version fails.
      if (unchanged) {
        if (await versionExists(client, version)) return { PhysicalResourceId: event.PhysicalResourceId };
        console.log(`${physicalId(version)} was deleted outside the stack: publishing it again`);
        return publish(client, s3, version);
      }
      const response = await publish(client, s3, version);
      if (event.PhysicalResourceId === physicalId(version) && physicalId(old) !== physicalId(version)) {
        await removeRolledBack(clientOfOld(), old);
      }
      return response;
    }
    case 'Delete':
      // A Delete for another id than these properties give: a failed or cancelled create.
      if (event.PhysicalResourceId === physicalId(version)) await remove(client, version);
      else await removeCancelled(client, s3, event, version);
      return { PhysicalResourceId: event.PhysicalResourceId };
  }
}

/** Whether the version exists (a read; anything but "not found" fails). */
async function versionExists(client: CodeartifactClient, v: PackageVersion): Promise<boolean> {
  try {
    await client.send(new DescribePackageVersionCommand({ ...target(v), packageVersion: v.version }));
    return true;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw codeArtifactFailure('Reading a generic package version', physicalId(v), err);
  }
}

/**
 * Removes, as its removal policy says, the version an Update leaves when it returns to its physical id's version
 * (a rollback after a replacement). CloudFormation may follow with a Delete of that version's id, which then finds
 * it gone; after a cancelled Update it never does, so this is the only removal. A rollback must not fail on it: a
 * failure is logged with what to remove by hand.
 */
async function removeRolledBack(client: CodeartifactClient, v: PackageVersion): Promise<void> {
  try {
    await remove(client, v);
  } catch (err) {
    console.log(`Removing ${physicalId(v)}, which the rolled-back update published, failed (${messageOf(err)}); the rollback goes on. `
      + `Remove it by hand if it should not stay (its removal policy says ${v.removalPolicy}).`);
  }
}
