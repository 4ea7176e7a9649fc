/**
 * The README's Amplify examples, verbatim in body (only the import of the package differs).
 */
import * as fs from 'fs';
import * as path from 'path';
import { Duration, SecretValue, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import { amplifyStack } from './support';
import * as amplify from '../../src/amplify';
import { expectNagClean } from '../kit';

test('the README example app, branches, domain and webhook', () => {
  const stack: Stack = amplifyStack();

  const site = new amplify.App(stack, 'Site', {
    sourceCodeProvider: amplify.SourceCodeProvider.gitHub({
      owner: 'acme',
      repository: 'site',
      accessToken: SecretValue.secretsManager('github-access-token'), // rendered as a dynamic reference
    }),
    buildSpec: codebuild.BuildSpec.fromObjectToYaml({
      version: 1,
      frontend: {
        phases: { build: { commands: ['npm ci', 'npm run build'] } },
        artifacts: { baseDirectory: 'dist', files: ['**/*'] },
      },
    }),
    customRules: [amplify.CustomRule.SINGLE_PAGE_APPLICATION_REDIRECT],
    customHeaders: [{ pattern: '**', headers: { 'Strict-Transport-Security': 'max-age=31536000' } }],
    autoBranchCreation: { patterns: ['feature/*'], basicAuth: amplify.BasicAuth.fromGeneratedPassword('preview') },
    autoBranchDeletion: true,
  });
  site.addEnvironment('NODE_VERSION', '22'); // a second addEnvironment('NODE_VERSION', ...) throws

  const main = site.addBranch('main', { stage: amplify.Stage.PRODUCTION });
  const staging = site.addBranch('staging', {
    stage: amplify.Stage.BETA,
    basicAuth: amplify.BasicAuth.fromCredentials('qa', SecretValue.secretsManager('staging-password')),
  });

  const domain = site.addDomain('Domain', { domainName: 'example.com' });
  domain.mapRoot(main);
  domain.mapSubDomain(staging); // staging.example.com

  // Anyone with the URL can start builds: treat webhook.webhookUrl like a credential.
  const webhook = site.addWebhook('CmsPublished', { branch: main });

  const portal = new amplify.App(stack, 'Portal', {
    sourceCodeProvider: amplify.SourceCodeProvider.gitHub({
      owner: 'acme', repository: 'monorepo', accessToken: SecretValue.secretsManager('github-access-token'),
    }),
    platform: amplify.Platform.WEB_COMPUTE, // SSR: a compute role is created unless you pass computeRole
    appRoot: 'apps/portal',
    buildSpec: codebuild.BuildSpec.fromObjectToYaml({
      version: 1,
      frontend: { phases: { build: { commands: ['npm run build'] } }, artifacts: { baseDirectory: '.next', files: ['**/*'] } },
    }),
  });
  portal.addBranch('main', { framework: 'Next.js - SSR', skewProtection: true });

  expect(webhook.webhookUrl).toBeDefined();
  const template = Template.fromStack(stack);
  template.resourceCountIs('AWS::Amplify::App', 2);
  template.resourceCountIs('AWS::Amplify::Branch', 3);
  template.hasResourceProperties('AWS::Amplify::Domain', { SubDomainSettings: [{ Prefix: '' }, { Prefix: 'staging' }] });
  expectNagClean(stack);
});

test('the README deploy-time example', () => {
  const stack: Stack = amplifyStack();
  const site = new amplify.App(stack, 'Site', {
    sourceCodeProvider: amplify.SourceCodeProvider.gitHub({ owner: 'acme', repository: 'site', accessToken: SecretValue.secretsManager('github-access-token') }),
  });
  const readmeDir = path.join(__dirname, 'fixtures');
  (function (this: Stack, __dirname: string) {
    const web = site.addBranch('web', { displayName: 'Website', ttl: Duration.minutes(5), notifications: true });
    web.startBuild('Build', { trigger: 'build-spec-v2', waitForSuccess: true, timeout: Duration.minutes(30) });

    const manual = new amplify.App(this, 'Manual');
    new amplify.BranchDeployment(this, 'Deploy', {
      branch: manual.addBranch('main'),
      path: path.join(__dirname, 'site'), // the built site; a .zip works too
    });

    const staging = site.addBackendEnvironment('Staging', {
      backendEnvironmentName: 'staging',
      stackName: 'amplify-site-staging', // the CloudFormation stack of the Gen 1 backend
    });
    site.addBranch('staging', { backendEnvironment: staging });

    const shop = site.addDomain('Shop', {
      domainName: 'shop.example.org',
      createOutputs: true, // outputs: the certificate CNAME and one record per sub-domain
      waitForAvailability: true,
      availabilityTimeout: Duration.minutes(90),
    });
    shop.mapRoot(web);
    const www = shop.subDomainRecord(''); // www.name, www.type, www.value: deploy-time tokens
    expect(stack.resolve(www.value)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^SiteShopRecords/), 'SubDomain0Value'] });
  }).call(stack, readmeDir);
  const template = Template.fromStack(stack);
  template.resourceCountIs('Custom::CdkDevtoolsAmplifyBackendEnvironment', 1);
  template.resourceCountIs('Custom::CdkDevtoolsAmplifyDomainReadiness', 2);
  template.hasResourceProperties('Custom::CdkDevtoolsAmplifyDomainReadiness', { Mode: 'available', TimeoutSeconds: 5400 });
  expect(Object.keys(template.findOutputs('*')).filter(o => o.startsWith('SiteShop'))).toHaveLength(2);
  template.resourceCountIs('Custom::CdkDevtoolsAmplifyBuild', 1);
  template.resourceCountIs('Custom::CdkDevtoolsAmplifyDeployment', 1);
  template.resourceCountIs('Custom::CdkDevtoolsAmplifyBranchSettings', 2);
  expectNagClean(stack);
});

test('every TypeScript example of the README\'s Amplify section is in this file, verbatim', () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Amplify Hosting'), readme.indexOf('\n## ', readme.indexOf('## Amplify Hosting') + 1));
  const blocks = [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map(m => m[1]);
  expect(blocks.length).toBeGreaterThanOrEqual(3);
  // The test declares nothing and imports from the source, so `import` and `declare` lines are left out.
  const normalize = (text: string) => text.split('\n').map(line => line.trim())
    .filter(line => line && !line.startsWith('import ') && !line.startsWith('declare ')).join('\n');
  const here = normalize(fs.readFileSync(__filename, 'utf8'));
  for (const block of blocks) {
    expect(here).toContain(normalize(block));
  }
});
