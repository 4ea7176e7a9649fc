import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { amplifyStack } from './support';
import * as amplify from '../../src/amplify';
import { expectNagClean } from '../kit';

let stack: Stack;
let bucket: s3.IBucket;
beforeEach(() => {
  stack = amplifyStack();
  bucket = s3.Bucket.fromBucketName(stack, 'Archive', 'acme-log-archive');
});

const BUCKET_ARN = 'arn:aws:s3:::acme-log-archive';

function exporterFunction(template: Template): Record<string, any> {
  const functions = Object.values(template.findResources('AWS::Lambda::Function'));
  expect(functions).toHaveLength(1);
  return functions[0].Properties;
}

function policyStatements(template: Template): any[] {
  const policies = Object.values(template.findResources('AWS::IAM::Policy'));
  expect(policies).toHaveLength(1);
  return policies[0].Properties.PolicyDocument.Statement;
}

describe('AccessLogExporter', () => {
  test('a function on Node.js 24 told the app, domain, bucket, key prefix and the window, run every period', () => {
    const site = amplify.App.fromAppId(stack, 'Site', 'd1a2b3c4d5e6f7');
    const exporter = site.exportAccessLogs('AccessLogs', { domainName: 'example.com', bucket });
    const template = Template.fromStack(stack);

    const fn = exporterFunction(template);
    expect(fn).toMatchObject({ Runtime: 'nodejs24.x', Handler: 'index.handler', MemorySize: 512, Timeout: 300 });
    expect(fn.Environment.Variables).toEqual({
      APP_ID: 'd1a2b3c4d5e6f7',
      DOMAIN_NAME: 'example.com',
      BUCKET_NAME: 'acme-log-archive',
      KEY_PREFIX: 'amplify-access-logs/app=d1a2b3c4d5e6f7/domain=example.com/',
      PERIOD_SECONDS: '3600',
      DELAY_SECONDS: '3600',
      CATCH_UP_PERIODS: '24',
    });
    expect(exporter.keyPrefix).toBe('amplify-access-logs/app=d1a2b3c4d5e6f7/domain=example.com/');
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 hour)',
      State: 'ENABLED',
      Targets: [Match.objectLike({ RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 } })],
    });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { MaximumRetryAttempts: 0, Qualifier: '$LATEST' });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    expect(fn.LoggingConfig).toEqual({ LogGroup: { Ref: stack.getLogicalId(exporter.logGroup.node.defaultChild as any) } });
    expectNagClean(stack);
  });

  test('its footprint: a function, its role, policy, log group and retry setting, and a rule with its permission', () => {
    new amplify.AccessLogExporter(stack, 'AccessLogs', {
      app: amplify.App.fromAppId(stack, 'Site', 'd1a2b3c4d5e6f7'), domainName: 'example.com', bucket,
    });
    const types = Object.values(Template.fromStack(stack).toJSON().Resources).map((r: any) => r.Type).sort();
    expect(types).toEqual([
      'AWS::Events::Rule', 'AWS::IAM::Policy', 'AWS::IAM::Role', 'AWS::Lambda::EventInvokeConfig', 'AWS::Lambda::Function',
      'AWS::Lambda::Permission', 'AWS::Logs::LogGroup',
    ]);
  });

  test('least privilege: GenerateAccessLogs on the app, PutObject and ListBucket under its own prefix, its log group', () => {
    const site = new amplify.App(stack, 'Site');
    const exporter = site.exportAccessLogs('AccessLogs', { domainName: 'example.com', bucket, prefix: 'logs/amplify' });
    const template = Template.fromStack(stack);
    const siteId = stack.getLogicalId(site.node.defaultChild as any);
    const appId = { 'Fn::GetAtt': [siteId, 'AppId'] };
    expect(policyStatements(template)).toEqual([
      {
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': [stack.getLogicalId(exporter.logGroup.node.defaultChild as any), 'Arn'] },
      },
      { Action: 'amplify:GenerateAccessLogs', Effect: 'Allow', Resource: { 'Fn::GetAtt': [siteId, 'Arn'] } },
      { Action: 's3:PutObject', Effect: 'Allow', Resource: { 'Fn::Join': ['', [`${BUCKET_ARN}/logs/amplify/app=`, appId, '/domain=example.com/*']] } },
      {
        Action: 's3:ListBucket',
        Effect: 'Allow',
        Resource: BUCKET_ARN,
        Condition: { StringLike: { 's3:prefix': [{ 'Fn::Join': ['', ['logs/amplify/app=', appId, '/domain=example.com/*']] }] } },
      },
    ]);
    expect(Object.keys(template.findResources('AWS::IAM::Role'))).toHaveLength(2); // the app's service role, and the exporter's
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'lambda.amazonaws.com' } })] },
      ManagedPolicyArns: Match.absent(),
    });
    expectNagClean(stack);
  });

  test('a bucket encrypted with a KMS key: data keys of that key, nothing else of it', () => {
    const key = kms.Key.fromKeyArn(stack, 'Key', 'arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555');
    const encrypted = s3.Bucket.fromBucketAttributes(stack, 'Encrypted', { bucketName: 'acme-encrypted-logs', encryptionKey: key });
    amplify.App.fromAppId(stack, 'Site', 'd1a2b3c4d5e6f7').exportAccessLogs('AccessLogs', { domainName: 'example.com', bucket: encrypted });
    expect(policyStatements(Template.fromStack(stack))).toContainEqual({
      Action: 'kms:GenerateDataKey', Effect: 'Allow', Resource: 'arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555',
    });
    expectNagClean(stack);
  });

  test('a bucket of the stack with its own key, and the app\'s default domain', () => {
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    const archive = new s3.Bucket(stack, 'Logs', {
      encryptionKey: key, enforceSSL: true, serverAccessLogsPrefix: 'server-access/', blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    });
    const site = new amplify.App(stack, 'Site');
    site.exportAccessLogs('AccessLogs', { domainName: 'd1a2b3c4d5e6f7.amplifyapp.com', bucket: archive });
    const template = Template.fromStack(stack);
    expect(policyStatements(template).filter(s => String(s.Action).startsWith('kms:')))
      .toEqual([{ Action: 'kms:GenerateDataKey', Effect: 'Allow', Resource: { 'Fn::GetAtt': [stack.getLogicalId(key.node.defaultChild as any), 'Arn'] } }]);
    expectNagClean(stack);
  });

  test('period, delay, catch-up window and log retention', () => {
    amplify.App.fromAppId(stack, 'Site', 'd1a2b3c4d5e6f7').exportAccessLogs('AccessLogs', {
      domainName: 'example.com',
      bucket,
      period: Duration.minutes(15),
      delay: Duration.minutes(30),
      catchUp: Duration.hours(12),
      logRetention: logs.RetentionDays.ONE_YEAR,
    });
    const template = Template.fromStack(stack);
    expect(exporterFunction(template).Environment.Variables).toMatchObject({ PERIOD_SECONDS: '900', DELAY_SECONDS: '1800', CATCH_UP_PERIODS: '48' });
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(15 minutes)' });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 365 });
  });

  test('its metrics: failed exports, exported and pending periods, by app and domain', () => {
    const exporter = amplify.App.fromAppId(stack, 'Site', 'd1a2b3c4d5e6f7').exportAccessLogs('AccessLogs', { domainName: 'example.com', bucket });
    exporter.metricFailedExports().createAlarm(stack, 'Failed', { threshold: 1, evaluationPeriods: 1 });
    exporter.metricExportedPeriods().createAlarm(stack, 'Exported', { threshold: 1, evaluationPeriods: 1 });
    exporter.metricPendingPeriods().createAlarm(stack, 'Pending', { threshold: 1, evaluationPeriods: 1 });
    const template = Template.fromStack(stack);
    const dimensions = [{ Name: 'App', Value: 'd1a2b3c4d5e6f7' }, { Name: 'Domain', Value: 'example.com' }];
    for (const [metricName, statistic] of [['AccessLogExportsFailed', 'Sum'], ['AccessLogPeriodsExported', 'Sum'], ['AccessLogPeriodsPending', 'Maximum']]) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'cdk-devtools/Amplify', MetricName: metricName, Dimensions: dimensions, Statistic: statistic, Period: 300,
      });
    }
  });

  describe('refuses at synth', () => {
    const site = () => amplify.App.fromAppId(stack, 'Site', 'd1a2b3c4d5e6f7');
    test.each([
      [{ domainName: 'https://example.com' }, /AccessLogs: invalid domainName: 'https:\/\/example\.com' does not match .* a custom domain \(domain\.domainName/],
      [{ prefix: '/logs' }, /AccessLogs: the prefix '\/logs' starts or ends with \/\. Give the folder .* e\.g\. 'amplify-access-logs'/],
      [{ prefix: 'logs/' }, /the prefix 'logs\/' starts or ends with \//],
      [{ prefix: '' }, /the prefix '' is empty/],
      [{ prefix: 'a//b' }, /the prefix 'a\/\/b' has an empty segment/],
      [{ prefix: 'logs?x' }, /the prefix 'logs\?x' has characters outside S3's safe set/],
      [{ prefix: 'x'.repeat(513) }, /is 513 characters long/],
      [{ period: Duration.seconds(90) }, /AccessLogs: invalid period: 1 minute 30 seconds; a period is whole minutes that divide a day evenly.*Duration\.minutes\(15\)/],
      [{ period: Duration.minutes(7) }, /invalid period: 7 minutes/],
      [{ period: Duration.days(2) }, /invalid period: 2 days/],
      [{ delay: Duration.days(2) }, /AccessLogs: invalid delay: 2 days; give whole seconds from 0 to 1 day/],
      [{ delay: Duration.millis(1500) }, /invalid delay: 1 second 500 millis/],
      [{ catchUp: Duration.minutes(30) }, /AccessLogs: invalid catchUp: 30 minutes is 0 period\(s\) of 1 hour.*Give from 1 hour to 14 days/],
      [{ catchUp: Duration.days(15) }, /invalid catchUp: 15 days is 360 period\(s\)/],
      [{ period: Duration.minutes(1), catchUp: Duration.days(2) }, /invalid catchUp: 2 days is 2880 period\(s\) of 1 minute.*Give from 1 minute to 1 day/],
    ])('%j', (change, message) => {
      expect(() => site().exportAccessLogs('AccessLogs', { domainName: 'example.com', bucket, ...change })).toThrow(message);
    });

    test('a period given as a token', () => {
      const { CfnParameter } = jest.requireActual('aws-cdk-lib');
      const minutes = new CfnParameter(stack, 'Minutes', { type: 'Number' }).valueAsNumber;
      expect(() => site().exportAccessLogs('AccessLogs', { domainName: 'example.com', bucket, period: Duration.minutes(minutes) }))
        .toThrow(/the period is a token; give a Duration, e.g. Duration.hours\(1\)/);
    });
  });
});
