/**
 * A V2 pipeline whose Publish stage is gated by native stage conditions (StageRule): it enters only while an alarm
 * is not in ALARM (waiting up to 5 minutes for it to clear), and rolls back when it fails while the alarm is in ALARM.
 * A deployment window on the Source stage's success holds executions outside office hours.
 *
 * The assertions read the pipeline CodePipeline stored (the rules as the rule reference describes them, which
 * CodePipeline validates when CloudFormation creates the pipeline) and ask IAM whether the pipeline's role may read
 * the alarm.
 */
import { ExpectedResult } from '@aws-cdk/integ-tests-alpha';
import { Duration, Stack, TimeZone } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as actions from 'aws-cdk-lib/aws-codepipeline-actions';
import { NagSuppressions } from 'cdk-nag';
import { DeploymentWindowSchedule, StageRule } from '../../src/codepipeline';
import { integApp, integTest } from '../support';
import { pipelineBuckets } from './buckets';

const PIPELINE_NAME = 'cdk-devtools-integ-stage-conditions';

const app = integApp();
const stack = new Stack(app, 'CodePipelineStageConditions');

const { sources, artifacts, site } = pipelineBuckets(stack);

// An alarm no one feeds: it stays OK (missing data is not breaching).
const errors = new cloudwatch.Alarm(stack, 'SiteErrors', {
  metric: new cloudwatch.Metric({ namespace: 'CdkDevtools/Integ', metricName: 'SiteErrors', period: Duration.minutes(1) }),
  threshold: 1,
  evaluationPeriods: 1,
  treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
});

const healthy = StageRule.cloudWatchAlarm({ ruleName: 'SiteHealthy', alarm: errors, waitTime: Duration.minutes(5) });
const broken = StageRule.cloudWatchAlarm({ ruleName: 'SiteBroken', alarm: errors });
const officeHours = StageRule.deploymentWindow({
  ruleName: 'OfficeHours',
  schedule: DeploymentWindowSchedule.cron({ hour: '8-17', weekDay: 'MON-FRI' }),
  timeZone: TimeZone.EUROPE_BERLIN,
});

const sourceOutput = new codepipeline.Artifact('Source');
const pipeline = new codepipeline.Pipeline(stack, 'Pipeline', {
  pipelineName: PIPELINE_NAME,
  pipelineType: codepipeline.PipelineType.V2,
  artifactBucket: artifacts,
  stages: [
    {
      stageName: 'Source',
      actions: [new actions.S3SourceAction({ actionName: 'Fetch', bucket: sources, bucketKey: 'site.zip', output: sourceOutput, trigger: actions.S3Trigger.NONE })],
      onSuccess: { conditions: [{ result: codepipeline.Result.FAIL, rules: [officeHours] }] },
    },
    {
      stageName: 'Publish',
      actions: [new actions.S3DeployAction({ actionName: 'Copy', bucket: site, input: sourceOutput })],
      beforeEntry: { conditions: [{ result: codepipeline.Result.FAIL, rules: [healthy] }] },
      onFailure: { result: codepipeline.Result.ROLLBACK, conditions: [{ result: codepipeline.Result.ROLLBACK, rules: [broken] }] },
    },
  ],
});
healthy.grantTo(pipeline);
broken.grantTo(pipeline);
NagSuppressions.addResourceSuppressions(pipeline, [
  { id: 'AwsSolutions-IAM5', reason: 'the pipeline roles read and write generated artifact keys in their own buckets (aws-cdk-lib grants)' },
], true);
NagSuppressions.addStackSuppressions(stack, [
  { id: 'AwsSolutions-IAM4', reason: 'the auto-delete provider of aws-cdk-lib uses the managed basic execution role' },
  { id: 'AwsSolutions-L1', reason: 'the auto-delete provider of aws-cdk-lib chooses its own runtime' },
]);

const test = integTest(app, 'StageConditions', [stack]);
const stored = test.assertions.awsApiCall('CodePipeline', 'GetPipeline', { name: PIPELINE_NAME });
stored.assertAtPath('pipeline.stages.0.onSuccess.conditions.0.rules.0.configuration.Cron', ExpectedResult.stringLikeRegexp('^\\* \\* 8-17 \\? \\* MON-FRI \\*$'));
stored.assertAtPath('pipeline.stages.1.beforeEntry.conditions.0.rules.0.ruleTypeId.provider', ExpectedResult.stringLikeRegexp('^CloudWatchAlarm$'));
stored.assertAtPath('pipeline.stages.1.beforeEntry.conditions.0.rules.0.configuration.WaitTime', ExpectedResult.stringLikeRegexp('^5$'));
stored.assertAtPath('pipeline.stages.1.onFailure.conditions.0.result', ExpectedResult.stringLikeRegexp('^ROLLBACK$'));
stored.assertAtPath('pipeline.stages.1.onFailure.conditions.0.rules.0.configuration.AlarmStates', ExpectedResult.stringLikeRegexp('^ALARM$'));
// What grantTo gave the pipeline's role, as IAM evaluates it on the alarm.
const simulated = test.assertions.awsApiCall('IAM', 'SimulatePrincipalPolicy', {
  PolicySourceArn: pipeline.role.roleArn,
  ActionNames: ['cloudwatch:DescribeAlarms', 'cloudwatch:DescribeAlarmHistory'],
  ResourceArns: [errors.alarmArn],
});
simulated.assertAtPath('EvaluationResults.0.EvalDecision', ExpectedResult.stringLikeRegexp('^allowed$'));
simulated.assertAtPath('EvaluationResults.1.EvalDecision', ExpectedResult.stringLikeRegexp('^allowed$'));
app.synth();
