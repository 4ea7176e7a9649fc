/**
 * A site without a repository: the built files in `./site` are deployed to the `main` branch at deploy time
 * (CreateDeployment, upload, StartDeployment) and the deployment waits until Amplify serves them.
 *
 * Deploying it needs nothing but the account: no repository, no token.
 */
import * as path from 'path';
import { ExpectedResult } from '@aws-cdk/integ-tests-alpha';
import { CfnOutput, Duration, Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import * as amplify from '../../src/amplify';
import { integApp, integTest } from '../support';

const app = integApp();
const stack = new Stack(app, 'AmplifyManualDeploy');
const site = new amplify.App(stack, 'Site', {
  appName: 'manual-deploy-site',
  customRules: [amplify.CustomRule.notFoundPage('/404.html')],
});
const main = site.addBranch('main', { stage: amplify.Stage.PRODUCTION, displayName: 'production', ttl: Duration.minutes(5) });
const deployment = new amplify.BranchDeployment(stack, 'Content', {
  branch: main,
  path: path.join(__dirname, 'site'),
  timeout: Duration.minutes(10),
});
new CfnOutput(stack, 'SiteUrl', { value: main.branchUrl });

const integ = integTest(app, 'AmplifyManualDeployTest', [stack]);
integ.assertions.awsApiCall('Amplify', 'getJob', { appId: site.appId, branchName: 'main', jobId: deployment.jobId })
  .expect(ExpectedResult.objectLike({ job: { summary: { jobType: 'MANUAL', status: 'SUCCEED' } } }));
integ.assertions.awsApiCall('Amplify', 'getBranch', { appId: site.appId, branchName: 'main' })
  .expect(ExpectedResult.objectLike({ branch: { displayName: 'production', ttl: '300' } }));
integ.assertions.httpApiCall(main.branchUrl)
  .expect(ExpectedResult.objectLike({ status: 200, body: Match.stringLikeRegexp('Deployed by cdk-devtools BranchDeployment') }));
