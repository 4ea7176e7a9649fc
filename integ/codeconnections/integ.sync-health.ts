/**
 * A Git-synced stack whose deployment waits for its first sync, watched by SyncHealth: its blockers and failed syncs as metrics, alarms that notify a topic,
 * and an operators' role that may resolve blockers.
 *
 * Deploying it needs the `integ-github` connection (AVAILABLE) and the fixture repository of integ.git-sync. The test
 * runs the watcher once and expects it to have read the stack (nothing unread), then reads the stack's blockers as
 * the watcher does.
 */
import { ExpectedResult } from '@aws-cdk/integ-tests-alpha';
import { Duration, Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import { NagSuppressions } from 'cdk-nag';
import { Connection, ProviderType, StackGitSync, SyncHealth } from '../../src/codeconnections';
import { integApp, integTest } from '../support';

const SYNCED_STACK = 'cdk-devtools-integ-sync-health';

const app = integApp();
const stack = new Stack(app, 'CodeConnectionsSyncHealth');
const connection = Connection.fromConnectionName(stack, 'GitHub', 'integ-github', { providerType: ProviderType.GITHUB });
const sync = new StackGitSync(stack, 'Network', {
  connection,
  owner: 'cdk-devtools',
  repositoryName: 'git-sync-fixture',
  branch: 'main',
  stackName: SYNCED_STACK,
  templatePath: 'template.yaml',
  // The fixture's branch holds the deployment file: the deployment goes on once Git sync deployed the stack.
  waitForFirstSync: true,
  timeout: Duration.minutes(20),
});
const alerts = new sns.Topic(stack, 'SyncAlerts', { enforceSSL: true });
const health = new SyncHealth(stack, 'SyncHealth', { stackGitSyncs: [sync], interval: Duration.minutes(1), notificationTopic: alerts });
health.addBlockedAlarm('NetworkBlocked', { stackName: SYNCED_STACK, evaluationPeriods: 2 });
const operators = new iam.Role(stack, 'SyncOperators', { assumedBy: new iam.AccountRootPrincipal() });
health.grantResolveBlockers(operators);
NagSuppressions.addResourceSuppressions(operators, [{
  id: 'AwsSolutions-IAM5',
  reason: 'GetSyncBlockerSummary and UpdateSyncBlocker have no resource type: resolving blockers is granted on the account',
  appliesTo: ['Resource::*'],
}], true);

const test = integTest(app, 'SyncHealthTest', [stack]);
const run = test.assertions.invokeFunction({ functionName: health.handler.functionName, payload: '{}' });
run.expect(ExpectedResult.objectLike({
  StatusCode: 200,
  ExecutedVersion: '$LATEST',
  Payload: Match.serializedJson(Match.objectLike({ unread: [], stacks: [Match.objectLike({ stackName: SYNCED_STACK })] })),
}));
const blockers = test.assertions.awsApiCall('CodeStarConnections', 'GetSyncBlockerSummary', { ResourceName: SYNCED_STACK, SyncType: 'CFN_STACK_SYNC' });
blockers.expect(ExpectedResult.objectLike({ SyncBlockerSummary: { ResourceName: SYNCED_STACK } }));
run.next(blockers);
app.synth();
