import { AmplifyClient, Branch as BranchState } from '@aws-sdk/client-amplify';
import { S3Client } from '@aws-sdk/client-s3';
import { Duration } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import { Construct } from 'constructs';
import { App, BackendEnvironment, Branch, BranchDeployment, Build, Domain } from '../../src/amplify';
import { AMPLIFY_API } from '../../src/amplify/private/api-constraints';
import {
  BACKEND_ENVIRONMENT_FAMILY, BRANCH_SETTINGS_FAMILY, BUILD_FAMILY, DEPLOYMENT_FAMILY, DOMAIN_READINESS_FAMILY,
} from '../../src/amplify/private/custom-resources/contract';
import {
  expectConsistent, FakeAmplify, FakeS3, routedHandlers, handlerMocks, LifecycleDriver, lifecycleSuite, sdkInputProblems, synthesizedPolicy,
  TemplateView, uploadServer, VirtualClock,
} from '../kit';

// The CloudFormation lifecycle of the Amplify handler families, against stateful fakes of Amplify and S3.
const [amplifyMock, s3Mock] = handlerMocks(AmplifyClient, S3Client);
const uploads = uploadServer();
const inputProblems = () => sdkInputProblems(amplifyMock, AMPLIFY_API);

function fakes() {
  const clock = new VirtualClock().install();
  return { clock, amplify: new FakeAmplify(clock, uploads).wire(amplifyMock), s3: new FakeS3(clock).wire(s3Mock) };
}

type P = Record<string, unknown>;
const seconds = (value: unknown) => (value === undefined ? undefined : Duration.seconds(Number(value)));
const appOf = (scope: Construct, p: P) => App.fromAppId(scope, 'App', String(p.AppId));
/** The construct's `WaitOptions` that render the wait's properties. */
const waitOf = (p: P) => ({ timeout: seconds(p.TimeoutSeconds), pollInterval: seconds(p.PollIntervalSeconds) });
const branchOf = (scope: Construct, p: P) => Branch.fromBranchAttributes(scope, 'Branch', { app: appOf(scope, p), branchName: String(p.BranchName) });

/** The kit role of a Build built from the properties. */
const buildPolicy = synthesizedPolicy<P>(BUILD_FAMILY.resourceType, (scope, p) => {
  new Build(scope, 'Build', { branch: branchOf(scope, p), trigger: p.Trigger as string, waitForSuccess: p.Wait === true, ...waitOf(p) });
});

/**
 * The kit role of a BranchDeployment built from the properties: its asset stands for one `cdk deploy` uploaded to the
 * bucket and key the properties name (where the world's S3 holds the zip).
 */
const deploymentPolicy = synthesizedPolicy<P>(DEPLOYMENT_FAMILY.resourceType, (scope, p) => {
  const uploaded = {
    isZipArchive: true,
    s3BucketName: String(p.AssetBucket),
    s3ObjectKey: String(p.AssetKey),
    bucket: s3.Bucket.fromBucketName(scope, 'Assets', String(p.AssetBucket)),
    node: scope.node,
  } as unknown as s3assets.Asset;
  new BranchDeployment(scope, 'Deployment', { branch: branchOf(scope, p), asset: uploaded, waitForSuccess: p.Wait === true, ...waitOf(p) });
});
/**
 * The kit role of the settings of a Branch built from the properties. The branch is the stack's own (CloudFormation has
 * no other way to them), so its name and ARN are the deployed branch's.
 */
const settingsPolicy = synthesizedPolicy<P>(BRANCH_SETTINGS_FAMILY.resourceType, (scope, p) => {
  const branch = new Branch(scope, 'Branch', {
    app: appOf(scope, p),
    branchName: String(p.BranchName),
    displayName: p.DisplayName as string | undefined,
    ttl: seconds(p.Ttl),
    notifications: p.EnableNotification as boolean | undefined,
  });
  return [{ resource: branch, attributes: { BranchName: String(p.BranchName), Arn: FakeAmplify.branchArn(String(p.AppId), String(p.BranchName)) } }];
});

