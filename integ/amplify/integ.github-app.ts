/**
 * A GitHub App app with two branches, a custom domain and a webhook.
 *
 * Deploying it needs the Secrets Manager secret `cdk-devtools/integ/github-access-token` (a GitHub token that may
 * install the Amplify GitHub App on the repository) and a domain you control in place of the example one.
 */
import { ExpectedResult } from '@aws-cdk/integ-tests-alpha';
import { Stack } from 'aws-cdk-lib';
import { gitHubScenario } from '../../test/amplify/scenarios';
import { integApp, integTest } from '../support';

const app = integApp();
const stack = new Stack(app, 'AmplifyGitHubApp');
const { app: site, main, dev, webhook } = gitHubScenario(stack);

const integ = integTest(app, 'AmplifyGitHubAppTest', [stack]);
integ.assertions.awsApiCall('Amplify', 'getApp', { appId: site.appId }).expect(ExpectedResult.objectLike({
  app: { name: 'marketing-site', platform: 'WEB', repository: 'https://github.com/cdk-devtools/marketing-site' },
}));
integ.assertions.awsApiCall('Amplify', 'listBranches', { appId: site.appId }).expect(ExpectedResult.objectLike({
  branches: [{ branchName: 'dev', stage: 'DEVELOPMENT', enableBasicAuth: true }, { branchName: 'main', stage: 'PRODUCTION' }],
}));
integ.assertions.awsApiCall('Amplify', 'getDomainAssociation', { appId: site.appId, domainName: 'cdk-devtools-integ.example.com' })
  .expect(ExpectedResult.objectLike({
    domainAssociation: { subDomains: [{ subDomainSetting: { prefix: '', branchName: main.branchName } }, { subDomainSetting: { prefix: 'dev', branchName: dev.branchName } }] },
  }));
integ.assertions.awsApiCall('Amplify', 'getWebhook', { webhookId: webhook.webhookId }).expect(ExpectedResult.objectLike({
  webhook: { branchName: 'dev' },
}));
