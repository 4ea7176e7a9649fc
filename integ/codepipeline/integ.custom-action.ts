/**
 * A custom action type with a queryable and a secret property, an action of it in a pipeline (the secret from
 * Secrets Manager), a job worker's role and an EventBridge rule for the type's action executions.
 *
 * A custom action type's version is single-use: this test deletes the type with the stack (DESTROY), and
 * CodePipeline never lets that category/provider/version be created again. Bump VERSION before deploying
 * this test again in the same account and region, and refresh the snapshot (`npx projen integ:snapshot -- codepipeline/`).
 */
import { ExpectedResult, Match } from '@aws-cdk/integ-tests-alpha';
import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as actions from 'aws-cdk-lib/aws-codepipeline-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { NagSuppressions } from 'cdk-nag';
import { CustomActionType } from '../../src/codepipeline';
import { integApp, integTest } from '../support';

const VERSION = '1';
const PROVIDER = 'CdkDevtoolsInteg';

const app = integApp();
const stack = new Stack(app, 'CodePipelineCustomAction');

const type = new CustomActionType(stack, 'Deployer', {
  category: codepipeline.ActionCategory.DEPLOY,
  provider: PROVIDER,
  version: VERSION,
  artifactBounds: { minInputs: 1, maxInputs: 1, minOutputs: 0, maxOutputs: 0 },
  configurationProperties: [
    { name: 'Environment', required: true, key: true, queryable: true, description: 'Where to deploy' },
    { name: 'ApiToken', required: true, secret: true },
  ],
  entityUrlTemplate: 'https://deploy.example.com/environments/{Config:Environment}',
  executionUrlTemplate: 'https://deploy.example.com/environments/{Config:Environment}/runs/{ExternalExecutionId}',
  removalPolicy: RemovalPolicy.DESTROY,
});

const token = new secretsmanager.Secret(stack, 'ApiToken', { description: 'The API token of the integ custom action' });
NagSuppressions.addResourceSuppressions(token, [{ id: 'AwsSolutions-SMG4', reason: 'a generated token of a short-lived integ test needs no rotation' }]);

const sources = new s3.Bucket(stack, 'Sources', {
  enforceSSL: true, versioned: true, encryption: s3.BucketEncryption.S3_MANAGED, removalPolicy: RemovalPolicy.DESTROY, autoDeleteObjects: true,
});
const artifacts = new s3.Bucket(stack, 'Artifacts', {
  enforceSSL: true, encryption: s3.BucketEncryption.S3_MANAGED, removalPolicy: RemovalPolicy.DESTROY, autoDeleteObjects: true,
});
NagSuppressions.addResourceSuppressions([sources, artifacts], [
  { id: 'AwsSolutions-S1', reason: 'sources and pipeline artifacts of a short-lived integ test need no access log' },
]);

const sourceOutput = new codepipeline.Artifact('Source');
const pipeline = new codepipeline.Pipeline(stack, 'Pipeline', {
  pipelineName: 'cdk-devtools-integ-custom-action',
  pipelineType: codepipeline.PipelineType.V2,
  artifactBucket: artifacts,
  stages: [
    {
      stageName: 'Source',
      actions: [new actions.S3SourceAction({
        actionName: 'Fetch', bucket: sources, bucketKey: 'app.zip', output: sourceOutput, trigger: actions.S3Trigger.NONE,
      })],
    },
    {
      stageName: 'Deploy',
      actions: [type.action({
        actionName: 'Deploy',
        inputs: [sourceOutput],
        configuration: { Environment: 'integ' },
        secretConfiguration: { ApiToken: token.secretValue },
      })],
    },
  ],
});
NagSuppressions.addResourceSuppressions(pipeline, [
  { id: 'AwsSolutions-IAM5', reason: 'the pipeline roles read and write generated artifact keys in their own bucket (aws-cdk-lib grants)' },
], true);

const worker = new iam.Role(stack, 'Worker', { assumedBy: new iam.AccountRootPrincipal(), description: 'The integ custom action\'s job worker' });
type.grantJobWorker(worker);
// The worker role is the app's own, so the app accepts the job actions' finding, as grantJobWorker's docs show.
NagSuppressions.addResourceSuppressions(worker, [
  { id: 'AwsSolutions-IAM5', reason: 'CodePipeline job actions have no resource-level permissions', appliesTo: ['Resource::*'] },
], true);
type.onActionExecutionStateChange('Executions', { description: 'Runs of the integ custom action' });

NagSuppressions.addStackSuppressions(stack, [
  { id: 'AwsSolutions-IAM4', reason: 'the bucket auto-delete provider of aws-cdk-lib uses the managed basic execution role' },
  { id: 'AwsSolutions-L1', reason: 'the bucket auto-delete provider of aws-cdk-lib chooses its own runtime' },
]);

const test = integTest(app, 'CustomAction', [stack]);
test.assertions.awsApiCall('CodePipeline', 'ListActionTypes', { actionOwnerFilter: 'Custom' })
  .expect(ExpectedResult.objectLike({
    actionTypes: Match.arrayWith([Match.objectLike({
      id: { category: 'Deploy', owner: 'Custom', provider: PROVIDER, version: VERSION },
      actionConfigurationProperties: [
        Match.objectLike({ name: 'Environment', required: true, key: true, secret: false, queryable: true }),
        Match.objectLike({ name: 'ApiToken', required: true, secret: true }),
      ],
      inputArtifactDetails: { minimumCount: 1, maximumCount: 1 },
    })]),
  }));
test.assertions.awsApiCall('CodePipeline', 'GetPipeline', { name: 'cdk-devtools-integ-custom-action' })
  .expect(ExpectedResult.objectLike({
    pipeline: {
      stages: Match.arrayWith([Match.objectLike({
        name: 'Deploy',
        actions: [Match.objectLike({
          actionTypeId: { category: 'Deploy', owner: 'Custom', provider: PROVIDER, version: VERSION },
          // CodePipeline never returns a secret property's value, only a mask of asterisks.
          configuration: { Environment: 'integ', ApiToken: Match.stringLikeRegexp('^\\*+$') },
        })],
      })]),
    },
  }));
app.synth();