/** The kit role of a BackendEnvironment built from the properties. */
const backendPolicy = synthesizedPolicy<P>(BACKEND_ENVIRONMENT_FAMILY.resourceType, (scope, p) => {
  new BackendEnvironment(scope, 'Environment', {
    app: appOf(scope, p),
    backendEnvironmentName: String(p.EnvironmentName),
    stackName: p.StackName as string | undefined,
    deploymentArtifacts: p.DeploymentArtifacts as string | undefined,
  });
});

/**
 * The kit role of the readiness resources of a Domain built from the properties (the stack's own domain): the records it
 * publishes, and with mode `available` the wait for it. Each prefix maps a branch of that name.
 */
const domainPolicy = synthesizedPolicy<P>(DOMAIN_READINESS_FAMILY.resourceType, (scope, p) => {
  const app = appOf(scope, p);
  const available = p.Mode === 'available';
  const domain = new Domain(scope, 'Domain', {
    app, domainName: String(p.DomainName), waitForAvailability: available, ...(available ? waitOf(p) : {}),
  });
  for (const prefix of p.Prefixes as string[]) {
    domain.mapSubDomain(Branch.fromBranchAttributes(scope, `Branch${prefix}`, { app, branchName: prefix || 'main' }), prefix);
  }
  domain.certificateVerificationRecord();
  return [{ resource: domain, attributes: { DomainName: String(p.DomainName) } }];
});

/** Problems when a job of the branch is still active: it would block (or overlap) the next deployment. */
function nothingActive(fake: FakeAmplify, appId: string, branchName: string): string[] {
  if (!fake.apps.get(appId)?.branches.has(branchName)) return [];
  return fake.activeJobs(appId, branchName).map(j => `job ${j.jobId} (${j.jobType}) of ${branchName} is left ${j.status}`);
}

/** Problems when the job the physical id names did not succeed. */
function heldJobSucceeded(fake: FakeAmplify, view: TemplateView<Record<string, unknown>>): string[] {
  if (!view.props) return [];
  const jobId = /\/jobs\/(\d+)$/.exec(view.physicalId ?? '')?.[1];
  const job = fake.branch(String(view.props.AppId), String(view.props.BranchName)).jobs.find(j => j.jobId === jobId);
  return job?.status === 'SUCCEED' ? [] : [`the physical id ${view.physicalId} names job ${jobId}, which is ${job?.status ?? 'missing'}`];
}

describe('build', () => {
  const APP = 'd1build00000a';
  const props = { AppId: APP, BranchName: 'main', Trigger: 'v1', Wait: true, TimeoutSeconds: 900, PollIntervalSeconds: 30 };
  function world() {
    const w = fakes();
    w.amplify.addApp(APP, true);
    w.amplify.addBranch(APP, 'main');
    w.amplify.addJob(APP, 'main', 'WEB_HOOK', 'SUCCEED');
    return {
      w,
      handlers: routedHandlers(BUILD_FAMILY.resourceType),
      clock: w.clock,
      fakes: [w.amplify],
      policy: buildPolicy,
      invariant: (view: TemplateView<Record<string, unknown>>) => [...nothingActive(w.amplify, APP, 'main'), ...heldJobSucceeded(w.amplify, view)],
      inputProblems,
      removeOutOfBand: () => { w.amplify.apps.delete(APP); },
      outOfBand: 'not recreated' as const,
      hold: () => {
        w.amplify.jobPlan = 'HANG';
        return () => { w.amplify.jobPlan = 'SUCCEED'; };
      },
    };
  }

  lifecycleSuite({
    family: 'amplify build',
    props,
    waits: true,
    updates: [
      { name: 'timeout', kind: 'no-op', props: { ...props, TimeoutSeconds: 1800 } },
      // A new trigger is a new build, so a new physical id (each build is its own resource).
      { name: 'trigger', kind: 'replacement', props: { ...props, Trigger: 'v2' } },
    ],
    world,
  });

  // A build update must not adopt a job that is still running (here a webhook build of the old commit): the new
  // trigger gets a build of its own.
  test('an update while a webhook build runs builds the new trigger', async () => {
    const spec = world();
    const driver = new LifecycleDriver(spec);
    const created = await driver.deploy(props);
    spec.w.amplify.addJob(APP, 'main', 'WEB_HOOK', 'RUNNING');
    spec.clock.advance(60_000); // the webhook build started a minute before the update
    const updateStarted = spec.clock.now();
    const updated = await driver.deploy({ ...props, Trigger: 'v2' });
    const jobId = /\/jobs\/(\d+)$/.exec(driver.view.physicalId ?? '')?.[1];
    const job = spec.w.amplify.branch(APP, 'main').jobs.find(j => j.jobId === jobId);
    expect(job?.startTime.getTime()).toBeGreaterThanOrEqual(updateStarted);
    expectConsistent(driver, [created, updated]);
  });
});

