/**
 * A stack kept in step with a template in a GitHub branch (CloudFormation Git sync), through a connection
 * found by name.
 */
import { ExpectedResult } from '@aws-cdk/integ-tests-alpha';
import { Stack } from 'aws-cdk-lib';
import { Connection, ProviderType, StackGitSync } from '../../src/codeconnections';
import { integApp, integTest } from '../support';

const app = integApp();
const stack = new Stack(app, 'CodeConnectionsGitSync');
const connection = Connection.fromConnectionName(stack, 'GitHub', 'integ-github', { providerType: ProviderType.GITHUB });
new StackGitSync(stack, 'Network', {
  connection,
  owner: 'cdk-devtools',
  repositoryName: 'git-sync-fixture',
  branch: 'main',
  stackName: 'cdk-devtools-integ-git-synced',
  templatePath: 'template.yaml',
  parameters: { Environment: 'integ' },
});

const test = integTest(app, 'GitSync', [stack]);
test.assertions.awsApiCall('CodeStarConnections', 'GetSyncConfiguration', { ResourceName: 'cdk-devtools-integ-git-synced', SyncType: 'CFN_STACK_SYNC' })
  .expect(ExpectedResult.objectLike({ SyncConfiguration: { Branch: 'main', ConfigFile: 'deployment-file.yaml', RepositoryName: 'git-sync-fixture' } }));
app.synth();
