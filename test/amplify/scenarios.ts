/**
 * The three Amplify scenarios of the integ tests and of the side-by-side comparison with
 * `@aws-cdk/aws-amplify-alpha`, each written with this library and with the alpha.
 */
import * as alpha from '@aws-cdk/aws-amplify-alpha';
import { SecretValue, Stack } from 'aws-cdk-lib';
import { CfnWebhook } from 'aws-cdk-lib/aws-amplify';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as codecommit from 'aws-cdk-lib/aws-codecommit';
import * as amplify from '../../src/amplify';

/** The Secrets Manager secret the scenarios read repository tokens from (never deployed by the tests). */
export const TOKEN_SECRET = 'cdk-devtools/integ/github-access-token';

const siteBuildSpec = () => ({
  version: 1,
  frontend: {
    phases: { preBuild: { commands: ['npm ci'] }, build: { commands: ['npm run build'] } },
    artifacts: { baseDirectory: 'dist', files: ['**/*'] },
    cache: { paths: ['node_modules/**/*'] },
  },
});

const SECURITY_HEADERS = { 'Strict-Transport-Security': 'max-age=31536000; includeSubDomains', 'X-Content-Type-Options': 'nosniff' };

/** What the GitHub App scenario defines with this library. */
export interface GitHubScenario {
  readonly app: amplify.App;
  readonly main: amplify.Branch;
  readonly dev: amplify.Branch;
  readonly domain: amplify.Domain;
  readonly webhook: amplify.Webhook;
}

/** A GitHub App app with two branches, a custom domain and a webhook. */
export function gitHubScenario(stack: Stack): GitHubScenario {
  const app = new amplify.App(stack, 'Site', {
    appName: 'marketing-site',
    description: 'the marketing site',
    sourceCodeProvider: amplify.SourceCodeProvider.gitHub({
      owner: 'cdk-devtools', repository: 'marketing-site', accessToken: SecretValue.secretsManager(TOKEN_SECRET),
    }),
    buildSpec: codebuild.BuildSpec.fromObjectToYaml(siteBuildSpec()),
    environmentVariables: { NODE_VERSION: '22' },
    customRules: [amplify.CustomRule.SINGLE_PAGE_APPLICATION_REDIRECT],
    customHeaders: [{ pattern: '**', headers: SECURITY_HEADERS }],
    cacheConfigType: amplify.CacheConfigType.AMPLIFY_MANAGED,
    buildComputeType: amplify.BuildComputeType.LARGE_16GB,
  });
  const main = app.addBranch('main', { stage: amplify.Stage.PRODUCTION, performanceMode: true });
  const dev = app.addBranch('dev', {
    stage: amplify.Stage.DEVELOPMENT,
    basicAuth: amplify.BasicAuth.fromGeneratedPassword('preview'),
    environmentVariables: { API_URL: 'https://api.dev.example.com' },
  });
  const domain = app.addDomain('Domain', { domainName: 'cdk-devtools-integ.example.com' });
  domain.mapRoot(main);
  domain.mapSubDomain(dev, 'dev');
  const webhook = app.addWebhook('CmsPublished', { branch: dev, description: 'rebuild dev when the CMS publishes' });
  return { app, main, dev, domain, webhook };
}

/** The same with the alpha (which has no webhook: the L1 stands in). */
export function alphaGitHubScenario(stack: Stack): void {
  const app = new alpha.App(stack, 'Site', {
    appName: 'marketing-site',
    description: 'the marketing site',
    sourceCodeProvider: new alpha.GitHubSourceCodeProvider({
      owner: 'cdk-devtools', repository: 'marketing-site', oauthToken: SecretValue.secretsManager(TOKEN_SECRET),
    }),
    buildSpec: codebuild.BuildSpec.fromObjectToYaml(siteBuildSpec()),
    environmentVariables: { NODE_VERSION: '22' },
    customRules: [alpha.CustomRule.SINGLE_PAGE_APPLICATION_REDIRECT],
    customResponseHeaders: [{ pattern: '**', headers: SECURITY_HEADERS }],
    cacheConfigType: alpha.CacheConfigType.AMPLIFY_MANAGED,
    buildComputeType: alpha.BuildComputeType.LARGE_16GB,
  });
  const main = app.addBranch('main', { stage: 'PRODUCTION', performanceMode: true });
  const dev = app.addBranch('dev', {
    stage: 'DEVELOPMENT',
    basicAuth: alpha.BasicAuth.fromGeneratedPassword('preview'),
    environmentVariables: { API_URL: 'https://api.dev.example.com' },
  });
  const domain = app.addDomain('Domain', { domainName: 'cdk-devtools-integ.example.com' });
  domain.mapRoot(main);
  domain.mapSubDomain(dev, 'dev');
  new CfnWebhook(app, 'CmsPublished', { appId: app.appId, branchName: dev.branchName, description: 'rebuild dev when the CMS publishes' });
}

