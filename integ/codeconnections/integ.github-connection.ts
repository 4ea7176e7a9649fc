/**
 * A GitHub connection whose deployment waits until someone completes the handshake (the stack output
 * gives the URL), then an assertion that it is AVAILABLE.
 */
import { ExpectedResult } from '@aws-cdk/integ-tests-alpha';
import { Duration, Stack } from 'aws-cdk-lib';
import { Connection, ProviderType } from '../../src/codeconnections';
import { integApp, integTest } from '../support';

const app = integApp();
const stack = new Stack(app, 'CodeConnectionsGitHub');
const connection = new Connection(stack, 'GitHub', {
  connectionName: 'integ-github',
  providerType: ProviderType.GITHUB,
  waitForAvailability: true,
  timeout: Duration.minutes(30),
  createOutputs: true,
});

const test = integTest(app, 'GitHubConnection', [stack]);
test.assertions.awsApiCall('CodeStarConnections', 'GetConnection', { ConnectionArn: connection.connectionArn })
  .expect(ExpectedResult.objectLike({ Connection: { ConnectionName: 'integ-github', ConnectionStatus: 'AVAILABLE', ProviderType: 'GitHub' } }));
app.synth();
