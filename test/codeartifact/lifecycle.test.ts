import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CodeartifactClient } from '@aws-sdk/client-codeartifact';
import { S3Client } from '@aws-sdk/client-s3';
import { Construct } from 'constructs';
import {
  Domain, GenericPackageVersion, PackageAsset, PackageAssetConfig, PackageFormat, PackageOriginControl, PackageOriginMode, PackagePromotion,
  PackageVersionRemovalPolicy,
  Repository,
} from '../../src/codeartifact';
import { CODEARTIFACT_API } from '../../src/codeartifact/private/api-constraints';
import { ORIGIN_CONTROL_FAMILY, PACKAGE_VERSION_FAMILY, PROMOTION_FAMILY } from '../../src/codeartifact/private/custom-resources/contract';
import {
  expectConsistent, FakeCloudFormation, FakeCodeArtifact, FakeIam, FakeS3, routedHandlers, handlerMocks, LifecycleDriver, LifecycleWorld,
  lifecycleSuite, PackageCoordinates, Restrictions, sdkInputProblems, sha256, synthesizedPolicy, TemplateView, VirtualClock,
} from '../kit';

// The CloudFormation lifecycle of the CodeArtifact handler families, against stateful fakes of CodeArtifact and S3.
const [codeartifactMock, s3Mock, cfnMock] = handlerMocks(CodeartifactClient, S3Client, CloudFormationClient);
const inputProblems = () => sdkInputProblems(codeartifactMock, CODEARTIFACT_API);
const OWNER = '123456789012';

function fakes() {
  const clock = new VirtualClock().install();
  const ca = new FakeCodeArtifact(clock, OWNER).wire(codeartifactMock);
  ca.addRepository('acme', 'internal');
  return { clock, ca, s3: new FakeS3(clock).wire(s3Mock), cfn: new FakeCloudFormation(clock).wire(cfnMock) };
}

type P = Record<string, unknown>;

/**
 * The roles the handlers assumed during `run`, each named by the properties it was made for. Every request
 * makes its clients afresh from one configuration, so each request that calls AWS assumes its role once; with the fakes refusing
 * whatever a role does not grant, this shows which scope each request acted on.
 */
async function rolesAssumedDuring(driver: LifecycleDriver<P>, named: Record<string, P>, run: () => Promise<unknown>): Promise<string[]> {
  const world: LifecycleWorld<P> = driver.world;
  const names = new Map(Object.entries(named).map(([name, p]) => [FakeIam.roleArnOf(world.policy(p)), name]));
  const mark = driver.iam.assumed.length;
  await run();
  return driver.iam.assumed.slice(mark).map(arn => names.get(arn) ?? arn);
}
/** The repository the properties name (or the one under `key`), imported. */
const repositoryOf = (scope: Construct, p: P, key = 'Repository') => Repository.fromRepositoryAttributes(scope, key, {
  domain: (scope.node.tryFindChild('Domain') as Domain | undefined)
    ?? Domain.fromDomainAttributes(scope, 'Domain', { domainName: String(p.Domain), domainOwner: String(p.DomainOwner) }),
  repositoryName: String(p[key]),
});

/** The kit role of a PackageOriginControl built from the properties. */
const originControlPolicy = synthesizedPolicy<P>(ORIGIN_CONTROL_FAMILY.resourceType, (scope, p) => {
  new PackageOriginControl(scope, 'Control', {
    repository: repositoryOf(scope, p),
    format: PackageFormat.of(String(p.Format)),
    namespace: p.Namespace as string | undefined,
    packageName: String(p.Package),
    publish: p.Publish as PackageOriginMode,
    upstream: p.Upstream as PackageOriginMode,
  });
});

/** An asset `cdk deploy` uploaded to the bucket and key the properties name (where the world's S3 holds it). */
class UploadedAsset extends PackageAsset {
  constructor(private readonly config: PackageAssetConfig) {
    super();
  }

  public bind(): PackageAssetConfig {
    return this.config;
  }
}

