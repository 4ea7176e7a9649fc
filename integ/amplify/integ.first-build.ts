/**
 * A GitHub app whose `main` branch is built when the stack is deployed, and again whenever its build spec
 * changes; the deployment waits for the build to succeed (CloudFormation alone creates the branch but never
 * builds it).
 *
 * Deploying it needs the Secrets Manager secret `cdk-devtools/integ/github-access-token` (a GitHub token that may
 * install the Amplify GitHub App on the repository) and a repository with a buildable site in place of the example one.
 */
import { createHash } from 'crypto';
import { ExpectedResult } from '@aws-cdk/integ-tests-alpha';
import { CfnOutput, Duration, SecretValue, Stack } from 'aws-cdk-lib';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as amplify from '../../src/amplify';
import { TOKEN_SECRET } from '../../test/amplify/scenarios';
import { integApp, integTest } from '../support';

const buildSpec = {
  version: 1,
  frontend: {
    phases: { preBuild: { commands: ['npm ci'] }, build: { commands: ['npm run build'] } },
    artifacts: { baseDirectory: 'dist', files: ['**/*'] },
  },
};

const app = integApp();
const stack = new Stack(app, 'AmplifyFirstBuild');
const site = new amplify.App(stack, 'Site', {
  appName: 'first-build-site',
  sourceCodeProvider: amplify.SourceCodeProvider.gitHub({
    owner: 'cdk-devtools', repository: 'marketing-site', accessToken: SecretValue.secretsManager(TOKEN_SECRET),
  }),
  buildSpec: codebuild.BuildSpec.fromObjectToYaml(buildSpec),
});
const main = site.addBranch('main', { stage: amplify.Stage.PRODUCTION });
const build = main.startBuild('Build', {
  trigger: createHash('sha256').update(JSON.stringify(buildSpec)).digest('hex'),
  reason: 'deployed by the cdk-devtools integ test',
  waitForSuccess: true,
  timeout: Duration.minutes(30),
});
new CfnOutput(stack, 'FirstJobId', { value: build.jobId });
new CfnOutput(stack, 'SiteUrl', { value: main.branchUrl });

const integ = integTest(app, 'AmplifyFirstBuildTest', [stack]);
integ.assertions.awsApiCall('Amplify', 'getJob', { appId: site.appId, branchName: 'main', jobId: build.jobId })
  .expect(ExpectedResult.objectLike({ job: { summary: { jobType: 'RELEASE', status: 'SUCCEED' } } }));
integ.assertions.httpApiCall(main.branchUrl).expect(ExpectedResult.objectLike({ status: 200 }));
