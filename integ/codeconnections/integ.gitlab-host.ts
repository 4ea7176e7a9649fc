/**
 * A GitLab self-managed host reached through a VPC, and a connection through it.
 */
import { ExpectedResult } from '@aws-cdk/integ-tests-alpha';
import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Host, ProviderType } from '../../src/codeconnections';
import { integApp, integTest } from '../support';

const app = integApp();
const stack = new Stack(app, 'CodeConnectionsGitLabHost');
const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
vpc.addFlowLog('FlowLog');
const host = new Host(stack, 'GitLab', {
  hostName: 'integ-gitlab',
  providerType: ProviderType.GITLAB_SELF_MANAGED,
  providerEndpoint: 'https://gitlab.example.com',
  vpc,
  createOutputs: true,
});
const connection = host.addConnection('Connection', { connectionName: 'integ-gitlab', createOutputs: true });

const test = integTest(app, 'GitLabHost', [stack]);
test.assertions.awsApiCall('CodeStarConnections', 'GetHost', { HostArn: host.hostArn })
  .expect(ExpectedResult.objectLike({ Name: 'integ-gitlab', ProviderType: 'GitLabSelfManaged', ProviderEndpoint: 'https://gitlab.example.com' }));
test.assertions.awsApiCall('CodeStarConnections', 'GetConnection', { ConnectionArn: connection.connectionArn })
  .expect(ExpectedResult.objectLike({ Connection: { ConnectionName: 'integ-gitlab', HostArn: host.hostArn } }));
app.synth();
