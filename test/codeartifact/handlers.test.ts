import { createHash } from 'crypto';
import { IncomingMessage } from 'http';
import { Socket } from 'net';
import * as v8 from 'v8';
import * as vm from 'vm';
import { CloudFormationClient, ListStackResourcesCommand, StackResourceSummary } from '@aws-sdk/client-cloudformation';
import {
  AllowPublish, AllowUpstream, CodeartifactClient, CopyPackageVersionsCommand, DeletePackageVersionsCommand, DescribePackageCommand,
  DescribePackageVersionCommand,
  DisposePackageVersionsCommand, ListPackageVersionAssetsCommand, PackageFormat, PackageVersionStatus, PublishPackageVersionCommand,
  PutPackageOriginConfigurationCommand, UpdatePackageVersionsStatusCommand,
} from '@aws-sdk/client-codeartifact';
import { GetObjectCommand, GetObjectCommandOutput, S3Client } from '@aws-sdk/client-s3';
import { CODEARTIFACT_API } from '../../src/codeartifact/private/api-constraints';
import {
  OriginControlProperties, PACKAGE_VERSION_FAMILY, PackageVersionProperties, PROMOTION_FAMILY, PromotionProperties,
} from '../../src/codeartifact/private/custom-resources/contract';
import { onOriginControlEvent } from '../../src/codeartifact/private/custom-resources/origin-control';
import { MAX_ASSET_BYTES, onPackageVersionEvent } from '../../src/codeartifact/private/custom-resources/package-version';
import { onPromotionEvent } from '../../src/codeartifact/private/custom-resources/promotion';
import { awsError, createEvent, deleteEvent, expectValidSdkInputs, handlerMocks, updateEvent } from '../kit';

const [codeartifact, s3, cfn] = handlerMocks(CodeartifactClient, S3Client, CloudFormationClient);
const client = new CodeartifactClient({});
const s3Client = new S3Client({});
const cfnClient = new CloudFormationClient({});

