/**
 * A pipeline that sources from a GitHub repository through a connection, with the connection's use granted
 * under both IAM prefixes.
 */
import { ExpectedResult } from '@aws-cdk/integ-tests-alpha';
import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as actions from 'aws-cdk-lib/aws-codepipeline-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { NagSuppressions } from 'cdk-nag';
import { Connection, ProviderType } from '../../src/codeconnections';
import { integApp, integTest } from '../support';

const app = integApp();
const stack = new Stack(app, 'CodeConnectionsPipelineSource');
const connection = new Connection(stack, 'GitHub', { connectionName: 'integ-pipeline', providerType: ProviderType.GITHUB, createOutputs: true });
const artifacts = new s3.Bucket(stack, 'Artifacts', {
  enforceSSL: true, encryption: s3.BucketEncryption.S3_MANAGED, removalPolicy: RemovalPolicy.DESTROY, autoDeleteObjects: true,
});
NagSuppressions.addResourceSuppressions(artifacts, [{ id: 'AwsSolutions-S1', reason: 'pipeline artifacts of a short-lived integ test need no access log' }]);
const sourceRole = new iam.Role(stack, 'SourceRole', { assumedBy: new iam.AccountRootPrincipal() });
connection.grantUse(sourceRole);
const source = new codepipeline.Artifact('Source');
const pipeline = new codepipeline.Pipeline(stack, 'Pipeline', {
  pipelineName: 'cdk-devtools-integ-connection-source',
  pipelineType: codepipeline.PipelineType.V2,
  artifactBucket: artifacts,
  stages: [
    {
      stageName: 'Source',
      actions: [new actions.CodeStarConnectionsSourceAction({
        actionName: 'GitHub',
        connectionArn: connection.connectionArn,
        owner: 'cdk-devtools',
        repo: 'git-sync-fixture',
        branch: 'main',
        output: source,
        role: sourceRole,
        triggerOnPush: false,
      })],
    },
    { stageName: 'Approve', actions: [new actions.ManualApprovalAction({ actionName: 'Approve' })] },
  ],
});
NagSuppressions.addResourceSuppressions([pipeline, sourceRole], [
  { id: 'AwsSolutions-IAM5', reason: 'the pipeline roles read and write generated artifact keys in their own bucket (aws-cdk-lib grants)' },
], true);
NagSuppressions.addStackSuppressions(stack, [
  { id: 'AwsSolutions-IAM4', reason: 'the bucket auto-delete provider of aws-cdk-lib uses the managed basic execution role' },
  { id: 'AwsSolutions-L1', reason: 'the bucket auto-delete provider of aws-cdk-lib chooses its own runtime' },
]);

const test = integTest(app, 'PipelineSource', [stack]);
test.assertions.awsApiCall('CodePipeline', 'GetPipeline', { name: 'cdk-devtools-integ-connection-source' })
  .expect(ExpectedResult.objectLike({
    pipeline: { stages: [{ name: 'Source', actions: [{ configuration: { ConnectionArn: connection.connectionArn } }] }, { name: 'Approve' }] },
  }));
app.synth();