describe('branch deployment', () => {
  const APP = 'd2deploy0000a';
  const props = {
    AppId: APP, BranchName: 'main', AssetBucket: 'cdk-assets', AssetKey: 'site-v1.zip', Wait: true, TimeoutSeconds: 900, PollIntervalSeconds: 15,
  };
  function world() {
    const w = fakes();
    w.amplify.addApp(APP, false);
    w.amplify.addBranch(APP, 'main');
    w.amplify.addBranch(APP, 'dev');
    w.s3.put('cdk-assets', 'site-v1.zip', 'site v1');
    w.s3.put('cdk-assets', 'site-v2.zip', 'site v2');
    return {
      w,
      handlers: routedHandlers(DEPLOYMENT_FAMILY.resourceType),
      clock: w.clock,
      fakes: [w.amplify, w.s3],
      policy: deploymentPolicy,
      invariant: (view: TemplateView<Record<string, unknown>>) => {
        const problems = [...nothingActive(w.amplify, APP, 'main'), ...nothingActive(w.amplify, APP, 'dev')];
        if (view.props && w.amplify.apps.has(APP)) {
          const branchName = String(view.props.BranchName);
          const wanted = w.s3.objects.get(`${String(view.props.AssetBucket)}/${String(view.props.AssetKey)}`)?.toString();
          const served = w.amplify.branch(APP, branchName).deployed?.toString();
          if (served !== wanted) problems.push(`branch ${branchName} serves '${served}', the template deploys '${wanted}'`);
        }
        return problems;
      },
      inputProblems,
      removeOutOfBand: () => { w.amplify.apps.delete(APP); },
      outOfBand: 'not recreated' as const,
      hold: () => {
        w.amplify.jobPlan = 'HANG';
        return () => { w.amplify.jobPlan = 'SUCCEED'; };
      },
      leftBehind: {
        readme: 'src/amplify/README.md',
        says: 'When CloudFormation cancels an update that moved a `BranchDeployment` to another branch, the deployment it started there runs to its end',
        problems: /^job \d+ \(MANUAL\) of dev is left RUNNING$/,
      },
    };
  }

  lifecycleSuite({
    family: 'amplify branch deployment',
    props,
    waits: true,
    updates: [
      { name: 'timeout', kind: 'no-op', props: { ...props, TimeoutSeconds: 1800 } },
      // The same branch gets new content: the thing is the same, so its physical id should be too.
      { name: 'new asset', kind: 'in-place', props: { ...props, AssetKey: 'site-v2.zip' } },
      // Another branch is another thing: a new physical id (the old branch keeps its content).
      { name: 'other branch', kind: 'replacement', props: { ...props, BranchName: 'dev', AssetKey: 'site-v2.zip' } },
    ],
    world,
  });

  // When the upload to the URL CreateDeployment returned fails, the CREATED job must not be left behind: Amplify
  // counts it against the branch, and the next deployment would fail with "job N is still CREATED".
  test('a failed upload leaves nothing blocking the branch', async () => {
    const spec = world();
    const driver = new LifecycleDriver(spec);
    spec.w.amplify.nextUploadStatus = 403;
    const failed = await driver.deploy(props);
    expect(failed).toMatchObject({ ok: false, error: expect.stringMatching(/uploading the zip failed/) });
    expectConsistent(driver, [failed], false);
    expectConsistent(driver, [await driver.deploy(props)]);
  });
});

