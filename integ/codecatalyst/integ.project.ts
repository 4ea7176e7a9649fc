/**
 * A CodeCatalyst project with a repository, a branch and a dev environment, and an awaited run of an existing
 * workflow: everything the codecatalyst module manages, in one deployment.
 *
 * Prerequisites in the space `cdk-devtools-integ` (CodeCatalyst is closed to new customers, so they are made by
 * hand once): a secret `cdk-devtools/integ/codecatalyst-sso-session` seeded with the SSO session of a Space
 * administrator (`aws sso login --sso-session codecatalyst`, then `put-secret-value` of its cache file, as the
 * codecatalyst README shows; the handlers refresh it from then on), and a project `cdk-devtools-ci` whose repository `workflows` defines a workflow `Smoke` on
 * `main` (a new repository has no workflow, and the API cannot commit one). The API needs the bearer token, so
 * integ-tests' AWS API assertions cannot read CodeCatalyst: the awaited run is the assertion (the deployment fails
 * unless it SUCCEEDED), and the outputs name what was created.
 */
import { CfnOutput, Duration, RemovalPolicy, Size, Stack, Validations } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import {
  AccessToken, DevEnvironment, DevEnvironmentInstanceType, DevEnvironmentState, Ide, Project, SourceRepository, SourceRepositoryBranch, Space,
  SpaceCheck, Workflow, WorkflowRun,
} from '../../src/codecatalyst';
import { integApp, integTest } from '../support';

const app = integApp();
const stack = new Stack(app, 'CodeCatalystProject');

const session = secretsmanager.Secret.fromSecretNameV2(stack, 'Session', 'cdk-devtools/integ/codecatalyst-sso-session');
const space = new SpaceCheck(stack, 'SpaceCheck', {
  space: Space.fromSpaceName(stack, 'Space', 'cdk-devtools-integ', AccessToken.fromSsoSession(session)),
});

const project = new Project(stack, 'Project', {
  space,
  displayName: 'cdk-devtools integ',
  description: 'Created by the cdk-devtools integ test; deleted with its stack',
  removalPolicy: RemovalPolicy.DESTROY,
});
const repository = new SourceRepository(stack, 'Repository', {
  project,
  sourceRepositoryName: 'storefront',
  description: 'An empty repository of the integ test',
  removalPolicy: RemovalPolicy.DESTROY,
});
const branch = new SourceRepositoryBranch(stack, 'Develop', { repository, branchName: 'develop' });
const devEnvironment = new DevEnvironment(stack, 'Workstation', {
  project,
  instanceType: DevEnvironmentInstanceType.STANDARD1_SMALL,
  persistentStorage: Size.gibibytes(16),
  ide: Ide.VS_CODE,
  inactivityTimeout: Duration.minutes(5),
  alias: 'integ-workstation',
  repositories: [{ repository, branchName: 'develop' }],
  // Stopped: the test creates and waits for it, and burns no compute minutes afterwards.
  desiredState: DevEnvironmentState.STOPPED,
  removalPolicy: RemovalPolicy.DESTROY,
});
devEnvironment.node.addDependency(branch);

const ci = Project.fromProjectAttributes(stack, 'Ci', { space, projectName: 'cdk-devtools-ci' });
const run = new WorkflowRun(stack, 'Smoke', {
  project: ci,
  workflow: Workflow.fromName(SourceRepository.fromSourceRepositoryAttributes(stack, 'Workflows', { project: ci, sourceRepositoryName: 'workflows' }), 'Smoke'),
  trigger: 'integ-1',
  waitForSuccess: true,
  timeout: Duration.minutes(30),
  pollInterval: Duration.seconds(15),
});

new CfnOutput(stack, 'ProjectName', { value: project.projectName });
new CfnOutput(stack, 'CloneUrl', { value: repository.sourceRepositoryCloneUrlHttps });
new CfnOutput(stack, 'BranchRef', { value: branch.branchRef });
new CfnOutput(stack, 'DevEnvironmentId', { value: devEnvironment.devEnvironmentId });
new CfnOutput(stack, 'WorkflowRunId', { value: run.workflowRunId });

integTest(app, 'CodeCatalyst', [stack]);
// integ-tests' awsApiCall cannot send a bearer token, so the assertion stack stays empty; the awaited run is the
// assertion. A new app's `@aws-cdk/core:validateAgainstDefaultRules` refuses an empty template unless acknowledged.
const assertionStack = app.node.findAll().filter(Stack.isStack).find(s => s.node.path.includes('DeployAssert'))!;
Validations.of(assertionStack).acknowledge({
  id: 'CloudFormation-Validate::F0001',
  reason: 'the assertion stack of integ-tests is empty: CodeCatalyst takes a bearer token, which awsApiCall cannot send',
});
app.synth();