/** The kit role of a GenericPackageVersion built from the properties. */
const packageVersionPolicy = synthesizedPolicy<P>(PACKAGE_VERSION_FAMILY.resourceType, (scope, p) => {
  new GenericPackageVersion(scope, 'Version', {
    repository: repositoryOf(scope, p),
    namespace: String(p.Namespace),
    packageName: String(p.Package),
    version: String(p.Version),
    asset: new UploadedAsset({ bucketName: String(p.AssetBucket), objectKey: String(p.AssetKey) }),
    assetName: String(p.AssetName),
    unfinished: p.Unfinished === true,
    removalPolicy: p.RemovalPolicy as PackageVersionRemovalPolicy,
  });
});

/** The package the properties name. */
const coordinates = (p: P, format = String(p.Format ?? 'generic')): PackageCoordinates => ({
  domain: String(p.Domain),
  domainOwner: String(p.DomainOwner),
  repository: String(p.Repository),
  format,
  namespace: p.Namespace === undefined ? undefined : String(p.Namespace),
  package: String(p.Package),
});

describe('package origin control', () => {
  const props = { Domain: 'acme', DomainOwner: OWNER, Repository: 'internal', Format: 'npm', Namespace: 'acme', Package: 'ui', Publish: 'BLOCK', Upstream: 'BLOCK' };
  const NEVER_CONFIGURED: Restrictions = { publish: 'ALLOW', upstream: 'ALLOW' };
  function world(preexisting?: Restrictions) {
    const w = fakes();
    w.ca.addPackage({ ...coordinates(props), package: 'legacy' }, { publish: 'BLOCK', upstream: 'ALLOW' });
    if (preexisting) w.ca.addPackage(coordinates(props), preexisting);
    const baseline = new Map([...w.ca.packages.entries()].map(([k, p]) => [k, p.restrictions]));
    return {
      w,
      handlers: routedHandlers(ORIGIN_CONTROL_FAMILY.resourceType),
      clock: w.clock,
      fakes: [w.ca, w.cfn],
      policy: originControlPolicy,
      // The template's package has its restrictions; every other package has what it had before the stack, or,
      // when the stack created it, the restrictions of a package nobody configured (CodeArtifact cannot remove
      // an origin configuration short of deleting the package).
      invariant: (view: TemplateView<P>) => [...w.ca.packages.entries()].flatMap(([key, pkg]) => {
        const inTemplate = view.props && key === w.ca.key(coordinates(view.props));
        const expected = inTemplate ? { publish: view.props!.Publish, upstream: view.props!.Upstream } : baseline.get(key) ?? NEVER_CONFIGURED;
        if (JSON.stringify(pkg.restrictions) === JSON.stringify(expected)) return [];
        return [inTemplate
          ? `package ${key} has ${JSON.stringify(pkg.restrictions)}, the template says ${JSON.stringify(expected)}`
          : `package ${key}, not in the template, has ${JSON.stringify(pkg.restrictions)}, not what it had before the stack: ${JSON.stringify(expected)}`];
      }),
      inputProblems,
      removeOutOfBand: () => {
        // The repository was deleted, with its packages.
        w.ca.repositories.delete(`${OWNER}/acme/internal`);
        [...w.ca.packages.keys()].filter(k => k.startsWith(`${OWNER}/acme/internal/`)).forEach(k => w.ca.packages.delete(k));
      },
      outOfBand: 'not recreated' as const,
      // CodeArtifact keeps no record of a package's restrictions before a change, and only the id CloudFormation
      // never received held it: the package a cancelled Create (or Update to another package) configured keeps them.
      leftBehind: {
        readme: 'src/codeartifact/README.md',
        says: 'the package that request configured keeps its restrictions',
        problems: /^package \S+, not in the template, has /,
      },
    };
  }

  lifecycleSuite({
    family: 'codeartifact package origin control',
    props,
    updates: [
      { name: 'restrictions', kind: 'in-place', props: { ...props, Publish: 'ALLOW' } },
      { name: 'package', kind: 'replacement', props: { ...props, Package: 'core' } },
    ],
    world: () => world(),
  });

  // Delete puts back what the package had before the resource set it (here a package published to directly:
  // publish ALLOW, upstream BLOCK), not ALLOW/ALLOW.
  test('delete restores the restrictions a package had before', async () => {
    const spec = world({ publish: 'ALLOW', upstream: 'BLOCK' });
    const driver = new LifecycleDriver(spec);
    const created = await driver.deploy(props);
    expectConsistent(driver, [created, await driver.destroy()]);
  });

  // No Update acts on the package OldResourceProperties name: a package change sets the new package with the new
  // properties' role, and the old package is restored by the clean-up Delete with the old properties' role (a role
  // holds one package, so the other role would be refused). The same after a rollback with an Update of the old id.
  test('a package change acts on each package with its own role only', async () => {
    const other = { ...props, Package: 'core' };
    const driver = new LifecycleDriver(world());
    const created = await driver.deploy(props);
    let updated = created;
    expect(await rolesAssumedDuring(driver, { ui: props, core: other }, async () => { updated = await driver.deploy(other); }))
      .toEqual(['core', 'ui']);
    expectConsistent(driver, [created, updated]);
  });

  test('a rolled-back package change with an Update of the old id acts on each package with its own role only', async () => {
    const other = { ...props, Package: 'core' };
    const driver = new LifecycleDriver(world());
    const created = await driver.deploy(props);
    let rolledBack = created;
    expect(await rolesAssumedDuring(driver, { ui: props, core: other }, async () => {
      rolledBack = await driver.deployThenRollback(other, { updateOldAfterReplacement: true });
    })).toEqual(['core', 'ui', 'core']);
    expect(driver.view.props).toBe(props);
    expectConsistent(driver, [created, rolledBack]);
  });

  // A move of the construct in the tree: a new logical id, so the new resource is created, then the old one deleted.
  async function move(from: P, to: P) {
    const spec = world({ publish: 'ALLOW', upstream: 'BLOCK' });
    const old = new LifecycleDriver(spec, { logicalId: 'Old' });
    const moved = new LifecycleDriver(spec, { logicalId: 'Moved' });
    const outcomes = [await old.deploy(from), await moved.deploy(to), await old.destroy()];
    expectConsistent(moved, outcomes);
    return moved;
  }

  test('a move of the construct with other modes keeps the new modes', async () => {
    await move(props, { ...props, Publish: 'ALLOW' });
  });

  test('a move of the construct with the same modes keeps them', async () => {
    await move(props, props);
  });

  test('removing a moved construct restores what the package had before the stack', async () => {
    const moved = await move(props, { ...props, Publish: 'ALLOW' });
    expectConsistent(moved, [await moved.destroy()]);
  });
});