describe('branch settings', () => {
  const APP = 'd3settings00a';
  const OTHER_APP = 'd3settings00b';
  const MANAGED = ['displayName', 'ttl', 'enableNotification', 'backendEnvironmentArn'] as const;
  const props = { AppId: APP, BranchName: 'main', Ttl: '30', EnableNotification: true };
  /** The branch members the properties set (Ttl as digits, EnableNotification as a boolean). */
  const wanted = (p: Record<string, unknown>): Partial<BranchState> => ({
    ...(p.DisplayName !== undefined ? { displayName: String(p.DisplayName) } : {}),
    ...(p.Ttl !== undefined ? { ttl: String(p.Ttl) } : {}),
    ...(p.EnableNotification !== undefined ? { enableNotification: p.EnableNotification === true || p.EnableNotification === 'true' } : {}),
    ...(p.BackendEnvironmentArn !== undefined ? { backendEnvironmentArn: String(p.BackendEnvironmentArn) } : {}),
  });
  function world() {
    const w = fakes();
    for (const app of [APP, OTHER_APP]) {
      w.amplify.addApp(app, true);
      for (const name of ['main', 'dev']) w.amplify.addBranch(app, name, { ttl: '5', enableNotification: false, buildSpec: 'version: 1', basicAuthCredentials: 'dXNlcjpwYXNz' });
    }
    const branches = () => [APP, OTHER_APP].flatMap(app => [...(w.amplify.apps.get(app)?.branches.values() ?? [])].map(b => ({ app, branch: b })));
    const baseline = new Map(branches().map(({ app, branch }) => [`${app}/${branch.branchName}`, { ...branch.settings }]));
    return {
      w,
      handlers: routedHandlers(BRANCH_SETTINGS_FAMILY.resourceType),
      clock: w.clock,
      fakes: [w.amplify],
      policy: settingsPolicy,
      // Every branch shows what the template sets and, for every other member, what it had before the stack.
      invariant: (view: TemplateView<Record<string, unknown>>) => branches().flatMap(({ app, branch }) => {
        const ours = view.props?.AppId === app && view.props.BranchName === branch.branchName ? wanted(view.props) : {};
        const expected: Record<string, unknown> = { ...baseline.get(`${app}/${branch.branchName}`), ...ours };
        const actual: Record<string, unknown> = branch.settings;
        return [...MANAGED, 'buildSpec', 'basicAuthCredentials'].filter(k => actual[k] !== expected[k])
          .map(k => `branch ${branch.branchName} of ${app} has ${k} ${JSON.stringify(actual[k])}, the template says ${JSON.stringify(expected[k])}`);
      }),
      inputProblems,
      removeOutOfBand: () => { w.amplify.app(APP).branches.delete('main'); },
      outOfBand: 'not recreated' as const,
      // The values the cancelled create (or move) set, ttl 30 and notifications on, stay on the branch it set them on.
      leftBehind: {
        readme: 'src/amplify/README.md',
        says: 'When CloudFormation cancels the create of branch settings, or an update that moved them to another branch, that branch keeps the settings the cancelled request applied',
        problems: /^branch (main|dev) of d3settings00[ab] has (ttl "30"|enableNotification true), the template says/,
      },
    };
  }

  lifecycleSuite({
    family: 'amplify branch settings',
    props,
    updates: [
      { name: 'ttl', kind: 'in-place', props: { ...props, Ttl: '60' } },
      { name: 'add display name', kind: 'in-place', props: { ...props, DisplayName: 'Production' } },
      { name: 'drop notification', kind: 'in-place', props: { AppId: APP, BranchName: 'main', Ttl: '30' } },
      { name: 'other branch', kind: 'replacement', props: { ...props, BranchName: 'dev' } },
      { name: 'other app', kind: 'replacement', props: { ...props, AppId: OTHER_APP } },
    ],
    world,
  });

  // Each role reaches its own branch only: the first branch is restored by the clean-up Delete of the old id, with the
  // role of the old properties. The new properties' role could not touch it (the move would leave its settings).
  test.each([
    ['another branch', { ...props, BranchName: 'dev' }],
    ['another app', { ...props, AppId: OTHER_APP }],
  ])('moving the settings to %s restores the first branch with the old properties\' role', async (_what, moved) => {
    const spec = world();
    const driver = new LifecycleDriver(spec);
    const created = await driver.deploy(props);
    expect(spec.w.amplify.branch(APP, 'main').settings).toMatchObject({ ttl: '30', enableNotification: true });
    const updated = await driver.deploy(moved);
    expect(updated.cleanupErrors).toEqual([]);
    expect(spec.w.amplify.branch(APP, 'main').settings).toMatchObject({ ttl: '5', enableNotification: false });
    expect(spec.w.amplify.branch(String(moved.AppId), String(moved.BranchName)).settings).toMatchObject({ ttl: '30', enableNotification: true });
    expectConsistent(driver, [created, updated]);
  });
});

