import { App, Duration, SecretValue, Stack, StackProps, TimeZone } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as actions from 'aws-cdk-lib/aws-codepipeline-actions';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sns from 'aws-cdk-lib/aws-sns';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { ApprovalGate, CustomActionType, DaysOfWeek, StageRule, StageTransitionFreezeWindow } from '../../src/codepipeline';

/** Props of the release pipeline stack. */
export interface ReleasePipelineStackProps extends StackProps {
  /** The foundation's artifact bucket: sources come from it, and the pipeline keeps its artifacts in it. */
  readonly artifactBucket: s3.IBucket;
}

/**
 * The organisation's release pipeline: a custom "change ticket" deploy action that the change-management
 * system's worker runs (one worker per environment, polling by the queryable property), its worker role,
 * alerts when a run of the action fails, a promotion that an approval gate decides on staging's health, a native
 * entry condition that keeps a run out of production while production is in alarm, and a year-end freeze of the
 * transition into production.
 */
export class ReleasePipelineStack extends Stack {
  public readonly changeTicket: CustomActionType;

  constructor(scope: Construct, id: string, props: ReleasePipelineStackProps) {
    super(scope, id, props);
    this.changeTicket = new CustomActionType(this, 'ChangeTicket', {
      category: codepipeline.ActionCategory.DEPLOY,
      provider: 'AcmeChangeTicket',
      version: '1',
      artifactBounds: { minInputs: 1, maxInputs: 1, minOutputs: 0, maxOutputs: 0 },
      configurationProperties: [
        { name: 'Environment', required: true, queryable: true, description: 'The environment the change goes to' },
        { name: 'Service', required: true, key: true },
        { name: 'ApiToken', required: true, secret: true, description: 'The change-management API token' },
      ],
      entityUrlTemplate: 'https://changes.acme.example/services/{Config:Service}',
      executionUrlTemplate: 'https://changes.acme.example/tickets/{ExternalExecutionId}',
    });

    // Nothing enters production while production itself is in alarm: CodePipeline checks the alarm before the stage,
    // giving it up to 20 minutes to clear, and fails the stage if it does not.
    const productionErrors = new cloudwatch.Alarm(this, 'ProductionErrors', {
      metric: new cloudwatch.Metric({ namespace: 'Acme/Checkout', metricName: 'Errors', dimensionsMap: { Environment: 'prod' } }),
      threshold: 5,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    const productionHealthy = StageRule.cloudWatchAlarm({ ruleName: 'ProductionHealthy', alarm: productionErrors, waitTime: Duration.minutes(20) });

    const source = new codepipeline.Artifact('Source');
    const pipeline = new codepipeline.Pipeline(this, 'Release', {
      pipelineType: codepipeline.PipelineType.V2,
      artifactBucket: props.artifactBucket,
      stages: [
        { stageName: 'Source', actions: [new actions.S3SourceAction({ actionName: 'Fetch', bucket: props.artifactBucket, bucketKey: 'sources/app.zip', output: source })] },
        // Promotion is decided by the gate below: staging stays healthy for 30 minutes, within office hours.
        { stageName: 'Promote', actions: [new actions.ManualApprovalAction({ actionName: 'ApproveProduction' })] },
        {
          stageName: 'Production',
          actions: [this.changeTicket.action({
            actionName: 'ChangeTicket',
            inputs: [source],
            configuration: { Environment: 'prod', Service: 'checkout' },
            secretConfiguration: { ApiToken: SecretValue.secretsManager('platform/change-api-token') },
          })],
          beforeEntry: { conditions: [{ result: codepipeline.Result.FAIL, rules: [productionHealthy] }] },
        },
      ],
    });
    productionHealthy.grantTo(pipeline); // DescribeAlarms and DescribeAlarmHistory on the production alarm
    NagSuppressions.addResourceSuppressions(pipeline, [
      { id: 'AwsSolutions-IAM5', reason: 'the pipeline roles read and write generated artifact keys in the artifact bucket (aws-cdk-lib grants)' },
    ], true);

    const stagingErrors = new cloudwatch.Alarm(this, 'StagingErrors', {
      metric: new cloudwatch.Metric({ namespace: 'Acme/Checkout', metricName: 'Errors', dimensionsMap: { Environment: 'staging' } }),
      threshold: 5,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    new ApprovalGate(this, 'PromoteGate', {
      pipeline,
      stageName: 'Promote',
      actionName: 'ApproveProduction',
      alarms: [stagingErrors],
      bakeTime: Duration.minutes(30),
      windows: [{ days: DaysOfWeek.WEEKDAYS, startTime: '09:00', endTime: '16:00', timeZone: 'Europe/Berlin' }],
      timeout: Duration.days(3),
    });

    // Nothing reaches production over the year-end holidays: the transition into it is frozen on a schedule.
    new StageTransitionFreezeWindow(this, 'YearEndFreeze', {
      pipeline,
      stageName: 'Production',
      reason: 'Year-end change freeze',
      start: scheduler.ScheduleExpression.expression('cron(0 18 20 12 ? *)', TimeZone.EUROPE_BERLIN),
      end: scheduler.ScheduleExpression.expression('cron(0 7 2 1 ? *)', TimeZone.EUROPE_BERLIN),
    });

    const worker = new iam.Role(this, 'ChangeTicketWorker', {
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
      description: 'The change-management worker of the ChangeTicket action',
    });
    this.changeTicket.grantJobWorker(worker);
    NagSuppressions.addResourceSuppressions(worker, [
      { id: 'AwsSolutions-IAM5', reason: 'CodePipeline job actions have no resource-level permissions', appliesTo: ['Resource::*'] },
    ], true);

    const alerts = new sns.Topic(this, 'ReleaseAlerts', { enforceSSL: true });
    this.changeTicket.onActionExecutionStateChange('ChangeTicketFailures', {
      target: new targets.SnsTopic(alerts),
      eventPattern: { detail: { state: ['FAILED'] } },
    });
  }
}

/** Adds the CodePipeline part of the platform. */
export function addReleasePipeline(app: App, env: { account: string; region: string }, artifactBucket: s3.IBucket): Stack[] {
  return [new ReleasePipelineStack(app, 'ReleasePipeline', { env, artifactBucket })];
}