/** Every version in a FakeCodeArtifact snapshot, with its package's key. */
function versionsOf(snapshot: unknown): Array<{ key: string; version: string }> {
  return (snapshot as Array<{ key: string; versions: Array<{ version: string }> }>).flatMap(pkg => pkg.versions.map(v => ({ key: pkg.key, ...v })));
}

describe('generic package version', () => {
  const props = {
    Domain: 'acme',
    DomainOwner: OWNER,
    Repository: 'internal',
    Namespace: 'tools',
    Package: 'cli',
    Version: '1.0.0',
    AssetName: 'cli.sh',
    AssetBucket: 'cdk-assets',
    AssetKey: 'cli-1.sh',
    Unfinished: false,
    RemovalPolicy: 'delete',
  };
  const idOf = (p: P) => [p.DomainOwner, p.Domain, p.Repository, p.Namespace, p.Package, p.Version].join('/');
  function world() {
    const w = fakes();
    w.s3.put('cdk-assets', 'cli-1.sh', 'echo 1');
    w.s3.put('cdk-assets', 'cli-2.sh', 'echo 2');
    const cli = w.ca.addPackage(coordinates(props), { publish: 'ALLOW', upstream: 'BLOCK' });
    cli.versions.set('0.9.0', { status: 'Published', assets: new Map([['cli.sh', sha256('echo 0')]]), revision: 1 });
    const baseline = JSON.stringify(w.ca.snapshot());
    const version = (p: P) => w.ca.find(coordinates(p))?.versions.get(String(p.Version));
    return {
      w,
      handlers: routedHandlers(PACKAGE_VERSION_FAMILY.resourceType),
      clock: w.clock,
      fakes: [w.ca, w.s3],
      policy: packageVersionPolicy,
      // The template's version is there with its asset; every version the stack made and no longer holds went
      // as its removal policy says; the versions from before the stack are untouched.
      invariant: (view: TemplateView<P>) => {
        const problems: string[] = [];
        const current = view.props ? idOf(view.props) : undefined;
        if (view.props) {
          const v = version(view.props);
          const status = view.props.Unfinished ? 'Unfinished' : 'Published';
          const content = w.s3.objects.get(`${String(view.props.AssetBucket)}/${String(view.props.AssetKey)}`)!;
          if (v?.status !== status || v.assets.get(String(view.props.AssetName)) !== sha256(content)) {
            problems.push(`version ${current} is ${v?.status ?? 'missing'}${v ? ` with assets ${JSON.stringify(Object.fromEntries(v.assets))}` : ''}; the template says ${status} with ${sha256(content)}`);
          }
        }
        const gone = new Map(view.history.filter(p => idOf(p) !== current).map(p => [idOf(p), p]));
        for (const [id, p] of gone) {
          const v = version(p);
          const expected = p.RemovalPolicy === 'delete' ? undefined : p.RemovalPolicy === 'dispose' ? 'Disposed' : 'Published';
          if (v?.status !== expected) problems.push(`version ${id}, no longer in the template, is ${v?.status ?? 'gone'}; its removal policy ${String(p.RemovalPolicy)} says ${expected ?? 'gone'}`);
        }
        const before = versionsOf(JSON.parse(baseline));
        const now = versionsOf(w.ca.snapshot());
        for (const old of before) {
          const found = now.find(v => v.key === old.key && v.version === old.version);
          if (JSON.stringify(found) !== JSON.stringify(old)) problems.push(`version ${old.key}@${old.version} from before the stack changed: ${JSON.stringify(found)}`);
        }
        return problems;
      },
      inputProblems,
      removeOutOfBand: () => { w.ca.find(coordinates(props))?.versions.delete('1.0.0'); },
    };
  }

  lifecycleSuite({
    family: 'codeartifact generic package version',
    props,
    updates: [
      { name: 'removal policy', kind: 'no-op', props: { ...props, RemovalPolicy: 'dispose' } },
      { name: 'version', kind: 'replacement', props: { ...props, Version: '1.0.1', AssetKey: 'cli-2.sh' } },
      { name: 'package', kind: 'replacement', props: { ...props, Package: 'cli2' } },
      { name: 'version and removal policy', kind: 'replacement', props: { ...props, Version: '1.0.1', AssetKey: 'cli-2.sh', RemovalPolicy: 'dispose' } },
    ],
    world,
  });

  // No Update acts on the version OldResourceProperties name: a new version with another removal policy is published
  // with the new properties' role, and the old version deleted by the clean-up Delete with the old properties' role,
  // the only one that may delete it (the new one grants Dispose, not Delete).
  test('a new version with another removal policy removes the old one with the old role', async () => {
    const next = { ...props, Version: '1.0.1', AssetKey: 'cli-2.sh', RemovalPolicy: 'dispose' };
    const driver = new LifecycleDriver(world());
    const created = await driver.deploy(props);
    let updated = created;
    expect(await rolesAssumedDuring(driver, { old: props, next }, async () => { updated = await driver.deploy(next); }))
      .toEqual(['next', 'old']);
    expectConsistent(driver, [created, updated]);
  });

  // UpdatePackageVersionsStatus answers per version: a version in failedVersions (here another actor archived it
  // in between) fails the update instead of reporting Published.
  test('publishing an unfinished version fails when the status change fails', async () => {
    const spec = world();
    const driver = new LifecycleDriver(spec);
    const created = await driver.deploy({ ...props, Unfinished: true });
    expect(created.ok).toBe(true);
    spec.w.ca.beforeNext('UpdatePackageVersionsStatus', () => { spec.w.ca.find(coordinates(props))!.versions.get('1.0.0')!.status = 'Archived'; });
    const updated = await driver.deploy(props);
    expect(updated).toMatchObject({ ok: false, error: expect.stringMatching(/MISMATCHED_STATUS/) });
  });
});

