import { Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { amplifyStack } from './support';
import * as amplify from '../../src/amplify';

let stack: Stack;
beforeEach(() => {
  stack = amplifyStack();
});

/** Each metric method, the metric name Amplify publishes and the statistic of the method's default. */
const METRICS: Array<[string, (app: amplify.IApp, props?: cloudwatch.MetricOptions) => cloudwatch.Metric, string, string]> = [
  ['metricRequests', (app, props) => app.metricRequests(props), 'Requests', 'Sum'],
  ['metricBytesDownloaded', (app, props) => app.metricBytesDownloaded(props), 'BytesDownloaded', 'Sum'],
  ['metricBytesUploaded', (app, props) => app.metricBytesUploaded(props), 'BytesUploaded', 'Sum'],
  ['metric4xxErrors', (app, props) => app.metric4xxErrors(props), '4xxErrors', 'Sum'],
  ['metric5xxErrors', (app, props) => app.metric5xxErrors(props), '5xxErrors', 'Sum'],
  ['metricLatency', (app, props) => app.metricLatency(props), 'Latency', 'Average'],
];

describe('the metrics of an app', () => {
  test.each(METRICS)('%s: an alarm on it reads AWS/AmplifyHosting %s of the app, over 5 minutes', (_name, metric, metricName, statistic) => {
    const site = new amplify.App(stack, 'Site');
    metric(site).createAlarm(stack, 'Alarm', { threshold: 1, evaluationPeriods: 1 });
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/AmplifyHosting',
      MetricName: metricName,
      Dimensions: [{ Name: 'App', Value: { 'Fn::GetAtt': [stack.getLogicalId(site.node.defaultChild as any), 'AppId'] } }],
      Statistic: statistic,
      Period: 300,
    });
  });

  test.each(METRICS)('%s: of an imported app (App.fromAppId), with its options', (_name, metric, metricName) => {
    const site = amplify.App.fromAppId(stack, 'Site', 'd1a2b3c4d5e6f7');
    metric(site, { period: Duration.minutes(1), statistic: 'p99' }).createAlarm(stack, 'Alarm', { threshold: 1, evaluationPeriods: 3 });
    const alarm = Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm');
    expect(Object.values(alarm).map(a => a.Properties)).toEqual([expect.objectContaining({
      Namespace: 'AWS/AmplifyHosting',
      MetricName: metricName,
      Dimensions: [{ Name: 'App', Value: 'd1a2b3c4d5e6f7' }],
      ExtendedStatistic: 'p99',
      Period: 60,
      EvaluationPeriods: 3,
    })]);
  });

  test('metric() reads any metric of the namespace, average over 5 minutes unless told', () => {
    const site = amplify.App.fromAppId(stack, 'Site', 'd1a2b3c4d5e6f7');
    const metric = site.metric('SomeNewMetric');
    expect(metric.toMetricConfig().metricStat).toMatchObject({
      namespace: 'AWS/AmplifyHosting',
      metricName: 'SomeNewMetric',
      dimensions: [{ name: 'App', value: 'd1a2b3c4d5e6f7' }],
      statistic: 'Average',
      period: Duration.minutes(5),
    });
    expect(site.metric('SomeNewMetric', { statistic: 'Sum' }).statistic).toBe('Sum');
  });

  test('the metrics of an app imported from another region name that region, so a dashboard reads them there', () => {
    const site = amplify.App.fromAppArn(stack, 'Site', 'arn:aws:amplify:eu-west-1:210987654321:apps/d1a2b3c4d5e6f7');
    expect(site.metricRequests()).toMatchObject({ region: 'eu-west-1', account: '210987654321' });
    expect(amplify.App.fromAppId(stack, 'Local', 'd1a2b3c4d5e6f8').metricRequests()).toMatchObject({ region: 'us-east-1', account: '123456789012' });
    new cloudwatch.Dashboard(stack, 'Dashboard', { widgets: [[new cloudwatch.GraphWidget({ left: [site.metric5xxErrors()] })]] });
    const body = JSON.stringify(Template.fromStack(stack).findResources('AWS::CloudWatch::Dashboard'));
    expect(body).toContain('\\"region\\":\\"eu-west-1\\"');
    expect(body).toContain('\\"accountId\\":\\"210987654321\\"');
  });

  test('an alarm cannot watch the metric of another region\'s app: aws-cdk-lib refuses it at synth', () => {
    const site = amplify.App.fromAppArn(stack, 'Site', 'arn:aws:amplify:eu-west-1:210987654321:apps/d1a2b3c4d5e6f7');
    expect(() => site.metric5xxErrors().createAlarm(stack, 'Alarm', { threshold: 1, evaluationPeriods: 1 }))
      .toThrow(/region/);
  });
});
