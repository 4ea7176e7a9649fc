/**
 * An SSR app in a monorepo folder: AMPLIFY_MONOREPO_APP_ROOT, the `applications:` build spec and the custom
 * headers all name the same app root.
 *
 * Deploying it needs the Secrets Manager secret `cdk-devtools/integ/github-access-token`.
 */
import { ExpectedResult, Match } from '@aws-cdk/integ-tests-alpha';
import { Stack } from 'aws-cdk-lib';
import { monorepoScenario } from '../../test/amplify/scenarios';
import { integApp, integTest } from '../support';

const app = integApp();
const stack = new Stack(app, 'AmplifyMonorepoApp');
const { app: storefront } = monorepoScenario(stack);

const integ = integTest(app, 'AmplifyMonorepoAppTest', [stack]);
integ.assertions.awsApiCall('Amplify', 'getApp', { appId: storefront.appId }).expect(ExpectedResult.objectLike({
  app: {
    platform: 'WEB_COMPUTE',
    environmentVariables: { AMPLIFY_MONOREPO_APP_ROOT: 'apps/storefront' },
    buildSpec: Match.stringLikeRegexp('appRoot: apps/storefront'),
    customHeaders: Match.stringLikeRegexp('appRoot: apps/storefront'),
  },
}));
integ.assertions.awsApiCall('Amplify', 'getBranch', { appId: storefront.appId, branchName: 'main' }).expect(ExpectedResult.objectLike({
  branch: { framework: 'Next.js - SSR', enableSkewProtection: true },
}));
