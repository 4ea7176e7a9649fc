import * as path from 'path';
import { SecretValue, Stack } from 'aws-cdk-lib';
import { Pipeline } from 'aws-cdk-lib/aws-codepipeline';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as amplify from '../../src/amplify';
import * as codeartifact from '../../src/codeartifact';
import * as codecatalyst from '../../src/codecatalyst';
import * as codeconnections from '../../src/codeconnections';
import * as codepipeline from '../../src/codepipeline';

/**
 * Every custom-resource family of the library at scale: instance `i` of each touches its own connection,
 * branch, package or domain (the case where no two resources can share permissions), as a team that puts
 * many of them into one stack writes it. The scale test synthesizes 150 of each and checks CloudFormation's
 * and IAM's limits; the benchmark finds each family's ceiling.
 */
export interface ScaleFamily {
  /** The name in reports. */
  readonly name: string;
  /** Adds instance `i` (and what it needs that a real stack would define beside it). */
  add(stack: Stack, i: number): void;
}

const SITE = path.join(__dirname, '..', 'readme-assets', 'site');
const ASSET = path.join(__dirname, '..', 'codeartifact', 'fixtures', 'deploy-cli.sh');
const token = SecretValue.secretsManager('scale/github-access-token');

/** A construct of the stack, created on first use. */
function shared<T>(stack: Stack, id: string, create: () => T): T {
  return (stack.node.tryFindChild(id) as T | undefined) ?? create();
}

const repoApp = (stack: Stack) => shared(stack, 'RepoApp', () => new amplify.App(stack, 'RepoApp', {
  sourceCodeProvider: amplify.SourceCodeProvider.gitHub({ owner: 'acme', repository: 'site', accessToken: token }),
}));
const manualApp = (stack: Stack) => shared(stack, 'ManualApp', () => new amplify.App(stack, 'ManualApp', {}));
const repository = (stack: Stack) => shared(stack, 'Team', () => codeartifact.Repository.fromRepositoryArn(stack, 'Team',
  'arn:aws:codeartifact:us-east-1:123456789012:repository/acme/team'));

const catalystProject = (stack: Stack) => shared(stack, 'Catalyst', () => {
  const secret = secretsmanager.Secret.fromSecretNameV2(stack, 'CatalystToken', 'scale/codecatalyst');
  const space = codecatalyst.Space.fromSpaceName(stack, 'CatalystSpace', 'acme', codecatalyst.AccessToken.fromSecret(secret));
  return codecatalyst.Project.fromProjectAttributes(stack, 'Catalyst', { space, projectName: 'storefront' });
});

/** Amplify hosts at most 5 custom domains per app by default, so domains come 5 to an app. */
const DOMAINS_PER_APP = 5;
const domainApp = (stack: Stack, i: number) => {
  const id = `DomainApp${Math.floor(i / DOMAINS_PER_APP)}`;
  return shared(stack, id, () => new amplify.App(stack, id, {}));
};

