import * as path from 'path';
import { App, Duration, SecretValue, Stack, StackProps } from 'aws-cdk-lib';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import { Construct } from 'constructs';
import { PLATFORM_ENV } from './platform';
import * as amplify from '../../src/amplify';

/**
 * The organisation's web hosting: the marketing site from GitHub (production, staging behind a password,
 * previews for feature branches, a custom domain, a CMS webhook, a production build on each deployment, a Gen 1
 * backend environment for staging), the customer portal from a monorepo, and the handbook deployed from a directory.
 */
export class WebHostingStack extends Stack {
  public readonly site: amplify.App;
  public readonly portal: amplify.App;
  public readonly handbook: amplify.App;

  constructor(scope: Construct, id: string, props: StackProps) {
    super(scope, id, props);
    const gitHubToken = SecretValue.secretsManager('platform/github-access-token');

    this.site = new amplify.App(this, 'MarketingSite', {
      sourceCodeProvider: amplify.SourceCodeProvider.gitHub({ owner: 'acme', repository: 'marketing-site', accessToken: gitHubToken }),
      buildSpec: codebuild.BuildSpec.fromObjectToYaml({
        version: 1,
        frontend: {
          phases: { preBuild: { commands: ['npm ci'] }, build: { commands: ['npm run build'] } },
          artifacts: { baseDirectory: 'dist', files: ['**/*'] },
        },
      }),
      customRules: [
        amplify.CustomRule.redirectHost('https://acme.example', 'https://www.acme.example'),
        amplify.CustomRule.SINGLE_PAGE_APPLICATION_REDIRECT,
      ],
      customHeaders: [{ pattern: '**', headers: { 'Strict-Transport-Security': 'max-age=31536000; includeSubDomains' } }],
      autoBranchCreation: { patterns: ['feature/*'], basicAuth: amplify.BasicAuth.fromGeneratedPassword('preview'), pullRequestPreview: false },
      autoBranchDeletion: true,
      cacheConfigType: amplify.CacheConfigType.AMPLIFY_MANAGED,
    });
    this.site.addEnvironment('NODE_VERSION', '22');
    const main = this.site.addBranch('main', { stage: amplify.Stage.PRODUCTION, performanceMode: true });
    // The site's Gen 1 backend: staging deploys with its own backend environment.
    const stagingBackend = this.site.addBackendEnvironment('StagingBackend', {
      backendEnvironmentName: 'staging',
      stackName: 'amplify-marketingsite-staging',
      deploymentArtifacts: 'amplify-marketingsite-staging-deployment',
    });
    const staging = this.site.addBranch('staging', {
      stage: amplify.Stage.BETA,
      basicAuth: amplify.BasicAuth.fromGeneratedPassword('staging'),
      backendEnvironment: stagingBackend,
      displayName: 'Staging',
    });
    // CloudFormation creates branches without building them: build production on every build-spec change.
    main.startBuild('Build', { trigger: 'build-spec-v1', reason: 'platform deployment', waitForSuccess: true, timeout: Duration.minutes(30) });
    // The zone is hosted outside AWS: the records to create there are stack outputs.
    const domain = this.site.addDomain('Domain', { domainName: 'acme.example', createOutputs: true });
    domain.mapRoot(main);
    domain.mapSubDomain(main, 'www');
    domain.mapSubDomain(staging);
    this.site.addWebhook('CmsPublished', { branch: main, description: 'rebuild when the CMS publishes' });

    this.portal = new amplify.App(this, 'CustomerPortal', {
      sourceCodeProvider: amplify.SourceCodeProvider.gitHub({ owner: 'acme', repository: 'monorepo', accessToken: gitHubToken }),
      platform: amplify.Platform.WEB_COMPUTE,
      appRoot: 'apps/portal',
      buildSpec: codebuild.BuildSpec.fromObjectToYaml({
        version: 1,
        frontend: {
          phases: { build: { commands: ['npm ci', 'npm run build'] } },
          artifacts: { baseDirectory: '.next', files: ['**/*'] },
        },
      }),
      buildComputeType: amplify.BuildComputeType.LARGE_16GB,
    });
    this.portal.addBranch('main', { stage: amplify.Stage.PRODUCTION, framework: 'Next.js - SSR', skewProtection: true });

    // The handbook has no repository: its built pages are deployed from this directory.
    this.handbook = new amplify.App(this, 'Handbook', { customRules: [amplify.CustomRule.notFoundPage()] });
    new amplify.BranchDeployment(this, 'HandbookContent', {
      branch: this.handbook.addBranch('main', { stage: amplify.Stage.PRODUCTION, ttl: Duration.minutes(10) }),
      path: path.join(__dirname, 'handbook'),
    });
  }
}

/** Adds the web hosting stack to the platform. */
export function addAmplifyPlatform(app: App): Stack[] {
  return [new WebHostingStack(app, 'WebHosting', { env: PLATFORM_ENV })];
}
