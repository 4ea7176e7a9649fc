import { Stack } from 'aws-cdk-lib';
import { CfnConnection } from 'aws-cdk-lib/aws-codeconnections';
import { CfnRepositoryLink, CfnSyncConfiguration } from 'aws-cdk-lib/aws-codestarconnections';
import * as iam from 'aws-cdk-lib/aws-iam';
import { BenchFamily } from './families';
import { rawCustomResource } from './raw';
import { Connection, IConnection, ProviderType, StackGitSync } from '../../src/codeconnections';

const CONNECTION_ARN = 'arn:aws:codeconnections:us-east-1:123456789012:connection/0c2e5f2a-4b7d-4c4e-9f1a-2f3b4c5d6e7f';

/** The stack's one imported connection, shared by its Git syncs. */
function importedConnection(stack: Stack): IConnection {
  return (stack.node.tryFindChild('Org') as IConnection | undefined) ?? Connection.fromConnectionArn(stack, 'Org', CONNECTION_ARN);
}

/** A Git sync as raw L1s: the repository link, the sync configuration and its role with the Git sync statements. */
function rawGitSync(stack: Stack, i: number): void {
  const link = new CfnRepositoryLink(stack, `L${i}`, { connectionArn: CONNECTION_ARN, ownerId: 'acme', repositoryName: `r-${i}` });
  const role = new iam.CfnRole(stack, `SR${i}`, {
    assumeRolePolicyDocument: {
      Statement: [{ Effect: 'Allow', Principal: { Service: 'cloudformation.sync.codeconnections.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    },
    policies: [{
      policyName: 'git-sync',
      policyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: ['cloudformation:CreateChangeSet', 'cloudformation:DeleteChangeSet', 'cloudformation:DescribeChangeSet',
              'cloudformation:DescribeStackEvents', 'cloudformation:DescribeStacks', 'cloudformation:ExecuteChangeSet',
              'cloudformation:GetTemplate', 'cloudformation:ListChangeSets'],
            Resource: `arn:aws:cloudformation:us-east-1:123456789012:stack/s-${i}/*`,
          },
          { Effect: 'Allow', Action: ['cloudformation:ListStacks', 'cloudformation:ValidateTemplate'], Resource: '*' },
          {
            Effect: 'Allow',
            Action: ['events:PutRule', 'events:PutTargets'],
            Resource: 'arn:aws:events:us-east-1:123456789012:rule/*',
            Condition: { StringEquals: { 'events:ManagedBy': 'cloudformation.sync.codeconnections.amazonaws.com' } },
          },
          { Effect: 'Allow', Action: 'events:DescribeRule', Resource: 'arn:aws:events:us-east-1:123456789012:rule/*' },
        ],
      },
    }],
  });
  new CfnSyncConfiguration(stack, `S${i}`, {
    repositoryLinkId: link.attrRepositoryLinkId,
    branch: 'main',
    configFile: 'deployment-file.yaml',
    resourceName: `s-${i}`,
    syncType: 'CFN_STACK_SYNC',
    roleArn: role.attrArn,
  });
}

/**
 * The CodeConnections families: a connection, a connection whose deployment waits for AVAILABLE, a lookup by name,
 * and a Git sync whose deployment waits for the first sync.
 */
export const CODECONNECTIONS_FAMILIES: BenchFamily[] = [
  {
    name: 'Connection',
    customResource: false,
    ours: (stack, i) => new Connection(stack, `C${i}`, { connectionName: `c-${i}`, providerType: ProviderType.GITHUB }),
    raw: (stack, i) => new CfnConnection(stack, `C${i}`, { connectionName: `c-${i}`, providerType: 'GitHub' }),
  },
  {
    name: 'Connection + wait for AVAILABLE',
    customResource: true,
    // The connection itself and a kit role of its own (it may read only the watched connection).
    maxBytesPerInstance: 3072,
    ours: (stack, i) => new Connection(stack, `C${i}`, { connectionName: `c-${i}`, providerType: ProviderType.GITHUB, waitForAvailability: true }),
    raw: (stack, i) => {
      const connection = new CfnConnection(stack, `C${i}`, { connectionName: `c-${i}`, providerType: 'GitHub' });
      rawCustomResource(stack, i, ['codeconnections:GetConnection', 'codestar-connections:GetConnection'],
        [connection.attrConnectionArn], { ResourceArn: connection.attrConnectionArn, Kind: 'connection' });
    },
  },
  {
    name: 'Connection.fromConnectionName',
    customResource: true,
    ours: (stack, i) => Connection.fromConnectionName(stack, `C${i}`, `c-${i}`),
    raw: (stack, i) => rawCustomResource(stack, i, ['codeconnections:ListConnections', 'codestar-connections:ListConnections'], ['*'],
      { ConnectionName: `c-${i}` }),
  },
  {
    name: 'StackGitSync + wait for first sync',
    customResource: true,
    // A sync is five resources (link, configuration, role, policy, wait): 90 and the provider fill most of a stack.
    maxInstances: 90,
    // The sync itself (repository link, sync configuration, its role and Git sync policy) and the wait; the wait's kit
    // role (status and blocker reads, no resource type) is shared by the stack's waits.
    maxBytesPerInstance: 4096,
    ours: (stack, i) => new StackGitSync(stack, `G${i}`, {
      connection: importedConnection(stack),
      owner: 'acme',
      repositoryName: `r-${i}`,
      branch: 'main',
      stackName: `s-${i}`,
      templatePath: 'template.yaml',
      waitForFirstSync: true,
    }),
    raw: (stack, i) => {
      rawGitSync(stack, i);
      rawCustomResource(stack, i, ['codeconnections:GetResourceSyncStatus', 'codeconnections:GetSyncBlockerSummary',
        'codestar-connections:GetResourceSyncStatus', 'codestar-connections:GetSyncBlockerSummary'], ['*'],
      { StackName: `s-${i}`, Branch: 'main', ConfigFile: 'deployment-file.yaml' });
    },
  },
];