/** An SSR app in a monorepo folder. */
export function monorepoScenario(stack: Stack): { app: amplify.App; main: amplify.Branch } {
  const app = new amplify.App(stack, 'Storefront', {
    sourceCodeProvider: amplify.SourceCodeProvider.gitHub({
      owner: 'cdk-devtools', repository: 'monorepo', accessToken: SecretValue.secretsManager(TOKEN_SECRET),
    }),
    platform: amplify.Platform.WEB_COMPUTE,
    appRoot: 'apps/storefront',
    buildSpec: codebuild.BuildSpec.fromObjectToYaml({
      version: 1,
      frontend: {
        phases: { build: { commands: ['npm ci', 'npm run build'] } },
        artifacts: { baseDirectory: '.next', files: ['**/*'] },
      },
    }),
    customHeaders: [{ pattern: '**', headers: SECURITY_HEADERS }],
  });
  const main = app.addBranch('main', { stage: amplify.Stage.PRODUCTION, framework: 'Next.js - SSR', skewProtection: true });
  return { app, main };
}

/** The same with the alpha: the environment variable and the `applications:` build spec are written by hand. */
export function alphaMonorepoScenario(stack: Stack): void {
  const app = new alpha.App(stack, 'Storefront', {
    sourceCodeProvider: new alpha.GitHubSourceCodeProvider({
      owner: 'cdk-devtools', repository: 'monorepo', oauthToken: SecretValue.secretsManager(TOKEN_SECRET),
    }),
    platform: alpha.Platform.WEB_COMPUTE,
    environmentVariables: { AMPLIFY_MONOREPO_APP_ROOT: 'apps/storefront' },
    buildSpec: codebuild.BuildSpec.fromObjectToYaml({
      version: 1,
      applications: [{
        appRoot: 'apps/storefront',
        frontend: {
          phases: { build: { commands: ['npm ci', 'npm run build'] } },
          artifacts: { baseDirectory: '.next', files: ['**/*'] },
        },
      }],
    }),
    customResponseHeaders: [{ appRoot: 'apps/storefront', pattern: '**', headers: SECURITY_HEADERS }],
  });
  app.addBranch('main', { stage: 'PRODUCTION', skewProtection: true });
}

/** A CodeCommit app that builds every feature branch. */
export function codeCommitScenario(stack: Stack): { app: amplify.App; main: amplify.Branch; repository: codecommit.Repository } {
  const repository = new codecommit.Repository(stack, 'Repository', { repositoryName: 'cdk-devtools-amplify-integ' });
  const app = new amplify.App(stack, 'Docs', {
    sourceCodeProvider: amplify.SourceCodeProvider.codeCommit({ repository }),
    autoBranchCreation: { patterns: ['feature/*'], stage: amplify.Stage.DEVELOPMENT, environmentVariables: { PREVIEW: 'true' } },
    autoBranchDeletion: true,
  });
  const main = app.addBranch('main', { stage: amplify.Stage.PRODUCTION });
  return { app, main, repository };
}

/** The same with the alpha. */
export function alphaCodeCommitScenario(stack: Stack): void {
  const repository = new codecommit.Repository(stack, 'Repository', { repositoryName: 'cdk-devtools-amplify-integ' });
  const app = new alpha.App(stack, 'Docs', {
    sourceCodeProvider: new alpha.CodeCommitSourceCodeProvider({ repository }),
    autoBranchCreation: { patterns: ['feature/*'], stage: 'DEVELOPMENT', environmentVariables: { PREVIEW: 'true' } },
    autoBranchDeletion: true,
  });
  app.addBranch('main', { stage: 'PRODUCTION' });
}
