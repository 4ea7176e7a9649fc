import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import {
  Connection, IConnection, ProviderType, StackGitSync, SyncHealth,
} from '../../src/codeconnections';
import { SYNC_HEALTH_METRIC_NAMESPACE } from '../../src/codeconnections/private/sync-health-contract';
import { expectNagClean, testStack } from '../kit';

let stack: Stack;
let connection: IConnection;
beforeEach(() => {
  stack = testStack();
  connection = new Connection(stack, 'GitHub', { connectionName: 'github', providerType: ProviderType.GITHUB });
});

function gitSync(id: string, stackName: string): StackGitSync {
  return new StackGitSync(stack, id, {
    connection, owner: 'my-org', repositoryName: 'infra', branch: 'main', stackName, templatePath: `${stackName}/template.yaml`,
  });
}

function watcherFunction(template: Template): Record<string, any> {
  const functions = Object.values(template.findResources('AWS::Lambda::Function'));
  expect(functions).toHaveLength(1);
  return functions[0].Properties;
}

const READS = ['codeconnections:GetResourceSyncStatus', 'codeconnections:GetSyncBlockerSummary',
  'codestar-connections:GetResourceSyncStatus', 'codestar-connections:GetSyncBlockerSummary'];

describe('SyncHealth', () => {
  test('a function told the stacks and the watch name, run every 5 minutes, that may only read sync state', () => {
    const health = new SyncHealth(stack, 'Health', {
      stackGitSyncs: [gitSync('Network', 'network')],
      syncConfigurations: [gitSync('Data', 'data-prod').syncConfiguration],
      stackNames: ['legacy-app'],
    });
    const template = Template.fromStack(stack);

    const fn = watcherFunction(template);
    expect(fn).toMatchObject({ Runtime: 'nodejs24.x', Handler: 'index.handler', MemorySize: 256, Timeout: 120 });
    expect(fn.Environment.Variables).toEqual({ STACK_NAMES: 'data-prod,network,legacy-app', WATCH_NAME: health.watchName });
    expect(health.watchName).toMatch(/^TestStackHealth[0-9A-F]{8}$/);
    expect(health.stackNames).toEqual(['data-prod', 'network', 'legacy-app']);
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(5 minutes)',
      Targets: [Match.objectLike({ RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 300 } })],
    });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { MaximumRetryAttempts: 0 });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });

    const policy = template.findResources('AWS::IAM::Policy', {
      Properties: { Roles: [{ Ref: stack.getLogicalId(health.node.findChild('Role').node.defaultChild as any) }] },
    });
    const statements = Object.values(policy)[0].Properties.PolicyDocument.Statement;
    expect(statements).toHaveLength(2);
    expect(statements[0].Action).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents']);
    expect(statements[1]).toEqual({ Effect: 'Allow', Action: READS, Resource: '*' });
    template.resourceCountIs('AWS::CloudWatch::Alarm', 0);
    expectNagClean(stack);
  });

  test('its footprint: a function, its role, policy, log group and retry setting, and a rule with its permission', () => {
    const own = testStack();
    new SyncHealth(own, 'Health', { stackNames: ['network'] });
    const types = Object.values(Template.fromStack(own).toJSON().Resources as Record<string, { Type: string }>).map(r => r.Type).sort();
    expect(types).toHaveLength(7);
    expect(types).toEqual(expect.arrayContaining(['AWS::Events::Rule', 'AWS::IAM::Policy', 'AWS::IAM::Role', 'AWS::Lambda::EventInvokeConfig',
      'AWS::Lambda::Function', 'AWS::Lambda::Permission', 'AWS::Logs::LogGroup']));
  });

  test('the metrics: namespace, Watch (and ResourceName) dimensions, statistic and the watcher\'s interval', () => {
    const health = new SyncHealth(stack, 'Health', { stackNames: ['network', 'data-prod'], interval: Duration.minutes(10) });
    const dims = (m: cloudwatch.Metric) => m.dimensions;
    const blockers = health.metricSyncBlockers();
    expect(blockers).toMatchObject({ namespace: SYNC_HEALTH_METRIC_NAMESPACE, metricName: 'SyncBlockers', statistic: 'Maximum' });
    expect(blockers.period.toSeconds()).toBe(600);
    expect(dims(blockers)).toEqual({ Watch: health.watchName });
    expect(dims(health.metricSyncBlockers('network'))).toEqual({ Watch: health.watchName, ResourceName: 'network' });
    expect(health.metricLatestSyncFailed('data-prod')).toMatchObject({ metricName: 'LatestSyncFailed', statistic: 'Maximum' });
    expect(health.metricReadErrors()).toMatchObject({ metricName: 'SyncStatusReadErrors', statistic: 'Sum' });
    expect(health.metricSyncBlockers(undefined, { statistic: 'Sum', period: Duration.hours(1) }))
      .toMatchObject({ statistic: 'Sum' });
    expect(() => health.metricSyncBlockers('netwrok')).toThrow(
      "TestStack/Health: 'netwrok' is not a stack this SyncHealth watches; give one of 'network', 'data-prod', or add it to the watch (stackNames)");
  });

  test('with a notification topic, a Blocked and a SyncFailed alarm notify it on alarm and OK', () => {
    const topic = new sns.Topic(stack, 'Topic', { enforceSSL: true });
    const health = new SyncHealth(stack, 'Health', { stackNames: ['network'], notificationTopic: topic });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 2);
    for (const metricName of ['SyncBlockers', 'LatestSyncFailed']) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: SYNC_HEALTH_METRIC_NAMESPACE,
        MetricName: metricName,
        Dimensions: [{ Name: 'Watch', Value: health.watchName }],
        Statistic: 'Maximum',
        Period: 300,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        EvaluationPeriods: 1,
        TreatMissingData: 'missing',
        AlarmActions: [{ Ref: stack.getLogicalId(topic.node.defaultChild as any) }],
        OKActions: [{ Ref: stack.getLogicalId(topic.node.defaultChild as any) }],
      });
    }
    expect(health.blockedAlarm).toBeDefined();
    expect(health.failedSyncAlarm).toBeDefined();
    expectNagClean(stack);
  });

  test('addBlockedAlarm and addFailedSyncAlarm: one stack, a name, periods and missing data', () => {
    const health = new SyncHealth(stack, 'Health', { stackNames: ['network', 'data-prod'] });
    health.addBlockedAlarm('NetworkBlocked', {
      stackName: 'network', alarmName: 'network-blocked', evaluationPeriods: 2, treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });
    health.addFailedSyncAlarm('AnyFailed');
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'network-blocked',
      MetricName: 'SyncBlockers',
      Dimensions: Match.arrayWith([{ Name: 'ResourceName', Value: 'network' }]),
      EvaluationPeriods: 2,
      TreatMissingData: 'breaching',
      AlarmActions: Match.absent(),
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'LatestSyncFailed', AlarmDescription: 'The latest Git sync of a watched stack failed' });
    expect(() => health.addBlockedAlarm('Bad', { evaluationPeriods: 0 })).toThrow(
      'TestStack/Health: invalid evaluationPeriods for alarm Bad: 0; give a whole number of at least 1, the runs (one every 5 minutes) that must breach in a row, e.g. 1');
  });

  test('grantResolveBlockers lets a principal read and resolve blockers under both prefixes', () => {
    const health = new SyncHealth(stack, 'Health', { stackNames: ['network'] });
    const operators = new iam.Role(stack, 'Operators', { assumedBy: new iam.AccountRootPrincipal() });
    health.grantResolveBlockers(operators);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: stack.getLogicalId(operators.node.defaultChild as any) }],
      PolicyDocument: {
        Statement: [{
          Effect: 'Allow',
          Action: ['codeconnections:GetSyncBlockerSummary', 'codeconnections:UpdateSyncBlocker',
            'codestar-connections:GetSyncBlockerSummary', 'codestar-connections:UpdateSyncBlocker'],
          Resource: '*',
        }],
      },
    });
  });

  test('a stack watched twice is read once; the log retention is the caller\'s', () => {
    const sync = gitSync('Network', 'network');
    new SyncHealth(stack, 'Health', { stackGitSyncs: [sync], stackNames: ['network'], logRetention: logs.RetentionDays.ONE_WEEK });
    const template = Template.fromStack(stack);
    expect(watcherFunction(template).Environment.Variables.STACK_NAMES).toBe('network');
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 7 });
  });

  test.each([
    ['no stack', {}, 'TestStack/Health: a SyncHealth watches 1 to 50 stacks, got 0. Give the syncs to watch in syncConfigurations, stackGitSyncs or stackNames, e.g. stackGitSyncs: [sync]'],
    ['51 stacks', { stackNames: Array.from({ length: 51 }, (_, i) => `stack-${i}`) }, /got 51\. Split the stacks between several SyncHealth constructs/],
    ['a stack name the API refuses', { stackNames: ['network prod'] }, /TestStack\/Health: invalid stackNames: 'network prod' .*Give the name of the stack Git sync creates, the stackName of its sync configuration, e\.g\. network-prod\./],
    ['an interval under a minute', { stackNames: ['n'], interval: Duration.seconds(30) }, 'TestStack/Health: invalid interval: 30 seconds; the watcher runs every whole number of minutes from 1 minute to 1 hour. Give e.g. Duration.minutes(5)'],
    ['an interval over an hour', { stackNames: ['n'], interval: Duration.hours(2) }, /invalid interval: 2 hours/],
    ['an interval of 90 seconds', { stackNames: ['n'], interval: Duration.seconds(90) }, /invalid interval: 1 minute 30 seconds/],
  ])('refuses %s', (_, props: any, message) => {
    expect(() => new SyncHealth(stack, 'Health', props)).toThrow(message);
  });
});
