/**
 * A site without a repository whose access logs are copied to an S3 bucket encrypted with a KMS key, every minute,
 * and an alarm on its 5xx responses.
 *
 * Deploying it needs nothing but the account: the exporter reads the logs of the app's default domain. The test
 * requests the site, runs the exporter once and expects the latest period's object under the exporter's prefix.
 */
import * as path from 'path';
import { ExpectedResult } from '@aws-cdk/integ-tests-alpha';
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { NagSuppressions } from 'cdk-nag';
import * as amplify from '../../src/amplify';
import { integApp, integTest } from '../support';

const app = integApp();
const stack = new Stack(app, 'AmplifyAccessLogs');
const site = new amplify.App(stack, 'Site', { appName: 'access-logs-site' });
const main = site.addBranch('main', { stage: amplify.Stage.PRODUCTION });
new amplify.BranchDeployment(stack, 'Content', { branch: main, path: path.join(__dirname, 'site'), timeout: Duration.minutes(10) });

const key = new kms.Key(stack, 'LogsKey', { enableKeyRotation: true, removalPolicy: RemovalPolicy.DESTROY });
const logs = new s3.Bucket(stack, 'Logs', {
  encryptionKey: key,
  enforceSSL: true,
  blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
  removalPolicy: RemovalPolicy.DESTROY,
  autoDeleteObjects: true,
});
NagSuppressions.addResourceSuppressions(logs, [
  { id: 'AwsSolutions-S1', reason: 'the access logs of a short-lived integ test need no server access log of their own' },
]);
NagSuppressions.addStackSuppressions(stack, [
  { id: 'AwsSolutions-IAM4', reason: 'the bucket auto-delete provider of aws-cdk-lib uses the managed basic execution role' },
  { id: 'AwsSolutions-L1', reason: 'the bucket auto-delete provider of aws-cdk-lib chooses its own runtime' },
]);

// One-minute periods exported at once: the deployment's own requests are in the latest period when the test runs.
const exporter = site.exportAccessLogs('AccessLogs', {
  domainName: site.defaultDomain,
  bucket: logs,
  period: Duration.minutes(1),
  delay: Duration.seconds(0),
  catchUp: Duration.minutes(5),
});
exporter.metricFailedExports().createAlarm(stack, 'AccessLogExportFailed', {
  threshold: 1, evaluationPeriods: 1, treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
});
site.metric5xxErrors().createAlarm(stack, 'ServerErrors', {
  threshold: 1, evaluationPeriods: 1, treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
});

const integ = integTest(app, 'AmplifyAccessLogsTest', [stack]);
const request = integ.assertions.httpApiCall(main.branchUrl);
request.expect(ExpectedResult.objectLike({ status: 200 }));
const run = integ.assertions.invokeFunction({ functionName: exporter.handler.functionName, payload: '{}' });
run.expect(ExpectedResult.objectLike({ StatusCode: 200, ExecutedVersion: '$LATEST' }));
request.next(run);
const listed = integ.assertions.awsApiCall('S3', 'listObjectsV2', { Bucket: logs.bucketName, Prefix: exporter.keyPrefix });
listed.expect(ExpectedResult.objectLike({
  Contents: Match.arrayWith([Match.objectLike({ Key: Match.stringLikeRegexp('year=\\d{4}/month=\\d{2}/day=\\d{2}/\\d{8}T\\d{4}Z-\\d{8}T\\d{4}Z\\.csv$') })]),
}));
// The SDK call is ListObjectsV2; the IAM action is s3:ListBucket, on the test's bucket.
listed.provider.addToRolePolicy({ Effect: 'Allow', Action: ['s3:ListBucket'], Resource: [logs.bucketArn] });
run.next(listed);