describe('package origin control', () => {
  const props: OriginControlProperties = {
    Domain: 'acme', DomainOwner: '123456789012', Repository: 'team', Format: 'npm', Namespace: 'acme', Package: 'ui', Publish: 'ALLOW', Upstream: 'BLOCK',
  };
  const key = '123456789012/acme/team/npm/acme/ui';
  const id = `${key}#ALLOW/ALLOW`;
  const pkg = { domain: 'acme', domainOwner: '123456789012', repository: 'team', format: 'npm', namespace: 'acme', package: 'ui' };
  const input = (publish: AllowPublish, upstream: AllowUpstream) => ({ ...pkg, restrictions: { publish, upstream } });
  const packageHas = (publish: AllowPublish, upstream: AllowUpstream) => codeartifact.on(DescribePackageCommand)
    .resolves({ package: { originConfiguration: { restrictions: { publish, upstream } } } });
  const noPackage = () => codeartifact.on(DescribePackageCommand).rejects(awsError('ResourceNotFoundException'));

  /** The stack's resources as ListStackResources lists them: this one and, optionally, other origin controls. */
  const stackHas = (...others: Array<Partial<StackResourceSummary>>) => cfn.on(ListStackResourcesCommand).resolves({
    StackResourceSummaries: others.map(o => ({
      LogicalResourceId: 'Moved',
      ResourceType: 'Custom::CdkDevtoolsCodeArtifactPackageOriginControl',
      ResourceStatus: 'CREATE_COMPLETE',
      LastUpdatedTimestamp: new Date(0),
      ...o,
    })),
  });
  beforeEach(() => stackHas());

  test('a create while another resource of the stack controls the package (a move) takes over its record', async () => {
    stackHas({ PhysicalResourceId: `${key}#ALLOW/BLOCK` });
    codeartifact.on(PutPackageOriginConfigurationCommand).resolves({});
    await expect(onOriginControlEvent(client, cfnClient, createEvent(props))).resolves.toEqual({ PhysicalResourceId: `${key}#ALLOW/BLOCK` });
    expect(codeartifact).not.toHaveReceivedCommand(DescribePackageCommand);
    expect(cfn).toHaveReceivedCommandWith(ListStackResourcesCommand, { StackName: createEvent(props).StackId });
  });

  test('a delete while another resource of the stack controls the package leaves it to that resource', async () => {
    stackHas({ PhysicalResourceId: `${key}#ALLOW/BLOCK`, LogicalResourceId: 'Moved' }, { PhysicalResourceId: 'other-package#none', LogicalResourceId: 'X' });
    await expect(onOriginControlEvent(client, cfnClient, deleteEvent(`${key}#ALLOW/BLOCK`, props))).resolves.toEqual({ PhysicalResourceId: `${key}#ALLOW/BLOCK` });
    expect(codeartifact).not.toHaveReceivedCommand(PutPackageOriginConfigurationCommand);
  });

  test('resources being deleted, of other packages or of another type do not count; a failed read of the stack changes nothing', async () => {
    stackHas(
      { PhysicalResourceId: `${key}#BLOCK/BLOCK`, ResourceStatus: 'DELETE_IN_PROGRESS' },
      { PhysicalResourceId: `${key}#BLOCK/BLOCK`, ResourceType: 'Custom::Other' },
      { PhysicalResourceId: `${key}x#BLOCK/BLOCK` },
      { PhysicalResourceId: `${key}#BLOCK/BLOCK`, LogicalResourceId: 'Resource' },
    );
    packageHas('ALLOW', 'BLOCK');
    codeartifact.on(PutPackageOriginConfigurationCommand).resolves({});
    await expect(onOriginControlEvent(client, cfnClient, createEvent(props))).resolves.toEqual({ PhysicalResourceId: `${key}#ALLOW/BLOCK` });
    cfn.on(ListStackResourcesCommand).rejects(awsError('Throttling'));
    await expect(onOriginControlEvent(client, cfnClient, createEvent(props))).resolves.toEqual({ PhysicalResourceId: `${key}#ALLOW/BLOCK` });
  });

  test('create records what the package had in the id, then puts the restrictions', async () => {
    packageHas('ALLOW', 'BLOCK');
    codeartifact.on(PutPackageOriginConfigurationCommand).resolves({});
    await expect(onOriginControlEvent(client, cfnClient, createEvent({ ...props, Publish: 'BLOCK' }))).resolves.toEqual({ PhysicalResourceId: `${key}#ALLOW/BLOCK` });
    expect(codeartifact).toHaveReceivedCommandWith(DescribePackageCommand, pkg);
    expect(codeartifact).toHaveReceivedCommandWith(PutPackageOriginConfigurationCommand, input('BLOCK', 'BLOCK'));
    expectValidSdkInputs(codeartifact, CODEARTIFACT_API);
  });

  test('create of a package that does not exist records none', async () => {
    noPackage();
    codeartifact.on(PutPackageOriginConfigurationCommand).resolves({});
    await expect(onOriginControlEvent(client, cfnClient, createEvent(props))).resolves.toEqual({ PhysicalResourceId: `${key}#none` });
    expect(codeartifact).toHaveReceivedCommandWith(PutPackageOriginConfigurationCommand, input('ALLOW', 'BLOCK'));
    expectValidSdkInputs(codeartifact, CODEARTIFACT_API);
  });

  test('a package without namespace sends none', async () => {
    noPackage();
    codeartifact.on(PutPackageOriginConfigurationCommand).resolves({});
    const pypi = { ...props, Format: 'pypi', Namespace: undefined, Package: 'acme-tools' };
    await expect(onOriginControlEvent(client, cfnClient, createEvent(pypi))).resolves.toEqual({ PhysicalResourceId: '123456789012/acme/team/pypi//acme-tools#none' });
    for (const call of codeartifact.calls()) expect(call.args[0].input).not.toHaveProperty('namespace', expect.anything());
    expectValidSdkInputs(codeartifact, CODEARTIFACT_API);
  });

  test('update of the modes changes them in place and keeps the record', async () => {
    codeartifact.on(PutPackageOriginConfigurationCommand).resolves({});
    const result = await onOriginControlEvent(client, cfnClient, updateEvent(id, { ...props, Publish: 'BLOCK' }, props));
    expect(result).toEqual({ PhysicalResourceId: id });
    expect(codeartifact).not.toHaveReceivedCommand(DescribePackageCommand);
    expect(codeartifact).toHaveReceivedCommandWith(PutPackageOriginConfigurationCommand, input('BLOCK', 'BLOCK'));
    expectValidSdkInputs(codeartifact, CODEARTIFACT_API);
  });

  test('update of a resource deployed before the record keeps its id (no replacement)', async () => {
    codeartifact.on(PutPackageOriginConfigurationCommand).resolves({});
    await expect(onOriginControlEvent(client, cfnClient, updateEvent(key, { ...props, Publish: 'BLOCK' }, props))).resolves.toEqual({ PhysicalResourceId: key });
  });

  // After a replacement rolls back, CloudFormation may send the old resource an Update with its own properties and
  // OldResourceProperties the new ones: it stays on its id and record, puts its modes back (whatever they are now),
  // and leaves the other package to the rollback's Delete, which acts with that package's role.
  test.each([
    ['with a record', `${key}#ALLOW/BLOCK`],
    ['from before the record', key],
  ])('an Update of an id %s that names the package keeps it, re-applies the modes and touches only that package', async (_name, physicalId) => {
    codeartifact.on(PutPackageOriginConfigurationCommand).resolves({});
    const result = await onOriginControlEvent(client, cfnClient, updateEvent(physicalId, props, { ...props, Package: 'icons' }));
    expect(result).toEqual({ PhysicalResourceId: physicalId });
    expect(codeartifact).not.toHaveReceivedCommand(DescribePackageCommand);
    expect(codeartifact).toHaveReceivedCommandTimes(PutPackageOriginConfigurationCommand, 1);
    expect(codeartifact).toHaveReceivedCommandWith(PutPackageOriginConfigurationCommand, input('ALLOW', 'BLOCK'));
    expectValidSdkInputs(codeartifact, CODEARTIFACT_API);
  });

  test('update to another package returns a new id (replacement)', async () => {
    packageHas('BLOCK', 'ALLOW');
    codeartifact.on(PutPackageOriginConfigurationCommand).resolves({});
    const result = await onOriginControlEvent(client, cfnClient, updateEvent(id, { ...props, Package: 'icons' }, props));
    expect(result).toEqual({ PhysicalResourceId: '123456789012/acme/team/npm/acme/icons#BLOCK/ALLOW' });
    expectValidSdkInputs(codeartifact, CODEARTIFACT_API);
  });

  // The repository (or its domain) was deleted outside the stack: an Update, forward or its rollback, configures
  // nothing and succeeds; a Create still fails, naming the repository.
  test.each([
    ['of the modes keeps its id', updateEvent(id, { ...props, Publish: 'BLOCK' }, props), id],
    ['to another package returns the new id, recording none', updateEvent(id, { ...props, Package: 'icons' }, props), '123456789012/acme/team/npm/acme/icons#none'],
  ])('an update %s when the repository is gone', async (_name, event, physicalId) => {
    noPackage();
    codeartifact.on(PutPackageOriginConfigurationCommand).rejects(awsError('ResourceNotFoundException'));
    await expect(onOriginControlEvent(client, cfnClient, event)).resolves.toEqual({ PhysicalResourceId: physicalId });
    expect(codeartifact).toHaveReceivedCommandTimes(PutPackageOriginConfigurationCommand, 1);
    expectValidSdkInputs(codeartifact, CODEARTIFACT_API);
  });

  test('a create fails with advice when the repository is gone', async () => {
    noPackage();
    codeartifact.on(PutPackageOriginConfigurationCommand).rejects(awsError('ResourceNotFoundException'));
    await expect(onOriginControlEvent(client, cfnClient, createEvent(props)))
      .rejects.toThrow(/Setting the package origin configuration failed for .*Check that the domain, its owner account and the repository exist/);
  });

  test('an update fails with advice on another error than not found', async () => {
    codeartifact.on(PutPackageOriginConfigurationCommand).rejects(awsError('ThrottlingException'));
    await expect(onOriginControlEvent(client, cfnClient, updateEvent(id, { ...props, Publish: 'BLOCK' }, props)))
      .rejects.toThrow(/Setting the package origin configuration failed for .*redeploy in a few minutes/);
  });

  // Every request reads its properties with the one parse of the contract: a mode the construct never renders
  // (a construct and handler of different versions) fails before any call, in Delete too.
  test.each([
    ['Create', createEvent({ ...props, Upstream: 'SOMETIMES' })],
    ['Update', updateEvent(id, props, { ...props, Publish: 'allow' })],
    ['Delete', deleteEvent(id, { ...props, Publish: undefined })],
  ])('%s fails on properties outside the contract', async (_type, event) => {
    await expect(onOriginControlEvent(client, cfnClient, event)).rejects.toThrow(/internal error: property (Publish|Upstream) (should be one of ALLOW, BLOCK|is missing)/);
    expect(codeartifact.calls()).toHaveLength(0);
  });

  test('a no-op update calls nothing', async () => {
    await expect(onOriginControlEvent(client, cfnClient, updateEvent(id, props, props))).resolves.toEqual({ PhysicalResourceId: id });
    expect(codeartifact.calls()).toHaveLength(0);
  });

  test.each<[string, string, OriginControlProperties, ReturnType<typeof input>]>([
    ['the recorded restrictions', `${key}#ALLOW/BLOCK`, { ...props, Publish: 'BLOCK' }, input('ALLOW', 'BLOCK')],
    ['ALLOW/ALLOW for a package the resource created', `${key}#none`, props, input('ALLOW', 'ALLOW')],
    ['ALLOW/BLOCK (a directly published package) when nothing was recorded', key, { ...props, Upstream: 'ALLOW' }, input('ALLOW', 'BLOCK')],
  ])('delete restores %s', async (_name, physicalId, properties, expected) => {
    packageHas(properties.Publish, properties.Upstream);
    codeartifact.on(PutPackageOriginConfigurationCommand).resolves({});
    await expect(onOriginControlEvent(client, cfnClient, deleteEvent(physicalId, properties))).resolves.toEqual({ PhysicalResourceId: physicalId });
    expect(codeartifact).toHaveReceivedCommandTimes(PutPackageOriginConfigurationCommand, 1);
    expect(codeartifact).toHaveReceivedCommandWith(PutPackageOriginConfigurationCommand, expected);
    expectValidSdkInputs(codeartifact, CODEARTIFACT_API);
  });

  test('delete of a resource from before the record restores even under its earlier policy (no DescribePackage)', async () => {
    codeartifact.on(DescribePackageCommand).rejects(awsError('AccessDeniedException'));
    codeartifact.on(PutPackageOriginConfigurationCommand).resolves({});
    await expect(onOriginControlEvent(client, cfnClient, deleteEvent(key, props))).resolves.toEqual({ PhysicalResourceId: key });
    expect(codeartifact).toHaveReceivedCommandWith(PutPackageOriginConfigurationCommand, input('ALLOW', 'BLOCK'));
    await expect(onOriginControlEvent(client, cfnClient, deleteEvent(id, props))).rejects.toThrow(/Restoring the package origin configuration .*lacks a permission/);
  });

  test('delete leaves restrictions someone else set since (e.g. the construct at a new path)', async () => {
    packageHas('BLOCK', 'BLOCK');
    await expect(onOriginControlEvent(client, cfnClient, deleteEvent(`${key}#ALLOW/ALLOW`, props))).resolves.toEqual({ PhysicalResourceId: `${key}#ALLOW/ALLOW` });
    expect(codeartifact).not.toHaveReceivedCommand(PutPackageOriginConfigurationCommand);
    expectValidSdkInputs(codeartifact, CODEARTIFACT_API);
  });

  test.each([
    ['the failed-create marker', 'AWSCDK::CustomResourceProviderFramework::CREATE_FAILED'],
    ['another package\'s id', '123456789012/acme/team/npm/acme/other#none'],
    ['a malformed record', `${key}#SOMETIMES/ALLOW`],
  ])('delete with %s touches nothing', async (_name, physicalId) => {
    await expect(onOriginControlEvent(client, cfnClient, deleteEvent(physicalId, props))).resolves.toEqual({ PhysicalResourceId: physicalId });
    expect(codeartifact.calls()).toHaveLength(0);
  });

  test('delete succeeds when the package or repository is already gone', async () => {
    noPackage();
    await expect(onOriginControlEvent(client, cfnClient, deleteEvent(id, props))).resolves.toEqual({ PhysicalResourceId: id });
    codeartifact.on(DescribePackageCommand).resolves({ package: { originConfiguration: { restrictions: { publish: 'ALLOW', upstream: 'BLOCK' } } } });
    codeartifact.on(PutPackageOriginConfigurationCommand).rejects(awsError('ResourceNotFoundException'));
    await expect(onOriginControlEvent(client, cfnClient, deleteEvent(id, props))).resolves.toEqual({ PhysicalResourceId: id });
    expectValidSdkInputs(codeartifact, CODEARTIFACT_API);
  });

  test.each([
    ['ThrottlingException', /CodeArtifact is throttling or briefly unavailable \(the SDK already retried\); redeploy in a few minutes/],
    ['ResourceNotFoundException', /Check that the domain, its owner account and the repository exist/],
    ['AccessDeniedException', /The resource's role, which the handler acts as, lacks a permission/],
    ['ValidationException', /Fix the property CodeArtifact rejects/],
    ['InternalServerException', /redeploy in a few minutes/],
  ])('create fails with advice on %s', async (name, advice) => {
    noPackage();
    codeartifact.on(PutPackageOriginConfigurationCommand).rejects(awsError(name));
    await expect(onOriginControlEvent(client, cfnClient, createEvent(props)))
      .rejects.toThrow(new RegExp(`Setting the package origin configuration failed for package ${key}: ${name}.*${advice.source}`));
    expectValidSdkInputs(codeartifact, CODEARTIFACT_API);
  });

  test('create fails with advice when the package cannot be read', async () => {
    codeartifact.on(DescribePackageCommand).rejects(awsError('AccessDeniedException'));
    await expect(onOriginControlEvent(client, cfnClient, createEvent(props))).rejects.toThrow(/Setting the package origin configuration failed .*The resource's role, which the handler acts as, lacks a permission/);
    expect(codeartifact).not.toHaveReceivedCommand(PutPackageOriginConfigurationCommand);
  });

  test('delete fails on throttling (the restore must not be skipped)', async () => {
    packageHas('ALLOW', 'BLOCK');
    codeartifact.on(PutPackageOriginConfigurationCommand).rejects(awsError('ThrottlingException'));
    await expect(onOriginControlEvent(client, cfnClient, deleteEvent(`${key}#ALLOW/ALLOW`, props)))
      .rejects.toThrow(/Restoring the package origin configuration to ALLOW\/ALLOW failed/);
    expectValidSdkInputs(codeartifact, CODEARTIFACT_API);
  });
});

describe('generic package version', () => {
  const content = Buffer.from('#!/bin/sh\necho deploy\n');
  const sha = createHash('sha256').update(content).digest('hex');
  const props: PackageVersionProperties = {
    Domain: 'acme',
    DomainOwner: '123456789012',
    Repository: 'team',
    Namespace: 'tools',
    Package: 'deploy-cli',
    Version: '1.4.0',
    AssetName: 'deploy-cli.sh',
    AssetBucket: 'cdk-assets',
    AssetKey: 'abc.sh',
    Unfinished: false,
    RemovalPolicy: 'retain',
  };
  const id = '123456789012/acme/team/generic/tools/deploy-cli/1.4.0';
  const target = { domain: 'acme', domainOwner: '123456789012', repository: 'team', format: PackageFormat.GENERIC, namespace: 'tools', package: 'deploy-cli' };
  // A body like the SDK's in Lambda: a Node.js stream with the SDK's `transformToByteArray`, which (as
  // @smithy/util-stream's sdkStreamMixin with node-http-handler's streamCollector) collects the chunks, then joins them.
  // Typed as the SDK types it in Node.js: an IncomingMessage with the mixin's methods, fed from `chunks` as it is read.
  const bodyOf = (chunks: Iterable<Uint8Array>): GetObjectCommandOutput['Body'] => {
    const iterator = chunks[Symbol.iterator]();
    const stream = new IncomingMessage(new Socket());
    stream._read = () => {
      const next = iterator.next();
      if (next.done) stream.complete = true;
      stream.push(next.done ? null : next.value);
    };
    const transformToByteArray = async () => {
      const parts: Uint8Array[] = [];
      for await (const part of stream) parts.push(part);
      return Buffer.concat(parts);
    };
    return Object.assign(stream, {
      transformToByteArray,
      transformToString: async () => Buffer.from(await transformToByteArray()).toString(),
      transformToWebStream: (): never => { throw new Error('the handler reads the body as a Node.js stream'); },
    });
  };
  const withAsset = (bytes: Buffer = content) => s3.on(GetObjectCommand, { Bucket: 'cdk-assets', Key: 'abc.sh' }).resolves({
    ContentLength: bytes.length, Body: bodyOf([bytes]),
  });
  const versionMissing = () => codeartifact.on(DescribePackageVersionCommand).rejects(awsError('ResourceNotFoundException'));
  const versionExists = (status: PackageVersionStatus, assets: Record<string, string>) => {
    codeartifact.on(DescribePackageVersionCommand).resolves({ packageVersion: { status } });
    codeartifact.on(ListPackageVersionAssetsCommand).resolves({ assets: Object.entries(assets).map(([name, h]) => ({ name, hashes: { 'SHA-256': h } })) });
  };

  test('create publishes the asset with its SHA-256', async () => {
    withAsset();
    versionMissing();
    codeartifact.on(PublishPackageVersionCommand).resolves({ status: 'Published' });
    await expect(onPackageVersionEvent(client, s3Client, createEvent(props)))
      .resolves.toEqual({ PhysicalResourceId: id, Data: { AssetSha256: sha, Status: 'Published' } });
    expect(codeartifact).toHaveReceivedCommandWith(PublishPackageVersionCommand, {
      ...target, packageVersion: '1.4.0', assetName: 'deploy-cli.sh', assetSHA256: sha, unfinished: false,
    });
    expect(Buffer.from(codeartifact.commandCalls(PublishPackageVersionCommand)[0].args[0].input.assetContent as Uint8Array)).toEqual(content);
    expectValidSdkInputs(codeartifact, CODEARTIFACT_API);
  });

  test('create of an unfinished version', async () => {
    withAsset();
    versionMissing();
    codeartifact.on(PublishPackageVersionCommand).resolves({ status: 'Unfinished' });
    const result = await onPackageVersionEvent(client, s3Client, createEvent({ ...props, Unfinished: true }));
    expect(result.Data).toEqual({ AssetSha256: sha, Status: 'Unfinished' });
    expect(codeartifact).toHaveReceivedCommandWith(PublishPackageVersionCommand, { unfinished: true });
    expectValidSdkInputs(codeartifact, CODEARTIFACT_API);
  });

  test('create is idempotent: the same content already published is left alone', async () => {
    withAsset();
    versionExists('Published', { 'deploy-cli.sh': sha });
    await expect(onPackageVersionEvent(client, s3Client, createEvent(props)))
      .resolves.toEqual({ PhysicalResourceId: id, Data: { AssetSha256: sha, Status: 'Published' } });
    expect(codeartifact).not.toHaveReceivedCommand(PublishPackageVersionCommand);
    expectValidSdkInputs(codeartifact, CODEARTIFACT_API);
  });

  test('republishing the same version with different content fails clearly', async () => {
    withAsset(Buffer.from('other'));
    versionExists('Published', { 'deploy-cli.sh': sha });
    await expect(onPackageVersionEvent(client, s3Client, updateEvent(id, { ...props, AssetKey: 'abc.sh' }, { ...props, AssetKey: 'old.sh' })))
      .rejects.toThrow(new RegExp(`asset 'deploy-cli.sh' of this version was published with SHA-256 ${sha}, and the new content has [0-9a-f]{64}; `
        + 'published package versions are immutable. Publish the new content as a new version'));
    expect(codeartifact).not.toHaveReceivedCommand(PublishPackageVersionCommand);
    expectValidSdkInputs(codeartifact, CODEARTIFACT_API);
  });

  test('a new asset for a published version fails', async () => {
    withAsset();
    versionExists('Published', { 'other.sh': sha });
    await expect(onPackageVersionEvent(client, s3Client, createEvent(props))).rejects.toThrow(/status Published and without asset 'deploy-cli.sh'; only Unfinished versions/);
    expectValidSdkInputs(codeartifact, CODEARTIFACT_API);
  });

  test('an Unfinished version takes a new asset', async () => {
    withAsset();
    versionExists('Unfinished', { 'other.sh': 'f'.repeat(64) });
    codeartifact.on(PublishPackageVersionCommand).resolves({ status: 'Published' });
    await expect(onPackageVersionEvent(client, s3Client, createEvent(props))).resolves.toMatchObject({ Data: { Status: 'Published' } });
    expectValidSdkInputs(codeartifact, CODEARTIFACT_API);
  });

  test('update from unfinished to finished publishes the version', async () => {
    withAsset();
    versionExists('Unfinished', { 'deploy-cli.sh': sha });
    codeartifact.on(UpdatePackageVersionsStatusCommand).resolves({ successfulVersions: { '1.4.0': { status: 'Published' } } });
    const result = await onPackageVersionEvent(client, s3Client, updateEvent(id, props, { ...props, Unfinished: true }));
    expect(result).toEqual({ PhysicalResourceId: id, Data: { AssetSha256: sha, Status: 'Published' } });
    // The attributes are those the construct reads (attr) by the family's names.
    expect(Object.keys(result.Data!).sort()).toEqual([...PACKAGE_VERSION_FAMILY.attributes].sort());
    expect(codeartifact).toHaveReceivedCommandWith(UpdatePackageVersionsStatusCommand, {
      ...target, versions: ['1.4.0'], expectedStatus: 'Unfinished', targetStatus: 'Published',
    });
    expectValidSdkInputs(codeartifact, CODEARTIFACT_API);
  });

  test('update to finished fails when CodeArtifact reports the version in failedVersions', async () => {
    withAsset();
    versionExists('Unfinished', { 'deploy-cli.sh': sha });
    codeartifact.on(UpdatePackageVersionsStatusCommand).resolves({
      successfulVersions: {}, failedVersions: { '1.4.0': { errorCode: 'MISMATCHED_STATUS', errorMessage: 'version 1.4.0 is Archived' } },
    });
    await expect(onPackageVersionEvent(client, s3Client, updateEvent(id, props, { ...props, Unfinished: true })))
      .rejects.toThrow(new RegExp(`Publishing a generic package version failed for ${id}: changing its status from Unfinished to Published failed `
        + 'with MISMATCHED_STATUS: version 1.4.0 is Archived. Check the version\'s status .*publish the content as a new version'));
    expectValidSdkInputs(codeartifact, CODEARTIFACT_API);
  });

  test('update from published back to unfinished fails', async () => {
    withAsset();
    versionExists('Published', { 'deploy-cli.sh': sha });
    await expect(onPackageVersionEvent(client, s3Client, updateEvent(id, { ...props, Unfinished: true }, props)))
      .rejects.toThrow(/a Published version cannot become Unfinished/);
    expectValidSdkInputs(codeartifact, CODEARTIFACT_API);
  });

  test('update to a new version publishes it under a new id (replacement)', async () => {
    withAsset();
    versionMissing();
    codeartifact.on(PublishPackageVersionCommand).resolves({ status: 'Published' });
    const result = await onPackageVersionEvent(client, s3Client, updateEvent(id, { ...props, Version: '1.5.0' }, props));
    expect(result.PhysicalResourceId).toBe('123456789012/acme/team/generic/tools/deploy-cli/1.5.0');
    expect(codeartifact).toHaveReceivedCommandWith(PublishPackageVersionCommand, { packageVersion: '1.5.0' });
    expectValidSdkInputs(codeartifact, CODEARTIFACT_API);
  });

  test('a no-op update (only the removal policy changed) only reads that the version exists', async () => {
    versionExists('Published', { 'deploy-cli.sh': sha });
    await expect(onPackageVersionEvent(client, s3Client, updateEvent(id, { ...props, RemovalPolicy: 'delete' }, props)))
      .resolves.toEqual({ PhysicalResourceId: id });
    expect(codeartifact.calls().map(c => c.args[0].constructor.name)).toEqual(['DescribePackageVersionCommand']);
    expect(codeartifact).toHaveReceivedCommandWith(DescribePackageVersionCommand, { ...target, packageVersion: '1.4.0' });
    expect(s3.calls()).toHaveLength(0);
    expectValidSdkInputs(codeartifact, CODEARTIFACT_API);
  });

  test('a no-op update of a version deleted outside the stack publishes it again', async () => {
    withAsset();
    versionMissing();
    codeartifact.on(PublishPackageVersionCommand).resolves({ status: 'Published' });
    await expect(onPackageVersionEvent(client, s3Client, updateEvent(id, { ...props, RemovalPolicy: 'delete' }, props)))
      .resolves.toEqual({ PhysicalResourceId: id, Data: { AssetSha256: sha, Status: 'Published' } });
    expect(codeartifact).toHaveReceivedCommandWith(PublishPackageVersionCommand, { ...target, packageVersion: '1.4.0', assetSHA256: sha });
    expectValidSdkInputs(codeartifact, CODEARTIFACT_API);
  });

  test('a no-op update fails with advice when the version cannot be read', async () => {
    codeartifact.on(DescribePackageVersionCommand).rejects(awsError('ThrottlingException'));
    await expect(onPackageVersionEvent(client, s3Client, updateEvent(id, { ...props, RemovalPolicy: 'delete' }, props)))
      .rejects.toThrow(new RegExp(`Reading a generic package version failed for ${id}: ThrottlingException.*redeploy in a few minutes`));
    expect(codeartifact).not.toHaveReceivedCommand(PublishPackageVersionCommand);
  });

  describe('an Update back to the physical id\'s version from another (a rollback after a replacement)', () => {
    const newer = { ...props, Version: '1.5.0', RemovalPolicy: 'delete' as const };
    const oldRoleClient = new CodeartifactClient({});

    test('keeps the version and removes the other as its removal policy says, with the client of its role', async () => {
      withAsset();
      versionExists('Published', { 'deploy-cli.sh': sha });
      codeartifact.on(DeletePackageVersionsCommand).resolves({ successfulVersions: { '1.5.0': { status: 'Deleted' } } });
      const clientOfOld = jest.fn(() => oldRoleClient);
      await expect(onPackageVersionEvent(client, s3Client, updateEvent(id, props, newer), clientOfOld))
        .resolves.toEqual({ PhysicalResourceId: id, Data: { AssetSha256: sha, Status: 'Published' } });
      expect(clientOfOld).toHaveBeenCalledTimes(1);
      expect(codeartifact).toHaveReceivedCommandWith(DeletePackageVersionsCommand, { ...target, versions: ['1.5.0'] });
      expect(codeartifact).not.toHaveReceivedCommand(PublishPackageVersionCommand);
      expectValidSdkInputs(codeartifact, CODEARTIFACT_API);
    });

    test('leaves the other when its removal policy retains it', async () => {
      withAsset();
      versionExists('Published', { 'deploy-cli.sh': sha });
      await onPackageVersionEvent(client, s3Client, updateEvent(id, props, { ...newer, RemovalPolicy: 'retain' }), () => oldRoleClient);
      expect(codeartifact).not.toHaveReceivedCommand(DeletePackageVersionsCommand);
      expect(codeartifact).not.toHaveReceivedCommand(DisposePackageVersionsCommand);
    });

    test('succeeds, saying what to remove by hand, when the removal fails', async () => {
      withAsset();
      versionExists('Published', { 'deploy-cli.sh': sha });
      codeartifact.on(DeletePackageVersionsCommand).rejects(awsError('AccessDeniedException'));
      const log = jest.spyOn(console, 'log').mockImplementation(() => {});
      try {
        await expect(onPackageVersionEvent(client, s3Client, updateEvent(id, props, newer), () => oldRoleClient))
          .resolves.toMatchObject({ PhysicalResourceId: id });
        expect(log).toHaveBeenCalledWith(expect.stringMatching(/Removing .*\/1\.5\.0, which the rolled-back update published, failed .*AccessDeniedException.*Remove it by hand/));
      } finally {
        log.mockRestore();
      }
    });
  });

  test.each([
    ['Create', createEvent({ ...props, RemovalPolicy: 'destroy' })],
    ['Update', updateEvent(id, props, { ...props, Unfinished: 'maybe' })],
    ['Delete', deleteEvent(id, { ...props, AssetKey: undefined })],
  ])('%s fails on properties outside the contract', async (_type, event) => {
    await expect(onPackageVersionEvent(client, s3Client, event))
      .rejects.toThrow(/internal error: property (RemovalPolicy should be one of retain, dispose, delete|Unfinished should be 'true' or 'false'|AssetKey is missing)/);
    expect(codeartifact.calls()).toHaveLength(0);
    expect(s3.calls()).toHaveLength(0);
  });

  test('delete retains by default', async () => {
    await expect(onPackageVersionEvent(client, s3Client, deleteEvent(id, props))).resolves.toEqual({ PhysicalResourceId: id });
    expect(codeartifact.calls()).toHaveLength(0);
  });

  test('delete with DELETE deletes the version', async () => {
    codeartifact.on(DeletePackageVersionsCommand).resolves({ successfulVersions: { '1.4.0': { status: 'Deleted' } }, failedVersions: {} });
    await onPackageVersionEvent(client, s3Client, deleteEvent(id, { ...props, RemovalPolicy: 'delete' }));
    expect(codeartifact).toHaveReceivedCommandWith(DeletePackageVersionsCommand, { ...target, versions: ['1.4.0'] });
    expectValidSdkInputs(codeartifact, CODEARTIFACT_API);
  });

  test('delete with DISPOSE disposes the version', async () => {
    codeartifact.on(DisposePackageVersionsCommand).resolves({ successfulVersions: { '1.4.0': { status: 'Disposed' } } });
    await onPackageVersionEvent(client, s3Client, deleteEvent(id, { ...props, RemovalPolicy: 'dispose' }));
    expect(codeartifact).toHaveReceivedCommandWith(DisposePackageVersionsCommand, { ...target, versions: ['1.4.0'] });
    expectValidSdkInputs(codeartifact, CODEARTIFACT_API);
  });

  test('delete when already gone succeeds (repository gone, or version NOT_FOUND)', async () => {
    codeartifact.on(DeletePackageVersionsCommand).rejectsOnce(awsError('ResourceNotFoundException'))
      .resolves({ failedVersions: { '1.4.0': { errorCode: 'NOT_FOUND', errorMessage: 'gone' } } });
    await expect(onPackageVersionEvent(client, s3Client, deleteEvent(id, { ...props, RemovalPolicy: 'delete' }))).resolves.toEqual({ PhysicalResourceId: id });
    await expect(onPackageVersionEvent(client, s3Client, deleteEvent(id, { ...props, RemovalPolicy: 'delete' }))).resolves.toEqual({ PhysicalResourceId: id });
    expectValidSdkInputs(codeartifact, CODEARTIFACT_API);
  });

  test('delete fails on another per-version error', async () => {
    codeartifact.on(DisposePackageVersionsCommand).resolves({ failedVersions: { '1.4.0': { errorCode: 'MISMATCHED_STATUS', errorMessage: 'archived' } } });
    await expect(onPackageVersionEvent(client, s3Client, deleteEvent(id, { ...props, RemovalPolicy: 'dispose' })))
      .rejects.toThrow(/Removing \(dispose\) a generic package version failed for .*: MISMATCHED_STATUS: archived/);
    expectValidSdkInputs(codeartifact, CODEARTIFACT_API);
  });

  describe('a Delete of the id CloudFormation invents for a cancelled Create', () => {
    const invented = 'TestStack-Version-1A2B3C4D5E6F';
    const deleting = { ...props, RemovalPolicy: 'delete' as const };

    test('removes the version when it holds the asset with its content', async () => {
      withAsset();
      versionExists('Published', { 'deploy-cli.sh': sha });
      codeartifact.on(DeletePackageVersionsCommand).resolves({ successfulVersions: { '1.4.0': { status: 'Deleted' } } });
      await expect(onPackageVersionEvent(client, s3Client, deleteEvent(invented, deleting))).resolves.toEqual({ PhysicalResourceId: invented });
      expect(codeartifact).toHaveReceivedCommandWith(DeletePackageVersionsCommand, { ...target, versions: ['1.4.0'] });
      expectValidSdkInputs(codeartifact, CODEARTIFACT_API);
    });

    test.each([
      ['does not exist', () => versionMissing()],
      ['holds other content', () => versionExists('Published', { 'deploy-cli.sh': 'e'.repeat(64) })],
      ['lacks the asset', () => versionExists('Published', { 'other.sh': sha })],
    ])('removes nothing when the version %s', async (_case, arrange) => {
      withAsset();
      arrange();
      await expect(onPackageVersionEvent(client, s3Client, deleteEvent(invented, deleting))).resolves.toEqual({ PhysicalResourceId: invented });
      expect(codeartifact).not.toHaveReceivedCommand(DeletePackageVersionsCommand);
    });

    test('reads nothing when the removal policy retains the version', async () => {
      await onPackageVersionEvent(client, s3Client, deleteEvent(invented, props));
      expect(codeartifact.calls()).toHaveLength(0);
      expect(s3.calls()).toHaveLength(0);
    });

    test('fails with advice when the version cannot be read (so CloudFormation retries)', async () => {
      codeartifact.on(DescribePackageVersionCommand).rejects(awsError('ThrottlingException'));
      await expect(onPackageVersionEvent(client, s3Client, deleteEvent(invented, deleting)))
        .rejects.toThrow(/Reading the version a cancelled create published failed for .*redeploy in a few minutes/);
    });
  });

  test('delete of a resource whose create failed touches nothing', async () => {
    await onPackageVersionEvent(client, s3Client, deleteEvent('AWSCDK::CustomResourceProviderFramework::CREATE_FAILED', { ...props, RemovalPolicy: 'delete' }));
    expect(codeartifact.calls()).toHaveLength(0);
  });

  test.each([
    ['ThrottlingException', /redeploy in a few minutes/],
    ['ConflictException', /Another operation changed the same package/],
    ['ServiceQuotaExceededException', /request an increase in Service Quotas/],
    ['ResourceNotFoundException', /Check that the domain, its owner account and the repository exist/],
  ])('publish fails with advice on %s', async (name, advice) => {
    withAsset();
    versionMissing();
    codeartifact.on(PublishPackageVersionCommand).rejects(awsError(name));
    await expect(onPackageVersionEvent(client, s3Client, createEvent(props)))
      .rejects.toThrow(new RegExp(`Publishing a generic package version failed for ${id}: ${name}.*${advice.source}`));
    expectValidSdkInputs(codeartifact, CODEARTIFACT_API);
  });

  test('throttling on delete fails (so CloudFormation retries the delete)', async () => {
    codeartifact.on(DeletePackageVersionsCommand).rejects(awsError('ThrottlingException'));
    await expect(onPackageVersionEvent(client, s3Client, deleteEvent(id, { ...props, RemovalPolicy: 'delete' }))).rejects.toThrow(/redeploy in a few minutes/);
    expectValidSdkInputs(codeartifact, CODEARTIFACT_API);
  });

  test('a body shorter or longer than S3 announced fails', async () => {
    s3.on(GetObjectCommand).resolvesOnce({ ContentLength: 10, Body: bodyOf([Buffer.from('short')]) })
      .resolves({ ContentLength: 2, Body: bodyOf([Buffer.from('longer')]) });
    await expect(onPackageVersionEvent(client, s3Client, createEvent(props))).rejects.toThrow(/the object ended after 5 of the 10 bytes S3 announced/);
    await expect(onPackageVersionEvent(client, s3Client, createEvent(props))).rejects.toThrow(/the object has more than the 2 bytes S3 announced/);
    expect(codeartifact.calls()).toHaveLength(0);
  });

  // The function has 256 MB: the asset (up to MAX_ASSET_BYTES) may be in memory once. Measured as the growth of
  // ArrayBuffer memory (where Buffers live) from before the handler to the first call after reading and to the
  // upload (the larger of the two), with a full garbage collection before the start and before each chunk and none
  // after the last, so that a copy the handler made and dropped after reading still counts. Reading a 64 MB body
  // with transformToByteArray, as the handler did, measures 2 copies (the chunks and their join); one buffer, 1.03.
  test('publishing a large asset holds it in memory once', async () => {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const size = 64 * 1024 * 1024;
    const chunkSize = 1024 * 1024; // a fresh chunk each time, as from the network
    function* chunks() {
      for (let sent = 0; sent < size; sent += chunkSize) {
        gc(); // chunks the handler dropped are gone: what remains is what it holds
        yield Buffer.alloc(chunkSize, 7);
      }
    }
    s3.on(GetObjectCommand).callsFake(async () => ({ ContentLength: size, Body: bodyOf(chunks()) }));
    // Sampled at the first call after reading (DescribePackageVersion) and at the upload.
    let growth = 0;
    const sample = () => { growth = Math.max(growth, process.memoryUsage().arrayBuffers - baseline); };
    codeartifact.on(DescribePackageVersionCommand).callsFake(async () => {
      sample();
      throw awsError('ResourceNotFoundException');
    });
    let published: Uint8Array | undefined;
    codeartifact.on(PublishPackageVersionCommand).callsFake(async input => {
      sample();
      published = input.assetContent;
      return { status: 'Published' };
    });
    gc();
    const baseline = process.memoryUsage().arrayBuffers;
    await onPackageVersionEvent(client, s3Client, createEvent(props));
    expect(published?.length).toBe(size);
    // Only an upper bound: memory the test process frees meanwhile can lower the figure, never raise it.
    expect(growth / size).toBeLessThan(1.5);
    published = undefined;
    gc();
  });

  test('a missing or too large asset fails with advice', async () => {
    s3.on(GetObjectCommand).rejectsOnce(awsError('NoSuchKey')).resolves({ ContentLength: MAX_ASSET_BYTES + 1 });
    await expect(onPackageVersionEvent(client, s3Client, createEvent(props))).rejects.toThrow(/Reading the asset failed for s3:\/\/cdk-assets\/abc.sh: NoSuchKey/);
    await expect(onPackageVersionEvent(client, s3Client, createEvent(props))).rejects.toThrow(/more than the 104857600 bytes the handler publishes/);
    expect(codeartifact.calls()).toHaveLength(0);
  });
});

describe('package promotion', () => {
  const props: PromotionProperties = {
    Domain: 'acme',
    DomainOwner: '123456789012',
    SourceRepository: 'staging',
    DestinationRepository: 'release',
    Format: 'npm',
    Namespace: 'acme',
    Package: 'ui',
    Versions: ['2.3.0', '2.3.1'],
    AllowOverwrite: false,
    IncludeFromUpstream: false,
  };
  const id = '123456789012/acme/staging..release/npm/acme/ui';
  const copy = {
    domain: 'acme',
    domainOwner: '123456789012',
    sourceRepository: 'staging',
    destinationRepository: 'release',
    format: PackageFormat.NPM,
    namespace: 'acme',
    package: 'ui',
  };
  const inRepository = (repository: string) => ({ domain: 'acme', domainOwner: '123456789012', repository, format: PackageFormat.NPM, namespace: 'acme', package: 'ui' });
  const copied = (...versions: string[]) => Object.fromEntries(versions.map(v => [v, { revision: `rev-${v}`, status: 'Published' as const }]));
  const revisionIn = (repository: string, version: string, revision: string) => codeartifact
    .on(DescribePackageVersionCommand, { ...inRepository(repository), packageVersion: version }).resolves({ packageVersion: { revision } });

  test('create copies the versions and reports each one\'s revision', async () => {
    codeartifact.on(CopyPackageVersionsCommand).resolves({ successfulVersions: copied('2.3.0', '2.3.1'), failedVersions: {} });
    const result = await onPromotionEvent(client, createEvent(props));
    expect(result).toEqual({ PhysicalResourceId: id, Data: { PromotedRevisions: '2.3.0=rev-2.3.0,2.3.1=rev-2.3.1' } });
    // The attributes are those the construct reads (attr) by the family's names.
    expect(Object.keys(result.Data!).sort()).toEqual([...PROMOTION_FAMILY.attributes].sort());
    expect(codeartifact).toHaveReceivedCommandWith(CopyPackageVersionsCommand, {
      ...copy, versions: ['2.3.0', '2.3.1'], allowOverwrite: false, includeFromUpstream: false,
    });
    expect(codeartifact.commandCalls(CopyPackageVersionsCommand)[0].args[0].input).not.toHaveProperty('versionRevisions');
    expectValidSdkInputs(codeartifact, CODEARTIFACT_API);
  });

  test('pinned revisions, overwrite and upstreams reach the copy as CloudFormation sends them (strings); no namespace for PyPI', async () => {
    codeartifact.on(CopyPackageVersionsCommand).resolves({ successfulVersions: { '1.0': { revision: 'r1', status: 'Published' } } });
    const pinned = {
      ...props, Format: 'pypi', Namespace: undefined, Versions: undefined, VersionRevisions: { '1.0': 'r1' }, AllowOverwrite: 'true', IncludeFromUpstream: 'true',
    };
    await expect(onPromotionEvent(client, createEvent(pinned))).resolves.toEqual({
      PhysicalResourceId: '123456789012/acme/staging..release/pypi//ui', Data: { PromotedRevisions: '1.0=r1' },
    });
    const input = codeartifact.commandCalls(CopyPackageVersionsCommand)[0].args[0].input;
    expect(input).toEqual({ ...copy, format: 'pypi', namespace: undefined, versionRevisions: { '1.0': 'r1' }, allowOverwrite: true, includeFromUpstream: true });
    expect(input).not.toHaveProperty('versions');
    expectValidSdkInputs(codeartifact, CODEARTIFACT_API);
  });

  test('a version the destination holds with the source\'s revision was promoted before: the create succeeds', async () => {
    codeartifact.on(CopyPackageVersionsCommand).resolves({
      successfulVersions: copied('2.3.1'), failedVersions: { '2.3.0': { errorCode: 'ALREADY_EXISTS', errorMessage: 'exists' } },
    });
    revisionIn('release', '2.3.0', 'same');
    revisionIn('staging', '2.3.0', 'same');
    await expect(onPromotionEvent(client, createEvent(props))).resolves.toEqual({
      PhysicalResourceId: id, Data: { PromotedRevisions: '2.3.0=same,2.3.1=rev-2.3.1' },
    });
    expectValidSdkInputs(codeartifact, CODEARTIFACT_API);
  });

  test('with pinned revisions, the destination\'s revision is compared with the pinned one (the source is not read)', async () => {
    codeartifact.on(CopyPackageVersionsCommand).resolves({ failedVersions: { '2.3.0': { errorCode: 'ALREADY_EXISTS', errorMessage: 'exists' } } });
    revisionIn('release', '2.3.0', 'pinned');
    const pinned = { ...props, Versions: undefined, VersionRevisions: { '2.3.0': 'pinned' } };
    await expect(onPromotionEvent(client, createEvent(pinned))).resolves.toMatchObject({ Data: { PromotedRevisions: '2.3.0=pinned' } });
    expect(codeartifact).not.toHaveReceivedCommandWith(DescribePackageVersionCommand, { repository: 'staging' });
  });

  test('a version the destination holds with another revision fails with allowOverwrite as the way out', async () => {
    codeartifact.on(CopyPackageVersionsCommand).resolves({
      successfulVersions: copied('2.3.1'), failedVersions: { '2.3.0': { errorCode: 'ALREADY_EXISTS', errorMessage: 'exists' } },
    });
    revisionIn('release', '2.3.0', 'old');
    revisionIn('staging', '2.3.0', 'new');
    await expect(onPromotionEvent(client, createEvent(props))).rejects.toThrow(
      `Promoting package versions failed for ${id}: 1 of 2 versions were not copied to release: 2.3.0: ALREADY_EXISTS (exists); `
      + '2.3.1 is in release and stays there (copies are never undone). the destination holds another revision of a version: promote a new version, '
      + 'or set `allowOverwrite` to replace it');
  });

  test('a version only in an upstream of the source (not described there) is not taken for promoted', async () => {
    codeartifact.on(CopyPackageVersionsCommand).resolves({ failedVersions: { '2.3.0': { errorCode: 'ALREADY_EXISTS', errorMessage: 'exists' } } });
    revisionIn('release', '2.3.0', 'r');
    codeartifact.on(DescribePackageVersionCommand, { repository: 'staging' }).rejects(awsError('ResourceNotFoundException'));
    await expect(onPromotionEvent(client, createEvent({ ...props, Versions: ['2.3.0'], IncludeFromUpstream: true })))
      .rejects.toThrow(/1 of 1 versions were not copied to release: 2\.3\.0: ALREADY_EXISTS/);
  });

  test.each([
    ['MISMATCHED_REVISION', /fix the revision, or promote a new version/],
    ['MISMATCHED_STATUS', /does not allow a copy \(e\.g\. Unfinished, Archived or Disposed\)/],
    ['NOT_ALLOWED', /origin controls or package group in the destination refuse the copy/],
    ['NOT_FOUND', /publish it there first, or set `includeFromUpstream`/],
    ['SKIPPED', /skipped versions because others failed/],
  ] as const)('%s fails the request with the version\'s reason and what to do', async (errorCode, advice) => {
    codeartifact.on(CopyPackageVersionsCommand).resolves({ failedVersions: { '2.3.0': { errorCode, errorMessage: 'why' }, '2.3.1': { errorCode, errorMessage: 'why' } } });
    const failure = onPromotionEvent(client, createEvent(props));
    await expect(failure).rejects.toThrow(`2 of 2 versions were not copied to release: 2.3.0: ${errorCode} (why); 2.3.1: ${errorCode} (why). `);
    await expect(onPromotionEvent(client, createEvent(props))).rejects.toThrow(advice);
    expect(codeartifact).not.toHaveReceivedCommand(DescribePackageVersionCommand);
  });

  test('a version CodeArtifact reports neither copied nor failed fails the request', async () => {
    codeartifact.on(CopyPackageVersionsCommand).resolves({ successfulVersions: copied('2.3.0') });
    await expect(onPromotionEvent(client, createEvent(props))).rejects.toThrow(
      /1 of 2 versions were not copied to release: 2\.3\.1: UNKNOWN \(CodeArtifact did not report it\); 2\.3\.0 is in release and stays there/);
  });

  test('a refused copy or a failed read says what to do', async () => {
    codeartifact.on(CopyPackageVersionsCommand).rejects(awsError('ResourceNotFoundException', 'Repository release not found'));
    await expect(onPromotionEvent(client, createEvent(props))).rejects.toThrow(
      `Promoting package versions failed for ${id}: ResourceNotFoundException: Repository release not found. Check that the domain`);
    codeartifact.reset();
    codeartifact.on(CopyPackageVersionsCommand).resolves({ failedVersions: { '2.3.0': { errorCode: 'ALREADY_EXISTS', errorMessage: 'exists' } } });
    codeartifact.on(DescribePackageVersionCommand).rejects(awsError('AccessDeniedException', 'denied'));
    await expect(onPromotionEvent(client, createEvent(props))).rejects.toThrow(/AccessDeniedException: denied\. The resource's role/);
  });

  test('update copies the new list in place; another package or repository is a new id (replacement)', async () => {
    codeartifact.on(CopyPackageVersionsCommand).resolves({ successfulVersions: copied('2.4.0') });
    await expect(onPromotionEvent(client, updateEvent(id, { ...props, Versions: ['2.4.0'] }, props)))
      .resolves.toEqual({ PhysicalResourceId: id, Data: { PromotedRevisions: '2.4.0=rev-2.4.0' } });
    expect(codeartifact).toHaveReceivedCommandWith(CopyPackageVersionsCommand, { versions: ['2.4.0'] });
    await expect(onPromotionEvent(client, updateEvent(id, { ...props, Versions: ['2.4.0'], DestinationRepository: 'prod' }, props)))
      .resolves.toMatchObject({ PhysicalResourceId: '123456789012/acme/staging..prod/npm/acme/ui' });
  });

  test('an update that changes no property of the promotion (only its role) calls nothing', async () => {
    await expect(onPromotionEvent(client, updateEvent(id, { ...props, RoleArn: 'arn:aws:iam::123456789012:role/cdk-devtools/new' }, props)))
      .resolves.toEqual({ PhysicalResourceId: id });
    expect(codeartifact.calls()).toHaveLength(0);
  });

  test('delete leaves the copies: it calls nothing', async () => {
    await expect(onPromotionEvent(client, deleteEvent(id, props))).resolves.toEqual({ PhysicalResourceId: id });
    await expect(onPromotionEvent(client, deleteEvent('TestStack-Promotion-ABC', props))).resolves.toEqual({ PhysicalResourceId: 'TestStack-Promotion-ABC' });
    expect(codeartifact.calls()).toHaveLength(0);
  });

  test.each([
    ['both lists', { VersionRevisions: { '2.3.0': 'r' } }, /property Versions should be absent when VersionRevisions is set/],
    ['no versions', { Versions: undefined }, /property Versions should be a list of versions, got undefined/],
    ['an empty list', { Versions: [] }, /property Versions should be a list of versions, got \[\]/],
    ['an empty revision', { Versions: undefined, VersionRevisions: { '2.3.0': '' } }, /property VersionRevisions should be a map of versions to revisions/],
    ['a flag that is no boolean', { AllowOverwrite: 'yes' }, /property AllowOverwrite should be 'true' or 'false'/],
  ])('properties with %s are an internal error (construct and handler of different versions)', async (_name, change, error) => {
    await expect(onPromotionEvent(client, createEvent({ ...props, ...change }))).rejects.toThrow(error);
    expect(codeartifact.calls()).toHaveLength(0);
  });
});
