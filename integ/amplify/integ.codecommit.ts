/**
 * A CodeCommit app that builds `main` and every `feature/*` branch; the app's service role may pull the repository.
 */
import { ExpectedResult } from '@aws-cdk/integ-tests-alpha';
import { Stack } from 'aws-cdk-lib';
import { codeCommitScenario } from '../../test/amplify/scenarios';
import { integApp, integTest } from '../support';

const app = integApp();
const stack = new Stack(app, 'AmplifyCodeCommitApp');
const { app: docs } = codeCommitScenario(stack);

const integ = integTest(app, 'AmplifyCodeCommitAppTest', [stack]);
integ.assertions.awsApiCall('Amplify', 'getApp', { appId: docs.appId }).expect(ExpectedResult.objectLike({
  app: {
    enableAutoBranchCreation: true,
    autoBranchCreationPatterns: ['feature/*'],
    enableBranchAutoDeletion: true,
    autoBranchCreationConfig: { stage: 'DEVELOPMENT', environmentVariables: { PREVIEW: 'true' } },
  },
}));
integ.assertions.awsApiCall('Amplify', 'getBranch', { appId: docs.appId, branchName: 'main' }).expect(ExpectedResult.objectLike({
  branch: { stage: 'PRODUCTION', enableAutoBuild: true },
}));