describe('backend environment', () => {
  const APP = 'd4backend000a';
  const OTHER_APP = 'd4backend000b';
  const props = { AppId: APP, EnvironmentName: 'staging', StackName: 'amplify-staging-1' };
  function world() {
    const w = fakes();
    w.amplify.addApp(APP, true);
    w.amplify.addApp(OTHER_APP, true);
    w.amplify.addBackendEnvironment(APP, 'prod', 'amplify-prod');
    const key = (app: string, name: string, stack?: string, artifacts?: string) => `${app}/${name} stack=${stack ?? '-'} artifacts=${artifacts ?? '-'}`;
    const all = () => [...w.amplify.apps.values()].flatMap(app => [...app.backendEnvironments.values()]
      .map(e => key(app.appId, e.environmentName!, e.stackName, e.deploymentArtifacts))).sort();
    const baseline = all();
    return {
      handlers: routedHandlers(BACKEND_ENVIRONMENT_FAMILY.resourceType),
      clock: w.clock,
      fakes: [w.amplify],
      policy: backendPolicy,
      // The environments are those before the stack plus the template's one, which the physical id names.
      invariant: (view: TemplateView<Record<string, unknown>>) => {
        const p = view.props;
        const expected = [...baseline, ...(p ? [key(String(p.AppId), String(p.EnvironmentName), p.StackName as string | undefined)] : [])].sort();
        const problems = JSON.stringify(all()) === JSON.stringify(expected) ? [] : [`backend environments are ${all().join(', ')}; the template says ${expected.join(', ')}`];
        if (p) {
          const env = w.amplify.apps.get(String(p.AppId))?.backendEnvironments.get(String(p.EnvironmentName));
          const id = `${String(p.AppId)}/${String(p.EnvironmentName)}/${env?.createTime?.getTime()}`;
          if (view.physicalId !== id) problems.push(`the physical id is ${view.physicalId}; the environment is ${id}`);
        }
        return problems;
      },
      inputProblems,
      removeOutOfBand: () => { w.amplify.app(APP).backendEnvironments.delete('staging'); },
      leftBehind: {
        readme: 'src/amplify/README.md',
        says: 'When CloudFormation cancels an update that moved the environment to another app, the environment it created there stays',
        problems: new RegExp(`^backend environments are .*${OTHER_APP}/staging stack=amplify-staging-1 artifacts=-; the template says (?!.*${OTHER_APP})`),
      },
    };
  }

  lifecycleSuite({
    family: 'amplify backend environment',
    props,
    updates: [
      { name: 'environment name', kind: 'replacement', props: { ...props, EnvironmentName: 'qa' } },
      { name: 'app', kind: 'replacement', props: { ...props, AppId: OTHER_APP } },
    ],
    world,
  });

  // The API cannot update an environment: another stack name fails the Update, changing nothing, and the rollback
  // Update back to the old properties finds the environment as they say (never deleted and created again).
  test.each([
    ['stack name', { StackName: 'amplify-staging-2' }],
    ['deployment artifacts', { DeploymentArtifacts: 'amplify-staging-artifacts' }],
  ])('another %s fails the update with the way out, and the rollback keeps the environment', async (_what, change) => {
    const spec = world();
    const driver = new LifecycleDriver(spec);
    const created = await driver.deploy(props);
    const before = driver.view.physicalId;
    const marks = spec.fakes.map(f => f.requests.length);
    const failed = await driver.deploy({ ...props, ...change });
    expect(failed).toMatchObject({ ok: false, error: expect.stringMatching(/cannot change the .* of an existing environment.*Nothing was changed.*new backendEnvironmentName/) });
    expect(driver.view.physicalId).toBe(before);
    expect(spec.fakes.reduce((n, f, i) => n + f.writesSince(marks[i]), 0)).toBe(0);
    expectConsistent(driver, [created, failed], false);
    expect(failed.rollbackErrors).toEqual([]);
  });
});