export const SCALE_FAMILIES: ScaleFamily[] = [
  {
    name: 'codeconnections Connection with waitForAvailability',
    add: (stack, i) => new codeconnections.Connection(stack, `C${i}`, {
      connectionName: `c-${i}`, providerType: codeconnections.ProviderType.GITHUB, waitForAvailability: true,
    }),
  },
  {
    name: 'codeconnections Host with waitForAvailability',
    add: (stack, i) => new codeconnections.Host(stack, `H${i}`, {
      providerType: codeconnections.ProviderType.GITLAB_SELF_MANAGED, providerEndpoint: `https://gitlab-${i}.example.com`, waitForAvailability: true,
    }),
  },
  {
    name: 'codeconnections Connection.fromConnectionName',
    add: (stack, i) => codeconnections.Connection.fromConnectionName(stack, `L${i}`, `c-${i}`),
  },
  {
    name: 'amplify Build (a branch each, with waitForSuccess)',
    add: (stack, i) => repoApp(stack).addBranch(`b${i}`).startBuild('Build', { trigger: 'v1', waitForSuccess: true }),
  },
  {
    name: 'amplify BranchDeployment (a branch each)',
    add: (stack, i) => new amplify.BranchDeployment(stack, `Deploy${i}`, { branch: manualApp(stack).addBranch(`b${i}`), path: SITE }),
  },
  {
    name: 'amplify Branch settings (a branch each, with displayName)',
    add: (stack, i) => repoApp(stack).addBranch(`b${i}`, { displayName: `Branch ${i}` }),
  },
  {
    name: 'amplify BackendEnvironment',
    add: (stack, i) => repoApp(stack).addBackendEnvironment(`Env${i}`, { backendEnvironmentName: `env${i}` }),
  },
  {
    name: 'amplify Domain with waitForAvailability (5 to an app)',
    add: (stack, i) => {
      const app = domainApp(stack, i);
      const branch = (app.node.tryFindChild('main') as amplify.Branch | undefined) ?? app.addBranch('main');
      new amplify.Domain(stack, `D${i}`, { app, domainName: `site${i}.example.com`, waitForAvailability: true }).mapRoot(branch);
    },
  },
  {
    name: 'codeartifact PackageOriginControl (a package each)',
    add: (stack, i) => new codeartifact.PackageOriginControl(stack, `O${i}`, {
      repository: repository(stack),
      format: codeartifact.PackageFormat.NPM,
      namespace: 'acme',
      packageName: `p${i}`,
      upstream: codeartifact.PackageOriginMode.BLOCK,
    }),
  },
  {
    name: 'codeartifact PackagePromotion (a package each)',
    add: (stack, i) => new codeartifact.PackagePromotion(stack, `P${i}`, {
      source: repository(stack),
      destination: shared(stack, 'Release', () => codeartifact.Repository.fromRepositoryArn(stack, 'Release',
        'arn:aws:codeartifact:us-east-1:123456789012:repository/acme/release')),
      format: codeartifact.PackageFormat.NPM,
      namespace: 'acme',
      packageName: `p${i}`,
      versions: ['1.0.0'],
    }),
  },
  {
    name: 'codeartifact GenericPackageVersion (a package each)',
    add: (stack, i) => new codeartifact.GenericPackageVersion(stack, `V${i}`, {
      repository: repository(stack),
      namespace: 'tools',
      packageName: `tool-${i}`,
      version: '1.0.0',
      asset: codeartifact.PackageAsset.fromPath(ASSET),
      assetName: 'tool.sh',
    }),
  },
  {
    name: 'codepipeline PipelineExecution with waitForSuccess (a pipeline each)',
    add: (stack, i) => new codepipeline.PipelineExecution(stack, `Run${i}`, {
      pipeline: Pipeline.fromPipelineArn(stack, `Pipeline${i}`, `arn:aws:codepipeline:us-east-1:123456789012:release-${i}`),
      trigger: 'v1',
      waitForSuccess: true,
    }),
  },
  {
    name: 'codepipeline StageTransitionFreeze (a stage each)',
    add: (stack, i) => new codepipeline.StageTransitionFreeze(stack, `Freeze${i}`, {
      pipeline: shared(stack, 'Release', () => Pipeline.fromPipelineArn(stack, 'Release', 'arn:aws:codepipeline:us-east-1:123456789012:release')),
      stageName: `Stage${i}`,
      direction: codepipeline.TransitionDirection.OUTBOUND,
      reason: 'Holiday freeze',
    }),
  },
  {
    name: 'codecatalyst Project',
    add: (stack, i) => new codecatalyst.Project(stack, `Project${i}`, { space: catalystProject(stack).space, displayName: `Team ${i}` }),
  },
  {
    name: 'codecatalyst SourceRepository with a branch each',
    add: (stack, i) => new codecatalyst.SourceRepositoryBranch(stack, `Branch${i}`, {
      repository: new codecatalyst.SourceRepository(stack, `Repo${i}`, { project: catalystProject(stack), sourceRepositoryName: `service-${i}` }),
      branchName: 'develop',
    }),
  },
  {
    name: 'codecatalyst DevEnvironment',
    add: (stack, i) => new codecatalyst.DevEnvironment(stack, `Env${i}`, {
      project: catalystProject(stack), instanceType: codecatalyst.DevEnvironmentInstanceType.STANDARD1_SMALL, alias: `env-${i}`,
    }),
  },
  {
    name: 'codecatalyst WorkflowRun with waitForSuccess',
    add: (stack, i) => new codecatalyst.WorkflowRun(stack, `Run${i}`, {
      project: catalystProject(stack),
      workflow: codecatalyst.Workflow.fromName(codecatalyst.SourceRepository.fromSourceRepositoryAttributes(stack, `Workflows${i}`, {
        project: catalystProject(stack), sourceRepositoryName: 'workflows',
      }), `Deploy${i}`),
      trigger: 'v1',
      waitForSuccess: true,
    }),
  },
];

/**
 * A family that cannot reach 150 in one stack: a domain whose DNS records the stack writes into Route 53
 * and whose deployment waits for it is four resources or more (the association, the records resource, the
 * availability wait, a record per sub-domain), so the stack's 500 resources end first. The kit fails the
 * synth with the count and what to do.
 */
export const DOMAIN_WITH_RECORDS: ScaleFamily = {
  name: 'amplify Domain with Route 53 records and waitForAvailability (5 to an app)',
  add: (stack, i) => {
    const app = domainApp(stack, i);
    const branch = (app.node.tryFindChild('main') as amplify.Branch | undefined) ?? app.addBranch('main');
    const zone = shared(stack, 'Zone', () => route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', {
      hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com',
    }));
    new amplify.Domain(stack, `D${i}`, { app, domainName: `site${i}.example.com`, hostedZone: zone, waitForAvailability: true }).mapRoot(branch);
  },
};
