/**
 * A pipeline that the deployment starts and waits for (PipelineExecution), and an outbound freeze of its source
 * stage (StageTransitionFreeze), set once the execution has succeeded.
 *
 * The source is a zip that a BucketDeployment puts in the source bucket before the execution starts; the pipeline
 * copies it to a second bucket. The assertions read the execution the deployment waited for.
 */
import * as path from 'path';
import { ExpectedResult } from '@aws-cdk/integ-tests-alpha';
import { Duration, Fn, Stack } from 'aws-cdk-lib';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as actions from 'aws-cdk-lib/aws-codepipeline-actions';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { NagSuppressions } from 'cdk-nag';
import { PipelineExecution, StageTransitionFreeze, TransitionDirection } from '../../src/codepipeline';
import { integApp, integTest } from '../support';
import { pipelineBuckets } from './buckets';

const PIPELINE_NAME = 'cdk-devtools-integ-pipeline-control';

const app = integApp();
const stack = new Stack(app, 'CodePipelineControl');

const { sources, artifacts, site } = pipelineBuckets(stack);

// The zip itself (extract: false), at the key the source action reads.
const upload = new s3deploy.BucketDeployment(stack, 'Upload', {
  destinationBucket: sources,
  sources: [s3deploy.Source.asset(path.join(__dirname, 'pipeline-control-source'))],
  extract: false,
});

const sourceOutput = new codepipeline.Artifact('Source');
const pipeline = new codepipeline.Pipeline(stack, 'Pipeline', {
  pipelineName: PIPELINE_NAME,
  pipelineType: codepipeline.PipelineType.V2,
  artifactBucket: artifacts,
  variables: [new codepipeline.Variable({ variableName: 'RELEASE', defaultValue: 'none' })],
  stages: [
    {
      stageName: 'Source',
      actions: [new actions.S3SourceAction({
        actionName: 'Fetch', bucket: sources, bucketKey: Fn.select(0, upload.objectKeys), output: sourceOutput, trigger: actions.S3Trigger.NONE,
      })],
    },
    {
      stageName: 'Publish',
      actions: [new actions.S3DeployAction({ actionName: 'Copy', bucket: site, input: sourceOutput })],
    },
  ],
});
NagSuppressions.addResourceSuppressions(pipeline, [
  { id: 'AwsSolutions-IAM5', reason: 'the pipeline roles read and write generated artifact keys in their own buckets (aws-cdk-lib grants)' },
], true);

const execution = new PipelineExecution(stack, 'Release', {
  pipeline,
  trigger: 'integ-1',
  variables: { RELEASE: 'integ-1' },
  waitForSuccess: true,
  timeout: Duration.minutes(20),
  pollInterval: Duration.seconds(15),
});
execution.node.addDependency(upload);

const freeze = new StageTransitionFreeze(stack, 'Freeze', {
  pipeline,
  stageName: 'Source',
  direction: TransitionDirection.OUTBOUND,
  reason: 'Frozen by the cdk-devtools integ test',
});
// Freeze only once the awaited execution is through the transition.
freeze.node.addDependency(execution);

NagSuppressions.addStackSuppressions(stack, [
  { id: 'AwsSolutions-IAM4', reason: 'the bucket deployment and auto-delete providers of aws-cdk-lib use the managed basic execution role' },
  { id: 'AwsSolutions-IAM5', reason: 'the bucket deployment provider of aws-cdk-lib reads its asset bucket and writes the source bucket (aws-cdk-lib grants)' },
  { id: 'AwsSolutions-L1', reason: 'the bucket deployment and auto-delete providers of aws-cdk-lib choose their own runtime' },
]);

const test = integTest(app, 'PipelineControl', [stack]);
test.assertions.awsApiCall('CodePipeline', 'GetPipelineExecution', { pipelineName: PIPELINE_NAME, pipelineExecutionId: execution.pipelineExecutionId })
  .expect(ExpectedResult.objectLike({
    pipelineExecution: { pipelineName: PIPELINE_NAME, status: 'Succeeded', variables: [{ name: 'RELEASE', resolvedValue: 'integ-1' }] },
  }));
app.synth();
