/**
 * A pipeline whose custom action is served by a JobWorker (the action's function answers SUCCEEDED) and whose
 * promotion is decided by an ApprovalGate on an alarm with a bake time and a deployment window.
 *
 * A custom action type's version is single-use: this test deletes the type with the stack (DESTROY), and
 * CodePipeline never lets that category/provider/version be created again. Bump VERSION before deploying
 * this test again in the same account and region, and refresh the snapshot (`npx projen integ:snapshot -- codepipeline/`).
 */
import { ExpectedResult, Match } from '@aws-cdk/integ-tests-alpha';
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as actions from 'aws-cdk-lib/aws-codepipeline-actions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { NagSuppressions } from 'cdk-nag';
import { ApprovalGate, CustomActionType, DaysOfWeek, JobWorker } from '../../src/codepipeline';
import { integApp, integTest } from '../support';

const VERSION = '1';
const PROVIDER = 'CdkDevtoolsIntegWorker';
const PIPELINE_NAME = 'cdk-devtools-integ-worker-and-gate';

const app = integApp();
const stack = new Stack(app, 'CodePipelineWorkerAndGate');

const type = new CustomActionType(stack, 'Checker', {
  category: codepipeline.ActionCategory.TEST,
  provider: PROVIDER,
  version: VERSION,
  artifactBounds: { minInputs: 1, maxInputs: 1, minOutputs: 0, maxOutputs: 0 },
  configurationProperties: [{ name: 'Suite', required: true, key: true, description: 'Which checks to run' }],
  removalPolicy: RemovalPolicy.DESTROY,
});

// The action's work: any language Lambda runs; here it answers that the job succeeded.
const check = new lambda.Function(stack, 'CheckFunction', {
  runtime: lambda.Runtime.PYTHON_3_13,
  handler: 'index.handler',
  timeout: Duration.minutes(1),
  code: lambda.Code.fromInline([
    'def handler(job, context):',
    '    return {"status": "SUCCEEDED", "summary": "checks of suite " + job["configuration"]["Suite"] + " passed"}',
  ].join('\n')),
});
new JobWorker(stack, 'CheckWorker', { actionType: type, handler: check });

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
  pipelineName: PIPELINE_NAME,
  pipelineType: codepipeline.PipelineType.V2,
  artifactBucket: artifacts,
  stages: [
    {
      stageName: 'Source',
      actions: [new actions.S3SourceAction({
        actionName: 'Fetch', bucket: sources, bucketKey: 'app.zip', output: sourceOutput, trigger: actions.S3Trigger.NONE,
      })],
    },
    { stageName: 'Check', actions: [type.action({ actionName: 'Check', inputs: [sourceOutput], configuration: { Suite: 'smoke' } })] },
    { stageName: 'Promote', actions: [new actions.ManualApprovalAction({ actionName: 'Approve' })] },
  ],
});
NagSuppressions.addResourceSuppressions(pipeline, [
  { id: 'AwsSolutions-IAM5', reason: 'the pipeline roles read and write generated artifact keys in their own bucket (aws-cdk-lib grants)' },
], true);

const errors = new cloudwatch.Alarm(stack, 'Errors', {
  metric: new cloudwatch.Metric({ namespace: 'CdkDevtools/Integ', metricName: 'Errors' }),
  threshold: 1,
  evaluationPeriods: 1,
  treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
});
new ApprovalGate(stack, 'PromoteGate', {
  pipeline,
  stageName: 'Promote',
  actionName: 'Approve',
  alarms: [errors],
  bakeTime: Duration.minutes(5),
  windows: [{ days: DaysOfWeek.EVERY_DAY, startTime: '00:00', endTime: '23:59', timeZone: 'UTC' }],
  timeout: Duration.hours(1),
});

NagSuppressions.addStackSuppressions(stack, [
  { id: 'AwsSolutions-IAM4', reason: 'the check function and the bucket auto-delete provider use the managed basic execution role' },
  { id: 'AwsSolutions-L1', reason: 'the bucket auto-delete provider of aws-cdk-lib chooses its own runtime' },
]);

const test = integTest(app, 'WorkerAndGate', [stack]);
test.assertions.awsApiCall('CodePipeline', 'GetPipeline', { name: PIPELINE_NAME })
  .expect(ExpectedResult.objectLike({
    pipeline: {
      stages: Match.arrayWith([
        Match.objectLike({ name: 'Check', actions: [Match.objectLike({ actionTypeId: { category: 'Test', owner: 'Custom', provider: PROVIDER, version: VERSION } })] }),
        Match.objectLike({ name: 'Promote', actions: [Match.objectLike({ actionTypeId: Match.objectLike({ category: 'Approval', provider: 'Manual' }) })] }),
      ]),
    },
  }));
app.synth();