describe('domain readiness', () => {
  const APP = 'd5domain0000a';
  // The records a domain publishes (mode `records`, its wait fixed at 30 minutes) need no settings, so the settings
  // of a wait are those of `waitForAvailability` (mode `available`).
  const records = {
    AppId: APP,
    DomainName: 'example.com',
    Mode: 'records',
    Prefixes: ['', 'www'],
    CertificateType: 'AMPLIFY_MANAGED',
    DataFormat: '2',
    TimeoutSeconds: 1800,
    PollIntervalSeconds: 15,
  };
  const props = { ...records, Mode: 'available', TimeoutSeconds: 900 };
  function world() {
    const w = fakes();
    w.amplify.addApp(APP, false);
    w.amplify.addDomain(APP, 'example.com', ['', 'www', 'api']);
    return {
      handlers: routedHandlers(DOMAIN_READINESS_FAMILY.resourceType),
      clock: w.clock,
      fakes: [w.amplify],
      policy: domainPolicy,
      // The attributes CloudFormation holds give the target of every prefix the template maps (one CloudFront
      // distribution per domain) and the certificate record (and, in mode `available`, an AVAILABLE domain); the
      // handler writes nothing.
      invariant: (view: TemplateView<Record<string, unknown>>) => {
        if (!view.props) return [];
        const prefixes = view.props.Prefixes as string[];
        const domain = w.amplify.apps.get(APP)?.domains.get(String(view.props.DomainName));
        const problems = prefixes.filter(prefix => !domain?.prefixes.includes(prefix)).map(prefix => `the domain does not map '${prefix}'`);
        if (view.attributes.SubDomainTarget !== 'd1abcdef.cloudfront.net') problems.push(`SubDomainTarget is ${String(view.attributes.SubDomainTarget)}`);
        if (!view.attributes.CertificateRecordValue) problems.push('no certificate record');
        if (view.props.Mode === 'available' && view.attributes.DomainStatus !== 'AVAILABLE') problems.push(`DomainStatus is ${String(view.attributes.DomainStatus)}`);
        return problems;
      },
      inputProblems,
      removeOutOfBand: () => { w.amplify.app(APP).domains.delete('example.com'); },
      outOfBand: 'not recreated' as const,
      hold: () => { w.amplify.app(APP).domains.get('example.com')!.held = true; },
    };
  }

  lifecycleSuite({
    family: 'amplify domain readiness',
    props,
    waits: true,
    updates: [
      { name: 'timeout', kind: 'no-op', props: { ...props, TimeoutSeconds: 1800 } },
      { name: 'new sub-domain', kind: 'in-place', props: { ...props, Prefixes: ['', 'www', 'api'] } },
      { name: 'mode', kind: 'replacement', props: records },
    ],
    world,
  });
});