/** The kit role of a PackagePromotion built from the properties. */
const promotionPolicy = synthesizedPolicy<P>(PROMOTION_FAMILY.resourceType, (scope, p) => {
  new PackagePromotion(scope, 'Promotion', {
    source: repositoryOf(scope, p, 'SourceRepository'),
    destination: repositoryOf(scope, p, 'DestinationRepository'),
    format: PackageFormat.of(String(p.Format)),
    namespace: p.Namespace as string | undefined,
    packageName: String(p.Package),
    versions: p.Versions as string[] | undefined,
    versionRevisions: p.VersionRevisions as Record<string, string> | undefined,
    allowOverwrite: p.AllowOverwrite === true,
    includeFromUpstream: p.IncludeFromUpstream === true,
  });
});

describe('package promotion', () => {
  const props = {
    Domain: 'acme',
    DomainOwner: OWNER,
    SourceRepository: 'staging',
    DestinationRepository: 'release',
    Format: 'npm',
    Namespace: 'acme',
    Package: 'ui',
    Versions: ['2.0.0'],
    AllowOverwrite: false,
    IncludeFromUpstream: false,
  };
  const inRepository = (p: P, repository: string, pkg = String(p.Package)): PackageCoordinates =>
    ({ domain: 'acme', domainOwner: OWNER, repository, format: 'npm', namespace: 'acme', package: pkg });
  const promotedVersions = (p: P): string[] => (p.Versions as string[] | undefined) ?? Object.keys(p.VersionRevisions as Record<string, string>);
  const listed = (p: P) => promotedVersions(p).map(v => `${String(p.DestinationRepository)}/${String(p.Package)}@${v}`);

  function world() {
    const w = fakes();
    for (const repository of ['staging', 'release', 'prod']) w.ca.addRepository('acme', repository);
    for (const pkg of ['ui', 'core']) {
      const staged = w.ca.addPackage(inRepository(props, 'staging', pkg), { publish: 'ALLOW', upstream: 'BLOCK' });
      for (const [v, revision] of [['1.0.0', 3], ['2.0.0', 5], ['2.1.0', 7]] as const) {
        staged.versions.set(v, { status: 'Published', assets: new Map([[`${pkg}-${v}.tgz`, sha256(`${pkg} ${v}`)]]), revision });
      }
    }
    // Released before the stack: stays as it is.
    w.ca.addPackage(inRepository(props, 'release'), { publish: 'ALLOW', upstream: 'BLOCK' }).versions
      .set('1.0.0', { status: 'Published', assets: new Map([['ui-1.0.0.tgz', sha256('ui 1.0.0')]]), revision: 3 });
    const before = JSON.stringify(w.ca.snapshot());
    const state = (repository: string, pkg: string, v: string) => {
      const found = w.ca.find(inRepository(props, repository, pkg))?.versions.get(v);
      return found && JSON.stringify({ status: found.status, assets: [...found.assets], revision: found.revision });
    };
    return {
      w,
      handlers: routedHandlers(PROMOTION_FAMILY.resourceType),
      clock: w.clock,
      fakes: [w.ca],
      policy: promotionPolicy,
      // The template's versions are in its destination as they are in the source; every other version of the
      // destinations is one from before the stack or one the stack promoted before (copies are never undone);
      // the source is untouched.
      invariant: (view: TemplateView<P>) => {
        const problems: string[] = [];
        for (const p of view.props ? [view.props] : []) {
          for (const v of promotedVersions(p)) {
            const copy = state(String(p.DestinationRepository), String(p.Package), v);
            if (copy !== state('staging', String(p.Package), v)) problems.push(`${listed(p).join(', ')}: ${v} is ${copy ?? 'missing'} in the destination`);
          }
        }
        const promotedEver = new Set(view.history.flatMap(listed));
        const baseline = versionsOf(JSON.parse(before));
        for (const { key, version } of versionsOf(w.ca.snapshot())) {
          const [, , repository, , , pkg] = key.split('/');
          if (repository === 'staging' || baseline.some(b => b.key === key && b.version === version)) continue;
          if (!promotedEver.has(`${repository}/${pkg}@${version}`)) problems.push(`${key}@${version} is in ${repository}, and no template listed it`);
        }
        for (const old of baseline.filter(b => b.key.includes('/staging/'))) {
          const now = versionsOf(w.ca.snapshot()).find(v => v.key === old.key && v.version === old.version);
          if (JSON.stringify(now) !== JSON.stringify(old)) problems.push(`source version ${old.key}@${old.version} changed: ${JSON.stringify(now)}`);
        }
        return problems;
      },
      inputProblems,
      // Someone deleted the promoted versions from the destination.
      removeOutOfBand: () => {
        for (const repository of ['release', 'prod']) {
          for (const pkg of ['ui', 'core']) {
            const found = w.ca.find(inRepository(props, repository, pkg));
            for (const v of ['2.0.0', '2.1.0']) found?.versions.delete(v);
          }
        }
      },
    };
  }

  lifecycleSuite({
    family: 'codeartifact package promotion',
    props,
    updates: [
      { name: 'versions', kind: 'in-place', props: { ...props, Versions: ['2.0.0', '2.1.0'] } },
      { name: 'pinned revisions', kind: 'in-place', props: { ...props, Versions: undefined, VersionRevisions: { '2.1.0': '7' } } },
      { name: 'overwrite', kind: 'in-place', props: { ...props, AllowOverwrite: true } },
      { name: 'package', kind: 'replacement', props: { ...props, Package: 'core' } },
      { name: 'destination', kind: 'replacement', props: { ...props, DestinationRepository: 'prod' } },
    ],
    world,
  });

  // A version the stack promoted is in the destination: the promotion of an earlier release is never undone, by an
  // Update to newer versions or by the Delete.
  test('copies stay in the destination after an update to other versions and after the delete', async () => {
    const spec = world();
    const driver = new LifecycleDriver(spec);
    const outcomes = [await driver.deploy(props), await driver.deploy({ ...props, Versions: ['2.1.0'] }), await driver.destroy()];
    expectConsistent(driver, outcomes);
    expect([...spec.w.ca.find(inRepository(props, 'release'))!.versions.keys()].sort()).toEqual(['1.0.0', '2.0.0', '2.1.0']);
  });

  // A version the destination holds with other content fails the deployment with its reason; the versions copied
  // with it stay, and the rollback leaves them.
  test('a version released with other content fails with ALREADY_EXISTS; the other version copied stays', async () => {
    const spec = world();
    spec.w.ca.find(inRepository(props, 'release'))!.versions.set('2.1.0', { status: 'Published', assets: new Map([['ui.tgz', sha256('other')]]), revision: 9 });
    const driver = new LifecycleDriver(spec);
    const created = await driver.deploy({ ...props, Versions: ['2.0.0', '2.1.0'] });
    expect(created).toMatchObject({ ok: false, error: expect.stringMatching(/2\.1\.0: ALREADY_EXISTS .* 2\.0\.0 is in release and stays there/) });
    expect(spec.w.ca.find(inRepository(props, 'release'))!.versions.get('2.0.0')?.revision).toBe(5);
    // With allowOverwrite the destination takes the source's revision.
    const overwritten = await driver.deploy({ ...props, Versions: ['2.0.0', '2.1.0'], AllowOverwrite: true });
    expect(overwritten.ok).toBe(true);
    expect(spec.w.ca.find(inRepository(props, 'release'))!.versions.get('2.1.0')?.revision).toBe(7);
  });

  // A version rebuilt in the source since its revision was pinned is not released.
  test('a pinned revision the source no longer has fails with MISMATCHED_REVISION and copies nothing', async () => {
    const spec = world();
    const driver = new LifecycleDriver(spec);
    const created = await driver.deploy({ ...props, Versions: undefined, VersionRevisions: { '2.1.0': '6' } });
    expect(created).toMatchObject({ ok: false, error: expect.stringMatching(/2\.1\.0: MISMATCHED_REVISION/) });
    expect(spec.w.ca.find(inRepository(props, 'release'))!.versions.has('2.1.0')).toBe(false);
  });
});
